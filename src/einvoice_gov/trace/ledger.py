"""The writer's API: record events, sign checkpoints.

`Ledger` wraps a `Store`: ``record`` and ``record_many`` check events at the boundary and
return acknowledgements only once the store has committed them durably; ``checkpoint``
verifies the log, proves it extends the last signed checkpoint, signs the new one with the
key kept outside the database and stores it in both places.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from einvoice_gov.errors import IntegrityError, StoreError
from einvoice_gov.trace.chain import Ack
from einvoice_gov.trace.checkpoints import (
    Checkpoint,
    PublicKey,
    SigningKey,
    append_pinned,
    parse_note,
    pinned_path,
    public_key_path,
    read_pinned,
    sign_checkpoint,
)
from einvoice_gov.trace.events import Event, now_rfc3339
from einvoice_gov.trace.stores import Store, sqlite_path

if TYPE_CHECKING:
    from cryptography import x509

    from einvoice_gov.trace.timestamp import TokenInfo

__all__ = ["KEY_ENV", "STORE_ENV", "Ledger", "default_key_path"]

KEY_ENV: Final = "EINVOICE_TRACE_KEY"
STORE_ENV: Final = "EINVOICE_TRACE_STORE"
#: events per transaction when a caller hands over a long sequence
MAX_BATCH: Final = 1000


def default_key_path(store_url: str) -> Path:
    """``$EINVOICE_TRACE_KEY``, else ``<db stem>.key`` beside a SQLite file, else
    ``./einvoice-trace.key``. Never inside the database."""
    env = os.environ.get(KEY_ENV)
    if env:
        return Path(env)
    path = sqlite_path(store_url)
    if path is not None:
        return path.with_suffix(".key")
    return Path("einvoice-trace.key")


class Ledger:
    """Record events in a store and sign its checkpoints."""

    def __init__(self, store: Store, *, key: str | Path | None = None) -> None:
        self.store = store
        self.key_path = Path(key) if key is not None else default_key_path(store.url)

    def record(
        self,
        invoice: str,
        type: str,
        fields: Mapping[str, Any] | None = None,
        *,
        event_id: str | None = None,
        at: str | None = None,
    ) -> Ack:
        """Record one event; returns once it is durable. Raises `EventError` when malformed."""
        ev = Event.new(invoice, type, fields, event_id=event_id, at=at)
        return self.store.append([ev])[0]

    def record_many(self, events: Iterable[Event]) -> list[Ack]:
        """Record events in order, up to `MAX_BATCH` per transaction; one ack per event."""
        acks: list[Ack] = []
        batch: list[Event] = []
        for ev in events:
            batch.append(ev)
            if len(batch) >= MAX_BATCH:
                acks.extend(self.store.append(batch))
                batch = []
        if batch:
            acks.extend(self.store.append(batch))
        return acks

    # -- checkpoints --------------------------------------------------------------------------

    def last_checkpoint(self) -> Checkpoint | None:
        """The largest checkpoint known, from the database or the pinned file."""
        best: Checkpoint | None = None
        for sc in self.store.checkpoints():
            cp = parse_note(sc.note)
            if best is None or cp.size > best.size:
                best = cp
        for cp in read_pinned(pinned_path(self.key_path)):
            if cp.origin == self.store.origin and (best is None or cp.size > best.size):
                best = cp
        return best

    def signing_key(self) -> SigningKey:
        """The log's key, created on first use (with its ``.pub`` beside it).

        Raises `StoreError` when the key file belongs to another log (its ``.pub`` names it).
        """
        pub = public_key_path(self.key_path)
        if pub.exists():
            other = PublicKey.from_vkey(pub.read_text(encoding="ascii")).name
            if other != self.store.origin:
                raise StoreError(
                    f"the key {self.key_path} signs the log {other}, not this one "
                    f"({self.store.origin}); give this log its own --key"
                )
        return SigningKey.load_or_create(self.key_path, self.store.origin)

    def checkpoint(self) -> Checkpoint:
        """Sign a checkpoint of the current log.

        Refuses (`IntegrityError`) when the log does not verify or does not extend the last
        signed checkpoint: the key never signs two inconsistent views.
        """
        from einvoice_gov.trace.scan import Bad
        from einvoice_gov.trace.verifier import scan_log

        key = self.signing_key()
        size = self.store.size()
        last = self.last_checkpoint()
        if last is not None and last.origin != self.store.origin:
            raise IntegrityError("the last checkpoint names another log")
        if last is not None and last.size > size:
            raise IntegrityError(
                f"refusing to sign: the log holds {size} entries, fewer than the "
                f"{last.size} of the last signed checkpoint (truncated)"
            )
        sizes = [size] + ([last.size] if last is not None else [])
        try:
            count, _head, roots = scan_log(self.store, sizes, stop=size)
        except Bad as exc:
            raise IntegrityError(f"refusing to sign: {exc.reason}") from exc
        if count != size:  # pragma: no cover - rows() is bounded by size
            raise IntegrityError("the log changed while it was being checkpointed")
        if last is not None and roots.get(last.size) != last.root:
            raise IntegrityError(
                f"refusing to sign: the first {last.size} entries differ from the last signed "
                "checkpoint (the log was rewritten)"
            )
        if last is not None and last.size == size:
            return last
        cp = sign_checkpoint(key, self.store.origin, size, roots[size], [f"time {now_rfc3339()}"])
        append_pinned(self.key_path, cp)
        stored = self.store.add_checkpoint(cp.size, cp.root, cp.note)
        return parse_note(stored.note)

    def timestamp(
        self,
        tsa_url: str,
        *,
        tsa_cert: x509.Certificate | None = None,
        timeout: float = 30.0,
    ) -> tuple[Checkpoint, TokenInfo]:
        """Sign (or reuse) the checkpoint of the current log and have a TSA timestamp it.

        The RFC 3161 token covers the UTF-8 bytes of the signed checkpoint note; it is kept
        beside the key with the checkpoint (pinned file) and in the store. Given ``tsa_cert``
        the token's signature is checked before it is kept. Raises
        `einvoice_gov.trace.timestamp.TimestampError` when the TSA fails or its answer does
        not check, and what `checkpoint` raises.
        """
        from einvoice_gov.trace.timestamp import request_token

        cp = self.checkpoint()
        token, info = request_token(
            tsa_url, cp.note.encode("utf-8"), tsa_cert=tsa_cert, timeout=timeout
        )
        append_pinned(self.key_path, cp, timestamp=token)
        self.store.add_timestamp(cp.size, token)
        return cp, info
