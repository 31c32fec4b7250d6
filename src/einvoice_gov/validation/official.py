"""The official engine: the FNFE-MPE / CEN compiled schematrons run by Saxon (saxonche).

Each XSLT is compiled once per process, on first use. Saxon is an optional dependency
(``pip install einvoice-gov[official]``); without it every schematron stage is ``unavailable``.
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
import threading
from dataclasses import dataclass
from typing import Any

from lxml import etree

from einvoice_gov.validation.artefacts import artefact_path
from einvoice_gov.validation.findings import Severity

SVRL = "http://purl.oclc.org/dsdl/svrl"
_FLAGS = {
    "fatal": Severity.ERROR,
    "error": Severity.ERROR,
    "warning": Severity.WARNING,
    "information": Severity.INFO,
    "info": Severity.INFO,
}
_ERRCODE = re.compile(r"\b[A-Z]{4}\d{4}\b")
_BT = re.compile(r"\b(?:BT|BG)-\d+(?:-\d+)?\b")


@dataclass(frozen=True)
class RawResult:
    """One failed assert (or successful report) as the artefact states it."""

    rule: str
    severity: Severity
    location: str | None
    text: str
    bt: tuple[str, ...]


class SaxonUnavailable(RuntimeError):
    pass


class StageCrash(RuntimeError):
    """The artefact itself failed on this document (Saxon dynamic error)."""

    def __init__(self, text: str) -> None:
        m = _ERRCODE.search(text)
        self.code = m.group(0) if m else None
        lines = [ln.strip() for ln in text.strip().splitlines() if ln.strip()]
        detail = next(
            (ln for ln in lines if not ln.startswith(("Type error", "In template", "invoked by"))),
            "",
        )
        if self.code:
            detail = detail.replace(self.code, "").strip()
        super().__init__(detail[:300] or "Saxon error")


class _Saxon:
    """One Saxon processor per process and the stylesheets compiled so far."""

    def __init__(self) -> None:
        try:
            from saxonche import PySaxonProcessor
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise SaxonUnavailable(
                "saxonche is not installed: pip install 'einvoice-gov[official]'"
            ) from exc
        self.proc = PySaxonProcessor(license=False)
        self.xslt = self.proc.new_xslt30_processor()
        self.compiled: dict[str, Any] = {}
        self.lock = threading.Lock()

    def executable(self, key: str) -> Any | None:
        with self.lock:
            if key not in self.compiled:
                path = artefact_path(key)
                self.compiled[key] = (
                    None
                    if path is None
                    else self.xslt.compile_stylesheet(stylesheet_file=str(path))
                )
            return self.compiled[key]


_saxon: _Saxon | None = None
_saxon_error: str | None = None


def saxon() -> _Saxon:
    global _saxon, _saxon_error
    if _saxon is None:
        if _saxon_error:
            raise SaxonUnavailable(_saxon_error)
        try:
            _saxon = _Saxon()
        except SaxonUnavailable as exc:
            _saxon_error = str(exc)
            raise
    return _saxon


def available() -> bool:
    try:
        saxon()
    except SaxonUnavailable:
        return False
    return True


def has_artefact(key: str) -> bool:
    return artefact_path(key) is not None


class SaxonDocument:
    """The document parsed once by Saxon, reused by every stage."""

    def __init__(self, xml: bytes) -> None:
        self.node = saxon().proc.parse_xml(xml_text=xml.decode("utf-8"))


def _noid(test: str) -> str:
    return "FX-NOID-" + hashlib.sha1(test.encode()).hexdigest()[:8]


class _StderrCapture:
    """Saxon's native runtime prints dynamic errors (with their XPath error code, which the
    Python exception lacks) on file descriptor 2. During a transform we point fd 2 at a
    private temporary file: the user's terminal stays clean and we can read the code."""

    def __init__(self) -> None:
        import tempfile  # lazy: only when Saxon runs (start-up time)

        self.file = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the process

    def __enter__(self) -> _StderrCapture:
        sys.stderr.flush()
        self.file.seek(0)
        self.file.truncate()
        self.saved = os.dup(2)
        os.dup2(self.file.fileno(), 2)
        return self

    def __exit__(self, *exc: object) -> None:
        os.dup2(self.saved, 2)
        os.close(self.saved)

    def text(self) -> str:
        self.file.seek(0)
        return self.file.read(1 << 16).decode("utf-8", "replace")


_capture: _StderrCapture | None = None


def run(key: str, doc: SaxonDocument) -> list[RawResult] | None:
    """Run one compiled schematron. ``None`` when the artefact is not shipped."""
    global _capture
    sx = saxon()
    exe = sx.executable(key)
    if exe is None:
        return None
    if _capture is None:
        _capture = _StderrCapture()
    try:
        with _capture:
            out = exe.transform_to_string(xdm_node=doc.node)
    except Exception as exc:
        raise StageCrash(f"{exc}\n{_capture.text()}") from exc
    if out is None:
        raise StageCrash(getattr(exe, "error_message", None) or "Saxon returned no output")
    svrl = etree.fromstring(
        out.encode("utf-8"), etree.XMLParser(resolve_entities=False, huge_tree=True)
    )
    results = []
    for el in svrl.iter(f"{{{SVRL}}}failed-assert", f"{{{SVRL}}}successful-report"):
        text_el = el.find(f"{{{SVRL}}}text")
        text = (
            " ".join("".join(str(t) for t in text_el.itertext()).split())
            if text_el is not None
            else ""
        )
        rule = el.get("id") or _noid(el.get("test") or text)
        flag = (el.get("flag") or "fatal").lower()
        results.append(
            RawResult(
                rule=rule,
                severity=_FLAGS.get(flag, Severity.ERROR),
                location=el.get("location"),
                text=text,
                bt=tuple(dict.fromkeys(_BT.findall(text))),
            )
        )
    return results
