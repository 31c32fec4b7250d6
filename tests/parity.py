"""Parity with the official verdicts, computed exactly as ../shared/tools/scoreboard.py does."""

from __future__ import annotations

import collections
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from einvoice_gov import Report

FLAG = {"fatal": "error", "error": "error", "warning": "warning", "info": "info"}
Multiset = collections.Counter[tuple[str, str]]


def norm_stage(stage: str) -> str:
    if stage.startswith("facturx"):
        return "facturx"
    if stage.startswith("xsd"):
        return "xsd"
    return stage


@dataclass
class Case:
    corpus: str
    file: str
    path: Path
    expected: dict[str, Multiset]

    @property
    def id(self) -> str:
        return f"{self.corpus}/{self.file}"


def load_cases(corpus: Path) -> list[Case]:
    out = []
    with open(corpus / "expected.jsonl", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            stages: dict[str, Multiset] = {}
            for stage, items in (rec.get("stages") or {}).items():
                if items is None or any(it["id"] == "STAGE-ERROR" for it in items):
                    continue
                ctr = stages.setdefault(norm_stage(stage), collections.Counter())
                ctr.update((it["id"], FLAG.get(it.get("flag") or "fatal", "error")) for it in items)
            out.append(Case(corpus.name, rec["file"], corpus / rec["file"], stages))
    return out


def got_stages(report: Report) -> dict[str, Multiset]:
    got: dict[str, Multiset] = collections.defaultdict(collections.Counter)
    for f in report.findings:
        got[norm_stage(f.stage.value)][(f.rule, f.severity.value)] += 1
    return got


def stage_diff(case: Case, report: Report, stages: Iterable[str] | None = None) -> dict[str, str]:
    """Stages that differ from the official verdict, with a short explanation."""
    got = got_stages(report)
    bad = {}
    for stage, want in case.expected.items():
        if stages is not None and stage not in stages:
            continue
        have = got.get(stage, collections.Counter())
        if stage == "xsd":
            w = sum(want.values()) > 0
            h = any(s == "error" for (_, s) in have)
            if w != h:
                bad[stage] = (
                    f"official xsd {'fails' if w else 'passes'}, ours {'fails' if h else 'passes'}"
                )
            continue
        if any(str(r).startswith("FX-NOID") for (r, _) in want):

            def err(c: Multiset) -> bool:
                return any(s == "error" for (_, s) in c)

            same = err(want) == err(have)
            want = collections.Counter(
                {k: v for k, v in want.items() if not k[0].startswith("FX-NOID")}
            )
            have = collections.Counter(
                {k: v for k, v in have.items() if not k[0].startswith("FX-NOID")}
            )
            if not same:
                bad[stage] = "verdict differs on asserts without id"
                continue
        if have != want:
            bad[stage] = f"missed {dict(want - have)} extra {dict(have - want)}"
    return bad
