"""Several processes append at once: one chain, no fork, no loss, no duplicate."""

from __future__ import annotations

import json
from pathlib import Path

from einvoice_gov.trace import open_store

from .conftest import run_cli
from .writers import Writer, batch_lines, finish_all

PROCESSES = 4
PER_PROCESS = 2500


def test_four_processes_append_2500_batched_events_each(store_url: str, tmp_path: Path) -> None:
    files = []
    for p in range(PROCESSES):
        f = tmp_path / f"w{p}.jsonl"
        f.write_text("\n".join(batch_lines(f"w{p}", PER_PROCESS)) + "\n")
        files.append(f)
    # all four start on an empty (not even created) store: creation races too
    writers = [Writer.start(store_url, f, chunk=100) for f in files]
    assert finish_all(writers) == [0] * PROCESSES, [w.proc.stderr.read() for w in writers]  # type: ignore[union-attr]
    acks = [a for w in writers for a in w.acks]
    assert [len(w.acks) for w in writers] == [PER_PROCESS] * PROCESSES
    assert all(set(a) == {"seq", "event_id", "hash"} for a in acks)
    assert sorted(a["seq"] for a in acks) == list(range(PROCESSES * PER_PROCESS))
    assert len({a["event_id"] for a in acks}) == PROCESSES * PER_PROCESS
    for w, p in zip(writers, range(PROCESSES), strict=True):  # each writer's order is kept
        seqs = [a["seq"] for a in w.acks]
        assert seqs == sorted(seqs)
        assert [a["event_id"] for a in w.acks] == [f"w{p}-{i}" for i in range(PER_PROCESS)]
    with open_store(store_url) as store:
        assert store.size() == PROCESSES * PER_PROCESS
        stored = {e.event_id: (e.seq, e.hash) for e in store.entries()}
    assert all(stored[a["event_id"]] == (a["seq"], a["hash"]) for a in acks)

    res = run_cli("trace", "verify", "--format", "json", "--store", store_url)
    assert res.returncode == 0, res.stdout
    doc = json.loads(res.stdout)
    assert doc["ok"] is True and doc["entries"] == PROCESSES * PER_PROCESS

    # the whole batch re-sent: every line acknowledged with the existing entry, nothing added
    again = Writer.start(store_url, files[2], chunk=500)
    assert again.finish() == 0
    assert again.acks == writers[2].acks
    with open_store(store_url) as store:
        assert store.size() == PROCESSES * PER_PROCESS
