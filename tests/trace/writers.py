"""Writer processes for the concurrency and crash tests: the real ``trace record --batch``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any


def batch_lines(prefix: str, n: int, invoices: int = 97) -> list[str]:
    """n JSON lines of realistic events with ids ``<prefix>-<i>``."""
    lines = []
    for i in range(n):
        inv = f"F2026-{(hash(prefix) + i) % invoices:05d}"
        if i % 5 == 0:
            ev: dict[str, Any] = {"type": "issued", "sha256": f"{i:064x}", "verdict": "valid"}
        elif i % 5 == 4:
            ev = {
                "type": "status",
                "code": "212",
                "amounts": [{"amount": f"{i}.50", "vat_rate": "20.00", "currency": "EUR"}],
            }
        else:
            ev = {"type": "status", "code": ["200", "202", "205"][i % 3], "status_at": "2026-09-01"}
        ev.update({"event_id": f"{prefix}-{i}", "invoice": inv})
        lines.append(json.dumps(ev))
    return lines


@dataclass
class Writer:
    """One ``trace record --batch`` process and the acknowledgements it printed."""

    proc: subprocess.Popen[bytes]
    acks: list[dict[str, Any]] = field(default_factory=list)
    _partial: bytes = b""

    @classmethod
    def start(cls, store_url: str, batch: Path, chunk: int = 100) -> Writer:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "einvoice_gov",
                "trace",
                "record",
                "--batch",
                str(batch),
                "--chunk",
                str(chunk),
                "--store",
                store_url,
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env={**os.environ},
        )
        os.set_blocking(proc.stdout.fileno(), False)  # type: ignore[union-attr]
        return cls(proc)

    def pump(self) -> None:
        """Read whatever the process has printed; keep complete lines only."""
        out: IO[bytes] = self.proc.stdout  # type: ignore[assignment]
        while True:
            try:
                chunk = os.read(out.fileno(), 65536)
            except BlockingIOError:
                return
            if not chunk:
                return
            data = self._partial + chunk
            *lines, self._partial = data.split(b"\n")
            for line in lines:
                if line.strip():
                    self.acks.append(json.loads(line))

    def finish(self, timeout: float = 300) -> int:
        """Wait for the process while draining its output (a full pipe would block it)."""
        deadline = time.monotonic() + timeout
        while self.proc.poll() is None:
            self.pump()
            if time.monotonic() > deadline:
                self.proc.kill()
                raise TimeoutError(f"writer {self.proc.args} still running after {timeout} s")
            time.sleep(0.01)
        self.pump()
        return self.proc.returncode


def finish_all(writers: list[Writer], timeout: float = 300) -> list[int]:
    """Wait for several writers at once, draining all their pipes."""
    deadline = time.monotonic() + timeout
    while any(w.proc.poll() is None for w in writers):
        for w in writers:
            w.pump()
        if time.monotonic() > deadline:
            for w in writers:
                w.proc.kill()
            raise TimeoutError(f"writers still running after {timeout} s")
        time.sleep(0.01)
    for w in writers:
        w.pump()
    return [w.proc.returncode for w in writers]
