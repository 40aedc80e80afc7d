"""Coded segments: validation, reading back with speaker and session time, review."""

from __future__ import annotations

import pytest

from coding.errors import StudyError
from coding.review import ReviewFilter
from coding.segments import NewSegment
from tests.coding.busy import build_busy_study, rows_by_hand
from tests.conftest import digest


def _span(study, name, words):
    doc = study.documents.find(name)
    start = study.documents.text(doc.id).index(words)
    return doc, start, start + len(words)


def test_segment_rows_carry_text_speaker_role_and_session_time(loaded):
    doc, start, end = _span(loaded, "D01-S1-client-recall", "This is where I started to trust you.")
    code = loaded.codebook.find("Safety/Growing sense of safety")
    segment = loaded.segments.add(doc.id, start, end, code, "Alex", memo="  trust  ")
    [row] = loaded.segments.rows()
    assert row.id == segment.uuid
    assert row.text == "This is where I started to trust you."
    assert (row.speaker, row.role, row.session_time) == ("C", "client", 70.0)
    assert (row.dyad, row.session, row.perspective) == ("D01", 1, "client-recall")
    assert row.memo == "trust" and row.status == "pending" and row.coder == "Alex"
    assert set(row.to_json()) == {
        "id", "document", "dyad", "session", "perspective", "coder", "code", "start", "end",
        "text", "speaker", "role", "session_time", "memo", "status",
    }


def test_session_segment_takes_the_first_overlapped_utterance(loaded):
    doc, start, _ = _span(loaded, "D01-S1-session", "I'm really glad you came.")
    _, _, end = _span(loaded, "D01-S1-session", "something settled.")
    code = loaded.codebook.find("Safety/Growing sense of safety")
    loaded.segments.add(doc.id, start, end, code, "Sam")
    [row] = loaded.segments.rows()
    assert (row.speaker, row.role, row.session_time) == ("T", "therapist", 30.0)


def test_emoji_does_not_shift_offsets(loaded):
    doc, start, end = _span(loaded, "D01-S1-session", "I felt safer. 😊")
    code = loaded.codebook.find("Safety/Growing sense of safety")
    loaded.segments.add(doc.id, start, end, code, "Alex")
    [row] = loaded.segments.rows()
    assert row.text == "I felt safer. 😊" and row.end - row.start == 15


@pytest.mark.parametrize(
    "start, end, message",
    [
        (-1, 5, "outside document"),
        (10, 10, "outside document"),
        (12, 5, "outside document"),
        (0, 10**6, "outside document"),
    ],
)
def test_bad_spans_are_refused(loaded, start, end, message):
    doc = loaded.documents.find("D01-S1-session")
    code = loaded.codebook.find("Rupture and repair/Repair")
    with pytest.raises(StudyError, match=message):
        loaded.segments.add(doc.id, start, end, code, "Alex")
    assert loaded.segments.rows() == []


def test_whitespace_only_span_and_theme_codes_are_refused(loaded):
    doc = loaded.documents.find("D01-S1-session")
    text = loaded.documents.text(doc.id)
    blank = text.index("\n\n")
    with pytest.raises(StudyError, match="only whitespace.*at least one visible character"):
        loaded.segments.add(
            doc.id, blank, blank + 2, loaded.codebook.find("Rupture and repair/Repair"), "Alex"
        )
    with pytest.raises(StudyError, match="is a theme"):
        loaded.segments.add(doc.id, 60, 70, loaded.codebook.find("Safety"), "Alex")


def test_add_many_is_all_or_nothing_and_names_the_row(loaded):
    before = digest(loaded.path)
    good = NewSegment(
        "Alex", "D01-S1-session", "60", "70", "Rupture and repair/Repair", where="f.csv, line 2"
    )
    bad = NewSegment("Alex", "D01-S1-session", "60", "70", "Safety/Nope", where="f.csv, line 3")
    with pytest.raises(StudyError, match=r"f.csv, line 3: unknown code path 'Safety/Nope'"):
        loaded.segments.add_many([good, bad])
    assert loaded.segments.rows() == []
    assert loaded.coders.list() == []
    assert digest(loaded.path) == before


