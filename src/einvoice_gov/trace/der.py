"""The small part of ASN.1 DER that RFC 3161 timestamps need: read and write TLVs.

Reading is strict where it matters for signatures (definite lengths only, minimal length
encodings, no trailing bytes) and keeps each element's exact bytes (`Tlv.raw`), which is what
a CMS signature covers. Writing builds requests and, in tests, a small timestamp authority.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Final

__all__ = [
    "DerError",
    "Tlv",
    "boolean",
    "context",
    "explicit",
    "generalized_time",
    "integer",
    "null",
    "octet_string",
    "oid",
    "parse",
    "sequence",
    "set_of",
    "tlv",
]

# universal tags (class 0)
BOOLEAN: Final = 0x01
INTEGER: Final = 0x02
BIT_STRING: Final = 0x03
OCTET_STRING: Final = 0x04
NULL: Final = 0x05
OID: Final = 0x06
UTF8_STRING: Final = 0x0C
SEQUENCE: Final = 0x30
SET: Final = 0x31
PRINTABLE_STRING: Final = 0x13
IA5_STRING: Final = 0x16
UTC_TIME: Final = 0x17
GENERALIZED_TIME: Final = 0x18

_MAX_DEPTH: Final = 32


class DerError(ValueError):
    """The bytes are not the DER this module reads."""


@dataclass(frozen=True)
class Tlv:
    """One element: its identifier octet, its content and its exact encoding."""

    tag: int  # the identifier octet (class, constructed bit, number < 31)
    value: bytes
    raw: bytes

    @property
    def constructed(self) -> bool:
        return bool(self.tag & 0x20)

    @property
    def context_number(self) -> int | None:
        """n for a context-specific tag ``[n]``, else None."""
        return self.tag & 0x1F if self.tag & 0xC0 == 0x80 else None

    def children(self) -> list[Tlv]:
        """The elements inside a constructed element."""
        if not self.constructed:
            raise DerError(f"element 0x{self.tag:02x} is not constructed")
        return list(_read_all(self.value, 1))

    def expect(self, tag: int) -> Tlv:
        if self.tag != tag:
            raise DerError(f"expected tag 0x{tag:02x}, found 0x{self.tag:02x}")
        return self

    def as_int(self) -> int:
        self.expect(INTEGER)
        v = self.value
        if not v:
            raise DerError("empty INTEGER")
        if len(v) > 1 and ((v[0] == 0 and v[1] < 0x80) or (v[0] == 0xFF and v[1] >= 0x80)):
            raise DerError("INTEGER not minimally encoded")
        return int.from_bytes(v, "big", signed=True)

    def as_oid(self) -> str:
        self.expect(OID)
        v = self.value
        if not v or v[-1] & 0x80:
            raise DerError("bad OBJECT IDENTIFIER")
        arcs: list[int] = []
        n = 0
        first = True
        for i, b in enumerate(v):
            if n == 0 and b == 0x80 and (i == 0 or not v[i - 1] & 0x80):
                raise DerError("OBJECT IDENTIFIER arc not minimally encoded")
            n = n << 7 | b & 0x7F
            if not b & 0x80:
                if first:
                    a = min(n // 40, 2)
                    arcs += [a, n - 40 * a]
                    first = False
                else:
                    arcs.append(n)
                n = 0
        return ".".join(map(str, arcs))

    def as_bytes(self) -> bytes:
        return self.expect(OCTET_STRING).value

    def as_bool(self) -> bool:
        self.expect(BOOLEAN)
        if self.value not in (b"\x00", b"\xff"):
            raise DerError("BOOLEAN not DER")
        return self.value == b"\xff"

    def as_time(self) -> datetime:
        """A GeneralizedTime ``YYYYMMDDHHMMSS[.f]Z`` (RFC 3161 genTime) or UTCTime, in UTC."""
        text = self.value.decode("ascii", "replace")
        if self.tag == GENERALIZED_TIME:
            if not text.endswith("Z") or len(text) < 15:
                raise DerError(f"GeneralizedTime {text!r} is not UTC (…Z)")
            main, _, frac = text[:-1].partition(".")
            if frac and (not frac.isdigit() or frac.endswith("0")):
                raise DerError(f"GeneralizedTime {text!r}: bad fraction")
            try:
                t = datetime.strptime(main, "%Y%m%d%H%M%S").replace(tzinfo=UTC)
            except ValueError as exc:
                raise DerError(f"bad GeneralizedTime {text!r}") from exc
            if frac:
                t = t.replace(microsecond=int((frac + "000000")[:6]))
            return t
        if self.tag == UTC_TIME:
            try:
                t = datetime.strptime(text, "%y%m%d%H%M%SZ").replace(tzinfo=UTC)
            except ValueError as exc:
                raise DerError(f"bad UTCTime {text!r}") from exc
            return t
        raise DerError(f"expected a time, found tag 0x{self.tag:02x}")


def _read(data: bytes, pos: int, depth: int) -> tuple[Tlv, int]:
    if depth > _MAX_DEPTH:
        raise DerError("nested too deep")
    if pos + 2 > len(data):
        raise DerError("truncated element")
    start = pos
    tag = data[pos]
    if tag & 0x1F == 0x1F:
        raise DerError("high tag numbers are not supported")
    length = data[pos + 1]
    pos += 2
    if length & 0x80:
        n = length & 0x7F
        if n == 0:
            raise DerError("indefinite length is not DER")
        if n > 4 or pos + n > len(data):
            raise DerError("bad length")
        length = int.from_bytes(data[pos : pos + n], "big")
        if length < 0x80 or data[pos] == 0:
            raise DerError("length not minimally encoded")
        pos += n
    end = pos + length
    if end > len(data):
        raise DerError("truncated element")
    return Tlv(tag, data[pos:end], data[start:end]), end


def _read_all(data: bytes, depth: int) -> Iterator[Tlv]:
    pos = 0
    while pos < len(data):
        t, pos = _read(data, pos, depth)
        if t.constructed:  # check the inside now: errors surface at parse time
            list(_read_all(t.value, depth + 1))
        yield t


def parse(data: bytes) -> Tlv:
    """The single element that ``data`` holds (nothing before or after it)."""
    t, end = _read(data, 0, 0)
    if end != len(data):
        raise DerError("bytes after the element")
    if t.constructed:
        list(_read_all(t.value, 1))
    return t


# -- writing ------------------------------------------------------------------------------------


def tlv(tag: int, value: bytes) -> bytes:
    n = len(value)
    if n < 0x80:
        return bytes((tag, n)) + value
    ln = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes((tag, 0x80 | len(ln))) + ln + value


def sequence(*items: bytes) -> bytes:
    return tlv(SEQUENCE, b"".join(items))


def set_of(items: Iterable[bytes]) -> bytes:
    """A SET OF, its elements in DER order (sorted by their encodings)."""
    return tlv(SET, b"".join(sorted(items)))


def integer(n: int) -> bytes:
    size = (n if n >= 0 else ~n).bit_length() // 8 + 1  # minimal two's complement
    return tlv(INTEGER, n.to_bytes(size, "big", signed=True))


def boolean(b: bool) -> bytes:
    return tlv(BOOLEAN, b"\xff" if b else b"\x00")


def null() -> bytes:
    return tlv(NULL, b"")


def octet_string(b: bytes) -> bytes:
    return tlv(OCTET_STRING, b)


def oid(dotted: str) -> bytes:
    arcs = [int(a) for a in dotted.split(".")]
    if len(arcs) < 2:
        raise DerError(f"bad OBJECT IDENTIFIER {dotted!r}")
    out = bytearray()
    for n in [40 * arcs[0] + arcs[1], *arcs[2:]]:
        chunk = [n & 0x7F]
        n >>= 7
        while n:
            chunk.append(0x80 | n & 0x7F)
            n >>= 7
        out += bytes(reversed(chunk))
    return tlv(OID, bytes(out))


def generalized_time(t: datetime) -> bytes:
    t = t.astimezone(UTC)
    text = t.strftime("%Y%m%d%H%M%S")
    if t.microsecond:
        text += "." + f"{t.microsecond:06d}".rstrip("0")
    return tlv(GENERALIZED_TIME, (text + "Z").encode())


def explicit(n: int, inner: bytes) -> bytes:
    """``[n] EXPLICIT`` around an encoded element."""
    return tlv(0xA0 | n, inner)


def context(n: int, value: bytes, *, constructed: bool = False) -> bytes:
    """``[n] IMPLICIT`` with the given content bytes."""
    return tlv((0xA0 if constructed else 0x80) | n, value)
