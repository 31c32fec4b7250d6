"""``einvoice-gov trace``: record, show and verify each invoice's audit trail."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import IO, Any, TypeVar

import click

from einvoice_gov.cli._common import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, default_lang, lang_option

F = TypeVar("F", bound=Callable[..., Any])

DEFAULT_STORE = "sqlite:///./einvoice-trace.db"


def store_option(f: F) -> F:
    return click.option(
        "--store",
        "store_url",
        envvar="EINVOICE_TRACE_STORE",
        default=DEFAULT_STORE,
        show_default=True,
        help="Log store: sqlite:///path.db or postgresql://user@host/db[?schema=name] "
        "(env EINVOICE_TRACE_STORE).",
    )(f)


def key_option(f: F) -> F:
    return click.option(
        "--key",
        "key_path",
        envvar="EINVOICE_TRACE_KEY",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help="Checkpoint signing key, kept outside the database "
        "(env EINVOICE_TRACE_KEY; default: <store>.key beside a SQLite store).",
    )(f)


def archive_option(f: F) -> F:
    return click.option(
        "--archive-dir",
        envvar="EINVOICE_ARCHIVE",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help="Archive directory (env EINVOICE_ARCHIVE; default: einvoice-archive/ beside a "
        "SQLite store).",
    )(f)


def tsa_cert_option(f: F) -> F:
    return click.option(
        "--tsa-cert",
        "tsa_cert",
        type=click.Path(dir_okay=False, exists=True, path_type=Path),
        default=None,
        help="Certificate (PEM or DER) of the timestamp authority, to check its signatures.",
    )(f)


def _load_tsa_cert(path: Path | None) -> Any:
    if path is None:
        return None
    from einvoice_gov.trace.timestamp import TimestampError, load_tsa_certificate

    try:
        return load_tsa_certificate(path.read_bytes())
    except (TimestampError, OSError) as exc:
        click.echo(f"einvoice-gov: {path}: {exc}", err=True)
        raise SystemExit(EXIT_USAGE) from exc


def _echo_json(obj: Any) -> None:
    click.echo(json.dumps(obj, ensure_ascii=False))


@contextmanager
def _opened(url: str, *, create: bool = True) -> Iterator[Any]:
    """Open the store; library errors become a one-line message and exit 2."""
    from einvoice_gov.errors import EinvoiceError
    from einvoice_gov.trace.stores import open_store

    try:
        store = open_store(url, create=create)
    except EinvoiceError as exc:
        click.echo(f"einvoice-gov: {exc}", err=True)
        raise SystemExit(EXIT_USAGE) from exc
    try:
        yield store
    except (EinvoiceError, ValueError) as exc:  # ValueError: EventError, CheckpointError
        click.echo(f"einvoice-gov: {exc}", err=True)
        raise SystemExit(EXIT_USAGE) from exc
    finally:
        store.close()


@click.group()
def trace() -> None:
    """The audit trail of each invoice: a hash-chained, append-only log with signed
    checkpoints (SQLite by default, PostgreSQL for several machines)."""


# -- record ------------------------------------------------------------------------------------


def _parse_field(text: str) -> tuple[str, Any]:
    if ":=" in text and ("=" not in text or text.index(":=") < text.index("=")):
        k, v = text.split(":=", 1)
        try:
            return k, json.loads(v)
        except ValueError as exc:
            raise click.BadParameter(f"{text!r}: the value after := must be JSON") from exc
    if "=" not in text:
        raise click.BadParameter(f"{text!r}: expected k=v or k:=JSON")
    k, v = text.split("=", 1)
    return k, v


def _iter_batch(stream: IO[str]) -> Iterator[tuple[int, str]]:
    for n, line in enumerate(stream, 1):
        if line.strip():
            yield n, line


@trace.command()
@click.argument("invoice", required=False)
@click.argument("type_", metavar="TYPE", required=False)
@click.option("--field", "fields", multiple=True, help="k=v (string) or k:=JSON; repeatable.")
@click.option("--event-id", default=None, help="Idempotency key (default: a new UUID).")
@click.option(
    "--file",
    "file_",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="The invoice file: sets the fields sha256 (its digest) and file (its name).",
)
@click.option(
    "--batch",
    type=click.File("r", encoding="utf-8"),
    default=None,
    help="JSON lines file of events ('-' for stdin).",
)
@click.option(
    "--chunk",
    type=click.IntRange(1, 5000),
    default=None,
    help="Events per transaction in --batch mode (default 500; 1 when reading stdin).",
)
@store_option
def record(
    invoice: str | None,
    type_: str | None,
    fields: tuple[str, ...],
    event_id: str | None,
    file_: Path | None,
    batch: IO[str] | None,
    chunk: int | None,
    store_url: str,
) -> None:
    """Record an event: INVOICE TYPE [--field k=v ...], or --batch FILE.jsonl.

    TYPE is issued, transmitted, status, received, archived or note. Prints one line
    {"seq", "event_id", "hash"} per event once it is durable; a re-sent event_id is
    acknowledged with the entry already recorded and adds nothing.
    """
    from einvoice_gov.trace.events import Event, EventError

    if batch is None:
        if not invoice or not type_:
            raise click.UsageError("give INVOICE and TYPE, or --batch FILE")
        data = dict(_parse_field(f) for f in fields)
        if file_ is not None:
            import hashlib

            digest = hashlib.sha256()
            with file_.open("rb") as fh:
                while part := fh.read(1 << 20):
                    digest.update(part)
            data.setdefault("sha256", digest.hexdigest())
            data.setdefault("file", file_.name)
        try:
            ev = Event.new(invoice, type_, data, event_id=event_id)
        except EventError as exc:
            click.echo(f"einvoice-gov: {exc}", err=True)
            raise SystemExit(EXIT_USAGE) from exc
        with _opened(store_url) as store:
            ack = store.append([ev])[0]
        _echo_json(ack.as_dict())
        return
    if invoice or type_ or fields or event_id or file_:
        raise click.UsageError("--batch takes no INVOICE, TYPE, --field, --file or --event-id")
    size = chunk or (1 if batch is sys.stdin or getattr(batch, "name", "") == "<stdin>" else 500)
    bad = 0
    out = sys.stdout
    with _opened(store_url) as store:
        pending: list[Event] = []

        def commit() -> None:
            acks = store.append(pending)
            out.write("".join(json.dumps(a.as_dict()) + "\n" for a in acks))
            out.flush()
            pending.clear()

        for n, line in _iter_batch(batch):
            try:
                obj = json.loads(line)
                pending.append(Event.from_json(obj))
            except (ValueError, EventError) as exc:
                bad += 1
                click.echo(f"einvoice-gov: line {n}: {exc}", err=True)
                continue
            if len(pending) >= size:
                commit()
        if pending:
            commit()
    if bad:
        click.echo(f"einvoice-gov: {bad} line(s) not recorded", err=True)
        raise SystemExit(EXIT_FINDINGS)


# -- log / show --------------------------------------------------------------------------------


@trace.command()
@click.option("--format", "fmt", type=click.Choice(["text", "jsonl"]), default="text")
@click.option("--invoice", default=None, help="Only this invoice's entries.")
@store_option
def log(fmt: str, invoice: str | None, store_url: str) -> None:
    """Every entry of the log, in order (jsonl keys: seq, event_id, invoice, type, hash)."""
    out = sys.stdout
    with _opened(store_url, create=False) as store:
        for e in store.entries(invoice=invoice):
            if fmt == "jsonl":
                out.write(json.dumps(e.as_dict(), ensure_ascii=False) + "\n")
            else:
                out.write(f"{e.seq:>8}  {e.hash[:16]}  {e.type:<11} {e.invoice}\n")


def _describe(data: dict[str, Any], type_: str, lang: str) -> str:
    from einvoice_gov.trace.lifecycle import status_label

    if type_ == "status":
        code = str(data.get("code", ""))
        text = f"{code} {status_label(code, lang)}"
        if data.get("reasons"):
            text += " [" + ", ".join(map(str, data["reasons"])) + "]"
        if data.get("amounts"):
            text += " " + ", ".join(
                f"{a.get('amount')} {a.get('currency', '')} @{a.get('vat_rate', '?')}%"
                for a in data["amounts"]
            )
        return text
    if type_ in ("issued", "received"):
        return f"sha256 {str(data.get('sha256', ''))[:16]}… {data.get('verdict', '')}".strip()
    if type_ == "transmitted":
        return f"{data.get('platform', '')} {data.get('message_id', '')}".strip()
    if type_ == "archived":
        return f"{str(data.get('object', ''))[:16]}… until {data.get('commercial_until', '?')}"
    if type_ == "note":
        return str(data.get("text", ""))
    return ""


@trace.command()
@click.argument("invoice")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.option(
    "--deposit-days",
    type=click.IntRange(min=0),
    default=7,
    show_default=True,
    help="Days after issue before a missing 200 Déposée is an anomaly.",
)
@click.option(
    "--today",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="Reference date for delays (default: today).",
)
@lang_option
@store_option
def show(
    invoice: str,
    fmt: str,
    deposit_days: int,
    today: Any,
    lang: str | None,
    store_url: str,
) -> None:
    """One invoice's trail in log order, its lifecycle summary and anomalies."""
    from einvoice_gov.trace.lifecycle import flow

    lang = lang or default_lang()
    day: date | None = today.date() if today else None
    with _opened(store_url, create=False) as store:
        entries = list(store.entries(invoice=invoice))
        if not entries:
            click.echo(
                f"einvoice-gov: {'aucune entrée pour' if lang == 'fr' else 'no entry for'} "
                f"{invoice}",
                err=True,
            )
            raise SystemExit(EXIT_FINDINGS)
        fl = flow(store, invoice, today=day, deposit_days=deposit_days)
    assert fl is not None
    if fmt == "json":
        doc = fl.as_dict(lang)
        doc["trail"] = [
            {
                "seq": e.seq,
                "type": e.type,
                "at": e.at,
                "event_id": e.event_id,
                "hash": e.hash,
                "data": e.data,
            }
            for e in entries
        ]
        _echo_json(doc)
        return
    fr = lang == "fr"
    click.echo(f"{'Facture' if fr else 'Invoice'} {invoice} ({fl.direction})")
    for e in entries:
        when = e.data.get("status_at") or e.at
        click.echo(
            f"  {e.seq:>6}  {str(when)[:19]:<19}  {e.type:<11} {_describe(e.data, e.type, lang)}"
        )
    milestones = [
        ("issued", "émise"),
        ("transmitted", "transmise"),
        ("deposited", "déposée"),
        ("accepted", "approuvée"),
        ("refused", "refusée"),
        ("rejected", "rejetée"),
        ("paid", "encaissée"),
        ("archived", "archivée"),
    ]
    reached = [(fr_ if fr else en) for en, fr_ in milestones if getattr(fl, en)]
    click.echo(("  Étapes : " if fr else "  Milestones: ") + (", ".join(reached) or "-"))
    for a in fl.anomalies:
        click.echo(f"  ! {a.code} ({a.severity}): {a.message(lang)}")


