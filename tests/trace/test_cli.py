"""The ``trace`` and ``archive`` commands: exact contracts (arguments, JSON keys, exit codes)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from einvoice_gov.cli import cli
from einvoice_gov.trace import open_store

from .conftest import ROOT, run_cli

SHA = "ef" * 32


def _invoke(*args: str, input: str | None = None) -> tuple[int, str, str]:
    res = CliRunner().invoke(cli, list(args), input=input)
    return res.exit_code, res.stdout, res.stderr


def test_record_one_event_with_fields(store_url: str) -> None:
    rc, out, _ = _invoke(
        "trace",
        "record",
        "F1",
        "status",
        "--field",
        "code=212",
        "--field",
        'amounts:=[{"amount": "99.90", "vat_rate": "5.5"}]',
        "--field",
        "reasons=A,B",
        "--event-id",
        "ev-1",
        "--store",
        store_url,
    )
    assert rc == 0
    ack = json.loads(out)
    assert (
        list(ack) == ["seq", "event_id", "hash"] and ack["seq"] == 0 and ack["event_id"] == "ev-1"
    )
    with open_store(store_url) as store:
        (e,) = store.entries()
    assert e.data == {
        "code": "212",
        "amounts": [{"amount": "99.90", "vat_rate": "5.5"}],
        "reasons": ["A", "B"],
    }
    # the same event id again: the same acknowledgement, nothing added
    rc, again, _ = _invoke(
        "trace",
        "record",
        "F1",
        "note",
        "--field",
        "text=x",
        "--event-id",
        "ev-1",
        "--store",
        store_url,
    )
    assert rc == 0 and json.loads(again) == ack


def test_record_with_the_invoice_file(store_url: str, tmp_path: Path) -> None:
    from hashlib import sha256

    f = tmp_path / "FA-1.pdf"
    f.write_bytes(b"%PDF-1.7 FA-1")
    rc, _, _ = _invoke(
        "trace",
        "record",
        "FA-1",
        "issued",
        "--file",
        str(f),
        "--field",
        "verdict=valid",
        "--store",
        store_url,
    )
    assert rc == 0
    with open_store(store_url) as store:
        (e,) = store.entries()
    assert e.data == {
        "sha256": sha256(f.read_bytes()).hexdigest(),
        "file": "FA-1.pdf",
        "verdict": "valid",
    }


def test_record_refuses_bad_input_with_exit_2(store_url: str) -> None:
    rc, _, err = _invoke("trace", "record", "F1", "issued", "--store", store_url)
    assert rc == 2 and "sha256" in err
    rc, _, _ = _invoke("trace", "record", "--store", store_url)
    assert rc == 2


def test_batch_acks_only_valid_lines_and_resend_adds_nothing(
    store_url: str, tmp_path: Path
) -> None:
    lines = [
        {"event_id": "b-1", "invoice": "F1", "type": "issued", "sha256": SHA, "verdict": "valid"},
        {"event_id": "b-2", "invoice": "F1", "type": "status", "code": "200"},
        "not json",
        {"event_id": "b-3", "invoice": "F1", "type": "status"},  # no code
        {"event_id": "b-4", "invoice": "F1", "type": "transmitted", "platform": "PA-1"},
    ]
    f = tmp_path / "b.jsonl"
    f.write_text("\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n\n")
    rc, out, err = _invoke("trace", "record", "--batch", str(f), "--store", store_url)
    assert rc == 1
    assert "line 3" in err and "line 4" in err
    acks = [json.loads(x) for x in out.splitlines()]
    assert [a["event_id"] for a in acks] == ["b-1", "b-2", "b-4"]
    assert [a["seq"] for a in acks] == [0, 1, 2]
    rc, out2, _ = _invoke("trace", "record", "--batch", str(f), "--store", store_url)
    assert [json.loads(x) for x in out2.splitlines()] == acks
    with open_store(store_url) as store:
        assert store.size() == 3
    # stdin works too
    rc, out3, _ = _invoke(
        "trace",
        "record",
        "--batch",
        "-",
        "--store",
        store_url,
        input=json.dumps({"event_id": "b-5", "invoice": "F2", "type": "note", "text": "hi"}) + "\n",
    )
    assert rc == 0 and json.loads(out3)["seq"] == 3


def test_log_jsonl_keys(store_url: str) -> None:
    _invoke("trace", "record", "F1", "note", "--field", "text=a", "--store", store_url)
    _invoke("trace", "record", "F2", "note", "--field", "text=b", "--store", store_url)
    rc, out, _ = _invoke("trace", "log", "--format", "jsonl", "--store", store_url)
    rows = [json.loads(x) for x in out.splitlines()]
    assert (
        rc == 0 and [list(r) for r in rows] == [["seq", "event_id", "invoice", "type", "hash"]] * 2
    )
    assert [(r["seq"], r["invoice"], r["type"]) for r in rows] == [
        (0, "F1", "note"),
        (1, "F2", "note"),
    ]
    rc, out, _ = _invoke(
        "trace", "log", "--format", "jsonl", "--invoice", "F2", "--store", store_url
    )
    assert [json.loads(x)["invoice"] for x in out.splitlines()] == ["F2"]


def test_checkpoint_verify_export_round_trip(
    store_url: str, key_path: Path, tmp_path: Path
) -> None:
    _invoke("trace", "record", "F1", "issued", "--field", f"sha256={SHA}", "--store", store_url)
    rc, out, _ = _invoke(
        "trace", "checkpoint", "--format", "json", "--key", str(key_path), "--store", store_url
    )
    assert rc == 0
    cp = json.loads(out)
    assert cp["size"] == 1 and len(cp["key_id"]) == 8 and cp["note"].count("\n\n") == 1
    rc, out, _ = _invoke(
        "trace", "verify", "--format", "json", "--key", str(key_path), "--store", store_url
    )
    doc = json.loads(out)
    assert rc == 0 and doc["ok"] and doc["entries"] == 1 and doc["signatures"] == "checked"
    bundle = tmp_path / "F1.zip"
    rc, out, err = _invoke(
        "trace", "export", "F1", "-o", str(bundle), "--key", str(key_path), "--store", store_url
    )
    assert rc == 0, err
    assert bundle.is_file()
    rc, _, err = _invoke(
        "trace",
        "export",
        "F404",
        "-o",
        str(tmp_path / "n.zip"),
        "--key",
        str(key_path),
        "--store",
        store_url,
    )
    assert rc == 2 and "F404" in err


def test_default_store_and_key_beside_it_never_inside(tmp_path: Path) -> None:
    """No --store: ./einvoice-trace.db; the key lands in ./einvoice-trace.key, not the DB."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("EINVOICE_TRACE")}
    env.pop("EINVOICE_ARCHIVE", None)
    res = run_cli("trace", "record", "F1", "note", "--field", "text=hello", cwd=tmp_path, env=env)
    assert res.returncode == 0, res.stderr
    res = run_cli("trace", "checkpoint", cwd=tmp_path, env=env)
    assert res.returncode == 0, res.stderr
    db = tmp_path / "einvoice-trace.db"
    key = tmp_path / "einvoice-trace.key"
    assert db.is_file() and key.is_file() and (tmp_path / "einvoice-trace.pub").is_file()
    assert (tmp_path / "einvoice-trace.checkpoints").is_file()
    assert oct(key.stat().st_mode & 0o777) == "0o600"
    pem = key.read_text()
    assert "PRIVATE KEY" in pem
    from cryptography.hazmat.primitives import serialization

    raw = serialization.load_pem_private_key(pem.encode(), None).private_bytes(  # type: ignore[union-attr]
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    blob = b"".join(p.read_bytes() for p in tmp_path.glob("einvoice-trace.db*"))
    assert raw not in blob and pem.encode() not in blob


def test_encrypted_key_with_a_passphrase(store_url: str, key_path: Path) -> None:
    env = {"EINVOICE_TRACE_KEY_PASSPHRASE": "correct horse"}
    run_cli("trace", "record", "F1", "note", "--field", "text=x", "--store", store_url, env=env)
    res = run_cli("trace", "checkpoint", "--key", str(key_path), "--store", store_url, env=env)
    assert res.returncode == 0, res.stderr
    assert "ENCRYPTED" in key_path.read_text()
    wrong = run_cli(
        "trace",
        "checkpoint",
        "--key",
        str(key_path),
        "--store",
        store_url,
        env={"EINVOICE_TRACE_KEY_PASSPHRASE": "wrong"},
    )
    assert wrong.returncode == 2 and "signing key" in wrong.stderr


def test_read_commands_do_not_create_a_store(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'none.db'}"
    for args in (("verify",), ("log",), ("show", "F1")):
        rc, _, err = _invoke("trace", *args, "--store", url)
        assert rc == 2 and "no trace store" in err
    assert not (tmp_path / "none.db").exists()


def test_unreachable_postgres_is_a_clean_error() -> None:
    rc, _, err = _invoke("trace", "log", "--store", "postgresql://nobody@127.0.0.1:1/none")
    assert rc == 2 and "cannot open the trace store" in err


def test_key_of_another_log_is_refused(tmp_path: Path, key_path: Path) -> None:
    a, b = f"sqlite:///{tmp_path / 'a.db'}", f"sqlite:///{tmp_path / 'b.db'}"
    for url in (a, b):
        _invoke("trace", "record", "F1", "note", "--field", "text=x", "--store", url)
    assert _invoke("trace", "checkpoint", "--key", str(key_path), "--store", a)[0] == 0
    rc, _, err = _invoke("trace", "checkpoint", "--key", str(key_path), "--store", b)
    assert rc == 2 and "signs the log" in err


@pytest.mark.parametrize(
    "name", ["record", "log", "show", "ingest", "verify", "checkpoint", "export"]
)
def test_trace_commands_are_documented(name: str) -> None:
    doc = (ROOT / "docs" / "trace.md").read_text()
    assert f"trace {name}" in doc
