"""Review filters (each alone and combined) and undoable approve / flag by supervisors."""

from __future__ import annotations

import pytest

from coding.documents import ImportItem
from coding.errors import StudyError
from coding.history import History
from coding.review import (
    ReviewFilter,
    require_supervisor,
    review_rows,
    review_segments,
)
from tests.coding.busy import build_busy_study, rows_by_hand
from tests.conftest import CLIENT_RECALL_TXT, write

FEAR = "Initial fear and shame/Fear and anxiety"
SHAME = "Initial fear and shame/Shame and feeling unworthy"
SAFETY = "Safety/Growing sense of safety"


@pytest.fixture
def coded(loaded, tmp_path):
    """D01 (session and both recalls) plus a D02 client recall, coded by Alex and Sam."""
    loaded.documents.import_files(
        [ImportItem(write(tmp_path / "d2.txt", CLIENT_RECALL_TXT), "D02", 1, "client-recall")]
    )
    add = loaded.segments.add
    book = loaded.codebook
    docs = {d.name: d for d in loaded.documents.list()}
    session, client = docs["D01-S1-session"], docs["D01-S1-client-recall"]
    text = loaded.documents.text(session.id)
    scared = text.index("I was scared")
    add(session.id, scared, scared + 12, book.find(FEAR), "Alex")
    add(session.id, scared, scared + 12, book.find(SHAME), "Sam", memo="felt like a burden")
    safer = text.index("I felt safer")
    add(session.id, safer, safer + 12, book.find(SAFETY), "Alex")
    recall = loaded.documents.text(client.id)
    terrified = recall.index("terrified")
    add(client.id, terrified, terrified + 9, book.find(FEAR), "Sam")
    d2 = docs["D02-S1-client-recall"]
    add(d2.id, terrified, terrified + 9, book.find(FEAR), "Alex")
    return loaded


def _picked(study, **wanted) -> list[tuple[str, str, str]]:
    return [
        (r.row.document, r.row.coder, r.row.code)
        for r in review_rows(study, ReviewFilter(**wanted))
    ]


def test_no_filter_lists_every_segment_in_study_order(coded):
    rows = review_rows(coded)
    assert len(rows) == 5
    assert [r.row.dyad for r in rows] == ["D01", "D01", "D01", "D01", "D02"]
    first = rows[0]
    assert first.segment.uuid == first.row.id == first.uuid
    assert first.row.text == coded.documents.text(first.segment.document_id)[
        first.segment.start : first.segment.end
    ]


def test_code_filter_takes_a_theme_with_its_codes(coded):
    assert len(_picked(coded, code=FEAR)) == 3
    assert len(_picked(coded, code="Initial fear and shame")) == 4
    assert _picked(coded, code=SAFETY) == [("D01-S1-session", "Alex", SAFETY)]


@pytest.mark.parametrize(
    ("wanted", "count"),
    [
        ({"coder": "Sam"}, 2),
        ({"perspective": "client-recall"}, 2),
        ({"perspective": "therapist-recall"}, 0),
        ({"dyad": "D02"}, 1),
        ({"status": "pending"}, 5),
        ({"status": "approved"}, 0),
        ({"document": "D01-S1-session"}, 3),
        ({"text": "SCARED"}, 2),
        ({"text": "burden"}, 1),  # the memo
        ({"text": "  "}, 5),
    ],
)
def test_each_filter(coded, wanted, count):
    assert len(_picked(coded, **wanted)) == count


def test_filters_combine(coded):
    assert _picked(coded, coder="Alex", code=FEAR, perspective="client-recall") == [
        ("D02-S1-client-recall", "Alex", FEAR)
    ]
    assert _picked(coded, dyad="D01", code="Initial fear and shame", text="scared") == [
        ("D01-S1-session", "Alex", FEAR), ("D01-S1-session", "Sam", SHAME)
    ]
    assert _picked(coded, coder="Sam", dyad="D02") == []


def test_unknown_coder_or_code_is_a_clear_error(coded):
    with pytest.raises(StudyError, match="unknown coder"):
        review_rows(coded, ReviewFilter(coder="Nobody"))
    with pytest.raises(StudyError):
        review_rows(coded, ReviewFilter(code="No such code"))


def test_only_supervisors_review(coded):
    alex = coded.coders.find("Alex")
    segment = review_rows(coded)[0].segment
    with pytest.raises(StudyError, match="only a supervisor can review segments; Alex is a"):
        review_segments([segment], "approved", alex)
    with pytest.raises(StudyError, match="say who you are"):
        require_supervisor(None)
    boss = coded.coders.set_role(alex, "supervisor")
    assert require_supervisor(boss) is boss


def test_approve_and_flag_record_reviewer_and_undo(coded):
    stack = History(coded)
    boss = coded.coders.get_or_create("Dr. Reyes", "supervisor")
    rows = review_rows(coded, ReviewFilter(dyad="D01"))
    action = stack.do(review_segments([r.segment for r in rows[:2]], "approved", boss))
    assert action.label == "Approve 2 segments"
    approved = review_rows(coded, ReviewFilter(status="approved"))
    assert [r.uuid for r in approved] == [r.uuid for r in rows[:2]]
    assert {r.row.reviewer for r in approved} == {"Dr. Reyes"}
    assert all(r.segment.reviewed_at for r in approved)

    with pytest.raises(StudyError, match="say why"):
        review_segments([rows[2].segment], "flagged", boss, "  ")
    stack.do(review_segments([rows[2].segment], "flagged", boss, "too wide"))
    (flagged,) = review_rows(coded, ReviewFilter(status="flagged"))
    assert (flagged.row.review_comment, flagged.segment.reviewer_id) == ("too wide", boss.id)

    stack.undo()
    stack.undo()
    assert len(review_rows(coded, ReviewFilter(status="pending"))) == 5
    stack.redo()
    assert len(review_rows(coded, ReviewFilter(status="approved"))) == 2


