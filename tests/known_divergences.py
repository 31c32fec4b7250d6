"""THE list of known divergences from the official verdicts, each with its reason.

Keys are ``(engine, "corpus/file", stage)``; the conformance tests mark these cases as strict
xfail, so a divergence that disappears fails the run until it is removed from here.
Stages an engine reports as ``unavailable`` are not divergences: the tests check that they are
reported as such (see test_conformance_official.py).
"""

from __future__ import annotations

KNOWN: dict[tuple[str, str, str], str] = {}


def reason(engine: str, case_id: str, stage: str) -> str | None:
    return KNOWN.get((engine, case_id, stage))
