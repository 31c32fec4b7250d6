"""The readiness report on the real-world corpus ../shared/corpus/zugferd-dev, for a PME."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from einvoice_gov import trace
from einvoice_gov.profile import ITEMS
from einvoice_gov.schemas import load_schema
from einvoice_gov.validation.batch import iter_files
from tests.report.conftest import TODAY, check_counts, defaults_profile, report_json

pytestmark = pytest.mark.slow

ISSUED = 10  # invoices recorded as issued in the test ledger
DEPOSITED = 4  # of which deposited (status 200); the others never were


@pytest.fixture(scope="module")
def corpus_run(
    zugferd_dev: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[dict[str, Any], dict[str, int], list[str]]:
    tmp = tmp_path_factory.mktemp("zugferd-dev")
    files = list(iter_files([zugferd_dev]))[:ISSUED]
    url = f"sqlite:///{tmp / 'trace.db'}"
    events = []
    names = []
    for i, f in enumerate(files):
        name = Path(f).stem
        names.append(name)
        sha = hashlib.sha256(Path(f).read_bytes()).hexdigest()
        events.append(trace.Event.new(name, "issued", {"sha256": sha, "date": "2026-10-01"}))
        if i < DEPOSITED:
            events.append(trace.Event.new(name, "status", {"code": "200"}))
    with trace.open_store(url) as store:
        trace.Ledger(store).record_many(events)
    profile = defaults_profile(tmp, "pme")
    data = report_json(tmp, [str(zugferd_dev)], profile, "--store", url)
    return data, check_counts([str(zugferd_dev)]), names


def test_corpus_report_counts_equal_check(
    corpus_run: tuple[dict[str, Any], dict[str, int], list[str]],
) -> None:
    data, counts, _ = corpus_run
    jsonschema.validate(data, load_schema("readiness-report"))
    assert counts["total"] > 100
    assert {k: data["invoices"][k] for k in ("total", "valid", "invalid")} == counts
    assert data["invoices"]["top_rules"], "the corpus has failing files"


def test_corpus_report_deadlines_and_checklist_gaps(
    corpus_run: tuple[dict[str, Any], dict[str, int], list[str]],
) -> None:
    data, _, _ = corpus_run
    by = {d["obligation"]: d for d in data["deadlines"]}
    assert (by["reception"]["date"], by["reception"]["status"]) == ("2026-09-01", "due")
    assert (by["issuance"]["date"], by["issuance"]["status"]) == ("2027-09-01", "upcoming")
    ids = {g["id"] for g in data["gaps"]}
    assert {f"org.{i.id}" for i in ITEMS} <= ids


def test_corpus_report_trace_gaps(
    corpus_run: tuple[dict[str, Any], dict[str, int], list[str]],
) -> None:
    data, _, names = corpus_run
    flows = data["flows"]
    assert flows["status"] == "ok" and flows["chain"]["ok"] is True
    assert (flows["issued"], flows["deposited"]) == (ISSUED, DEPOSITED)
    assert flows["not_deposited"] == names[DEPOSITED:]
    gap = next(g for g in data["gaps"] if g["id"] == "trace.not-deposited")
    assert gap["evidence"] == names[DEPOSITED:]
    assert json.dumps(data, ensure_ascii=False).count("TRACE-NOT-DEPOSITED") == ISSUED - DEPOSITED
    assert TODAY.isoformat() == data["today"]
