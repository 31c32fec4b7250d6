"""The ``pdf`` stage, one built PDF per check: each rule fires on its broken file and stays
silent on the clean one. Every test runs with both PDF backends."""

from __future__ import annotations

import codecs
import re
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

from einvoice_gov.formats import pdf as pdfmod
from einvoice_gov.formats.document import load
from einvoice_gov.validation import pdfchecks, registry
from einvoice_gov.validation.engine import validate
from einvoice_gov.validation.findings import Severity, Stage
from tests.pdf.conftest import GUIDELINES, cii, make_pdf, xmp_packet

ZF1_NS = "urn:ferd:pdfa:CrossIndustryDocument:invoice:1p0#"


def pdf_rules(data: bytes, lang: str = "en") -> dict[str, list[str]]:
    """Rule code -> messages of the pdf stage for a PDF given as bytes."""
    doc = load(data, name="test.pdf")
    out: dict[str, list[str]] = {}
    for f in pdfchecks.check(doc, lang):
        assert f.stage is Stage.PDF
        out.setdefault(f.rule, []).append(f.message)
    return out


def xmp(**fields: str) -> bytes:
    return xmp_packet(dict(fields))


# Each rule code -> a builder of a PDF that must trigger it.
CASES: dict[str, Callable[[], bytes]] = {
    "PDF-ENCRYPTED": lambda: make_pdf(cii(), user_password=""),
    "PDF-JAVASCRIPT": lambda: make_pdf(cii(), javascript=True),
    "PDF-LAUNCH-ACTION": lambda: make_pdf(cii(), launch=True),
    "PDF-NO-INVOICE-XML": lambda: make_pdf(None),
    "PDF-SEVERAL-INVOICE-XML": lambda: make_pdf(
        cii(), extra=[("xrechnung.xml", cii(), "text/xml")]
    ),
    "PDF-XML-MALFORMED": lambda: make_pdf(b"<rsm:CrossIndustryInvoice><unclosed>"),
    "PDF-INVOICE-XML-TOO-LARGE": lambda: make_pdf(cii(), declared_size=60 * 1024 * 1024),
    "PDF-INVOICE-NOT-IN-NAMES": lambda: make_pdf(cii(), in_names=False),
    "PDF-INVOICE-NAME": lambda: make_pdf(
        cii(), name="invoice.xml", xmp=xmp(DocumentFileName="invoice.xml")
    ),
    "PDF-AF-MISSING": lambda: make_pdf(cii(), in_catalog_af=False),
    "PDF-AFRELATIONSHIP-MISSING": lambda: make_pdf(cii(), af_relationship=None),
    "PDF-AFRELATIONSHIP-INVALID": lambda: make_pdf(cii(), af_relationship="Unspecified"),
    "PDF-AFRELATIONSHIP-PROFILE": lambda: make_pdf(
        cii(guideline=GUIDELINES["MINIMUM"]), xmp=xmp(ConformanceLevel="MINIMUM")
    ),
    "PDF-ATTACHMENT-NO-MIME": lambda: make_pdf(cii(), mime=None),
    "PDF-ATTACHMENT-MIME": lambda: make_pdf(cii(), mime="application/octet-stream"),
    "PDF-XML-BOM": lambda: make_pdf(codecs.BOM_UTF8 + cii()),
    "PDF-XML-ENCODING": lambda: make_pdf(
        cii().replace(b"encoding='UTF-8'", b"encoding='UTF-8-W/O-BOM'")
    ),
    "PDF-XMP-MISSING": lambda: make_pdf(cii(), xmp=False),
    "PDF-XMP-MALFORMED": lambda: make_pdf(cii(), xmp=xmp_packet(broken=True)),
    "PDF-XMP-NO-FACTURX": lambda: make_pdf(
        cii(),
        xmp=xmp(DocumentType="-", DocumentFileName="-", Version="-", ConformanceLevel="-"),
    ),
    "PDF-XMP-NAMESPACE": lambda: make_pdf(
        cii(), xmp=xmp_packet(namespace="urn:example:my-invoice#")
    ),
    "PDF-XMP-NAMESPACE-MISMATCH": lambda: make_pdf(cii(), xmp=xmp_packet(namespace=ZF1_NS)),
    "PDF-XMP-EXTENSION-SCHEMA": lambda: make_pdf(cii(), xmp=xmp_packet(extension_schema=False)),
    "PDF-XMP-DOCTYPE-MISSING": lambda: make_pdf(cii(), xmp=xmp(DocumentType="-")),
    "PDF-XMP-DOCTYPE-INVALID": lambda: make_pdf(cii(), xmp=xmp(DocumentType="FACTURE")),
    "PDF-XMP-DOCTYPE-MISMATCH": lambda: make_pdf(cii(), xmp=xmp(DocumentType="ORDER")),
    "PDF-XMP-FILENAME-MISSING": lambda: make_pdf(cii(), xmp=xmp(DocumentFileName="-")),
    "PDF-XMP-FILENAME-INVALID": lambda: make_pdf(cii(), xmp=xmp(DocumentFileName="facture.xml")),
    "PDF-XMP-FILENAME-MISMATCH": lambda: make_pdf(cii(), xmp=xmp(DocumentFileName="xrechnung.xml")),
    "PDF-XMP-VERSION-MISSING": lambda: make_pdf(cii(), xmp=xmp(Version="-")),
    "PDF-XMP-VERSION-INVALID": lambda: make_pdf(cii(), xmp=xmp(Version="0.9")),
    "PDF-XMP-LEVEL-MISSING": lambda: make_pdf(cii(), xmp=xmp(ConformanceLevel="-")),
    "PDF-XMP-LEVEL-INVALID": lambda: make_pdf(cii(), xmp=xmp(ConformanceLevel="no thing")),
    "PDF-XMP-LEVEL-MISMATCH": lambda: make_pdf(cii(), xmp=xmp(ConformanceLevel="BASIC")),
    "PDF-XMP-LEVEL-IMPRECISE": lambda: make_pdf(
        cii(guideline="urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0")
    ),
    "PDF-PDFA-MISSING": lambda: make_pdf(cii(), xmp=xmp_packet(part=None, conformance=None)),
    "PDF-PDFA-PART": lambda: make_pdf(cii(), xmp=xmp_packet(part="2", conformance="B")),
    "PDF-PDFA-PART4": lambda: make_pdf(cii(), xmp=xmp_packet(part="4", conformance="F")),
    "PDF-PDFA-CONFORMANCE": lambda: make_pdf(cii(), xmp=xmp_packet(conformance="u")),
    "PDF-PDFA-DECLARED": lambda: make_pdf(cii()),
}
#: Rules tested elsewhere in this folder (they need the engine or a patched limit).
ELSEWHERE = {"PDF-UNREADABLE", "PDF-SCAN-INCOMPLETE"}


