"""Read a CDAR D22B lifecycle status message ("message de cycle de vie") into a typed object.

A platform (or the buyer, or the seller) sends one CDAR message per status change of an
invoice: 200 Déposée, 210 Refusée, 212 Encaissée... :func:`parse_status` turns it into a
:class:`StatusMessage`. It reads what is there and never judges it: the BR-FR-CDV rules
(``einvoice-gov check`` on the file) say whether the message is valid.

The business terms (MDT-nn) are those of the French specification (XP Z12-012, FNFE-MPE
explanatory note); ``docs/cdar.md`` maps each field to its element.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

from lxml import etree
from pydantic import BaseModel, ConfigDict

from einvoice_gov.cdar import codes
from einvoice_gov.errors import InputError, UnknownFormatError
from einvoice_gov.formats.document import load
from einvoice_gov.formats.namespaces import CDAR_RSM, CII_QDT, CII_RAM, CII_UDT

__all__ = [
    "Characteristic",
    "Identifier",
    "PaidAmount",
    "Party",
    "ReferencedInvoice",
    "StatusDetail",
    "StatusMessage",
    "parse_status",
    "status_label",
]

_RSM = f"{{{CDAR_RSM}}}"
_RAM = f"{{{CII_RAM}}}"
_DATE_CHILDREN = (f"{{{CII_UDT}}}DateTimeString", f"{{{CII_QDT}}}DateTimeString")
_DATETIME = f"{{{CII_UDT}}}DateTime"
_INDICATOR = (f"{{{CII_UDT}}}Indicator", f"{{{CII_UDT}}}IndicatorString")


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True)


class Identifier(_Model):
    """An identifier with its scheme (ISO 6523 ICD: 0002 SIREN, 0009 SIRET, 0225, 0238...)."""

    value: str
    scheme: str | None = None


class Party(_Model):
    """A party of the message: sender (MDG-9), issuer, a recipient, or the invoice's seller."""

    role: str | None = None  # MDT-21 / MDT-40 / MDT-59 / MDT-132 / MDT-158
    name: str | None = None
    global_ids: tuple[Identifier, ...] = ()  # MDT-38 / MDT-57 / MDT-129 (GlobalID)
    ids: tuple[Identifier, ...] = ()  # ram:ID
    electronic_address: Identifier | None = None  # MDT-73 (URIID, scheme 0225)

    @property
    def role_label_fr(self) -> str | None:
        lab = codes.ROLE_LABELS.get(self.role or "")
        return lab.fr if lab else None

    @property
    def role_label_en(self) -> str | None:
        lab = codes.ROLE_LABELS.get(self.role or "")
        return lab.en if lab else None

    @property
    def siren(self) -> str | None:
        """The first identifier in scheme 0002 (SIREN), if any."""
        return next((i.value for i in self.global_ids if i.scheme == "0002"), None)


class Characteristic(_Model):
    """A characteristic of a status detail (MDG-43): a changed value, or a cashed amount."""

    id: str | None = None  # e.g. the business term concerned ("BT-152")
    type_code: str | None = None  # MDT-207 (MEN = cashed amount, DIV/DVA = wrong/right value)
    changed: bool | None = None  # MDT-209
    name: str | None = None
    location: str | None = None
    value: str | None = None
    amount: Decimal | None = None  # MDT-215
    currency: str | None = None
    percent: Decimal | None = None  # MDT-224 (the VAT rate for a 212)
    raw_amount: str | None = None
    raw_percent: str | None = None


class StatusDetail(_Model):
    """A status detail (MDG-37): a reason, an expected action, changed values or amounts."""

    sequence: str | None = None  # MDT-124-2
    status_code: str | None = None  # MDT-115
    reason_code: str | None = None  # MDT-113
    reason: str | None = None  # MDT-114 (free text)
    action_code: str | None = None  # MDT-121
    action: str | None = None  # MDT-122 (free text)
    characteristics: tuple[Characteristic, ...] = ()

    @property
    def reason_label_fr(self) -> str | None:
        lab = codes.REASON_LABELS.get(self.reason_code or "")
        return lab.fr if lab else None

    @property
    def reason_label_en(self) -> str | None:
        lab = codes.REASON_LABELS.get(self.reason_code or "")
        return lab.en if lab else None


class PaidAmount(_Model):
    """One cashed amount of a 212 Encaissée status, with its VAT rate (MDG-43 type MEN)."""

    amount: Decimal | None
    currency: str | None
    vat_rate: Decimal | None


