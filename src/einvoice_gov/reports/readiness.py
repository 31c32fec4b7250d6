"""The gap analysis: validation results + trace + company profile -> a prioritised plan.

    from einvoice_gov.profile import load_profile
    from einvoice_gov.reports.readiness import build_readiness
    report = build_readiness(["exports/"], load_profile("company.toml"), lang="fr")
    report.as_json()["gaps"]

:func:`build_readiness` validates the inputs with :func:`einvoice_gov.validate_many` (so the
counts are those of ``einvoice-gov check`` with the same chain), reads the ledger when a store
URL is given, and hands everything to :func:`assemble`, a pure function of its inputs (``today``
included) that the tests call directly.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Literal

from einvoice_gov._version import __version__
from einvoice_gov.profile import Answer, CompanyProfile, decide_category
from einvoice_gov.profile.checklist import ITEMS
from einvoice_gov.reform import facts
from einvoice_gov.reports import _ereporting
from einvoice_gov.reports._parties import Parties, read_parties
from einvoice_gov.reports.flows import read_flows
from einvoice_gov.reports.model import (
    SEVERITY_ORDER,
    Area,
    CompanySummary,
    DeadlineItem,
    FlowStats,
    Gap,
    GapSeverity,
    InvoiceStats,
    Owner,
    PartyStat,
    Penalties,
    PenaltyItem,
    ReadinessReport,
    Roadmap,
    RoadmapQuarter,
    RuleStat,
    Score,
    Track,
)
from einvoice_gov.reports.texts import (
    ORG_VARIANTS,
    TRACE_ANOMALIES,
    TRACE_ANOMALY_DEFAULT,
    fact_words,
    gap_text,
    words,
)
from einvoice_gov.validation.batch import DEFAULT_TIMEOUT, iter_files, validate_many
from einvoice_gov.validation.findings import Finding, Report, Severity, Stage

#: How many failing rules the report details (and turns into gaps).
TOP_RULES = 10
RULE_GAPS = 5
#: Days given to act on a gap, by severity, when no legal date drives it.
HORIZON_DAYS: dict[str, int] = {"blocking": 30, "important": 90, "advice": 180}
#: Invoice-quality gaps are due this many days before the issuing obligation (test window).
TEST_WINDOW_DAYS = 90
#: Weights of the readiness score's parts.
SCORE_WEIGHTS: dict[str, int] = {"invoices": 35, "platform": 25, "organisation": 25, "trace": 15}
#: Business terms whose rules are about master data (party identifiers and addresses):
#: the pilot fixes them in the customer file, not the software provider.
MASTER_DATA_BT = frozenset({"BT-29", "BT-30", "BT-34", "BT-46", "BT-47", "BT-49"})


# ------------------------------------------------------------------------------------------
# deadlines and dates
# ------------------------------------------------------------------------------------------


def deadline_items(profile: CompanyProfile, today: dt.date, lang: str) -> list[DeadlineItem]:
    """The reform's obligations for the firm, each ``due`` (in force) or ``upcoming``."""
    out = []
    group = profile.company.assujetti_unique is Answer.YES
    for d in facts.deadlines(profile.company.category, vat_group_member=group):
        out.append(
            DeadlineItem(
                obligation=d.key,
                label=d.fr if lang == "fr" else d.en,
                date=d.date,
                status="due" if d.date <= today else "upcoming",
                days=(d.date - today).days,
                source=d.source,
            )
        )
    return out


def _due(
    today: dt.date, severity: str, legal: dt.date | None = None, lead_days: int = 0
) -> tuple[dt.date, bool]:
    """(deadline, overdue) of a gap: the legal date it serves (minus a lead time), or a
    horizon by severity; a legal date already past gives a short horizon and ``overdue``."""
    horizon = today + dt.timedelta(days=HORIZON_DAYS[severity])
    if legal is None:
        return horizon, False
    if legal <= today:
        return today + dt.timedelta(days=HORIZON_DAYS["blocking"]), True
    target = legal - dt.timedelta(days=lead_days)
    if target <= today:
        return min(horizon, legal), False
    return target, False


def _issuance(deadlines: Sequence[DeadlineItem]) -> dt.date:
    return next(d.date for d in deadlines if d.obligation == "issuance")


def _reception(deadlines: Sequence[DeadlineItem]) -> dt.date:
    return next(d.date for d in deadlines if d.obligation == "reception")


