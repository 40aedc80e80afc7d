"""SubRip (.srt) and WebVTT (.vtt) files: strict cue reading, speaker turns, clean rendering.

Cues are read strictly (a malformed cue is the file's error, with its line), each
text line of a cue may start with recall stops and a speaker (as a line of a text
transcript may), then consecutive cues by one speaker are merged into a turn and
the document text is rendered one turn per line as `[hh:mm:ss] Speaker: words`, so
coders see a transcript rather than subtitle blocks.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from transcripts.errors import TranscriptError
from transcripts.labels import LABEL_HEAD, SpeakerTable
from transcripts.model import Stop, Utterance
from transcripts.timestamps import STOP, clock, seconds
from transcripts.turns import TurnCollector

_CUE_TIME = r"(?:\d{1,4}:)?\d{1,2}:\d{1,2}[.,]\d{1,3}"
# Cue settings (VTT) or coordinates (some SRT writers) may follow the end time.
_TIMING = re.compile(rf"[ \t]*({_CUE_TIME})[ \t]+-->[ \t]+({_CUE_TIME})(?:[ \t].*)?")
_CUE_NUMBER = re.compile(r"[ \t]*[0-9]+[ \t]*")
_VTT_HEADER = re.compile(r"WEBVTT(?:[ \t].*)?")
_VTT_SKIPPED_BLOCK = re.compile(r"(?:NOTE|STYLE|REGION)(?:[ \t].*)?")
_VOICE = re.compile(r"<v(?:\.[^\s>]*)?[ \t]+([^>]*)>")
_VOICE_END = re.compile(r"</v>")
_VTT_TAG = re.compile(r"<[^>]*>")
_SRT_TAG = re.compile(r"</?(?:b|i|u|font)(?:[ \t][^>]*)?>|\{\\[^{}]*\}", re.I)  # + ASS {\an8}
_CUE_LABEL = re.compile(rf"{LABEL_HEAD}[ \t]*")


@dataclass(slots=True)
class _Line:
    """One text line of a cue, markup stripped, with the stops and speaker at its start."""

    number: int  # 1-based line in the file
    stops: list[float]  # recall stops at the start of the line
    voice: str | None  # a VTT `<v Name>`: always a speaker
    label: str | None  # a `Label:` at the start of the words
    words: str  # whitespace collapsed, after the stops
    after_label: str  # the words without the label (the same as words for a voice)


@dataclass(slots=True)
class _Cue:
    start: float
    end: float
    lines: list[_Line]


@dataclass(slots=True)
class _Turn:
    speaker: tuple[str, str] | None
    start: float
    end: float
    cue: int  # the cue it started in
    words: list[str] = field(default_factory=list)


class _Renderer:
    """Builds the document text line by line and knows each line's offset."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.size = 0

    def add(self, prefix: str, body: str) -> int:
        """Append `prefix + body` as a line; return the offset of `body`."""
        if self.lines:
            self.size += 1  # the "\n" before this line
        self.lines.append(prefix + body)
        offset = self.size + len(prefix)
        self.size += len(prefix) + len(body)
        return offset

    def text(self) -> str:
        return "\n".join(self.lines)


def _blocks(lines: list[str], first: int) -> Iterator[tuple[int, list[str]]]:
    """Runs of non-blank lines from index `first`, each with its 1-based line number."""
    block: list[str] = []
    for index in range(first, len(lines)):
        if lines[index].strip():
            if not block:
                start = index + 1
            block.append(lines[index])
        elif block:
            yield start, block
            block = []
    if block:
        yield start, block


def _timing(line: str, name: str, number: int) -> tuple[float, float]:
    match = _TIMING.fullmatch(line)
    if match is None:
        problem = "missing '-->' in" if "-->" not in line else "malformed"
        raise TranscriptError(
            f"{problem} cue timing {line[:80]!r} (expected 'hh:mm:ss,mmm --> hh:mm:ss,mmm')",
            name,
            number,
        )
    start, end = seconds(match.group(1), name, number), seconds(match.group(2), name, number)
    if end < start:
        raise TranscriptError("the cue ends before it starts", name, number)
    return start, end


def _srt_cues(lines: list[str], name: str) -> Iterator[tuple[int, float, float, list[str]]]:
    for number, block in _blocks(lines, 0):
        if not _CUE_NUMBER.fullmatch(block[0]):
            raise TranscriptError(f"expected a cue number, found {block[0][:80]!r}", name, number)
        if len(block) < 2:
            raise TranscriptError("the cue has no timing line", name, number)
        yield number + 1, *_timing(block[1], name, number + 1), block[2:]