class ReferencedInvoice(_Model):
    """The invoice the status is about (MDG-33 ReferenceReferencedDocument) and its status."""

    number: str | None = None  # MDT-87 (BT-1 of the invoice)
    type_code: str | None = None  # MDT-91 (BT-3)
    issue_date: dt.date | None = None  # MDT-100 (BT-2)
    issue_date_raw: str | None = None
    received_at: dt.datetime | None = None  # MDT-95
    received_at_raw: str | None = None
    phase_code: str | None = None  # MDT-88
    status_code: str | None = None  # MDT-105
    status_text: str | None = None  # MDT-106 as written in the message
    guideline: str | None = None  # ReferenceTypeCode (present in messages for the PPF)
    seller: Party | None = None  # MDG issuer of the invoice (MDT-129, MDT-132)
    recipients: tuple[Party, ...] = ()
    details: tuple[StatusDetail, ...] = ()

    @property
    def seller_ids(self) -> tuple[Identifier, ...]:
        return self.seller.global_ids if self.seller else ()


class StatusMessage(_Model):
    """A lifecycle status message.

    Most messages are about one invoice ("MONO"): the shortcuts ``invoice``, ``status_code``,
    ``reasons``, ``actions`` and ``amounts`` read the first referenced invoice. A "MULTI"
    message (MDT-74 true) lists several in ``invoices``.
    """

    message_id: str | None  # MDT-4
    name: str | None = None  # MDT-5
    issued_at: dt.datetime | None = None  # MDT-8
    issued_at_raw: str | None = None
    guideline: str | None = None  # MDT-3
    process_type: str | None = None  # MDT-2 (REGULATED, B2BINT...)
    test: bool | None = None
    ack_type: str | None = None  # MDT-77: 305 transmission phase, 23 processing phase
    ack_issued_at: dt.datetime | None = None  # MDT-78 (date-time of the status)
    ack_issued_at_raw: str | None = None
    multiple: bool | None = None  # MDT-74
    sender: Party | None = None  # MDG-9
    issuer: Party | None = None
    recipients: tuple[Party, ...] = ()
    invoices: tuple[ReferencedInvoice, ...] = ()

    # -- shortcuts on the first referenced invoice ------------------------------------------
    @property
    def invoice(self) -> ReferencedInvoice | None:
        return self.invoices[0] if self.invoices else None

    @property
    def status_code(self) -> str | None:
        inv = self.invoice
        return inv.status_code if inv else None

    @property
    def status_label_fr(self) -> str | None:
        return status_label(self.status_code, "fr")

    @property
    def status_label_en(self) -> str | None:
        return status_label(self.status_code, "en")

    @property
    def phase_code(self) -> str | None:
        inv = self.invoice
        return inv.phase_code if inv else None

    @property
    def phase(self) -> str | None:
        """``transmission`` (MDT-77 = 305) or ``processing`` (23), else ``None``."""
        return {"305": "transmission", "23": "processing"}.get(self.ack_type or "")

    @property
    def mandatory(self) -> bool:
        """Whether the status is one the PPF must receive (200, 210, 212, 213)."""
        return self.status_code in codes.MANDATORY_STATUSES

    @property
    def details(self) -> tuple[StatusDetail, ...]:
        inv = self.invoice
        return inv.details if inv else ()

    @property
    def reasons(self) -> tuple[tuple[str | None, str | None], ...]:
        """(MDT-113 code, MDT-114 text) of every detail that has either."""
        return tuple((d.reason_code, d.reason) for d in self.details if d.reason_code or d.reason)

    @property
    def actions(self) -> tuple[tuple[str | None, str | None], ...]:
        """(MDT-121 code, MDT-122 text) of every detail that has either."""
        return tuple((d.action_code, d.action) for d in self.details if d.action_code or d.action)

    @property
    def amounts(self) -> tuple[PaidAmount, ...]:
        """The cashed amounts of a 212 (characteristics of type MEN), with their VAT rate."""
        return tuple(
            PaidAmount(amount=c.amount, currency=c.currency, vat_rate=c.percent)
            for d in self.details
            for c in d.characteristics
            if c.type_code == "MEN"
        )


def status_label(code: str | None, lang: str = "en") -> str | None:
    """The label of an MDT-105 status code (``None`` for an unknown code)."""
    lab = codes.STATUS_LABELS.get((code or "").strip())
    if lab is None:
        return None
    return lab.fr if lang == "fr" else lab.en


# -- reading ----------------------------------------------------------------------------------


def _text(el: etree._Element | None) -> str | None:
    if el is None:
        return None
    txt = "".join(str(t) for t in el.itertext())
    txt = " ".join(txt.split())
    return txt or None


