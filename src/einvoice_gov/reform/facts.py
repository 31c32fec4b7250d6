"""The facts of the French B2B e-invoicing reform that the code relies on, in ONE place.

Every date, threshold and amount the library uses about the reform is defined here, once, as a
:class:`Fact` that carries its value, its source (a section of ``shared/reform/FACTS.md``, the
project's research file, with the upstream reference it cites) and how reliable that source is.
When a decree moves a date or a finance law changes a fine, the change is ONE line here; the
checks (``validation/readiness.py``), the readiness report and the docs read these values.

What is here:

- **Timeline** (FACTS §1.1): :data:`RECEPTION_START`, :data:`ISSUANCE_START_LARGE`,
  :data:`ISSUANCE_START_SMALL`, :data:`MAX_POSTPONEMENT_MONTHS`; :func:`deadlines` gives the
  obligations of one size category with their dates.
- **Size categories** (FACTS §1.2): :class:`SizeCategory`, the thresholds, and
  :func:`size_category` which applies the LME rule (headcount first, then turnover / balance
  sheet), assessed at :data:`SIZE_ASSESSMENT_DATE`.
- **Pilot and tolerance** (FACTS §1.4): :data:`BR_FR_FATAL_SENDING_FROM`,
  :data:`BR_FR_WARNING_RECEIVING_UNTIL`.
- **Penalties** (FACTS §1.5): :data:`PENALTIES` (a :class:`Penalty` per breach, amounts in euros,
  annual caps), :func:`penalty_exposure` and :func:`no_reception_platform_fine`.
- **Formats and profiles** (FACTS §2.2, §9.3): :data:`PROFILES_ACCEPTED`,
  :data:`PROFILES_REFUSED`, :data:`BASIC_WL_ACCEPTED_UNTIL`.
- **Identifiers and currency** (FACTS §3.3, §3.4): SIREN/SIRET lengths and schemes, the La Poste
  exception to the Luhn key, :data:`ACCOUNTING_CURRENCY`.
- **Archiving** (FACTS §6): :data:`TAX_RETENTION_YEARS`, :data:`COMMERCIAL_RETENTION_YEARS`.

Reliability tags follow FACTS.md: ``OFF`` official, ``STD`` standard body (FNFE-MPE), ``SEC``
secondary source, and ``INTERPRETATION`` where FACTS.md says the official text is silent and the
project had to choose (the note says what was chosen and why). Amounts are :class:`Decimal`
euros; dates are :class:`datetime.date`. Nothing here does I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Generic, TypeVar

T = TypeVar("T")

#: Where the project's research file lives, relative to the repository's parent folder.
FACTS_FILE = "shared/reform/FACTS.md"


@dataclass(frozen=True)
class Fact(Generic[T]):
    """One fact of the reform: its value and where it comes from."""

    value: T
    #: Section of FACTS.md and the upstream reference it cites.
    source: str
    #: ``OFF``, ``STD``, ``SEC`` or ``INTERPRETATION`` (see the module docstring).
    reliability: str
    note: str = ""


# --------------------------------------------------------------------------------------------
# 1.1 Timeline
# --------------------------------------------------------------------------------------------

RECEPTION_START: Fact[date] = Fact(
    date(2026, 9, 1),
    "FACTS.md §1.1 (Vertex France Flux 2 overview; service-public A18802 sanction)",
    "SEC",
    "Every VAT-liable business established in France, micro-entreprise included, must be able "
    "to receive e-invoices through an approved platform (PA).",
)
ISSUANCE_START_LARGE: Fact[date] = Fact(
    date(2026, 9, 1),
    "FACTS.md §1.1 (EFL, PLF 2024 calendar; Vertex overview)",
    "SEC",
    "Issuing e-invoices and e-reporting: large companies (GE), ETI and members of an "
    "assujetti unique (VAT group).",
)
ISSUANCE_START_SMALL: Fact[date] = Fact(
    date(2027, 9, 1),
    "FACTS.md §1.1 (EFL, PLF 2024 calendar; Vertex overview)",
    "SEC",
    "Issuing e-invoices and e-reporting: PME and micro-entreprises not in a VAT group.",
)
MAX_POSTPONEMENT_MONTHS: Fact[int] = Fact(
    3,
    "FACTS.md §1.1 (EFL)",
    "SEC",
    "A decree may push each date back by at most 3 months; none was found.",
)


class SizeCategory(StrEnum):
    """Company size categories of the LME (art. 51, décret 2008-1354)."""

    MICRO = "micro"
    PME = "pme"
    ETI = "eti"
    GE = "ge"


@dataclass(frozen=True)
class Deadline:
    """One obligation of the reform for a company, with its start date."""

    key: str  # "reception" | "issuance" | "e-reporting"
    date: date
    en: str
    fr: str
    source: str


def issuance_start(category: SizeCategory | str, *, vat_group_member: bool = False) -> date:
    """Date from which a company must issue e-invoices (and e-report)."""
    cat = SizeCategory(category)
    if vat_group_member or cat in (SizeCategory.GE, SizeCategory.ETI):
        return ISSUANCE_START_LARGE.value
    return ISSUANCE_START_SMALL.value


def deadlines(category: SizeCategory | str, *, vat_group_member: bool = False) -> list[Deadline]:
    """The reform's obligations for a company of ``category``, in date order.

    ``vat_group_member``: the company belongs to an *assujetti unique*, which brings its
    issuing date forward to the large-company date whatever its size (FACTS §1.1).
    """
    cat = SizeCategory(category)
    issue = issuance_start(cat, vat_group_member=vat_group_member)
    issue_fact = (
        ISSUANCE_START_LARGE if issue == ISSUANCE_START_LARGE.value else (ISSUANCE_START_SMALL)
    )
    out = [
        Deadline(
            "reception",
            RECEPTION_START.value,
            "Receive e-invoices through an approved platform (PA)",
            "Recevoir les factures électroniques via une plateforme agréée (PA)",
            RECEPTION_START.source,
        ),
        Deadline(
            "issuance",
            issue,
            "Issue invoices as e-invoices through the PA",
            "Émettre les factures sous forme électronique via la PA",
            issue_fact.source,
        ),
        Deadline(
            "e-reporting",
            issue,
            "Transmit transaction and payment data (e-reporting)",
            "Transmettre les données de transaction et de paiement (e-reporting)",
            issue_fact.source,
        ),
    ]
    return sorted(out, key=lambda d: d.date)


# --------------------------------------------------------------------------------------------
# 1.2 Size categories
# --------------------------------------------------------------------------------------------

_SIZE_SRC = "FACTS.md §1.2 (LME art. 51, décret 2008-1354; ededoc.fr FAQ, berdugometoudi.fr)"

#: Headcount limits are exclusive ("fewer than"), money limits inclusive ("at most").
MICRO_MAX_HEADCOUNT: Fact[int] = Fact(10, _SIZE_SRC, "SEC", "micro: fewer than 10 persons")
MICRO_MAX_TURNOVER_EUR: Fact[Decimal] = Fact(Decimal("2000000"), _SIZE_SRC, "SEC")
MICRO_MAX_BALANCE_SHEET_EUR: Fact[Decimal] = Fact(Decimal("2000000"), _SIZE_SRC, "SEC")
PME_MAX_HEADCOUNT: Fact[int] = Fact(250, _SIZE_SRC, "SEC", "PME: fewer than 250 persons")
PME_MAX_TURNOVER_EUR: Fact[Decimal] = Fact(Decimal("50000000"), _SIZE_SRC, "SEC")
PME_MAX_BALANCE_SHEET_EUR: Fact[Decimal] = Fact(Decimal("43000000"), _SIZE_SRC, "SEC")
ETI_MAX_HEADCOUNT: Fact[int] = Fact(5000, _SIZE_SRC, "SEC", "ETI: fewer than 5 000 persons")
ETI_MAX_TURNOVER_EUR: Fact[Decimal] = Fact(Decimal("1500000000"), _SIZE_SRC, "SEC")
ETI_MAX_BALANCE_SHEET_EUR: Fact[Decimal] = Fact(Decimal("2000000000"), _SIZE_SRC, "SEC")
SIZE_ASSESSMENT_DATE: Fact[date] = Fact(
    date(2025, 1, 1),
    "FACTS.md §1.2 and §9.12 (EFL, PLF 2024 text)",
    "SEC",
    "Category assessed at 1 Jan 2025 on the last financial year closed before that date (or, "
    "failing that, the first year closed after it). Unit: the legal unit (SIREN).",
)

SIZE_RULE_EN = (
    "Headcount decides first: a company is in the smallest category whose headcount limit it "
    "stays under AND whose turnover or balance-sheet limit it meets (it moves up on money only "
    "when BOTH turnover and balance sheet exceed the limits). Micro: < 10 persons and turnover "
    "or balance sheet ≤ €2 M; PME: < 250 persons and turnover ≤ €50 M or balance sheet ≤ €43 M; "
    "ETI: < 5 000 persons and turnover ≤ €1 500 M or balance sheet ≤ €2 000 M; otherwise GE. "
    "Assessed at 1 January 2025 on the last closed financial year."
)
SIZE_RULE_FR = (
    "L'effectif décide d'abord : l'entreprise relève de la plus petite catégorie dont elle "
    "respecte le plafond d'effectif ET le plafond de chiffre d'affaires ou de total de bilan (elle "
    "ne change de catégorie par les montants que si le chiffre d'affaires ET le bilan dépassent "
    "tous deux les seuils). Micro : < 10 personnes et CA ou bilan ≤ 2 M€ ; PME : < 250 personnes "
    "et CA ≤ 50 M€ ou bilan ≤ 43 M€ ; ETI : < 5 000 personnes et CA ≤ 1 500 M€ ou bilan "
    "≤ 2 000 M€ ; sinon GE. Appréciée au 1er janvier 2025 sur le dernier exercice clos."
)


def size_category(
    headcount: int, turnover_eur: Decimal | int | float, balance_sheet_eur: Decimal | int | float
) -> SizeCategory:
    """The LME size category of a legal unit (see :data:`SIZE_RULE_EN`).

    Raises ``ValueError`` on a negative figure.
    """
    turnover = Decimal(str(turnover_eur))
    balance = Decimal(str(balance_sheet_eur))
    if headcount < 0 or turnover < 0 or balance < 0:
        raise ValueError("headcount, turnover and balance sheet must be >= 0")
    limits = (
        (
            SizeCategory.MICRO,
            MICRO_MAX_HEADCOUNT,
            MICRO_MAX_TURNOVER_EUR,
            MICRO_MAX_BALANCE_SHEET_EUR,
        ),
        (SizeCategory.PME, PME_MAX_HEADCOUNT, PME_MAX_TURNOVER_EUR, PME_MAX_BALANCE_SHEET_EUR),
        (SizeCategory.ETI, ETI_MAX_HEADCOUNT, ETI_MAX_TURNOVER_EUR, ETI_MAX_BALANCE_SHEET_EUR),
    )
    for cat, max_head, max_turnover, max_balance in limits:
        if headcount < max_head.value and (
            turnover <= max_turnover.value or balance <= max_balance.value
        ):
            return cat
    return SizeCategory.GE


# --------------------------------------------------------------------------------------------
# 1.4 Pilot and tolerance
# --------------------------------------------------------------------------------------------

BR_FR_FATAL_SENDING_FROM: Fact[date] = Fact(
    date(2026, 9, 1),
    "FACTS.md §1.4 (FNFE explanatory note v1.4.0, §Application)",
    "STD",
    "Sending platforms apply the FATAL edition of the French rules (BR-FR) from this date.",
)
BR_FR_WARNING_RECEIVING_UNTIL: Fact[date] = Fact(
    date(2026, 9, 30),
    "FACTS.md §1.4 (FNFE explanatory note v1.4.0, §Application)",
    "STD",
    "Receiving platforms may run the WARNING edition until this date and switch to FATAL "
    "between 1 Sept and 1 Oct 2026.",
)


# --------------------------------------------------------------------------------------------
# 1.5 Penalties (state after the loi de finances pour 2026)
# --------------------------------------------------------------------------------------------

_PENALTY_SRC = "FACTS.md §1.5 (service-public A18802, 20 Feb 2026; archimag.com; stengelin.fr)"


@dataclass(frozen=True)
class Penalty:
    """A fine of the reform. Amounts in euros; ``None`` when the source states none."""

    key: str
    en: str
    fr: str
    amount_eur: Decimal
    unit_en: str
    unit_fr: str
    annual_cap_eur: Decimal | None
    legal_basis: str
    source: str
    reliability: str
    note: str = ""


PENALTIES: dict[str, Penalty] = {
    p.key: p
    for p in (
        Penalty(
            "invoice-not-electronic",
            "Invoice not issued in electronic form",
            "Facture non émise sous forme électronique",
            Decimal("50"),
            "per invoice",
            "par facture",
            Decimal("15000"),
            "CGI art. 1737, 289 bis",
            _PENALTY_SRC,
            "OFF",
            "€15 per invoice before 2026. The €15 000 cap is the official summary's figure; one "
            "commentary claims €45 000 for companies (FACTS §9.2a).",
        ),
        Penalty(
            "e-reporting-missing",
            "Transaction or payment data not transmitted (e-reporting)",
            "Données de transaction ou de paiement non transmises (e-reporting)",
            Decimal("500"),
            "per transmission",
            "par transmission",
            Decimal("15000"),
            "CGI art. 290, 290 A",
            _PENALTY_SRC,
            "OFF",
            "€250 per transmission before 2026.",
        ),
        Penalty(
            "no-reception-platform",
            "No approved platform (PA) chosen to receive e-invoices",
            "Aucune plateforme agréée (PA) choisie pour recevoir les factures électroniques",
            Decimal("500"),
            "after a 3-month formal notice; then €1 000 every further 3 months",
            "après une mise en demeure de 3 mois ; puis 1 000 € tous les 3 mois",
            None,
            "LF 2026",
            _PENALTY_SRC,
            "OFF",
            "See no_reception_platform_fine() for the escalation.",
        ),
        Penalty(
            "platform-transmission",
            "Approved platform failing its transmission duty",
            "Plateforme agréée manquant à son obligation de transmission",
            Decimal("750"),
            "per transmission",
            "par transmission",
            Decimal("100000"),
            "CGI art. 290 III",
            _PENALTY_SRC,
            "SEC",
            "Cap from the PLF 2026 text; €45 000 in earlier sources (FACTS §9.2).",
        ),
        Penalty(
            "invoice-mention",
            "Missing or wrong mandatory mention on an invoice",
            "Mention obligatoire absente ou erronée sur une facture",
            Decimal("15"),
            "per mention (capped at 25 % of the invoice amount)",
            "par mention (plafonnée à 25 % du montant de la facture)",
            None,
            "CGI art. 1737",
            "FACTS.md §1.5 (cabinetecai.com; mathez-formation.fr; CE 21 May 2014 n° 364610)",
            "SEC",
        ),
    )
}

#: First infraction not fined if regularised spontaneously or within 30 days (pre-2026 regime;
#: whether it survives the LF 2026 rewrite is uncertain).
FIRST_INFRACTION_WAIVER: Fact[bool] = Fact(
    True,
    "FACTS.md §1.4 and §9.1 (cabinetecai.com; journaldunet.com)",
    "SEC",
    "Confirmed for the pre-2026 regime only; not found in the LF 2026 summary.",
)
#: Months of formal notice before the no-reception-platform fine, and between escalations.
NOTICE_MONTHS: Fact[int] = Fact(3, _PENALTY_SRC, "OFF")


def penalty_exposure(key: str, count: int) -> Decimal:
    """Fine for ``count`` breaches of kind ``key`` in one calendar year, annual cap applied.

    Only for per-unit fines (``invoice-not-electronic``, ``e-reporting-missing``,
    ``platform-transmission``, ``invoice-mention`` without its 25 % cap). Raises ``KeyError`` on
    an unknown key and ``ValueError`` for ``no-reception-platform`` (use
    :func:`no_reception_platform_fine`).
    """
    p = PENALTIES[key]
    if key == "no-reception-platform":
        raise ValueError("use no_reception_platform_fine() for this penalty")
    total = p.amount_eur * max(0, count)
    if p.annual_cap_eur is not None:
        total = min(total, p.annual_cap_eur)
    return total


def no_reception_platform_fine(months_since_notice: int) -> Decimal:
    """Cumulated fine for having no receiving PA, ``months_since_notice`` after the first notice.

    FACTS §1.5: a formal notice gives 3 months; then €500 and a new 3-month notice; then
    €1 000, and €1 000 again every 3 months until regularised.
    """
    periods = max(0, months_since_notice) // NOTICE_MONTHS.value
    if periods == 0:
        return Decimal("0")
    return Decimal("500") + Decimal("1000") * (periods - 1)


# --------------------------------------------------------------------------------------------
# 2.2 Profiles
# --------------------------------------------------------------------------------------------

PROFILES_ACCEPTED: Fact[frozenset[str]] = Fact(
    frozenset({"EN16931", "EXTENDED", "EXTENDED-CTC-FR", "BASIC WL"}),
    "FACTS.md §2.2 (FNFE note v1.4.0 §2.1; FNFE release notes)",
    "STD",
    "UBL/CII: EN16931 (CIUS-FR) and EXTENDED-CTC-FR; Factur-X: BASIC WL (first year only), "
    "EN16931 and EXTENDED.",
)
PROFILES_REFUSED: Fact[frozenset[str]] = Fact(
    frozenset({"MINIMUM", "BASIC"}),
    "FACTS.md §2.2 and §9.3 (FNFE note: MINIMUM and BASIC are not in the package)",
    "STD",
    "MINIMUM has no lines nor VAT breakdown; BASIC is absent from the FNFE package (an older "
    "PPF-era article listed it: FACTS §9.3).",
)
BASIC_WL_ACCEPTED_UNTIL: Fact[date] = Fact(
    date(2027, 8, 31),
    "FACTS.md §2.2 and §9.3 (FNFE note: BASIC WL 'for the first year only')",
    "INTERPRETATION",
    "The exact end date is not stated. We count the first year from the first issuing "
    "obligation (1 Sept 2026), so BASIC WL is accepted up to and including 31 Aug 2027.",
)


# --------------------------------------------------------------------------------------------
# 3.3 / 3.4 Identifiers and currency
# --------------------------------------------------------------------------------------------

_ID_SRC = "FACTS.md §3.4 (FNFE schematrons; hardis-group.com on the Luhn key)"
SCHEME_SIREN: Fact[str] = Fact("0002", _ID_SRC, "STD", "ISO 6523 ICD of the SIREN")
SCHEME_SIRET: Fact[str] = Fact("0009", _ID_SRC, "STD", "ISO 6523 ICD of the SIRET")
SCHEME_ELECTRONIC_ADDRESS: Fact[str] = Fact("0225", _ID_SRC, "STD", "French routing address")
SIREN_LENGTH: Fact[int] = Fact(9, _ID_SRC, "STD")
SIRET_LENGTH: Fact[int] = Fact(14, _ID_SRC, "STD")
LA_POSTE_SIREN: Fact[str] = Fact(
    "356000000",
    _ID_SRC,
    "SEC",
    "La Poste's SIRETs do not follow the Luhn key: the sum of their 14 digits is a multiple "
    "of 5 instead.",
)
ACCOUNTING_CURRENCY: Fact[str] = Fact(
    "EUR",
    "FACTS.md §3.3 (BR-FR-CO-12) and §5 (total VAT due in France in EUR)",
    "STD",
    "When the invoice currency (BT-5) is not EUR, the VAT total must also be given in EUR "
    "(BT-111) with BT-6 = EUR.",
)


# --------------------------------------------------------------------------------------------
# 6 Archiving
# --------------------------------------------------------------------------------------------

TAX_RETENTION_YEARS: Fact[int] = Fact(
    6, "FACTS.md §6 (LPF art. L102 B; BOFiP 645-PGP)", "OFF", "Tax retention of invoices."
)
COMMERCIAL_RETENTION_YEARS: Fact[int] = Fact(
    10, "FACTS.md §6 (Code de commerce art. L123-22)", "SEC", "Commercial retention."
)


def all_facts() -> dict[str, Fact[object]]:
    """Every :class:`Fact` of this module by name (for docs and tests)."""
    return {name: val for name, val in globals().items() if isinstance(val, Fact)}
