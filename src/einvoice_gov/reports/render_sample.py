"""The accountant's sample as one self-contained HTML file: each drawn invoice laid out
(parties, lines, VAT breakdown, totals) with the findings next to the fields they concern."""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal
from html import escape

from einvoice_gov.formats.summary import Party
from einvoice_gov.reports import fmt
from einvoice_gov.reports.render_html import html_page
from einvoice_gov.reports.sample import Sample, SampleItem
from einvoice_gov.reports.texts import words
from einvoice_gov.validation.findings import Finding

SECTIONS = ("document", "seller", "buyer", "lines", "vat", "totals")

#: business terms (BT/BG numbers) -> section of the rendered invoice
_BT_RANGES: tuple[tuple[str, int, int, str], ...] = (
    ("BT", 27, 43, "seller"),
    ("BT", 62, 69, "seller"),
    ("BT", 44, 58, "buyer"),
    ("BT", 106, 115, "totals"),
    ("BT", 116, 121, "vat"),
    ("BT", 126, 161, "lines"),
    ("BG", 4, 6, "seller"),
    ("BG", 11, 12, "seller"),
    ("BG", 7, 9, "buyer"),
    ("BG", 22, 22, "totals"),
    ("BG", 23, 23, "vat"),
    ("BG", 25, 32, "lines"),
)
#: element names in a finding's location -> section (first match wins, most specific first)
_LOCATIONS: tuple[tuple[str, str], ...] = (
    ("IncludedSupplyChainTradeLineItem", "lines"),
    ("InvoiceLine", "lines"),
    ("CreditNoteLine", "lines"),
    ("SellerTradeParty", "seller"),
    ("AccountingSupplierParty", "seller"),
    ("SellerTaxRepresentativeTradeParty", "seller"),
    ("BuyerTradeParty", "buyer"),
    ("AccountingCustomerParty", "buyer"),
    ("SpecifiedTradeSettlementHeaderMonetarySummation", "totals"),
    ("LegalMonetaryTotal", "totals"),
    ("TaxSubtotal", "vat"),
    ("ApplicableTradeTax", "vat"),
)
_TERM = re.compile(r"^(BT|BG)-(\d+)")

SAMPLE_CSS = """
.inv { border: 1px solid var(--line); border-radius: 10px; padding: 14px 18px; margin: 22px 0; }
.inv h2 { margin-top: 0; border: none; }
.grid { display: grid; grid-template-columns: 1fr 1fr; gap: 14px; }
.box { background: var(--light); border-radius: 8px; padding: 10px 12px; }
.box h3 { margin: 0 0 6px; }
.finding { border-left: 4px solid var(--red); background: #fdedec; padding: 4px 8px;
           margin: 6px 0; font-size: .88rem; }
.finding.warning { border-color: var(--orange); background: #fef5e7; }
.finding.info { border-color: var(--blue); background: #ebf5fb; }
.finding code { background: transparent; }
dl { margin: 0; } dt { float: left; clear: left; width: 11em; color: var(--grey); }
dd { margin: 0 0 2px 11.5em; }
"""


def section_of(finding: Finding) -> str:
    """Where a finding belongs in the rendered invoice: by the element it points to when that
    says (a party, a line, the totals...), else by its first business term, else "document"."""
    loc = finding.location or ""
    for name, section in _LOCATIONS:
        if name in loc:
            return section
    for term in finding.bt:
        m = _TERM.match(term)
        if not m:
            continue
        kind, num = m.group(1), int(m.group(2))
        for k, lo, hi, section in _BT_RANGES:
            if k == kind and lo <= num <= hi:
                return section
    return "document"


def _findings_html(findings: Iterable[Finding], lang: str) -> str:
    w = words(lang)
    out = []
    for f in findings:
        line = f" · {w['line_short']} {f.line}" if f.line else ""
        fix = f"<div>→ {escape(f.fix)}</div>" if f.fix else ""
        out.append(
            f'<div class="finding {f.severity.value}">'
            f"<strong><code>{escape(f.rule)}</code></strong>"
            f' <span class="muted">{escape(", ".join(f.bt))}{line}</span>'
            f"<div>{escape(f.message)}</div>{fix}</div>"
        )
    return "".join(out)


def _money(value: Decimal | None, currency: str | None) -> str:
    if value is None:
        return "—"
    return f"{value:,.2f}".replace(",", "\u202f") + (f" {currency}" if currency else "")


def _party(p: Party | None, title: str, lang: str) -> str:
    w = words(lang)
    if p is None:
        return f'<div class="box"><h3>{escape(title)}</h3><p class="muted">—</p>'
    rows = [
        (w["name"], p.name),
        ("SIREN", p.siren),
        ("SIRET", p.siret),
        (w["vat_id"], p.vat_id),
        (
            w["e_address"],
            f"{p.electronic_address.value} ({p.electronic_address.scheme})"
            if p.electronic_address
            else None,
        ),
        (
            w["address"],
            ", ".join(x for x in [*p.address_lines, p.postcode, p.city, p.country] if x) or None,
        ),
    ]
    items = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v or '—')}</dd>" for k, v in rows)
    return f'<div class="box"><h3>{escape(title)}</h3><dl>{items}</dl>'


