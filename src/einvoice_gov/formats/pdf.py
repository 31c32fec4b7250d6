"""Read a Factur-X / ZUGFeRD PDF: embedded files, the invoice attachment, the XMP metadata.

Everything here reads and records facts; judging them (the ``pdf`` stage) lives in
:mod:`einvoice_gov.validation.pdfchecks`. Two PDF libraries can do the reading: ``pikepdf``
(qpdf, the default when installed: faster, see docs/decisions/0201-pdf-library.md) and
``pypdf`` (pure Python, always available). Both fill the same :class:`PdfInfo`.

Hostile input: decoded attachments are bounded (:data:`MAX_ATTACHMENT_BYTES`, our own bounded
inflate for Flate streams), the object walk that looks for JavaScript and Launch actions is
bounded (:data:`MAX_SCAN_OBJECTS`), the XMP packet goes through the hardened XML parser, and no
reader ever follows an external reference.
"""

from __future__ import annotations

import codecs
import contextlib
import io
import logging
import os
import re
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from einvoice_gov.errors import InputError
from einvoice_gov.formats.xmlsafe import parse_xml

#: Attachment names of the invoice XML, by family (Factur-X 1.0x §6, ZUGFeRD 1/2, XRechnung,
#: Order-X). Compared case-insensitively; the order is our preference when several are present.
INVOICE_NAMES = {
    "factur-x.xml": "facturx",
    "xrechnung.xml": "xrechnung",
    "zugferd-invoice.xml": "zugferd",
    "order-x.xml": "orderx",
}
ZF1_NAME = "zugferd-invoice.xml"

#: Largest embedded invoice file we decode (bytes). Real invoice XMLs are kilobytes; with
#: attachments embedded in base64 (BG-24) a few megabytes. Larger is refused and reported.
MAX_ATTACHMENT_BYTES = 40 * 1024 * 1024
#: Largest XMP packet we decode (bytes).
MAX_XMP_BYTES = 4 * 1024 * 1024
#: Objects the action scan visits at most (a real invoice PDF has a few hundred).
MAX_SCAN_OBJECTS = 200_000

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
PDFAID = "http://www.aiim.org/pdfa/ns/id/"
PDFA_SCHEMA = "http://www.aiim.org/pdfa/ns/schema#"
XMP_NS = {"x": "adobe:ns:meta/", "rdf": RDF, "pdfaid": PDFAID}

#: Namespaces of the invoice XMP extension schema -> family.
FX_XMP_NAMESPACES = {
    "urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#": "facturx",
    "urn:zugferd:pdfa:CrossIndustryDocument:invoice:2p0#": "zugferd2",
    "urn:ferd:pdfa:CrossIndustryDocument:invoice:1p0#": "zugferd1",
    "urn:ferd:pdfa:invoice:rc#": "zugferd1-rc",
    "urn:factur-x:pdfa:CrossIndustryDocument:1p0#": "orderx",
    "https://xeinkauf.de/kosit/xrechnung/pdfa/": "xrechnung",
    "urn:xoev-de:kosit:standard:xrechnung:pdfa:1p0#": "xrechnung",
}
#: The four Factur-X XMP properties (Factur-X 1.0x §6.2.2, ZUGFeRD 2.x §6).
FX_XMP_FIELDS = ("DocumentType", "DocumentFileName", "Version", "ConformanceLevel")

#: Actions that run code or programs, by the ``/S`` name of the action dictionary.
_RISKY_ACTIONS = {"/JavaScript": "javascript", "/Launch": "launch"}

log = logging.getLogger(__name__)
logging.getLogger("pypdf").setLevel(logging.ERROR)
# qpdf reports the damage it repairs through this logger (at level ERROR): the findings say
# what matters, the rest would be noise on the user's terminal.
logging.getLogger("pikepdf._core").setLevel(logging.CRITICAL)


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
    #: The file was refused because it is over :data:`MAX_ATTACHMENT_BYTES`.
    too_large: bool = False
    #: Listed in the catalog's EmbeddedFiles name tree (False: only reachable through /AF).
    in_name_tree: bool = True
    #: The /F and /UF names of the file specification, as written.
    filespec_f: str | None = None
    filespec_uf: str | None = None
    description: str | None = None


