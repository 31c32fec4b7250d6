"""Decide a firm's size category from headcount, turnover and balance sheet.

The rule itself (LME art. 51, décret 2008-1354, FACTS.md §1.2) lives in
:func:`einvoice_gov.reform.facts.size_category`; this wrapper accepts the figures a profile may
lack. An unknown money figure cannot show that the firm moved up (moving up on money takes
*both* turnover and balance sheet above the limits), so it counts as within the limits; when
both are unknown, headcount alone decides.
"""

from __future__ import annotations

from einvoice_gov.reform.facts import SIZE_RULE_EN, SIZE_RULE_FR, size_category
from einvoice_gov.reform.facts import SizeCategory as Category


def decide_category(
    headcount: int, turnover_eur: int | None = None, balance_sheet_eur: int | None = None
) -> Category:
    """The size category for these figures; ``None`` means unknown (see the module docstring)."""
    return size_category(headcount, turnover_eur or 0, balance_sheet_eur or 0)


def category_rule(lang: str) -> str:
    """The rule in plain words (French unless ``lang == "en"``)."""
    return SIZE_RULE_EN if lang == "en" else SIZE_RULE_FR
