"""RFC 3161 timestamps of checkpoints, against local timestamp authorities (no network).

Two TSAs: one written here on the library's DER writer (which can also misbehave), and
``openssl ts -reply`` (an independent implementation; skipped without the command).
"""

from __future__ import annotations

import base64
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from einvoice_gov.cli import cli
from einvoice_gov.trace import Ledger, der, export_bundle, open_store
from einvoice_gov.trace.checkpoints import pinned_path, read_pinned, read_pinned_timestamps
from einvoice_gov.trace.timestamp import (
    TimestampError,
    check_token,
    make_request,
    parse_response,
    parse_token,
)

from .conftest import tamper
from .test_bundle import VERIFIER, _run_verifier
from .tsa import TSA, has_openssl_ts, serve

BACKENDS = [
    "python",
    pytest.param(
        "openssl",
        marks=pytest.mark.skipif(not has_openssl_ts(), reason="openssl ts is not installed"),
    ),
]


@pytest.fixture(scope="module")
def rsa_tsa(tmp_path_factory: pytest.TempPathFactory) -> TSA:
    return TSA(tmp_path_factory.mktemp("tsa-rsa"))


@pytest.fixture(scope="module")
def ec_tsa(tmp_path_factory: pytest.TempPathFactory) -> TSA:
    return TSA(tmp_path_factory.mktemp("tsa-ec"), key_type="ec")


@pytest.fixture
def tsa(rsa_tsa: TSA) -> Iterator[TSA]:
    rsa_tsa.backend, rsa_tsa.misbehave = "python", None
    yield rsa_tsa
    rsa_tsa.backend, rsa_tsa.misbehave = "python", None


def _log(url: str, key: Path, n: int = 30) -> None:
    with open_store(url) as store:
        ledger = Ledger(store, key=key)
        for i in range(n):
            ledger.record(f"F{i % 4}", "note", {"text": str(i)})


def _cli(*args: str) -> tuple[int, str, str]:
    res = CliRunner().invoke(cli, list(args))
    return res.exit_code, res.stdout, res.stderr


# -- DER -------------------------------------------------------------------------------------------


def test_der_round_trip_and_strictness() -> None:
    for n in (0, 1, 127, 128, 255, 256, -1, -128, -129, 2**64 + 5):
        assert der.parse(der.integer(n)).as_int() == n
    for o in ("1.2.840.113549.1.9.16.1.4", "2.16.840.1.101.3.4.2.1", "1.3.101.112", "2.999.3"):
        assert der.parse(der.oid(o)).as_oid() == o
    long = der.octet_string(bytes(300))
    assert der.parse(long).as_bytes() == bytes(300)
    for bad in (
        b"\x30\x80\x00\x00",  # indefinite length
        b"\x04\x81\x05abcde",  # long form for a short length
        der.integer(5) + b"\x00",  # bytes after the element
        b"\x02\x02\x00\x05",  # non-minimal INTEGER
        b"\x04\x05abc",  # truncated
        b"\x30\x03\x04\x05a",  # truncated inside
    ):
        with pytest.raises(der.DerError):
            t = der.parse(bad)
            t.as_int() if t.tag == der.INTEGER else None


def test_request_and_python_reply_check(tsa: TSA) -> None:
    note = b"einvoice-gov/trace/x\n3\nroot\n"
    query = make_request(note, nonce=12345)
    token = parse_response(tsa.reply(query))
    info = check_token(token, note, tsa.cert)
    assert info.nonce == 12345 and info.signature == "checked" and "Test TSA" in (info.tsa or "")
    assert parse_token(token).serial == info.serial
    with pytest.raises(TimestampError, match="other bytes"):
        check_token(token, note + b" ", tsa.cert)
    other = TSA(tsa.dir / "other")
    with pytest.raises(TimestampError):
        check_token(token, note, other.cert)
    unchecked = check_token(token, note)
    assert unchecked.signature == "unchecked" and unchecked.tsa is None


def test_a_certificate_without_the_timestamping_purpose_is_refused(tmp_path: Path) -> None:
    plain = TSA(tmp_path / "plain", eku=False)
    note = b"n"
    token = parse_response(plain.reply(make_request(note, nonce=1)))
    with pytest.raises(TimestampError, match="not a TSA"):
        check_token(token, note, plain.cert)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("which", ["rsa", "ec"])
def test_tokens_from_both_implementations_check(
    rsa_tsa: TSA, ec_tsa: TSA, backend: str, which: str
) -> None:
    t = rsa_tsa if which == "rsa" else ec_tsa
    t.backend = backend
    try:
        note = b"a checkpoint note\n"
        token = parse_response(t.reply(make_request(note, nonce=77)))
    finally:
        t.backend = "python"
    info = check_token(token, note, t.cert)
    assert info.nonce == 77 and info.signature == "checked"
    flipped = bytearray(token)
    flipped[-5] ^= 1  # inside the signature
    with pytest.raises(TimestampError):
        check_token(bytes(flipped), note, t.cert)


