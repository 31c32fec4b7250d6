"""Full verification of a log: every entry, every link, every checkpoint, in one pass.

For each stored row, in seq order:

1. ``seq`` is the next position (a gap means a deleted or moved entry);
2. ``SHA-256(0x00 ‖ bytes)`` equals the stored hash (any changed byte);
3. the stored ``prev`` column equals the hash of the previous entry;
4. the entry ends with the exact envelope suffix expected at that position (its ``seq``,
   ``prev`` link, ``inv_prev`` link to the previous entry of the same invoice, ``log`` origin,
   and the indexed columns ``event_id``, ``invoice``, ``type``).

The pass itself is `einvoice_gov.trace.scan` (bulk blocks, a row path as the reference); large
logs are split over processes and the ranges stitched (`verify_parallel`).

Then every checkpoint (from the database and from the pinned file beside the key) must carry a
valid signature of the log's key, name this log, cover no more entries than the log holds
(tail truncation) and sign the Merkle root recomputed over its first ``size`` entries; every
RFC 3161 timestamp token kept beside a checkpoint must timestamp that checkpoint's note (and,
given the authority's certificate, carry its signature).

The result locates the first bad position. `verify` never raises on tampering: it reports.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from einvoice_gov.trace import scan as _scan
from einvoice_gov.trace.chain import GENESIS_PREV
from einvoice_gov.trace.checkpoints import (
    Checkpoint,
    CheckpointError,
    PublicKey,
    load_public_key,
    parse_note,
    pinned_path,
    read_pinned,
    read_pinned_timestamps,
)
from einvoice_gov.trace.merkle import EMPTY_ROOT
from einvoice_gov.trace.scan import (
    NULL,
    Range,
    Scanner,
    explain_entry,
    fold,
    perfect_nodes,
)
from einvoice_gov.trace.scan import Bad as _Bad
from einvoice_gov.trace.stores import RawBlock, Store

if TYPE_CHECKING:
    from cryptography import x509

__all__ = ["VerifyResult", "explain_entry", "scan_log", "verify", "verify_rows"]


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
    #: RFC 3161 timestamps of checkpoints: {size, gen_time, serial, tsa, signature, sources}
    timestamps: list[dict[str, Any]] = field(default_factory=list)

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
            "timestamps": self.timestamps,
        }


#: below this many entries a single pass is faster than starting workers
PARALLEL_MIN = 2 * _scan.BLOCK


def _roots(ranges: Sequence[Range], sizes: Iterable[int]) -> dict[int, bytes]:
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
        q = size // _scan.BLOCK
        nodes = perfect_nodes(blocks, q) if q else []
        nodes += partial.get(size, [])
        out[size] = fold(nodes)
    return out


_END = object()


def _prefetch(blocks: Iterator[RawBlock], depth: int = 4) -> Iterator[RawBlock]:
    """Iterate ``blocks`` in a reader thread, ``depth`` blocks ahead.

    The stores run each block's query with the GIL released (SQLite's C code, the PostgreSQL
    server), so reading the next block overlaps with checking this one when a second core is
    free. The iterator (and its connection) lives and dies in the reader thread.
    """
    import queue
    import threading

    q: queue.Queue[Any] = queue.Queue(depth)
    stop = threading.Event()

    def run() -> None:
        try:
            for blk in blocks:
                while not stop.is_set():
                    try:
                        q.put(blk, timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    break
            item: Any = _END
        except BaseException as exc:  # handed to the consumer
            item = exc
        finally:
            close = getattr(blocks, "close", None)
            if close is not None:
                close()
        while not stop.is_set():
            try:
                q.put(item, timeout=0.1)
                return
            except queue.Full:
                continue

    thread = threading.Thread(target=run, name="einvoice-trace-verify-reader", daemon=True)
    thread.start()
    try:
        while True:
            item = q.get()
            if item is _END:
                return
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        thread.join()


#: read blocks in a background thread (tests switch it off to compare both ways)
PREFETCH = True


def scan_range(
    store: Store,
    start: int,
    stop: int,
    prev: bytes,
    inv_last: dict[bytes, bytes] | None,
    checkpoint_sizes: Iterable[int] = (),
) -> Range:
    """Check entries ``[start, stop)``: in bulk blocks, row by row where a block does not pass.

    Raises `Bad` at the first problem (see `einvoice_gov.trace.scan`).
    """
    chunk = _scan.CHUNK
    scanner = Scanner(store.origin, start, prev, inv_last, checkpoint_sizes)
    blocks = store.blocks(start, stop, chunk)
    it = _prefetch(blocks) if PREFETCH and stop - start > chunk else blocks
    try:
        for blk in it:
            want = min(chunk, stop - blk.start)
            if not scanner.block(blk, want):
                scanner.rows(store.raw_rows(blk.start, blk.start + want))
    finally:
        close = getattr(it, "close", None)
        if close is not None:
            close()
    return scanner.result()


def scan_log(
    store: Store, checkpoint_sizes: Sequence[int] = (), stop: int | None = None
) -> tuple[int, bytes | None, dict[int, bytes]]:
    """Check entries ``[0, stop)`` (default: the whole log) in one process.

    Returns (entries, head hash, {size: Merkle root}); raises `Bad` at the first problem.
    """
    if stop is None:
        stop = store.size()
    r = scan_range(store, 0, stop, GENESIS_PREV, {}, checkpoint_sizes)
    roots = _roots([r], [s for s in checkpoint_sizes if s <= r.count])
    return r.count, r.last_hash, roots


def verify_rows(
    rows: Iterable[tuple[Any, ...]], origin: str, checkpoint_sizes: Sequence[int] = ()
) -> tuple[int, bytes | None, dict[int, bytes]]:
    """Check raw rows from entry 0, one by one (the reference path of `scan_log`)."""
    scanner = Scanner(origin, 0, GENESIS_PREV, {}, checkpoint_sizes)
    scanner.rows(rows)
    r = scanner.result()
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
            return scan_range(store, start, stop, prev, None, sizes)
        except _Bad as exc:
            return (exc.seq, exc.code, exc.reason)


def verify_parallel(
    store: Store, url: str, checkpoint_sizes: Sequence[int], jobs: int
) -> tuple[int, bytes | None, dict[int, bytes]]:
    """`scan_log` split over ``jobs`` processes: this one checks the first range while
    ``jobs - 1`` workers, each on its own connection to ``url``, check the others.

    Each worker checks its range and reports the stitching facts (its first ``prev``, its
    last hash, the ``inv_prev`` claimed by each invoice's first entry in the range, its last
    hash per invoice, its Merkle block roots); this function checks them in order, so the
    result is the same as one sequential pass.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    n = store.size()
    block = _scan.BLOCK
    nblocks = -(-n // block)
    per = max(1, -(-nblocks // jobs)) * block
    bounds = [(a, min(a + per, n)) for a in range(0, n, per)]
    sizes = list(checkpoint_sizes)
    ctx = multiprocessing.get_context("spawn")
    results: list[Any] = []
    with ProcessPoolExecutor(max_workers=max(1, len(bounds) - 1), mp_context=ctx) as pool:
        futures = [pool.submit(_worker, url, store.origin, a, b, sizes) for a, b in bounds[1:]]
        try:
            a, b = bounds[0]
            results.append(scan_range(store, a, b, GENESIS_PREV, None, sizes))
        except _Bad as exc:
            for f in futures:
                f.cancel()
            raise exc from None
        results += [f.result() for f in futures]
    inv_last: dict[bytes, bytes] = {}
    prev: bytes = GENESIS_PREV
    ranges: list[Range] = []
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
            if claim != inv_last.get(inv, NULL):
                name = inv.decode("utf-8", "surrogateescape")
                raise _Bad(
                    seq,
                    "invoice_chain_broken",
                    f"entry {seq} does not link to the previous entry of invoice {name!r}",
                )
        inv_last.update(r.inv_last)
        prev = r.last_hash or prev
        ranges.append(r)
    count = sum(r.count for r in ranges)
    roots = _roots(ranges, [s for s in checkpoint_sizes if s <= count])
    return count, (prev if count else None), roots


def _timestamps(
    store: Store,
    cps: list[tuple[Checkpoint, str]],
    pinned_files: list[Path],
    tsa_cert: x509.Certificate | None,
    warnings: list[str],
) -> tuple[list[dict[str, Any]], _Bad | None]:
    """Check every timestamp token (database and pinned files) against its checkpoint note."""
    found: dict[bytes, tuple[int, list[str]]] = {}  # token -> (size, sources)
    for st in store.timestamps():
        found.setdefault(st.token, (st.size, []))[1].append("database")
    for pf in pinned_files:
        try:
            for cp, token in read_pinned_timestamps(pf):
                found.setdefault(token, (cp.size, []))[1].append(str(pf))
        except Exception as exc:  # an unreadable pinned file is a finding, not a crash
            warnings.append(f"pinned timestamps {pf}: {exc}")
    if not found:
        return [], None
    from einvoice_gov.trace.timestamp import TimestampError, check_token

    notes: dict[int, list[str]] = {}
    for cp, _src in cps:
        if cp.note not in notes.setdefault(cp.size, []):
            notes[cp.size].append(cp.note)
    out: list[dict[str, Any]] = []
    bad: _Bad | None = None
    for token, (size, sources) in sorted(found.items(), key=lambda kv: kv[1][0]):
        where = ", ".join(sources)
        error = f"no checkpoint of size {size} is known"
        info = None
        for note in notes.get(size, []):
            try:
                info = check_token(token, note.encode("utf-8"), tsa_cert)
                break
            except TimestampError as exc:
                error = str(exc)
        if info is None:
            bad = bad or _Bad(
                None, "checkpoint_invalid", f"timestamp of checkpoint {size} ({where}): {error}"
            )
            continue
        out.append(
            {
                "size": size,
                "gen_time": info.gen_time_text(),
                "serial": info.serial,
                "tsa": info.tsa,
                "signature": info.signature,
                "sources": sources,
            }
        )
    if tsa_cert is None and out:
        warnings.append(
            "timestamp signatures not checked: give the timestamp authority's certificate "
            "(--tsa-cert)"
        )
    return out, bad


def _default_key_path(store: Store) -> Path | None:
    from einvoice_gov.trace.ledger import default_key_path

    return default_key_path(store.url)


def verify(
    store: Store,
    *,
    key: str | Path | None = None,
    pinned: Sequence[str | Path] = (),
    public_key: PublicKey | None = None,
    jobs: int | None = None,
    tsa_cert: x509.Certificate | None = None,
) -> VerifyResult:
    """Verify the whole log (see module doc).

    ``key``: the signing key path (its ``.pub`` and ``.checkpoints`` siblings are used; default
    beside the store). ``pinned``: more files of checkpoints held by the caller (e.g. an
    auditor's copy). ``public_key``: a verifier key to use instead of the ``.pub`` file.
    ``jobs``: worker processes for a large log (default: up to 4, by CPU count, from
    `PARALLEL_MIN` entries; 1 = a single pass). The result is the same either way.
    ``tsa_cert``: the certificate of the timestamp authority whose tokens (RFC 3161) are kept
    beside the checkpoints; without it their signatures are not checked.
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
    stamps, bad_ts = _timestamps(store, cps, pinned_files, tsa_cert, warnings)

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
                count, head, roots = scan_log(store, sizes)
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
                timestamps=stamps,
            )
        result = VerifyResult(
            ok=True,
            entries=count,
            head=head.hex() if head else None,
            checkpoints=len(by_size),
            latest_checkpoint=sizes[-1] if sizes else None,
            signatures=signatures,
            warnings=warnings,
            timestamps=stamps,
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
        if bad_ts is not None:
            raise bad_ts
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
