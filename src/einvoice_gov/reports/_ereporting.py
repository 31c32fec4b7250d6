"""E-reporting frequency by VAT regime (FACTS.md §5, décret 2022-1299).

The only reform fact the readiness report needs that :mod:`einvoice_gov.reform.facts` does not
hold yet; it moves there when that module gains it (then this file is deleted).
Source: [SEC] legifiscal.fr "e-reporting : périodicité" (FACTS.md §5).
"""

from __future__ import annotations

#: VAT regime -> (transaction-data transmissions, payment-data transmissions) per year.
TRANSMISSIONS_PER_YEAR: dict[str, tuple[int, int]] = {
    "reel_normal_mensuel": (36, 12),  # transactions by décade (3 a month); payments monthly
    "reel_normal_trimestriel": (12, 12),  # monthly, before the 10th of the following month
    "simplifie": (12, 12),  # monthly, between the 25th and 30th of the following month
    "franchise": (6, 6),  # every 2 months
}

#: Regime assumed when the profile does not say (the most frequent: the worst case).
WORST_CASE_REGIME = "reel_normal_mensuel"

SOURCE = "FACTS.md §5 (décret 2022-1299; legifiscal.fr)"