# -- ingest ------------------------------------------------------------------------------------


@trace.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["text", "jsonl"]), default="text")
@click.option("--keep", is_flag=True, help="Also store the raw messages in the archive.")
@archive_option
@store_option
def ingest(
    files: tuple[str, ...], fmt: str, keep: bool, archive_dir: Path | None, store_url: str
) -> None:
    """Read CDAR lifecycle status messages and record one status event each.

    Messages are recorded in status-date order; re-ingesting a file adds nothing.
    Exit 1 when a file could not be read as a status message.
    """
    from einvoice_gov.trace.archive import Archive, default_archive_dir
    from einvoice_gov.trace.ingest import ingest_files
    from einvoice_gov.trace.ledger import Ledger

    with _opened(store_url) as store:
        archive = Archive(archive_dir or default_archive_dir(store_url)) if keep else None
        results = ingest_files(Ledger(store), files, archive=archive)
    bad = 0
    results.sort(key=lambda r: (r.ack is None, r.ack.seq if r.ack else 0))
    for r in results:
        if not r.ok:
            bad += 1
        if fmt == "jsonl":
            _echo_json(r.as_dict())
        elif r.ok and r.ack:
            click.echo(f"{r.ack.seq:>8}  {r.invoice}  {r.code}  {r.status_at or ''}  {r.path}")
        else:
            click.echo(f"einvoice-gov: {r.path}: {r.error}", err=True)
    raise SystemExit(EXIT_FINDINGS if bad else EXIT_OK)