@dataclass
class XmlEncoding:
    """How an XML document's bytes are encoded, and whether that is consistent."""

    bom: str | None = None  # "utf-8" | "utf-16-le" | "utf-16-be" | "utf-32-le" | "utf-32-be"
    declared: str | None = None  # the encoding= of the XML declaration, as written
    #: Why the declaration and the bytes disagree (None: consistent).
    problem: str | None = None


@dataclass
class PdfInfo:
    """What a PDF holds that matters to e-invoicing."""

    version: str | None = None
    header_version: str | None = None
    encrypted: bool = False
    pages: int | None = None
    attachments: list[Attachment] = field(default_factory=list)
    invoice: Attachment | None = None
    #: How :attr:`invoice` was chosen: "xmp-name", "standard-name", "xml-attachment".
    invoice_selection: str | None = None
    xmp_present: bool = False
    xmp_error: str | None = None
    #: Factur-X XMP properties by local name (DocumentType, DocumentFileName, Version,
    #: ConformanceLevel), whatever namespace carries them.
    xmp: dict[str, str] = field(default_factory=dict)
    xmp_family: str | None = None
    #: Namespace URI of the Factur-X XMP properties, as written.
    xmp_namespace: str | None = None
    #: Namespace URIs described by the XMP's PDF/A extension schemas.
    xmp_extension_schemas: list[str] = field(default_factory=list)
    pdfa_part: str | None = None
    pdfa_conformance: str | None = None
    javascript: bool = False
    launch_action: bool = False
    #: Where risky actions were found (short descriptions, for messages).
    actions: list[str] = field(default_factory=list)
    #: False when the action scan stopped at :data:`MAX_SCAN_OBJECTS`.
    scan_complete: bool = True
    catalog_af_count: int = 0
    #: The catalog has an /AF array at all.
    catalog_af_present: bool = False
    #: Which library read the file ("pikepdf" or "pypdf").
    backend: str = ""

    def invoice_candidates(self) -> list[Attachment]:
        """Attachments bearing one of the standard invoice names (case-insensitive)."""
        return [a for a in self.attachments if a.name.strip().lower() in INVOICE_NAMES]


# ----------------------------------------------------------------------------------------------
# Backend-neutral raw facts
# ----------------------------------------------------------------------------------------------


@dataclass
class _RawFile:
    key: str
    objnum: int | None
    f: str | None = None
    uf: str | None = None
    desc: str | None = None
    af_relationship: str | None = None
    mime: str | None = None
    data: bytes | None = None
    size: int = 0
    error: str | None = None
    too_large: bool = False


@dataclass
class _RawPdf:
    catalog_version: str | None = None
    pages: int | None = None
    encrypted: bool = False
    af_present: bool = False
    af_objnums: list[int | None] = field(default_factory=list)
    files: list[_RawFile] = field(default_factory=list)
    af_files: list[_RawFile] = field(default_factory=list)
    metadata: bytes | None = None
    metadata_error: str | None = None
    actions: list[str] = field(default_factory=list)
    scan_complete: bool = True


class _TooLarge(Exception):
    pass


def _inflate(raw: bytes, limit: int) -> bytes:
    """Inflate a Flate stream, refusing to produce more than ``limit`` bytes."""
    d = zlib.decompressobj()
    out = d.decompress(raw, limit + 1)
    if len(out) > limit or d.unconsumed_tail:
        raise _TooLarge()
    with contextlib.suppress(zlib.error):  # truncated tail: keep what was decoded
        out += d.flush()
    if len(out) > limit:
        raise _TooLarge()
    return out


def _name(value: Any) -> str | None:
    """A PDF name or string as text (``/text#2Fxml`` and ``/text/xml`` give ``text/xml``)."""
    if value is None:
        return None
    try:
        text = str(value)
    except Exception:
        return None
    text = text.lstrip("/")
    if "#" in text:
        text = re.sub(r"#([0-9A-Fa-f]{2})", lambda m: chr(int(m.group(1), 16)), text)
    return text or None


