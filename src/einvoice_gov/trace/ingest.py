"""CDAR lifecycle messages → ``status`` events.

Each message is read with `einvoice_gov.formats.cdar.parse_status` and becomes one ``status``
event per invoice it references. The event id is ``cdar:<SHA-256 of the file>`` (plus
``:<n>`` for the n-th invoice of a multi-invoice message), so ingesting the same file twice
records it once. The messages of one call are recorded in the order of their status date
(MDT-78, then the message date MDT-8, then the file name), in one transaction.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from einvoice_gov.errors import InputError
from einvoice_gov.formats.cdar import StatusMessage, parse_status
from einvoice_gov.trace.chain import Ack
from einvoice_gov.trace.events import Event, EventError
from einvoice_gov.trace.ledger import Ledger

__all__ = ["IngestResult", "events_from_message", "ingest_files"]


@dataclass
class IngestResult:
    """What became of one CDAR file (one result per referenced invoice)."""

    path: str
    invoice: str | None = None
    code: str | None = None
    status_at: str | None = None
    ack: Ack | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.path,
            "invoice": self.invoice,
            "code": self.code,
            "status_at": self.status_at,
            "seq": self.ack.seq if self.ack else None,
            "event_id": self.ack.event_id if self.ack else None,
            "hash": self.ack.hash if self.ack else None,
            "error": self.error,
        }


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _dec(value: Any) -> str | None:
    return format(value, "f") if value is not None else None


def events_from_message(
    msg: StatusMessage, source_sha256: str, name: str
) -> list[tuple[Event | None, str | None, str | None]]:
    """(event, invoice, error) for each invoice referenced by a parsed message."""
    out: list[tuple[Event | None, str | None, str | None]] = []
    refs = msg.invoices
    if not refs:
        return [(None, None, "the message references no invoice")]
    status_at = _iso(msg.ack_issued_at) or _iso(msg.issued_at)
    for i, ref in enumerate(refs):
        number = (ref.number or "").strip()
        if not number:
            out.append((None, None, "the message gives no invoice number (MDT-87)"))
            continue
        details = ref.details
        reasons = [d.reason_code for d in details if d.reason_code]
        amounts = [
            {
                k: v
                for k, v in (
                    ("amount", _dec(c.amount)),
                    ("currency", c.currency),
                    ("vat_rate", _dec(c.percent)),
                )
                if v is not None
            }
            for d in details
            for c in d.characteristics
            if c.type_code == "MEN" and c.amount is not None
        ]
        fields: dict[str, Any] = {
            "code": (ref.status_code or "").strip(),
            "label": ref.status_text,
            "status_at": status_at,
            "message_at": _iso(msg.issued_at),
            "message_id": msg.message_id,
            "sender_role": msg.sender.role if msg.sender else None,
            "phase": msg.phase,
            "reasons": reasons or None,
            "reason_texts": [d.reason for d in details if d.reason] or None,
            "amounts": amounts or None,
            "invoice_date": _iso(ref.issue_date),
            "seller": ref.seller_ids[0].value if ref.seller_ids else None,
            "recipients": [p.role for p in msg.recipients if p.role] or None,
            "source_sha256": source_sha256,
            "file": name,
        }
        fields = {k: v for k, v in fields.items() if v is not None}
        event_id = f"cdar:{source_sha256}" if len(refs) == 1 else f"cdar:{source_sha256}:{i}"
        try:
            ev = Event.new(number, "status", fields, event_id=event_id)
        except EventError as exc:
            out.append((None, number, str(exc)))
            continue
        out.append((ev, number, None))
    return out


def ingest_files(
    ledger: Ledger, paths: Iterable[str | Path], *, archive: Any = None
) -> list[IngestResult]:
    """Parse CDAR files and record their statuses; one `IngestResult` per invoice status.

    Unreadable files give a result with ``error`` set and record nothing; the others are
    recorded in status-date order in one transaction. With ``archive`` (an
    `einvoice_gov.trace.Archive`) the raw messages are stored there, durably, first.
    """
    results: list[IngestResult] = []
    pending: list[tuple[tuple[str, str, str], Event, IngestResult]] = []
    for p in paths:
        path = Path(p)
        try:
            data = path.read_bytes()
        except OSError as exc:
            results.append(IngestResult(str(path), error=f"cannot read: {exc.strerror}"))
            continue
        digest = hashlib.sha256(data).hexdigest()
        try:
            msg = parse_status(data)
        except InputError as exc:
            results.append(IngestResult(str(path), error=str(exc)))
            continue
        if archive is not None:
            archive.put(data)
        msg_at = _iso(msg.issued_at) or ""
        for ev, invoice, error in events_from_message(msg, digest, path.name):
            res = IngestResult(str(path), invoice=invoice, error=error)
            results.append(res)
            if ev is None:
                continue
            res.code = str(ev.data.get("code"))
            res.status_at = ev.data.get("status_at")
            pending.append(((res.status_at or msg_at, msg_at, path.name), ev, res))
    pending.sort(key=lambda t: t[0])
    acks = ledger.record_many([ev for _, ev, _ in pending])
    for (_, _, res), ack in zip(pending, acks, strict=True):
        res.ack = ack
    return results
