"""Read a Factur-X / ZUGFeRD PDF: embedded files, the invoice attachment, the XMP metadata.

Everything here reads; judging (the ``pdf`` stage) lives in :mod:`einvoice_gov.validation.pdf`.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from einvoice_gov.errors import InputError
from einvoice_gov.formats.xmlsafe import parse_xml

#: Attachment names of the invoice XML, by family (Factur-X 1.0x §6, ZUGFeRD 1/2, XRechnung).
INVOICE_NAMES = {
    "factur-x.xml": "facturx",
    "zugferd-invoice.xml": "zugferd2",
    "zugferd-invoice.xml ": "zugferd2",
    "xrechnung.xml": "xrechnung",
    "order-x.xml": "orderx",
}
ZF1_NAME = "zugferd-invoice.xml"

#: Largest embedded file we decode (bytes).
MAX_ATTACHMENT_BYTES = 40 * 1024 * 1024

XMP_NS = {
    "x": "adobe:ns:meta/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
}
#: Namespaces of the invoice XMP extension schema, per family.
FX_XMP_NAMESPACES = {
    "urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#": "facturx",
    "urn:zugferd:pdfa:CrossIndustryDocument:invoice:2p0#": "zugferd2",
    "urn:ferd:pdfa:CrossIndustryDocument:invoice:1p0#": "zugferd1",
    "urn:factur-x:pdfa:CrossIndustryDocument:1p0#": "orderx",
    "https://xeinkauf.de/kosit/xrechnung/pdfa/": "xrechnung",
    "urn:xoev-de:kosit:standard:xrechnung:pdfa:1p0#": "xrechnung",
}

log = logging.getLogger(__name__)
logging.getLogger("pypdf").setLevel(logging.ERROR)


@dataclass
class Attachment:
    """One embedded file of the PDF."""

    name: str
    data: bytes | None
    size: int
    mime: str | None = None
    af_relationship: str | None = None
    in_catalog_af: bool = False
    error: str | None = None


@dataclass
class PdfInfo:
    """What a PDF holds that matters to e-invoicing."""

    version: str | None = None
    header_version: str | None = None
    encrypted: bool = False
    pages: int | None = None
    attachments: list[Attachment] = field(default_factory=list)
    invoice: Attachment | None = None
    xmp_present: bool = False
    xmp_error: str | None = None
    xmp: dict[str, str] = field(default_factory=dict)
    xmp_family: str | None = None
    pdfa_part: str | None = None
    pdfa_conformance: str | None = None
    javascript: bool = False
    launch_action: bool = False
    catalog_af_count: int = 0

    def invoice_candidates(self) -> list[Attachment]:
        return [a for a in self.attachments if a.name.strip().lower() in INVOICE_NAMES]


def _s(value: Any) -> str | None:
    if value is None:
        return None
    try:
        return str(value)
    except Exception:
        return None


def _resolve(obj: Any) -> Any:
    try:
        return obj.get_object() if hasattr(obj, "get_object") else obj
    except Exception:
        return None


def _walk_names(node: Any, out: list[tuple[str, Any]], depth: int = 0) -> None:
    node = _resolve(node)
    if node is None or depth > 32:
        return
    names = _resolve(node.get("/Names")) if hasattr(node, "get") else None
    if names is not None:
        items = list(names)
        for i in range(0, len(items) - 1, 2):
            out.append((_s(_resolve(items[i])) or "", items[i + 1]))
    kids = _resolve(node.get("/Kids")) if hasattr(node, "get") else None
    if kids is not None:
        for kid in kids:
            _walk_names(kid, out, depth + 1)


def _attachment(key: str, spec_ref: Any, af_ids: set[int]) -> Attachment:
    spec = _resolve(spec_ref)
    name = _s(spec.get("/UF")) or _s(spec.get("/F")) or key if spec is not None else key
    att = Attachment(name=name or key, data=None, size=0)
    if spec is None:
        att.error = "file specification cannot be read"
        return att
    ident = getattr(spec_ref, "idnum", None)
    att.in_catalog_af = ident is not None and ident in af_ids
    rel = spec.get("/AFRelationship")
    att.af_relationship = (_s(rel) or "").lstrip("/") or None
    ef = _resolve(spec.get("/EF"))
    stream = _resolve(ef.get("/F") or ef.get("/UF")) if ef is not None else None
    if stream is None:
        att.error = "no embedded stream"
        return att
    sub = stream.get("/Subtype")
    att.mime = (_s(sub) or "").lstrip("/").replace("#2F", "/") or None
    try:
        declared = int(stream.get("/Length", 0))
        if declared > MAX_ATTACHMENT_BYTES:
            att.error = f"embedded file of {declared} bytes exceeds the limit"
            att.size = declared
            return att
        data = stream.get_data()
    except Exception as exc:  # broken filters, truncated streams
        att.error = f"embedded stream cannot be decoded: {type(exc).__name__}"
        return att
    if len(data) > MAX_ATTACHMENT_BYTES:
        att.error = f"embedded file of {len(data)} bytes exceeds the limit"
        att.size = len(data)
        return att
    att.data = bytes(data)
    att.size = len(data)
    return att


def _read_xmp(info: PdfInfo, raw: bytes) -> None:
    info.xmp_present = True
    try:
        tree = parse_xml(raw.strip(b"\x00 \r\n\t"))
    except InputError as exc:
        info.xmp_error = str(exc)
        return
    for el in tree.iter("{http://www.aiim.org/pdfa/ns/id/}*"):
        local = etree.QName(el).localname
        if local == "part" and el.text:
            info.pdfa_part = el.text.strip()
        elif local == "conformance" and el.text:
            info.pdfa_conformance = el.text.strip()
    for desc in tree.iter("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}Description"):
        for k, v in desc.attrib.items():
            q = etree.QName(k)
            if q.namespace == XMP_NS["pdfaid"]:
                if q.localname == "part":
                    info.pdfa_part = str(v).strip()
                elif q.localname == "conformance":
                    info.pdfa_conformance = str(v).strip()
            elif q.namespace in FX_XMP_NAMESPACES:
                info.xmp_family = FX_XMP_NAMESPACES[q.namespace]
                info.xmp[q.localname] = str(v).strip()
    for ns, family in FX_XMP_NAMESPACES.items():
        for el in tree.iter(f"{{{ns}}}*"):
            info.xmp_family = family
            if el.text and el.text.strip():
                info.xmp[etree.QName(el).localname] = el.text.strip()


def read_pdf(data: bytes) -> PdfInfo:
    """Read the PDF bytes. Raises :class:`InputError` when the PDF cannot be opened."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    info = PdfInfo()
    head = data[:1024]
    pos = head.find(b"%PDF-")
    if pos >= 0:
        info.header_version = head[pos + 5 : pos + 8].decode("latin-1", "replace")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            info.encrypted = True
            try:
                ok = bool(reader.decrypt(""))
            except Exception:
                ok = False
            if not ok:
                raise InputError(
                    "PDF-ENCRYPTED",
                    "the PDF is encrypted with a password: it cannot be read, and PDF/A "
                    "(required by Factur-X) forbids encryption",
                )
        catalog = reader.trailer["/Root"]
        catalog = _resolve(catalog)
        info.version = _s(catalog.get("/Version")) or info.header_version
        if info.version:
            info.version = info.version.lstrip("/")
    except InputError:
        raise
    except (PdfReadError, Exception) as exc:
        raise InputError("PDF-UNREADABLE", f"the PDF cannot be read: {exc}") from exc
    try:
        info.pages = len(reader.pages)
    except Exception:
        info.pages = None
    af_ids: set[int] = set()
    af = _resolve(catalog.get("/AF"))
    if af is not None:
        try:
            for ref in af:
                info.catalog_af_count += 1
                if getattr(ref, "idnum", None) is not None:
                    af_ids.add(ref.idnum)
        except Exception:
            pass
    names = _resolve(catalog.get("/Names"))
    pairs: list[tuple[str, Any]] = []
    if names is not None:
        ef_tree = names.get("/EmbeddedFiles")
        if ef_tree is not None:
            _walk_names(ef_tree, pairs)
    for key, spec in pairs:
        info.attachments.append(_attachment(key, spec, af_ids))
    if names is not None and names.get("/JavaScript") is not None:
        info.javascript = True
    oa = _resolve(catalog.get("/OpenAction"))
    if oa is not None and hasattr(oa, "get"):
        kind = _s(oa.get("/S"))
        if kind == "/JavaScript":
            info.javascript = True
        elif kind == "/Launch":
            info.launch_action = True
    meta = _resolve(catalog.get("/Metadata"))
    if meta is not None:
        try:
            _read_xmp(info, bytes(meta.get_data()))
        except Exception as exc:
            info.xmp_present = True
            info.xmp_error = f"XMP stream cannot be decoded: {type(exc).__name__}"
    cands = info.invoice_candidates()
    if not cands:
        fname = info.xmp.get("DocumentFileName", "").strip().lower()
        cands = [a for a in info.attachments if fname and a.name.strip().lower() == fname]
    if not cands:
        cands = [a for a in info.attachments if a.name.lower().endswith(".xml") and a.data]
    if cands:
        # Several candidates: take the first, as the Factur-X standard names exactly one.
        info.invoice = cands[0]
    return info
