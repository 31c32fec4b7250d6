"""The ``pdf`` stage: checks on a Factur-X / ZUGFeRD PDF container that no schematron makes.

Reads the facts :mod:`einvoice_gov.formats.pdf` gathered (attachments, XMP, PDF/A
identification, scripts, encryption) and the invoice XML's encoding facts, and judges them
against Factur-X 1.0x / ZUGFeRD 2.x. Rules and their wording: ``validation/rules/pdf.py``;
what is checked and what is not: ``docs/pdf-checks.md``. PDF/A conformance itself is not
verified, and the ``PDF-PDFA-DECLARED`` finding says so on every file that claims it.
"""

from __future__ import annotations

from collections.abc import Callable

from einvoice_gov.formats.document import Document
from einvoice_gov.formats.pdf import (
    FX_XMP_NAMESPACES,
    INVOICE_NAMES,
    MAX_ATTACHMENT_BYTES,
    MAX_SCAN_OBJECTS,
)
from einvoice_gov.formats.profiles import (
    BASIC,
    BASIC_WL,
    EN16931,
    EXTENDED,
    EXTENDED_CTC_FR,
    MINIMUM,
    XMP_LEVELS,
    XRECHNUNG,
    profile_from_guideline,
)
from einvoice_gov.validation import registry
from einvoice_gov.validation.findings import Finding, Stage, new_finding

#: AFRelationship values Factur-X allows for the invoice XML.
AF_RELATIONSHIPS = ("Data", "Alternative", "Source")
#: MIME types of an XML attachment.
XML_MIME_TYPES = ("text/xml", "application/xml")
#: XMP value lists (Factur-X 1.0x §6.2.2; ZUGFeRD 2.x; Mustang's lists, PEER_CHECKS.md §2).
XMP_DOCUMENT_TYPES = ("INVOICE", "ORDER", "ORDER_RESPONSE", "ORDER_CHANGE")
XMP_FILE_NAMES = (
    "factur-x.xml",
    "ZUGFeRD-invoice.xml",
    "zugferd-invoice.xml",
    "xrechnung.xml",
    "order-x.xml",
)
XMP_VERSIONS = ("1.0", "1p0", "2p0", "3p0", "1.2", "2.0", "2.1", "2.2", "2.3", "3.0")
XMP_LEVEL_NAMES = (
    "MINIMUM",
    "BASIC WL",
    "BASIC",
    "EN 16931",
    "COMFORT",
    "CIUS",
    "EXTENDED",
    "XRECHNUNG",
)
#: XML profiles each XMP ConformanceLevel may describe.
_LEVEL_PROFILES: dict[str, frozenset[str]] = {
    "MINIMUM": frozenset({MINIMUM}),
    "BASIC WL": frozenset({BASIC_WL}),
    "BASIC": frozenset({BASIC, "ZF1-BASIC"}),
    "EN 16931": frozenset({EN16931, "PEPPOL-BIS"}),
    "EN16931": frozenset({EN16931, "PEPPOL-BIS"}),
    "COMFORT": frozenset({EN16931, "ZF1-COMFORT", "ZF1-KOMFORT"}),
    "EXTENDED": frozenset({EXTENDED, EXTENDED_CTC_FR, "ZF1-EXTENDED"}),
    "XRECHNUNG": frozenset({XRECHNUNG}),
    "CIUS": frozenset({XRECHNUNG}),
}
_ZF1_FAMILIES = ("zugferd1", "zugferd1-rc")
#: ``add(code, detail="")``: how the helpers of :func:`check` report.
_Add = Callable[..., None]

_ACTIONS_FR = {
    "JavaScript action": "action JavaScript",
    "JavaScript action run when the file is opened": "action JavaScript lancée à l'ouverture",
    "Launch action (starts a program)": "action Launch (lance un programme)",
    "Launch action (starts a program) run when the file is opened": (
        "action Launch (lance un programme) lancée à l'ouverture"
    ),
    "document-level JavaScript (/Names /JavaScript)": (
        "JavaScript au niveau du document (/Names /JavaScript)"
    ),
}