# ------------------------------------------------------------------------------------------
# invoices
# ------------------------------------------------------------------------------------------


def _party_stats(
    rows: Iterable[tuple[str | None, str | None, bool]], limit: int = 10
) -> list[PartyStat]:
    groups: dict[tuple[str | None, str | None], list[bool]] = defaultdict(list)
    names: dict[str, str | None] = {}
    for siren, name, valid in rows:
        if siren is None and name is None:
            continue
        key = (siren, None) if siren else (None, name)
        if siren and name:
            names.setdefault(siren, name)
        groups[key].append(valid)
    stats = [
        PartyStat(
            siren=siren,
            name=names.get(siren) if siren else name,
            total=len(v),
            valid=sum(v),
            invalid=len(v) - sum(v),
        )
        for (siren, name), v in groups.items()
    ]
    stats.sort(key=lambda s: (-s.invalid, -s.total, s.siren or "", s.name or ""))
    return stats[:limit]


def summarize_invoices(
    reports: Sequence[Report],
    parties: dict[str, Parties],
    *,
    siren: str,
    inputs: Sequence[str],
    chain: str,
) -> InvoiceStats:
    """Counts, top failing rules and per-party results of a validated folder."""
    total = len(reports)
    valid = sum(r.valid for r in reports)
    files_of: dict[str, list[str]] = defaultdict(list)
    counts: Counter[str] = Counter()
    first: dict[str, Finding] = {}
    fixes: dict[str, str] = {}
    errors = warnings = 0
    for rep in reports:
        for f in rep.findings:
            if f.severity is Severity.ERROR:
                errors += 1
            elif f.severity is Severity.WARNING:
                warnings += 1
            else:
                continue
            counts[f.rule] += 1
            if not files_of[f.rule] or files_of[f.rule][-1] != rep.path:
                files_of[f.rule].append(rep.path)
            first.setdefault(f.rule, f)
            if f.fix and f.rule not in fixes:
                fixes[f.rule] = f.fix
    stats = [
        RuleStat(
            rule=rule,
            severity=f.severity.value,
            stage=f.stage.value,
            count=counts[rule],
            files=len(files_of[rule]),
            message=f.message,
            fix=fixes.get(rule),
            bt=list(f.bt),
            examples=files_of[rule][:3],
        )
        for rule, f in first.items()
    ]
    stats.sort(key=lambda s: (s.severity != "error", -s.files, -s.count, s.rule))
    dates = [p.issue_date for p in parties.values() if p.issue_date]
    issued = sum(1 for p in parties.values() if p.seller_siren == siren)
    received = sum(1 for p in parties.values() if p.buyer_siren == siren)
    by_supplier = _party_stats(
        (parties[r.path].seller_siren, parties[r.path].seller_name, r.valid)
        for r in reports
        if r.path in parties
    )
    by_customer = _party_stats(
        (parties[r.path].buyer_siren, parties[r.path].buyer_name, r.valid)
        for r in reports
        if r.path in parties
    )
    return InvoiceStats(
        inputs=list(inputs),
        chain=chain,
        total=total,
        valid=valid,
        invalid=total - valid,
        ready_share=round(valid / total, 4) if total else 0.0,
        errors=errors,
        warnings=warnings,
        by_document=dict(Counter(r.document for r in reports).most_common()),
        by_syntax=dict(Counter(r.syntax for r in reports).most_common()),
        by_profile=dict(Counter(r.profile or "none" for r in reports).most_common()),
        top_rules=stats[:TOP_RULES],
        other_rules=max(0, len(stats) - TOP_RULES),
        by_supplier=by_supplier,
        by_customer=by_customer,
        issued_by_company=issued,
        received_by_company=received,
        first_date=min(dates) if dates else None,
        last_date=max(dates) if dates else None,
    )


# ------------------------------------------------------------------------------------------
# penalties
# ------------------------------------------------------------------------------------------


def _euros(amount: object) -> str:
    value = int(float(str(amount)))
    return f"{value:,}".replace(",", "\u202f")


