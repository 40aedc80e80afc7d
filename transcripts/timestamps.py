"""Timestamps and recall-stop markers: their patterns, validation and rendering."""

from __future__ import annotations

import re

from transcripts.errors import TranscriptError

# mm:ss or hh:mm:ss with an optional .mmm / ,mmm fraction; the ranges are checked in `seconds`.
CLOCK = r"\d{1,4}:\d{1,2}(?::\d{1,2})?(?:[.,]\d{1,6})?"
_HMS = r"\d{1,4}:\d{1,2}:\d{1,2}(?:[.,]\d{1,6})?"
# A timestamp in a text line: bracketed mm:ss or hh:mm:ss, or a bare hh:mm:ss ending at a space.
STAMP = rf"\[{CLOCK}\]|\({CLOCK}\)|{_HMS}(?=\s|$)"
# `[STOP 00:12:30]` at the start of a line (case-insensitive); the marker itself is group "stop".
STOP = re.compile(rf"[ \t]*(?P<stop>\[[ \t]*STOP[ \t]*:?[ \t]*(?P<clock>{CLOCK})[ \t]*\])", re.I)

_PARTS = re.compile(r"(\d+):(\d+)(?::(\d+))?(?:[.,](\d+))?")


def seconds(stamp: str, name: str, line: int) -> float:
    """Seconds of a timestamp or clock text; impossible minutes or seconds are the file's error."""
    match = _PARTS.search(stamp)
    assert match is not None, "callers pass only text that CLOCK or STAMP matched"
    first, second, third, fraction = match.groups()
    if third is None:  # mm:ss — the minutes may run past 59
        hours, minutes, secs = 0, int(first), int(second)
        impossible = secs >= 60
    else:
        hours, minutes, secs = int(first), int(second), int(third)
        impossible = minutes >= 60 or secs >= 60
    if impossible:
        raise TranscriptError(
            f"impossible timestamp {match.group()!r} (minutes and seconds run from 00 to 59)",
            name,
            line,
        )
    value = hours * 3600 + minutes * 60 + secs
    return value + float(f"0.{fraction}") if fraction else float(value)


def clock(value: float) -> str:
    """`hh:mm:ss` of a time in seconds, floored to whole seconds."""
    whole = int(value)
    return f"{whole // 3600:02d}:{whole // 60 % 60:02d}:{whole % 60:02d}"
