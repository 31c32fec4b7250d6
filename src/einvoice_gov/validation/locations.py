"""Locations: from an artefact's XPath to our element, and from an element to a short XPath."""

from __future__ import annotations

import re

from lxml import etree

from einvoice_gov.formats.namespaces import PREFIXES

_STEP = re.compile(
    r"^(?P<attr>@)?(?:(?P<prefix>\*|[\w.-]+):)?(?P<local>[\w.-]+|\*)"
    r"(?:\[namespace-uri\(\)='(?P<ns>[^']*)'\])?(?:\[(?P<pos>\d+)\])?$"
)


def _split(path: str) -> list[str]:
    steps: list[str] = []
    cur: list[str] = []
    depth = 0
    for ch in path:
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
        if ch == "/" and depth == 0:
            steps.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    steps.append("".join(cur))
    return [s for s in steps if s]


def resolve(tree: etree._ElementTree, path: str | None) -> etree._Element | None:
    """The element an artefact location points at (its parent element for an attribute).

    Understands the two location styles of the official artefacts:
    ``/*:Invoice[namespace-uri()='…'][1]/*:ID[namespace-uri()='…'][1]`` and
    ``/rsm:CrossIndustryInvoice[1]/rsm:ExchangedDocument[1]/ram:ID[1]``.
    """
    if not path or not path.startswith("/"):
        return None
    node: etree._Element | None = None
    for raw in _split(path):
        m = _STEP.match(raw)
        if m is None:
            return node
        if m.group("attr"):
            return node
        local, want_ns = m.group("local"), m.group("ns")
        pos = int(m.group("pos") or 1)
        if node is None:
            root = tree.getroot()
            if etree.QName(root).localname != local and local != "*":
                return None
            node = root
            continue
        n = 0
        found = None
        for child in node:
            if not isinstance(child.tag, str):
                continue
            q = etree.QName(child)
            if (local == "*" or q.localname == local) and (
                want_ns is None or q.namespace == want_ns
            ):
                n += 1
                if n == pos:
                    found = child
                    break
        if found is None:
            return node
        node = found
    return node


def short_path(el: etree._Element) -> str:
    """A readable XPath of the element with the usual prefixes (``/rsm:X/ram:Y[2]``)."""
    parts = []
    cur: etree._Element | None = el
    while cur is not None:
        q = etree.QName(cur)
        pfx = PREFIXES.get(q.namespace or "", "")
        name = f"{pfx}:{q.localname}" if pfx else q.localname
        parent = cur.getparent()
        if parent is not None:
            same = [c for c in parent if c.tag == cur.tag]
            if len(same) > 1:
                name += f"[{same.index(cur) + 1}]"
        parts.append(name)
        cur = parent
    return "/" + "/".join(reversed(parts))
