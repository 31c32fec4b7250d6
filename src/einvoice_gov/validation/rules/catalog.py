"""Load the catalogue of the official artefacts' rule ids into the registry, lazily.

The catalogue lives in ``einvoice_gov/validation/catalog/*.json``, one file per family of
codes. Nothing is read at import: :func:`registry.get` asks this source for a code, which loads
only the file of that code's family (a few milliseconds), once per process.

File format (one JSON object)::

    {"about": "...",
     "templates": {"NAME": {"en": "... {element} ...", "fr": "...", "fix_en": "...",
                            "fix_fr": "...", "notes": "..."}},
     "rules": {"CODE": {"applies": ["en16931/cii:fatal", "facturx/en16931:fatal"],
                        "bt": ["BT-1"],
                        "en": "...", "fr": "...", "fix_en": "...", "fix_fr": "...",
                        "notes": "...",
                        "template": "NAME", "args": {"element": "...", "what_en": "...",
                                                     "what_fr": "..."},
                        "variants": {"ARTEFACT": {"en": "...", "fr": "...", "notes": "..."}}}}}

``fallbacks`` (optional) maps a code prefix to an entry used for codes not listed (the
synthetic ``FX-NOID-...`` ids an engine gives to asserts without id).

``same_as`` (optional, also in a variant) names another catalogued rule whose texts the entry
takes (a Factur-X id that runs an EN 16931 check under its own number).

A rule either has its own texts or names a template, whose ``{placeholders}`` are filled from
``args`` (``x_en``/``x_fr`` give a per-language value of ``{x}``); texts given in the rule
override the template's.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from functools import cache
from importlib import resources
from typing import Any

from einvoice_gov.validation.artefacts import VERSIONS
from einvoice_gov.validation.findings import Severity, Stage
from einvoice_gov.validation.registry import Applies, Rule, Variant, register_source

#: code prefix -> catalogue file (the longest matching prefix wins)
FILES: dict[str, str] = {
    "BR-": "en16931-core.json",
    "BR-S-": "en16931-vat.json",
    "BR-Z-": "en16931-vat.json",
    "BR-E-": "en16931-vat.json",
    "BR-AE-": "en16931-vat.json",
    "BR-IC-": "en16931-vat.json",
    "BR-G-": "en16931-vat.json",
    "BR-O-": "en16931-vat.json",
    "BR-AF-": "en16931-vat.json",
    "BR-AG-": "en16931-vat.json",
    "BR-B-": "en16931-vat.json",
    "BR-FR-": "br-fr.json",
    "BR-FR-CDV-": "",  # the CDAR lifecycle rules are declared elsewhere
    "BR-FREXT": "extended-ctc-fr.json",
    "BR-FXEXT": "extended-ctc-fr.json",
    "BR-EXT-": "extended-ctc-fr.json",
    "CII-FREXT": "extended-ctc-fr.json",
    "CII-EXT-": "extended-ctc-fr.json",
    "UBL-FREXT": "extended-ctc-fr.json",
    "UBL-SR-": "ubl-syntax.json",
    "UBL-DT-": "ubl-syntax.json",
    "UBL-CR-": "ubl-cr.json",
    "CII-SR-": "cii-sr.json",
    "CII-DT-": "cii-dt.json",
    "FX-": "facturx.json",
    "PEPPOL-": "facturx.json",
}
_PREFIXES = sorted(FILES, key=len, reverse=True)

#: order in which a rule's artefacts are listed (its first one gives the default stage)
ARTEFACT_ORDER = (
    "en16931/cii",
    "en16931/ubl",
    "extended-ctc-fr/cii",
    "extended-ctc-fr/ubl",
    "facturx/minimum",
    "facturx/basicwl",
    "facturx/basic",
    "facturx/en16931",
    "facturx/extended",
    "br-fr/cii",
    "br-fr/ubl",
)

_FIELDS = ("en", "fr", "fix_en", "fix_fr", "notes")
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def file_for(code: str) -> str | None:
    """The catalogue file a code belongs to (``None``: not a catalogued family)."""
    for prefix in _PREFIXES:
        if code.startswith(prefix):
            return FILES[prefix] or None
    return None


def family_of(code: str) -> str:
    """The family a code is listed under in the reference pages."""
    if code.startswith(("BR-FREXT", "BR-FXEXT", "BR-EXT-", "CII-FREXT", "CII-EXT", "UBL-FREXT")):
        return "EXTENDED-CTC-FR"
    m = re.match(
        r"^(BR-FR-(?:CO|DEC|MV|BD)|BR-FR|BR-(?:CO|DEC|CL)|UBL-SR|UBL-DT|UBL-CR|"
        r"CII-SR|CII-DT|FX-SCH-A|FX-NOID|PEPPOL)\b",
        code,
    )
    if m:
        return m.group(1)
    m = re.match(r"^BR-(S|Z|E|AE|IC|G|O|AF|AG|B)-", code)
    if m:
        return f"BR-{m.group(1)}"
    return "BR" if re.match(r"^BR-\d", code) else code.split("-")[0]


def _fill(text: str, args: Mapping[str, Any], lang: str) -> str:
    def one(m: re.Match[str]) -> str:
        name = m.group(1)
        if name == "detail":
            return m.group(0)  # the engine's placeholder
        value = args.get(f"{name}_{lang}", args.get(name))
        if value is None:
            raise KeyError(f"template placeholder {{{name}}} has no value")
        return str(value)

    return _PLACEHOLDER.sub(one, text)


def _mirrors(applies: Iterable[Applies]) -> str:
    seen: dict[str, None] = {}
    for a in applies:
        seen[VERSIONS.get(a.artefact.split("/", 1)[0], a.artefact)] = None
    return "; ".join(seen)


def build_rule(code: str, entry: Mapping[str, Any], templates: Mapping[str, Any]) -> Rule:
    """One catalogue entry as a registry :class:`Rule`."""
    texts = {name: "" for name in _FIELDS}
    tpl_name = entry.get("template")
    args: Mapping[str, Any] = entry.get("args", {})
    if tpl_name:
        tpl = templates[tpl_name]
        for name in _FIELDS:
            if tpl.get(name):
                lang = "fr" if name.endswith("fr") else "en"
                texts[name] = _fill(tpl[name], args, lang)
    for name in _FIELDS:
        if entry.get(name):
            texts[name] = entry[name]
    applies = []
    for spec in entry.get("applies", ()):
        artefact, _, flag = spec.partition(":")
        applies.append(Applies(artefact, Severity.WARNING if flag == "warning" else Severity.ERROR))
    applies.sort(
        key=lambda a: ARTEFACT_ORDER.index(a.artefact) if a.artefact in ARTEFACT_ORDER else 99
    )
    variants = tuple(
        Variant(artefact, **{k: str(v) for k, v in over.items() if k in _FIELDS})
        for artefact, over in entry.get("variants", {}).items()
    )
    first = applies[0] if applies else None
    return Rule(
        code=code,
        stage=first.stage if first else _stage_of_file(code),
        severity=first.severity if first else Severity.ERROR,
        en=texts["en"],
        fr=texts["fr"],
        fix_en=texts["fix_en"],
        fix_fr=texts["fix_fr"],
        bt=tuple(entry.get("bt", ())),
        mirrors=_mirrors(applies) or "einvoice-gov",
        notes=texts["notes"],
        applies=tuple(applies),
        variants=variants,
        family=family_of(code),
    )


def _stage_of_file(code: str) -> Stage:
    f = file_for(code) or ""
    if f.startswith("br-fr"):
        return Stage.BR_FR
    if f.startswith("extended"):
        return Stage.EXTENDED_CTC_FR
    if f.startswith("facturx"):
        return Stage.FACTURX
    return Stage.EN16931


@cache
def load_file(name: str) -> dict[str, Any]:
    """The raw JSON of one catalogue file (parsed once per process; missing file: empty)."""
    path = resources.files("einvoice_gov.validation.catalog").joinpath(name)
    if not path.is_file():
        return {"rules": {}}
    loaded: dict[str, Any] = json.loads(path.read_bytes())
    return loaded


def _same_as(entry: Mapping[str, Any]) -> dict[str, Any]:
    """An entry whose ``same_as`` names another catalogued rule takes that rule's texts."""
    ref_code = entry.get("same_as")
    if not ref_code:
        return dict(entry)
    ref = SOURCE.lookup(ref_code)
    if ref is None:
        raise KeyError(f"same_as names an unknown rule {ref_code}")
    out = dict(entry)
    for name in ("en", "fr", "fix_en", "fix_fr"):
        out.setdefault(name, getattr(ref, name))
    out.setdefault("bt", list(ref.bt))
    if "notes" not in out:
        out["notes"] = f"Same check as {ref_code}, under the artefact's own id."
    return out


