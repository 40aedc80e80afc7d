"""The theme report's data on a small hand-built study, with the expected numbers written out.

Two dyads (D01, D02) with the conftest session and recalls. The recalls' stops give
two shared moments (client 00:12 + therapist 00:35; client 01:10 + therapist 01:15)
and one client-only moment (01:50).
"""

from __future__ import annotations

import pytest

from coding.documents import ImportItem
from coding.errors import StudyError
from coding.report_data import Count, choose_layer, choose_quotes, report_data
from coding.segments import SegmentRow
from transcripts.progress import Cancelled

FEAR = "Initial fear and shame/Fear and anxiety"
SHAME = "Initial fear and shame/Shame and feeling unworthy"
SAFETY = "Safety/Growing sense of safety"
FRAME = "Safety/Frame and confidentiality as safety"
GUARD = "Going all in/Letting the guard down"
S, CR, TR = "session", "client-recall", "therapist-recall"


def add(study, document, words, path, coder, status=None):
    doc = study.documents.find(document)
    start = study.documents.text(doc.id).index(words)
    segment = study.segments.add(doc.id, start, start + len(words), study.codebook.find(path),
                                 coder)
    if status:
        study.segments.update_fields(segment, {"status": status})
    return segment


@pytest.fixture
def small(loaded, transcripts):
    for perspective, path in transcripts.items():
        loaded.documents.import_files([ImportItem(path, "D02", 1, perspective)])
    loaded.documents.import_files([ImportItem(transcripts["session"], "D01", 2, "session")])
    # Alex
    add(loaded, "D01-S1-client-recall", "Here I was terrified.", FEAR, "Alex")
    add(loaded, "D01-S1-therapist-recall", "I could see how frightened she was", FEAR, "Alex")
    add(loaded, "D01-S1-session", "I was scared you'd think I was wasting your time.", FEAR,
        "Alex")
    add(loaded, "D01-S1-client-recall", "This is where I started to trust you.", SAFETY, "Alex")
    add(loaded, "D01-S1-therapist-recall", "That was the first time she really looked at me.",
        GUARD, "Alex")
    add(loaded, "D01-S1-client-recall", "I just let go.", GUARD, "Alex")
    add(loaded, "D02-S1-session", "I felt safer. 😊", SAFETY, "Alex")
    add(loaded, "D02-S1-client-recall", "Shameful, really.", SHAME, "Alex")
    add(loaded, "D02-S1-therapist-recall", "I could see how frightened she was", FEAR, "Alex")
    add(loaded, "D01-S2-session", "I nearly didn't come.", FEAR, "Alex")  # same dyad again
    # Sam
    add(loaded, "D01-S1-client-recall", "Here I was terrified.", FEAR, "Sam")
    add(loaded, "D01-S1-session", "I'm really glad you came.", SAFETY, "Sam")
    return loaded


def _by_name(data):
    themes = {t.theme.name: t for t in data.themes}
    codes = {c.code.path: c for t in data.themes for c in t.codes}
    return themes, codes


def test_counts_by_perspective_for_all_coders(small):
    data = report_data(small)
    assert data.layer.kind == "all" and data.layer.coders == ("Alex", "Sam")
    assert data.perspectives == (S, CR, TR)
    assert data.segments == 12
    assert (data.facts.dyads, data.facts.sessions) == (("D01", "D02"), 3)
    assert data.facts.documents == {S: 3, CR: 2, TR: 2}
    assert [(c.name, c.segments, c.documents) for c in data.facts.coders] == [
        ("Alex", 10, 7), ("Sam", 2, 2)
    ]
    themes, codes = _by_name(data)
    assert codes[FEAR].counts == {S: Count(2, 1), CR: Count(2, 1), TR: Count(2, 2)}
    assert codes[FEAR].total == Count(6, 2)
    assert codes[SHAME].counts == {S: Count(0, 0), CR: Count(1, 1), TR: Count(0, 0)}
    assert codes[SAFETY].counts == {S: Count(2, 2), CR: Count(1, 1), TR: Count(0, 0)}
    assert codes[SAFETY].total == Count(3, 2)
    assert codes[FRAME].total == Count(0, 0)
    assert codes[GUARD].counts == {S: Count(0, 0), CR: Count(1, 1), TR: Count(1, 1)}
    fear_theme = themes["Initial fear and shame"]
    assert fear_theme.counts == {S: Count(2, 1), CR: Count(3, 2), TR: Count(2, 2)}
    assert fear_theme.total == Count(7, 2)
    assert themes["Safety"].total == Count(3, 2)
    assert themes["Working alliance"].total == Count(0, 0)
    assert [c.code.name for c in themes["Safety"].codes] == [
        "Growing sense of safety", "Frame and confidentiality as safety"
    ]


