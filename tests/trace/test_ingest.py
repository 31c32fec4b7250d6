"""CDAR lifecycle messages become status events; F202500003's trail shows in order."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from click.testing import CliRunner

from einvoice_gov.cli import cli
from einvoice_gov.trace import Ledger, ingest_files, lifecycle, open_store

from .conftest import cdar_dir

UC1_ORDER = ["200", "200", "202", "203", "204", "205", "211", "212", "212"]


@pytest.fixture(scope="module")
def uc1() -> list[Path]:
    files = sorted(cdar_dir().glob("UC1_F202500003_*.xml"))
    if len(files) != 9:
        pytest.skip(f"the CDAR samples are not at {cdar_dir()} (../shared/cdar)")
    return files


def test_f202500003_statuses_in_order_with_trace_show(store_url: str, uc1: list[Path]) -> None:
    shuffled = list(uc1)
    random.Random(3).shuffle(shuffled)  # the order of the arguments does not matter
    runner = CliRunner()
    res = runner.invoke(
        cli, ["trace", "ingest", "--format", "jsonl", "--store", store_url, *map(str, shuffled)]
    )
    assert res.exit_code == 0, res.output
    lines = [json.loads(x) for x in res.stdout.splitlines()]
    assert len(lines) == 9 and all(x["error"] is None for x in lines)

    shown = runner.invoke(
        cli, ["trace", "show", "F202500003", "--store", store_url, "--lang", "fr"]
    )
    assert shown.exit_code == 0, shown.output
    codes = [ln.split()[3] for ln in shown.stdout.splitlines() if " status " in ln]
    assert codes == UC1_ORDER
    assert "Déposée" in shown.stdout and "Encaissée" in shown.stdout
    assert "12000 EUR @20.00%" in shown.stdout

    as_json = runner.invoke(
        cli, ["trace", "show", "F202500003", "--format", "json", "--store", store_url]
    )
    doc = json.loads(as_json.stdout)
    assert [s["code"] for s in doc["statuses"]] == UC1_ORDER
    times = [s["at"] for s in doc["statuses"]]
    assert times == sorted(times)
    assert doc["deposited"] and doc["accepted"] and doc["paid"] and doc["last_status"] == "212"
    paid = [t for t in doc["trail"] if t["data"].get("code") == "212"]
    assert paid[0]["data"]["amounts"] == [
        {"amount": "12000", "currency": "EUR", "vat_rate": "20.00"}
    ]


def test_reingesting_is_a_no_op(store_url: str, uc1: list[Path]) -> None:
    with open_store(store_url) as store:
        first = ingest_files(Ledger(store), uc1)
        again = ingest_files(Ledger(store), reversed(uc1))
        assert store.size() == 9
    by_file = {r.path: r.ack for r in first}
    assert all(r.ack == by_file[r.path] for r in again)
    assert all(r.ack is not None and r.ack.event_id.startswith("cdar:") for r in first)


def test_disputes_carry_their_reason(store_url: str) -> None:
    files = sorted(cdar_dir().glob("UC[45]_*.xml"))
    if not files:
        pytest.skip("CDAR samples absent")
    with open_store(store_url) as store:
        results = ingest_files(Ledger(store), files)
        assert all(r.ok for r in results)
        entries = list(store.entries())
        flows = lifecycle.flows(store)
    assert {e.invoice for e in entries} == {"F202500006", "F202500007"}
    assert all(e.data["code"] == "207" and e.data["reasons"] == ["TX_TVA_ERR"] for e in entries)
    assert all("TRACE-REASON-MISSING" not in [a.code for a in f.anomalies] for f in flows.values())


def test_unreadable_files_are_reported_and_nothing_is_lost(
    store_url: str, uc1: list[Path], tmp_path: Path
) -> None:
    junk = tmp_path / "junk.xml"
    junk.write_bytes(b"<notcdar/>")
    truncated = tmp_path / "truncated.xml"
    truncated.write_bytes(uc1[0].read_bytes()[:700])
    runner = CliRunner()
    res = runner.invoke(
        cli,
        ["trace", "ingest", "--store", store_url, str(junk), str(truncated), str(uc1[2])],
    )
    assert res.exit_code == 1
    assert "junk.xml" in res.stderr and "truncated.xml" in res.stderr
    with open_store(store_url) as store:
        assert store.size() == 1  # the good file was recorded


def test_raw_messages_can_be_kept_in_the_archive(
    store_url: str, uc1: list[Path], tmp_path: Path
) -> None:
    from hashlib import sha256

    from einvoice_gov.trace import Archive

    arch = tmp_path / "archive"
    res = CliRunner().invoke(
        cli,
        [
            "trace",
            "ingest",
            "--keep",
            "--archive-dir",
            str(arch),
            "--store",
            store_url,
            str(uc1[0]),
        ],
    )
    assert res.exit_code == 0, res.output
    digest = sha256(uc1[0].read_bytes()).hexdigest()
    assert Archive(arch).get(digest) == uc1[0].read_bytes()
