"""Speaker roles: the role words of SPEC §4 and the user's own label → role declarations."""

from __future__ import annotations

from collections.abc import Mapping

from transcripts.errors import TranscriptError
from transcripts.model import ROLES

ROLE_WORDS: dict[str, str] = {
    **dict.fromkeys(("t", "th", "therapist", "counsellor", "counselor"), "therapist"),
    **dict.fromkeys(("c", "cl", "client", "patient"), "client"),
    **dict.fromkeys(("i", "int", "interviewer", "r", "researcher"), "interviewer"),
}


def label_key(label: str) -> str:
    """The form labels are compared in: case-folded, inner whitespace collapsed."""
    return " ".join(label.split()).casefold()


def role_for_label(label: str) -> str:
    """The role a label stands for by itself (`Th` → therapist); anything else is 'other'."""
    return ROLE_WORDS.get(label_key(label), "other")


def declared_roles(speaker_roles: Mapping[str, str] | None, name: str) -> dict[str, str]:
    """Validate the user's `--speaker LABEL=ROLE` pairs, keyed by `label_key`."""
    declared: dict[str, str] = {}
    for label, role in (speaker_roles or {}).items():
        key, value = label_key(str(label)), str(role).strip().lower()
        if not key:
            raise TranscriptError("a declared speaker label is empty", name)
        if value not in ROLES:
            raise TranscriptError(
                f"unknown role {role!r} for speaker {label!r}; use one of {', '.join(ROLES)}", name
            )
        declared[key] = value
    return declared
