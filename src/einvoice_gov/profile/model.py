"""The company profile: who the firm is, who runs its e-invoicing, and where its IT stands.

The profile lives in a TOML file (``company.toml``) written by ``einvoice-gov init`` and edited by
hand; :func:`einvoice_gov.profile.load_profile` reads it into :class:`CompanyProfile`. The JSON
Schema ``schemas/company-profile.schema.json`` describes the same shape for editors and ERPs; a
test keeps the two in step.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from einvoice_gov.errors import EinvoiceError
from einvoice_gov.reform.facts import SizeCategory

#: Version of the profile layout (``schema_version`` in the file).
SCHEMA_VERSION = 1


class ProfileError(EinvoiceError):
    """The company profile cannot be read: not TOML, or not the expected shape."""


#: Size category of the legal unit (micro, pme, eti, ge): the reform module's enum.
Category = SizeCategory


class Answer(StrEnum):
    """The answer to a checklist question. ``unknown`` is what ``init --defaults`` writes."""

    YES = "yes"
    NO = "no"
    UNKNOWN = "unknown"


class VatRegime(StrEnum):
    """VAT regime: decides how often e-reporting data must be sent."""

    REEL_NORMAL_MENSUEL = "reel_normal_mensuel"
    REEL_NORMAL_TRIMESTRIEL = "reel_normal_trimestriel"
    SIMPLIFIE = "simplifie"
    FRANCHISE = "franchise"
    UNKNOWN = "unknown"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", use_enum_values=False)


class Company(_Strict):
    """The legal unit (SIREN) the profile describes."""

    name: str = Field("", description="Company name")
    siren: str = Field(..., pattern=r"^[0-9]{9}$", description="SIREN: 9 digits")
    category: Category = Field(..., description="Size category: micro, pme, eti or ge")
    headcount: int | None = Field(None, ge=0, description="Staff (persons), last closed year")
    turnover_eur: int | None = Field(None, ge=0, description="Turnover in euros")
    balance_sheet_eur: int | None = Field(None, ge=0, description="Balance-sheet total in euros")
    vat_regime: VatRegime = Field(VatRegime.UNKNOWN, description="VAT regime")
    assujetti_unique: Answer = Field(
        Answer.UNKNOWN, description="Member of a VAT group (assujetti unique)"
    )
    e_reporting_needed: Answer = Field(
        Answer.UNKNOWN,
        description="Sales to consumers (B2C) or with businesses established abroad",
    )
    invoices_issued_per_year: int | None = Field(
        None, ge=0, description="Invoices issued per year (estimated from the folder when absent)"
    )
    invoices_received_per_year: int | None = Field(
        None, ge=0, description="Supplier invoices received per year"
    )


class ReceivingPlatform(_Strict):
    """The plateforme agréée (PA) chosen to receive e-invoices."""

    name: str = Field("", description="Name of the PA; empty when none is chosen yet")
    since: dt.date | None = Field(None, description="Date the contract with the PA started")
    directory_line: Answer = Field(
        Answer.UNKNOWN, description="The PA published the firm's line in the annuaire"
    )


class Pilot(_Strict):
    """The person who runs the e-invoicing project and the IT follow-up."""

    name: str = Field("", description="Name of the pilot")
    mandate: str = Field("", description="Written mandate (what, signed by whom, when)")
    hours_per_month: float | None = Field(None, ge=0, description="Time granted, hours per month")


class Provider(_Strict):
    """A provider the firm depends on (PA, invoicing software, IT support, accountant...)."""

    name: str = Field(..., min_length=1, description="Provider name")
    role: str = Field("", description="What it provides")
    contact: str = Field("", description="Who to call")


class CheckItem(_Strict):
    """One item of the organisational checklist."""

    answer: Answer = Field(Answer.UNKNOWN, description="yes, no or unknown")
    date: dt.date | None = Field(None, description="When it was last done or reviewed")
    note: str = Field("", description="Free comment")


class IncidentPlan(CheckItem):
    """The incident plan item also lists whom to call."""

    contacts: list[str] = Field(default_factory=list, description="Who to call in an incident")


class Checklist(_Strict):
    """The organisational checklist (ANSSI / Cybermalveillance baseline for TPE/PME)."""

    asset_inventory: CheckItem = Field(default_factory=CheckItem)
    backups_321: CheckItem = Field(default_factory=CheckItem)
    backup_offline_copy: CheckItem = Field(default_factory=CheckItem)
    restore_test: CheckItem = Field(default_factory=CheckItem)
    updates: CheckItem = Field(default_factory=CheckItem)
    antivirus: CheckItem = Field(default_factory=CheckItem)
    password_manager: CheckItem = Field(default_factory=CheckItem)
    mfa_pa_portal: CheckItem = Field(default_factory=CheckItem)
    mfa_mailbox: CheckItem = Field(default_factory=CheckItem)
    mfa_bank: CheckItem = Field(default_factory=CheckItem)
    admin_user_separation: CheckItem = Field(default_factory=CheckItem)
    incident_plan: IncidentPlan = Field(default_factory=IncidentPlan)
    cyber_insurance: CheckItem = Field(default_factory=CheckItem)
    contract_data_location: CheckItem = Field(default_factory=CheckItem)
    contract_reversibility: CheckItem = Field(default_factory=CheckItem)
    contract_service_levels: CheckItem = Field(default_factory=CheckItem)

    def items(self) -> list[tuple[str, CheckItem]]:
        """``(item id, item)`` in the file's order."""
        return [(name, getattr(self, name)) for name in type(self).model_fields]


class CompanyProfile(_Strict):
    """The whole profile, as in ``company.toml``."""

    schema_version: Literal[1] = Field(1, description="Profile layout version")
    company: Company
    receiving_platform: ReceivingPlatform = Field(default_factory=ReceivingPlatform)
    pilot: Pilot = Field(default_factory=Pilot)
    providers: list[Provider] = Field(default_factory=list)
    checklist: Checklist = Field(default_factory=Checklist)
