"""RFC 8785 JSON Canonicalization Scheme (JCS), written for the trace.

`dumps(value) -> bytes` is the full scheme: I-JSON values only (strings without lone
surrogates, integers and floats representable as IEEE 754 doubles, no NaN/Infinity, string
keys), object members sorted by the UTF-16 code units of their names, no whitespace, strings
escaped as ECMAScript ``JSON.stringify`` does, numbers formatted as ECMAScript
``Number.prototype.toString``.

`dumps_restricted(value) -> bytes` is the fast path used for log entries: it accepts only the
event data model (no floats, ASCII member names, integers within ±(2^53-1)), which it checks,
and then serialises with the C-accelerated ``json`` encoder. Inside that model sorted-key
``json.dumps`` yields exactly the JCS bytes; a property test checks the equality.
"""

from __future__ import annotations

import json
import math
from json.encoder import encode_basestring
from typing import Any

__all__ = ["MAX_SAFE_INTEGER", "CanonicalError", "dumps", "dumps_restricted", "encode_string"]

#: the largest integer an IEEE 754 double represents exactly (ECMAScript Number.MAX_SAFE_INTEGER)
MAX_SAFE_INTEGER = 2**53 - 1


class CanonicalError(ValueError):
    """The value cannot be represented in RFC 8785 canonical JSON (or our restricted model)."""


def encode_string(s: str) -> str:
    """A JSON string literal as JCS writes it (only ``"``, ``\\`` and U+0000-U+001F escaped).

    Raises `CanonicalError` for lone surrogates, which are not valid I-JSON.
    """
    out: str = encode_basestring(s)
    if _has_surrogate(s):
        raise CanonicalError("string contains a lone surrogate (not I-JSON)")
    return out


def _has_surrogate(s: str) -> bool:
    try:
        s.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _number(x: float) -> str:
    """ECMAScript Number::toString for a finite double (RFC 8785 §3.2.2.3)."""
    if math.isnan(x) or math.isinf(x):
        raise CanonicalError("NaN and Infinity are not allowed in JSON")
    if x == 0:
        return "0"  # also -0
    sign = "-" if x < 0 else ""
    r = repr(abs(x))  # shortest round-trip digits, as ECMAScript requires
    mantissa, _, exp_part = r.partition("e")
    int_part, _, frac_part = mantissa.partition(".")
    all_digits = int_part + frac_part
    stripped = all_digits.lstrip("0")
    # value = 0.<digits> x 10^point
    point = len(int_part) + (int(exp_part) if exp_part else 0) - (len(all_digits) - len(stripped))
    digits = stripped.rstrip("0")
    k = len(digits)
    n = point
    if k <= n <= 21:
        body = digits + "0" * (n - k)
    elif 0 < n <= 21:
        body = digits[:n] + "." + digits[n:]
    elif -6 < n <= 0:
        body = "0." + "0" * (-n) + digits
    else:
        e = n - 1
        esign = "+" if e >= 0 else "-"
        body = digits[0] + ("." + digits[1:] if k > 1 else "") + "e" + esign + str(abs(e))
    return sign + body


def _key(name: str) -> bytes:
    return name.encode("utf-16-be", "surrogatepass")


def _write(value: Any, out: list[str]) -> None:
    if value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, str):
        out.append(encode_string(value))
    elif isinstance(value, int):
        if abs(value) > MAX_SAFE_INTEGER:
            raise CanonicalError(f"integer {value} is outside the I-JSON range ±(2^53-1)")
        out.append(str(int(value)))
    elif isinstance(value, float):
        out.append(_number(value))
    elif isinstance(value, dict):
        for k in value:
            if not isinstance(k, str):
                raise CanonicalError(f"object member name {k!r} is not a string")
        out.append("{")
        first = True
        for k in sorted(value, key=_key):
            if not first:
                out.append(",")
            first = False
            out.append(encode_string(k))
            out.append(":")
            _write(value[k], out)
        out.append("}")
    elif isinstance(value, list | tuple):
        out.append("[")
        for i, item in enumerate(value):
            if i:
                out.append(",")
            _write(item, out)
        out.append("]")
    else:
        raise CanonicalError(f"{type(value).__name__} is not a JSON value")


def dumps(value: Any) -> bytes:
    """RFC 8785 canonical JSON bytes (UTF-8) of a JSON value."""
    out: list[str] = []
    _write(value, out)
    return "".join(out).encode("utf-8")


def _check_restricted(value: Any, depth: int = 0) -> None:
    if depth > 32:
        raise CanonicalError("nesting deeper than 32 levels")
    if value is None or value is True or value is False or isinstance(value, str):
        return
    if isinstance(value, int):
        if abs(value) > MAX_SAFE_INTEGER:
            raise CanonicalError(f"integer {value} is outside ±(2^53-1)")
        return
    if isinstance(value, float):
        raise CanonicalError("floats are not allowed: write amounts as decimal strings")
    if isinstance(value, dict):
        for k, v in value.items():
            if not isinstance(k, str) or not k.isascii():
                raise CanonicalError(f"member name {k!r} must be an ASCII string")
            _check_restricted(v, depth + 1)
        return
    if isinstance(value, list | tuple):
        for v in value:
            _check_restricted(v, depth + 1)
        return
    raise CanonicalError(f"{type(value).__name__} is not a JSON value")


_ENCODER = json.JSONEncoder(
    ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False
)


def dumps_restricted(value: Any, *, checked: bool = False) -> bytes:
    """Canonical bytes of a value of the restricted model (see module doc).

    With ``checked=True`` the caller asserts the value was already checked (the event layer
    checks its data once); the output is identical either way.
    """
    if not checked:
        _check_restricted(value)
    try:
        return _ENCODER.encode(value).encode("utf-8")
    except UnicodeEncodeError as exc:
        raise CanonicalError("string contains a lone surrogate (not I-JSON)") from exc


def check_restricted(value: Any) -> None:
    """Raise `CanonicalError` unless the value belongs to the restricted model."""
    _check_restricted(value)
