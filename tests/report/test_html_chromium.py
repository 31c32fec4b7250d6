"""The HTML report in headless Chromium: no network request, no console error, a screenshot."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.report.chromium import find_chromium, load_page
from tests.report.conftest import DEMO, DEMO_PROFILE, make_demo_ledger, run_cli

CHROMIUM = find_chromium()
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="Chromium not installed (apt-get install chromium); CI installs it"
)


@needs_chromium
def test_report_loads_offline_without_errors(tmp_path: Path) -> None:
    lang = "fr"
    assert CHROMIUM is not None
    store = make_demo_ledger(tmp_path)
    page = tmp_path / "report.html"
    code, out = run_cli(
        [
            "report",
            str(DEMO),
            "--profile",
            str(DEMO_PROFILE),
            "--store",
            store,
            "--format",
            "html",
            "-o",
            str(page),
            "--lang",
            lang,
            "--today",
            "2026-11-26",
        ]
    )
    assert code == 0, out
    shot = tmp_path / f"report-{lang}.png"
    result = load_page(CHROMIUM, page, shot)
    assert result.requests == [result.url]  # the page itself, nothing else
    assert result.console_errors == []
    assert result.exceptions == []
    assert result.log_errors == []
    expected = "Rapport de préparation" if lang == "fr" else "E-invoicing readiness report"
    assert result.title.startswith(expected)
    png = shot.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 20_000


@needs_chromium
def test_the_harness_sees_requests_and_errors(tmp_path: Path) -> None:
    """Negative control: a page that fetches and fails is caught (port 9 on localhost:
    refused at once, nothing leaves the machine)."""
    assert CHROMIUM is not None
    page = tmp_path / "bad.html"
    page.write_text(
        '<html><head><title>bad</title><link rel="stylesheet" href="http://127.0.0.1:9/x.css">'
        '</head><body><script>console.error("boom"); missing();</script></body></html>',
        encoding="utf-8",
    )
    result = load_page(CHROMIUM, page, tmp_path / "bad.png")
    assert "http://127.0.0.1:9/x.css" in result.requests
    assert result.console_errors and result.exceptions
