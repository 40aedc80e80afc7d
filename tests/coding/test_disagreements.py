"""Disagreements: the units where coders differ on a code, with their segments side by side."""

from __future__ import annotations

import pytest

from coding.disagreements import disagreements
from coding.errors import StudyError
from coding.study import Study
from coding.study_agreement import study_agreement
from tests.coding import test_study_agreement as agreement_tests
from tests.coding.test_study_agreement import FEAR, RECALL, SAFETY, SESSION, SHAME, code, two_coders

pilot = agreement_tests.pilot  # the fixture: the pilot session and a client recall


def listing(found) -> list[tuple]:
    return [(d.document, d.text, d.applied_by, d.missing) for d in found]


def spans(found, coder: str) -> list[list[tuple[int, int, str]]]:
    return [[(s.start, s.end, s.code) for s in d.segments[coder]] for d in found]


def test_sentences_where_two_coders_differ(pilot):
    two_coders(pilot)
    fear = disagreements(pilot, ["A", "B"], FEAR)
    assert listing(fear) == [(SESSION, "Really scared.", ["A"], ["B"])]
    [only] = fear
    text = pilot.documents.text(only.document_id)
    assert text[only.unit_start : only.unit_end] == "Really scared."
    assert [s.text for s in only.segments["A"]] == ["I was scared. Really scared."]
    assert only.segments["B"] == []  # B's 'scared' is in the sentence before
    safety = disagreements(pilot, ["A", "B"], SAFETY)
    assert listing(safety) == [
        (SESSION, "How are you?", ["B"], ["A"]),
        (SESSION, "That sounds hard.", ["A"], ["B"]),
    ]


def test_utterances_and_character_stretches(pilot):
    two_coders(pilot)
    assert disagreements(pilot, ["A", "B"], FEAR, unit="utterance") == []
    assert [d.text for d in disagreements(pilot, ["A", "B"], SAFETY, unit="utterance")] == [
        "Hello there. How are you?", "That sounds hard."
    ]
    fear = disagreements(pilot, ["A", "B"], FEAR, unit="character")
    assert listing(fear) == [
        (SESSION, "I was", ["A"], ["B"]),
        (SESSION, ". Really scared.", ["A"], ["B"]),
    ]


def test_a_character_stretch_is_cut_at_the_end_of_a_turn(pilot):
    two_coders(pilot)
    code(pilot, "A", "How are you?\n[00:00:12] C: Not great.", SHAME)
    found = disagreements(pilot, ["A", "B"], SHAME, unit="character")
    assert [d.text for d in found] == ["How are you?", "Not great."]
    assert spans(found, "A")[0] == spans(found, "A")[1]  # the one segment, beside each


def test_a_coders_touching_segments_make_one_character_stretch(pilot):
    two_coders(pilot)
    code(pilot, "A", "I was", SHAME)
    code(pilot, "A", " scared.", SHAME)
    code(pilot, "A", "scared", SHAME)
    found = disagreements(pilot, ["A", "B"], SHAME, unit="character")
    assert [d.text for d in found] == ["I was scared."]
    assert [s.text for s in found[0].segments["A"]] == ["I was", " scared.", "scared"]


def test_a_run_across_two_documents_is_listed_in_each(pilot):
    two_coders(pilot)
    code(pilot, "A", "That sounds hard.", SHAME)  # the session's last sentence …
    code(pilot, "A", "Stop it wherever something stood out for you.", SHAME, document=RECALL)
    code(pilot, "B", "I just let go.", FEAR, document=RECALL)  # … and the recall's first
    found = disagreements(pilot, ["A", "B"], SHAME)
    assert [(d.document, d.text) for d in found] == [
        (SESSION, "That sounds hard."),
        (RECALL, "Stop it wherever something stood out for you."),
    ]


def test_a_theme_lists_units_where_coders_differ_on_any_of_its_codes(pilot):
    code(pilot, "A", "I was scared.", FEAR)
    code(pilot, "B", "I was scared.", SHAME)
    code(pilot, "B", "Not great.", SHAME)
    found = disagreements(pilot, ["A", "B"], "Initial fear and shame")
    assert listing(found) == [(SESSION, "Not great.", ["B"], ["A"])]
    assert spans(found, "B") == [[(found[0].unit_start, found[0].unit_end, SHAME)]]


def test_three_coders_side_by_side(pilot):
    code(pilot, "A", "I was scared. Really scared.", FEAR)
    code(pilot, "B", "I was scared.", FEAR)
    code(pilot, "C", "Hello there.", FEAR)
    code(pilot, "C", "I was", FEAR)
    found = disagreements(pilot, ["A", "B", "C"], FEAR)
    assert listing(found) == [
        (SESSION, "Hello there.", ["C"], ["A", "B"]),
        (SESSION, "Really scared.", ["A"], ["B", "C"]),
    ]
    assert list(found[0].segments) == ["A", "B", "C"]
    assert [s.text for s in found[0].segments["C"]] == ["Hello there."]
    data = found[1].to_json()
    assert set(data) == {"document", "unit_start", "unit_end", "text", "applied_by", "missing",
                         "segments"}
    assert data["segments"]["A"][0]["text"] == "I was scared. Really scared."


def test_documents_not_coded_by_everyone_have_no_disagreements(pilot):
    two_coders(pilot)
    code(pilot, "A", "I just let go.", FEAR, document=RECALL)
    assert {d.document for d in disagreements(pilot, ["A", "B"], FEAR)} == {SESSION}
    assert disagreements(pilot, ["A", "B"], FEAR, documents=[RECALL]) == []


def test_an_unknown_code_is_a_study_error(pilot):
    two_coders(pilot)
    with pytest.raises(StudyError, match="unknown code path"):
        disagreements(pilot, ["A", "B"], "Fear/Nope")


def test_the_sample_study_lists_every_b_and_c_unit(tmp_path):
    from workbench.demo import build_sample_study

    with Study.open(build_sample_study(tmp_path), writable=False) as sample:
        for unit in ("sentence", "utterance"):
            result = study_agreement(sample, ["Alex", "Sam"], unit)
            for row in result.codes:
                found = disagreements(sample, ["Alex", "Sam"], row.code, unit)
                assert len(found) == row.b + row.c
                assert sum(d.applied_by == ["Alex"] for d in found) == row.b
                assert all(d.segments[d.applied_by[0]] for d in found)
