"""A typed, readable summary of an invoice: what ``einvoice-gov inspect`` shows.

:func:`inspect` (a path or bytes) and :func:`summarize` (an already loaded
:class:`~einvoice_gov.formats.document.Document`) return an :class:`InvoiceSummary`: syntax,
profile, the document's identity (number, type, dates, currency), the parties (names,
SIREN/SIRET, VAT numbers, electronic addresses, countries), the lines, the totals, the VAT
breakdown and, for a PDF, its attachments and XMP fields. CII (D16B/D22B, Factur-X),
UBL 2.1 (Invoice and CreditNote) and ZUGFeRD 1 are read.

The summary is data, never a verdict: it reads leniently what is there (a missing element is
``None``), never raises on a readable document, and gives every party, line and VAT row the
short XPath (``path``) under which validation findings locate their problems, so that a
renderer can show each finding next to the field it concerns. Amounts are :class:`Decimal`
(serialised as strings in JSON: no binary rounding).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Literal, ParamSpec, TypeVar

from lxml import etree
from pydantic import BaseModel, ConfigDict, Field

from einvoice_gov.formats import namespaces as ns
from einvoice_gov.formats.document import Document, load

#: Scheme identifiers (ISO 6523 ICD) of the French ids (FACTS.md §3.4).
SCHEME_SIREN = "0002"
SCHEME_SIRET = "0009"

P = ParamSpec("P")
M = TypeVar("M", bound=BaseModel)


class _Model(BaseModel):
    # defer_build: no validator is built at import, nor later when the readers below create
    # the summary through _fast (the `check` path); validating or dumping a summary builds it.
    model_config = ConfigDict(defer_build=True)


def _fast(cls: Callable[P, M]) -> Callable[P, M]:
    """The model's constructor without pydantic's validation (same signature as the class).
    The readers below only pass values of the fields' types; the one-off build of the
    validators would cost more than reading the invoice."""
    return cls.model_construct  # type: ignore[attr-defined,no-any-return]


Role = Literal["seller", "buyer", "payee", "seller-tax-representative", "ship-to"]


class Identifier(_Model):
    """An identifier and its scheme (ISO 6523 ICD such as 0002 SIREN, or VA, FC...)."""

    value: str
    scheme: str | None = None


class Party(_Model):
    """A party of the invoice (BG-4 seller, BG-7 buyer, BG-10 payee, BG-11, BG-13)."""

    role: Role
    name: str | None = None  # BT-27 / BT-44 / BT-59 / BT-62 / BT-70
    trading_name: str | None = None  # BT-28 / BT-45
    siren: str | None = None  # legal id with scheme 0002 (BT-30 / BT-47 / BT-61)
    siret: str | None = None  # identifier with scheme 0009 (BT-29 / BT-46 / BT-60 / BT-71)
    vat_id: str | None = None  # BT-31 / BT-48 / BT-63
    legal_ids: list[Identifier] = Field(default_factory=list)  # BT-30 / BT-47 / BT-61
    ids: list[Identifier] = Field(default_factory=list)  # BT-29 / BT-46 / BT-60 / BT-71
    tax_ids: list[Identifier] = Field(default_factory=list)  # BT-31, BT-32 (scheme VA, FC)
    electronic_address: Identifier | None = None  # BT-34 / BT-49
    address_lines: list[str] = Field(default_factory=list)
    postcode: str | None = None
    city: str | None = None
    country: str | None = None  # BT-40 / BT-55 / BT-69 / BT-80
    path: str | None = None


class Line(_Model):
    """An invoice line (BG-25)."""

    id: str | None = None  # BT-126
    parent_id: str | None = None  # sub-lines (EXTENDED)
    name: str | None = None  # BT-153
    description: str | None = None  # BT-154
    quantity: Decimal | None = None  # BT-129
    unit: str | None = None  # BT-130
    net_price: Decimal | None = None  # BT-146
    net_amount: Decimal | None = None  # BT-131
    vat_category: str | None = None  # BT-151
    vat_rate: Decimal | None = None  # BT-152
    path: str | None = None


class VatRow(_Model):
    """One row of the VAT breakdown (BG-23)."""

    category: str | None = None  # BT-118
    rate: Decimal | None = None  # BT-119
    taxable_amount: Decimal | None = None  # BT-116
    tax_amount: Decimal | None = None  # BT-117
    exemption_reason: str | None = None  # BT-120
    exemption_code: str | None = None  # BT-121
    path: str | None = None


class Totals(_Model):
    """Document totals (BG-22). ``tax_total_accounting`` is BT-111, in ``tax_currency``."""

    line_total: Decimal | None = None  # BT-106
    allowances: Decimal | None = None  # BT-107
    charges: Decimal | None = None  # BT-108
    tax_exclusive: Decimal | None = None  # BT-109
    tax_total: Decimal | None = None  # BT-110
    tax_total_accounting: Decimal | None = None  # BT-111
    tax_total_accounting_currency: str | None = None  # currency of BT-111 (BT-6)
    tax_inclusive: Decimal | None = None  # BT-112
    prepaid: Decimal | None = None  # BT-113
    rounding: Decimal | None = None  # BT-114
    payable: Decimal | None = None  # BT-115
    path: str | None = None


class AttachmentSummary(_Model):
    """An embedded file of a PDF."""

    name: str
    size: int
    mime: str | None = None
    af_relationship: str | None = None
    in_catalog_af: bool = False
    is_invoice: bool = False
    error: str | None = None


class PdfSummary(_Model):
    """What the PDF container says about itself."""

    version: str | None = None
    pages: int | None = None
    encrypted: bool = False
    pdfa: str | None = None  # declared, e.g. "3B" (not verified)
    xmp: dict[str, str] = Field(default_factory=dict)
    xmp_namespace: str | None = None
    xmp_error: str | None = None
    attachments: list[AttachmentSummary] = Field(default_factory=list)
    invoice_attachment: str | None = None
    scripts: list[str] = Field(default_factory=list)


class InvoiceSummary(_Model):
    """Everything ``inspect`` shows about one file."""

    path: str
    container: str  # "xml" | "pdf"
    syntax: str  # cii | ubl | zugferd1 | cdar | orderx | fatturapa | unknown
    document: str  # invoice | creditnote | status | order | unknown
    profile: str | None = None
    guideline: str | None = None  # BT-24
    flavour: str | None = None
    number: str | None = None  # BT-1
    type_code: str | None = None  # BT-3
    issue_date: dt.date | None = None  # BT-2
    due_date: dt.date | None = None  # BT-9
    currency: str | None = None  # BT-5
    tax_currency: str | None = None  # BT-6
    buyer_reference: str | None = None  # BT-10
    order_reference: str | None = None  # BT-13
    business_process: str | None = None  # BT-23
    notes: list[str] = Field(default_factory=list)  # BT-22
    parties: list[Party] = Field(default_factory=list)
    lines: list[Line] = Field(default_factory=list)
    lines_count: int = 0
    totals: Totals = Field(default_factory=_fast(Totals))
    vat_breakdown: list[VatRow] = Field(default_factory=list)
    pdf: PdfSummary | None = None
    sha256: str | None = None
    #: What could not be read (the summary is then partial).
    problems: list[str] = Field(default_factory=list)

    def party(self, role: Role) -> Party | None:
        """The first party with this role, or ``None``."""
        return next((p for p in self.parties if p.role == role), None)

    @property
    def seller(self) -> Party | None:
        return self.party("seller")

    @property
    def buyer(self) -> Party | None:
        return self.party("buyer")


# ----------------------------------------------------------------------------------------------
# Small readers
# ----------------------------------------------------------------------------------------------


def _clean(text: str | None) -> str | None:
    if text is None:
        return None
    out = " ".join(text.split())
    return out or None


def _first(node: etree._Element | None, path: str, nsmap: dict[str, str]) -> etree._Element | None:
    if node is None:
        return None
    return node.find(path, nsmap)


def _txt(node: etree._Element | None, path: str, nsmap: dict[str, str]) -> str | None:
    el = _first(node, path, nsmap)
    return _clean(el.text) if el is not None else None


def _dec(text: str | None) -> Decimal | None:
    if text is None:
        return None
    try:
        value = Decimal(text.strip())
    except (InvalidOperation, ValueError):
        return None
    return value if value.is_finite() else None


def _amount(node: etree._Element | None, path: str, nsmap: dict[str, str]) -> Decimal | None:
    return _dec(_txt(node, path, nsmap))


def _date(text: str | None) -> dt.date | None:
    """CII format 102 (YYYYMMDD) or ISO (YYYY-MM-DD)."""
    if not text:
        return None
    t = text.strip()
    try:
        if len(t) == 8 and t.isdigit():
            return dt.date(int(t[:4]), int(t[4:6]), int(t[6:]))
        return dt.date.fromisoformat(t[:10])
    except ValueError:
        return None


def short_path(el: etree._Element) -> str:
    """The short XPath findings use for ``el`` (same form as ``validation.locations``)."""
    parts = []
    cur: etree._Element | None = el
    while cur is not None:
        q = etree.QName(cur)
        pfx = ns.PREFIXES.get(q.namespace or "", "")
        name = f"{pfx}:{q.localname}" if pfx else q.localname
        parent = cur.getparent()
        if parent is not None:
            same = [c for c in parent if c.tag == cur.tag]
            if len(same) > 1:
                name += f"[{same.index(cur) + 1}]"
        parts.append(name)
        cur = parent
    return "/" + "/".join(reversed(parts))


def _ident(el: etree._Element) -> Identifier | None:
    value = _clean(el.text)
    if value is None:
        return None
    scheme = el.get("schemeID") or el.get("schemeAgencyID")
    return _fast(Identifier)(value=value, scheme=scheme.strip() if scheme else None)


def _tax_total(s: InvoiceSummary, currency: str | None, value: Decimal | None) -> None:
    """Sort a VAT total into BT-110 (invoice currency) or BT-111 (VAT accounting currency)."""
    t = s.totals
    other = (s.tax_currency and s.tax_currency != s.currency and currency == s.tax_currency) or (
        currency and s.currency and currency != s.currency
    )
    if not other and t.tax_total is None:
        t.tax_total = value
    else:
        t.tax_total_accounting = value
        t.tax_total_accounting_currency = currency or s.tax_currency


def _fill_french_ids(p: Party) -> None:
    for i in p.legal_ids:
        if i.scheme == SCHEME_SIREN and p.siren is None:
            p.siren = i.value
    for i in p.ids:
        if i.scheme == SCHEME_SIRET and p.siret is None:
            p.siret = i.value
    for i in p.tax_ids:
        if (i.scheme or "").upper() in ("VA", "VAT") and p.vat_id is None:
            p.vat_id = i.value


# ----------------------------------------------------------------------------------------------
# CII (and ZUGFeRD 1, which has the same party and amount shapes under other names)
# ----------------------------------------------------------------------------------------------

_CII = ns.CII_NS
_ZF1 = {
    "rsm": ns.ZF1_RSM,
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:12",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:15",
}


def _cii_party(el: etree._Element | None, role: Role, m: dict[str, str]) -> Party | None:
    if el is None:
        return None
    p = _fast(Party)(role=role, path=short_path(el))
    p.name = _txt(el, "ram:Name", m)
    org = _first(el, "ram:SpecifiedLegalOrganization", m)
    p.trading_name = _txt(org, "ram:TradingBusinessName", m)
    for x in el.findall("ram:ID", m) + el.findall("ram:GlobalID", m):
        if (i := _ident(x)) is not None:
            p.ids.append(i)
    if org is not None:
        for x in org.findall("ram:ID", m):
            if (i := _ident(x)) is not None:
                p.legal_ids.append(i)
    for x in el.findall("ram:SpecifiedTaxRegistration/ram:ID", m):
        if (i := _ident(x)) is not None:
            p.tax_ids.append(i)
    uri = _first(el, "ram:URIUniversalCommunication/ram:URIID", m)
    if uri is not None:
        p.electronic_address = _ident(uri)
    addr = _first(el, "ram:PostalTradeAddress", m)
    if addr is not None:
        p.address_lines = [
            t
            for t in (
                _txt(addr, "ram:LineOne", m),
                _txt(addr, "ram:LineTwo", m),
                _txt(addr, "ram:LineThree", m),
            )
            if t
        ]
        p.postcode = _txt(addr, "ram:PostcodeCode", m)
        p.city = _txt(addr, "ram:CityName", m)
        p.country = _txt(addr, "ram:CountryID", m)
    _fill_french_ids(p)
    return p


def _read_cii(s: InvoiceSummary, root: etree._Element, zf1: bool, lines: bool) -> None:
    m = _ZF1 if zf1 else _CII
    if zf1:
        ctx = _first(root, "rsm:SpecifiedExchangedDocumentContext", m)
        head = _first(root, "rsm:HeaderExchangedDocument", m)
        tx = _first(root, "rsm:SpecifiedSupplyChainTradeTransaction", m)
        agr = _first(tx, "ram:ApplicableSupplyChainTradeAgreement", m)
        dlv = _first(tx, "ram:ApplicableSupplyChainTradeDelivery", m)
        stl = _first(tx, "ram:ApplicableSupplyChainTradeSettlement", m)
        sums = _first(stl, "ram:SpecifiedTradeSettlementMonetarySummation", m)
        item_path = "ram:IncludedSupplyChainTradeLineItem"
        date_path = "ram:IssueDateTime/udt:DateTimeString"
    else:
        ctx = _first(root, "rsm:ExchangedDocumentContext", m)
        head = _first(root, "rsm:ExchangedDocument", m)
        tx = _first(root, "rsm:SupplyChainTradeTransaction", m)
        agr = _first(tx, "ram:ApplicableHeaderTradeAgreement", m)
        dlv = _first(tx, "ram:ApplicableHeaderTradeDelivery", m)
        stl = _first(tx, "ram:ApplicableHeaderTradeSettlement", m)
        sums = _first(stl, "ram:SpecifiedTradeSettlementHeaderMonetarySummation", m)
        item_path = "ram:IncludedSupplyChainTradeLineItem"
        date_path = "ram:IssueDateTime/udt:DateTimeString"
    s.business_process = _txt(ctx, "ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID", m)
    s.number = _txt(head, "ram:ID", m)
    s.type_code = _txt(head, "ram:TypeCode", m)
    s.issue_date = _date(_txt(head, date_path, m))
    s.notes = [
        note for x in _findall(head, "ram:IncludedNote/ram:Content", m) if (note := _clean(x.text))
    ]
    s.buyer_reference = _txt(agr, "ram:BuyerReference", m)
    s.order_reference = _txt(agr, "ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID", m)
    for path, role in (
        ("ram:SellerTradeParty", "seller"),
        ("ram:BuyerTradeParty", "buyer"),
        ("ram:SellerTaxRepresentativeTradeParty", "seller-tax-representative"),
    ):
        if (p := _cii_party(_first(agr, path, m), role, m)) is not None:  # type: ignore[arg-type]
            s.parties.append(p)
    if (p := _cii_party(_first(stl, "ram:PayeeTradeParty", m), "payee", m)) is not None:
        s.parties.append(p)
    if (p := _cii_party(_first(dlv, "ram:ShipToTradeParty", m), "ship-to", m)) is not None:
        s.parties.append(p)
    s.currency = _txt(stl, "ram:InvoiceCurrencyCode", m)
    s.tax_currency = _txt(stl, "ram:TaxCurrencyCode", m)
    s.due_date = _date(
        _txt(stl, "ram:SpecifiedTradePaymentTerms/ram:DueDateDateTime/udt:DateTimeString", m)
    )
    for tax in _findall(stl, "ram:ApplicableTradeTax", m):
        s.vat_breakdown.append(
            _fast(VatRow)(
                category=_txt(tax, "ram:CategoryCode", m),
                rate=_amount(tax, "ram:RateApplicablePercent", m)
                if not zf1
                else _amount(tax, "ram:ApplicablePercent", m),
                taxable_amount=_amount(tax, "ram:BasisAmount", m),
                tax_amount=_amount(tax, "ram:CalculatedAmount", m),
                exemption_reason=_txt(tax, "ram:ExemptionReason", m),
                exemption_code=_txt(tax, "ram:ExemptionReasonCode", m),
                path=short_path(tax),
            )
        )
    t = s.totals
    if sums is not None:
        t.path = short_path(sums)
        t.line_total = _amount(sums, "ram:LineTotalAmount", m)
        t.charges = _amount(sums, "ram:ChargeTotalAmount", m)
        t.allowances = _amount(sums, "ram:AllowanceTotalAmount", m)
        t.tax_exclusive = _amount(sums, "ram:TaxBasisTotalAmount", m)
        t.rounding = _amount(sums, "ram:RoundingAmount", m)
        t.tax_inclusive = _amount(sums, "ram:GrandTotalAmount", m)
        t.prepaid = _amount(sums, "ram:TotalPrepaidAmount", m)
        t.payable = _amount(sums, "ram:DuePayableAmount", m)
        for el in sums.findall("ram:TaxTotalAmount", m):
            _tax_total(s, el.get("currencyID"), _dec(el.text))
    items = _findall(tx, item_path, m)
    s.lines_count = len(items)
    if not lines:
        return
    for it in items:
        doc = _first(it, "ram:AssociatedDocumentLineDocument", m)
        prod = _first(it, "ram:SpecifiedTradeProduct", m)
        if zf1:
            agr_l = _first(it, "ram:SpecifiedSupplyChainTradeAgreement", m)
            dlv_l = _first(it, "ram:SpecifiedSupplyChainTradeDelivery", m)
            stl_l = _first(it, "ram:SpecifiedSupplyChainTradeSettlement", m)
            sum_l = "ram:SpecifiedTradeSettlementMonetarySummation/ram:LineTotalAmount"
            rate_l = "ram:ApplicableTradeTax/ram:ApplicablePercent"
        else:
            agr_l = _first(it, "ram:SpecifiedLineTradeAgreement", m)
            dlv_l = _first(it, "ram:SpecifiedLineTradeDelivery", m)
            stl_l = _first(it, "ram:SpecifiedLineTradeSettlement", m)
            sum_l = "ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount"
            rate_l = "ram:ApplicableTradeTax/ram:RateApplicablePercent"
        qty = _first(dlv_l, "ram:BilledQuantity", m)
        s.lines.append(
            _fast(Line)(
                id=_txt(doc, "ram:LineID", m),
                parent_id=_txt(doc, "ram:ParentLineID", m),
                name=_txt(prod, "ram:Name", m),
                description=_txt(prod, "ram:Description", m),
                quantity=_dec(qty.text) if qty is not None else None,
                unit=qty.get("unitCode") if qty is not None else None,
                net_price=_amount(agr_l, "ram:NetPriceProductTradePrice/ram:ChargeAmount", m),
                net_amount=_amount(stl_l, sum_l, m),
                vat_category=_txt(stl_l, "ram:ApplicableTradeTax/ram:CategoryCode", m),
                vat_rate=_amount(stl_l, rate_l, m),
                path=short_path(it),
            )
        )


def _findall(node: etree._Element | None, path: str, m: dict[str, str]) -> list[etree._Element]:
    return [] if node is None else list(node.findall(path, m))


# ----------------------------------------------------------------------------------------------
# UBL
# ----------------------------------------------------------------------------------------------

_UBL = {"cac": ns.UBL_CAC, "cbc": ns.UBL_CBC}


def _ubl_party(el: etree._Element | None, role: Role, *, legal_name: bool = True) -> Party | None:
    if el is None:
        return None
    m = _UBL
    p = _fast(Party)(role=role, path=short_path(el))
    reg = _txt(el, "cac:PartyLegalEntity/cbc:RegistrationName", m)
    trade = _txt(el, "cac:PartyName/cbc:Name", m)
    p.name = reg or trade
    p.trading_name = trade if reg and trade and trade != reg else None
    for x in el.findall("cac:PartyIdentification/cbc:ID", m):
        if (i := _ident(x)) is not None:
            p.ids.append(i)
    for x in el.findall("cac:PartyLegalEntity/cbc:CompanyID", m):
        if (i := _ident(x)) is not None:
            p.legal_ids.append(i)
    for scheme in el.findall("cac:PartyTaxScheme", m):
        cid = _txt(scheme, "cbc:CompanyID", m)
        kind = _txt(scheme, "cac:TaxScheme/cbc:ID", m)
        if cid:
            p.tax_ids.append(
                _fast(Identifier)(value=cid, scheme="VA" if (kind or "").upper() == "VAT" else "FC")
            )
    end = _first(el, "cbc:EndpointID", m)
    if end is not None:
        p.electronic_address = _ident(end)
    addr = _first(el, "cac:PostalAddress", m)
    if addr is not None:
        p.address_lines = [
            t
            for t in (
                _txt(addr, "cbc:StreetName", m),
                _txt(addr, "cbc:AdditionalStreetName", m),
                _txt(addr, "cac:AddressLine/cbc:Line", m),
            )
            if t
        ]
        p.postcode = _txt(addr, "cbc:PostalZone", m)
        p.city = _txt(addr, "cbc:CityName", m)
        p.country = _txt(addr, "cac:Country/cbc:IdentificationCode", m)
    _fill_french_ids(p)
    return p


def _read_ubl(s: InvoiceSummary, root: etree._Element, lines: bool) -> None:
    m = _UBL
    credit = etree.QName(root).localname == "CreditNote"
    s.number = _txt(root, "cbc:ID", m)
    s.type_code = _txt(root, "cbc:CreditNoteTypeCode" if credit else "cbc:InvoiceTypeCode", m)
    s.issue_date = _date(_txt(root, "cbc:IssueDate", m))
    s.due_date = _date(_txt(root, "cbc:DueDate", m)) or _date(
        _txt(root, "cac:PaymentMeans/cbc:PaymentDueDate", m)
    )
    s.notes = [note for x in root.findall("cbc:Note", m) if (note := _clean(x.text))]
    s.currency = _txt(root, "cbc:DocumentCurrencyCode", m)
    s.tax_currency = _txt(root, "cbc:TaxCurrencyCode", m)
    s.buyer_reference = _txt(root, "cbc:BuyerReference", m)
    s.order_reference = _txt(root, "cac:OrderReference/cbc:ID", m)
    s.business_process = _txt(root, "cbc:ProfileID", m)
    for path, role in (
        ("cac:AccountingSupplierParty/cac:Party", "seller"),
        ("cac:AccountingCustomerParty/cac:Party", "buyer"),
        ("cac:PayeeParty", "payee"),
        ("cac:TaxRepresentativeParty", "seller-tax-representative"),
    ):
        if (p := _ubl_party(_first(root, path, m), role)) is not None:  # type: ignore[arg-type]
            s.parties.append(p)
    dlv = _first(root, "cac:Delivery", m)
    if dlv is not None:
        ship = _fast(Party)(role="ship-to", path=short_path(dlv))
        ship.name = _txt(dlv, "cac:DeliveryParty/cac:PartyName/cbc:Name", m)
        loc = _first(dlv, "cac:DeliveryLocation/cbc:ID", m)
        if loc is not None and (i := _ident(loc)) is not None:
            ship.ids.append(i)
        ship.country = _txt(
            dlv, "cac:DeliveryLocation/cac:Address/cac:Country/cbc:IdentificationCode", m
        )
        ship.city = _txt(dlv, "cac:DeliveryLocation/cac:Address/cbc:CityName", m)
        ship.postcode = _txt(dlv, "cac:DeliveryLocation/cac:Address/cbc:PostalZone", m)
        _fill_french_ids(ship)
        if ship.name or ship.ids or ship.country:
            s.parties.append(ship)
    t = s.totals
    for tt in root.findall("cac:TaxTotal", m):
        amount = _first(tt, "cbc:TaxAmount", m)
        if amount is not None:
            _tax_total(s, amount.get("currencyID"), _dec(amount.text))
        for sub in tt.findall("cac:TaxSubtotal", m):
            s.vat_breakdown.append(
                _fast(VatRow)(
                    category=_txt(sub, "cac:TaxCategory/cbc:ID", m),
                    rate=_amount(sub, "cac:TaxCategory/cbc:Percent", m),
                    taxable_amount=_amount(sub, "cbc:TaxableAmount", m),
                    tax_amount=_amount(sub, "cbc:TaxAmount", m),
                    exemption_reason=_txt(sub, "cac:TaxCategory/cbc:TaxExemptionReason", m),
                    exemption_code=_txt(sub, "cac:TaxCategory/cbc:TaxExemptionReasonCode", m),
                    path=short_path(sub),
                )
            )
    lmt = _first(root, "cac:LegalMonetaryTotal", m)
    if lmt is not None:
        t.path = short_path(lmt)
        t.line_total = _amount(lmt, "cbc:LineExtensionAmount", m)
        t.tax_exclusive = _amount(lmt, "cbc:TaxExclusiveAmount", m)
        t.tax_inclusive = _amount(lmt, "cbc:TaxInclusiveAmount", m)
        t.allowances = _amount(lmt, "cbc:AllowanceTotalAmount", m)
        t.charges = _amount(lmt, "cbc:ChargeTotalAmount", m)
        t.prepaid = _amount(lmt, "cbc:PrepaidAmount", m)
        t.rounding = _amount(lmt, "cbc:PayableRoundingAmount", m)
        t.payable = _amount(lmt, "cbc:PayableAmount", m)
    items = root.findall("cac:CreditNoteLine" if credit else "cac:InvoiceLine", m)
    s.lines_count = len(items)
    if not lines:
        return
    for it in items:
        qty = _first(it, "cbc:CreditedQuantity" if credit else "cbc:InvoicedQuantity", m)
        s.lines.append(
            _fast(Line)(
                id=_txt(it, "cbc:ID", m),
                name=_txt(it, "cac:Item/cbc:Name", m),
                description=_txt(it, "cac:Item/cbc:Description", m),
                quantity=_dec(qty.text) if qty is not None else None,
                unit=qty.get("unitCode") if qty is not None else None,
                net_price=_amount(it, "cac:Price/cbc:PriceAmount", m),
                net_amount=_amount(it, "cbc:LineExtensionAmount", m),
                vat_category=_txt(it, "cac:Item/cac:ClassifiedTaxCategory/cbc:ID", m),
                vat_rate=_amount(it, "cac:Item/cac:ClassifiedTaxCategory/cbc:Percent", m),
                path=short_path(it),
            )
        )


# ----------------------------------------------------------------------------------------------
# Entry points
# ----------------------------------------------------------------------------------------------


def _pdf_summary(doc: Document) -> PdfSummary | None:
    pdf = doc.pdf
    if pdf is None:
        return None
    pdfa = None
    if pdf.pdfa_part:
        pdfa = pdf.pdfa_part + (pdf.pdfa_conformance or "")
    return _fast(PdfSummary)(
        version=pdf.version,
        pages=pdf.pages,
        encrypted=pdf.encrypted,
        pdfa=pdfa,
        xmp=dict(pdf.xmp),
        xmp_namespace=pdf.xmp_namespace,
        xmp_error=pdf.xmp_error,
        attachments=[
            _fast(AttachmentSummary)(
                name=a.name,
                size=a.size,
                mime=a.mime,
                af_relationship=a.af_relationship,
                in_catalog_af=a.in_catalog_af,
                is_invoice=a is pdf.invoice,
                error=a.error,
            )
            for a in pdf.attachments
        ],
        invoice_attachment=pdf.invoice.name if pdf.invoice is not None else None,
        scripts=list(pdf.actions),
    )


def summarize(doc: Document, *, lines: bool = True) -> InvoiceSummary:
    """The summary of a loaded document. ``lines=False`` skips reading the lines (faster; the
    count is still given)."""
    s = _fast(InvoiceSummary)(
        path=doc.path,
        container=doc.container,
        syntax=doc.syntax,
        document=doc.document,
        profile=doc.profile,
        guideline=doc.guideline,
        flavour=doc.flavour,
        sha256=doc.sha256,
        pdf=_pdf_summary(doc),
    )
    if doc.xml_error is not None:
        s.problems.append(f"the invoice XML cannot be read: {doc.xml_error}")
    if doc.pdf is not None and doc.pdf.invoice is None:
        s.problems.append("the PDF carries no invoice XML")
    if doc.tree is None:
        return s
    root = doc.tree.getroot()
    if doc.syntax == "cii":
        _read_cii(s, root, zf1=False, lines=lines)
    elif doc.syntax == "zugferd1" and etree.QName(root).namespace == ns.ZF1_RSM:
        _read_cii(s, root, zf1=True, lines=lines)
    elif doc.syntax == "ubl":
        _read_ubl(s, root, lines=lines)
    else:
        s.problems.append(f"the content of a {doc.syntax} document is not summarised")
    return s


def inspect(source: str | Path | bytes, *, name: str | None = None) -> InvoiceSummary:
    """Load a file (PDF or XML, path or bytes) and summarise it.

    Raises :class:`~einvoice_gov.errors.InputError` when the file cannot be read at all
    (unreadable, encrypted with a password, not an invoice format).
    """
    return summarize(load(source, name=name))


__all__ = [
    "AttachmentSummary",
    "Identifier",
    "InvoiceSummary",
    "Line",
    "Party",
    "PdfSummary",
    "Totals",
    "VatRow",
    "inspect",
    "short_path",
    "summarize",
]
