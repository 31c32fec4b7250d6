"""docs/rules/ is generated from the registry and must be up to date."""

from __future__ import annotations

from einvoice_gov.validation import docgen, registry
from tests.conftest import ROOT

DOCS = ROOT / "docs" / "rules"


def test_reference_pages_are_up_to_date() -> None:
    stale = docgen.stale(DOCS)
    assert not stale, (
        f"stale rule pages {stale}: run `python -m einvoice_gov.validation.docgen` "
        "from the repository root"
    )


def test_every_rule_is_on_a_page() -> None:
    pages = docgen.render_all()
    text = "\n".join(pages.values())
    missing = [r.code for r in registry.all_rules() if r.code not in text]
    assert not missing, missing[:20]
    assert "einvoice-gov rules" in pages["index.md"]
