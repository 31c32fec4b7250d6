"""The entry format (v1) and the hash chain: turning events into sealed, linked entries.

An entry is the RFC 8785 serialisation of::

    {"at", "data", "event_id", "inv_prev", "invoice", "log", "prev", "seq", "type", "v"}

``entry_hash = SHA-256(0x00 ‖ entry)`` is both the RFC 9162 leaf hash and the chain link
(``prev`` of the next entry); ``inv_prev`` links the entries of one invoice. Stores keep the
bytes verbatim plus indexed copies of ``seq, event_id, invoice, type, prev, hash``.

Because JCS sorts members and ``at`` and ``data`` sort before the others, every entry ends
with the fixed *envelope suffix* built by `envelope_suffix`; the verifier checks the links and
the indexed columns by comparing that suffix, without parsing the JSON (see docs/trace.md).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from hashlib import sha256
from json.encoder import encode_basestring
from typing import Any, Final, NamedTuple

from einvoice_gov.trace.canonical import check_restricted, dumps_restricted
from einvoice_gov.trace.events import Event

__all__ = [
    "FORMAT_VERSION",
    "GENESIS_PREV",
    "Ack",
    "Entry",
    "Row",
    "envelope_suffix",
    "plan_append",
    "seal",
]

FORMAT_VERSION: Final = 1
#: ``prev`` of entry 0
GENESIS_PREV: Final = bytes(32)


class Row(NamedTuple):
    """One stored entry as the stores keep it (hashes as 32 raw bytes)."""

    seq: int
    event_id: str
    invoice: str
    type: str
    prev: bytes
    hash: bytes
    body: bytes


@dataclass(frozen=True, slots=True)
class Ack:
    """The acknowledgement of a durable event: where it is in the log and its entry hash."""

    seq: int
    event_id: str
    hash: str

    def as_dict(self) -> dict[str, Any]:
        """``{"seq", "event_id", "hash"}``, the acknowledgement line of ``trace record``."""
        return {"seq": self.seq, "event_id": self.event_id, "hash": self.hash}


@dataclass(frozen=True)
class Entry:
    """One entry of the log, as read back (the bytes are authoritative, the rest derived)."""

    seq: int
    event_id: str
    invoice: str
    type: str
    hash: str
    body: bytes

    @cached_property
    def _doc(self) -> dict[str, Any]:
        doc: dict[str, Any] = json.loads(self.body)
        return doc

    @property
    def at(self) -> str:
        return str(self._doc.get("at", ""))

    @property
    def data(self) -> dict[str, Any]:
        data = self._doc.get("data")
        return dict(data) if isinstance(data, Mapping) else {}

    @property
    def prev(self) -> str:
        return str(self._doc.get("prev", ""))

    @property
    def inv_prev(self) -> str | None:
        v = self._doc.get("inv_prev")
        return v if isinstance(v, str) else None

    @property
    def log(self) -> str:
        return str(self._doc.get("log", ""))

    @classmethod
    def from_row(cls, row: Row) -> Entry:
        return cls(row.seq, row.event_id, row.invoice, row.type, row.hash.hex(), row.body)

    def as_dict(self) -> dict[str, Any]:
        """The log line of ``trace log --format jsonl``."""
        return {
            "seq": self.seq,
            "event_id": self.event_id,
            "invoice": self.invoice,
            "type": self.type,
            "hash": self.hash,
        }


def envelope_suffix(
    event_id: str, inv_prev: str | None, invoice: str, origin: str, prev: str, seq: int, type: str
) -> str:
    """The exact end of an entry's canonical text, from ``"event_id"`` to the closing brace.

    ``inv_prev`` and ``prev`` are hex strings. Inside a valid JSON text that ends with this
    suffix, every member in it belongs to the top-level object (it holds no bracket), so the
    comparison checks those members as a parser would read them.
    """
    ip = "null" if inv_prev is None else f'"{inv_prev}"'
    return (
        f',"event_id":{encode_basestring(event_id)},"inv_prev":{ip},'
        f'"invoice":{encode_basestring(invoice)},"log":{encode_basestring(origin)},'
        f'"prev":"{prev}","seq":{seq},"type":{encode_basestring(type)},"v":{FORMAT_VERSION}}}'
    )


def seal(origin: str, seq: int, prev: bytes, inv_prev: bytes | None, event: Event) -> Row:
    """Serialise one event as entry ``seq`` and hash it.

    The canonical text is assembled as ``{"at":…,"data":…`` + `envelope_suffix`: JCS orders
    the members that way, and a property test checks the result equals full RFC 8785
    serialisation of the entry object. Only ``data`` goes through the JSON encoder.
    """
    if not event.checked:
        check_restricted(event.data)
    data = dumps_restricted(event.data, checked=True).decode("utf-8")
    text = f'{{"at":{encode_basestring(event.at)},"data":{data}' + envelope_suffix(
        event.event_id,
        None if inv_prev is None else inv_prev.hex(),
        event.invoice,
        origin,
        prev.hex(),
        seq,
        event.type,
    )
    body = text.encode("utf-8")
    return Row(
        seq,
        event.event_id,
        event.invoice,
        event.type,
        prev,
        sha256(b"\x00" + body).digest(),
        body,
    )


def plan_append(
    origin: str,
    head: tuple[int, bytes] | None,
    events: Sequence[Event],
    existing: Mapping[str, tuple[int, bytes]],
    inv_heads: Mapping[str, bytes],
) -> tuple[list[Row], list[Ack]]:
    """Rows to insert and one ack per event, under the store's append lock.

    ``head`` is (seq, hash) of the last entry or None; ``existing`` maps already recorded
    event ids to (seq, hash); ``inv_heads`` maps invoices to the hash of their last entry. An
    event id seen before (in the log or earlier in this batch) is acknowledged with the entry
    already recorded and adds nothing.
    """
    seq, prev = (head[0] + 1, head[1]) if head else (0, GENESIS_PREV)
    last: dict[str, bytes] = dict(inv_heads)
    seen: dict[str, tuple[int, bytes]] = dict(existing)
    rows: list[Row] = []
    acks: list[Ack] = []
    for ev in events:
        hit = seen.get(ev.event_id)
        if hit is not None:
            acks.append(Ack(hit[0], ev.event_id, hit[1].hex()))
            continue
        row = seal(origin, seq, prev, last.get(ev.invoice), ev)
        rows.append(row)
        acks.append(Ack(seq, ev.event_id, row.hash.hex()))
        seen[ev.event_id] = (seq, row.hash)
        last[ev.invoice] = row.hash
        prev = row.hash
        seq += 1
    return rows, acks
