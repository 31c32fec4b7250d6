"""Native verdicts against the official verdicts of ../shared/conformance, per file and stage.

Any divergence fails, except the entries of tests/known_divergences.py (key
``("native", "corpus/file", stage)``), applied as strict xfail: a listed divergence that
disappears fails too, until it is removed from the list.
"""

from __future__ import annotations

import pytest

from tests.known_divergences import reason
from tests.parity import Case, stage_diff

from .conftest import native_report, stage_cases

pytestmark = pytest.mark.conformance

CASES = stage_cases()


@pytest.mark.parametrize(("case", "stage"), CASES, ids=[f"{c.id}:{s}" for c, s in CASES])
def test_native_matches_official(case: Case, stage: str, request: pytest.FixtureRequest) -> None:
    why = reason("native", case.id, stage)
    if why:
        request.applymarker(pytest.mark.xfail(strict=True, reason=why))
    rep = native_report(case, stage)
    assert not [f for f in rep.findings if f.rule == "INPUT-INTERNAL-ERROR"]
    diff = stage_diff(case, rep, {stage})
    assert not diff, diff


def test_corpus_present() -> None:
    if not CASES:
        pytest.skip("../shared/conformance not found (set EINVOICE_CONFORMANCE_DIR)")
    assert len(CASES) > 4000
