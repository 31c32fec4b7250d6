"""Each BR-FR-CDV rule: a failing case, a passing case, and its registry entry."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import etree

from einvoice_gov.cdar import rules
from einvoice_gov.cdar.rules import RULE_IDS, check_cdv
from einvoice_gov.validation import registry
from einvoice_gov.validation.findings import Severity, Stage
from tests.cdar.conftest import cdar_cases, cdar_samples, mutants_dir

NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossDomainAcknowledgementAndResponse:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
}
RAM = f"{{{NS['ram']}}}"
REF = (
    "/rsm:CrossDomainAcknowledgementAndResponse/rsm:AcknowledgementDocument"
    "/ram:ReferenceReferencedDocument"
)
EXD = "/rsm:CrossDomainAcknowledgementAndResponse/rsm:ExchangedDocument"

#: The rules whose official test checks the context node itself: they can never fail.
NEVER_FIRE = {
    "BR-FR-CDV-01_MDG-3",
    "BR-FR-CDV-04_MDG-4",
    "BR-FR-CDV-05_MDG-9",
    "BR-FR-CDV-06_MDT-21",
    "BR-FR-CDV-07_MDT-38_no",
    "BR-FR-CDV-10_MDT-87",
}

SAMPLES = {
    "200": "UC1_F202500003_01-CDV-200_Deposee.xml",
    "212": "UC1_F202500003_07-CDV-212_Encaissee.xml",
    "207": "UC4_F202500006_04-CDV-207_En_litige.xml",
}


def _one(t: etree._ElementTree, xpath: str) -> etree._Element:
    found = t.xpath(xpath, namespaces=NS)
    assert isinstance(found, list) and found, xpath
    el = found[0]
    assert isinstance(el, etree._Element)
    return el


def set_text(xpath: str, value: str) -> Callable[[etree._ElementTree], None]:
    def f(t: etree._ElementTree) -> None:
        _one(t, xpath).text = value

    return f


def delete(xpath: str) -> Callable[[etree._ElementTree], None]:
    def f(t: etree._ElementTree) -> None:
        el = _one(t, xpath)
        parent = el.getparent()
        assert parent is not None
        parent.remove(el)

    return f


def add(xpath: str, name: str, value: str | None = None, **attrs: str) -> Callable[..., None]:
    def f(t: etree._ElementTree) -> None:
        el = etree.SubElement(_one(t, xpath), RAM + name, attrs)
        el.text = value

    return f


def both(*fs: Callable[[etree._ElementTree], None]) -> Callable[[etree._ElementTree], None]:
    def f(t: etree._ElementTree) -> None:
        for g in fs:
            g(t)

    return f


def status(code: str, reason: str) -> Callable[[etree._ElementTree], None]:
    """Turn the 207 sample into a status ``code`` whose (only) reason is ``reason``."""
    return both(
        set_text(REF + "/ram:ProcessConditionCode", code),
        set_text(REF + "/ram:SpecifiedDocumentStatus/ram:ReasonCode", reason),
    )


#: rule id -> (sample, change that makes the sample break the rule)
FAILING: dict[str, tuple[str, Callable[[etree._ElementTree], None]]] = {
    "BR-FR-04_MDT-91": ("212", set_text(REF + "/ram:TypeCode", "999")),
    "BR-FR-CDV-02_MDT-3": (
        "212",
        set_text(
            "//rsm:ExchangedDocumentContext/ram:GuidelineSpecifiedDocumentContextParameter/ram:ID",
            "urn:x",
        ),
    ),
    "BR-FR-CDV-03_MDT-4": ("212", delete(EXD + "/ram:ID")),
    "BR-FR-CDV-07_MDT-38_yes": ("212", delete(EXD + "/ram:IssuerTradeParty/ram:GlobalID")),
    "BR-FR-CDV-08_MDT-73": (
        "212",
        delete(EXD + "/ram:RecipientTradeParty[ram:RoleCode='BY']/ram:URIUniversalCommunication"),
    ),
    "BR-FR-CDV-09_MDT-77": (
        "212",
        set_text("//rsm:AcknowledgementDocument/ram:TypeCode", "24"),
    ),
    "BR-FR-CDV-11_MDG-35": ("212", delete(REF + "/ram:FormattedIssueDateTime")),
    "BR-FR-CDV-12_MDT-105": ("212", delete(REF + "/ram:ProcessConditionCode")),
    "BR-FR-CDV-13_MDT-129": ("212", delete(REF + "/ram:IssuerTradeParty/ram:GlobalID")),
    "BR-FR-CDV-14_MDT-207": ("212", delete(REF + "//ram:ValuePercent")),
    "BR-FR-CDV-15_MDT-113": ("200", set_text(REF + "/ram:ProcessConditionCode", "210")),
    "BR-FR-CDV-16_MDT-124-2": ("207", delete(REF + "//ram:SequenceNumeric")),
    "BR-FR-CDV-CL-01_MDT-2": (
        "212",
        set_text("//ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID", "B2B"),
    ),
    "BR-FR-CDV-CL-02_MDT-21_305": (
        "200",
        set_text(EXD + "/ram:SenderTradeParty/ram:RoleCode", "SE"),
    ),
    "BR-FR-CDV-CL-02_MDT-21_23": (
        "212",
        set_text(EXD + "/ram:SenderTradeParty/ram:RoleCode", "DFH"),
    ),
    "BR-FR-CDV-CL-03_MDT-40_305": (
        "200",
        set_text(EXD + "/ram:IssuerTradeParty/ram:RoleCode", "SE"),
    ),
    "BR-FR-CDV-CL-03_MDT-40_23": (
        "212",
        set_text(EXD + "/ram:IssuerTradeParty/ram:RoleCode", "WK"),
    ),
    "BR-FR-CDV-CL-04_MDT-59": (
        "200",
        set_text(EXD + "/ram:RecipientTradeParty[1]/ram:RoleCode", "ZZ"),
    ),
    "BR-FR-CDV-CL-05_MDT-88_305": ("200", set_text(REF + "/ram:StatusCode", "45")),
    "BR-FR-CDV-CL-05_MDT-88_23": ("212", set_text(REF + "/ram:StatusCode", "10")),
    "BR-FR-CDV-CL-06_MDT-105": ("212", set_text(REF + "/ram:ProcessConditionCode", "299")),
    "BR-FR-CDV-CL-06_MDT-115": (
        "207",
        add(REF + "/ram:SpecifiedDocumentStatus", "ProcessConditionCode", "299"),
    ),
    "BR-FR-CDV-CL-07_MDT-132": ("212", add(REF + "/ram:IssuerTradeParty", "RoleCode", "BY")),
    "BR-FR-CDV-CL-08_MDT-158": (
        "212",
        both(
            add(REF, "RecipientTradeParty"),
            add(REF + "/ram:RecipientTradeParty", "RoleCode", "ZZ"),
        ),
    ),
    "BR-FR-CDV-CL-09_MDT-113": ("207", status("207", "XYZ_ERR")),
    "BR-FR-CDV-CL-09_MDT-113_200": ("207", status("200", "DOUBLON")),
    "BR-FR-CDV-CL-09_MDT-113_213": ("207", status("213", "TX_TVA_ERR")),
    "BR-FR-CDV-CL-09_MDT-113_210": ("207", status("210", "AUTRE")),
    "BR-FR-CDV-CL-09_MDT-113_210B2G": (
        "207",
        both(
            status("210", "PU_ERR"),
            add(EXD + "/ram:SenderTradeParty", "GlobalID", "9999", schemeID="0238"),
        ),
    ),
    "BR-FR-CDV-CL-09_MDT-113_207": ("207", status("207", "JUSTIF_ABS")),
    "BR-FR-CDV-CL-09_MDT-113_206": ("207", status("206", "TX_TVA_ERR")),
    "BR-FR-CDV-CL-09_MDT-113_208": ("207", status("208", "TX_TVA_ERR")),
    "BR-FR-CDV-CL-09_MDT-113_221": ("207", status("221", "TX_TVA_ERR")),
    "BR-FR-CDV-CL-09_MDT-113_501": ("207", status("501", "TX_TVA_ERR")),
    "BR-FR-CDV-CL-10_MDT-121": ("207", set_text(REF + "//ram:RequestedActionCode", "XXX")),
    "BR-FR-CDV-CL-11_MDT-207": (
        "207",
        set_text(REF + "//ram:SpecifiedDocumentCharacteristic[1]/ram:TypeCode", "ZZZ"),
    ),
}


def _sample(key: str) -> etree._ElementTree:
    path = next((p for p in cdar_samples() if p.name == SAMPLES[key]), None)
    if path is None:
        pytest.skip(f"sample {SAMPLES[key]} not found in ../shared/cdar")
    return etree.parse(str(path))


def test_every_rule_is_covered_here() -> None:
    assert set(FAILING) | NEVER_FIRE == set(RULE_IDS)
    assert len(RULE_IDS) == len(set(RULE_IDS)) == 42


@pytest.mark.parametrize("rule_id", sorted(FAILING))
def test_failing_and_passing_case(rule_id: str) -> None:
    key, change = FAILING[rule_id]
    tree = _sample(key)
    before = [r.rule for r in check_cdv(tree)]
    assert before == [], "the FNFE samples pass every rule"
    change(tree)
    fired = check_cdv(tree)
    assert rule_id in [r.rule for r in fired]
    hit = next(r for r in fired if r.rule == rule_id)
    assert hit.location and hit.location.startswith("/rsm:CrossDomainAcknowledgementAndResponse[1]")
    # The location points at an element of the document.
    assert tree.xpath(hit.location, namespaces=NS)


def test_210_list_does_not_apply_to_the_public_sector_platform() -> None:
    key, change = FAILING["BR-FR-CDV-CL-09_MDT-113_210B2G"]
    tree = _sample(key)
    change(tree)
    fired = {r.rule for r in check_cdv(tree)}
    assert "BR-FR-CDV-CL-09_MDT-113_210" not in fired  # PU_ERR is refused by the B2G list only


def test_one_finding_per_failing_context_node() -> None:
    tree = _sample("200")
    for role in tree.xpath(EXD + "/ram:RecipientTradeParty/ram:RoleCode", namespaces=NS):
        role.text = "ZZ"
    hits = [r for r in check_cdv(tree) if r.rule == "BR-FR-CDV-CL-04_MDT-59"]
    assert [h.location for h in hits] == [
        f"/rsm:CrossDomainAcknowledgementAndResponse[1]/rsm:ExchangedDocument[1]"
        f"/ram:RecipientTradeParty[{i}]/ram:RoleCode[1]"
        for i in (1, 2)
    ]


def test_values_are_compared_exactly() -> None:
    """XPath compares strings exactly: a padded code is not the code."""
    tree = _sample("212")
    _one(tree, "//rsm:AcknowledgementDocument/ram:TypeCode").text = " 23"
    fired = {r.rule for r in check_cdv(tree)}
    assert "BR-FR-CDV-09_MDT-77" in fired


def test_never_firing_rules_never_fire_on_the_corpus() -> None:
    cases = cdar_cases()
    if not cases:
        pytest.skip(f"conformance corpus not found in {mutants_dir()}")
    for rec in cases:
        tree = etree.parse(str(mutants_dir() / str(rec["file"])))
        assert not {r.rule for r in check_cdv(tree)} & NEVER_FIRE


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_registry_entry(rule_id: str) -> None:
    r = registry.get(rule_id)
    assert r is not None
    assert r.stage is Stage.BR_FR_CDV
    assert r.en and r.fr and r.fix_en and r.fix_fr and r.en != r.fr
    assert r.bt and all(t.startswith(("MDT-", "MDG-")) for t in r.bt)
    assert r.mirrors == rules.VERSION
    flags = {
        a.severity for p in rules.PATTERNS for ru in p.rules for a in ru.asserts if a.id == rule_id
    }
    assert flags == {r.severity}
    assert r.severity is (Severity.WARNING if "CL-06" in rule_id else Severity.ERROR)


def test_samples_dir_is_used(samples: list[Path]) -> None:
    assert len(samples) >= 3


def test_warning_edition_turns_every_finding_into_a_warning() -> None:
    key, change = FAILING["BR-FR-CDV-CL-09_MDT-113_207"]
    tree = _sample(key)
    change(tree)
    fatal = check_cdv(tree)
    warning = check_cdv(tree, edition="warning")
    assert [r.rule for r in fatal] == [r.rule for r in warning]
    assert {r.severity for r in fatal} == {Severity.ERROR}
    assert {r.severity for r in warning} == {Severity.WARNING}
    with pytest.raises(ValueError):
        check_cdv(tree, edition="strict")
