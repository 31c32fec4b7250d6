"""SIGKILL the writers at random while they append: nothing acknowledged is ever lost.

Four ``trace record --batch`` processes write at once (forked from the test process and
running the command's own code, so that hundreds of writer lives fit in a CI budget; the
concurrency test covers the real entry point); the test kills one at a random moment
shortly after it starts acknowledging, restarts it with every event it has not seen
acknowledged (so some events committed-but-unacknowledged are re-sent: exactly-once must
hold), and repeats until ``EINVOICE_TRACE_KILLS`` kills (default 100) have landed on running
writers. Then: every acknowledged event is in the log exactly once, at its acknowledged
position with its acknowledged hash; after a final clean run every event is there once; the
chain verifies.
"""

from __future__ import annotations

import os
import random
import time
from pathlib import Path
from typing import Any

import pytest

from einvoice_gov.trace import open_store, verify

from .writers import Writer, batch_lines

KILLS = int(os.environ.get("EINVOICE_TRACE_KILLS", "100"))
SLOTS = 4
PER_FILE = 1200


def test_sigkilled_writers_lose_no_acknowledged_event(store_url: str, tmp_path: Path) -> None:
    res = run_harness(store_url, tmp_path, KILLS)
    assert not res["lost"], f"{len(res['lost'])} acknowledged events lost or moved"
    assert res["contiguous"] and res["all_once"] and res["verified"], res
    print(
        f"{res['kills']} SIGKILLs, {res['acked']} acknowledged events, {res['entries']} entries, "
        f"{res['unacked_committed']} committed-but-unacknowledged events re-sent without duplicate"
    )


def test_negative_control_acknowledging_before_commit_is_caught(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A writer that acknowledges what it never committed must fail the harness."""
    from einvoice_gov.trace.chain import plan_append
    from einvoice_gov.trace.stores.sqlite import SQLiteStore

    def ack_without_commit(self: SQLiteStore, events: Any) -> Any:
        head = self.head()
        _rows, acks = plan_append(self.origin, head, events, {}, {})
        return acks  # nothing written: a broken "durable" acknowledgement

    monkeypatch.setattr(SQLiteStore, "append", ack_without_commit)
    res = run_harness(f"sqlite:///{tmp_path / 'broken.db'}", tmp_path, 4, finish=False)
    assert res["lost"], "the harness did not notice acknowledged events missing from the log"


def run_harness(
    store_url: str, tmp_path: Path, kills_wanted: int, finish: bool = True
) -> dict[str, Any]:
    rng = random.Random(20261126)
    open_store(store_url).close()
    generated: dict[str, str] = {}  # event_id -> line
    pending: dict[int, list[str]] = {}
    running: dict[int, tuple[Writer, float | None, float]] = {}
    acked: dict[str, tuple[int, str]] = {}
    rounds = [0] * SLOTS
    kills = 0
    unacked_committed = 0
    seen_by: dict[int, int] = {}

    def refill(slot: int) -> None:
        rounds[slot] += 1
        lines = batch_lines(f"s{slot}r{rounds[slot]}", PER_FILE)
        for line in lines:
            generated[line.split('"event_id": "')[1].split('"')[0]] = line
        pending[slot] = lines

    def harvest(slot: int, w: Writer) -> None:
        for a in w.acks[seen_by.get(slot, 0) :]:
            prior = acked.setdefault(a["event_id"], (a["seq"], a["hash"]))
            assert prior == (a["seq"], a["hash"]), f"{a['event_id']} acknowledged twice differently"
        seen_by[slot] = len(w.acks)
        done = {a["event_id"] for a in w.acks}
        pending[slot] = [ln for ln in pending[slot] if _eid(ln) not in done]

    for s in range(SLOTS):
        refill(s)
    start = time.monotonic()
    while kills < kills_wanted:
        assert time.monotonic() - start < 900, f"only {kills} kills in 15 minutes"
        for s in range(SLOTS):
            if s in running:
                continue
            if not pending[s]:
                refill(s)
            f = tmp_path / f"slot{s}.jsonl"
            f.write_text("\n".join(pending[s]) + "\n")
            seen_by[s] = 0
            w = Writer.fork(store_url, f, chunk=rng.choice([1, 5, 25, 100]))
            running[s] = (w, None, time.monotonic())
        time.sleep(0.005)
        for s, (w, kill_at, started) in list(running.items()):
            w.pump()
            harvest(s, w)
            now = time.monotonic()
            if w.proc.poll() is not None:  # finished on its own
                w.pump()
                harvest(s, w)
                assert w.proc.returncode == 0, w.proc.stderr_text()
                del running[s]
                continue
            if kill_at is None and (w.acks or now - started > 5):
                kill_at = now + rng.uniform(0.0, 0.12)
                running[s] = (w, kill_at, started)
            if kill_at is not None and now >= kill_at:
                w.proc.kill()  # SIGKILL
                w.proc.wait()
                w.pump()
                harvest(s, w)
                kills += 1
                del running[s]
                # committed before the kill but never acknowledged: the re-send must not
                # duplicate them (they lead the slot's pending lines, writes being in order)
                with open_store(store_url) as store:
                    for ln in pending[s][:200]:
                        if store.find_event(_eid(ln)) is None:
                            break
                        unacked_committed += 1
    for w, _, _ in running.values():  # let the last ones finish normally
        w.finish()
    for s, (w, _, _) in list(running.items()):
        harvest(s, w)

    # every acknowledged event: present once, where and as acknowledged
    with open_store(store_url) as store:
        stored: dict[str, tuple[int, str]] = {}
        duplicated = []
        for e in store.entries():
            if e.event_id in stored:
                duplicated.append(e.event_id)
            stored[e.event_id] = (e.seq, e.hash)
    res: dict[str, Any] = {
        "kills": kills,
        "acked": len(acked),
        "unacked_committed": unacked_committed,
        "lost": [eid for eid, pos in acked.items() if stored.get(eid) != pos] + duplicated,
        "contiguous": sorted(s for s, _ in stored.values()) == list(range(len(stored))),
    }
    if not finish:
        return res
    # a final clean run writes what was never acknowledged; each event is then there once
    rest = [ln for s in range(SLOTS) for ln in pending[s]]
    if rest:
        f = tmp_path / "rest.jsonl"
        f.write_text("\n".join(rest) + "\n")
        w = Writer.fork(store_url, f, chunk=200)
        assert w.finish() == 0, w.proc.stderr_text()
        for a in w.acks:
            assert acked.setdefault(a["event_id"], (a["seq"], a["hash"])) == (a["seq"], a["hash"])
    with open_store(store_url) as store:
        ids = [e.event_id for e in store.entries()]
        result = verify(store)
    res["entries"] = len(ids)
    res["all_once"] = len(ids) == len(set(ids)) == len(generated) and set(ids) == set(generated)
    res["verified"] = result.ok
    return res


def _eid(line: str) -> Any:
    return line.split('"event_id": "')[1].split('"')[0]
