"""Importing transcripts from the window: guesses, progress off the GUI thread, bad files."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent

from tests.conftest import CLIENT_RECALL_TXT, SESSION_TXT, write
from tests.workbench.gui_support import Dialogs, open_window, study_bytes
from transcripts.progress import Cancelled
from workbench.import_dialog import ImportDialog, guess_placement
from workbench.worker import run_with_progress


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("D07-S2-client-recall.docx", ("D07", 2, "client-recall")),
        ("d3_session_1.srt", ("D03", 1, "session")),
        ("Therapist IPR interview dyad 12.txt", ("D12", 1, "therapist-recall")),
        ("session 4 transcript.vtt", ("", 4, "session")),
        ("notes.md", ("", 1, "other")),
    ],
)
def test_placement_is_guessed_from_the_file_name(name, expected):
    assert guess_placement(Path(name)) == expected


@pytest.fixture
def window(qtbot, tmp_path):
    return open_window(qtbot, tmp_path)


def answer_dialog(monkeypatch, *answers: int, edit=None) -> list[ImportDialog]:
    """Make ImportDialog.exec return `answers` in turn (after `edit(dialog)`)."""
    shown, replies = [], iter(answers)

    def exec_(dialog):
        shown.append(dialog)
        if edit is not None:
            edit(dialog)
        return next(replies, 0)

    monkeypatch.setattr(ImportDialog, "exec", exec_)
    return shown


def test_dropping_files_imports_them_off_the_gui_thread(window, tmp_path, monkeypatch):
    session = write(tmp_path / "D09-S1-session.txt", SESSION_TXT)
    recall = write(tmp_path / "D09-S1-client-recall.txt", CLIENT_RECALL_TXT)
    shown = answer_dialog(monkeypatch, 1)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(session)), QUrl.fromLocalFile(str(recall))])
    drop = QDropEvent(QPointF(50, 50), Qt.DropAction.CopyAction, mime,
                      Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    window.dropEvent(drop)

    assert [(i.dyad, i.session, i.perspective) for i in shown[0].items()] == [
        ("D09", 1, "session"), ("D09", 1, "client-recall")
    ]
    names = {d.name for d in window.session.study.documents.list()}
    assert {"D09-S1-session", "D09-S1-client-recall"} <= names
    tree_labels = [window.study_tree.model().index(r, 0).data()
                   for r in range(window.study_tree.model().rowCount())]
    assert "Dyad D09" in tree_labels
    assert window.current_view().info.dyad == "D09"


def test_a_bad_file_shows_an_error_and_changes_nothing(window, tmp_path, monkeypatch):
    dialogs = Dialogs(monkeypatch)
    good = write(tmp_path / "D09-S1-session.txt", SESSION_TXT)
    bad = write(tmp_path / "D09-S1-therapist.txt", "T: hello\n[00:75:00] C: impossible\n")
    path = window.session.study.path
    before, documents = study_bytes(path), len(window.session.study.documents.list())

    shown = answer_dialog(monkeypatch, 1, 0)
    window.import_transcripts([good, bad])

    (error,) = dialogs.texts("critical")
    assert "D09-S1-therapist.txt" in error and "line 2" in error
    assert len(shown) == 2  # the dialog comes back, entries kept, for a second try
    assert study_bytes(path) == before
    assert len(window.session.study.documents.list()) == documents


def test_speaker_roles_given_in_the_dialog_are_used(window, tmp_path, monkeypatch):
    path = write(tmp_path / "D09-S1-session.txt", "Dr Lind: Hello.\nMo: Hi.\n")
    answer_dialog(monkeypatch, 1, edit=lambda d: (d.add_speaker("Dr Lind", "therapist"),
                                                  d.add_speaker("Mo", "client")))
    window.import_transcripts([path])
    doc = window.session.study.documents.find("D09-S1-session")
    assert doc.speakers == {"Dr Lind": "therapist", "Mo": "client"}


def test_the_dialog_refuses_a_missing_dyad(qtbot, tmp_path, monkeypatch):
    dialogs = Dialogs(monkeypatch)
    dialog = ImportDialog([write(tmp_path / "notes.txt", "T: hi\n")])
    qtbot.addWidget(dialog)
    dialog.accept()
    assert dialog.result() == 0 and "dyad" in dialogs.texts("warning")[0]


def slow_task(steps: int, progress=None) -> int:
    for step in range(steps):
        progress(step / steps, f"step {step}")
        time.sleep(0.01)
    return steps


def test_the_worker_returns_results_and_shows_errors(qtbot, monkeypatch):
    dialogs = Dialogs(monkeypatch)
    assert run_with_progress(None, "Counting", slow_task, 3) == 3

    def failing(progress=None):
        from coding.errors import StudyError

        raise StudyError("D01.txt, line 4: not a transcript")

    assert run_with_progress(None, "Importing", failing) is None
    assert dialogs.texts("critical") == ["D01.txt, line 4: not a transcript"]


def test_cancel_stops_the_task_inside_the_core(qtbot, monkeypatch):
    from PySide6.QtWidgets import QProgressDialog, QPushButton

    raised = []

    def watched(progress=None):
        try:
            return slow_task(500, progress)
        except Cancelled:
            raised.append(True)
            raise

    original = QProgressDialog.setValue

    def cancel_soon(dialog, value):
        original(dialog, value)
        if value > 0:
            dialog.findChild(QPushButton).click()  # the Cancel button

    monkeypatch.setattr(QProgressDialog, "setValue", cancel_soon)
    started = time.perf_counter()
    assert run_with_progress(None, "Long task", watched) is None
    assert raised and time.perf_counter() - started < 4
