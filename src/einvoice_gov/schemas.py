"""Our published JSON Schemas (``schemas/`` in the source tree, ``_schemas`` in the wheel)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

_HERE = Path(__file__).resolve().parent


def schema_dir() -> Path:
    packaged = _HERE / "_schemas"
    if packaged.is_dir():
        return packaged
    return _HERE.parent.parent / "schemas"  # editable install / source checkout


@cache
def load_schema(name: str) -> dict[str, Any]:
    """Load ``schemas/<name>.schema.json``."""
    data: dict[str, Any] = json.loads((schema_dir() / f"{name}.schema.json").read_text("utf-8"))
    return data