# ----------------------------------------------------------------------------------------------
# pypdf backend
# ----------------------------------------------------------------------------------------------


def _read_pypdf(data: bytes) -> _RawPdf:
    from pypdf import PdfReader
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

    raw = _RawPdf()
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raw.encrypted = True
            try:
                ok = bool(reader.decrypt(""))
            except Exception:
                ok = False
            if not ok:
                raise _Encrypted()
        root_ref = reader.trailer.raw_get("/Root")
        catalog = root_ref.get_object()
        if not isinstance(catalog, DictionaryObject):
            raise ValueError("the document catalog is missing")
    except (_Encrypted, InputError):
        raise
    except Exception as exc:
        raise InputError("PDF-UNREADABLE", f"the PDF cannot be read: {exc}") from exc

    def res(obj: Any) -> Any:
        try:
            return obj.get_object() if isinstance(obj, IndirectObject) else obj
        except Exception:
            return None

    def get(d: Any, key: str) -> Any:
        if not isinstance(d, DictionaryObject) or key not in d:
            return None
        try:
            return res(d.raw_get(key))
        except Exception:
            return None

    def objnum(ref: Any) -> int | None:
        return ref.idnum if isinstance(ref, IndirectObject) else None

    raw.catalog_version = _name(get(catalog, "/Version"))
    try:
        raw.pages = len(reader.pages)
    except Exception:
        raw.pages = None

    def filespec(key: str, ref: Any) -> _RawFile:
        spec = res(ref)
        out = _RawFile(key=key, objnum=objnum(ref))
        if not isinstance(spec, DictionaryObject):
            out.error = "file specification cannot be read"
            return out
        out.f = _text(get(spec, "/F"))
        out.uf = _text(get(spec, "/UF"))
        out.desc = _text(get(spec, "/Desc"))
        out.af_relationship = _name(get(spec, "/AFRelationship"))
        ef = get(spec, "/EF")
        stream = get(ef, "/F") if ef is not None else None
        if stream is None and ef is not None:
            stream = get(ef, "/UF")
        if not isinstance(stream, StreamObject):
            out.error = "no embedded stream"
            return out
        out.mime = _name(get(stream, "/Subtype"))

        def decode() -> bytes:
            return bytes(stream.get_data())

        _decode_into(
            out,
            decode,
            get(stream, "/Length"),
            get(get(stream, "/Params"), "/Size"),
            _wanted(out, raw.metadata),
        )
        return out

    meta = get(catalog, "/Metadata")
    if isinstance(meta, StreamObject):
        try:
            raw.metadata = bytes(meta.get_data())[: MAX_XMP_BYTES + 1]
        except Exception as exc:
            raw.metadata_error = f"XMP stream cannot be decoded: {type(exc).__name__}"
    elif meta is not None:
        raw.metadata_error = "the /Metadata entry is not a stream"
    names = get(catalog, "/Names")
    ef_tree = get(names, "/EmbeddedFiles")
    for key, ref in _walk_name_tree(ef_tree, get, lambda x: list.__iter__(x) if x else iter(())):
        raw.files.append(filespec(key, ref))
    if get(names, "/JavaScript") is not None:
        raw.actions.append("document-level JavaScript (/Names /JavaScript)")
    in_tree = {f.objnum for f in raw.files if f.objnum is not None}
    af = get(catalog, "/AF")
    if isinstance(af, ArrayObject):
        raw.af_present = True
        for i in range(len(af)):
            ref = list.__getitem__(af, i)
            num = objnum(ref)
            raw.af_objnums.append(num)
            if num is None or num not in in_tree:
                raw.af_files.append(filespec("", ref))

    # Action scan: every object reachable from the catalog, direct ones included.
    oa = get(catalog, "/OpenAction")
    if isinstance(oa, DictionaryObject):
        _check_action(_name(get(oa, "/S")), "/JS" in oa, "/OpenAction", raw.actions)
    seen: set[int] = set()
    stack: list[Any] = [root_ref]
    visited = 0
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            if obj.idnum in seen:
                continue
            seen.add(obj.idnum)
            obj = res(obj)
        visited += 1
        if visited > MAX_SCAN_OBJECTS:
            raw.scan_complete = False
            break
        if isinstance(obj, DictionaryObject):
            if "/S" in obj or "/JS" in obj:
                _check_action(_name(get(obj, "/S")), "/JS" in obj, "object", raw.actions)
            for k in list(obj.keys()):
                try:
                    stack.append(obj.raw_get(k))
                except Exception:
                    continue
        elif isinstance(obj, ArrayObject):
            stack.extend(list.__iter__(obj))
    return raw


