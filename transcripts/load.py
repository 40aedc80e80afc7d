"""Import entry points: a transcript file (or its bytes) in, a `Transcript` out.

Dispatches on the file extension. Every failure a file can cause is a
`TranscriptError` naming the file (and line where there is one).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path, PurePath

from transcripts.decoding import clean_text, decode
from transcripts.docx_reader import docx_text
from transcripts.errors import TranscriptError
from transcripts.labels import SpeakerTable
from transcripts.model import PERSPECTIVES, Transcript
from transcripts.subtitles import parse_subtitles
from transcripts.text_parser import parse_text

FORMATS = {".txt": "txt", ".md": "txt", ".docx": "docx", ".srt": "srt", ".vtt": "vtt"}


def parse_file(
    path: str | Path, perspective: str, speaker_roles: Mapping[str, str] | None = None
) -> Transcript:
    """Parse a transcript file; `speaker_roles` maps labels to roles (`--speaker P1=client`)."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise TranscriptError(f"cannot read the file ({exc.strerror or exc})", path) from exc
    return parse_bytes(data, str(path), perspective, speaker_roles)


def parse_bytes(
    data: bytes, name: str, perspective: str, speaker_roles: Mapping[str, str] | None = None
) -> Transcript:
    """Parse a transcript from its bytes; `name` gives the format and names it in errors."""
    fmt = FORMATS.get(PurePath(name).suffix.lower())
    if fmt is None:
        raise TranscriptError(f"unsupported file type; use one of {', '.join(FORMATS)}", name)
    if perspective not in PERSPECTIVES:
        raise TranscriptError(
            f"unknown perspective {perspective!r}; use one of {', '.join(PERSPECTIVES)}", name
        )
    table = SpeakerTable(speaker_roles, name)
    if fmt in ("srt", "vtt"):
        text, utterances, stops = parse_subtitles(
            decode(data, name), name, perspective, table, vtt=fmt == "vtt"
        )
    else:
        text = clean_text(docx_text(data, name), name) if fmt == "docx" else decode(data, name)
        utterances, stops = parse_text(text, name, perspective, table)
    return Transcript(
        text=text,
        utterances=utterances,
        stops=stops,
        speakers=table.speakers,
        source=PurePath(name).name,
        format=fmt,
    )
