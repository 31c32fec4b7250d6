"""PDF extraction + ``pdf``-stage checks per file: pikepdf against pypdf, in one run.

    python bench/bench_pdf.py [DIR_OR_FILES...] [--repeat 5]

Default corpus: every PDF under ../shared/corpus (zugferd-dev and mustang). For each file and
each backend it times, ``--repeat`` times, (1) ``read_pdf`` alone (attachments, XMP, action
scan) and (2) ``load`` + the ``pdf`` stage (what ``check`` spends on the container), keeps the
best time of each, and prints the total and the median per file in milliseconds with the ratio
pypdf / pikepdf (the baseline is pikepdf, measured in the same run). It also counts the files
on which the two backends do not read the same facts: a speed figure means nothing if the
faster library reads less.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from einvoice_gov.errors import InputError
from einvoice_gov.formats import pdf as pdfmod
from einvoice_gov.formats.document import load
from einvoice_gov.validation import pdfchecks

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT.parent / "shared" / "corpus"
BACKENDS = ("pikepdf", "pypdf")


def files_of(args: list[str]) -> list[Path]:
    roots = [Path(a) for a in args] or [DEFAULT]
    out: list[Path] = []
    for r in roots:
        out.extend(sorted(r.rglob("*.pdf")) if r.is_dir() else [r])
    return out


def best(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        with contextlib.suppress(InputError):
            fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def facts(data: bytes, backend: str) -> object:
    try:
        i = pdfmod.read_pdf(data, backend=backend)
    except InputError as exc:
        return ("error", exc.rule)
    return (
        i.version,
        i.encrypted,
        i.pages,
        [
            (a.name, a.mime, a.af_relationship, a.in_catalog_af, a.size, a.data)
            for a in i.attachments
        ],
        i.invoice.name if i.invoice else None,
        i.xmp,
        i.xmp_error is None,
        i.pdfa_part,
        i.pdfa_conformance,
        i.actions,
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="*")
    ap.add_argument("--repeat", type=int, default=5)
    ns = ap.parse_args()
    files = files_of(ns.paths)
    if not files:
        print(f"no PDF found (default corpus: {DEFAULT})", file=sys.stderr)
        return 2
    datas = [(f, f.read_bytes()) for f in files]
    read: dict[str, list[float]] = {b: [] for b in BACKENDS}
    stage: dict[str, list[float]] = {b: [] for b in BACKENDS}
    for backend in BACKENDS:
        pdfmod.set_default_backend(backend)
        for f, data in datas:
            read[backend].append(
                best(lambda d=data, b=backend: pdfmod.read_pdf(d, backend=b), ns.repeat)
            )

            def with_checks(d: bytes = data, name: str = str(f)) -> None:
                doc = load(d, name=name)
                pdfchecks.check(doc, "en")

            stage[backend].append(best(with_checks, ns.repeat))
    pdfmod.set_default_backend(None)
    differ = [f for f, d in datas if facts(d, "pikepdf") != facts(d, "pypdf")]
    print(f"{len(files)} PDF files, best of {ns.repeat} runs each; baseline = pikepdf")
    print(f"{'measure':<34}{'pikepdf':>12}{'pypdf':>12}{'pypdf/pikepdf':>16}")
    for label, table in (("read_pdf", read), ("load + pdf stage", stage)):
        tot = {b: sum(table[b]) * 1000 for b in BACKENDS}
        med = {b: statistics.median(table[b]) * 1000 for b in BACKENDS}
        print(
            f"{label + ' total (ms)':<34}{tot['pikepdf']:>12.1f}{tot['pypdf']:>12.1f}"
            f"{tot['pypdf'] / tot['pikepdf']:>15.2f}x"
        )
        print(
            f"{label + ' median/file (ms)':<34}{med['pikepdf']:>12.2f}{med['pypdf']:>12.2f}"
            f"{med['pypdf'] / med['pikepdf']:>15.2f}x"
        )
    print(f"files where the two backends read different facts: {len(differ)}")
    for f in differ:
        print(f"  {f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
