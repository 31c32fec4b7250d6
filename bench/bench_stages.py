"""Per-stage cost of the validation chain, as ratios to a bare lxml parse of the same files.

    python bench/bench_stages.py [DIR_OR_FILES...] [--repeat 5]

Default corpus: the official EN 16931 examples (../shared/conformance/en16931-examples).
For every file it times, in the same run: the bare ``lxml.etree.fromstring`` (the baseline),
our hardened load + detection, the XSD stage with lxml and with xmlschema, then each schematron
stage of the file's FNFE chain run by Saxon (official engine), plus Saxon's own parse. Prints
the median per file in milliseconds and the ratio to the baseline.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from lxml import etree

from einvoice_gov.formats.document import load
from einvoice_gov.validation import official
from einvoice_gov.validation.batch import iter_files
from einvoice_gov.validation.chains import ChainChoice, plan
from einvoice_gov.validation.xsd import BACKENDS

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT.parent / "shared" / "conformance" / "en16931-examples"


def timed(fn: Callable[[], object], repeat: int) -> float:
    best = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best.append(time.perf_counter() - t0)
    return statistics.median(best)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("paths", nargs="*", default=[str(DEFAULT)])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--chain", default="fr", choices=["en16931", "fr"])
    args = ap.parse_args()
    files = [f for f in iter_files(args.paths) if f.endswith((".xml", ".XML"))]
    if not files:
        print("no files", file=sys.stderr)
        return 2
    times: dict[str, list[float]] = defaultdict(list)
    # Warm-up: load schemas and compile every stylesheet once (start-up cost measured apart).
    t0 = time.perf_counter()
    docs = [load(f) for f in files]
    keys = {s.key for d in docs for s in plan(d, ChainChoice(args.chain))[1]}
    for k in sorted(keys):
        if k.startswith("xsd/"):
            BACKENDS["lxml"].validate(k, docs[0].tree)  # type: ignore[arg-type]
        elif official.available():
            official.saxon().executable(k)
    startup = time.perf_counter() - t0
    for path, doc in zip(files, docs, strict=True):
        data = Path(path).read_bytes()
        assert doc.tree is not None
        tree = doc.tree
        times["lxml parse (baseline)"].append(
            timed(lambda d=data: etree.fromstring(d), args.repeat)  # type: ignore[misc]
        )
        times["load + detect"].append(timed(lambda d=data: load(d), args.repeat))  # type: ignore[misc]
        _, stages = plan(doc, ChainChoice(args.chain))
        for spec in stages:
            if spec.kind == "xsd":
                for name, backend in BACKENDS.items():
                    if name == "xmlschema" and spec.name != "xsd":
                        continue
                    times[f"{spec.name} ({name})"].append(
                        timed(
                            lambda b=backend, k=spec.key, t=tree: b.validate(k, t),  # type: ignore[misc]
                            args.repeat,
                        )
                    )
            elif official.available() and official.has_artefact(spec.key):
                xml = etree.tostring(tree, encoding="UTF-8")
                sdoc = official.SaxonDocument(xml)
                times["saxon parse"].append(
                    timed(lambda x=xml: official.SaxonDocument(x), args.repeat)
                )

                def run(k: str = spec.key, d: official.SaxonDocument = sdoc) -> None:
                    with contextlib.suppress(official.StageCrash):
                        official.run(k, d)

                times[f"{spec.name} (saxon)"].append(timed(run, args.repeat))
    base = statistics.mean(times["lxml parse (baseline)"])
    print(
        f"{len(files)} files from {', '.join(args.paths)}; chain {args.chain}; "
        f"median of {args.repeat} runs per file"
    )
    print(f"one-off start-up (schemas + XSLT compilation): {startup:.2f} s")
    print(f"{'stage':32s} {'files':>5s} {'ms/file':>9s} {'× lxml parse':>13s}")
    for name, vals in times.items():
        mean = statistics.mean(vals)
        print(f"{name:32s} {len(vals):5d} {mean * 1000:9.3f} {mean / base:13.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
