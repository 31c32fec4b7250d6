"""The two stores behave the same: appends, acknowledgements, idempotency, guards, reads."""

from __future__ import annotations

import json
from hashlib import sha256

import pytest

from einvoice_gov.errors import StoreError
from einvoice_gov.trace import Event, Ledger, Store, open_store, verify
from einvoice_gov.trace.chain import GENESIS_PREV

from .conftest import tamper

SHA = "ab" * 32


def test_append_acknowledges_position_and_hash(store_url: str) -> None:
    with open_store(store_url) as store:
        assert isinstance(store, Store)
        assert store.size() == 0 and store.head() is None
        ledger = Ledger(store)
        a0 = ledger.record("F1", "issued", {"sha256": SHA, "verdict": "valid"})
        a1 = ledger.record("F1", "transmitted", {"platform": "PA-X", "message_id": "m1"})
        a2 = ledger.record("F2", "issued", {"sha256": SHA})
        assert (a0.seq, a1.seq, a2.seq) == (0, 1, 2)
        entries = list(store.entries())
        assert [e.seq for e in entries] == [0, 1, 2]
        for e, a in zip(entries, (a0, a1, a2), strict=True):
            assert e.hash == a.hash == sha256(b"\x00" + e.body).hexdigest()
            assert e.event_id == a.event_id
        # the chain and the per-invoice links are inside the entry bytes
        assert entries[0].prev == GENESIS_PREV.hex() and entries[0].inv_prev is None
        assert entries[1].prev == a0.hash and entries[1].inv_prev == a0.hash
        assert entries[2].prev == a1.hash and entries[2].inv_prev is None
        assert entries[0].log == store.origin
        assert [e.seq for e in store.entries(invoice="F1")] == [0, 1]
        assert store.head() == (2, bytes.fromhex(a2.hash))
        assert store.find_event(a1.event_id) == entries[1]
        assert store.find_event("nope") is None
        assert store.leaf_hashes() == [bytes.fromhex(a.hash) for a in (a0, a1, a2)]
        assert store.leaf_hashes(2) == store.leaf_hashes()[:2]


def test_entry_bytes_are_canonical_json(store_url: str) -> None:
    with open_store(store_url) as store:
        Ledger(store).record(
            "F-é/1", "status", {"code": "212", "amounts": [{"amount": "120.50", "vat_rate": "20"}]}
        )
        (e,) = store.entries()
        doc = json.loads(e.body)
        assert list(doc) == sorted(doc)
        assert (
            e.body
            == json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
        )
        assert doc["invoice"] == "F-é/1" and doc["v"] == 1 and doc["type"] == "status"


def test_resent_event_id_adds_nothing(store_url: str) -> None:
    with open_store(store_url) as store:
        ledger = Ledger(store)
        first = ledger.record("F1", "note", {"text": "a"}, event_id="ev-1")
        again = ledger.record("F1", "note", {"text": "different body"}, event_id="ev-1")
        assert again == first
        batch = [
            Event.new("F1", "note", {"text": "b"}, event_id="ev-2"),
            Event.new("F1", "note", {"text": "b"}, event_id="ev-2"),  # twice in one batch
            Event.new("F1", "note", {"text": "c"}, event_id="ev-1"),  # already in the log
        ]
        acks = store.append(batch)
        assert acks[0] == acks[1] and acks[2] == first
        assert acks[0].seq == 1 and store.size() == 2


def test_reopen_keeps_origin_and_entries(store_url: str) -> None:
    with open_store(store_url) as store:
        origin = store.origin
        Ledger(store).record("F1", "note", {"text": "x"})
    with open_store(store_url) as store:
        assert store.origin == origin and store.origin.startswith("einvoice-gov/trace/")
        assert store.size() == 1
        assert verify(store).ok


def test_open_without_create_refuses_a_missing_store(store_url: str) -> None:
    with pytest.raises(StoreError):
        open_store(store_url, create=False)


