"""The bulk verification path reaches exactly the verdict of the row-by-row reference.

`Scanner.block` checks a few thousand rows at once with bulk operations and hands a block it
cannot vouch for to `Scanner.rows`, the reference. These tests read in blocks of 8 rows (so
that a small log spans many blocks, with edges everywhere), build logs with columns the bulk
path leaves to the rows (quotes, backslashes, non-ASCII, the envelope's own member name inside
the data), tamper with them in random ways and compare the verdict of `verify` with the one
of the rows alone, with and without the reader thread.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from einvoice_gov.trace import Event, Ledger, open_store, scan, verifier, verify

from .conftest import tamper

N = 120


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scan, "CHUNK", 8)


def _events(plain: bool) -> list[Event]:
    out = []
    for i in range(N):
        inv = f"F2026-{i % 23:03d}"
        eid = f"ev-{i}"
        data: dict[str, Any] = {"code": "200"} if i % 3 else {"text": f"note {i}"}
        if not plain:
            if i % 29 == 5:
                inv = f'F"{i % 4}\\é'  # JSON escapes these: the block goes to the rows
            if i % 31 == 7:
                eid = f"ev\\{i}"
            if i % 37 == 3:
                data = {"text": "x", "z": {"a": 1, "event_id": "nested"}}
        typ = "status" if "code" in data else "note"
        out.append(Event.new(inv, typ, data, event_id=eid))
    return out


def _build(url: str, key: Path, plain: bool = False) -> None:
    with open_store(url) as store:
        events = _events(plain)
        store.append(events[:70])
        Ledger(store, key=key).checkpoint()
        store.append(events[70:])


def _reference(url: str, key: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    with monkeypatch.context() as m:
        m.setattr(scan.Scanner, "block", lambda self, blk, want: False)
        with open_store(url, create=False) as store:
            return verify(store, key=key, jobs=1).as_dict()


def _bulk(url: str, key: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    for prefetch in (True, False):
        with monkeypatch.context() as m:
            m.setattr(verifier, "PREFETCH", prefetch)
            with open_store(url, create=False) as store:
                yield verify(store, key=key, jobs=1).as_dict()


def _spy_rows(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Positions at which the verifier falls back to the row-by-row path (filled as it runs)."""
    calls: list[int] = []
    real_rows = scan.Scanner.rows

    def rows(self: scan.Scanner, it: Any) -> None:
        calls.append(self.pos)
        real_rows(self, it)

    monkeypatch.setattr(scan.Scanner, "rows", rows)
    return calls


