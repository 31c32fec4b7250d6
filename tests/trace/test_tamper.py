"""Tampering with a stored log is detected by ``trace verify`` and located, on both stores.

The attacker here has write access to the database (triggers dropped, raw SQL): the
append-only guards are an accident guard, detection comes from the hashes, the links and the
signed checkpoints (whose copies beside the key the database edit cannot reach).
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from einvoice_gov.cli import cli
from einvoice_gov.trace import Event, Ledger, open_store
from einvoice_gov.trace.chain import Row, seal

from .conftest import run_cli, tamper

N = 200


def _build(url: str, key: Path, n: int = N, checkpoints: tuple[int, ...] = (N,)) -> list[Row]:
    with open_store(url) as store:
        ledger = Ledger(store, key=key)
        events = []
        for i in range(n):
            inv = f"F2025-{i % 17:04d}"
            if i < 17:
                events.append(Event.new(inv, "issued", {"sha256": f"{i:064x}", "verdict": "valid"}))
            else:
                events.append(Event.new(inv, "status", {"code": random.choice(["200", "205"])}))
        done = 0
        for cp in (*checkpoints, n):
            store.append(events[done:cp])
            done = cp
            if cp in checkpoints:
                ledger.checkpoint()
        return list(store.rows())


def _verify(url: str, key: Path) -> tuple[int, dict[str, Any], str]:
    """``trace verify`` in JSON and in text (in-process: same command, faster than a spawn)."""
    runner = CliRunner()
    res = runner.invoke(
        cli, ["trace", "verify", "--format", "json", "--store", url, "--key", str(key)]
    )
    text = runner.invoke(
        cli, ["trace", "verify", "--store", url, "--key", str(key), "--lang", "en"]
    )
    assert text.exit_code == res.exit_code
    return res.exit_code, json.loads(res.stdout), text.stdout


def test_verify_exit_codes_through_the_real_entry_point(store_url: str, key_path: Path) -> None:
    _build(store_url, key_path, n=20, checkpoints=(20,))
    args = ("trace", "verify", "--format", "json", "--store", store_url, "--key", str(key_path))
    ok = run_cli(*args)
    assert ok.returncode == 0 and json.loads(ok.stdout)["ok"] is True
    tamper(store_url, "DELETE FROM trace_entries WHERE seq = %s", (7,))
    bad = run_cli(*args)
    assert bad.returncode == 1
    doc = json.loads(bad.stdout)
    assert {"ok", "entries", "first_bad", "reason"} <= set(doc)
    assert (doc["ok"], doc["entries"], doc["first_bad"]) == (False, 20, 7)


def _assert_bad(url: str, key: Path, first_bad: int, code: str | None = None) -> dict[str, Any]:
    rc, doc, text = _verify(url, key)
    assert rc == 1, doc
    assert doc["ok"] is False
    assert doc["entries"] >= 0
    assert doc["first_bad"] == first_bad, doc
    assert isinstance(doc["reason"], str) and doc["reason"]
    if code:
        assert doc["code"] == code, doc
    assert f"entry {first_bad}" in text  # the position is in the message
    return doc


def test_intact_log_verifies(store_url: str, key_path: Path) -> None:
    _build(store_url, key_path)
    rc, doc, _ = _verify(store_url, key_path)
    assert rc == 0 and doc["ok"] is True and doc["entries"] == N
    assert doc["first_bad"] is None and doc["signatures"] == "checked"
    assert doc["checkpoints"] == 1 and doc["latest_checkpoint"] == N


@pytest.mark.parametrize("k", [0, 57, N - 1])
def test_one_byte_changed_in_an_entry(store_url: str, key_path: Path, k: int) -> None:
    rows = _build(store_url, key_path)
    body = bytearray(rows[k].body)
    i = random.Random(k).randrange(len(body))
    body[i] ^= 0x01
    tamper(store_url, "UPDATE trace_entries SET body = %s WHERE seq = %s", (bytes(body), k))
    _assert_bad(store_url, key_path, k, "hash_mismatch")


@pytest.mark.parametrize("column", ["hash", "prev", "invoice", "type", "event_id"])
def test_one_byte_changed_in_a_stored_column(store_url: str, key_path: Path, column: str) -> None:
    rows = _build(store_url, key_path)
    k = 101
    value = getattr(rows[k], column)
    if isinstance(value, bytes):
        b = bytearray(value)
        b[5] ^= 0x80
        new: Any = bytes(b)
    else:
        new = value[:-1] + chr(ord(value[-1]) ^ 1)
    tamper(store_url, f"UPDATE trace_entries SET {column} = %s WHERE seq = %s", (new, k))
    _assert_bad(store_url, key_path, k)


def test_changed_entry_with_its_hash_recomputed(store_url: str, key_path: Path) -> None:
    """The attacker fixes the hash column too: the next entry's link exposes the change."""
    from hashlib import sha256

    rows = _build(store_url, key_path)
    k = 80
    body = rows[k].body.replace(b'"code":"20', b'"code":"21', 1)
    assert body != rows[k].body
    tamper(
        store_url,
        "UPDATE trace_entries SET body = %s, hash = %s WHERE seq = %s",
        (body, sha256(b"\x00" + body).digest(), k),
    )
    _assert_bad(store_url, key_path, k, "chain_broken")


