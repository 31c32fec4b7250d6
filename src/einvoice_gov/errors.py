"""Exceptions raised by einvoice-gov.

Findings are data, exceptions are for "cannot process". The tree::

    EinvoiceError                 base of everything we raise on purpose
    ├── InputError                the input cannot be read as an invoice at all
    │   ├── UnsafeInputError      hostile or oversized input refused before parsing
    │   └── UnknownFormatError    readable, but not a format we know
    ├── EngineError               a validation engine cannot run (missing artefact, Saxon absent)
    └── StoreError                the audit log or archive store is broken or unreachable
        └── IntegrityError        the audit log or an archived object fails verification

`validate()` never raises `InputError`: it turns it into an error finding so that a batch
goes on. The other errors reach the caller.
"""

from __future__ import annotations


class EinvoiceError(Exception):
    """Base class of every exception raised on purpose by einvoice-gov."""


class InputError(EinvoiceError):
    """The input cannot be read as an invoice (truncated, encrypted, not XML/PDF...)."""

    def __init__(self, rule: str, message: str) -> None:
        super().__init__(message)
        self.rule = rule


class UnsafeInputError(InputError):
    """Hostile or oversized input refused before it was parsed."""


class UnknownFormatError(InputError):
    """The input is readable but is not an invoice format we know."""


class EngineError(EinvoiceError):
    """A validation engine cannot run (artefact missing, Saxon not installed)."""


class StoreError(EinvoiceError):
    """The audit-log or archive store is broken or unreachable."""


class IntegrityError(StoreError):
    """Stored data fails verification (hash chain, signature, fixity)."""
