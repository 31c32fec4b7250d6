"""The native engine: compiled schematron stages run in-process on a light node tree."""

from __future__ import annotations

import contextlib
import importlib.util
import marshal
import os
import re
import sys
import tempfile
import threading
import types
from collections.abc import Callable, Iterator
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
    """A compiled artefact: its rule module and its dispatch by element path.

    XSLT semantics: within each schematron pattern a node fires at most one rule, the first
    matching one in priority order. Which rules can match an element depends mostly on its
    path of names from the root, so the candidates are resolved once per distinct path
    (:data:`runtime.PATH_OF`) and cached: a rule whose pattern is decided by names alone (and
    ``ends-with(name(), …)``-like tests) is fired without calling its match function; the
    others (predicates on values) keep their match function, called per element.
    """

    def __init__(self, key: str, module: types.ModuleType) -> None:
        self.key = key
        self.module = module
        self.checks: tuple[tuple[Any, ...], ...] = module.CHECKS
        self.title: str = module.TITLE
        self.rules: tuple[tuple[Any, Any], ...] = module.RULES
        self.match: tuple[Any, ...] = module.MATCH
        self.patterns: tuple[tuple[str, tuple[int, ...]], ...] = module.PATTERNS
        self.globals_ = module.globals_
        #: the per-process results of the artefact's functions of strings (see codegen)
        self.value_caches: list[dict[Any, Any]] = [
            v for k, v in vars(module).items() if k.startswith("_M_") and isinstance(v, dict)
        ]
        # per pattern: candidate rule keys by the name their last step tests, and the keys of
        # rules whose last step has no name (wildcards), each list in priority order
        self._by_name: list[tuple[dict[tuple[bool, str], list[int]], list[int]]] = []
        self.attr_rules = False
        self.doc_rules = False
        for _name, keys in self.patterns:
            by_name: dict[tuple[bool, str], list[int]] = {}
            wild: list[int] = []
            for k in keys:
                names: list[tuple[bool, str]] = []
                for _anchored, steps in self.match[k]:
                    if not steps:
                        self.doc_rules = True
                        names = []
                        break
                    _conn, axis, test, _tc, _dyn = steps[-1]
                    if axis == "attribute":
                        self.attr_rules = True
                    if test[0] != "name":
                        names = []
                        break
                    names.append((axis == "attribute", test[1]))
                if names:
                    for nm in dict.fromkeys(names):
                        by_name.setdefault(nm, []).append(k)
                else:
                    wild.append(k)
            self._by_name.append((by_name, wild))
        self._rank = {k: i for _name, keys in self.patterns for i, k in enumerate(keys)}
        #: per rule key, its patterns as plain name paths when all of them are (see _simple)
        self._simple = [_simple_alts(alts) for alts in self.match]
        #: per last name, the candidate keys of every pattern in priority order (wildcard
        #: rules merged in), computed on first need
        self._keys_for: dict[tuple[bool, str], tuple[list[int], ...]] = {}
        self._lock = threading.Lock()
        self._by_pid: dict[int, tuple[Any, ...]] = {}
        self._by_attr: dict[tuple[int, str], tuple[Any, ...]] = {}
        self._doc: tuple[Any, ...] | None = None

    def _resolve(self, path: list[tuple[str, bool]]) -> tuple[Any, ...]:
        """Per pattern, the rules that can match a node with this path (see class doc)."""
        entries = []
        rank = self._rank.__getitem__
        tags = tuple(t for t, _a in path)
        last_attr = bool(path) and path[-1][1]
        if path:
            name = (path[-1][1], path[-1][0])
            per_pattern = self._keys_for.get(name)
            if per_pattern is None:
                per_pattern = self._keys_for[name] = tuple(
                    sorted({*by_name.get(name, ()), *wild}, key=rank) if wild else by_name[name]
                    for by_name, wild in self._by_name
                    if wild or name in by_name
                )
        else:
            per_pattern = tuple(
                sorted({*wild, *(k for ks in by_name.values() for k in ks)}, key=rank)
                for by_name, wild in self._by_name
            )
        for keys in per_pattern:
            cands = []
            for k in keys:
                simple = self._simple[k]
                if simple is not None:
                    st = _simple_match(simple, tags, last_attr)
                else:
                    st = static_match(self.match[k], path)
                if st is False:
                    continue
                m, r = self.rules[k]
                if st is True:
                    cands.append((None, real(r)))
                    break
                cands.append((real(m), real(r)))
            if cands:
                entries.append(tuple(cands))
        return tuple(entries)

    def hits(self, d: runtime.Doc) -> list[tuple[int, Any, str | None]]:
        """(check index, node, error code) of every failed assert or fired report."""
        with runtime.decimal_context():
            return self._hits(d)

    def _hits(self, d: runtime.Doc) -> list[tuple[int, Any, str | None]]:
        out: list[tuple[int, Any, str | None]] = []
        try:
            g = self.globals_(d)
        except runtime.XPathError:
            g = ()
        if self.doc_rules:
            if self._doc is None:
                self._doc = self._resolve([])
            _fire(self._doc, d, d, g, out)
        by_pid = self._by_pid
        # elements grouped by path id: the rules that can fire are resolved once per path
        for pid, nodes in d.bypid.items():
            e = by_pid.get(pid)
            if e is None:
                if pid < 0:  # path table full: resolved per element
                    for n in nodes:
                        _fire(_path_entries(self, pid, n), n, d, g, out)
                    continue
                e = _path_entries(self, pid, nodes[0])
            if e:
                if len(e) == 1:
                    cands = e[0]
                    if len(cands) == 1 and cands[0][0] is None:
                        r = cands[0][1]
                        for n in nodes:
                            r(n, d, g, out)
                        continue
                for n in nodes:
                    for cands in e:
                        for m, r in cands:
                            if m is None or m(n, d, g):
                                r(n, d, g, out)
                                break
        if self.attr_rules:
            by_attr = self._by_attr
            for n in d.elems:
                if n.anodes:
                    for a in n.anodes:
                        ea = by_attr.get((n.pid, a.tag))
                        if ea is None:
                            ea = _attr_entries(self, n, a)
                        if ea:
                            _fire(ea, a, d, g, out)
        if len(out) > 1:
            # document order, then the artefact's order of patterns and asserts
            out.sort(key=_hit_order)
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


