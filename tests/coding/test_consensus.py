"""The consensus layer: accept, merge and draw, each undoable and marked with who decided."""

from __future__ import annotations

import pytest

from coding import consensus
from coding.errors import StudyError
from coding.history import History

FEAR = "Initial fear and shame/Fear and anxiety"
SHAME = "Initial fear and shame/Shame and feeling unworthy"


@pytest.fixture
def setup(loaded):
    doc = loaded.documents.find("D01-S1-session")
    text = loaded.documents.text(doc.id)
    start = text.index("I nearly didn't come")
    fear, shame = loaded.codebook.find(FEAR), loaded.codebook.find(SHAME)
    alex = loaded.segments.add(doc.id, start, start + 20, fear, "Alex", memo="avoidance")
    sam = loaded.segments.add(doc.id, start + 10, start + 40, shame, "Sam", memo="burden")
    boss = loaded.coders.get_or_create("Dr. Reyes", "supervisor")
    return loaded, History(loaded), doc, alex, sam, boss


def _layer(study, doc):
    return [
        (s.start, s.end, study.codebook.load().by_id[s.code_id].path, s.memo)
        for s in consensus.consensus_segments(study, doc.id)
    ]


def test_accept_copies_the_segment_and_records_who_and_why(setup):
    study, stack, doc, alex, _sam, boss = setup
    action = stack.do(consensus.accept(study, alex, boss))
    assert action.label == "Accept Alex's segment (Fear and anxiety)"
    assert _layer(study, doc) == [(alex.start, alex.end, FEAR, "avoidance")]
    (added,) = consensus.consensus_segments(study, doc.id)
    layer = study.coders.consensus()
    assert added.coder_id == layer.id and layer.consensus and layer.name == "Consensus"
    assert (added.status, added.reviewer_id, added.review_comment) == (
        "approved", boss.id, "Accept Alex's segment"
    )
    assert added.reviewed_at
    assert study.segments.find(alex.uuid) == alex  # the coder's own segment is untouched


def test_accept_undo_redo_keeps_the_same_segment(setup):
    study, stack, doc, alex, _sam, boss = setup
    added = stack.do(consensus.accept(study, alex, boss)).segment
    stack.undo()
    assert _layer(study, doc) == []
    stack.redo()
    again = study.segments.find(added.uuid)
    assert again == added and again.status == "approved"


def test_accepting_twice_is_refused(setup):
    study, stack, _doc, alex, _sam, boss = setup
    stack.do(consensus.accept(study, alex, boss))
    with pytest.raises(StudyError, match="already has this 'Fear and anxiety' segment"):
        consensus.accept(study, alex, boss)


def test_merge_joins_the_spans_with_the_chosen_code(setup):
    study, stack, doc, alex, sam, boss = setup
    shame = study.codebook.find(SHAME)
    action = stack.do(consensus.merge(study, alex, sam, shame, boss))
    assert action.label == "Merge Alex and Sam's segments (Shame and feeling unworthy)"
    assert _layer(study, doc) == [(alex.start, sam.end, SHAME, "avoidance\nburden")]
    stack.undo()
    assert _layer(study, doc) == []


def test_merge_needs_one_document(setup, loaded):
    study, _stack, _doc, alex, _sam, boss = setup
    other = loaded.documents.find("D01-S1-client-recall")
    elsewhere = loaded.segments.add(other.id, 40, 60, loaded.codebook.find(FEAR), "Sam")
    with pytest.raises(StudyError, match="same document"):
        consensus.merge(study, alex, elsewhere, loaded.codebook.find(FEAR), boss)


def test_draw_a_new_segment(setup):
    study, stack, doc, _alex, _sam, boss = setup
    fear = study.codebook.find(FEAR)
    stack.do(consensus.draw(study, doc.id, 5, 30, fear, boss, memo="settled in meeting"))
    assert _layer(study, doc) == [(5, 30, FEAR, "settled in meeting")]
    with pytest.raises(StudyError, match="outside document"):
        stack.do(consensus.draw(study, doc.id, 5, 10**6, fear, boss))
    assert len(_layer(study, doc)) == 1


def test_only_a_supervisor_builds_consensus(setup):
    study, _stack, _doc, alex, _sam, _boss = setup
    coder = study.coders.find("Alex")
    with pytest.raises(StudyError, match="only a supervisor can build the consensus layer"):
        consensus.accept(study, alex, coder)


def test_shared_spans_are_the_overlaps_of_the_same_code(setup):
    study, _stack, doc, alex, sam, _boss = setup
    fear = study.codebook.find(FEAR)
    other = study.segments.add(doc.id, alex.start + 5, alex.end + 30, fear, "Sam")
    assert consensus.shared_spans([alex], [sam]) == []  # different codes
    assert consensus.shared_spans([alex], [sam, other]) == [(alex.start + 5, alex.end, fear.id)]
    again = study.segments.add(doc.id, alex.start, alex.start + 8, fear, "Sam")
    assert consensus.shared_spans([alex], [other, again]) == [(alex.start, alex.end, fear.id)]


@pytest.mark.parametrize("name", ["Consensus", "consensus", " CONSENSUS "])
def test_no_person_is_named_after_the_consensus_layer(loaded, name):
    doc = loaded.documents.find("D01-S1-session")
    fear = loaded.codebook.find(FEAR)
    before = len(loaded.segments.for_document(doc.id))
    with pytest.raises(StudyError, match="consensus layer"):
        loaded.segments.add(doc.id, 0, 5, fear, name)
    assert len(loaded.segments.for_document(doc.id)) == before
    assert loaded.coders.consensus().consensus  # the layer is still free to be made
    with pytest.raises(StudyError, match="consensus layer"):
        loaded.coders.get_or_create(name)
