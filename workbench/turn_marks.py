"""Where the speaker labels, timestamps and recall stops of a transcript sit, per block.

The core says where each utterance's words start and where each stop marker is;
the label and clock are the text before the words on the first line of a turn.
Computed once per document, in UTF-16 units relative to the block, so the
highlighter only looks them up. No Qt here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from transcripts.labels import LABEL
from transcripts.model import Stop, Utterance
from workbench.segment_index import Blocks

_CLOCK = re.compile(r"[\[(]?\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?[\])]?")
_LABEL = re.compile(rf"(?P<label>{LABEL})\**:")


@dataclass(frozen=True, slots=True)
class TurnMark:
    """A run of a block to format: `kind` is "label", "clock" or "stop"."""

    start16: int  # from the start of the block
    length16: int
    kind: str
    role: str | None = None


def turn_marks(
    text: str, blocks: Blocks, utterances: Sequence[Utterance], stops: Sequence[Stop]
) -> dict[int, list[TurnMark]]:
    """Label, clock and stop runs of every block that has any, by block number."""
    marks: dict[int, list[TurnMark]] = {}
    offsets = blocks.offsets

    def add(start: int, end: int, kind: str, role: str | None = None) -> None:
        block = blocks.of(start)
        start16 = offsets.to_utf16(start)
        marks.setdefault(block, []).append(
            TurnMark(start16 - blocks.starts16[block], offsets.to_utf16(end) - start16, kind, role)
        )

    stop_spans = {}
    for stop in stops:
        add(stop.char_start, stop.char_end, "stop")
        stop_spans[blocks.of(stop.char_start)] = (stop.char_start, stop.char_end)
    for utterance in utterances:
        block = blocks.of(utterance.char_start)
        line_start = blocks.starts[block]
        prefix = text[line_start : utterance.char_start]
        if ":" not in prefix:
            continue
        if block in stop_spans:  # "[STOP 01:50] I: words": the stop is not a clock
            start, end = stop_spans[block]
            prefix = _blank(prefix, start - line_start, end - line_start)
        for clock in _CLOCK.finditer(prefix):
            add(line_start + clock.start(), line_start + clock.end(), "clock")
            prefix = _blank(prefix, clock.start(), clock.end())
        labels = list(_LABEL.finditer(prefix))
        if labels and utterance.speaker:
            label = labels[-1]
            add(line_start + label.start(), line_start + label.end(), "label", utterance.role)
    return marks


def _blank(text: str, start: int, end: int) -> str:
    """`text` with [start, end) replaced by spaces (same length, so offsets hold)."""
    return text[:start] + " " * (end - start) + text[end:]
