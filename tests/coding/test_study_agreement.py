"""Study agreement (SPEC section 5) on small studies whose decisions are counted by hand.

The pilot session has three turns and six sentences:

    T: [s0 Hello there.] [s1 How are you?]                       utterance u0, 21 characters
    C: [s2 Not great.] [s3 I was scared.] [s4 Really scared.]    utterance u1, 33 characters
    T: [s5 That sounds hard.]                                    utterance u2, 15 characters

Characters are the 69 non-whitespace characters of the three turns' words.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coding.agreement import (
    cohen_kappa,
    fleiss_kappa_binary,
    krippendorff_alpha,
    percent_agreement,
)
from coding.documents import ImportItem
from coding.errors import StudyError
from coding.study import Study
from coding.study_agreement import (
    _CharacterUnits,
    _nonspace,
    _ranks,
    _SpanUnits,
    study_agreement,
    unit_decisions,
)
from tests.conftest import CLIENT_RECALL_TXT, write
from transcripts.progress import Cancelled

PILOT = """Pilot session, D01
[00:00:05] T: Hello there. How are you?
[00:00:12] C: Not great. I was scared. Really scared.
[00:00:30] T: That sounds hard.
"""
SESSION = "D01-S1-session"
RECALL = "D01-S1-client-recall"
FEAR = "Initial fear and shame/Fear and anxiety"
SHAME = "Initial fear and shame/Shame and feeling unworthy"
SAFETY = "Safety/Growing sense of safety"


@pytest.fixture
def pilot(study: Study, tmp_path: Path) -> Study:
    """The pilot session and a client recall (D01, session 1)."""
    files = tmp_path / "pilot"
    files.mkdir()
    for perspective, text in (("session", PILOT), ("client-recall", CLIENT_RECALL_TXT)):
        path = write(files / f"{perspective}.txt", text)
        study.documents.import_files([ImportItem(path, "D01", 1, perspective)])
    return study


def code(study: Study, coder: str, words: str, path: str, document: str = SESSION, nth: int = 0):
    """Apply `path` to the `nth` occurrence of `words` in a document."""
    doc = study.documents.find(document)
    text = study.documents.text(doc.id)
    start = -1
    for _ in range(nth + 1):
        start = text.index(words, start + 1)
    return study.segments.add(doc.id, start, start + len(words), study.codebook.find(path), coder)


def row(result, path: str):
    [found] = [r for r in result.codes if r.code == path]
    return found


def abcd(agreement) -> tuple:
    return agreement.a, agreement.b, agreement.c, agreement.d


def two_coders(study: Study) -> None:
    """A and B on fear (sentences s3+s4 vs the word 'scared' in s3) and safety (s5 vs s1)."""
    code(study, "A", "I was scared. Really scared.", FEAR)
    code(study, "B", "scared", FEAR)
    code(study, "A", "That sounds hard.", SAFETY)
    code(study, "B", "How are you?", SAFETY)


def test_the_pilot_has_the_units_the_hand_counts_assume(pilot):
    doc = pilot.documents.find(SESSION)
    text = pilot.documents.text(doc.id)
    sentences = [text[s.char_start : s.char_end] for s in pilot.documents.sentences(doc.id)]
    assert sentences == ["Hello there.", "How are you?", "Not great.", "I was scared.",
                         "Really scared.", "That sounds hard."]
    assert len(pilot.documents.utterances(doc.id)) == 3


def test_sentence_units(pilot):
    two_coders(pilot)
    result = study_agreement(pilot, ["A", "B"], "sentence", codes=[FEAR, SAFETY, SHAME])
    assert result.units == 6 and result.documents == [SESSION] and result.skipped == [RECALL]
    fear, safety, shame = result.codes
    assert abcd(fear) == (1, 1, 0, 4)
    assert fear.percent_agreement == pytest.approx(5 / 6)
    assert fear.cohen_kappa == pytest.approx(4 / 7)  # p_e = (2·1 + 4·5) / 36
    assert fear.positive_agreement == pytest.approx(2 / 3)
    a = [0, 0, 0, 1, 1, 0]
    b = [0, 0, 0, 1, 0, 0]
    assert fear.fleiss_kappa == pytest.approx(fleiss_kappa_binary(np.array([a, b])))
    assert fear.krippendorff_alpha == pytest.approx(krippendorff_alpha([a, b]))
    assert abcd(safety) == (0, 1, 1, 4)
    assert safety.cohen_kappa == pytest.approx(-0.2)  # p_o = 4/6, p_e = 26/36
    assert safety.positive_agreement == 0.0
    assert abcd(shame) == (0, 0, 0, 6)


def test_utterance_units(pilot):
    two_coders(pilot)
    result = study_agreement(pilot, ["A", "B"], "utterance", codes=[FEAR, SAFETY])
    assert result.units == 3
    fear, safety = result.codes
    assert abcd(fear) == (1, 0, 0, 2)
    assert fear.cohen_kappa == 1.0 and fear.krippendorff_alpha == pytest.approx(1.0)
    assert abcd(safety) == (0, 1, 1, 1)
    assert safety.percent_agreement == pytest.approx(1 / 3)


def test_character_units(pilot):
    two_coders(pilot)
    result = study_agreement(pilot, ["A", "B"], "character", codes=[FEAR, SAFETY])
    assert result.units == 21 + 33 + 15
    fear, safety = result.codes
    assert abcd(fear) == (6, 18, 0, 45)  # 'I was scared. Really scared.' holds 24
    assert abcd(safety) == (0, 15, 10, 44)
    assert fear.cohen_kappa == pytest.approx(cohen_kappa([1] * 6 + [1] * 18 + [0] * 45,
                                                         [1] * 6 + [0] * 18 + [0] * 45))


def test_pooled_row_covers_the_rows_someone_applied(pilot):
    two_coders(pilot)
    result = study_agreement(pilot, ["A", "B"], "sentence", codes=[FEAR, SHAME, SAFETY])
    pooled = result.pooled
    assert pooled.code == "pooled"
    assert abcd(pooled) == (1, 2, 1, 8)  # fear and safety, 6 sentences each; shame unused
    assert pooled.percent_agreement == pytest.approx(9 / 12)
    a = [0, 0, 0, 1, 1, 0] + [0, 0, 0, 0, 0, 1]
    b = [0, 0, 0, 1, 0, 0] + [0, 1, 0, 0, 0, 0]
    assert pooled.cohen_kappa == pytest.approx(cohen_kappa(a, b))
    assert pooled.krippendorff_alpha == pytest.approx(krippendorff_alpha([a, b]))
    assert [pair.to_json() for pair in result.pairwise] == [
        {"coders": ["A", "B"], "cohen_kappa": pooled.cohen_kappa,
         "percent_agreement": pooled.percent_agreement}
    ]


def test_a_code_nobody_applied_agrees_fully_and_has_no_chance_corrected_figures(pilot):
    two_coders(pilot)
    result = study_agreement(pilot, ["A", "B"], "sentence", codes=[SHAME])
    [shame] = result.codes
    assert shame.percent_agreement == 1.0
    assert shame.cohen_kappa is None and shame.positive_agreement is None
    assert shame.krippendorff_alpha is None and shame.fleiss_kappa is None
    assert abcd(result.pooled) == (0, 0, 0, 0) and result.pooled.percent_agreement is None


def test_segments_that_only_touch_a_unit_do_not_count(pilot):
    # Units are trimmed, so touching means ending where a unit begins: B's first span
    # adds the space before s1, its second the timestamp and label just before 'Not'.
    code(pilot, "A", "Hello there.", FEAR)
    code(pilot, "B", "Hello there. ", FEAR)
    code(pilot, "B", "[00:00:12] C: ", FEAR)
    for unit, expected in (("sentence", (1, 0, 0, 5)), ("utterance", (1, 0, 0, 2)),
                           ("character", (11, 0, 0, 58))):
        result = study_agreement(pilot, ["A", "B"], unit, codes=[FEAR])
        assert abcd(result.codes[0]) == expected, unit


def test_overlapping_segments_of_one_coder_count_once(pilot):
    code(pilot, "A", "I was scared. Really", FEAR)
    code(pilot, "A", "scared. Really scared.", FEAR, nth=0)
    code(pilot, "A", "Really scared.", FEAR)
    code(pilot, "B", "Really scared.", FEAR)
    sentences = study_agreement(pilot, ["A", "B"], "sentence", codes=[FEAR])
    assert abcd(sentences.codes[0]) == (1, 1, 0, 4)
    chars = study_agreement(pilot, ["A", "B"], "character", codes=[FEAR])
    assert abcd(chars.codes[0]) == (13, 11, 0, 45)


def test_a_theme_row_aggregates_its_codes(pilot):
    code(pilot, "A", "I was scared.", FEAR)
    code(pilot, "B", "I was scared.", SHAME)
    code(pilot, "B", "Not great.", SHAME)
    result = study_agreement(
        pilot, ["A", "B"], "sentence", codes=["Initial fear and shame", FEAR, SHAME]
    )
    theme, fear, shame = result.codes
    assert theme.code == "Initial fear and shame"
    assert abcd(theme) == (1, 0, 1, 4)
    assert abcd(fear) == (0, 1, 0, 5) and abcd(shame) == (0, 0, 2, 4)


def test_a_codable_code_stands_for_itself_not_its_children(pilot):
    parent = pilot.codebook.find(FEAR)
    pilot.codebook.add("Panic", parent=parent)
    code(pilot, "A", "I was scared.", FEAR)
    code(pilot, "B", "I was scared.", FEAR + "/Panic")
    result = study_agreement(pilot, ["A", "B"], "sentence", codes=[FEAR, FEAR + "/Panic"])
    assert [abcd(r) for r in result.codes] == [(0, 1, 0, 5), (0, 0, 1, 5)]


def test_default_rows_are_every_applicable_code_in_codebook_order(pilot):
    two_coders(pilot)
    result = study_agreement(pilot, ["A", "B"])
    assert result.unit == "sentence"
    assert [r.code for r in result.codes] == [c.path for c in pilot.codebook.load().applicable()]
    assert [r.code for r in result.codes][:3] == [FEAR, SHAME, SAFETY]
    assert len(result.codes) == 17
    assert abcd(row(result, FEAR)) == (1, 1, 0, 4)
    assert abcd(row(result, "Rupture and repair/Repair")) == (0, 0, 0, 6)
    assert abcd(result.pooled) == (1, 2, 1, 8)  # unused rows stay out of the pooled row


def test_a_document_only_one_coder_touched_is_skipped_until_the_other_marks_it_done(pilot):
    two_coders(pilot)
    code(pilot, "A", "I just let go.", FEAR, document=RECALL)
    result = study_agreement(pilot, ["A", "B"], codes=[FEAR])
    assert result.documents == [SESSION] and result.skipped == [RECALL]
    assert abcd(result.codes[0]) == (1, 1, 0, 4)
    recall = pilot.documents.find(RECALL)
    pilot.coders.mark_done(pilot.coders.find("B"), recall.id)
    result = study_agreement(pilot, ["A", "B"], codes=[FEAR])
    assert result.documents == [SESSION, RECALL] and result.skipped == []
    assert result.units == 6 + recall.sentences
    assert abcd(result.codes[0]) == (1, 2, 0, 3 + recall.sentences)


def test_document_and_code_filters(pilot):
    two_coders(pilot)
    code(pilot, "A", "I just let go.", FEAR, document=RECALL)
    code(pilot, "B", "I just let go.", SAFETY, document=RECALL)
    recall = pilot.documents.find(RECALL)
    only = study_agreement(pilot, ["A", "B"], codes=[FEAR], documents=[RECALL])
    assert only.documents == [RECALL] and only.skipped == [] and only.units == recall.sentences
    assert [r.code for r in only.codes] == [FEAR]
    assert abcd(only.codes[0]) == (0, 1, 0, recall.sentences - 1)


def test_three_coders(pilot):
    code(pilot, "A", "I was scared. Really scared.", FEAR)
    code(pilot, "B", "I was scared.", FEAR)
    code(pilot, "C", "Hello there.", FEAR)
    code(pilot, "C", "I was", FEAR)
    for coder in "AB":
        code(pilot, coder, "That sounds hard.", SAFETY)
    result = study_agreement(pilot, ["A", "B", "C"], codes=[FEAR, SAFETY, SHAME])
    fear, safety, shame = result.codes
    a, b, c = [0, 0, 0, 1, 1, 0], [0, 0, 0, 1, 0, 0], [1, 0, 0, 1, 0, 0]
    assert abcd(fear) == (None, None, None, None) and fear.cohen_kappa is None
    assert fear.fleiss_kappa == pytest.approx(29 / 65)  # P̄ = 7/9, P_e = 97/162
    assert fear.fleiss_kappa == pytest.approx(fleiss_kappa_binary(np.array([a, b, c])))
    assert fear.krippendorff_alpha == pytest.approx(krippendorff_alpha([a, b, c]))
    assert fear.percent_agreement == pytest.approx((5 / 6 + 4 / 6 + 5 / 6) / 3)
    assert fear.positive_agreement == pytest.approx((2 / 3 + 1 / 2 + 2 / 3) / 3)
    assert safety.positive_agreement == pytest.approx((1 + 0 + 0) / 3)
    assert shame.percent_agreement == 1.0 and shame.positive_agreement is None
    assert shame.fleiss_kappa is None and shame.krippendorff_alpha is None
    pooled = [a + [0] * 5 + [1], b + [0] * 5 + [1], c + [0] * 6]
    assert result.pooled.fleiss_kappa == pytest.approx(fleiss_kappa_binary(np.array(pooled)))
    assert result.pooled.krippendorff_alpha == pytest.approx(krippendorff_alpha(pooled))
    pairs = {pair.coders: pair for pair in result.pairwise}
    assert list(pairs) == [("A", "B"), ("A", "C"), ("B", "C")]
    assert pairs["A", "B"].cohen_kappa == pytest.approx(0.75)  # a=2 b=1 c=0 d=9
    for (i, j), pair in zip([(0, 1), (0, 2), (1, 2)], result.pairwise, strict=True):
        assert pair.cohen_kappa == pytest.approx(cohen_kappa(pooled[i], pooled[j]))
        same = sum(x == y for x, y in zip(pooled[i], pooled[j], strict=True))
        assert pair.percent_agreement == pytest.approx(same / 12)


def test_nothing_coded_by_everyone_gives_no_units_and_null_figures(pilot):
    code(pilot, "A", "Hello there.", FEAR)
    code(pilot, "B", "I just let go.", FEAR, document=RECALL)
    result = study_agreement(pilot, ["A", "B"], codes=[FEAR])
    assert result.documents == [] and result.skipped == [SESSION, RECALL] and result.units == 0
    assert abcd(result.codes[0]) == (0, 0, 0, 0)
    assert result.codes[0].percent_agreement is None and result.pooled.cohen_kappa is None


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"coders": ["A", "Nobody"]}, "unknown coder 'Nobody'"),
        ({"coders": ["A"]}, "at least two coders, got 1"),
        ({"coders": ["A", "a"]}, "coder 'a' is given twice"),
        ({"coders": ["A", "B"], "unit": "word"}, "unknown unit 'word'"),
        ({"coders": ["A", "B"], "codes": ["Safety/Nope"]}, "unknown code path 'Safety/Nope'"),
        ({"coders": ["A", "B"], "codes": [FEAR, FEAR]}, f"code {FEAR!r} is given twice"),
        ({"coders": ["A", "B"], "codes": []}, "choose at least one code"),
        ({"coders": ["A", "B"], "documents": ["Nope"]}, "no document named 'Nope'"),
        ({"coders": ["A", "B"], "documents": []}, "choose at least one document"),
    ],
)
def test_bad_questions_are_study_errors(pilot, kwargs, message):
    two_coders(pilot)
    with pytest.raises(StudyError, match=re.escape(message)):
        study_agreement(pilot, **kwargs)


def test_progress_is_reported_and_can_cancel(pilot):
    two_coders(pilot)
    seen = []
    study_agreement(pilot, ["A", "B"], progress=lambda f, m: seen.append(f))
    assert seen == sorted(seen) and seen[-1] == 1.0 and len(seen) >= 3

    def cancel(fraction: float, message: str) -> None:
        raise Cancelled()

    with pytest.raises(Cancelled):
        study_agreement(pilot, ["A", "B"], progress=cancel)


def test_the_sample_study_agrees_well_but_not_perfectly(tmp_path):
    from workbench.demo import build_sample_study

    with Study.open(build_sample_study(tmp_path), writable=False) as sample:
        for unit in ("sentence", "utterance", "character"):
            result = study_agreement(sample, ["Alex", "Sam"], unit)
            assert result.skipped == [] and len(result.documents) == 9
            assert 0 < result.pooled.cohen_kappa < 1
            kappas = [r.cohen_kappa for r in result.codes]  # a code coded alike can reach 1
            assert all(k is not None and 0 < k <= 1 for k in kappas), (unit, kappas)
            assert sum(k < 1 for k in kappas) >= 15


# --- the vectorised decisions against a naive reading of SPEC section 5 -------------------------


def test_whitespace_is_exactly_str_isspace():
    every = "".join(map(chr, range(0x110000)))
    expected = np.array([not c.isspace() for c in every])
    assert np.array_equal(_nonspace(every), expected)
    assert _ranks("a b\u3000c\n")[-1] == 3


_TEXT = st.text(alphabet="ab. \n\t\u00a0\u3000", max_size=40)


@st.composite
def _layout(draw):
    """A text, sorted disjoint unit spans (possibly starting or ending in whitespace, or
    holding none), and segments each holding a non-whitespace character."""
    text = draw(_TEXT)
    cuts = sorted(draw(st.lists(st.integers(0, len(text)), max_size=12)))
    spans = [(s, e) for s, e in zip(cuts[::2], cuts[1::2], strict=False) if s < e]
    segments = [
        (s, e)
        for s, e in draw(st.lists(st.tuples(st.integers(0, len(text)), st.integers(0, len(text))),
                                  max_size=8))
        if s < e and text[s:e].strip()
    ]
    return text, spans, segments


def _nonspace_overlap(text: str, a: tuple[int, int], b: tuple[int, int]) -> bool:
    return any(not c.isspace() for c in text[max(a[0], b[0]) : min(a[1], b[1])])


@given(_layout())
def test_locating_segments_in_span_units_matches_a_naive_reading(layout):
    text, spans, segments = layout
    ranks = _ranks(text)
    starts, ends = (np.array([s[i] for s in spans], dtype=np.int64) for i in (0, 1))
    units = _SpanUnits(ranks, starts, ends)
    kept = [span for span in spans if text[span[0] : span[1]].strip()]
    assert units.count == len(kept)
    for segment in segments:
        lo, hi = units.locate(ranks[[segment[0]]], ranks[[segment[1]]])
        expected = [i for i, span in enumerate(kept) if _nonspace_overlap(text, span, segment)]
        assert list(range(int(lo[0]), int(hi[0]))) == expected


@given(_layout())
def test_locating_segments_in_character_units_matches_a_naive_reading(layout):
    text, spans, segments = layout
    ranks = _ranks(text)
    starts, ends = (np.array([s[i] for s in spans], dtype=np.int64) for i in (0, 1))
    units = _CharacterUnits(ranks, starts, ends)
    chars = [i for s, e in spans for i in range(s, e) if not text[i].isspace()]
    assert units.count == len(chars)
    for segment in segments:
        lo, hi = units.locate(ranks[[segment[0]]], ranks[[segment[1]]])
        expected = [n for n, i in enumerate(chars) if segment[0] <= i < segment[1]]
        assert list(range(int(lo[0]), int(hi[0]))) == expected


RICH = """Rich session
[00:00:01] T: Hello\u00a0there.   How are\tyou today? 😊 Fine.
[00:00:09] C: Well.\u3000I  was scared!  Really, really scared.
  And a second line, continued.
