"""The auditor bundle: one invoice's trail, provable without the database.

``export_bundle`` writes a zip holding:

- ``bundle.json``: the invoice's entries (their exact canonical text, seq and hash), an RFC 9162
  inclusion proof of each in a signed checkpoint, consistency proofs from every earlier
  checkpoint to that one, the log's public key and a lifecycle summary (informational);
- ``files/<sha256>``: the original files the entries reference (invoice, status messages)
  when the archive holds them;
- ``verify_bundle.py``: the standalone verifier (Python 3.11+ and ``cryptography`` only);
- ``README.txt``: what the auditor runs and what it proves.
"""

from __future__ import annotations

import json
import os
import tempfile
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

from einvoice_gov.errors import IntegrityError, StoreError
from einvoice_gov.trace.archive import Archive
from einvoice_gov.trace.checkpoints import (
    Checkpoint,
    load_public_key,
    parse_note,
    pinned_path,
    read_pinned,
    read_pinned_timestamps,
)
from einvoice_gov.trace.ledger import Ledger
from einvoice_gov.trace.lifecycle import flow as lifecycle_flow
from einvoice_gov.trace.merkle import MerkleTree
from einvoice_gov.trace.stores import Store

__all__ = ["BUNDLE_FORMAT", "export_bundle", "verifier_source"]

BUNDLE_FORMAT: Final = "einvoice-gov-trace-bundle/1"

ALGORITHM: Final = """\
Each entry is RFC 8785 canonical JSON. leaf = SHA-256(0x00 || entry bytes). The entry's
"prev" is the leaf hash of the previous entry of the log, "inv_prev" that of the previous
entry of the same invoice (null for its first). Inclusion and consistency proofs follow
RFC 9162 sections 2.1.3 and 2.1.4 (node = SHA-256(0x01 || left || right)). The checkpoint is a
C2SP signed note (origin, size, base64 root) signed with Ed25519; key id =
SHA-256(name || 0x0A || 0x01 || public key)[:4]."""

README: Final = """\
Audit bundle for invoice {invoice}
==================================

Check it with Python 3.11+ and the `cryptography` package:

    python verify_bundle.py {name} --key '{vkey}'

(pass the log's public key obtained from its owner by another channel; without --key the
key inside the bundle is used and only the bundle's own consistency is proven). Add
`--checkpoint FILE` with a checkpoint note you received earlier to prove that the log was
not rewritten since. When the bundle holds RFC 3161 timestamps of its checkpoints, add
`--tsa-cert FILE` with the certificate of the timestamp authority (obtained from it) to
prove that each timestamped checkpoint existed at the time the authority signed.

What a successful check proves: every entry listed is in the log the key signed, unchanged,
at its position; the invoice's entries are complete from its first entry to its last one
listed (each links to the previous one); the files listed have the recorded digests.
It cannot prove that no later event exists (only the full log or a newer checkpoint can).

{algorithm}
"""


def verifier_source() -> str:
    """The text of the standalone verifier script."""
    return Path(__file__).with_name("verify_bundle.py").read_text(encoding="utf-8")


def _referenced_files(data: dict[str, Any]) -> list[tuple[str, str]]:
    out = []
    for name, role in (
        ("sha256", "document"),
        ("object", "archived object"),
        ("source_sha256", "status message"),
    ):
        v = data.get(name)
        if isinstance(v, str) and len(v) == 64:
            out.append((v, role))
    return out


def _timestamps(store: Store, key_path: Path, cps: list[Checkpoint]) -> list[dict[str, str]]:
    """The RFC 3161 tokens of the bundle's checkpoints, each with the note it timestamps."""
    import base64

    notes = {c.size: c.note for c in cps}
    tokens: dict[bytes, str] = {}
    for c, token in read_pinned_timestamps(pinned_path(key_path)):
        if c.origin == store.origin and notes.get(c.size) == c.note:
            tokens.setdefault(token, c.note)
    for st in store.timestamps():
        if st.size in notes:
            tokens.setdefault(st.token, notes[st.size])
    return [
        {"checkpoint": note, "token": base64.b64encode(token).decode("ascii")}
        for token, note in tokens.items()
    ]


