"""The ``xsd`` stage of CDAR status messages: a native structural check of CDAR D22B.

No package we can depend on ships the CDAR D22B XML Schema (the ``factur-x`` wheel has none;
docs/decisions/0401-cdar-native.md), so this module checks, in our own code, what the FNFE's
"uncoupled" CDAR D22B schema checks, and gives the same yes/no verdict as libxml2 validating
with it. What is covered (``docs/cdar.md`` has the details):

* the root element ``rsm:CrossDomainAcknowledgementAndResponse``;
* for each of the 13 aggregate types the message uses, the element order and cardinality of
  its sequence (an element out of place, repeated beyond its maximum, missing, or unknown);
* the date-time and indicator choices (exactly one of ``DateTimeString``/``DateTime``,
  ``IndicatorString``/``Indicator``);
* no text in aggregates, no child element in data elements;
* the attributes each data type allows (any other attribute, ``xml:*`` included, is refused;
  ``xsi:schemaLocation``/``xsi:noNamespaceSchemaLocation`` are accepted, ``xsi:nil`` is not,
  ``xsi:type`` only when it names the declared type);
* the lexical form of the typed values: ``xsd:decimal`` (amounts, percents, quantities,
  measures, numerics), ``xsd:boolean``, ``xsd:dateTime``, ``xsd:base64Binary`` and
  ``xsd:anyURI``, with the same leniencies as libxml2 (whitespace around decimals and booleans
  is allowed, not around date-times; characters outside the base64 alphabet are skipped;
  spaces and non-ASCII characters are accepted in URIs).

Code lists are not checked here (the schema does not import them); the BR-FR-CDV rules
check the French code lists.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from einvoice_gov.cdar.rules import location
from einvoice_gov.formats.namespaces import CDAR_RSM, CII_QDT, CII_RAM, CII_UDT
from einvoice_gov.validation.findings import Severity
from einvoice_gov.validation.official import RawResult

XSI = "http://www.w3.org/2001/XMLSchema-instance"
_NS = {"rsm": CDAR_RSM, "ram": CII_RAM, "udt": CII_UDT, "qdt": CII_QDT}
_PREFIX = {v: k for k, v in _NS.items()}

# Rule ids: the names libxml2 gives to the same errors, so that our findings read like those
# of the XML Schema stage of the other syntaxes.
ELEMENT_CONTENT = "XSD:SCHEMAV_ELEMENT_CONTENT"
ATTRIBUTE_NOT_ALLOWED = "XSD:SCHEMAV_CVC_COMPLEX_TYPE_3_2_1"
VALUE_NOT_VALID = "XSD:SCHEMAV_CVC_DATATYPE_VALID_1_2_1"
TEXT_NOT_ALLOWED = "XSD:SCHEMAV_CVC_COMPLEX_TYPE_2_3"
CHILD_NOT_ALLOWED = "XSD:SCHEMAV_CVC_COMPLEX_TYPE_2_2"
NOT_NILLABLE = "XSD:SCHEMAV_CVC_ELT_3_1"
BAD_XSI_TYPE = "XSD:SCHEMAV_CVC_ELT_4_3"
NO_DECLARATION = "XSD:SCHEMAV_CVC_ELT_1"

UNBOUNDED = -1


def _q(name: str) -> str:
    pfx, local = name.split(":")
    return f"{{{_NS[pfx]}}}{local}"


@dataclass(frozen=True)
class Particle:
    tag: str
    type: str
    min: int
    max: int


@dataclass(frozen=True)
class ComplexType:
    """An aggregate: a sequence (or, for date-times and indicators, a choice) of elements."""

    particles: tuple[Particle, ...]
    choice: bool = False


@dataclass(frozen=True)
class SimpleType:
    """A data element: a value of ``base`` and the attributes it allows."""

    base: str  # string | token | decimal | boolean | dateTime | base64Binary | anyURI
    attrs: dict[str, str]


def _seq(*items: tuple[str, str, int, int]) -> ComplexType:
    return ComplexType(tuple(Particle(_q(n), t, lo, hi) for n, t, lo, hi in items))


def _opt(name: str, type_: str) -> tuple[str, str, int, int]:
    return (name, type_, 0, 1)


def _many(name: str, type_: str) -> tuple[str, str, int, int]:
    return (name, type_, 0, UNBOUNDED)


_T, _S, _U = "token", "string", "anyURI"
_LIST = {"listID": _T, "listAgencyID": _T}
_CODE_ATTRS = {
    "listID": _T,
    "listAgencyID": _T,
    "listAgencyName": _S,
    "listName": _S,
    "listVersionID": _T,
    "name": _S,
    "languageID": _T,
    "listURI": _U,
    "listSchemeURI": _U,
}
_ID_ATTRS = {
    "schemeID": _T,
    "schemeName": _S,
    "schemeAgencyID": _T,
    "schemeAgencyName": _S,
    "schemeVersionID": _T,
    "schemeDataURI": _U,
    "schemeURI": _U,
}

#: Type name (prefix:local, the schema's own names) -> definition.
TYPES: dict[str, ComplexType | SimpleType] = {
    "rsm:CrossDomainAcknowledgementAndResponseType": _seq(
        _opt("rsm:ExchangedDocumentContext", "ram:ExchangedDocumentContextType"),
        ("rsm:ExchangedDocument", "ram:ExchangedDocumentType", 1, 1),
        ("rsm:AcknowledgementDocument", "ram:AcknowledgementDocumentType", 1, UNBOUNDED),
    ),
    "ram:ExchangedDocumentContextType": _seq(
        _opt("ram:TestIndicator", "udt:IndicatorType"),
        _opt(
            "ram:BusinessProcessSpecifiedDocumentContextParameter",
            "ram:DocumentContextParameterType",
        ),
        (
            "ram:GuidelineSpecifiedDocumentContextParameter",
            "ram:DocumentContextParameterType",
            1,
            1,
        ),
    ),
    "ram:DocumentContextParameterType": _seq(("ram:ID", "udt:IDType", 1, 1)),
    "ram:ExchangedDocumentType": _seq(
        _opt("ram:ID", "udt:IDType"),
        _opt("ram:Name", "udt:TextType"),
        _opt("ram:TypeCode", "qdt:DocumentCodeType"),
        _opt("ram:StatusCode", "qdt:DocumentStatusCodeType"),
        _opt("ram:IssueDateTime", "udt:DateTimeType"),
        _opt("ram:LanguageID", "udt:IDType"),
        _opt("ram:ElectronicPresentationIndicator", "udt:IndicatorType"),
        _opt("ram:VersionID", "udt:IDType"),
        _opt("ram:GlobalID", "udt:IDType"),
        _many("ram:IncludedNote", "ram:NoteType"),
        _opt("ram:EffectiveSpecifiedPeriod", "ram:SpecifiedPeriodType"),
        _opt("ram:SenderTradeParty", "ram:TradePartyType"),
        _opt("ram:IssuerTradeParty", "ram:TradePartyType"),
        ("ram:RecipientTradeParty", "ram:TradePartyType", 1, UNBOUNDED),
    ),
    "ram:AcknowledgementDocumentType": _seq(
        _opt("ram:MultipleReferencesIndicator", "udt:IndicatorType"),
        _opt("ram:ID", "udt:IDType"),
        _opt("ram:TypeCode", "qdt:DocumentCodeType"),
        _opt("ram:Name", "udt:TextType"),
        _opt("ram:IssueDateTime", "udt:DateTimeType"),
        _opt("ram:StatusCode", "qdt:StatusCodeType"),
        _opt("ram:AcknowledgementStatusCode", "qdt:AcknowledgementCodeType"),
        _opt("ram:ItemIdentificationID", "udt:IDType"),
        _many("ram:ReasonInformation", "udt:TextType"),
        _opt("ram:ChannelCode", "udt:CodeType"),
        _opt("ram:ProcessConditionCode", "udt:CodeType"),
        _many("ram:ProcessCondition", "udt:TextType"),
        _many("ram:Status", "udt:TextType"),
        ("ram:ReferenceReferencedDocument", "ram:ReferencedDocumentType", 1, UNBOUNDED),
    ),
    "ram:ReferencedDocumentType": _seq(
        _opt("ram:IssuerAssignedID", "udt:IDType"),
        _opt("ram:StatusCode", "qdt:DocumentStatusCodeType"),
        _opt("ram:CopyIndicator", "udt:IndicatorType"),
        _opt("ram:LineID", "udt:IDType"),
        _opt("ram:TypeCode", "qdt:DocumentCodeType"),
        _opt("ram:GlobalID", "udt:IDType"),
        _opt("ram:RevisionID", "udt:IDType"),
        _opt("ram:Name", "udt:TextType"),
        _opt("ram:ReceiptDateTime", "udt:DateTimeType"),
        _many("ram:AttachmentBinaryObject", "udt:BinaryObjectType"),
        _opt("ram:ReferenceTypeCode", "qdt:ReferenceCodeType"),
        _opt("ram:LanguageID", "qdt:LanguageIDType"),
        _many("ram:Description", "udt:TextType"),
        _opt("ram:FormattedIssueDateTime", "qdt:FormattedDateTimeType"),
        _many("ram:IncludedAmount", "udt:AmountType"),
        _opt("ram:VersionID", "udt:IDType"),
        _opt("ram:TotalIssueCountNumeric", "udt:NumericType"),
        _many("ram:Status", "udt:TextType"),
        _opt("ram:ProcessConditionCode", "udt:CodeType"),
        _many("ram:ProcessCondition", "udt:TextType"),
        _opt("ram:Type", "udt:TextType"),
        _opt("ram:IssuerTradeParty", "ram:TradePartyType"),
        _many("ram:RecipientTradeParty", "ram:TradePartyType"),
        _opt("ram:SenderTradeParty", "ram:TradePartyType"),
        _many("ram:SpecifiedDocumentStatus", "ram:DocumentStatusType"),
        _opt("ram:ValiditySpecifiedPeriod", "ram:SpecifiedPeriodType"),
    ),
    "ram:DocumentStatusType": _seq(
        _opt("ram:ReferenceDateTime", "udt:DateTimeType"),
        _opt("ram:ConditionCode", "qdt:DocumentStatusCodeType"),
        _opt("ram:ReasonCode", "udt:CodeType"),
        _many("ram:Reason", "udt:TextType"),
        _many("ram:Condition", "udt:TextType"),
        _opt("ram:ProcessConditionCode", "udt:CodeType"),
        _many("ram:ProcessCondition", "udt:TextType"),
        _opt("ram:ReasonInformationCode", "udt:CodeType"),
        _many("ram:ReasonInformation", "udt:TextType"),
        _opt("ram:ReasonClassificationCode", "udt:CodeType"),
        _many("ram:ReasonClassification", "udt:TextType"),
        _opt("ram:RequestedActionCode", "udt:CodeType"),
        _many("ram:RequestedAction", "udt:TextType"),
        _opt("ram:InvalidInformation", "udt:TextType"),
        _opt("ram:ValidInformation", "udt:TextType"),
        _opt("ram:SequenceNumeric", "udt:NumericType"),
        _many("ram:IncludedNote", "ram:NoteType"),
        _many("ram:SpecifiedDocumentCharacteristic", "ram:DocumentCharacteristicType"),
    ),
    "ram:DocumentCharacteristicType": _seq(
        _opt("ram:ID", "udt:IDType"),
        _opt("ram:TypeCode", "udt:CodeType"),
        _opt("ram:ValueChangedIndicator", "udt:IndicatorType"),
        _opt("ram:ValueAdjustmentDirectionCode", "udt:CodeType"),
        _many("ram:Name", "udt:TextType"),
        _many("ram:Description", "udt:TextType"),
        _opt("ram:Location", "udt:TextType"),
        _many("ram:Value", "udt:TextType"),
        _opt("ram:ValueAmount", "udt:AmountType"),
        _opt("ram:ValueMeasure", "udt:MeasureType"),
        _opt("ram:ValueDateTime", "udt:DateTimeType"),
        _opt("ram:ValueCode", "udt:CodeType"),
        _opt("ram:ValueQuantity", "udt:QuantityType"),
        _opt("ram:ValueNumeric", "udt:NumericType"),
        _opt("ram:ValuePercent", "udt:PercentType"),
    ),
    "ram:NoteType": _seq(
        _opt("ram:ContentCode", "udt:CodeType"),
        _many("ram:Content", "udt:TextType"),
        _opt("ram:SubjectCode", "udt:CodeType"),
    ),
    "ram:SpecifiedPeriodType": _seq(
        _opt("ram:StartDateTime", "udt:DateTimeType"),
        _opt("ram:EndDateTime", "udt:DateTimeType"),
    ),
    "ram:TradePartyType": _seq(
        _many("ram:ID", "udt:IDType"),
        _many("ram:GlobalID", "udt:IDType"),
        _opt("ram:Name", "udt:TextType"),
        _opt("ram:RoleCode", "qdt:PartyRoleCodeType"),
        _many("ram:DefinedTradeContact", "ram:TradeContactType"),
        _opt("ram:PostalTradeAddress", "ram:TradeAddressType"),
        _opt("ram:URIUniversalCommunication", "ram:UniversalCommunicationType"),
    ),
    "ram:TradeContactType": _seq(
        _opt("ram:ID", "udt:IDType"),
        _opt("ram:PersonName", "udt:TextType"),
        _opt("ram:DepartmentName", "udt:TextType"),
        _opt("ram:TypeCode", "qdt:ContactTypeCodeType"),
        _many("ram:TelephoneUniversalCommunication", "ram:UniversalCommunicationType"),
        _many("ram:FaxUniversalCommunication", "ram:UniversalCommunicationType"),
        _opt("ram:EmailURIUniversalCommunication", "ram:UniversalCommunicationType"),
    ),
    "ram:TradeAddressType": _seq(
        _opt("ram:PostcodeCode", "udt:CodeType"),
        _opt("ram:LineOne", "udt:TextType"),
        _opt("ram:LineTwo", "udt:TextType"),
        _opt("ram:LineThree", "udt:TextType"),
        _opt("ram:LineFour", "udt:TextType"),
        _opt("ram:LineFive", "udt:TextType"),
        _opt("ram:StreetName", "udt:TextType"),
        _opt("ram:CityName", "udt:TextType"),
        _opt("ram:CountryID", "qdt:CountryIDType"),
        _opt("ram:CountryName", "udt:TextType"),
        _opt("ram:CountrySubDivisionID", "udt:IDType"),
        _opt("ram:CountrySubDivisionName", "udt:TextType"),
    ),
    "ram:UniversalCommunicationType": _seq(
        _opt("ram:URIID", "udt:IDType"),
        _opt("ram:CompleteNumber", "udt:TextType"),
    ),
    # Unqualified data types
    "udt:DateTimeType": ComplexType(
        (
            Particle(_q("udt:DateTimeString"), "udt:DateTimeString", 1, 1),
            Particle(_q("udt:DateTime"), "xsd:dateTime", 1, 1),
        ),
        choice=True,
    ),
    "udt:IndicatorType": ComplexType(
        (
            Particle(_q("udt:IndicatorString"), "udt:IndicatorString", 1, 1),
            Particle(_q("udt:Indicator"), "xsd:boolean", 1, 1),
        ),
        choice=True,
    ),
    "udt:DateTimeString": SimpleType("string", {"format": _S}),
    "udt:IndicatorString": SimpleType("string", {"format": _S}),
    "xsd:dateTime": SimpleType("dateTime", {}),
    "xsd:boolean": SimpleType("boolean", {}),
    "udt:AmountType": SimpleType("decimal", {"currencyID": _T, "currencyCodeListVersionID": _T}),
    "udt:BinaryObjectType": SimpleType(
        "base64Binary",
        {
            "format": _S,
            "mimeCode": _T,
            "encodingCode": _T,
            "characterSetCode": _T,
            "uri": _U,
            "filename": _S,
        },
    ),
    "udt:CodeType": SimpleType("token", _CODE_ATTRS),
    "udt:IDType": SimpleType("token", _ID_ATTRS),
    "udt:MeasureType": SimpleType("decimal", {"unitCode": _T, "unitCodeListVersionID": _T}),
    "udt:NumericType": SimpleType("decimal", {"format": _S}),
    "udt:PercentType": SimpleType("decimal", {"format": _S}),
    "udt:QuantityType": SimpleType(
        "decimal",
        {
            "unitCode": _T,
            "unitCodeListID": _T,
            "unitCodeListAgencyID": _T,
            "unitCodeListAgencyName": _S,
        },
    ),
    "udt:TextType": SimpleType("string", {"languageID": _T, "languageLocaleID": _T}),
    # Qualified data types (code lists not imported: any token)
    "qdt:AcknowledgementCodeType": SimpleType("token", _LIST),
    "qdt:ContactTypeCodeType": SimpleType("token", _LIST),
    "qdt:CountryIDType": SimpleType("token", {"listID": _T, "schemeAgencyID": _T}),
    "qdt:DocumentCodeType": SimpleType("token", _LIST),
    "qdt:DocumentStatusCodeType": SimpleType("token", _LIST),
    "qdt:LanguageIDType": SimpleType("token", {"schemeID": _T, "schemeAgencyID": _T}),
    "qdt:PartyRoleCodeType": SimpleType("token", _LIST),
    "qdt:ReferenceCodeType": SimpleType("token", _LIST),
    "qdt:StatusCodeType": SimpleType("token", _LIST),
    "qdt:FormattedDateTimeType": _seq(("qdt:DateTimeString", "qdt:DateTimeString", 1, 1)),
    "qdt:DateTimeString": SimpleType("string", {"format": _S}),
}

ROOT = _q("rsm:CrossDomainAcknowledgementAndResponse")
ROOT_TYPE = "rsm:CrossDomainAcknowledgementAndResponseType"

# -- Lexical checks, as libxml2 does them ------------------------------------------------------

_WS = " \t\n\r"
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_DATETIME = re.compile(
    r"(-?)([1-9][0-9]{4,}|[0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})"
    r"(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})?"
)
_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def _valid_decimal(text: str) -> bool:
    return _DECIMAL.fullmatch(text.strip(_WS)) is not None


def _valid_boolean(text: str) -> bool:
    return text.strip(_WS) in ("true", "false", "1", "0")


def _days_in_month(year: int, month: int) -> int:
    if month == 2:
        leap = (year % 4 == 0 and year % 100 != 0) or year % 400 == 0
        return 29 if leap else 28
    return 30 if month in (4, 6, 9, 11) else 31


def _valid_datetime(text: str) -> bool:
    # libxml2 does not trim the whitespace around a date-time: neither do we.
    m = _DATETIME.fullmatch(text)
    if m is None:
        return False
    year = int(m.group(2))
    month, day = int(m.group(3)), int(m.group(4))
    hour, minute, second = int(m.group(5)), int(m.group(6)), int(m.group(7))
    frac = m.group(8)
    if year == 0 or not 1 <= month <= 12 or not 1 <= day <= _days_in_month(year, month):
        return False
    if hour == 24:
        if minute or second or (frac and frac.strip(".0")):
            return False
    elif hour > 23 or minute > 59 or second > 59:
        return False
    tz = m.group(9)
    if tz and tz != "Z":
        th, tm = int(tz[1:3]), int(tz[4:6])
        if tm > 59 or th * 60 + tm > 14 * 60:
            return False
    return True


def _valid_base64(text: str) -> bool:
    data = 0
    pad = 0
    last = -1
    seen_pad = False
    for ch in text:
        if ch == "=":
            seen_pad = True
            pad += 1
            continue
        v = _B64.find(ch)
        if v < 0:
            continue  # libxml2 skips characters outside the alphabet
        if seen_pad:
            return False
        data += 1
        last = v
    if pad == 0:
        return data % 4 == 0
    if pad == 1:
        return data % 4 == 3 and last & 3 == 0
    if pad == 2:
        return data % 4 == 2 and last & 15 == 0
    return False


# RFC 3986 URI-reference, after libxml2 replaced the characters URIs may not carry with "_".
_UNRESERVED = r"A-Za-z0-9\-._~"
_SUBDELIMS = r"!$&'()*+,;="
_PCT = r"%[0-9A-Fa-f]{2}"
_PCHAR = rf"(?:[{_UNRESERVED}{_SUBDELIMS}:@]|{_PCT})"
_SEGMENT = rf"{_PCHAR}*"
_SEGMENT_NZ_NC = rf"(?:[{_UNRESERVED}{_SUBDELIMS}@]|{_PCT})+"
_IPLITERAL = rf"\[(?:[0-9A-Fa-f:.]+|v[0-9A-Fa-f]+\.[{_UNRESERVED}{_SUBDELIMS}:]+)\]"
_AUTHORITY = (
    rf"(?:(?:[{_UNRESERVED}{_SUBDELIMS}:]|{_PCT})*@)?"
    rf"(?:{_IPLITERAL}|(?:[{_UNRESERVED}{_SUBDELIMS}]|{_PCT})*)(?::[0-9]+)?"
)
_PATH_ABEMPTY = rf"(?:/{_SEGMENT})*"
_QUERY = rf"(?:[{_UNRESERVED}{_SUBDELIMS}:@/?]|{_PCT})*"
_HIER = (
    rf"(?://{_AUTHORITY}{_PATH_ABEMPTY}|/(?:{_PCHAR}+{_PATH_ABEMPTY})?"
    rf"|{_PCHAR}+{_PATH_ABEMPTY}|)"
)
_RELATIVE = (
    rf"(?://{_AUTHORITY}{_PATH_ABEMPTY}|/(?:{_PCHAR}+{_PATH_ABEMPTY})?"
    rf"|{_SEGMENT_NZ_NC}{_PATH_ABEMPTY}|)"
)
# libxml2 also accepts "[" and "]" in a fragment.
_FRAGMENT = rf"(?:[{_UNRESERVED}{_SUBDELIMS}:@/?\[\]]|{_PCT})*"
_URI = re.compile(
    rf"(?:[A-Za-z][A-Za-z0-9+\-.]*:{_HIER}|{_RELATIVE})(?:\?{_QUERY})?(?:#{_FRAGMENT})?"
)
_URI_UNSAFE = re.compile(r"[\x00-\x20\x7f-\U0010ffff<>\"{}|\\^`']")


def _valid_anyuri(text: str) -> bool:
    value = _URI_UNSAFE.sub("_", text.strip(_WS))
    return _URI.fullmatch(value) is not None


_CHECKS = {
    "decimal": _valid_decimal,
    "boolean": _valid_boolean,
    "dateTime": _valid_datetime,
    "base64Binary": _valid_base64,
    "anyURI": _valid_anyuri,
}

# -- Validation -------------------------------------------------------------------------------


def _name(tag: str) -> str:
    q = etree.QName(tag)
    pfx = _PREFIX.get(q.namespace or "")
    return f"{pfx}:{q.localname}" if pfx else f"{{{q.namespace}}}{q.localname}"


#: Our messages, per kind of problem: (English, French).
MESSAGES: dict[str, tuple[str, str]] = {
    "not-nillable": (
        "{element} may not carry xsi:nil",
        "{element} ne peut pas porter xsi:nil",
    ),
    "xsi-type": (
        "xsi:type {value!r} on {element} is not its type {type}",
        "xsi:type {value!r} sur {element} n'est pas son type {type}",
    ),
    "attr-value": (
        "attribute {attr}={value!r} of {element} is not a valid {base}",
        "l'attribut {attr}={value!r} de {element} n'est pas un {base} valide",
    ),
    "attr": (
        "attribute {attr} is not allowed on {element}",
        "l'attribut {attr} n'est pas autorisé sur {element}",
    ),
    "child": (
        "{element} holds a value and cannot contain the element {child}",
        "{element} porte une valeur et ne peut pas contenir l'élément {child}",
    ),
    "value": (
        "{element}: {value!r} is not a valid {base}",
        "{element} : {value!r} n'est pas un {base} valide",
    ),
    "text": (
        "{element} groups elements and cannot contain text",
        "{element} regroupe des éléments et ne peut pas contenir de texte",
    ),
    "choice-empty": (
        "{element} must contain {names}",
        "{element} doit contenir {names}",
    ),
    "unexpected": (
        "{child} is not expected at this place in {element}",
        "{child} n'est pas attendu à cet endroit dans {element}",
    ),
    "missing": (
        "{child} is missing in {element}",
        "{child} manque dans {element}",
    ),
    "root": (
        "{element} is not the root of a CDAR message",
        "{element} n'est pas la racine d'un message CDAR",
    ),
}


class _Checker:
    def __init__(self, lang: str) -> None:
        self.out: list[RawResult] = []
        self.fr = lang == "fr"

    def error(self, rule: str, el: etree._Element, kind: str, **args: object) -> None:
        en, fr = MESSAGES[kind]
        text = (fr if self.fr else en).format(element=_name(el.tag), **args)
        self.out.append(RawResult(rule, Severity.ERROR, location(el), text, ()))

    def attributes(self, el: etree._Element, type_name: str, t: ComplexType | SimpleType) -> None:
        allowed = t.attrs if isinstance(t, SimpleType) else {}
        for raw_key, raw_value in el.attrib.items():
            key, value = str(raw_key), str(raw_value)
            q = etree.QName(key)
            if q.namespace == XSI:
                if q.localname in ("schemaLocation", "noNamespaceSchemaLocation"):
                    continue
                if q.localname == "nil":
                    self.error(NOT_NILLABLE, el, "not-nillable")
                    continue
                if q.localname == "type":
                    pfx, _, local = value.strip(_WS).rpartition(":")
                    ns = el.nsmap.get(pfx or None)
                    want_pfx, want_local = type_name.split(":")
                    if not (ns == _NS.get(want_pfx) and local == want_local):
                        self.error(BAD_XSI_TYPE, el, "xsi-type", value=value, type=type_name)
                    continue
            if q.namespace is None and q.localname in allowed:
                base = allowed[q.localname]
                check = _CHECKS.get(base)
                if check is not None and not check(value):
                    self.error(VALUE_NOT_VALID, el, "attr-value", attr=key, value=value, base=base)
                continue
            self.error(ATTRIBUTE_NOT_ALLOWED, el, "attr", attr=_name(key) if q.namespace else key)

    def element(self, el: etree._Element, type_name: str) -> None:
        t = TYPES[type_name]
        self.attributes(el, type_name, t)
        children = [c for c in el if isinstance(c.tag, str)]
        if isinstance(t, SimpleType):
            if children:
                self.error(CHILD_NOT_ALLOWED, el, "child", child=_name(children[0].tag))
                return
            check = _CHECKS.get(t.base)
            text = "".join(str(s) for s in el.itertext())
            if check is not None and not check(text):
                self.error(VALUE_NOT_VALID, el, "value", value=text, base=t.base)
            return
        texts = [el.text or ""] + [c.tail or "" for c in el]
        if any(s.strip(_WS) for s in texts):
            self.error(TEXT_NOT_ALLOWED, el, "text")
        if t.choice:
            self.choice(el, t, children)
        else:
            self.sequence(el, t, children)

    def choice(self, el: etree._Element, t: ComplexType, children: list[etree._Element]) -> None:
        names = " | ".join(_name(p.tag) for p in t.particles)
        if not children:
            self.error(ELEMENT_CONTENT, el, "choice-empty", names=names)
            return
        first = children[0]
        particle = next((p for p in t.particles if p.tag == first.tag), None)
        if particle is None:
            self.error(ELEMENT_CONTENT, el, "unexpected", child=_name(first.tag))
            return
        self.element(first, particle.type)
        if len(children) > 1:
            self.error(ELEMENT_CONTENT, el, "unexpected", child=_name(children[1].tag))

    def sequence(self, el: etree._Element, t: ComplexType, children: list[etree._Element]) -> None:
        i = 0
        for particle in t.particles:
            n = 0
            while (
                i < len(children)
                and children[i].tag == particle.tag
                and (particle.max == UNBOUNDED or n < particle.max)
            ):
                self.element(children[i], particle.type)
                i += 1
                n += 1
            if n < particle.min:
                self.error(ELEMENT_CONTENT, el, "missing", child=_name(particle.tag))
                return
        if i < len(children):
            self.error(ELEMENT_CONTENT, el, "unexpected", child=_name(children[i].tag))


def check_structure(tree: etree._ElementTree | etree._Element, lang: str = "en") -> list[RawResult]:
    """Check a CDAR document against the structure of CDAR D22B.

    Returns one result per problem found, worded in ``lang`` (``en`` or ``fr``); an empty
    list means the document is valid against the schema. Like libxml2, it reports the first
    problem of each element's content and goes on with the other elements.
    """
    root = tree.getroot() if isinstance(tree, etree._ElementTree) else tree
    checker = _Checker(lang)
    if root.tag != ROOT:
        checker.error(NO_DECLARATION, root, "root")
        return checker.out
    checker.element(root, ROOT_TYPE)
    return checker.out
