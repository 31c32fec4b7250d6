"""The trace section of the readiness report: what the ledger says about each invoice's flow.

Reads the store with the public trace API (``docs/trace.md``): ``trace.open_store(url)``,
``trace.lifecycle.flows(store, today=...)`` (one :class:`Flow` per invoice, with its
anomalies) and ``trace.verify(store)`` (the hash chain). No store given: the section says
"no ledger" and the report goes on.
"""

from __future__ import annotations

import datetime as dt
import importlib
from typing import Any

from einvoice_gov.errors import EinvoiceError
from einvoice_gov.reports.model import AnomalyItem, ChainCheck, FlowStats
from einvoice_gov.reports.texts import TRACE_ANOMALIES, words

#: Days an issued invoice may wait before "never deposited" is reported.
DEPOSIT_DAYS = 7


def _trace() -> Any:
    """The trace package, or ``None`` when this installation does not have it (yet)."""
    try:
        module = importlib.import_module("einvoice_gov.trace")
    except ImportError:
        return None
    if not hasattr(module, "open_store") or not hasattr(module, "verify"):
        return None
    return module


def summarize_flows(flows: dict[str, Any], verify: Any, *, ledger: str, lang: str) -> FlowStats:
    """Counts, anomaly buckets and chain verdict from ``trace.lifecycle.flows`` output."""
    out = FlowStats(ledger=ledger, status="ok", message="")
    out.total = len(flows)
    for name in ("issued", "transmitted", "deposited", "accepted", "rejected", "refused"):
        setattr(out, name, sum(1 for f in flows.values() if getattr(f, name, None)))
    out.paid = sum(1 for f in flows.values() if getattr(f, "paid", None))
    out.archived = sum(1 for f in flows.values() if getattr(f, "archived", None))
    for invoice in sorted(flows):
        for a in getattr(flows[invoice], "anomalies", []):
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
    if verify is not None:
        out.chain = ChainCheck(
            ok=bool(verify.ok),
            entries=int(verify.entries if verify.ok else (verify.first_bad or 0)),
            reason=None if verify.ok else str(verify.reason),
        )
    w = words(lang)
    out.message = (
        w["chain_ok"].format(n=verify.entries)
        if verify is not None and verify.ok
        else w["chain_bad"].format(reason=verify.reason)
        if verify is not None
        else ""
    )
    return out


def read_flows(store: str | None, *, today: dt.date, lang: str) -> FlowStats:
    """The flows section for the ledger at ``store`` (``None``: "no ledger")."""
    w = words(lang)
    if not store:
        return FlowStats(status="no-ledger", message=w["no_ledger"])
    trace = _trace()
    if trace is None:
        reason = (
            "le module de traçabilité n'est pas installé"
            if lang == "fr"
            else "the tracing module is not installed"
        )
        return FlowStats(ledger=store, status="unavailable", message=reason)
    try:
        with trace.open_store(store) as st:
            flows = trace.lifecycle.flows(st, today=today, deposit_days=DEPOSIT_DAYS)
            verify = trace.verify(st)
    except EinvoiceError as exc:
        return FlowStats(ledger=store, status="error", message=str(exc))
    return summarize_flows(flows, verify, ledger=store, lang=lang)
