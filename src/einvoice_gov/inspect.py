"""What a PDF or XML invoice contains, in a form an accountant reads: ``einvoice-gov inspect``.

:func:`inspect` returns the typed :class:`~einvoice_gov.formats.summary.InvoiceSummary`
(syntax, profile, parties, lines, totals, VAT breakdown, PDF attachments and XMP);
:func:`render_text` and :func:`render_json` turn it into the command's two outputs. Nothing
here judges the invoice: ``einvoice-gov check`` does.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

from einvoice_gov.formats.summary import InvoiceSummary, Party, inspect, summarize

__all__ = [
    "InvoiceSummary",
    "format_amount",
    "format_day",
    "inspect",
    "render_json",
    "render_text",
    "summarize",
]

_W = {
    "en": {
        "file": "File",
        "format": "Format",
        "profile": "profile",
        "invoice": "Invoice",
        "creditnote": "Credit note",
        "document": "Document",
        "no": "no.",
        "type": "type",
        "issued": "issued",
        "due": "due",
        "currency": "currency",
        "vat_currency": "VAT accounting currency",
        "buyer_ref": "buyer reference",
        "order": "order",
        "process": "business process (BT-23)",
        "seller": "Seller",
        "buyer": "Buyer",
        "payee": "Payee",
        "seller-tax-representative": "Tax representative",
        "ship-to": "Delivered to",
        "vat": "VAT",
        "e_address": "e-address",
        "lines": "Lines",
        "more_lines": "... {n} more line(s) (use --max-lines or --format json)",
        "vat_breakdown": "VAT breakdown",
        "on": "on",
        "exempt": "exemption",
        "totals": "Totals",
        "net": "lines net",
        "allowances": "allowances",
        "charges": "charges",
        "excl": "total excl. VAT",
        "vat_total": "VAT",
        "vat_total_acc": "VAT in",
        "incl": "total incl. VAT",
        "prepaid": "already paid",
        "rounding": "rounding",
        "payable": "amount due",
        "notes": "Notes",
        "pdf": "PDF",
        "pages": "page(s)",
        "encrypted": "ENCRYPTED",
        "pdfa": "declares PDF/A-{v} (not verified)",
        "no_pdfa": "no PDF/A declaration",
        "xmp": "XMP",
        "no_xmp": "none",
        "attachments": "Attachments",
        "none": "none",
        "invoice_mark": "<- invoice read",
        "scripts": "Scripts",
        "problems": "Could not read",
        "hint": "Validate it with: einvoice-gov check {path}",
    },
    "fr": {
        "file": "Fichier",
        "format": "Format",
        "profile": "profil",
        "invoice": "Facture",
        "creditnote": "Avoir",
        "document": "Document",
        "no": "n°",
        "type": "type",
        "issued": "émise le",
        "due": "échéance",
        "currency": "devise",
        "vat_currency": "devise de comptabilisation de la TVA",
        "buyer_ref": "référence acheteur",
        "order": "commande",
        "process": "cadre de facturation (BT-23)",
        "seller": "Vendeur",
        "buyer": "Acheteur",
        "payee": "Bénéficiaire",
        "seller-tax-representative": "Représentant fiscal",
        "ship-to": "Livré à",
        "vat": "TVA",
        "e_address": "adresse électronique",
        "lines": "Lignes",
        "more_lines": "... {n} ligne(s) de plus (voir --max-lines ou --format json)",
        "vat_breakdown": "Ventilation de la TVA",
        "on": "sur",
        "exempt": "exonération",
        "totals": "Totaux",
        "net": "total des lignes HT",
        "allowances": "remises",
        "charges": "frais",
        "excl": "total HT",
        "vat_total": "TVA",
        "vat_total_acc": "TVA en",
        "incl": "total TTC",
        "prepaid": "déjà payé",
        "rounding": "arrondi",
        "payable": "net à payer",
        "notes": "Notes",
        "pdf": "PDF",
        "pages": "page(s)",
        "encrypted": "CHIFFRÉ",
        "pdfa": "se déclare PDF/A-{v} (non vérifié)",
        "no_pdfa": "aucune déclaration PDF/A",
        "xmp": "XMP",
        "no_xmp": "aucune",
        "attachments": "Pièces jointes",
        "none": "aucune",
        "invoice_mark": "<- facture lue",
        "scripts": "Scripts",
        "problems": "Illisible",
        "hint": "Pour la valider : einvoice-gov check {path}",
    },
}

_SYNTAX = {
    "cii": "UN/CEFACT CII",
    "ubl": "UBL 2.1",
    "zugferd1": "ZUGFeRD 1.0",
    "cdar": "CDAR (lifecycle status)",
    "orderx": "Order-X",
    "fatturapa": "FatturaPA",
    "unknown": "?",
}


def format_amount(value: Decimal | None, lang: str) -> str:
    """``1 234,50`` in French, ``1,234.50`` in English; at least two decimals."""
    if value is None:
        return "-"
    q = value if value.as_tuple().exponent <= -2 else value.quantize(Decimal("0.01"))  # type: ignore[operator]
    text = f"{q:,f}"
    if lang == "fr":
        text = text.replace(",", "\u202f").replace(".", ",")
    return text


def format_day(day: dt.date | None, lang: str) -> str:
    """``31/10/2018`` in French, ``2018-10-31`` in English."""
    if day is None:
        return "-"
    return day.strftime("%d/%m/%Y") if lang == "fr" else day.isoformat()


def _num(value: Decimal | None, lang: str) -> str:
    if value is None:
        return "-"
    text = format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")
    return text.replace(".", ",") if lang == "fr" else text


def _party_lines(p: Party, w: dict[str, str]) -> list[str]:
    head = p.name or "-"
    if p.trading_name:
        head += f" ({p.trading_name})"
    ids = []
    if p.siren:
        ids.append(f"SIREN {p.siren}")
    if p.siret:
        ids.append(f"SIRET {p.siret}")
    for i in p.legal_ids:
        if i.value != p.siren:
            ids.append(f"{i.value}" + (f" [{i.scheme}]" if i.scheme else ""))
    for i in p.ids:
        if i.value != p.siret:
            ids.append(f"{i.value}" + (f" [{i.scheme}]" if i.scheme else ""))
    if p.vat_id:
        ids.append(f"{w['vat']} {p.vat_id}")
    place = " ".join(x for x in (p.postcode, p.city) if x)
    where = ", ".join(x for x in (*p.address_lines, place, p.country or "") if x)
    out = [head]
    if ids:
        out.append(" · ".join(ids))
    if where:
        out.append(where)
    if p.electronic_address is not None:
        e = p.electronic_address
        out.append(f"{w['e_address']} {e.value}" + (f" [{e.scheme}]" if e.scheme else ""))
    return out


def render_text(s: InvoiceSummary, lang: str = "en", *, max_lines: int = 30) -> str:
    """The summary as aligned text, in French or English."""
    w = _W["fr" if lang == "fr" else "en"]
    rows: list[tuple[str, str]] = []

    def row(label: str, value: str) -> None:
        rows.append((label, value))

    row(w["file"], s.path)
    fmt = _SYNTAX.get(s.syntax, s.syntax)
    if s.container == "pdf":
        fmt = f"PDF + {fmt}" if s.syntax != "unknown" else "PDF"
    if s.flavour:
        fmt += f" ({s.flavour})"
    if s.profile:
        fmt += f" · {w['profile']} {s.profile}"
    if s.guideline:
        fmt += f" · BT-24 {s.guideline}"
    row(w["format"], fmt)
    if s.number or s.type_code or s.issue_date:
        kind = w.get(s.document, w["document"])
        parts = [f"{w['no']} {s.number or '-'}"]
        if s.type_code:
            parts.append(f"{w['type']} {s.type_code}")
        if s.issue_date:
            parts.append(f"{w['issued']} {format_day(s.issue_date, lang)}")
        if s.due_date:
            parts.append(f"{w['due']} {format_day(s.due_date, lang)}")
        if s.currency:
            parts.append(f"{w['currency']} {s.currency}")
        if s.tax_currency and s.tax_currency != s.currency:
            parts.append(f"{w['vat_currency']} {s.tax_currency}")
        row(kind, " · ".join(parts))
        refs = []
        if s.buyer_reference:
            refs.append(f"{w['buyer_ref']} {s.buyer_reference}")
        if s.order_reference:
            refs.append(f"{w['order']} {s.order_reference}")
        if s.business_process:
            refs.append(f"{w['process']} {s.business_process}")
        if refs:
            row("", " · ".join(refs))
    for p in s.parties:
        for i, text in enumerate(_party_lines(p, w)):
            row(w[p.role] if i == 0 else "", text)
    cur = f" {s.currency}" if s.currency else ""
    if s.lines_count:
        row(w["lines"], f"{s.lines_count}")
        for line in s.lines[:max_lines]:
            qty = _num(line.quantity, lang)
            unit = f" {line.unit}" if line.unit else ""
            vat = ""
            if line.vat_category or line.vat_rate is not None:
                vat = f"  {w['vat']} {line.vat_category or ''} {_num(line.vat_rate, lang)} %"
            name = line.name or line.description or ""
            row(
                "",
                f"{line.id or '-':>4}  {name}  {qty}{unit} x "
                f"{format_amount(line.net_price, lang)} = "
                f"{format_amount(line.net_amount, lang)}{cur}{vat}",
            )
        if s.lines_count > len(s.lines[:max_lines]) and s.lines:
            row("", w["more_lines"].format(n=s.lines_count - len(s.lines[:max_lines])))
    for i, v in enumerate(s.vat_breakdown):
        text = (
            f"{v.category or '-'} {_num(v.rate, lang)} % {w['on']} "
            f"{format_amount(v.taxable_amount, lang)} = {format_amount(v.tax_amount, lang)}{cur}"
        )
        if v.exemption_reason or v.exemption_code:
            why = " ".join(x for x in (v.exemption_code, v.exemption_reason) if x)
            text += f"  ({w['exempt']} : {why})" if lang == "fr" else f"  ({w['exempt']}: {why})"
        row(w["vat_breakdown"] if i == 0 else "", text.rstrip())
    t = s.totals
    if any(x is not None for x in (t.line_total, t.tax_exclusive, t.tax_inclusive, t.payable)):
        pairs = [
            (w["net"], t.line_total),
            (w["allowances"], t.allowances),
            (w["charges"], t.charges),
            (w["excl"], t.tax_exclusive),
            (w["vat_total"], t.tax_total),
            (
                f"{w['vat_total_acc']} {t.tax_total_accounting_currency or '?'}",
                t.tax_total_accounting,
            ),
            (w["incl"], t.tax_inclusive),
            (w["prepaid"], t.prepaid),
            (w["rounding"], t.rounding),
            (w["payable"], t.payable),
        ]
        first = True
        for label, value in pairs:
            if value is None:
                continue
            colon = " : " if lang == "fr" else ": "
            row(w["totals"] if first else "", f"{label}{colon}{format_amount(value, lang)}")
            first = False
    for i, note in enumerate(s.notes[:5]):
        row(w["notes"] if i == 0 else "", note[:200])
    if s.pdf is not None:
        pdf = s.pdf
        head = [f"PDF {pdf.version or '?'}"]
        if pdf.pages is not None:
            head.append(f"{pdf.pages} {w['pages']}")
        if pdf.encrypted:
            head.append(w["encrypted"])
        head.append(w["pdfa"].format(v=pdf.pdfa) if pdf.pdfa else w["no_pdfa"])
        row(w["pdf"], " · ".join(head))
        if pdf.xmp_error:
            row(w["xmp"], pdf.xmp_error)
        elif pdf.xmp:
            row(w["xmp"], " · ".join(f"{k}={v}" for k, v in pdf.xmp.items()))
        else:
            row(w["xmp"], w["no_xmp"])
        if not pdf.attachments:
            row(w["attachments"], w["none"])
        for i, a in enumerate(pdf.attachments):
            bits = [x for x in (a.mime, f"{a.size} B", a.af_relationship) if x]
            text = f"{a.name} ({', '.join(bits)})"
            if a.is_invoice:
                text += f"  {w['invoice_mark']}"
            if a.error:
                text += f"  [{a.error}]"
            row(w["attachments"] if i == 0 else "", text)
        if pdf.scripts:
            row(w["scripts"], ", ".join(pdf.scripts))
    for i, prob in enumerate(s.problems):
        row(w["problems"] if i == 0 else "", prob)
    width = max(len(label) for label, _ in rows) + 2
    out = [
        f"{label:<{width}}{value}" if label else f"{'':<{width}}{value}" for label, value in rows
    ]
    out.append("")
    out.append(w["hint"].format(path=s.path))
    return "\n".join(out) + "\n"


def render_json(s: InvoiceSummary) -> str:
    """The summary as indented JSON (amounts as strings, dates as ISO 8601)."""
    return json.dumps(s.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"
