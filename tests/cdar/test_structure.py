"""The native structural check of CDAR D22B (the ``xsd`` stage of status messages).

Each case changes one thing in a real FNFE status message and states what the CDAR D22B
schema says about it (the verdicts of libxml2 with the FNFE schema, checked when this check
was written; the parity tests measure the same on the conformance corpus).
"""

from __future__ import annotations

import pytest
from lxml import etree

from einvoice_gov.cdar.structure import (
    ATTRIBUTE_NOT_ALLOWED,
    CHILD_NOT_ALLOWED,
    ELEMENT_CONTENT,
    TEXT_NOT_ALLOWED,
    VALUE_NOT_VALID,
    check_structure,
)
from tests.cdar.conftest import cdar_samples

NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossDomainAcknowledgementAndResponse:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
}
SAMPLE = "UC1_F202500003_07-CDV-212_Encaissee.xml"
AMOUNT = b'<ram:ValueAmount currencyID="EUR">12000</ram:ValueAmount>'
PERCENT = b"<ram:ValuePercent>20.00</ram:ValuePercent>"
INDICATOR = b"<udt:IndicatorString>false</udt:IndicatorString>"
DATE = b'<udt:DateTimeString format="204">20250802100500</udt:DateTimeString>'
ROLE = b"<ram:RoleCode>SE</ram:RoleCode>"
RECEIPT_END = b"</ram:ReceiptDateTime>"
MEN = b"<ram:TypeCode>MEN</ram:TypeCode>"


@pytest.fixture(scope="module")
def base() -> bytes:
    path = next((p for p in cdar_samples() if p.name == SAMPLE), None)
    if path is None:
        pytest.skip(f"{SAMPLE} not found in ../shared/cdar")
    return path.read_bytes()


def verdict(data: bytes) -> list[str]:
    return [r.rule for r in check_structure(etree.fromstring(data).getroottree())]


def test_the_sample_is_valid(base: bytes) -> None:
    assert verdict(base) == []


