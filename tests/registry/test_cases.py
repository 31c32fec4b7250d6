"""Meta-test: every catalogued rule has at least one failing and one passing case.

The cases come from the official verdicts of the conformance corpora, from documents
synthesised for syntax rules and verified with the official artefacts, and from running a
Factur-X profile on corpus files that fail the EN 16931 rule its id stands for (``cases.py``).
Rules with no failing case anywhere are listed, each with its reason, in ``exemptions.py``;
the test fails if that list is not exact (a rule gains a case, or a new rule lacks one).
"""

from __future__ import annotations

import pytest

from tests.registry.cases import Cases, catalogued
from tests.registry.exemptions import NO_FAILING_CASE, NO_PASSING_CASE, REASONS

pytestmark = [pytest.mark.conformance, pytest.mark.slow]


def test_every_rule_has_a_failing_case_or_a_documented_exemption(rule_cases: Cases) -> None:
    rules = catalogued()
    without = {code for code in rules if not rule_cases.failing.get(code)}
    listed = set(NO_FAILING_CASE)
    assert not (without - listed), (
        f"{len(without - listed)} rule(s) have no failing case and no exemption: "
        f"{sorted(without - listed)[:40]}"
    )
    assert not (listed - without), (
        f"{len(listed - without)} exempted rule(s) now have a failing case, remove them from "
        f"exemptions.py: {sorted(listed - without)[:40]}"
    )


def test_every_rule_has_a_passing_case(rule_cases: Cases) -> None:
    rules = catalogued()
    without = {code for code in rules if not rule_cases.passing.get(code)}
    assert without == set(NO_PASSING_CASE), sorted(without ^ set(NO_PASSING_CASE))[:40]


def test_exemptions_name_a_known_reason() -> None:
    bad = {c: r for c, r in {**NO_FAILING_CASE, **NO_PASSING_CASE}.items() if r not in REASONS}
    assert not bad, bad
    assert all(len(text) > 40 for text in REASONS.values())


def test_failing_cases_cover_most_rules(rule_cases: Cases) -> None:
    """A floor, so that a broken corpus or synthesiser cannot empty the cases unnoticed."""
    rules = catalogued()
    with_case = sum(1 for code in rules if rule_cases.failing.get(code))
    assert with_case >= 0.9 * len(rules), (with_case, len(rules))
