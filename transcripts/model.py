"""Plain data classes for a parsed transcript.

Every position is a 0-based, end-exclusive index in Unicode code points of
`Transcript.text` (Python `str` indices), so `text[u.char_start:u.char_end]`
is always the utterance's words.
"""

from __future__ import annotations

from dataclasses import dataclass, field

PERSPECTIVES = ("session", "client-recall", "therapist-recall", "other")
ROLES = ("therapist", "client", "interviewer", "other")


@dataclass(frozen=True, slots=True)
class Utterance:
    """One speaker turn: the span of its words, who spoke, and when."""

    index: int
    speaker: str | None
    role: str | None
    start: float | None
    end: float | None
    session_time: float | None
    char_start: int
    char_end: int


@dataclass(frozen=True, slots=True)
class Stop:
    """A recall stop: the session time the video was stopped at, and the marker's span."""

    index: int
    time: float
    char_start: int
    char_end: int


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence inside one utterance's content (never across two utterances)."""

    utterance: int
    char_start: int
    char_end: int


@dataclass(slots=True)
class Transcript:
    """A parsed transcript: normalised text plus its utterances and recall stops."""

    text: str
    utterances: list[Utterance]
    stops: list[Stop] = field(default_factory=list)
    speakers: dict[str, str | None] = field(default_factory=dict)
    source: str = ""
    format: str = "txt"