@pytest.mark.parametrize("k", [0, 99, N - 2])
def test_deleted_entry(store_url: str, key_path: Path, k: int) -> None:
    _build(store_url, key_path)
    tamper(store_url, "DELETE FROM trace_entries WHERE seq = %s", (k,))
    doc = _assert_bad(store_url, key_path, k, "entry_missing")
    assert doc["entries"] == N  # max seq + 1: the hole is inside


@pytest.mark.parametrize(("i", "j"), [(10, 11), (3, 150), (0, N - 1)])
def test_swapped_entries(store_url: str, key_path: Path, i: int, j: int) -> None:
    _build(store_url, key_path)
    tamper(store_url, "UPDATE trace_entries SET seq = -1 WHERE seq = %s", (i,))
    tamper(store_url, "UPDATE trace_entries SET seq = %s WHERE seq = %s", (i, j))
    tamper(store_url, "UPDATE trace_entries SET seq = %s WHERE seq = -1", (j,))
    _assert_bad(store_url, key_path, i, "entry_moved")


@pytest.mark.parametrize("also_checkpoints", [False, True])
def test_truncated_tail_after_a_checkpoint(
    store_url: str, key_path: Path, also_checkpoints: bool
) -> None:
    _build(store_url, key_path, n=N + 30, checkpoints=(N,))
    tamper(store_url, "DELETE FROM trace_entries WHERE seq >= %s", (150,))
    if also_checkpoints:  # the copy beside the key still pins size N
        tamper(store_url, "DELETE FROM trace_checkpoints")
    doc = _assert_bad(store_url, key_path, 150, "truncated")
    assert doc["entries"] == 150


def test_tail_truncation_is_invisible_without_any_checkpoint(
    store_url: str, key_path: Path
) -> None:
    """The documented limit: with no signed head anywhere, a cut tail leaves a valid chain."""
    _build(store_url, key_path, checkpoints=())
    tamper(store_url, "DELETE FROM trace_entries WHERE seq >= %s", (150,))
    rc, doc, _ = _verify(store_url, key_path)
    assert rc == 0 and doc["entries"] == 150
    assert any("not covered by a signed checkpoint" in w for w in doc["warnings"])


def test_rewritten_history_with_a_recomputed_chain(store_url: str, key_path: Path) -> None:
    """An attacker who re-seals every entry after the change gets a valid chain; the signed
    checkpoints catch it and locate it between the last matching checkpoint and the next."""
    rows = _build(store_url, key_path, checkpoints=(50, 100, 150, N))
    with open_store(store_url) as store:
        origin = store.origin
        entries = list(store.entries())
    k = 120
    prev = rows[k - 1].hash
    last: dict[str, bytes] = {}
    for r in rows[:k]:
        last[r.invoice] = r.hash
    for e in entries[k:]:
        data = e.data
        if e.seq == k:
            data["code"] = "213"
        ev = Event(event_id=e.event_id, invoice=e.invoice, type=e.type, at=e.at, data=data)
        row = seal(origin, e.seq, prev, last.get(e.invoice), ev)
        tamper(
            store_url,
            "UPDATE trace_entries SET body = %s, hash = %s, prev = %s WHERE seq = %s",
            (row.body, row.hash, row.prev, e.seq),
        )
        prev = row.hash
        last[e.invoice] = row.hash
    _assert_bad(store_url, key_path, 100, "checkpoint_mismatch")


def test_forged_checkpoint(store_url: str, key_path: Path) -> None:
    _build(store_url, key_path)
    with open_store(store_url) as store:
        (cp,) = store.checkpoints()
    lines = cp.note.split("\n")
    lines[1] = str(N - 10)
    tamper(store_url, "DELETE FROM trace_checkpoints")
    tamper(
        store_url,
        "INSERT INTO trace_checkpoints (size, root, note, created) VALUES (%s, %s, %s, %s)",
        (N - 10, cp.root, "\n".join(lines), cp.created),
    )
    rc, doc, _ = _verify(store_url, key_path)
    assert rc == 1 and doc["code"] == "checkpoint_bad_signature"
