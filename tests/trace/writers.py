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


class ForkedProc:
    """A forked child running the ``trace record`` command function (no interpreter start-up:
    the crash test needs hundreds of writer lives). Mimics the Popen calls we use."""

    def __init__(self, argv: list[str], stderr_path: Path) -> None:
        r, w = os.pipe()
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - runs in the child
            code = 70
            try:
                os.close(r)
                os.dup2(w, 1)
                os.close(w)
                err = os.open(stderr_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
                os.dup2(err, 2)
                sys.stdout = open(1, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
                sys.stderr = open(2, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
                from einvoice_gov.cli import cli

                try:
                    cli.main(args=argv, prog_name="einvoice-gov", standalone_mode=True)
                    code = 0
                except SystemExit as exc:
                    code = exc.code if isinstance(exc.code, int) else 1
                sys.stdout.flush()
            finally:
                os._exit(code)
        os.close(w)
        self.pid = pid
        self.args = argv
        self.returncode: int | None = None
        self.stdout = os.fdopen(r, "rb", buffering=0)
        self._stderr_path = stderr_path

    def poll(self) -> int | None:
        if self.returncode is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        if self.returncode is None:
            _, status = os.waitpid(self.pid, 0)
            self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def kill(self) -> None:
        if self.returncode is None:
            os.kill(self.pid, 9)

    def stderr_text(self) -> str:
        return self._stderr_path.read_text(errors="replace")


@dataclass
class Writer:
    """One ``trace record --batch`` process and the acknowledgements it printed."""

    proc: Any
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

    @classmethod
    def fork(cls, store_url: str, batch: Path, chunk: int = 100) -> Writer:
        """The same command in a forked child of the test process (see `ForkedProc`)."""
        argv = ["trace", "record", "--batch", str(batch), "--chunk", str(chunk)]
        proc = ForkedProc([*argv, "--store", store_url], batch.with_suffix(".stderr"))
        os.set_blocking(proc.stdout.fileno(), False)
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
