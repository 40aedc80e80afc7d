"""The dual-perspective view on the sample study: jumping from stops, the window, the timeline."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QGuiApplication, QTextCursor

from coding.documents import ImportItem
from coding.study import Study
from tests.workbench.gui_support import open_window
from tests.workbench.screenshots import save_shots
from workbench import dual_view
from workbench.dual_view import DualView

SAFETY = "Safety/Growing sense of safety"


@pytest.fixture
def window(qtbot, tmp_path):
    return open_window(qtbot, tmp_path)


@pytest.fixture
def dual(window) -> DualView:
    window.open_document(window.session.study.documents.find("D01-S1-session").id)
    window.screens.dual.trigger()
    dual = window.tabs.currentWidget()
    assert isinstance(dual, DualView) and dual.key == ("D01", 1)
    return dual


def comment_at(dual: DualView, perspective: str, time: float):
    return next(c for c in dual.comments[perspective] if c.time == time)


def click_text(qtbot, view, position: int) -> None:
    """Scroll a transcript to a code point and click there, as a user would."""
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.to_utf16(position))
    view.verticalScrollBar().setValue(max(cursor.blockNumber() - 2, 0))
    where = view.cursorRect(cursor).center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=where)


def in_view(view, position: int) -> bool:
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.to_utf16(position))
    return view.viewport().rect().contains(view.cursorRect(cursor).center())


def test_clicking_a_client_stop_shows_the_session_then_and_the_therapists_comment(qtbot, dual):
    stop = comment_at(dual, "client-recall", 80.0)  # [STOP 01:20]
    click_text(qtbot, dual.view("client-recall"), stop.char_start + 2)

    assert dual.chosen["client-recall"] is stop
    therapist = dual.chosen["therapist-recall"]
    assert therapist is comment_at(dual, "therapist-recall", 74.0)
    view = dual.view("therapist-recall")
    assert view.textCursor().position() == view.to_utf16(therapist.char_start)
    assert not view.textCursor().hasSelection()
    assert in_view(view, therapist.char_start)
    (band,) = dual.panes["therapist-recall"].overlay.marks
    assert (band.start, band.end) == (therapist.char_start, therapist.char_end)

    spoken = dual.spoken  # what was being said between the two stops (74 s to 80 s)
    assert [u.start for u in spoken] == [72.0, 78.0]
    session = dual.view("session")
    assert session.textCursor().position() == session.to_utf16(spoken[0].char_start)
    assert in_view(session, spoken[0].char_start)
    assert dual.timeline.current == (74.0, 80.0)
    study = dual.session.study
    coded = study.segments.for_document(dual.docs["session"].id)
    assert len(dual.timeline.session_marks) == len(coded)  # every session segment, by time
    assert "Stopped at 1:14" in dual.panes["therapist-recall"].status.text()


def test_a_line_said_after_a_stop_belongs_to_it(qtbot, dual):
    stop = comment_at(dual, "therapist-recall", 430.0)
    click_text(qtbot, dual.view("therapist-recall"), stop.utterances[-1].char_start + 3)
    assert dual.chosen["therapist-recall"] is stop
    assert dual.chosen["client-recall"] is comment_at(dual, "client-recall", 455.0)


def test_the_window_decides_what_counts_as_the_same_moment(qtbot, dual, window):
    lonely = comment_at(dual, "client-recall", 230.0)  # no therapist stop within 30 s
    click_text(qtbot, dual.view("client-recall"), lonely.char_start + 1)
    assert dual.chosen["therapist-recall"] is None
    assert "did not stop within 30 s" in dual.panes["therapist-recall"].status.text()
    assert dual.panes["therapist-recall"].overlay.marks == []

    dual.window_box.setValue(100)
    assert dual.chosen["client-recall"].time == 230.0
    assert dual.chosen["therapist-recall"].time == 322.0  # 92 s later
    assert window.settings.moment_window == 100
    shared_before = dual.summary.text()
    dual.window_box.setValue(5)
    assert dual.chosen["therapist-recall"] is None
    assert dual.summary.text() != shared_before


def test_clicking_the_timeline_moves_every_pane(qtbot, dual):
    timeline = dual.timeline
    stop = next(s for s in timeline.stops if s.comment.time == 515.0)
    qtbot.mouseClick(timeline, Qt.MouseButton.LeftButton, pos=timeline.stop_point(stop).toPoint())
    assert dual.chosen["therapist-recall"].time == 515.0
    assert dual.chosen["client-recall"] is None  # the client stopped at 455 and 565
    assert dual.spoken and dual.spoken[0].start <= 515.0

    x = round(timeline.x_of(300.0))
    qtbot.mouseClick(timeline, Qt.MouseButton.LeftButton, pos=QPoint(x, timeline.height() // 2))
    assert abs(timeline.current[0] - 300.0) < 2
    assert dual.chosen["client-recall"].time == 305.0
    assert dual.chosen["therapist-recall"].time == 322.0
    session = dual.view("session")
    assert in_view(session, dual.spoken[0].char_start)
    assert dual.spoken[0].start <= 300.0 < dual.spoken[0].start + 60


def test_clicking_in_the_session_finds_both_recalls(qtbot, dual):
    utterances = dual.session.study.documents.utterances(dual.docs["session"].id)
    said = next(u for u in utterances if u.start == 78.0)
    click_text(qtbot, dual.view("session"), said.char_start + 4)
    assert dual.chosen["client-recall"].time == 80.0
    assert dual.chosen["therapist-recall"].time == 74.0


def test_coding_works_in_every_pane(qtbot, dual, window):
    study = window.session.study
    safety = study.codebook.find(SAFETY)
    for perspective in ("client-recall", "session", "therapist-recall"):
        view = dual.view(perspective)
        view.setFocus()
        qtbot.waitUntil(lambda v=view: window.current_view() is v)
        comment = dual.comments["therapist-recall"][0].utterances[0]
        start = comment.char_start if perspective == "therapist-recall" else 200
        view.select_span(start, start + 12)
        window.codebook.applyRequested.emit(safety)
        mine = study.segments.for_document(view.document_id, [window.session.coder.id])
        assert (start, start + 12, safety.id) in {(s.start, s.end, s.code_id) for s in mine}
    def themes_of_first_therapist_stop() -> list[str]:
        first = next(s for s in dual.timeline.stops if s.comment.perspective == "therapist-recall")
        return [name for name, _ in first.themes]

    qtbot.waitUntil(lambda: "Safety" in themes_of_first_therapist_stop())
    window.menus.undo.trigger()
    assert dual.timeline.stops  # still drawn after the change


def test_switching_session_and_screenshots(qtbot, dual, window, tmp_path):
    timeline = dual.timeline
    stop = next(s for s in timeline.stops if s.comment.time == 455.0)
    qtbot.mouseClick(timeline, Qt.MouseButton.LeftButton, pos=timeline.stop_point(stop).toPoint())
    for perspective, comment in dual.chosen.items():
        assert in_view(dual.view(perspective), comment.char_start)
    save_shots(qtbot, window, "dual-view", tmp_path)
    index = dual.keys.index(("D02", 1))
    dual.sessions.setCurrentIndex(index)
    dual.sessions.activated.emit(index)
    assert dual.key == ("D02", 1)
    assert window.tabs.tabText(window.tabs.indexOf(dual)).startswith("D02 · S1")
    assert all(dual.view(p) is not None for p in ("client-recall", "session", "therapist-recall"))


def test_shortcut_opens_it_and_the_layout_is_remembered(qtbot, window):
    window.open_document(window.session.study.documents.find("D02-S1-client-recall").id)
    window.activateWindow()
    window.tabs.currentWidget().setFocus()
    transcript = window.tabs.currentWidget()
    qtbot.keyClick(transcript, Qt.Key.Key_D,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    for key in (Qt.Key.Key_Shift, Qt.Key.Key_Control):  # offscreen Qt keeps them held
        qtbot.keyRelease(transcript, key)
    assert QGuiApplication.keyboardModifiers() == Qt.KeyboardModifier.NoModifier
    dual = window.tabs.currentWidget()
    assert isinstance(dual, DualView) and dual.key == ("D02", 1)
    dual.splitter.setSizes([500, 200, 300])
    dual.splitter.splitterMoved.emit(500, 1)
    sizes = dual.splitter.sizes()
    window.close_tab(window.tabs.indexOf(dual))
    again = window.screens.open_dual_view("D02", 1)
    assert again is not dual and again.splitter.sizes() == sizes


def test_a_recall_imported_later_gets_its_pane(qtbot, tmp_path):
    session = tmp_path / "session.txt"
    session.write_text("[00:00:05] T: How are you? 😀\n[00:00:12] C: I felt 😀😀 scared.\n",
                       encoding="utf-8")
    recall = tmp_path / "therapist.txt"
    recall.write_text("I: What did you notice?\n[STOP 00:00:13]\nT: She looked frightened.\n",
                      encoding="utf-8")
    study = Study.create(tmp_path / "later.iprw")
    study.documents.import_files([ImportItem(session, "E1", 1, "session")])
    path = study.path
    study.close()
    window = open_window(qtbot, tmp_path, path)
    dual = window.screens.open_dual_view("E1", 1)
    assert dual.view("therapist-recall") is None
    assert dual.summary.text().startswith("0 moments ·")

    window.session.study.documents.import_files([ImportItem(recall, "E1", 1, "therapist-recall")])
    view = dual.view("therapist-recall")
    assert view is not None and "She looked frightened" in view.toPlainText()
    assert dual.summary.text().startswith("1 moment ·")


def test_coding_behind_another_tab_waits_for_the_dual_view(qtbot, dual, window, monkeypatch):
    reads = []
    real = dual_view.session_moments
    monkeypatch.setattr(dual_view, "session_moments",
                        lambda *a, **k: reads.append(1) or real(*a, **k))
    study = window.session.study
    view = window.open_document(dual.view("session").document_id)  # in front of the dual view
    safety = study.codebook.find(SAFETY)
    for start in (200, 260):
        view.select_span(start, start + 12)
        assert view.apply_code(safety)
    qtbot.wait(300)
    assert reads == []  # coding stays quick however long the session is
    window.tabs.setCurrentWidget(dual)
    qtbot.waitUntil(lambda: len(reads) == 1)


def test_the_window_fits_half_a_full_hd_screen_with_the_dual_view_open(qtbot, dual, window):
    """The one-line summary and pane titles held the window at least 1157 px wide, so it
    could not sit beside a video player on half of a 1920 px screen."""
    assert window.minimumSizeHint().width() <= 940
    window.resize(940, 700)
    qtbot.waitUntil(lambda: window.width() == 940)
    for label in (dual.summary, *(pane.title for pane in dual.panes.values())):
        assert label.height() >= label.heightForWidth(label.width())  # wrapped, not cut
