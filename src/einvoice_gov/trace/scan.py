"""One pass over stored entries: every hash, link and indexed column, and the Merkle blocks.

`Scanner` checks entries in seq order and keeps what the next entry needs (its position, the
previous hash, the last hash of every invoice). It takes entries two ways:

- `Scanner.block` — a `RawBlock`: a few thousand rows read in one query as a handful of
  joined byte strings (see `Store.blocks`). The checks are then done with bulk operations of
  the standard library (split, join, compare, dictionary maps), with one SHA-256 per entry as
  the only per-entry work in Python bytecode. When a block does not pass, or uses something
  the bulk path does not handle (a column that JSON has to escape, a missing row), `block`
  returns False and leaves the state untouched: the caller then hands the same rows to
- `Scanner.rows` — the reference, row by row, which locates the first bad entry and raises
  `Bad` with its position and reason.

Both check the same facts, per entry ``pos`` (see docs/decisions/0105): a row exists at
``seq = pos``; ``SHA-256(0x00 ‖ bytes)`` equals the stored ``hash``; the stored ``prev`` is
the previous entry's hash; the entry ends with the exact envelope expected at that position —
``"event_id"``, ``"invoice"`` and ``"type"`` equal to the stored columns (JSON-escaped),
``"inv_prev"`` the hash of the invoice's previous entry (``null`` for its first), ``"log"``
this log's origin, ``"prev"`` the previous entry's hash, ``"seq"`` the position, ``"v"`` the
format version. Text columns are compared as their UTF-8 bytes (the SQLite storage class of a
value is not part of the log). The bulk path only ever accepts a block that the row path
accepts; tests compare the two on random tampering.
"""

from __future__ import annotations

import os
import struct
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from hashlib import sha256
from itertools import repeat
from json.encoder import encode_basestring
from typing import Any, Final, NoReturn

from einvoice_gov.trace.chain import FORMAT_VERSION
from einvoice_gov.trace.stores import RawBlock

__all__ = [
    "BLOCK",
    "CHUNK",
    "Bad",
    "Range",
    "Scanner",
    "fold",
    "perfect_nodes",
]


class Bad(Exception):
    """The first bad entry: position (or None for a log-wide problem), code and reason."""

    def __init__(self, seq: int | None, code: str, reason: str) -> None:
        super().__init__(reason)
        self.seq, self.code, self.reason = seq, code, reason


#: Merkle blocks: verification keeps the roots of aligned blocks of this many leaves, never
#: the whole list of leaves, and parallel workers split the log on these boundaries (a power
#: of two; ``EINVOICE_TRACE_VERIFY_BLOCK`` overrides it, for tests of the stitching)
BLOCK = int(os.environ.get("EINVOICE_TRACE_VERIFY_BLOCK", 1 << 16))
if BLOCK < 2 or BLOCK & (BLOCK - 1):  # pragma: no cover - a misconfiguration
    raise ValueError("EINVOICE_TRACE_VERIFY_BLOCK must be a power of two")

#: rows per read (`Store.blocks`); ``EINVOICE_TRACE_VERIFY_CHUNK`` overrides it (tests use
#: small chunks so that a small log spans many of them)
CHUNK = int(os.environ.get("EINVOICE_TRACE_VERIFY_CHUNK", 2048))

_H0: Final = sha256(b"\x00")  # leaf prefix, copied for each entry (cheaper than a new hash)
_H1: Final = sha256(b"\x01")  # interior node prefix
NULL: Final = b"null"
#: bytes a JSON string must escape: a column holding one is left to the row path
_UNSAFE: Final = bytes(range(32)) + b'"\\'
_MARK: Final = b',"event_id":"'


class _Unknown(bytes):
    """The inv_prev of an invoice first seen in a parallel worker's range (claimed, unchecked)."""


_UNKNOWN: Final = _Unknown(b"?")