class _Encrypted(Exception):
    pass


def _text(value: Any) -> str | None:
    if value is None:
        return None
    try:
        text = str(value)
    except Exception:
        return None
    return text


def _walk_name_tree(
    node: Any, get: Callable[[Any, str], Any], items: Callable[[Any], Iterator[Any]]
) -> Iterator[tuple[str, Any]]:
    """(key, unresolved value) pairs of a PDF name tree, bounded in depth and size."""
    stack: list[tuple[Any, int]] = [(node, 0)]
    seen = 0
    while stack:
        cur, depth = stack.pop()
        if cur is None or depth > 32:
            continue
        seen += 1
        if seen > 10_000:
            return
        names = get(cur, "/Names")
        if names is not None:
            flat = list(items(names))
            for i in range(0, len(flat) - 1, 2):
                key = flat[i]
                try:
                    key = key.get_object() if hasattr(key, "get_object") else key
                except Exception:
                    key = ""
                yield _text(key) or "", flat[i + 1]
        kids = get(cur, "/Kids")
        if kids is not None:
            # Depth-first, in order.
            stack.extend((get_kid, depth + 1) for get_kid in reversed(_resolved(kids, items)))


def _resolved(arr: Any, items: Callable[[Any], Iterator[Any]]) -> list[Any]:
    out = []
    for x in items(arr):
        try:
            out.append(x.get_object() if hasattr(x, "get_object") else x)
        except Exception:
            continue
    return out


def _check_action(kind: str | None, has_js: bool, where: str, actions: list[str]) -> None:
    label = _RISKY_ACTIONS.get(f"/{kind}") if kind else None
    if label is None and has_js:
        label = "javascript"
    if label is None:
        return
    what = "JavaScript action" if label == "javascript" else "Launch action (starts a program)"
    text = f"{what} run when the file is opened" if where == "/OpenAction" else what
    if text not in actions:
        actions.append(text)


def _wanted(out: _RawFile, metadata: bytes | None) -> bool:
    """Whether an attachment may be the invoice, hence worth decoding: an XML name, a
    standard invoice name, or a name the XMP metadata mentions."""
    name = (out.uf or out.f or out.key or "").strip()
    low = name.lower()
    if low.endswith(".xml") or low in INVOICE_NAMES:
        return True
    return bool(name) and metadata is not None and name.encode("utf-8", "ignore") in metadata


def _decode_into(
    out: _RawFile, decode: Callable[[], bytes], length: Any, size: Any, wanted: bool = True
) -> None:
    """Decode an embedded stream into ``out``, refusing what is over the limit.

    ``wanted=False`` (not a possible invoice): only the declared size is recorded.
    """
    try:
        declared = int(length) if length is not None else 0
    except (TypeError, ValueError):
        declared = 0
    try:
        params_size = int(size) if size is not None else 0
    except (TypeError, ValueError):
        params_size = 0
    if not wanted:
        out.size = params_size or declared
        return
    if max(declared, params_size) > MAX_ATTACHMENT_BYTES:
        out.size = max(declared, params_size)
        out.too_large = True
        out.error = (
            f"embedded file of {out.size} bytes exceeds the {MAX_ATTACHMENT_BYTES}-byte limit"
        )
        return
    try:
        body = decode()
    except _TooLarge:
        out.too_large = True
        out.size = MAX_ATTACHMENT_BYTES + 1
        out.error = f"embedded file decodes to more than {MAX_ATTACHMENT_BYTES} bytes"
        return
    except Exception as exc:  # broken filters, truncated streams, pypdf's own output limit
        out.error = f"embedded stream cannot be decoded: {type(exc).__name__}"
        return
    if len(body) > MAX_ATTACHMENT_BYTES:
        out.too_large = True
        out.size = len(body)
        out.error = (
            f"embedded file of {len(body)} bytes exceeds the {MAX_ATTACHMENT_BYTES}-byte limit"
        )
        return
    out.data = body
    out.size = len(body)


