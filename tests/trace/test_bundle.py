"""The auditor bundle and its standalone verifier (no einvoice_gov, no database)."""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

from einvoice_gov.trace import Archive, Event, Ledger, export_bundle, open_store
from einvoice_gov.trace.bundle import verifier_source

VERIFIER = Path(__file__).resolve().parents[2] / "src/einvoice_gov/trace/verify_bundle.py"


def _run_verifier(script: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the verifier with einvoice_gov made unimportable, from a directory of its own."""
    guard = (
        "import sys, runpy; sys.modules['einvoice_gov'] = None; "
        f"sys.argv = {[str(script), *args]!r}; runpy.run_path({str(script)!r}, run_name='__main__')"
    )
    return subprocess.run(
        [sys.executable, "-I", "-c", guard],
        cwd=script.parent,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _populate(url: str, key: Path, archive: Archive) -> None:
    with open_store(url) as store:
        ledger = Ledger(store, key=key)
        doc = archive.put(b"<Invoice>F7</Invoice>")
        ledger.record("F7", "issued", {"sha256": doc.sha256, "verdict": "valid"})
        for i in range(40):  # other invoices around it
            ledger.record(f"X{i}", "note", {"text": str(i)})
        ledger.record("F7", "status", {"code": "200"})
        ledger.checkpoint()  # an earlier checkpoint the auditor may hold
        for i in range(25):
            ledger.record(f"Y{i}", "note", {"text": str(i)})
        ledger.record("F7", "status", {"code": "212", "amounts": [{"amount": "10.00"}]})
        ledger.record("F7", "archived", {"object": doc.sha256})


@pytest.fixture
def bundle(store_url: str, key_path: Path, tmp_path: Path) -> tuple[Path, Path, str]:
    arch = Archive(tmp_path / "archive")
    _populate(store_url, key_path, arch)
    out = tmp_path / "out" / "F7.zip"
    with open_store(store_url) as store:
        export_bundle(store, "F7", out, key=key_path, archive=arch)
    vkey = key_path.with_suffix(".pub").read_text().strip()
    return out, key_path, vkey


def test_verifier_imports_only_the_standard_library_and_cryptography() -> None:
    tree = ast.parse(VERIFIER.read_text())
    mods = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            mods |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            mods.add(node.module.split(".")[0])
    allowed = set(sys.stdlib_module_names) | {"cryptography", "__future__"}
    assert mods <= allowed, mods - allowed
    assert verifier_source() == VERIFIER.read_text()


def test_bundle_verifies_standalone(bundle: tuple[Path, Path, str], tmp_path: Path) -> None:
    out, _key, vkey = bundle
    with zipfile.ZipFile(out) as z:
        names = set(z.namelist())
        doc = json.loads(z.read("bundle.json"))
    assert {"bundle.json", "verify_bundle.py", "README.txt"} <= names
    assert [json.loads(e["entry"])["invoice"] for e in doc["entries"]] == ["F7"] * 4
    assert len(doc["files"]) == 1 and doc["consistency"]
    alone = tmp_path / "auditor"
    alone.mkdir()
    with zipfile.ZipFile(out) as z:
        z.extract("verify_bundle.py", alone)
    shutil.copy(out, alone / "F7.zip")
    res = _run_verifier(alone / "verify_bundle.py", "F7.zip", "--key", vkey, "--json")
    assert res.returncode == 0, res.stdout + res.stderr
    report = json.loads(res.stdout)
    assert report["ok"] and not report["errors"]
    assert any("200 → 212" in f for f in report["facts"])
    # without --key it still checks, and says the key came from the bundle itself
    res = _run_verifier(alone / "verify_bundle.py", "F7.zip", "--json")
    assert res.returncode == 0 and any("no --key" in w for w in json.loads(res.stdout)["warnings"])


def _rewrite(src: Path, dst: Path, edit: Any) -> Path:
    with zipfile.ZipFile(src) as z:
        members = {n: z.read(n) for n in z.namelist()}
    doc = json.loads(members["bundle.json"])
    edit(doc, members)
    members["bundle.json"] = json.dumps(doc).encode()
    with zipfile.ZipFile(dst, "w") as z:
        for n, data in members.items():
            z.writestr(n, data)
    return dst


def _flip_entry(doc: dict[str, Any], _m: dict[str, bytes]) -> None:
    doc["entries"][1]["entry"] = doc["entries"][1]["entry"].replace('"200"', '"210"')


def _recompute_hash(doc: dict[str, Any], _m: dict[str, bytes]) -> None:
    from hashlib import sha256

    e = doc["entries"][1]
    e["entry"] = e["entry"].replace('"200"', '"210"')
    e["hash"] = sha256(b"\x00" + e["entry"].encode()).hexdigest()


def _drop_middle(doc: dict[str, Any], _m: dict[str, bytes]) -> None:
    del doc["entries"][1]


def _bad_proof(doc: dict[str, Any], _m: dict[str, bytes]) -> None:
    p = doc["entries"][0]["inclusion"]
    p[0] = ("0" if p[0][0] != "0" else "1") + p[0][1:]


def _forged_checkpoint(doc: dict[str, Any], _m: dict[str, bytes]) -> None:
    lines = doc["checkpoint"].split("\n")
    lines[1] = str(int(lines[1]) + 1)
    doc["checkpoint"] = "\n".join(lines)


def _swapped_file(doc: dict[str, Any], m: dict[str, bytes]) -> None:
    m[doc["files"][0]["path"]] = b"<Invoice>F7 edited</Invoice>"


def _bad_consistency(doc: dict[str, Any], _m: dict[str, bytes]) -> None:
    doc["consistency"][0]["proof"] = doc["consistency"][0]["proof"][1:]


@pytest.mark.parametrize(
    "edit",
    [
        _flip_entry,
        _recompute_hash,
        _drop_middle,
        _bad_proof,
        _forged_checkpoint,
        _swapped_file,
        _bad_consistency,
    ],
)
def test_tampered_bundles_fail(bundle: tuple[Path, Path, str], tmp_path: Path, edit: Any) -> None:
    out, _key, vkey = bundle
    bad = _rewrite(out, tmp_path / "bad.zip", edit)
    res = _run_verifier(VERIFIER, str(bad), "--key", vkey, "--json")
    assert res.returncode == 1, res.stdout + res.stderr
    assert json.loads(res.stdout)["errors"]


def test_wrong_key_fails(bundle: tuple[Path, Path, str], tmp_path: Path) -> None:
    from einvoice_gov.trace import SigningKey

    out, _key, _vkey = bundle
    other = SigningKey.create(tmp_path / "other.key", "einvoice-gov/trace/other")
    res = _run_verifier(VERIFIER, str(out), "--key", other.public.vkey())
    assert res.returncode == 1 and "FAILED" in res.stdout and "signature" in res.stdout


def test_pinned_checkpoint_consistency_and_fork(
    bundle: tuple[Path, Path, str], store_url: str, tmp_path: Path
) -> None:
    out, key, vkey = bundle
    with open_store(store_url) as store:
        earliest = store.checkpoints()[0]
    held = tmp_path / "held.note"
    held.write_text(earliest.note)
    ok = _run_verifier(VERIFIER, str(out), "--key", vkey, "--checkpoint", str(held), "--json")
    assert ok.returncode == 0, ok.stdout
    assert any("is a prefix" in f for f in json.loads(ok.stdout)["facts"])

    # a forked history signed by the same key at the same size is caught
    from einvoice_gov.trace.checkpoints import SigningKey, sign_checkpoint

    sk = SigningKey.load(key, earliest.note.split("\n")[0])
    fork = sign_checkpoint(sk, earliest.note.split("\n")[0], 43, b"\x07" * 32)
    forked = tmp_path / "fork.note"
    forked.write_text(fork.note)
    bad = _run_verifier(VERIFIER, str(out), "--key", vkey, "--checkpoint", str(forked), "--json")
    assert bad.returncode == 1, bad.stdout


def test_export_of_an_unknown_invoice_is_an_error(store_url: str, key_path: Path) -> None:
    from einvoice_gov.errors import StoreError

    with open_store(store_url) as store:
        store.append([Event.new("F1", "note", {"text": "x"})])
        with pytest.raises(StoreError):
            export_bundle(store, "F404", key_path.parent / "x.zip", key=key_path)
    assert not os.path.exists(key_path.parent / "x.zip")
