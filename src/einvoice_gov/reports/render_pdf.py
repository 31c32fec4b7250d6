"""The one-page A4 roadmap (PDF) the pilot brings to the yearly meeting with the provider.

Four tracks (security fundamentals, e-invoicing, equipment, contracts) by four quarters of the
next 12 months, each action with its owner and deadline, then the routines of the year. It is
one page by construction: the writer only has one page, the font shrinks to fit, and when even
the smallest size is not enough the fullest cells end with "+ N more (see the report)".
"""

from __future__ import annotations

from einvoice_gov.reports import fmt
from einvoice_gov.reports.model import Gap, ReadinessReport
from einvoice_gov.reports.pdfwriter import A4, Colour, Page, text_width, wrap, write_pdf
from einvoice_gov.reports.texts import words

MARGIN = 34.0
TRACKS = ("security", "einvoicing", "equipment", "contracts")
SEVERITY_COLOURS: dict[str, Colour] = {
    "blocking": (0.75, 0.22, 0.17),
    "important": (0.84, 0.54, 0.06),
    "advice": (0.18, 0.53, 0.76),
}
DARK: Colour = (0.11, 0.16, 0.2)
GREY: Colour = (0.45, 0.5, 0.52)
LIGHT: Colour = (0.93, 0.95, 0.95)
WHITE: Colour = (1.0, 1.0, 1.0)
FONT_SIZES = (7.4, 7.0, 6.6, 6.2, 5.8)
LABEL_COL = 74.0
MIN_ROW = 26.0


def _item_text(g: Gap, lang: str) -> str:
    w = words(lang)
    return f"{g.title} ({w[g.owner]}, {fmt.date(g.deadline, lang)})"


def _cell_lines(gaps: list[Gap], width: float, size: float, lang: str) -> list[list[str]]:
    return [wrap(_item_text(g, lang), width - 9, size) for g in gaps]


def _cell_height(blocks: list[list[str]], size: float) -> float:
    lead = size * 1.22
    return sum(len(b) * lead + 2.5 for b in blocks)


def _fit(heights: list[float], available: float) -> list[float]:
    """Row heights within ``available``: rows under their fair share keep their height, the
    others share what is left equally (their cells then end with "+ N more")."""
    if sum(heights) <= available:
        return heights
    out = list(heights)
    remaining = available
    order = sorted(range(len(heights)), key=lambda i: heights[i])
    for n, i in enumerate(order):
        share = remaining / (len(order) - n)
        out[i] = min(heights[i], share)
        remaining -= out[i]
    return out