def test_overlapping_segments_and_several_codes_on_one_span(loaded):
    doc = loaded.documents.find("D01-S1-session")
    fear = loaded.codebook.find("Initial fear and shame/Fear and anxiety")
    shame = loaded.codebook.find("Initial fear and shame/Shame and feeling unworthy")
    loaded.segments.add(doc.id, 60, 90, fear, "Alex")
    loaded.segments.add(doc.id, 60, 90, shame, "Alex")
    loaded.segments.add(doc.id, 70, 120, fear, "Alex")
    assert len(loaded.segments.for_document(doc.id)) == 3
    assert len(loaded.segments.rows(code="Initial fear and shame")) == 3
    assert len(loaded.segments.rows(code=fear.path)) == 2


def test_review_records_who_when_and_comment(loaded):
    doc = loaded.documents.find("D01-S1-session")
    segment = loaded.segments.add(doc.id, 60, 90, loaded.codebook.find(
        "Initial fear and shame/Fear and anxiety"), "Alex")
    supervisor = loaded.coders.get_or_create("Dr. Reyes", role="supervisor")
    reviewed = loaded.segments.review(segment, "flagged", supervisor, " span too wide ")
    stored = loaded.segments.find(segment.uuid)
    assert stored == reviewed
    assert (stored.status, stored.reviewer_id, stored.review_comment) == (
        "flagged", supervisor.id, "span too wide"
    )
    assert stored.reviewed_at
    with pytest.raises(StudyError, match="review status"):
        loaded.segments.review(segment, "maybe", supervisor)


def test_remove_and_restore_keep_identity(loaded):
    doc = loaded.documents.find("D01-S1-session")
    segment = loaded.segments.add(doc.id, 60, 90, loaded.codebook.find(
        "Initial fear and shame/Fear and anxiety"), "Alex", memo="m")
    loaded.segments.remove(segment)
    assert loaded.segments.for_document(doc.id) == []
    back = loaded.segments.restore(segment)
    assert (back.uuid, back.created_at, back.memo) == (segment.uuid, segment.created_at, "m")


def test_segment_events_name_the_document(loaded):
    heard = []
    loaded.events.segments.connect(heard.append)
    doc = loaded.documents.find("D01-S1-therapist-recall")
    loaded.segments.add(doc.id, 60, 90, loaded.codebook.find(
        "Initial fear and shame/Fear and anxiety"), "Alex")
    assert heard == [frozenset({doc.id})]


def test_counts_per_code_and_coder(loaded):
    doc = loaded.documents.find("D01-S1-session")
    fear = loaded.codebook.find("Initial fear and shame/Fear and anxiety")
    repair = loaded.codebook.find("Rupture and repair/Repair")
    loaded.segments.add(doc.id, 60, 90, fear, "Alex")
    loaded.segments.add(doc.id, 95, 99, fear, "Alex")
    loaded.segments.add(doc.id, 60, 90, repair, "Sam")
    alex, sam = loaded.coders.find("Alex"), loaded.coders.find("Sam")
    assert loaded.segments.counts() == {(fear.id, alex.id): 2, (repair.id, sam.id): 1}


@pytest.mark.parametrize(
    ("asked", "wanted"),
    [
        ({}, ReviewFilter()),
        ({"coder": "Kim"}, ReviewFilter(coder="Kim")),
        ({"code": "Safety"}, ReviewFilter(code="Safety")),
        ({"document": "A01-S1-session", "coder": "Sam"},
         ReviewFilter(document="A01-S1-session", coder="Sam")),
    ],
)
def test_rows_match_a_slow_reading(study, tmp_path, asked, wanted):
    busy = build_busy_study(study, tmp_path)
    expected = [found.row for found in rows_by_hand(busy, wanted)]
    assert busy.segments.rows(**asked) == expected
    some = [found.segment for found in rows_by_hand(busy, wanted)[::7]]
    assert busy.segments.rows(segments=some) == expected[::7]