def test_shared_moments_need_the_code_in_both_recalls(small):
    themes, codes = _by_name(report_data(small))
    [moment] = codes[FEAR].shared
    assert (moment.dyad, moment.session, moment.start, moment.end) == ("D01", 1, 12.0, 35.0)
    # Alex and Sam coded the same client passage: it is quoted once.
    assert [q.text for q in moment.client] == ["Here I was terrified."]
    assert [q.text for q in moment.therapist] == ["I could see how frightened she was"]
    assert moment.client[0].session_time == 12.0 and moment.therapist[0].session_time == 35.0
    # Safety (client) and Letting the guard down (therapist) at 01:10/01:15 share no code.
    assert codes[SAFETY].shared == [] and codes[GUARD].shared == []
    assert codes[SHAME].shared == []


def test_a_theme_moment_may_pair_different_codes_of_the_theme(small):
    themes, _ = _by_name(report_data(small))
    shared = themes["Initial fear and shame"].shared
    assert [(m.dyad, m.start, m.end) for m in shared] == [("D01", 12.0, 35.0), ("D02", 12.0, 35.0)]
    d02 = shared[1]
    assert [(q.code, q.text) for q in d02.client] == [(SHAME, "Shameful, really.")]
    assert [(q.code, q.text) for q in d02.therapist] == [
        (FEAR, "I could see how frightened she was")
    ]
    assert themes["Safety"].shared == [] and themes["Going all in"].shared == []


def test_one_coder_layer(small):
    data = report_data(small, coder="Sam")
    assert data.layer.kind == "coder" and data.layer.coders == ("Sam",)
    assert data.segments == 2
    themes, codes = _by_name(data)
    assert codes[FEAR].counts == {S: Count(0, 0), CR: Count(1, 1), TR: Count(0, 0)}
    assert codes[SAFETY].counts == {S: Count(1, 1), CR: Count(0, 0), TR: Count(0, 0)}
    assert codes[FEAR].shared == []  # Sam coded no therapist recall


def test_consensus_layer_is_the_default_once_it_has_segments(small):
    consensus = small.coders.consensus()
    assert choose_layer(small).kind == "all"  # exists but empty: all coders
    add(small, "D01-S1-client-recall", "Here I was terrified.", FEAR, consensus)
    add(small, "D01-S1-therapist-recall", "I could see how frightened she was", FEAR,
        consensus)
    data = report_data(small)
    assert data.layer.kind == "consensus" and data.layer.coders == ("Consensus",)
    _, codes = _by_name(data)
    assert codes[FEAR].counts == {S: Count(0, 0), CR: Count(1, 1), TR: Count(1, 1)}
    assert len(codes[FEAR].shared) == 1
    assert data.segments == 2
    assert report_data(small, coder="Alex").segments == 10
    assert report_data(small, consensus=True).layer.kind == "consensus"


def test_consensus_asked_for_but_empty_is_an_error(small):
    with pytest.raises(StudyError, match="no consensus layer"):
        report_data(small, consensus=True)
    small.coders.consensus()
    with pytest.raises(StudyError, match="no consensus layer"):
        report_data(small, consensus=True)
    with pytest.raises(StudyError, match="choose one layer"):
        report_data(small, coder="Alex", consensus=True)
    with pytest.raises(StudyError, match="choose one layer"):
        report_data(small, consensus=True, all_coders=True)
    with pytest.raises(StudyError, match="unknown coder"):
        report_data(small, coder="Nobody")


def test_the_all_coders_layer_leaves_out_the_consensus_coder(small):
    consensus = small.coders.consensus()
    add(small, "D02-S1-session", "I felt safer. 😊", SAFETY, consensus)
    # With segments, the consensus layer is the default; asking for a coder still works,
    # and the all-coders layer never mixes the consensus segments in.
    assert choose_layer(small).kind == "consensus"
    assert "Consensus" not in choose_layer(small, coder="Alex").coders
    everyone = choose_layer(small, all_coders=True)
    assert everyone.kind == "all" and everyone.coders == ("Alex", "Sam")
    assert report_data(small, all_coders=True).segments == 12


