"""Who issued an invoice, to whom, and when: the facts the readiness report groups by, taken
from the typed invoice summary (:mod:`einvoice_gov.formats.summary`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from einvoice_gov.errors import InputError
from einvoice_gov.formats.document import load
from einvoice_gov.formats.summary import InvoiceSummary, Party, summarize


@dataclass(frozen=True)
class Parties:
    number: str | None = None
    issue_date: dt.date | None = None
    seller_name: str | None = None
    seller_siren: str | None = None
    buyer_name: str | None = None
    buyer_siren: str | None = None


def party_siren(party: Party | None) -> str | None:
    """The SIREN (scheme 0002), else the one inside a French VAT number (FR + key + SIREN)."""
    if party is None:
        return None
    if party.siren:
        return party.siren
    vat = (party.vat_id or "").replace(" ", "").upper()
    if vat.startswith("FR") and len(vat) == 13 and vat[4:].isdigit():
        return vat[4:]
    return None


def parties_of(summary: InvoiceSummary) -> Parties:
    seller, buyer = summary.seller, summary.buyer
    return Parties(
        number=summary.number,
        issue_date=summary.issue_date,
        seller_name=seller.name if seller else None,
        seller_siren=party_siren(seller),
        buyer_name=buyer.name if buyer else None,
        buyer_siren=party_siren(buyer),
    )


def read_summary(path: str, *, lines: bool = True) -> InvoiceSummary | None:
    """The invoice summary of ``path``, or ``None`` when the file cannot be read at all."""
    try:
        return summarize(load(path), lines=lines)
    except (InputError, OSError, ValueError):
        return None


def read_parties(path: str) -> Parties:
    """Load ``path`` and read its parties; an unreadable file gives empty parties."""
    summary = read_summary(path, lines=False)
    return parties_of(summary) if summary is not None else Parties()