def test_database_refuses_updates_deletes_and_forks(store_url: str) -> None:
    with open_store(store_url) as store:
        ledger = Ledger(store)
        for i in range(3):
            ledger.record("F1", "note", {"text": str(i)})
        raw = list(store.rows())
    for sql in (
        "UPDATE trace_entries SET body = body WHERE seq = 1",
        "DELETE FROM trace_entries WHERE seq = 2",
    ):
        with pytest.raises(Exception, match="append-only"):
            _run_guarded(store_url, sql)
    # a second entry 3 claiming the same predecessor, or a gap: refused by the database
    fork = raw[2]._replace(seq=3, event_id="fork", hash=b"\x01" * 32)
    with pytest.raises(Exception, match="out-of-order"):
        _insert_raw(store_url, fork)
    gap = raw[2]._replace(seq=9, event_id="gap", prev=raw[2].hash, hash=b"\x02" * 32)
    with pytest.raises(Exception, match="out-of-order"):
        _insert_raw(store_url, gap)
    with open_store(store_url) as store:
        assert store.size() == 3 and verify(store).ok


def _run_guarded(url: str, sql: str) -> None:
    """Raw SQL with the guards in place (no tampering helper)."""
    from einvoice_gov.trace.stores import sqlite_path

    path = sqlite_path(url)
    if path is not None:
        import sqlite3

        con = sqlite3.connect(path)
        try:
            con.execute(sql)
            con.commit()
        finally:
            con.close()
        return
    import psycopg

    from einvoice_gov.trace.stores.postgres import split_url

    conninfo, schema, _ = split_url(url)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'SET search_path TO "{schema}"')
        conn.execute(sql.replace("?", "%s"))


def _insert_raw(url: str, row: tuple[object, ...]) -> None:
    from einvoice_gov.trace.stores import sqlite_path

    sql = (
        "INSERT INTO trace_entries (seq, event_id, invoice, type, prev, hash, body) "
        "VALUES (%s, %s, %s, %s, %s, %s, %s)"
    )
    path = sqlite_path(url)
    if path is not None:
        import sqlite3

        con = sqlite3.connect(path)
        try:
            con.execute(sql.replace("%s", "?"), row)
            con.commit()
        finally:
            con.close()
        return
    import psycopg

    from einvoice_gov.trace.stores.postgres import split_url

    conninfo, schema, _ = split_url(url)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'SET search_path TO "{schema}"')
        conn.execute(sql, row)


def test_tamper_helper_really_bypasses_the_guards(store_url: str) -> None:
    """Negative control for the tamper tests: the helper can change a stored entry."""
    with open_store(store_url) as store:
        Ledger(store).record("F1", "note", {"text": "x"})
    tamper(store_url, "UPDATE trace_entries SET invoice = %s WHERE seq = 0", ("F9",))
    with open_store(store_url) as store:
        assert next(store.entries()).invoice == "F9"


@pytest.mark.parametrize(
    ("type_", "fields", "message"),
    [
        ("shipped", {}, "unknown event type"),
        ("issued", {}, "sha256"),
        ("issued", {"sha256": "xyz"}, "hexadecimal"),
        ("status", {"code": "2000"}, "three digits"),
        ("status", {"code": "212", "amounts": [{"amount": 12.5}]}, "decimal string"),
        ("note", {"text": "x", "ratio": 0.5}, "floats"),
        ("note", {"text": "x", "bad key": 1}, "field name"),
    ],
)
def test_malformed_events_are_refused_before_the_log(
    store_url: str, type_: str, fields: dict[str, object], message: str
) -> None:
    from einvoice_gov.trace import EventError

    with open_store(store_url) as store:
        with pytest.raises(EventError, match=message):
            Ledger(store).record("F1", type_, fields)
        assert store.size() == 0


def test_invoice_keys_with_control_characters_are_refused() -> None:
    from einvoice_gov.trace import EventError

    with pytest.raises(EventError):
        Event.new("F1\n", "note", {"text": "x"})
    with pytest.raises(EventError):
        Event.new("", "note", {"text": "x"})
