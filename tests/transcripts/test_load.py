"""Format dispatch, names in errors, and transcripts of day-long length."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from transcript_helpers import check_invariants, parse

from transcripts.errors import TranscriptError
from transcripts.load import parse_bytes, parse_file


@pytest.mark.parametrize("name", ["notes.TXT", "notes.md", "dir.v2/notes.txt"])
def test_text_extensions_are_text_documents(name):
    transcript = parse("T: hello\n", name=name)

    assert (transcript.format, transcript.source) == ("txt", Path(name).name)


@pytest.mark.parametrize("name", ["notes.rtf", "notes", "notes.txt.bak", "notes.doc"])
def test_other_extensions_are_refused_naming_the_supported_ones(name):
    with pytest.raises(TranscriptError, match=r"\.txt, \.md, \.docx, \.srt, \.vtt") as caught:
        parse_bytes(b"T: hello", name, "session")

    assert caught.value.path == name


def test_unknown_perspective_is_refused():
    with pytest.raises(TranscriptError, match="unknown perspective 'recall'"):
        parse_bytes(b"T: hello", "a.txt", "recall")


def test_missing_file_is_a_transcript_error(tmp_path: Path):
    path = tmp_path / "absent.txt"

    with pytest.raises(TranscriptError, match="cannot read") as caught:
        parse_file(path, "session")

    assert caught.value.path == str(path)


def test_file_path_in_errors_and_file_name_as_source(tmp_path: Path):
    path = tmp_path / "recall.txt"
    path.write_text("T: hi\n[STOP 00:10]\n", encoding="utf-8")

    assert parse_file(path, "client-recall").source == "recall.txt"
    with pytest.raises(TranscriptError) as caught:
        parse_file(path, "session")
    assert str(caught.value).startswith(f"{path}, line 2: ")


def test_multi_megabyte_transcript_is_parsed_whole_and_fast(tmp_path: Path):
    turn = "[00:{m:02d}:{s:02d}] {who}: I felt really scared when you asked, and then it shifted.\n"
    lines = [turn.format(m=n // 60 % 60, s=n % 60, who="TC"[n % 2]) for n in range(60_000)]
    lines[30_000] = "[STOP 10:00]\n" + lines[30_000]
    text = "".join(lines) + "C: " + "a very long last turn " * 100_000
    path = tmp_path / "day.txt"
    path.write_text(text, encoding="utf-8")

    started = time.perf_counter()
    transcript = parse_file(path, "client-recall")
    elapsed = time.perf_counter() - started

    assert len(transcript.text) == len(text) > 6_000_000
    assert len(transcript.utterances) == 60_001
    last = transcript.utterances[-1]
    assert (
        transcript.text[last.char_start : last.char_end] == text[text.rindex("C: ") + 3 :].strip()
    )
    assert elapsed < 10  # linear: a quadratic parser takes minutes here
    check_invariants(transcript)
