"""Throughput and memory of `einvoice-gov check` on a large export folder.

    python bench/bench_batch.py [--files 10000] [--jobs 2] [--chain fr]

Builds a temporary folder of N invoices (copies of the demo XML invoices under new names),
runs the CLI with ``--format jsonl`` once on the whole folder, and prints files/s and the peak
resident memory of the parent and of the largest worker. As a baseline measured in the same run
it prints the same figures for a 10× smaller folder: flat memory means the ratio of peak memory
stays near 1 while the file count grows tenfold.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def build(folder: Path, n: int) -> None:
    sources = sorted((ROOT / "fixtures" / "demo").glob("*.xml"))
    folder.mkdir(parents=True)
    for i in range(n):
        src = sources[i % len(sources)]
        shutil.copyfile(src, folder / f"inv-{i:06d}.xml")


def run(folder: Path, jobs: int, chain: str) -> tuple[float, int, int]:
    cmd = [
        sys.executable,
        "-m",
        "einvoice_gov",
        "check",
        "--format",
        "jsonl",
        "--jobs",
        str(jobs),
        "--chain",
        chain,
        "--no-progress",
        str(folder),
    ]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert proc.stdout is not None
    lines = sum(1 for _ in proc.stdout)
    proc.wait()
    elapsed = time.perf_counter() - t0
    # ru_maxrss of children: the largest single process among CLI + workers (kB on Linux)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return elapsed, lines, peak


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--files", type=int, default=10_000)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--chain", default="fr")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        small, big = Path(tmp) / "small", Path(tmp) / "big"
        build(small, max(1, args.files // 10))
        build(big, args.files)
        t_s, n_s, m_s = run(small, args.jobs, args.chain)
        t_b, n_b, m_b = run(big, args.jobs, args.chain)
    print(f"{n_s:6d} files: {t_s:7.1f} s, {n_s / t_s:7.1f} files/s, peak RSS {m_s / 1024:6.1f} MB")
    print(f"{n_b:6d} files: {t_b:7.1f} s, {n_b / t_b:7.1f} files/s, peak RSS {m_b / 1024:6.1f} MB")
    print(f"files ×{n_b / max(n_s, 1):.0f} → time ×{t_b / t_s:.1f}, peak memory ×{m_b / m_s:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
