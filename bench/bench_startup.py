"""Wall time of ``einvoice-gov check FILE`` on one file, against a bare Python start-up.

    python bench/bench_startup.py [FILE ...] [--runs N] [--engine native|official|default]

Each command runs N times (after one untimed run that warms the native compile cache, the OS
file cache and the package's bytecode cache, as after ``pip install``); the median and the best
wall times are printed, with the ratio to
``python -c pass`` measured in the same run (the floor any Python CLI pays), and the time of
``import einvoice_gov.cli`` alone. The console script is the one installed beside the running
interpreter (``<prefix>/bin/einvoice-gov``, as pip installs it), else ``python -m einvoice_gov``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FILES = [
    ROOT / "fixtures" / "demo" / "FA-2026-0104-ubl.xml",
    ROOT / "fixtures" / "demo" / "FA-2026-0101.xml",
]


def cli_command() -> list[str]:
    script = Path(sys.executable).parent / "einvoice-gov"
    if script.is_file():
        return [sys.executable, str(script)]
    return [sys.executable, "-m", "einvoice_gov"]


def wall(cmd: list[str], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - t0)
    return times


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--engine", default="native", help="native, official or default")
    args = ap.parse_args()
    files = args.files or DEFAULT_FILES
    engine = [] if args.engine == "default" else ["--engine", args.engine]
    cli = cli_command()
    cases: list[tuple[str, list[str]]] = [
        ("python -c pass", [sys.executable, "-c", "pass"]),
        ("import einvoice_gov.cli", [sys.executable, "-c", "import einvoice_gov.cli"]),
    ]
    for f in files:
        cases.append((f"check {f.name}", [*cli, "check", *engine, str(f)]))
    # untimed warm-up: compile caches, OS caches, and Python's bytecode of the package as an
    # installed package has it (pip compiles it at install time; a checkout run with
    # PYTHONDONTWRITEBYTECODE=1 would otherwise compile every edited module at each start)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    for _, cmd in cases:
        subprocess.run(
            cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, env=env
        )
    # interleave the cases so that machine load hits them alike
    results: dict[str, list[float]] = {label: [] for label, _ in cases}
    for _ in range(args.runs):
        for label, cmd in cases:
            results[label] += wall(cmd, 1)
    base = statistics.median(results["python -c pass"])
    print(f"interpreter: {sys.executable}  engine: {args.engine}  runs: {args.runs}")
    print(f"cache: {os.environ.get('EINVOICE_CACHE_DIR', '(default)')}")
    for label, _ in cases:
        t = results[label]
        med = statistics.median(t)
        print(
            f"{label:34s} median={med * 1000:7.1f} ms  best={min(t) * 1000:7.1f} ms  "
            f"ratio to python -c pass={med / base:5.2f}x"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
