"""Validate many files: folder walking, worker processes, per-file time limit, streaming.

Results come back in input order, one at a time, so memory stays flat on any folder size.
Workers are *spawned* (not forked): Saxon's native runtime must not be shared across a fork.
"""

from __future__ import annotations

import os
import signal
import sys
import traceback
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import FrameType
from typing import Any

from einvoice_gov.errors import InputError
from einvoice_gov.validation import options
from einvoice_gov.validation.engine import input_failure, validate
from einvoice_gov.validation.findings import Report

#: Seconds one file may take before it is reported as INPUT-TIMEOUT.
DEFAULT_TIMEOUT = options.DEFAULT_TIMEOUT


def iter_files(paths: Iterable[str | Path]) -> Iterator[str]:
    """Files named and files under folders named (recursive, sorted, hidden entries skipped)."""
    for p in paths:
        path = Path(p)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for f in sorted(files):
                    if not f.startswith("."):
                        yield str(Path(root) / f)
        else:
            yield str(path)


class _Timeout(Exception):
    pass


def _alarm(signum: int, frame: FrameType | None) -> None:
    raise _Timeout()


def _one(args: tuple[str, dict[str, Any], int]) -> Report:
    path, kwargs, timeout = args
    lang = kwargs.get("lang", "en")
    use_alarm = timeout > 0 and hasattr(signal, "SIGALRM")
    if use_alarm:
        old = signal.signal(signal.SIGALRM, _alarm)
        signal.alarm(timeout)
    try:
        return validate(path, **kwargs)
    except _Timeout:
        return input_failure(path, InputError("INPUT-TIMEOUT", f"over {timeout} s"), lang)
    except (MemoryError, RecursionError) as exc:
        return input_failure(path, InputError("INPUT-TOO-LARGE", type(exc).__name__), lang)
    except Exception as exc:  # never lose the batch to one file
        detail = f"{type(exc).__name__}: {exc}"
        if os.environ.get("EINVOICE_DEBUG"):
            traceback.print_exc(file=sys.stderr)
        return input_failure(path, InputError("INPUT-INTERNAL-ERROR", detail[:500]), lang)
    finally:
        if use_alarm:
            signal.alarm(0)
            signal.signal(signal.SIGALRM, old)


def validate_many(
    paths: Iterable[str | Path],
    *,
    jobs: int | None = None,
    timeout: int = DEFAULT_TIMEOUT,
    **kwargs: Any,
) -> Iterator[Report]:
    """Validate every file under ``paths``; yields one :class:`Report` per file, in order.

    ``jobs``: worker processes (default: all cores; 1 runs in this process). Other keyword
    arguments are those of :func:`einvoice_gov.validate`.
    """
    files = iter_files(paths)
    jobs = jobs or os.cpu_count() or 1
    tasks = ((f, kwargs, timeout) for f in files)
    if jobs <= 1:
        for t in tasks:
            yield _one(t)
        return
    import multiprocessing  # only when workers run (start-up time of one-file checks)

    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(jobs, initializer=_init_worker) as pool:
        yield from pool.imap(_one, tasks, chunksize=4)


def _init_worker() -> None:
    # Ctrl-C is handled by the parent, which terminates the pool.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
