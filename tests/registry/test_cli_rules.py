"""``einvoice-gov rules``: list, search, show, JSON output, exit codes."""

from __future__ import annotations

import json

from click.testing import CliRunner

from einvoice_gov.cli import cli


def run(*args: str) -> tuple[int, str]:
    res = CliRunner().invoke(cli, ["rules", *args])
    return res.exit_code, res.output


def test_show_gives_both_languages_and_fix() -> None:
    code, out = run("show", "BR-CO-15")
    assert code == 0
    assert "BT-112" in out and "Le total TTC" in out and "total with VAT" in out
    assert "fix:" in out and "correction" in out and "en16931/ubl" in out


def test_show_json_and_unknown_code() -> None:
    code, out = run("show", "BR-51", "UBL-CR-001", "--format", "json")
    data = json.loads(out)
    assert code == 0 and [d["code"] for d in data] == ["BR-51", "UBL-CR-001"]
    sev = {a["artefact"]: a["severity"] for a in data[0]["applies"]}
    assert sev["en16931/ubl"] == "warning" and sev["en16931/cii"] == "error"
    code, _ = run("show", "NOT-A-RULE")
    assert code == 2


def test_search_and_list_filters() -> None:
    code, out = run("search", "SIREN", "--lang", "fr", "--stage", "br-fr")
    assert code == 0 and "BR-FR-10_BT-30" in out and "SIREN" in out
    code, out = run("list", "--family", "UBL-CR", "--severity", "error", "--format", "json")
    assert code == 0 and {d["code"] for d in json.loads(out)} == {"UBL-CR-666", "UBL-CR-673"}


def test_bare_command_lists_everything() -> None:
    code, out = run()
    assert code == 0 and "BR-CO-15" in out and "FX-SCH-A-000001" in out
