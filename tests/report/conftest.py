"""Fixtures of the readiness-report tests (issue 7)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT

DEMO = ROOT / "fixtures" / "demo"
DEMO_PROFILE = ROOT / "fixtures" / "demo-company.toml"
ZUGFERD_DEV = ROOT.parent / "shared" / "corpus" / "zugferd-dev"
TODAY = dt.date(2026, 11, 26)


def toml_to_json(data: Any) -> Any:
    """TOML data as JSON data: dates become ``YYYY-MM-DD`` strings (as the schema says)."""
    if isinstance(data, dict):
        return {k: toml_to_json(v) for k, v in data.items()}
    if isinstance(data, list):
        return [toml_to_json(v) for v in data]
    if isinstance(data, dt.date):
        return data.isoformat()
    return data


@pytest.fixture
def demo_dir() -> Path:
    return DEMO


@pytest.fixture
def zugferd_dev() -> Path:
    if not ZUGFERD_DEV.is_dir():
        pytest.skip(f"shared corpus not found at {ZUGFERD_DEV} (../shared/corpus/zugferd-dev)")
    return ZUGFERD_DEV
