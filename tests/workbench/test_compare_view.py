"""Two coders side by side: disagreements marked as the core lists them, consensus built."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QDropEvent

from coding import consensus
from coding.disagreements import disagreements
from coding.documents import ImportItem
from coding.history import AddCode, EditCode
from coding.study import Study
from tests.workbench.gui_support import Dialogs, open_window
from tests.workbench.screenshots import save_shots
from workbench import compare_view
from workbench.compare_view import AGREE, DISAGREE, CompareView
from workbench.span_overlay import EDGE, WAVE

SESSION = "D01-S1-session"


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch):
    Dialogs(monkeypatch)  # says Yes to becoming a supervisor
    return open_window(qtbot, tmp_path)


@pytest.fixture
def compare(window) -> CompareView:
    doc = window.session.study.documents.find(SESSION)
    window.open_document(doc.id)
    window.screens.compare.trigger()
    compare = window.tabs.currentWidget()
    assert isinstance(compare, CompareView) and compare.document_id == doc.id
    assert compare.coders == ["Alex", "Sam"]
    assert compare.panes_splitter.count() == 3  # no panes left over from a rebuild
    return compare


def expected(study, unit="sentence") -> list[tuple[str, int, int]]:
    book = study.codebook.load()
    used = {s.code_id for s in study.segments.for_document(study.documents.find(SESSION).id)}
    return sorted(
        (code.path, d.unit_start, d.unit_end)
        for code in book.applicable() if code.id in used
        for d in disagreements(study, ["Alex", "Sam"], code.path, unit, [SESSION])
    )


def layer(window):
    study = window.session.study
    doc = study.documents.find(SESSION)
    return [(s.start, s.end, s.code_id) for s in consensus.consensus_segments(study, doc.id)]


def test_disagreements_are_listed_and_marked_as_the_core_finds_them(compare, window):
    study = window.session.study
    found = sorted((code.path, d.unit_start, d.unit_end) for code, d in compare.found)
    assert found == expected(study) and found
    assert compare.list.count() == len(found)
    for name in compare.coders:
        marks = compare.panes[name].overlay.marks
        waves = sorted((m.start, m.end) for m in marks if m.style == WAVE)
        assert waves == sorted((start, end) for _, start, end in found)
        assert {m.color.name() for m in marks if m.style == WAVE} == {DISAGREE.name()}
        lines = [m for m in marks if m.style == EDGE]
        assert lines and {m.color.name() for m in lines} == {AGREE.name()}
    assert compare.panes["consensus"].overlay.marks == []
    assert f"{len(found)} disagreements (sentence units" in compare.summary.text()

    compare.set_choice(code="Safety/Growing sense of safety", unit="utterance")
    assert {code.path for code, _ in compare.found} <= {"Safety/Growing sense of safety"}
    assert len(compare.found) == len(disagreements(
        study, ["Alex", "Sam"], "Safety/Growing sense of safety", "utterance", [SESSION]))


def test_choosing_a_disagreement_picks_both_coders_segments_and_accept(compare, window):
    compare.list.setCurrentRow(0)
    code, found = compare.found[0]
    assert compare.panes["consensus"].view.selection_span() == (found.unit_start, found.unit_end)
    picked = [compare.picked[name] for name in compare.coders]
    applier = compare.coders.index(found.applied_by[0])
    assert picked[applier] is not None and picked[applier].code_id == code.id
    assert picked[applier].start < found.unit_end and found.unit_start < picked[applier].end

    assert compare.accept(applier)
    chosen = picked[applier]
    assert layer(window) == [(chosen.start, chosen.end, chosen.code_id)]
    assert window.session.study.coders.find("Alex").role == "supervisor"
    mark = compare.panes["consensus"].view.segment_index
    assert len(mark) == 1  # the middle pane shows the new consensus segment
    window.menus.undo.trigger()
    assert layer(window) == []
    assert len(compare.panes["consensus"].view.segment_index) == 0


def test_merge_joins_the_two_segments_with_the_chosen_code(compare, window, qtbot, tmp_path):
    study = window.session.study
    text = study.documents.text(compare.document_id)
    start = text.index("I'm not thinking that.")  # Alex: safety, Sam: genuineness
    compare.show_unit(start, start + 10)
    alex, sam = compare.picked["Alex"], compare.picked["Sam"]
    assert alex.code_id != sam.code_id
    genuineness = study.codebook.find("Real relationship/Genuineness")
    compare.merge_code.setCurrentIndex(compare.merge_code.findData(genuineness.id))
    compare.merge_button.click()
    assert layer(window) == [(min(alex.start, sam.start), max(alex.end, sam.end),
                              genuineness.id)]
    (added,) = consensus.consensus_segments(study, compare.document_id)
    assert added.review_comment == "Merge Alex and Sam's segments"
    compare.list.setCurrentRow(2)
    save_shots(qtbot, window, "compare", tmp_path)


def test_drawing_in_the_consensus_pane_and_refusing_coder_panes(compare, window):
    study = window.session.study
    safety = study.codebook.find("Safety/Growing sense of safety")
    middle = compare.panes["consensus"].view
    assert window.current_view() is middle  # the codebook codes the consensus layer
    text = study.documents.text(compare.document_id)
    start = text.index("I'm glad you came in from the car.")
    middle.select_span(start, start + 34)
    window.codebook.applyRequested.emit(safety)
    assert layer(window) == [(start, start + 34, safety.id)]
    assert study.segments.for_document(compare.document_id, [window.session.coder.id]) == [
        s for s in study.segments.for_document(compare.document_id)
        if s.coder_id == window.session.coder.id
    ]
    coder_view = compare.panes["Sam"].view
    notices = []
    coder_view.notice.connect(notices.append)
    coder_view.select_span(start, start + 10)
    assert not coder_view.apply_code(safety)
    assert "Consensus pane" in notices[0]
    assert len(layer(window)) == 1


def drop_selection_on_code(window, view, code) -> None:
    """Drag the view's selection onto a code of the codebook tree, as the mouse does."""
    tree = window.codebook.tree
    target = window.codebook.model.index_of(code.id)
    tree.scrollTo(target)
    mime = view.createMimeDataFromSelection()  # kept: the event does not own it
    drop = QDropEvent(tree.visualRect(target).center().toPointF(), Qt.DropAction.CopyAction,
                      mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    tree.dropEvent(drop)


def test_dragging_onto_a_code_codes_the_layer_the_text_came_from(compare, window):
    study = window.session.study
    safety = study.codebook.find("Safety/Growing sense of safety")
    text = study.documents.text(compare.document_id)
    start = text.index("I'm glad you came in from the car.")
    mine = len(study.segments.for_document(compare.document_id, [window.session.coder.id]))
    middle = compare.panes["consensus"].view
    middle.select_span(start, start + 34)
    drop_selection_on_code(window, middle, safety)
    assert layer(window) == [(start, start + 34, safety.id)]  # drawn, not coded as me

    coder_view = compare.panes["Sam"].view
    notices = []
    coder_view.notice.connect(notices.append)
    coder_view.select_span(start, start + 10)
    drop_selection_on_code(window, coder_view, safety)
    assert "Consensus pane" in notices[0]
    assert len(layer(window)) == 1
    assert len(study.segments.for_document(compare.document_id,
                                           [window.session.coder.id])) == mine


def test_a_coder_who_has_not_coded_the_document(window):
    study = window.session.study
    study.coders.get_or_create("Casey")
    compare = window.screens.open_compare(study.documents.find(SESSION).id, ["Alex", "Casey"])
    assert compare.coders == ["Alex", "Casey"]
    assert compare.found == [] and compare.list.count() == 0
    assert "Casey has not coded this document yet" in compare.summary.text()
    assert all(m.style != WAVE for m in compare.panes["Alex"].overlay.marks)


def test_the_same_coder_twice_shows_panes_without_crashing(compare):
    # Two panes keyed by the one name once let the first be garbage-collected mid-build.
    second = compare.coder_boxes[1]
    second.setCurrentText("Alex")
    second.activated.emit(second.currentIndex())
    assert compare.coders == ["Alex", "Alex"]
    assert len(compare.panes) == compare.panes_splitter.count() == 3
    assert all(pane.view.document_id == compare.document_id for pane in compare.panes.values())
    assert "Choose two different coders" in compare.summary.text()


def test_a_study_with_one_coder_leaves_the_second_box_blank(qtbot, tmp_path):
    transcript = tmp_path / "session.txt"
    transcript.write_text("T: How are you? 😀\nC: I felt 😀😀 scared.\n", encoding="utf-8")
    study = Study.create(tmp_path / "one.iprw")
    (doc,) = study.documents.import_files([ImportItem(transcript, "D1", 1, "session")])
    code = study.codebook.load().applicable()[0]
    study.segments.add(doc.id, 31, 37, code, "Alex")
    path = study.path
    study.close()
    window = open_window(qtbot, tmp_path, path)
    compare = window.screens.open_compare(doc.id)
    assert compare.coders == ["Alex", ""]
    assert set(compare.panes) == {"Alex", "consensus", "coder 2"}
    assert compare.panes_splitter.count() == 3
    assert "Choose two different coders" in compare.summary.text()


def test_choices_follow_new_coders_documents_and_codes(compare, window, qtbot):
    study = window.session.study
    window.coder_bar.coderChosen.emit("Robin")  # a new coder, named in the "I am" box
    for box in compare.coder_boxes:
        listed = [box.itemText(i) for i in range(box.count())]
        assert listed == ["Alex", "Robin", "Sam", "Consensus"]
    assert compare.coders == ["Alex", "Sam"]

    book = study.codebook.load()
    shame = book.by_path["Initial fear and shame/Shame and feeling unworthy"]
    compare.set_choice(code=shame.path)
    window.session.do(EditCode(shame, {"name": "Shame"}))
    assert compare.code.currentText().strip() == "Shame"  # still chosen after the rename
    assert compare.merge_code.findText("Initial fear and shame/Shame") >= 0
    qtbot.waitUntil(lambda: {code.path for code, _ in compare.found}
                    == {"Initial fear and shame/Shame"})

    window.session.do(AddCode("Relief", None))
    assert compare.code.findText("Relief") >= 0


def test_a_compare_tab_behind_others_compares_again_only_when_shown(compare, window, qtbot,
                                                                    monkeypatch):
    runs = []
    real = compare_view.disagreements_by_code
    monkeypatch.setattr(compare_view, "disagreements_by_code",
                        lambda *a, **k: runs.append(a[2]) or real(*a, **k))
    study = window.session.study
    view = window.open_document(compare.document_id)  # in front of the comparison
    text = study.documents.text(view.document_id)
    start = text.index("I've been drinking")
    before = expected(study)
    view.select_span(start, start + 18)
    assert view.apply_code(study.codebook.load().find("Working alliance/Agreement on goals"))
    qtbot.wait(20)
    assert runs == []  # coding stays quick, whatever the comparison would cost
    window.tabs.setCurrentWidget(compare)
    qtbot.waitUntil(lambda: len(runs) == 1)
    after = sorted((code.path, d.unit_start, d.unit_end) for code, d in compare.found)
    assert after == expected(study) != before


def test_a_coder_against_the_consensus_layer(compare, window):
    found = compare.found[0][1]
    compare.show_unit(found.unit_start, found.unit_end)
    assert compare.accept(0)
    compare.set_choice(coders=["Sam", "Consensus"])
    assert compare.coders == ["Sam", "Consensus"]
    assert [box.itemText(box.count() - 1) for box in compare.coder_boxes] == ["Consensus"] * 2
    assert compare.found  # Sam against what was agreed


def test_the_settling_buttons_name_the_coders_before_anything_is_picked(compare, window):
    """They were blank grey buttons until a segment was picked, and kept the old coders'
    names after the coders were changed."""
    assert [b.text() for b in compare.accept_buttons] == ["Accept Alex's", "Accept Sam's"]
    assert not any(b.isEnabled() for b in compare.accept_buttons)
    assert not compare.merge_button.isEnabled()
    assert [label.text() for label in compare.pick_labels] == [
        "(click one of Alex's segments)", "(click one of Sam's segments)"]

    found = compare.found[0][1]
    compare.show_unit(found.unit_start, found.unit_end)
    assert any(b.isEnabled() for b in compare.accept_buttons)
    compare.set_choice(coders=["Sam", "Alex"])
    assert [b.text() for b in compare.accept_buttons] == ["Accept Sam's", "Accept Alex's"]
    assert not any(b.isEnabled() for b in compare.accept_buttons)  # nothing picked any more
    assert not compare.merge_button.isEnabled()


def test_a_settled_disagreement_is_marked_so_in_the_list(compare, window, qtbot):
    """Going down the list, the supervisor sees which places the consensus layer already
    settles; every one read as still open, however many had been decided."""
    total = len(compare.found)
    code, found = compare.found[0]
    compare.list.setCurrentRow(0)
    applier = compare.coders.index(found.applied_by[0])
    chosen = compare.picked[found.applied_by[0]]
    assert compare.accept(applier)
    qtbot.waitUntil(lambda: compare.list.item(0).text().startswith("✓ "))
    assert compare.list.currentRow() == 0  # the supervisor's place in the list is kept
    assert "settled in the consensus layer" in compare.list.item(0).toolTip()
    settled = [n for n, (c, d) in enumerate(compare.found)
               if c.id == chosen.code_id and d.unit_start < chosen.end
               and chosen.start < d.unit_end]
    assert [n for n in range(total) if compare.list.item(n).text().startswith("✓ ")] == settled
    assert f"{total} disagreements (sentence units" in compare.summary.text()
    assert f"{len(settled)} settled in the consensus layer" in compare.summary.text()

    window.menus.undo.trigger()
    qtbot.waitUntil(lambda: not compare.list.item(0).text().startswith("✓ "))
    assert "settled" not in compare.summary.text()


def test_a_disagreement_picks_the_coders_segment_of_its_code_not_a_shorter_other_one(
        compare, window, qtbot):
    """Alex coded the sentence Rupture-like and also, on a few of its words, another code:
    choosing the disagreement picked the shorter other-code segment, and Accept took that
    code into the consensus layer instead of the one in dispute."""
    study = window.session.study
    code, found = compare.found[0]
    applier = found.applied_by[0]
    other = next(c for c in study.codebook.load().applicable() if c.id != code.id)
    inside = study.segments.add(compare.document_id, found.unit_start, found.unit_start + 4,
                                other, applier)
    assert inside.coder_id == study.coders.find(applier).id
    compare.refresh_marks()
    row = next(n for n, (c, d) in enumerate(compare.found)
               if (c.id, d.unit_start, d.unit_end) == (code.id, found.unit_start, found.unit_end))
    compare.list.setCurrentRow(row)
    picked = compare.picked[applier]
    assert picked is not None and picked.code_id == code.id
    assert compare.accept(compare.coders.index(applier))
    assert [c for _, _, c in layer(window)] == [code.id]


def test_each_listed_disagreement_says_its_session_time(compare):
    """Two places with the same words ('I notice you went quiet just then.') read alike."""
    from transcripts.timestamps import clock

    timed = [(n, found) for n, (_, found) in enumerate(compare.found)
             if found.session_time is not None]
    assert timed
    for row, found in timed:
        assert compare.list.item(row).text().startswith(f"{clock(found.session_time)} · ")