def render_roadmap_pdf(report: ReadinessReport) -> bytes:
    """The roadmap as PDF bytes: exactly one A4 page."""
    lang = report.lang
    w = words(lang)
    page = Page(A4)
    width = page.width - 2 * MARGIN
    c = report.company

    # header
    title = w["roadmap_title"].format(name=c.name or c.siren)
    size = 15.0
    while size > 10 and text_width(title, size, bold=True) > width - 90:
        size -= 0.5
    page.text(MARGIN, MARGIN + 14, wrap(title, width - 90, size, bold=True)[0], size, bold=True)
    sub = w["roadmap_sub"].format(
        siren=c.siren,
        category=c.category,
        pilot=c.pilot or w["no_pilot"],
        start=fmt.date(report.roadmap.start, lang),
        end=fmt.date(report.roadmap.end, lang),
    )
    page.text(MARGIN, MARGIN + 30, wrap(sub, width - 90, 8.5)[0], 8.5, colour=GREY)
    # score box
    bx = page.width - MARGIN - 80
    page.rect(bx, MARGIN, 80, 40, fill=LIGHT)
    score = f"{report.score.value}/100"
    page.text(bx + 40 - text_width(score, 16, True) / 2, MARGIN + 22, score, 16, bold=True)
    label = w["score"]
    page.text(bx + 4, MARGIN + 34, wrap(label, 72, 6.5)[0], 6.5, colour=GREY)

    # key dates
    y = MARGIN + 50
    for d in report.deadlines:
        colour = SEVERITY_COLOURS["blocking"] if d.status == "due" else SEVERITY_COLOURS["advice"]
        page.rect(MARGIN, y - 6, 6, 6, fill=colour)
        line = f"{fmt.date(d.date, lang)}  {d.label} — {w[d.status]} ({fmt.when(d, lang)})"
        page.text(MARGIN + 10, y, wrap(line, width - 10, 8)[0], 8)
        y += 11

    # grid
    grid_top = y + 6
    header_h = 24.0
    col = (width - LABEL_COL) / 4
    quarters = report.roadmap.quarters
    by_id = {g.id: g for g in report.gaps}
    cells = {
        (t, qi): [by_id[i] for i in q.tracks.get(t, []) if i in by_id]
        for t in TRACKS
        for qi, q in enumerate(quarters)
    }
    bottom = 12.0 + 16 + 11 + 8 + 8 + 24  # legend, routines title, review line, footer
    bottom += sum(len(wrap(r, width - 12, 7.5)) * 9.5 for r in report.roadmap.routines)
    available = page.height - MARGIN - bottom - grid_top - header_h

    def row_heights(fs: float) -> list[float]:
        return [
            max(
                MIN_ROW,
                *(
                    _cell_height(_cell_lines(cells[(t, qi)], col, fs, lang), fs) + 8
                    for qi in range(len(quarters))
                ),
            )
            for t in TRACKS
        ]

    fs = FONT_SIZES[-1]
    heights = row_heights(fs)
    for size in FONT_SIZES:
        h = row_heights(size)
        if sum(h) <= available:
            fs, heights = size, h
            break
    heights = _fit(heights, available)
    lead = fs * 1.22
    # header row
    page.rect(MARGIN, grid_top, width, header_h, fill=DARK)
    for qi, q in enumerate(quarters):
        x = MARGIN + LABEL_COL + qi * col
        page.text(x + 5, grid_top + 10, q.label, 8.5, bold=True, colour=WHITE)
        span = f"{fmt.date(q.start, lang)} – {fmt.date(q.end, lang)}"
        page.text(x + 5, grid_top + 20, span, 6.5, colour=WHITE)
    y = grid_top + header_h
    for t, row_h in zip(TRACKS, heights, strict=True):
        blocks = {qi: _cell_lines(cells[(t, qi)], col, fs, lang) for qi in range(len(quarters))}
        page.rect(MARGIN, y, LABEL_COL, row_h, fill=LIGHT)
        for i, part in enumerate(wrap(w[t], LABEL_COL - 8, 8.5, bold=True)):
            page.text(MARGIN + 5, y + 12 + i * 10, part, 8.5, bold=True)
        for qi in range(len(quarters)):
            x = MARGIN + LABEL_COL + qi * col
            page.rect(x, y, col, row_h, stroke=(0.8, 0.82, 0.84))
            cy = y + 4
            limit = y + row_h - 4
            gaps = cells[(t, qi)]
            sizes = [len(lines) * lead + 2.5 for lines in blocks[qi]]
            room = limit if cy + sum(sizes) <= limit else limit - lead
            for n, (g, lines) in enumerate(zip(gaps, blocks[qi], strict=True)):
                if cy + sizes[n] > room:
                    more = w["more_report"].format(n=len(gaps) - n)
                    page.text(x + 4, cy + fs, wrap(more, col - 8, fs)[0], fs, colour=GREY)
                    break
                page.rect(x + 4, cy + 1.5, 4, 4, fill=SEVERITY_COLOURS[g.severity])
                for li, text in enumerate(lines):
                    page.text(x + 11, cy + fs + li * lead, text, fs)
                cy += sizes[n]
        y += row_h
    page.rect(MARGIN, grid_top, width, y - grid_top, stroke=(0.6, 0.63, 0.66))

    # legend
    y += 12
    lx = MARGIN
    for sev in ("blocking", "important", "advice"):
        page.rect(lx, y - 6, 6, 6, fill=SEVERITY_COLOURS[sev])
        page.text(lx + 9, y, w[sev], 7.5)
        lx += 20 + text_width(w[sev], 7.5)
    gaps_line = (
        f"{w['gaps']} : {len(report.gaps)} · {w['penalties']} : "
        f"{fmt.euros(report.penalties.total_eur, lang)}"
        if lang == "fr"
        else f"{w['gaps']}: {len(report.gaps)} · {w['penalties']}: "
        f"{fmt.euros(report.penalties.total_eur, lang)}"
    )
    page.text(lx + 10, y, wrap(gaps_line, width - (lx - MARGIN) - 10, 7.5)[0], 7.5)

    # routines
    y += 16
    page.text(MARGIN, y, w["routines"], 9, bold=True)
    y += 11
    for r in report.roadmap.routines:
        for i, part in enumerate(wrap(r, width - 12, 7.5)):
            if i == 0:
                page.rect(MARGIN + 2, y - 5, 4, 4, fill=DARK)
            page.text(MARGIN + 10, y, part, 7.5)
            y += 9.5
    # sign-off for the yearly meeting
    y += 8
    review = (
        "Revue annuelle le : ____/____/________    avec : ______________________    "
        "signatures : ______________"
        if lang == "fr"
        else "Yearly review on: ____/____/________    with: ______________________    "
        "signatures: ______________"
    )
    page.text(MARGIN, y, wrap(review, width, 8)[0], 8)
    foot = w["roadmap_foot"].format(version=report.version, today=fmt.date(report.today, lang))
    page.text(MARGIN, page.height - MARGIN + 10, wrap(foot, width, 6.5)[0], 6.5, colour=GREY)
    return write_pdf(page, title=title, author=c.pilot or "")
