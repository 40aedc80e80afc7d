"""Small helpers shared by the transcript tests."""

from __future__ import annotations

from transcripts.load import parse_bytes
from transcripts.model import Transcript


def parse(
    text: str,
    perspective: str = "client-recall",
    name: str = "t.txt",
    speaker_roles: dict[str, str] | None = None,
    encoding: str = "utf-8",
) -> Transcript:
    return parse_bytes(text.encode(encoding), name, perspective, speaker_roles)


def said(transcript: Transcript) -> list[tuple[str | None, str]]:
    """(speaker, words) of every utterance, read back through its offsets."""
    return [(u.speaker, transcript.text[u.char_start : u.char_end]) for u in transcript.utterances]


def check_invariants(transcript: Transcript) -> None:
    """What every parsed transcript guarantees, whatever the input."""
    text = transcript.text
    assert "\r" not in text
    previous_end = 0
    for index, u in enumerate(transcript.utterances):
        assert u.index == index
        assert previous_end <= u.char_start < u.char_end <= len(text)
        content = text[u.char_start : u.char_end]
        assert content.strip() == content and content
        assert (u.role is None) == (u.speaker is None)
        previous_end = u.char_end
    for index, stop in enumerate(transcript.stops):
        assert stop.index == index
        assert 0 <= stop.char_start < stop.char_end <= len(text)
        for u in transcript.utterances:
            assert stop.char_end <= u.char_start or u.char_end <= stop.char_start
