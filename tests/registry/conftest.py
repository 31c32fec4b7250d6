"""Fixtures of the rule-registry tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import conformance_dir
from tests.registry.cases import Cases, all_cases


@pytest.fixture(scope="session")
def rule_cases() -> Cases:
    """Failing and passing cases of every catalogued rule (see ``cases.py``)."""
    from einvoice_gov.validation import official

    d: Path = conformance_dir()
    if not (d / "mutants-dev" / "expected.jsonl").is_file():
        pytest.skip(f"official conformance corpus not found at {d} (set EINVOICE_CONFORMANCE_DIR)")
    if not official.available():
        pytest.skip("saxonche is not installed: the official artefacts cannot verify cases")
    return all_cases(d)
