"""Disagreements: the units where coders differ on a code, with their segments side by side."""

from __future__ import annotations

import pytest

from coding.disagreements import disagreements
from coding.errors import StudyError
from coding.study import Study
from coding.study_agreement import study_agreement
from tests.coding import test_study_agreement as agreement_tests
from tests.coding.busy import build_busy_study
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


def test_each_disagreement_says_when_in_the_session_it_is(pilot):
    """Therapy talk repeats itself ('Yeah.', 'I notice you went quiet just then.'): the
    session time tells two listed places with the same words apart."""
    two_coders(pilot)
    safety = disagreements(pilot, ["A", "B"], SAFETY)
    assert [(d.text, d.session_time) for d in safety] == [
        ("How are you?", 5.0), ("That sounds hard.", 30.0)]
    assert disagreements(pilot, ["A", "B"], FEAR)[0].to_json()["session_time"] == 12.0

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
                         "segments", "session_time"}
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
                for d in found:  # the time of the turn holding the unit
                    turn = next(u for u in sample.documents.utterances(d.document_id)
                                if u.char_start <= d.unit_start < u.char_end)
                    assert d.session_time == turn.session_time


# -- every code of a busy study, pinned against a slow reading ---------------------------------


@pytest.fixture
def busy(study, tmp_path):
    return build_busy_study(study, tmp_path)


def _by_hand(study, coders, path, unit) -> list[tuple]:
    """Units (or character stretches) where coders differ, found by looking at each one."""
    book = study.codebook.load()
    code_ = book.find(path)
    members = {c.id for c in book.descendants(code_)} if not code_.codable else {code_.id}
    people = [study.coders.find(name) for name in coders]
    listed = []
    for doc in study.documents.list():
        if not all(study.query("SELECT 1 FROM segments WHERE document_id = ? AND coder_id = ?",
                               [doc.id, person.id]) for person in people):
            continue
        text = study.documents.text(doc.id)
        mine = {person.name: [s for s in study.segments.for_document(doc.id, [person.id])
                              if s.code_id in members] for person in people}
        if unit == "sentence":
            spans = [(s.char_start, s.char_end) for s in study.documents.sentences(doc.id)]
        else:
            spans = [(u.char_start, u.char_end) for u in study.documents.utterances(doc.id)]
        for a, b in sorted(spans):
            letters = [i for i in range(a, b) if not text[i].isspace()]
            if unit == "character":
                groups = [[letters[0]]] if letters else []
                for i in letters[1:]:
                    if _appliers(mine, [i]) == _appliers(mine, groups[-1]):
                        groups[-1].append(i)
                    else:
                        groups.append([i])
            else:
                groups = [letters] if letters else []
            for group in groups:
                applied = _appliers(mine, group)
                if 0 < len(applied) < len(people):
                    listed.append((
                        doc.name, group[0], group[-1] + 1 if unit == "character" else b,
                        text[group[0] : group[-1] + 1] if unit == "character" else text[a:b],
                        applied, [p.name for p in people if p.name not in applied],
                        {name: [s.uuid for s in sorted(segments, key=lambda s: s.id)
                                if _covers(s, group)] for name, segments in mine.items()},
                    ))
    return listed


def _covers(segment, letters) -> bool:
    return any(segment.start <= i < segment.end for i in letters)


def _appliers(mine, letters) -> list[str]:
    return [name for name, segments in mine.items() if any(_covers(s, letters) for s in segments)]


def _listed(found) -> list[tuple]:
    """What a disagreement shows; each coder's segments in the order they were made."""
    return [(
        d.document, d.unit_start, d.unit_end, d.text, d.applied_by, d.missing,
        {name: [r.id for r in rows] for name, rows in d.segments.items()},
    ) for d in found]


@pytest.mark.parametrize("unit", ["sentence", "utterance", "character"])
@pytest.mark.parametrize("coders", [("Alex", "Sam", "Kim"), ("Kim", "Alex")])
def test_every_code_matches_a_slow_reading(busy, unit, coders):
    book = busy.codebook.load()
    rows = {row.id: row for row in busy.segments.rows()}
    paths = [c.path for c in book.applicable()] + ["Initial fear and shame", "Safety"]
    total = 0
    for path in paths:
        found = disagreements(busy, coders, path, unit)
        assert _listed(found) == _by_hand(busy, coders, path, unit), path
        for d in found:
            assert list(d.segments) == list(coders)
            for name, described in d.segments.items():
                assert all(rows[r.id] == r and r.coder == name for r in described)
        total += len(found)
    assert total > 50


def test_documents_choose_where_to_look_in_a_busy_study(busy):
    everywhere = disagreements(busy, ["Alex", "Sam"], FEAR)
    named = ["D02-S1-session", "D01-S2-client-recall"]
    assert disagreements(busy, ["Alex", "Sam"], FEAR, documents=named) == [
        d for d in everywhere if d.document in named
    ]


def test_the_listing_follows_every_change(busy):
    coders = ("Alex", "Sam")

    def check() -> list:
        found = disagreements(busy, coders, FEAR)
        assert _listed(found) == _by_hand(busy, coders, FEAR, "sentence")
        return found

    first = check()[0]
    fear = busy.codebook.find(FEAR)
    settled = busy.segments.add(first.document_id, first.unit_start, first.unit_end, fear,
                                first.missing[0])
    assert first.text not in [d.text for d in check()]
    busy.segments.remove(settled)
    assert check()[0] == first
    with pytest.raises(RuntimeError), busy.transaction():
        busy.segments.add(first.document_id, first.unit_start, first.unit_end, fear,
                          first.missing[0])
        raise RuntimeError("undone")
    assert check()[0] == first
    with busy.transaction() as db:  # no event announces it
        db.execute("DELETE FROM segments WHERE coder_id = ?", [busy.coders.find("Sam").id])
    assert all(d.applied_by == ["Alex"] for d in check())
