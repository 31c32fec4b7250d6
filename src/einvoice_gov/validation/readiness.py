"""The ``readiness`` stage: what the French reform requires beyond the schematrons.

- Formats: ZUGFeRD 1 and pre-1.0 Factur-X identifiers are outdated.
- Profiles (FACTS.md §2.2): MINIMUM and BASIC are not invoices for the reform; BASIC WL is
  accepted for the first year only (:data:`~einvoice_gov.reform.facts.BASIC_WL_ACCEPTED_UNTIL`);
  other CIUS (XRechnung, Peppol BIS) are not French profiles.
- Identifiers (FACTS.md §3.4): SIREN (9 digits, Luhn key), SIRET (14 digits, Luhn key, starts
  with the party's SIREN), French VAT numbers (key and SIREN) — warnings: a wrong number fails
  the directory lookup, but no BR-FR rule checks the key.
- Currency (BR-FR-CO-12, FACTS.md §3.3): an invoice of a French seller in another currency
  must give the VAT total in euros (BT-111).

Every date and threshold comes from :mod:`einvoice_gov.reform.facts`.
"""

from __future__ import annotations

import datetime as dt
import re

from lxml import etree

from einvoice_gov.formats.document import Document
from einvoice_gov.formats.profiles import (
    BASIC,
    BASIC_WL,
    MINIMUM,
    PEPPOL_BIS,
    XRECHNUNG,
    profile_from_guideline,
)
from einvoice_gov.formats.summary import Party, short_path, summarize
from einvoice_gov.reform import facts
from einvoice_gov.validation import registry
from einvoice_gov.validation.findings import Finding, Stage, new_finding
from einvoice_gov.validation.locations import resolve

#: Pre-1.0 Factur-X identifiers wrote ``:compliant:`` / ``:conformant:`` with colons.
_DRAFT_GUIDELINE = re.compile(r"urn:cen\.eu:en16931:2017:(compliant|conformant):", re.IGNORECASE)

_MONTHS = {
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    "fr": [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ],
}


def _t(lang: str, en: str, fr: str) -> str:
    return fr if lang == "fr" else en


def format_date(d: dt.date, lang: str) -> str:
    """A date as people write it: ``31 August 2027`` / ``31 août 2027``."""
    months = _MONTHS["fr" if lang == "fr" else "en"]
    return f"{d.day} {months[d.month - 1]} {d.year}"


def _f(code: str, lang: str, detail: str = "", location: str | None = None) -> Finding:
    """A readiness finding; ``location`` is an XPath into the invoice (see :func:`_lines`)."""
    r = registry.get(code)
    assert r is not None, code
    return new_finding(
        rule=code,
        stage=Stage.READINESS,
        severity=r.severity,
        message=r.message(lang, detail),
        location=location,
        bt=r.bt,
        fix=r.fix(lang),
    )


def _lines(findings: list[Finding], tree: etree._ElementTree) -> list[Finding]:
    """Add the source line of each finding's location."""
    out = []
    for f in findings:
        el = resolve(tree, f.location) if f.location else None
        out.append(f.model_copy(update={"line": el.sourceline}) if el is not None else f)
    return out


def _guideline_path(doc: Document) -> str | None:
    """XPath of the element that carries BT-24."""
    if doc.tree is None:
        return None
    root = doc.tree.getroot()
    if doc.syntax == "ubl":
        el = root.find("{*}CustomizationID")
    else:
        el = next(
            (
                i
                for p in root.iter("{*}GuidelineSpecifiedDocumentContextParameter")
                for i in p.iter("{*}ID", "ID")
            ),
            None,
        )
    return short_path(el) if el is not None else None


