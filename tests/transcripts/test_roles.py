"""Role words of SPEC §4."""

from __future__ import annotations

import pytest

from transcripts.roles import role_for_label


@pytest.mark.parametrize(
    ("label", "role"),
    [
        ("T", "therapist"),
        ("th", "therapist"),
        ("THERAPIST", "therapist"),
        ("Counsellor", "therapist"),
        ("counselor", "therapist"),
        ("c", "client"),
        ("Cl", "client"),
        ("Client", "client"),
        ("PATIENT", "client"),
        ("I", "interviewer"),
        ("int", "interviewer"),
        ("Interviewer", "interviewer"),
        ("r", "interviewer"),
        ("Researcher", "interviewer"),
        (" Client ", "client"),
        ("Dr. Lind", "other"),
        ("P1", "other"),
        ("Therapist 2", "other"),
        ("", "other"),
    ],
)
def test_role_for_label(label, role):
    assert role_for_label(label) == role
