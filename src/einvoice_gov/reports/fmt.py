"""Formatting shared by the renderers: dates, amounts, percentages, labels."""

from __future__ import annotations

import datetime as dt

from einvoice_gov.reports.model import DeadlineItem, ReadinessReport
from einvoice_gov.reports.texts import words


def date(d: dt.date | None, lang: str) -> str:
    if d is None:
        return "—"
    return d.strftime("%d/%m/%Y") if lang == "fr" else d.isoformat()


def euros(amount: float, lang: str) -> str:
    whole = f"{round(amount):,}"
    return whole.replace(",", "\u202f") + " €" if lang == "fr" else "€" + whole


def percent(share: float) -> str:
    return f"{round(share * 100)}"


def when(d: DeadlineItem, lang: str) -> str:
    w = words(lang)
    return w["days_ago"].format(n=-d.days) if d.days <= 0 else w["days_left"].format(n=d.days)


def next_deadline(report: ReadinessReport) -> DeadlineItem | None:
    upcoming = [d for d in report.deadlines if d.status == "upcoming"]
    return min(upcoming, key=lambda d: d.date) if upcoming else None


def gap_counts(report: ReadinessReport) -> dict[str, int]:
    out = {"blocking": 0, "important": 0, "advice": 0}
    for g in report.gaps:
        out[g.severity] += 1
    return out
