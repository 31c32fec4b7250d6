"""The company profile (``company.toml``): identity, size category, platform, pilot, providers
and the organisational checklist.

    from einvoice_gov.profile import load_profile, decide_category
    profile = load_profile("company.toml")
    decide_category(headcount=18, turnover_eur=2_400_000)  # Category.PME
"""

from einvoice_gov.profile.category import decide_category
from einvoice_gov.profile.checklist import ITEMS, ItemInfo
from einvoice_gov.profile.model import (
    Answer,
    Category,
    CheckItem,
    Checklist,
    Company,
    CompanyProfile,
    IncidentPlan,
    Pilot,
    ProfileError,
    Provider,
    ReceivingPlatform,
    VatRegime,
)
from einvoice_gov.profile.tomlio import (
    default_profile,
    dumps_profile,
    load_profile,
    loads_profile,
    profile_as_json,
    write_profile,
)

__all__ = [
    "ITEMS",
    "Answer",
    "Category",
    "CheckItem",
    "Checklist",
    "Company",
    "CompanyProfile",
    "IncidentPlan",
    "ItemInfo",
    "Pilot",
    "ProfileError",
    "Provider",
    "ReceivingPlatform",
    "VatRegime",
    "decide_category",
    "default_profile",
    "dumps_profile",
    "load_profile",
    "loads_profile",
    "profile_as_json",
    "write_profile",
]
