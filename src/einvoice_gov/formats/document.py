"""Load a file or bytes into a :class:`Document`: detect the container, syntax and profile.

Detection reads the content, never the file name.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from einvoice_gov.errors import InputError, UnknownFormatError
from einvoice_gov.formats import namespaces as ns
from einvoice_gov.formats.pdf import PdfInfo, XmlEncoding, read_pdf, xml_encoding
from einvoice_gov.formats.profiles import XMP_LEVELS, profile_from_guideline
from einvoice_gov.formats.xmlsafe import looks_like_xml, parse_xml

#: Largest input file we open (bytes).
MAX_INPUT_BYTES = 50 * 1024 * 1024

#: UNTDID 1001 codes of credit notes (EN 16931 code list for BT-3).
CREDIT_NOTE_CODES = frozenset(
    {"81", "83", "261", "262", "296", "308", "381", "396", "420", "458", "532"}
)
#: Root namespace of the ZUGFeRD 1.0 release candidate (2013-2014, root ``Invoice``).
ZF1_RC_RSM = "urn:un:unece:uncefact:data:standard:CBFBUY:5"
#: Order-X root element (its namespace is ns.ORDERX_RSM; some drafts add ``standard:``).
ORDERX_ROOT = "SCRDMCCBDACIOMessageStructure"


@dataclass
class Document:
    """An input after detection. ``tree`` is the invoice XML (or ``None`` when unreadable)."""

    path: str
    container: str  # "xml" | "pdf"
    syntax: str = "unknown"  # cii | ubl | cdar | zugferd1 | orderx | fatturapa | unknown
    document: str = "unknown"  # invoice | creditnote | status | order | unknown
    guideline: str | None = None  # BT-24 as written
    profile: str | None = None
    flavour: str | None = None
    xml: bytes | None = None
    tree: etree._ElementTree | None = None
    pdf: PdfInfo | None = None
    sha256: str | None = None
    seller_country: str | None = None
    buyer_country: str | None = None
    type_code: str | None = None
    notes: list[str] = field(default_factory=list)
    #: Why the invoice XML inside a PDF could not be read (the PDF itself was).
    xml_error: InputError | None = None
    #: Byte-order mark and declared encoding of the invoice XML inside a PDF (pdf stage).
    xml_encoding: XmlEncoding | None = None


def _text(root: etree._Element, path: str, nsmap: dict[str, str]) -> str | None:
    found = root.find(path, nsmap)
    if found is None or found.text is None:
        return None
    return found.text.strip()


def classify(doc: Document, tree: etree._ElementTree) -> None:
    """Fill syntax, document kind, BT-24, profile and the parties' countries."""
    root = tree.getroot()
    qn = etree.QName(root)
    uri, local = qn.namespace or "", qn.localname
    doc.tree = tree
    if uri == ns.CII_RSM and local == "CrossIndustryInvoice":
        doc.syntax = "cii"
        ctx = "rsm:ExchangedDocumentContext/"
        doc.guideline = _text(
            root, ctx + "ram:GuidelineSpecifiedDocumentContextParameter/ram:ID", ns.CII_NS
        )
        doc.type_code = _text(root, "rsm:ExchangedDocument/ram:TypeCode", ns.CII_NS)
        agr = "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement/"
        doc.seller_country = _text(
            root, agr + "ram:SellerTradeParty/ram:PostalTradeAddress/ram:CountryID", ns.CII_NS
        )
        doc.buyer_country = _text(
            root, agr + "ram:BuyerTradeParty/ram:PostalTradeAddress/ram:CountryID", ns.CII_NS
        )
        doc.document = "creditnote" if doc.type_code in CREDIT_NOTE_CODES else "invoice"
    elif uri in (ns.UBL_INVOICE, ns.UBL_CREDITNOTE) and local in ("Invoice", "CreditNote"):
        doc.syntax = "ubl"
        doc.document = "invoice" if local == "Invoice" else "creditnote"
        m = {"cac": ns.UBL_CAC, "cbc": ns.UBL_CBC}
        doc.guideline = _text(root, "cbc:CustomizationID", m)
        doc.type_code = _text(root, "cbc:InvoiceTypeCode", m) or _text(
            root, "cbc:CreditNoteTypeCode", m
        )
        tail = "/cac:Party/cac:PostalAddress/cac:Country/cbc:IdentificationCode"
        doc.seller_country = _text(root, "cac:AccountingSupplierParty" + tail, m)
        doc.buyer_country = _text(root, "cac:AccountingCustomerParty" + tail, m)
    elif uri == ns.CDAR_RSM:
        doc.syntax = "cdar"
        doc.document = "status"
        doc.guideline = _text(
            root,
            "rsm:ExchangedDocumentContext/ram:GuidelineSpecifiedDocumentContextParameter/ram:ID",
            {"rsm": ns.CDAR_RSM, "ram": ns.CII_RAM},
        )
    elif uri == ns.ZF1_RSM or (uri == ZF1_RC_RSM and local == "Invoice"):
        doc.syntax = "zugferd1"
        doc.document = "invoice"
        # ZUGFeRD 1 puts BT-24 under SpecifiedExchangedDocumentContext (the RC writes the
        # children without namespace): a guideline anywhere else is not one.
        found = [
            i.text.strip()
            for c in root.findall("{*}SpecifiedExchangedDocumentContext")
            for p in c.findall("{*}GuidelineSpecifiedDocumentContextParameter")
            + c.findall("GuidelineSpecifiedDocumentContextParameter")
            for i in p.findall("{*}ID") + p.findall("ID")
            if i.text and i.text.strip()
        ]
        doc.guideline = found[0] if found else None
        if uri == ZF1_RC_RSM:
            doc.flavour = "ZUGFeRD 1.0 RC"
    elif local == ORDERX_ROOT and uri.endswith(ORDERX_ROOT + ":100"):  # with or without standard:
        doc.syntax = "orderx"
        doc.document = "order"
    elif uri.startswith(ns.FATTURAPA_PREFIX) or local == "FatturaElettronica":
        doc.syntax = "fatturapa"
        doc.document = "invoice"
        doc.guideline = root.get("versione")
        doc.profile = f"FatturaPA-{doc.guideline}" if doc.guideline else "FatturaPA"
        return
    else:
        doc.syntax = "unknown"
        return
    if doc.syntax == "cdar":
        # MDT-3: urn.cpro.gouv.fr:1p0:CDV:invoice (or :CDV:einvoicingF2 for the PPF alone)
        g = (doc.guideline or "").strip()
        doc.profile = "CDV-" + g.rsplit(":", 1)[-1] if ":CDV:" in g else None
        return
    doc.profile = profile_from_guideline(doc.guideline)
    if doc.profile == "XRECHNUNG" and doc.guideline:
        doc.flavour = "XRechnung " + doc.guideline.rsplit("_", 1)[-1].split("#")[0]
    elif doc.profile == "PEPPOL-BIS":
        doc.flavour = "Peppol BIS Billing 3.0"


