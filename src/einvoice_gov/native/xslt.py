"""Read a compiled schematron (the ISO skeleton's XSLT 2.0 output) into a small model.

The skeleton turns each schematron pattern into an XSLT mode: a document is walked once per
mode, and each element or attribute fires at most one rule of the mode, the matching template
of highest priority. A rule template holds ``svrl:fired-rule``, ``xsl:variable`` (the rule's
``let``), ``xsl:choose`` (an ``assert``: the ``otherwise`` branch emits ``svrl:failed-assert``)
and ``xsl:if`` (a ``report``: emits ``svrl:successful-report``). Only this model is used by the
compiler; nothing of the artefact is stored beside the compiled code.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

XSL = "http://www.w3.org/1999/XSL/Transform"
SVRL = "http://purl.oclc.org/dsdl/svrl"
_X = f"{{{XSL}}}"
_S = f"{{{SVRL}}}"
_BT = re.compile(r"\b(?:BT|BG)-\d+(?:-\d+)?\b")


@dataclass(frozen=True)
class Check:
    """One ``assert`` (fails when the test is false) or ``report`` (fails when true)."""

    kind: str  # "assert" | "report"
    id: str
    flag: str  # "fatal" when the artefact gives none (as the official engine reads it)
    test: str
    ns: dict[str, str]
    bt: tuple[str, ...]
    has_id: bool = True
    text: str = ""  # the artefact's own message (read at run time, never stored in the repo)


@dataclass(frozen=True)
class Let:
    name: str
    select: str
    ns: dict[str, str]


@dataclass
class Rule:
    mode: str
    priority: float
    match: str
    context: str
    order: int
    ns: dict[str, str]
    body: list[Let | Check] = field(default_factory=list)

    @property
    def checks(self) -> list[Check]:
        return [b for b in self.body if isinstance(b, Check)]


@dataclass
class Pattern:
    mode: str
    name: str
    rules: list[Rule] = field(default_factory=list)


@dataclass
class Function:
    name: str  # Clark name
    params: list[tuple[str, str | None]]
    body: list[Let]
    result: str
    returns: str | None
    ns: dict[str, str]


@dataclass
class Schema:
    path: Path
    title: str
    namespaces: dict[str, str]
    globals: list[Let]
    functions: dict[str, Function]
    patterns: list[Pattern]

    def checks(self) -> list[tuple[Rule, Check]]:
        return [(r, c) for p in self.patterns for r in p.rules for c in r.checks]


def noid(test: str) -> str:
    """The synthetic id of an assert that has none (as ``validation.official`` names it)."""
    return "FX-NOID-" + hashlib.sha1(test.encode()).hexdigest()[:8]


def _ns(el: etree._Element) -> dict[str, str]:
    return {k: v for k, v in el.nsmap.items() if k}


def _avt(text: str) -> str:
    """The value of a literal result attribute (an attribute value template without braces)."""
    return text.replace("{{", "{").replace("}}", "}")


def _check(el: etree._Element, kind: str) -> Check:
    test = el.get("test") or ""
    attrs = {
        a.get("name"): "".join(str(t) for t in a.itertext()).strip()
        for a in el.findall(f"{_X}attribute")
    }
    for name in ("id", "flag"):
        if el.get(name) is not None:
            attrs[name] = el.get(name) or ""
    text_el = el.find(f"{_S}text")
    text = (
        " ".join("".join(str(t) for t in text_el.itertext()).split()) if text_el is not None else ""
    )
    raw_test = _avt(test)
    rid = attrs.get("id") or noid(raw_test or text)
    flag = (attrs.get("flag") or "fatal").lower()
    return Check(
        kind=kind,
        id=rid,
        flag=flag,
        test=test,
        ns=_ns(el),
        bt=tuple(dict.fromkeys(_BT.findall(text))),
        has_id=bool(attrs.get("id")),
        text=text,
    )


def load(path: Path) -> Schema:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    root = etree.parse(str(path), parser).getroot()
    namespaces = _ns(root)
    globals_: list[Let] = []
    functions: dict[str, Function] = {}
    order: list[str] = []
    names: dict[str, str] = {}
    title = ""
    rules_by_mode: dict[str, list[Rule]] = {}
    n = 0
    for top in root:
        if not isinstance(top.tag, str):
            continue
        tag = top.tag
        if tag in (f"{_X}variable", f"{_X}param") and top.get("select"):
            globals_.append(Let(top.get("name") or "", top.get("select") or "", _ns(top)))
        elif tag == f"{_X}function":
            fns = _ns(top)
            fname = top.get("name") or ""
            prefix, _, local = fname.rpartition(":")
            clark = f"{{{fns[prefix]}}}{local}" if prefix else local
            params: list[tuple[str, str | None]] = []
            body: list[Let] = []
            result = ""
            for ch in top:
                if not isinstance(ch.tag, str):
                    continue
                if ch.tag == f"{_X}param":
                    params.append((ch.get("name") or "", ch.get("as")))
                elif ch.tag == f"{_X}variable":
                    body.append(Let(ch.get("name") or "", ch.get("select") or "", _ns(ch)))
                elif ch.tag == f"{_X}sequence":
                    result = ch.get("select") or ""
            functions[clark] = Function(clark, params, body, result, top.get("as"), fns)
        elif tag == f"{_X}template":
            mode = top.get("mode") or ""
            match = top.get("match") or ""
            if match == "/" and not mode:
                out = top.find(f"{_S}schematron-output")
                if out is not None:
                    title = out.get("title") or ""
                for at in top.iter(f"{_X}apply-templates"):
                    m = at.get("mode")
                    if m and at.get("select") == "/":
                        order.append(m)
                for ap in top.iter(f"{_S}active-pattern"):
                    nm = {
                        a.get("name"): "".join(str(t) for t in a.itertext())
                        for a in ap.findall(f"{_X}attribute")
                    }
                    nxt = ap.getnext()
                    while nxt is not None and not isinstance(nxt.tag, str):
                        nxt = nxt.getnext()
                    if nxt is not None and nxt.get("mode"):
                        names[nxt.get("mode") or ""] = nm.get("id") or nm.get("name") or ""
                continue
            if not re.fullmatch(r"M\d+", mode):
                continue
            prio = float(top.get("priority") or "0")
            if prio < 0:  # the skeleton's default templates: walk on
                continue
            fired = top.find(f"{_S}fired-rule")
            rule = Rule(
                mode=mode,
                priority=prio,
                match=match,
                context=(fired.get("context") or match) if fired is not None else match,
                order=n,
                ns=_ns(top),
            )
            n += 1
            for ch in top:
                if not isinstance(ch.tag, str):
                    continue
                if ch.tag == f"{_X}variable":
                    rule.body.append(Let(ch.get("name") or "", ch.get("select") or "", _ns(ch)))
                elif ch.tag == f"{_X}choose":
                    fa = ch.find(f"{_X}otherwise/{_S}failed-assert")
                    if fa is not None:
                        rule.body.append(_check(fa, "assert"))
                elif ch.tag == f"{_X}if":
                    sr = ch.find(f"{_S}successful-report")
                    if sr is not None:
                        rule.body.append(_check(sr, "report"))
            rules_by_mode.setdefault(mode, []).append(rule)
    patterns = []
    for mode in order:
        rules = sorted(rules_by_mode.get(mode, []), key=lambda r: (-r.priority, -r.order))
        patterns.append(Pattern(mode, names.get(mode, mode), rules))
    return Schema(path, title, namespaces, globals_, functions, patterns)
