"""``einvoice-gov check``."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from typing import IO, TYPE_CHECKING

import click

from einvoice_gov.cli._common import (
    EXIT_FINDINGS,
    EXIT_OK,
    EXIT_USAGE,
    default_lang,
    lang_option,
    library_errors,
)
from einvoice_gov.validation.options import (
    CHAINS,
    DEFAULT_ENGINE,
    DEFAULT_TIMEOUT,
    ENGINE_NAMES,
    OUTPUT_FORMATS,
)

if TYPE_CHECKING:
    from einvoice_gov.validation.findings import Report


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option(
    "--chain",
    type=click.Choice(CHAINS),
    default="auto",
    show_default=True,
    help="auto: EN 16931, plus the French rules when seller and buyer are in France; "
    "en16931: EN 16931 only; fr: always the French rules.",
)
@click.option(
    "--engine",
    type=click.Choice(sorted(ENGINE_NAMES)),
    default=DEFAULT_ENGINE,
    show_default=True,
    help="Rule engine for the schematron stages.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(OUTPUT_FORMATS),
    default="text",
    show_default=True,
    help="Output format. jsonl: one JSON object per file (schemas/check-report).",
)
@lang_option
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning"]),
    default="error",
    show_default=True,
    help="Lowest severity that makes the exit code 1.",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes (default: all cores).",
)
@click.option(
    "--xsd-backend",
    type=click.Choice(["lxml", "xmlschema"]),
    default="lxml",
    show_default=True,
    help="XML Schema validator.",
)
@click.option(
    "--fr-edition",
    type=click.Choice(["fatal", "warning"]),
    default="fatal",
    show_default=True,
    help="French rules edition: fatal (platforms reject; applied since 1 Sept 2026) or "
    "warning (FNFE pass-through edition: BR-FR findings become warnings).",
)
@click.option(
    "--timeout",
    type=click.IntRange(min=0),
    default=DEFAULT_TIMEOUT,
    show_default=True,
    help="Seconds allowed per file (0: no limit).",
)
@click.option(
    "--output",
    "-o",
    type=click.File("w", encoding="utf-8"),
    default="-",
    help="Write the results to this file instead of standard output.",
)
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Progress bar on standard error (default: when it is a terminal).",
)
def check(
    paths: tuple[str, ...],
    chain: str,
    engine: str,
    fmt: str,
    lang: str | None,
    fail_on: str,
    jobs: int | None,
    xsd_backend: str,
    fr_edition: str,
    timeout: int,
    output: IO[str],
    progress: bool | None,
) -> None:
    """Validate invoices: files and folders (recursive).

    Runs the French validation chain (XSD, EN 16931, Factur-X profile, BR-FR) and prints what
    is wrong and how to fix it. Exit code 0: no finding at the --fail-on level; 1: findings;
    2: usage or internal error.
    """
    lang = lang or default_lang()
    missing = [p for p in paths if not os.path.exists(p)]
    if missing:
        click.echo(f"einvoice-gov: no such file or folder: {', '.join(missing)}", err=True)
        sys.exit(EXIT_USAGE)
    if xsd_backend == "lxml":
        # Build the first file's XML Schema in the background while the engines are imported
        # (start-up of a one-file check; see validation/xsdcache.py).
        from einvoice_gov.validation.xsdcache import warm_up

        warm_up(paths)
    from einvoice_gov.reports.check_output import render
    from einvoice_gov.validation.batch import iter_files, validate_many
    from einvoice_gov.validation.findings import Severity

    files = list(iter_files(paths))
    if jobs is None:
        jobs = min(os.cpu_count() or 1, max(1, len(files) // 8))
    levels = {"error": {Severity.ERROR}, "warning": {Severity.ERROR, Severity.WARNING}}[fail_on]
    failed = False
    show = progress if progress is not None else (sys.stderr.isatty() and len(files) > 1)
    with library_errors():
        reports: Iterator[Report] = validate_many(
            files,
            jobs=jobs,
            timeout=timeout,
            chain=chain,
            engine=engine,
            lang=lang,
            xsd_backend=xsd_backend,
            fr_edition=fr_edition,
        )
        stream = render(reports, output, fmt, lang=lang)
        if show:
            with click.progressbar(
                stream, length=len(files), file=sys.stderr, label="check"
            ) as bar:
                for rep in bar:
                    failed |= any(f.severity in levels for f in rep.findings)
        else:
            for rep in stream:
                failed |= any(f.severity in levels for f in rep.findings)
    sys.exit(EXIT_FINDINGS if failed else EXIT_OK)
