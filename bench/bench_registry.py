"""Cost of the rule registry at start-up and per lookup, as ratios to a baseline measured in the
same run.

    python bench/bench_registry.py [--repeat 7]

Each run is a fresh interpreter (what a CLI start pays). In it, one after the other: the
baseline ``import einvoice_gov``; then loading the registry's rule modules; one lookup (one
catalogue family parsed); one lookup in every other family; ``all_rules()`` (the whole
catalogue, as ``einvoice-gov rules list`` and the doc generator need). Prints the median of
each step in milliseconds and its ratio to the baseline import.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys

PROBE = r"""
import json, time
t = time.perf_counter
marks = {}
t0 = t(); import einvoice_gov; marks["import einvoice_gov (baseline)"] = t() - t0
from einvoice_gov.validation import registry
t0 = t(); registry._load(); marks["load rule modules"] = t() - t0
t0 = t(); registry.get("BR-CO-15"); marks["first get (one family file)"] = t() - t0
t0 = t(); registry.get("BR-CO-16"); marks["second get, same family"] = t() - t0
codes = ("BR-S-08", "BR-FR-10_BT-30", "UBL-SR-12", "UBL-CR-001", "CII-SR-001", "CII-DT-001",
         "BR-FREXT-05", "FX-SCH-A-000001")
t0 = t(); [registry.get(c) for c in codes]; marks["one get in 8 other families"] = t() - t0
t0 = t(); registry.all_rules(); marks["all_rules() (rest of catalogue)"] = t() - t0
print(json.dumps(marks))
"""


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    runs = []
    for _ in range(args.repeat):
        out = subprocess.run(
            [sys.executable, "-c", PROBE], check=True, capture_output=True, text=True
        ).stdout
        runs.append(json.loads(out.strip().splitlines()[-1]))
    names = list(runs[0])
    med = {n: statistics.median(r[n] for r in runs) * 1000 for n in names}
    base = med[names[0]]
    for n in names:
        print(f"{n:<36} {med[n]:8.2f} ms   {med[n] / base:6.3f} x baseline")


if __name__ == "__main__":
    main()
