"""Turns, timestamps and recall stops in line-based transcript text (.txt, .md, .docx).

Two passes over the lines: the first counts labels (a label is a speaker only if
it is a role word, declared, or used twice), the second builds the utterances.
Each line costs a few anchored regex matches on the whole text (`match(text, pos,
end)`) and a slice or two, so a multi-megabyte day-long transcript stays linear.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from transcripts.labels import LABEL_HEAD, SpeakerTable
from transcripts.model import Stop, Utterance
from transcripts.timestamps import STAMP, STOP, seconds
from transcripts.turns import TurnCollector

# `[ts] Label: [ts] words`: every part optional; always matches (possibly empty).
_HEAD = re.compile(
    rf"[ \t]*(?:(?P<ts>{STAMP})[ \t]*)?(?:{LABEL_HEAD}[ \t]*(?:(?P<ts2>{STAMP})[ \t]*)?)?"
)
# A line's own timestamp may come before its stop markers, as when every line is timed.
_LEAD = re.compile(rf"[ \t]*(?:{STAMP})")


@dataclass(slots=True)
class _Line:
    number: int  # 1-based
    lead: re.Match[str] | None  # a timestamp before the stops
    stops: list[re.Match[str]]  # stop markers at the line start, in order
    head: re.Match[str]  # `_HEAD` matched after the stops
    end: int  # offset of the line's end (its `\n` or the end of text)


@dataclass(slots=True)
class _Turn:
    speaker: tuple[str, str] | None
    start: float | None
    first: int | None = None  # first non-whitespace character of the content
    last: int | None = None  # end of the last non-whitespace character


def _lines(text: str) -> Iterator[_Line]:
    """Split on `\\n` only (`str.splitlines` also splits on characters that stay in the text)."""
    pos, number, size = 0, 1, len(text)
    while pos <= size:
        end = text.find("\n", pos)
        if end < 0:
            end = size
        lead = _LEAD.match(text, pos, end)
        if lead is not None and STOP.match(text, lead.end(), end) is not None:
            pos = lead.end()
        else:
            lead = None
        stops = []
        while (stop := STOP.match(text, pos, end)) is not None:
            stops.append(stop)
            pos = stop.end()
        head = _HEAD.match(text, pos, end)
        assert head is not None, "_HEAD matches the empty string"
        yield _Line(number, lead, stops, head, end)
        pos, number = end + 1, number + 1


def _bounds(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The whitespace-trimmed span of `text[start:end]`, or None when it is blank."""
    segment = text[start:end]
    left = segment.lstrip()
    if not left:
        return None
    return end - len(left), start + len(segment.rstrip())


def _finish(turns: TurnCollector, turn: _Turn | None) -> None:
    """Hand a finished turn to the collector; a turn that never got words is dropped."""
    if turn is not None and turn.first is not None and turn.last is not None:
        turns.add_utterance(turn.speaker, turn.start, None, turn.first, turn.last)


def _first_known(*times: float | None) -> float | None:
    return next((time for time in times if time is not None), None)


def parse_text(
    text: str, name: str, perspective: str, table: SpeakerTable
) -> tuple[list[Utterance], list[Stop]]:
    """Utterances and recall stops of a text document (label rules of SPEC §4)."""
    for line in _lines(text):
        if line.head.group("label") is not None:
            table.see(line.head.group("label"))
    labelled = bool(table.speakers)
    turns = TurnCollector(name, perspective)
    turn: _Turn | None = None
    waiting: float | None = None  # a timestamp with no words on its line: the next start
    for line in _lines(text):
        head = line.head
        if line.stops:
            _finish(turns, turn)
            turn = None
            if line.lead is not None:  # it times what follows, as a line of its own would
                waiting = seconds(line.lead.group(), name, line.number)
            for stop in line.stops:
                time = seconds(stop.group("clock"), name, line.number)
                turns.add_stop(time, stop.start("stop"), stop.end("stop"), line.number)
        if _bounds(text, head.start(), line.end) is None:
            continue  # blank: never an utterance, never an end of one
        lead = head.group("ts")
        start = seconds(lead, name, line.number) if lead is not None else None
        label = head.group("label")
        if label is None and start is not None and _bounds(text, head.end(), line.end) is None:
            waiting = start  # `[00:12:30]` on a line of its own, over the turn it times
            continue
        speaker = table.lookup(label) if label is not None else None
        if speaker is not None:
            _finish(turns, turn)
            timed = (seconds(head.group(group), name, line.number)
                     for group in ("ts_in", "ts2") if head.group(group) is not None)
            turn = _Turn(speaker, _first_known(start, *timed, waiting))
            content = head.end()
        elif labelled and turn is not None:
            content = head.start()  # a continuation line belongs to the turn whole
        elif labelled and not turns.stops:
            continue  # preamble before the first turn: kept in the text, in no utterance
        else:  # a line of an unlabelled document, or unlabelled text after a stop
            _finish(turns, turn)
            turn = _Turn(None, _first_known(start, waiting))
            content = head.end("ts") if lead is not None else head.start()
        waiting = None
        span = _bounds(text, content, line.end)
        if span is not None:
            turn.first = span[0] if turn.first is None else turn.first
            turn.last = span[1]
    _finish(turns, turn)
    return turns.utterances, turns.stops
