"""The embedded store: one SQLite file in WAL mode with ``synchronous=FULL``.

Durability: a commit returns after the WAL is fsync'ed (FULL), so an acknowledged entry
survives a process kill, an OS crash or a power loss on storage that honours fsync.
Concurrency: writers queue on an ``flock`` of ``<db>.lock`` (a FIFO-ish kernel queue, fairer
than SQLite's sleeping busy handler), then ``BEGIN IMMEDIATE`` makes SQLite's own write lock
the sequencer.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Final, Self

from einvoice_gov.errors import StoreError
from einvoice_gov.trace.chain import Ack, Entry, Row, plan_append
from einvoice_gov.trace.events import Event
from einvoice_gov.trace.stores import RawBlock, StoredCheckpoint, StoredTimestamp

__all__ = ["SQLiteStore"]

_COLS: Final = "seq, event_id, invoice, type, prev, hash, body"
_CHUNK: Final = 500
#: bytes of the file SQLite maps into memory for verification reads (fewer copies)
_MMAP: Final = 1 << 30
#: one verification block: the columns joined by SQLite's C code in one statement (the order
#: of the rows is checked by the verifier through ``seq - :a``)
_BLOCK_SQL: Final = (
    "SELECT count(*), group_concat(seq - :a), group_concat(body, x'00'), "
    "group_concat(event_id, char(10)), group_concat(invoice, char(10)), "
    "group_concat(type, char(10)), group_concat(hash, ''), group_concat(prev, ''), "
    "min(length(hash) = 32 AND length(prev) = 32) "
    "FROM trace_entries WHERE seq >= :a AND seq < :b"
)

#: ordered schema migrations: (user_version after the step, statements)
MIGRATIONS: Final[list[tuple[int, list[str]]]] = [
    (
        1,
        [
            """CREATE TABLE trace_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)""",
            """CREATE TABLE trace_entries (
                seq INTEGER PRIMARY KEY,
                event_id TEXT NOT NULL UNIQUE,
                invoice TEXT NOT NULL,
                type TEXT NOT NULL,
                prev BLOB NOT NULL,
                hash BLOB NOT NULL,
                body BLOB NOT NULL
            )""",
            """CREATE INDEX trace_entries_invoice ON trace_entries (invoice, seq)""",
            """CREATE TABLE trace_checkpoints (
                size INTEGER PRIMARY KEY,
                root BLOB NOT NULL,
                note TEXT NOT NULL,
                created TEXT NOT NULL
            )""",
            """CREATE TRIGGER trace_entries_append BEFORE INSERT ON trace_entries
               WHEN NEW.seq IS NOT
                      COALESCE((SELECT seq FROM trace_entries ORDER BY seq DESC LIMIT 1), -1) + 1
                 OR NEW.prev IS NOT
                      COALESCE((SELECT hash FROM trace_entries WHERE seq = NEW.seq - 1),
                               zeroblob(32))
               BEGIN SELECT RAISE(ABORT, 'einvoice-trace: out-of-order append refused'); END""",
            """CREATE TRIGGER trace_entries_no_update BEFORE UPDATE ON trace_entries
               BEGIN SELECT RAISE(ABORT, 'einvoice-trace: the log is append-only'); END""",
            """CREATE TRIGGER trace_entries_no_delete BEFORE DELETE ON trace_entries
               BEGIN SELECT RAISE(ABORT, 'einvoice-trace: the log is append-only'); END""",
            """CREATE TRIGGER trace_checkpoints_no_update BEFORE UPDATE ON trace_checkpoints
               BEGIN SELECT RAISE(ABORT, 'einvoice-trace: checkpoints are append-only'); END""",
            """CREATE TRIGGER trace_checkpoints_no_delete BEFORE DELETE ON trace_checkpoints
               BEGIN SELECT RAISE(ABORT, 'einvoice-trace: checkpoints are append-only'); END""",
        ],
    ),
]


#: created on the first timestamp (an optional extra: stores without one keep schema 1)
_TIMESTAMPS_DDL: Final = [
    """CREATE TABLE IF NOT EXISTS trace_timestamps (
        size INTEGER NOT NULL,
        token BLOB NOT NULL,
        created TEXT NOT NULL,
        UNIQUE (size, token)
    )""",
    """CREATE TRIGGER IF NOT EXISTS trace_timestamps_no_update BEFORE UPDATE ON trace_timestamps
       BEGIN SELECT RAISE(ABORT, 'einvoice-trace: timestamps are append-only'); END""",
    """CREATE TRIGGER IF NOT EXISTS trace_timestamps_no_delete BEFORE DELETE ON trace_timestamps
       BEGIN SELECT RAISE(ABORT, 'einvoice-trace: timestamps are append-only'); END""",
]


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class SQLiteStore:
    """A trace log in one SQLite file (see module doc)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._url = f"sqlite:///{self.path}"
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._lockfile = open(  # noqa: SIM115 - held for the store's lifetime
                self.path.with_name(self.path.name + ".lock"), "a+b"
            )
            self._conn = sqlite3.connect(
                self.path, isolation_level=None, timeout=120.0, check_same_thread=False
            )
            self._conn.execute("PRAGMA busy_timeout = 120000")
            with self._write_lock():
                mode = self._conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":  # pragma: no cover - e.g. a network filesystem
                raise StoreError(f"{self.path}: SQLite refused WAL mode ({mode})")
            self._conn.execute("PRAGMA synchronous = FULL")
            self._conn.execute("PRAGMA cache_size = -65536")
            self._migrate()
            self._origin = self._meta("origin")
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(f"cannot open the trace store {self.path}: {exc}") from exc
        self._reader: sqlite3.Connection | None = None

    # -- plumbing ---------------------------------------------------------------------------

    @property
    def url(self) -> str:
        return self._url

    @property
    def origin(self) -> str:
        return self._origin

    @contextmanager
    def _write_lock(self) -> Iterator[None]:
        fcntl.flock(self._lockfile.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(self._lockfile.fileno(), fcntl.LOCK_UN)

    @contextmanager
    def _write_txn(self) -> Iterator[sqlite3.Cursor]:
        with self._write_lock():
            cur = self._conn.cursor()
            cur.execute("BEGIN IMMEDIATE")
            try:
                yield cur
            except BaseException:
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                raise
            else:
                cur.execute("COMMIT")
            finally:
                cur.close()

    def _migrate(self) -> None:
        version = self._conn.execute("PRAGMA user_version").fetchone()[0]
        if version >= MIGRATIONS[-1][0]:
            return
        with self._write_txn() as cur:
            version = cur.execute("PRAGMA user_version").fetchone()[0]
            for target, statements in MIGRATIONS:
                if version >= target:
                    continue
                for sql in statements:
                    cur.execute(sql)
                if target == 1:
                    cur.execute(
                        "INSERT INTO trace_meta(key, value) VALUES "
                        "('origin', ?), ('format', '1'), ('created', ?)",
                        (f"einvoice-gov/trace/{uuid.uuid4()}", _now()),
                    )
                cur.execute(f"PRAGMA user_version = {int(target)}")

    def _meta(self, key: str) -> str:
        row = self._conn.execute("SELECT value FROM trace_meta WHERE key = ?", (key,)).fetchone()
        if row is None:
            raise StoreError(f"{self.path}: trace metadata {key!r} is missing")
        return str(row[0])

    # -- appends ------------------------------------------------------------------------------

    def append(self, events: Sequence[Event]) -> list[Ack]:
        if not events:
            return []
        try:
            with self._write_txn() as cur:
                head_row = cur.execute(
                    "SELECT seq, hash FROM trace_entries ORDER BY seq DESC LIMIT 1"
                ).fetchone()
                head = (int(head_row[0]), bytes(head_row[1])) if head_row else None
                existing: dict[str, tuple[int, bytes]] = {}
                inv_heads: dict[str, bytes] = {}
                if head is not None:
                    ids = list({e.event_id for e in events})
                    for i in range(0, len(ids), _CHUNK):
                        part = ids[i : i + _CHUNK]
                        marks = ",".join("?" * len(part))
                        for seq, eid, h in cur.execute(
                            "SELECT seq, event_id, hash FROM trace_entries "
                            f"WHERE event_id IN ({marks})",
                            part,
                        ):
                            existing[eid] = (seq, bytes(h))
                    invs = list({e.invoice for e in events})
                    for i in range(0, len(invs), _CHUNK):
                        part = invs[i : i + _CHUNK]
                        values = ",".join(["(?)"] * len(part))
                        # one index probe per invoice (GROUP BY would read whole trails)
                        for inv, h in cur.execute(
                            f"WITH i(invoice) AS (VALUES {values}) "
                            "SELECT i.invoice, (SELECT t.hash FROM trace_entries t "
                            "WHERE t.invoice = i.invoice ORDER BY t.seq DESC LIMIT 1) FROM i",
                            part,
                        ):
                            if h is not None:
                                inv_heads[inv] = bytes(h)
                rows, acks = plan_append(self._origin, head, events, existing, inv_heads)
                if rows:
                    cur.executemany(
                        f"INSERT INTO trace_entries ({_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?)",
                        rows,
                    )
        except sqlite3.Error as exc:
            raise StoreError(f"append to {self.path} failed: {exc}") from exc
        return acks

    # -- reads --------------------------------------------------------------------------------

    def size(self) -> int:
        row = self._conn.execute("SELECT max(seq) FROM trace_entries").fetchone()
        return 0 if row[0] is None else int(row[0]) + 1

    def head(self) -> tuple[int, bytes] | None:
        row = self._conn.execute(
            "SELECT seq, hash FROM trace_entries ORDER BY seq DESC LIMIT 1"
        ).fetchone()
        return (int(row[0]), bytes(row[1])) if row else None

    def _raw(self, where: str, params: Sequence[Any]) -> Iterator[Any]:
        try:
            cur = self._conn.execute(
                f"SELECT {_COLS} FROM trace_entries {where} ORDER BY seq", params
            )
            while batch := cur.fetchmany(4096):
                yield from batch
        except sqlite3.Error as exc:
            raise StoreError(f"reading {self.path} failed: {exc}") from exc

    def _select(self, where: str, params: Sequence[Any]) -> Iterator[Row]:
        return (Row(*r) for r in self._raw(where, params))

    def _read_connection(self) -> sqlite3.Connection:
        """A connection for verification reads: every value as stored, text as UTF-8 bytes
        (an edited column that is not valid UTF-8 is reported, not a decoding crash)."""
        conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        conn.text_factory = bytes
        conn.execute("PRAGMA query_only = 1")
        conn.execute(f"PRAGMA mmap_size = {_MMAP}")
        return conn

    def raw_rows(
        self, start: int = 0, stop: int | None = None
    ) -> Iterator[tuple[int, bytes, bytes, bytes, bytes, bytes, bytes]]:
        if self._reader is None:
            self._reader = self._read_connection()
        where, params = "WHERE seq >= ?", [start]
        if stop is not None:
            where, params = "WHERE seq >= ? AND seq < ?", [start, stop]
        return self._iter(
            self._reader, f"SELECT {_COLS} FROM trace_entries {where} ORDER BY seq", params
        )

    def _iter(self, conn: sqlite3.Connection, sql: str, params: Sequence[Any]) -> Iterator[Any]:
        try:
            cur = conn.execute(sql, params)
            while batch := cur.fetchmany(4096):
                yield from batch
        except sqlite3.Error as exc:
            raise StoreError(f"reading {self.path} failed: {exc}") from exc

    def blocks(self, start: int, stop: int, size: int) -> Iterator[RawBlock]:
        try:
            conn = self._read_connection()
        except sqlite3.Error as exc:
            raise StoreError(f"reading {self.path} failed: {exc}") from exc
        try:
            for a in range(start, stop, size):
                r = conn.execute(_BLOCK_SQL, {"a": a, "b": min(a + size, stop)}).fetchone()
                yield RawBlock.from_row(a, r)
        except sqlite3.Error as exc:
            raise StoreError(f"reading {self.path} failed: {exc}") from exc
        finally:
            conn.close()

    def rows(self, start: int = 0, stop: int | None = None) -> Iterator[Row]:
        if stop is None:
            return self._select("WHERE seq >= ?", (start,))
        return self._select("WHERE seq >= ? AND seq < ?", (start, stop))

    def hash_at(self, seq: int) -> bytes | None:
        r = self._conn.execute("SELECT hash FROM trace_entries WHERE seq = ?", (seq,)).fetchone()
        return bytes(r[0]) if r else None

    @property
    def connect_url(self) -> str:
        """A URL another process can open (the same file)."""
        return f"sqlite:///{self.path.resolve()}"

    def entries(
        self, *, invoice: str | None = None, start: int = 0, stop: int | None = None
    ) -> Iterator[Entry]:
        if invoice is not None:
            rows = self._select(
                "WHERE invoice = ? AND seq >= ? AND seq < ?",
                (invoice, start, stop if stop is not None else 2**62),
            )
        else:
            rows = self.rows(start, stop)
        return (Entry.from_row(r) for r in rows)

    def leaf_hashes(self, stop: int | None = None) -> list[bytes]:
        sql = "SELECT hash FROM trace_entries"
        params: tuple[int, ...] = ()
        if stop is not None:
            sql += " WHERE seq < ?"
            params = (stop,)
        return [bytes(r[0]) for r in self._conn.execute(sql + " ORDER BY seq", params)]

    def find_event(self, event_id: str) -> Entry | None:
        r = self._conn.execute(
            f"SELECT {_COLS} FROM trace_entries WHERE event_id = ?", (event_id,)
        ).fetchone()
        return Entry.from_row(Row(*r)) if r else None

    # -- checkpoints --------------------------------------------------------------------------

    def add_checkpoint(self, size: int, root: bytes, note: str) -> StoredCheckpoint:
        try:
            with self._write_txn() as cur:
                cur.execute(
                    "INSERT OR IGNORE INTO trace_checkpoints (size, root, note, created) "
                    "VALUES (?, ?, ?, ?)",
                    (size, root, note, _now()),
                )
                r = cur.execute(
                    "SELECT size, root, note, created FROM trace_checkpoints WHERE size = ?",
                    (size,),
                ).fetchone()
        except sqlite3.Error as exc:
            raise StoreError(f"storing a checkpoint in {self.path} failed: {exc}") from exc
        return StoredCheckpoint(int(r[0]), bytes(r[1]), str(r[2]), str(r[3]))

    def checkpoints(self) -> list[StoredCheckpoint]:
        return [
            StoredCheckpoint(int(r[0]), bytes(r[1]), str(r[2]), str(r[3]))
            for r in self._conn.execute(
                "SELECT size, root, note, created FROM trace_checkpoints ORDER BY size"
            )
        ]

    def add_timestamp(self, size: int, token: bytes) -> None:
        try:
            with self._write_txn() as cur:
                for sql in _TIMESTAMPS_DDL:
                    cur.execute(sql)
                cur.execute(
                    "INSERT OR IGNORE INTO trace_timestamps (size, token, created) "
                    "VALUES (?, ?, ?)",
                    (size, token, _now()),
                )
        except sqlite3.Error as exc:
            raise StoreError(f"storing a timestamp in {self.path} failed: {exc}") from exc

    def timestamps(self) -> list[StoredTimestamp]:
        has = self._conn.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'trace_timestamps'"
        ).fetchone()[0]
        if not has:
            return []
        return [
            StoredTimestamp(int(r[0]), bytes(r[1]), str(r[2]))
            for r in self._conn.execute(
                "SELECT size, token, created FROM trace_timestamps ORDER BY size, rowid"
            )
        ]

    # -- lifetime -----------------------------------------------------------------------------

    def close(self) -> None:
        try:
            if self._reader is not None:
                self._reader.close()
            self._conn.close()
        finally:
            self._lockfile.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"SQLiteStore({os.fspath(self.path)!r})"