def _redeclared(data: bytes, enc: XmlEncoding) -> bytes | None:
    """The XML re-declared as UTF-8 when its declaration is the only encoding problem."""
    if enc.problem is None or enc.declared is None:
        return None
    try:
        text = data.decode(enc.bom or "utf-8")
    except UnicodeDecodeError:
        return None
    text = text.lstrip("\ufeff")
    end = text.find("?>")
    if not text.startswith("<?xml") or end < 0:
        return None
    return ('<?xml version="1.0" encoding="UTF-8"?>' + text[end + 2 :]).encode("utf-8")


def load(source: str | Path | bytes, *, name: str | None = None) -> Document:
    """Read and detect one input. Raises :class:`InputError` when it cannot be used at all.

    The returned document may still have ``syntax == "unknown"`` (a readable XML of another
    kind) or no ``tree`` (a PDF without an invoice attachment): the engine reports those.
    """
    if isinstance(source, bytes):
        data = source
        path = name or "<bytes>"
    else:
        p = Path(source)
        path = name or str(p)
        try:
            size = p.stat().st_size
        except OSError as exc:
            raise InputError("INPUT-UNREADABLE", f"cannot read the file: {exc.strerror}") from exc
        if size > MAX_INPUT_BYTES:
            raise InputError(
                "INPUT-TOO-LARGE",
                f"the file is {size} bytes, over the {MAX_INPUT_BYTES}-byte limit; "
                "no invoice is that large",
            )
        try:
            data = p.read_bytes()
        except OSError as exc:
            raise InputError("INPUT-UNREADABLE", f"cannot read the file: {exc.strerror}") from exc
    if len(data) > MAX_INPUT_BYTES:
        raise InputError("INPUT-TOO-LARGE", f"the input is over the {MAX_INPUT_BYTES}-byte limit")
    digest = hashlib.sha256(data).hexdigest()
    if b"%PDF-" in data[:1024]:
        doc = Document(path=path, container="pdf", sha256=digest)
        doc.pdf = read_pdf(data)
        inv = doc.pdf.invoice
        if inv is not None and inv.data is not None:
            doc.xml = inv.data
            doc.xml_encoding = xml_encoding(inv.data)
            try:
                classify(doc, parse_xml(inv.data))
            except InputError as exc:
                doc.xml_error = exc
                fixed = _redeclared(inv.data, doc.xml_encoding)
                if fixed is not None:
                    # Only the encoding declaration is wrong: read the content anyway, so that
                    # the user sees every other problem too (the pdf stage reports the
                    # declaration as an error).
                    try:
                        classify(doc, parse_xml(fixed))
                        doc.xml_error = None
                    except InputError:
                        pass
        level = doc.pdf.xmp.get("ConformanceLevel")
        if doc.profile is None and level and doc.document != "order":
            doc.profile = XMP_LEVELS.get(level.strip().upper(), None)
        return doc
    if not looks_like_xml(data):
        raise UnknownFormatError(
            "INPUT-UNKNOWN-FORMAT",
            "the file is neither XML nor PDF: not an electronic invoice",
        )
    doc = Document(path=path, container="xml", xml=data, sha256=digest)
    classify(doc, parse_xml(data))
    return doc