def test_a_subset_of_themes_by_name_or_path(small):
    data = report_data(small, themes=["Safety", "Initial fear and shame"])
    assert [t.theme.name for t in data.themes] == ["Safety", "Initial fear and shame"]
    assert data.segments == 10  # 3 safety + 7 fear/shame
    assert data.selected_themes
    with pytest.raises(StudyError, match="no theme .Nope. in the codebook"):
        report_data(small, themes=["Nope"])


def test_quotes_carry_dyad_perspective_speaker_and_session_time(small):
    _, codes = _by_name(report_data(small))
    quotes = {q.text: q for q in codes[FEAR].quotes}
    terrified = quotes["Here I was terrified."]
    assert (terrified.dyad, terrified.perspective, terrified.speaker, terrified.role,
            terrified.session_time) == ("D01", CR, "C", "client", 12.0)
    scared = quotes["I was scared you'd think I was wasting your time."]
    assert (scared.perspective, scared.speaker, scared.session_time) == (S, "C", 12.0)
    assert len(codes[FEAR].quotes) == 3
    # Spread: the three quotes come from both dyads and all three perspectives.
    assert {q.dyad for q in codes[FEAR].quotes} == {"D01", "D02"}
    assert {q.perspective for q in codes[FEAR].quotes} == {S, CR, TR}


def test_progress_is_reported_and_can_cancel(small):
    seen = []
    report_data(small, progress=lambda fraction, message: seen.append(fraction))
    assert seen and seen == sorted(seen) and all(0 <= f <= 1 for f in seen)

    def cancel(fraction, message):
        if fraction > 0.3:
            raise Cancelled()

    with pytest.raises(Cancelled):
        report_data(small, progress=cancel)


# -- choosing exemplar quotes from rows ----------------------------------------------------


def row(n, text, *, dyad="D01", perspective=CR, status="pending", document=None, start=None):
    start = n * 100 if start is None else start
    return SegmentRow(
        id=f"s{n}", document=document or f"{dyad}-S1-{perspective}", dyad=dyad, session=1,
        perspective=perspective, coder="Alex", code=FEAR, start=start, end=start + len(text),
        text=text, speaker="C", role="client", session_time=10.0, memo="", status=status,
        created_at="", reviewer=None, review_comment="",
    )


GOOD = "I was so scared she would think badly of me that I could hardly speak at first."


def test_approved_segments_come_first_even_if_less_tidy():
    rows = [row(1, GOOD), row(2, "scared, sort of", status="approved")]
    assert [q.text for q in choose_quotes(rows, 1)] == ["scared, sort of"]


def test_flagged_segments_are_never_quoted():
    rows = [row(1, GOOD, status="flagged"), row(2, "Hot.")]
    assert [q.text for q in choose_quotes(rows, 3)] == ["Hot."]


def test_quotes_spread_across_dyads_and_perspectives():
    rows = [
        row(1, GOOD, dyad="D01"),
        row(2, GOOD.replace("speak", "talk"), dyad="D01"),
        row(3, GOOD.replace("scared", "afraid"), dyad="D02"),
        row(4, GOOD.replace("first", "the start"), dyad="D02", perspective=S),
    ]
    picked = choose_quotes(rows, 3)
    assert [(q.dyad, q.perspective) for q in picked] == [("D01", CR), ("D02", S), ("D01", CR)]


def test_complete_sentences_of_moderate_length_are_preferred():
    fragment = "so scared she would think badly of me that I could hardly"
    long = " ".join(["and then I kept going on about it"] * 20) + "."
    rows = [row(1, fragment), row(2, long), row(3, "Hot."), row(4, GOOD)]
    assert choose_quotes(rows, 1)[0].text == GOOD


def test_overlapping_and_repeated_passages_are_quoted_once():
    rows = [
        row(1, GOOD, document="doc", start=0),
        row(2, GOOD, document="doc", start=0),
        row(3, GOOD[:40] + ".", document="doc", start=0),
        row(4, GOOD, document="other", start=0),
    ]
    assert len(choose_quotes(rows, 3)) == 1
