"""Parity of the native CDAR stages (xsd, br-fr-cdv) with the official verdicts, per file.

The official verdicts of ../shared/conformance/mutants-dev (chain ``cdar``: 6 clean FNFE status
messages and 200 mutants) come from the FNFE-MPE CDAR D22B XML Schema (libxml2) and the
BR-FR-CDV V1.4.0 schematron (Saxon). Parity is computed as ../shared/tools/scoreboard.py does:
same (rule, severity) multiset for br-fr-cdv, same yes/no for xsd. A known divergence goes in
tests/known_divergences.py (strict xfail) under ("native", "mutants-dev/<file>", stage).
"""

from __future__ import annotations

from functools import cache

import pytest

from einvoice_gov import Report, validate
from tests.cdar.conftest import cdar_cases, mutants_dir
from tests.known_divergences import reason
from tests.parity import Case, load_cases, stage_diff

pytestmark = pytest.mark.conformance

STAGES = ("xsd", "br-fr-cdv")


@cache
def _cases() -> dict[str, Case]:
    files = {str(r["file"]) for r in cdar_cases()}
    if not files:
        return {}
    return {c.file: c for c in load_cases(mutants_dir()) if c.file in files}


def _params() -> list[tuple[str, str]]:
    return [(f, s) for f in sorted({str(r["file"]) for r in cdar_cases()}) for s in STAGES]


@cache
def _report(file: str, engine: str = "native") -> Report:
    return validate(mutants_dir() / file, engine=engine, chain="fr")


@pytest.mark.parametrize(("file", "stage"), _params(), ids=lambda v: str(v).split("/")[-1])
def test_native_cdar_parity(file: str, stage: str) -> None:
    case = _cases()[file]
    rep = _report(file)
    assert rep.syntax == "cdar" and rep.chain == "cdar"
    assert rep.stages.get(stage) in ("passed", "failed"), rep.stages
    diff = stage_diff(case, rep, [stage])
    known = reason("native", f"mutants-dev/{file}", stage)
    if known:
        assert diff, f"known divergence no longer diverges: remove it ({known})"
        pytest.xfail(known)
    assert not diff, diff


def test_corpus_present_or_skipped() -> None:
    if not cdar_cases():
        pytest.skip(f"conformance corpus not found in {mutants_dir()}")
    assert len(_cases()) == len(cdar_cases()) >= 206


def test_official_engine_reports_cdar_stages_unavailable() -> None:
    if not cdar_cases():
        pytest.skip(f"conformance corpus not found in {mutants_dir()}")
    from einvoice_gov.validation import official

    if not official.available():
        pytest.skip("saxonche is not installed")
    rep = _report(str(cdar_cases()[0]["file"]), "official")
    assert rep.stages.get("xsd") == "unavailable"
    assert rep.stages.get("br-fr-cdv") == "unavailable"
    assert not [f for f in rep.findings if f.stage.value in STAGES]
