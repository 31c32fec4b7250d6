"""The native rule engine: the official schematron artefacts compiled to Python.

Public names: :func:`catalog` (every rule the native stages check, see
``docs/native-engine.md``), :class:`RuleInfo`, :class:`NativeEngine` (registered as
``--engine native``). Importing this package is cheap: stages compile on first use into the
user cache (``EINVOICE_CACHE_DIR``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from einvoice_gov.native.engine import NativeEngine
    from einvoice_gov.native.ruleinfo import RuleInfo, catalog

__all__ = ["NativeEngine", "RuleInfo", "catalog"]


def __getattr__(name: str) -> Any:
    if name in ("catalog", "RuleInfo"):
        import importlib

        return getattr(importlib.import_module("einvoice_gov.native.ruleinfo"), name)
    if name == "NativeEngine":
        from einvoice_gov.native.engine import NativeEngine

        return NativeEngine
    raise AttributeError(name)
