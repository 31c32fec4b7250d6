"""The CEN EN 16931 CII rules, which the factur-x wheel does not ship (work in progress)."""

from __future__ import annotations

from typing import Any


def source() -> Any:
    return None
