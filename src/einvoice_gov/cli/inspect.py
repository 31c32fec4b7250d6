"""``einvoice-gov inspect``."""

from __future__ import annotations

import click

from einvoice_gov.cli._common import EXIT_OK, default_lang, lang_option, library_errors
from einvoice_gov.inspect import inspect as inspect_file
from einvoice_gov.inspect import render_json, render_text


@click.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: readable summary; json: the full typed summary (amounts as strings).",
)
@lang_option
@click.option(
    "--max-lines",
    type=click.IntRange(min=0),
    default=30,
    show_default=True,
    help="Invoice lines shown in text output (json lists them all).",
)
def inspect(file: str, fmt: str, lang: str | None, max_lines: int) -> None:
    """Show what a PDF or XML invoice contains.

    Syntax and profile, the parties (names, SIREN/SIRET, VAT numbers, countries), the lines,
    the totals and the VAT breakdown; for a PDF, its attachments, XMP metadata and declared
    PDF/A level. It does not judge the invoice: use `einvoice-gov check` for that. Exit code
    0: shown; 2: the file cannot be read.
    """
    lang = lang or default_lang()
    with library_errors():
        summary = inspect_file(file)
    if fmt == "json":
        click.echo(render_json(summary), nl=False)
    else:
        click.echo(render_text(summary, lang, max_lines=max_lines), nl=False)
    raise SystemExit(EXIT_OK)
