"""Fixtures of the native-engine tests: the conformance cases and their native reports.

Every file is validated once per chain and the reports are kept for the session, so that the
per-(file, stage) tests only compare. The compile cache is the user's (``EINVOICE_CACHE_DIR``,
default ``~/.cache/einvoice-gov``); every stage is compiled once, right after collection, so
that no later test, CLI subprocess or spawned worker compiles again.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from einvoice_gov import Report, validate
from tests.conftest import conformance_dir
from tests.parity import Case, load_cases

CORPORA = ("en16931-unit", "en16931-examples", "mutants-dev")


def cases(corpus: str) -> list[Case]:
    d = conformance_dir() / corpus
    return load_cases(d) if (d / "expected.jsonl").is_file() else []


def stage_cases() -> list[tuple[Case, str]]:
    """(case, stage) pairs, as the scoreboard compares them (``br-fr-cdv`` is not ours)."""
    out = []
    for corpus in CORPORA:
        for c in cases(corpus):
            for stage in sorted(c.expected):
                if stage in ("xsd", "br-fr-cdv"):
                    continue
                out.append((c, stage))
    return out


_reports: dict[tuple[Path, str], Report] = {}


def native_report(case: Case, stage: str) -> Report:
    """The native report of a case, with the chain the scoreboard uses for that stage."""
    chain = "en16931" if stage == "en16931" else "fr"
    key = (case.path, chain)
    rep = _reports.get(key)
    if rep is None:
        rep = validate(case.path, engine="native", chain=chain)
        _reports[key] = rep
    return rep


def pytest_configure() -> None:
    os.environ.setdefault("EINVOICE_CACHE_DIR", str(Path.home() / ".cache" / "einvoice-gov"))


def pytest_collection_finish(session: pytest.Session) -> None:
    """Compile every native stage once, before any test runs: later tests, CLI subprocesses
    and spawned workers of the whole run load them from the cache instead of compiling
    (about 8 s cold, once per CI run; a fraction of a second when the cache is warm)."""
    if session.config.option.collectonly or not session.items:
        return
    from einvoice_gov.native.engine import warm

    warm()
