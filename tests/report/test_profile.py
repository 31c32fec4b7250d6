"""The company profile: TOML round trip, JSON Schema, size-category rule, ``init``."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner

from einvoice_gov.cli import cli
from einvoice_gov.profile import (
    ITEMS,
    Answer,
    Category,
    CompanyProfile,
    ProfileError,
    Provider,
    decide_category,
    default_profile,
    dumps_profile,
    load_profile,
    loads_profile,
    profile_as_json,
)
from einvoice_gov.schemas import load_schema
from tests.report.conftest import DEMO_PROFILE, toml_to_json

SCHEMA = load_schema("company-profile")


def full_profile() -> CompanyProfile:
    p = default_profile("175006691", "pme", name='Atelier "Vasseur"\tSARL')
    p.company.headcount = 18
    p.company.turnover_eur = 2_400_000
    p.receiving_platform.name = "PA Démo"
    p.receiving_platform.since = dt.date(2026, 6, 1)
    p.receiving_platform.directory_line = Answer.YES
    p.pilot.name = "Marie Dupont"
    p.pilot.hours_per_month = 4.5
    p.providers.append(Provider(name="InfoNord", role="infogérance", contact="03 20 00 00 00"))
    p.checklist.restore_test.answer = Answer.YES
    p.checklist.restore_test.date = dt.date(2026, 3, 2)
    p.checklist.incident_plan.contacts = ["17Cyber", "InfoNord"]
    p.checklist.mfa_bank.note = "clé\nphysique"
    return CompanyProfile.model_validate(p.model_dump())


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_toml_round_trip_and_schema(lang: str) -> None:
    p = full_profile()
    text = dumps_profile(p, lang=lang)
    assert loads_profile(text) == p
    jsonschema.validate(toml_to_json(tomllib.loads(text)), SCHEMA)
    jsonschema.validate(profile_as_json(p), SCHEMA)


def test_defaults_profile_has_every_item_unknown() -> None:
    p = default_profile("175006691", "micro")
    assert [i for i, _ in p.checklist.items()] == [info.id for info in ITEMS]
    assert {item.answer for _, item in p.checklist.items()} == {Answer.UNKNOWN}
    jsonschema.validate(toml_to_json(tomllib.loads(dumps_profile(p))), SCHEMA)


def test_demo_profile_is_valid() -> None:
    if not DEMO_PROFILE.is_file():
        pytest.skip("fixtures/demo-company.toml not written yet")
    p = load_profile(DEMO_PROFILE)
    assert p.company.category is Category.PME
    jsonschema.validate(toml_to_json(tomllib.loads(DEMO_PROFILE.read_text("utf-8"))), SCHEMA)


def _schema_keys(node: dict[str, Any], prefix: str = "") -> set[str]:
    out: set[str] = set()
    for key, sub in node.get("properties", {}).items():
        out.add(prefix + key)
        if sub.get("type") == "array":
            sub = sub.get("items", {})
        out |= _schema_keys(sub, prefix + key + ".")
    return out


def _model_keys(model: type[Any], prefix: str = "") -> set[str]:
    out: set[str] = set()
    for name, field in model.model_fields.items():
        out.add(prefix + name)
        ann = field.annotation
        inner = getattr(ann, "__args__", (ann,))
        for t in inner:
            if isinstance(t, type) and hasattr(t, "model_fields"):
                out |= _model_keys(t, prefix + name + ".")
    return out


def test_schema_and_model_have_the_same_keys() -> None:
    assert _schema_keys(SCHEMA) == _model_keys(CompanyProfile)


BAD = [
    ("company.siren", "12345678"),
    ("company.siren", "12345678A"),
    ("company.category", "tpe"),
    ("company.headcount", -1),
    ("company.vat_regime", "mensuel"),
    ("company.unknown_key", "x"),
    ("checklist.mfa_bank.answer", "maybe"),
    ("checklist.restore_test.date", "2026-13"),
    ("checklist.not_an_item", {"answer": "yes"}),
    ("receiving_platform.directory_line", True),
    ("schema_version", 2),
]


@pytest.mark.parametrize(("path", "value"), BAD, ids=[p for p, _ in BAD])
def test_schema_and_model_reject_the_same_mistakes(path: str, value: Any) -> None:
    data = profile_as_json(full_profile())
    node = data
    *parents, last = path.split(".")
    for part in parents:
        node = node.setdefault(part, {})
    node[last] = value
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, SCHEMA)
    with pytest.raises(ProfileError):
        loads_profile(_as_toml(data))


def _as_toml(data: dict[str, Any]) -> str:
    from einvoice_gov.profile.tomlio import toml_value

    lines: list[str] = []

    def table(name: str, node: dict[str, Any]) -> None:
        scalars = {k: v for k, v in node.items() if not isinstance(v, dict)}
        if name:
            lines.append(f"[{name}]")
        for k, v in scalars.items():
            if isinstance(v, list) and v and isinstance(v[0], dict):
                continue
            lines.append(f"{k} = {toml_value(v)}")
        for k, v in node.items():
            if isinstance(v, dict):
                table(f"{name}.{k}" if name else k, v)

    table("", data)
    return "\n".join(lines) + "\n"


def test_unreadable_profiles_raise_profile_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("company = [", encoding="utf-8")
    with pytest.raises(ProfileError, match="not valid TOML"):
        load_profile(bad)
    bad.write_bytes(b"\xff\xfe")
    with pytest.raises(ProfileError, match="UTF-8"):
        load_profile(bad)
    with pytest.raises(ProfileError, match="cannot read"):
        load_profile(tmp_path / "absent.toml")


@pytest.mark.parametrize(
    ("headcount", "turnover", "balance", "expected"),
    [
        (0, None, None, "micro"),
        (9, 2_000_000, 5_000_000, "micro"),  # turnover within: stays micro
        (9, 5_000_000, 2_000_000, "micro"),  # balance sheet within: stays micro
        (9, 2_000_001, 2_000_001, "pme"),  # both exceeded: moves up
        (10, 100_000, 100_000, "pme"),  # headcount first
        (18, 2_400_000, None, "pme"),
        (249, 60_000_000, 43_000_000, "pme"),
        (249, 60_000_000, 50_000_000, "eti"),
        (250, 1, 1, "eti"),
        (4_999, 1_600_000_000, 2_000_000_000, "eti"),
        (4_999, 1_600_000_000, 2_100_000_000, "ge"),
        (5_000, 1, 1, "ge"),
    ],
)
def test_size_category_rule(
    headcount: int, turnover: int | None, balance: int | None, expected: str
) -> None:
    assert decide_category(headcount, turnover, balance) == Category(expected)


def test_init_defaults_writes_a_valid_unanswered_profile(tmp_path: Path) -> None:
    out = tmp_path / "company.toml"
    args = ["init", "--defaults", "--siren", "175006691", "--category", "pme", "-o", str(out)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    data = tomllib.loads(out.read_text("utf-8"))
    jsonschema.validate(toml_to_json(data), SCHEMA)
    assert data["company"] == {
        "name": "",
        "siren": "175006691",
        "category": "pme",
        "vat_regime": "unknown",
        "assujetti_unique": "unknown",
        "e_reporting_needed": "unknown",
    }
    assert {v["answer"] for v in data["checklist"].values()} == {"unknown"}
    assert set(data["checklist"]) == {i.id for i in ITEMS}
    assert "Existe-t-il un inventaire" in out.read_text("utf-8")  # French by default
    # never overwrites without --force
    again = CliRunner().invoke(cli, args)
    assert again.exit_code == 2
    assert CliRunner().invoke(cli, [*args, "--force", "--lang", "en"]).exit_code == 0
    assert "Is there an up-to-date inventory" in out.read_text("utf-8")


@pytest.mark.parametrize(
    "args",
    [
        ["--defaults", "--category", "pme"],
        ["--defaults", "--siren", "175006691"],
        ["--defaults", "--siren", "17500669", "--category", "pme"],
    ],
)
def test_init_defaults_refuses_incomplete_options(tmp_path: Path, args: list[str]) -> None:
    out = tmp_path / "c.toml"
    result = CliRunner().invoke(cli, ["init", *args, "-o", str(out)])
    assert result.exit_code == 2
    assert not out.exists()


def test_init_interactive_in_english(tmp_path: Path) -> None:
    out = tmp_path / "c.toml"
    answers = [
        "Atelier",  # name
        "175006691",  # SIREN
        "18",  # headcount
        "2400000",  # turnover
        "",  # balance sheet
        "",  # category: keep the proposed one
        "simplifie",
        "no",  # e-reporting
        "1200",  # invoices per year
        "PA Demo",
        "2026-06-01",
        "yes",  # directory line
        "Marie",
        "letter 2026-03",
        "4",
        "",  # no provider
        "yes",  # answer the checklist now
    ]
    for info in ITEMS:
        answers.append("yes")
        if info.date_en:
            answers.append("2026-10-02")
    result = CliRunner().invoke(
        cli, ["init", "-o", str(out), "--lang", "en"], input="\n".join(answers) + "\n"
    )
    assert result.exit_code == 0, result.output
    p = load_profile(out)
    assert p.company.category is Category.PME
    assert p.company.vat_regime == "simplifie"
    assert p.company.invoices_issued_per_year == 1200
    assert p.receiving_platform.since == dt.date(2026, 6, 1)
    assert p.pilot.hours_per_month == 4
    assert {item.answer for _, item in p.checklist.items()} == {Answer.YES}
    assert p.checklist.restore_test.date == dt.date(2026, 10, 2)