# ----------------------------------------------------------------------------------------------
# pikepdf backend
# ----------------------------------------------------------------------------------------------


def _read_pikepdf(data: bytes) -> _RawPdf:
    import pikepdf

    raw = _RawPdf()
    try:
        pdf = pikepdf.open(io.BytesIO(data), suppress_warnings=True)
    except pikepdf.PasswordError as exc:
        raise _Encrypted() from exc
    except Exception as exc:
        why = re.sub(r"^stream <[^>]*>:\s*", "", str(exc))
        raise InputError("PDF-UNREADABLE", f"the PDF cannot be read: {why}") from exc
    with pdf:
        try:
            catalog = pdf.Root
            if not isinstance(catalog, pikepdf.Dictionary):
                raise ValueError("the document catalog is missing")
        except Exception as exc:
            raise InputError("PDF-UNREADABLE", f"the PDF cannot be read: {exc}") from exc
        raw.encrypted = bool(pdf.is_encrypted)

        def get(d: Any, key: str) -> Any:
            try:
                if d is None or not isinstance(d, pikepdf.Dictionary | pikepdf.Stream):
                    return None
                return d.get(key)
            except Exception:
                return None

        def objnum(obj: Any) -> int | None:
            try:
                return int(obj.objgen[0]) if obj.is_indirect else None
            except Exception:
                return None

        def items(arr: Any) -> Iterator[Any]:
            if isinstance(arr, pikepdf.Array):
                yield from arr

        raw.catalog_version = _name(get(catalog, "/Version"))
        try:
            raw.pages = len(pdf.pages)
        except Exception:
            raw.pages = None

        def filespec(key: str, spec: Any) -> _RawFile:
            out = _RawFile(key=key, objnum=objnum(spec))
            if not isinstance(spec, pikepdf.Dictionary):
                out.error = "file specification cannot be read"
                return out
            out.f = _text(get(spec, "/F"))
            out.uf = _text(get(spec, "/UF"))
            out.desc = _text(get(spec, "/Desc"))
            out.af_relationship = _name(get(spec, "/AFRelationship"))
            ef = get(spec, "/EF")
            stream = get(ef, "/F")
            if stream is None:
                stream = get(ef, "/UF")
            if not isinstance(stream, pikepdf.Stream):
                out.error = "no embedded stream"
                return out
            out.mime = _name(get(stream, "/Subtype"))

            def decode() -> bytes:
                filt = get(stream, "/Filter")
                if isinstance(filt, pikepdf.Array) and len(filt) == 1:
                    filt = filt[0]
                if get(stream, "/DecodeParms") is None:
                    if filt is None:
                        body = bytes(stream.read_raw_bytes())
                        if len(body) > MAX_ATTACHMENT_BYTES:
                            raise _TooLarge()
                        return body
                    if str(filt) == "/FlateDecode":
                        return _inflate(bytes(stream.read_raw_bytes()), MAX_ATTACHMENT_BYTES)
                # Other filter chains: let qpdf decode, but only small inputs (bomb guard).
                if len(stream.read_raw_bytes()) > 1024 * 1024:
                    raise ValueError("unusual filter on a large embedded file")
                return bytes(stream.read_bytes())

            _decode_into(
                out,
                decode,
                get(stream, "/Length"),
                get(get(stream, "/Params"), "/Size"),
                _wanted(out, raw.metadata),
            )
            return out

        meta = get(catalog, "/Metadata")
        if isinstance(meta, pikepdf.Stream):
            try:
                raw.metadata = bytes(meta.read_bytes())[: MAX_XMP_BYTES + 1]
            except Exception as exc:
                raw.metadata_error = f"XMP stream cannot be decoded: {type(exc).__name__}"
        elif meta is not None:
            raw.metadata_error = "the /Metadata entry is not a stream"
        names = get(catalog, "/Names")
        ef_tree = get(names, "/EmbeddedFiles")
        for key, spec in _walk_name_tree(ef_tree, get, items):
            raw.files.append(filespec(key, spec))
        if get(names, "/JavaScript") is not None:
            raw.actions.append("document-level JavaScript (/Names /JavaScript)")
        in_tree = {f.objnum for f in raw.files if f.objnum is not None}
        af = get(catalog, "/AF")
        if isinstance(af, pikepdf.Array):
            raw.af_present = True
            for ref in af:
                num = objnum(ref)
                raw.af_objnums.append(num)
                if num is None or num not in in_tree:
                    raw.af_files.append(filespec("", ref))

        # Action scan: every object of the file; direct sub-dictionaries are scanned in place.
        visited = 0
        oa = get(catalog, "/OpenAction")
        if isinstance(oa, pikepdf.Dictionary):
            _check_action(_name(get(oa, "/S")), "/JS" in oa, "/OpenAction", raw.actions)
        try:
            objects = iter(pdf.objects)
        except Exception:
            objects = iter(())
        for obj in objects:
            stack = [obj]
            while stack:
                cur = stack.pop()
                visited += 1
                if visited > MAX_SCAN_OBJECTS:
                    raw.scan_complete = False
                    return raw
                if isinstance(cur, pikepdf.Dictionary | pikepdf.Stream):
                    try:
                        keys = list(cur.keys())
                    except Exception:
                        continue
                    if "/S" in keys or "/JS" in keys:
                        _check_action(_name(get(cur, "/S")), "/JS" in keys, "object", raw.actions)
                    for k in keys:
                        child = get(cur, k)
                        if isinstance(child, pikepdf.Dictionary | pikepdf.Array) and (
                            not child.is_indirect
                        ):
                            stack.append(child)
                elif isinstance(cur, pikepdf.Array):
                    try:
                        stack.extend(
                            x
                            for x in cur
                            if isinstance(x, pikepdf.Dictionary | pikepdf.Array)
                            and not x.is_indirect
                        )
                    except Exception:
                        continue
    return raw