def estimate_penalties(profile: CompanyProfile, invoices: InvoiceStats, lang: str) -> Penalties:
    """Fines over one year if nothing changes, from the firm's volumes and answers."""
    fr = lang == "fr"
    company = profile.company
    basis: Literal["profile", "folder", "unknown"]
    if company.invoices_issued_per_year is not None:
        volume: int | None = company.invoices_issued_per_year
        basis = "profile"
    elif invoices.total:
        # Invoices of the folder issued by the company; when none carries its SIREN, the
        # folder is taken as the company's own sales export.
        volume = invoices.issued_by_company or invoices.total
        basis = "folder"
    else:
        volume, basis = None, "unknown"
    items: list[PenaltyItem] = []
    if volume is not None:
        p = facts.PENALTIES["invoice-not-electronic"]
        invalid_share = (1 - invoices.ready_share) if invoices.total else 1.0
        at_risk = round(volume * invalid_share)
        amount = facts.penalty_exposure(p.key, at_risk)
        items.append(
            PenaltyItem(
                key=p.key,
                label=p.fr if fr else p.en,
                amount_eur=float(amount),
                cap_eur=float(p.annual_cap_eur) if p.annual_cap_eur is not None else None,
                explanation=(
                    f"{at_risk} facture(s) sur {volume} ne passeraient pas la plateforme "
                    f"({round(invalid_share * 100)} % invalides) × {_euros(p.amount_eur)} €"
                    if fr
                    else f"{at_risk} of {volume} invoice(s) would not pass the platform "
                    f"({round(invalid_share * 100)} % invalid) × €{_euros(p.amount_eur)}"
                ),
                source=p.source,
            )
        )
    if company.e_reporting_needed is not Answer.NO:
        p = facts.PENALTIES["e-reporting-missing"]
        regime = company.vat_regime.value
        known = regime in _ereporting.TRANSMISSIONS_PER_YEAR
        n = sum(
            _ereporting.TRANSMISSIONS_PER_YEAR[regime if known else _ereporting.WORST_CASE_REGIME]
        )
        amount = facts.penalty_exposure(p.key, n)
        cond_fr = "" if company.e_reporting_needed is Answer.YES else " (si concernée)"
        cond_en = "" if company.e_reporting_needed is Answer.YES else " (if it applies)"
        regime_note_fr = "" if known else ", régime inconnu : cas le plus fréquent"
        regime_note_en = "" if known else ", regime unknown: most frequent case"
        items.append(
            PenaltyItem(
                key=p.key,
                label=p.fr if fr else p.en,
                amount_eur=float(amount),
                cap_eur=float(p.annual_cap_eur) if p.annual_cap_eur is not None else None,
                explanation=(
                    f"{n} transmissions par an{regime_note_fr} × {_euros(p.amount_eur)} €{cond_fr}"
                    if fr
                    else f"{n} transmissions a year{regime_note_en} × €{_euros(p.amount_eur)}"
                    f"{cond_en}"
                ),
                source=f"{p.source}; {_ereporting.SOURCE}",
            )
        )
    if not profile.receiving_platform.name.strip():
        p = facts.PENALTIES["no-reception-platform"]
        amount = facts.no_reception_platform_fine(12)
        items.append(
            PenaltyItem(
                key=p.key,
                label=p.fr if fr else p.en,
                amount_eur=float(amount),
                cap_eur=None,
                explanation=(
                    "12 mois après une première mise en demeure : "
                    f"{_euros(facts.no_reception_platform_fine(3))} € puis "
                    f"{_euros(facts.PENALTIES['no-reception-platform'].amount_eur * 2)} € "
                    "tous les 3 mois"
                    if fr
                    else "12 months after a first formal notice: "
                    f"€{_euros(facts.no_reception_platform_fine(3))} then "
                    f"€{_euros(facts.PENALTIES['no-reception-platform'].amount_eur * 2)} "
                    "every 3 months"
                ),
                source=p.source,
            )
        )
    return Penalties(
        invoices_per_year=volume,
        basis=basis,
        items=items,
        total_eur=float(sum(i.amount_eur for i in items)),
    )


# ------------------------------------------------------------------------------------------
# gaps
# ------------------------------------------------------------------------------------------


