"""Where the log lives: one `Store` protocol, a SQLite and a PostgreSQL implementation.

Both stores are the sequencer of the log: an append takes the store's exclusive append lock
(SQLite: ``flock`` queue + ``BEGIN IMMEDIATE``; PostgreSQL: ``pg_advisory_xact_lock``), reads
the head, inserts the sealed rows and commits before it returns, so concurrent writers from
several processes never fork the chain. The schema backs this: ``seq`` is the primary key,
``event_id`` is ``UNIQUE`` (exactly-once retries), and a trigger refuses any insert that is
not ``seq = head + 1`` with ``prev = hash(head)`` (so no two entries share a predecessor: a
``UNIQUE(prev)`` index would add nothing but cost); other triggers refuse updates and
deletes. Those are accident guards, not a security boundary: the signed checkpoints are.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, NamedTuple, Protocol, Self, runtime_checkable
from urllib.parse import unquote, urlsplit

from einvoice_gov.errors import StoreError
from einvoice_gov.trace.chain import Ack, Entry, Row
from einvoice_gov.trace.events import Event

__all__ = [
    "DEFAULT_STORE_URL",
    "RawBlock",
    "Store",
    "StoredCheckpoint",
    "StoredTimestamp",
    "open_store",
    "sqlite_path",
]

DEFAULT_STORE_URL = "sqlite:///./einvoice-trace.db"


@dataclass(frozen=True, slots=True)
class StoredCheckpoint:
    """A signed checkpoint as kept in the store (the note is authoritative)."""

    size: int
    root: bytes
    note: str
    created: str


@dataclass(frozen=True, slots=True)
class StoredTimestamp:
    """An RFC 3161 timestamp token (DER) over the checkpoint of ``size`` (see `timestamp`)."""

    size: int
    token: bytes
    created: str


class RawBlock(NamedTuple):
    """Entries ``[start, start + rows)`` of a store, read at once (see `Store.blocks`).

    ``order`` lists ``seq - start`` of every row, comma-separated, in the order of the other
    fields; ``bodies`` are the entries' bytes separated by one NUL byte; ``event_ids``,
    ``invoices`` and ``types`` the UTF-8 columns separated by LF; ``hashes`` and ``prevs`` the
    32-byte columns concatenated; ``sizes_ok`` is true when every stored hash and prev is 32
    bytes long.
    """

    start: int
    rows: int
    order: bytes
    bodies: bytes
    event_ids: bytes
    invoices: bytes
    types: bytes
    hashes: bytes
    prevs: bytes
    sizes_ok: bool

    @classmethod
    def from_row(cls, start: int, r: Sequence[Any]) -> RawBlock:
        """The block from the one row of a store's block query (the columns in field order;
        NULL aggregates of an empty range read as empty bytes)."""
        return cls(
            start,
            int(r[0]),
            r[1] or b"",
            r[2] or b"",
            r[3] or b"",
            r[4] or b"",
            r[5] or b"",
            r[6] or b"",
            r[7] or b"",
            bool(r[8]),
        )


@runtime_checkable
class Store(Protocol):
    """An append-only, hash-chained log of trace entries."""

    @property
    def url(self) -> str:
        """The URL the store was opened with (no password)."""
        ...

    @property
    def origin(self) -> str:
        """The log's origin string (``einvoice-gov/trace/<uuid>``), fixed at creation."""
        ...

    def append(self, events: Sequence[Event]) -> list[Ack]:
        """Seal and commit the events in one transaction; return once durable.

        A re-sent ``event_id`` is acknowledged with its existing entry and adds nothing.
        """
        ...

    def size(self) -> int:
        """Number of entries."""
        ...

    def head(self) -> tuple[int, bytes] | None:
        """(seq, hash) of the last entry, or None for an empty log."""
        ...

    def entries(
        self, *, invoice: str | None = None, start: int = 0, stop: int | None = None
    ) -> Iterator[Entry]:
        """Entries in seq order, optionally one invoice's only or a seq range."""
        ...

    def rows(self, start: int = 0, stop: int | None = None) -> Iterator[Row]:
        """Raw rows in seq order, as stored (for verification)."""
        ...

    def raw_rows(
        self, start: int = 0, stop: int | None = None
    ) -> Iterator[tuple[int, str | bytes, str | bytes, str | bytes, bytes, bytes, bytes]]:
        """Like `rows`, as plain tuples, for the verifier's row path: text columns may come
        as str or as their UTF-8 bytes, and a column edited to another type as it is."""
        ...

    def blocks(self, start: int, stop: int, size: int) -> Iterator[RawBlock]:
        """Entries ``[start, stop)`` in `RawBlock` s of ``size`` rows, for the verifier.

        Reads on a connection of its own, opened and closed by the iterator, so that it can
        run in another thread.
        """
        ...

    def hash_at(self, seq: int) -> bytes | None:
        """The stored hash of entry ``seq``, or None."""
        ...

    def leaf_hashes(self, stop: int | None = None) -> list[bytes]:
        """Stored entry hashes of entries ``[0, stop)`` in seq order."""
        ...

    def find_event(self, event_id: str) -> Entry | None:
        """The entry recorded for an event id, if any."""
        ...

    def add_checkpoint(self, size: int, root: bytes, note: str) -> StoredCheckpoint:
        """Keep a signed checkpoint; returns the one already stored for that size if any."""
        ...

    def checkpoints(self) -> list[StoredCheckpoint]:
        """Every stored checkpoint, by size."""
        ...

    def add_timestamp(self, size: int, token: bytes) -> None:
        """Keep a timestamp token of the checkpoint of ``size`` (once; append-only)."""
        ...

    def timestamps(self) -> list[StoredTimestamp]:
        """Every stored timestamp token, by size then arrival."""
        ...

    def close(self) -> None: ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...


def sqlite_path(url: str) -> Path | None:
    """The file of a ``sqlite:///`` URL, or None for another scheme."""
    if not url.startswith("sqlite://"):
        return None
    rest = url[len("sqlite://") :]
    if not rest.startswith("/") or rest == "/":
        raise StoreError(f"bad SQLite store URL {url!r}: expected sqlite:///path/to/file.db")
    return Path(unquote(rest[1:]))


def open_store(url: str, *, create: bool = True) -> Store:
    """Open the store at ``url``, creating it when missing unless ``create=False``.

    ``sqlite:///relative.db``, ``sqlite:////absolute.db`` or
    ``postgresql://user@host:port/db[?schema=name]``. Raises `StoreError` when unreachable
    (or missing with ``create=False``).
    """
    path = sqlite_path(url)
    if path is not None:
        from einvoice_gov.trace.stores.sqlite import SQLiteStore

        if not create and not path.exists():
            raise StoreError(f"no trace store at {path}")
        return SQLiteStore(path)
    scheme = urlsplit(url).scheme
    if scheme in ("postgresql", "postgres"):
        from einvoice_gov.trace.stores.postgres import PostgresStore

        return PostgresStore(url, create=create)
    raise StoreError(
        f"unknown store URL {url!r}: use sqlite:///path/to/file.db or postgresql://host/db"
    )
