"""``einvoice-gov archive``: the content-addressed archive of original files."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from einvoice_gov.cli._common import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE
from einvoice_gov.cli.trace import _opened, archive_option, store_option


@click.group()
def archive() -> None:
    """Keep original invoices intact for their retention period (6 years tax, 10 years
    commercial), content-addressed, with a fixity check."""


@archive.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--invoice", default=None, help="Record an 'archived' event for this invoice.")
@click.option(
    "--date",
    "doc_date",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="Document (invoice) date, start of the retention periods (default: today).",
)
@click.option(
    "--fiscal-year-end",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="Close of the financial year holding the document (10-year commercial period).",
)
@archive_option
@store_option
def put(
    files: tuple[str, ...],
    invoice: str | None,
    doc_date: datetime | None,
    fiscal_year_end: datetime | None,
    archive_dir: Path | None,
    store_url: str,
) -> None:
    """Store FILES durably (fsync'ed before anything refers to them); prints one JSON line
    each: sha256, size, path, tax_until, commercial_until (and seq/hash of the log entry
    with --invoice)."""
    from einvoice_gov.errors import EinvoiceError
    from einvoice_gov.trace.archive import Archive, default_archive_dir
    from einvoice_gov.trace.ledger import Ledger

    def put_all(store: Any) -> None:
        arch = Archive(archive_dir or default_archive_dir(store_url))
        for f in files:
            obj = arch.put(
                Path(f),
                document_date=doc_date.date() if doc_date else None,
                fiscal_year_end=fiscal_year_end.date() if fiscal_year_end else None,
            )
            line: dict[str, Any] = obj.as_dict()
            if store is not None and invoice:
                ack = Ledger(store).record(
                    invoice,
                    "archived",
                    {
                        "object": obj.sha256,
                        "size": obj.size,
                        "file": Path(f).name,
                        "tax_until": obj.tax_until.isoformat(),
                        "commercial_until": obj.commercial_until.isoformat(),
                    },
                    event_id=f"archived:{invoice}:{obj.sha256}",
                )
                line.update(ack.as_dict())
            click.echo(json.dumps(line, ensure_ascii=False))

    try:
        if invoice:
            with _opened(store_url) as store:
                put_all(store)
        else:
            put_all(None)
    except EinvoiceError as exc:
        click.echo(f"einvoice-gov: {exc}", err=True)
        raise SystemExit(EXIT_USAGE) from exc


@archive.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.option(
    "--log/--no-log",
    "use_log",
    default=True,
    help="Also check that every object the log says was archived is present (default on).",
)
@archive_option
@store_option
def verify(fmt: str, use_log: bool, archive_dir: Path | None, store_url: str) -> None:
    """Re-hash every archived object (fixity). Exit 0 when all match, 1 otherwise."""
    from einvoice_gov.trace.archive import Archive, default_archive_dir
    from einvoice_gov.trace.stores import sqlite_path

    adir = archive_dir or default_archive_dir(store_url)
    if not adir.is_dir():
        click.echo(f"einvoice-gov: no archive at {adir}", err=True)
        raise SystemExit(EXIT_USAGE)
    expected: list[str] = []
    db = sqlite_path(store_url)
    if use_log and (db is None or db.exists()):
        with _opened(store_url) as store:
            expected = [
                str(e.data["object"])
                for e in store.entries()
                if e.type == "archived" and "object" in e.data
            ]
    rep = Archive(adir).verify(expected)
    if fmt == "json":
        click.echo(json.dumps(rep.as_dict()))
    else:
        click.echo(
            f"{rep.objects} object(s), {rep.bytes} bytes: "
            + ("all intact" if rep.ok else f"{len(rep.bad)} damaged, {len(rep.missing)} missing")
        )
        for p, reason in rep.bad:
            click.echo(f"  DAMAGED {p}: {reason}")
        for digest in rep.missing:
            click.echo(f"  MISSING {digest} (recorded in the log as archived)")
    raise SystemExit(EXIT_OK if rep.ok else EXIT_FINDINGS)