class _Gaps:
    def __init__(self, today: dt.date, lang: str) -> None:
        self.today = today
        self.lang = lang
        self.items: list[Gap] = []

    def add(
        self,
        gid: str,
        severity: GapSeverity,
        owner: Owner,
        area: Area,
        track: Track,
        texts: tuple[str, str, str],
        *,
        legal: dt.date | None = None,
        lead_days: int = 0,
        evidence: Sequence[str] = (),
        **fmt: object,
    ) -> None:
        deadline, overdue = _due(self.today, severity, legal, lead_days)
        title, why, fix = (t.format(**fmt) if fmt else t for t in texts)
        self.items.append(
            Gap(
                id=gid,
                severity=severity,
                owner=owner,
                deadline=deadline,
                title=title,
                why=why,
                fix=fix,
                area=area,
                track=track,
                overdue=overdue,
                evidence=list(evidence),
            )
        )

    def text(self, key: str) -> tuple[str, str, str]:
        return gap_text(key, self.lang)


def _luhn_ok(siren: str) -> bool:
    if siren == facts.LA_POSTE_SIREN.value:
        return True
    total = 0
    for i, ch in enumerate(reversed(siren)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def _date_text(d: dt.date, lang: str) -> str:
    return d.strftime("%d/%m/%Y") if lang == "fr" else d.isoformat()


def profile_gaps(
    g: _Gaps, profile: CompanyProfile, deadlines: Sequence[DeadlineItem], lang: str
) -> None:
    """Gaps of the platform, pilot, company facts and the organisational checklist."""
    reception, issuance = _reception(deadlines), _issuance(deadlines)
    company, pa, pilot = profile.company, profile.receiving_platform, profile.pilot
    if not pa.name.strip():
        g.add(
            "platform.none",
            "blocking",
            "direction",
            "platform",
            "einvoicing",
            g.text("platform.none"),
            legal=reception,
            reception=_date_text(reception, lang),
            first=_euros(facts.no_reception_platform_fine(3)),
            next=_euros(facts.PENALTIES["no-reception-platform"].amount_eur * 2),
            year=_euros(facts.no_reception_platform_fine(12)),
        )
    if pa.directory_line is not Answer.YES:
        g.add(
            "platform.directory-line",
            "blocking",
            "provider",
            "platform",
            "einvoicing",
            g.text("platform.directory-line"),
            legal=reception,
            platform=pa.name.strip() or ("la plateforme" if lang == "fr" else "the platform"),
        )
    if not pilot.name.strip():
        g.add("pilot.none", "important", "direction", "company", "einvoicing", g.text("pilot.none"))
    elif not pilot.mandate.strip() or not pilot.hours_per_month:
        g.add(
            "pilot.mandate", "advice", "direction", "company", "einvoicing", g.text("pilot.mandate")
        )
    if company.vat_regime.value == "unknown":
        g.add(
            "company.vat-regime",
            "important",
            "accountant",
            "company",
            "einvoicing",
            g.text("company.vat-regime"),
            legal=issuance,
            lead_days=180,
        )
    if company.e_reporting_needed is Answer.YES:
        regime = company.vat_regime.value
        n = sum(
            _ereporting.TRANSMISSIONS_PER_YEAR.get(
                regime, _ereporting.TRANSMISSIONS_PER_YEAR[_ereporting.WORST_CASE_REGIME]
            )
        )
        p = facts.PENALTIES["e-reporting-missing"]
        g.add(
            "company.e-reporting",
            "blocking" if issuance <= g.today else "important",
            "accountant",
            "company",
            "einvoicing",
            g.text("company.e-reporting"),
            legal=issuance,
            lead_days=TEST_WINDOW_DAYS,
            date=_date_text(issuance, lang),
            n=n,
            fine=_euros(p.amount_eur),
            cap=_euros(p.annual_cap_eur or 0),
        )
    elif company.e_reporting_needed is Answer.UNKNOWN:
        g.add(
            "company.e-reporting",
            "important",
            "accountant",
            "company",
            "einvoicing",
            g.text("company.e-reporting-unknown"),
            legal=issuance,
            lead_days=180,
            date=_date_text(issuance, lang),
        )
    if company.headcount is not None:
        computed = decide_category(
            company.headcount, company.turnover_eur, company.balance_sheet_eur
        )
        if computed != company.category:
            g.add(
                "company.category",
                "important",
                "accountant",
                "company",
                "einvoicing",
                g.text("company.category"),
                declared=company.category.value,
                computed=computed.value,
            )
    if not _luhn_ok(company.siren):
        g.add(
            "company.siren-key",
            "important",
            "accountant",
            "company",
            "einvoicing",
            g.text("company.siren-key"),
            siren=company.siren,
        )
    if company.assujetti_unique is Answer.UNKNOWN and company.category.value in ("micro", "pme"):
        g.add(
            "company.assujetti-unique",
            "advice",
            "accountant",
            "company",
            "einvoicing",
            g.text("company.assujetti-unique"),
            large=_date_text(facts.ISSUANCE_START_LARGE.value, lang),
        )
    if not profile.providers:
        g.add("providers.none", "advice", "pilot", "company", "contracts", g.text("providers.none"))
    variants = ORG_VARIANTS["en" if lang == "en" else "fr"]
    for info in ITEMS:
        item = getattr(profile.checklist, info.id)
        title = info.text("title", lang)
        texts = (title, info.text("why", lang), info.text("fix", lang))
        gid = f"org.{info.id}"
        if item.answer is Answer.NO:
            g.add(gid, info.severity, info.owner, "organisation", info.track, texts)
        elif item.answer is Answer.UNKNOWN:
            unknown = (variants["unknown"].format(title=title), texts[1], texts[2])
            g.add(gid, info.severity, info.owner, "organisation", info.track, unknown)
        elif info.max_age_days is not None and item.date is not None:
            if (g.today - item.date).days > info.max_age_days:
                stale = (
                    variants["stale"].format(title=title, date=_date_text(item.date, lang)),
                    texts[1],
                    texts[2],
                )
                g.add(gid, info.severity, info.owner, "organisation", info.track, stale)
        elif info.max_age_days is not None and item.date is None:
            undated = (
                variants["undated"].format(title=title),
                variants["undated_why"],
                variants["undated_fix"].format(what=info.text("date", lang)),
            )
            g.add(gid, "advice", info.owner, "organisation", info.track, undated)


def _rule_owner(rule: RuleStat) -> Owner:
    if rule.stage == Stage.INPUT.value:
        return "pilot"
    if rule.stage == Stage.BR_FR.value and MASTER_DATA_BT.intersection(rule.bt):
        return "pilot"
    return "provider"


def invoice_gaps(g: _Gaps, invoices: InvoiceStats, deadlines: Sequence[DeadlineItem]) -> None:
    """Gaps of the folder: nothing to check, or the rules failing most."""
    issuance = _issuance(deadlines)
    if invoices.total == 0:
        g.add(
            "invoices.none",
            "important",
            "pilot",
            "invoices",
            "einvoicing",
            g.text("invoices.none"),
            legal=issuance,
            lead_days=TEST_WINDOW_DAYS,
        )
        return
    generic_fix = g.text("invoices.rule.fix")[2]
    shown = [r for r in invoices.top_rules if r.severity == "error"][:RULE_GAPS]
    if len(shown) < RULE_GAPS:
        shown += [r for r in invoices.top_rules if r.severity != "error"][: RULE_GAPS - len(shown)]
    for rule in shown:
        severity: GapSeverity = "blocking" if rule.severity == "error" else "important"
        title, why, fix = g.text("invoices.rule")
        g.add(
            f"invoices.rule.{rule.rule}",
            severity,
            _rule_owner(rule),
            "invoices",
            "einvoicing",
            (
                title.format(rule=rule.rule, files=rule.files),
                why.format(message=rule.message),
                fix.format(fix=rule.fix or generic_fix),
            ),
            legal=issuance,
            lead_days=TEST_WINDOW_DAYS,
            evidence=rule.examples,
        )


def trace_gaps(g: _Gaps, flows: FlowStats, deadlines: Sequence[DeadlineItem]) -> None:
    """Gaps of the ledger: none kept, log broken, and one gap per kind of anomaly."""
    issuance = _issuance(deadlines)
    in_force = issuance <= g.today
    if flows.status == "no-ledger":
        g.add(
            "trace.no-ledger",
            "advice",
            "pilot",
            "trace",
            "einvoicing",
            g.text("trace.no-ledger"),
            tax_years=fact_words(g.lang)["tax_years"],
        )
        return
    if flows.status in ("unavailable", "error"):
        key = "trace.unavailable" if flows.status == "unavailable" else "trace.error"
        g.add(
            key,
            "important",
            "pilot",
            "trace",
            "einvoicing",
            g.text(key),
            store=flows.ledger or "",
            reason=flows.message,
        )
        return
    if flows.chain is not None and not flows.chain.ok:
        g.add(
            "trace.chain",
            "blocking",
            "provider",
            "trace",
            "einvoicing",
            g.text("trace.chain"),
            first_bad="?" if flows.chain.first_bad is None else flows.chain.first_bad,
            reason=flows.chain.reason or "?",
        )
    if flows.archive is not None and not flows.archive.ok:
        g.add(
            "trace.archive",
            "blocking",
            "provider",
            "trace",
            "einvoicing",
            g.text("trace.archive"),
            evidence=(flows.archive.damaged + flows.archive.missing)[:20],
            damaged=len(flows.archive.damaged),
            missing=len(flows.archive.missing),
            directory=flows.archive.directory,
            tax_years=fact_words(g.lang)["tax_years"],
        )
    by_code: dict[str, list[str]] = defaultdict(list)
    severities: dict[str, set[str]] = defaultdict(set)
    messages: dict[str, str] = {}
    for a in flows.anomalies:
        if a.invoice not in by_code[a.code]:
            by_code[a.code].append(a.invoice)
        severities[a.code].add(a.severity)
        messages.setdefault(a.code, a.message)
    for code in sorted(by_code):
        invoices = by_code[code]
        known = TRACE_ANOMALIES.get(code, {})
        lang2 = "fr" if g.lang == "fr" else "en"
        label = known.get(f"label_{'fr' if g.lang == 'fr' else 'en'}", code)
        fix = known.get(
            f"fix_{'fr' if g.lang == 'fr' else 'en'}",
            TRACE_ANOMALY_DEFAULT[f"fix_{'fr' if g.lang == 'fr' else 'en'}"],
        )
        owner: Owner = known.get("owner", TRACE_ANOMALY_DEFAULT["owner"])  # type: ignore[assignment]
        severity: GapSeverity
        if "error" in severities[code]:
            severity = "blocking" if in_force else "important"
        else:
            severity = "important" if in_force else "advice"
        title, why, fx = g.text("trace.anomaly")
        g.add(
            "trace." + code.lower().removeprefix("trace-"),
            severity,
            owner,
            "trace",
            "einvoicing",
            (
                title.format(label=label, n=len(invoices)),
                why.format(
                    message=known[f"why_{lang2}"].format(**fact_words(g.lang))
                    if f"why_{lang2}" in known
                    else messages[code]
                ),
                fx.format(fix=fix.format(**fact_words(g.lang))),
            ),
            evidence=invoices[:20],
        )


# ------------------------------------------------------------------------------------------
# score and roadmap
# ------------------------------------------------------------------------------------------


def compute_score(
    profile: CompanyProfile, invoices: InvoiceStats, flows: FlowStats, gaps: Sequence[Gap]
) -> Score:
    """Readiness 0-100: invoices ready, platform and pilot in place, checklist done, trail."""
    inv = round(invoices.ready_share * 100)
    pa = profile.receiving_platform
    platform = (
        (50 if pa.name.strip() else 0)
        + (30 if pa.directory_line is Answer.YES else 0)
        + (20 if profile.pilot.name.strip() else 0)
    )
    org_gaps = {g.id for g in gaps if g.area == "organisation" and g.severity != "advice"}
    done = sum(1 for info in ITEMS if f"org.{info.id}" not in org_gaps)
    organisation = round(100 * done / len(ITEMS))
    trace: int | None = None
    if flows.status == "ok":
        if flows.chain is not None and not flows.chain.ok:
            trace = 0
        elif flows.total:
            troubled = len({a.invoice for a in flows.anomalies})
            trace = round(100 * (flows.total - troubled) / flows.total)
        else:
            trace = 0
    elif flows.status in ("unavailable", "error"):
        trace = 0
    parts = {"invoices": inv, "platform": platform, "organisation": organisation}
    if trace is not None:
        parts["trace"] = trace
    weight = sum(SCORE_WEIGHTS[k] for k in parts)
    value = round(sum(SCORE_WEIGHTS[k] * v for k, v in parts.items()) / weight)
    return Score(
        value=value, invoices=inv, platform=platform, organisation=organisation, trace=trace
    )


def _add_months(d: dt.date, months: int) -> dt.date:
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    for day in (d.day, 30, 29, 28):
        try:
            return dt.date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def build_roadmap(gaps: Sequence[Gap], today: dt.date, lang: str) -> Roadmap:
    """Four quarters from ``today``: each gap in the quarter of its deadline, by track."""
    w = words(lang)
    bounds = [_add_months(today, 3 * i) for i in range(5)]
    quarters = [
        RoadmapQuarter(
            label=w["quarter"].format(n=i + 1),
            start=bounds[i],
            end=bounds[i + 1] - dt.timedelta(days=1),
            tracks={t: [] for t in ("security", "einvoicing", "equipment", "contracts")},
        )
        for i in range(4)
    ]
    for gap in gaps:
        idx = next((i for i, q in enumerate(quarters) if gap.deadline <= q.end), 3)
        quarters[idx].tracks[gap.track].append(gap.id)
    routines = [w["routine_quarterly"], w["routine_restore"], w["routine_rerun"]]
    routines.append(w["routine_yearly"])
    return Roadmap(
        start=today,
        end=bounds[4] - dt.timedelta(days=1),
        quarters=quarters,
        routines=routines,
    )


# ------------------------------------------------------------------------------------------
# assembly
# ------------------------------------------------------------------------------------------


def _order(gaps: list[Gap]) -> list[Gap]:
    return sorted(gaps, key=lambda g: (SEVERITY_ORDER[g.severity], g.deadline, g.id))


def assemble(
    profile: CompanyProfile,
    reports: Sequence[Report],
    parties: dict[str, Parties],
    flows: FlowStats,
    *,
    today: dt.date,
    lang: str = "fr",
    inputs: Sequence[str] = (),
    chain: str = "auto",
) -> ReadinessReport:
    """The readiness report from already computed parts (no I/O)."""
    out_lang: Literal["fr", "en"] = "en" if lang == "en" else "fr"
    lang = out_lang
    deadlines = deadline_items(profile, today, lang)
    invoices = summarize_invoices(
        reports, parties, siren=profile.company.siren, inputs=inputs, chain=chain
    )
    g = _Gaps(today, lang)
    profile_gaps(g, profile, deadlines, lang)
    invoice_gaps(g, invoices, deadlines)
    trace_gaps(g, flows, deadlines)
    gaps = _order(g.items)
    company = profile.company
    computed = (
        decide_category(company.headcount, company.turnover_eur, company.balance_sheet_eur).value
        if company.headcount is not None
        else None
    )
    return ReadinessReport(
        version=__version__,
        lang=out_lang,
        today=today,
        company=CompanySummary(
            name=company.name,
            siren=company.siren,
            category=company.category.value,
            category_from_figures=computed,
            vat_regime=company.vat_regime.value,
            receiving_platform=profile.receiving_platform.name or None,
            pilot=profile.pilot.name or None,
        ),
        score=compute_score(profile, invoices, flows, gaps),
        deadlines=deadlines,
        invoices=invoices,
        flows=flows,
        penalties=estimate_penalties(profile, invoices, lang),
        gaps=gaps,
        roadmap=build_roadmap(gaps, today, lang),
    )


def build_readiness(
    paths: Sequence[str | Path],
    profile: CompanyProfile,
    *,
    today: dt.date | None = None,
    store: str | None = None,
    chain: str = "auto",
    jobs: int | None = None,
    timeout: int = DEFAULT_TIMEOUT,
    lang: str = "fr",
    progress: Callable[[int, int], None] | None = None,
) -> ReadinessReport:
    """Validate ``paths``, read the ledger at ``store`` (optional) and assemble the report.

    ``progress(done, total)`` is called after each file is validated (e.g. a progress bar)."""
    today = today or dt.date.today()
    files = list(iter_files(paths))
    if jobs is None:
        jobs = min(os.cpu_count() or 1, max(1, len(files) // 8))
    reports = []
    for rep in validate_many(files, jobs=jobs, timeout=timeout, chain=chain, lang=lang):
        reports.append(rep)
        if progress is not None:
            progress(len(reports), len(files))
    parties = {r.path: read_parties(r.path) for r in reports}
    flows = read_flows(store, today=today, lang=lang)
    return assemble(
        profile,
        reports,
        parties,
        flows,
        today=today,
        lang=lang,
        inputs=[str(p) for p in paths],
        chain=chain,
    )


__all__ = [
    "assemble",
    "build_readiness",
    "build_roadmap",
    "compute_score",
    "deadline_items",
    "estimate_penalties",
    "summarize_invoices",
]
