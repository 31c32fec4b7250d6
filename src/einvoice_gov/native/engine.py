"""The native engine: compiled schematron stages run in-process on a light node tree."""

from __future__ import annotations

import contextlib
import importlib.util
import marshal
import os
import sys
import tempfile
import threading
import types
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from einvoice_gov.native import cache, runtime
from einvoice_gov.validation.findings import Severity

_FLAGS = {
    "fatal": Severity.ERROR,
    "error": Severity.ERROR,
    "warning": Severity.WARNING,
    "information": Severity.INFO,
    "info": Severity.INFO,
}

#: Stages implemented by hand instead of compiled (key -> function(doc tree) -> results).
#: Other packages may register one (e.g. the CDAR rules) with :func:`register_stage`.
HANDWRITTEN: dict[str, Callable[[runtime.Doc], list[Any]]] = {}


def register_stage(key: str, fn: Callable[[runtime.Doc], list[Any]]) -> None:
    HANDWRITTEN[key] = fn


@dataclass(frozen=True)
class Hit:
    """One failed assert (or fired report) of a compiled stage."""

    index: int  # into CompiledStage.checks
    node: Any
    error: str | None  # XPath error code when the test itself failed to evaluate


class CompiledStage:
    """A compiled artefact: its rule module and its dispatch table."""

    def __init__(self, key: str, module: types.ModuleType) -> None:
        self.key = key
        self.module = module
        self.checks: tuple[tuple[Any, ...], ...] = module.CHECKS
        self.title: str = module.TITLE
        patterns = module.PATTERNS
        tags: set[Any] = set()
        for _, table, _ in patterns:
            tags.update(table)
        wild = tuple(w for _, _, w in patterns if w)
        self.wild = wild
        self.dispatch: dict[Any, tuple[Any, ...]] = {}
        for t in tags:
            lists = []
            for _, table, w in patterns:
                c = table.get(t, w)
                if c:
                    lists.append(c)
            self.dispatch[t] = tuple(lists)
        self.globals_ = module.globals_

    def hits(self, d: runtime.Doc) -> list[tuple[int, Any, str | None]]:
        out: list[tuple[int, Any, str | None]] = []
        try:
            g = self.globals_(d)
        except runtime.XPathError:
            g = ()
        get = self.dispatch.get
        wild = self.wild
        for n in (d, *d.nodes):
            for cands in get(n.tag, wild):
                for m, r in cands:
                    if m(n, d, g):
                        r(n, d, g, out)
                        break
        return out

    def run(self, d: runtime.Doc) -> list[Any]:
        from einvoice_gov.validation.official import RawResult, StageCrash

        results = []
        hits = self.hits(d)
        for _ci, _node, err in hits:
            if err == "XPTY0004":
                # Saxon stops the whole transformation on this type error (a single-valued
                # function given a sequence, e.g. a duplicated element): the official verdict
                # is STAGE-ERROR:XPTY0004 and we give the same.
                raise StageCrash(f"{err}: a rule of this artefact received several values")
        for ci, node, err in hits:
            if ci < 0:
                continue
            rid, flag, _kind, _ctx, _test, bt, text = self.checks[ci]
            if err:
                text = f"{text} (the test could not be evaluated: {err})"
            results.append(
                RawResult(
                    rule=rid,
                    severity=_FLAGS.get(flag, Severity.ERROR),
                    location=location(node),
                    text=text,
                    bt=bt,
                )
            )
        return results


def location(n: Any) -> str:
    """The node's path in the style of the official artefacts' ``location``."""
    if type(n) is runtime.Doc:
        return "/"
    parts = []
    if type(n) is runtime.Attr:
        tag = n.tag
        if tag.startswith("{"):
            ns, local = tag[1:].split("}")
            parts.append(f"@*[local-name()='{local}' and namespace-uri()='{ns}']")
        else:
            parts.append("@" + tag)
        n = n.parent
    while type(n) is runtime.Node:
        tag = n.tag
        p = n.parent
        pos = p.by[tag].index(n) + 1
        if tag.startswith("{"):
            ns, local = tag[1:].split("}")
            parts.append(f"*:{local}[namespace-uri()='{ns}'][{pos}]")
        else:
            parts.append(f"{tag}[{pos}]")
        n = p
    return "/" + "/".join(reversed(parts))


_lock = threading.RLock()
_stages: dict[str, CompiledStage | None] = {}


#: header of a cached code object: Python's bytecode magic + the source's size and mtime
def _code_header(src: Path) -> bytes:
    st = src.stat()
    return importlib.util.MAGIC_NUMBER + f"{st.st_size}:{st.st_mtime_ns}\n".encode()


def _code(path: Path) -> types.CodeType:
    """The code object of a generated module, from its marshal'ed copy beside it when current.

    Python's own bytecode cache is not relied upon (``PYTHONDONTWRITEBYTECODE`` or a read-only
    ``__pycache__`` would make every start compile a megabyte of source again): the code object
    is written next to the module as ``<name>.<cache_tag>.code`` and read back with
    :mod:`marshal`, keyed by the interpreter's magic number and the source's size and mtime.
    """
    bin_path = path.with_name(f"{path.stem}.{sys.implementation.cache_tag}.code")
    header = _code_header(path)
    try:
        data = bin_path.read_bytes()
    except OSError:
        data = b""
    if data.startswith(header):
        try:
            code = marshal.loads(memoryview(data)[len(header) :])
        except (EOFError, ValueError, TypeError):
            code = None
        if isinstance(code, types.CodeType):
            return code
    code = compile(path.read_text(encoding="utf-8"), str(path), "exec", dont_inherit=True)
    with contextlib.suppress(OSError):
        _write_bytes(bin_path, header + marshal.dumps(code))
    return code


def _write_bytes(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".code")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _import(path: Path, name: str) -> types.ModuleType:
    mod = types.ModuleType(name)
    mod.__file__ = str(path)
    sys.modules[name] = mod
    try:
        exec(_code(path), mod.__dict__)
    except BaseException:
        sys.modules.pop(name, None)
        raise
    return mod


def stage(key: str) -> CompiledStage | None:
    """The compiled stage for an artefact key, compiling it into the cache on first use."""
    with _lock:
        if key in _stages:
            return _stages[key]
        from einvoice_gov.native import sources

        src = sources.source_for(key)
        if src is None:
            _stages[key] = None
            return None
        path = cache.cache_root() / src.version_dir / f"{key.replace('/', '_')}-{src.digest}.py"
        if not path.is_file():
            cache.write_atomic(path, src.generate())
        modname = f"_einvoice_native_{key.replace('/', '_').replace('-', '_')}_{src.digest}"
        try:
            mod = _import(path, modname)
        except Exception:
            # a damaged cache file: compile again
            cache.write_atomic(path, src.generate())
            mod = _import(path, modname)
        st = CompiledStage(key, mod)
        _stages[key] = st
        return st


class NativeEngine:
    """``--engine native``: the artefacts compiled to Python, run on a light node tree."""

    name = "native"

    def prepare(self, doc: Any) -> runtime.Doc | None:
        if doc.tree is None:
            return None
        return runtime.build(doc.tree)

    def run(self, spec: Any, doc: Any, prepared: Any) -> list[Any] | None:
        if prepared is None:
            return None
        fn = HANDWRITTEN.get(spec.key)
        if fn is not None:
            return fn(prepared)
        st = stage(spec.key)
        if st is None:
            return None
        return st.run(prepared)
