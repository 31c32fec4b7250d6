"""The trace: a hash-chained, append-only audit log of each invoice from issue to archive.

Public API (documented in docs/trace.md)::

    from einvoice_gov import trace
    store = trace.open_store("sqlite:///./einvoice-trace.db")
    ack = trace.Ledger(store).record("F2025-0042", "issued", {"sha256": "..."})
    result = trace.verify(store)
    anomalies = trace.lifecycle.analyse(store, today=date.today(), deposit_days=7)
"""

from einvoice_gov.trace import lifecycle
from einvoice_gov.trace.archive import Archive, ArchivedObject, ArchiveReport
from einvoice_gov.trace.bundle import export_bundle
from einvoice_gov.trace.chain import Ack, Entry
from einvoice_gov.trace.checkpoints import Checkpoint, PublicKey, SigningKey
from einvoice_gov.trace.events import EVENT_TYPES, Event, EventError
from einvoice_gov.trace.ingest import IngestResult, ingest_files
from einvoice_gov.trace.ledger import Ledger, default_key_path
from einvoice_gov.trace.lifecycle import Anomaly, Flow, StatusStep
from einvoice_gov.trace.stores import DEFAULT_STORE_URL, Store, open_store
from einvoice_gov.trace.verify import VerifyResult, verify

__all__ = [
    "DEFAULT_STORE_URL",
    "EVENT_TYPES",
    "Ack",
    "Anomaly",
    "Archive",
    "ArchiveReport",
    "ArchivedObject",
    "Checkpoint",
    "Entry",
    "Event",
    "EventError",
    "Flow",
    "IngestResult",
    "Ledger",
    "PublicKey",
    "SigningKey",
    "StatusStep",
    "Store",
    "VerifyResult",
    "default_key_path",
    "export_bundle",
    "ingest_files",
    "lifecycle",
    "open_store",
    "verify",
]
