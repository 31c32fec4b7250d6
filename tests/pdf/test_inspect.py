"""The invoice summary (CII, UBL, PDF) and ``einvoice-gov inspect``."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from einvoice_gov.cli import cli
from einvoice_gov.formats.document import load
from einvoice_gov.formats.summary import inspect, short_path, summarize
from einvoice_gov.inspect import format_amount, render_text
from einvoice_gov.validation.locations import short_path as finding_path
from tests.pdf.conftest import DEMO, cii, corpus_dir, make_pdf

UBL = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" '
    b'xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" '
    b'xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">'
    b"<cbc:CustomizationID>urn:cen.eu:en16931:2017</cbc:CustomizationID><cbc:ID>F-77</cbc:ID>"
    b"<cbc:IssueDate>2026-10-05</cbc:IssueDate>"
    b"<cbc:DueDate>2026-11-04</cbc:DueDate> <cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>"
    b"<cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode> <cac:AccountingSupplierParty>"
    b'<cac:Party><cbc:EndpointID schemeID="0225">732829320</cbc:EndpointID>'
    b"<cac:PartyIdentification>"
    b'<cbc:ID schemeID="0009">73282932000074</cbc:ID>'
    b"</cac:PartyIdentification>  <cac:PostalAddress>"
    b"<cbc:StreetName>1 rue A</cbc:StreetName>"
    b"<cbc:CityName>Paris</cbc:CityName>   <cbc:PostalZone>75001</cbc:PostalZone>"
    b"<cac:Country><cbc:IdentificationCode>FR</cbc:IdentificationCode></cac:Country>"
    b"</cac:PostalAddress>  <cac:PartyTaxScheme>"
    b"<cbc:CompanyID>FR44732829320</cbc:CompanyID><cac:TaxScheme><cbc:ID>VAT</cbc:ID>"
    b"</cac:TaxScheme></cac:PartyTaxScheme>  <cac:PartyLegalEntity>"
    b"<cbc:RegistrationName>Vendeur SA</cbc:RegistrationName>"
    b'<cbc:CompanyID schemeID="0002">732829320</cbc:CompanyID>'
    b"</cac:PartyLegalEntity> </cac:Party>"
    b"</cac:AccountingSupplierParty> <cac:AccountingCustomerParty>"
    b"<cac:Party>  <cac:PostalAddress><cac:Country>"
    b"<cbc:IdentificationCode>FR</cbc:IdentificationCode></cac:Country>"
    b"</cac:PostalAddress>  <cac:PartyLegalEntity>"
    b"<cbc:RegistrationName>Acheteur SARL</cbc:RegistrationName>"
    b"</cac:PartyLegalEntity> </cac:Party></cac:AccountingCustomerParty> <cac:TaxTotal>"
    b'<cbc:TaxAmount currencyID="EUR">20.00</cbc:TaxAmount>  <cac:TaxSubtotal>'
    b'<cbc:TaxableAmount currencyID="EUR">100.00</cbc:TaxableAmount>'
    b'<cbc:TaxAmount currencyID="EUR">20.00</cbc:TaxAmount>   <cac:TaxCategory>'
    b"<cbc:ID>S</cbc:ID><cbc:Percent>20</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID>"
    b"</cac:TaxScheme></cac:TaxCategory></cac:TaxSubtotal>"
    b"</cac:TaxTotal> <cac:LegalMonetaryTotal>"
    b'<cbc:LineExtensionAmount currencyID="EUR">100.00</cbc:LineExtensionAmount>'
    b'<cbc:TaxExclusiveAmount currencyID="EUR">100.00</cbc:TaxExclusiveAmount>'
    b'<cbc:TaxInclusiveAmount currencyID="EUR">120.00</cbc:TaxInclusiveAmount>'
    b'<cbc:PayableAmount currencyID="EUR">120.00</cbc:PayableAmount>'
    b"</cac:LegalMonetaryTotal> <cac:InvoiceLine><cbc:ID>1</cbc:ID>"
    b'<cbc:InvoicedQuantity unitCode="HUR">2</cbc:InvoicedQuantity>'
    b'<cbc:LineExtensionAmount currencyID="EUR">100.00</cbc:LineExtensionAmount>'
    b"<cac:Item>"
    b"<cbc:Name>Conseil</cbc:Name><cac:ClassifiedTaxCategory><cbc:ID>S</cbc:ID>"
    b"<cbc:Percent>20</cbc:Percent>   <cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme>"
    b"</cac:ClassifiedTaxCategory></cac:Item>  <cac:Price>"
    b'<cbc:PriceAmount currencyID="EUR">50.00</cbc:PriceAmount></cac:Price>'
    b"</cac:InvoiceLine></Invoice>"
)


def test_cii_summary() -> None:
    s = inspect(DEMO)
    assert (s.syntax, s.document, s.profile, s.number) == (
        "cii",
        "invoice",
        "EN16931",
        "FA-2026-0101",
    )
    assert s.issue_date == dt.date(2026, 10, 2) and s.due_date == dt.date(2026, 11, 1)
    assert s.currency == "EUR" and s.business_process == "S1"
    seller, buyer = s.seller, s.buyer
    assert seller is not None and buyer is not None
    assert (seller.name, seller.siren, seller.siret, seller.vat_id, seller.country) == (
        "Atelier Vasseur SARL",
        "175006691",
        "17500669100018",
        "FR19175006691",
        "FR",
    )
    assert seller.electronic_address is not None and seller.electronic_address.scheme == "0225"
    assert (buyer.name, buyer.siren) == ("Boulangerie Dufresne", "261973069")
    assert s.lines_count == 2 and [line.name for line in s.lines] == [
        "Pose de comptoir en chêne",
        "Heures de menuiserie",
    ]
    assert s.lines[1].quantity == Decimal("6") and s.lines[1].net_amount == Decimal("330.00")
    assert s.totals.tax_exclusive == Decimal("2730.00") and s.totals.payable == Decimal("3276.00")
    assert [(v.category, v.rate, v.tax_amount) for v in s.vat_breakdown] == [
        ("S", Decimal("20"), Decimal("546.00"))
    ]


def test_ubl_summary() -> None:
    s = inspect(UBL)
    assert (s.syntax, s.number, s.issue_date) == ("ubl", "F-77", dt.date(2026, 10, 5))
    seller = s.seller
    assert seller is not None
    assert (seller.name, seller.siren, seller.siret, seller.vat_id) == (
        "Vendeur SA",
        "732829320",
        "73282932000074",
        "FR44732829320",
    )
    assert s.lines[0].unit == "HUR" and s.lines[0].net_price == Decimal("50.00")
    assert s.totals.tax_total == Decimal("20.00") and s.totals.payable == Decimal("120.00")
    assert s.vat_breakdown[0].taxable_amount == Decimal("100.00")


def test_paths_are_the_finding_locations() -> None:
    doc = load(DEMO)
    assert doc.tree is not None
    for el in doc.tree.getroot().iter():
        if isinstance(el.tag, str):
            assert short_path(el) == finding_path(el)
    s = summarize(doc)
    line = doc.tree.getroot().find(".//{*}IncludedSupplyChainTradeLineItem")
    assert line is not None and s.lines[0].path == finding_path(line)


def test_foreign_currency_vat_total_in_euros() -> None:
    s = inspect(cii(currency="USD", tax_currency="EUR", eur_vat_total="512.40"))
    assert s.totals.tax_total == Decimal("546.00")
    assert s.totals.tax_total_accounting == Decimal("512.40")
    assert s.totals.tax_total_accounting_currency == "EUR"


def test_pdf_summary_lists_attachments_and_xmp() -> None:
    s = inspect(make_pdf(cii(), extra=[("bon.pdf", b"%PDF-1.4 x", "application/pdf")]))
    assert s.container == "pdf" and s.number == "FA-2026-0101"
    assert s.pdf is not None and s.pdf.pdfa == "3B" and s.pdf.xmp["ConformanceLevel"] == "EN 16931"
    assert [(a.name, a.is_invoice) for a in s.pdf.attachments] == [
        ("factur-x.xml", True),
        ("bon.pdf", False),
    ]


def test_plain_pdf_summary_says_what_is_missing() -> None:
    s = inspect(make_pdf(None))
    assert s.syntax == "unknown" and s.pdf is not None and s.pdf.invoice_attachment is None
    assert s.problems == ["the PDF carries no invoice XML"]


def test_amounts_formats() -> None:
    assert format_amount(Decimal("1021.9"), "fr") == "1\u202f021,90"
    assert format_amount(Decimal("1021.905"), "en") == "1,021.905"
    assert format_amount(None, "en") == "-"


def test_text_rendering_in_both_languages() -> None:
    s = inspect(DEMO)
    fr = render_text(s, "fr")
    en = render_text(s, "en")
    assert "Vendeur" in fr and "SIREN 175006691" in fr and "net à payer : 3\u202f276,00" in fr
    assert "Seller" in en and "amount due: 3,276.00" in en and "issued 2026-10-02" in en
    assert "émise le 02/10/2026" in fr


def test_cli_inspect_text_and_json(tmp_path: Path) -> None:
    pdf = tmp_path / "facture.pdf"
    pdf.write_bytes(make_pdf(cii()))
    runner = CliRunner()
    res = runner.invoke(cli, ["inspect", str(pdf), "--lang", "fr"])
    assert res.exit_code == 0, res.output
    assert "Pièces jointes" in res.output and "factur-x.xml" in res.output
    assert "PDF/A-3B (non vérifié)" in res.output
    res = runner.invoke(cli, ["inspect", str(pdf), "--format", "json"])
    assert res.exit_code == 0
    data = json.loads(res.output)
    assert data["syntax"] == "cii" and data["totals"]["payable"] == "3276.00"
    assert data["parties"][0]["siren"] == "175006691" and data["lines_count"] == 2


def test_cli_inspect_unreadable_file_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.7\ngarbage")
    res = CliRunner().invoke(cli, ["inspect", str(bad)])
    assert res.exit_code == 2 and "cannot be read" in res.output


def test_summary_of_every_corpus_file_never_crashes() -> None:
    root = corpus_dir()
    if not root.is_dir():
        pytest.skip(f"corpus not found at {root}")
    from einvoice_gov.errors import InputError

    done = 0
    for f in sorted(p for p in root.rglob("*") if p.suffix.lower() in (".xml", ".pdf")):
        try:
            s = inspect(f)
        except InputError:
            continue
        json.loads(s.model_dump_json())
        render_text(s, "fr")
        done += 1
        if s.syntax in ("cii", "ubl") and s.document in ("invoice", "creditnote"):
            # every readable invoice of the corpus has a seller and at least a total
            assert s.seller is not None, f
            assert s.totals.tax_inclusive is not None or s.totals.payable is not None, f
    assert done > 200


def test_zugferd1_summary() -> None:
    root = corpus_dir() / "mustang" / "validator" / "validV1.xml"
    if not root.is_file():
        pytest.skip(f"corpus not found at {root}")
    s = inspect(root)
    assert s.syntax == "zugferd1" and s.number and s.seller is not None
    assert s.lines_count > 0 and s.totals.tax_inclusive is not None
    assert etree.QName(load(root).tree.getroot()).localname == "CrossIndustryDocument"  # type: ignore[union-attr]