def export_bundle(
    store: Store,
    invoice: str,
    out_path: str | Path,
    *,
    key: str | Path | None = None,
    archive: Archive | None = None,
) -> Path:
    """Write the auditor bundle of one invoice (signing a fresh checkpoint when needed).

    Raises `StoreError` when the log has no entry for the invoice or no key can sign, and
    `IntegrityError` when the log does not verify (the key never signs a broken log).
    """
    ledger = Ledger(store, key=key)
    entries = list(store.entries(invoice=invoice))
    if not entries:
        raise StoreError(f"the log has no entry for invoice {invoice!r}")
    cp = ledger.checkpoint()
    if cp.size <= entries[-1].seq:  # pragma: no cover - checkpoint() covers the whole log
        raise IntegrityError("the checkpoint does not cover the invoice's entries")
    entries = [e for e in entries if e.seq < cp.size]
    leaves = store.leaf_hashes(cp.size)
    tree = MerkleTree(leaves)
    if tree.root() != cp.root:
        raise IntegrityError("stored entry hashes do not match the signed checkpoint")
    public = load_public_key(ledger.key_path, store.origin)
    if public is None:  # pragma: no cover - checkpoint() created the key
        raise StoreError(f"no public key beside {ledger.key_path}")

    earlier: dict[int, Checkpoint] = {}
    for sc in store.checkpoints():
        c = parse_note(sc.note)
        if c.size < cp.size:
            earlier.setdefault(c.size, c)
    for c in read_pinned(pinned_path(ledger.key_path)):
        if c.origin == store.origin and 0 < c.size < cp.size:
            earlier.setdefault(c.size, c)

    files: dict[str, str] = {}
    for e in entries:
        for digest, role in _referenced_files(e.data):
            files.setdefault(digest, role)

    summary = lifecycle_flow(store, invoice)
    doc: dict[str, Any] = {
        "format": BUNDLE_FORMAT,
        "algorithm": ALGORITHM,
        "exported_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "invoice": invoice,
        "origin": store.origin,
        "public_key": public.vkey(),
        "checkpoint": cp.note,
        "entries": [
            {
                "seq": e.seq,
                "hash": e.hash,
                "entry": e.body.decode("utf-8"),
                "inclusion": [h.hex() for h in tree.inclusion_proof(e.seq)],
            }
            for e in entries
        ],
        "consistency": [
            {
                "checkpoint": c.note,
                "proof": [h.hex() for h in tree.consistency_proof(c.size)],
            }
            for c in (earlier[s] for s in sorted(earlier))
            if c.size > 0
        ],
        "files": [],
        "summary": summary.as_dict() if summary else None,
    }
    stamps = _timestamps(store, ledger.key_path, [cp, *(earlier[s] for s in sorted(earlier))])
    if stamps:
        doc["timestamps"] = stamps
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out_path.parent, prefix=".bundle-", suffix=".zip")
    os.close(fd)
    try:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as z:
            for digest, role in files.items():
                if archive is not None and archive.has(digest):
                    z.writestr(f"files/{digest}", archive.get(digest))
                    doc["files"].append({"sha256": digest, "path": f"files/{digest}", "role": role})
            z.writestr("bundle.json", json.dumps(doc, ensure_ascii=False, indent=1))
            z.writestr("verify_bundle.py", verifier_source())
            z.writestr(
                "README.txt",
                README.format(
                    invoice=invoice,
                    name=out_path.name,
                    vkey=public.vkey(),
                    algorithm=ALGORITHM,
                ),
            )
        os.replace(tmp, out_path)
    finally:
        Path(tmp).unlink(missing_ok=True)
    return out_path
