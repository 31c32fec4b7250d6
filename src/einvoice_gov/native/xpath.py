"""A parser for the XPath 2.0 subset the compiled schematrons use, producing a small AST.

The AST is plain tuples so that the code generator can pattern-match on it cheaply:

``("lit", value)`` string/number literal (value is str, int, Decimal or float)
``("var", name)`` ``$name``
``("ctx",)`` the context item ``.``
``("root",)`` ``/`` (the document node of the context)
``("step", axis, test, preds)`` an axis step; ``test`` is ``("name", clark)``,
``("any",)`` (``*``), ``("ns", uri)`` (``p:*``), ``("local", name)`` (``*:n``),
``("kind", "node"|"text"|"comment"|"processing-instruction"|"element"|"attribute")``
``("path", first, second)`` ``first/second`` (second evaluated for each node of first)
``("filter", primary, preds)`` a primary expression with predicates
``("call", name, args)`` function call; name is ``prefix:local`` resolved to ``{uri}local``
or a plain name for the fn namespace
``("seq", items)`` comma sequence (``()`` is ``("seq", [])``)
``("or"|"and", a, b)``, ``("gcmp", op, a, b)``, ``("vcmp", op, a, b)``,
``("ncmp", op, a, b)`` (``is``, ``<<``, ``>>``), ``("arith", op, a, b)``, ``("neg", a)``,
``("union"|"intersect"|"except", a, b)``, ``("range", a, b)``,
``("if", c, a, b)``, ``("for", [(var, expr)...], ret)``,
``("some"|"every", [(var, expr)...], cond)``, ``("cast", type, opt, a)``,
``("castable", type, opt, a)``, ``("instance", seqtype, a)``.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

Ast = tuple[Any, ...]

XS = "http://www.w3.org/2001/XMLSchema"
FN = "http://www.w3.org/2005/xpath-functions"


class XPathSyntaxError(ValueError):
    pass


_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\(:.*?:\))
  | (?P<str>"(?:[^"]|"")*"|'(?:[^']|'')*')
  | (?P<num>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)
  | (?P<var>\$[A-Za-z_][\w.\-]*(?::[A-Za-z_][\w.\-]*)?)
  | (?P<name>(?:[A-Za-z_][\w.\-]*|\*):(?:[A-Za-z_][\w.\-]*|\*)|[A-Za-z_][\w.\-]*)
  | (?P<op>::|//|\.\.|!=|<=|>=|<<|>>|[/\[\]()@,.|=<>+\-*$?:])
    """,
    re.VERBOSE | re.DOTALL,
)

_OPNAMES = {
    "and",
    "or",
    "div",
    "idiv",
    "mod",
    "eq",
    "ne",
    "lt",
    "le",
    "gt",
    "ge",
    "is",
    "union",
    "intersect",
    "except",
    "to",
    "instance",
    "treat",
    "castable",
    "cast",
    "return",
    "satisfies",
    "then",
    "else",
    "in",
    "of",
    "as",
}

_AXES = {
    "child",
    "descendant",
    "attribute",
    "self",
    "descendant-or-self",
    "following-sibling",
    "following",
    "namespace",
    "parent",
    "ancestor",
    "preceding-sibling",
    "preceding",
    "ancestor-or-self",
}

_KINDS = {
    "node",
    "text",
    "comment",
    "processing-instruction",
    "element",
    "attribute",
    "document-node",
    "item",
    "empty-sequence",
    "schema-element",
    "schema-attribute",
}