def _t(lang: str, en: str, fr: str) -> str:
    return fr if lang == "fr" else en


def _f(code: str, lang: str, detail: str = "") -> Finding:
    """A finding of the pdf stage. It has no ``location``: that field is an XPath into the
    invoice XML, and these findings are about the PDF around it (the message names the
    attachment or XMP property concerned)."""
    r = registry.get(code)
    assert r is not None, code
    return new_finding(
        rule=code,
        stage=Stage.PDF,
        severity=r.severity,
        message=r.message(lang, detail),
        bt=r.bt,
        fix=r.fix(lang),
    )


def _size(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB" if n >= 1024 * 1024 else f"{n} bytes"


def check(doc: Document, lang: str) -> list[Finding]:
    """Findings about the PDF container of ``doc`` (empty for an XML document)."""
    pdf = doc.pdf
    if pdf is None:
        return []
    out: list[Finding] = []

    def add(code: str, detail: str = "") -> None:
        out.append(_f(code, lang, detail))

    # -- container and security -------------------------------------------------------------
    if pdf.encrypted:
        add(
            "PDF-ENCRYPTED",
            _t(
                lang,
                "it opens without a password and was read, but PDF/A (required by Factur-X) "
                "forbids encryption and platforms may refuse it",
                "il s'ouvre sans mot de passe et a été lu, mais le PDF/A (exigé par Factur-X) "
                "interdit le chiffrement et les plateformes peuvent le refuser",
            ),
        )
    js = [a for a in pdf.actions if "JavaScript" in a]
    launch = [a for a in pdf.actions if a.startswith("Launch")]
    if js:
        add("PDF-JAVASCRIPT", ", ".join(_t(lang, a, _ACTIONS_FR.get(a, a)) for a in js))
    if launch:
        add("PDF-LAUNCH-ACTION", ", ".join(_t(lang, a, _ACTIONS_FR.get(a, a)) for a in launch))
    if not pdf.scan_complete:
        add(
            "PDF-SCAN-INCOMPLETE",
            _t(lang, f"over {MAX_SCAN_OBJECTS} objects", f"plus de {MAX_SCAN_OBJECTS} objets"),
        )
    if not pdf.xmp_present:
        add("PDF-XMP-MISSING")
    elif pdf.xmp_error is not None:
        add("PDF-XMP-MALFORMED", pdf.xmp_error)

    # -- the invoice attachment -------------------------------------------------------------
    inv = pdf.invoice
    if inv is None:
        names = ", ".join(a.name for a in pdf.attachments) or _t(lang, "none", "aucune")
        add(
            "PDF-NO-INVOICE-XML", _t(lang, f"(attachments: {names})", f"(pièces jointes : {names})")
        )
        return out
    cands = pdf.invoice_candidates()
    if len(cands) > 1:
        names = ", ".join(a.name for a in cands)
        add(
            "PDF-SEVERAL-INVOICE-XML",
            _t(
                lang,
                f"{names}; einvoice-gov read {inv.name}",
                f"{names} ; einvoice-gov a lu {inv.name}",
            ),
        )
    if inv.too_large:
        add(
            "PDF-INVOICE-XML-TOO-LARGE",
            _t(
                lang,
                f"{inv.name}: {_size(inv.size)}, limit {_size(MAX_ATTACHMENT_BYTES)}",
                f"{inv.name} : {_size(inv.size)}, limite {_size(MAX_ATTACHMENT_BYTES)}",
            ),
        )
    elif inv.data is None:
        add("PDF-XML-MALFORMED", inv.error or "")
    if not inv.in_name_tree:
        add("PDF-INVOICE-NOT-IN-NAMES", inv.name)
    if inv.name.strip().lower() not in INVOICE_NAMES:
        add("PDF-INVOICE-NAME", inv.name)
    if not inv.in_catalog_af:
        add(
            "PDF-AF-MISSING",
            ""
            if pdf.catalog_af_present
            else _t(lang, " (the catalog has no /AF at all)", " (le catalogue n'a aucun /AF)"),
        )
    xml_profile = profile_from_guideline(doc.guideline) if doc.tree is not None else None
    profile = xml_profile or XMP_LEVELS.get((pdf.xmp.get("ConformanceLevel") or "").upper())
    rel = inv.af_relationship
    if not rel:
        add("PDF-AFRELATIONSHIP-MISSING")
    elif rel not in AF_RELATIONSHIPS:
        add("PDF-AFRELATIONSHIP-INVALID", rel)
    elif profile in (MINIMUM, BASIC_WL) and rel != "Data":
        add(
            "PDF-AFRELATIONSHIP-PROFILE",
            _t(lang, f"{rel} with the {profile} profile", f"{rel} avec le profil {profile}"),
        )
    if inv.data is not None:
        if not inv.mime:
            add("PDF-ATTACHMENT-NO-MIME")
        elif inv.mime.lower() not in XML_MIME_TYPES:
            add("PDF-ATTACHMENT-MIME", inv.mime)
    enc = doc.xml_encoding
    if enc is not None:
        if enc.problem is not None:
            add("PDF-XML-ENCODING", _encoding_detail(lang, enc.declared, enc.bom, enc.problem))
        if enc.bom is not None:
            add("PDF-XML-BOM", enc.bom.upper())
    if doc.xml_error is not None:
        add("PDF-XML-MALFORMED", str(doc.xml_error))

    # -- XMP metadata -----------------------------------------------------------------------
    if pdf.xmp_present and pdf.xmp_error is None:
        _check_xmp(doc, lang, add, xml_profile)
        _check_pdfa(pdf.pdfa_part, pdf.pdfa_conformance, lang, add)
    return out


def _encoding_detail(lang: str, declared: str | None, bom: str | None, problem: str) -> str:
    if declared is not None and "unknown encoding" in problem:
        return _t(
            lang,
            f"the first line declares the unknown encoding {declared!r}",
            f"la première ligne déclare l'encodage inconnu {declared!r}",
        )
    if bom is not None and declared is not None and "byte-order mark" in problem:
        return _t(
            lang,
            f"the first line declares {declared!r} but the file starts with a {bom.upper()} "
            "byte-order mark",
            f"la première ligne déclare {declared!r} mais le fichier commence par une marque "
            f"{bom.upper()}",
        )
    what = declared or "UTF-8"
    return _t(
        lang,
        f"the content is not valid {what}",
        f"le contenu n'est pas du {what} valide",
    )


def _check_xmp(doc: Document, lang: str, add: _Add, xml_profile: str | None) -> None:
    pdf = doc.pdf
    assert pdf is not None and pdf.invoice is not None
    xmp = pdf.xmp
    if not xmp:
        add("PDF-XMP-NO-FACTURX")
        return
    nsuri = pdf.xmp_namespace or ""
    if nsuri and nsuri not in FX_XMP_NAMESPACES:
        add("PDF-XMP-NAMESPACE", nsuri)
    if nsuri and nsuri not in pdf.xmp_extension_schemas:
        add("PDF-XMP-EXTENSION-SCHEMA", nsuri)
    fam = pdf.xmp_family
    if doc.tree is not None and fam is not None:
        if fam in _ZF1_FAMILIES and doc.syntax == "cii":
            add(
                "PDF-XMP-NAMESPACE-MISMATCH",
                _t(
                    lang,
                    "the XMP is ZUGFeRD 1 but the XML is Factur-X / ZUGFeRD 2 (CII)",
                    "le XMP est ZUGFeRD 1 mais le XML est Factur-X / ZUGFeRD 2 (CII)",
                ),
            )
        elif fam not in _ZF1_FAMILIES and fam != "orderx" and doc.syntax == "zugferd1":
            add(
                "PDF-XMP-NAMESPACE-MISMATCH",
                _t(
                    lang,
                    "the XMP is Factur-X / ZUGFeRD 2 but the XML is ZUGFeRD 1",
                    "le XMP est Factur-X / ZUGFeRD 2 mais le XML est ZUGFeRD 1",
                ),
            )
    # DocumentType
    dtype = xmp.get("DocumentType")
    if dtype is None:
        add("PDF-XMP-DOCTYPE-MISSING")
    elif dtype not in XMP_DOCUMENT_TYPES:
        add("PDF-XMP-DOCTYPE-INVALID", repr(dtype))
    elif doc.tree is not None:
        order_xml = doc.syntax == "orderx"
        if order_xml and dtype == "INVOICE":
            add(
                "PDF-XMP-DOCTYPE-MISMATCH",
                _t(
                    lang,
                    "INVOICE, but the XML is an order",
                    "INVOICE, mais le XML est une commande",
                ),
            )
        elif not order_xml and dtype.startswith("ORDER") and doc.document != "unknown":
            add(
                "PDF-XMP-DOCTYPE-MISMATCH",
                _t(
                    lang,
                    f"{dtype}, but the XML is an invoice",
                    f"{dtype}, mais le XML est une facture",
                ),
            )
    # DocumentFileName
    fname = xmp.get("DocumentFileName")
    inv = pdf.invoice
    if fname is None:
        add("PDF-XMP-FILENAME-MISSING")
    else:
        if fname not in XMP_FILE_NAMES:
            add("PDF-XMP-FILENAME-INVALID", repr(fname))
        if fname != inv.name:
            if any(a.name == fname for a in pdf.attachments):
                detail = _t(
                    lang,
                    f"{fname!r}, but the invoice read is attached as {inv.name!r}",
                    f"{fname!r}, mais la facture lue est jointe sous le nom {inv.name!r}",
                )
            else:
                detail = _t(
                    lang,
                    f"{fname!r}, but no attachment has that name (the invoice is attached as "
                    f"{inv.name!r})",
                    f"{fname!r}, mais aucune pièce jointe ne porte ce nom (la facture est jointe "
                    f"sous le nom {inv.name!r})",
                )
            add("PDF-XMP-FILENAME-MISMATCH", detail)
    # Version
    version = xmp.get("Version")
    if version is None:
        add("PDF-XMP-VERSION-MISSING")
    elif version not in XMP_VERSIONS:
        add("PDF-XMP-VERSION-INVALID", repr(version))
    # ConformanceLevel
    level = xmp.get("ConformanceLevel")
    if level is None:
        add("PDF-XMP-LEVEL-MISSING")
        return
    key = level.strip().upper()
    if key not in XMP_LEVEL_NAMES and key != "EN16931":
        add("PDF-XMP-LEVEL-INVALID", repr(level))
        return
    if xml_profile is None or xml_profile == "UNKNOWN" or doc.syntax == "orderx":
        return
    allowed = _LEVEL_PROFILES.get(key, frozenset())
    if xml_profile in allowed:
        return
    if xml_profile == XRECHNUNG and key in ("EN 16931", "EN16931"):
        add(
            "PDF-XMP-LEVEL-IMPRECISE",
            _t(
                lang,
                "EN 16931 while the XML is an XRechnung (a German specialisation of EN 16931): "
                "it should say XRECHNUNG",
                "EN 16931 alors que le XML est une XRechnung (une spécialisation allemande "
                "d'EN 16931) : il devrait valoir XRECHNUNG",
            ),
        )
        return
    bt24 = doc.guideline or "-"
    add(
        "PDF-XMP-LEVEL-MISMATCH",
        _t(
            lang,
            f"the XMP metadata says {level}, the XML says {xml_profile} (BT-24 {bt24})",
            f"les métadonnées XMP indiquent {level}, le XML indique {xml_profile} (BT-24 {bt24})",
        ),
    )


def _check_pdfa(part: str | None, conformance: str | None, lang: str, add: _Add) -> None:
    if part is None:
        add("PDF-PDFA-MISSING")
        return
    conf = conformance or ""
    if part == "3":
        if conf not in ("A", "B", "U"):
            add("PDF-PDFA-CONFORMANCE", repr(conf))
        add("PDF-PDFA-DECLARED", f"3{conf}")
    elif part == "4":
        add("PDF-PDFA-PART4", conf)
        add("PDF-PDFA-DECLARED", f"4{conf}")
    else:
        add("PDF-PDFA-PART", f"{part}{conf}")
