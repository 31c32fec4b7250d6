"""The invoice lifecycle model: status codes, our reading of their order, flows and anomalies.

No official transition table exists (FACTS.md §4.3: the DGFiP documents show nominal flows
only and refer to the paid XP Z12-012). What follows is **our documented interpretation**
(docs/decisions/0102-lifecycle-interpretation.md); it flags anomalies and never refuses to
record what happened.

- Mandatory statuses: 200 Déposée, 210 Refusée, 212 Encaissée, 213 Rejetée.
- A sale is deposited (200) before anything else happens to it on the platforms; 213
  Rejetée (and 501 Irrecevable) may come instead of 200.
- 210, 213, 220 and 501 close the invoice: it must be cancelled by an internal credit note and
  a corrected invoice issued ("re-issued"); further statuses on it are unexpected.
- 209 Complétée answers a 208 Suspendue.
- 212 Encaissée carries the cashed amounts by VAT rate (DGFiP rule G7.45).
- 206, 207, 208, 210, 213 and 501 carry a reason code (BR-FR-CDV-15).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, Final

from einvoice_gov.cdar import codes
from einvoice_gov.trace.chain import Entry
from einvoice_gov.trace.stores import Store

__all__ = [
    "CLOSING",
    "DEFAULT_DEPOSIT_DAYS",
    "MANDATORY",
    "REASON_REQUIRED",
    "STATUS_CODES",
    "Anomaly",
    "Flow",
    "StatusStep",
    "analyse",
    "build_flows",
    "flow",
    "flows",
    "status_label",
]

DEFAULT_DEPOSIT_DAYS: Final = 7

#: every known status code (FACTS.md §4.1: Tableau 8 and the FNFE code list), shared with the
#: CDAR reader so that one table serves both
STATUS_CODES: Final = codes.STATUS_CODES
MANDATORY: Final = codes.MANDATORY_STATUSES
CLOSING: Final = frozenset({"210", "213", "220", "501"})
REASON_REQUIRED: Final = codes.STATUSES_NEEDING_REASON
#: statuses that may legitimately precede (or replace) the deposit of a sale
_BEFORE_DEPOSIT_OK: Final = frozenset({"200", "213", "501", "221", "250", "251", "601"})


def status_label(code: str, lang: str = "fr") -> str:
    """The French or English label of a status code (``code NNN`` when it has none)."""
    label = codes.STATUS_LABELS.get(code)
    if label is None:
        return f"code {code}"
    return label.fr if lang == "fr" else label.en


@dataclass(frozen=True)
class Anomaly:
    """Something in an invoice's trail that the lifecycle model does not expect."""

    code: str
    invoice: str
    seq: int | None
    severity: str  # "error" | "warning"
    en: str
    fr: str

    def message(self, lang: str = "en") -> str:
        return self.fr if lang == "fr" else self.en

    def as_dict(self, lang: str = "en") -> dict[str, Any]:
        return {
            "code": self.code,
            "invoice": self.invoice,
            "seq": self.seq,
            "severity": self.severity,
            "message": self.message(lang),
        }


@dataclass(frozen=True)
class StatusStep:
    """One lifecycle status of an invoice, in log order."""

    seq: int
    code: str
    label: str
    at: str  # the status date from the message when known, else the recording time
    reasons: tuple[str, ...] = ()


@dataclass
class Flow:
    """Where one invoice stands: each milestone is the ISO time it was first reached or None."""

    invoice: str
    direction: str = "unknown"  # sale | purchase | unknown
    issued: str | None = None
    received: str | None = None
    transmitted: str | None = None
    deposited: str | None = None
    accepted: str | None = None
    refused: str | None = None
    rejected: str | None = None
    paid: str | None = None
    archived: str | None = None
    statuses: list[StatusStep] = field(default_factory=list)
    anomalies: list[Anomaly] = field(default_factory=list)
    entries: int = 0
    first_seq: int = 0
    last_seq: int = 0

    @property
    def last_status(self) -> str | None:
        return self.statuses[-1].code if self.statuses else None

    def as_dict(self, lang: str = "en") -> dict[str, Any]:
        return {
            "invoice": self.invoice,
            "direction": self.direction,
            "issued": self.issued,
            "received": self.received,
            "transmitted": self.transmitted,
            "deposited": self.deposited,
            "accepted": self.accepted,
            "refused": self.refused,
            "rejected": self.rejected,
            "paid": self.paid,
            "archived": self.archived,
            "last_status": self.last_status,
            "statuses": [
                {
                    "seq": s.seq,
                    "code": s.code,
                    "label": s.label,
                    "at": s.at,
                    "reasons": list(s.reasons),
                }
                for s in self.statuses
            ],
            "anomalies": [a.as_dict(lang) for a in self.anomalies],
            "entries": self.entries,
        }


