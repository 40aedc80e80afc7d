"""Code points (the core's offsets) ↔ UTF-16 units (Qt's offsets) for one text.

Only characters outside the Basic Multilingual Plane (emoji, some CJK) take two
UTF-16 units, so a text is described by where those sit: found once with a
regex, then every conversion is a bisect. No Qt here, so it is tested alone.
"""

from __future__ import annotations

import re
from bisect import bisect_left

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


class OffsetMap:
    """Converts positions in one text between code points and UTF-16 units."""

    def __init__(self, text: str) -> None:
        self._astral = [match.start() for match in _ASTRAL.finditer(text)]
        # Where each astral character starts in UTF-16: each one before it adds a unit.
        self._astral16 = [position + n for n, position in enumerate(self._astral)]
        self.length = len(text)
        self.length16 = len(text) + len(self._astral)

    def to_utf16(self, position: int) -> int:
        """The UTF-16 offset of code point `position` (0 ≤ position ≤ length)."""
        if not self._astral:
            return position
        return position + bisect_left(self._astral, position)

    def to_code_points(self, position16: int, *, round_up: bool = False) -> int:
        """The code-point offset of UTF-16 `position16`.

        A position inside a surrogate pair (which Qt's cursor never produces)
        falls to the start of its character, or past it with `round_up`.
        """
        if not self._astral:
            return position16
        before = bisect_left(self._astral16, position16)
        if before and self._astral16[before - 1] + 1 == position16:
            return self._astral[before - 1] + (1 if round_up else 0)
        return position16 - before


def utf16_length(text: str) -> int:
    """How many UTF-16 units `text` takes (what Qt counts)."""
    return len(text) + len(_ASTRAL.findall(text))
