"""Reading invoice formats: detection, hardened XML, Factur-X PDFs, CDAR status messages."""

from einvoice_gov.formats.document import Document, load

__all__ = ["Document", "load"]