# -- trace checkpoint --tsa / trace verify --tsa-cert --------------------------------------------


@pytest.mark.parametrize("backend", BACKENDS)
def test_checkpoint_timestamped_then_verified(
    store_url: str, key_path: Path, tsa: TSA, backend: str
) -> None:
    tsa.backend = backend
    _log(store_url, key_path)
    cert = str(tsa.cert_path)
    with serve(tsa) as url:
        rc, out, err = _cli(
            "trace", "checkpoint", "--format", "json", "--tsa", url, "--tsa-cert", cert,
            "--store", store_url, "--key", str(key_path),
        )  # fmt: skip
    assert rc == 0, err
    doc = json.loads(out)
    assert doc["size"] == 30 and doc["timestamp"]["signature"] == "checked"
    # kept in both places, beside the checkpoint
    ((cp, token),) = read_pinned_timestamps(pinned_path(key_path))
    assert cp.size == 30 and cp.note == doc["note"]
    with open_store(store_url) as store:
        (stored,) = store.timestamps()
    assert stored.token == token and stored.size == 30
    assert len(read_pinned(pinned_path(key_path))) == 2  # the plain line and the stamped one

    rc, out, _ = _cli(
        "trace", "verify", "--format", "json", "--tsa-cert", cert,
        "--store", store_url, "--key", str(key_path),
    )  # fmt: skip
    res = json.loads(out)
    assert rc == 0 and res["ok"] is True, res
    (ts,) = res["timestamps"]
    assert ts["size"] == 30 and ts["signature"] == "checked" and "Test TSA" in ts["tsa"]
    assert sorted(ts["sources"]) == sorted(["database", str(pinned_path(key_path))])
    assert ts["gen_time"] == doc["timestamp"]["gen_time"]

    # without the certificate: still checked against the note, signature left unchecked
    rc, out, _ = _cli(
        "trace", "verify", "--format", "json", "--store", store_url, "--key", str(key_path)
    )
    res = json.loads(out)
    assert rc == 0 and res["timestamps"][0]["signature"] == "unchecked"
    assert any("--tsa-cert" in w for w in res["warnings"])


@pytest.mark.skipif(not has_openssl_ts(), reason="openssl ts is not installed")
def test_a_kept_token_verifies_with_openssl(
    store_url: str, key_path: Path, tsa: TSA, tmp_path: Path
) -> None:
    """The kept token is plain RFC 3161: OpenSSL checks it against the note on its own."""
    import subprocess

    _log(store_url, key_path)
    with open_store(store_url) as store, serve(tsa) as url:
        cp, _ = Ledger(store, key=key_path).timestamp(url)
    ((_, token),) = read_pinned_timestamps(pinned_path(key_path))
    (tmp_path / "note.txt").write_bytes(cp.note.encode("utf-8"))
    (tmp_path / "token.der").write_bytes(token)
    cmd = ["openssl", "ts", "-verify", "-data", "note.txt", "-in", "token.der", "-token_in"]
    ok = subprocess.run(
        [*cmd, "-CAfile", str(tsa.cert_path)], cwd=tmp_path, capture_output=True, text=True
    )
    assert ok.returncode == 0 and "Verification: OK" in ok.stdout, ok.stderr
    (tmp_path / "note.txt").write_bytes(cp.note.encode("utf-8") + b" ")
    bad = subprocess.run(
        [*cmd, "-CAfile", str(tsa.cert_path)], cwd=tmp_path, capture_output=True, text=True
    )
    assert bad.returncode != 0


def test_a_tampered_token_or_another_tsa_fails_verification(
    store_url: str, key_path: Path, tsa: TSA
) -> None:
    _log(store_url, key_path)
    with open_store(store_url) as store, serve(tsa) as url:
        Ledger(store, key=key_path).timestamp(url, tsa_cert=tsa.cert)
    args = ("trace", "verify", "--format", "json", "--store", store_url, "--key", str(key_path))
    other = TSA(tsa.dir / "another")
    rc, out, _ = _cli(*args, "--tsa-cert", str(other.cert_path))
    res = json.loads(out)
    assert rc == 1 and res["code"] == "checkpoint_invalid" and "timestamp" in res["reason"]

    # the database copy edited: the pinned copy still checks, the edited one does not
    with open_store(store_url) as store:
        (st,) = store.timestamps()
    bad = bytearray(st.token)
    bad[-2] ^= 0x01  # in the TSA's signature (the certificates inside are not signed)
    tamper(store_url, "INSERT INTO trace_timestamps (size, token, created) VALUES (%s, %s, %s)",
           (st.size, bytes(bad), st.created))  # fmt: skip
    rc, out, _ = _cli(*args, "--tsa-cert", str(tsa.cert_path))
    res = json.loads(out)
    assert rc == 1 and res["code"] == "checkpoint_invalid" and "database" in res["reason"]


