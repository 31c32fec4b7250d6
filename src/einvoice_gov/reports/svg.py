"""Inline SVG charts for the HTML report: no script, no external resource, escaped text."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from html import escape

#: Colours: blocking / important / advice / ok, and neutral tones.
RED = "#c0392b"
ORANGE = "#d68910"
BLUE = "#2e86c1"
GREEN = "#1e8449"
GREY = "#7f8c8d"
LIGHT = "#e5e8e8"
INK = "#1c2833"


def _svg(width: int, height: int, title: str, body: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">'
        f"<title>{escape(title)}</title>{body}</svg>"
    )


def score_gauge(value: int, label: str) -> str:
    """A ring filled to ``value`` % with the number in the middle."""
    value = max(0, min(100, value))
    r = 52
    circumference = 2 * 3.14159265 * r
    filled = circumference * value / 100
    colour = GREEN if value >= 80 else ORANGE if value >= 50 else RED
    body = (
        f'<circle cx="70" cy="70" r="{r}" fill="none" stroke="{LIGHT}" stroke-width="16"/>'
        f'<circle cx="70" cy="70" r="{r}" fill="none" stroke="{colour}" stroke-width="16" '
        f'stroke-dasharray="{filled:.1f} {circumference:.1f}" transform="rotate(-90 70 70)"/>'
        f'<text x="70" y="78" text-anchor="middle" font-size="30" font-weight="bold" '
        f'fill="{INK}">{value}</text>'
        f'<text x="70" y="96" text-anchor="middle" font-size="11" fill="{GREY}">/ 100</text>'
    )
    return _svg(140, 140, f"{label}: {value}/100", body)


def part_bars(parts: Sequence[tuple[str, int | None]], title: str) -> str:
    """One 0-100 bar per part of the score (``None``: not measured)."""
    row = 22
    height = row * len(parts) + 6
    body = []
    for i, (name, value) in enumerate(parts):
        y = 4 + i * row
        body.append(
            f'<text x="0" y="{y + 13}" font-size="12" fill="{INK}">{escape(name)}</text>'
            f'<rect x="130" y="{y + 2}" width="200" height="14" fill="{LIGHT}" rx="3"/>'
        )
        if value is None:
            body.append(f'<text x="338" y="{y + 13}" font-size="12" fill="{GREY}">—</text>')
            continue
        colour = GREEN if value >= 80 else ORANGE if value >= 50 else RED
        body.append(
            f'<rect x="130" y="{y + 2}" width="{2 * value}" height="14" fill="{colour}" '
            f'rx="3"/><text x="338" y="{y + 13}" font-size="12" fill="{INK}">{value}</text>'
        )
    return _svg(380, height, title, "".join(body))


def hbars(items: Sequence[tuple[str, int, str]], title: str, unit: str) -> str:
    """Horizontal bars: (label, value, colour), longest first as given."""
    if not items:
        return _svg(560, 30, title, f'<text x="0" y="20" font-size="12" fill="{GREY}">—</text>')
    row = 24
    top = max(v for _, v, _ in items) or 1
    body = []
    for i, (label, value, colour) in enumerate(items):
        y = i * row
        width = max(2, round(300 * value / top))
        short = label if len(label) <= 28 else label[:27] + "…"
        body.append(
            f'<text x="0" y="{y + 16}" font-size="12" fill="{INK}">{escape(short)}</text>'
            f'<rect x="200" y="{y + 4}" width="{width}" height="15" fill="{colour}" rx="2"/>'
            f'<text x="{206 + width}" y="{y + 16}" font-size="12" fill="{INK}">'
            f"{value} {escape(unit)}</text>"
        )
    return _svg(560, row * len(items) + 4, title, "".join(body))


def funnel(steps: Sequence[tuple[str, int]], title: str, empty: str | None = None) -> str:
    """Issue → deposit → acceptance → archive: centred bars shrinking with the counts."""
    if empty is not None:
        box = (
            f'<rect x="0" y="0" width="560" height="60" fill="{LIGHT}" rx="6"/>'
            f'<text x="280" y="35" text-anchor="middle" font-size="13" fill="{GREY}">'
            f"{escape(empty)}</text>"
        )
        return _svg(560, 60, title, box)
    top = max((n for _, n in steps), default=0) or 1
    row = 34
    body = []
    colours = [BLUE, "#5499c7", "#7fb3d5", GREEN]
    for i, (label, n) in enumerate(steps):
        width = max(4, round(360 * n / top))
        x = 100 + (360 - width) / 2
        y = i * row
        body.append(
            f'<rect x="{x:.1f}" y="{y + 2}" width="{width}" height="26" '
            f'fill="{colours[i % len(colours)]}" rx="3"/>'
            f'<text x="0" y="{y + 20}" font-size="12" fill="{INK}">{escape(label)}</text>'
            f'<text x="470" y="{y + 20}" font-size="12" font-weight="bold" fill="{INK}">'
            f"{n}</text>"
        )
    return _svg(560, row * len(steps), title, "".join(body))


def timeline(
    points: Sequence[tuple[str, dt.date, bool]], today: dt.date, today_label: str, title: str
) -> str:
    """Deadlines on a time axis with today marked: (label, date, in force)."""
    dates = [d for _, d, _ in points] + [today]
    start = min(dates) - dt.timedelta(days=60)
    end = max(dates) + dt.timedelta(days=60)
    span = (end - start).days or 1
    left, right = 20, 540

    def x(d: dt.date) -> float:
        return left + (right - left) * (d - start).days / span

    body = [f'<line x1="{left}" y1="60" x2="{right}" y2="60" stroke="{GREY}" stroke-width="2"/>']
    tx = x(today)
    body.append(
        f'<line x1="{tx:.1f}" y1="28" x2="{tx:.1f}" y2="92" stroke="{INK}" '
        f'stroke-dasharray="4 3"/><text x="{tx:.1f}" y="22" text-anchor="middle" '
        f'font-size="11" fill="{INK}">{escape(today_label)} {today.isoformat()}</text>'
    )
    seen: dict[dt.date, int] = {}
    for label, d, due in points:
        px = x(d)
        k = seen.get(d, 0)
        seen[d] = k + 1
        colour = RED if due else BLUE
        body.append(f'<circle cx="{px:.1f}" cy="60" r="7" fill="{colour}"/>')
        y = 112 + 16 * k
        anchor = "start" if px < 200 else "end" if px > 380 else "middle"
        body.append(
            f'<text x="{px:.1f}" y="{y}" text-anchor="{anchor}" font-size="11" '
            f'fill="{INK}">{d.isoformat()} · {escape(label)}</text>'
        )
    height = 112 + 16 * max(seen.values(), default=1) + 4
    return _svg(560, height, title, "".join(body))
