"""The ``readiness`` stage: profiles, outdated formats, SIREN/SIRET/VAT keys, VAT in euros."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from einvoice_gov.formats.document import load
from einvoice_gov.reform import facts
from einvoice_gov.validation import readiness, registry
from einvoice_gov.validation.engine import validate
from einvoice_gov.validation.findings import Severity, Stage
from tests.pdf.conftest import GUIDELINES, cii
from tests.pdf.test_pdfchecks import declared_codes

TODAY = dt.date(2026, 11, 26)
XRECHNUNG = "urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0"
ZF1 = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<rsm:CrossIndustryDocument xmlns:rsm="urn:ferd:CrossIndustryDocument:invoice:1p0" '
    b'xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:12">'
    b"<rsm:SpecifiedExchangedDocumentContext><ram:GuidelineSpecifiedDocumentContextParameter>"
    b"<ram:ID>urn:ferd:CrossIndustryDocument:invoice:1p0:comfort</ram:ID>"
    b"</ram:GuidelineSpecifiedDocumentContextParameter></rsm:SpecifiedExchangedDocumentContext>"
    b"</rsm:CrossIndustryDocument>"
)


def ready(data: bytes, lang: str = "en", today: dt.date = TODAY) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for f in readiness.check(load(data), lang, today=today):
        assert f.stage is Stage.READINESS
        out.setdefault(f.rule, []).append(f.message)
    return out


CASES: dict[str, Callable[[], bytes]] = {
    "FMT-ZUGFERD1": lambda: ZF1,
    "FMT-FACTURX-DRAFT": lambda: cii(
        guideline="urn:cen.eu:en16931:2017:compliant:factur-x.eu:1p0:basic"
    ),
    "READY-PROFILE-MINIMUM": lambda: cii(guideline=GUIDELINES["MINIMUM"]),
    "READY-PROFILE-BASIC": lambda: cii(guideline=GUIDELINES["BASIC"]),
    "READY-PROFILE-BASIC-WL": lambda: cii(guideline=GUIDELINES["BASIC WL"]),
    "READY-PROFILE-OTHER": lambda: cii(guideline=XRECHNUNG),
    "READY-SIREN-FORMAT": lambda: cii(seller_siren="17500669"),
    "READY-SIREN-KEY": lambda: cii(seller_siren="175006692"),
    "READY-SIRET-FORMAT": lambda: cii(seller_siret="1750066910007"),
    "READY-SIRET-KEY": lambda: cii(seller_siret="17500669100019"),
    "READY-SIRET-SIREN": lambda: cii(seller_siret="73282932000074"),
    "READY-VAT-FR-KEY": lambda: cii(seller_vat="FR20175006691"),
    "READY-VAT-TOTAL-EUR": lambda: cii(currency="USD"),
}
ELSEWHERE = {"READY-PROFILE-BASIC-WL-EXPIRED"}


def test_every_readiness_rule_has_a_failing_case() -> None:
    assert declared_codes("readiness.py") == set(CASES) | ELSEWHERE


@pytest.mark.parametrize("code", sorted(CASES))
def test_rule_fires(code: str) -> None:
    found = ready(CASES[code]())
    assert code in found, f"{code} not reported; got {sorted(found)}"
    rule = registry.get(code)
    assert rule is not None and rule.fr and rule.fix_fr and rule.en and rule.fix_en


def test_demo_invoice_is_ready() -> None:
    assert ready(cii()) == {}


@pytest.mark.parametrize(
    ("profile", "code", "severity"),
    [
        ("MINIMUM", "READY-PROFILE-MINIMUM", Severity.ERROR),
        ("BASIC", "READY-PROFILE-BASIC", Severity.ERROR),
        ("BASIC WL", "READY-PROFILE-BASIC-WL", Severity.WARNING),
        ("EN16931", None, None),
        ("EXTENDED", None, None),
    ],
)
def test_profile_acceptability(profile: str, code: str | None, severity: Severity | None) -> None:
    findings = readiness.check(load(cii(guideline=GUIDELINES[profile])), "en", today=TODAY)
    if code is None:
        assert findings == []
    else:
        assert [(f.rule, f.severity) for f in findings] == [(code, severity)]


def test_basic_wl_date_comes_from_the_facts_module() -> None:
    until = facts.BASIC_WL_ACCEPTED_UNTIL.value
    data = cii(guideline=GUIDELINES["BASIC WL"])
    assert "31 August 2027" in ready(data, "en", until)["READY-PROFILE-BASIC-WL"][0]
    assert "31 août 2027" in ready(data, "fr", until)["READY-PROFILE-BASIC-WL"][0]
    after = ready(data, "en", until + dt.timedelta(days=1))
    assert list(after) == ["READY-PROFILE-BASIC-WL-EXPIRED"]
    assert registry.get("READY-PROFILE-BASIC-WL-EXPIRED").severity is Severity.ERROR  # type: ignore[union-attr]


def test_zugferd1_release_candidate_is_recognised() -> None:
    rc = (
        b'<?xml version="1.0"?><rsm:Invoice xmlns:rsm="urn:un:unece:uncefact:data:standard:'
        b'CBFBUY:5"><rsm:SpecifiedExchangedDocumentContext><GuidelineSpecifiedDocumentContext'
        b"Parameter><ID>urn:ferd:invoice:rc:comfort</ID></GuidelineSpecifiedDocumentContext"
        b"Parameter></rsm:SpecifiedExchangedDocumentContext></rsm:Invoice>"
    )
    doc = load(rc)
    assert (doc.syntax, doc.profile, doc.flavour) == ("zugferd1", "ZF1-COMFORT", "ZUGFeRD 1.0 RC")
    assert "2013" in ready(rc)["FMT-ZUGFERD1"][0]


def test_zugferd1_identifier_in_a_cii_document_is_a_warning() -> None:
    # the CEN EN 16931 examples do this: a valid EN 16931 CII invoice with an old BT-24
    found = ready(cii(guideline="urn:ferd:CrossIndustryDocument:invoice:1p0:comfort"))
    assert list(found) == ["READY-PROFILE-OTHER"]
    assert "outdated ZUGFeRD 1 identifier" in found["READY-PROFILE-OTHER"][0]
    assert registry.get("READY-PROFILE-OTHER").severity is Severity.WARNING  # type: ignore[union-attr]


def test_siret_given_as_siren_gets_a_hint() -> None:
    msg = ready(cii(seller_siren="17500669100074"), "fr")["READY-SIREN-FORMAT"][0]
    assert "ressemble à un SIRET" in msg and "175006691" in msg


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("732829320", None),
        ("732829321", "key"),
        ("73282932", "format"),
        ("73282932A", "format"),
        ("７３２８２９３２０", "format"),  # full-width digits are not digits of a SIREN
    ],
)
def test_siren_problem(value: str, problem: str | None) -> None:
    assert readiness.siren_problem(value) == problem


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("73282932000074", None),
        ("73282932000075", "key"),
        ("35600000000048", None),  # La Poste head office: passes Luhn
        ("35600000049837", None),  # La Poste establishment: digit sum multiple of 5, not Luhn
        ("35600000049838", "key"),
        ("7328293200007", "format"),
    ],
)
def test_siret_problem(value: str, problem: str | None) -> None:
    assert readiness.siret_problem(value) == problem


def test_french_vat_key() -> None:
    assert readiness.french_vat_key("732829320") == "44"
    assert "READY-VAT-FR-KEY" not in ready(
        cii(seller_vat="FR44732829320", seller_siren="732829320")
    )
    msg = ready(cii(seller_vat="FR44732829320"))["READY-VAT-FR-KEY"][0]
    assert "175006691" in msg  # built on another SIREN than the seller's


def test_foreign_currency_needs_the_vat_total_in_euros() -> None:
    assert "READY-VAT-TOTAL-EUR" in ready(cii(currency="USD"))
    ok = cii(currency="USD", tax_currency="EUR", eur_vat_total="500.00")
    assert "READY-VAT-TOTAL-EUR" not in ready(ok)
    # a foreign seller is outside the French VAT rule
    assert "READY-VAT-TOTAL-EUR" not in ready(cii(currency="USD", seller_country="DE"))


def test_readiness_runs_in_the_engine_with_its_stage_status() -> None:
    rep = validate(cii(guideline=GUIDELINES["MINIMUM"]), chain="en16931")
    assert rep.stages["readiness"] == "failed"
    assert any(f.rule == "READY-PROFILE-MINIMUM" for f in rep.findings)
    assert validate(cii(), chain="en16931").stages["readiness"] == "passed"