def declared_codes(module: str) -> set[str]:
    src = Path(__file__).resolve().parents[2] / "src/einvoice_gov/validation/rules" / module
    return set(re.findall(r'rule\(\s*"([A-Z0-9-]+)"', src.read_text(encoding="utf-8")))


def test_every_pdf_rule_has_a_failing_case() -> None:
    assert declared_codes("pdf.py") == set(CASES) | ELSEWHERE


@pytest.mark.parametrize("code", sorted(CASES))
def test_rule_fires_on_its_broken_pdf(code: str, backend: str) -> None:
    found = pdf_rules(CASES[code]())
    assert code in found, f"{code} not reported; got {sorted(found)}"
    rule = registry.get(code)
    assert rule is not None and rule.en and rule.fr and rule.fix_en and rule.fix_fr


def test_clean_factur_x_pdf_has_only_the_not_verified_notice(backend: str) -> None:
    found = pdf_rules(make_pdf(cii()))
    assert set(found) == {"PDF-PDFA-DECLARED"}
    assert "NOT verified" in found["PDF-PDFA-DECLARED"][0]
    fr = pdf_rules(make_pdf(cii()), "fr")
    assert "PAS vérifiée" in fr["PDF-PDFA-DECLARED"][0]


@pytest.mark.parametrize(
    ("kwargs", "absent"),
    [
        ({"mime": "application/xml"}, "PDF-ATTACHMENT-MIME"),
        ({"af_relationship": "Data"}, "PDF-AFRELATIONSHIP-INVALID"),
        ({"af_relationship": "Source"}, "PDF-AFRELATIONSHIP-INVALID"),
        ({"xmp": xmp_packet({"ConformanceLevel": "COMFORT"})}, "PDF-XMP-LEVEL-MISMATCH"),
        ({"xmp": xmp_packet(conformance="U")}, "PDF-PDFA-CONFORMANCE"),
        ({"xmp": xmp_packet(conformance="A")}, "PDF-PDFA-CONFORMANCE"),
    ],
)
def test_allowed_variants_pass(kwargs: dict[str, object], absent: str, backend: str) -> None:
    found = pdf_rules(make_pdf(cii(), **kwargs))  # type: ignore[arg-type]
    assert absent not in found
    assert not [c for c in found if registry.get(c).severity is Severity.ERROR]  # type: ignore[union-attr]


