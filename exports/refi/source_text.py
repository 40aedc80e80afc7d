"""A source's plain text as the study stores it, and its REFI-QDA positions remapped.

REFI-QDA positions count characters of the source's plain text. The study
stores text without a BOM and with every line ending as `\\n` (SPEC §3), so a
CRLF file's positions shift back by one for every CRLF before them; a lone CR
becomes LF one for one. A BOM is not counted by REFI-QDA, so removing it
shifts nothing.
"""

from __future__ import annotations

import bisect
import codecs
from dataclasses import dataclass

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


@dataclass(frozen=True)
class SourceText:
    """Normalised text, the original's length in code points, and the removed CRs."""

    text: str
    original_length: int
    removed: tuple[int, ...]  # original indices of the CR of each CRLF, ascending

    def position(self, original: int) -> int:
        """The normalised position of an original position (0 ≤ original ≤ original_length)."""
        return original - bisect.bisect_left(self.removed, original)

    def span(self, start: int, end: int) -> tuple[int, int] | None:
        """The normalised span of an original one, or None if it is reversed or out of range."""
        if not 0 <= start < end <= self.original_length:
            return None
        mapped = self.position(start), self.position(end)
        return mapped if mapped[0] < mapped[1] else None


def normalise(text: str) -> SourceText:
    """Strip one leading BOM, turn CRLF and CR into LF, and remember where CRs went."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" not in text:
        return SourceText(text, len(text), ())
    removed = []
    start = 0
    while True:
        index = text.find("\r\n", start)
        if index < 0:
            break
        removed.append(index)
        start = index + 2
    clean = text.replace("\r\n", "\n").replace("\r", "\n")
    return SourceText(clean, len(text), tuple(removed))


def decode(data: bytes) -> tuple[str | None, str | None]:
    """(text, note): UTF-8 (± BOM) or UTF-16 with BOM; cp1252 with a note; None if neither."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(codec), None
            except UnicodeDecodeError:
                return None, f"starts with a {codec.upper()} byte-order mark but is not {codec}"
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "is not UTF-8; it was read as Windows-1252"
    except UnicodeDecodeError:
        return None, "is neither UTF-8 nor Windows-1252 text"
