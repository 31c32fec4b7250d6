"""A minimal one-page PDF writer: text in the standard Helvetica fonts, rectangles and lines.

Why our own (see docs/decisions/0601-roadmap-pdf.md): the roadmap is one A4 page of text and
boxes; the standard fonts need no embedding, the output is deterministic, and no dependency
or browser is needed at run time. Text is encoded in WinAnsi (cp1252, which covers French);
other characters are replaced by close equivalents.

Text width is *over*-estimated from character classes (never measured from font files), so
that wrapped text always stays inside its box.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence

#: A4 portrait in PostScript points.
A4 = (595.28, 841.89)

Colour = tuple[float, float, float]
BLACK: Colour = (0.11, 0.16, 0.2)

_REPLACE = {
    "\u202f": " ",
    "\xa0": " ",
    "→": "->",
    "←": "<-",
    "≤": "<=",
    "≥": ">=",
    "✓": "v",
    "✗": "x",
    "■": "-",
    "\u2009": " ",
}

# Upper bounds of Helvetica advance widths (1/1000 em) by character class (our estimate).
_NARROW = set("iljI|.,;:!'`\u2019 ")
_SEMI = set('frt()[]{}-/\\"*')
_WIDE = set("mw")
_XWIDE = set("MW@%")
_DIGITS = set("0123456789")


def _char_width(ch: str) -> int:
    if ch in _NARROW:
        return 280
    if ch in _SEMI:
        return 390
    if ch in _DIGITS:
        return 556
    if ch in _WIDE:
        return 840
    if ch in _XWIDE:
        return 1020
    if ch.isupper():
        return 780
    if ch.isalpha():
        return 560
    if ch in "—…":
        return 1000
    return 600


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Estimated width in points (an upper bound for Helvetica / Helvetica-Bold)."""
    units = sum(_char_width(ch) for ch in text)
    return units * size / 1000 * (1.08 if bold else 1.0)


def wrap(text: str, width: float, size: float, bold: bool = False) -> list[str]:
    """Split ``text`` into lines no wider than ``width`` (long words are cut)."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        current = ""
        for word in paragraph.split():
            candidate = f"{current} {word}" if current else word
            if text_width(candidate, size, bold) <= width:
                current = candidate
                continue
            if current:
                lines.append(current)
            while text_width(word, size, bold) > width:
                cut = len(word)
                while cut > 1 and text_width(word[:cut], size, bold) > width:
                    cut -= 1
                lines.append(word[:cut])
                word = word[cut:]
            current = word
        lines.append(current)
    return lines


def _pdf_string(text: str) -> bytes:
    for k, v in _REPLACE.items():
        text = text.replace(k, v)
    raw = text.encode("cp1252", errors="replace")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def _utf16_string(text: str) -> bytes:
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode() + b">"


def _num(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".")


class Page:
    """One page. Coordinates are from the TOP-left corner, in points, y growing downwards."""

    def __init__(self, size: tuple[float, float] = A4) -> None:
        self.width, self.height = size
        self._ops: list[str | bytes] = []

    def _y(self, y: float) -> float:
        return self.height - y

    def text(
        self,
        x: float,
        y: float,
        text: str,
        size: float = 9,
        *,
        bold: bool = False,
        colour: Colour = BLACK,
    ) -> None:
        """Draw ``text`` with its baseline at ``y``."""
        font = "F2" if bold else "F1"
        r, g, b = colour
        self._ops.append(
            f"BT /{font} {_num(size)} Tf {_num(r)} {_num(g)} {_num(b)} rg "
            f"{_num(x)} {_num(self._y(y))} Td "
        )
        self._ops.append(_pdf_string(text) + b" Tj ET\n")

    def rect(
        self,
        x: float,
        y: float,
        w: float,
        h: float,
        *,
        fill: Colour | None = None,
        stroke: Colour | None = None,
        line_width: float = 0.5,
    ) -> None:
        """A rectangle whose top-left corner is at (x, y)."""
        ops = []
        if fill:
            ops.append(f"{_num(fill[0])} {_num(fill[1])} {_num(fill[2])} rg")
        if stroke:
            ops.append(
                f"{_num(stroke[0])} {_num(stroke[1])} {_num(stroke[2])} RG {_num(line_width)} w"
            )
        paint = "B" if fill and stroke else "f" if fill else "S"
        ops.append(f"{_num(x)} {_num(self._y(y + h))} {_num(w)} {_num(h)} re {paint}")
        self._ops.append(" ".join(ops) + "\n")

    def line(
        self,
        x1: float,
        y1: float,
        x2: float,
        y2: float,
        *,
        colour: Colour = BLACK,
        width: float = 0.5,
    ) -> None:
        self._ops.append(
            f"{_num(colour[0])} {_num(colour[1])} {_num(colour[2])} RG {_num(width)} w "
            f"{_num(x1)} {_num(self._y(y1))} m {_num(x2)} {_num(self._y(y2))} l S\n"
        )

    def content(self) -> bytes:
        return b"".join(op.encode("ascii") if isinstance(op, str) else op for op in self._ops)


def write_pdf(page: Page, *, title: str = "", author: str = "") -> bytes:
    """The bytes of a one-page PDF 1.4 document holding ``page``."""
    stream = zlib.compress(page.content(), 9)
    objects: Sequence[bytes] = (
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {_num(page.width)} "
            f"{_num(page.height)}] /Resources << /Font << /F1 4 0 R /F2 5 0 R >> >> "
            "/Contents 6 0 R >>"
        ).encode("ascii"),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
        f"<< /Length {len(stream)} /Filter /FlateDecode >>\nstream\n".encode("ascii")
        + stream
        + b"\nendstream",
        b"<< /Title "
        + _utf16_string(title)
        + b" /Author "
        + _utf16_string(author)
        + b" /Producer (einvoice-gov) >>",
    )
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode("ascii") + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode("ascii")
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode("ascii")
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info {len(objects)} 0 R >>\n"
        f"startxref\n{xref}\n%%EOF\n"
    ).encode("ascii")
    return bytes(out)