CASES: list[tuple[str, bytes, bytes, str | None]] = [
    # element order and cardinality
    ("unknown element", ROLE, ROLE + b"<ram:Foo/>", ELEMENT_CONTENT),
    ("element out of order", ROLE, ROLE + b"<ram:GlobalID>1</ram:GlobalID>", ELEMENT_CONTENT),
    ("second RoleCode", ROLE, ROLE + ROLE, ELEMENT_CONTENT),
    (
        "second GlobalID is allowed",
        b'<ram:GlobalID schemeID="0002">100000009</ram:GlobalID>',
        b'<ram:GlobalID schemeID="0002">100000009</ram:GlobalID><ram:GlobalID>1</ram:GlobalID>',
        None,
    ),
    ("wrong namespace", ROLE, b"<udt:RoleCode>SE</udt:RoleCode>", ELEMENT_CONTENT),
    ("empty date choice", DATE, b"", ELEMENT_CONTENT),
    ("two indicators", INDICATOR, INDICATOR + INDICATOR, ELEMENT_CONTENT),
    # content kinds
    (
        "text in an aggregate",
        b"<ram:SpecifiedDocumentStatus>",
        b"<ram:SpecifiedDocumentStatus>x",
        TEXT_NOT_ALLOWED,
    ),
    ("element in a value", ROLE, b"<ram:RoleCode>SE<ram:X/></ram:RoleCode>", CHILD_NOT_ALLOWED),
    ("comment in a value", ROLE, b"<ram:RoleCode>S<!-- c -->E</ram:RoleCode>", None),
    # attributes
    ("unknown attribute", ROLE, b'<ram:RoleCode foo="1">SE</ram:RoleCode>', ATTRIBUTE_NOT_ALLOWED),
    (
        "xml:lang is not declared",
        ROLE,
        b'<ram:RoleCode xml:lang="fr">SE</ram:RoleCode>',
        ATTRIBUTE_NOT_ALLOWED,
    ),
    ("declared attribute", ROLE, b'<ram:RoleCode listID="4405">SE</ram:RoleCode>', None),
    ("xsi:schemaLocation", ROLE, b'<ram:RoleCode xsi:schemaLocation="a b">SE</ram:RoleCode>', None),
    (
        "xsi:nil",
        ROLE,
        b'<ram:RoleCode xsi:nil="false">SE</ram:RoleCode>',
        "XSD:SCHEMAV_CVC_ELT_3_1",
    ),
    (
        "xsi:type of the declared type",
        ROLE,
        b'<ram:RoleCode xsi:type="qdt:PartyRoleCodeType">SE</ram:RoleCode>',
        None,
    ),
    (
        "xsi:type of another type",
        ROLE,
        b'<ram:RoleCode xsi:type="udt:CodeType">SE</ram:RoleCode>',
        "XSD:SCHEMAV_CVC_ELT_4_3",
    ),
    ("anyURI with a space", MEN, b'<ram:TypeCode listURI="a b">MEN</ram:TypeCode>', None),
    (
        "anyURI with a bad escape",
        MEN,
        b'<ram:TypeCode listURI="%%">MEN</ram:TypeCode>',
        VALUE_NOT_VALID,
    ),
    (
        "anyURI with a bad port",
        MEN,
        b'<ram:TypeCode listURI="http://a:b/">MEN</ram:TypeCode>',
        VALUE_NOT_VALID,
    ),
    # decimals
    (
        "decimal with spaces around",
        AMOUNT,
        b'<ram:ValueAmount currencyID="EUR"> 12000 </ram:ValueAmount>',
        None,
    ),
    (
        "decimal with a comma",
        AMOUNT,
        b'<ram:ValueAmount currencyID="EUR">12,5</ram:ValueAmount>',
        VALUE_NOT_VALID,
    ),
    (
        "decimal with an exponent",
        PERCENT,
        b"<ram:ValuePercent>2e1</ram:ValuePercent>",
        VALUE_NOT_VALID,
    ),
    ("empty decimal", PERCENT, b"<ram:ValuePercent></ram:ValuePercent>", VALUE_NOT_VALID),
    ("decimal .5", PERCENT, b"<ram:ValuePercent>+.5</ram:ValuePercent>", None),
    # booleans
    ("boolean 1", INDICATOR, b"<udt:Indicator> 1 </udt:Indicator>", None),
    ("boolean TRUE", INDICATOR, b"<udt:Indicator>TRUE</udt:Indicator>", VALUE_NOT_VALID),
    (
        "indicator string is free text",
        INDICATOR,
        b"<udt:IndicatorString>oui</udt:IndicatorString>",
        None,
    ),
    # date-times
    ("xsd:dateTime", DATE, b"<udt:DateTime>2024-02-29T10:05:00+01:00</udt:DateTime>", None),
    ("xsd:dateTime 24:00:00", DATE, b"<udt:DateTime>2025-08-02T24:00:00</udt:DateTime>", None),
    (
        "xsd:dateTime 29 Feb 2025",
        DATE,
        b"<udt:DateTime>2025-02-29T10:05:00</udt:DateTime>",
        VALUE_NOT_VALID,
    ),
    (
        "xsd:dateTime with spaces",
        DATE,
        b"<udt:DateTime> 2025-08-02T10:05:00</udt:DateTime>",
        VALUE_NOT_VALID,
    ),
    (
        "xsd:dateTime without seconds",
        DATE,
        b"<udt:DateTime>2025-08-02T10:05</udt:DateTime>",
        VALUE_NOT_VALID,
    ),
    (
        "date string is free text",
        DATE,
        b'<udt:DateTimeString format="204">20250230</udt:DateTimeString>',
        None,
    ),
    # base64
    (
        "base64",
        RECEIPT_END,
        RECEIPT_END + b"<ram:AttachmentBinaryObject>QUJD</ram:AttachmentBinaryObject>",
        None,
    ),
    (
        "base64 with a bad length",
        RECEIPT_END,
        RECEIPT_END + b"<ram:AttachmentBinaryObject>QUJ</ram:AttachmentBinaryObject>",
        VALUE_NOT_VALID,
    ),
    (
        "base64 with bad padding bits",
        RECEIPT_END,
        RECEIPT_END + b"<ram:AttachmentBinaryObject>QR==</ram:AttachmentBinaryObject>",
        VALUE_NOT_VALID,
    ),
]


@pytest.mark.parametrize(("what", "old", "new", "rule"), CASES, ids=[c[0] for c in CASES])
def test_structure_case(base: bytes, what: str, old: bytes, new: bytes, rule: str | None) -> None:
    assert old in base, f"the sample changed: {old!r} not found"
    found = verdict(base.replace(old, new, 1))
    if rule is None:
        assert found == []
    else:
        assert found and found[0] == rule, found


def test_missing_mandatory_elements(base: bytes) -> None:
    tree = etree.fromstring(base).getroottree()
    root = tree.getroot()
    for child in list(root):
        if isinstance(child.tag, str) and child.tag.endswith("}AcknowledgementDocument"):
            root.remove(child)
    results = check_structure(tree, "fr")
    assert [r.rule for r in results] == [ELEMENT_CONTENT]
    assert "rsm:AcknowledgementDocument manque" in results[0].text


def test_not_a_cdar_root() -> None:
    root = etree.fromstring(
        b'<rsm:Other xmlns:rsm="urn:un:unece:uncefact:data:standard:'
        b'CrossDomainAcknowledgementAndResponse:100"/>'
    )
    assert [r.rule for r in check_structure(root)] == ["XSD:SCHEMAV_CVC_ELT_1"]


def test_every_problem_is_located(base: bytes) -> None:
    data = base.replace(ROLE, ROLE + b"<ram:Foo/>", 1).replace(
        PERCENT, b"<ram:ValuePercent>x</ram:ValuePercent>"
    )
    tree = etree.fromstring(data).getroottree()
    results = check_structure(tree)
    assert len(results) == 2
    for r in results:
        assert r.location and tree.xpath(r.location, namespaces=NS)
