"""Encodings, line endings and refusal of empty or binary files, through real files."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from transcript_helpers import said

from transcripts.decoding import decode
from transcripts.errors import TranscriptError
from transcripts.load import parse_file

ACCENTED = (
    "Thérapeute notes — café\n"
    "T: Ça va? Señora Müller said “hello” 😀 to me.\n"
    "C: Oui, très bien 😀😀.\n"
)


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [
        ("utf-8", b""),
        ("utf-8", codecs.BOM_UTF8),
        ("utf-16-le", codecs.BOM_UTF16_LE),
        ("utf-16-be", codecs.BOM_UTF16_BE),
    ],
)
def test_unicode_files_decode_with_code_point_offsets(tmp_path: Path, encoding, prefix):
    path = tmp_path / "accents.txt"
    path.write_bytes(prefix + ACCENTED.encode(encoding))

    transcript = parse_file(path, "session")

    assert transcript.text == ACCENTED  # the BOM is stripped, not counted
    assert said(transcript) == [
        ("T", "Ça va? Señora Müller said “hello” 😀 to me."),
        ("C", "Oui, très bien 😀😀."),
    ]


def test_cp1252_file_decodes_accents_and_smart_quotes(tmp_path: Path):
    text = "T: Ça va? “Très” bien — €5 naïve\r\nC: Sí, señor.\r\n"
    path = tmp_path / "legacy.txt"
    path.write_bytes(text.encode("cp1252"))

    transcript = parse_file(path, "session")

    assert said(transcript) == [("T", "Ça va? “Très” bien — €5 naïve"), ("C", "Sí, señor.")]


def test_a_utf8_file_with_pasted_windows_1252_lines_keeps_both(tmp_path: Path):
    """A UTF-8 transcript with a passage pasted from a Windows-1252 file: neither half garbled."""
    utf8 = "T: Señora Müller — café 😀\n"
    legacy = "C: It’s “fine”, naïve €5\n"
    path = tmp_path / "mixed.txt"
    path.write_bytes(utf8.encode() + legacy.encode("cp1252") + utf8.encode())

    assert parse_file(path, "session").text == utf8 + legacy + utf8


def test_line_endings_become_newlines_and_only_newlines_split_lines():
    data = "T: one\r\nC: two\rT: three\u2028still three\x0cand more\nC: four".encode()

    text = decode(data, "t.txt")

    assert text == "T: one\nC: two\nT: three\u2028still three\x0cand more\nC: four"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"  \n\t\r\n  ", "no text"),
        (codecs.BOM_UTF8, "no text"),
        (b"T: hello\x00\x01\x02world", "binary"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (b"T: a bell \x07 rings", "binary"),
        ("T: C1 control \x85 here".encode(), "binary"),
        (codecs.BOM_UTF16_LE + b"T\x00:\x00 ", "UTF-16"),  # odd byte count
        (codecs.BOM_UTF16_LE + "\ud800".encode("utf-16-le", "surrogatepass"), "UTF-16"),
        (b"T: \x81\x8d\x8f\x90\x9d", "cannot decode"),  # cp1252's undefined bytes
        ("T: café ".encode() + b"\x81", "cannot decode"),  # mixed, and still undefined
    ],
)
def test_undecodable_empty_and_binary_files_are_refused(tmp_path: Path, data, reason):
    path = tmp_path / "bad.txt"
    path.write_bytes(data)

    with pytest.raises(TranscriptError, match=reason) as caught:
        parse_file(path, "session")

    assert caught.value.path == str(path)


def test_binary_error_names_the_line():
    with pytest.raises(TranscriptError) as caught:
        decode(b"T: fine\nC: fine\nT: \x00 here", "t.txt")

    assert caught.value.line == 3
    assert str(caught.value).startswith("t.txt, line 3: ")


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_refused_as_such(encoding):
    """Not "a binary file": the user needs to know what to re-save it as."""
    with pytest.raises(TranscriptError, match="UTF-16 text without a byte-order mark"):
        decode("T: Hallo\r\nC: Grüß dich 😀\r\n".encode(encoding), "t.txt")