# ----------------------------------------------------------------------------------------------
# Shared: XMP, invoice selection, XML encoding facts
# ----------------------------------------------------------------------------------------------


def _read_xmp(info: PdfInfo, raw: bytes) -> None:
    info.xmp_present = True
    if len(raw) > MAX_XMP_BYTES:
        info.xmp_error = f"the XMP packet is over {MAX_XMP_BYTES} bytes"
        return
    body = raw.strip(b"\x00 \r\n\t")
    if not body:
        info.xmp_error = "the XMP metadata stream is empty"
        return
    try:
        tree = parse_xml(body)
    except InputError as exc:
        info.xmp_error = str(exc)
        return
    found: dict[str, tuple[str, str]] = {}  # local name -> (namespace, value)

    def record(ns: str | None, local: str, value: str | None) -> None:
        if local not in FX_XMP_FIELDS or ns in (RDF, PDFA_SCHEMA, None):
            return
        text = (value or "").strip()
        old = found.get(local)
        # A known Factur-X namespace wins over another one carrying the same property.
        if old is None or (old[0] not in FX_XMP_NAMESPACES and ns in FX_XMP_NAMESPACES):
            found[local] = (ns or "", text)

    for el in tree.iter():
        if not isinstance(el.tag, str):
            continue
        q = etree.QName(el)
        if q.namespace == PDFAID:
            if q.localname == "part" and el.text:
                info.pdfa_part = el.text.strip()
            elif q.localname == "conformance" and el.text:
                info.pdfa_conformance = el.text.strip()
        elif q.namespace == PDFA_SCHEMA and q.localname == "namespaceURI" and el.text:
            info.xmp_extension_schemas.append(el.text.strip())
        elif q.localname in FX_XMP_FIELDS and len(el) == 0:
            record(q.namespace, q.localname, el.text)
        if q.namespace == RDF and q.localname == "Description":
            for k, v in el.attrib.items():
                kq = etree.QName(k)
                if kq.namespace == PDFAID:
                    if kq.localname == "part":
                        info.pdfa_part = str(v).strip()
                    elif kq.localname == "conformance":
                        info.pdfa_conformance = str(v).strip()
                else:
                    record(kq.namespace, kq.localname, str(v))
    for local, (ns, value) in found.items():
        info.xmp[local] = value
        info.xmp_namespace = info.xmp_namespace or ns
        if ns in FX_XMP_NAMESPACES:
            info.xmp_namespace = ns
    if info.xmp_namespace:
        info.xmp_family = FX_XMP_NAMESPACES.get(info.xmp_namespace)


