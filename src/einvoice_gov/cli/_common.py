"""Helpers shared by the commands: exit codes, language, library errors to CLI errors."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

import click

from einvoice_gov.errors import EinvoiceError

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2

F = TypeVar("F", bound=Callable[..., object])


def default_lang() -> str:
    """French when the locale says so, English otherwise."""
    for var in ("EINVOICE_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        val = os.environ.get(var)
        if val:
            return "fr" if val.lower().startswith("fr") else "en"
    return "en"


def lang_option(f: F) -> F:
    return click.option(
        "--lang",
        type=click.Choice(["fr", "en"]),
        default=None,
        help="Language of messages (default: from the locale).",
    )(f)


@contextmanager
def library_errors() -> Iterator[None]:
    """Turn library exceptions into a one-line error and exit code 2."""
    try:
        yield
    except EinvoiceError as exc:
        click.echo(f"einvoice-gov: {exc}", err=True)
        raise SystemExit(EXIT_USAGE) from exc
    except ValueError as exc:
        click.echo(f"einvoice-gov: {exc}", err=True)
        raise SystemExit(EXIT_USAGE) from exc
