"""``einvoice-gov report``: the readiness report (gap analysis) of a folder for a company."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sys
from collections.abc import Callable

import click

from einvoice_gov.cli._common import EXIT_OK, EXIT_USAGE, library_errors
from einvoice_gov.profile import load_profile
from einvoice_gov.reports import fmt as fmt_
from einvoice_gov.reports.output import FORMATS, render, write
from einvoice_gov.reports.readiness import build_readiness
from einvoice_gov.reports.render_text import render_text
from einvoice_gov.reports.texts import report_lang, words
from einvoice_gov.validation.batch import DEFAULT_TIMEOUT


def _today(value: str | None) -> dt.date:
    if not value:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter("expected YYYY-MM-DD", param_hint="--today") from exc


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option(
    "--profile",
    "profile_path",
    default="company.toml",
    show_default=True,
    type=click.Path(dir_okay=False),
    help="Company profile (written by `einvoice-gov init`).",
)
@click.option(
    "--store",
    envvar="EINVOICE_TRACE_STORE",
    default=None,
    help="Trace ledger URL (sqlite:///… or postgresql://…); without it the trace section "
    'says "no ledger".',
)
@click.option("--today", help="Date of the analysis, YYYY-MM-DD (default: today).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="text: terminal summary; json: schemas/readiness-report; md; html: self-contained "
    "report; pdf: the one-page A4 roadmap.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False),
    default=None,
    help="Write to this file (needed for pdf); a summary is printed instead.",
)
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
    help="Language of the report (default: French).",
)
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Progress bar on standard error while the invoices are checked (default: when it "
    "is a terminal).",
)
def report(
    paths: tuple[str, ...],
    profile_path: str,
    store: str | None,
    today: str | None,
    fmt: str,
    output: str | None,
    chain: str,
    jobs: int | None,
    timeout: int,
    lang: str | None,
    progress: bool | None,
) -> None:
    """Readiness report: what to fix before the deadline, by whom and when.

    Validates the invoices under PATHS (same counts as `einvoice-gov check` with the same
    --chain), reads the trace ledger (--store) and the company profile, and lists the gaps
    with severity, owner and deadline. Exit code 0 when the report is written, 2 on a usage
    error. Opens nothing: with -o it prints where the report is.
    """
    lang = report_lang(lang)
    w = words(lang)
    day = _today(today)
    missing = [p for p in paths if not os.path.exists(p)]
    if missing:
        click.echo(f"einvoice-gov: no such file or folder: {', '.join(missing)}", err=True)
        sys.exit(EXIT_USAGE)
    if not os.path.exists(profile_path):
        click.echo(
            f"einvoice-gov: no company profile at {profile_path}: create it with "
            "`einvoice-gov init`, or name it with --profile FILE",
            err=True,
        )
        sys.exit(EXIT_USAGE)
    if fmt == "pdf" and not output:
        click.echo("einvoice-gov: --format pdf needs -o FILE", err=True)
        sys.exit(EXIT_USAGE)
    with library_errors():
        profile = load_profile(profile_path)
        show = progress if progress is not None else sys.stderr.isatty()
        with contextlib.ExitStack() as stack:
            tick: Callable[[int, int], None] | None = None
            if show:
                bar = stack.enter_context(
                    click.progressbar(length=1, file=sys.stderr, label="check")
                )

                def _tick(done: int, total: int) -> None:
                    bar.length = total
                    bar.update(1)

                tick = _tick

            result = build_readiness(
                list(paths),
                profile,
                today=day,
                store=store,
                chain=chain,
                jobs=jobs,
                timeout=timeout,
                lang=lang,
                progress=tick,
            )
        if output:
            write(result, fmt, output)
        else:
            data = render(result, fmt)
            assert isinstance(data, str)
            sys.stdout.write(data)
    if output:
        counts = fmt_.gap_counts(result)
        inv = result.invoices
        click.echo(
            w["summary_line"].format(
                valid=inv.valid,
                total=inv.total,
                share=fmt_.percent(inv.ready_share),
                gaps=len(result.gaps),
                blocking=counts["blocking"],
                score=result.score.value,
            )
        )
        click.echo(w["report_written"].format(path=os.path.abspath(output)))
    elif fmt != "text" and sys.stderr.isatty():
        sys.stderr.write(render_text(result))
    sys.exit(EXIT_OK)
