"""Numbering of utterances and recall stops, shared by the text and subtitle parsers.

Keeps the recall rules in one place: stops are refused in session transcripts, and
every utterance after a stop refers to that stop's session moment.
"""

from __future__ import annotations

from transcripts.errors import TranscriptError
from transcripts.model import Stop, Utterance


class TurnCollector:
    """Receives utterances and stops in document order and numbers them from 0."""

    def __init__(self, name: str, perspective: str) -> None:
        self.name = name
        self.perspective = perspective
        self.utterances: list[Utterance] = []
        self.stops: list[Stop] = []

    def add_stop(self, time: float, char_start: int, char_end: int, line: int) -> None:
        """Record a recall stop; the utterances after it refer to `time` in the session."""
        if self.perspective == "session":
            raise TranscriptError(
                "a recall stop ([STOP …]) cannot appear in a session transcript; "
                "import the file as client-recall, therapist-recall or other",
                self.name,
                line,
            )
        self.stops.append(Stop(len(self.stops), time, char_start, char_end))

    def add_utterance(
        self,
        speaker: tuple[str, str] | None,
        start: float | None,
        end: float | None,
        char_start: int,
        char_end: int,
    ) -> None:
        """Record a turn; `speaker` is (label, role) or None for an unattributed turn."""
        if self.perspective == "session":
            session_time = start
        else:
            session_time = self.stops[-1].time if self.stops else None
        self.utterances.append(
            Utterance(
                index=len(self.utterances),
                speaker=speaker[0] if speaker else None,
                role=speaker[1] if speaker else None,
                start=start,
                end=end,
                session_time=session_time,
                char_start=char_start,
                char_end=char_end,
            )
        )