# -- verify / checkpoint / export --------------------------------------------------------------


@trace.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.option(
    "--pinned",
    multiple=True,
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="A file of checkpoints you hold (JSON lines with a 'note'); repeatable.",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Processes for a large log (default: up to 4; 1 = one pass). Same verdict.",
)
@key_option
@tsa_cert_option
@lang_option
@store_option
def verify(
    fmt: str,
    pinned: tuple[Path, ...],
    jobs: int | None,
    key_path: Path | None,
    tsa_cert: Path | None,
    lang: str | None,
    store_url: str,
) -> None:
    """Check every entry, link and checkpoint. Exit 0 when intact, 1 otherwise.

    JSON: {"ok", "entries", "first_bad", "reason", ...}.
    """
    from einvoice_gov.trace.verifier import verify as run_verify

    lang = lang or default_lang()
    cert = _load_tsa_cert(tsa_cert)
    with _opened(store_url, create=False) as store:
        res = run_verify(store, key=key_path, pinned=pinned, jobs=jobs, tsa_cert=cert)
    if fmt == "json":
        _echo_json(res.as_dict())
    else:
        fr = lang == "fr"
        sig_fr = "vérifiées" if res.signatures == "checked" else "non vérifiées"
        if res.ok:
            click.echo(
                (
                    f"intact : {res.entries} entrées, {res.checkpoints} point(s) de contrôle "
                    f"signé(s) (signatures {sig_fr})"
                )
                if fr
                else (
                    f"intact: {res.entries} entries, {res.checkpoints} signed checkpoint(s) "
                    f"(signatures {res.signatures})"
                )
            )
        else:
            where = (
                "" if res.first_bad is None else f" {'entrée' if fr else 'entry'} {res.first_bad}:"
            )
            click.echo(f"{'ALTÉRÉ' if fr else 'TAMPERED'}:{where} {res.reason}")
        for ts in res.timestamps:
            by = ts["tsa"] or ("signature non vérifiée" if fr else "signature unchecked")
            click.echo(
                f"  {'horodatage' if fr else 'timestamp'}: "
                f"{'point' if fr else 'checkpoint'} {ts['size']} @ {ts['gen_time']} ({by})"
            )
        for w in res.warnings:
            click.echo(f"  {'attention' if fr else 'warning'}: {w}")
    raise SystemExit(EXIT_OK if res.ok else EXIT_FINDINGS)


