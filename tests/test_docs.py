"""The documentation stays true: README's Python example runs, every command is documented."""

from __future__ import annotations

import re

import click
import pytest

from einvoice_gov.cli import cli

from .conftest import ROOT


def test_readme_python_example_runs(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    block = re.search(r"## Use it from Python.*?```python\n(.+?)```", readme, re.S)
    assert block, "README lost its Python example"
    monkeypatch.chdir(ROOT)
    exec(compile(block.group(1), "README.md", "exec"), {})
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "False"  # the demo invoice FA-2026-0103 has mistakes
    assert "BR-CO-15" in out


def _documented_text() -> str:
    parts = [(ROOT / "README.md").read_text("utf-8")]
    for p in sorted((ROOT / "docs").rglob("*.md")):
        parts.append(p.read_text("utf-8"))
    return "\n".join(parts)


def test_every_command_is_documented() -> None:
    text = _documented_text()
    ctx = click.Context(cli)
    missing = []
    for name in cli.list_commands(ctx):
        cmd = cli.get_command(ctx, name)
        assert cmd is not None and cmd.help, f"command {name} has no help text"
        if f"einvoice-gov {name}" not in text:
            missing.append(name)
    assert not missing, f"commands missing from README.md/docs: {missing}"


def test_docs_do_not_reference_missing_local_files() -> None:
    broken = []
    for md in [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]:
        for target in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", md.read_text("utf-8")):
            if not (md.parent / target).exists():
                broken.append(f"{md.relative_to(ROOT)} → {target}")
    assert not broken, broken
