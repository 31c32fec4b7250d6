"""Bad input never crashes and never loses data: each gets a clear error finding."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pypdf import PdfWriter

from einvoice_gov import validate, validate_many

SECRET = "TOP-SECRET-CANARY-4242"

CII_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:'
    'CrossIndustryInvoice:100" xmlns:ram="urn:un:unece:uncefact:data:standard:'
    'ReusableAggregateBusinessInformationEntity:100">'
)


def billion_laughs() -> bytes:
    ents = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10)
    ]
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE lolz [' + "".join(ents) + "]>\n<lolz>&lol9;</lolz>"
    ).encode()


def xxe(secret_file: Path) -> bytes:
    return (
        f'<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM "file://{secret_file}">]>\n'
        + CII_HEAD
        + "<rsm:ExchangedDocument><ram:ID>&x;</ram:ID></rsm:ExchangedDocument>"
        "</rsm:CrossIndustryInvoice>"
    ).encode()


def pdf_bytes(attachments: dict[str, bytes] | None = None, password: str | None = None) -> bytes:
    w = PdfWriter()
    w.add_blank_page(width=595, height=842)
    for name, data in (attachments or {}).items():
        w.add_attachment(name, data)
    if password:
        w.encrypt(user_password=password, owner_password=password + "x")
    buf = io.BytesIO()
    w.write(buf)
    return buf.getvalue()


@pytest.fixture()
def hostile(tmp_path: Path, fixtures: Path) -> dict[str, Path]:
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET)
    good_xml = next(iter(sorted((fixtures / "demo").glob("*.xml")))).read_bytes()
    files = {
        "truncated": good_xml[: len(good_xml) // 2],
        "billion-laughs": billion_laughs(),
        "xxe": xxe(secret),
        "random": os.urandom(4096),
        "empty": b"",
        "encrypted-pdf": pdf_bytes({"factur-x.xml": good_xml}, password="secret"),
        "two-invoices-pdf": pdf_bytes({"factur-x.xml": good_xml, "zugferd-invoice.xml": good_xml}),
        "plain-pdf": pdf_bytes(),
        "broken-pdf": b"%PDF-1.7\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\ntrailer <<",
        "fatturapa": b'<?xml version="1.0"?><p:FatturaElettronica versione="FPR12" '
        b'xmlns:p="http://ivaservizi.agenziaentrate.gov.it/docs/xsd/fatture/v1.2">'
        b"</p:FatturaElettronica>",
        "deep": (b"<a>" * 100_000) + (b"</a>" * 100_000),
    }
    out = {}
    for name, data in files.items():
        p = tmp_path / f"{name}.bin"
        p.write_bytes(data)
        out[name] = p
    big = tmp_path / "huge.xml"
    with open(big, "wb") as fh:  # 100 MB, sparse
        fh.write(b"<a>")
        fh.seek(100 * 1024 * 1024)
        fh.write(b"</a>")
    out["100MB"] = big
    return out


def test_each_hostile_input_is_an_error_finding(hostile: dict[str, Path]) -> None:
    for name, path in hostile.items():
        t0 = time.perf_counter()
        rep = validate(path)
        elapsed = time.perf_counter() - t0
        assert elapsed < 10, (name, elapsed)
        if name == "two-invoices-pdf":
            # Readable, but two invoice attachments is ambiguous: the pdf stage says so.
            assert any(f.stage.value == "pdf" for f in rep.findings), name
            continue
        assert not rep.valid, name
        assert rep.errors(), name
        text = json.dumps(rep.contract())
        assert SECRET not in text, name


def test_batch_goes_on_after_bad_files(hostile: dict[str, Path], fixtures: Path) -> None:
    good = sorted((fixtures / "demo").glob("*.xml"))[0]
    paths = [*hostile.values(), good]
    reps = list(validate_many(paths, jobs=2))
    assert [r.path for r in reps] == [str(p) for p in paths]
    assert all(r.findings or r.valid for r in reps)


def test_cli_on_hostile_inputs_exit_1_no_traceback(hostile: dict[str, Path]) -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "einvoice_gov",
            "check",
            "--format",
            "jsonl",
            "--jobs",
            "2",
            *map(str, hostile.values()),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = [json.loads(x) for x in proc.stdout.splitlines()]
    assert len(lines) == len(hostile)
    assert SECRET not in proc.stdout
    by_name = {Path(x["path"]).stem: x for x in lines}
    for name, rec in by_name.items():
        if name == "two-invoices-pdf":
            continue
        assert rec["valid"] is False, name
        assert any(f["severity"] == "error" for f in rec["findings"]), name
