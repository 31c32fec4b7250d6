"""The registry API: per-artefact severity and variants, search, JSON form, engine use."""

from __future__ import annotations

from einvoice_gov.validation import registry
from einvoice_gov.validation.findings import Severity, Stage


def test_existing_callers_still_work() -> None:
    r = registry.get("INPUT-UNREADABLE")
    assert r is not None and r.stage is Stage.INPUT
    assert "{detail}" not in r.message("fr", "x") and r.message("fr", "x").endswith("x")
    codes = [x.code for x in registry.all_rules()]
    assert len(codes) == len(set(codes))
    assert registry.get("NO-SUCH-RULE") is None


def test_severity_differs_by_syntax_and_artefact() -> None:
    br51 = registry.get("BR-51")
    assert br51 is not None
    assert br51.severity_for(syntax="ubl") is Severity.WARNING
    assert br51.severity_for(syntax="cii") is Severity.ERROR
    assert registry.get("BR-51", stage="en16931", syntax="ubl").severity is Severity.WARNING  # type: ignore[union-attr]
    sr465 = registry.get("CII-SR-465")
    assert sr465 is not None
    assert sr465.severity_for(stage="en16931") is Severity.WARNING
    assert sr465.severity_for(artefact="facturx/en16931") is Severity.ERROR
    assert registry.get("CII-SR-465", stage="facturx").severity is Severity.ERROR  # type: ignore[union-attr]


def test_variant_replaces_message_in_its_artefact_only() -> None:
    base = registry.get("FX-SCH-A-000390")
    ext = registry.get("FX-SCH-A-000390", artefact="facturx/extended")
    assert base is not None and ext is not None
    assert base.variants and ext.en != base.en and ext.fr != base.fr
    quirk = registry.get("BR-FR-CO-05_BT-3", syntax="ubl")
    plain = registry.get("BR-FR-CO-05_BT-3", syntax="cii")
    assert quirk is not None and plain is not None
    assert "CreditNote" in quirk.notes and "CreditNote" not in plain.notes


def test_same_as_takes_the_referenced_rule_texts() -> None:
    fx = registry.get("FX-SCH-A-000001")  # the Factur-X id of BR-CO-26
    br = registry.get("BR-CO-26")
    assert fx is not None and br is not None
    assert (fx.en, fx.fr, fx.fix_fr) == (br.en, br.fr, br.fix_fr)
    assert "BR-CO-26" in fx.notes


def test_unlisted_synthetic_ids_get_the_catch_all() -> None:
    r = registry.get("FX-NOID-0000abcd")
    assert r is not None and r.code == "FX-NOID-0000abcd" and r.fr and r.fix_fr


def test_search_filters() -> None:
    siren = registry.search("siren")
    assert any(r.code == "BR-FR-10_BT-30" for r in siren)
    assert all(r.matches("siren") for r in siren)
    fr = registry.search(stage="br-fr")
    assert fr and all(any(a.stage is Stage.BR_FR for a in r.applies) for r in fr)
    errors = registry.search(family="UBL-CR", severity="error")
    assert {r.code for r in errors} == {"UBL-CR-666", "UBL-CR-673"}
    assert not registry.search(stage="input", syntax="ubl")


def test_to_dict_is_json_ready() -> None:
    import json

    d = registry.get("BR-CO-15").to_dict()  # type: ignore[union-attr]
    assert json.loads(json.dumps(d)) == d
    assert d["en"]["message"] and d["fr"]["fix"] and d["applies"][0]["artefact"] == "en16931/cii"


def test_engine_uses_registry_messages(tmp_path: object) -> None:
    """A finding of an official rule carries our message and fix hint, in the asked language."""
    from pathlib import Path

    from einvoice_gov import validate
    from tests.conftest import FIXTURES

    checked = 0
    for path in sorted(Path(FIXTURES / "demo").glob("*.xml")):
        rep = validate(path, lang="fr", chain="fr")
        for f in rep.findings:
            r = registry.get(f.rule, stage=f.stage, syntax=rep.syntax)
            if r is not None and r.applies:
                assert f.message == r.message("fr") and f.fix == r.fix_fr
                checked += 1
    assert checked
