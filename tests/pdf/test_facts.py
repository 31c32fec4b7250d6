"""The reform facts module: every fact sourced, the size rule and the penalty arithmetic."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from einvoice_gov.reform import facts
from einvoice_gov.reform.facts import SizeCategory, size_category


def test_every_fact_names_its_source() -> None:
    found = facts.all_facts()
    assert len(found) >= 20
    for name, fact in found.items():
        assert fact.source.startswith("FACTS.md §"), name
        assert fact.reliability in {"OFF", "STD", "SEC", "INTERPRETATION"}, name
        if fact.reliability == "INTERPRETATION":
            assert fact.note, f"{name}: an interpretation must say what was chosen"


def test_every_penalty_names_its_source() -> None:
    for key, p in facts.PENALTIES.items():
        assert p.key == key
        assert p.source.startswith("FACTS.md §1.5")
        assert p.en and p.fr and p.amount_eur > 0


@pytest.mark.parametrize(
    ("headcount", "turnover", "balance", "expected"),
    [
        (3, 150_000, 80_000, SizeCategory.MICRO),
        (9, 2_000_000, 5_000_000, SizeCategory.MICRO),  # turnover at the limit is enough
        (9, 3_000_000, 2_500_000, SizeCategory.PME),  # both money limits exceeded: moves up
        (10, 100_000, 100_000, SizeCategory.PME),  # headcount decides first
        (249, 60_000_000, 40_000_000, SizeCategory.PME),  # balance sheet under 43 M
        (249, 60_000_000, 50_000_000, SizeCategory.ETI),
        (250, 1_000_000, 1_000_000, SizeCategory.ETI),
        (4_999, 1_600_000_000, 1_900_000_000, SizeCategory.ETI),
        (4_999, 1_600_000_000, 2_100_000_000, SizeCategory.GE),
        (5_000, 10, 10, SizeCategory.GE),
    ],
)
def test_size_category(headcount: int, turnover: int, balance: int, expected: SizeCategory) -> None:
    assert size_category(headcount, turnover, balance) is expected


def test_size_category_refuses_negative_figures() -> None:
    with pytest.raises(ValueError):
        size_category(-1, 0, 0)


def test_deadlines_by_category() -> None:
    pme = {d.key: d.date for d in facts.deadlines("pme")}
    assert pme == {
        "reception": date(2026, 9, 1),
        "issuance": date(2027, 9, 1),
        "e-reporting": date(2027, 9, 1),
    }
    ge = {d.key: d.date for d in facts.deadlines(SizeCategory.GE)}
    assert ge["issuance"] == date(2026, 9, 1)
    # a micro-entreprise inside a VAT group issues with the large companies
    grouped = {d.key: d.date for d in facts.deadlines("micro", vat_group_member=True)}
    assert grouped["issuance"] == date(2026, 9, 1)
    with pytest.raises(ValueError):
        facts.deadlines("huge")


def test_penalty_exposure_applies_the_annual_cap() -> None:
    assert facts.penalty_exposure("invoice-not-electronic", 10) == Decimal("500")
    assert facts.penalty_exposure("invoice-not-electronic", 1_000) == Decimal("15000")
    assert facts.penalty_exposure("e-reporting-missing", 3) == Decimal("1500")
    with pytest.raises(ValueError):
        facts.penalty_exposure("no-reception-platform", 1)


@pytest.mark.parametrize(
    ("months", "fine"), [(0, 0), (2, 0), (3, 500), (5, 500), (6, 1500), (9, 2500), (12, 3500)]
)
def test_no_reception_platform_escalation(months: int, fine: int) -> None:
    assert facts.no_reception_platform_fine(months) == Decimal(fine)
