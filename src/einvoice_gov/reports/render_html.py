"""The self-contained HTML readiness report: one file, inline CSS and SVG, no script, and a
Content-Security-Policy that forbids loading anything (it opens offline, anywhere)."""

from __future__ import annotations

from html import escape

from einvoice_gov.reports import fmt, svg
from einvoice_gov.reports.model import ReadinessReport
from einvoice_gov.reports.texts import words

#: Nothing may be fetched: styles are inline, images are inline SVG.
CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
    "form-action 'none'"
)

CSS = """
:root { --ink:#1c2833; --grey:#7f8c8d; --light:#f4f6f6; --line:#d5d8dc;
        --red:#c0392b; --orange:#d68910; --blue:#2e86c1; --green:#1e8449; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
       sans-serif; color: var(--ink); margin: 0; background: #fff; line-height: 1.45; }
main { max-width: 1040px; margin: 0 auto; padding: 24px 28px 48px; }
h1 { font-size: 1.7rem; margin: 0 0 4px; }
h2 { font-size: 1.25rem; margin: 32px 0 10px; padding-bottom: 4px;
     border-bottom: 2px solid var(--line); }
h3 { font-size: 1.05rem; margin: 18px 0 6px; }
.sub { color: var(--grey); margin: 0 0 18px; }
.cards { display: flex; flex-wrap: wrap; gap: 18px; align-items: center; }
.card { background: var(--light); border-radius: 10px; padding: 14px 18px; }
.kpi { font-size: 1.6rem; font-weight: 700; }
.kpi small { font-size: .85rem; font-weight: 400; color: var(--grey); }
table { border-collapse: collapse; width: 100%; font-size: .92rem; }
th, td { text-align: left; vertical-align: top; padding: 6px 8px;
         border-bottom: 1px solid var(--line); }
th { background: var(--light); }
td.num, th.num { text-align: right; white-space: nowrap; }
.badge { display: inline-block; border-radius: 10px; padding: 1px 9px; font-size: .8rem;
         color: #fff; white-space: nowrap; }
.blocking { background: var(--red); } .important { background: var(--orange); }
.advice { background: var(--blue); } .due { background: var(--red); }
.upcoming { background: var(--blue); } .ok { background: var(--green); }
.late { color: var(--red); font-weight: 600; }
.muted { color: var(--grey); }
.why { color: #424949; }
.roadmap td { width: 22%; } .roadmap td:first-child { width: 12%; font-weight: 600; }
.roadmap ul { margin: 0; padding-left: 16px; } .roadmap li { margin: 2px 0; }
td code { white-space: nowrap; }
code { font-size: .88em; background: var(--light); padding: 0 4px; border-radius: 3px; }
footer { margin-top: 36px; color: var(--grey); font-size: .85rem; }
@media print { main { max-width: none; } h2 { break-after: avoid; } tr { break-inside: avoid; } }
"""


def html_page(title: str, lang: str, body: str) -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f"<title>{escape(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n"
        f"{body}\n</main>\n</body>\n</html>\n"
    )


