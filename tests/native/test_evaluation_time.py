"""When a ``for`` clause is evaluated: the native engine against Saxon on small stylesheets.

Each case is a one-assert stylesheet in the schematron skeleton's shape, written here, run on
a small document by Saxon (the official engine's processor) and by the native compiler. The
outcome compared is: the assert holds, fails, or its evaluation raises XPTY0004. The cases
are the shapes of :mod:`einvoice_gov.native.lifting`: a clause over one item is a lazy
variable, unless Saxon lifts its expression out of a loop and reads the variable in a loop
(then it is evaluated when bound), and a clause Saxon types "at most one" is a loop, evaluated
when reached. The analysis itself is checked on the same cases without Saxon.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from einvoice_gov.native import codegen, engine, runtime, xpath, xslt
from einvoice_gov.native.lifting import eager_binds
from einvoice_gov.validation import official

DOC = b"<r><x>a</x><x>b</x><y>k</y><z>1</z><z>2</z><e/></r>"

#: a predicate that raises XPTY0004 when evaluated (two x), without changing static types
RAISES = "string-length(normalize-space(current()/x)) > 0"

#: a loop over one item (``xs:decimal`` of a node is "at most one" for Saxon)
LOOP = "for $r in xs:decimal(z[1]), "

#: test -> the names of the clauses the analysis marks (evaluated when bound or reached)
CASES: dict[str, set[str]] = {
    # lifted (no dependency on $r) and read in a predicate: evaluated when bound
    LOOP + "$t in normalize-space(x) return $r = 1 or count(nope[. = $t]) = 0": {
        "r",
        "t",
    },
    # lifted but read twice outside any loop: Saxon inlines it, lazy
    LOOP + "$t in normalize-space(x) return $r = 1 or ($t = 'a' and $t = 'b')": {"r"},
    # no loop around it: lazy even though read in a predicate
    "for $t in normalize-space(x) return count(nope[. = $t]) = count(z)": set(),
    # the loop runs zero times: never bound
    "for $r in xs:decimal(e[2]), $t in normalize-space(x) return count(nope[. = $t]) = $r": {
        "r",
        "t",
    },
    # depends on the loop variable: not lifted, lazy
    LOOP + "$t in normalize-space(x[$r]) return count(nope[. = $t]) = $r": {"r"},
    # the whole rest does not depend on $r: lifted as one, the variable stays lazy
    LOOP + "$t in normalize-space(x) return count(nope[. = $t]) = 0": {"r"},
    # sum() is "at most one" for Saxon: a loop, evaluated when reached
    f"for $t in sum(z[{RAISES}]) return true()": {"t"},
    f"for $t in xs:decimal(round(sum(z[{RAISES}]) * 100) div 100) return true()": {"t"},
    # count() and round() of one item are exactly one: lazy, never read
    f"for $t in xs:decimal(count(z[{RAISES}])) return true()": set(),
    f"for $t in round(count(z[{RAISES}])) return true()": set(),
    # a variable bound to an inlined one-item variable inherits its expression
    LOOP + "$t in normalize-space(x), $u in $t return count(nope[. = $u]) = $r": {
        "r",
        "u",
    },
}


def _stylesheet(test: str) -> bytes:
    """A one-rule, one-assert stylesheet in the skeleton's shape (what xslt.load reads)."""
    X = "http://www.w3.org/1999/XSL/Transform"
    S = "http://purl.oclc.org/dsdl/svrl"
    nsmap = {"xsl": X, "svrl": S, "xs": "http://www.w3.org/2001/XMLSchema"}
    root = etree.Element(f"{{{X}}}stylesheet", nsmap=nsmap, version="2.0")
    top = etree.SubElement(root, f"{{{X}}}template", match="/")
    out = etree.SubElement(top, f"{{{S}}}schematron-output", title="probe")
    etree.SubElement(out, f"{{{S}}}active-pattern", name="p")
    etree.SubElement(out, f"{{{X}}}apply-templates", select="/", mode="M1")
    rule = etree.SubElement(root, f"{{{X}}}template", match="r", priority="1000", mode="M1")
    etree.SubElement(rule, f"{{{S}}}fired-rule", context="r")
    choose = etree.SubElement(rule, f"{{{X}}}choose")
    etree.SubElement(choose, f"{{{X}}}when", test=test)
    fa = etree.SubElement(etree.SubElement(choose, f"{{{X}}}otherwise"), f"{{{S}}}failed-assert")
    fa.set("test", test)
    etree.SubElement(fa, f"{{{X}}}attribute", name="id").text = "PROBE"
    etree.SubElement(rule, f"{{{X}}}apply-templates", select="*", mode="M1")
    walk = etree.SubElement(root, f"{{{X}}}template", match="@*|node()", priority="-2")
    walk.set("mode", "M1")
    etree.SubElement(walk, f"{{{X}}}apply-templates", select="*", mode="M1")
    return etree.tostring(root)


_n = itertools.count()


def _native(path: Path) -> str:
    src = codegen.compile_schema(xslt.load(path)).source
    mod_path = path.with_suffix(".py")
    mod_path.write_text(src, encoding="utf-8")
    st = engine.CompiledStage("probe", engine._import(mod_path, f"_einvoice_probe_{next(_n)}"))
    with runtime.decimal_context():
        hits = st.hits(runtime.build(etree.fromstring(DOC).getroottree()))
    if any(err for _, _, err in hits):
        return "error " + ",".join(sorted({err for _, _, err in hits if err}))
    return "fails" if hits else "holds"


def _saxon(path: Path) -> str:
    sx = official.saxon()
    exe = sx.xslt.compile_stylesheet(stylesheet_file=str(path))
    node = sx.proc.parse_xml(xml_text=DOC.decode())
    try:
        out = exe.transform_to_string(xdm_node=node) or ""
    except Exception as exc:  # saxonche raises its own error class
        code = "XPTY0004" if "more than one item" in str(exc) else type(exc).__name__
        return f"error {code}"
    return "fails" if "failed-assert" in out else "holds"


def _names(test: str) -> set[str]:
    ast = xpath.parse(test, {"xs": "http://www.w3.org/2001/XMLSchema"})
    marked = {id(e) for e in eager_binds(ast)}
    out: set[str] = set()

    def walk(a: Any) -> None:
        if isinstance(a, list):
            for x in a:
                walk(x)
        elif isinstance(a, tuple) and a and isinstance(a[0], str):
            if a[0] in ("for", "some", "every"):
                out.update(name for name, e in a[1] if id(e) in marked)
                for _, e in a[1]:
                    walk(e)
                walk(a[2])
            else:
                for x in a[1:]:
                    walk(x)

    walk(ast)
    return out


@pytest.mark.parametrize("test", list(CASES))
def test_marked_clauses(test: str) -> None:
    assert _names(test) == CASES[test]


@pytest.mark.skipif(not official.available(), reason="saxonche is not installed")
@pytest.mark.parametrize("test", list(CASES))
def test_native_evaluates_clauses_when_saxon_does(test: str, tmp_path: Path) -> None:
    path = tmp_path / "probe.xslt"
    path.write_bytes(_stylesheet(test))
    assert _native(path) == _saxon(path)
