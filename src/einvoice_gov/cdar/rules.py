"""The French lifecycle rules BR-FR-CDV (FNFE-MPE, V1.4.0), implemented natively.

No package ships these rules in a form we may run (the ``factur-x`` wheel has no CDAR
artefact), so this module implements them from the specification. It reproduces the
behaviour of the official schematron exactly, including its quirks, because that is what the
platforms run (``docs/cdar.md`` lists the quirks):

* a rule fires once per *context node* that fails it: the document is walked in document
  order once per pattern, and each element is checked by the first rule of the pattern whose
  context matches it (a later rule with the same context never runs);
* a context such as ``rsm:ExchangedDocument`` matches that element wherever it stands;
* comparisons follow XPath 2.0 general comparisons: ``a = 'x'`` is true when *any* node of
  ``a`` has the string value ``x`` exactly (no trimming), ``a != 'x'`` when any node differs,
  and both are false when ``a`` is empty;
* the string value of an element is all the text inside it (comments excluded).

:func:`check_cdv` returns the failed assertions as :class:`RawResult`; the engine turns them
into findings with our messages (``einvoice_gov.validation.rules.cdar``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from lxml import etree

from einvoice_gov.cdar import codes
from einvoice_gov.formats.namespaces import CDAR_RSM, CII_QDT, CII_RAM, CII_UDT
from einvoice_gov.validation.findings import Severity
from einvoice_gov.validation.official import RawResult

#: The official rule set this module mirrors.
VERSION = "FNFE-MPE BR-FR-CDV V1.4.0 (France_RFE package v1.4.0.02)"

R = f"{{{CDAR_RSM}}}"
A = f"{{{CII_RAM}}}"
_PREFIX = {CDAR_RSM: "rsm", CII_RAM: "ram", CII_UDT: "udt", CII_QDT: "qdt"}

Element = etree._Element
Nodes = Sequence[Element]

# -- XPath helpers ----------------------------------------------------------------------------


def sv(el: Element) -> str:
    """The XPath string value of an element: all descendant text, comments excluded."""
    return "".join(str(t) for t in el.itertext())


def kids(nodes: Element | Iterable[Element] | None, tag: str) -> list[Element]:
    """Children named ``tag`` of one element or of each element of a sequence."""
    if nodes is None:
        return []
    if isinstance(nodes, etree._Element):
        return [c for c in nodes if c.tag == tag]
    return [c for n in nodes for c in n if c.tag == tag]


def path(start: Element | Iterable[Element] | None, *tags: str) -> list[Element]:
    """``start/t1/t2/...`` as a node sequence."""
    cur: list[Element]
    if start is None:
        return []
    cur = [start] if isinstance(start, etree._Element) else list(start)
    for t in tags:
        cur = kids(cur, t)
    return cur


def up(el: Element | None, n: int = 1) -> Element | None:
    for _ in range(n):
        if el is None:
            return None
        el = el.getparent()
    return el


def eq(nodes: Iterable[Element], *values: str) -> bool:
    """General comparison ``nodes = (v1, v2...)``: some node equals some value."""
    vs = set(values)
    return any(sv(n) in vs for n in nodes)


def ne(nodes: Iterable[Element], value: str) -> bool:
    """General comparison ``nodes != value``: some node differs from the value."""
    return any(sv(n) != value for n in nodes)


def with_scheme(nodes: Iterable[Element], scheme: str) -> list[Element]:
    """``nodes[@schemeID = scheme]``."""
    return [n for n in nodes if n.get("schemeID") == scheme]


# -- The document-wide values some rules read -------------------------------------------------


@dataclass
class _Doc:
    root: Element

    def root_is_cdar(self) -> bool:
        return self.root.tag == R + "CrossDomainAcknowledgementAndResponse"

    def abs_status_codes(self) -> list[Element]:
        """``/rsm:CrossDomainAcknowledgementAndResponse/rsm:AcknowledgementDocument/
        ram:ReferenceReferencedDocument/ram:ProcessConditionCode``."""
        if not self.root_is_cdar():
            return []
        return path(
            self.root, R + "AcknowledgementDocument", A + "ReferenceReferencedDocument",
            A + "ProcessConditionCode",
        )  # fmt: skip

    def abs_sender_gids(self) -> list[Element]:
        """``/rsm:CrossDomainAcknowledgementAndResponse/rsm:ExchangedDocument/
        ram:SenderTradeParty/ram:GlobalID``."""
        if not self.root_is_cdar():
            return []
        return path(self.root, R + "ExchangedDocument", A + "SenderTradeParty", A + "GlobalID")

    def any_sender_gids(self) -> list[Element]:
        """``//rsm:ExchangedDocument/ram:SenderTradeParty/ram:GlobalID``."""
        docs = [e for e in self.root.iter(R + "ExchangedDocument")]
        return path(docs, A + "SenderTradeParty", A + "GlobalID")


