"""pikepdf and pypdf read the same facts, on the corpus PDFs and on the PDFs we build."""

from __future__ import annotations

from pathlib import Path

import pytest

from einvoice_gov.errors import InputError
from einvoice_gov.formats import pdf as pdfmod
from tests.pdf.conftest import corpus_dir, make_pdf
from tests.pdf.test_pdfchecks import CASES


def facts(data: bytes, backend: str) -> object:
    try:
        i = pdfmod.read_pdf(data, backend=backend)
    except InputError as exc:
        return ("refused", exc.rule)
    return (
        i.version,
        i.header_version,
        i.encrypted,
        i.pages,
        [
            (
                a.name,
                a.mime,
                a.af_relationship,
                a.in_catalog_af,
                a.in_name_tree,
                a.size,
                a.data,
                a.too_large,
                a.error is None,
            )
            for a in i.attachments
        ],
        i.invoice.name if i.invoice else None,
        i.invoice_selection,
        i.xmp,
        i.xmp_namespace,
        i.xmp_error is None,
        sorted(i.xmp_extension_schemas),
        i.pdfa_part,
        i.pdfa_conformance,
        sorted(i.actions),
        i.catalog_af_present,
        i.catalog_af_count,
    )


def corpus_pdfs() -> list[Path]:
    root = corpus_dir()
    return sorted(root.rglob("*.pdf")) if root.is_dir() else []


@pytest.mark.parametrize("code", sorted(CASES))
def test_backends_agree_on_built_pdfs(code: str) -> None:
    data = CASES[code]()
    assert facts(data, "pikepdf") == facts(data, "pypdf")


def test_backends_agree_on_the_corpus() -> None:
    files = corpus_pdfs()
    if not files:
        pytest.skip(f"corpus not found at {corpus_dir()} (set EINVOICE_CONFORMANCE_DIR)")
    differ = [
        str(f) for f in files if facts(f.read_bytes(), "pikepdf") != facts(f.read_bytes(), "pypdf")
    ]
    assert differ == []


def test_both_refuse_a_password_protected_pdf() -> None:
    data = make_pdf(b"<a/>", user_password="pw")
    for backend in pdfmod.BACKENDS:
        with pytest.raises(InputError) as info:
            pdfmod.read_pdf(data, backend=backend)
        assert info.value.rule == "PDF-ENCRYPTED"


def test_unknown_backend_is_a_usage_error() -> None:
    with pytest.raises(ValueError):
        pdfmod.read_pdf(b"%PDF-1.7", backend="nope")
    with pytest.raises(ValueError):
        pdfmod.set_default_backend("nope")


def test_default_backend_is_pikepdf_when_installed() -> None:
    assert pdfmod.default_backend() == "pikepdf"


def test_non_xml_attachments_are_listed_but_not_decoded() -> None:
    blob = b"%PDF-1.4 an attached PDF " * 100
    data = make_pdf(b"<a/>", extra=[("annexe.pdf", blob, "application/pdf")])
    for backend in pdfmod.BACKENDS:
        info = pdfmod.read_pdf(data, backend=backend)
        annexe = next(a for a in info.attachments if a.name == "annexe.pdf")
        assert annexe.data is None and annexe.size == len(blob) and annexe.error is None
