"""``einvoice-gov rules``: list, search and explain the rules einvoice-gov checks."""

from __future__ import annotations

import json

import click

from einvoice_gov.cli._common import EXIT_USAGE, default_lang, lang_option
from einvoice_gov.validation import registry
from einvoice_gov.validation.findings import Severity, Stage
from einvoice_gov.validation.registry import Rule

_FORMAT = click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output format (json: one array of rule objects).",
)


def _filters(f: click.decorators.FC) -> click.decorators.FC:
    for opt in reversed(
        [
            click.option(
                "--stage",
                type=click.Choice([s.value for s in Stage]),
                help="Only rules of this stage.",
            ),
            click.option(
                "--syntax", type=click.Choice(["cii", "ubl", "cdar"]), help="Only this syntax."
            ),
            click.option("--family", help="Only this family (BR-CO, BR-FR, UBL-CR...)."),
            click.option(
                "--severity",
                type=click.Choice([s.value for s in Severity]),
                help="Only rules with this severity in at least one artefact.",
            ),
        ]
    ):
        f = opt(f)
    return f


def _line(r: Rule, lang: str) -> str:
    return f"{r.code:<28} {r.severity.value:<7} {r.stage.value:<15} {r.message(lang)}"


def _emit_list(found: list[Rule], fmt: str, lang: str) -> None:
    if fmt == "json":
        click.echo(json.dumps([r.to_dict() for r in found], ensure_ascii=False, indent=2))
        return
    for r in found:
        click.echo(_line(r, lang))
    click.echo(f"{len(found)} rule(s)" if lang == "en" else f"{len(found)} règle(s)", err=True)


def _show_text(r: Rule) -> str:
    out = [r.code, "=" * len(r.code)]
    out.append(
        f"family: {r.family or '-'}    stage: {r.stage.value}    severity: {r.severity.value}"
    )
    if r.bt:
        out.append("business terms: " + ", ".join(r.bt))
    out.append(f"mirrors: {r.mirrors}")
    if r.applies:
        out.append(
            "applies in: " + ", ".join(f"{a.artefact} ({a.severity.value})" for a in r.applies)
        )
    out += ["", "EN  " + r.en, "    fix: " + (r.fix_en or "-"), "", "FR  " + r.fr]
    out.append("    correction : " + (r.fix_fr or "-"))
    if r.notes:
        out += ["", "notes: " + r.notes]
    for v in r.variants:
        out += ["", f"in {v.artefact}:"]
        for label, text in (("EN", v.en), ("FR", v.fr), ("notes", v.notes)):
            if text:
                out.append(f"    {label}: {text}")
    return "\n".join(out)


@click.group(invoke_without_command=True)
@click.pass_context
def rules(ctx: click.Context) -> None:
    """List, search and explain the rules einvoice-gov checks.

    Every rule id of the official artefacts (EN 16931, BR-FR, EXTENDED-CTC-FR, Factur-X) and of
    einvoice-gov's own checks, with its stage, severity, business terms, a message in French and
    English and a hint to fix it. Without a sub-command: the list of all rules.

    \b
    Examples:
      einvoice-gov rules show BR-CO-15
      einvoice-gov rules search SIREN --lang fr
      einvoice-gov rules list --stage br-fr --format json
    """
    if ctx.invoked_subcommand is None:
        _emit_list(registry.all_rules(), "text", default_lang())


@rules.command("list")
@click.argument("text", required=False, default="")
@_filters
@_FORMAT
@lang_option
def list_(
    text: str,
    stage: str | None,
    syntax: str | None,
    family: str | None,
    severity: str | None,
    fmt: str,
    lang: str | None,
) -> None:
    """List the rules, optionally filtered (TEXT: a word of the code or of the messages)."""
    found = registry.search(text, stage=stage, syntax=syntax, family=family, severity=severity)
    _emit_list(found, fmt, lang or default_lang())


@rules.command("search")
@click.argument("text")
@_filters
@_FORMAT
@lang_option
def search(
    text: str,
    stage: str | None,
    syntax: str | None,
    family: str | None,
    severity: str | None,
    fmt: str,
    lang: str | None,
) -> None:
    """Find rules whose code, business terms or messages (French or English) contain TEXT."""
    found = registry.search(text, stage=stage, syntax=syntax, family=family, severity=severity)
    _emit_list(found, fmt, lang or default_lang())


@rules.command("show")
@click.argument("codes", nargs=-1, required=True)
@_FORMAT
def show(codes: tuple[str, ...], fmt: str) -> None:
    """Explain rules in both languages: what they check, where, and how to fix them."""
    found: list[Rule] = []
    unknown = []
    for code in codes:
        r = registry.get(code) or registry.get(code.upper())
        if r is None:
            unknown.append(code)
        else:
            found.append(r)
    if unknown:
        click.echo(
            f"einvoice-gov: unknown rule code(s): {', '.join(unknown)} "
            "(try: einvoice-gov rules search WORD)",
            err=True,
        )
        raise SystemExit(EXIT_USAGE)
    if fmt == "json":
        click.echo(json.dumps([r.to_dict() for r in found], ensure_ascii=False, indent=2))
        return
    click.echo("\n\n".join(_show_text(r) for r in found))
