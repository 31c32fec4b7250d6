"""Hardened XML parsing: no DTD, no entities, no network, bounded size and depth.

Invoices never need a DTD. A document that carries one is refused before anything in it is
expanded, which disposes of billion-laughs and XXE in one rule, whatever the parser version.
"""

from __future__ import annotations

import re

from lxml import etree

from einvoice_gov.errors import InputError, UnsafeInputError

#: Largest XML document we parse (bytes). Real invoices are kilobytes; attachments embedded in
#: base64 (BG-24) can reach a few megabytes.
MAX_XML_BYTES = 40 * 1024 * 1024

_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)
_ENTITY = re.compile(rb"<!ENTITY", re.IGNORECASE)


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,  # keeps libxml2's depth and text-node limits
        remove_blank_text=False,
        collect_ids=False,
    )


def _head(data: bytes, n: int = 4096) -> bytes:
    """The start of a document with UTF-16/32 bytes folded to ASCII for sniffing."""
    head = data[:n]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or (len(head) > 1 and head[1:2] == b"\x00"):
        return head.replace(b"\x00", b"")
    return head


def refuse_hostile(data: bytes) -> None:
    """Raise :class:`UnsafeInputError` when the bytes carry a DTD or are too large."""
    if len(data) > MAX_XML_BYTES:
        raise UnsafeInputError(
            "INPUT-TOO-LARGE",
            f"XML document of {len(data)} bytes exceeds the {MAX_XML_BYTES}-byte limit",
        )
    # A DOCTYPE may only appear before the root element: look in the prolog.
    if _DOCTYPE.search(data[:65536]) or _DOCTYPE.search(_head(data, 65536)):
        kind = "entity declarations" if _ENTITY.search(data[: 1 << 20]) else "a DTD"
        raise UnsafeInputError(
            "XML-DTD",
            f"the document declares {kind} (DOCTYPE); invoices never need one and it was "
            "refused unread (entity expansion and external references are a known attack)",
        )


def parse_xml(data: bytes) -> etree._ElementTree:
    """Parse untrusted XML bytes. Raises :class:`InputError` with a stable rule id."""
    refuse_hostile(data)
    if not data.strip():
        raise InputError("XML-EMPTY", "the file is empty")
    try:
        root = etree.fromstring(data, parser=_parser())
    except etree.XMLSyntaxError as exc:
        line = getattr(exc, "lineno", None)
        where = f" (line {line})" if line else ""
        raise InputError("XML-MALFORMED", f"the XML is not well-formed{where}: {exc.msg}") from exc
    except ValueError as exc:  # e.g. unicode strings with encoding declaration
        raise InputError("XML-MALFORMED", f"the XML cannot be decoded: {exc}") from exc
    return root.getroottree()


def looks_like_xml(data: bytes) -> bool:
    head = _head(data, 512).lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"<")
