"""Full-text search across a study, lemma-aware, with the place to jump to."""

from __future__ import annotations

import pytest

from coding.errors import StudyError
from coding.search import search


def _matched(study, hit):
    return study.documents.text(hit.document_id)[hit.match_start:hit.match_end]


def test_finds_words_in_document_order_with_match_span(loaded):
    hits = search(loaded, "courage")
    assert [(h.document, h.speaker) for h in hits] == [("D01-S1-session", "T")]
    assert _matched(loaded, hits[0]) == "courage"
    assert "courage" in hits[0].snippet


def test_lemma_aware_both_ways(loaded):
    hits = search(loaded, "scaring")
    assert [h.document for h in hits] == ["D01-S1-session"]
    assert _matched(loaded, hits[0]) == "scared"
    assert [_matched(loaded, h) for h in search(loaded, "settle")] == ["settled"]


def test_all_words_must_match_and_case_and_accents_fold(loaded):
    assert [h.document for h in search(loaded, "TERRIFIED send")] == ["D01-S1-client-recall"]
    assert search(loaded, "terrified courage") == []


def test_match_after_an_emoji_is_in_code_points(loaded, tmp_path):
    from coding.documents import ImportItem
    from tests.conftest import write

    path = write(tmp_path / "e.txt", "T: 😊😊 hello there\nC: 🙂 grateful again\n")
    loaded.documents.import_files([ImportItem(path, "D09", 1, "session")])
    [hit] = search(loaded, "grateful")
    assert _matched(loaded, hit) == "grateful"


def test_search_syntax_cannot_break_the_query(loaded):
    assert search(loaded, 'safe" OR "x') == []
    assert search(loaded, "NEAR(") == []
    with pytest.raises(StudyError, match="at least one word"):
        search(loaded, "  ?! ")


def test_irregular_forms_are_located(loaded):
    hits = search(loaded, "feel")
    assert [_matched(loaded, h) for h in hits] == ["felt", "feeling"]


def test_snippet_knows_where_its_match_is(loaded, tmp_path):
    from coding.documents import ImportItem
    from tests.conftest import write

    long_turn = "T: " + "words " * 30 + "epiphany " + "more " * 40 + "\n"
    loaded.documents.import_files([ImportItem(write(tmp_path / "l.txt", long_turn), "D8", 1,
                                              "session")])
    for query, word in (("epiphany", "epiphany"), ("courage", "courage")):
        [hit] = search(loaded, query)
        start, end = hit.snippet_match
        assert hit.snippet[start:end] == word


def test_ordinal_words_do_not_find_numbers(loaded, tmp_path):
    """The lookup table lemmatises "first" to "1": "the first time" is not "page 1"."""
    from coding.documents import ImportItem
    from tests.conftest import write

    text = "T: Turn to page 1 and 2.\nC: The first time, a second chance.\n"
    path = write(tmp_path / "o.txt", text)
    loaded.documents.import_files([ImportItem(path, "D9", 1, "session")])

    def found(query):
        return [_matched(loaded, h) for h in search(loaded, query) if h.document == "D9-S1-session"]

    assert found("first") == ["first"]
    assert found("second") == ["second"]
    assert found("1") == ["1"]