def render_html(report: ReadinessReport) -> str:
    """The full report as one HTML document."""
    lang = report.lang
    w = words(lang)
    c = report.company
    x = escape
    colon = " :" if lang == "fr" else ":"
    parts: list[str] = []
    parts.append(f"<h1>{x(w['title'])}</h1>")
    parts.append(
        '<p class="sub">'
        + x(
            w["subtitle"].format(
                name=c.name or "—",
                siren=c.siren,
                category=c.category,
                today=fmt.date(report.today, lang),
            )
        )
        + "</p>"
    )
    s = report.score
    counts = fmt.gap_counts(report)
    inv = report.invoices
    parts.append('<section class="cards">')
    parts.append(f'<div class="card">{svg.score_gauge(s.value, w["score"])}</div>')
    parts.append(
        '<div class="card">'
        + svg.part_bars(
            [
                (w["invoices"], s.invoices),
                ("PA + " + w["pilot"], s.platform),
                ("Organisation", s.organisation),
                (w["flows"], s.trace),
            ],
            w["score"],
        )
        + "</div>"
    )
    parts.append(
        f'<div class="card"><div class="kpi">{inv.valid}/{inv.total} '
        f"<small>{x(w['ready'])} ({fmt.percent(inv.ready_share)} %)</small></div>"
        f'<div class="kpi">{counts["blocking"]} <small>{x(w["blocking"])}</small> · '
        f"{counts['important']} <small>{x(w['important'])}</small></div>"
        f'<div class="kpi">{x(fmt.euros(report.penalties.total_eur, lang))} '
        f"<small>{x(w['penalties'].split('(')[0].strip())}</small></div></div>"
    )
    parts.append("</section>")

    # deadlines
    parts.append(f"<h2>{x(w['deadlines'])}</h2>")
    parts.append(
        svg.timeline(
            [(w[f"short_{d.obligation}"], d.date, d.status == "due") for d in report.deadlines],
            report.today,
            "today" if lang == "en" else "aujourd'hui",
            w["deadlines"],
        )
    )
    parts.append(f"<table><tr><th>{x(w['deadline'])}</th><th></th><th></th></tr>")
    for d in report.deadlines:
        parts.append(
            f'<tr><td>{fmt.date(d.date, lang)}</td><td><span class="badge {d.status}">'
            f"{x(w[d.status])}</span> {x(fmt.when(d, lang))}</td><td>{x(d.label)}</td></tr>"
        )
    parts.append("</table>")

    # invoices
    parts.append(f"<h2>{x(w['invoices'])}</h2>")
    parts.append(
        f"<p>{inv.total} {x(w['total'])} · {inv.valid} {x(w['valid'])} · {inv.invalid} "
        f"{x(w['invalid'])} · <code>--chain {x(inv.chain)}</code></p>"
    )
    if inv.top_rules:
        parts.append(f"<h3>{x(w['top_rules'])}</h3>")
        parts.append(
            svg.hbars(
                [
                    (r.rule, r.files, svg.RED if r.severity == "error" else svg.ORANGE)
                    for r in inv.top_rules
                ],
                w["top_rules"],
                w["files"],
            )
        )
        parts.append(
            f'<table><tr><th>{x(w["rule"])}</th><th class="num">{x(w["files"])}</th>'
            f'<th class="num">{x(w["count"])}</th><th>{x(w["fix"])}</th></tr>'
        )
        for r in inv.top_rules:
            parts.append(
                f'<tr><td><code>{x(r.rule)}</code></td><td class="num">{r.files}</td>'
                f'<td class="num">{r.count}</td><td>{x(r.fix or "")}'
                f'<div class="why">{x(r.message)}</div></td></tr>'
            )
        parts.append("</table>")
    for key, party_list in (("suppliers", inv.by_supplier), ("customers", inv.by_customer)):
        if party_list:
            parts.append(f"<h3>{x(w[key])}</h3>")
            parts.append(
                f'<table><tr><th></th><th>SIREN</th><th class="num">{x(w["total"])}</th>'
                f'<th class="num">{x(w["valid"])}</th><th class="num">{x(w["invalid"])}</th></tr>'
            )
            for p in party_list:
                parts.append(
                    f"<tr><td>{x(p.name or '—')}</td><td>{x(p.siren or '—')}</td>"
                    f'<td class="num">{p.total}</td><td class="num">{p.valid}</td>'
                    f'<td class="num">{p.invalid}</td></tr>'
                )
            parts.append("</table>")

    # flows
    f = report.flows
    parts.append(f"<h2>{x(w['flows'])}</h2>")
    steps = [
        (w["issued"], f.issued),
        (w["deposited"], f.deposited),
        (w["accepted"], f.accepted),
        (w["archived"], f.archived),
    ]
    parts.append(svg.funnel(steps, w["funnel"], None if f.status == "ok" else f.message))
    if f.status == "ok":
        parts.append(
            f"<p>{f.total} · {f.rejected} {x(w['rejected'])} · {f.refused} {x(w['refused'])} · "
            f"{f.paid} {x(w['paid'])}</p><p>{x(f.message)}</p>"
        )

    # penalties
    pen = report.penalties
    parts.append(f"<h2>{x(w['penalties'])}</h2>")
    parts.append(f"<p>{x(w[f'penalty_basis_{pen.basis}'].format(n=pen.invoices_per_year))}</p>")
    parts.append("<table>")
    for item in pen.items:
        parts.append(
            f'<tr><td>{x(item.label)}<div class="why">{x(item.explanation)}</div></td>'
            f'<td class="num">{x(fmt.euros(item.amount_eur, lang))}</td></tr>'
        )
    parts.append(
        f"<tr><th>{x(w['total_exposure'])}</th>"
        f'<th class="num">{x(fmt.euros(pen.total_eur, lang))}</th></tr></table>'
    )

    # gaps
    parts.append(f"<h2>{x(w['gaps'])} ({len(report.gaps)})</h2>")
    if not report.gaps:
        parts.append(f"<p>{x(w['nothing'])}</p>")
    else:
        parts.append(
            f"<table><tr><th>{x(w['severity'])}</th><th>{x(w['owner'])}</th>"
            f"<th>{x(w['deadline'])}</th><th></th></tr>"
        )
        for g in report.gaps:
            late = f' <span class="late">{x(w["overdue"])}</span>' if g.overdue else ""
            evidence = (
                '<div class="muted">' + x(", ".join(g.evidence[:5])) + "</div>"
                if g.evidence
                else ""
            )
            parts.append(
                f'<tr id="{x(g.id)}"><td><span class="badge {g.severity}">{x(w[g.severity])}'
                f"</span></td><td>{x(w[g.owner])}</td><td>{fmt.date(g.deadline, lang)}{late}</td>"
                f"<td><strong>{x(g.title)}</strong>"
                f'<div class="why">{x(w["why"])}{colon} {x(g.why)}</div>'
                f"<div>→ {x(g.fix)}</div>{evidence}</td></tr>"
            )
        parts.append("</table>")

    # roadmap
    titles = {g.id: g for g in report.gaps}
    parts.append(f"<h2>{x(w['roadmap'])}</h2>")
    parts.append('<table class="roadmap"><tr><th></th>')
    for q in report.roadmap.quarters:
        parts.append(
            f'<th>{x(q.label)}<div class="muted">{fmt.date(q.start, lang)} – '
            f"{fmt.date(q.end, lang)}</div></th>"
        )
    parts.append("</tr>")
    for track in ("security", "einvoicing", "equipment", "contracts"):
        parts.append(f"<tr><td>{x(w[track])}</td>")
        for q in report.roadmap.quarters:
            items = "".join(
                f'<li><span class="badge {titles[i].severity}">{x(w[titles[i].owner])}</span> '
                f"{x(titles[i].title)}</li>"
                for i in q.tracks[track]
            )
            parts.append(f"<td><ul>{items}</ul></td>" if items else "<td></td>")
        parts.append("</tr>")
    parts.append("</table>")
    parts.append(f"<h3>{x(w['routines'])}</h3><ul>")
    parts += [f"<li>{x(r)}</li>" for r in report.roadmap.routines]
    parts.append("</ul>")
    parts.append(
        "<footer>"
        + x(w["generated"].format(version=report.version, today=fmt.date(report.today, lang)))
        + "</footer>"
    )
    return html_page(w["title"], lang, "\n".join(parts))
