"""The trace section of the readiness report: what the ledger says about each invoice's flow.

Reads the store with the public trace API (``docs/trace.md``): ``trace.open_store(url)``,
``trace.lifecycle.flows(store, today=...)`` (one ``Flow`` per invoice with its anomalies),
``trace.verify(store)`` (hash chain and signed checkpoints) and ``trace.Archive(dir).verify()``
(fixity of the archived objects). Without a store the section says "no ledger" and the report
goes on; the report never creates a store.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from einvoice_gov.errors import EinvoiceError
from einvoice_gov.reports.model import AnomalyItem, ArchiveCheck, ChainCheck, FlowStats
from einvoice_gov.reports.texts import TRACE_ANOMALIES, words

#: Days an issued invoice may wait before "never deposited" is reported.
DEPOSIT_DAYS = 7


def summarize_flows(
    flows: Mapping[str, Any],
    verify: Any,
    *,
    ledger: str,
    lang: str,
    archive: ArchiveCheck | None = None,
) -> FlowStats:
    """Counts, anomaly buckets and verdicts from ``trace.lifecycle.flows`` and ``trace.verify``
    results (any objects with their attributes)."""
    out = FlowStats(ledger=ledger, status="ok", message="", archive=archive)
    out.total = len(flows)
    for name in (
        "issued",
        "transmitted",
        "deposited",
        "accepted",
        "rejected",
        "refused",
        "paid",
        "archived",
    ):
        setattr(out, name, sum(1 for f in flows.values() if getattr(f, name, None)))
    for invoice, flow in flows.items():
        for a in flow.anomalies:
            item = AnomalyItem(
                code=a.code,
                invoice=a.invoice or invoice,
                severity=a.severity,
                message=a.message(lang),
            )
            out.anomalies.append(item)
            bucket = TRACE_ANOMALIES.get(a.code, {}).get("bucket")
            if bucket:
                target: list[str] = getattr(out, bucket)
                if item.invoice not in target:
                    target.append(item.invoice)
    w = words(lang)
    if verify is not None:
        out.chain = ChainCheck(
            ok=bool(verify.ok),
            entries=int(verify.entries),
            first_bad=verify.first_bad,
            reason=None if verify.ok else str(verify.reason),
        )
        out.message = (
            w["chain_ok"].format(n=verify.entries)
            if verify.ok
            else w["chain_bad"].format(reason=verify.reason)
        )
    return out


def _archive_check(trace: Any, store: Any, url: str) -> ArchiveCheck | None:
    from einvoice_gov.trace.archive import default_archive_dir

    directory = default_archive_dir(url)
    if not directory.is_dir():
        return None
    expected = [
        str(e.data["object"])
        for e in store.entries()
        if e.type == "archived" and "object" in e.data
    ]
    rep = trace.Archive(directory).verify(expected)
    return ArchiveCheck(
        directory=str(directory),
        ok=bool(rep.ok),
        objects=int(rep.objects),
        damaged=[str(p) for p, _ in rep.bad],
        missing=[str(d) for d in rep.missing],
    )


def read_flows(store: str | None, *, today: dt.date, lang: str) -> FlowStats:
    """The flows section for the ledger at ``store`` (``None``: "no ledger")."""
    w = words(lang)
    if not store:
        return FlowStats(status="no-ledger", message=w["no_ledger"])
    try:
        from einvoice_gov import trace
    except ImportError:  # pragma: no cover - the trace ships with the package
        reason = (
            "le module de traçabilité n'est pas installé"
            if lang == "fr"
            else "the tracing module is not installed"
        )
        return FlowStats(ledger=store, status="unavailable", message=reason)
    try:
        with trace.open_store(store, create=False) as st:
            flows = trace.lifecycle.flows(st, today=today, deposit_days=DEPOSIT_DAYS)
            verify = trace.verify(st)
            archive = _archive_check(trace, st, store)
    except EinvoiceError as exc:
        return FlowStats(ledger=store, status="error", message=str(exc))
    return summarize_flows(flows, verify, ledger=store, lang=lang, archive=archive)
