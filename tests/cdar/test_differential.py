"""Differential test against the official CDAR artefacts, when they are at hand.

The FNFE-MPE France_RFE package (v1.4.0.02) holds the CDAR D22B XML Schema and the compiled
BR-FR-CDV schematron. We never commit them; to run this test, point
``EINVOICE_FNFE_CDAR_DIR`` at the package's ``FNFE_RFE_INVOICE/CDAR`` folder. The test then
makes random mutants of the status messages (elements deleted, duplicated, moved, added;
values, codes, attributes and dates changed), and checks that the native stages give exactly
what the official artefacts give: the same BR-FR-CDV results (id, flag, location) and the
same XSD verdict. ``EINVOICE_CDAR_FUZZ`` sets how many mutants (default 300), and
``EINVOICE_CDAR_SEED`` the seed.
"""

from __future__ import annotations

import collections
import copy
import os
import random
import re
from pathlib import Path

import pytest
from lxml import etree

from einvoice_gov.cdar import codes
from einvoice_gov.cdar.rules import check_cdv
from einvoice_gov.cdar.structure import TYPES, ComplexType, check_structure
from tests.cdar.conftest import cdar_samples, mutants_dir

RSM = "urn:un:unece:uncefact:data:standard:CrossDomainAcknowledgementAndResponse:100"
RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
UDT = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"
QDT = "urn:un:unece:uncefact:data:standard:QualifiedDataType:100"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SVRL = "{http://purl.oclc.org/dsdl/svrl}"
PFX = {RSM: "rsm:", RAM: "ram:", UDT: "udt:", QDT: "qdt:"}


def _artefacts() -> tuple[Path, Path]:
    d = os.environ.get("EINVOICE_FNFE_CDAR_DIR")
    if not d:
        pytest.skip(
            "EINVOICE_FNFE_CDAR_DIR is not set (the official CDAR artefacts are not shipped)"
        )
    base = Path(d)
    xsd = next(base.glob("1xsd*/CrossDomainAcknowledgementAndResponse_100pD22B.xsd"), None)
    xslt = base / "2xslt" / "BR-FR-CDV-Schematron-CDAR.xslt"
    if xsd is None or not xslt.is_file():
        pytest.skip(f"no CDAR XSD and BR-FR-CDV XSLT under {base}")
    return xsd, xslt


def _official_location(path: str) -> str:
    return re.sub(
        r"\*:([\w.-]+)\[namespace-uri\(\)='([^']*)'\]",
        lambda m: (
            PFX.get(m.group(2), f"*:{m.group(1)}[namespace-uri()='{m.group(2)}']")
            + (m.group(1) if m.group(2) in PFX else "")
        ),
        path,
    )


POOL = [
    *sorted(codes.STATUS_CODES),
    *sorted(codes.REASON_CODES),
    *codes.ROLE_LABELS,
    *codes.PHASE_LABELS,
    *["23", "305", "380", "381", "999", "MEN", "DIV", "XX", "NIN", "ZZZ", "REGULATED", "B2C"],
    *[codes.GUIDELINE_INVOICE, codes.GUIDELINE_PPF, "0000", "9999", "0238", "", "  "],
    *[" 212", "212 ", "12.5", "1e3", "12,5", "20250701", "2025-07-01T10:00:00", "true", "QUJD"],
]


