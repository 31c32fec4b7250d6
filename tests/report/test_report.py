"""``einvoice-gov report``: the readiness report on the demo folder, in every format."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pypdf
import pytest

from einvoice_gov.profile import ITEMS, Answer, default_profile, load_profile
from einvoice_gov.reports.flows import read_flows
from einvoice_gov.reports.model import ReadinessReport
from einvoice_gov.reports.readiness import assemble, build_readiness
from einvoice_gov.reports.render_pdf import render_roadmap_pdf
from einvoice_gov.schemas import load_schema
from einvoice_gov.validation.findings import Finding, Report, Severity, Stage
from tests.report.conftest import (
    DEMO,
    DEMO_PROFILE,
    TODAY,
    check_counts,
    defaults_profile,
    make_demo_ledger,
    report_json,
    run_cli,
)

SCHEMA = load_schema("readiness-report")


@pytest.fixture(scope="module")
def demo_report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    tmp = tmp_path_factory.mktemp("demo-report")
    return report_json(tmp, [str(DEMO)], DEMO_PROFILE)


@pytest.fixture(scope="module")
def demo_ledger_report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    tmp = tmp_path_factory.mktemp("demo-ledger")
    store = make_demo_ledger(tmp)
    return report_json(tmp, [str(DEMO)], DEMO_PROFILE, "--store", store)


def test_json_matches_the_published_schema(
    demo_report: dict[str, Any], demo_ledger_report: dict[str, Any]
) -> None:
    jsonschema.validate(demo_report, SCHEMA)
    jsonschema.validate(demo_ledger_report, SCHEMA)
    for key in ("deadlines", "invoices", "flows", "gaps"):
        assert key in demo_report
    for gap in demo_report["gaps"]:
        assert set(gap) >= {"id", "severity", "owner", "deadline", "title", "why", "fix"}


def test_counts_equal_check_on_the_demo(demo_report: dict[str, Any]) -> None:
    counts = check_counts([str(DEMO)])
    inv = demo_report["invoices"]
    assert counts["total"] > 0
    assert {k: inv[k] for k in ("total", "valid", "invalid")} == counts


def test_counts_equal_check_with_the_same_chain(tmp_path: Path) -> None:
    data = report_json(tmp_path, [str(DEMO)], DEMO_PROFILE, "--chain", "en16931")
    assert data["invoices"]["chain"] == "en16931"
    counts = check_counts([str(DEMO)], chain="en16931")
    assert {k: data["invoices"][k] for k in ("total", "valid", "invalid")} == counts


def test_top_rules_carry_the_findings_fix(demo_report: dict[str, Any]) -> None:
    rules = demo_report["invoices"]["top_rules"]
    assert rules, "the demo folder has invalid invoices"
    _code, out = run_cli(["check", str(DEMO), "--format", "jsonl", "--lang", "fr"])
    fixes: dict[str, set[str]] = {}
    for line in out.splitlines():
        for f in json.loads(line)["findings"]:
            if f["fix"]:
                fixes.setdefault(f["rule"], set()).add(f["fix"])
    for r in rules:
        if r["rule"] in fixes:
            assert r["fix"] in fixes[r["rule"]]
        else:
            assert r["fix"] is None
    errors = [r for r in rules if r["severity"] == "error"]
    gap_ids = {g["id"] for g in demo_report["gaps"]}
    for r in errors[:5]:
        assert f"invoices.rule.{r['rule']}" in gap_ids


def test_deadlines_for_a_pme_on_2026_11_26(tmp_path: Path) -> None:
    data = report_json(tmp_path, [str(DEMO)], defaults_profile(tmp_path, "pme"))
    by = {d["obligation"]: d for d in data["deadlines"]}
    assert by["reception"]["date"] == "2026-09-01"
    assert by["reception"]["status"] == "due"
    assert by["issuance"]["date"] == "2027-09-01"
    assert by["issuance"]["status"] == "upcoming"
    assert by["issuance"]["days"] == (dt.date(2027, 9, 1) - TODAY).days
    assert by["e-reporting"]["date"] == "2027-09-01"


def test_deadlines_for_an_eti_are_already_due(tmp_path: Path) -> None:
    data = report_json(tmp_path, [str(DEMO)], defaults_profile(tmp_path, "eti"))
    assert {d["obligation"]: (d["date"], d["status"]) for d in data["deadlines"]} == {
        "reception": ("2026-09-01", "due"),
        "issuance": ("2026-09-01", "due"),
        "e-reporting": ("2026-09-01", "due"),
    }


def test_a_gap_for_every_unanswered_checklist_item(tmp_path: Path) -> None:
    data = report_json(tmp_path, [str(DEMO)], defaults_profile(tmp_path))
    gaps = {g["id"]: g for g in data["gaps"]}
    for info in ITEMS:
        gap = gaps[f"org.{info.id}"]
        assert gap["severity"] == info.severity
        assert gap["owner"] == info.owner
        assert gap["fix"] == info.fix_fr  # French by default
    # and the profile-level gaps of a blank profile
    for gid in ("platform.none", "platform.directory-line", "pilot.none", "company.vat-regime"):
        assert gid in gaps
    assert gaps["platform.none"]["severity"] == "blocking"
    assert gaps["platform.none"]["overdue"] is True  # reception is already due


def test_answered_items_raise_no_gap_and_stale_ones_do(demo_report: dict[str, Any]) -> None:
    profile = load_profile(DEMO_PROFILE)
    gaps = {g["id"]: g for g in demo_report["gaps"]}
    for item_id, item in profile.checklist.items():
        if item.answer is not Answer.YES:
            assert f"org.{item_id}" in gaps, item_id
    assert "org.mfa_pa_portal" not in gaps  # answered yes, no date asked
    assert "org.contract_data_location" not in gaps  # yes, reviewed 2026-07-10
    stale = gaps["org.asset_inventory"]  # yes, but last updated 2025-06-30
    assert "30/06/2025" in stale["title"]


def test_english_report(tmp_path: Path) -> None:
    data = report_json(tmp_path, [str(DEMO)], DEMO_PROFILE, "--lang", "en")
    jsonschema.validate(data, SCHEMA)
    assert data["lang"] == "en"
    gaps = {g["id"]: g for g in data["gaps"]}
    info = next(i for i in ITEMS if i.id == "incident_plan")
    assert gaps["org.incident_plan"]["fix"] == info.fix_en


def test_no_ledger_section(demo_report: dict[str, Any]) -> None:
    flows = demo_report["flows"]
    assert flows["status"] == "no-ledger"
    assert flows["ledger"] is None
    assert "no ledger" in flows["message"]
    assert "trace.no-ledger" in {g["id"] for g in demo_report["gaps"]}


def test_trace_gaps_for_invoices_issued_but_never_deposited(
    demo_ledger_report: dict[str, Any],
) -> None:
    flows = demo_ledger_report["flows"]
    assert flows["status"] == "ok"
    assert flows["chain"]["ok"] is True
    # fixtures/make_demo_ledger.py: 0104 and 0105 issued and never deposited, 0099 on paper
    assert flows["not_deposited"] == ["FA-2026-0099", "FA-2026-0104", "FA-2026-0105"]
    assert flows["rejected_not_reissued"] == ["FA-2026-0103"]
    assert flows["issued"] == 7 and flows["deposited"] == 3 and flows["archived"] == 3
    assert flows["archive"]["ok"] is True and flows["archive"]["objects"] == 3
    gaps = {g["id"]: g for g in demo_ledger_report["gaps"]}
    assert gaps["trace.not-deposited"]["evidence"] == flows["not_deposited"]
    assert gaps["trace.rejected-not-reissued"]["evidence"] == ["FA-2026-0103"]
    assert "trace.no-ledger" not in gaps
    assert demo_ledger_report["score"]["trace"] is not None


def test_trace_gap_when_an_archived_object_is_damaged(tmp_path: Path) -> None:
    store = make_demo_ledger(tmp_path)
    objects = sorted((tmp_path / "einvoice-archive" / "sha256").rglob("*"))
    victim = next(p for p in objects if p.is_file())
    victim.chmod(0o644)
    victim.write_bytes(b"altered")
    data = report_json(tmp_path, [str(DEMO)], DEMO_PROFILE, "--store", store)
    assert data["flows"]["archive"]["ok"] is False
    assert data["flows"]["archive"]["damaged"] == [str(victim)]
    gap = next(g for g in data["gaps"] if g["id"] == "trace.archive")
    assert gap["severity"] == "blocking"


def test_missing_store_is_reported_not_created(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'absent.db'}"
    flows = read_flows(url, today=TODAY, lang="en")
    assert flows.status == "error"
    assert not (tmp_path / "absent.db").exists()


def test_text_summary_on_stdout() -> None:
    code, out = run_cli(
        ["report", str(DEMO), "--profile", str(DEMO_PROFILE), "--today", "2026-11-26"]
    )
    assert code == 0
    assert "Score de préparation" in out
    assert "01/09/2027" in out  # issuance date of a PME
    code, out = run_cli(
        [
            "report",
            str(DEMO),
            "--profile",
            str(DEMO_PROFILE),
            "--lang",
            "en",
            "--today",
            "2026-11-26",
        ]
    )
    assert "Readiness score" in out


def test_written_file_is_announced_and_nothing_else_happens(tmp_path: Path) -> None:
    out = tmp_path / "r.md"
    code, text = run_cli(
        ["report", str(DEMO), "--profile", str(DEMO_PROFILE), "--format", "md", "-o", str(out)]
    )
    assert code == 0
    assert str(out.resolve()) in text
    md = out.read_text("utf-8")
    assert md.startswith("# Rapport de préparation")
    profile_gaps = build_readiness([DEMO], load_profile(DEMO_PROFILE), today=TODAY).gaps
    for gap in profile_gaps[:5]:
        assert gap.title.replace("|", "\\|") in md


def test_html_is_self_contained(tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    code, _ = run_cli(
        ["report", str(DEMO), "--profile", str(DEMO_PROFILE), "--format", "html", "-o", str(out)]
    )
    assert code == 0
    html = out.read_text("utf-8")
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
    assert "<script" not in html
    assert not re.search(r"""\b(src|href)\s*=""", html)
    assert not re.search(r"url\(", html)
    assert html.count("<svg") >= 4  # score, timeline, top rules, funnel


def test_pdf_needs_an_output_file() -> None:
    code, _ = run_cli(["report", str(DEMO), "--profile", str(DEMO_PROFILE), "--format", "pdf"])
    assert code == 2


def test_build_readiness_reports_progress_once_per_file() -> None:
    calls: list[tuple[int, int]] = []
    result = build_readiness(
        [str(DEMO)],
        load_profile(DEMO_PROFILE),
        today=TODAY,
        jobs=1,
        progress=lambda done, total: calls.append((done, total)),
    )
    n = result.invoices.total
    assert n == len(list(DEMO.iterdir()))
    assert calls == [(i, n) for i in range(1, n + 1)]


def test_report_progress_bar_changes_nothing_in_the_report(tmp_path: Path) -> None:
    plain = report_json(tmp_path, [str(DEMO)], DEMO_PROFILE, "--no-progress")
    (tmp_path / "report.json").unlink()
    shown = report_json(tmp_path, [str(DEMO)], DEMO_PROFILE, "--progress")
    for d in (plain, shown):
        d.pop("generated_at", None)
    assert shown == plain


def test_profile_defaults_to_company_toml_in_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out = run_cli(["report", str(DEMO), "--format", "json"])
    assert code == 2
    assert "company.toml" in out and "einvoice-gov init" in out
    (tmp_path / "company.toml").write_bytes(DEMO_PROFILE.read_bytes())
    code, out = run_cli(["report", str(DEMO), "--format", "json", "--today", TODAY.isoformat()])
    assert code == 0, out
    assert json.loads(out)["company"]["siren"] == load_profile(DEMO_PROFILE).company.siren


def _one_a4_page(data: bytes) -> str:
    reader = pypdf.PdfReader(__import__("io").BytesIO(data))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert abs(float(box.width) - 595) <= 1 and abs(float(box.height) - 842) <= 1
    return reader.pages[0].extract_text()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_roadmap_pdf_is_one_a4_page(tmp_path: Path, lang: str) -> None:
    out = tmp_path / "roadmap.pdf"
    args = ["report", str(DEMO), "--profile", str(DEMO_PROFILE), "--format", "pdf"]
    code, _ = run_cli([*args, "-o", str(out), "--lang", lang, "--today", "2026-11-26"])
    assert code == 0
    text = _one_a4_page(out.read_bytes())
    assert "Atelier Vasseur SARL" in text
    for track in ("Sécurité", "Contrats") if lang == "fr" else ("Security", "Contracts"):
        assert track in text


def _synthetic(n_findings: int, profile_answers: Answer = Answer.UNKNOWN) -> ReadinessReport:
    profile = default_profile("175006691", "pme", name="Menuiserie " + "Très Longue " * 6)
    reports = []
    for i in range(40):
        findings = [
            Finding(
                rule=f"BR-TEST-{j:02d}",
                stage=Stage.BR_FR,
                severity=Severity.ERROR,
                message="Un message " * 12,
                fix="Un correctif " * 10,
            )
            for j in range(i % n_findings)
        ]
        reports.append(Report(path=f"f{i:03d}.xml", findings=findings).finish())
    flows = read_flows(None, today=TODAY, lang="fr")
    return assemble(profile, reports, {}, flows, today=TODAY, inputs=["x"])


def test_roadmap_pdf_stays_one_page_when_overloaded() -> None:
    report = _synthetic(30)
    assert len(report.gaps) > 25
    text = _one_a4_page(render_roadmap_pdf(report))
    assert "voir le rapport" in text  # the fullest cells say what was left out


def test_assemble_orders_gaps_and_counts_rules() -> None:
    report = _synthetic(6)
    severities = [g.severity for g in report.gaps]
    assert severities == sorted(severities, key=["blocking", "important", "advice"].index)
    assert report.invoices.total == 40
    assert report.invoices.valid == sum(1 for i in range(40) if i % 6 == 0)
    top = report.invoices.top_rules[0]
    assert top.rule == "BR-TEST-00"  # in every invalid file
    assert top.files == report.invoices.invalid
    jsonschema.validate(report.as_json(), SCHEMA)


def test_penalties_follow_volumes_and_answers() -> None:
    profile = default_profile("175006691", "pme")
    profile.company.invoices_issued_per_year = 100
    reports = [Report(path=f"f{i}.xml", valid=i < 3) for i in range(4)]  # 25 % invalid
    flows = read_flows(None, today=TODAY, lang="en")
    rep = assemble(profile, reports, {}, flows, today=TODAY, lang="en")
    items = {p.key: p for p in rep.penalties.items}
    assert items["invoice-not-electronic"].amount_eur == 25 * 50
    assert items["no-reception-platform"].amount_eur > 0  # no platform in a blank profile
    assert items["e-reporting-missing"].amount_eur == 15000  # worst case, capped
    profile.receiving_platform.name = "PA"
    profile.company.e_reporting_needed = Answer.NO
    rep = assemble(profile, reports, {}, flows, today=TODAY, lang="en")
    assert {p.key for p in rep.penalties.items} == {"invoice-not-electronic"}
    assert rep.penalties.basis == "profile"


def test_no_template_placeholder_left_in_any_text(
    tmp_path: Path, demo_ledger_report: dict[str, Any]
) -> None:
    blank = report_json(tmp_path, [str(DEMO)], defaults_profile(tmp_path), "--lang", "en")
    for data in (demo_ledger_report, blank):
        texts = [g[k] for g in data["gaps"] for k in ("title", "why", "fix")]
        texts += [p["explanation"] for p in data["penalties"]["items"]]
        for text in texts:
            assert not re.search(r"\{[a-z_]+\}", text), text
