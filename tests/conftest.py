"""Shared fixtures: fresh studies on disk and real transcript files written per test."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from coding.study import Study

SESSION_TXT = """Session 1 — D01
Date: 12 March 2026

[00:00:05] T: Welcome back. How has the week been?
[00:00:12] C: Honestly, I nearly didn't come. I was scared you'd think I was wasting your time.
[00:00:30] T: I'm really glad you came.
It took courage to walk in today.
[00:01:10] C: When you said that, something settled. I felt safer. 😊
[00:02:00] T: Let's stay with that feeling for a moment.
"""

CLIENT_RECALL_TXT = """Client recall, D01 session 1
I: Stop it wherever something stood out for you.
[STOP 00:12]
C: Here I was terrified. I thought you'd send me away.
I: What was that like?
C: Shameful, really.
[STOP 01:10]
C: This is where I started to trust you.
[STOP 01:50] I: And here?
C: I just let go.
"""

THERAPIST_RECALL_TXT = """Therapist recall, D01 session 1
I: Stop whenever you like.
[STOP 00:35]
T: I could see how frightened she was, so I slowed right down.
[STOP 01:15]
T: That was the first time she really looked at me.
"""


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def digest(path: Path) -> str:
    """The study file's bytes, to prove a refused action changed nothing."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


@pytest.fixture
def study_path(tmp_path: Path) -> Path:
    with Study.create(tmp_path / "study.iprw", title="Test study"):
        pass
    return tmp_path / "study.iprw"


@pytest.fixture
def study(study_path: Path):
    with Study.open(study_path) as opened:
        yield opened


@pytest.fixture
def transcripts(tmp_path: Path) -> dict[str, Path]:
    folder = tmp_path / "files"
    folder.mkdir()
    return {
        "session": write(folder / "session.txt", SESSION_TXT),
        "client-recall": write(folder / "client.txt", CLIENT_RECALL_TXT),
        "therapist-recall": write(folder / "therapist.txt", THERAPIST_RECALL_TXT),
    }


@pytest.fixture
def loaded(study: Study, transcripts: dict[str, Path]) -> Study:
    """A study holding dyad D01 session 1: the session and both recalls."""
    from coding.documents import ImportItem

    for perspective, path in transcripts.items():
        study.documents.import_files([ImportItem(path, "D01", 1, perspective)])
    return study
