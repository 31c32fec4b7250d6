"""The rule registry: one entry per rule id with its stage, severity, business terms, the
artefact version it mirrors, our message in French and English and a fix hint.

Two kinds of entries:

* rules declared in ``einvoice_gov.validation.rules.*`` modules with :func:`rule` (our own
  checks: input, PDF, readiness...); every module of that package is imported on first use;
* the catalogue of the official artefacts' rule ids (EN 16931, BR-FR, EXTENDED-CTC-FR,
  Factur-X), kept as data files and served by a :class:`RuleSource` that loads one family at a
  time, only when one of its codes is asked for (the CLI must start fast).

A rule may apply in several artefacts (BR-CO-15 runs in the CEN schematrons, in EXTENDED-CTC-FR
and in the Factur-X profiles) with a different flag or a quirk in one of them: ``applies`` lists
where it runs and with which severity, ``variants`` holds per-artefact overrides of the message,
fix or notes. ``get(code, stage=..., syntax=...)`` returns the rule as it applies there.

Messages may contain ``{detail}``: the engine puts the specific fact there (a value, a limit,
the parser's words).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from einvoice_gov.validation.findings import Severity, Stage

#: artefact key prefix (see ``artefacts.ARTEFACTS``) -> stage
_ARTEFACT_STAGE = {
    "en16931": Stage.EN16931,
    "facturx": Stage.FACTURX,
    "extended-ctc-fr": Stage.EXTENDED_CTC_FR,
    "br-fr": Stage.BR_FR,
    "br-fr-cdv": Stage.BR_FR_CDV,
}
#: artefact key suffix -> syntax of the documents it validates
_ARTEFACT_SYNTAX = {"cii": "cii", "ubl": "ubl", "cdar": "cdar"}


def artefact_stage(artefact: str) -> Stage:
    """The stage of an artefact key such as ``en16931/cii`` or ``facturx/basicwl``."""
    return _ARTEFACT_STAGE[artefact.split("/", 1)[0]]


def artefact_syntax(artefact: str) -> str:
    """The syntax an artefact validates: ``cii``, ``ubl`` or ``cdar`` (Factur-X is CII)."""
    return _ARTEFACT_SYNTAX.get(artefact.split("/", 1)[1], "cii")


@dataclass(frozen=True)
class Applies:
    """One artefact in which a rule id runs, with the severity that artefact gives it."""

    artefact: str  # artefact key, e.g. "en16931/cii", "facturx/en16931", "br-fr/ubl"
    severity: Severity

    @property
    def stage(self) -> Stage:
        return artefact_stage(self.artefact)

    @property
    def syntax(self) -> str:
        return artefact_syntax(self.artefact)


@dataclass(frozen=True)
class Variant:
    """What differs for a rule in one artefact (empty strings mean: as the base rule)."""

    artefact: str
    en: str = ""
    fr: str = ""
    fix_en: str = ""
    fix_fr: str = ""
    notes: str = ""


@dataclass(frozen=True)
class Rule:
    code: str
    stage: Stage
    severity: Severity
    en: str
    fr: str
    fix_en: str = ""
    fix_fr: str = ""
    bt: tuple[str, ...] = ()
    mirrors: str = "einvoice-gov"
    notes: str = ""
    tags: tuple[str, ...] = field(default=())
    applies: tuple[Applies, ...] = ()
    variants: tuple[Variant, ...] = ()
    family: str = ""

    def message(self, lang: str, detail: str = "") -> str:
        text = self.fr if lang == "fr" else self.en
        return text.replace("{detail}", detail).strip()

    def fix(self, lang: str) -> str | None:
        return (self.fix_fr if lang == "fr" else self.fix_en) or None

    def where(
        self,
        stage: Stage | str | None = None,
        syntax: str | None = None,
        artefact: str | None = None,
    ) -> list[Applies]:
        """The artefacts of ``applies`` that match a stage, a syntax and/or an artefact key."""
        st = Stage(stage) if stage is not None else None
        return [
            a
            for a in self.applies
            if (st is None or a.stage is st)
            and (syntax is None or a.syntax == syntax)
            and (artefact is None or a.artefact == artefact)
        ]

    def severity_for(
        self,
        stage: Stage | str | None = None,
        syntax: str | None = None,
        artefact: str | None = None,
    ) -> Severity:
        """The severity the matching artefact gives the rule (else the default)."""
        found = self.where(stage, syntax, artefact)
        return found[0].severity if found else self.severity

    def specialise(
        self,
        stage: Stage | str | None = None,
        syntax: str | None = None,
        artefact: str | None = None,
    ) -> Rule:
        """The rule as it applies in one artefact (stage/syntax/key): severity and variant.

        Several Factur-X profiles share the stage ``facturx`` and the syntax ``cii``: pass
        ``artefact`` (``facturx/extended``...) where an id means different checks per profile.
        """
        found = self.where(stage, syntax, artefact)
        if not found:
            return self
        art = found[0]
        changes: dict[str, object] = {"stage": art.stage, "severity": art.severity}
        for v in self.variants:
            if v.artefact == art.artefact:
                for name in ("en", "fr", "fix_en", "fix_fr", "notes"):
                    value = getattr(v, name)
                    if value:
                        changes[name] = value
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]

    def to_dict(self) -> dict[str, object]:
        """The rule as JSON-ready data (what ``einvoice-gov rules --format json`` prints)."""
        return {
            "code": self.code,
            "family": self.family,
            "stage": self.stage.value,
            "severity": self.severity.value,
            "bt": list(self.bt),
            "mirrors": self.mirrors,
            "applies": [
                {
                    "artefact": a.artefact,
                    "stage": a.stage.value,
                    "syntax": a.syntax,
                    "severity": a.severity.value,
                }
                for a in self.applies
            ],
            "en": {"message": self.en, "fix": self.fix_en},
            "fr": {"message": self.fr, "fix": self.fix_fr},
            "notes": self.notes,
            "variants": [
                {k: v for k, v in dataclasses.asdict(var).items() if v} for var in self.variants
            ],
        }

    def matches(self, text: str) -> bool:
        """Whether a search text occurs in the code, a business term or a message (any language)."""
        needle = text.casefold()
        hay = (self.code, *self.bt, self.en, self.fr, self.fix_en, self.fix_fr, self.notes)
        return any(needle in h.casefold() for h in hay)


class RuleSource(Protocol):
    """A lazily loaded set of rules (the catalogue of the official artefacts)."""

    def lookup(self, code: str) -> Rule | None:
        """The rule with this code, loading only what is needed; ``None`` if unknown."""
        ...

    def rules(self) -> Iterable[Rule]:
        """Every rule of the source (loads everything)."""
        ...


_RULES: dict[str, Rule] = {}
_SOURCES: list[RuleSource] = []
_loaded = False


def rule(
    code: str,
    stage: Stage,
    severity: Severity,
    *,
    en: str,
    fr: str,
    fix_en: str = "",
    fix_fr: str = "",
    bt: tuple[str, ...] = (),
    mirrors: str = "einvoice-gov",
    notes: str = "",
    applies: tuple[Applies, ...] = (),
    variants: tuple[Variant, ...] = (),
    family: str = "",
) -> Rule:
    """Declare a rule. Raises ``ValueError`` on a duplicate code."""
    if code in _RULES:
        raise ValueError(f"duplicate rule code {code}")
    r = Rule(
        code,
        stage,
        severity,
        en,
        fr,
        fix_en,
        fix_fr,
        bt,
        mirrors,
        notes,
        applies=applies,
        variants=variants,
        family=family,
    )
    _RULES[code] = r
    return r


def register_source(source: RuleSource) -> None:
    """Add a lazily loaded rule source (called by a module of ``validation.rules``)."""
    _SOURCES.append(source)


def _load() -> None:
    """Import every module of ``einvoice_gov.validation.rules``: that registers their rules."""
    global _loaded
    if _loaded:
        return
    _loaded = True
    import importlib
    import pkgutil

    from einvoice_gov.validation import rules

    for info in sorted(
        pkgutil.walk_packages(rules.__path__, rules.__name__ + "."), key=lambda i: i.name
    ):
        importlib.import_module(info.name)


def get(
    code: str,
    *,
    stage: Stage | str | None = None,
    syntax: str | None = None,
    artefact: str | None = None,
) -> Rule | None:
    """The rule with this code, or ``None``.

    With ``stage``, ``syntax`` and/or ``artefact`` (an artefact key such as ``en16931/ubl`` or
    ``facturx/extended``), the rule as it applies there (severity of that artefact, message
    variant); without them, the rule's general description.
    """
    _load()
    r = _RULES.get(code)
    if r is None:
        for source in _SOURCES:
            r = source.lookup(code)
            if r is not None:
                break
    if r is None or (stage is None and syntax is None and artefact is None):
        return r
    return r.specialise(stage, syntax, artefact)


def all_rules() -> list[Rule]:
    """Every rule (declared and catalogued), in stage order then code order."""
    _load()
    merged = dict(_RULES)
    for source in _SOURCES:
        for r in source.rules():
            merged.setdefault(r.code, r)
    order = list(Stage)
    return sorted(merged.values(), key=lambda r: (order.index(r.stage), r.code))


def search(
    text: str = "",
    *,
    stage: Stage | str | None = None,
    syntax: str | None = None,
    family: str | None = None,
    severity: Severity | str | None = None,
) -> list[Rule]:
    """Rules matching every given criterion (``text`` is searched in code, BT and messages).

    ``stage``/``syntax``/``severity`` match any artefact in which the rule applies (rules
    without ``applies`` are matched on their own stage and severity).
    """
    st = Stage(stage) if stage is not None else None
    sev = Severity(severity) if severity is not None else None
    out = []
    for r in all_rules():
        if text and not r.matches(text):
            continue
        if family and r.family.casefold() != family.casefold():
            continue
        places: list[tuple[Stage, str | None, Severity]] = [
            (a.stage, a.syntax, a.severity) for a in r.applies
        ] or [(r.stage, None, r.severity)]
        if not any(
            (st is None or p_stage is st)
            and (syntax is None or p_syntax == syntax)
            and (sev is None or p_sev is sev)
            for p_stage, p_syntax, p_sev in places
        ):
            continue
        out.append(r)
    return out


def declared_codes() -> list[str]:
    """Codes declared with :func:`rule` (not from a source): used to check for duplicates."""
    _load()
    return list(_RULES)


def sources() -> list[RuleSource]:
    _load()
    return list(_SOURCES)
