"""The names and defaults of the validation options, importable without loading the engines.

The ``check`` command builds its options from these at start-up, before pydantic, lxml and the
rule engines are imported (see :mod:`einvoice_gov.validation.xsdcache` for what it starts
meanwhile). :mod:`einvoice_gov.validation.engine` and :mod:`einvoice_gov.reports.check_output`
use the same values; a test checks they agree.
"""

from __future__ import annotations

#: The rule engines (``validation.engine.ENGINES`` has one entry per name).
ENGINE_NAMES = ("native", "official")
#: The engine used when none is named: the native one (the official artefacts compiled to
#: Python; docs/decisions/0301-native-engine.md).
DEFAULT_ENGINE = "native"
#: ``--chain`` values (``validation.chains.ChainChoice``).
CHAINS = ("auto", "en16931", "fr")
#: ``--format`` values of ``check`` (``reports.check_output``).
OUTPUT_FORMATS = ("text", "json", "jsonl", "junit")
#: Seconds allowed per file in a batch (0: no limit).
DEFAULT_TIMEOUT = 60
