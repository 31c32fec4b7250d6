"""The compiled XML Schemas (lxml), built once per process, and their warm-up.

Building the UBL 2.1 schema takes libxml2 about 60 ms, the CII D22B one about 17 ms: for a
one-file ``check`` that is a fifth of the run. :func:`warm_up` starts that build in a
background thread for the first file named on the command line while the main thread imports
the rest of the package; libxml2 parses the schema without holding Python's GIL for most of
the build, so on two cores or more the two overlap. The main thread's XSD stage takes the same
lock and finds the schema built (or waits for the build to end): the result is the same
either way. This module imports neither pydantic nor the engines.
"""

from __future__ import annotations

import os
import threading
from functools import cache

from lxml import etree

from einvoice_gov.formats import namespaces as ns
from einvoice_gov.validation.artefacts import artefact_path

#: Held while a schema is looked up or built (lxml schema objects are built once).
lock = threading.Lock()

_ROOTS = {
    f"{{{ns.UBL_INVOICE}}}Invoice": "xsd/ubl-invoice",
    f"{{{ns.UBL_CREDITNOTE}}}CreditNote": "xsd/ubl-creditnote",
    f"{{{ns.CII_RSM}}}CrossIndustryInvoice": "xsd/cii",
}
#: How much of a file is read to find its root element.
_SNIFF = 64 * 1024


@cache
def _build(key: str) -> etree.XMLSchema | None:
    path = artefact_path(key)
    if path is None:
        return None
    # The wheel's XSDs import their siblings by relative path: no network is needed.
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    return etree.XMLSchema(etree.parse(str(path), parser))


def lxml_schema(key: str) -> etree.XMLSchema | None:
    """The schema of an artefact key, or ``None`` when the wheel does not ship it."""
    with lock:
        return _build(key)


def root_key(head: bytes) -> str | None:
    """The schema key of an XML document from its first bytes (its root element), if known."""
    parser = etree.XMLPullParser(
        events=("start",), resolve_entities=False, no_network=True, load_dtd=False
    )
    try:
        parser.feed(head)
        for _event, el in parser.read_events():
            return _ROOTS.get(str(el.tag)) if isinstance(el, etree._Element) else None
    except etree.XMLSyntaxError:
        return None
    return None


def warm_up(paths: tuple[str, ...] | list[str]) -> threading.Thread | None:
    """Start building the schema the first of ``paths`` needs, if it is an XML file whose
    root is known; returns the thread (a daemon), or ``None`` when there is nothing to do.
    Never raises: the validation itself reports whatever is wrong with the file."""
    if not paths or not os.path.isfile(paths[0]):
        return None
    try:
        with open(paths[0], "rb") as fh:
            key = root_key(fh.read(_SNIFF))
    except (OSError, ValueError):
        return None
    if key is None:
        return None

    def run() -> None:
        try:
            lxml_schema(key)
        except Exception:
            return

    thread = threading.Thread(target=run, name="einvoice-gov-xsd-warm-up", daemon=True)
    thread.start()
    return thread
