"""The shared store: PostgreSQL through psycopg 3, for several machines or clients.

Durability comes from the server (``fsync=on``, ``synchronous_commit=on``: a COMMIT returns
once the WAL is flushed). The sequencer is a transaction-scoped advisory lock
(``pg_advisory_xact_lock``) taken before the head is read; SERIALIZABLE is not used (retry
storms). The URL may carry ``?schema=NAME`` (ours, removed before connecting): the tables
then live in that schema, created when missing.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, Final, Self
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from einvoice_gov.errors import StoreError
from einvoice_gov.trace.chain import Ack, Entry, Row, plan_append
from einvoice_gov.trace.events import Event
from einvoice_gov.trace.stores import RawBlock, StoredCheckpoint, StoredTimestamp

__all__ = ["PostgresStore"]

_COLS: Final = "seq, event_id, invoice, type, prev, hash, body"
_SCHEMA_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")
SCHEMA_VERSION: Final = 1
#: one verification block, joined by the server (the order of the rows is checked by the
#: verifier through ``seq - a``)
_BLOCK_SQL: Final = (
    "SELECT count(*), convert_to(string_agg((seq - %(a)s)::text, ','), 'UTF8'), "
    "string_agg(body, '\\x00'::bytea), convert_to(string_agg(event_id, E'\\n'), 'UTF8'), "
    "convert_to(string_agg(invoice, E'\\n'), 'UTF8'), "
    "convert_to(string_agg(type, E'\\n'), 'UTF8'), "
    "string_agg(hash, ''::bytea), string_agg(prev, ''::bytea), "
    "bool_and(length(hash) = 32 AND length(prev) = 32) "
    "FROM (SELECT seq, body, event_id, invoice, type, hash, prev FROM trace_entries "
    "WHERE seq >= %(a)s AND seq < %(b)s ORDER BY seq) AS s"
)

_DDL: Final = [
    """CREATE TABLE trace_meta (key text PRIMARY KEY, value text NOT NULL)""",
    """CREATE TABLE trace_entries (
        seq bigint PRIMARY KEY,
        event_id text NOT NULL UNIQUE,
        invoice text NOT NULL,
        type text NOT NULL,
        prev bytea NOT NULL,
        hash bytea NOT NULL,
        body bytea NOT NULL
    )""",
    """CREATE INDEX trace_entries_invoice ON trace_entries (invoice, seq)""",
    """CREATE TABLE trace_checkpoints (
        size bigint PRIMARY KEY,
        root bytea NOT NULL,
        note text NOT NULL,
        created text NOT NULL
    )""",
    """CREATE FUNCTION trace_entries_append() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE last_seq bigint; last_hash bytea;
    BEGIN
      SELECT seq, hash INTO last_seq, last_hash FROM trace_entries ORDER BY seq DESC LIMIT 1;
      IF last_seq IS NULL THEN
        last_seq := -1;
        last_hash := decode(repeat('00', 32), 'hex');
      END IF;
      IF NEW.seq <> last_seq + 1 OR NEW.prev <> last_hash THEN
        RAISE EXCEPTION 'einvoice-trace: out-of-order append refused (seq %)', NEW.seq;
      END IF;
      RETURN NEW;
    END $$""",
    """CREATE FUNCTION trace_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'einvoice-trace: % is append-only', TG_TABLE_NAME;
    END $$""",
    """CREATE TRIGGER trace_entries_append BEFORE INSERT ON trace_entries
       FOR EACH ROW EXECUTE FUNCTION trace_entries_append()""",
    """CREATE TRIGGER trace_entries_no_change BEFORE UPDATE OR DELETE ON trace_entries
       FOR EACH ROW EXECUTE FUNCTION trace_refuse()""",
    """CREATE TRIGGER trace_entries_no_truncate BEFORE TRUNCATE ON trace_entries
       FOR EACH STATEMENT EXECUTE FUNCTION trace_refuse()""",
    """CREATE TRIGGER trace_checkpoints_no_change BEFORE UPDATE OR DELETE ON trace_checkpoints
       FOR EACH ROW EXECUTE FUNCTION trace_refuse()""",
    """CREATE TRIGGER trace_checkpoints_no_truncate BEFORE TRUNCATE ON trace_checkpoints
       FOR EACH STATEMENT EXECUTE FUNCTION trace_refuse()""",
]


#: created on the first timestamp (an optional extra: stores without one keep schema 1)
_TIMESTAMPS_DDL: Final = [
    """CREATE TABLE IF NOT EXISTS trace_timestamps (
        id bigserial PRIMARY KEY,
        size bigint NOT NULL,
        token bytea NOT NULL,
        created text NOT NULL
    )""",
    """CREATE OR REPLACE TRIGGER trace_timestamps_no_change
       BEFORE UPDATE OR DELETE ON trace_timestamps
       FOR EACH ROW EXECUTE FUNCTION trace_refuse()""",
    """CREATE OR REPLACE TRIGGER trace_timestamps_no_truncate BEFORE TRUNCATE ON trace_timestamps
       FOR EACH STATEMENT EXECUTE FUNCTION trace_refuse()""",
]


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def split_url(url: str) -> tuple[str, str, str]:
    """(libpq conninfo URL without ``schema``, schema name, URL safe to show)."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    schema = "public"
    kept = []
    for k, v in query:
        if k == "schema":
            schema = v
        else:
            kept.append((k, v))
    if not _SCHEMA_NAME.fullmatch(schema):
        raise StoreError(f"bad schema name {schema!r} (lower-case letters, digits, _)")
    conninfo = urlunsplit(parts._replace(query=urlencode(kept)))
    netloc = parts.netloc
    if "@" in netloc and ":" in netloc.split("@", 1)[0]:
        user = netloc.split("@", 1)[0].split(":", 1)[0]
        netloc = f"{user}:***@{netloc.split('@', 1)[1]}"
    shown = urlunsplit(parts._replace(netloc=netloc))
    return conninfo, schema, shown


