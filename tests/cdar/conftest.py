"""Fixtures of the CDAR tests: the real status messages and the CDAR part of mutants-dev."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import shared_dir


def cdar_samples_dir() -> Path:
    return shared_dir() / "cdar"


def cdar_samples() -> list[Path]:
    d = cdar_samples_dir()
    return sorted(d.glob("*.xml")) if d.is_dir() else []


def mutants_dir() -> Path:
    return shared_dir() / "conformance" / "mutants-dev"


def cdar_cases() -> list[dict[str, object]]:
    """The expected.jsonl records of chain ``cdar`` (empty when the corpus is absent)."""
    f = mutants_dir() / "expected.jsonl"
    if not f.is_file():
        return []
    out = []
    with open(f, encoding="utf-8") as fh:
        for line in fh:
            if '"chain":"cdar"' in line.replace(" ", ""):
                out.append(json.loads(line))
    return out


@pytest.fixture(scope="session")
def samples() -> list[Path]:
    found = cdar_samples()
    if not found:
        pytest.skip(f"CDAR samples not found in {cdar_samples_dir()} (../shared/cdar)")
    return found