def _level(hs: list[bytes]) -> list[bytes]:
    """One Merkle level up: ``SHA-256(0x01 ‖ left ‖ right)`` of each pair."""
    copy = _H1.copy
    out: list[bytes] = []
    app = out.append
    for a, b in zip(hs[0::2], hs[1::2], strict=True):
        h = copy()
        h.update(a)
        h.update(b)
        app(h.digest())
    return out


def perfect_nodes(leaves: list[bytes], size: int) -> list[bytes]:
    """Roots of the perfect subtrees that make up ``leaves[0:size]`` (set bits of size)."""
    nodes: list[bytes] = []
    start = 0
    for lvl in range(size.bit_length() - 1, -1, -1):
        if size >> lvl & 1:
            level = leaves[start : start + (1 << lvl)]
            while len(level) > 1:
                level = _level(level)
            nodes.append(level[0])
            start += 1 << lvl
    return nodes


def fold(nodes: list[bytes]) -> bytes:
    """The root over perfect subtree roots listed left to right (RFC 9162 split rule)."""
    r = nodes[-1]
    for h in reversed(nodes[:-1]):
        r = sha256(b"\x01" + h + r).digest()
    return r


@dataclass
class Range:
    """What one pass over ``[start, start + count)`` found (what parallel workers report)."""

    start: int
    count: int = 0
    first_prev: bytes | None = None  # prev column of the first entry (to stitch ranges)
    last_hash: bytes | None = None
    blocks: list[bytes] = field(default_factory=list)  # roots of complete aligned blocks
    partial: dict[int, list[bytes]] = field(default_factory=dict)  # size -> tail nodes
    #: invoice (UTF-8) -> its last hash as a JSON string (``b'"<hex>"'``)
    inv_last: dict[bytes, bytes] = field(default_factory=dict)
    #: worker only: invoice -> (seq, inv_prev claimed by its first entry in the range)
    claims: dict[bytes, tuple[int, bytes]] = field(default_factory=dict)


@lru_cache(maxsize=8)
def _offsets(n: int) -> bytes:
    return ",".join(map(str, range(n))).encode()


@lru_cache(maxsize=8)
def _structs(n: int) -> tuple[struct.Struct, struct.Struct]:
    return struct.Struct("64s" * n), struct.Struct("66s" * n)


def _plain(col: bytes, n: int) -> bool:
    """Whether a column holds n LF-separated values that JSON writes without escapes."""
    return col.count(b"\n") == n - 1 and len(col.translate(None, _UNSAFE)) == len(col) - n + 1


def _utf8(value: Any) -> bytes:
    """A stored text or blob value as bytes (TypeError for numbers, NULL...)."""
    if isinstance(value, bytes):
        return value
    if isinstance(value, str):
        return value.encode("utf-8", "surrogateescape")
    if isinstance(value, bytearray | memoryview):
        return bytes(value)
    raise TypeError(type(value).__name__)


def _json(value: bytes) -> bytes:
    """The JSON string of a UTF-8 column, as the writer serialised it."""
    text = value.decode("utf-8", "surrogateescape")
    return encode_basestring(text).encode("utf-8", "surrogateescape")


class _Merkle:
    """Leaf hashes of the current aligned block; roots of the finished ones."""

    def __init__(self, start: int, sizes: Iterable[int]) -> None:
        self.pos = start
        self.cur: list[bytes] = []
        self.blocks: list[bytes] = []
        self.partial: dict[int, list[bytes]] = {}
        self.sizes = sorted(s for s in set(sizes) if s % BLOCK and s > start)

    def add(self, leaves: list[bytes]) -> None:
        i, m = 0, len(leaves)
        while i < m:
            room = BLOCK - len(self.cur)
            take = leaves if (i == 0 and m <= room) else leaves[i : i + room]
            self.cur += take
            new = self.pos + len(take)
            sizes = self.sizes
            while sizes and sizes[0] <= new:
                s = sizes.pop(0)
                self.partial[s] = perfect_nodes(self.cur, len(self.cur) - (new - s))
            self.pos = new
            i += len(take)
            if len(self.cur) == BLOCK:
                self.blocks.append(perfect_nodes(self.cur, BLOCK)[0])
                self.cur = []


