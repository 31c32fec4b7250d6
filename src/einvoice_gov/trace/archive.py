"""Content-addressed archive of original files, on the filesystem.

An object is stored once under ``<root>/sha256/<first two hex>/<full hex>``, read-only. A put
writes a temporary file (``O_EXCL`` in ``<root>/tmp``), fsyncs it, links it to its final name
and fsyncs the directory, so the object is durable **before** `put` returns — and therefore
before the log entry that references it is written. A temporary file never becomes visible
under a final name. ``verify`` re-hashes every object (fixity) and reports objects that the
log references but the archive lacks.

Retention (FACTS.md §6): 6 years for tax (LPF L102 B, from the document date) and 10 years
for commercial law (Code de commerce L123-22, from the close of the financial year). Without a
financial-year end we count from 31 December of the year after the document (any 12-month
financial year containing the document has closed by then), so the date is never early.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Final

from einvoice_gov.errors import IntegrityError, StoreError

__all__ = [
    "COMMERCIAL_YEARS",
    "TAX_YEARS",
    "Archive",
    "ArchiveReport",
    "ArchivedObject",
    "retention",
]

TAX_YEARS: Final = 6
COMMERCIAL_YEARS: Final = 10
_CHUNK: Final = 1 << 20


def _add_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def retention(document_date: date, fiscal_year_end: date | None = None) -> tuple[date, date]:
    """(tax_until, commercial_until) for a document (see module doc)."""
    tax = _add_years(document_date, TAX_YEARS)
    close = fiscal_year_end or date(document_date.year + 1, 12, 31)
    return tax, _add_years(close, COMMERCIAL_YEARS)


@dataclass(frozen=True)
class ArchivedObject:
    """One stored object and its retention dates."""

    sha256: str
    size: int
    path: Path
    tax_until: date
    commercial_until: date
    created: bool  # False when the object was already there

    @property
    def retain_until(self) -> date:
        return max(self.tax_until, self.commercial_until)

    def as_dict(self) -> dict[str, Any]:
        return {
            "sha256": self.sha256,
            "size": self.size,
            "path": str(self.path),
            "tax_until": self.tax_until.isoformat(),
            "commercial_until": self.commercial_until.isoformat(),
            "created": self.created,
        }


@dataclass
class ArchiveReport:
    """Outcome of `Archive.verify`."""

    objects: int = 0
    bytes: int = 0
    bad: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    missing: list[str] = field(default_factory=list)  # sha256 referenced but absent
    stray_temp: int = 0

    @property
    def ok(self) -> bool:
        return not self.bad and not self.missing

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "objects": self.objects,
            "bytes": self.bytes,
            "bad": [{"path": p, "reason": r} for p, r in self.bad],
            "missing": self.missing,
            "stray_temp": self.stray_temp,
        }


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _hash_file(path: Path) -> tuple[str, int]:
    h = hashlib.sha256()
    n = 0
    with open(path, "rb") as f:
        while chunk := f.read(_CHUNK):
            h.update(chunk)
            n += len(chunk)
    return h.hexdigest(), n


class Archive:
    """A content-addressed, write-once archive rooted at a directory."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self._objects = self.root / "sha256"
        self._tmp = self.root / "tmp"
        try:
            for d in (self.root, self._objects, self._tmp):
                if not d.is_dir():
                    d.mkdir(parents=True, exist_ok=True)
                    _fsync_dir(d.parent)
        except OSError as exc:
            raise StoreError(f"cannot use the archive {self.root}: {exc}") from exc

    def path_of(self, sha256: str) -> Path:
        sha256 = sha256.lower()
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise ValueError(f"not a SHA-256 hex digest: {sha256!r}")
        return self._objects / sha256[:2] / sha256

    def has(self, sha256: str) -> bool:
        return self.path_of(sha256).is_file()

    def get(self, sha256: str) -> bytes:
        """The object's bytes, checked; raises `IntegrityError` when they changed."""
        data = self.path_of(sha256).read_bytes()
        if hashlib.sha256(data).hexdigest() != sha256.lower():
            raise IntegrityError(f"archived object {sha256} fails its fixity check")
        return data

    def put(
        self,
        source: str | Path | bytes,
        *,
        document_date: date | None = None,
        fiscal_year_end: date | None = None,
    ) -> ArchivedObject:
        """Store a file (or bytes) durably; idempotent. Returns where and until when."""
        document_date = document_date or datetime.now(UTC).date()
        tax, commercial = retention(document_date, fiscal_year_end)
        try:
            fd, tmp_name = tempfile.mkstemp(dir=self._tmp, prefix="put-")
        except OSError as exc:
            raise StoreError(f"cannot write to the archive {self.root}: {exc}") from exc
        tmp = Path(tmp_name)
        try:
            h = hashlib.sha256()
            size = 0
            with os.fdopen(fd, "wb") as out:
                if isinstance(source, bytes):
                    h.update(source)
                    out.write(source)
                    size = len(source)
                else:
                    with open(source, "rb") as f:
                        while chunk := f.read(_CHUNK):
                            h.update(chunk)
                            out.write(chunk)
                            size += len(chunk)
                out.flush()
                os.fsync(out.fileno())
            digest = h.hexdigest()
            final = self.path_of(digest)
            if not final.parent.is_dir():
                final.parent.mkdir(exist_ok=True)
                _fsync_dir(self._objects)
            created = True
            try:
                os.link(tmp, final)
            except FileExistsError:
                created = False
                if _hash_file(final)[0] != digest:  # repair a damaged copy with the good bytes
                    os.chmod(final, 0o644)
                    os.replace(tmp, final)
                    created = True
            if created:
                os.chmod(final, 0o444)
            _fsync_dir(final.parent)
        except OSError as exc:
            raise StoreError(f"archiving failed: {exc}") from exc
        finally:
            tmp.unlink(missing_ok=True)
        return ArchivedObject(digest, size, final, tax, commercial, created)

    def objects(self) -> Iterable[Path]:
        if not self._objects.is_dir():
            return
        for sub in sorted(self._objects.iterdir()):
            if sub.is_dir():
                yield from sorted(p for p in sub.iterdir() if p.is_file())

    def verify(self, expected: Iterable[str] = ()) -> ArchiveReport:
        """Re-hash every object; ``expected``: digests the log says were archived."""
        rep = ArchiveReport()
        seen: set[str] = set()
        for p in self.objects():
            rep.objects += 1
            try:
                digest, n = _hash_file(p)
            except OSError as exc:
                rep.bad.append((str(p), f"unreadable: {exc.strerror}"))
                continue
            rep.bytes += n
            if digest != p.name or p.parent.name != p.name[:2]:
                rep.bad.append((str(p), f"content hashes to {digest}, not to its name"))
            else:
                seen.add(digest)
        for want in dict.fromkeys(expected):
            if want not in seen and not any(want in b[0] for b in rep.bad):
                rep.missing.append(want)
        if self._tmp.is_dir():
            rep.stray_temp = sum(1 for _ in self._tmp.iterdir())
        return rep


ARCHIVE_ENV: Final = "EINVOICE_ARCHIVE"


def default_archive_dir(store_url: str) -> Path:
    """``$EINVOICE_ARCHIVE``, else ``einvoice-archive/`` beside a SQLite store, else
    ``./einvoice-archive``."""
    from einvoice_gov.trace.stores import sqlite_path

    env = os.environ.get(ARCHIVE_ENV)
    if env:
        return Path(env)
    path = sqlite_path(store_url)
    if path is not None:
        return path.parent / "einvoice-archive"
    return Path("einvoice-archive")