def test_basic_wl_with_data_relationship_passes(backend: str) -> None:
    data = make_pdf(
        cii(guideline=GUIDELINES["BASIC WL"]),
        af_relationship="Data",
        xmp=xmp(ConformanceLevel="BASIC WL"),
    )
    assert "PDF-AFRELATIONSHIP-PROFILE" not in pdf_rules(data)
    assert "PDF-AFRELATIONSHIP-PROFILE" in pdf_rules(
        make_pdf(cii(guideline=GUIDELINES["BASIC WL"]), xmp=xmp(ConformanceLevel="BASIC WL"))
    )


def test_several_invoices_reads_the_one_the_xmp_names(backend: str) -> None:
    zugferd = cii(guideline=GUIDELINES["EXTENDED"])
    data = make_pdf(
        cii(), name="factur-x.xml", extra=[("ZUGFeRD-invoice.xml", zugferd, "text/xml")]
    )
    doc = load(data)
    assert doc.pdf is not None and doc.pdf.invoice is not None
    assert doc.pdf.invoice.name == "factur-x.xml"
    assert doc.pdf.invoice_selection == "xmp-name"
    assert doc.profile == "EN16931"
    msg = pdf_rules(data)["PDF-SEVERAL-INVOICE-XML"][0]
    assert "ZUGFeRD-invoice.xml" in msg and "read factur-x.xml" in msg


def test_xml_of_a_pdf_without_xmp_is_still_validated(backend: str) -> None:
    # Mustang stops at "XMP not found" and never looks at the XML; we read it.
    rep = validate(make_pdf(cii(guideline=GUIDELINES["MINIMUM"]), xmp=False), chain="en16931")
    rules = {f.rule for f in rep.findings}
    assert "PDF-XMP-MISSING" in rules
    assert rep.syntax == "cii" and rep.profile == "MINIMUM"
    assert "READY-PROFILE-MINIMUM" in rules  # the XML was read and judged


def test_encrypted_pdf_with_empty_password_is_read_and_reported(backend: str) -> None:
    rep = validate(make_pdf(cii(), user_password=""), chain="en16931")
    enc = [f for f in rep.findings if f.rule == "PDF-ENCRYPTED"]
    assert len(enc) == 1 and enc[0].stage is Stage.PDF and enc[0].severity is Severity.ERROR
    assert rep.syntax == "cii" and rep.profile == "EN16931"  # the invoice was still read
    assert not rep.valid


def test_password_protected_pdf_is_refused_at_input(backend: str) -> None:
    rep = validate(make_pdf(cii(), user_password="s3cret"), chain="en16931")
    assert [(f.rule, f.stage) for f in rep.findings] == [("PDF-ENCRYPTED", Stage.INPUT)]
    assert not rep.valid


def test_damaged_pdf_is_an_input_error(backend: str) -> None:
    rep = validate(b"%PDF-1.7\n1 0 obj << /Type /Catalog", chain="en16931")
    assert [f.rule for f in rep.findings] == ["PDF-UNREADABLE"]
    assert rep.findings[0].stage is Stage.INPUT


