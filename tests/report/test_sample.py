"""``einvoice-gov sample``: reproducible stratified samples for the accountant."""

from __future__ import annotations

import json
import random
from collections import Counter
from pathlib import Path

import pytest

from einvoice_gov.reports.sample import allocate, draw_sample
from tests.report.conftest import DEMO, run_cli

#: supplier SIREN -> how many invoices it issued in the synthetic folder
SUPPLIERS = {"175006691": 8, "261973069": 6, "140260662": 4, "383474814": 2}
TEMPLATE = DEMO / "FA-2026-0101.xml"


@pytest.fixture(scope="module")
def population(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, tuple[str, str]]]:
    """20 invoices from 4 suppliers over 4 months; every 5th one loses its seller SIREN.

    Returns the folder and file -> (supplier SIREN, month).
    """
    folder = tmp_path_factory.mktemp("population")
    text = TEMPLATE.read_text("utf-8")
    truth: dict[str, tuple[str, str]] = {}
    n = 0
    for siren, count in SUPPLIERS.items():
        for _ in range(count):
            n += 1
            month = 9 + n % 4
            body = (
                text.replace("FA-2026-0101", f"FS-{n:04d}")
                .replace("175006691", siren)
                .replace("20261002", f"2026{month:02d}15")
                .replace("20261101", "20270131")  # due date after every issue date
            )
            if n % 5 == 0:  # an invalid one: the seller's legal id is gone
                body = body.replace(
                    f'<ram:SpecifiedLegalOrganization><ram:ID schemeID="0002">{siren}</ram:ID>'
                    "</ram:SpecifiedLegalOrganization>",
                    "",
                )
            path = folder / f"FS-{n:04d}.xml"
            path.write_text(body, encoding="utf-8")
            truth[str(path)] = (siren, f"2026-{month:02d}")
    return folder, truth


def _jsonl(args: list[str]) -> list[dict[str, object]]:
    code, out = run_cli(["sample", *args, "--format", "jsonl"])
    assert code == 0, out
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def test_same_seed_same_files_other_seed_other_files(
    population: tuple[Path, dict[str, tuple[str, str]]],
) -> None:
    folder, truth = population
    args = [str(folder), "--size", "8", "--by", "supplier"]
    first = _jsonl([*args, "--seed", "2026"])
    again = _jsonl([*args, "--seed", "2026"])
    other = _jsonl([*args, "--seed", "2027"])
    assert [r["path"] for r in first] == [r["path"] for r in again]
    assert len(first) == 8
    assert {r["path"] for r in first} != {r["path"] for r in other}
    for r in first:
        assert set(r) >= {"path", "verdict"}
        assert r["verdict"] in ("valid", "invalid")
        assert r["path"] in truth


def test_seeds_draw_differently_across_many_seeds(
    population: tuple[Path, dict[str, tuple[str, str]]],
) -> None:
    folder, _ = population
    draws = {
        tuple(i.path for i in draw_sample([folder], size=5, seed=s, by="month").items)
        for s in range(6)
    }
    assert len(draws) >= 5  # 6 seeds, C(20,5) = 15 504 possible draws


def test_supplier_strata_are_respected(
    population: tuple[Path, dict[str, tuple[str, str]]],
) -> None:
    folder, truth = population
    size = 7
    rows = _jsonl([str(folder), "--size", str(size), "--seed", "7", "--by", "supplier"])
    assert len(rows) == size
    per = Counter(str(r["stratum"]) for r in rows)
    assert set(per) == set(SUPPLIERS)  # every supplier represented
    total = sum(SUPPLIERS.values())
    for siren, count in SUPPLIERS.items():
        assert abs(per[siren] - size * count / total) <= 1  # proportional share, within 1
    for r in rows:
        assert truth[str(r["path"])][0] == r["stratum"]  # each file in its own stratum


def test_month_and_verdict_strata(population: tuple[Path, dict[str, tuple[str, str]]]) -> None:
    folder, truth = population
    months = draw_sample([folder], size=8, seed="m", by="month")
    assert {i.stratum for i in months.items} == {f"2026-{m:02d}" for m in (9, 10, 11, 12)}
    for item in months.items:
        assert truth[item.path][1] == item.stratum
    verdicts = draw_sample([folder], size=6, seed="v", by="verdict", jobs=1)
    assert verdicts.strata["invalid"] == 4 and verdicts.strata["valid"] == 16
    assert {i.stratum for i in verdicts.items} == {"valid", "invalid"}
    for item in verdicts.items:
        assert item.stratum == item.verdict


def test_allocate() -> None:
    rng = random.Random(1)
    sizes = {"a": 50, "b": 30, "c": 15, "d": 5}
    assert allocate(sizes, 10, rng) == {"a": 5, "b": 3, "c": 1, "d": 1}
    assert allocate(sizes, 500, rng) == sizes  # never more than a stratum holds
    small = allocate(sizes, 2, rng)
    assert sum(small.values()) == 2 and all(v <= 1 for v in small.values())
    assert allocate({"x": 1, "y": 9}, 4, rng) == {"x": 1, "y": 3}
    assert sum(allocate({"x": 3, "y": 3, "z": 3}, 7, rng).values()) == 7


def test_sample_html_puts_findings_next_to_their_fields(tmp_path: Path) -> None:
    out = tmp_path / "sample.html"
    code, text = run_cli(["sample", str(DEMO), "--size", "7", "--seed", "1", "-o", str(out)])
    assert code == 0, text
    html = out.read_text("utf-8")
    assert "<script" not in html and "default-src 'none'" in html
    for f in sorted(DEMO.iterdir()):
        assert f"{DEMO.name}/{f.name}" in html or str(f) in html
    card = html[html.index("FA-2026-0103.xml <span") :]
    card = card[: card.index('<section class="inv"', 10)]
    # BR-FR-11 (buyer SIREN, BT-47) sits in the buyer box, BR-CO-15 (totals) in the totals box
    buyer, lines = card.index("Acheteur"), card.index("Lignes")
    assert buyer < card.index("BR-FR-11") < lines
    assert card.index("Totaux") < card.index("BR-CO-15")
    assert "Garage Lemaire SAS" in card and "Porte coupe-feu" in card


def test_sample_size_larger_than_the_folder() -> None:
    rows = _jsonl([str(DEMO), "--size", "50", "--seed", "x"])
    assert sorted(str(r["path"]) for r in rows) == sorted(str(p) for p in DEMO.iterdir())