# -- Rules ------------------------------------------------------------------------------------

Test = Callable[[Element, _Doc], bool]


@dataclass(frozen=True)
class Assert:
    id: str
    severity: Severity
    test: Test  # True when the element satisfies the rule
    value: Callable[[Element], str] | None = None  # what to quote in the finding


@dataclass(frozen=True)
class Rule:
    context: tuple[str, ...]  # element names from the outermost to the context element
    asserts: tuple[Assert, ...]

    def matches(self, el: Element) -> bool:
        cur: Element | None = el
        for tag in reversed(self.context):
            if cur is None or cur.tag != tag:
                return False
            cur = cur.getparent()
        return True


@dataclass(frozen=True)
class Pattern:
    id: str
    rules: tuple[Rule, ...]


F, W = Severity.ERROR, Severity.WARNING

_ACK = R + "AcknowledgementDocument"
_REF = A + "ReferenceReferencedDocument"
_EXD = R + "ExchangedDocument"
_SDS = A + "SpecifiedDocumentStatus"
_PCC = A + "ProcessConditionCode"
_ROLE = A + "RoleCode"
_RTP = A + "RecipientTradeParty"
_GID = A + "GlobalID"

_ROLES_23_SENDER = ("BY", "AB", "DL", "SE", "SR", "WK", "PE", "PR", "II", "IV")
_ROLES_23_ISSUER = ("BY", "AB", "DL", "SE", "SR", "PE", "PR", "II", "IV")
_ROLES_RECIPIENT = ("BY", "AB", "DL", "SE", "SR", "PE", "PR", "II", "IV", "WK", "DFH")


def _own(el: Element) -> str:
    return sv(el)


def _ack_types_of_parent(el: Element) -> list[Element]:
    """``../rsm:AcknowledgementDocument/ram:TypeCode`` of an rsm:ExchangedDocument."""
    return path(up(el), _ACK, A + "TypeCode")


def _is_ppf_only(ctx: Element) -> bool:
    """The single recipient is the PPF: one GlobalID, 0000 in scheme 0238, role DFH."""
    gids = path(up(ctx), _EXD, _RTP, _GID)
    return (
        len(gids) == 1
        and eq(with_scheme(gids, "0238"), "0000")
        and eq(path(up(ctx), _EXD, _RTP, _ROLE), "DFH")
    )


def _cdv02(ctx: Element, d: _Doc) -> bool:
    ids = path(ctx, A + "GuidelineSpecifiedDocumentContextParameter", A + "ID")
    return eq(ids, codes.GUIDELINE_INVOICE) or (eq(ids, codes.GUIDELINE_PPF) and _is_ppf_only(ctx))


def _cl01(ctx: Element, d: _Doc) -> bool:
    ids = path(ctx, A + "BusinessProcessSpecifiedDocumentContextParameter", A + "ID")
    if not _is_ppf_only(ctx):
        # The official test compares only REGULATED with MDT-2; the other values are compared
        # with the text of the whole ExchangedDocumentContext (a slip we reproduce).
        return eq(ids, "REGULATED") or sv(ctx) in codes.PROCESS_TYPES - {"REGULATED"}
    if len(ids) > 1:
        # The official artefact stops on a type error here; we judge the message wrong.
        return False
    value = sv(ids[0]) if ids else ""
    return len(" ".join(value.split())) <= 3


