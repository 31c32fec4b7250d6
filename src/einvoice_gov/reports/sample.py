"""Accountant sampling: a reproducible stratified sample of an export folder.

    from einvoice_gov.reports.sample import draw_sample
    sample = draw_sample(["exports/"], size=20, seed="2026", by="supplier")
    for item in sample.items:
        item.path, item.stratum, item.report.valid, item.summary

The same inputs, size, seed and strata always give the same files; another seed gives another
draw. Strata ("supplier", "month", "profile", "verdict", or none) share the sample in
proportion to their size (largest remainders), every stratum getting at least one file when
the sample is large enough; ties are broken by the seeded generator. Each drawn file is
validated (the same :func:`einvoice_gov.validate_many` as ``check``) and summarised (parties,
lines, totals, VAT breakdown) for :mod:`einvoice_gov.reports.render_sample`.
"""

from __future__ import annotations

import os
import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from einvoice_gov.formats.summary import InvoiceSummary
from einvoice_gov.reports._parties import party_siren, read_summary
from einvoice_gov.validation.batch import DEFAULT_TIMEOUT, iter_files, validate_many
from einvoice_gov.validation.findings import Report

#: ``--by`` values.
STRATA = ("supplier", "month", "profile", "verdict")
UNKNOWN = "?"


@dataclass
class SampleItem:
    path: str
    stratum: str
    report: Report
    summary: InvoiceSummary | None

    @property
    def verdict(self) -> str:
        return "valid" if self.report.valid else "invalid"

    def as_json(self) -> dict[str, object]:
        """One ``sample --format jsonl`` line."""
        return {
            "path": self.path,
            "verdict": self.verdict,
            "stratum": self.stratum,
            "syntax": self.report.syntax,
            "profile": self.report.profile,
            "errors": len(self.report.errors()),
            "warnings": len(self.report.warnings()),
        }


@dataclass
class Sample:
    seed: str
    by: str | None
    size: int
    #: files in the population (the inputs, recursively)
    population: int
    #: stratum -> files in the population
    strata: dict[str, int]
    items: list[SampleItem] = field(default_factory=list)


def allocate(sizes: dict[str, int], n: int, rng: random.Random) -> dict[str, int]:
    """How many files each stratum gives: shares in proportion to the strata sizes (largest
    remainders, ties in seeded order), never more than a stratum holds, and at least one per
    stratum when ``n`` allows it (taken from the most over-served stratum)."""
    names = sorted(sizes)
    rng.shuffle(names)  # seeded tie-break order
    total = sum(sizes.values())
    n = max(0, min(n, total))
    if n == 0:
        return dict.fromkeys(names, 0)
    quotas = {s: n * sizes[s] / total for s in names}
    alloc = {s: min(int(quotas[s]), sizes[s]) for s in names}
    by_fraction = sorted(names, key=lambda s: quotas[s] - int(quotas[s]), reverse=True)
    while sum(alloc.values()) < n:
        for s in by_fraction:
            if sum(alloc.values()) >= n:
                break
            if alloc[s] < sizes[s]:
                alloc[s] += 1
    if n >= len(names):
        for s in names:
            if alloc[s] == 0:
                donor = max(
                    (t for t in names if alloc[t] > 1),
                    key=lambda t: alloc[t] - quotas[t],
                )
                alloc[donor] -= 1
                alloc[s] = 1
    return alloc


def _key(by: str | None, summary: InvoiceSummary | None, report: Report | None) -> str:
    if by is None:
        return "*"
    if by == "verdict":
        assert report is not None
        return "valid" if report.valid else "invalid"
    if summary is None:
        return UNKNOWN
    if by == "supplier":
        seller = summary.seller
        if seller is None:
            return UNKNOWN
        return party_siren(seller) or seller.vat_id or seller.name or UNKNOWN
    if by == "month":
        return summary.issue_date.strftime("%Y-%m") if summary.issue_date else UNKNOWN
    if by == "profile":
        return summary.profile or UNKNOWN
    raise ValueError(f"unknown stratum {by!r}; choose one of {', '.join(STRATA)}")


def draw_sample(
    paths: Sequence[str | Path],
    *,
    size: int,
    seed: str | int,
    by: str | None = None,
    chain: str = "auto",
    jobs: int | None = None,
    timeout: int = DEFAULT_TIMEOUT,
    lang: str = "fr",
) -> Sample:
    """Draw, validate and summarise a stratified sample of the files under ``paths``."""
    if by is not None and by not in STRATA:
        raise ValueError(f"unknown stratum {by!r}; choose one of {', '.join(STRATA)}")
    if size < 0:
        raise ValueError("the sample size must not be negative")
    files = sorted(dict.fromkeys(iter_files(paths)))
    if jobs is None:
        jobs = min(os.cpu_count() or 1, max(1, len(files) // 8))
    options = {"chain": chain, "lang": lang}
    reports: dict[str, Report] = {}
    if by == "verdict":  # the verdict of every file decides the strata
        for rep in validate_many(files, jobs=jobs, timeout=timeout, **options):
            reports[rep.path] = rep
    summaries: dict[str, InvoiceSummary | None] = {}
    if by in ("supplier", "month", "profile"):
        summaries = {f: read_summary(f, lines=False) for f in files}
    groups: dict[str, list[str]] = defaultdict(list)
    for f in files:
        groups[_key(by, summaries.get(f), reports.get(f))].append(f)
    rng = random.Random(f"einvoice-gov sample|{seed}")
    alloc = allocate({k: len(v) for k, v in groups.items()}, size, rng)
    drawn: list[tuple[str, str]] = []
    for stratum in sorted(groups):
        members = groups[stratum]
        for f in sorted(rng.sample(members, alloc[stratum])):
            drawn.append((f, stratum))
    missing = [f for f, _ in drawn if f not in reports]
    if missing:
        jobs_drawn = min(jobs, max(1, len(missing) // 8))
        for rep in validate_many(missing, jobs=jobs_drawn, timeout=timeout, **options):
            reports[rep.path] = rep
    sample = Sample(
        seed=str(seed),
        by=by,
        size=size,
        population=len(files),
        strata={k: len(v) for k, v in sorted(groups.items())},
    )
    for f, stratum in drawn:
        sample.items.append(SampleItem(f, stratum, reports[f], read_summary(f)))
    return sample
