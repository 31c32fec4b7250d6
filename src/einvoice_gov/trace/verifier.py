"""Full verification of a log: every entry, every link, every checkpoint, in one pass.

For each stored row, in seq order:

1. ``seq`` is the next position (a gap means a deleted or moved entry);
2. ``SHA-256(0x00 ‖ bytes)`` equals the stored hash (any changed byte);
3. the stored ``prev`` column equals the hash of the previous entry;
4. the entry ends with the exact envelope suffix expected at that position (its ``seq``,
   ``prev`` link, ``inv_prev`` link to the previous entry of the same invoice, ``log`` origin,
   and the indexed columns ``event_id``, ``invoice``, ``type``).

Then every checkpoint (from the database and from the pinned file beside the key) must carry a
valid signature of the log's key, name this log, cover no more entries than the log holds
(tail truncation) and sign the Merkle root recomputed over its first ``size`` entries.

The result locates the first bad position. `verify` never raises on tampering: it reports.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from hashlib import sha256
from json.encoder import encode_basestring
from pathlib import Path
from typing import Any, NoReturn

from einvoice_gov.trace.chain import FORMAT_VERSION, GENESIS_PREV, Row
from einvoice_gov.trace.checkpoints import (
    Checkpoint,
    CheckpointError,
    PublicKey,
    load_public_key,
    parse_note,
    pinned_path,
    read_pinned,
)
from einvoice_gov.trace.merkle import EMPTY_ROOT
from einvoice_gov.trace.stores import Store

__all__ = ["VerifyResult", "explain_entry", "verify", "verify_rows"]


@dataclass
class VerifyResult:
    """Outcome of `verify`; ``as_dict()`` is the JSON of ``trace verify --format json``."""

    ok: bool
    entries: int
    first_bad: int | None = None
    reason: str | None = None
    code: str | None = None
    head: str | None = None
    checkpoints: int = 0
    latest_checkpoint: int | None = None
    signatures: str = "unchecked"  # checked | unchecked
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "entries": self.entries,
            "first_bad": self.first_bad,
            "reason": self.reason,
            "code": self.code,
            "head": self.head,
            "checkpoints": self.checkpoints,
            "latest_checkpoint": self.latest_checkpoint,
            "signatures": self.signatures,
            "warnings": self.warnings,
        }


class _Bad(Exception):
    def __init__(self, seq: int | None, code: str, reason: str) -> None:
        super().__init__(reason)
        self.seq, self.code, self.reason = seq, code, reason


def explain_entry(
    row: Row, pos: int, origin: str, prev: bytes, inv_prev: bytes | None
) -> tuple[str, str]:
    """(code, reason) for an entry whose envelope does not match what its position expects."""
    import json

    try:
        doc = json.loads(row.body)
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
    if doc.get("prev") != row.prev.hex():
        return "column_mismatch", f"entry {pos}: the stored prev column differs from the entry"
    for col in ("event_id", "invoice", "type"):
        if doc.get(col) != getattr(row, col):
            return (
                "column_mismatch",
                f"entry {pos}: the stored {col} column ({getattr(row, col)!r}) differs from "
                f"the entry ({doc.get(col)!r})",
            )
    want_ip = None if inv_prev is None else inv_prev.hex()
    if doc.get("inv_prev") != want_ip:
        return (
            "invoice_chain_broken",
            f"entry {pos} does not link to the previous entry of invoice {row.invoice!r}",
        )
    if doc.get("log") != origin:
        return "wrong_log", f"entry {pos} belongs to another log ({doc.get('log')!r})"
    if doc.get("v") != FORMAT_VERSION:
        return "unsupported_version", f"entry {pos} has format version {doc.get('v')!r}"
    return "not_canonical", f"entry {pos} is not in canonical form"


#: Merkle blocks: verification keeps the roots of aligned blocks of this many leaves, never
#: the whole list of leaves, and parallel workers split the log on these boundaries (a power
#: of two; ``EINVOICE_TRACE_VERIFY_BLOCK`` overrides it, for tests of the stitching)
BLOCK = int(os.environ.get("EINVOICE_TRACE_VERIFY_BLOCK", 1 << 16))
if BLOCK < 2 or BLOCK & (BLOCK - 1):  # pragma: no cover - a misconfiguration
    raise ValueError("EINVOICE_TRACE_VERIFY_BLOCK must be a power of two")


def _perfect_nodes(leaves: list[bytes], size: int) -> list[bytes]:
    """Roots of the perfect subtrees that make up ``leaves[0:size]`` (set bits of size)."""
    nodes: list[bytes] = []
    start = 0
    for lvl in range(size.bit_length() - 1, -1, -1):
        if size >> lvl & 1:
            level = leaves[start : start + (1 << lvl)]
            while len(level) > 1:
                level = [
                    sha256(b"\x01" + a + b).digest()
                    for a, b in zip(level[0::2], level[1::2], strict=True)
                ]
            nodes.append(level[0])
            start += 1 << lvl
    return nodes


def _fold(nodes: list[bytes]) -> bytes:
    r = nodes[-1]
    for h in reversed(nodes[:-1]):
        r = sha256(b"\x01" + h + r).digest()
    return r


@dataclass
class _Range:
    """What one pass over ``[start, stop)`` found (see `scan_range`)."""

    start: int
    count: int = 0
    first_prev: bytes = GENESIS_PREV  # prev column of the first entry (to stitch ranges)
    last_hash: bytes | None = None
    blocks: list[bytes] = field(default_factory=list)  # roots of complete aligned blocks
    partial: dict[int, list[bytes]] = field(default_factory=dict)  # size -> tail nodes
    inv_last: dict[str, str] = field(default_factory=dict)
    claims: dict[str, tuple[int, str | None]] = field(default_factory=dict)


def scan_range(
    rows: Iterable[tuple[Any, ...]],
    origin: str,
    start: int,
    prev: bytes,
    inv_last: dict[str, str] | None,
    checkpoint_sizes: Sequence[int] = (),
) -> _Range:
    """Verify entries from ``start`` on (one pass over raw store rows); raise `_Bad`.

    ``prev``: hash of entry ``start - 1`` (the genesis value for 0). ``inv_last``: the last
    hash of every invoice before ``start``; None in a parallel worker, which then records
    what each invoice's first entry in the range claims as ``inv_prev``, for the caller to
    check. ``start`` must be a multiple of `BLOCK`.
    """
    enc = encode_basestring
    log_part = f',"log":{enc(origin)},"prev":"'
    worker = inv_last is None
    # invoice -> (its last hash as a JSON string, its JSON form); type -> JSON tail
    last: dict[str, tuple[str, str]] = {}
    if inv_last:
        last = {inv: (f'"{h}"', enc(inv)) for inv, h in inv_last.items()}
    types: dict[str, str] = {}
    claims: dict[str, tuple[int, str | None]] = {}
    sizes = {s for s in checkpoint_sizes if s % BLOCK}
    out = _Range(start=start)
    block: list[bytes] = []
    prev_hex = prev.hex()
    pos = start
    for row in rows:
        try:
            seq, event_id, invoice, type_, prev_col, h, body = row
            if seq != pos:
                raise _Bad(
                    pos, "entry_missing", f"entry {pos} is missing (the next stored entry is {seq})"
                )
            lh = sha256(b"\x00" + body).digest()
            if lh != h:
                raise _Bad(pos, "hash_mismatch", f"entry {pos}: its bytes do not match its hash")
            tj = types.get(type_)
            if tj is None:
                tj = types[type_] = f'{enc(type_)},"v":{FORMAT_VERSION}}}'
            st = last.get(invoice)
            if st is not None:
                ipq, inv_json = st
            else:
                inv_json = enc(invoice)
                ipq = "null"
                if worker:
                    # the invoice's first entry in this range: read what it claims as
                    # inv_prev; the caller checks the claim against the earlier ranges
                    tail = f',"invoice":{inv_json}{log_part}{prev_hex}","seq":{seq},"type":{tj}'
                    n = len(tail.encode())
                    claim: str | None = None
                    if body[-n - 4 : -n] != b"null":
                        claim = body[-n - 65 : -n - 1].decode("ascii", "replace")
                        ipq = f'"{claim}"'
                    claims[invoice] = (pos, claim)
            expected = (
                f',"event_id":{enc(event_id)},"inv_prev":{ipq},"invoice":{inv_json}'
                f'{log_part}{prev_hex}","seq":{seq},"type":{tj}'
            )
            if not body.endswith(expected.encode()) or prev_col != prev:
                try:
                    ip = None if ipq == "null" else bytes.fromhex(ipq[1:-1])
                except ValueError:  # a garbled claim: explained as a broken invoice link
                    ip = bytes(32)
                code, reason = explain_entry(Row(*row), pos, origin, prev, ip)
                # a broken link means the entry before it changed after it was linked to
                raise _Bad(pos - 1 if code == "chain_broken" else pos, code, reason)
        except (TypeError, ValueError, AttributeError):  # columns of unexpected types
            _unreadable(row, pos)
        if pos == start:
            out.first_prev = prev_col
        prev = lh
        prev_hex = lh.hex()
        last[invoice] = (f'"{prev_hex}"', inv_json)
        block.append(lh)
        pos += 1
        if len(block) == BLOCK:
            out.blocks.append(_perfect_nodes(block, BLOCK)[0])
            block = []
        elif pos in sizes:
            out.partial[pos] = _perfect_nodes(block, len(block))
    out.count = pos - start
    out.last_hash = prev if out.count else None
    out.inv_last = {inv: ipq[1:-1] for inv, (ipq, _) in last.items()}
    out.claims = claims
    return out


def _unreadable(row: tuple[Any, ...], pos: int) -> NoReturn:
    """Raise `_Bad` for a row whose columns do not have the stored types (edited by hand)."""
    seq, invoice, body = row[0], row[2], row[6]
    if seq != pos:
        raise _Bad(pos, "entry_missing", f"entry {pos} is missing (the next stored entry is {seq})")
    raise _Bad(
        pos,
        "entry_unreadable",
        f"entry {pos}: stored columns have unexpected types "
        f"(body {type(body).__name__}, invoice {type(invoice).__name__})",
    )


def _roots(ranges: Sequence[_Range], sizes: Iterable[int]) -> dict[int, bytes]:
    """Merkle roots of the prefixes of the given sizes, from the ranges' block summaries."""
    blocks = [b for r in ranges for b in r.blocks]
    partial: dict[int, list[bytes]] = {}
    for r in ranges:
        partial.update(r.partial)
    out: dict[int, bytes] = {}
    for size in sizes:
        if size == 0:
            out[0] = EMPTY_ROOT
            continue
        q = size // BLOCK
        nodes = _perfect_nodes(blocks, q) if q else []
        nodes += partial.get(size, [])
        out[size] = _fold(nodes)
    return out