def _cdv07(ctx: Element, d: _Doc) -> bool:
    return ne(path(up(ctx, 2), _ACK, A + "TypeCode"), "23") or bool(kids(ctx, _GID))


def _cdv08(ctx: Element, d: _Doc) -> bool:
    return eq(kids(ctx, _ROLE), "WK", "DFH") or bool(
        path(ctx, A + "URIUniversalCommunication", A + "URIID")
    )


def _cdv11(ctx: Element, d: _Doc) -> bool:
    return bool(kids(ctx, A + "FormattedIssueDateTime")) or eq(d.abs_status_codes(), "501")


def _cdv13(ctx: Element, d: _Doc) -> bool:
    return bool(kids(ctx, _GID)) or eq(d.abs_status_codes(), "501")


def _cdv14(ctx: Element, d: _Doc) -> bool:
    if not eq(kids(ctx, _PCC), "212"):
        return True
    men = [
        c
        for c in path(ctx, _SDS, A + "SpecifiedDocumentCharacteristic")
        if eq(kids(c, A + "TypeCode"), "MEN")
    ]
    complete = [c for c in men if kids(c, A + "ValueAmount") and kids(c, A + "ValuePercent")]
    return len(men) >= 1 and len(men) == len(complete)


def _cdv15(ctx: Element, d: _Doc) -> bool:
    if sv(ctx) not in codes.STATUSES_NEEDING_REASON:
        return True
    return bool(path(up(ctx), _SDS, A + "ReasonCode"))


def _cl02_305(ctx: Element, d: _Doc) -> bool:
    return not eq(_ack_types_of_parent(ctx), "305") or eq(
        path(ctx, A + "SenderTradeParty", _ROLE), "WK"
    )


def _cl02_23(ctx: Element, d: _Doc) -> bool:
    return not eq(_ack_types_of_parent(ctx), "23") or eq(
        path(ctx, A + "SenderTradeParty", _ROLE), *_ROLES_23_SENDER
    )


def _cl03_305(ctx: Element, d: _Doc) -> bool:
    return not eq(_ack_types_of_parent(ctx), "305") or eq(
        path(ctx, A + "IssuerTradeParty", _ROLE), "WK"
    )


def _cl03_23(ctx: Element, d: _Doc) -> bool:
    return not eq(_ack_types_of_parent(ctx), "23") or eq(
        path(ctx, A + "IssuerTradeParty", _ROLE), *_ROLES_23_ISSUER
    )


def _phase(ack_type: str) -> Test:
    allowed = tuple(codes.PHASE_CODES[ack_type])

    def test(ctx: Element, d: _Doc) -> bool:
        phases = kids(ctx, A + "StatusCode")
        return ne(kids(up(ctx), A + "TypeCode"), ack_type) or eq(phases, *allowed) or not phases

    return test


def _in(values: Iterable[str]) -> Test:
    allowed = frozenset(values)

    def test(ctx: Element, d: _Doc) -> bool:
        return sv(ctx) in allowed

    return test


def _reason_scope(status: str, ctx: Element) -> bool:
    """True when the reason's status detail is *not* about ``status`` (the list then does not
    apply), following the official test literally: the invoice's status (MDT-105) and the
    detail's own status (MDT-115) are compared as node sequences."""
    ref_status = kids(up(ctx, 2), _PCC)
    own_status = kids(up(ctx), _PCC)
    return (ne(ref_status, status) and (not own_status or ne(own_status, status))) or (
        eq(ref_status, status) and ne(own_status, status)
    )


def _reasons_for(status: str) -> Test:
    allowed = codes.REASONS_FOR_STATUS[status]

    def test(ctx: Element, d: _Doc) -> bool:
        return _reason_scope(status, ctx) or sv(ctx) in allowed

    return test


def _reasons_210(ctx: Element, d: _Doc) -> bool:
    return (
        _reason_scope("210", ctx)
        or eq(with_scheme(d.abs_sender_gids(), "0238"), "9999")
        or sv(ctx) in codes.REASONS_FOR_STATUS["210"]
    )


