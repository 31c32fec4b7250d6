"""The ``xsd`` stage: XML Schema validation with lxml (default) or xmlschema.

Both backends load each schema once per process. ``bench/bench_xsd.py`` measures them; lxml
(libxml2) is the default because it is two orders of magnitude faster (docs/decisions/0002).
"""

from __future__ import annotations

from functools import cache
from typing import Protocol

from lxml import etree

from einvoice_gov.validation import xsdcache
from einvoice_gov.validation.artefacts import artefact_path
from einvoice_gov.validation.findings import Finding, Severity, Stage, new_finding


class XsdBackend(Protocol):
    name: str

    def validate(self, key: str, tree: etree._ElementTree) -> list[Finding] | None:
        """Findings of one schema, or ``None`` when the schema is unavailable."""


class LxmlBackend:
    name = "lxml"

    def validate(self, key: str, tree: etree._ElementTree) -> list[Finding] | None:
        schema = xsdcache.lxml_schema(key)
        if schema is None:
            return None
        if schema.validate(tree):
            return []
        out = []
        for err in list(schema.error_log):  # type: ignore[call-overload]
            out.append(
                new_finding(
                    rule=f"XSD:{err.type_name}",
                    stage=Stage.XSD,
                    severity=Severity.ERROR,
                    message=err.message,
                    location=err.path or None,
                    line=err.line or None,
                )
            )
        return out


@cache
def _xmlschema_schema(key: str) -> object | None:
    import xmlschema

    path = artefact_path(key)
    if path is None:
        return None
    return xmlschema.XMLSchema(str(path), allow="local")  # never the network


class XmlschemaBackend:
    name = "xmlschema"

    def validate(self, key: str, tree: etree._ElementTree) -> list[Finding] | None:
        schema = _xmlschema_schema(key)
        if schema is None:
            return None
        out = []
        for err in schema.iter_errors(tree):  # type: ignore[attr-defined]
            elem = getattr(err, "elem", None)
            line = getattr(elem, "sourceline", None) if elem is not None else None
            out.append(
                new_finding(
                    rule=f"XSD:{type(err).__name__}",
                    stage=Stage.XSD,
                    severity=Severity.ERROR,
                    message=str(getattr(err, "reason", None) or err.message),
                    location=getattr(err, "path", None),
                    line=line,
                )
            )
        return out


BACKENDS: dict[str, XsdBackend] = {"lxml": LxmlBackend(), "xmlschema": XmlschemaBackend()}