@trace.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.option(
    "--tsa",
    "tsa_url",
    default=None,
    metavar="URL",
    help="Also have the checkpoint timestamped (RFC 3161) by the timestamp authority at URL.",
)
@tsa_cert_option
@key_option
@store_option
def checkpoint(
    fmt: str, tsa_url: str | None, tsa_cert: Path | None, key_path: Path | None, store_url: str
) -> None:
    """Sign a checkpoint of the current log (the key is created on first use).

    Refused when the log does not verify or does not extend the last checkpoint. With --tsa,
    the signed checkpoint is also timestamped by that authority and the token kept beside
    it (checked against --tsa-cert when given).
    """
    from einvoice_gov.trace.ledger import Ledger

    cert = _load_tsa_cert(tsa_cert)
    stamp: dict[str, Any] | None = None
    with _opened(store_url) as store:
        ledger = Ledger(store, key=key_path)
        if tsa_url:
            cp, info = ledger.timestamp(tsa_url, tsa_cert=cert)
            stamp = {
                "gen_time": info.gen_time_text(),
                "serial": info.serial,
                "tsa": info.tsa,
                "signature": info.signature,
            }
        else:
            cp = ledger.checkpoint()
        key_id = ledger.signing_key().public.key_id.hex()
    if fmt == "json":
        doc: dict[str, Any] = {
            "size": cp.size,
            "root": cp.root.hex(),
            "origin": cp.origin,
            "key_id": key_id,
            "key": str(ledger.key_path),
            "note": cp.note,
        }
        if stamp is not None:
            doc["timestamp"] = stamp
        _echo_json(doc)
    else:
        click.echo(cp.note, nl=False)
        if stamp is not None:
            by = stamp["tsa"] or "signature unchecked: no --tsa-cert"
            click.echo(f"timestamp {stamp['gen_time']} serial {stamp['serial']} ({by})")


@trace.command()
@click.argument("invoice")
@click.option(
    "-o",
    "--output",
    "output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Bundle file to write (zip).",
)
@key_option
@archive_option
@store_option
def export(
    invoice: str,
    output: Path,
    key_path: Path | None,
    archive_dir: Path | None,
    store_url: str,
) -> None:
    """Write the auditor bundle of INVOICE: its entries with inclusion proofs in a signed
    checkpoint, the archived files, and the standalone verifier (verify_bundle.py)."""
    from einvoice_gov.trace.archive import Archive, default_archive_dir
    from einvoice_gov.trace.bundle import export_bundle

    with _opened(store_url, create=False) as store:
        adir = archive_dir or default_archive_dir(store_url)
        archive = Archive(adir) if adir.is_dir() else None
        path = export_bundle(store, invoice, output, key=key_path, archive=archive)
    click.echo(str(path))
