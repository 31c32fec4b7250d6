"""Damaged PDFs never crash the reader, the pdf stage nor the readiness stage, whatever the
backend: they are read (and judged) or refused with an ``InputError``."""

from __future__ import annotations

import random

import pytest

from einvoice_gov.errors import InputError
from einvoice_gov.formats.document import load
from einvoice_gov.validation import pdfchecks, readiness
from tests.pdf.conftest import cii, corpus_dir, make_pdf


def mutate(data: bytes, rng: random.Random) -> bytes:
    d = bytearray(data)
    for _ in range(rng.randint(1, 20)):
        if not d:
            break
        op, pos = rng.random(), rng.randrange(len(d))
        if op < 0.5:
            d[pos] = rng.randrange(256)
        elif op < 0.8:
            del d[pos : pos + rng.randint(1, 200)]
        else:
            d[pos:pos] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 50)))
    return bytes(d)


def seeds() -> list[bytes]:
    out = [
        make_pdf(cii()),
        make_pdf(cii(), compress=False),
        make_pdf(cii(), extra=[("bon.pdf", b"%PDF-1.4 x", "application/pdf")]),
    ]
    root = corpus_dir()
    if root.is_dir():
        out += [p.read_bytes() for p in sorted(root.rglob("*.pdf"))[:40] if p.stat().st_size > 64]
    return out


@pytest.mark.parametrize("seed", range(6))
def test_mutated_pdfs_never_crash(
    seed: int, backend: str, capsys: pytest.CaptureFixture[str]
) -> None:
    rng = random.Random(seed)
    pool = seeds()
    read = refused = 0
    for _ in range(25):
        data = mutate(rng.choice(pool), rng)
        try:
            doc = load(data, name="mutant.pdf")
        except InputError:
            refused += 1
            continue
        read += 1
        for lang in ("fr", "en"):
            pdfchecks.check(doc, lang)
            readiness.check(doc, lang)
    assert read + refused == 25
    # no library chatter on the user's terminal
    captured = capsys.readouterr()
    assert captured.err == "" and captured.out == ""
