"""Bytes to clean document text: BOM-aware, deterministic decoding and binary-file refusal.

Decoding is tried in a fixed order (BOM, strict UTF-8, UTF-8 mixed with cp1252
bytes, strict cp1252) so the same file always gives the same text; guessing
libraries can flip between encodings on short files, which would move every
stored offset.
"""

from __future__ import annotations

import codecs
import re

from transcripts.errors import TranscriptError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# A well-formed multi-byte UTF-8 character: a cp1252 file all but never holds one.
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
# Control characters (C0, DEL, C1) other than tab, newline, CR and form feed mark a binary file.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def decode(data: bytes, name: str) -> str:
    """Decode a text file's bytes (UTF-8 ± BOM, UTF-16 with BOM, else cp1252) into clean text."""
    if not data:
        raise TranscriptError("the file is empty", name)
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return clean_text(data[len(bom) :].decode(codec), name)
            except UnicodeDecodeError as exc:
                raise TranscriptError(
                    f"the file starts with a {codec.upper()} byte-order mark "
                    f"but is not valid {codec.upper()} (byte {exc.start + len(bom)})",
                    name,
                ) from exc
    if _bomless_utf16(data):
        raise TranscriptError(
            "this looks like UTF-16 text without a byte-order mark; "
            "save it as UTF-8 (or UTF-16 with a byte-order mark)",
            name,
        )
    for codec, errors in _plain_decodings(data):
        try:
            text = data.decode(codec, errors)
        except UnicodeDecodeError:
            continue
        return clean_text(text, name)
    raise TranscriptError("cannot decode the file as UTF-8, UTF-16 or Windows-1252 text", name)


def _plain_decodings(data: bytes) -> list[tuple[str, str]]:
    """UTF-8, then: UTF-8 with cp1252 bytes when the file has real UTF-8 characters (a
    passage pasted from a Windows file), else cp1252 (which would garble the UTF-8)."""
    if _UTF8_MULTIBYTE.search(data):
        return [("utf-8", "strict"), ("utf-8", _CP1252_BYTES)]
    return [("utf-8", "strict"), ("cp1252", "strict")]


def _cp1252_byte(error: UnicodeError) -> tuple[str, int]:
    """Decode the one byte UTF-8 refused as cp1252 (cp1252's five undefined bytes still fail)."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    return error.object[error.start : error.start + 1].decode("cp1252"), error.start + 1


_CP1252_BYTES = "ipr-workbench-cp1252-bytes"
codecs.register_error(_CP1252_BYTES, _cp1252_byte)


def _bomless_utf16(data: bytes) -> bool:
    """Most characters of Latin-script UTF-16 have a zero high byte: every other byte is NUL,
    and hardly any of the others (a binary file has NULs at even and odd places alike)."""
    half = len(data) // 2
    even, odd = data[0::2].count(0), data[1::2].count(0)
    return half > 0 and max(even, odd) > half // 2 and min(even, odd) * 16 < max(even, odd)


def clean_text(text: str, name: str) -> str:
    """Normalise line endings to `\\n` and refuse binary or empty text."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    bad = _CONTROL.search(text)
    if bad is not None:
        raise TranscriptError(
            f"this looks like a binary file, not text (control character U+{ord(bad.group()):04X})",
            name,
            text.count("\n", 0, bad.start()) + 1,
        )
    if not text or text.isspace():
        raise TranscriptError("the file has no text", name)
    return text
