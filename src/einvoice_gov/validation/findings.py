"""The findings model: what every stage of every engine reports.

A rule yields a bare problem; the engine stamps rule id, stage, severity, location and business
terms. A :class:`Report` gathers the findings of one document.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Severity(StrEnum):
    """How bad a finding is. ``error`` is the schematron flag ``fatal``."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 0, "warning": 1, "info": 2}[self.value]


class Stage(StrEnum):
    """Where a finding comes from, in the order a platform applies the checks."""

    INPUT = "input"  # the file could not be read as an invoice at all
    PDF = "pdf"
    XSD = "xsd"
    EN16931 = "en16931"
    FACTURX = "facturx"
    EXTENDED_CTC_FR = "extended-ctc-fr"
    BR_FR = "br-fr"
    BR_FR_CDV = "br-fr-cdv"
    READINESS = "readiness"


class StageStatus(StrEnum):
    """What happened to a stage of the chain for one document."""

    PASSED = "passed"  # ran, no error finding
    FAILED = "failed"  # ran, at least one error finding
    UNAVAILABLE = "unavailable"  # the engine has no artefact for it: verdict unknown
    SKIPPED = "skipped"  # could not run (document unreadable)


class Finding(BaseModel):
    """One problem found in one document."""

    # defer_build: the validators are built on first validation or dump, not at import
    # (start-up time); the engines build findings with model_construct (see engine.py).
    model_config = ConfigDict(frozen=True, defer_build=True)

    rule: str
    stage: Stage
    severity: Severity
    message: str
    location: str | None = None
    line: int | None = None
    bt: tuple[str, ...] = ()
    fix: str | None = None

    def sort_key(self) -> tuple[int, int, int, str]:
        order = list(Stage).index(self.stage)
        return (self.severity.rank, order, self.line or 0, self.rule)


def new_finding(
    *,
    rule: str,
    stage: Stage,
    severity: Severity,
    message: str,
    location: str | None = None,
    line: int | None = None,
    bt: tuple[str, ...] = (),
    fix: str | None = None,
) -> Finding:
    """A :class:`Finding` built without running pydantic's validators: every argument is
    typed here (and checked by mypy), and building the validator on the first finding of a
    run would cost more than the rules that found it. ``Finding.model_validate`` still checks
    what comes from outside."""
    return Finding.model_construct(
        rule=rule,
        stage=stage,
        severity=severity,
        message=message,
        location=location,
        line=line,
        bt=tuple(bt),
        fix=fix,
    )


class Report(BaseModel):
    """The verdict for one document."""

    model_config = ConfigDict(defer_build=True)

    path: str
    syntax: str = "unknown"
    document: str = "unknown"
    profile: str | None = None
    valid: bool = False
    findings: list[Finding] = Field(default_factory=list)
    # Extensions beyond the public JSONL contract (keys above are the contract).
    chain: str | None = None
    engine: str | None = None
    stages: dict[str, StageStatus] = Field(default_factory=dict)
    sha256: str | None = None
    flavour: str | None = None
    notes: list[str] = Field(default_factory=list)

    def __iter__(self) -> Iterator[Finding]:  # type: ignore[override]
        return iter(self.findings)

    @property
    def is_valid(self) -> bool:
        return self.valid

    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR]

    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.WARNING]

    def by_rule(self) -> dict[str, list[Finding]]:
        out: dict[str, list[Finding]] = {}
        for f in self.findings:
            out.setdefault(f.rule, []).append(f)
        return out

    def most_relevant(self) -> list[Finding]:
        """Errors before warnings, earlier stages first, then by source line."""
        return sorted(self.findings, key=Finding.sort_key)

    def rule_counts(self) -> Counter[str]:
        return Counter(f.rule for f in self.findings)

    def finish(self) -> Report:
        """Compute ``valid`` from the findings (no error finding) and order them."""
        self.valid = not any(f.severity is Severity.ERROR for f in self.findings)
        self.findings.sort(key=Finding.sort_key)
        return self

    def contract(self) -> dict[str, Any]:
        """The public JSON shape (schemas/check-report.schema.json)."""
        return self.model_dump(mode="json")