def test_an_intact_plain_log_never_leaves_the_bulk_path(
    store_url: str, key_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _build(store_url, key_path, plain=True)
    calls = _spy_rows(monkeypatch)
    for doc in _bulk(store_url, key_path, monkeypatch):
        assert doc["ok"] is True and doc["entries"] == N, doc
    assert calls == []


def test_escaped_columns_go_to_the_rows_and_verify(
    store_url: str, key_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _build(store_url, key_path)
    calls = _spy_rows(monkeypatch)
    for doc in _bulk(store_url, key_path, monkeypatch):
        assert doc["ok"] is True and doc["entries"] == N, doc
    assert calls and len(calls) < 2 * (N // 8)  # some blocks only


Edit = list[tuple[str, tuple[Any, ...]]]


def _tamperings(seed: int) -> list[Edit]:
    """Six random edits, each one or a few statements."""
    rnd = random.Random(seed)
    out: list[Edit] = []
    for _ in range(6):
        k = rnd.randrange(N)
        kind = rnd.choice(
            ["body", "hash", "prev", "event_id", "invoice", "type", "delete", "swap", "quote"]
        )
        if kind == "body":
            cut = "UPDATE trace_entries SET body = substr(body, 1, length(body) - 2) WHERE seq = %s"
            out.append([(cut, (k,))])
        elif kind in ("hash", "prev"):
            out.append([(f"UPDATE trace_entries SET {kind} = %s WHERE seq = %s", (bytes(32), k))])
        elif kind in ("event_id", "invoice", "type"):
            out.append([(f"UPDATE trace_entries SET {kind} = {kind} || 'x' WHERE seq = %s", (k,))])
        elif kind == "quote":
            out.append(
                [("UPDATE trace_entries SET invoice = invoice || '\"' WHERE seq = %s", (k,))]
            )
        elif kind == "delete":
            out.append([("DELETE FROM trace_entries WHERE seq = %s", (k,))])
        else:
            j = (k + rnd.randrange(1, N)) % N
            out.append(
                [
                    ("UPDATE trace_entries SET seq = -1 WHERE seq = %s", (k,)),
                    ("UPDATE trace_entries SET seq = %s WHERE seq = %s", (k, j)),
                    ("UPDATE trace_entries SET seq = %s WHERE seq = -1", (j,)),
                ]
            )
    return out


@pytest.mark.parametrize("seed", range(12))
def test_bulk_verdict_equals_the_rows_verdict_under_tampering(
    store_url: str, key_path: Path, monkeypatch: pytest.MonkeyPatch, seed: int
) -> None:
    _build(store_url, key_path)
    rnd = random.Random(1000 + seed)
    edits = _tamperings(seed)
    for edit in rnd.sample(edits, rnd.randint(1, 2)):
        for sql, params in edit:
            tamper(store_url, sql, params)
    ref = _reference(store_url, key_path, monkeypatch)
    for doc in _bulk(store_url, key_path, monkeypatch):
        assert doc == ref


def _last_entry(url: str) -> tuple[int, bytes, bytes]:
    with open_store(url, create=False) as store:
        rows = list(store.rows())
    return rows[-1].seq, rows[-1].body, rows[-1].hash


ODD: list[tuple[str, Edit]] = [
    # the same bytes under another SQLite storage class are the same entry
    ("sqlite", [("UPDATE trace_entries SET body = CAST(body AS TEXT) WHERE seq = %s", (13,))]),
    (
        "sqlite",
        [("UPDATE trace_entries SET event_id = CAST(event_id AS BLOB) WHERE seq = %s", (13,))],
    ),
    ("sqlite", [("UPDATE trace_entries SET body = 12345 WHERE seq = %s", (30,))]),
    (
        "sqlite",
        [("UPDATE trace_entries SET invoice = CAST(x'ff46' AS TEXT) WHERE seq = %s", (40,))],
    ),
    ("any", [("UPDATE trace_entries SET hash = substr(hash, 1, 31) WHERE seq = %s", (20,))]),
    ("any", [("UPDATE trace_entries SET prev = prev || %s WHERE seq = %s", (b"\x00", 21))]),
    ("any", [("UPDATE trace_entries SET body = body || %s WHERE seq = %s", (b"\x00", 33))]),
    ("any", [("UPDATE trace_entries SET type = %s WHERE seq = %s", ("note\nx", 41))]),
]


@pytest.mark.parametrize(("where", "edit"), ODD)
def test_bulk_verdict_equals_the_rows_verdict_on_odd_values(
    store_url: str,
    key_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    where: str,
    edit: Edit,
) -> None:
    if where == "sqlite" and store_url.startswith("postgres"):
        pytest.skip("storage classes and invalid UTF-8 are SQLite's")
    _build(store_url, key_path)
    for sql, params in edit:
        tamper(store_url, sql, params)
    ref = _reference(store_url, key_path, monkeypatch)
    for doc in _bulk(store_url, key_path, monkeypatch):
        assert doc == ref
    if where == "any":
        assert ref["ok"] is False


def test_hashes_shifted_by_one_byte_between_two_rows(
    store_url: str, key_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Concatenated, the stored hashes are unchanged; row by row, two are wrong."""
    _build(store_url, key_path)
    with open_store(store_url, create=False) as store:
        rows = list(store.rows())
    a, b = rows[50].hash, rows[51].hash
    tamper(store_url, "UPDATE trace_entries SET hash = %s WHERE seq = %s", (a[:31], 50))
    tamper(store_url, "UPDATE trace_entries SET hash = %s WHERE seq = %s", (a[31:] + b, 51))
    ref = _reference(store_url, key_path, monkeypatch)
    assert (ref["ok"], ref["first_bad"], ref["code"]) == (False, 50, "hash_mismatch")
    for doc in _bulk(store_url, key_path, monkeypatch):
        assert doc == ref


def test_an_unescaped_value_written_raw_in_the_entry(
    store_url: str, key_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A quote written raw in both the column and the entry (re-hashed) is not the writer's
    JSON: the bulk path, which compares raw bytes, must leave it to the rows."""
    from hashlib import sha256

    _build(store_url, key_path)
    seq, body, _ = _last_entry(store_url)
    inv = b'F"1'  # a new invoice: its first entry, inv_prev null
    start = body.index(b',"inv_prev":') + len(b',"inv_prev":')
    end = body.index(b'","log"')
    new = body[:start] + b'null,"invoice":"' + inv + body[end:]
    tamper(
        store_url,
        "UPDATE trace_entries SET body = %s, hash = %s, invoice = %s WHERE seq = %s",
        (new, sha256(b"\x00" + new).digest(), inv.decode(), seq),
    )
    ref = _reference(store_url, key_path, monkeypatch)
    assert ref["ok"] is False and ref["first_bad"] == seq
    for doc in _bulk(store_url, key_path, monkeypatch):
        assert doc == ref


def test_rows_read_out_of_order_are_left_to_the_row_path(store_url: str) -> None:
    """A block whose rows came in another order than seq is not vouched for in bulk."""
    from einvoice_gov.trace.chain import GENESIS_PREV

    with open_store(store_url) as store:
        store.append(_events(plain=True)[:8])
        (blk,) = store.blocks(0, 8, 8)
        origin = store.origin
    assert scan.Scanner(origin, 0, GENESIS_PREV, {}).block(blk, 8)
    swapped = blk._replace(order=b"1,0,2,3,4,5,6,7")
    assert not scan.Scanner(origin, 0, GENESIS_PREV, {}).block(swapped, 8)
    assert not scan.Scanner(origin, 0, GENESIS_PREV, {}).block(blk._replace(sizes_ok=False), 8)
