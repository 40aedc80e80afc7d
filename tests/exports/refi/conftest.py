"""A coded study for REFI-QDA export and round-trip tests."""

from __future__ import annotations

import pytest

from coding.study import Study


@pytest.fixture
def coded(loaded: Study) -> Study:
    """D01 session and recalls coded by two coders, with memos, an emoji and a deep codebook."""
    study = loaded
    book = study.codebook.load()
    session = study.documents.find("D01-S1-session")
    recall = study.documents.find("D01-S1-client-recall")
    text = study.documents.text(session.id)
    recall_text = study.documents.text(recall.id)
    fear = book.find("Initial fear and shame/Fear and anxiety")
    safety = book.find("Safety/Growing sense of safety")
    extra = study.codebook.add("Extra/theme", codable=False, definition="Grouping only.")
    level1 = study.codebook.add("Level 1", extra, inclusion="in", example="e.g. this")
    level2 = study.codebook.add("Level 2", level1, color="#123456", shortcut="Q")
    scared = text.index("scared")
    safer = text.index("safer")
    emoji = text.index("😊")
    study.segments.add(session.id, scared, scared + 6, fear, "Anna", memo="fear of judgement")
    study.segments.add(session.id, safer, safer + 5, safety, "Ben", memo="settling 😊")
    study.segments.add(session.id, emoji, emoji + 1, level2, "Ben")
    study.segments.add(session.id, emoji + 2, text.index("Let's"), level1, "Anna")
    terrified = recall_text.index("terrified")
    study.segments.add(recall.id, terrified, terrified + 9, fear, "Anna", memo="line\nbreak")
    study.segments.add(recall.id, terrified, terrified + 9, fear, "Ben")
    study.coders.mark_done(study.coders.find("Anna"), recall.id)
    return study