class Scanner:
    """Checks entries from ``start`` on, in order (see module doc).

    ``prev``: hash of entry ``start - 1`` (zeros for 0). ``inv_last``: the last hash of every
    invoice before ``start`` (as `Range.inv_last`); None in a parallel worker, which then
    records what each invoice's first entry in its range claims as ``inv_prev``, for the
    caller to check. ``checkpoint_sizes``: the sizes whose Merkle root is wanted. ``start``
    must be a multiple of `BLOCK`.
    """

    def __init__(
        self,
        origin: str,
        start: int,
        prev: bytes,
        inv_last: dict[bytes, bytes] | None,
        checkpoint_sizes: Iterable[int] = (),
    ) -> None:
        self.origin = origin
        self.start = self.pos = start
        self.prev = prev
        self.worker = inv_last is None
        self.last: dict[bytes, bytes] = {} if inv_last is None else inv_last
        self.claims: dict[bytes, tuple[int, bytes]] = {}
        self.first_prev: bytes | None = None
        self.merkle = _Merkle(start, checkpoint_sizes)
        o = encode_basestring(origin).encode("utf-8", "surrogateescape")
        self._log = b',"log":' + o + b',"prev":"'
        self._tail = b',"v":' + str(FORMAT_VERSION).encode() + b"}"
        # the envelope pieces between the values, for the bulk path (values unquoted)
        self._c = (
            _MARK,
            b'","inv_prev":',
            b',"invoice":"',
            b'"' + self._log,
            b'","seq":',
            b',"type":"',
            b'"' + self._tail,
        )
        self._types: dict[bytes, bytes] = {}

    # -- the bulk path ----------------------------------------------------------------------

    def block(self, blk: RawBlock, want: int) -> bool:
        """Check ``want`` entries from ``blk``; False (state unchanged) if the rows path must."""
        n = blk.rows
        if n != want or n < 1 or blk.start != self.pos or not blk.sizes_ok:
            return False
        if blk.order != _offsets(n) or blk.bodies.count(b"\x00") != n - 1:
            return False
        c0, c1, c2, c3, c4, c5, c6 = self._c
        ids, invs, types = blk.event_ids, blk.invoices, blk.types
        if not (_plain(ids, n) and _plain(invs, n) and _plain(types, n)):
            return False
        # the envelope pieces around each value, joined in C: ids_w[i] = c0 + id + c1...
        ids_w = (c0 + ids.replace(b"\n", c1 + b"\n" + c0) + c1).split(b"\n")
        invs_w = (c2 + invs.replace(b"\n", c3 + b"\n" + c2) + c3).split(b"\n")
        types_w = (types.replace(b"\n", c6 + b"\n") + c6).split(b"\n")
        seqs_w = ((c4 + b"%d" + c5 + b"\n") * n % tuple(range(self.pos, self.pos + n)))[:-1]
        inv_keys = invs.split(b"\n")
        parts = blk.bodies.split(b"\x00")
        copy = _H0.copy
        digests: list[bytes] = []
        app = digests.append
        for body in parts:
            h = copy()
            h.update(body)
            app(h.digest())
        joined = b"".join(digests)
        if joined != blk.hashes:
            return False
        linked = self.prev + joined
        if blk.prevs != linked[:-32]:
            return False
        st64, st66 = _structs(n)
        hexes = linked.hex().encode()
        prevs_hex = st64.unpack_from(hexes)
        quoted = st66.unpack(b'"' + b'""'.join(st64.unpack_from(hexes, 64)) + b'"')
        last = self.last
        default = _UNKNOWN if self.worker else NULL
        # inv_prev of each entry, updating the invoices' last hash as it goes (in C: zip
        # pulls one get, then one set, per entry)
        xs = [
            g
            for g, _ in zip(
                map(last.get, inv_keys, repeat(default)),
                map(last.__setitem__, inv_keys, quoted),
                strict=True,
            )
        ]
        seqs = seqs_w.split(b"\n")
        claims: dict[bytes, tuple[int, bytes]] = {}
        before = xs
        ok = True
        if self.worker and _UNKNOWN in xs:
            xs = xs[:]
            ok = self._claims(parts, inv_keys, invs_w, types_w, prevs_hex, seqs, xs, claims)
        expected = map(b"".join, zip(ids_w, xs, invs_w, prevs_hex, seqs, types_w, strict=True))
        if not ok or not all(map(bytes.endswith, parts, expected)):
            # undo the invoices' last hashes (reverse order: the earliest value wins)
            for inv, x in zip(reversed(inv_keys), reversed(before), strict=True):
                if x is default:
                    last.pop(inv, None)
                else:
                    last[inv] = x
            return False
        if self.first_prev is None:
            self.first_prev = self.prev
        self.claims.update(claims)
        self.merkle.add(digests)
        self.prev = digests[-1]
        self.pos += n
        return True

    def _claims(
        self,
        parts: list[bytes],
        inv_keys: list[bytes],
        invs_w: list[bytes],
        types_w: list[bytes],
        prevs_hex: tuple[bytes, ...],
        seqs: list[bytes],
        xs: list[bytes],
        claims: dict[bytes, tuple[int, bytes]],
    ) -> bool:
        """Worker: read the inv_prev each invoice's first entry in the range claims."""
        for i, x in enumerate(xs):
            if x is not _UNKNOWN:
                continue
            after = invs_w[i] + prevs_hex[i] + seqs[i] + types_w[i]
            body = parts[i]
            if not body.endswith(after):
                return False
            # the same reading as the row path: "null", else the 66 bytes of a JSON hash
            cut = len(body) - len(after)
            xs[i] = NULL if body[cut - 4 : cut] == NULL else body[cut - 66 : cut]
            claims[inv_keys[i]] = (self.pos + i, xs[i])
        return True

    # -- the row path -------------------------------------------------------------------------

    def rows(self, rows: Iterable[tuple[Any, ...]]) -> None:
        """Check raw rows ``(seq, event_id, invoice, type, prev, hash, body)`` one by one.

        Raises `Bad` at the first problem. Text columns may be str or UTF-8 bytes.
        """
        last = self.last
        leaves: list[bytes] = []
        try:
            for row in rows:
                pos = self.pos
                try:
                    seq, eid, inv, typ, prev_col, h, body = row
                    if seq != pos:
                        raise Bad(
                            pos,
                            "entry_missing",
                            f"entry {pos} is missing (the next stored entry is {seq})",
                        )
                    body = _utf8(body)
                    lh = sha256(b"\x00" + body).digest()
                    if lh != h:
                        raise Bad(
                            pos, "hash_mismatch", f"entry {pos}: its bytes do not match its hash"
                        )
                    eid, inv, typ = _utf8(eid), _utf8(inv), _utf8(typ)
                    jt = self._types.get(typ)
                    if jt is None:
                        jt = self._types[typ] = _json(typ)
                    after = (
                        b',"invoice":'
                        + _json(inv)
                        + self._log
                        + self.prev.hex().encode()
                        + b'","seq":'
                        + str(pos).encode()
                        + b',"type":'
                        + jt
                        + self._tail
                    )
                    x = last.get(inv)
                    if x is None:
                        x = NULL
                        if self.worker:
                            # the invoice's first entry in this range: read what it claims;
                            # the caller checks the claim against the earlier ranges
                            cut = len(body) - len(after)
                            if body[cut - 4 : cut] != NULL:
                                x = body[cut - 66 : cut]
                            self.claims[inv] = (pos, x)
                    expected = b',"event_id":' + _json(eid) + b',"inv_prev":' + x + after
                    if not body.endswith(expected) or prev_col != self.prev:
                        code, reason = explain_entry(row, pos, self.origin, self.prev, x)
                        # a broken link: the entry before it changed after being linked to
                        raise Bad(pos - 1 if code == "chain_broken" else pos, code, reason)
                except (TypeError, ValueError, AttributeError, UnicodeError):
                    _unreadable(row, pos)
                if self.first_prev is None:
                    self.first_prev = prev_col
                leaves.append(lh)
                last[inv] = b'"' + lh.hex().encode() + b'"'
                self.prev = lh
                self.pos = pos + 1
        finally:
            if leaves:
                self.merkle.add(leaves)

    # -- the result ---------------------------------------------------------------------------

    def result(self) -> Range:
        m = self.merkle
        count = self.pos - self.start
        return Range(
            start=self.start,
            count=count,
            first_prev=self.first_prev,
            last_hash=self.prev if count else None,
            blocks=m.blocks,
            partial=m.partial,
            inv_last=self.last,
            claims=self.claims,
        )


