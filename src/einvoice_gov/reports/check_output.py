"""Renderers of ``check`` results: text, json, jsonl, junit. Each writes as reports arrive."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import IO

from einvoice_gov.validation import options
from einvoice_gov.validation.findings import Report, Severity

FORMATS = options.OUTPUT_FORMATS

_WORDS = {
    "en": {
        "valid": "valid",
        "unchecked": "not checked",
        "invalid": "INVALID",
        "error": "error",
        "warning": "warning",
        "info": "info",
        "line": "line",
        "fix": "fix",
        "files": "files",
        "more": "more",
        "summary": "{n} file(s): {ok} valid, {bad} invalid, {err} error(s), {warn} warning(s)",
    },
    "fr": {
        "valid": "valide",
        "unchecked": "non contrôlé",
        "invalid": "INVALIDE",
        "error": "erreur",
        "warning": "alerte",
        "info": "info",
        "line": "ligne",
        "fix": "correctif",
        "files": "fichiers",
        "more": "de plus",
        "summary": "{n} fichier(s) : {ok} valide(s), {bad} invalide(s), {err} erreur(s), "
        "{warn} alerte(s)",
    },
}


def _text(
    reports: Iterable[Report], out: IO[str], lang: str, max_findings: int
) -> Iterator[Report]:
    w = _WORDS.get(lang, _WORDS["en"])
    n = ok = err = warn = 0
    for rep in reports:
        n += 1
        ok += rep.valid
        e = len(rep.errors())
        wa = len(rep.warnings())
        err += e
        warn += wa
        mark = "✓" if rep.valid else "✗"
        what = " ".join(x for x in (rep.syntax, rep.document, rep.profile or "") if x)
        state = w["valid"] if rep.valid else w["invalid"]
        unchecked = [name for name, st in rep.stages.items() if st == "unavailable"]
        if unchecked:  # never let "valid" hide a stage that could not run
            state += f" ({w['unchecked']}: {', '.join(unchecked)})"
        out.write(f"{mark} {rep.path}  [{what}]  {state}: {e} {w['error']}, {wa} {w['warning']}\n")
        shown = rep.most_relevant()
        for f in shown[:max_findings]:
            line = f" ({w['line']} {f.line})" if f.line else ""
            bt = f" [{', '.join(f.bt)}]" if f.bt else ""
            out.write(f"    {w[f.severity.value]:<7} {f.rule}{line}{bt}: {f.message}\n")
            if f.fix:
                out.write(f"            → {f.fix}\n")
        if len(shown) > max_findings:
            out.write(f"    … {len(shown) - max_findings} {w['more']}\n")
        out.flush()
        yield rep
    out.write(w["summary"].format(n=n, ok=ok, bad=n - ok, err=err, warn=warn) + "\n")


def _jsonl(reports: Iterable[Report], out: IO[str]) -> Iterator[Report]:
    for rep in reports:
        out.write(json.dumps(rep.contract(), ensure_ascii=False) + "\n")
        out.flush()
        yield rep


def _json(reports: Iterable[Report], out: IO[str]) -> Iterator[Report]:
    out.write("[")
    first = True
    for rep in reports:
        out.write(("\n" if first else ",\n") + json.dumps(rep.contract(), ensure_ascii=False))
        first = False
        yield rep
    out.write("\n]\n")


def _junit(reports: Iterable[Report], out: IO[str]) -> Iterator[Report]:
    from xml.sax.saxutils import escape, quoteattr  # lazy: pulls in urllib (start-up)

    # Streamed: the totals go in a trailing <testsuites> attribute-free wrapper.
    out.write(
        '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="einvoice-gov">\n'
        '<testsuite name="einvoice-gov check">\n'
    )
    for rep in reports:
        out.write(f"  <testcase classname={quoteattr(rep.syntax)} name={quoteattr(rep.path)}>\n")
        errs = [f for f in rep.findings if f.severity is Severity.ERROR]
        if errs:
            body = "\n".join(
                f"{f.rule} [{f.stage.value}] line {f.line or '?'}: {f.message}" for f in errs
            )
            out.write(
                f"    <failure message={quoteattr(f'{len(errs)} error(s)')} "
                f'type="invalid">{escape(body)}</failure>\n'
            )
        warns = [f for f in rep.findings if f.severity is not Severity.ERROR]
        if warns:
            body = "\n".join(f"{f.severity.value} {f.rule}: {f.message}" for f in warns)
            out.write(f"    <system-out>{escape(body)}</system-out>\n")
        out.write("  </testcase>\n")
        yield rep
    out.write("</testsuite>\n</testsuites>\n")


def render(
    reports: Iterable[Report], out: IO[str], fmt: str, *, lang: str = "en", max_findings: int = 10
) -> Iterator[Report]:
    """Write ``reports`` to ``out`` in ``fmt`` while passing each report through."""
    if fmt == "text":
        return _text(reports, out, lang, max_findings)
    if fmt == "jsonl":
        return _jsonl(reports, out)
    if fmt == "json":
        return _json(reports, out)
    if fmt == "junit":
        return _junit(reports, out)
    raise ValueError(f"unknown format {fmt!r}")
