"""Which stages run on a document: the FNFE-MPE validation sequence, per syntax and BT-24.

FNFE prescribes (1) the XSD of the syntax/profile, (2) the EN 16931 schematron, or the
EXTENDED-CTC-FR one, or the Factur-X profile one, (3) the French rules BR-FR; for CDAR status
messages the XSD then BR-FR-CDV. Every stage runs even when an earlier one fails, so that the
user sees every problem at once; ``first_failing_stage`` tells where a platform would stop.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from einvoice_gov.formats.document import Document
from einvoice_gov.formats.profiles import fnfe_chain_name
from einvoice_gov.validation.findings import Stage


class ChainChoice(StrEnum):
    """Which rules to apply.

    ``en16931``: the XML Schema and the CEN EN 16931 rules only, whatever the profile (CDAR
    status messages keep their own rules). ``fr``: the whole FNFE chain of the document (its
    profile's schematron and the French rules BR-FR). ``auto``: the FNFE chain, with BR-FR only
    when seller and buyer are both in France (the reform's scope).
    """

    AUTO = "auto"
    EN16931 = "en16931"
    FR = "fr"


@dataclass(frozen=True)
class StageSpec:
    stage: Stage  # our stage (the scoreboard's normalised name)
    name: str  # the official stage name: xsd, xsd-facturx, facturx-en16931, br-fr...
    kind: str  # "xsd" | "schematron"
    key: str  # artefact key (see artefacts.ARTEFACTS)


def _xsd_key(doc: Document) -> str:
    if doc.syntax == "ubl":
        return "xsd/ubl-creditnote" if doc.document == "creditnote" else "xsd/ubl-invoice"
    return f"xsd/{doc.syntax}"


def french_scope(doc: Document) -> bool:
    """The reform's scope: seller (BT-40) and buyer (BT-55) both established in France."""
    return (doc.seller_country or "").upper() == "FR" and (doc.buyer_country or "").upper() == "FR"


def plan(doc: Document, choice: ChainChoice) -> tuple[str, list[StageSpec]]:
    """The chain name and its stages for one classified document."""
    syn = "cii" if doc.syntax == "cii" else doc.syntax
    if doc.syntax == "zugferd1":
        return "zugferd1", [StageSpec(Stage.XSD, "xsd", "xsd", "xsd/zugferd1")]
    name = fnfe_chain_name(doc.syntax, doc.guideline)
    if name == "none":
        return name, []
    xsd = StageSpec(Stage.XSD, "xsd", "xsd", _xsd_key(doc))
    if name == "cdar":
        return name, [xsd, StageSpec(Stage.BR_FR_CDV, "br-fr-cdv", "schematron", "br-fr-cdv/cdar")]
    stages = [xsd]
    en = StageSpec(Stage.EN16931, "en16931", "schematron", f"en16931/{syn}")
    if choice is ChainChoice.EN16931:
        return f"{syn}-en16931", [xsd, en]
    if name in ("cii-en16931", "ubl-en16931"):
        # MINIMUM and BASIC are not in the FNFE package: they fall here, and the readiness
        # stage says why such a document is not an invoice for the reform.
        stages.append(en)
    elif name.endswith("extended-ctc-fr"):
        stages.append(
            StageSpec(
                Stage.EXTENDED_CTC_FR, "extended-ctc-fr", "schematron", f"extended-ctc-fr/{syn}"
            )
        )
    else:  # facturx-<profile>
        p = name.split("-", 1)[1]
        if p == "en16931":
            stages.append(en)
        stages += [
            StageSpec(Stage.XSD, "xsd-facturx", "xsd", f"xsd/facturx-{p}"),
            StageSpec(Stage.FACTURX, name, "schematron", f"facturx/{p}"),
        ]
    french = choice is ChainChoice.FR or (choice is ChainChoice.AUTO and french_scope(doc))
    if french:
        stages.append(StageSpec(Stage.BR_FR, "br-fr", "schematron", f"br-fr/{syn}"))
    return name, stages
