"""The rule registry: one entry per rule id with its stage, severity, business terms, the
artefact version it mirrors, our message in French and English and a fix hint.

Rules are declared in ``einvoice_gov.validation.rules.*`` modules with :func:`rule`; the
registry is filled on import. Messages may contain ``{detail}``: the engine puts the specific
fact there (a value, a limit, the parser's words).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from einvoice_gov.validation.findings import Severity, Stage


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

    def message(self, lang: str, detail: str = "") -> str:
        text = self.fr if lang == "fr" else self.en
        return text.replace("{detail}", detail).strip()

    def fix(self, lang: str) -> str | None:
        return (self.fix_fr if lang == "fr" else self.fix_en) or None


_RULES: dict[str, Rule] = {}


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
) -> Rule:
    """Declare a rule. Raises ``ValueError`` on a duplicate code."""
    if code in _RULES:
        raise ValueError(f"duplicate rule code {code}")
    r = Rule(code, stage, severity, en, fr, fix_en, fix_fr, bt, mirrors, notes)
    _RULES[code] = r
    return r


def _load() -> None:
    """Import every module of ``einvoice_gov.validation.rules``: that registers their rules."""
    import importlib
    import pkgutil

    from einvoice_gov.validation import rules

    for info in sorted(
        pkgutil.walk_packages(rules.__path__, rules.__name__ + "."), key=lambda i: i.name
    ):
        importlib.import_module(info.name)


def get(code: str) -> Rule | None:
    if not _RULES:
        _load()
    return _RULES.get(code)


def all_rules() -> list[Rule]:
    if not _RULES:
        _load()
    return sorted(_RULES.values(), key=lambda r: (list(Stage).index(r.stage), r.code))
