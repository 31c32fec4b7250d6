"""Load a local page in headless Chromium and report what it did, over the DevTools protocol.

Stdlib only: Chromium is started with ``--remote-debugging-pipe`` and reads commands on file
descriptor 3, writes answers and events on descriptor 4, each message a JSON text ended by a
NUL byte (see docs/decisions/0602-html-report-browser-test.md). No port, no websocket.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--remote-debugging-pipe",
)


def find_chromium() -> str | None:
    for name in ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name) if not name.startswith("/") else name
        if path and os.access(path, os.X_OK):
            return path
    return None


@dataclass
class PageLoad:
    url: str
    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    exceptions: list[str] = field(default_factory=list)
    log_errors: list[str] = field(default_factory=list)
    title: str = ""
    screenshot: Path | None = None


class _Pipe:
    def __init__(self, write_fd: int, read_fd: int) -> None:
        self.write_fd = write_fd
        self.read_fd = read_fd
        self.buffer = b""
        self.next_id = 0
        self.events: list[dict[str, Any]] = []

    def send(
        self, method: str, params: dict[str, Any] | None = None, session: str | None = None
    ) -> int:
        self.next_id += 1
        msg: dict[str, Any] = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self.write_fd, json.dumps(msg).encode() + b"\0")
        return self.next_id

    def _read(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("Chromium did not answer in time")
            ready, _, _ = select.select([self.read_fd], [], [], left)
            if ready:
                chunk = os.read(self.read_fd, 1 << 20)
                if not chunk:
                    raise RuntimeError("Chromium closed the DevTools pipe")
                self.buffer += chunk
        raw, self.buffer = self.buffer.split(b"\0", 1)
        message: dict[str, Any] = json.loads(raw)
        return message

    def call(
        self,
        method: str,
        params: dict[str, Any] | None = None,
        session: str | None = None,
        timeout: float = 30,
    ) -> dict[str, Any]:
        mid = self.send(method, params, session)
        deadline = time.monotonic() + timeout
        while True:
            msg = self._read(deadline)
            if msg.get("id") == mid:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                result: dict[str, Any] = msg.get("result", {})
                return result
            if "method" in msg:
                self.events.append(msg)

    def wait_event(self, method: str, timeout: float) -> dict[str, Any]:
        for i, ev in enumerate(self.events):
            if ev["method"] == method:
                return self.events.pop(i)
        deadline = time.monotonic() + timeout
        while True:
            msg = self._read(deadline)
            if msg.get("method") == method:
                return msg
            if "method" in msg:
                self.events.append(msg)

    def drain(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        try:
            while True:
                msg = self._read(deadline)
                if "method" in msg:
                    self.events.append(msg)
        except TimeoutError:
            return


def load_page(
    chromium: str, page: Path, screenshot: Path, *, width: int = 1100, timeout: float = 45
) -> PageLoad:
    """Open ``page`` (a local file), wait for it to load, take a full-page screenshot."""
    url = page.resolve().as_uri()
    to_child_r, to_child_w = os.pipe()
    from_child_r, from_child_w = os.pipe()

    def wire() -> None:  # runs in the child: DevTools reads fd 3 and writes fd 4
        read_end, write_end = os.dup(to_child_r), os.dup(from_child_w)
        os.dup2(read_end, 3)
        os.dup2(write_end, 4)

    with tempfile.TemporaryDirectory(prefix="einvoice-chromium-") as profile:
        proc = subprocess.Popen(
            [
                chromium,
                *FLAGS,
                f"--user-data-dir={profile}",
                f"--window-size={width},900",
                "about:blank",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            pass_fds=(3, 4),  # kept open by number: wire() puts the pipe ends there
            preexec_fn=wire,
        )
        os.close(to_child_r)
        os.close(from_child_w)
        pipe = _Pipe(to_child_w, from_child_r)
        result = PageLoad(url)
        try:
            target = pipe.call("Target.createTarget", {"url": "about:blank"}, timeout=timeout)
            attached = pipe.call(
                "Target.attachToTarget", {"targetId": target["targetId"], "flatten": True}
            )
            s = attached["sessionId"]
            for domain in ("Network", "Runtime", "Log", "Page"):
                pipe.call(f"{domain}.enable", session=s)
            pipe.call("Page.navigate", {"url": url}, session=s)
            pipe.wait_event("Page.loadEventFired", timeout)
            pipe.drain(1.0)  # late console messages and requests
            title = pipe.call(
                "Runtime.evaluate",
                {"expression": "document.title", "returnByValue": True},
                session=s,
            )
            result.title = str(title.get("result", {}).get("value", ""))
            shot = pipe.call(
                "Page.captureScreenshot",
                {"format": "png", "captureBeyondViewport": True},
                session=s,
                timeout=timeout,
            )
            screenshot.write_bytes(base64.b64decode(shot["data"]))
            result.screenshot = screenshot
            pipe.drain(0.2)
            for ev in pipe.events:
                params = ev.get("params", {})
                method = ev["method"]
                if method == "Network.requestWillBeSent":
                    result.requests.append(params["request"]["url"])
                elif method == "Runtime.consoleAPICalled" and params.get("type") in (
                    "error",
                    "assert",
                ):
                    result.console_errors.append(json.dumps(params.get("args", [])))
                elif method == "Runtime.exceptionThrown":
                    result.exceptions.append(json.dumps(params.get("exceptionDetails", {})))
                elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
                    result.log_errors.append(params["entry"].get("text", ""))
            with contextlib.suppress(RuntimeError, TimeoutError):
                pipe.call("Browser.close", timeout=5)
        finally:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            os.close(to_child_w)
            os.close(from_child_r)
    return result