def _hit_order(h: tuple[int, Any, str | None]) -> tuple[int, int]:
    return (h[1].pos, h[0])


def _fire(entries: tuple[Any, ...], n: Any, d: runtime.Doc, g: Any, out: list[Any]) -> None:
    for cands in entries:
        for m, r in cands:
            if m is None or m(n, d, g):
                r(n, d, g, out)
                break


def _node_path(n: Any) -> list[tuple[str, bool]]:
    path = []
    while type(n) is not runtime.Doc and n is not None:
        path.append((n.tag, type(n) is runtime.Attr))
        n = n.parent
    path.reverse()
    return path


def _path_entries(st: CompiledStage, pid: int, n: runtime.Node) -> tuple[Any, ...]:
    if pid < 0:  # path table full: resolved for this element only
        return st._resolve(_node_path(n))
    with st._lock:
        e = st._by_pid.get(pid)
        if e is None:
            tags = []
            p = pid
            while p > 0:
                parent, tag = runtime.PATH_OF[p]
                tags.append((tag, False))
                p = parent
            tags.reverse()
            e = st._by_pid[pid] = st._resolve(tags)
    return e


def _attr_entries(st: CompiledStage, n: runtime.Node, a: runtime.Attr) -> tuple[Any, ...]:
    if n.pid < 0:
        return st._resolve(_node_path(a))
    with st._lock:
        e = st._by_attr.get((n.pid, a.tag))
        if e is None:
            path = _node_path(a)
            if len(st._by_attr) < runtime.MAX_PATHS:
                e = st._by_attr[(n.pid, a.tag)] = st._resolve(path)
            else:
                e = st._resolve(path)
    return e


def _simple_alts(alts: tuple[Any, ...]) -> tuple[tuple[tuple[str, ...], bool, bool], ...] | None:
    """A rule's path patterns as (names, whole path, has predicates) when every one is a plain
    path of child steps by name (``a/b``, ``/a/b``, ``//a/b``) without tag conditions; None
    otherwise (decided by :func:`static_match`)."""
    out = []
    for anchored, steps in alts:
        if not steps:
            return None
        tags = []
        dynamic = False
        for i, (conn, axis, test, tagconds, dyn) in enumerate(steps):
            if axis != "child" or test[0] != "name" or tagconds:
                return None
            if i > 0 and conn != "/":
                return None
            tags.append(test[1])
            dynamic = dynamic or bool(dyn)
        out.append((tuple(tags), anchored and steps[0][0] == "/", dynamic))
    return tuple(out)


