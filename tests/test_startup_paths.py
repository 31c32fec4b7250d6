"""The pieces the ``check`` command uses to start fast: option names importable without the
engines, and the background build of the first file's XML Schema."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from lxml import etree

from einvoice_gov.reports import check_output
from einvoice_gov.validation import batch, engine, options, xsdcache
from einvoice_gov.validation.chains import ChainChoice

from .conftest import ROOT

DEMO = ROOT / "fixtures" / "demo"


def test_options_agree_with_the_modules_that_use_them() -> None:
    assert sorted(options.ENGINE_NAMES) == sorted(engine.ENGINES)
    assert engine.DEFAULT_ENGINE == options.DEFAULT_ENGINE
    assert tuple(c.value for c in ChainChoice) == options.CHAINS
    assert check_output.FORMATS == options.OUTPUT_FORMATS
    assert batch.DEFAULT_TIMEOUT == options.DEFAULT_TIMEOUT


def test_the_check_command_module_loads_neither_pydantic_nor_the_engines() -> None:
    code = (
        "import sys, einvoice_gov.cli.check;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'pydantic'"
        " or m.startswith('einvoice_gov.validation.engine')"
        " or m.startswith('einvoice_gov.native')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_root_key_names_the_schema_of_each_syntax() -> None:
    ubl = (DEMO / "FA-2026-0104-ubl.xml").read_bytes()
    cii = (DEMO / "FA-2026-0101.xml").read_bytes()
    assert xsdcache.root_key(ubl) == "xsd/ubl-invoice"
    assert xsdcache.root_key(cii) == "xsd/cii"
    credit = b'<CreditNote xmlns="urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"/>'
    assert xsdcache.root_key(credit) == "xsd/ubl-creditnote"
    # only the first bytes are needed
    assert xsdcache.root_key(ubl[:600]) == "xsd/ubl-invoice"


def test_root_key_is_none_for_anything_else_and_never_expands_entities() -> None:
    assert xsdcache.root_key(b"%PDF-1.7\n") is None
    assert xsdcache.root_key(b"\x00\xff garbage") is None
    assert xsdcache.root_key(b"<other xmlns='urn:x'/>") is None
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]>'
        b"<r>&c;</r>"
    )
    assert xsdcache.root_key(bomb) is None
    external = (
        b'<?xml version="1.0"?><!DOCTYPE Invoice SYSTEM "http://example.invalid/x.dtd">'
        b'<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"/>'
    )
    assert xsdcache.root_key(external) == "xsd/ubl-invoice"  # the DTD is never fetched


def test_warm_up_builds_the_schema_the_xsd_stage_then_uses(tmp_path: Path) -> None:
    xsdcache._build.cache_clear()
    thread = xsdcache.warm_up([str(DEMO / "FA-2026-0104-ubl.xml")])
    assert thread is not None
    thread.join(timeout=60)
    assert not thread.is_alive()
    info = xsdcache._build.cache_info()
    assert info.currsize == 1
    built = xsdcache.lxml_schema("xsd/ubl-invoice")
    assert xsdcache._build.cache_info().hits == info.hits + 1  # no second build
    assert isinstance(built, etree.XMLSchema)


def test_warm_up_does_nothing_for_folders_pdfs_missing_or_unreadable_files(
    tmp_path: Path,
) -> None:
    assert xsdcache.warm_up([]) is None
    assert xsdcache.warm_up([str(DEMO)]) is None
    assert xsdcache.warm_up([str(tmp_path / "missing.xml")]) is None
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(b"%PDF-1.7\n%%EOF\n")
    assert xsdcache.warm_up([str(pdf)]) is None