def _invoice(item: SampleItem, n: int, lang: str) -> str:
    w = words(lang)
    rep, s = item.report, item.summary
    by_section: dict[str, list[Finding]] = {k: [] for k in SECTIONS}
    for f in rep.most_relevant():
        by_section[section_of(f)].append(f)
    verdict = w["valid_one"] if rep.valid else w["invalid_one"]
    badge = "ok" if rep.valid else "blocking"
    head = (
        f'<section class="inv" id="inv-{n}"><h2>{n}. {escape(item.path)} '
        f'<span class="badge {badge}">{escape(verdict)}</span></h2>'
        f'<p class="muted">{escape(w["stratum"])} : {escape(item.stratum)} · '
        f"{escape(rep.syntax)} · {escape(rep.profile or '—')}</p>"
    )
    if s is None or s.syntax in ("unknown", "pdf") or (not s.parties and not s.lines):
        body = f"<p>{escape(w['no_details'])}</p>" + _findings_html(rep.most_relevant(), lang)
        return head + body + "</section>"
    cur = s.currency
    doc_rows = [
        (w["number"], s.number),
        (w["type"], s.type_code),
        (w["issue_date"], fmt.date(s.issue_date, lang) if s.issue_date else None),
        (w["due_date"], fmt.date(s.due_date, lang) if s.due_date else None),
        (w["currency"], s.currency),
        ("BT-23", s.business_process),
    ]
    doc = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v or '—')}</dd>" for k, v in doc_rows)
    parts = [
        head,
        f'<div class="box"><dl>{doc}</dl>{_findings_html(by_section["document"], lang)}</div>',
        '<div class="grid" style="margin-top:14px">',
        _party(s.seller, w["seller"], lang) + _findings_html(by_section["seller"], lang) + "</div>",
        _party(s.buyer, w["buyer"], lang) + _findings_html(by_section["buyer"], lang) + "</div>",
        "</div>",
        f"<h3>{escape(w['lines'])} ({s.lines_count})</h3>",
        f'<table><tr><th>#</th><th>{escape(w["item"])}</th><th class="num">{escape(w["qty"])}'
        f'</th><th class="num">{escape(w["price"])}</th><th class="num">'
        f"{escape(w['net'])}</th><th>{escape(w['vat'])}</th></tr>",
    ]
    for ln in s.lines:
        qty = f"{ln.quantity} {ln.unit or ''}".strip() if ln.quantity is not None else "—"
        rate = f"{ln.vat_category or ''} {ln.vat_rate if ln.vat_rate is not None else ''}"
        parts.append(
            f"<tr><td>{escape(ln.id or '')}</td><td>{escape(ln.name or '—')}</td>"
            f'<td class="num">{escape(qty)}</td>'
            f'<td class="num">{escape(_money(ln.net_price, None))}</td>'
            f'<td class="num">{escape(_money(ln.net_amount, None))}</td>'
            f"<td>{escape(rate.strip() or '—')}</td></tr>"
        )
    parts.append("</table>")
    parts.append(_findings_html(by_section["lines"], lang))
    parts.append('<div class="grid" style="margin-top:14px"><div class="box">')
    parts.append(f"<h3>{escape(w['vat_breakdown'])}</h3><table>")
    parts.append(
        f'<tr><th>{escape(w["vat"])}</th><th class="num">{escape(w["base"])}</th>'
        f'<th class="num">{escape(w["tax"])}</th></tr>'
    )
    for row in s.vat_breakdown:
        label = f"{row.category or ''} {row.rate if row.rate is not None else ''} %"
        reason = (
            f" ({row.exemption_code or row.exemption_reason})"
            if (row.exemption_code or row.exemption_reason)
            else ""
        )
        parts.append(
            f"<tr><td>{escape(label.strip() + reason)}</td>"
            f'<td class="num">{escape(_money(row.taxable_amount, cur))}</td>'
            f'<td class="num">{escape(_money(row.tax_amount, cur))}</td></tr>'
        )
    parts.append("</table>" + _findings_html(by_section["vat"], lang) + "</div>")
    t = s.totals
    total_rows = [
        (w["excl"], t.tax_exclusive),
        (w["vat_total"], t.tax_total),
        (w["incl"], t.tax_inclusive),
        (w["prepaid"], t.prepaid),
        (w["payable"], t.payable),
    ]
    rows = "".join(
        f'<tr><td>{escape(k)}</td><td class="num">{escape(_money(v, cur))}</td></tr>'
        for k, v in total_rows
        if v is not None
    )
    parts.append(
        f'<div class="box"><h3>{escape(w["totals"])}</h3><table>{rows}</table>'
        f"{_findings_html(by_section['totals'], lang)}</div></div>"
    )
    parts.append("</section>")
    return "".join(parts)


def render_sample_html(sample: Sample, *, lang: str = "fr") -> str:
    """The whole sample as one HTML document (no script, nothing fetched)."""
    w = words(lang)
    by = sample.by or w["none"]
    parts = [
        f"<style>{SAMPLE_CSS}</style>",
        f"<h1>{escape(w['sample_title'])}</h1>",
        '<p class="sub">'
        + escape(
            w["sample_sub"].format(
                n=len(sample.items), total=sample.population, seed=sample.seed, by=by
            )
        )
        + "</p>",
        f"<table><tr><th>#</th><th>{escape(w['stratum'])}</th><th>{escape(w['file'])}</th>"
        f"<th>{escape(w['verdict'])}</th></tr>",
    ]
    for n, item in enumerate(sample.items, 1):
        verdict = w["valid_one"] if item.report.valid else w["invalid_one"]
        badge = "ok" if item.report.valid else "blocking"
        parts.append(
            f"<tr><td>{n}</td><td>{escape(item.stratum)}</td>"
            f'<td>{escape(item.path)}</td><td><span class="badge {badge}">'
            f"{escape(verdict)}</span></td></tr>"
        )
    parts.append("</table>")
    strata = " · ".join(f"{escape(k)} : {v}" for k, v in sample.strata.items())
    parts.append(f'<p class="muted">{escape(w["strata"])} — {strata}</p>')
    parts += [_invoice(item, n, lang) for n, item in enumerate(sample.items, 1)]
    return html_page(w["sample_title"], lang, "\n".join(parts))
