"""The terminal summary of the readiness report, and its Markdown version."""

from __future__ import annotations

from einvoice_gov.reports import fmt
from einvoice_gov.reports.model import ReadinessReport
from einvoice_gov.reports.texts import words

#: Gaps listed in the terminal summary (the files list them all).
TERMINAL_GAPS = 12


def render_text(report: ReadinessReport) -> str:
    """A screenful: score, deadlines, invoices, ledger, fines, the most urgent gaps."""
    lang = report.lang
    w = words(lang)
    c = report.company
    out = [
        w["title"],
        w["subtitle"].format(
            name=c.name or "—",
            siren=c.siren,
            category=c.category,
            today=fmt.date(report.today, lang),
        ),
        "",
    ]
    s = report.score
    trace = "—" if s.trace is None else str(s.trace)
    out.append(
        f"{w['score']} : {s.value}/100  ({w['invoices']} {s.invoices}, PA {s.platform}, "
        f"organisation {s.organisation}, {w['flows']} {trace})"
        if lang == "fr"
        else f"{w['score']}: {s.value}/100  ({w['invoices']} {s.invoices}, platform "
        f"{s.platform}, organisation {s.organisation}, {w['flows']} {trace})"
    )
    out += ["", w["deadlines"] + (" :" if lang == "fr" else ":")]
    for d in report.deadlines:
        mark = "!" if d.status == "due" else "·"
        out.append(
            f"  {mark} {fmt.date(d.date, lang)}  {w[d.status]:<9} {d.label} ({fmt.when(d, lang)})"
        )
    inv = report.invoices
    out += [
        "",
        f"{w['invoices']} : " if lang == "fr" else f"{w['invoices']}: ",
    ]
    out[-1] += (
        f"{inv.valid}/{inv.total} {w['ready']} ({fmt.percent(inv.ready_share)} %), "
        f"{inv.errors} erreur(s), {inv.warnings} alerte(s)"
        if lang == "fr"
        else f"{inv.valid}/{inv.total} {w['ready']} ({fmt.percent(inv.ready_share)} %), "
        f"{inv.errors} error(s), {inv.warnings} warning(s)"
    )
    for r in inv.top_rules[:5]:
        out.append(f"  {r.rule:<28} {r.files:>4} {w['files']}")
    f = report.flows
    out += ["", f"{w['flows']} : " if lang == "fr" else f"{w['flows']}: "]
    if f.status == "ok":
        out[-1] += (
            f"{f.total} — {f.issued} {w['issued']}, {f.deposited} {w['deposited']}, "
            f"{f.accepted} {w['accepted']}, {f.archived} {w['archived']}"
        )
        if f.message:
            out.append(f"  {f.message}")
    else:
        out[-1] += f.message
    pen = report.penalties
    out += [
        "",
        f"{w['penalties']} : {fmt.euros(pen.total_eur, lang)}"
        if lang == "fr"
        else f"{w['penalties']}: {fmt.euros(pen.total_eur, lang)}",
    ]
    counts = fmt.gap_counts(report)
    out += [
        "",
        f"{w['gaps']} : {len(report.gaps)} ({counts['blocking']} {w['blocking']}, "
        f"{counts['important']} {w['important']}, {counts['advice']} {w['advice']})"
        if lang == "fr"
        else f"{w['gaps']}: {len(report.gaps)} ({counts['blocking']} {w['blocking']}, "
        f"{counts['important']} {w['important']}, {counts['advice']} {w['advice']})",
    ]
    for g in report.gaps[:TERMINAL_GAPS]:
        late = f" ({w['overdue']})" if g.overdue else ""
        out.append(
            f"  [{w[g.severity]:<9}] {w[g.owner]:<16} {fmt.date(g.deadline, lang)}{late}  {g.title}"
        )
    if len(report.gaps) > TERMINAL_GAPS:
        out.append("  " + w["more"].format(n=len(report.gaps) - TERMINAL_GAPS))
    nd = fmt.next_deadline(report)
    if nd:
        out += [
            "",
            w["next_deadline"].format(
                label=nd.label, date=fmt.date(nd.date, lang), when=fmt.when(nd, lang)
            ),
        ]
    return "\n".join(out) + "\n"


