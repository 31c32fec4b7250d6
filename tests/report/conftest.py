"""Fixtures of the readiness-report tests (issue 7)."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from einvoice_gov.cli import cli
from tests.conftest import ROOT

DEMO = ROOT / "fixtures" / "demo"
DEMO_PROFILE = ROOT / "fixtures" / "demo-company.toml"
ZUGFERD_DEV = ROOT.parent / "shared" / "corpus" / "zugferd-dev"
TODAY = dt.date(2026, 11, 26)


#: Environment that would change what the commands read or write: cleared for these tests.
ENV_CLEARED = ("EINVOICE_TRACE_STORE", "EINVOICE_ARCHIVE", "EINVOICE_TRACE_KEY", "EINVOICE_LANG")


@pytest.fixture(scope="session", autouse=True)
def _hermetic_environment() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as mp:
        for name in ENV_CLEARED:
            mp.delenv(name, raising=False)
        yield


def toml_to_json(data: Any) -> Any:
    """TOML data as JSON data: dates become ``YYYY-MM-DD`` strings (as the schema says)."""
    if isinstance(data, dict):
        return {k: toml_to_json(v) for k, v in data.items()}
    if isinstance(data, list):
        return [toml_to_json(v) for v in data]
    if isinstance(data, dt.date):
        return data.isoformat()
    return data


def run_cli(args: list[str]) -> tuple[int, str]:
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    return result.exit_code, result.output


def check_counts(paths: list[str], chain: str = "auto") -> dict[str, int]:
    """What ``einvoice-gov check`` reports for these inputs: files, valid, invalid."""
    code, out = run_cli(["check", *paths, "--format", "jsonl", "--chain", chain])
    assert code in (0, 1), out
    records = [json.loads(line) for line in out.splitlines() if line.strip()]
    valid = sum(1 for r in records if r["valid"])
    return {"total": len(records), "valid": valid, "invalid": len(records) - valid}


def report_json(tmp: Path, paths: list[str], profile: Path, *extra: str) -> dict[str, Any]:
    out = tmp / "report.json"
    args = ["report", *paths, "--profile", str(profile), "--today", TODAY.isoformat()]
    code, text = run_cli([*args, "--format", "json", "-o", str(out), *extra])
    assert code == 0, text
    data: dict[str, Any] = json.loads(out.read_text("utf-8"))
    return data


def defaults_profile(tmp: Path, category: str = "pme") -> Path:
    out = tmp / f"company-{category}.toml"
    code, text = run_cli(
        ["init", "--defaults", "--siren", "175006691", "--category", category, "-o", str(out)]
    )
    assert code == 0, text
    return out


def make_demo_ledger(tmp: Path) -> str:
    """The demo ledger (fixtures/make_demo_ledger.py) in ``tmp``; returns its store URL."""
    spec = importlib.util.spec_from_file_location(
        "make_demo_ledger", ROOT / "fixtures" / "make_demo_ledger.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    url = f"sqlite:///{tmp / 'demo-trace.db'}"
    built: str = module.build(url)
    return built


@pytest.fixture
def demo_dir() -> Path:
    return DEMO


@pytest.fixture(scope="session")
def zugferd_dev() -> Path:
    if not ZUGFERD_DEV.is_dir():
        pytest.skip(f"shared corpus not found at {ZUGFERD_DEV} (../shared/corpus/zugferd-dev)")
    return ZUGFERD_DEV
