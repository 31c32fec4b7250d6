"""A small seeded mutator of invoices, for differential tests of the native engine.

Each mutant is a base invoice with one to three operations applied, of the kinds the rules are
about: elements deleted, duplicated, emptied or transplanted from another invoice, amounts,
codes, dates, attributes and VAT categories changed. Everything is deterministic for a seed, so
a failing mutant can be rebuilt from its seed alone.
"""

from __future__ import annotations

import copy
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation, localcontext
from pathlib import Path

from lxml import etree

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_blank_text=False)

#: code values tried where an element or attribute holds a code (valid and invalid ones)
CODES: dict[str, tuple[str, ...]] = {
    "TypeCode": (
        "380",
        "381",
        "384",
        "389",
        "751",
        "VAT",
        "30",
        "58",
        "59",
        "130",
        "916",
        "999",
        "",
    ),
    "CategoryCode": ("S", "Z", "E", "AE", "K", "G", "O", "L", "M", "B", "X", ""),
    "TaxCategoryCode": ("S", "Z", "E", "AE", "K", "G", "O", "L", "M", "X"),
    "CurrencyCode": ("EUR", "USD", "GBP", "XXX", "eur", ""),
    "InvoiceCurrencyCode": ("EUR", "USD", "SEK", "ZZZ"),
    "TaxCurrencyCode": ("EUR", "USD", "SEK", "ZZZ"),
    "DocumentCurrencyCode": ("EUR", "USD", "SEK", "ZZZ"),
    "CountryID": ("FR", "DE", "BE", "XX", "fr", ""),
    "IdentificationCode": ("FR", "DE", "NO", "XX"),
    "ReasonCode": ("95", "100", "AA", "ABL", "FC", "ZZZ", "XYZ", ""),
    "AllowanceChargeReasonCode": ("95", "100", "AA", "ABL", "FC", "ZZZ", "XYZ"),
    "PaymentMeansCode": ("30", "31", "42", "48", "49", "57", "58", "59", "97", "1", "ZZ"),
    "ExemptionReasonCode": ("VATEX-EU-AE", "VATEX-EU-IC", "VATEX-EU-G", "VATEX-EU-O", "X"),
    "TaxExemptionReasonCode": ("VATEX-EU-AE", "VATEX-EU-IC", "VATEX-EU-G", "VATEX-EU-O", "X"),
    "DueDateTypeCode": ("5", "29", "72", "3", "X"),
    "DescriptionCode": ("3", "35", "432", "X"),
    "SubjectCode": ("AAA", "AAB", "PMT", "PMD", "REG", "XXX"),
    "ReferenceTypeCode": ("AAA", "ON", "XYZ", ""),
    "Indicator": ("true", "false", "1", "0", "yes", ""),
    "ChargeIndicator": ("true", "false", "1", "yes"),
    "ProfileID": ("urn:fdc:peppol.eu:2017:poacc:billing:01:1.0", "x"),
}
ATTRS: dict[str, tuple[str, ...]] = {
    "currencyID": ("EUR", "USD", "XXX", ""),
    "schemeID": ("0002", "0009", "0088", "0225", "VA", "FC", "EM", "9999", "XX", ""),
    "unitCode": ("C62", "H87", "EA", "XYZ", ""),
    "mimeCode": ("application/pdf", "image/png", "text/xml", "application/zip", ""),
    "format": ("102", "610", "616", "999"),
    "listID": ("7161", "5153", "ZZZ", ""),
    "filename": ("a.pdf", ""),
    "languageID": ("fr", "en"),
}
GUIDELINES = (
    "urn:cen.eu:en16931:2017",
    "urn:cen.eu:en16931:2017#compliant#urn:factur-x.eu:1p0:basic",
    "urn:cen.eu:en16931:2017#conformant#urn:factur-x.eu:1p0:extended",
    "urn:cen.eu:en16931:2017#conformant#urn.cpro.gouv.fr:1p0:extended-ctc-fr",
    "urn:factur-x.eu:1p0:basicwl",
    "urn:factur-x.eu:1p0:minimum",
    "urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0",
    "x",
)
DATES = ("20240229", "20230229", "20241301", "2024-01-15", "19990305", "20991231", "202401", "")