def verify_rows(
    rows: Iterable[tuple[Any, ...]], origin: str, checkpoint_sizes: Sequence[int] = ()
) -> tuple[int, bytes | None, dict[int, bytes]]:
    """Check the chain in one pass; return (entries, head hash, {size: Merkle root}).

    Raises `_Bad` at the first problem.
    """
    r = scan_range(rows, origin, 0, GENESIS_PREV, {}, checkpoint_sizes)
    roots = _roots([r], [s for s in checkpoint_sizes if s <= r.count])
    return r.count, r.last_hash, roots


def _worker(url: str, origin: str, start: int, stop: int, sizes: list[int]) -> Any:
    """A parallel verification worker: scan ``[start, stop)`` on its own connection."""
    from einvoice_gov.trace.stores import open_store

    with open_store(url, create=False) as store:
        try:
            prev = store.hash_at(start - 1) if start else GENESIS_PREV
            if prev is None:
                raise _Bad(start - 1, "entry_missing", f"entry {start - 1} is missing")
            return scan_range(store.raw_rows(start, stop), origin, start, prev, None, sizes)
        except _Bad as exc:
            return (exc.seq, exc.code, exc.reason)


def verify_parallel(
    store: Store, url: str, checkpoint_sizes: Sequence[int], jobs: int
) -> tuple[int, bytes | None, dict[int, bytes]]:
    """`verify_rows` split over ``jobs`` processes, each on its own connection to ``url``.

    Each worker checks its range and reports the stitching facts (its first ``prev``, its
    last hash, the ``inv_prev`` claimed by each invoice's first entry in the range, its last
    hash per invoice, its Merkle block roots); this function checks them in order, so the
    result is the same as one sequential pass.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    n = store.size()
    nblocks = -(-n // BLOCK)
    per = max(1, -(-nblocks // jobs)) * BLOCK
    bounds = [(a, min(a + per, n)) for a in range(0, n, per)]
    sizes = list(checkpoint_sizes)
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=len(bounds), mp_context=ctx) as pool:
        futures = [pool.submit(_worker, url, store.origin, a, b, sizes) for a, b in bounds]
        results = [f.result() for f in futures]
    inv_last: dict[str, str] = {}
    prev: bytes = GENESIS_PREV
    ranges: list[_Range] = []
    for (a, b), r in zip(bounds, results, strict=True):
        if isinstance(r, tuple):  # the worker found a bad entry: report the first one
            raise _Bad(*r)
        if r.count != b - a:
            raise _Bad(a + r.count, "entry_missing", f"entry {a + r.count} is missing")
        if r.count and r.first_prev != prev:
            raise _Bad(
                a - 1,
                "chain_broken",
                f"entry {a} does not link to entry {a - 1}: entry {a - 1} was changed after "
                f"entry {a} was written (or the link of entry {a} was edited)",
            )
        for inv, (seq, claim) in sorted(r.claims.items(), key=lambda kv: kv[1][0]):
            if claim != inv_last.get(inv):
                raise _Bad(
                    seq,
                    "invoice_chain_broken",
                    f"entry {seq} does not link to the previous entry of invoice {inv!r}",
                )
        inv_last.update(r.inv_last)
        prev = r.last_hash or prev
        ranges.append(r)
    count = sum(r.count for r in ranges)
    roots = _roots(ranges, [s for s in checkpoint_sizes if s <= count])
    return count, (prev if count else None), roots


def _default_key_path(store: Store) -> Path | None:
    from einvoice_gov.trace.ledger import default_key_path

    return default_key_path(store.url)


#: below this many entries a single pass is faster than starting workers
PARALLEL_MIN = 2 * BLOCK


def verify(
    store: Store,
    *,
    key: str | Path | None = None,
    pinned: Sequence[str | Path] = (),
    public_key: PublicKey | None = None,
    jobs: int | None = None,
) -> VerifyResult:
    """Verify the whole log (see module doc).

    ``key``: the signing key path (its ``.pub`` and ``.checkpoints`` siblings are used; default
    beside the store). ``pinned``: more files of checkpoints held by the caller (e.g. an
    auditor's copy). ``public_key``: a verifier key to use instead of the ``.pub`` file.
    ``jobs``: worker processes for a large log (default: up to 4, by CPU count, from
    `PARALLEL_MIN` entries; 1 = a single pass). The result is the same either way.
    """
    origin = store.origin
    key_path = Path(key) if key is not None else _default_key_path(store)
    warnings: list[str] = []

    # -- gather checkpoints: database + pinned files -------------------------------------------
    cps: list[tuple[Checkpoint, str]] = []
    bad_cp: _Bad | None = None
    for sc in store.checkpoints():
        try:
            cp = parse_note(sc.note)
        except CheckpointError as exc:
            bad_cp = bad_cp or _Bad(
                None, "checkpoint_invalid", f"stored checkpoint {sc.size}: {exc}"
            )
            continue
        if cp.size != sc.size or cp.root != sc.root:
            bad_cp = bad_cp or _Bad(
                None,
                "checkpoint_invalid",
                f"stored checkpoint {sc.size}: its columns differ from its signed note",
            )
        cps.append((cp, "database"))
    pinned_files = [Path(p) for p in pinned]
    if key_path is not None and pinned_path(key_path).exists():
        pinned_files.insert(0, pinned_path(key_path))
    for pf in pinned_files:
        try:
            for cp in read_pinned(pf):
                cps.append((cp, str(pf)))
        except Exception as exc:  # an unreadable pinned file is a finding, not a crash
            warnings.append(f"pinned checkpoints {pf}: {exc}")
    if public_key is None and key_path is not None:
        try:
            public_key = load_public_key(key_path, origin)
        except CheckpointError as exc:
            warnings.append(f"public key beside {key_path}: {exc}")
    signatures = "checked" if public_key is not None else "unchecked"
    if public_key is None and cps:
        warnings.append(
            "checkpoint signatures not checked: no public key found "
            f"(looked for {key_path.with_suffix('.pub') if key_path else 'a --key'})"
        )

    by_size: dict[int, Checkpoint] = {}
    db_sizes = {cp.size for cp, src in cps if src == "database"}
    for cp, src in cps:
        if bad_cp is None and cp.origin != origin:
            bad_cp = _Bad(
                None, "checkpoint_wrong_log", f"checkpoint {cp.size} ({src}) names another log"
            )
        if bad_cp is None and public_key is not None and not cp.verified_by(public_key):
            bad_cp = _Bad(
                None,
                "checkpoint_bad_signature",
                f"checkpoint {cp.size} ({src}) is not signed by the log's key",
            )
        other = by_size.get(cp.size)
        if bad_cp is None and other is not None and other.root != cp.root:
            bad_cp = _Bad(
                None,
                "checkpoint_fork",
                f"two checkpoints of size {cp.size} sign different roots (split view)",
            )
        by_size.setdefault(cp.size, cp)
        if src != "database" and cp.size not in db_sizes:
            warnings.append(f"checkpoint {cp.size} from {src} is missing from the database")
    sizes = sorted(by_size)

    # -- the chain ------------------------------------------------------------------------------
    try:
        try:
            url = getattr(store, "connect_url", None)
            if jobs is None:
                jobs = min(4, os.cpu_count() or 1)
            parallel = None
            if jobs > 1 and url and store.size() >= PARALLEL_MIN:
                try:
                    parallel = verify_parallel(store, url, sizes, jobs)
                except (OSError, BrokenProcessPool) as exc:  # e.g. no importable __main__
                    warnings.append(f"parallel verification unavailable ({exc}); one pass used")
            if parallel is not None:
                count, head, roots = parallel
            else:
                count, head, roots = verify_rows(store.raw_rows(), origin, sizes)
        except _Bad as exc:
            # report the entry problem, with the number of entries stored
            return VerifyResult(
                ok=False,
                entries=store.size(),
                first_bad=exc.seq,
                reason=exc.reason,
                code=exc.code,
                checkpoints=len(by_size),
                latest_checkpoint=sizes[-1] if sizes else None,
                signatures=signatures,
                warnings=warnings,
            )
        result = VerifyResult(
            ok=True,
            entries=count,
            head=head.hex() if head else None,
            checkpoints=len(by_size),
            latest_checkpoint=sizes[-1] if sizes else None,
            signatures=signatures,
            warnings=warnings,
        )
        if bad_cp is not None:
            raise bad_cp
        if sizes and sizes[-1] > count:
            raise _Bad(
                count,
                "truncated",
                f"the log holds {count} entries but checkpoint {sizes[-1]} was signed over "
                f"{sizes[-1]}: entries {count} to {sizes[-1] - 1} were removed",
            )
        good = 0
        for size in sizes:
            if roots.get(size) != by_size[size].root:
                raise _Bad(
                    good,
                    "checkpoint_mismatch",
                    f"entries {good} to {size - 1} differ from what checkpoint {size} signed "
                    "(rewritten after signing)",
                )
            good = size
        if count and (not sizes or sizes[-1] < count):
            result.warnings.append(
                f"entries {sizes[-1] if sizes else 0} to {count - 1} are not covered by a "
                "signed checkpoint yet (run `trace checkpoint`)"
            )
        return result
    except _Bad as exc:
        result.ok = False
        result.first_bad, result.code, result.reason = exc.seq, exc.code, exc.reason
        result.head = None
        return result
