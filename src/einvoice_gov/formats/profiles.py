"""Profiles: from the specification identifier (BT-24) and the PDF's XMP ConformanceLevel."""

from __future__ import annotations

EN16931 = "EN16931"
EXTENDED = "EXTENDED"
EXTENDED_CTC_FR = "EXTENDED-CTC-FR"
BASIC_WL = "BASIC WL"
BASIC = "BASIC"
MINIMUM = "MINIMUM"
XRECHNUNG = "XRECHNUNG"
PEPPOL_BIS = "PEPPOL-BIS"

#: Exact BT-24 values of the Factur-X / ZUGFeRD 2 / FNFE code lists.
_EXACT: dict[str, str] = {
    "urn:cen.eu:en16931:2017": EN16931,
    "urn:cen.eu:en16931:2017#conformant#urn:factur-x.eu:1p0:extended": EXTENDED,
    "urn:cen.eu:en16931:2017#conformant#urn:zugferd.de:2p0:extended": EXTENDED,
    "urn:cen.eu:en16931:2017#conformant#urn.cpro.gouv.fr:1p0:extended-ctc-fr": EXTENDED_CTC_FR,
    "urn:factur-x.eu:1p0:basicwl": BASIC_WL,
    "urn:zugferd.de:2p0:basicwl": BASIC_WL,
    "urn:cen.eu:en16931:2017#compliant#urn:factur-x.eu:1p0:basic": BASIC,
    "urn:cen.eu:en16931:2017#compliant#urn:zugferd.de:2p0:basic": BASIC,
    "urn:factur-x.eu:1p0:minimum": MINIMUM,
    "urn:zugferd.de:2p0:minimum": MINIMUM,
}

#: The XMP ConformanceLevel spelling of each profile (Factur-X 1.0x, table 2).
XMP_LEVELS: dict[str, str] = {
    "MINIMUM": MINIMUM,
    "BASIC WL": BASIC_WL,
    "BASIC": BASIC,
    "EN 16931": EN16931,
    "EN16931": EN16931,
    "COMFORT": EN16931,  # ZUGFeRD 2.0 name of EN 16931
    "EXTENDED": EXTENDED,
    "XRECHNUNG": XRECHNUNG,
}


def profile_from_guideline(guideline: str | None) -> str | None:
    """Map BT-24 to a profile name; ``None`` when there is no BT-24 at all."""
    if guideline is None:
        return None
    g = guideline.strip()
    if not g:
        return None
    if g in _EXACT:
        return _EXACT[g]
    low = g.lower()
    if low.startswith("urn:ferd:"):  # ZUGFeRD 1.0: urn:ferd:CrossIndustryDocument:invoice:1p0:x
        level = low.rsplit(":", 1)[-1]
        return "ZF1-" + {"komfort": "KOMFORT"}.get(level, level.upper())
    if "xrechnung" in low:
        return XRECHNUNG
    if "peppol.eu:2017:poacc:billing" in low:
        return PEPPOL_BIS
    if "extended-ctc-fr" in low:
        return EXTENDED_CTC_FR
    # Older Factur-X 1.0 drafts wrote ":compliant:factur-x.eu:1p0:<profile>".
    for key, name in (
        ("basicwl", BASIC_WL),
        ("extended", EXTENDED),
        ("minimum", MINIMUM),
        ("1p0:en16931", EN16931),
        ("1p0:basic", BASIC),
    ):
        if key in low:
            return name
    return "UNKNOWN"


def fnfe_chain_name(syntax: str, guideline: str | None) -> str:
    """The FNFE validation chain of a document, as the FNFE package chooses it.

    Only exact BT-24 values select a Factur-X or EXTENDED-CTC-FR chain; anything else falls
    back to the plain EN 16931 chain of its syntax.
    """
    g = (guideline or "").strip()
    if syntax == "cdar":
        return "cdar"
    if syntax == "ubl":
        return "ubl-extended-ctc-fr" if _EXACT.get(g) == EXTENDED_CTC_FR else "ubl-en16931"
    if syntax == "cii":
        prof = _EXACT.get(g)
        return {
            EN16931: "facturx-en16931",
            EXTENDED: "facturx-extended",
            BASIC_WL: "facturx-basicwl",
            EXTENDED_CTC_FR: "cii-extended-ctc-fr",
        }.get(prof or "", "cii-en16931")
    return "none"