def _tokenize(src: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    pos = 0
    n = len(src)
    operand_end = False
    while pos < n:
        m = _TOKEN.match(src, pos)
        if m is None:
            raise XPathSyntaxError(f"cannot read XPath at {pos}: {src[pos : pos + 30]!r}")
        pos = m.end()
        kind = m.lastgroup
        assert kind is not None
        if kind in ("ws", "comment"):
            continue
        text = m.group(0)
        # Disambiguation (XPath 2.0 A.2.1): after a token that ends an operand, ``*`` is a
        # multiplication and an NCName such as ``div`` is an operator.
        if kind == "name" and text == "*:*":
            kind = "wild"
        if kind == "op" and text == "*":
            kind = "mul" if operand_end else "wild"
        elif kind == "name" and text in _OPNAMES and operand_end:
            kind = "kw"
        out.append((kind, text))
        operand_end = kind in ("str", "num", "var", "name", "wild") or (
            kind == "op" and text in (")", "]", ".", "..")
        )
    return out


class _Parser:
    def __init__(self, src: str, namespaces: dict[str, str]) -> None:
        self.src = src
        self.toks = _tokenize(src)
        self.i = 0
        self.ns = namespaces

    # -- helpers --------------------------------------------------------------------------
    def peek(self, k: int = 0) -> tuple[str, str]:
        j = self.i + k
        return self.toks[j] if j < len(self.toks) else ("eof", "")

    def next(self) -> tuple[str, str]:
        t = self.peek()
        self.i += 1
        return t

    def at(self, kind: str, text: str | None = None) -> bool:
        k, t = self.peek()
        return k == kind and (text is None or t == text)

    def at_op(self, text: str) -> bool:
        return self.at("op", text)

    def at_kw(self, text: str) -> bool:
        return self.at("kw", text)

    def expect_op(self, text: str) -> None:
        k, t = self.next()
        if k != "op" or t != text:
            raise XPathSyntaxError(f"expected {text!r}, got {t!r} in {self.src!r}")

    def expect_kw(self, text: str) -> None:
        k, t = self.next()
        if t != text or k not in ("kw", "name"):
            raise XPathSyntaxError(f"expected {text!r}, got {t!r} in {self.src!r}")

    def qname(self, name: str, *, default_ns: str | None = None) -> str:
        if ":" in name:
            prefix, local = name.split(":", 1)
            uri = self.ns.get(prefix)
            if uri is None:
                raise XPathSyntaxError(f"unknown prefix {prefix!r} in {self.src!r}")
            return f"{{{uri}}}{local}"
        if default_ns:
            return f"{{{default_ns}}}{name}"
        return name

    # -- grammar ----------------------------------------------------------------------------
    def parse(self) -> Ast:
        e = self.expr()
        if self.peek()[0] != "eof":
            raise XPathSyntaxError(f"trailing {self.peek()[1]!r} in {self.src!r}")
        return e

    def expr(self) -> Ast:
        items = [self.expr_single()]
        while self.at_op(","):
            self.next()
            items.append(self.expr_single())
        return items[0] if len(items) == 1 else ("seq", items)

    def expr_single(self) -> Ast:
        k, t = self.peek()
        k2, t2 = self.peek(1)
        if k == "name" and t in ("for", "some", "every") and k2 == "var":
            self.next()
            binds = []
            while True:
                _, v = self.next()
                self.expect_kw("in")
                binds.append((v[1:], self.expr_single()))
                if self.at_op(","):
                    self.next()
                    continue
                break
            if t == "for":
                self.expect_kw("return")
                return ("for", binds, self.expr_single())
            self.expect_kw("satisfies")
            return (t, binds, self.expr_single())
        if k == "name" and t == "if" and k2 == "op" and t2 == "(":
            self.next()
            self.next()
            c = self.expr()
            self.expect_op(")")
            self.expect_kw("then")
            a = self.expr_single()
            self.expect_kw("else")
            b = self.expr_single()
            return ("if", c, a, b)
        return self.or_expr()

    def or_expr(self) -> Ast:
        a = self.and_expr()
        while self.at_kw("or"):
            self.next()
            a = ("or", a, self.and_expr())
        return a

    def and_expr(self) -> Ast:
        a = self.cmp_expr()
        while self.at_kw("and"):
            self.next()
            a = ("and", a, self.cmp_expr())
        return a

    def cmp_expr(self) -> Ast:
        a = self.range_expr()
        k, t = self.peek()
        if k == "op" and t in ("=", "!=", "<", "<=", ">", ">="):
            self.next()
            return ("gcmp", t, a, self.range_expr())
        if k == "kw" and t in ("eq", "ne", "lt", "le", "gt", "ge"):
            self.next()
            return ("vcmp", t, a, self.range_expr())
        if (k == "kw" and t == "is") or (k == "op" and t in ("<<", ">>")):
            self.next()
            return ("ncmp", t, a, self.range_expr())
        return a

    def range_expr(self) -> Ast:
        a = self.add_expr()
        if self.at_kw("to"):
            self.next()
            return ("range", a, self.add_expr())
        return a

    def add_expr(self) -> Ast:
        a = self.mul_expr()
        while self.at("op", "+") or self.at("op", "-"):
            _, t = self.next()
            a = ("arith", t, a, self.mul_expr())
        return a

    def mul_expr(self) -> Ast:
        a = self.union_expr()
        while True:
            k, t = self.peek()
            if k == "mul":
                self.next()
                a = ("arith", "*", a, self.union_expr())
            elif k == "kw" and t in ("div", "idiv", "mod"):
                self.next()
                a = ("arith", t, a, self.union_expr())
            else:
                return a

    def union_expr(self) -> Ast:
        a = self.intersect_expr()
        while self.at_op("|") or self.at_kw("union"):
            self.next()
            a = ("union", a, self.intersect_expr())
        return a

    def intersect_expr(self) -> Ast:
        a = self.instance_expr()
        while self.at_kw("intersect") or self.at_kw("except"):
            _, t = self.next()
            a = (t, a, self.instance_expr())
        return a

    def instance_expr(self) -> Ast:
        a = self.treat_expr()
        if self.at_kw("instance"):
            self.next()
            self.expect_kw("of")
            return ("instance", self.seq_type(), a)
        return a

    def treat_expr(self) -> Ast:
        a = self.castable_expr()
        if self.at_kw("treat"):
            self.next()
            self.expect_kw("as")
            self.seq_type()
            return a
        return a

    def castable_expr(self) -> Ast:
        a = self.cast_expr()
        if self.at_kw("castable"):
            self.next()
            self.expect_kw("as")
            typ, opt = self.single_type()
            return ("castable", typ, opt, a)
        return a

    def cast_expr(self) -> Ast:
        a = self.unary_expr()
        if self.at_kw("cast"):
            self.next()
            self.expect_kw("as")
            typ, opt = self.single_type()
            return ("cast", typ, opt, a)
        return a

    def single_type(self) -> tuple[str, bool]:
        _, name = self.next()
        typ = self.qname(name)
        opt = False
        if self.at_op("?"):
            self.next()
            opt = True
        return typ, opt

    def seq_type(self) -> tuple[str, str]:
        _k, name = self.next()
        if self.at_op("("):
            self.next()
            depth = 1
            while depth:
                k2, t2 = self.next()
                if k2 == "eof":
                    raise XPathSyntaxError("unclosed sequence type")
                if t2 == "(":
                    depth += 1
                elif t2 == ")":
                    depth -= 1
            typ = name
        else:
            typ = self.qname(name)
        occ = ""
        if self.at("op", "?") or self.at("op", "+") or self.at("mul", "*"):
            occ = self.next()[1]
        return (typ, occ)

    def unary_expr(self) -> Ast:
        neg = False
        while self.at("op", "-") or self.at("op", "+"):
            _, t = self.next()
            if t == "-":
                neg = not neg
        a = self.path_expr()
        return ("neg", a) if neg else a

    def path_expr(self) -> Ast:
        if self.at_op("/"):
            self.next()
            if self._starts_step():
                return self.relative_path(("root",))
            return ("root",)
        if self.at_op("//"):
            self.next()
            first: Ast = ("path", ("root",), ("step", "descendant-or-self", ("kind", "node"), []))
            return self.relative_path(first)
        return self.relative_path(None)

    def _starts_step(self) -> bool:
        k, t = self.peek()
        if k in ("name", "wild", "str", "num", "var"):
            return True
        return k == "op" and t in ("@", ".", "..", "(")

    def relative_path(self, first: Ast | None) -> Ast:
        cur = self.step_expr() if first is None else ("path", first, self.step_expr())
        while self.at_op("/") or self.at_op("//"):
            _, t = self.next()
            if t == "//":
                cur = ("path", cur, ("step", "descendant-or-self", ("kind", "node"), []))
            cur = ("path", cur, self.step_expr())
        return cur

    def step_expr(self) -> Ast:
        k, t = self.peek()
        # axis steps
        if k == "op" and t == "@":
            self.next()
            return self.preds(("step", "attribute", self.node_test("attribute"), []))
        if k == "op" and t == "..":
            self.next()
            return self.preds(("step", "parent", ("kind", "node"), []))
        if k == "name" and t in _AXES and self.peek(1) == ("op", "::"):
            self.next()
            self.next()
            return self.preds(("step", t, self.node_test(t), []))
        if k == "wild":
            return self.preds(("step", "child", self.node_test("child"), []))
        if k == "name" and self.peek(1) != ("op", "("):
            return self.preds(("step", "child", self.node_test("child"), []))
        if k == "name" and t in _KINDS and self.peek(1) == ("op", "("):
            return self.preds(("step", "child", self.node_test("child"), []))
        # filter expression
        return self.preds_filter(self.primary())

    def node_test(self, axis: str) -> Ast:
        k, t = self.next()
        if k == "wild":
            return ("any",)
        if k != "name":
            raise XPathSyntaxError(f"bad node test {t!r} in {self.src!r}")
        if t in _KINDS and self.at_op("("):
            self.next()
            arg = None
            if not self.at_op(")"):
                _, arg = self.next()
            self.expect_op(")")
            if t == "element" and arg not in (None, "*"):
                return ("name", self.qname(arg))
            if t == "attribute" and arg not in (None, "*"):
                return ("name", self.qname(arg))
            return ("kind", t)
        if t.endswith(":*"):
            return ("ns", self.ns[t[:-2]])
        if t.startswith("*:"):
            return ("local", t[2:])
        return ("name", self.qname(t))

    def preds(self, step: Ast) -> Ast:
        preds = list(step[3])
        while self.at_op("["):
            self.next()
            preds.append(self.expr())
            self.expect_op("]")
        return ("step", step[1], step[2], preds)

    def preds_filter(self, prim: Ast) -> Ast:
        preds = []
        while self.at_op("["):
            self.next()
            preds.append(self.expr())
            self.expect_op("]")
        return ("filter", prim, preds) if preds else prim

    def primary(self) -> Ast:
        k, t = self.next()
        if k == "str":
            q = t[0]
            return ("lit", t[1:-1].replace(q + q, q))
        if k == "num":
            if "e" in t or "E" in t:
                return ("lit", float(t))
            if "." in t:
                return ("lit", Decimal(t))
            return ("lit", int(t))
        if k == "var":
            return ("var", t[1:])
        if k == "op" and t == "(":
            if self.at_op(")"):
                self.next()
                return ("seq", [])
            e = self.expr()
            self.expect_op(")")
            return e
        if k == "op" and t == ".":
            return ("ctx",)
        if k == "name" and self.at_op("("):
            self.next()
            args = []
            if not self.at_op(")"):
                args.append(self.expr_single())
                while self.at_op(","):
                    self.next()
                    args.append(self.expr_single())
            self.expect_op(")")
            name = t
            if ":" in name:
                prefix, local = name.split(":", 1)
                uri = self.ns.get(prefix)
                if uri is None:
                    raise XPathSyntaxError(f"unknown prefix {prefix!r} in {self.src!r}")
                name = local if uri == FN else f"{{{uri}}}{local}"
            return ("call", name, args)
        raise XPathSyntaxError(f"unexpected {t!r} in {self.src!r}")


def parse(src: str, namespaces: dict[str, str]) -> Ast:
    """Parse one XPath 2.0 expression (raises :class:`XPathSyntaxError`)."""
    return _Parser(src, namespaces).parse()
