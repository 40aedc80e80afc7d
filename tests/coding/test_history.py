"""Undo and redo in the core: every action reverts exactly and is saved at once."""

from __future__ import annotations

import pytest

from coding import history
from coding.history import AddCode, ApplyCode, EditCode, History, MergeCodes, MoveCode
from coding.study import Study


@pytest.fixture
def setup(loaded):
    doc = loaded.documents.find("D01-S1-session")
    alex = loaded.coders.get_or_create("Alex")
    return loaded, History(loaded), doc, alex


def _spans(study):
    return [(r.start, r.end, r.code, r.memo) for r in study.segments.rows()]


def test_apply_undo_redo_keeps_the_same_segment(setup):
    study, stack, doc, alex = setup
    fear = study.codebook.find("Initial fear and shame/Fear and anxiety")
    action = stack.do(ApplyCode(doc.id, 60, 90, fear, alex))
    first = action.segment
    assert stack.undo_label == "Apply Fear and anxiety"
    stack.undo()
    assert _spans(study) == [] and stack.redo_label == "Apply Fear and anxiety"
    stack.redo()
    again = study.segments.find(first.uuid)
    assert (again.start, again.end, again.created_at) == (60, 90, first.created_at)
    assert stack.redo_label is None


def test_remove_recode_memo_review_are_each_undoable(setup):
    study, stack, doc, alex = setup
    fear = study.codebook.find("Initial fear and shame/Fear and anxiety")
    shame = study.codebook.find("Initial fear and shame/Shame and feeling unworthy")
    segment = stack.do(ApplyCode(doc.id, 60, 90, fear, alex)).segment
    stack.do(history.recode(segment, shame))
    stack.do(history.set_memo(segment, "felt like a burden"))
    boss = study.coders.get_or_create("Dr. Reyes", "supervisor")
    stack.do(history.review(segment, "approved", boss, "clear"))
    assert study.segments.find(segment.uuid).status == "approved"
    assert _spans(study) == [(60, 90, shame.path, "felt like a burden")]
    stack.undo()
    assert study.segments.find(segment.uuid).status == "pending"
    stack.undo()
    assert _spans(study) == [(60, 90, shame.path, "")]
    stack.undo()
    assert _spans(study) == [(60, 90, fear.path, "")]
    stack.do(history.RemoveSegment(study.segments.find(segment.uuid)))
    assert _spans(study) == []
    stack.undo()
    assert _spans(study) == [(60, 90, fear.path, "")]


def test_codebook_actions_undo(setup):
    study, stack, doc, alex = setup
    theme = stack.do(AddCode("Mentalising", fields={"codable": False})).code
    code = stack.do(AddCode("Curiosity", parent=theme)).code
    stack.do(EditCode(code, {"name": "Curious stance", "color": "#112233"}))
    assert study.codebook.find("Mentalising/Curious stance").color == "#112233"
    stack.do(MoveCode(study.codebook.find("Mentalising/Curious stance"),
                      study.codebook.find("Safety"), 0))
    assert study.codebook.find("Safety").children[0].name == "Curious stance"
    stack.undo()
    stack.undo()
    assert study.codebook.find("Mentalising/Curiosity").color == theme.color
    stack.undo()
    assert "Mentalising/Curiosity" not in study.codebook.load().by_path
    stack.redo()
    assert study.codebook.find("Mentalising/Curiosity").uuid == code.uuid


def test_merge_undo_restores_code_children_and_segments(setup):
    study, stack, doc, alex = setup
    fear = study.codebook.find("Initial fear and shame/Fear and anxiety")
    shame = study.codebook.find("Initial fear and shame/Shame and feeling unworthy")
    stack.do(ApplyCode(doc.id, 60, 90, shame, alex))
    stack.do(MergeCodes(shame, fear))
    assert _spans(study) == [(60, 90, fear.path, "")]
    stack.undo()
    assert _spans(study) == [(60, 90, shame.path, "")]
    assert study.codebook.find(shame.path).uuid == shame.uuid
    stack.redo()
    assert _spans(study) == [(60, 90, fear.path, "")]


def test_undone_work_survives_reopening(setup, study_path):
    study, stack, doc, alex = setup
    fear = study.codebook.find("Initial fear and shame/Fear and anxiety")
    stack.do(ApplyCode(doc.id, 60, 90, fear, alex))
    stack.do(ApplyCode(doc.id, 100, 120, fear, alex))
    stack.undo()
    study.close()
    with Study.open(study_path) as reopened:
        assert [(r.start, r.end) for r in reopened.segments.rows()] == [(60, 90)]


def test_delete_and_import_codebook_undo_and_redo_exactly(setup):
    from coding.codebook import CodeSpec

    study, stack, doc, alex = setup
    before = study.codebook.snapshot()
    going = study.codebook.find("Going all in")
    stack.do(history.delete_code(going))
    assert "Going all in" not in study.codebook.load().by_path
    stack.undo()
    assert study.codebook.snapshot() == before
    action = stack.do(history.import_codebook([
        CodeSpec(name="Safety", codable=False, children=(CodeSpec(name="Predictability"),)),
        CodeSpec(name="Mentalising", codable=False, definition="Thinking about minds"),
    ]))
    assert (action.result.added, action.result.updated) == (2, 0)  # Safety was already so
    after = study.codebook.snapshot()
    stack.undo()
    assert study.codebook.snapshot() == before
    stack.redo()
    assert study.codebook.snapshot() == after
    assert study.codebook.find("Safety/Predictability").uuid == next(
        r["uuid"] for r in after if r["name"] == "Predictability")


def test_restore_refuses_to_drop_a_code_that_has_segments(setup):
    from coding.errors import StudyError

    study, stack, doc, alex = setup
    before = study.codebook.snapshot()
    code = study.codebook.add("Fresh", study.codebook.find("Safety"))
    study.segments.add(doc.id, 60, 70, code, alex)
    with pytest.raises(StudyError, match="1 coded segment"):
        study.codebook.restore(before)
    assert "Safety/Fresh" in study.codebook.load().by_path


def test_marking_a_document_done_and_not_done_is_undoable(setup):
    study, stack, doc, alex = setup
    assert history.mark_done(study, alex, doc.id, False) is None  # not done: nothing to take back
    stack.do(history.mark_done(study, alex, doc.id, True))
    assert study.coders.done_documents(alex) == {doc.id}
    assert stack.undo_label == "Mark D01-S1-session done"
    assert history.mark_done(study, alex, doc.id, True) is None  # already done
    stack.undo()
    assert study.coders.done_documents(alex) == set()
    stack.redo()
    stack.do(history.mark_done(study, alex, doc.id, False))
    assert study.coders.done_documents(alex) == set()
    assert stack.undo_label == "Mark D01-S1-session not done"
    stack.undo()
    assert study.coders.done_documents(alex) == {doc.id}
