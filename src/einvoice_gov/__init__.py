"""einvoice-gov: validate, trace and report French e-invoices (Factur-X, CII, UBL).

The public API::

    import einvoice_gov
    report = einvoice_gov.validate("invoice.pdf", chain="fr", lang="fr")
    for finding in report.most_relevant():
        print(finding.rule, finding.message)

    for report in einvoice_gov.validate_many(["exports/"], jobs=4):
        ...
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from einvoice_gov._version import __version__

if TYPE_CHECKING:
    from einvoice_gov.errors import (
        EinvoiceError,
        EngineError,
        InputError,
        IntegrityError,
        StoreError,
        UnknownFormatError,
        UnsafeInputError,
    )
    from einvoice_gov.validation.batch import iter_files, validate_many
    from einvoice_gov.validation.chains import ChainChoice
    from einvoice_gov.validation.engine import validate
    from einvoice_gov.validation.findings import Finding, Report, Severity, Stage, StageStatus

#: public name -> module that defines it. Imported on first access: importing a submodule
#: (the CLI, a command) must not pay for the whole validation stack (start-up time).
_LAZY = {
    "ChainChoice": "einvoice_gov.validation.chains",
    "EinvoiceError": "einvoice_gov.errors",
    "EngineError": "einvoice_gov.errors",
    "Finding": "einvoice_gov.validation.findings",
    "InputError": "einvoice_gov.errors",
    "IntegrityError": "einvoice_gov.errors",
    "Report": "einvoice_gov.validation.findings",
    "Severity": "einvoice_gov.validation.findings",
    "Stage": "einvoice_gov.validation.findings",
    "StageStatus": "einvoice_gov.validation.findings",
    "StoreError": "einvoice_gov.errors",
    "UnknownFormatError": "einvoice_gov.errors",
    "UnsafeInputError": "einvoice_gov.errors",
    "iter_files": "einvoice_gov.validation.batch",
    "validate": "einvoice_gov.validation.engine",
    "validate_many": "einvoice_gov.validation.batch",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'einvoice_gov' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY])


__all__ = [
    "ChainChoice",
    "EinvoiceError",
    "EngineError",
    "Finding",
    "InputError",
    "IntegrityError",
    "Report",
    "Severity",
    "Stage",
    "StageStatus",
    "StoreError",
    "UnknownFormatError",
    "UnsafeInputError",
    "__version__",
    "iter_files",
    "validate",
    "validate_many",
]
