"""The ``readiness`` stage: what the French reform requires beyond the schematrons."""

from __future__ import annotations

from einvoice_gov.formats.document import Document
from einvoice_gov.validation import registry
from einvoice_gov.validation.findings import Finding, Stage


def _f(code: str, lang: str, detail: str = "") -> Finding:
    r = registry.get(code)
    assert r is not None, code
    return Finding(
        rule=code,
        stage=Stage.READINESS,
        severity=r.severity,
        message=r.message(lang, detail),
        bt=r.bt,
        fix=r.fix(lang),
    )


def check(doc: Document, lang: str) -> list[Finding]:
    out: list[Finding] = []
    if doc.syntax == "zugferd1":
        out.append(_f("FMT-ZUGFERD1", lang))
    return out
