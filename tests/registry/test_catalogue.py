"""Meta-tests of the catalogue data: no duplicate codes, both languages and a fix hint for every
rule, templates fully filled, our own words, canonical file format, fast lazy loading."""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest

from einvoice_gov.validation import registry
from einvoice_gov.validation.catalog.census import RULE_ARTEFACTS, artefact_asserts
from einvoice_gov.validation.catalog.refresh import catalogue_dir, dumps
from einvoice_gov.validation.rules import catalog

FILES = catalog.catalogue_files()
TERM = re.compile(r"^(?:BT|BG)-(?:X-)?\d+$|^EXT-FR-FE-(?:BG-)?\d+$")


def _pairs_no_dup(pairs: list[tuple[str, object]]) -> dict[str, object]:
    keys = Counter(k for k, _ in pairs)
    dup = [k for k, n in keys.items() if n > 1]
    assert not dup, f"duplicate keys {dup}"
    return dict(pairs)


@pytest.mark.parametrize("name", FILES)
def test_file_has_no_duplicate_codes_and_is_canonical(name: str) -> None:
    text = (catalogue_dir() / name).read_text("utf-8")
    doc = json.loads(text, object_pairs_hook=_pairs_no_dup)
    assert doc["rules"], f"{name} is empty"
    assert dumps(doc) == text, f"{name} is not in canonical form (refresh.dumps)"


def test_no_code_in_two_places() -> None:
    seen: dict[str, str] = {}
    for name in FILES:
        for code in catalog.load_file(name)["rules"]:
            assert code not in seen, f"{code} in {seen[code]} and {name}"
            seen[code] = name
            assert catalog.file_for(code) == name, f"{code} is in {name} but routes elsewhere"
    both = set(seen) & set(registry.declared_codes())
    assert not both, f"codes both declared with rule() and catalogued: {sorted(both)}"


def test_every_rule_has_both_messages_and_fix_hints() -> None:
    bad = []
    for r in registry.all_rules():
        for field in ("en", "fr"):
            if not getattr(r, field).strip():
                bad.append(f"{r.code}: empty {field}")
        if r.applies or r.code.startswith("FX-"):  # catalogued: a fix hint in both languages
            for field in ("fix_en", "fix_fr"):
                if not getattr(r, field).strip():
                    bad.append(f"{r.code}: empty {field}")
        if r.en.strip() == r.fr.strip():
            bad.append(f"{r.code}: French and English messages are the same")
    assert not bad, bad[:30]


def test_templates_are_fully_filled() -> None:
    left = []
    for r in registry.all_rules():
        texts = [r.en, r.fr, r.fix_en, r.fix_fr, r.notes]
        texts += [getattr(v, f) for v in r.variants for f in ("en", "fr", "fix_en", "fix_fr")]
        for t in texts:
            if re.search(r"\{(?!detail\})[a-z_]+\}", t):
                left.append((r.code, t))
    assert not left, left[:10]


def _catalogued_codes() -> set[str]:
    return {code for name in FILES for code in catalog.load_file(name)["rules"]}


def test_business_terms_and_applies_are_well_formed() -> None:
    codes = _catalogued_codes()
    for r in registry.all_rules():
        if r.code not in codes:
            continue
        assert all(TERM.match(t) for t in r.bt), (r.code, r.bt)
        arts = [a.artefact for a in r.applies]
        assert len(arts) == len(set(arts)), (r.code, arts)
        assert set(arts) <= set(RULE_ARTEFACTS), (r.code, arts)
        assert r.mirrors and r.mirrors != "einvoice-gov", r.code


def _norm(text: str) -> str:
    text = re.sub(r"^\[?[A-Z][\w/ -]*?\]?\s*[-:]\s*", "", text.strip())
    return re.sub(r"\W+", " ", text).strip().casefold()


def test_messages_are_our_own_words() -> None:
    """No message equals, or contains, an official artefact's text."""
    official: set[str] = set()
    for key in RULE_ARTEFACTS:
        for a in artefact_asserts(key) or ():
            t = _norm(a.text)
            if len(t) >= 30:
                official.add(t)
    assert len(official) > 500
    copied = []
    for r in registry.all_rules():
        for field in ("en", "fr", "fix_en", "fix_fr"):
            ours = _norm(getattr(r, field))
            if ours and (ours in official or any(o in ours for o in official if len(o) >= 60)):
                copied.append((r.code, field))
    assert not copied, copied[:20]


def test_lookup_loads_only_the_family_file() -> None:
    """``get`` parses one family file, not the whole catalogue (the CLI must start fast)."""
    catalog.load_file.cache_clear()
    catalog._rule.cache_clear()
    catalog._rules_of.cache_clear()
    assert registry.get("BR-CO-15") is not None
    assert catalog.load_file.cache_info().currsize == 1
    assert registry.get("UBL-CR-001") is not None
    assert catalog.load_file.cache_info().currsize == 2
