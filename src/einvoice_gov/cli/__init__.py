"""The ``einvoice-gov`` command line: a thin layer of click commands over the library.

Commands are imported lazily (start-up time is part of the user's wait): each name maps to
``module:attribute``; a command whose module is not installed is simply not listed.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from typing import Any

import click

from einvoice_gov._version import __version__
from einvoice_gov.cli._common import EXIT_USAGE

#: command name -> "module:attribute", in the order ``--help`` lists them
COMMANDS: dict[str, str] = {
    "check": "einvoice_gov.cli.check:check",
    "inspect": "einvoice_gov.cli.inspect:inspect",
    "trace": "einvoice_gov.cli.trace:trace",
    "archive": "einvoice_gov.cli.archive:archive",
    "init": "einvoice_gov.cli.init:init",
    "report": "einvoice_gov.cli.report:report",
    "sample": "einvoice_gov.cli.sample:sample",
    "rules": "einvoice_gov.cli.rules:rules",
}


def _available(name: str) -> bool:
    module = COMMANDS[name].split(":")[0]
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return [n for n in COMMANDS if _available(n)]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS or not _available(cmd_name):
            return None
        module, attr = COMMANDS[cmd_name].split(":")
        cmd: Any = getattr(importlib.import_module(module), attr)
        return cmd  # type: ignore[no-any-return]


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="einvoice-gov")
def cli() -> None:
    """einvoice-gov: get a small French business through the e-invoicing reform.

    Validate Factur-X, CII and UBL invoices with the official French chain, trace them from
    issue to archive, and report what to fix before the deadline.
    """


def main() -> None:
    """Entry point: usage errors exit 2, as do internal errors (never a traceback)."""
    try:
        cli.main(standalone_mode=True)
    except SystemExit:
        raise
    except Exception as exc:  # pragma: no cover - last resort
        click.echo(f"einvoice-gov: internal error: {type(exc).__name__}: {exc}", err=True)
        sys.exit(EXIT_USAGE)
