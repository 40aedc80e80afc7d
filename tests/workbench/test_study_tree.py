"""The study tree's document tooltips: what a document is, at a glance."""

from __future__ import annotations

from dataclasses import replace

from coding.study import Study
from tests.workbench.gui_support import sample_study
from workbench.study_tree import document_tooltip


def test_tooltip_gives_format_size_speakers_and_session_clock(tmp_path):
    with Study.open(sample_study(tmp_path), writable=False) as study:
        session = study.documents.find("D01-S1-session")
        recall = study.documents.find("D01-S1-client-recall")
    tip = document_tooltip(session)
    assert "00:00:04–00:11:03" in tip and "T (therapist)" in tip
    assert "recall stops" in document_tooltip(recall)
    assert "00:00:04\n" in document_tooltip(replace(session, end=None)) + "\n"