def luhn_ok(digits: str) -> bool:
    """The Luhn ("clé 1-2") check over a string of digits."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = ord(ch) - 48
        if i % 2 == 1:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return total % 10 == 0


def siren_problem(value: str) -> str | None:
    """``None`` when ``value`` is a well-formed SIREN, else ``"format"`` or ``"key"``."""
    v = value.replace(" ", "")
    if len(v) != facts.SIREN_LENGTH.value or not v.isascii() or not v.isdigit():
        return "format"
    return None if luhn_ok(v) else "key"


def siret_problem(value: str) -> str | None:
    """``None`` when ``value`` is a well-formed SIRET, else ``"format"`` or ``"key"``.

    La Poste's establishments (SIREN 356000000) follow their own key: the sum of the 14 digits
    is a multiple of 5 (FACTS.md §3.4).
    """
    v = value.replace(" ", "")
    if len(v) != facts.SIRET_LENGTH.value or not v.isascii() or not v.isdigit():
        return "format"
    if v.startswith(facts.LA_POSTE_SIREN.value) and (luhn_ok(v) or sum(int(c) for c in v) % 5 == 0):
        return None
    return None if luhn_ok(v) else "key"


def french_vat_key(siren: str) -> str:
    """The 2-digit key of the French VAT number of a SIREN."""
    return f"{(12 + 3 * (int(siren) % 97)) % 97:02d}"


_ROLE = {
    "en": {
        "seller": "seller",
        "buyer": "buyer",
        "payee": "payee",
        "seller-tax-representative": "tax representative",
        "ship-to": "delivery place",
    },
    "fr": {
        "seller": "vendeur",
        "buyer": "acheteur",
        "payee": "bénéficiaire",
        "seller-tax-representative": "représentant fiscal",
        "ship-to": "lieu de livraison",
    },
}


def _identifiers(p: Party, lang: str, out: list[Finding]) -> None:
    role = _ROLE["fr" if lang == "fr" else "en"][p.role]
    loc = p.path
    sirens = [i.value for i in p.legal_ids if i.scheme == facts.SCHEME_SIREN.value]
    for value in sirens:
        problem = siren_problem(value)
        if problem is not None:
            code = "READY-SIREN-FORMAT" if problem == "format" else "READY-SIREN-KEY"
            detail = f"{value!r} ({role})"
            digits = value.replace(" ", "")
            if problem == "format":
                detail += _t(
                    lang,
                    " is not made of exactly 9 digits",
                    " n'est pas composé d'exactement 9 chiffres",
                )
                if len(digits) == 14 and digits.isdigit():
                    detail += _t(
                        lang,
                        f": it looks like a SIRET, whose first 9 digits ({digits[:9]}) are the "
                        "SIREN",
                        f" : il ressemble à un SIRET, dont les 9 premiers chiffres "
                        f"({digits[:9]}) sont le SIREN",
                    )
            out.append(_f(code, lang, detail, loc))
    siren = next((s.replace(" ", "") for s in sirens if siren_problem(s) is None), None)
    for ident in p.ids:
        if ident.scheme != facts.SCHEME_SIRET.value:
            continue
        value = ident.value.replace(" ", "")
        problem = siret_problem(value)
        if problem is not None:
            code = "READY-SIRET-FORMAT" if problem == "format" else "READY-SIRET-KEY"
            out.append(_f(code, lang, f"{ident.value!r} ({role})", loc))
        elif siren is not None and not value.startswith(siren):
            out.append(
                _f(
                    "READY-SIRET-SIREN",
                    lang,
                    _t(
                        lang,
                        f"{value} ({role}) does not start with the SIREN {siren}",
                        f"{value} ({role}) ne commence pas par le SIREN {siren}",
                    ),
                    loc,
                )
            )
    for ident in p.tax_ids:
        if (ident.scheme or "").upper() not in ("VA", "VAT"):
            continue
        vat = ident.value.replace(" ", "").upper()
        if not vat.startswith("FR"):
            continue
        body = vat[2:]
        vat_detail: str | None = None
        if len(body) != 11 or not body[2:].isdigit():
            vat_detail = _t(
                lang,
                f"{ident.value} ({role}) is not FR + 2 characters + 9 digits",
                f"{ident.value} ({role}) n'est pas de la forme FR + 2 caractères + 9 chiffres",
            )
        elif body[:2].isdigit() and body[:2] != french_vat_key(body[2:]):
            vat_detail = _t(
                lang,
                f"{ident.value} ({role}) has a wrong key: {body[:2]} instead of "
                f"{french_vat_key(body[2:])} for the SIREN {body[2:]}",
                f"{ident.value} ({role}) a une clé fausse : {body[:2]} au lieu de "
                f"{french_vat_key(body[2:])} pour le SIREN {body[2:]}",
            )
        elif siren is not None and body[2:] != siren:
            vat_detail = _t(
                lang,
                f"{ident.value} ({role}) is not built on the SIREN {siren}",
                f"{ident.value} ({role}) n'est pas construit sur le SIREN {siren}",
            )
        if vat_detail is not None:
            out.append(_f("READY-VAT-FR-KEY", lang, vat_detail, loc))


def _profile(doc: Document, lang: str, today: dt.date, out: list[Finding]) -> None:
    guideline = doc.guideline or ""
    bt24 = _guideline_path(doc)
    profile = profile_from_guideline(doc.guideline) if doc.tree is not None else doc.profile
    if doc.syntax == "zugferd1":
        extra = (
            _t(lang, "(Here its 2013 release candidate.)", "(Ici sa version préliminaire de 2013.)")
            if doc.flavour == "ZUGFeRD 1.0 RC"
            else ""
        )
        out.append(_f("FMT-ZUGFERD1", lang, extra))
        return
    if profile is not None and profile.startswith("ZF1-"):
        # The current CII structure with a ZUGFeRD 1 identifier (the CEN EN 16931 examples
        # do this): a valid EN 16931 document, but not a profile the reform knows.
        out.append(
            _f(
                "READY-PROFILE-OTHER",
                lang,
                _t(
                    lang,
                    f"the outdated ZUGFeRD 1 identifier {guideline!r} (in a current CII document)",
                    f"l'identifiant ZUGFeRD 1 obsolète {guideline!r} (dans un document CII actuel)",
                ),
                bt24,
            )
        )
        return
    if _DRAFT_GUIDELINE.search(guideline):
        out.append(_f("FMT-FACTURX-DRAFT", lang, guideline, bt24))
        return
    if profile == MINIMUM:
        out.append(_f("READY-PROFILE-MINIMUM", lang, location=bt24))
    elif profile == BASIC:
        out.append(_f("READY-PROFILE-BASIC", lang, location=bt24))
    elif profile == BASIC_WL:
        until = facts.BASIC_WL_ACCEPTED_UNTIL.value
        code = "READY-PROFILE-BASIC-WL" if today <= until else "READY-PROFILE-BASIC-WL-EXPIRED"
        out.append(_f(code, lang, format_date(until, lang), bt24))
    elif profile in (XRECHNUNG, PEPPOL_BIS, "UNKNOWN"):
        what = {
            XRECHNUNG: _t(
                lang, "XRechnung (the German rules)", "XRechnung (les règles allemandes)"
            ),
            PEPPOL_BIS: _t(
                lang,
                "Peppol BIS Billing 3.0 (the Peppol network's rules)",
                "Peppol BIS Billing 3.0 (les règles du réseau Peppol)",
            ),
        }.get(
            profile,
            _t(
                lang,
                f"the unknown specification {guideline!r}",
                f"la spécification inconnue {guideline!r}",
            ),
        )
        out.append(_f("READY-PROFILE-OTHER", lang, what, bt24))


def check(doc: Document, lang: str, *, today: dt.date | None = None) -> list[Finding]:
    """Reform-readiness findings for one readable invoice (``today`` defaults to the date)."""
    if doc.tree is None or doc.syntax not in ("cii", "ubl", "zugferd1"):
        return []
    if doc.document not in ("invoice", "creditnote"):
        return []
    day = today or dt.date.today()
    out: list[Finding] = []
    _profile(doc, lang, day, out)
    summary = summarize(doc, lines=False)
    for party in summary.parties:
        _identifiers(party, lang, out)
    seller = summary.seller
    currency = (summary.currency or "").upper()
    eur = facts.ACCOUNTING_CURRENCY.value
    if seller is not None and (seller.country or "").upper() == "FR" and currency not in ("", eur):
        t = summary.totals
        if t.tax_total_accounting is None or (t.tax_total_accounting_currency or "").upper() != eur:
            out.append(_f("READY-VAT-TOTAL-EUR", lang, currency, t.path))
    return _lines(out, doc.tree)
