"""Write a readiness report in one of its formats."""

from __future__ import annotations

import json
from pathlib import Path
from typing import IO

from einvoice_gov.reports.model import ReadinessReport
from einvoice_gov.reports.render_html import render_html
from einvoice_gov.reports.render_pdf import render_roadmap_pdf
from einvoice_gov.reports.render_text import render_markdown, render_text

#: ``report --format`` values. ``pdf`` is the one-page roadmap, not the whole report.
FORMATS = ("text", "json", "md", "html", "pdf")


def render(report: ReadinessReport, fmt: str) -> str | bytes:
    """The report in ``fmt``: text for text/json/md/html, bytes for pdf."""
    if fmt == "text":
        return render_text(report)
    if fmt == "json":
        return json.dumps(report.as_json(), ensure_ascii=False, indent=2) + "\n"
    if fmt == "md":
        return render_markdown(report)
    if fmt == "html":
        return render_html(report)
    if fmt == "pdf":
        return render_roadmap_pdf(report)
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")


def write(report: ReadinessReport, fmt: str, out: str | Path | IO[str]) -> None:
    """Render ``report`` to a file path, or to a text stream (not for pdf)."""
    data = render(report, fmt)
    if isinstance(out, str | Path):
        path = Path(out)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")
        return
    if isinstance(data, bytes):
        raise ValueError("the pdf format needs an output file (-o FILE)")
    out.write(data)