def _simple_match(
    alts: tuple[tuple[tuple[str, ...], bool, bool], ...], tags: tuple[str, ...], last_attr: bool
) -> bool | None:
    """:func:`static_match` for plain name paths: the element's path ends with (or, anchored,
    is) the pattern's names."""
    if last_attr or not tags:
        return False
    res: bool | None = False
    for names, whole, dynamic in alts:
        n = len(names)
        if whole:
            if tags != names:
                continue
        elif len(tags) < n or tags[-n:] != names:
            continue
        if not dynamic:
            return True
        res = None
    return res


def static_match(alts: tuple[Any, ...], path: list[tuple[str, bool]]) -> bool | None:
    """Whether a rule's pattern matches a node with this path of names: True, False, or None
    (the names fit but a predicate on values decides: call the match function)."""
    res: bool | None = False
    for anchored, steps in alts:
        if not steps:
            r: bool | None = not path
        elif not path:
            r = False
        else:
            r = _steps_match(steps, len(steps) - 1, path, len(path) - 1, anchored)
        if r is True:
            return True
        if r is None:
            res = None
    return res


def _test_ok(test: tuple[Any, ...], tag: str, is_attr: bool, axis: str) -> bool:
    if axis == "attribute":
        if not is_attr:
            return False
    elif is_attr:
        return False
    kind = test[0]
    if kind == "name":
        return tag == test[1]  # type: ignore[no-any-return]
    if kind == "any":
        return True
    if kind == "ns":
        return tag.startswith("{" + test[1] + "}")
    if kind == "local":
        return tag.rpartition("}")[2] == test[1]  # type: ignore[no-any-return]
    k = test[1]
    if k == "node":
        return True
    if k == "element":
        return not is_attr
    if k == "attribute":
        return is_attr
    return False


def _cond_ok(c: tuple[Any, ...], tag: str) -> bool:
    op = c[0]
    if op == "not":
        return not _cond_ok(c[1], tag)
    if op == "tag":
        return tag == c[1]  # type: ignore[no-any-return]
    if op == "ends":
        return tag.rpartition("}")[2].endswith(c[1])
    raise ValueError(op)


def _steps_match(
    steps: tuple[Any, ...], i: int, path: list[tuple[str, bool]], j: int, anchored: bool
) -> bool | None:
    conn, axis, test, tagconds, dynamic = steps[i]
    tag, is_attr = path[j]
    if not _test_ok(test, tag, is_attr, axis):
        return False
    for c in tagconds:
        if not _cond_ok(c, tag):
            return False
    here: bool | None = None if dynamic else True
    if i == 0:
        if conn == "/" and anchored and j != 0:
            return False
        return here
    if conn == "/":
        if j == 0:
            return False
        sub = _steps_match(steps, i - 1, path, j - 1, anchored)
    else:  # "//": some ancestor element
        sub = False
        for k in range(j - 1, -1, -1):
            r = _steps_match(steps, i - 1, path, k, anchored)
            if r is True:
                sub = True
                break
            if r is None:
                sub = None
    if sub is False:
        return False
    return True if (here is True and sub is True) else None


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


#: the functions of a generated module loaded on first call: rule bodies and match functions
_LAZY_NAME = re.compile(r"[rm]\d+")
#: the code every lazy function has until it is loaded (its name is a keyword default)
_STUB_SRC = "def _stub(*args, _name=None):\n    return _LAZY(_name)(*args)\n"


def _split(code: types.CodeType) -> tuple[types.CodeType, types.CodeType, dict[str, bytes]]:
    """The module code with each rule body and match function replaced by one shared stub,
    the stub, and the marshal'ed code of each replaced function (unmarshalled on first call:
    a document needs only the rules of the element paths it has)."""
    stub = next(
        c for c in compile(_STUB_SRC, "<lazy>", "exec").co_consts if isinstance(c, types.CodeType)
    )
    chunks: dict[str, bytes] = {}
    consts = []
    for c in code.co_consts:
        if isinstance(c, types.CodeType) and _LAZY_NAME.fullmatch(c.co_name):
            chunks[c.co_name] = marshal.dumps(c)
            consts.append(stub)
        else:
            consts.append(c)
    return code.replace(co_consts=tuple(consts)), stub, chunks


