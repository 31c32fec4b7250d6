"""Parallel verification (large logs) reaches exactly the verdict of one sequential pass."""

from __future__ import annotations

from pathlib import Path

import pytest

from einvoice_gov.trace import Event, Ledger, open_store, scan, verifier, verify

from .conftest import tamper

N = 1000
BLOCK = 64  # small blocks: several ranges and partial blocks from a small log
CHUNK = 16  # reads of 16 rows: bulk blocks, and row-path fallbacks, inside each range


@pytest.fixture
def small_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scan, "BLOCK", BLOCK)
    monkeypatch.setattr(scan, "CHUNK", CHUNK)
    monkeypatch.setattr(verifier, "PARALLEL_MIN", 0)
    monkeypatch.setenv("EINVOICE_TRACE_VERIFY_BLOCK", str(BLOCK))  # for the spawned workers
    monkeypatch.setenv("EINVOICE_TRACE_VERIFY_CHUNK", str(CHUNK))


def _build(url: str, key: Path) -> None:
    with open_store(url) as store:
        ledger = Ledger(store, key=key)
        events = [
            Event.new(f"F{i % 37 if i % 5 else i}", "note", {"text": str(i)}) for i in range(N)
        ]
        for a, b in ((0, 300), (300, 640), (640, N)):
            store.append(events[a:b])
            ledger.checkpoint()


def _both(url: str, key: Path) -> tuple[dict[str, object], dict[str, object]]:
    with open_store(url) as store:
        seq = verify(store, key=key, jobs=1).as_dict()
        par = verify(store, key=key, jobs=3).as_dict()
    return seq, par


@pytest.mark.usefixtures("small_blocks")
def test_parallel_equals_sequential_when_intact(store_url: str, key_path: Path) -> None:
    _build(store_url, key_path)
    seq, par = _both(store_url, key_path)
    assert seq == par and seq["ok"] is True and seq["entries"] == N


@pytest.mark.usefixtures("small_blocks")
@pytest.mark.parametrize(
    ("sql", "params"),
    [
        ("DELETE FROM trace_entries WHERE seq = %s", (384,)),  # first entry of a range
        ("DELETE FROM trace_entries WHERE seq = %s", (383,)),  # last entry of a range
        ("UPDATE trace_entries SET body = body || %s WHERE seq = %s", (b" ", 700)),
        ("UPDATE trace_entries SET invoice = %s WHERE seq = %s", ("F3", 390)),
        ("DELETE FROM trace_entries WHERE seq >= %s", (900,)),
    ],
)
def test_parallel_locates_tampering_like_sequential(
    store_url: str, key_path: Path, sql: str, params: tuple[object, ...]
) -> None:
    _build(store_url, key_path)
    tamper(store_url, sql, params)
    seq, par = _both(store_url, key_path)
    assert seq["ok"] is False
    assert (par["ok"], par["first_bad"], par["code"]) == (False, seq["first_bad"], seq["code"])


@pytest.mark.usefixtures("small_blocks")
def test_parallel_catches_a_rewritten_range(store_url: str, key_path: Path) -> None:
    """A whole range re-sealed consistently inside itself still breaks the stitching."""
    from einvoice_gov.trace.chain import seal

    _build(store_url, key_path)
    with open_store(store_url) as store:
        origin = store.origin
        entries = list(store.entries())
    prev = bytes.fromhex(entries[511].hash)
    last: dict[str, bytes] = {}
    for e in entries[:512]:
        last[e.invoice] = bytes.fromhex(e.hash)
    for e in entries[512:]:
        data = e.data
        if e.seq == 520:
            data["text"] = "rewritten"
        ev = Event(event_id=e.event_id, invoice=e.invoice, type=e.type, at=e.at, data=data)
        row = seal(origin, e.seq, prev, last.get(e.invoice), ev)
        tamper(
            store_url,
            "UPDATE trace_entries SET body = %s, hash = %s, prev = %s WHERE seq = %s",
            (row.body, row.hash, row.prev, e.seq),
        )
        prev = row.hash
        last[e.invoice] = row.hash
    seq, par = _both(store_url, key_path)
    assert (seq["code"], seq["first_bad"]) == ("checkpoint_mismatch", 300)
    assert (par["code"], par["first_bad"]) == ("checkpoint_mismatch", 300)