def _child(el: etree._Element | None, name: str, ns: str = _RAM) -> etree._Element | None:
    if el is None:
        return None
    return el.find(ns + name)


def _children(el: etree._Element | None, name: str, ns: str = _RAM) -> list[etree._Element]:
    if el is None:
        return []
    return el.findall(ns + name)


def _ident(el: etree._Element) -> Identifier | None:
    value = _text(el)
    if value is None:
        return None
    scheme = el.get("schemeID")
    return Identifier(value=value, scheme=scheme.strip() if scheme else None)


def _party(el: etree._Element | None) -> Party | None:
    if el is None:
        return None
    uri = _child(_child(el, "URIUniversalCommunication"), "URIID")
    return Party(
        role=_text(_child(el, "RoleCode")),
        name=_text(_child(el, "Name")),
        global_ids=tuple(i for g in _children(el, "GlobalID") if (i := _ident(g)) is not None),
        ids=tuple(i for g in _children(el, "ID") if (i := _ident(g)) is not None),
        electronic_address=_ident(uri) if uri is not None else None,
    )


def _date_string(el: etree._Element | None) -> tuple[str | None, str | None]:
    """(text, format) of a DateTimeType / FormattedDateTimeType element."""
    if el is None:
        return None, None
    for child in el:
        if child.tag in _DATE_CHILDREN:
            return _text(child), (child.get("format") or "").strip() or None
        if child.tag == _DATETIME:
            return _text(child), "xsd"
    return None, None


_FORMATS = {"102": "%Y%m%d", "203": "%Y%m%d%H%M", "204": "%Y%m%d%H%M%S"}


def _datetime(el: etree._Element | None) -> tuple[dt.datetime | None, str | None]:
    raw, fmt = _date_string(el)
    if raw is None:
        return None, None
    try:
        if fmt == "xsd":
            return dt.datetime.fromisoformat(raw.replace("Z", "+00:00")), raw
        pattern = _FORMATS.get(fmt or "") or {
            8: "%Y%m%d",
            12: "%Y%m%d%H%M",
            14: "%Y%m%d%H%M%S",
        }.get(len(raw))
        if pattern is None or not raw.isdigit():
            return None, raw
        return dt.datetime.strptime(raw, pattern), raw
    except ValueError:
        return None, raw


def _date(el: etree._Element | None) -> tuple[dt.date | None, str | None]:
    when, raw = _datetime(el)
    return (when.date() if when is not None else None), raw


def _decimal(text: str | None) -> Decimal | None:
    if text is None:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _indicator(el: etree._Element | None) -> bool | None:
    if el is None:
        return None
    for child in el:
        if child.tag in _INDICATOR:
            t = (_text(child) or "").lower()
            return True if t in ("true", "1") else False if t in ("false", "0") else None
    return None


def _characteristic(el: etree._Element) -> Characteristic:
    amount_el = _child(el, "ValueAmount")
    raw_amount = _text(amount_el)
    raw_percent = _text(_child(el, "ValuePercent"))
    currency = amount_el.get("currencyID") if amount_el is not None else None
    return Characteristic(
        id=_text(_child(el, "ID")),
        type_code=_text(_child(el, "TypeCode")),
        changed=_indicator(_child(el, "ValueChangedIndicator")),
        name=_text(_child(el, "Name")),
        location=_text(_child(el, "Location")),
        value=_text(_child(el, "Value")),
        amount=_decimal(raw_amount),
        currency=currency.strip() if currency else None,
        percent=_decimal(raw_percent),
        raw_amount=raw_amount,
        raw_percent=raw_percent,
    )


def _detail(el: etree._Element) -> StatusDetail:
    return StatusDetail(
        sequence=_text(_child(el, "SequenceNumeric")),
        status_code=_text(_child(el, "ProcessConditionCode")),
        reason_code=_text(_child(el, "ReasonCode")),
        reason=_text(_child(el, "Reason")),
        action_code=_text(_child(el, "RequestedActionCode")),
        action=_text(_child(el, "RequestedAction")),
        characteristics=tuple(
            _characteristic(c) for c in _children(el, "SpecifiedDocumentCharacteristic")
        ),
    )


