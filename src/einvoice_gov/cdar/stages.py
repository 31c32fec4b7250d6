"""The two stages of a CDAR status message, as the native engine runs them.

``xsd/cdar``: :func:`einvoice_gov.cdar.structure.check_structure` (no CDAR XML Schema ships in
any package we can depend on); ``br-fr-cdv/cdar``: :func:`einvoice_gov.cdar.rules.check_cdv`.
The official engine has no artefact for either and reports them ``unavailable``.
"""

from __future__ import annotations

from lxml import etree

from einvoice_gov.validation.official import RawResult

#: Artefact keys of the stages implemented here.
KEYS = frozenset({"xsd/cdar", "br-fr-cdv/cdar"})


def run(
    key: str, tree: etree._ElementTree, lang: str = "en", edition: str = "fatal"
) -> list[RawResult] | None:
    """Results of one CDAR stage, or ``None`` for a key that is not a CDAR stage.

    ``edition`` chooses the FATAL (default) or WARNING edition of the BR-FR-CDV rules."""
    if key == "xsd/cdar":
        from einvoice_gov.cdar.structure import check_structure

        return check_structure(tree, lang)
    if key == "br-fr-cdv/cdar":
        from einvoice_gov.cdar.rules import check_cdv

        return check_cdv(tree, edition)
    return None