def _md_escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(report: ReadinessReport) -> str:
    """The whole report as Markdown (tables), for a wiki, a ticket or an e-mail."""
    lang = report.lang
    w = words(lang)
    c = report.company
    e = _md_escape
    colon = " :" if lang == "fr" else ":"
    out = [
        f"# {w['title']}",
        "",
        w["subtitle"].format(
            name=e(c.name or "—"),
            siren=c.siren,
            category=c.category,
            today=fmt.date(report.today, lang),
        ),
        "",
        f"**{w['score']} : {report.score.value}/100**"
        if lang == "fr"
        else f"**{w['score']}: {report.score.value}/100**",
        "",
        f"## {w['deadlines']}",
        "",
        f"| {w['deadline']} | | |",
        "|---|---|---|",
    ]
    for d in report.deadlines:
        out.append(
            f"| {fmt.date(d.date, lang)} | {w[d.status]} ({fmt.when(d, lang)}) | {e(d.label)} |"
        )
    inv = report.invoices
    out += [
        "",
        f"## {w['invoices']}",
        "",
        f"- {w['total']} : {inv.total}" if lang == "fr" else f"- {w['total']}: {inv.total}",
        f"- {w['valid']} : {inv.valid}" if lang == "fr" else f"- {w['valid']}: {inv.valid}",
        f"- {w['invalid']} : {inv.invalid}" if lang == "fr" else f"- {w['invalid']}: {inv.invalid}",
        f"- {w['ready']} : {fmt.percent(inv.ready_share)} %"
        if lang == "fr"
        else f"- {w['ready']}: {fmt.percent(inv.ready_share)} %",
        "",
    ]
    if inv.top_rules:
        out += [
            f"### {w['top_rules']}",
            "",
            f"| {w['rule']} | {w['files']} | {w['count']} | {w['fix']} |",
            "|---|---:|---:|---|",
        ]
        for r in inv.top_rules:
            out.append(f"| {e(r.rule)} | {r.files} | {r.count} | {e(r.fix or r.message)} |")
        out.append("")
    for key, parties in (("suppliers", inv.by_supplier), ("customers", inv.by_customer)):
        if parties:
            out += [
                f"### {w[key]}",
                "",
                f"| | SIREN | {w['total']} | {w['valid']} | {w['invalid']} |",
                "|---|---|---:|---:|---:|",
            ]
            for p in parties:
                out.append(
                    f"| {e(p.name or '—')} | {p.siren or '—'} | {p.total} | {p.valid} "
                    f"| {p.invalid} |"
                )
            out.append("")
    f = report.flows
    out += [f"## {w['flows']}", ""]
    if f.status == "ok":
        out += [
            f"| {w['issued']} | {w['deposited']} | {w['accepted']} | {w['rejected']} | "
            f"{w['refused']} | {w['paid']} | {w['archived']} |",
            "|---:|---:|---:|---:|---:|---:|---:|",
            f"| {f.issued} | {f.deposited} | {f.accepted} | {f.rejected} | {f.refused} | "
            f"{f.paid} | {f.archived} |",
            "",
        ]
    out += [e(f.message), ""]
    pen = report.penalties
    out += [f"## {w['penalties']}", ""]
    basis = w[f"penalty_basis_{pen.basis}"].format(n=pen.invoices_per_year)
    out += [basis, ""]
    for item in pen.items:
        out.append(
            f"- {e(item.label)}{colon} **{fmt.euros(item.amount_eur, lang)}** "
            f"({e(item.explanation)})"
        )
    out += [f"- **{w['total_exposure']}{colon} {fmt.euros(pen.total_eur, lang)}**", ""]
    out += [
        f"## {w['gaps']}",
        "",
        f"| # | {w['severity']} | {w['owner']} | {w['deadline']} | {w['action']} | {w['why']} | "
        f"{w['fix']} |",
        "|---|---|---|---|---|---|---|",
    ]
    for i, g in enumerate(report.gaps, 1):
        late = f" ({w['overdue']})" if g.overdue else ""
        out.append(
            f"| {i} | {w[g.severity]} | {w[g.owner]} | {fmt.date(g.deadline, lang)}{late} | "
            f"{e(g.title)} | {e(g.why)} | {e(g.fix)} |"
        )
    titles = {g.id: g.title for g in report.gaps}
    out += ["", f"## {w['roadmap']}", ""]
    for q in report.roadmap.quarters:
        out.append(f"### {q.label} ({fmt.date(q.start, lang)} – {fmt.date(q.end, lang)})")
        out.append("")
        for track, ids in q.tracks.items():
            if ids:
                sep = " ; " if lang == "fr" else "; "
                out.append(f"- **{w[track]}**{colon} " + sep.join(e(titles[i]) for i in ids))
        out.append("")
    out += [f"**{w['routines']}**", ""]
    out += [f"- {e(r)}" for r in report.roadmap.routines]
    out += [
        "",
        "---",
        w["generated"].format(version=report.version, today=fmt.date(report.today, lang)),
    ]
    return "\n".join(out) + "\n"
