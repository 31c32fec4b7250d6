"""Trace events: what happened to an invoice, checked at the boundary before it is logged.

An event is an invoice key, a type, an idempotency key (``event_id``), a recording time and a
dict of fields (``data``). The data model is deliberately narrow so that canonical bytes are
unambiguous: ASCII field names, no floats (amounts are decimal strings), integers within
±(2^53-1), free text NFC-normalised.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Final

from einvoice_gov.trace.canonical import CanonicalError, check_restricted

__all__ = [
    "EVENT_TYPES",
    "Event",
    "EventError",
    "new_event_id",
    "now_rfc3339",
]

#: the event types, in the order an invoice usually meets them
EVENT_TYPES: Final = ("issued", "transmitted", "status", "received", "archived", "note")

#: required fields per type
REQUIRED: Final[dict[str, tuple[str, ...]]] = {
    "issued": ("sha256",),
    "transmitted": ("platform",),
    "status": ("code",),
    "received": ("sha256",),
    "archived": ("object",),
    "note": ("text",),
}

VERDICTS: Final = ("valid", "invalid", "warning", "unchecked")

_FIELD_NAME = re.compile(r"[A-Za-z0-9_.\-]{1,64}")
_HEX64 = re.compile(r"[0-9a-f]{64}")
_CODE = re.compile(r"[0-9]{3}")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DECIMAL = re.compile(r"-?\d{1,15}(\.\d{1,6})?")
_RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})")
#: keys reserved for the envelope of a batch line (not stored as fields)
ENVELOPE_KEYS: Final = frozenset({"event_id", "invoice", "type", "at"})
MAX_KEY_LEN: Final = 256
MAX_DATA_BYTES: Final = 64 * 1024


class EventError(ValueError):
    """An event is malformed (unknown type, missing or badly typed field)."""


def new_event_id() -> str:
    """A fresh random event id (UUID4, 32 hex digits)."""
    return uuid.uuid4().hex


def now_rfc3339() -> str:
    """The current UTC time, RFC 3339 with microseconds: ``2026-11-26T13:00:00.123456Z``."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _key(name: str, value: object) -> str:
    if not isinstance(value, str) or not value:
        raise EventError(f"{name} must be a non-empty string")
    value = unicodedata.normalize("NFC", value)
    if len(value) > MAX_KEY_LEN:
        raise EventError(f"{name} is longer than {MAX_KEY_LEN} characters")
    if not value.isprintable():
        raise EventError(f"{name} {value!r} contains control or non-printable characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise EventError(f"{name} contains a lone surrogate") from exc
    return value


def _normalise(value: Any, where: str) -> Any:
    """NFC strings, Decimal -> str, tuples -> lists; refuse floats and other types."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise EventError(f"{where}: {value} is not a finite amount")
        return format(value, "f")
    if isinstance(value, float):
        raise EventError(f"{where}: floats are not allowed, write amounts as decimal strings")
    if isinstance(value, Mapping):
        out: dict[str, Any] = {}
        for k, v in value.items():
            if not isinstance(k, str) or not _FIELD_NAME.fullmatch(k):
                raise EventError(
                    f"{where}: field name {k!r} must be 1-64 characters among A-Z a-z 0-9 _ . -"
                )
            out[k] = _normalise(v, f"{where}.{k}")
        return out
    if isinstance(value, list | tuple):
        return [_normalise(v, f"{where}[{i}]") for i, v in enumerate(value)]
    raise EventError(f"{where}: {type(value).__name__} is not a JSON value")


def _is_decimal(s: object) -> bool:
    if not isinstance(s, str) or not _DECIMAL.fullmatch(s):
        return False
    try:
        Decimal(s)
    except InvalidOperation:  # pragma: no cover - the regex already guards
        return False
    return True


def _check_fields(type_: str, data: dict[str, Any]) -> None:
    for name in REQUIRED[type_]:
        if data.get(name) in (None, ""):
            raise EventError(f"a {type_} event needs the field {name!r}")
    for name in ("sha256", "object", "source_sha256"):
        if name in data and (not isinstance(data[name], str) or not _HEX64.fullmatch(data[name])):
            raise EventError(f"{name} must be 64 lower-case hexadecimal digits")
    if type_ == "issued" and "verdict" in data and data["verdict"] not in VERDICTS:
        raise EventError(f"verdict must be one of {', '.join(VERDICTS)}")
    for name in ("date", "tax_until", "commercial_until"):
        if name in data and (not isinstance(data[name], str) or not _DATE.fullmatch(data[name])):
            raise EventError(f"{name} must be a date YYYY-MM-DD")
    if type_ == "status":
        code = data["code"]
        if isinstance(code, int):
            code = data["code"] = str(code)
        if not isinstance(code, str) or not _CODE.fullmatch(code):
            raise EventError("a status code is three digits (200-213, 214, 220...)")
        reasons = data.get("reasons")
        if reasons is not None:
            if isinstance(reasons, str):
                data["reasons"] = reasons = [r for r in reasons.split(",") if r]
            if not isinstance(reasons, list) or not all(isinstance(r, str) for r in reasons):
                raise EventError("reasons must be a list of reason codes")
        amounts = data.get("amounts")
        if amounts is not None:
            if not isinstance(amounts, list):
                raise EventError("amounts must be a list of {amount, vat_rate, currency}")
            for a in amounts:
                if not isinstance(a, dict) or not _is_decimal(a.get("amount")):
                    raise EventError("each amount needs a decimal string 'amount' such as '120.50'")
                if "vat_rate" in a and not _is_decimal(a["vat_rate"]):
                    raise EventError("vat_rate must be a decimal string such as '20.00'")


@dataclass(frozen=True, slots=True)
class Event:
    """One thing that happened to one invoice, ready to be logged.

    Build it with `Event.new` (which checks and normalises) rather than the constructor.
    """

    event_id: str
    invoice: str
    type: str
    at: str
    data: dict[str, Any] = field(default_factory=dict)
    #: set by `Event.new` once the data was checked against the restricted JSON model
    checked: bool = field(default=False, repr=False, compare=False)

    @classmethod
    def new(
        cls,
        invoice: str,
        type: str,
        fields: Mapping[str, Any] | None = None,
        *,
        event_id: str | None = None,
        at: str | None = None,
    ) -> Event:
        """A checked event; raises `EventError` when it is malformed."""
        invoice = _key("invoice", invoice)
        if type not in EVENT_TYPES:
            raise EventError(
                f"unknown event type {type!r}; expected one of {', '.join(EVENT_TYPES)}"
            )
        event_id = _key("event_id", event_id) if event_id is not None else new_event_id()
        if at is None:
            at = now_rfc3339()
        elif not isinstance(at, str) or not _RFC3339.fullmatch(at):
            raise EventError("at must be an RFC 3339 time such as 2026-11-26T13:00:00Z")
        data = _normalise(dict(fields or {}), "fields")
        _check_fields(type, data)
        try:
            check_restricted(data)
        except CanonicalError as exc:
            raise EventError(str(exc)) from exc
        if len(repr(data)) > MAX_DATA_BYTES:
            raise EventError(f"fields larger than {MAX_DATA_BYTES} bytes")
        return cls(event_id=event_id, invoice=invoice, type=type, at=at, data=data, checked=True)

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> Event:
        """An event from one batch line: ``{"event_id", "invoice", "type", ...fields}``."""
        if not isinstance(obj, Mapping):
            raise EventError("a batch line must be a JSON object")
        fields = {k: v for k, v in obj.items() if k not in ENVELOPE_KEYS}
        if "data" in fields and isinstance(fields["data"], Mapping) and len(fields) == 1:
            fields = dict(fields["data"])
        return cls.new(
            obj.get("invoice"),  # type: ignore[arg-type]
            obj.get("type"),  # type: ignore[arg-type]
            fields,
            event_id=obj.get("event_id"),
            at=obj.get("at"),
        )
