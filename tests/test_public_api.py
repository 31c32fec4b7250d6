from __future__ import annotations

import einvoice_gov


def test_all_is_sorted_and_exported() -> None:
    assert list(einvoice_gov.__all__) == sorted(einvoice_gov.__all__)
    for name in einvoice_gov.__all__:
        assert hasattr(einvoice_gov, name), name


def test_public_names_have_docstrings() -> None:
    for name in ("validate", "validate_many", "iter_files", "Report", "Finding"):
        assert getattr(einvoice_gov, name).__doc__, name
