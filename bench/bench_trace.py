"""Benchmark of the trace: durable appends/s and full verification, against baselines.

Every figure is printed with the baseline measured in the same run on the same disk and CPU:

- single durable appends/s (one event per transaction) vs raw ``fdatasync``/s of a file in
  the same directory (the physical floor of one durable commit);
- batched durable appends/s (100 and 1 000 events per transaction), and 4 processes x 2 500
  batched appends through ``trace record --batch`` (exactly 10 000 entries, verify exit 0);
- ``verify`` of a log of ``--entries`` (default 1 000 000) entries with a signed checkpoint
  (every hash, link, column, the Merkle root and the signature), in one process and in
  ``--jobs`` processes, ``--repeats`` times each, as a ratio to the **hash floor** measured
  right before each run: one ``hashlib.sha256`` call per entry over the same stored bytes
  (``SHA-256(0x00 ‖ entry)``, what any verifier must compute). The machine may be shared:
  min, median and max of the ratios are printed. Also: the n-1 Merkle node hashes alone as a
  ratio to the floor, one bulk SHA-256 over the concatenated bytes, the bare read times (row
  by row, and in the verifier's blocks) and the process CPU time of each run.

Usage::

    python bench/bench_trace.py [--entries 1000000] [--pg postgresql://…] [--json out.json]

PostgreSQL runs when ``--pg`` or ``EINVOICE_TEST_POSTGRES`` gives a server (a throw-away
schema is created and dropped). ``--quick`` shrinks everything for a smoke run.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from einvoice_gov.trace import Event, Ledger, open_store, verify
from einvoice_gov.trace.merkle import root
from einvoice_gov.trace.scan import CHUNK


def _events(prefix: str, n: int) -> list[Event]:
    """n realistic events (issued, deposited, approved, paid with amounts) on n/5 invoices."""
    out = []
    at = "2026-11-26T13:00:00.000000Z"
    for i in range(n):
        inv = f"F2026-{i // 5:07d}"
        k = i % 5
        if k == 0:
            ev = Event.new(
                inv,
                "issued",
                {"sha256": f"{i:064x}", "verdict": "valid"},
                event_id=f"{prefix}{i}",
                at=at,
            )
        elif k == 4:
            ev = Event.new(
                inv,
                "status",
                {
                    "code": "212",
                    "amounts": [{"amount": f"{i}.50", "vat_rate": "20.00", "currency": "EUR"}],
                    "status_at": "2026-11-20T10:00:00",
                },
                event_id=f"{prefix}{i}",
                at=at,
            )
        else:
            code = ("200", "202", "205")[k - 1]
            ev = Event.new(
                inv,
                "status",
                {"code": code, "status_at": "2026-11-02T10:00:00"},
                event_id=f"{prefix}{i}",
                at=at,
            )
        out.append(ev)
    return out


def fdatasync_rate(directory: Path, seconds: float = 2.0) -> float:
    path = directory / "fsync.probe"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o644)
    n, t0 = 0, time.perf_counter()
    try:
        while time.perf_counter() - t0 < seconds:
            os.write(fd, b"x" * 300)
            os.fdatasync(fd)
            n += 1
    finally:
        os.close(fd)
        path.unlink()
    return n / (time.perf_counter() - t0)


class Target:
    """A store to benchmark: a SQLite file or a throw-away PostgreSQL schema."""

    def __init__(self, kind: str, workdir: Path, pg: str | None) -> None:
        self.kind, self.pg = kind, pg
        self.n = 0
        self.workdir = workdir

    def fresh(self) -> str:
        self.n += 1
        if self.kind == "sqlite":
            return f"sqlite:///{self.workdir / f'bench{self.n}.db'}"
        assert self.pg
        schema = f"bench_{uuid.uuid4().hex[:12]}"
        self.schemas = [*getattr(self, "schemas", []), schema]
        return self.pg + ("&" if "?" in self.pg else "?") + f"schema={schema}"

    def cleanup(self) -> None:
        if self.kind == "postgres" and getattr(self, "schemas", None):
            import psycopg

            with psycopg.connect(self.pg or "", autocommit=True) as c:
                for s in self.schemas:
                    c.execute(f'DROP SCHEMA IF EXISTS "{s}" CASCADE')


def bench_appends(t: Target, single_n: int, batched_n: int) -> dict[str, Any]:
    res: dict[str, Any] = {}
    url = t.fresh()
    with open_store(url) as store:
        evs = _events("s", single_n)
        # the disk is shared: probe fdatasync right before and after, report the mean
        before = fdatasync_rate(t.workdir, 1.0)
        t0 = time.perf_counter()
        for ev in evs:
            store.append([ev])
        res["single_per_s"] = single_n / (time.perf_counter() - t0)
        res["fdatasync_per_s"] = (before + fdatasync_rate(t.workdir, 1.0)) / 2
        for batch in (100, 1000):
            evs = _events(f"b{batch}-", batched_n)
            t0 = time.perf_counter()
            for i in range(0, batched_n, batch):
                store.append(evs[i : i + batch])
            res[f"batch{batch}_per_s"] = batched_n / (time.perf_counter() - t0)
        res["verify_ok"] = verify(store, jobs=1).ok
    return res


def bench_processes(t: Target, procs: int = 4, per: int = 2500) -> dict[str, Any]:
    url = t.fresh()
    files = []
    for p in range(procs):
        f = t.workdir / f"w{t.n}-{p}.jsonl"
        with f.open("w") as out:
            for ev in _events(f"p{p}-", per):
                out.write(
                    json.dumps(
                        {"event_id": ev.event_id, "invoice": ev.invoice, "type": ev.type, **ev.data}
                    )
                    + "\n"
                )
        files.append(f)
    open_store(url).close()
    cmd = [sys.executable, "-m", "einvoice_gov", "trace", "record", "--chunk", "500"]
    t0 = time.perf_counter()
    running = [
        subprocess.Popen([*cmd, "--batch", str(f), "--store", url], stdout=subprocess.PIPE)
        for f in files
    ]
    outs = [p.communicate()[0] for p in running]
    wall = time.perf_counter() - t0
    acks = sum(len(o.splitlines()) for o in outs)
    v = subprocess.run(
        [
            sys.executable,
            "-m",
            "einvoice_gov",
            "trace",
            "verify",
            "--format",
            "json",
            "--store",
            url,
        ],
        capture_output=True,
        text=True,
    )
    with open_store(url) as store:
        size = store.size()
    return {
        "processes": procs,
        "per_process": per,
        "acks": acks,
        "entries": size,
        "wall_s": wall,
        "per_s_including_startup": size / wall,
        "verify_exit": v.returncode,
    }


def _hash_floor(bodies: list[bytes]) -> float:
    """One SHA-256 per entry over the stored bytes: ``SHA-256(0x00 ‖ entry)``."""
    t0 = time.perf_counter()
    for b in bodies:
        hashlib.sha256(b"\x00" + b).digest()
    return time.perf_counter() - t0


def _spread(xs: list[float]) -> dict[str, float]:
    xs = sorted(xs)
    return {"min": xs[0], "median": xs[len(xs) // 2], "max": xs[-1]}


def bench_verify(t: Target, n: int, jobs: int, repeats: int) -> dict[str, Any]:
    """Verify ``n`` entries ``repeats`` times, each run next to its own hash floor.

    The machine may be shared: every verification is timed right after a measure of the
    floor, and the ratio of the pair is kept; min, median and max of the ratios are reported.
    """
    url = t.fresh()
    key = t.workdir / f"verify-{t.kind}{t.n}.key"
    res: dict[str, Any] = {"entries": n, "repeats": repeats, "parallel_jobs": jobs}
    with open_store(url) as store:
        t0 = time.perf_counter()
        step = 5000
        for i in range(0, n, step):
            store.append(_events(f"v{i}-", min(step, n - i)))
        res["build_s"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        Ledger(store, key=key).checkpoint()
        res["checkpoint_s"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        bodies = [r[6] for r in store.raw_rows()]
        res["read_rows_s"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        for _blk in store.blocks(0, n, CHUNK):
            pass
        res["read_blocks_s"] = time.perf_counter() - t0
        res["bytes"] = sum(map(len, bodies))
        leaves = [hashlib.sha256(b"\x00" + b).digest() for b in bodies]
        t0 = time.perf_counter()
        root(leaves)
        res["merkle_nodes_s"] = time.perf_counter() - t0
        del leaves
        blob = b"".join(bodies)
        t0 = time.perf_counter()
        hashlib.sha256(blob).digest()
        res["bulk_sha256_s"] = time.perf_counter() - t0
        del blob
        runs: dict[str, list[tuple[float, float, float]]] = {"one_pass": [], "parallel": []}
        for _ in range(repeats):
            for label, j in (("one_pass", 1), ("parallel", jobs)):
                floor = _hash_floor(bodies)
                c0, t0 = time.process_time(), time.perf_counter()
                r = verify(store, key=key, jobs=j)
                wall, cpu = time.perf_counter() - t0, time.process_time() - c0
                assert r.ok and r.entries == n and r.signatures == "checked", r.as_dict()
                runs[label].append((wall, floor, cpu))
        del bodies
        for label, xs in runs.items():
            res[f"verify_{label}_s"] = _spread([w for w, _, _ in xs])
            res[f"ratio_{label}_to_hash_floor"] = _spread([w / f for w, f, _ in xs])
            res[f"cpu_{label}_s"] = _spread([c for _, _, c in xs])
        res["hash_floor_s"] = _spread([f for xs in runs.values() for _, f, _ in xs])
        res["merkle_nodes_to_hash_floor"] = res["merkle_nodes_s"] / res["hash_floor_s"]["min"]
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--entries", type=int, default=1_000_000)
    ap.add_argument("--pg", default=os.environ.get("EINVOICE_TEST_POSTGRES"))
    ap.add_argument("--jobs", type=int, default=min(4, os.cpu_count() or 1))
    ap.add_argument("--repeats", type=int, default=5, help="verifications per mode")
    ap.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    ap.add_argument("--skip", default="", help="comma list of sections: appends,procs,verify")
    ap.add_argument("--json", type=Path, default=None, help="also write the results here")
    args = ap.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    single_n, batched_n = (50, 2000) if args.quick else (400, 20000)
    entries = min(args.entries, 20000) if args.quick else args.entries
    workdir = Path(tempfile.mkdtemp(prefix="bench-trace-", dir=os.environ.get("BENCH_DIR")))
    kinds = ["sqlite"] + (["postgres"] if args.pg else [])
    out: dict[str, Any] = {
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "load_avg": os.getloadavg(),
            "platform": platform.platform(),
        },
        "fdatasync_per_s": fdatasync_rate(workdir),
    }
    print(f"baseline: raw fdatasync {out['fdatasync_per_s']:.0f}/s in {workdir}")
    try:
        for kind in kinds:
            t = Target(kind, workdir, args.pg)
            try:
                r: dict[str, Any] = {}
                if "appends" not in skip:
                    r["appends"] = a = bench_appends(t, single_n, batched_n)
                    print(
                        f"{kind}: single {a['single_per_s']:.0f}/s "
                        f"({a['single_per_s'] / a['fdatasync_per_s']:.2f}x the raw fdatasync/s "
                        f"{a['fdatasync_per_s']:.0f} measured around it), "
                        f"batch 100 {a['batch100_per_s']:.0f}/s, "
                        f"batch 1000 {a['batch1000_per_s']:.0f}/s"
                    )
                if "procs" not in skip:
                    r["processes"] = p = bench_processes(t)
                    print(
                        f"{kind}: 4 processes x 2500 batched: {p['entries']} entries, "
                        f"{p['acks']} acks, verify exit {p['verify_exit']}, "
                        f"{p['wall_s']:.2f} s wall incl. start-up"
                    )
                if "verify" not in skip:
                    r["verify"] = v = bench_verify(t, entries, args.jobs, args.repeats)
                    one, par = v["ratio_one_pass_to_hash_floor"], v["ratio_parallel_to_hash_floor"]
                    print(
                        f"{kind}: verify {v['entries']} entries ({v['bytes'] / 1e6:.0f} MB), "
                        f"{v['repeats']} runs, ratio to the hash floor measured just before "
                        f"each run (min / median / max): one process "
                        f"{one['min']:.2f} / {one['median']:.2f} / {one['max']:.2f}x; "
                        f"{v['parallel_jobs']} processes "
                        f"{par['min']:.2f} / {par['median']:.2f} / {par['max']:.2f}x "
                        f"(floor {v['hash_floor_s']['min']:.2f}-{v['hash_floor_s']['max']:.2f} s;"
                        f" Merkle nodes alone {v['merkle_nodes_to_hash_floor']:.2f}x the floor; "
                        f"bulk SHA-256 {v['bulk_sha256_s']:.2f} s; reading rows "
                        f"{v['read_rows_s']:.2f} s, blocks {v['read_blocks_s']:.2f} s; "
                        f"build {v['build_s']:.0f} s)"
                    )
                out[kind] = r
            finally:
                t.cleanup()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    out["machine"]["load_avg_end"] = os.getloadavg()
    if args.json:
        args.json.write_text(json.dumps(out, indent=1))
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
