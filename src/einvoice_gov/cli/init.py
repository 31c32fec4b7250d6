"""``einvoice-gov init``: write the company profile (``company.toml``)."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from einvoice_gov.cli._common import EXIT_OK, EXIT_USAGE, library_errors
from einvoice_gov.profile import (
    ITEMS,
    Answer,
    Category,
    CompanyProfile,
    Provider,
    VatRegime,
    decide_category,
    default_profile,
    write_profile,
)
from einvoice_gov.profile.questions import words
from einvoice_gov.reports.texts import report_lang


def _optional_int(text: str) -> int | None:
    text = text.strip().replace(" ", "").replace("\u202f", "").replace("\xa0", "")
    if not text or text == "?":
        return None
    return int(text)


def _ask_int(label: str) -> int | None:
    while True:
        raw = click.prompt(label, default="", show_default=False)
        try:
            value = _optional_int(raw)
        except ValueError:
            continue
        if value is None or value >= 0:
            return value


def _ask_date(label: str, bad: str) -> dt.date | None:
    while True:
        raw = click.prompt(label, default="", show_default=False).strip()
        if not raw or raw == "?":
            return None
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            click.echo(bad)


def _ask_answer(label: str, w: dict[str, str], default: Answer = Answer.UNKNOWN) -> Answer:
    to_answer = {w["yes"]: Answer.YES, w["no"]: Answer.NO, w["unknown"]: Answer.UNKNOWN}
    back = {v: k for k, v in to_answer.items()}
    raw = click.prompt(
        label, type=click.Choice(list(to_answer)), default=back[default], show_choices=True
    )
    return to_answer[raw]


def _interactive(lang: str, siren: str | None, category: str | None, name: str) -> CompanyProfile:
    w = words(lang)
    click.echo(w["intro"])
    name = click.prompt(w["name"], default=name or "", show_default=bool(name))
    while True:
        siren = click.prompt(w["siren"], default=siren or None).strip().replace(" ", "")
        if siren is not None and len(siren) == 9 and siren.isdigit():
            break
        click.echo(w["siren_bad"])
        siren = None
    headcount = _ask_int(w["headcount"])
    turnover = _ask_int(w["turnover"])
    balance = _ask_int(w["balance"])
    proposed = category
    if headcount is not None:
        decided = decide_category(headcount, turnover, balance)
        click.echo(w["category_rule"].format(cat=decided.value))
        proposed = proposed or decided.value
    cat = click.prompt(
        w["category"],
        type=click.Choice([c.value for c in Category]),
        default=proposed,
        show_choices=False,
    )
    profile = default_profile(siren, cat, name=name)
    company = profile.company
    company.headcount, company.turnover_eur, company.balance_sheet_eur = (
        headcount,
        turnover,
        balance,
    )
    company.vat_regime = VatRegime(
        click.prompt(
            w["vat_regime"],
            type=click.Choice([v.value for v in VatRegime]),
            default=VatRegime.UNKNOWN.value,
            show_choices=False,
        )
    )
    company.e_reporting_needed = _ask_answer(w["e_reporting"], w)
    company.invoices_issued_per_year = _ask_int(w["invoices"])
    pa = profile.receiving_platform
    pa.name = click.prompt(w["pa_name"], default="", show_default=False).strip()
    if pa.name:
        pa.since = _ask_date(w["pa_since"], w["date_bad"])
        pa.directory_line = _ask_answer(w["pa_directory"], w)
    pilot = profile.pilot
    pilot.name = click.prompt(w["pilot_name"], default="", show_default=False).strip()
    if pilot.name:
        pilot.mandate = click.prompt(w["pilot_mandate"], default="", show_default=False).strip()
        hours = click.prompt(w["pilot_hours"], default="", show_default=False).strip()
        try:
            pilot.hours_per_month = float(hours.replace(",", ".")) if hours else None
        except ValueError:
            pilot.hours_per_month = None
    while True:
        prov = click.prompt(w["provider"], default="", show_default=False).strip()
        if not prov:
            break
        role = click.prompt(w["provider_role"], default="", show_default=False).strip()
        profile.providers.append(Provider(name=prov, role=role))
    if _ask_answer(w["checklist_now"].format(n=len(ITEMS)), w, Answer.NO) is Answer.YES:
        for info in ITEMS:
            item = getattr(profile.checklist, info.id)
            item.answer = _ask_answer(info.text("question", lang), w)
            date_label = info.text("date", lang)
            if date_label and item.answer is Answer.YES:
                fmt = "AAAA-MM-JJ" if lang == "fr" else "YYYY-MM-DD"
                item.date = _ask_date(f"  {date_label} ({fmt})", w["date_bad"])
    # Assignments above bypass validation: validate the result as a whole.
    return CompanyProfile.model_validate(profile.model_dump())


@click.command()
@click.option(
    "--defaults",
    is_flag=True,
    help="Ask nothing: write a profile with every checklist item unanswered "
    "(needs --siren and --category).",
)
@click.option("--siren", help="SIREN of the company (9 digits).")
@click.option(
    "--category",
    type=click.Choice([c.value for c in Category]),
    help="Size category: micro, pme, eti or ge.",
)
@click.option("--name", default="", help="Company name.")
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False),
    default="company.toml",
    show_default=True,
    help="Where to write the profile.",
)
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
@click.option(
    "--lang",
    type=click.Choice(["fr", "en"]),
    default=None,
    help="Language of questions and comments (default: French).",
)
def init(
    defaults: bool,
    siren: str | None,
    category: str | None,
    name: str,
    output: str,
    force: bool,
    lang: str | None,
) -> None:
    """Create the company profile (company.toml) by asking a few questions.

    With --defaults nothing is asked: the profile has the SIREN and category given and every
    checklist item is "unknown", ready to be edited by hand.
    """
    lang = report_lang(lang)
    w = words(lang)
    out = Path(output)
    if out.exists() and not force:
        click.echo(f"einvoice-gov: {w['exists'].format(path=out)}", err=True)
        sys.exit(EXIT_USAGE)
    with library_errors():
        if defaults:
            if not siren or not category:
                click.echo("einvoice-gov: --defaults needs --siren and --category", err=True)
                sys.exit(EXIT_USAGE)
            profile = default_profile(siren, category, name=name)
        else:
            profile = _interactive(lang, siren, category, name)
        write_profile(profile, out, lang=lang)
    click.echo(w["written"].format(path=out), err=True)
    click.echo(w["next"].format(path=out), err=True)
    sys.exit(EXIT_OK)