def test_document_level_javascript_is_found(backend: str) -> None:
    msg = pdf_rules(make_pdf(cii(), document_js=True))["PDF-JAVASCRIPT"][0]
    assert "/Names /JavaScript" in msg
    msg = pdf_rules(make_pdf(cii(), javascript=True), "fr")["PDF-JAVASCRIPT"][0]
    assert "à l'ouverture" in msg


def test_scripts_hidden_in_object_streams_are_found(backend: str) -> None:
    # compressed object streams hide "/JavaScript" from a byte search
    data = make_pdf(cii(), launch=True, compress=True)
    assert b"/Launch" not in data
    assert "PDF-LAUNCH-ACTION" in pdf_rules(data)


def test_action_scan_limit_is_reported(backend: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdfmod, "MAX_SCAN_OBJECTS", 3)
    assert "PDF-SCAN-INCOMPLETE" in pdf_rules(make_pdf(cii()))


def test_decompression_bomb_is_refused_not_decoded(backend: str) -> None:
    bomb = zlib.compress(b"<a>" + b" " * (60 * 1024 * 1024) + b"</a>", 9)
    assert len(bomb) < 200_000
    data = make_pdf(cii(), raw_stream=bomb, declared_size=1000)
    doc = load(data)
    assert doc.pdf is not None and doc.pdf.invoice is not None
    assert doc.pdf.invoice.data is None and doc.pdf.invoice.too_large
    assert "PDF-INVOICE-XML-TOO-LARGE" in pdf_rules(data)


def test_encoding_declaration_error_still_reads_the_content(backend: str) -> None:
    data = CASES["PDF-XML-ENCODING"]()
    doc = load(data)
    assert doc.syntax == "cii" and doc.profile == "EN16931" and doc.xml_error is None
    msg = pdf_rules(data)["PDF-XML-ENCODING"][0]
    assert "UTF-8-W/O-BOM" in msg


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (b'<?xml version="1.0" encoding="UTF-8"?><a/>', None),
        (codecs.BOM_UTF8 + b'<?xml version="1.0" encoding="UTF-8"?><a/>', None),
        (b"<a>caf\xc3\xa9</a>", None),
        (b'<?xml version="1.0" encoding="ISO-8859-1"?><a>caf\xe9</a>', None),
        (b'<?xml version="1.0" encoding="UTF-8"?><a>caf\xe9</a>', "not valid"),
        (b'<?xml version="1.0" encoding="nope"?><a/>', "unknown encoding"),
        (
            codecs.BOM_UTF16_LE + '<?xml version="1.0" encoding="UTF-8"?><a/>'.encode("utf-16-le"),
            "byte-order mark",
        ),
        (
            codecs.BOM_UTF16_LE + '<?xml version="1.0" encoding="UTF-16"?><a/>'.encode("utf-16-le"),
            None,
        ),
    ],
)
def test_xml_encoding_facts(body: bytes, problem: str | None) -> None:
    enc = pdfmod.xml_encoding(body)
    if problem is None:
        assert enc.problem is None
    else:
        assert enc.problem is not None and problem in enc.problem


def test_pdf_stage_status_in_the_report(backend: str) -> None:
    ok = validate(make_pdf(cii()), chain="en16931")
    assert ok.stages["pdf"] == "passed"
    bad = validate(CASES["PDF-AFRELATIONSHIP-INVALID"](), chain="en16931")
    assert bad.stages["pdf"] == "failed" and not bad.valid


def test_messages_exist_in_both_languages(backend: str) -> None:
    data = CASES["PDF-XMP-LEVEL-MISMATCH"]()
    en = pdf_rules(data, "en")["PDF-XMP-LEVEL-MISMATCH"][0]
    fr = pdf_rules(data, "fr")["PDF-XMP-LEVEL-MISMATCH"][0]
    assert "the XMP metadata says BASIC" in en and "EN16931" in en
    assert "les métadonnées XMP indiquent BASIC" in fr
