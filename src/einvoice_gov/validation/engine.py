"""Run the validation chain on one document and gather a :class:`Report`."""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from lxml import etree

from einvoice_gov.cdar import stages as cdar_stages
from einvoice_gov.errors import InputError
from einvoice_gov.formats.document import Document, load
from einvoice_gov.validation import official, options, registry
from einvoice_gov.validation.chains import ChainChoice, StageSpec, plan
from einvoice_gov.validation.findings import (
    Finding,
    Report,
    Severity,
    Stage,
    StageStatus,
    new_finding,
)
from einvoice_gov.validation.locations import resolve, short_path
from einvoice_gov.validation.official import RawResult, StageCrash
from einvoice_gov.validation.xsd import BACKENDS


class RuleEngine(Protocol):
    """Runs schematron-level stages. ``run`` returns ``None`` when the stage is unavailable."""

    name: str

    def prepare(self, doc: Document) -> Any: ...

    def run(self, spec: StageSpec, doc: Document, prepared: Any) -> list[RawResult] | None: ...


class OfficialEngine:
    """The compiled official schematrons run by Saxon."""

    name = "official"

    def prepare(self, doc: Document) -> Any:
        if not official.available():
            return None
        assert doc.tree is not None
        return official.SaxonDocument(etree.tostring(doc.tree, encoding="UTF-8"))

    def run(self, spec: StageSpec, doc: Document, prepared: Any) -> list[RawResult] | None:
        if prepared is None:
            return None
        return official.run(spec.key, prepared)


def _native() -> RuleEngine:
    from einvoice_gov.native.engine import NativeEngine

    return NativeEngine()


_FRENCH_STAGES = frozenset({Stage.BR_FR, Stage.BR_FR_CDV})

ENGINES: dict[str, RuleEngine] = {"official": OfficialEngine(), "native": _native()}
#: The engine used when none is named: the native one (the official artefacts compiled to
#: Python; same verdicts as Saxon on every conformance file and stage, see tests/native and
#: tests/known_divergences.py; nothing beyond Python and lxml; docs/decisions/0303).
DEFAULT_ENGINE = options.DEFAULT_ENGINE


def register_engine(engine: RuleEngine) -> None:
    ENGINES[engine.name] = engine


#: Stages the native engine takes from ``einvoice_gov.cdar`` (CDAR status messages: no
#: artefact ships for them, so the official engine reports them unavailable).
NATIVE_CDAR_KEYS = cdar_stages.KEYS


@dataclass
class Options:
    chain: ChainChoice = ChainChoice.AUTO
    engine: str = DEFAULT_ENGINE
    lang: str = "en"
    xsd_backend: str = "lxml"
    #: BR-FR edition: "fatal" (what platforms apply since 1 Sept 2026) or "warning" (the FNFE
    #: pass-through edition: same rules, every flag a warning; docs/validation.md).
    fr_edition: str = "fatal"
    timings: dict[str, float] = field(default_factory=dict)


def _finding(
    rule: str,
    stage: Stage,
    lang: str,
    detail: str = "",
    *,
    severity: Severity | None = None,
    location: str | None = None,
    line: int | None = None,
    bt: tuple[str, ...] = (),
) -> Finding:
    r = registry.get(rule)
    if r is None:
        return new_finding(
            rule=rule,
            stage=stage,
            severity=severity or Severity.ERROR,
            message=detail,
            location=location,
            line=line,
            bt=bt,
        )
    return new_finding(
        rule=rule,
        stage=stage,
        severity=severity or r.severity,
        message=r.message(lang, detail),
        location=location,
        line=line,
        bt=bt or r.bt,
        fix=r.fix(lang),
    )


def input_failure(path: str, exc: InputError, lang: str) -> Report:
    rep = Report.model_construct(path=path)
    stage = (
        Stage.PDF if exc.rule.startswith("PDF-") and exc.rule != "PDF-UNREADABLE" else Stage.INPUT
    )
    if exc.rule in ("PDF-ENCRYPTED", "PDF-UNREADABLE"):
        rep.syntax, rep.document = "pdf", "unknown"
        stage = Stage.INPUT
    rep.findings.append(_finding(exc.rule, stage, lang, str(exc)))
    return rep.finish()


def _line(el: Any) -> int | None:
    line = el.sourceline if el is not None else None
    return line if isinstance(line, int) else None


def _from_raw(raw: RawResult, spec: StageSpec, doc: Document, lang: str) -> Finding:
    el = resolve(doc.tree, raw.location) if doc.tree is not None and raw.location else None
    r = registry.get(raw.rule, artefact=spec.key)
    message = r.message(lang) if r is not None else raw.text
    return new_finding(
        rule=raw.rule,
        stage=spec.stage,
        severity=raw.severity,
        message=message,
        location=short_path(el) if el is not None else raw.location,
        line=_line(el),
        bt=raw.bt or (r.bt if r else ()),
        fix=r.fix(lang) if r else None,
    )


def _stage_status(old: StageStatus | None, new: StageStatus) -> StageStatus:
    order = [StageStatus.SKIPPED, StageStatus.PASSED, StageStatus.UNAVAILABLE, StageStatus.FAILED]
    if old is None:
        return new
    return max(old, new, key=order.index)


