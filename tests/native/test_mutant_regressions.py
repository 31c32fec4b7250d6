"""Generated mutants that once diverged from the official engine, kept as regression cases.

Same comparison as ``test_mutants_official.py`` (native vs Saxon, every schematron stage the
wheel has the artefact for), on the seeds of the mutator that exposed a difference, whatever
window ``EINVOICE_MUTANTS_SEED`` selects.
"""

from __future__ import annotations

import pytest

from einvoice_gov import validate
from einvoice_gov.validation import official

from .mutate import Mutator
from .test_mutants_official import _bases, _verdicts

pytestmark = [
    pytest.mark.conformance,
    pytest.mark.skipif(not official.available(), reason="saxonche is not installed"),
]

#: syntax -> seeds, each with what diverged
REGRESSIONS: dict[str, dict[int, str]] = {
    "ubl": {
        # TaxAmount deleted and a second Percent in the VAT breakdown's category: BR-CO-17
        # compares `abs(xs:decimal(cbc:TaxAmount)) - 1 < round(... xs:decimal(cbc:Percent) ...)`;
        # Saxon reads the left operand (typed as one item) first and, empty, never evaluates the
        # right one that would raise XPTY0004: BR-46, BR-CO-17, BR-E-09, no stage error.
        1563: "empty operand typed as one item decides a comparison before the other raises",
    },
}


@pytest.mark.parametrize(
    ("syntax", "seed"),
    [(syn, seed) for syn, seeds in REGRESSIONS.items() for seed in sorted(seeds)],
)
def test_regression_mutant_matches_official(syntax: str, seed: int) -> None:
    bases = _bases(syntax)
    if not bases:
        pytest.skip("no base invoices in ../shared/conformance/mutants-dev")
    m = Mutator(bases).mutant(seed)
    theirs = _verdicts(validate(m.data, engine="official", chain="fr", name=m.base))
    ours = _verdicts(validate(m.data, engine="native", chain="fr", name=m.base))
    compared = {stage: want for stage, want in theirs.items() if want is not None}
    assert compared, "the official engine gave no verdict"
    for stage, want in compared.items():
        assert ours.get(stage) == want, f"seed {seed} {m.base} {m.ops} {stage}"
