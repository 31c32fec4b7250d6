"""The `check` command's public contract: options, output formats, exit codes."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import jsonschema
import pytest
from click.testing import CliRunner

from einvoice_gov import __version__
from einvoice_gov.cli import cli
from einvoice_gov.schemas import load_schema

from .conftest import ROOT

DEMO = ROOT / "fixtures" / "demo"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "einvoice_gov", *args], capture_output=True, text=True, timeout=300
    )


def test_version() -> None:
    proc = run("--version")
    assert proc.returncode == 0
    assert __version__ in proc.stdout


def test_jsonl_matches_published_schema() -> None:
    proc = run("check", "--format", "jsonl", "--chain", "fr", str(DEMO))
    assert proc.returncode == 1, proc.stderr  # the demo holds invoices with mistakes
    schema = load_schema("check-report")
    lines = [json.loads(x) for x in proc.stdout.splitlines()]
    assert len(lines) == len(list(DEMO.iterdir()))
    for rec in lines:
        jsonschema.validate(rec, schema)
    assert {r["valid"] for r in lines} == {True, False}


def test_json_is_one_array_with_the_same_reports() -> None:
    a = run("check", "--format", "json", "--jobs", "1", str(DEMO))
    b = run("check", "--format", "jsonl", "--jobs", "1", str(DEMO))
    assert json.loads(a.stdout) == [json.loads(x) for x in b.stdout.splitlines()]


def test_junit_is_xml_with_one_testcase_per_file() -> None:
    proc = run("check", "--format", "junit", str(DEMO))
    root = ElementTree.fromstring(proc.stdout)
    cases = root.findall(".//testcase")
    assert len(cases) == len(list(DEMO.iterdir()))
    assert any(c.find("failure") is not None for c in cases)


def test_exit_0_when_clean_and_fail_on() -> None:
    good = sorted(DEMO.glob("FA-2026-0101.xml"))
    assert run("check", *map(str, good)).returncode == 0
    assert run("check", "--fail-on", "warning", *map(str, good)).returncode in (0, 1)


def test_exit_2_on_usage_errors(tmp_path: Path) -> None:
    assert run("check", str(tmp_path / "missing.xml")).returncode == 2
    assert run("check", "--format", "yaml", str(DEMO)).returncode == 2
    assert run("check").returncode == 2


@pytest.mark.parametrize("lang,word", [("fr", "erreur"), ("en", "error")])
def test_text_output_in_both_languages(lang: str, word: str) -> None:
    res = CliRunner().invoke(cli, ["check", "--lang", lang, "--jobs", "1", str(DEMO)])
    assert res.exit_code == 1
    assert word in res.output


def test_readme_test_command_is_what_ci_runs() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    block = re.search(r"## Run the tests\s+```sh\n(.+?)\n```", readme, re.S)
    assert block
    ci = (ROOT / ".ci" / "run").read_text("utf-8")
    between = re.search(r"# >>> README test command\n(.+?)\n# <<< README test command", ci, re.S)
    assert between and between.group(1).strip() == block.group(1).strip()


def test_fr_edition_warning_turns_french_errors_into_warnings() -> None:
    bad = DEMO / "FA-2026-0103.xml"  # breaks BR-CO-15 (EN 16931) and BR-FR-11 (French rules)
    fatal = json.loads(run("check", "--format", "jsonl", "--chain", "fr", str(bad)).stdout)
    soft = json.loads(
        run(
            "check", "--format", "jsonl", "--chain", "fr", "--fr-edition", "warning", str(bad)
        ).stdout
    )

    def sev(rec: dict[str, object], stage: str) -> set[str]:
        return {f["severity"] for f in rec["findings"] if f["stage"] == stage}  # type: ignore[attr-defined, index]

    assert sev(fatal, "br-fr") == {"error"}
    assert sev(soft, "br-fr") == {"warning"}
    # The EN 16931 findings are not affected by the French edition.
    assert sev(fatal, "en16931") == sev(soft, "en16931") == {"error"}
    assert sorted(f["rule"] for f in fatal["findings"]) == sorted(
        f["rule"] for f in soft["findings"]
    )
