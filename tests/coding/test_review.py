"""Review filters (each alone and combined) and undoable approve / flag by supervisors."""

from __future__ import annotations

import pytest

from coding.documents import ImportItem
from coding.errors import StudyError
from coding.history import History
from coding.review import ReviewFilter, require_supervisor, review_rows, review_segments
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