# -- the whole list, pinned against a slow reading of the study --------------------------------


@pytest.fixture
def busy(study, tmp_path):
    return build_busy_study(study, tmp_path)


BUSY_FILTERS = [
    ReviewFilter(),
    ReviewFilter(code=FEAR),
    ReviewFilter(code="Initial fear and shame"),
    ReviewFilter(coder="Kim"),
    ReviewFilter(coder="Consensus", status="approved"),
    ReviewFilter(perspective="therapist-recall"),
    ReviewFilter(dyad="D02", status="flagged"),
    ReviewFilter(document="A01-S1-session"),
    ReviewFilter(text="scared"),
    ReviewFilter(text="😊"),
    ReviewFilter(code="Safety", coder="Sam", perspective="session", text="i"),
]


@pytest.mark.parametrize("wanted", BUSY_FILTERS, ids=repr)
def test_rows_match_a_slow_reading_of_the_study(busy, wanted):
    expected = rows_by_hand(busy, wanted)
    assert expected
    assert review_rows(busy, wanted) == expected


def test_the_busy_study_has_every_kind_of_row(busy):
    rows = rows_by_hand(busy, ReviewFilter())
    assert len(rows) > 300
    assert {r.row.status for r in rows} == {"pending", "approved", "flagged"}
    assert any(r.row.speaker is None for r in rows)  # the preamble's "Session 1"
    assert any(r.row.session_time is None for r in rows)
    assert len({r.row.coder for r in rows}) == 4
    assert any("😊" in r.row.text for r in rows)


def test_busy_filters_pick_real_subsets(busy):
    sizes = [len(rows_by_hand(busy, wanted)) for wanted in BUSY_FILTERS]
    assert all(0 < size < sizes[0] for size in sizes[1:]), sizes


# -- the list follows every change, however it was made -----------------------------------------


def _described(study, **wanted) -> list:
    """The list now, checked against a slow reading (so a stale list cannot pass)."""
    rows = review_rows(study, ReviewFilter(**wanted))
    assert rows == rows_by_hand(study, ReviewFilter(**wanted))
    return rows


def test_the_list_follows_segment_changes_and_undo(coded):
    stack = History(coded)
    boss = coded.coders.get_or_create("Dr. Reyes", "supervisor")
    first = _described(coded)[0]
    stack.do(review_segments([first.segment], "flagged", boss, "why here?"))
    assert _described(coded)[0].row.review_comment == "why here?"
    assert _described(coded, text="why here")[0].uuid == first.uuid
    stack.undo()
    assert _described(coded)[0] == first
    coded.segments.remove(first.segment)
    assert first not in _described(coded)
    coded.segments.restore(first.segment)
    assert len(_described(coded)) == 5


def test_the_list_follows_names_codes_and_roles(coded):
    before = _described(coded)
    session = coded.documents.find("D01-S1-session")
    coded.documents.rename(session, "Pilot session")
    assert {r.row.document for r in _described(coded)} >= {"Pilot session"}
    fear = coded.codebook.find(FEAR)
    coded.codebook.update(fear, name="Fear")
    assert "Initial fear and shame/Fear" in {r.row.code for r in _described(coded)}
    coded.documents.set_speaker_role("C", "other")
    assert "other" in {r.row.role for r in _described(coded)}
    coded.documents.delete(coded.documents.find("D02-S1-client-recall"))
    assert len(_described(coded)) == len(before) - 1


def test_the_list_follows_changes_no_event_announced(coded):
    _described(coded)
    with coded.transaction() as db:
        db.execute("UPDATE segments SET memo = 'written behind the store''s back'")
    assert {r.row.memo for r in _described(coded)} == {"written behind the store's back"}


def test_the_list_follows_a_rolled_back_change(coded):
    before = _described(coded)
    doc = coded.documents.find("D01-S1-session")
    with pytest.raises(RuntimeError), coded.transaction():
        coded.segments.add(doc.id, 0, 7, coded.codebook.find(SAFETY), "Alex")
        assert len(_described(coded)) == len(before) + 1  # seen inside the transaction
        raise RuntimeError("undone")
    assert _described(coded) == before


def test_the_list_follows_another_connections_changes(coded):
    from coding.study import Study

    with Study.open(coded.path, writable=False) as reader:
        assert len(_described(reader)) == 5
        coded.segments.remove(review_rows(coded)[0].segment)
        assert len(_described(reader)) == 4


def test_lists_of_some_documents_first_then_of_all(busy):
    assert _described(busy, document="A01-S1-session")
    assert _described(busy, dyad="D02", status="approved")
    boss = busy.coders.find("Dr. Reyes")
    elsewhere = rows_by_hand(busy, ReviewFilter(dyad="D03"))[0].segment
    busy.segments.review(elsewhere, "flagged", boss, "not read yet when flagged")
    assert len(_described(busy, text="not read yet")) == 1
    assert _described(busy, perspective="client-recall", code="Safety")
