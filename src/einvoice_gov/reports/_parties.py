"""Who issued an invoice, to whom, and when — the few facts the readiness report groups by.

A deliberately small reader (CII and UBL, five fields). The typed invoice summary of the
inspect work (parties, lines, totals, VAT breakdown) supersedes it when it lands.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from lxml import etree

from einvoice_gov.errors import InputError
from einvoice_gov.formats.document import Document, load


@dataclass(frozen=True)
class Parties:
    number: str | None = None
    issue_date: dt.date | None = None
    seller_name: str | None = None
    seller_siren: str | None = None
    buyer_name: str | None = None
    buyer_siren: str | None = None


def _text(node: etree._Element | None, path: str) -> str | None:
    if node is None:
        return None
    found = node.find(path)
    text = " ".join((found.text or "").split()) if found is not None else ""
    return text or None


def _siren(party: etree._Element | None, legal_path: str, vat_path: str) -> str | None:
    if party is None:
        return None
    for el in party.iterfind(legal_path):
        value = (el.text or "").strip()
        if el.get("schemeID") in (None, "0002") and len(value) == 9 and value.isdigit():
            return value
    vat = _text(party, vat_path)
    if vat and vat.upper().startswith("FR") and len(vat) == 13 and vat[4:].isdigit():
        return vat[4:]  # FR + 2-character key + SIREN
    return None


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    digits = value.replace("-", "")
    if len(digits) != 8 or not digits.isdigit():
        return None
    try:
        return dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        return None


def _cii(root: etree._Element) -> Parties:
    agreement = root.find("{*}SupplyChainTradeTransaction/{*}ApplicableHeaderTradeAgreement")
    seller = agreement.find("{*}SellerTradeParty") if agreement is not None else None
    buyer = agreement.find("{*}BuyerTradeParty") if agreement is not None else None
    legal = "{*}SpecifiedLegalOrganization/{*}ID"
    vat = "{*}SpecifiedTaxRegistration/{*}ID"
    return Parties(
        number=_text(root, "{*}ExchangedDocument/{*}ID"),
        issue_date=_date(_text(root, "{*}ExchangedDocument/{*}IssueDateTime/{*}DateTimeString")),
        seller_name=_text(seller, "{*}Name"),
        seller_siren=_siren(seller, legal, vat),
        buyer_name=_text(buyer, "{*}Name"),
        buyer_siren=_siren(buyer, legal, vat),
    )


def _ubl(root: etree._Element) -> Parties:
    seller = root.find("{*}AccountingSupplierParty/{*}Party")
    buyer = root.find("{*}AccountingCustomerParty/{*}Party")
    legal = "{*}PartyLegalEntity/{*}CompanyID"
    vat = "{*}PartyTaxScheme/{*}CompanyID"

    def name(party: etree._Element | None) -> str | None:
        return _text(party, "{*}PartyLegalEntity/{*}RegistrationName") or _text(
            party, "{*}PartyName/{*}Name"
        )

    return Parties(
        number=_text(root, "{*}ID"),
        issue_date=_date(_text(root, "{*}IssueDate")),
        seller_name=name(seller),
        seller_siren=_siren(seller, legal, vat),
        buyer_name=name(buyer),
        buyer_siren=_siren(buyer, legal, vat),
    )


def parties_of(doc: Document) -> Parties:
    """The parties of a loaded document (empty when not a CII/UBL invoice)."""
    if doc.tree is None:
        return Parties()
    root = doc.tree.getroot()
    if doc.syntax == "cii":
        return _cii(root)
    if doc.syntax == "ubl":
        return _ubl(root)
    return Parties()


def read_parties(path: str) -> Parties:
    """Load ``path`` and read its parties; an unreadable file gives empty parties."""
    try:
        return parties_of(load(path))
    except (InputError, OSError, ValueError):
        return Parties()