_DECL = re.compile(rb"^<\?xml[^>]*?encoding\s*=\s*[\"']([^\"']*)[\"']")
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def xml_encoding(data: bytes) -> XmlEncoding:
    """The byte-order mark and declared encoding of an XML document, and their consistency.

    A problem is reported when the declared encoding is unknown, contradicts the byte-order
    mark, or cannot decode the bytes; an XML without declaration must be UTF-8 or UTF-16.
    """
    out = XmlEncoding()
    body = data
    for bom, name in _BOMS:
        if data.startswith(bom):
            out.bom = name
            body = data[len(bom) :]
            break
    head = body[:512]
    if out.bom and out.bom.startswith(("utf-16", "utf-32")):
        try:
            head = head.decode(out.bom, "ignore").encode("ascii", "ignore")
        except LookupError:
            head = b""
    m = _DECL.match(head.lstrip() if not out.bom else head)
    if m:
        out.declared = m.group(1).decode("ascii", "replace")
    effective = out.bom
    if out.declared is not None:
        try:
            decl_name = codecs.lookup(out.declared).name
        except LookupError:
            out.problem = f"unknown encoding {out.declared!r} in the XML declaration"
            return out
        if out.bom:
            bom_family = codecs.lookup(out.bom).name
            if not (
                decl_name == bom_family
                or (decl_name in ("utf-16", "utf-32") and bom_family.startswith(decl_name))
            ):
                out.problem = (
                    f"the XML declaration says {out.declared!r} but the byte-order mark is "
                    f"{out.bom.upper()}"
                )
                return out
        else:
            effective = decl_name
    try:
        (body if out.bom else data).decode(effective or "utf-8")
    except (UnicodeDecodeError, LookupError):
        what = f"declared as {out.declared!r}" if out.declared else "without declaration"
        out.problem = f"the bytes are not valid {effective or 'UTF-8'} ({what})"
    return out


def _attachment(rf: _RawFile, af_ids: set[int], in_tree: bool) -> Attachment:
    name = rf.uf or rf.f or rf.key or ""
    return Attachment(
        name=name,
        data=rf.data,
        size=rf.size,
        mime=rf.mime,
        af_relationship=rf.af_relationship,
        in_catalog_af=rf.objnum is not None and rf.objnum in af_ids,
        error=rf.error,
        too_large=rf.too_large,
        in_name_tree=in_tree,
        filespec_f=rf.f,
        filespec_uf=rf.uf,
        description=rf.desc,
    )