def check_document(doc: Document, opts: Options) -> Report:
    """Run the chain on a loaded document."""
    from einvoice_gov.validation import pdfchecks, readiness

    lang = opts.lang
    rep = Report.model_construct(
        path=doc.path,
        syntax=doc.syntax,
        document=doc.document,
        profile=doc.profile,
        engine=opts.engine,
        sha256=doc.sha256,
        flavour=doc.flavour,
    )
    rep.notes.extend(doc.notes)
    if doc.pdf is not None:
        rep.stages[Stage.PDF.value] = StageStatus.PASSED
        for f in pdfchecks.check(doc, lang):
            rep.findings.append(f)
        if any(f.severity is Severity.ERROR for f in rep.findings):
            rep.stages[Stage.PDF.value] = StageStatus.FAILED
    if doc.tree is None:
        return rep.finish()
    if doc.syntax in ("unknown", "fatturapa", "orderx"):
        root = etree.QName(doc.tree.getroot())
        if doc.syntax == "orderx":
            rep.findings.append(
                _finding(
                    "INPUT-NOT-INVOICE", Stage.INPUT, lang, "Order-X is an order, not an invoice"
                )
            )
        else:
            what = (
                "FatturaPA (Italian format)"
                if doc.syntax == "fatturapa"
                else f"root element {root.localname!r} in namespace {root.namespace!r}"
            )
            rep.findings.append(_finding("INPUT-UNSUPPORTED-FORMAT", Stage.INPUT, lang, what))
        return rep.finish()
    chain_name, stages = plan(doc, opts.chain)
    rep.chain = chain_name
    engine = ENGINES[opts.engine]
    backend = BACKENDS[opts.xsd_backend]
    prepared: Any = None
    prepared_done = False
    for spec in stages:
        t0 = time.perf_counter()
        status: StageStatus
        if engine.name == "native" and spec.key in NATIVE_CDAR_KEYS:
            for raw in cdar_stages.run(spec.key, doc.tree, lang) or []:
                rep.findings.append(_from_raw(raw, spec, doc, lang))
            failed = any(
                f.stage is spec.stage and f.severity is Severity.ERROR for f in rep.findings
            )
            status = StageStatus.FAILED if failed else StageStatus.PASSED
        elif spec.kind == "xsd":
            found = backend.validate(spec.key, doc.tree)
            if found is None:
                status = StageStatus.UNAVAILABLE
            else:
                rep.findings.extend(found)
                status = StageStatus.FAILED if found else StageStatus.PASSED
        else:
            if not prepared_done:
                prepared = engine.prepare(doc)
                prepared_done = True
            try:
                raws = engine.run(spec, doc, prepared)
            except StageCrash as exc:
                f = _finding("STAGE-ERROR", spec.stage, lang, str(exc))
                if exc.code:  # the XPath error code, as the conformance verdicts name it
                    f = f.model_copy(update={"rule": f"STAGE-ERROR:{exc.code}"})
                rep.findings.append(f)
                raws = []
            if raws is None:
                status = StageStatus.UNAVAILABLE
                rep.notes.append(
                    f"stage {spec.name}: no artefact available to engine "
                    f"{engine.name}; verdict unknown"
                )
            else:
                soften = opts.fr_edition == "warning" and spec.stage in _FRENCH_STAGES
                for raw in raws:
                    if soften and raw.severity is Severity.ERROR:
                        raw = dataclasses.replace(raw, severity=Severity.WARNING)
                    rep.findings.append(_from_raw(raw, spec, doc, lang))
                status = (
                    StageStatus.FAILED
                    if any(
                        f.stage is spec.stage and f.severity is Severity.ERROR for f in rep.findings
                    )
                    else StageStatus.PASSED
                )
        rep.stages[spec.name] = _stage_status(rep.stages.get(spec.name), status)
        opts.timings[spec.name] = opts.timings.get(spec.name, 0.0) + time.perf_counter() - t0
    ready = readiness.check(doc, lang)
    if ready:
        rep.findings.extend(ready)
    rep.stages[Stage.READINESS.value] = (
        StageStatus.FAILED
        if any(f.severity is Severity.ERROR for f in ready)
        else StageStatus.PASSED
    )
    return rep.finish()


def validate(
    source: str | Path | bytes,
    *,
    chain: str | ChainChoice = ChainChoice.AUTO,
    engine: str = DEFAULT_ENGINE,
    lang: str = "en",
    xsd_backend: str = "lxml",
    name: str | None = None,
    fr_edition: str = "fatal",
) -> Report:
    """Validate one invoice (path or bytes) and return its :class:`Report`.

    Never raises for a bad input: an unreadable, hostile or unknown file gives a report with
    ``valid == False`` and an error finding. Raises ``ValueError`` for a bad option.

    ``fr_edition``: ``"fatal"`` (default; what platforms apply since 1 Sept 2026) or
    ``"warning"`` (FNFE's pass-through edition: the French rules BR-FR and BR-FR-CDV report
    warnings instead of errors).
    """
    if fr_edition not in ("fatal", "warning"):
        raise ValueError(f"unknown French rules edition {fr_edition!r}; choose fatal or warning")
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}; choose one of {sorted(ENGINES)}")
    if xsd_backend not in BACKENDS:
        raise ValueError(f"unknown XSD backend {xsd_backend!r}")
    opts = Options(
        chain=ChainChoice(chain),
        engine=engine,
        lang=lang,
        xsd_backend=xsd_backend,
        fr_edition=fr_edition,
    )
    path = name or ("<bytes>" if isinstance(source, bytes) else str(source))
    try:
        doc = load(source, name=name)
    except InputError as exc:
        return input_failure(path, exc, lang)
    return check_document(doc, opts)