def _invoice(el: etree._Element) -> ReferencedInvoice:
    issue, issue_raw = _date(_child(el, "FormattedIssueDateTime"))
    received, received_raw = _datetime(_child(el, "ReceiptDateTime"))
    return ReferencedInvoice(
        number=_text(_child(el, "IssuerAssignedID")),
        type_code=_text(_child(el, "TypeCode")),
        issue_date=issue,
        issue_date_raw=issue_raw,
        received_at=received,
        received_at_raw=received_raw,
        phase_code=_text(_child(el, "StatusCode")),
        status_code=_text(_child(el, "ProcessConditionCode")),
        status_text=_text(_child(el, "ProcessCondition")),
        guideline=_text(_child(el, "ReferenceTypeCode")),
        seller=_party(_child(el, "IssuerTradeParty")),
        recipients=tuple(
            p for r in _children(el, "RecipientTradeParty") if (p := _party(r)) is not None
        ),
        details=tuple(_detail(d) for d in _children(el, "SpecifiedDocumentStatus")),
    )


def parse_status(source: str | Path | bytes, *, strict: bool = True) -> StatusMessage:
    """Read a CDAR lifecycle status message.

    ``source`` is a path, the bytes of the file, or a ``str`` of XML text (one that begins
    with ``<``; any other ``str`` is a path). It is read as every input is
    (:func:`einvoice_gov.formats.document.load`): hardened XML parser (no DTD, no entity, no
    network), bounded size.

    Raises :class:`~einvoice_gov.errors.InputError` when the input cannot be used: unreadable,
    not well-formed or hostile XML (rule ``XML-*``), not a CDAR message (``CDAR-NOT-STATUS``,
    an :class:`~einvoice_gov.errors.UnknownFormatError`), or, when ``strict`` (the default),
    a message that carries no invoice status (``CDAR-NO-STATUS``: no referenced document, or
    no MDT-105 status code in it). With ``strict=False`` such a message is returned with the
    missing fields set to ``None``. The invoice number (MDT-87) may be absent either way: a
    501 Irrecevable answers a file that could not be read. Whether the message obeys the
    French rules is not checked here: validate it with ``einvoice_gov.validate``.
    """
    if isinstance(source, str) and source.lstrip("\ufeff \t\r\n").startswith("<"):
        # XML text: a str carries no byte encoding, so drop a declaration that would say one.
        source = re.sub(r"^\ufeff?\s*<\?xml[^>]*\?>", "", source, count=1).encode("utf-8")
    loaded = load(source)
    if loaded.tree is None:
        raise UnknownFormatError(
            "CDAR-NOT-STATUS",
            f"not a CDAR lifecycle status message: a {loaded.container.upper()} file",
        )
    root = loaded.tree.getroot()
    if root.tag != _RSM + "CrossDomainAcknowledgementAndResponse":
        q = etree.QName(root)
        raise UnknownFormatError(
            "CDAR-NOT-STATUS",
            f"not a CDAR lifecycle status message: root element {q.localname!r} in namespace "
            f"{q.namespace!r}",
        )
    ctx = root.find(_RSM + "ExchangedDocumentContext")
    doc = root.find(_RSM + "ExchangedDocument")
    acks = root.findall(_RSM + "AcknowledgementDocument")
    ack = acks[0] if acks else None
    issued, issued_raw = _datetime(_child(doc, "IssueDateTime"))
    ack_issued, ack_issued_raw = _datetime(_child(ack, "IssueDateTime"))
    invoices = tuple(_invoice(r) for a in acks for r in _children(a, "ReferenceReferencedDocument"))
    msg = StatusMessage(
        message_id=_text(_child(doc, "ID")),
        name=_text(_child(doc, "Name")),
        issued_at=issued,
        issued_at_raw=issued_raw,
        guideline=_text(_child(_child(ctx, "GuidelineSpecifiedDocumentContextParameter"), "ID")),
        process_type=_text(
            _child(_child(ctx, "BusinessProcessSpecifiedDocumentContextParameter"), "ID")
        ),
        test=_indicator(_child(ctx, "TestIndicator")),
        ack_type=_text(_child(ack, "TypeCode")),
        ack_issued_at=ack_issued,
        ack_issued_at_raw=ack_issued_raw,
        multiple=_indicator(_child(ack, "MultipleReferencesIndicator")),
        sender=_party(_child(doc, "SenderTradeParty")),
        issuer=_party(_child(doc, "IssuerTradeParty")),
        recipients=tuple(
            p for r in _children(doc, "RecipientTradeParty") if (p := _party(r)) is not None
        ),
        invoices=invoices,
    )
    if strict:
        if not invoices:
            raise InputError(
                "CDAR-NO-STATUS",
                "the status message references no invoice (no "
                "AcknowledgementDocument/ReferenceReferencedDocument)",
            )
        if invoices[0].status_code is None:
            raise InputError("CDAR-NO-STATUS", "the status message gives no status code (MDT-105)")
    return msg
