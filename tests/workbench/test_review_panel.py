"""Supervisor review in the app: filtering, approve / flag with who and when, undo, jumping."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QInputDialog, QMessageBox

from coding.history import EditCode
from coding.review import ReviewFilter, review_rows
from tests.workbench.gui_support import Dialogs, open_window
from tests.workbench.screenshots import save_shots
from workbench import review_panel
from workbench.compare_view import CompareView
from workbench.review_panel import ReviewPanel
from workbench.transcript_view import TranscriptView


@pytest.fixture
def window(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path)
    window.screens.actions[1].trigger()  # Review ▸ Review segments (the dock)
    qtbot.waitUntil(window.screens.review.isVisible)
    return window


@pytest.fixture
def panel(window) -> ReviewPanel:
    return window.screens.review


def select_first(panel: ReviewPanel, count: int = 1) -> list[str]:
    """Select the first rows (through the selection model: no keyboard modifiers involved)."""
    proxy, selection = panel.table.model(), panel.table.selectionModel()
    flags = QItemSelectionModel.SelectionFlag
    selection.clearSelection()
    for row in range(count):
        selection.select(proxy.index(row, 0), flags.Select | flags.Rows)
    return [row.uuid for row in panel.selected_rows()]


def test_filters_list_what_the_core_lists(panel, window):
    study = window.session.study
    assert panel.model.rowCount() == len(review_rows(study)) == 251
    panel.set_filter(coder="Sam", dyad="D02", code="Safety")
    wanted = ReviewFilter(coder="Sam", dyad="D02", code="Safety")
    assert [r.uuid for r in panel.model.rows] == [r.uuid for r in review_rows(study, wanted)]
    assert {(r.row.coder, r.row.dyad) for r in panel.model.rows} == {("Sam", "D02")}
    assert all(r.row.code.startswith("Safety/") for r in panel.model.rows)
    panel.set_filter(coder=None, dyad=None, code=None, perspective="therapist-recall",
                     text="tissues")
    assert panel.model.rows and all(
        r.row.perspective == "therapist-recall" and "tissues" in r.row.text.lower()
        for r in panel.model.rows
    )
    assert panel.counts.text().startswith(f"{len(panel.model.rows)} segment")


def test_approve_asks_to_become_supervisor_and_records_who_and_when(panel, window,
                                                                    monkeypatch):
    dialogs = Dialogs(monkeypatch)
    study = window.session.study
    panel.set_filter(coder="Sam", dyad="D01")
    chosen = select_first(panel, 2)
    assert panel.actions_["approve"].isEnabled()
    panel.actions_["approve"].trigger()
    assert "Make Alex a supervisor" in dialogs.texts("question")[0]
    assert study.coders.find("Alex").role == "supervisor"
    assert window.session.coder.role == "supervisor"
    for uuid in chosen:
        segment = study.segments.find(uuid)
        assert (segment.status, segment.reviewer_id) == ("approved", window.session.coder.id)
        assert segment.reviewed_at
    assert [r.uuid for r in panel.selected_rows()] == chosen  # the selection survives
    row = panel.selected_rows()[0]
    assert (row.row.status, row.row.reviewer) == ("approved", "Alex")
    panel.select_uuids({chosen[0]})
    assert "Approved</b> by Alex on" in panel.detail.text()
    assert "Reviewing as <b>Alex</b> (supervisor)" in panel.reviewer.text()

    window.menus.undo.trigger()
    assert {study.segments.find(u).status for u in chosen} == {"pending"}
    window.menus.redo.trigger()
    assert {study.segments.find(u).status for u in chosen} == {"approved"}


def test_flag_with_a_comment_and_without_one(panel, window, monkeypatch):
    Dialogs(monkeypatch)
    study = window.session.study
    (first,) = select_first(panel)
    panel.comment.setText("Span runs into the next turn")
    panel.actions_["flag"].trigger()
    flagged = study.segments.find(first)
    assert (flagged.status, flagged.review_comment) == ("flagged", "Span runs into the next turn")
    assert panel.comment.text() == ""

    panel.set_filter(status="pending")
    (second,) = select_first(panel)
    asked = []
    monkeypatch.setattr(QInputDialog, "getText",
                        lambda *a, **k: asked.append(a) or ("Is this fear or shame?", True))
    panel.flag()
    assert asked and study.segments.find(second).review_comment == "Is this fear or shame?"
    assert second not in [r.uuid for r in panel.model.rows]  # no longer pending
    panel.set_filter(status="flagged")
    assert {r.uuid for r in panel.model.rows} == {first, second}


def test_declining_the_supervisor_role_changes_nothing(panel, window, monkeypatch):
    dialogs = Dialogs(monkeypatch, answer=QMessageBox.StandardButton.No)
    (uuid,) = select_first(panel)
    assert not panel.approve()
    assert dialogs.texts("question")
    study = window.session.study
    assert study.coders.find("Alex").role == "coder"
    assert study.segments.find(uuid).status == "pending"
    assert window.session.history.undo_label is None


def test_a_flag_comment_is_asked_for_only_once_the_reviewer_may_review(panel, window,
                                                                        monkeypatch):
    """Declining the supervisor role threw away the comment just typed for the flag."""
    dialogs = Dialogs(monkeypatch, answer=QMessageBox.StandardButton.No)
    asked = []
    monkeypatch.setattr(QInputDialog, "getText",
                        lambda *a, **k: asked.append(a) or ("Is this fear or shame?", True))
    (uuid,) = select_first(panel)
    assert not panel.flag()
    assert len(dialogs.texts("question")) == 1 and asked == []  # asked once, no comment lost
    assert window.session.study.segments.find(uuid).status == "pending"


def test_open_in_document_and_compare(panel, window, qtbot):
    panel.set_filter(dyad="D03", perspective="client-recall")
    (uuid,) = select_first(panel)
    segment = window.session.study.segments.find(uuid)
    panel.actions_["open"].trigger()
    view = window.current_view()
    assert isinstance(view, TranscriptView) and view.document_id == segment.document_id
    assert view.selection_span() == (segment.start, segment.end)

    panel.table.setFocus()
    panel.actions_["compare"].trigger()
    compare = window.tabs.currentWidget()
    assert isinstance(compare, CompareView) and compare.document_id == segment.document_id


def test_review_screenshots(panel, window, qtbot, tmp_path, monkeypatch):
    Dialogs(monkeypatch)
    window.resizeDocks([window.screens.review_dock], [420], Qt.Orientation.Vertical)
    panel.set_filter(dyad="D01")
    select_first(panel, 3)
    panel.approve()
    select_first(panel, 4)
    panel.select_uuids({panel.selected_rows()[3].uuid})
    panel.comment.setText("Check the end of the span")
    panel.flag()
    panel.select_uuids({panel.model.rows[0].uuid})
    panel.open_selected()
    save_shots(qtbot, window, "review", tmp_path)


def test_a_renamed_code_stays_the_filter(panel, window):
    shame = "Initial fear and shame/Shame and feeling unworthy"
    panel.set_filter(code=shame)
    listed = [r.uuid for r in panel.model.rows]
    assert listed
    code = window.session.study.codebook.load().by_path[shame]
    window.session.do(EditCode(code, {"name": "Shame"}))
    assert panel.wanted().code == "Initial fear and shame/Shame"
    assert [r.uuid for r in panel.model.rows] == listed


def test_coding_elsewhere_does_not_wait_for_the_list(panel, window, qtbot, monkeypatch):
    listings = []
    real = review_panel.review_rows
    monkeypatch.setattr(review_panel, "review_rows",
                        lambda *a, **k: listings.append(1) or real(*a, **k))
    study = window.session.study
    view = window.open_document(study.documents.find("D01-S1-session").id)
    book = study.codebook.load()
    for start in (0, 40, 80):  # a burst of coding
        view.select_span(start, start + 20)
        assert view.apply_code(book.find("Safety/Growing sense of safety"))
    assert listings == []
    qtbot.waitUntil(lambda: panel.model.rowCount() == 254)
    assert len(listings) == 1