[00:00:20] T: Mm.
[00:00:25] C: Yes? No. Maybe so.
"""


@pytest.fixture(scope="module")
def rich(tmp_path_factory):
    folder = tmp_path_factory.mktemp("rich")
    with Study.create(folder / "rich.iprw") as study:
        path = write(folder / "rich.txt", RICH)
        [doc] = study.documents.import_files([ImportItem(path, "D09", 1, "session")])
        for name in "ABC":
            study.coders.mark_done(study.coders.get_or_create(name), doc.id)
        yield study, doc


def _naive_units(study: Study, doc_id: int, unit: str) -> list[tuple[int, int]]:
    text = study.documents.text(doc_id)
    utterances = [(u.char_start, u.char_end) for u in study.documents.utterances(doc_id)]
    if unit == "utterance":
        return utterances
    if unit == "sentence":
        return [(s.char_start, s.char_end) for s in study.documents.sentences(doc_id)]
    return [(i, i + 1) for s, e in utterances for i in range(s, e) if not text[i].isspace()]


_SPANS = st.lists(
    st.tuples(st.sampled_from("ABC"), st.sampled_from([FEAR, SHAME, SAFETY]),
              st.integers(0, len(RICH) - 1), st.integers(1, 60)),
    max_size=10,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_SPANS)
def test_study_decisions_match_a_naive_reading_for_every_unit(rich, spans):
    study, doc = rich
    text = study.documents.text(doc.id)
    with study.transaction() as db:
        db.execute("DELETE FROM segments")
    added = []
    for coder, path, start, length in spans:
        end = min(start + length, len(text))
        if text[start:end].strip():
            code_ = study.codebook.find(path)
            study.segments.add(doc.id, start, end, code_, coder)
            added.append((coder, path, start, end))
    rows = ["Initial fear and shame", FEAR, SAFETY]
    members = {"Initial fear and shame": {FEAR, SHAME}, FEAR: {FEAR}, SAFETY: {SAFETY}}
    for unit in ("sentence", "utterance", "character"):
        units = _naive_units(study, doc.id, unit)
        decisions = unit_decisions(study, ["A", "B", "C"], unit, codes=rows)
        assert decisions.units == len(units)
        result = study_agreement(study, ["A", "B", "C"], unit, codes=rows)
        for number, row_path in enumerate(rows):
            expected = np.array([
                [any(c == coder and p in members[row_path] and _nonspace_overlap(text, u, (s, e))
                     for c, p, s, e in added) for u in units]
                for coder in "ABC"
            ]).reshape(3, len(units))
            assert np.array_equal(decisions.matrix(number), expected), (unit, row_path)
            found = result.codes[number]
            assert found.fleiss_kappa == pytest.approx(fleiss_kappa_binary(expected))
            assert found.krippendorff_alpha == pytest.approx(krippendorff_alpha(expected))
            pairs = [(0, 1), (0, 2), (1, 2)]
            percents = [percent_agreement(*_counts(expected[i], expected[j])) for i, j in pairs]
            assert found.percent_agreement == pytest.approx(sum(percents) / 3)


def _counts(x: np.ndarray, y: np.ndarray) -> tuple[int, int, int, int]:
    return (int((x & y).sum()), int((x & ~y).sum()), int((~x & y).sum()), int((~x & ~y).sum()))