def resolve(entry: Mapping[str, Any]) -> dict[str, Any]:
    """An entry with its ``same_as`` references (its own and its variants') resolved."""
    out = _same_as(entry)
    if "variants" in out:
        out["variants"] = {
            art: {k: v for k, v in _same_as(over).items() if k in _FIELDS}
            for art, over in out["variants"].items()
        }
    return out


@cache
def _rule(name: str, code: str) -> Rule:
    data = load_file(name)
    return build_rule(code, resolve(data["rules"][code]), data.get("templates", {}))


@cache
def _rules_of(name: str) -> dict[str, Rule]:
    return {code: _rule(name, code) for code in load_file(name)["rules"]}


def catalogue_files() -> list[str]:
    return sorted({f for f in FILES.values() if f})


class CatalogSource:
    """The registry source serving the catalogue, one family file at a time."""

    def lookup(self, code: str) -> Rule | None:
        name = file_for(code)
        if name is None:
            return None
        data = load_file(name)
        if code in data["rules"]:
            return _rule(name, code)
        for prefix, entry in data.get("fallbacks", {}).items():
            if code.startswith(prefix):
                return build_rule(code, resolve(entry), data.get("templates", {}))
        return None

    def rules(self) -> Iterable[Rule]:
        for name in catalogue_files():
            yield from _rules_of(name).values()


SOURCE = CatalogSource()
register_source(SOURCE)
