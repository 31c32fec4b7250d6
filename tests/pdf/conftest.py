"""Builders for the PDF and readiness tests: Factur-X PDFs made in the test, with pikepdf.

``make_pdf()`` writes a small PDF/A-3-looking Factur-X file around an invoice XML; every
keyword argument breaks one thing (the attachment's name, MIME type, AFRelationship, the XMP
fields, the /AF link, scripts, encryption...). ``cii()`` returns the bundled demo CII invoice
(fixtures/demo/FA-2026-0101.xml, our own file) with chosen changes.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from einvoice_gov.formats import namespaces as ns
from einvoice_gov.formats import pdf as pdfmod
from tests.conftest import FIXTURES

pikepdf = pytest.importorskip("pikepdf", reason="pikepdf builds the test PDFs")

DEMO = FIXTURES / "demo" / "FA-2026-0101.xml"
FX_NS = "urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#"
GUIDELINES = {
    "MINIMUM": "urn:factur-x.eu:1p0:minimum",
    "BASIC WL": "urn:factur-x.eu:1p0:basicwl",
    "BASIC": "urn:cen.eu:en16931:2017#compliant#urn:factur-x.eu:1p0:basic",
    "EN16931": "urn:cen.eu:en16931:2017",
    "EXTENDED": "urn:cen.eu:en16931:2017#conformant#urn:factur-x.eu:1p0:extended",
}

_OMIT = object()


#: A SIRET of the demo seller with a correct Luhn key (set explicitly: the tests of the
#: identifier checks must not depend on the demo file's value).
DEMO_SELLER_SIRET = "17500669100018"


def cii(
    *,
    guideline: str | None = None,
    seller_siren: str | None = None,
    seller_siret: str | None = DEMO_SELLER_SIRET,
    buyer_siren: str | None = None,
    seller_vat: str | None = None,
    currency: str | None = None,
    tax_currency: str | None = None,
    eur_vat_total: str | None = None,
    seller_country: str | None = None,
) -> bytes:
    """The demo invoice, with the given values replaced."""
    tree = etree.parse(str(DEMO))
    m = ns.CII_NS
    root = tree.getroot()
    agr = "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement/"
    stl = root.find("rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement", m)
    assert stl is not None

    def put(path: str, value: str | None) -> None:
        if value is None:
            return
        el = root.find(path, m)
        assert el is not None, path
        el.text = value

    put(
        "rsm:ExchangedDocumentContext/ram:GuidelineSpecifiedDocumentContextParameter/ram:ID",
        guideline,
    )
    put(agr + "ram:SellerTradeParty/ram:SpecifiedLegalOrganization/ram:ID", seller_siren)
    put(agr + "ram:SellerTradeParty/ram:GlobalID", seller_siret)
    put(agr + "ram:BuyerTradeParty/ram:SpecifiedLegalOrganization/ram:ID", buyer_siren)
    put(agr + "ram:SellerTradeParty/ram:SpecifiedTaxRegistration/ram:ID", seller_vat)
    put(agr + "ram:SellerTradeParty/ram:PostalTradeAddress/ram:CountryID", seller_country)
    if currency is not None:
        put(
            "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement/"
            "ram:InvoiceCurrencyCode",
            currency,
        )
        total = stl.find("ram:SpecifiedTradeSettlementHeaderMonetarySummation", m)
        assert total is not None
        tax = total.find("ram:TaxTotalAmount", m)
        assert tax is not None
        tax.set("currencyID", currency)
        if tax_currency is not None:
            code = etree.Element(f"{{{ns.CII_RAM}}}TaxCurrencyCode")
            code.text = tax_currency
            stl.find("ram:InvoiceCurrencyCode", m).addnext(code)  # type: ignore[union-attr]
        if eur_vat_total is not None:
            extra = etree.Element(f"{{{ns.CII_RAM}}}TaxTotalAmount", currencyID="EUR")
            extra.text = eur_vat_total
            tax.addnext(extra)
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8")


def xmp_packet(
    fields: dict[str, str] | None = None,
    *,
    namespace: str = FX_NS,
    part: str | None = "3",
    conformance: str | None = "B",
    extension_schema: bool = True,
    broken: bool = False,
) -> bytes:
    """An XMP packet with pdfaid and the Factur-X properties (element form)."""
    values = {
        "DocumentType": "INVOICE",
        "DocumentFileName": "factur-x.xml",
        "Version": "1.0",
        "ConformanceLevel": "EN 16931",
    }
    values.update(fields or {})
    props = "".join(
        f"<fx:{k}>{v}</fx:{k}>" for k, v in values.items() if v is not None and v != "-"
    )
    pdfa = ""
    if part is not None:
        pdfa += f"<pdfaid:part>{part}</pdfaid:part>"
    if conformance is not None:
        pdfa += f"<pdfaid:conformance>{conformance}</pdfaid:conformance>"
    ext = ""
    if extension_schema:
        ext = (
            '<rdf:Description rdf:about="" '
            'xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" '
            'xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#">'
            '<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">'
            "<pdfaSchema:schema>Factur-X PDFA Extension Schema</pdfaSchema:schema>"
            f"<pdfaSchema:namespaceURI>{namespace}</pdfaSchema:namespaceURI>"
            "<pdfaSchema:prefix>fx</pdfaSchema:prefix>"
            "</rdf:li></rdf:Bag></pdfaExtension:schemas></rdf:Description>"
        )
    body = (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">'
        f"{pdfa}</rdf:Description>"
        f'<rdf:Description rdf:about="" xmlns:fx="{namespace}">{props}</rdf:Description>'
        f"{ext}"
        "</rdf:RDF></x:xmpmeta>"
        '<?xpacket end="w"?>'
    )
    if broken:
        body = body.replace("</rdf:RDF>", "<rdf:Bag></rdf:RDF>")
    return body.encode("utf-8")


def make_pdf(
    xml: bytes | None = None,
    *,
    name: str = "factur-x.xml",
    mime: Any = "text/xml",
    af_relationship: Any = "Alternative",
    in_catalog_af: bool = True,
    catalog_af: bool = True,
    in_names: bool = True,
    xmp: Any = None,
    extra: list[tuple[str, bytes, str]] | None = None,
    javascript: bool = False,
    launch: bool = False,
    document_js: bool = False,
    user_password: str | None = None,
    compress: bool = True,
    raw_stream: bytes | None = None,
    declared_size: int | None = None,
) -> bytes:
    """A one-page PDF with ``xml`` attached as ``name``; ``xml=None``: no attachment at all.

    ``xmp``: ``None`` gives a valid Factur-X XMP; bytes are used as is; ``False`` omits
    /Metadata. ``mime``/``af_relationship``: ``None`` omits the key. ``extra``: more
    attachments (name, data, mime). ``raw_stream``: already Flate-compressed bytes for the
    invoice stream (for decompression-bomb tests). ``user_password``: encrypt (``""``: opens
    without password).
    """
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    Name, Dictionary, Array, String = (
        pikepdf.Name,
        pikepdf.Dictionary,
        pikepdf.Array,
        pikepdf.String,
    )
    specs = []
    files: list[tuple[str, bytes | None, Any, Any, bool]] = []
    if xml is not None or raw_stream is not None:
        files.append((name, xml, mime, af_relationship, True))
    for ename, edata, emime in extra or []:
        files.append((ename, edata, emime, "Supplement", False))
    names_arr = Array()
    af_arr = Array()
    for fname, data, fmime, rel, is_invoice in files:
        if is_invoice and raw_stream is not None:
            stream = pikepdf.Stream(pdf, raw_stream)
            stream.Filter = Name.FlateDecode
        else:
            stream = pikepdf.Stream(pdf, data or b"")
        stream.Type = Name.EmbeddedFile
        if fmime is not None:
            stream.Subtype = Name("/" + fmime)
        stream.Params = Dictionary(
            Size=declared_size if declared_size is not None else len(data or b"")
        )
        spec = Dictionary(
            Type=Name.Filespec, F=String(fname), UF=String(fname), EF=Dictionary(F=stream)
        )
        if rel is not None:
            spec.AFRelationship = Name("/" + rel)
        spec = pdf.make_indirect(spec)
        specs.append(spec)
        if in_names or not is_invoice:
            names_arr.append(String(fname))
            names_arr.append(spec)
        if in_catalog_af or not is_invoice:
            af_arr.append(spec)
    names = Dictionary()
    if len(names_arr):
        names.EmbeddedFiles = Dictionary(Names=names_arr)
    if document_js:
        js = pdf.make_indirect(Dictionary(S=Name.JavaScript, JS=String("app.alert('hi')")))
        names.JavaScript = Dictionary(Names=Array([String("hello"), js]))
    if len(names.keys()):
        pdf.Root.Names = names
    if catalog_af and len(af_arr):
        pdf.Root.AF = af_arr
    if xmp is not False:
        packet = xmp if isinstance(xmp, bytes) else xmp_packet()
        meta = pikepdf.Stream(pdf, packet)
        meta.Type = Name.Metadata
        meta.Subtype = Name.XML
        pdf.Root.Metadata = pdf.make_indirect(meta)
    if javascript:
        pdf.Root.OpenAction = Dictionary(S=Name.JavaScript, JS=String("app.alert('hi')"))
    if launch:
        annot = Dictionary(
            Type=Name.Annot,
            Subtype=Name.Link,
            Rect=Array([0, 0, 100, 100]),
            A=Dictionary(S=Name.Launch, F=String("calc.exe")),
        )
        pdf.pages[0].Annots = Array([pdf.make_indirect(annot)])
    out = io.BytesIO()
    kwargs: dict[str, Any] = {
        "fix_metadata_version": False,  # else pikepdf rewrites (and repairs) our XMP
        "compress_streams": compress,
        "object_stream_mode": pikepdf.ObjectStreamMode.generate
        if compress
        else pikepdf.ObjectStreamMode.disable,
    }
    if user_password is not None:
        kwargs["encryption"] = pikepdf.Encryption(user=user_password, owner="owner-secret", R=6)
    pdf.save(out, **kwargs)
    return out.getvalue()


def both_backends() -> list[str]:
    """The PDF backends available here (pypdf always; pikepdf when installed)."""
    return sorted(pdfmod.BACKENDS)


@pytest.fixture(params=both_backends())
def backend(request: pytest.FixtureRequest) -> Iterator[str]:
    """Run the test once per PDF backend (the process default is switched for ``load``)."""
    pdfmod.set_default_backend(request.param)
    try:
        yield request.param
    finally:
        pdfmod.set_default_backend(None)


@pytest.fixture(scope="session")
def demo_xml() -> bytes:
    return DEMO.read_bytes()


def corpus_dir() -> Path:
    from tests.conftest import conformance_dir

    return conformance_dir().parent / "corpus"