@dataclass
class Mutant:
    seed: int
    base: str
    ops: list[str] = field(default_factory=list)
    data: bytes = b""


def local(el: etree._Element) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def _elements(root: etree._Element) -> list[etree._Element]:
    return [e for e in root.iter() if isinstance(e.tag, str) and e is not root]


def _leaves(root: etree._Element) -> list[etree._Element]:
    return [e for e in _elements(root) if len(e) == 0]


def _path(el: etree._Element) -> str:
    parts = []
    while el is not None and isinstance(el.tag, str):
        parts.append(local(el))
        el = el.getparent()
    return "/".join(reversed(parts))


class Mutator:
    """Mutants of a set of base invoices (all of one syntax, so that transplants fit)."""

    def __init__(self, bases: Sequence[Path]) -> None:
        self.bases = [p for p in bases]
        self.trees = [etree.parse(str(p), _PARSER) for p in self.bases]
        # every element of every base, by its parent's local name: what "add" can transplant
        self.donors: dict[str, list[etree._Element]] = {}
        for t in self.trees:
            for e in _elements(t.getroot()):
                p = e.getparent()
                if p is not None:
                    self.donors.setdefault(local(p), []).append(e)

    def mutant(self, seed: int) -> Mutant:
        rnd = random.Random(seed)
        i = rnd.randrange(len(self.trees))
        tree = copy.deepcopy(self.trees[i])
        m = Mutant(seed, self.bases[i].name)
        for _ in range(rnd.choice((1, 1, 2, 2, 3))):
            op = rnd.choice(self.OPS)
            done = op(self, rnd, tree.getroot())
            if done:
                m.ops.append(done)
        m.data = etree.tostring(tree, xml_declaration=True, encoding="UTF-8")
        return m

    # --- operations: each returns a description, or "" when it found nothing to do -------
    def op_delete(self, rnd: random.Random, root: etree._Element) -> str:
        els = _elements(root)
        el = rnd.choice(els)
        el.getparent().remove(el)
        return f"delete {_path(el)}"

    def op_duplicate(self, rnd: random.Random, root: etree._Element) -> str:
        el = rnd.choice(_elements(root))
        el.addnext(copy.deepcopy(el))
        return f"duplicate {_path(el)}"

    def op_empty(self, rnd: random.Random, root: etree._Element) -> str:
        el = rnd.choice(_leaves(root))
        el.text = rnd.choice(("", " "))
        return f"empty {_path(el)}"

    def op_amount(self, rnd: random.Random, root: etree._Element) -> str:
        nums = []
        for e in _leaves(root):
            try:
                Decimal((e.text or "").strip())
                nums.append(e)
            except InvalidOperation:
                pass
        if not nums:
            return ""
        el = rnd.choice(nums)
        v = Decimal((el.text or "").strip())
        with localcontext() as ctx:
            ctx.prec = 1000  # exact for any amount the other operations can make
            new = rnd.choice(
                (
                    v + Decimal("0.01"),
                    v - Decimal("0.01"),
                    v + 1,
                    v * 2,
                    -v,
                    Decimal(0),
                    v + Decimal("0.005"),
                    v * Decimal("1.0000"),
                    "abc",
                    "1,5",
                )
            )
        el.text = str(new)
        return f"amount {_path(el)} -> {el.text}"

    def op_code(self, rnd: random.Random, root: etree._Element) -> str:
        els = [e for e in _leaves(root) if local(e) in CODES]
        if not els:
            return ""
        el = rnd.choice(els)
        el.text = rnd.choice(CODES[local(el)])
        return f"code {_path(el)} -> {el.text!r}"

    def op_date(self, rnd: random.Random, root: etree._Element) -> str:
        els = [
            e
            for e in _leaves(root)
            if local(e) in ("DateTimeString", "DateString") or local(e).endswith("Date")
        ]
        if not els:
            return ""
        el = rnd.choice(els)
        el.text = rnd.choice(DATES)
        return f"date {_path(el)} -> {el.text!r}"

    def op_attr(self, rnd: random.Random, root: etree._Element) -> str:
        els = [e for e in _elements(root) if set(e.attrib) & set(ATTRS)]
        if els and rnd.random() < 0.5:
            el = rnd.choice(els)
            name = rnd.choice(sorted(set(el.attrib) & set(ATTRS)))
            if rnd.random() < 0.4:
                del el.attrib[name]
                return f"attr {_path(el)} -{name}"
            el.set(name, rnd.choice(ATTRS[name]))
            return f"attr {_path(el)} {name}={el.get(name)!r}"
        el = rnd.choice(_leaves(root))
        name = rnd.choice(sorted(ATTRS))
        el.set(name, rnd.choice(ATTRS[name]))
        return f"attr {_path(el)} +{name}={el.get(name)!r}"

    def op_transplant(self, rnd: random.Random, root: etree._Element) -> str:
        parents = [e for e in [root, *_elements(root)] if local(e) in self.donors]
        if not parents:
            return ""
        parent = rnd.choice(parents)
        donor = copy.deepcopy(rnd.choice(self.donors[local(parent)]))
        same = [c for c in parent if isinstance(c.tag, str) and c.tag == donor.tag]
        if same:
            same[-1].addnext(donor)
        else:
            parent.insert(rnd.randrange(len(parent) + 1), donor)
        return f"add {_path(donor)}"

    def op_vatcat(self, rnd: random.Random, root: etree._Element) -> str:
        cats = [e for e in _leaves(root) if local(e) in ("CategoryCode", "ID") and e.text]
        cats = [
            e
            for e in cats
            if local(e) == "CategoryCode"
            or (local(e.getparent()) == "TaxCategory" and len(e.text or "") <= 2)
        ]
        values = sorted({(e.text or "").strip() for e in cats})
        if not values:
            return ""
        old = rnd.choice(values)
        new = rnd.choice(("S", "Z", "E", "AE", "K", "G", "O", "L", "M"))
        zero = rnd.random() < 0.5
        for e in cats:
            if (e.text or "").strip() == old:
                e.text = new
                if zero:
                    for sib in e.getparent():
                        if local(sib) in ("RateApplicablePercent", "Percent"):
                            sib.text = "0"
        return f"vatcat {old} -> {new}{' (rate 0)' if zero else ''}"

    def op_swap(self, rnd: random.Random, root: etree._Element) -> str:
        leaves = [e for e in _leaves(root) if (e.text or "").strip()]
        if len(leaves) < 2:
            return ""
        a, b = rnd.sample(leaves, 2)
        a.text, b.text = b.text, a.text
        return f"swap {_path(a)} <-> {_path(b)}"

    def op_lengthen(self, rnd: random.Random, root: etree._Element) -> str:
        leaves = [e for e in _leaves(root) if (e.text or "").strip()]
        if not leaves:
            return ""
        el = rnd.choice(leaves)
        el.text = (el.text or "") * rnd.choice((2, 50, 400))
        return f"lengthen {_path(el)}"

    def op_unknown(self, rnd: random.Random, root: etree._Element) -> str:
        parent = rnd.choice([root, *_elements(root)])
        ns = etree.QName(parent).namespace if rnd.random() < 0.6 else "urn:example:unknown"
        el = etree.SubElement(parent, f"{{{ns}}}" + rnd.choice(("Ext", "Note", "ID", "Amount")))
        el.text = rnd.choice(("x", "1.00", ""))
        return f"unknown {_path(el)}"

    def op_profile(self, rnd: random.Random, root: etree._Element) -> str:
        els = [
            e
            for e in _leaves(root)
            if local(e) in ("CustomizationID", "ID")
            and local(e.getparent())
            in ("Invoice", "CreditNote", "GuidelineSpecifiedDocumentContextParameter")
        ]
        if not els:
            return ""
        el = rnd.choice(els)
        el.text = rnd.choice(GUIDELINES)
        return f"profile {_path(el)} -> {el.text}"

    OPS = (
        op_delete,
        op_delete,
        op_duplicate,
        op_empty,
        op_amount,
        op_amount,
        op_code,
        op_code,
        op_date,
        op_attr,
        op_transplant,
        op_transplant,
        op_vatcat,
        op_swap,
        op_lengthen,
        op_unknown,
        op_profile,
    )
