"""parse_status on the real FNFE status messages and on crafted variants."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest

from einvoice_gov.cdar import codes
from einvoice_gov.errors import InputError
from einvoice_gov.formats.cdar import StatusMessage, parse_status, status_label
from tests.cdar.conftest import cdar_samples

NAME = re.compile(r"UC\d+_(?P<inv>F\d+)_\d+-CDV-(?P<code>\d{3})_")


@pytest.mark.parametrize("path", cdar_samples(), ids=lambda p: p.name)
def test_every_sample_parses(path: Path) -> None:
    m = NAME.match(path.name)
    assert m, "sample names carry the invoice number and the status code"
    msg = parse_status(path)
    assert isinstance(msg, StatusMessage)
    assert msg.status_code == m["code"]
    assert msg.invoice is not None and msg.invoice.number == m["inv"]
    assert msg.status_label_fr == codes.STATUS_LABELS[m["code"]].fr
    assert msg.status_label_en == codes.STATUS_LABELS[m["code"]].en
    assert msg.guideline in (codes.GUIDELINE_INVOICE, codes.GUIDELINE_PPF)
    assert msg.ack_type in ("305", "23")
    assert msg.phase_code in codes.PHASE_CODES[msg.ack_type]
    assert isinstance(msg.issued_at, dt.datetime)
    assert isinstance(msg.invoice.issue_date, dt.date)
    assert msg.invoice.seller_ids and msg.invoice.seller_ids[0].scheme == "0002"
    assert msg.recipients and all(r.role in codes.ROLE_LABELS for r in msg.recipients)
    # the same bytes, and the same text, give the same message
    assert parse_status(path.read_bytes()) == msg
    assert parse_status(path.read_text(encoding="utf-8-sig")) == msg
    # JSON round trip for the trace
    assert StatusMessage.model_validate_json(msg.model_dump_json()) == msg


def _sample(fragment: str) -> Path:
    found = [p for p in cdar_samples() if fragment in p.name]
    if not found:
        pytest.skip(f"sample *{fragment}* not found in ../shared/cdar")
    return found[0]


def test_212_amounts_and_vat_rate() -> None:
    msg = parse_status(_sample("CDV-212_Encaissee.xml"))
    assert msg.mandatory
    assert msg.phase == "processing"
    assert len(msg.amounts) == 1
    paid = msg.amounts[0]
    assert paid.amount == Decimal("12000") and paid.currency == "EUR"
    assert paid.vat_rate == Decimal("20.00")
    assert msg.issuer is not None and msg.issuer.role == "SE" and msg.issuer.siren == "100000009"


def test_207_reason_and_expected_action() -> None:
    msg = parse_status(_sample("UC4_F202500006_04-CDV-207"))
    assert msg.reasons == (("TX_TVA_ERR", "Taux de TVA erroné"),)
    assert msg.details[0].reason_label_fr == "Taux de TVA erroné"
    assert msg.actions == (("NIN", "Créer une Facture Rectificative"),)
    chars = msg.details[0].characteristics
    assert [c.type_code for c in chars] == ["DIV", "DVA"]
    assert [c.percent for c in chars] == [Decimal("10.00"), Decimal("20.00")]
    assert all(c.changed is True for c in chars)
    assert not msg.mandatory


def test_ppf_message() -> None:
    msg = parse_status(_sample("CDV-200_Deposee_POUR_PPF"))
    assert msg.guideline == codes.GUIDELINE_PPF
    assert msg.process_type is None
    assert [(r.role, r.global_ids[0].value, r.global_ids[0].scheme) for r in msg.recipients] == [
        ("DFH", "0000", "0238")
    ]
    assert msg.phase == "transmission"
    assert msg.sender is not None and msg.sender.role == "WK"


def test_status_labels() -> None:
    assert status_label("210", "fr") == "Refusée"
    assert status_label("210") == "Refused"
    assert status_label(" 212 ", "fr") == "Encaissée"
    assert status_label("999") is None and status_label(None) is None
    # every code the rules accept is known, labelled or not
    assert set(codes.STATUS_LABELS) <= codes.STATUS_CODES
    assert {"200", "210", "212", "213"} == codes.MANDATORY_STATUSES


CDAR = (
    '<rsm:CrossDomainAcknowledgementAndResponse xmlns:rsm="urn:un:unece:uncefact:data:'
    'standard:CrossDomainAcknowledgementAndResponse:100" xmlns:ram="urn:un:unece:uncefact:data:'
    'standard:ReusableAggregateBusinessInformationEntity:100" xmlns:udt="urn:un:unece:uncefact:'
    'data:standard:UnqualifiedDataType:100">{body}</rsm:CrossDomainAcknowledgementAndResponse>'
)


def _ack(ref: str) -> str:
    return (
        "<rsm:ExchangedDocument><ram:ID>X</ram:ID></rsm:ExchangedDocument>"
        f"<rsm:AcknowledgementDocument><ram:TypeCode>23</ram:TypeCode>{ref}"
        "</rsm:AcknowledgementDocument>"
    )


def test_unusual_values_are_kept_raw() -> None:
    ref = (
        "<ram:ReferenceReferencedDocument><ram:IssuerAssignedID> A  1 </ram:IssuerAssignedID>"
        "<ram:FormattedIssueDateTime><udt:DateTimeString format='102'>20250230"
        "</udt:DateTimeString></ram:FormattedIssueDateTime>"
        "<ram:ProcessConditionCode>2<!-- split -->12</ram:ProcessConditionCode>"
        "<ram:SpecifiedDocumentStatus><ram:SpecifiedDocumentCharacteristic>"
        "<ram:TypeCode>MEN</ram:TypeCode><ram:ValueAmount>12,5</ram:ValueAmount>"
        "<ram:ValuePercent>NaN</ram:ValuePercent></ram:SpecifiedDocumentCharacteristic>"
        "</ram:SpecifiedDocumentStatus></ram:ReferenceReferencedDocument>"
    )
    msg = parse_status(CDAR.format(body=_ack(ref)).encode())
    assert msg.status_code == "212"
    assert msg.invoice is not None and msg.invoice.number == "A 1"
    assert msg.invoice.issue_date is None and msg.invoice.issue_date_raw == "20250230"
    paid = msg.amounts[0]
    assert paid.amount is None and paid.vat_rate is None
    assert msg.details[0].characteristics[0].raw_amount == "12,5"


def test_no_status_is_refused_unless_lenient() -> None:
    data = CDAR.format(body=_ack("<ram:ReferenceReferencedDocument/>")).encode()
    with pytest.raises(InputError) as exc:
        parse_status(data)
    assert exc.value.rule == "CDAR-NO-STATUS"
    msg = parse_status(data, strict=False)
    assert msg.status_code is None and msg.message_id == "X"
    with pytest.raises(InputError, match="references no invoice"):
        parse_status(CDAR.format(body="").encode())
    assert parse_status(CDAR.format(body="").encode(), strict=False).invoice is None