@pytest.mark.parametrize(
    ("misbehave", "message"),
    [("nonce", "nonce"), ("imprint", "other bytes"), ("refuse", "refused")],
)
def test_a_tsa_answer_that_does_not_check_stores_nothing(
    store_url: str, key_path: Path, tsa: TSA, misbehave: str, message: str
) -> None:
    _log(store_url, key_path)
    tsa.misbehave = misbehave
    with serve(tsa) as url:
        rc, _, err = _cli(
            "trace", "checkpoint", "--tsa", url, "--store", store_url, "--key", str(key_path)
        )
    assert rc == 2 and message in err
    assert read_pinned_timestamps(pinned_path(key_path)) == []
    with open_store(store_url) as store:
        assert store.timestamps() == []


def test_an_unreachable_tsa_is_a_usage_error(store_url: str, key_path: Path) -> None:
    _log(store_url, key_path, n=3)
    rc, _, err = _cli(
        "trace", "checkpoint", "--tsa", "http://127.0.0.1:9/none",
        "--store", store_url, "--key", str(key_path),
    )  # fmt: skip
    assert rc == 2 and "did not answer" in err
    rc, _, err = _cli(
        "trace", "checkpoint", "--tsa", "file:///etc/passwd",
        "--store", store_url, "--key", str(key_path),
    )  # fmt: skip
    assert rc == 2 and "http" in err


# -- the auditor bundle ----------------------------------------------------------------------------


def _bundle(store_url: str, key_path: Path, tsa: TSA, tmp_path: Path) -> Path:
    _log(store_url, key_path)
    with open_store(store_url) as store, serve(tsa) as url:
        ledger = Ledger(store, key=key_path)
        ledger.timestamp(url, tsa_cert=tsa.cert)  # an earlier, timestamped checkpoint
        ledger.record("F1", "note", {"text": "later"})
        ledger.timestamp(url, tsa_cert=tsa.cert)  # the bundle's own
        out = tmp_path / "F1.zip"
        export_bundle(store, "F1", out, key=key_path)
    return out


def test_bundle_timestamps_checked_by_the_standalone_verifier(
    store_url: str, key_path: Path, tsa: TSA, tmp_path: Path
) -> None:
    out = _bundle(store_url, key_path, tsa, tmp_path)
    with zipfile.ZipFile(out) as z:
        doc: dict[str, Any] = json.loads(z.read("bundle.json"))
        z.extract("verify_bundle.py", tmp_path / "aud")
    assert len(doc["timestamps"]) == 2
    script = tmp_path / "aud" / "verify_bundle.py"
    vkey = key_path.with_suffix(".pub").read_text().strip()
    ok = _run_verifier(script, str(out), "--key", vkey, "--tsa-cert", str(tsa.cert_path), "--json")
    res = json.loads(ok.stdout)
    assert ok.returncode == 0 and res["ok"], res
    assert sum("existed at" in f and "signature checked" in f for f in res["facts"]) == 2

    no_cert = _run_verifier(script, str(out), "--key", vkey, "--json")
    res = json.loads(no_cert.stdout)
    assert no_cert.returncode == 0 and any("--tsa-cert" in w for w in res["warnings"])

    other = TSA(tmp_path / "other-tsa")
    wrong = _run_verifier(script, str(out), "--key", vkey, "--tsa-cert", str(other.cert_path))
    assert wrong.returncode == 1 and "timestamp" in wrong.stdout


def test_bundle_with_an_edited_token_fails(
    store_url: str, key_path: Path, tsa: TSA, tmp_path: Path
) -> None:
    out = _bundle(store_url, key_path, tsa, tmp_path)
    with zipfile.ZipFile(out) as z:
        doc: dict[str, Any] = json.loads(z.read("bundle.json"))
        names = {n: z.read(n) for n in z.namelist()}
    token = bytearray(base64.b64decode(doc["timestamps"][0]["token"]))
    token[-3] ^= 0x01
    doc["timestamps"][0]["token"] = base64.b64encode(bytes(token)).decode()
    names["bundle.json"] = json.dumps(doc).encode()
    edited = tmp_path / "edited.zip"
    with zipfile.ZipFile(edited, "w") as z:
        for n, data in names.items():
            z.writestr(n, data)
    vkey = key_path.with_suffix(".pub").read_text().strip()
    res = _run_verifier(VERIFIER, str(edited), "--key", vkey, "--tsa-cert", str(tsa.cert_path))
    assert res.returncode == 1 and "timestamp of checkpoint" in res.stdout
