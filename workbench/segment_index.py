"""Segments placed on the text blocks (lines) Qt shows, for fast painting and hit tests.

The transcript view asks two questions thousands of times: "which segments touch
block n?" (highlighting, margin stripes) and "which segments cover this point?"
(tooltips, context menu). Each segment is converted to UTF-16 once and filed
under every block it spans, so both answers cost O(segments there), and adding
or removing one segment touches only its own blocks. Overlapping segments get
side-by-side lanes for the margin. No Qt here.
"""

from __future__ import annotations

import heapq
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from coding.segments import Segment
from workbench.offsets import OffsetMap

# What QTextDocument.setPlainText turns into a new block (each is one position).
_BLOCK_SEPARATOR = re.compile("[\n\r\u2029\ufdd0\ufdd1]")


class Blocks:
    """Where each text block (line) starts, in code points and in UTF-16 units."""

    def __init__(self, text: str, offsets: OffsetMap) -> None:
        self.offsets = offsets
        self.starts = [0, *(match.end() for match in _BLOCK_SEPARATOR.finditer(text))]
        self.starts16 = [offsets.to_utf16(start) for start in self.starts]

    def __len__(self) -> int:
        return len(self.starts)

    def of(self, position: int) -> int:
        """The block holding code point `position`."""
        return bisect_right(self.starts, position) - 1

    def of16(self, position16: int) -> int:
        """The block holding UTF-16 position `position16`."""
        return bisect_right(self.starts16, position16) - 1


@dataclass(frozen=True, slots=True)
class Mark:
    """A segment as the view draws it: its UTF-16 span, blocks and margin lane."""

    segment: Segment
    start16: int
    end16: int
    first_block: int
    last_block: int
    lane: int

    @property
    def blocks(self) -> range:
        return range(self.first_block, self.last_block + 1)


class SegmentIndex:
    """The shown segments of one document, filed by block and by uuid."""

    def __init__(self, blocks: Blocks) -> None:
        self._blocks = blocks
        self._by_block: dict[int, list[Mark]] = {}
        self._by_uuid: dict[str, Mark] = {}
        self._lanes: Counter[int] = Counter()

    def __len__(self) -> int:
        return len(self._by_uuid)

    def __iter__(self):
        return iter(self._by_uuid.values())

    @property
    def lanes(self) -> int:
        """How many margin lanes the current segments need."""
        return max((lane for lane, used in self._lanes.items() if used), default=-1) + 1

    def reset(self, segments: Iterable[Segment]) -> None:
        """File all segments at once, packing lanes greedily in text order."""
        self._by_block.clear()
        self._by_uuid.clear()
        self._lanes.clear()
        running: list[tuple[int, int]] = []  # (end16, lane) of segments still open
        free: list[int] = []  # lanes given back by segments that have ended
        for segment in sorted(segments, key=lambda s: (s.start, -s.end)):
            start16, end16 = self._span16(segment)
            while running and running[0][0] <= start16:
                heapq.heappush(free, heapq.heappop(running)[1])
            lane = heapq.heappop(free) if free else len(running)
            heapq.heappush(running, (end16, lane))
            self._file(self._mark(segment, start16, end16, lane))

    def add(self, segment: Segment) -> range:
        """File one segment in the first lane free along its span; returns its blocks."""
        self.remove(segment.uuid)
        start16, end16 = self._span16(segment)
        taken = {mark.lane for mark in self.overlapping(start16, end16)}
        lane = next(n for n in range(len(taken) + 1) if n not in taken)
        mark = self._mark(segment, start16, end16, lane)
        self._file(mark)
        return mark.blocks

    def remove(self, uuid: str) -> range:
        """Drop a segment by uuid; returns the blocks it covered (empty if unknown)."""
        mark = self._by_uuid.pop(uuid, None)
        if mark is None:
            return range(0)
        for block in mark.blocks:
            marks = self._by_block[block]
            marks.remove(mark)
            if not marks:
                del self._by_block[block]
        self._lanes[mark.lane] -= 1
        return mark.blocks

    def get(self, uuid: str) -> Mark | None:
        return self._by_uuid.get(uuid)

    def in_block(self, block: int) -> Sequence[Mark]:
        return self._by_block.get(block, ())

    def at(self, position16: int) -> list[Mark]:
        """Segments covering UTF-16 `position16`, innermost (shortest) first."""
        marks = [
            mark
            for mark in self.in_block(self._blocks.of16(position16))
            if mark.start16 <= position16 < mark.end16
        ]
        return sorted(marks, key=lambda mark: mark.end16 - mark.start16)

    def overlapping(self, start16: int, end16: int) -> list[Mark]:
        """Segments sharing at least one unit with [start16, end16)."""
        found: dict[str, Mark] = {}
        last = self._blocks.of16(max(start16, end16 - 1))
        for block in range(self._blocks.of16(start16), last + 1):
            for mark in self.in_block(block):
                if mark.start16 < end16 and start16 < mark.end16:
                    found[mark.segment.uuid] = mark
        return list(found.values())

    def next_after(self, position16: int, *, backwards: bool = False) -> Mark | None:
        """The first segment starting after `position16` (or the last one before it)."""
        block = self._blocks.of16(position16)
        blocks = range(block, -1, -1) if backwards else range(block, len(self._blocks))
        for number in blocks:
            found = [
                m for m in self.in_block(number)
                if (m.start16 < position16 if backwards else m.start16 > position16)
            ]
            if found:
                pick = max if backwards else min
                return pick(found, key=lambda m: (m.start16, -m.end16))
        return None

    def _span16(self, segment: Segment) -> tuple[int, int]:
        offsets = self._blocks.offsets
        return offsets.to_utf16(segment.start), offsets.to_utf16(segment.end)

    def _mark(self, segment: Segment, start16: int, end16: int, lane: int) -> Mark:
        first = self._blocks.of16(start16)
        last = self._blocks.of16(end16 - 1)
        return Mark(segment, start16, end16, first, last, lane)

    def _file(self, mark: Mark) -> None:
        self._by_uuid[mark.segment.uuid] = mark
        for block in mark.blocks:
            self._by_block.setdefault(block, []).append(mark)
        self._lanes[mark.lane] += 1
