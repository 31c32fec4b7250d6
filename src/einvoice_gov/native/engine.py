"""The native engine: compiled schematron stages run in-process on a light node tree."""

from __future__ import annotations

import importlib.util
import sys
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


def _import(path: Path, name: str) -> types.ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    try:
        spec.loader.exec_module(mod)
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
