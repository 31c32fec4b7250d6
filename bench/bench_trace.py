"""Benchmark of the trace: durable appends/s and full verification, against baselines.

Every figure is printed with the baseline measured in the same run on the same disk and CPU:

- single durable appends/s (one event per transaction) vs raw ``fdatasync``/s of a file in
  the same directory (the physical floor of one durable commit);
- batched durable appends/s (100 and 1 000 events per transaction), and 4 processes x 2 500
  batched appends through ``trace record --batch`` (exactly 10 000 entries, verify exit 0);
- ``verify`` of a log of ``--entries`` (default 1 000 000) entries with a signed checkpoint
  (every hash, link, column, the Merkle root and the signature), one pass and parallel, as a
  ratio to the **hash floor**: one ``hashlib.sha256`` call per entry over the same stored
  bytes (``SHA-256(0x00 ‖ entry)``, what any verifier must compute); also the ratio to the
  full hash floor (those leaf hashes plus the n-1 Merkle node hashes a full verification
  computes), to one bulk SHA-256 over the concatenated bytes, and the bare read time.

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


def bench_verify(t: Target, n: int, jobs: int) -> dict[str, Any]:
    url = t.fresh()
    key = t.workdir / f"verify-{t.kind}{t.n}.key"
    res: dict[str, Any] = {"entries": n}
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
        res["read_only_s"] = time.perf_counter() - t0
        res["bytes"] = sum(map(len, bodies))
        # the hash floor: one SHA-256 per entry over the same stored bytes
        best = float("inf")
        for _ in range(3):
            t0 = time.perf_counter()
            for b in bodies:
                hashlib.sha256(b"\x00" + b).digest()
            best = min(best, time.perf_counter() - t0)
        res["hash_floor_s"] = best
        # every hash a full verification computes: the leaves plus the n-1 Merkle nodes
        leaves = [hashlib.sha256(b"\x00" + b).digest() for b in bodies]
        t0 = time.perf_counter()
        root(leaves)
        res["merkle_floor_s"] = time.perf_counter() - t0
        res["full_hash_floor_s"] = best + res["merkle_floor_s"]
        del leaves
        blob = b"".join(bodies)
        t0 = time.perf_counter()
        hashlib.sha256(blob).digest()
        res["bulk_sha256_s"] = time.perf_counter() - t0
        del blob, bodies
        for label, j in (("one_pass", 1), ("parallel", jobs)):
            times = []
            for _ in range(2):
                t0 = time.perf_counter()
                r = verify(store, key=key, jobs=j)
                times.append(time.perf_counter() - t0)
                assert r.ok and r.entries == n and r.signatures == "checked", r.as_dict()
            res[f"verify_{label}_s"] = min(times)
            res[f"ratio_{label}_to_hash_floor"] = min(times) / res["hash_floor_s"]
            res[f"ratio_{label}_to_bulk_sha256"] = min(times) / res["bulk_sha256_s"]
            res[f"ratio_{label}_to_full_hash_floor"] = min(times) / res["full_hash_floor_s"]
        res["parallel_jobs"] = jobs
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--entries", type=int, default=1_000_000)
    ap.add_argument("--pg", default=os.environ.get("EINVOICE_TEST_POSTGRES"))
    ap.add_argument("--jobs", type=int, default=min(4, os.cpu_count() or 1))
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
                    r["verify"] = v = bench_verify(t, entries, args.jobs)
                    print(
                        f"{kind}: verify {v['entries']} entries ({v['bytes'] / 1e6:.0f} MB): "
                        f"one pass {v['verify_one_pass_s']:.2f} s "
                        f"= {v['ratio_one_pass_to_hash_floor']:.2f}x hash floor; "
                        f"{v['parallel_jobs']} jobs {v['verify_parallel_s']:.2f} s "
                        f"= {v['ratio_parallel_to_hash_floor']:.2f}x hash floor "
                        f"(floor {v['hash_floor_s']:.2f} s; with the Merkle nodes "
                        f"{v['full_hash_floor_s']:.2f} s: "
                        f"{v['ratio_one_pass_to_full_hash_floor']:.2f}x"
                        f" / {v['ratio_parallel_to_full_hash_floor']:.2f}x; "
                        f"bulk SHA-256 {v['bulk_sha256_s']:.2f} s, "
                        f"read only {v['read_only_s']:.2f} s, build {v['build_s']:.0f} s)"
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