def _reasons_210_b2g(ctx: Element, d: _Doc) -> bool:
    gids = d.any_sender_gids()
    chorus = with_scheme(gids, "0238")
    return (
        _reason_scope("210", ctx)
        or not gids
        or ne(chorus, "9999")
        or (eq(chorus, "9999") and sv(ctx) in codes.REASONS_FOR_STATUS["210B2G"])
    )


def _always(ctx: Element, d: _Doc) -> bool:
    return True


def _has(tag: str) -> Test:
    def test(ctx: Element, d: _Doc) -> bool:
        return bool(kids(ctx, tag))

    return test


PATTERNS: tuple[Pattern, ...] = (
    Pattern(
        "BR-FR-04",
        (
            Rule(
                (_ACK, _REF, A + "TypeCode"),
                (Assert("BR-FR-04_MDT-91", F, _in(codes.DOCUMENT_TYPES), _own),),
            ),
        ),
    ),
    # BR-FR-CDV-01, 04, 05, 06 and 10 test the context node itself: always true.
    Pattern(
        "BR-FR-CDV-01",
        (
            Rule(
                (R + "ExchangedDocumentContext", A + "GuidelineSpecifiedDocumentContextParameter"),
                (Assert("BR-FR-CDV-01_MDG-3", F, _always),),
            ),
        ),
    ),
    Pattern(
        "BR-FR-CDV-02",
        (
            Rule(
                (R + "CrossDomainAcknowledgementAndResponse", R + "ExchangedDocumentContext"),
                (Assert("BR-FR-CDV-02_MDT-3", F, _cdv02),),
            ),
        ),
    ),
    Pattern("BR-FR-CDV-03", (Rule((_EXD,), (Assert("BR-FR-CDV-03_MDT-4", F, _has(A + "ID")),)),)),
    Pattern(
        "BR-FR-CDV-04",
        (Rule((_EXD, A + "IssueDateTime"), (Assert("BR-FR-CDV-04_MDG-4", F, _always),)),),
    ),
    Pattern(
        "BR-FR-CDV-05",
        (Rule((_EXD, A + "SenderTradeParty"), (Assert("BR-FR-CDV-05_MDG-9", F, _always),)),),
    ),
    Pattern(
        "BR-FR-CDV-06",
        (
            Rule(
                (_EXD, A + "SenderTradeParty", _ROLE),
                (Assert("BR-FR-CDV-06_MDT-21", F, _always),),
            ),
        ),
    ),
    Pattern(
        "BR-FR-CDV-07",
        (
            Rule((_EXD, A + "IssuerTradeParty"), (Assert("BR-FR-CDV-07_MDT-38_yes", F, _cdv07),)),
            # Same context as the rule above, so the official engine never runs it (and its
            # test is always true anyway).
            Rule((_EXD, A + "IssuerTradeParty"), (Assert("BR-FR-CDV-07_MDT-38_no", F, _always),)),
        ),
    ),
    Pattern("BR-FR-CDV-08", (Rule((_EXD, _RTP), (Assert("BR-FR-CDV-08_MDT-73", F, _cdv08),)),)),
    Pattern(
        "BR-FR-CDV-09",
        (
            Rule(
                (_ACK, A + "TypeCode"),
                (Assert("BR-FR-CDV-09_MDT-77", F, _in(codes.ACK_TYPES), _own),),
            ),
        ),
    ),
    Pattern(
        "BR-FR-CDV-10",
        (Rule((_ACK, _REF, A + "IssuerAssignedID"), (Assert("BR-FR-CDV-10_MDT-87", F, _always),)),),
    ),
    Pattern("BR-FR-CDV-11", (Rule((_ACK, _REF), (Assert("BR-FR-CDV-11_MDG-35", F, _cdv11),)),)),
    Pattern(
        "BR-FR-CDV-12", (Rule((_ACK, _REF), (Assert("BR-FR-CDV-12_MDT-105", F, _has(_PCC)),)),)
    ),
    Pattern(
        "BR-FR-CDV-13",
        (Rule((_ACK, _REF, A + "IssuerTradeParty"), (Assert("BR-FR-CDV-13_MDT-129", F, _cdv13),)),),
    ),
    Pattern("BR-FR-CDV-14", (Rule((_ACK, _REF), (Assert("BR-FR-CDV-14_MDT-207", F, _cdv14),)),)),
    Pattern(
        "BR-FR-CDV-15",
        (Rule((_ACK, _REF, _PCC), (Assert("BR-FR-CDV-15_MDT-113", F, _cdv15, _own),)),),
    ),
    Pattern(
        "BR-FR-CDV-16",
        (
            Rule(
                (_ACK, _REF, _SDS),
                (Assert("BR-FR-CDV-16_MDT-124-2", F, _has(A + "SequenceNumeric")),),
            ),
        ),
    ),
    Pattern(
        "BR-FR-CDV-CL-01",
        (
            Rule(
                (R + "CrossDomainAcknowledgementAndResponse", R + "ExchangedDocumentContext"),
                (Assert("BR-FR-CDV-CL-01_MDT-2", F, _cl01),),
            ),
        ),
    ),
    Pattern(
        "BR-FR-CDV-CL-02",
        (
            Rule(
                (_EXD,),
                (
                    Assert("BR-FR-CDV-CL-02_MDT-21_305", F, _cl02_305),
                    Assert("BR-FR-CDV-CL-02_MDT-21_23", F, _cl02_23),
                ),
            ),
        ),
    ),
    Pattern(
        "BR-FR-CDV-CL-03",
        (
            Rule(
                (_EXD,),
                (
                    Assert("BR-FR-CDV-CL-03_MDT-40_305", F, _cl03_305),
                    Assert("BR-FR-CDV-CL-03_MDT-40_23", F, _cl03_23),
                ),
            ),
        ),
    ),
    Pattern(
        "BR-FR-CDV-CL-04",
        (
            Rule(
                (_EXD, _RTP, _ROLE),
                (Assert("BR-FR-CDV-CL-04_MDT-59", F, _in(_ROLES_RECIPIENT), _own),),
            ),
        ),
    ),
    Pattern(
        "BR-FR-CDV-CL-05",
        (
            Rule(
                (_ACK, _REF),
                (
                    Assert("BR-FR-CDV-CL-05_MDT-88_305", F, _phase("305")),
                    Assert("BR-FR-CDV-CL-05_MDT-88_23", F, _phase("23")),
                ),
            ),
        ),
    ),
    Pattern(
        "BR-FR-CDV-CL-06",
        (
            Rule(
                (_ACK, _REF, _PCC),
                (Assert("BR-FR-CDV-CL-06_MDT-105", W, _in(codes.STATUS_CODES), _own),),
            ),
            Rule(
                (_ACK, _REF, _SDS, _PCC),
                (Assert("BR-FR-CDV-CL-06_MDT-115", W, _in(codes.STATUS_CODES), _own),),
            ),
        ),
    ),
    Pattern(
        "BR-FR-CDV-CL-07",
        (
            Rule(
                (_ACK, _REF, A + "IssuerTradeParty", _ROLE),
                (Assert("BR-FR-CDV-CL-07_MDT-132", F, _in(("SE",)), _own),),
            ),
        ),
    ),
    Pattern(
        "BR-FR-CDV-CL-08",
        (
            Rule(
                (_ACK, _REF, _RTP, _ROLE),
                (Assert("BR-FR-CDV-CL-08_MDT-158", F, _in(_ROLES_RECIPIENT), _own),),
            ),
        ),
    ),
    Pattern(
        "BR-FR-CDV-CL-09",
        (
            Rule(
                (_ACK, _REF, _SDS, A + "ReasonCode"),
                (
                    Assert("BR-FR-CDV-CL-09_MDT-113", F, _in(codes.REASON_CODES), _own),
                    Assert("BR-FR-CDV-CL-09_MDT-113_200", F, _reasons_for("200"), _own),
                    Assert("BR-FR-CDV-CL-09_MDT-113_213", F, _reasons_for("213"), _own),
                    Assert("BR-FR-CDV-CL-09_MDT-113_210", F, _reasons_210, _own),
                    Assert("BR-FR-CDV-CL-09_MDT-113_210B2G", F, _reasons_210_b2g, _own),
                    Assert("BR-FR-CDV-CL-09_MDT-113_207", F, _reasons_for("207"), _own),
                    Assert("BR-FR-CDV-CL-09_MDT-113_206", F, _reasons_for("206"), _own),
                    Assert("BR-FR-CDV-CL-09_MDT-113_208", F, _reasons_for("208"), _own),
                    Assert("BR-FR-CDV-CL-09_MDT-113_221", F, _reasons_for("221"), _own),
                    Assert("BR-FR-CDV-CL-09_MDT-113_501", F, _reasons_for("501"), _own),
                ),
            ),
        ),
    ),
    Pattern(
        "BR-FR-CDV-CL-10",
        (
            Rule(
                (_ACK, _REF, _SDS, A + "RequestedActionCode"),
                (Assert("BR-FR-CDV-CL-10_MDT-121", F, _in(codes.ACTION_CODES), _own),),
            ),
        ),
    ),
    Pattern(
        "BR-FR-CDV-CL-11",
        (
            Rule(
                (_ACK, _REF, _SDS, A + "SpecifiedDocumentCharacteristic", A + "TypeCode"),
                (Assert("BR-FR-CDV-CL-11_MDT-207", F, _in(codes.CHARACTERISTIC_TYPES), _own),),
            ),
        ),
    ),
)