def _unreadable(row: tuple[Any, ...], pos: int) -> NoReturn:
    """Raise `Bad` for a row whose columns do not have the stored types (edited by hand)."""
    seq, invoice, body = row[0], row[2], row[6]
    if seq != pos:
        raise Bad(pos, "entry_missing", f"entry {pos} is missing (the next stored entry is {seq})")
    raise Bad(
        pos,
        "entry_unreadable",
        f"entry {pos}: stored columns have unexpected types "
        f"(body {type(body).__name__}, invoice {type(invoice).__name__})",
    )


def explain_entry(
    row: tuple[Any, ...], pos: int, origin: str, prev: bytes, inv_prev: bytes | None
) -> tuple[str, str]:
    """(code, reason) for an entry whose envelope does not match what its position expects.

    ``inv_prev``: the expected inv_prev as written in JSON (``b'"<hex>"'`` or ``b"null"``).
    """
    import json

    _seq, eid, inv, typ, prev_col, _h, body = row
    cols = {
        "event_id": _utf8(eid).decode("utf-8", "surrogateescape"),
        "invoice": _utf8(inv).decode("utf-8", "surrogateescape"),
        "type": _utf8(typ).decode("utf-8", "surrogateescape"),
    }
    try:
        doc = json.loads(_utf8(body))
    except ValueError:
        return "entry_unreadable", f"entry {pos} is not valid JSON"
    if not isinstance(doc, dict):
        return "entry_unreadable", f"entry {pos} is not a JSON object"
    if doc.get("seq") != pos:
        return (
            "entry_moved",
            f"entry at position {pos} says it is entry {doc.get('seq')!r} "
            "(entries deleted, inserted or swapped)",
        )
    if doc.get("prev") != prev.hex():
        return (
            "chain_broken",
            f"entry {pos} does not link to entry {pos - 1}: entry {pos - 1} was changed "
            f"after entry {pos} was written (or the link of entry {pos} was edited)",
        )
    if prev_col != prev:
        return "column_mismatch", f"entry {pos}: the stored prev column differs from the entry"
    for col, value in cols.items():
        if doc.get(col) != value:
            return (
                "column_mismatch",
                f"entry {pos}: the stored {col} column ({value!r}) differs from "
                f"the entry ({doc.get(col)!r})",
            )
    want_ip = None
    if inv_prev is not None and inv_prev != NULL:
        want_ip = inv_prev[1:-1].decode("ascii", "replace")
    if doc.get("inv_prev") != want_ip:
        return (
            "invoice_chain_broken",
            f"entry {pos} does not link to the previous entry of invoice {cols['invoice']!r}",
        )
    if doc.get("log") != origin:
        return "wrong_log", f"entry {pos} belongs to another log ({doc.get('log')!r})"
    if doc.get("v") != FORMAT_VERSION:
        return "unsupported_version", f"entry {pos} has format version {doc.get('v')!r}"
    return "not_canonical", f"entry {pos} is not in canonical form"