class Mutator:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.names = sorted(
            {p.tag for t in TYPES.values() if isinstance(t, ComplexType) for p in t.particles}
        )

    def pick(self, root: etree._Element) -> etree._Element:
        return self.rng.choice([e for e in root.iter() if isinstance(e.tag, str)])

    def mutate(self, root: etree._Element) -> None:
        rng = self.rng
        el = self.pick(root)
        parent = el.getparent()
        k = rng.randrange(12)
        if k == 0 and parent is not None:
            parent.remove(el)
        elif k == 1 and parent is not None:
            parent.insert(parent.index(el) + 1, copy.deepcopy(el))
        elif k in (2, 3) and len(el) == 0:
            el.text = rng.choice(POOL)
        elif k == 4:
            name = rng.choice(
                ["schemeID", "currencyID", "listID", "foo", f"{{{XSI}}}nil", "listURI"]
            )
            el.set(name, rng.choice(["0238", "0002", "EUR", "a b", "%%", "http://x/y", ""]))
        elif k == 5:
            target = self.pick(root)
            new = etree.Element(rng.choice(self.names))
            new.text = rng.choice(POOL) if rng.random() < 0.7 else None
            target.insert(rng.randint(0, len(target)), new)
        elif k == 6 and parent is not None:
            target = self.pick(root)
            if target is not el and el not in list(target.iterancestors()):
                parent.remove(el)
                target.insert(rng.randint(0, len(target)), el)
        elif k == 7:
            other = self.pick(root)
            if len(el) == 0 and len(other) == 0:
                el.text, other.text = other.text, el.text
        elif k == 8:
            if len(el):
                el[rng.randrange(len(el))].tail = rng.choice(["x", " ", "\n"])
        elif k == 9:
            for pcc in root.iter(f"{{{RAM}}}ProcessConditionCode"):
                pcc.text = rng.choice(["200", "206", "207", "208", "210", "213", "221", "501"])
                break
        elif k == 10:
            exd = root.find(f"{{{RSM}}}ExchangedDocument")
            sender = exd.find(f"{{{RAM}}}SenderTradeParty") if exd is not None else None
            if sender is not None:
                gid = etree.Element(f"{{{RAM}}}GlobalID", schemeID=rng.choice(["0238", "0002"]))
                gid.text = rng.choice(["9999", "9998"])
                sender.insert(0, gid)
        else:
            dates = list(root.iter(f"{{{UDT}}}DateTimeString"))
            if dates:
                d = rng.choice(dates)
                new = etree.Element(f"{{{UDT}}}DateTime")
                new.text = rng.choice(["2025-07-01T10:00:00", "2025-02-30T10:00:00", "20250701"])
                p = d.getparent()
                assert p is not None
                p.replace(d, new)


def test_native_cdar_stages_match_the_official_artefacts() -> None:
    xsd_path, xslt_path = _artefacts()
    saxonche = pytest.importorskip("saxonche")
    schema = etree.XMLSchema(etree.parse(str(xsd_path)))
    proc = saxonche.PySaxonProcessor(license=False)
    exe = proc.new_xslt30_processor().compile_stylesheet(stylesheet_file=str(xslt_path))
    bases = cdar_samples() + sorted((mutants_dir() / "cases").glob("dev-cdar-*.xml"))
    if not bases:
        pytest.skip("no CDAR message to start from (../shared/cdar, mutants-dev)")
    rng = random.Random(int(os.environ.get("EINVOICE_CDAR_SEED", "4")))
    mutator = Mutator(rng)
    differences = []
    for _ in range(int(os.environ.get("EINVOICE_CDAR_FUZZ", "300"))):
        root = etree.parse(str(rng.choice(bases))).getroot()
        for _ in range(rng.choice([1, 1, 2, 3])):
            mutator.mutate(root)
        data = etree.tostring(root, encoding="UTF-8")
        tree = etree.fromstring(data).getroottree()
        if schema.validate(tree) != (not check_structure(tree)):
            differences.append(("xsd", data))
        out = exe.transform_to_string(xdm_node=proc.parse_xml(xml_text=data.decode("utf-8")))
        if out is None:
            continue  # the artefact stopped on this mutant: no verdict to compare
        want = collections.Counter(
            (e.get("id"), "error" if e.get("flag") == "fatal" else e.get("flag"),
             _official_location(e.get("location") or ""))
            for e in etree.fromstring(out.encode("utf-8")).iter(SVRL + "failed-assert")
        )  # fmt: skip
        got = collections.Counter((r.rule, r.severity.value, r.location) for r in check_cdv(tree))
        if got != want:
            differences.append(("br-fr-cdv", data))
    assert not differences, differences[:3]