def _select_invoice(info: PdfInfo) -> None:
    atts = info.attachments
    wanted = (info.xmp.get("DocumentFileName") or "").strip()
    if wanted:
        exact = [a for a in atts if a.name == wanted]
        loose = exact or [a for a in atts if a.name.strip().lower() == wanted.lower()]
        if loose:
            info.invoice, info.invoice_selection = loose[0], "xmp-name"
            return
    cands = info.invoice_candidates()
    if cands:
        order = list(INVOICE_NAMES)
        cands.sort(key=lambda a: order.index(a.name.strip().lower()))
        info.invoice, info.invoice_selection = cands[0], "standard-name"
        return
    xmls = [a for a in atts if a.name.strip().lower().endswith(".xml") and a.data is not None]
    if xmls:
        info.invoice, info.invoice_selection = xmls[0], "xml-attachment"


BACKENDS: dict[str, Callable[[bytes], _RawPdf]] = {
    "pikepdf": _read_pikepdf,
    "pypdf": _read_pypdf,
}


def default_backend() -> str:
    """``pikepdf`` when it is installed (faster), else ``pypdf``."""
    import importlib.util

    return "pikepdf" if importlib.util.find_spec("pikepdf") is not None else "pypdf"


_DEFAULT: list[str] = []


def set_default_backend(name: str | None) -> None:
    """Choose the PDF library :func:`read_pdf` uses when none is given (``None``: automatic).

    For benchmarks and tests; the environment variable ``EINVOICE_PDF_BACKEND`` does the same
    for a whole process.
    """
    if name is not None and name not in BACKENDS:
        raise ValueError(f"unknown PDF backend {name!r}; choose one of {sorted(BACKENDS)}")
    _DEFAULT.clear()
    if name is not None:
        _DEFAULT.append(name)


def read_pdf(data: bytes, *, backend: str | None = None) -> PdfInfo:
    """Read the PDF bytes into a :class:`PdfInfo`.

    Raises :class:`InputError` ``PDF-ENCRYPTED`` when the PDF needs a password to be opened and
    ``PDF-UNREADABLE`` when it cannot be parsed. A PDF encrypted with an empty user password is
    read, with ``encrypted=True`` (the ``pdf`` stage reports it).
    """
    if backend is None:
        if not _DEFAULT:
            _DEFAULT.append(os.environ.get("EINVOICE_PDF_BACKEND") or default_backend())
        backend = _DEFAULT[0]
    if backend not in BACKENDS:
        raise ValueError(f"unknown PDF backend {backend!r}; choose one of {sorted(BACKENDS)}")
    info = PdfInfo(backend=backend)
    head = data[:1024]
    pos = head.find(b"%PDF-")
    if pos >= 0:
        info.header_version = head[pos + 5 : pos + 8].decode("latin-1", "replace")
    try:
        raw = BACKENDS[backend](data)
    except _Encrypted:
        raise InputError(
            "PDF-ENCRYPTED",
            "the PDF is encrypted with a password: it cannot be read, and PDF/A (required by "
            "Factur-X) forbids encryption",
        ) from None
    info.encrypted = raw.encrypted
    info.version = raw.catalog_version or info.header_version
    info.pages = raw.pages
    info.catalog_af_present = raw.af_present
    info.catalog_af_count = len(raw.af_objnums)
    af_ids = {n for n in raw.af_objnums if n is not None}
    tree_ids = set()
    for rf in raw.files:
        info.attachments.append(_attachment(rf, af_ids, True))
        if rf.objnum is not None:
            tree_ids.add(rf.objnum)
    for rf in raw.af_files:
        # Files associated through /AF but absent from the EmbeddedFiles name tree.
        if rf.objnum is not None and rf.objnum in tree_ids:
            continue
        if rf.data is None and rf.error == "no embedded stream":
            continue  # an /AF entry that embeds nothing (e.g. a URL reference)
        info.attachments.append(_attachment(rf, af_ids, False))
    info.actions = list(raw.actions)
    info.javascript = any(a.startswith(("JavaScript", "document-level")) for a in raw.actions)
    info.launch_action = any(a.startswith("Launch") for a in raw.actions)
    info.scan_complete = raw.scan_complete
    if raw.metadata is not None:
        _read_xmp(info, raw.metadata)
    elif raw.metadata_error is not None:
        info.xmp_present = True
        info.xmp_error = raw.metadata_error
    _select_invoice(info)
    return info