def _code(path: Path) -> tuple[types.CodeType, types.CodeType | None, dict[str, bytes]]:
    """The code of a generated module (see :func:`_split`), from its marshal'ed copy beside it
    when current.

    Python's own bytecode cache is not relied upon (``PYTHONDONTWRITEBYTECODE`` or a read-only
    ``__pycache__`` would make every start compile a megabyte of source again): the code is
    written next to the module as ``<name>.<cache_tag>.code`` and read back with
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
            got = marshal.loads(memoryview(data)[len(header) :])
        except (EOFError, ValueError, TypeError):
            got = None
        if (
            isinstance(got, tuple)
            and len(got) == 3
            and isinstance(got[0], types.CodeType)
            and isinstance(got[1], types.CodeType)
            and isinstance(got[2], dict)
        ):
            return got
    code = compile(path.read_text(encoding="utf-8"), str(path), "exec", dont_inherit=True)
    split = _split(code)
    with contextlib.suppress(OSError):
        _write_bytes(bin_path, header + marshal.dumps(split))
    return split


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
    ns = mod.__dict__
    code, stub, chunks = _code(path)
    lock = threading.Lock()

    def load(fname: str) -> Callable[..., Any]:
        """The real function of a lazy one (unmarshalled on first use, then kept)."""
        fn = ns.get(fname)
        if fn is not None and getattr(fn, "__code__", None) is not stub:
            return fn  # type: ignore[no-any-return]
        with lock:
            fn = ns.get(fname)
            if fn is None or fn.__code__ is stub:
                fn = types.FunctionType(marshal.loads(chunks[fname]), ns, fname)
                ns[fname] = fn
        return fn

    ns["_LAZY"] = load
    sys.modules[name] = mod
    try:
        exec(code, ns)
    except BaseException:
        sys.modules.pop(name, None)
        raise
    for fname, fn in list(ns.items()):
        if isinstance(fn, types.FunctionType) and fn.__code__ is stub:
            fn.__kwdefaults__ = {"_name": fname}
            fn.__name__ = fn.__qualname__ = fname
    return mod


def real(fn: Any) -> Any:
    """The loaded function behind a lazy stub of a generated module (or ``fn`` itself)."""
    kw = getattr(fn, "__kwdefaults__", None)
    if kw and "_name" in kw:
        return fn.__globals__["_LAZY"](kw["_name"])
    return fn


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
            # one process compiles, the others (workers started together) wait for its file
            with _file_lock(path.with_name(path.name + ".lock")):
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


def clear_value_caches() -> None:
    """Forget every value kept across documents: the results of the artefacts' functions of
    strings (per loaded stage) and the parsed numbers and dates. Compiled code, dispatch
    tables and regular expressions stay. For benchmarks that must not reuse a previous run's
    values; a long-running process never needs it (the caches are bounded)."""
    with _lock:
        for st in _stages.values():
            if st is not None:
                for cache in st.value_caches:
                    cache.clear()
    runtime.str_to_dec.cache_clear()
    runtime.str_to_dbl.cache_clear()
    runtime.str_to_date.cache_clear()


def warm(keys: list[str] | None = None) -> list[str]:
    """Compile (into the cache) and load every native stage, or the given artefact keys.

    Returns the keys that have a stage. A test session or a deployment calls it once so that
    no later process pays the compile (a few seconds for all stages, once per wheel version).
    """
    from einvoice_gov.native.ruleinfo import STAGES

    return [k for k in (keys or list(STAGES)) if stage(k) is not None]


@contextlib.contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    """An exclusive lock between processes (POSIX ``flock``; no lock where unavailable)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: concurrent compiles only waste time
        yield
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+b") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


class Prepared:
    """A document's node tree for the stages of one check, freed as soon as the check drops it.

    The tree has reference cycles (a node and its parent); left alone it would wait for the
    cyclic garbage collector, whose passes then walk every tree still pending. This handle is
    not part of any cycle: when the check releases it, it breaks the tree's cycles and
    reference counting frees the whole tree at once.
    """

    __slots__ = ("doc",)

    def __init__(self, doc: runtime.Doc) -> None:
        self.doc = doc

    def __del__(self) -> None:
        self.doc.release()


class NativeEngine:
    """``--engine native``: the artefacts compiled to Python, run on a light node tree."""

    name = "native"

    def prepare(self, doc: Any) -> Prepared | None:
        if doc.tree is None:
            return None
        return Prepared(runtime.build(doc.tree))

    def run(self, spec: Any, doc: Any, prepared: Any) -> list[Any] | None:
        if prepared is None:
            return None
        d = prepared.doc if type(prepared) is Prepared else prepared
        fn = HANDWRITTEN.get(spec.key)
        if fn is not None:
            return fn(d)
        st = stage(spec.key)
        if st is None:
            return None
        return st.run(d)
