"""einvoice-gov: validate, trace and report French e-invoices (Factur-X, CII, UBL).

The public API::

    import einvoice_gov
    report = einvoice_gov.validate("invoice.pdf", chain="fr", lang="fr")
    for finding in report.most_relevant():
        print(finding.rule, finding.message)

    for report in einvoice_gov.validate_many(["exports/"], jobs=4):
        ...
"""

from einvoice_gov._version import __version__
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
