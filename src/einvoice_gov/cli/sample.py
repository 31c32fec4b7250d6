"""``einvoice-gov sample``: a reproducible stratified sample for the accountant."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from einvoice_gov.cli._common import EXIT_OK, EXIT_USAGE, library_errors
from einvoice_gov.reports.render_sample import render_sample_html
from einvoice_gov.reports.sample import STRATA, draw_sample
from einvoice_gov.reports.texts import report_lang, words
from einvoice_gov.validation.batch import DEFAULT_TIMEOUT


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--size", type=click.IntRange(min=1), required=True, help="Files to draw.")
@click.option(
    "--seed",
    required=True,
    help="Any text or number: the same seed draws the same files, another seed others.",
)
@click.option(
    "--by",
    type=click.Choice(STRATA),
    default=None,
    help="Strata: supplier (seller SIREN), month (invoice date), profile, or verdict (valid "
    "or not). Default: one stratum.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["html", "jsonl"]),
    default="html",
    show_default=True,
    help="html: each drawn invoice laid out with its findings; jsonl: one line per drawn "
    "file with its path and verdict.",
)
@click.option("--output", "-o", type=click.Path(dir_okay=False), default=None, help="Write here.")
@click.option(
    "--chain",
    type=click.Choice(["auto", "en16931", "fr"]),
    default="auto",
    show_default=True,
    help="Validation chain, as for `einvoice-gov check`.",
)
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, help="Worker processes.")
@click.option(
    "--timeout",
    type=click.IntRange(min=0),
    default=DEFAULT_TIMEOUT,
    show_default=True,
    help="Seconds allowed per file (0: no limit).",
)
@click.option(
    "--lang",
    type=click.Choice(["fr", "en"]),
    default=None,
    help="Language (default: French).",
)
def sample(
    paths: tuple[str, ...],
    size: int,
    seed: str,
    by: str | None,
    fmt: str,
    output: str | None,
    chain: str,
    jobs: int | None,
    timeout: int,
    lang: str | None,
) -> None:
    """Draw a reproducible stratified sample of invoices, validate it and lay it out.

    Strata share the sample in proportion to their size, each getting at least one file when
    --size allows. Exit code 0 when the sample is written, 2 on a usage error.
    """
    lang = report_lang(lang)
    missing = [p for p in paths if not os.path.exists(p)]
    if missing:
        click.echo(f"einvoice-gov: no such file or folder: {', '.join(missing)}", err=True)
        sys.exit(EXIT_USAGE)
    with library_errors():
        drawn = draw_sample(
            list(paths),
            size=size,
            seed=seed,
            by=by,
            chain=chain,
            jobs=jobs,
            timeout=timeout,
            lang=lang,
        )
        if fmt == "jsonl":
            text = "".join(
                json.dumps(item.as_json(), ensure_ascii=False) + "\n" for item in drawn.items
            )
        else:
            text = render_sample_html(drawn, lang=lang)
    if output:
        Path(output).write_text(text, encoding="utf-8")
        click.echo(words(lang)["sample_written"].format(path=os.path.abspath(output)))
    else:
        sys.stdout.write(text)
    sys.exit(EXIT_OK)