def _vtt_cues(lines: list[str], name: str) -> Iterator[tuple[int, float, float, list[str]]]:
    if not _VTT_HEADER.fullmatch(lines[0]):
        raise TranscriptError("a WebVTT file must start with 'WEBVTT'", name, 1)
    header_end = 1
    while header_end < len(lines) and lines[header_end].strip():
        if "-->" in lines[header_end]:
            raise TranscriptError(
                "expected a blank line between the WEBVTT header and the first cue",
                name,
                header_end + 1,
            )
        header_end += 1
    for number, block in _blocks(lines, header_end):
        if _VTT_SKIPPED_BLOCK.fullmatch(block[0]):
            continue
        at = 0 if "-->" in block[0] else 1  # an optional cue identifier comes first
        if at == 1 and (len(block) < 2 or "-->" not in block[1]):
            raise TranscriptError(
                f"expected a cue ('start --> end' and text), found {block[0][:80]!r}",
                name,
                number,
            )
        yield number + at, *_timing(block[at], name, number + at), block[at + 1 :]


def _cue(number: int, start: float, end: float, payload: list[str], vtt: bool, name: str) -> _Cue:
    """Read a cue's text lines; `number` is the line of its timing, the text follows it.

    A VTT voice span runs until `</v>` or the end of the cue, so it names the
    speaker of the lines below it too (a stop between them does not end it).
    """
    lines, voice = [], None
    for at, raw in enumerate(payload):
        if vtt:
            found = list(_VOICE.finditer(raw))
            line_voice = _voice_name(found[0]) if found else voice
            voice = _voice_name(found[-1]) if found else voice
            if _VOICE_END.search(raw, found[-1].end() if found else 0):
                voice = None
        else:
            line_voice = None
        lines.append(_line(number + 1 + at, raw, line_voice, vtt, name))
    return _Cue(start, end, lines)


def _voice_name(found: re.Match[str]) -> str | None:
    return " ".join(html.unescape(found.group(1)).split()) or None


def _line(number: int, raw: str, voice: str | None, vtt: bool, name: str) -> _Line:
    """Strip a cue line's markup and split off its stops and label."""
    if vtt:
        words = " ".join(html.unescape(_VTT_TAG.sub("", raw)).split())
    else:
        words = " ".join(_SRT_TAG.sub("", raw).split())
    stops, at = [], 0
    while (stop := STOP.match(words, at)) is not None:
        stops.append(seconds(stop.group("clock"), name, number))
        at = stop.end()
    words = words[at:].lstrip()
    labelled = None if voice is not None else _CUE_LABEL.match(words)
    label = labelled.group("label") if labelled is not None else None
    after_label = words[labelled.end() :] if labelled is not None else words
    return _Line(number, stops, voice, label, words, after_label)


def parse_subtitles(
    text: str, name: str, perspective: str, table: SpeakerTable, *, vtt: bool
) -> tuple[str, list[Utterance], list[Stop]]:
    """Rendered text, utterances and stops of an SRT (`vtt=False`) or VTT file."""
    lines = text.split("\n")
    reader = _vtt_cues if vtt else _srt_cues
    cues = [_cue(*found, vtt, name) for found in reader(lines, name)]
    for line in (line for cue in cues for line in cue.lines):
        if line.voice is not None:
            table.see(line.voice, always=True)
        elif line.label is not None:
            table.see(line.label)
    labelled = bool(table.speakers)
    turns = TurnCollector(name, perspective)
    out = _Renderer()
    turn: _Turn | None = None
    for number, cue in enumerate(cues):
        for line in cue.lines:
            for time in line.stops:
                _finish(turns, out, turn)
                turn = None
                marker = f"[STOP {clock(time)}]"
                offset = out.add("", marker)
                turns.add_stop(time, offset, offset + len(marker), line.number)
            named = line.voice if line.voice is not None else line.label
            speaker = table.lookup(named) if named is not None else None
            words = line.after_label if speaker is not None else line.words
            if speaker is None and not words:
                continue
            # An unlabelled line continues the turn; in a file without labels only within its cue.
            if (
                turn is not None
                and speaker in (None, turn.speaker)
                and (labelled or turn.cue == number)
            ):
                turn.end = cue.end
            else:
                _finish(turns, out, turn)
                turn = _Turn(speaker, cue.start, cue.end, number)
            if words:
                turn.words.append(words)
    _finish(turns, out, turn)
    if not out.lines:
        raise TranscriptError("the file has no cues with text", name)
    return out.text(), turns.utterances, turns.stops


def _finish(turns: TurnCollector, out: _Renderer, turn: _Turn | None) -> None:
    """Render a finished turn as one line; a turn that never got words is dropped."""
    if turn is None or not turn.words:
        return
    body = " ".join(turn.words)
    prefix = f"[{clock(turn.start)}] " + (f"{turn.speaker[0]}: " if turn.speaker else "")
    offset = out.add(prefix, body)
    turns.add_utterance(turn.speaker, turn.start, turn.end, offset, offset + len(body))