class PostgresStore:
    """A trace log in a PostgreSQL schema (see module doc)."""

    def __init__(self, url: str, *, create: bool = True) -> None:
        try:
            import psycopg
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise StoreError(
                "the PostgreSQL store needs psycopg 3: pip install 'einvoice-gov[postgres]'"
            ) from exc
        self._psycopg = psycopg
        conninfo, self.schema, self._url = split_url(url)
        self._connect_url = url
        self._lock_key = int.from_bytes(
            hashlib.sha256(f"einvoice-trace/{self.schema}".encode()).digest()[:8],
            "big",
            signed=True,
        )
        try:
            self._conn = psycopg.connect(conninfo, autocommit=True)
            if create:
                self._conn.execute(f'CREATE SCHEMA IF NOT EXISTS "{self.schema}"')
        except psycopg.errors.UniqueViolation:  # two first-openers raced: the schema exists
            pass
        except psycopg.Error as exc:
            raise StoreError(f"cannot open the trace store {self._url}: {exc}") from exc
        try:
            self._conn.execute(f'SET search_path TO "{self.schema}"')
            self._migrate(create)
            self._origin = self._meta("origin")
        except psycopg.Error as exc:
            raise StoreError(f"cannot open the trace store {self._url}: {exc}") from exc

    @property
    def url(self) -> str:
        return self._url

    @property
    def origin(self) -> str:
        return self._origin

    def _has_tables(self) -> bool:
        # a plain catalog query (fresh snapshot), not to_regclass (cached lookups)
        row = self._conn.execute(
            "SELECT count(*) FROM pg_catalog.pg_tables "
            "WHERE schemaname = %s AND tablename = 'trace_meta'",
            (self.schema,),
        ).fetchone()
        return bool(row and row[0])

    def _migrate(self, create: bool = True) -> None:
        if self._has_tables():
            return
        if not create:
            self._conn.close()
            raise StoreError(f"no trace store in {self._url} (schema {self.schema})")
        with self._conn.transaction():
            self._conn.execute("SELECT pg_advisory_xact_lock(%s)", (self._lock_key,))
            if self._has_tables():
                return
            for sql in _DDL:
                self._conn.execute(sql)
            self._conn.execute(
                "INSERT INTO trace_meta (key, value) VALUES "
                "('origin', %s), ('format', '1'), ('created', %s), ('schema_version', %s)",
                (f"einvoice-gov/trace/{uuid.uuid4()}", _now(), str(SCHEMA_VERSION)),
            )

    def _meta(self, key: str) -> str:
        row = self._conn.execute("SELECT value FROM trace_meta WHERE key = %s", (key,)).fetchone()
        if row is None:
            raise StoreError(f"{self._url}: trace metadata {key!r} is missing")
        return str(row[0])

    # -- appends ------------------------------------------------------------------------------

    def append(self, events: Sequence[Event]) -> list[Ack]:
        if not events:
            return []
        psycopg = self._psycopg
        try:
            with self._conn.transaction(), self._conn.cursor() as cur:
                cur.execute("SELECT pg_advisory_xact_lock(%s)", (self._lock_key,))
                cur.execute(
                    "SELECT seq, hash FROM trace_entries ORDER BY seq DESC LIMIT 1", prepare=False
                )
                head_row = cur.fetchone()
                head = (int(head_row[0]), bytes(head_row[1])) if head_row else None
                existing: dict[str, tuple[int, bytes]] = {}
                inv_heads: dict[str, bytes] = {}
                if head is not None:
                    # prepare=False: a cached generic plan chosen while the table was small
                    # (sequential scan) would make every later append O(n)
                    cur.execute(
                        "SELECT seq, event_id, hash FROM trace_entries WHERE event_id = ANY(%s)",
                        (list({e.event_id for e in events}),),
                        prepare=False,
                    )
                    for seq, eid, h in cur.fetchall():
                        existing[eid] = (int(seq), bytes(h))
                    # one index probe per invoice (a DISTINCT ON would read whole trails)
                    cur.execute(
                        "SELECT i.invoice, e.hash FROM unnest(%s::text[]) AS i(invoice) "
                        "CROSS JOIN LATERAL (SELECT t.hash FROM trace_entries t "
                        "WHERE t.invoice = i.invoice ORDER BY t.seq DESC LIMIT 1) AS e",
                        (list({e.invoice for e in events}),),
                        prepare=False,
                    )
                    for inv, h in cur.fetchall():
                        inv_heads[inv] = bytes(h)
                rows, acks = plan_append(self._origin, head, events, existing, inv_heads)
                if rows:
                    cur.executemany(
                        f"INSERT INTO trace_entries ({_COLS}) VALUES (%s, %s, %s, %s, %s, %s, %s)",
                        rows,
                    )
        except psycopg.Error as exc:
            raise StoreError(f"append to {self._url} failed: {exc}") from exc
        return acks

    # -- reads --------------------------------------------------------------------------------

    def size(self) -> int:
        row = self._conn.execute("SELECT max(seq) FROM trace_entries").fetchone()
        return 0 if row is None or row[0] is None else int(row[0]) + 1

    def head(self) -> tuple[int, bytes] | None:
        row = self._conn.execute(
            "SELECT seq, hash FROM trace_entries ORDER BY seq DESC LIMIT 1"
        ).fetchone()
        return (int(row[0]), bytes(row[1])) if row else None

    def _raw(self, where: str, params: Sequence[Any]) -> Iterator[Any]:
        psycopg = self._psycopg
        try:
            with (
                self._conn.transaction(),
                self._conn.cursor(name=f"trace_{uuid.uuid4().hex}", binary=True) as cur,
            ):
                cur.itersize = 10000
                cur.execute(f"SELECT {_COLS} FROM trace_entries {where} ORDER BY seq", params)
                while batch := cur.fetchmany(10000):
                    yield from batch
        except psycopg.Error as exc:
            raise StoreError(f"reading {self._url} failed: {exc}") from exc

    def _select(self, where: str, params: Sequence[Any]) -> Iterator[Row]:
        return (Row(*r) for r in self._raw(where, params))

    def raw_rows(
        self, start: int = 0, stop: int | None = None
    ) -> Iterator[tuple[int, str | bytes, str | bytes, str | bytes, bytes, bytes, bytes]]:
        if stop is None:
            return self._raw("WHERE seq >= %s", (start,))
        return self._raw("WHERE seq >= %s AND seq < %s", (start, stop))

    def rows(self, start: int = 0, stop: int | None = None) -> Iterator[Row]:
        if stop is None:
            return self._select("WHERE seq >= %s", (start,))
        return self._select("WHERE seq >= %s AND seq < %s", (start, stop))

    def blocks(self, start: int, stop: int, size: int) -> Iterator[RawBlock]:
        psycopg = self._psycopg
        conninfo, _, _ = split_url(self._connect_url)
        try:
            conn = psycopg.connect(conninfo, autocommit=True)
        except psycopg.Error as exc:
            raise StoreError(f"reading {self._url} failed: {exc}") from exc
        try:
            conn.execute(f'SET search_path TO "{self.schema}"')
            with conn.cursor(binary=True) as cur:
                for a in range(start, stop, size):
                    cur.execute(_BLOCK_SQL, {"a": a, "b": min(a + size, stop)})
                    r = cur.fetchone()
                    assert r is not None
                    yield RawBlock.from_row(a, r)
        except psycopg.Error as exc:
            raise StoreError(f"reading {self._url} failed: {exc}") from exc
        finally:
            conn.close()

    def hash_at(self, seq: int) -> bytes | None:
        with self._conn.cursor(binary=True) as cur:
            cur.execute("SELECT hash FROM trace_entries WHERE seq = %s", (seq,))
            r = cur.fetchone()
        return bytes(r[0]) if r else None

    @property
    def connect_url(self) -> str:
        """A URL another process can open (with the password, unlike `url`)."""
        return self._connect_url

    def entries(
        self, *, invoice: str | None = None, start: int = 0, stop: int | None = None
    ) -> Iterator[Entry]:
        if invoice is not None:
            rows = self._select(
                "WHERE invoice = %s AND seq >= %s AND seq < %s",
                (invoice, start, stop if stop is not None else 2**62),
            )
        else:
            rows = self.rows(start, stop)
        return (Entry.from_row(r) for r in rows)

    def leaf_hashes(self, stop: int | None = None) -> list[bytes]:
        with self._conn.cursor(binary=True) as cur:
            if stop is None:
                cur.execute("SELECT hash FROM trace_entries ORDER BY seq")
            else:
                cur.execute("SELECT hash FROM trace_entries WHERE seq < %s ORDER BY seq", (stop,))
            return [bytes(r[0]) for r in cur.fetchall()]

    def find_event(self, event_id: str) -> Entry | None:
        with self._conn.cursor(binary=True) as cur:
            cur.execute(f"SELECT {_COLS} FROM trace_entries WHERE event_id = %s", (event_id,))
            r = cur.fetchone()
        return Entry.from_row(Row(*r)) if r else None

    # -- checkpoints --------------------------------------------------------------------------

    def add_checkpoint(self, size: int, root: bytes, note: str) -> StoredCheckpoint:
        psycopg = self._psycopg
        try:
            with self._conn.transaction():
                self._conn.execute(
                    "INSERT INTO trace_checkpoints (size, root, note, created) "
                    "VALUES (%s, %s, %s, %s) ON CONFLICT (size) DO NOTHING",
                    (size, root, note, _now()),
                )
                r = self._conn.execute(
                    "SELECT size, root, note, created FROM trace_checkpoints WHERE size = %s",
                    (size,),
                ).fetchone()
        except psycopg.Error as exc:
            raise StoreError(f"storing a checkpoint in {self._url} failed: {exc}") from exc
        assert r is not None
        return StoredCheckpoint(int(r[0]), bytes(r[1]), str(r[2]), str(r[3]))

    def checkpoints(self) -> list[StoredCheckpoint]:
        rows = self._conn.execute(
            "SELECT size, root, note, created FROM trace_checkpoints ORDER BY size"
        ).fetchall()
        return [StoredCheckpoint(int(r[0]), bytes(r[1]), str(r[2]), str(r[3])) for r in rows]

    def add_timestamp(self, size: int, token: bytes) -> None:
        psycopg = self._psycopg
        try:
            with self._conn.transaction():
                self._conn.execute("SELECT pg_advisory_xact_lock(%s)", (self._lock_key,))
                if not self._has_timestamps():
                    for sql in _TIMESTAMPS_DDL:
                        self._conn.execute(sql)
                self._conn.execute(
                    "INSERT INTO trace_timestamps (size, token, created) "
                    "SELECT %s, %s, %s WHERE NOT EXISTS "
                    "(SELECT 1 FROM trace_timestamps WHERE size = %s AND token = %s)",
                    (size, token, _now(), size, token),
                )
        except psycopg.Error as exc:
            raise StoreError(f"storing a timestamp in {self._url} failed: {exc}") from exc

    def _has_timestamps(self) -> bool:
        row = self._conn.execute(
            "SELECT count(*) FROM pg_catalog.pg_tables "
            "WHERE schemaname = %s AND tablename = 'trace_timestamps'",
            (self.schema,),
        ).fetchone()
        return bool(row and row[0])

    def timestamps(self) -> list[StoredTimestamp]:
        if not self._has_timestamps():
            return []
        rows = self._conn.execute(
            "SELECT size, token, created FROM trace_timestamps ORDER BY size, id"
        ).fetchall()
        return [StoredTimestamp(int(r[0]), bytes(r[1]), str(r[2])) for r in rows]

    # -- lifetime -----------------------------------------------------------------------------

    def close(self) -> None:
        self._conn.close()

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
        return f"PostgresStore({self._url!r})"
