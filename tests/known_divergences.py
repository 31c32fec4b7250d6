"""THE list of known divergences from the official verdicts, each with its reason.

Keys are ``(engine, "corpus/file", stage)``; the conformance tests mark these cases as strict
xfail, so a divergence that disappears fails the run until it is removed from here.
Stages an engine reports as ``unavailable`` are not divergences: the tests check that they are
reported as such (see test_conformance_official.py).
"""

from __future__ import annotations

KNOWN: dict[tuple[str, str, str], str] = {
    (
        "official",
        "mutants-dev/cases/dev-cii-m00095.xml",
        "br-fr",
    ): "the reference run (SaxonC-HE 13.1) crashed in the BR-FR CII artefact with XPTY0004 on "
    "the duplicated due date (BT-9); SaxonC-HE 13.1.1 evaluates the same stylesheet on the same "
    "document without error and no BR-FR rule fires. Checked with Saxon's own parser too.",
}


# --- native engine (einvoice_gov.native) -------------------------------------------------
KNOWN[("native", "mutants-dev/cases/dev-cii-m00095.xml", "br-fr")] = (
    "same as the official engine: the reference run (SaxonC-HE 13.1) crashed with XPTY0004; "
    "SaxonC-HE 13.1.1 and the native engine evaluate BR-FR CII on it without error and no rule "
    "fires."
)


def reason(engine: str, case_id: str, stage: str) -> str | None:
    return KNOWN.get((engine, case_id, stage))
