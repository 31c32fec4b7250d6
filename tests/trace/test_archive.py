"""The content-addressed archive: durable, idempotent, write-once, fixity-checked."""

from __future__ import annotations

import json
import os
from datetime import date
from hashlib import sha256
from pathlib import Path

import pytest
from click.testing import CliRunner

from einvoice_gov.cli import cli
from einvoice_gov.errors import IntegrityError
from einvoice_gov.trace import Archive, open_store
from einvoice_gov.trace.archive import retention


def test_put_is_content_addressed_and_idempotent(tmp_path: Path) -> None:
    arch = Archive(tmp_path / "a")
    f = tmp_path / "inv.pdf"
    f.write_bytes(b"%PDF-1.7 invoice F1" * 1000)
    obj = arch.put(f, document_date=date(2026, 9, 15))
    assert obj.sha256 == sha256(f.read_bytes()).hexdigest() and obj.created
    assert obj.path == tmp_path / "a" / "sha256" / obj.sha256[:2] / obj.sha256
    assert obj.path.read_bytes() == f.read_bytes()
    assert not os.access(obj.path, os.W_OK) or os.geteuid() == 0  # read-only (root ignores it)
    assert oct(obj.path.stat().st_mode & 0o777) == "0o444"
    again = arch.put(f.read_bytes(), document_date=date(2026, 9, 15))
    assert again.sha256 == obj.sha256 and not again.created
    assert list((tmp_path / "a" / "tmp").iterdir()) == []  # no temporary file left visible
    assert arch.get(obj.sha256) == f.read_bytes()


def test_retention_dates() -> None:
    # 6 years for tax from the document; 10 years commercial from the financial-year close
    assert retention(date(2026, 9, 15)) == (date(2032, 9, 15), date(2037, 12, 31))
    assert retention(date(2026, 9, 15), date(2027, 3, 31)) == (date(2032, 9, 15), date(2037, 3, 31))
    assert retention(date(2028, 2, 29))[0] == date(2034, 2, 28)


def test_verify_finds_damaged_and_missing_objects(tmp_path: Path) -> None:
    arch = Archive(tmp_path / "a")
    good = arch.put(b"good")
    bad = arch.put(b"will rot")
    os.chmod(bad.path, 0o644)
    bad.path.write_bytes(b"rotten!!")
    rep = arch.verify(expected=[good.sha256, bad.sha256, "f" * 64])
    assert not rep.ok and rep.objects == 2
    assert [p for p, _ in rep.bad] == [str(bad.path)]
    assert rep.missing == ["f" * 64]
    with pytest.raises(IntegrityError):
        arch.get(bad.sha256)
    # putting the original bytes again repairs the damaged copy
    assert arch.put(b"will rot").created
    assert arch.verify(expected=[good.sha256, bad.sha256]).ok


def test_cli_put_records_archived_event_after_the_object_is_durable(
    store_url: str, tmp_path: Path
) -> None:
    f = tmp_path / "F1.xml"
    f.write_bytes(b"<Invoice>F1</Invoice>")
    arch = tmp_path / "archive"
    runner = CliRunner()
    res = runner.invoke(
        cli,
        [
            "archive",
            "put",
            str(f),
            "--invoice",
            "F1",
            "--date",
            "2026-09-15",
            "--archive-dir",
            str(arch),
            "--store",
            store_url,
        ],
    )
    assert res.exit_code == 0, res.output
    line = json.loads(res.stdout)
    assert line["sha256"] == sha256(f.read_bytes()).hexdigest()
    assert (line["tax_until"], line["commercial_until"]) == ("2032-09-15", "2037-12-31")
    assert line["seq"] == 0 and len(line["hash"]) == 64
    with open_store(store_url) as store:
        (e,) = store.entries()
    assert e.type == "archived" and e.data["object"] == line["sha256"]
    assert (arch / "sha256" / line["sha256"][:2] / line["sha256"]).is_file()

    ok = runner.invoke(
        cli,
        ["archive", "verify", "--format", "json", "--archive-dir", str(arch), "--store", store_url],
    )
    assert ok.exit_code == 0 and json.loads(ok.stdout)["ok"] is True
    obj = arch / "sha256" / line["sha256"][:2] / line["sha256"]
    os.chmod(obj, 0o644)
    obj.unlink()
    gone = runner.invoke(
        cli,
        ["archive", "verify", "--format", "json", "--archive-dir", str(arch), "--store", store_url],
    )
    assert gone.exit_code == 1 and json.loads(gone.stdout)["missing"] == [line["sha256"]]
