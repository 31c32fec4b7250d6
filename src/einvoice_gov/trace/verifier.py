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

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from hashlib import sha256
from json.encoder import encode_basestring
from pathlib import Path
from typing import Any

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
    for col in ("event_id", "invoice", "type"):
        if doc.get(col) != getattr(row, col):
            return (
                "column_mismatch",
                f"entry {pos}: the stored {col} column ({getattr(row, col)!r}) differs from "
                f"the entry ({doc.get(col)!r})",
            )
    return "not_canonical", f"entry {pos} is not in canonical form"


def verify_rows(
    rows: Iterable[Row], origin: str, checkpoint_sizes: Sequence[int] = ()
) -> tuple[int, bytes | None, dict[int, bytes]]:
    """Check the chain; return (entries, head hash, {size: recomputed Merkle root}).

    Raises `_Bad` at the first problem.
    """
    enc = encode_basestring
    origin_json = enc(origin)
    prev = GENESIS_PREV
    prev_hex = prev.hex()
    inv_last: dict[str, str] = {}
    leaves: list[bytes] = []
    pos = 0
    for row in rows:
        seq, event_id, invoice, type_, prev_col, h, body = row
        if seq != pos:
            raise _Bad(
                pos,
                "entry_missing",
                f"entry {pos} is missing (the next stored entry is {seq})",
            )
        lh = sha256(b"\x00" + body).digest()
        if lh != h:
            raise _Bad(pos, "hash_mismatch", f"entry {pos}: its bytes do not match its hash")
        ip = inv_last.get(invoice)
        ip_json = "null" if ip is None else f'"{ip}"'
        suffix = (
            f',"event_id":{enc(event_id)},"inv_prev":{ip_json},'
            f'"invoice":{enc(invoice)},"log":{origin_json},'
            f'"prev":"{prev_hex}","seq":{seq},"type":{enc(type_)},"v":{FORMAT_VERSION}}}'
        )
        if not body.endswith(suffix.encode()):
            code, reason = explain_entry(row, pos, origin, prev, bytes.fromhex(ip) if ip else None)
            # a broken link means the entry before it changed after it was linked to
            raise _Bad(pos - 1 if code == "chain_broken" else pos, code, reason)
        if prev_col != prev:
            raise _Bad(
                pos,
                "column_mismatch",
                f"entry {pos}: the stored prev column differs from the entry",
            )
        prev = lh
        prev_hex = lh.hex()
        inv_last[invoice] = prev_hex
        leaves.append(lh)
        pos += 1
    roots = _prefix_roots(leaves, [s for s in checkpoint_sizes if 0 < s <= pos])
    if 0 in checkpoint_sizes:
        roots[0] = EMPTY_ROOT
    return pos, (prev if pos else None), roots


def _prefix_roots(leaves: list[bytes], sizes: Iterable[int]) -> dict[int, bytes]:
    """MTH of several prefixes, from one bottom-up pass over the leaves."""
    sizes = sorted(set(sizes))
    if not sizes:
        return {}
    n = max(sizes)
    levels = [leaves[:n] if n < len(leaves) else leaves]
    cur = levels[0]
    while len(cur) > 1:
        nxt = [sha256(b"\x01" + a + b).digest() for a, b in zip(cur[0::2], cur[1::2], strict=False)]
        levels.append(nxt)  # only complete pairs: perfect subtrees
        cur = nxt
    out: dict[int, bytes] = {}
    for size in sizes:
        # the prefix [0, size) is the perfect subtrees of the set bits of size, left to right
        nodes: list[bytes] = []
        start = 0
        for lvl in range(size.bit_length() - 1, -1, -1):
            if size >> lvl & 1:
                nodes.append(levels[lvl][start >> lvl])
                start += 1 << lvl
        r = nodes[-1]
        for h in reversed(nodes[:-1]):
            r = sha256(b"\x01" + h + r).digest()
        out[size] = r
    return out


def _default_key_path(store: Store) -> Path | None:
    from einvoice_gov.trace.ledger import default_key_path

    return default_key_path(store.url)


def verify(
    store: Store,
    *,
    key: str | Path | None = None,
    pinned: Sequence[str | Path] = (),
    public_key: PublicKey | None = None,
) -> VerifyResult:
    """Verify the whole log (see module doc).

    ``key``: the signing key path (its ``.pub`` and ``.checkpoints`` siblings are used; default
    beside the store). ``pinned``: more files of checkpoints held by the caller (e.g. an
    auditor's copy). ``public_key``: a verifier key to use instead of the ``.pub`` file.
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
            count, head, roots = verify_rows(store.rows(), origin, sizes)
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
