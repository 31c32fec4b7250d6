"""Fixtures of the trace tests: one suite, run against every store.

The PostgreSQL variant needs ``EINVOICE_TEST_POSTGRES`` (a database URL; CI sets it) and is
skipped with that reason when it is unset. Each test gets its own schema, dropped afterwards.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ..conftest import ROOT, shared_dir

PG_ENV = "EINVOICE_TEST_POSTGRES"
STORES = ["sqlite", "postgres"]


def cdar_dir() -> Path:
    return shared_dir() / "cdar"


def pg_base_url() -> str | None:
    return os.environ.get(PG_ENV) or None


def _with_schema(url: str, schema: str) -> str:
    return url + ("&" if "?" in url else "?") + f"schema={schema}"


def _drop_schema(url: str, schema: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture(params=STORES)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty store URL: a SQLite file, or a PostgreSQL schema of its own."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'trace.db'}"
        return
    base = pg_base_url()
    if base is None:
        pytest.skip(f"PostgreSQL store tests need {PG_ENV} (a postgresql:// URL); CI sets it")
    schema = f"t_{uuid.uuid4().hex[:16]}"
    yield _with_schema(base, schema)
    _drop_schema(base, schema)


@pytest.fixture
def key_path(tmp_path: Path) -> Path:
    """Where the signing key goes: a directory of its own, never the database."""
    d = tmp_path / "keys"
    d.mkdir()
    return d / "trace.key"


def run_cli(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None, input: str | None = None
) -> subprocess.CompletedProcess[str]:
    """``einvoice-gov ARGS`` in a subprocess (the real entry point, real exit codes)."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "einvoice_gov", *args],
        cwd=cwd,
        env=full_env,
        input=input,
        capture_output=True,
        text=True,
        timeout=300,
    )


def tamper(url: str, sql: str, params: tuple[Any, ...] = ()) -> None:
    """Edit the store as an attacker with write access would: triggers off, raw SQL."""
    from einvoice_gov.trace.stores import sqlite_path

    path = sqlite_path(url)
    if path is not None:
        import sqlite3

        con = sqlite3.connect(path, isolation_level=None)
        names = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='trigger'")]
        for n in names:
            con.execute(f"DROP TRIGGER {n}")
        con.execute(sql.replace("%s", "?"), params)
        con.close()
        return
    import psycopg

    from einvoice_gov.trace.stores.postgres import split_url

    conninfo, schema, _ = split_url(url)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'SET search_path TO "{schema}"')
        conn.execute("SET session_replication_role = replica")  # triggers off
        conn.execute(sql, params)


__all__ = ["ROOT", "cdar_dir", "run_cli", "tamper"]
