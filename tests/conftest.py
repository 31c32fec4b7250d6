from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"


def conformance_dir() -> Path:
    return Path(os.environ.get("EINVOICE_CONFORMANCE_DIR", ROOT.parent / "shared" / "conformance"))


def shared_dir() -> Path:
    return conformance_dir().parent


@pytest.fixture(scope="session")
def conformance() -> Path:
    d = conformance_dir()
    if not (d / "en16931-unit" / "expected.jsonl").is_file():
        pytest.skip(f"official conformance corpus not found at {d} (set EINVOICE_CONFORMANCE_DIR)")
    return d


@pytest.fixture(scope="session")
def fixtures() -> Path:
    return FIXTURES
