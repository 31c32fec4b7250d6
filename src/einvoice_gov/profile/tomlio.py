"""Read and write ``company.toml``.

Reading uses the standard library (``tomllib``). Writing is ours: the profile only holds
tables, strings, numbers, booleans, dates and lists of strings, so a small emitter suffices and
lets us put the questions as comments next to the answers (in French or English).
"""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from einvoice_gov.profile.checklist import BY_ID
from einvoice_gov.profile.model import (
    Category,
    Checklist,
    Company,
    CompanyProfile,
    IncidentPlan,
    ProfileError,
)

#: A profile is a few kilobytes; refuse anything absurdly large before parsing.
MAX_PROFILE_BYTES = 1_000_000

_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f"}
_ESCAPES["\r"] = "\\r"


def _string(s: str) -> str:
    out = []
    for ch in s:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def toml_value(value: Any) -> str:
    """One TOML value (string, bool, int, float, date, list of those)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):  # StrEnum included
        return _string(str(value))
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError("NaN and infinities are not written to the profile")
        text = repr(value)
        return text if any(c in text for c in ".eE") else text + ".0"
    if isinstance(value, dt.datetime):
        raise ValueError("the profile holds dates, not date-times")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    raise TypeError(f"cannot write {type(value).__name__} to TOML")


_HEADER = {
    "fr": [
        "# Profil de l'entreprise pour einvoice-gov (créé par « einvoice-gov init »).",
        '# Réponses de la liste de contrôle : "yes" (oui), "no" (non) ou "unknown" (ne sait pas).',
        "# Les dates s'écrivent AAAA-MM-JJ, sans guillemets. Schéma :",
        "# schemas/company-profile.schema.json",
    ],
    "en": [
        "# Company profile for einvoice-gov (created by `einvoice-gov init`).",
        '# Checklist answers: "yes", "no" or "unknown".',
        "# Dates are written YYYY-MM-DD, without quotes. Schema:",
        "# schemas/company-profile.schema.json",
    ],
}

_COMMENTS = {
    "fr": {
        "company.category": "micro | pme | eti | ge (taille de l'unité légale au 1er janvier 2025)",
        "company.vat_regime": "reel_normal_mensuel | reel_normal_trimestriel | simplifie | "
        "franchise | unknown",
        "company.e_reporting_needed": "ventes aux particuliers ou avec l'étranger ?",
        "company.assujetti_unique": "membre d'un groupe TVA (assujetti unique) ?",
        "receiving_platform": "la plateforme agréée (PA) choisie pour recevoir les factures",
        "receiving_platform.directory_line": "ligne publiée dans l'annuaire ?",
        "pilot": "la personne qui pilote la facturation électronique et l'informatique",
        "providers": "prestataires (plateforme, logiciel, infogérance, expert-comptable)",
    },
    "en": {
        "company.category": "micro | pme | eti | ge (size of the legal unit at 1 January 2025)",
        "company.vat_regime": "reel_normal_mensuel | reel_normal_trimestriel | simplifie | "
        "franchise | unknown",
        "company.e_reporting_needed": "sales to consumers or with businesses abroad?",
        "company.assujetti_unique": "member of a VAT group (assujetti unique)?",
        "receiving_platform": "the approved platform (PA) chosen to receive invoices",
        "receiving_platform.directory_line": "line published in the directory?",
        "pilot": "the person who runs e-invoicing and IT follow-up",
        "providers": "providers (platform, software, IT support, accountant)",
    },
}


_HINTS = {
    "fr": {
        "headcount": "effectif (personnes), dernier exercice clos",
        "turnover_eur": "chiffre d'affaires en euros",
        "balance_sheet_eur": "total du bilan en euros",
        "invoices_issued_per_year": "factures émises par an (sinon estimé depuis le dossier)",
        "invoices_received_per_year": "factures fournisseurs reçues par an",
        "since": "début du contrat, AAAA-MM-JJ",
        "hours_per_month": "heures par mois accordées au pilote",
    },
    "en": {
        "headcount": "staff (persons), last closed year",
        "turnover_eur": "turnover in euros",
        "balance_sheet_eur": "balance-sheet total in euros",
        "invoices_issued_per_year": "invoices issued per year (else estimated from the folder)",
        "invoices_received_per_year": "supplier invoices received per year",
        "since": "start of the contract, YYYY-MM-DD",
        "hours_per_month": "hours per month granted to the pilot",
    },
}


def _table(out: list[str], name: str, model: BaseModel, lang: str) -> None:
    comments = _COMMENTS[lang]
    hints = _HINTS[lang]
    for field_name in type(model).model_fields:
        value = getattr(model, field_name)
        if isinstance(value, BaseModel):
            continue
        if value is None:
            out.append(f"# {field_name} =     # {hints.get(field_name, '')}")
            continue
        note = comments.get(f"{name}.{field_name}")
        suffix = f"  # {note}" if note else ""
        out.append(f"{field_name} = {toml_value(value)}{suffix}")


def dumps_profile(profile: CompanyProfile, *, lang: str = "fr") -> str:
    """The profile as TOML text, with the checklist questions as comments."""
    lang = "fr" if lang == "fr" else "en"
    comments = _COMMENTS[lang]
    out = [*_HEADER[lang], f"schema_version = {profile.schema_version}", "", "[company]"]
    _table(out, "company", profile.company, lang)
    for section in ("receiving_platform", "pilot"):
        out += ["", f"# {comments[section]}", f"[{section}]"]
        _table(out, section, getattr(profile, section), lang)
    out += ["", f"# {comments['providers']}"]
    if not profile.providers:
        example = "Nom" if lang == "fr" else "Name"
        out += ["# [[providers]]", f'# name = "{example}"', '# role = ""', '# contact = ""']
    for prov in profile.providers:
        out += ["[[providers]]"]
        _table(out, "providers", prov, lang)
        out.append("")
    for item_id, item in profile.checklist.items():
        info = BY_ID[item_id]
        if out[-1]:
            out.append("")
        out += [f"[checklist.{item_id}]", f"# {info.text('question', lang)}"]
        out.append(f"answer = {toml_value(item.answer)}")
        date_label = info.text("date", lang)
        if item.date is not None:
            out.append(f"date = {toml_value(item.date)}  # {date_label or 'date'}")
        elif date_label:
            placeholder = "AAAA-MM-JJ" if lang == "fr" else "YYYY-MM-DD"
            out.append(f"# date = {placeholder}  ({date_label})")
        if item.note:
            out.append(f"note = {toml_value(item.note)}")
        if isinstance(item, IncidentPlan):
            out.append(f"contacts = {toml_value(item.contacts)}")
    return "\n".join(out).rstrip() + "\n"


def write_profile(profile: CompanyProfile, path: str | Path, *, lang: str = "fr") -> None:
    """Write ``profile`` to ``path`` (UTF-8 TOML)."""
    Path(path).write_text(dumps_profile(profile, lang=lang), encoding="utf-8")


def _readable(err: ValidationError) -> str:
    parts = []
    for e in err.errors():
        loc = ".".join(str(x) for x in e["loc"]) or "(top)"
        parts.append(f"{loc}: {e['msg']}")
    return "; ".join(parts)


def loads_profile(text: str, *, source: str = "<profile>") -> CompanyProfile:
    """Parse TOML text into a :class:`CompanyProfile`; raises :class:`ProfileError`."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"{source}: not valid TOML: {exc}") from exc
    try:
        return CompanyProfile.model_validate(data)
    except ValidationError as exc:
        raise ProfileError(f"{source}: {_readable(exc)}") from exc


def load_profile(path: str | Path) -> CompanyProfile:
    """Read ``company.toml``; raises :class:`ProfileError` when unreadable or invalid."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise ProfileError(f"{p}: cannot read the profile: {exc.strerror or exc}") from exc
    if len(raw) > MAX_PROFILE_BYTES:
        raise ProfileError(f"{p}: profile larger than {MAX_PROFILE_BYTES} bytes")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ProfileError(f"{p}: the profile must be UTF-8 text") from exc
    return loads_profile(text, source=str(p))


def profile_as_json(profile: CompanyProfile) -> dict[str, Any]:
    """The profile as JSON-ready data (dates as ``YYYY-MM-DD``; unset values left out)."""
    data: dict[str, Any] = json.loads(profile.model_dump_json(exclude_none=True))
    return data


def default_profile(siren: str, category: Category | str, name: str = "") -> CompanyProfile:
    """A profile with every checklist item unanswered (what ``init --defaults`` writes)."""
    try:
        company = Company(siren=siren, category=Category(category), name=name)
    except ValidationError as exc:
        raise ProfileError(_readable(exc)) from exc
    except ValueError as exc:
        raise ProfileError(str(exc)) from exc
    return CompanyProfile(company=company, checklist=Checklist())