def _day(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _status_time(data: dict[str, Any], at: str) -> str:
    v = data.get("status_at")
    return v if isinstance(v, str) and v else at


class _Builder:
    def __init__(self, invoice: str) -> None:
        self.f = Flow(invoice)
        self.closed_at: tuple[int, str] | None = None  # (seq, code) of the first closing status
        self.reissued = False
        self.issue_day: date | None = None

    def add(self, code: str, seq: int | None, sev: str, en: str, fr: str) -> None:
        self.f.anomalies.append(Anomaly(code, self.f.invoice, seq, sev, en, fr))

    def entry(self, e: Entry) -> None:
        f = self.f
        if not f.entries:
            f.first_seq = e.seq
        f.entries += 1
        f.last_seq = e.seq
        data = e.data
        if e.type == "issued":
            if self.closed_at is not None:
                self.reissued = True
            if f.issued is None:
                f.issued = e.at
                self.issue_day = _day(
                    data.get("date") if isinstance(data.get("date"), str) else None
                ) or _day(e.at)
            if f.direction == "unknown":
                f.direction = "sale"
            if data.get("verdict") == "invalid":
                self.add(
                    "TRACE-ISSUED-INVALID",
                    e.seq,
                    "error",
                    "issued although its validation failed",
                    "émise alors que sa validation a échoué",
                )
        elif e.type == "received":
            f.received = f.received or e.at
            if f.direction == "unknown":
                f.direction = "purchase"
        elif e.type == "transmitted":
            f.transmitted = f.transmitted or e.at
        elif e.type == "archived":
            f.archived = f.archived or e.at
        elif e.type == "status":
            self.status(e, data)

    def status(self, e: Entry, data: dict[str, Any]) -> None:
        f = self.f
        code = str(data.get("code", ""))
        reasons_raw = data.get("reasons")
        reasons = tuple(str(r) for r in reasons_raw) if isinstance(reasons_raw, list) else ()
        when = _status_time(data, e.at)
        label = str(data.get("label") or status_label(code))
        if code not in STATUS_CODES:
            self.add(
                "TRACE-UNKNOWN-STATUS",
                e.seq,
                "warning",
                f"status code {code} is not in the known list (200-228, 250, 251, 300-601)",
                f"le code de statut {code} n'est pas dans la liste connue",
            )
        if self.closed_at is not None and not self.reissued:
            cseq, ccode = self.closed_at
            self.add(
                "TRACE-STATUS-AFTER-CLOSE",
                e.seq,
                "warning",
                f"status {code} after the invoice was closed by {ccode} "
                f"({status_label(ccode, 'en')}, entry {cseq})",
                f"statut {code} reçu après la clôture de la facture par {ccode} "
                f"({status_label(ccode, 'fr')}, entrée {cseq})",
            )
        if (
            f.direction != "purchase"
            and f.deposited is None
            and code not in _BEFORE_DEPOSIT_OK
            and code in STATUS_CODES
        ):
            if code == "212":
                self.add(
                    "TRACE-PAID-BEFORE-DEPOSIT",
                    e.seq,
                    "error",
                    "payment (212 Encaissée) recorded before any 200 Déposée",
                    "encaissement (212) enregistré avant tout statut 200 Déposée",
                )
            else:
                self.add(
                    "TRACE-STATUS-BEFORE-DEPOSIT",
                    e.seq,
                    "warning",
                    f"status {code} ({status_label(code, 'en')}) before any 200 Deposited",
                    f"statut {code} ({status_label(code, 'fr')}) avant tout statut 200 Déposée",
                )
        if code == "209" and not any(s.code == "208" for s in f.statuses):
            self.add(
                "TRACE-UNEXPECTED-TRANSITION",
                e.seq,
                "warning",
                "209 Completed without a previous 208 Suspended",
                "209 Complétée sans statut 208 Suspendue auparavant",
            )
        if code in REASON_REQUIRED and not reasons:
            self.add(
                "TRACE-REASON-MISSING",
                e.seq,
                "warning",
                f"status {code} ({status_label(code, 'en')}) carries no reason code",
                f"le statut {code} ({status_label(code, 'fr')}) n'a pas de motif",
            )
        if code == "212" and not data.get("amounts"):
            self.add(
                "TRACE-AMOUNT-MISSING",
                e.seq,
                "error",
                "212 Payment received without the cashed amount by VAT rate",
                "212 Encaissée sans le montant encaissé par taux de TVA",
            )
        f.statuses.append(StatusStep(e.seq, code, label, when, reasons))
        if code == "200" and f.deposited is None:
            f.deposited = when
        elif code in ("205", "206") and f.accepted is None:
            f.accepted = when
        elif code == "210" and f.refused is None:
            f.refused = when
        elif code in ("213", "501") and f.rejected is None:
            f.rejected = when
        elif code == "212" and f.paid is None:
            f.paid = when
        if code in CLOSING and self.closed_at is None:
            self.closed_at = (e.seq, code)
            self.reissued = False

    def finish(self, today: date, deposit_days: int, replaced: set[str]) -> Flow:
        f = self.f
        if f.issued is None and f.received is None:
            self.add(
                "TRACE-UNKNOWN-INVOICE",
                f.first_seq,
                "warning",
                "events recorded for an invoice that was never recorded as issued or received",
                "événements pour une facture jamais enregistrée comme émise ni reçue",
            )
        if (
            f.direction == "sale"
            and f.deposited is None
            and f.rejected is None
            and self.issue_day is not None
            and today - self.issue_day > timedelta(days=deposit_days)
        ):
            days = (today - self.issue_day).days
            self.add(
                "TRACE-NOT-DEPOSITED",
                None,
                "error",
                f"issued {days} days ago and still not deposited (200) on a platform",
                f"émise il y a {days} jours et toujours pas déposée (200) sur une plateforme",
            )
        if self.closed_at is not None and not self.reissued and f.invoice not in replaced:
            cseq, ccode = self.closed_at
            self.add(
                "TRACE-REJECTED-NOT-REISSUED",
                cseq,
                "error",
                f"{status_label(ccode, 'en')} ({ccode}) and no corrected invoice issued since",
                f"{status_label(ccode, 'fr')} ({ccode}) et aucune facture rectifiée émise depuis",
            )
        started = self.issue_day or _day(f.received)
        if (
            f.archived is None
            and f.direction in ("sale", "purchase")
            and started is not None
            and today - started > timedelta(days=deposit_days)
        ):
            self.add(
                "TRACE-NOT-ARCHIVED",
                None,
                "warning",
                "no archived copy recorded (archive put --invoice)",
                "aucune copie archivée enregistrée (archive put --invoice)",
            )
        return f


def build_flows(
    entries: Iterable[Entry],
    *,
    today: date | None = None,
    deposit_days: int = DEFAULT_DEPOSIT_DAYS,
) -> dict[str, Flow]:
    """Flows of every invoice in the entries (in log order)."""
    today = today or datetime.now(UTC).date()
    builders: dict[str, _Builder] = {}
    replaced: set[str] = set()
    for e in entries:
        b = builders.get(e.invoice)
        if b is None:
            b = builders[e.invoice] = _Builder(e.invoice)
        b.entry(e)
        if e.type == "issued":
            rep = e.data.get("replaces")
            if isinstance(rep, str):
                replaced.add(rep)
    return {inv: b.finish(today, deposit_days, replaced) for inv, b in builders.items()}


def flows(
    store: Store, *, today: date | None = None, deposit_days: int = DEFAULT_DEPOSIT_DAYS
) -> dict[str, Flow]:
    """Every invoice's flow, in order of first appearance in the log."""
    return build_flows(store.entries(), today=today, deposit_days=deposit_days)


def _replacements(store: Store) -> Iterator[str]:
    for e in store.entries():
        if e.type == "issued":
            rep = e.data.get("replaces")
            if isinstance(rep, str):
                yield rep


def flow(
    store: Store,
    invoice: str,
    *,
    today: date | None = None,
    deposit_days: int = DEFAULT_DEPOSIT_DAYS,
) -> Flow | None:
    """One invoice's flow, or None when the log has nothing about it."""
    entries = list(store.entries(invoice=invoice))
    if not entries:
        return None
    result = build_flows(entries, today=today, deposit_days=deposit_days)[invoice]
    if any(a.code == "TRACE-REJECTED-NOT-REISSUED" for a in result.anomalies) and invoice in set(
        _replacements(store)
    ):
        result.anomalies = [a for a in result.anomalies if a.code != "TRACE-REJECTED-NOT-REISSUED"]
    return result


def analyse(
    store: Store, *, today: date | None = None, deposit_days: int = DEFAULT_DEPOSIT_DAYS
) -> list[Anomaly]:
    """Every anomaly of every invoice, grouped by invoice in log order."""
    out: list[Anomaly] = []
    for f in flows(store, today=today, deposit_days=deposit_days).values():
        out.extend(f.anomalies)
    return out
