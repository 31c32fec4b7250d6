"""The readiness report as data: what ``einvoice-gov report --format json`` writes.

``schemas/readiness-report.schema.json`` documents the same shape for ERPs; the keys
``deadlines``, ``invoices`` (``total``, ``valid``, ``invalid``, ``top_rules``), ``flows`` and
``gaps`` (``id``, ``severity``, ``owner``, ``deadline``, ``title``, ``why``, ``fix``) are the
public contract of issue 7. Keys may be added, never renamed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, Field

GapSeverity = Literal["blocking", "important", "advice"]
Owner = Literal["direction", "pilot", "provider", "accountant"]
Track = Literal["security", "einvoicing", "equipment", "contracts"]
Area = Literal["platform", "company", "invoices", "trace", "organisation"]

#: Order of severities, most urgent first.
SEVERITY_ORDER: dict[str, int] = {"blocking": 0, "important": 1, "advice": 2}


class CompanySummary(BaseModel):
    name: str
    siren: str
    category: str
    #: the category the profile's headcount and amounts give, when they are known
    category_from_figures: str | None = None
    vat_regime: str
    receiving_platform: str | None = None
    pilot: str | None = None


class DeadlineItem(BaseModel):
    #: "reception" | "issuance" | "e-reporting"
    obligation: str
    label: str
    date: dt.date
    #: "due": already in force at ``today``; "upcoming": still ahead
    status: Literal["due", "upcoming"]
    #: days from today to the date (negative: in force for that many days)
    days: int
    source: str


class RuleStat(BaseModel):
    rule: str
    severity: str
    stage: str
    #: findings of this rule over the folder
    count: int
    #: files with at least one finding of this rule
    files: int
    message: str
    fix: str | None = None
    bt: list[str] = Field(default_factory=list)
    examples: list[str] = Field(default_factory=list)


class PartyStat(BaseModel):
    siren: str | None = None
    name: str | None = None
    total: int
    valid: int
    invalid: int


class InvoiceStats(BaseModel):
    #: inputs as given on the command line
    inputs: list[str]
    chain: str
    #: files checked — the same count ``einvoice-gov check`` reports for the same inputs
    total: int
    valid: int
    invalid: int
    #: valid / total (0 when the folder is empty)
    ready_share: float
    errors: int
    warnings: int
    by_document: dict[str, int]
    by_syntax: dict[str, int]
    by_profile: dict[str, int]
    top_rules: list[RuleStat]
    #: rules failing beyond ``top_rules``
    other_rules: int
    by_supplier: list[PartyStat]
    by_customer: list[PartyStat]
    #: invoices whose seller is the company (by SIREN)
    issued_by_company: int
    #: invoices whose buyer is the company (by SIREN)
    received_by_company: int
    first_date: dt.date | None = None
    last_date: dt.date | None = None


class ChainCheck(BaseModel):
    ok: bool
    entries: int
    #: first entry that fails verification
    first_bad: int | None = None
    reason: str | None = None


class ArchiveCheck(BaseModel):
    #: the archive directory checked (beside the store, or $EINVOICE_ARCHIVE)
    directory: str
    ok: bool
    objects: int
    #: objects whose bytes no longer match their SHA-256 (failed fixity)
    damaged: list[str] = Field(default_factory=list)
    #: objects the log says were archived but that are absent
    missing: list[str] = Field(default_factory=list)


class AnomalyItem(BaseModel):
    code: str
    invoice: str
    severity: str
    message: str


class FlowStats(BaseModel):
    #: the store URL given with --store, or null
    ledger: str | None = None
    #: "no-ledger": no --store; "ok": read; "unavailable": the trace library is missing;
    #: "error": the store could not be read
    status: Literal["no-ledger", "ok", "unavailable", "error"]
    message: str
    total: int = 0
    issued: int = 0
    transmitted: int = 0
    deposited: int = 0
    accepted: int = 0
    rejected: int = 0
    refused: int = 0
    paid: int = 0
    archived: int = 0
    #: invoices issued but never deposited
    not_deposited: list[str] = Field(default_factory=list)
    #: invoices rejected or refused and not re-issued
    rejected_not_reissued: list[str] = Field(default_factory=list)
    #: invoices missing a mandatory lifecycle status (200 Déposée before the others)
    missing_statuses: list[str] = Field(default_factory=list)
    #: invoices with no archived copy recorded
    not_archived: list[str] = Field(default_factory=list)
    anomalies: list[AnomalyItem] = Field(default_factory=list)
    chain: ChainCheck | None = None
    #: fixity of the archive; null when there is no archive directory
    archive: ArchiveCheck | None = None


class PenaltyItem(BaseModel):
    key: str
    label: str
    #: estimated fine over one year if nothing changes, annual cap applied
    amount_eur: float
    cap_eur: float | None = None
    explanation: str
    source: str


class Penalties(BaseModel):
    #: invoices issued per year used for the estimate, and where the figure comes from
    invoices_per_year: int | None
    basis: Literal["profile", "folder", "unknown"]
    items: list[PenaltyItem]
    total_eur: float


class Gap(BaseModel):
    #: stable identifier, e.g. "org.restore_test", "invoices.rule.BR-CO-15"
    id: str
    severity: GapSeverity
    owner: Owner
    deadline: dt.date
    title: str
    why: str
    fix: str
    area: Area
    track: Track
    #: the legal date this gap serves is already past
    overdue: bool = False
    evidence: list[str] = Field(default_factory=list)


class Score(BaseModel):
    #: 0-100, weighted mean of the parts (trace left out when there is no ledger)
    value: int
    invoices: int
    platform: int
    organisation: int
    trace: int | None = None


class RoadmapQuarter(BaseModel):
    label: str
    start: dt.date
    end: dt.date
    #: track -> gap ids to act on in that quarter
    tracks: dict[str, list[str]]


class Roadmap(BaseModel):
    start: dt.date
    end: dt.date
    quarters: list[RoadmapQuarter]
    #: recurring actions of the yearly plan (quarterly follow-up, yearly review...)
    routines: list[str]


class ReadinessReport(BaseModel):
    schema_version: Literal[1] = 1
    tool: str = "einvoice-gov"
    version: str
    lang: Literal["fr", "en"]
    today: dt.date
    company: CompanySummary
    score: Score
    deadlines: list[DeadlineItem]
    invoices: InvoiceStats
    flows: FlowStats
    penalties: Penalties
    gaps: list[Gap]
    roadmap: Roadmap

    def as_json(self) -> dict[str, Any]:
        """The public JSON shape (schemas/readiness-report.schema.json)."""
        return self.model_dump(mode="json")

    def gaps_by_severity(self) -> dict[str, list[Gap]]:
        out: dict[str, list[Gap]] = {"blocking": [], "important": [], "advice": []}
        for g in self.gaps:
            out[g.severity].append(g)
        return out
