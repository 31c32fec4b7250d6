"""The native engine's speed devices give the same hits as the plain semantics they replace.

* dispatch by element path (``engine.static_match``) against calling every rule's match
  function in priority order, as XSLT does, on conformance documents of both syntaxes;
* a full path table (ids -1, resolved per element) and a fresh process state give the same
  hits as the cached dispatch;
* the per-document memo never leaks from one document to another;
* a damaged marshal'ed code file is ignored and rewritten.
"""

from __future__ import annotations

import collections
from pathlib import Path
from typing import Any

import pytest

from einvoice_gov.formats.document import load
from einvoice_gov.native import engine, runtime
from einvoice_gov.native.ruleinfo import STAGES
from tests.conftest import conformance_dir

pytestmark = pytest.mark.conformance


def _docs(syntax: str, n: int = 12) -> list[Any]:
    cases = conformance_dir() / "mutants-dev" / "cases"
    files = sorted(cases.glob(f"dev-{syntax}-*.xml"))[::37][:n]
    docs = [load(f) for f in files]
    return [d for d in docs if d.tree is not None]


def _keys(syntax: str) -> list[str]:
    return [k for k, (_, syn) in STAGES.items() if syn == syntax]


def _plain_hits(st: engine.CompiledStage, d: runtime.Doc) -> list[tuple[int, Any, str | None]]:
    """Every element and attribute against every rule's match function, in priority order."""
    out: list[tuple[int, Any, str | None]] = []
    with runtime.decimal_context():
        try:
            g = st.globals_(d)
        except runtime.XPathError:
            g = ()
        nodes: list[Any] = [d]
        for e in d.elems:
            nodes.append(e)
            nodes.extend(e.anodes)
        for n in nodes:
            for _name, keys in st.patterns:
                for k in keys:
                    m, r = st.rules[k]
                    if m(n, d, g):
                        r(n, d, g, out)
                        break
    return out


def _summary(hits: list[tuple[int, Any, str | None]]) -> collections.Counter[Any]:
    return collections.Counter((ci, n.pos, err) for ci, n, err in hits)


@pytest.mark.parametrize("syntax", ["ubl", "cii"])
def test_path_dispatch_fires_what_the_match_functions_fire(syntax: str) -> None:
    docs = _docs(syntax)
    if not docs:
        pytest.skip("no conformance documents")
    compared = 0
    for key in _keys(syntax):
        st = engine.stage(key)
        if st is None:
            continue
        for doc in docs:
            assert doc.tree is not None
            want = _summary(_plain_hits(st, runtime.build(doc.tree)))
            got = _summary(st.hits(runtime.build(doc.tree)))
            assert got == want, (key, doc.path)
            compared += 1
    assert compared >= len(docs)


def test_full_path_table_gives_the_same_hits(monkeypatch: pytest.MonkeyPatch) -> None:
    docs = _docs("ubl", 4) + _docs("cii", 4)
    if not docs:
        pytest.skip("no conformance documents")
    keys = ["en16931/ubl", "br-fr/ubl", "en16931/cii", "br-fr/cii", "extended-ctc-fr/cii"]
    before = {}
    for key in keys:
        st = engine.stage(key)
        assert st is not None
        for doc in docs:
            before[(key, doc.path)] = _summary(st.hits(runtime.build(doc.tree)))
    # a table that is already full: every element gets path id -1 (resolved per element)
    monkeypatch.setattr(runtime, "MAX_PATHS", 1)
    monkeypatch.setattr(runtime, "_PATHS", {})
    monkeypatch.setattr(runtime, "PATH_OF", [(-1, "")])
    for key in keys:
        st = engine.stage(key)
        assert st is not None
        monkeypatch.setattr(st, "_by_pid", {})
        monkeypatch.setattr(st, "_by_attr", {})
        for doc in docs:
            tree = runtime.build(doc.tree)
            assert {e.pid for e in tree.elems} == {-1}
            assert _summary(st.hits(tree)) == before[(key, doc.path)], (key, doc.path)


def test_memo_is_per_document() -> None:
    docs = _docs("ubl", 6)
    if len(docs) < 2:
        pytest.skip("no conformance documents")
    st = engine.stage("en16931/ubl")
    assert st is not None
    alone = [_summary(st.hits(runtime.build(d.tree))) for d in docs]
    trees = [runtime.build(d.tree) for d in docs]
    for tree, want in zip(trees, alone, strict=True):
        assert _summary(st.hits(tree)) == want
        assert tree.memo  # context-free values were kept for this document only
    assert len({id(t.memo) for t in trees}) == len(trees)


def test_damaged_code_cache_is_rebuilt(tmp_path: Path) -> None:
    src = tmp_path / "mod.py"
    src.write_text("X = 41 + 1\n", encoding="utf-8")
    mod = engine._import(src, "_einvoice_test_code_cache_a")
    assert mod.X == 42
    code_files = list(tmp_path.glob("mod.*.code"))
    assert len(code_files) == 1
    code_files[0].write_bytes(code_files[0].read_bytes()[:20] + b"garbage")
    mod = engine._import(src, "_einvoice_test_code_cache_b")
    assert mod.X == 42
    # the rewritten file is valid again and used as is
    data = code_files[0].read_bytes()
    assert engine._code(src)[0].co_filename == str(src)
    assert code_files[0].read_bytes() == data


def test_lazy_functions_load_on_first_call(tmp_path: Path) -> None:
    """Rule bodies and match functions of a generated module are unmarshalled on first call;
    a stub called directly (as the tables hold it) runs the real function."""
    src = tmp_path / "lazy.py"
    src.write_text(
        "def r0(n, D, G, out):\n    out.append((n, D, G))\n\n"
        "def m0(n, D, G):\n    return n == 1\n\n"
        "def fn_0(D, a0):\n    return a0 * 2\n\n"
        "RULES = ((m0, r0),)\n",
        encoding="utf-8",
    )
    for attempt in ("compiled", "from the code file"):
        mod = engine._import(src, f"_einvoice_test_lazy_{attempt.split()[0]}")
        m0, r0 = mod.RULES[0]
        assert r0.__code__ is not mod.fn_0.__code__  # a stub, not yet loaded
        assert "out.append" not in repr(r0.__code__.co_consts)
        out: list[Any] = []
        r0(1, 2, 3, out)  # through the stub
        assert out == [(1, 2, 3)], attempt
        assert engine.real(r0) is mod.r0 and mod.r0 is not r0
        assert engine.real(m0)(1, None, None) is True
        assert engine.real(mod.fn_0) is mod.fn_0 and mod.fn_0(None, 21) == 42