#: Every rule id of the set, in the official order.
RULE_IDS: tuple[str, ...] = tuple(a.id for p in PATTERNS for r in p.rules for a in r.asserts)


def location(el: Element) -> str:
    """The element's path with positions, in the style of the official reports
    (``/rsm:CrossDomainAcknowledgementAndResponse[1]/rsm:ExchangedDocument[1]/ram:ID[1]``)."""
    steps = []
    cur: Element | None = el
    while cur is not None:
        q = etree.QName(cur)
        parent = cur.getparent()
        pos = 1
        if parent is not None:
            for sib in parent:
                if sib is cur:
                    break
                if sib.tag == cur.tag:
                    pos += 1
        pfx = _PREFIX.get(q.namespace or "")
        if pfx:
            steps.append(f"{pfx}:{q.localname}[{pos}]")
        else:
            steps.append(f"*:{q.localname}[namespace-uri()='{q.namespace or ''}'][{pos}]")
        cur = parent
    return "/" + "/".join(reversed(steps))


def _quote(value: str) -> str:
    shown = value if len(value) <= 80 else value[:77] + "..."
    return f"value {shown!r}"


#: The two editions of the FNFE package: ``fatal`` (what the platforms apply from
#: 1 September 2026, and the default) and ``warning`` (the transition edition: the same rules
#: with every flag set to warning).
EDITIONS = ("fatal", "warning")


def check_cdv(tree: etree._ElementTree | Element, edition: str = "fatal") -> list[RawResult]:
    """Run every BR-FR-CDV rule on a CDAR document; one result per failing context element.

    ``edition="warning"`` gives the results of the WARNING edition of the rules (every
    finding a warning).
    """
    if edition not in EDITIONS:
        raise ValueError(f"unknown edition {edition!r}; choose one of {EDITIONS}")
    root = tree.getroot() if isinstance(tree, etree._ElementTree) else tree
    doc = _Doc(root)
    elements = [e for e in root.iter() if isinstance(e.tag, str)]
    out: list[RawResult] = []
    for pattern in PATTERNS:
        for el in elements:
            rule = next((r for r in pattern.rules if r.matches(el)), None)
            if rule is None:
                continue
            for a in rule.asserts:
                if a.test(el, doc):
                    continue
                out.append(
                    RawResult(
                        rule=a.id,
                        severity=a.severity if edition == "fatal" else W,
                        location=location(el),
                        text=_quote(a.value(el)) if a.value else "",
                        bt=(),
                    )
                )
    return out
