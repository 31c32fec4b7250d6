"""The trace: a hash-chained, append-only audit log of each invoice from issue to archive.

Public API (documented in docs/trace.md)::

    from einvoice_gov import trace
    store = trace.open_store("sqlite:///./einvoice-trace.db")
    ack = trace.Ledger(store).record("F2025-0042", "issued", {"sha256": "..."})
    result = trace.verify(store)
    anomalies = trace.lifecycle.analyse(store, today=date.today(), deposit_days=7)

Names are imported on first use, so that a command line touching only the store starts fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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
    from einvoice_gov.trace.verifier import VerifyResult, verify

_WHERE: dict[str, str] = {
    "lifecycle": "einvoice_gov.trace.lifecycle",
    "Archive": "einvoice_gov.trace.archive",
    "ArchivedObject": "einvoice_gov.trace.archive",
    "ArchiveReport": "einvoice_gov.trace.archive",
    "export_bundle": "einvoice_gov.trace.bundle",
    "Ack": "einvoice_gov.trace.chain",
    "Entry": "einvoice_gov.trace.chain",
    "Checkpoint": "einvoice_gov.trace.checkpoints",
    "PublicKey": "einvoice_gov.trace.checkpoints",
    "SigningKey": "einvoice_gov.trace.checkpoints",
    "EVENT_TYPES": "einvoice_gov.trace.events",
    "Event": "einvoice_gov.trace.events",
    "EventError": "einvoice_gov.trace.events",
    "IngestResult": "einvoice_gov.trace.ingest",
    "ingest_files": "einvoice_gov.trace.ingest",
    "Ledger": "einvoice_gov.trace.ledger",
    "default_key_path": "einvoice_gov.trace.ledger",
    "Anomaly": "einvoice_gov.trace.lifecycle",
    "Flow": "einvoice_gov.trace.lifecycle",
    "StatusStep": "einvoice_gov.trace.lifecycle",
    "DEFAULT_STORE_URL": "einvoice_gov.trace.stores",
    "Store": "einvoice_gov.trace.stores",
    "open_store": "einvoice_gov.trace.stores",
    "VerifyResult": "einvoice_gov.trace.verifier",
    "verify": "einvoice_gov.trace.verifier",
}

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


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'einvoice_gov.trace' has no attribute {name!r}")
    mod = importlib.import_module(module)
    value = mod if name == "lifecycle" else getattr(mod, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
