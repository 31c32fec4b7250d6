"""Which ``for`` clauses over one item Saxon evaluates when they are reached, not when read.

Saxon (SaxonC-HE 13.1, the official engine) rewrites a ``for`` clause into a ``let`` when its
expression is statically *exactly one* item (``$t in normalize-space(X)``), and evaluates a
``let`` lazily: an error in its expression only surfaces if the variable is read. The native
engine does the same (``R.Lazy``). Two things make Saxon evaluate such a clause as soon as it
is reached, and with it change the verdict when the expression raises (XPTY0004 stops the
stage):

1. *Static cardinality.* Saxon types some expressions the native code generator sees as one
   value as "at most one": ``sum()`` (so ``xs:decimal(round(sum(...) * 100) div 100)``),
   ``abs()``, ``floor()``, ``ceiling()``, ``xs:decimal(path)``. Such a clause stays a loop over
   its item, evaluated when the clause is reached. ``count()``, ``normalize-space()``,
   ``round()`` of one item, arithmetic on such values and on the variables of enclosing
   clauses are exactly one.
2. *Loop lifting* (``LoopLifter``). After its other rewrites (a ``let`` read once, outside any
   loop, is inlined), Saxon moves every subexpression that sits inside a loop (the return of a
   ``for`` over a sequence, a predicate, the right-hand step of a path, the condition of
   ``some``/``every``) but depends on nothing the loop sets (no variable bound inside it, not
   its focus, not inside a branch of an ``if`` within it) out of the loop, into a lazily
   evaluated variable of its own. When the expression of a ``let`` is lifted, the ``let``
   becomes ``let $t := $lifted``, and if ``$t`` is read inside a loop (relative to the
   ``let``) Saxon reads the lifted variable as soon as ``$t`` is bound: the expression is
   evaluated on binding, whether or not ``$t`` is read afterwards.

Established with probe stylesheets on SaxonC-HE 13.1.1 (its optimizer trace names each lift):
``for $r in xs:decimal(z[1]), $t in normalize-space(x) return $r = 1 or count(e[. = $t]) = 0``
raises XPTY0004 when ``x`` has two items although ``$r = 1`` decides (``$t`` lifted, read in a
predicate); it does not raise with ``... or ($t = 'a' and $t = 'b')`` (no read in a loop),
nor without the outer ``for $r`` (no loop, nothing lifted), nor with ``normalize-space(x[$r])``
(depends on the loop variable), nor when ``z`` is empty (the loop body never runs), nor when
the rest of the ``for`` does not depend on ``$r`` (then the whole ``let`` is lifted and its
own expression stays lazy). ``for $t in sum(E) return true()`` raises when ``E`` does,
``for $t in count(E) return true()`` does not. ``tests/native/test_evaluation_time.py`` runs
these shapes through both engines.

:func:`eager_binds` reproduces those decisions on our AST (:mod:`.xpath`); the code generator
evaluates the marked clauses when they are bound. It mirrors Saxon's rules for the constructs
the artefacts use; an unmarked clause over one value stays lazy (the behaviour before).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from einvoice_gov.native.xpath import XS, Ast

#: functions whose result is exactly one item whatever their arguments (when they succeed)
_ONE_NAMES = """string normalize-space concat string-length count boolean not exists empty true
    false upper-case lower-case translate substring substring-before substring-after contains
    starts-with ends-with string-join matches replace position last name local-name
    namespace-uri codepoints-to-string number"""
_ONE = frozenset(_ONE_NAMES.split())
#: functions that read the focus when called without arguments
_FOCUS0_NAMES = "string normalize-space string-length name local-name namespace-uri number root"
_FOCUS0 = frozenset([*_FOCUS0_NAMES.split(), "position", "last"])
#: functions whose result has the cardinality of their argument (``abs``, ``floor``,
#: ``ceiling`` and ``sum`` are typed "at most one" by Saxon whatever their argument)
_SAME = frozenset(["round"])


def exactly_one(a: Ast, one: frozenset[str] | set[str] = frozenset()) -> bool:
    """Saxon's static cardinality "exactly one" for the shapes the artefacts bind in ``for``
    (``one``: the variables known to hold one item, those of enclosing ``for`` clauses)."""
    op = a[0]
    if op == "lit":
        return True
    if op == "var":
        return a[1] in one
    if op in ("gcmp", "and", "or", "some", "every", "castable", "instance"):
        return True
    if op == "arith":
        return exactly_one(a[2], one) and exactly_one(a[3], one)
    if op == "neg":
        return exactly_one(a[1], one)
    if op == "call":
        name = a[1]
        if name in _ONE:
            return True
        if name in _SAME or name.startswith("{" + XS + "}"):
            return bool(a[2]) and exactly_one(a[2][0], one)
        return False
    if op == "cast":
        return not a[2] and exactly_one(a[3], one)
    if op == "if":
        return exactly_one(a[2], one) and exactly_one(a[3], one)
    if op == "seq":
        return len(a[1]) == 1 and exactly_one(a[1][0], one)
    return False


@dataclass
class _Env:
    """Where things are bound, in loop levels (Saxon's ``loopLevel``, after the lifts so far)."""

    level: int = 0
    focus: int = 0  # level at which the current focus was set (0: the template's context)
    cond: int = 0  # level of the innermost enclosing branch of an ``if``
    vars: dict[str, int] = field(default_factory=dict)  # variable -> level where it is set
    #: one-item variables Saxon inlines (one read, not in a loop): read their expression's deps
    alias: dict[str, tuple[frozenset[str], bool, bool]] = field(default_factory=dict)

    def at(self, level: int, **kw: Any) -> _Env:
        e = _Env(level, self.focus, self.cond, self.vars, self.alias)
        for k, v in kw.items():
            setattr(e, k, v)
        return e


def _free(a: Any, env: _Env, bound: frozenset[str] = frozenset()) -> tuple[set[str], bool]:
    """Free variables and whether the expression reads the focus it is evaluated with."""
    names: set[str] = set()
    focus = False

    def go(x: Any, b: frozenset[str], own: bool) -> None:
        nonlocal focus
        if isinstance(x, list):
            for y in x:
                go(y, b, own)
            return
        if not isinstance(x, tuple) or not x or not isinstance(x[0], str):
            return
        op = x[0]
        if op == "var":
            if x[1] not in b:
                al = env.alias.get(x[1])
                if al is not None:
                    names.update(al[0])
                    focus = focus or (own and al[1])
                else:
                    names.add(x[1])
            return
        if op in ("ctx", "root"):
            focus = focus or own
            return
        if op == "step":
            focus = focus or own
            go(x[3], b, False)
            return
        if op == "path":
            go(x[1], b, own)
            go(x[2], b, False)
            return
        if op == "filter":
            go(x[1], b, own)
            go(x[2], b, False)
            return
        if op == "call":
            if not x[2] and x[1] in _FOCUS0:
                focus = focus or own
            go(x[2], b, own)
            return
        if op in ("for", "some", "every"):
            bb = set(b)
            for name, e in x[1]:
                go(e, frozenset(bb), own)
                bb.add(name)
            go(x[2], frozenset(bb), own)
            return
        for y in x[1:]:
            go(y, b, own)

    go(a, bound, True)
    return names, focus


def _costly(a: Ast, env: _Env) -> bool:
    """Saxon's ``getNetCost() > 0``: anything but a literal, a variable or ``.``."""
    if a[0] == "var":
        al = env.alias.get(a[1])
        return al is not None and al[2]
    return a[0] not in ("lit", "ctx")


def _barrier(a: Ast, env: _Env) -> int:
    """The loop level of the innermost thing the expression depends on."""
    names, focus = _free(a, env)
    b = env.cond
    if focus:
        b = max(b, env.focus)
    for n in names:
        b = max(b, env.vars.get(n, 0))
    return b


def _reads(a: Any, name: str, one: set[str]) -> tuple[int, bool]:
    """How many times ``$name`` is read in ``a``, and whether one read is inside a loop
    (``one``: the variables bound by enclosing clauses)."""
    count = 0
    looping = False

    def go(x: Any, loop: bool) -> None:
        nonlocal count, looping
        if isinstance(x, list):
            for y in x:
                go(y, loop)
            return
        if not isinstance(x, tuple) or not x or not isinstance(x[0], str):
            return
        op = x[0]
        if op == "var":
            if x[1] == name:
                count += 1
                looping = looping or loop
            return
        if op == "step":
            go(x[3], True)
            return
        if op in ("path", "filter"):
            go(x[1], loop)
            go(x[2], True)
            return
        if op in ("for", "some", "every"):
            inner = loop
            for n, e in x[1]:
                go(e, inner)
                if n == name:
                    return  # shadowed
                if op != "for" or not exactly_one(e, one):
                    inner = True
                one.add(n)
            go(x[2], inner)
            return
        for y in x[1:]:
            go(y, loop)

    go(a, False)
    return count, looping


def _with_for(a: Any, out: set[int]) -> bool:
    """Whether ``a`` holds a ``for``; the ids of the nodes that do are added to ``out``."""
    if isinstance(a, list):
        found = False
        for x in a:
            found = _with_for(x, out) or found
        return found
    if not isinstance(a, tuple) or not a or not isinstance(a[0], str):
        return False
    found = a[0] == "for"
    for x in a[1:]:
        found = _with_for(x, out) or found
    if found:
        out.add(id(a))
    return found


def eager_binds(ast: Ast) -> list[Ast]:
    """The expressions of the ``for`` clauses that Saxon evaluates when the clause is reached:
    those it does not type as exactly one item (loops), and the lifted ``let`` read in a loop.

    ``ast`` is a whole test, variable or function result (a template, function or global
    variable is the unit Saxon lifts within: its own context and variables are level 0)."""
    out: list[Ast] = []
    holders: set[int] = set()
    if not _with_for(ast, holders):
        return out

    def visit(a: Any, env: _Env) -> None:
        if isinstance(a, list):
            for x in a:
                visit(x, env)
            return
        if id(a) not in holders:
            return  # no clause inside: what is lifted there changes nothing we mark
        if env.level > 0 and _costly(a, env):
            b = _barrier(a, env)
            if b < env.level:
                # lifted out of the loop(s) above it, to level b (Saxon's LoopLifter.lift)
                env = env.at(b)
        op = a[0]
        if op == "step":
            inner = env.at(env.level + 1, focus=env.level + 1)
            visit(a[3], inner)
            return
        if op in ("path", "filter"):
            visit(a[1], env)
            inner = env.at(env.level + 1, focus=env.level + 1)
            visit(a[2], inner)
            return
        if op == "if":
            visit(a[1], env)
            branch = env.at(env.level, cond=env.level)
            visit(a[2], branch)
            visit(a[3], branch)
            return
        if op in ("for", "some", "every"):
            cur = env.at(env.level, vars=dict(env.vars), alias=dict(env.alias))
            binds = a[1]
            for i, (name, e) in enumerate(binds):
                rest: Ast = (op, binds[i + 1 :], a[2])
                if i and cur.level > 0:
                    # the nested for/let that starts here can itself be lifted
                    b = _barrier((op, binds[i:], a[2]), cur)
                    if b < cur.level:
                        cur = cur.at(b)
                if op == "for" and not exactly_one(e, cur.vars.keys() | ()):
                    # not a let for Saxon: a loop over its (at most one) item, so the
                    # expression is evaluated when the clause is reached
                    out.append(e)
                if op == "for" and exactly_one(e, cur.vars.keys() | ()):
                    # a let: evaluated when bound if its expression is lifted and the
                    # variable is read inside a loop (otherwise Saxon inlines it)
                    lifted = _costly(e, cur) and _barrier(e, cur) < cur.level
                    count, looping = _reads(rest, name, set(cur.vars) | {name})
                    if lifted and looping:
                        out.append(e)
                    visit(e, cur)
                    if count == 1 and not looping:
                        names, focus = _free(e, cur)
                        cur.alias[name] = (frozenset(names), focus, _costly(e, cur))
                    else:
                        cur.alias.pop(name, None)
                    cur.vars[name] = cur.level
                else:
                    visit(e, cur)
                    cur.alias.pop(name, None)
                    cur = cur.at(cur.level + 1)
                    cur.vars[name] = cur.level
            visit(a[2], cur)
            return
        for x in a[1:]:
            visit(x, env)

    visit(ast, _Env())
    return out
