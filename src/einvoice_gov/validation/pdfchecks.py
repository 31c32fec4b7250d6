"""The ``pdf`` stage: checks on a Factur-X / ZUGFeRD PDF container that no schematron makes."""

from __future__ import annotations

from einvoice_gov.formats.document import Document
from einvoice_gov.validation import registry
from einvoice_gov.validation.findings import Finding, Stage


def _f(code: str, lang: str, detail: str = "") -> Finding:
    r = registry.get(code)
    assert r is not None, code
    return Finding(
        rule=code,
        stage=Stage.PDF,
        severity=r.severity,
        message=r.message(lang, detail),
        bt=r.bt,
        fix=r.fix(lang),
    )


def check(doc: Document, lang: str) -> list[Finding]:
    """Findings about the PDF container of ``doc``."""
    pdf = doc.pdf
    if pdf is None:
        return []
    out: list[Finding] = []
    if pdf.invoice is None:
        names = ", ".join(a.name for a in pdf.attachments) or "none"
        out.append(_f("PDF-NO-INVOICE-XML", lang, f"(attachments: {names})"))
    elif len(pdf.invoice_candidates()) > 1:
        names = ", ".join(a.name for a in pdf.invoice_candidates())
        out.append(_f("PDF-SEVERAL-INVOICE-XML", lang, names))
    if pdf.invoice is not None and doc.xml_error is not None:
        out.append(_f("PDF-XML-MALFORMED", lang, str(doc.xml_error)))
    return out
