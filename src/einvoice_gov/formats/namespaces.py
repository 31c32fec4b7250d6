"""XML namespaces of the formats we read, and the prefixes we print in locations."""

from __future__ import annotations

CII_RSM = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
CII_RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
CII_UDT = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"
CII_QDT = "urn:un:unece:uncefact:data:standard:QualifiedDataType:100"
UBL_INVOICE = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
UBL_CREDITNOTE = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
UBL_CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
UBL_CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
UBL_EXT = "urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2"
CDAR_RSM = "urn:un:unece:uncefact:data:standard:CrossDomainAcknowledgementAndResponse:100"
ZF1_RSM = "urn:ferd:CrossIndustryDocument:invoice:1p0"
ORDERX_RSM = "urn:un:unece:uncefact:data:SCRDMCCBDACIOMessageStructure:100"
FATTURAPA_PREFIX = "http://ivaservizi.agenziaentrate.gov.it/docs/xsd/fatture/"

#: Prefixes used when we print an XPath (the prefixes of the official artefacts).
PREFIXES: dict[str, str] = {
    CII_RSM: "rsm",
    CII_RAM: "ram",
    CII_UDT: "udt",
    CII_QDT: "qdt",
    UBL_INVOICE: "ubl",
    UBL_CREDITNOTE: "cn",
    UBL_CAC: "cac",
    UBL_CBC: "cbc",
    UBL_EXT: "ext",
    CDAR_RSM: "rsm",
    ZF1_RSM: "rsm",
}

CII_NS = {"rsm": CII_RSM, "ram": CII_RAM, "udt": CII_UDT, "qdt": CII_QDT}
UBL_NS = {"ubl": UBL_INVOICE, "cn": UBL_CREDITNOTE, "cac": UBL_CAC, "cbc": UBL_CBC}
