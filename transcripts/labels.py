"""Speaker labels: their shape, and which labels count as speakers in a document.

A label is only a speaker when it is a role word, was declared by the user, or
labels at least two turns; otherwise `Date: 12 March` would start a turn.
"""

from __future__ import annotations

import itertools
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from transcripts.roles import ROLE_WORDS, declared_roles, label_key, role_for_label
from transcripts.timestamps import CLOCK


def _marks() -> str:
    """Every combining mark (Unicode category M), as a regex class body; `re` has no \\p{M}.

    Marks are parts of letters: a vowel sign in Hindi or Thai, an accent in NFD text.
    They all lie in planes 0 and 1 and the variation selectors of plane 14.
    """
    codes = [
        code
        for code in itertools.chain(range(0x20000), range(0xE0100, 0xE01F0))
        if unicodedata.category(chr(code)).startswith("M")
    ]
    runs = []
    for _, run in itertools.groupby(enumerate(codes), lambda pair: pair[1] - pair[0]):
        members = [chr(code) for _, code in run]
        runs.append(f"{members[0]}-{members[-1]}")  # a lone mark is a range of one
    return "".join(runs)


# 1–40 letters (with their combining marks), digits, spaces, `.`, `'`, `-`, starting with
# a letter or digit; the apostrophe may be Word's typographic one (U+2019), as autocorrect
# writes `O’Neil`.
LABEL = rf"[^\W_](?:[^\W_]|[ .'\u2019\-{_marks()}]){{0,39}}"
# A label and its colon (a colon before a digit is a clock, not a label), optionally
# wrapped in Markdown emphasis as in `**T:**` or `**T**:`, and optionally timed before
# the colon as transcription services write it: `Speaker 1 (00:03):`.
LABEL_HEAD = (
    rf"\*{{0,2}}(?P<label>{LABEL})\*{{0,2}}"
    rf"(?:[ \t]*(?P<ts_in>\({CLOCK}\)|\[{CLOCK}\]))?:(?!\d)\*{{0,2}}"
)


@dataclass(slots=True)
class _Label:
    written: str  # as first written, whitespace tidied
    uses: int = 0
    always: bool = False


class SpeakerTable:
    """Collects the labels of one document, then says which are speakers and their roles."""

    def __init__(self, speaker_roles: Mapping[str, str] | None, name: str) -> None:
        self._declared = declared_roles(speaker_roles, name)
        self._labels: dict[str, _Label] = {}

    def see(self, label: str, *, always: bool = False) -> None:
        """Count one use of `label`; `always` marks a speaker by itself (a VTT voice)."""
        key = label_key(label)
        entry = self._labels.get(key)
        if entry is None:
            entry = self._labels[key] = _Label(" ".join(label.split()))
        entry.uses += 1
        entry.always = entry.always or always

    def lookup(self, label: str) -> tuple[str, str] | None:
        """(speaker as first written, role) when `label` is a speaker, else None."""
        key = label_key(label)
        entry = self._labels.get(key)
        if entry is None or not self._is_speaker(key, entry):
            return None
        return entry.written, self._role(key)

    @property
    def speakers(self) -> dict[str, str | None]:
        """Every speaker seen, in order of first appearance, with its role."""
        return {
            entry.written: self._role(key)
            for key, entry in self._labels.items()
            if self._is_speaker(key, entry)
        }

    def _is_speaker(self, key: str, entry: _Label) -> bool:
        return entry.always or entry.uses >= 2 or key in self._declared or key in ROLE_WORDS

    def _role(self, key: str) -> str:
        return self._declared.get(key) or role_for_label(key)
