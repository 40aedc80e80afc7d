"""Dual-perspective alignment: recall stops mapped onto session time."""

from __future__ import annotations

import pytest

from coding.moments import RECALLS, Comment, SessionView, cluster, counterparts, session_moments
from tests.coding.busy import build_busy_study
from transcripts.model import Stop


def _comment(perspective: str, time: float) -> Comment:
    return Comment(0, perspective, Stop(0, time, 0, 1), [], [])


def test_stops_within_the_window_of_a_moments_first_stop_are_one_moment():
    comments = [_comment("client-recall", t) for t in (10, 35)] + [
        _comment("therapist-recall", t) for t in (40, 41, 100)
    ]
    moments = cluster(comments, window=29)
    assert [(m.start, m.end, len(m.comments)) for m in moments] == [
        (10, 35, 2), (40, 41, 2), (100, 100, 1)
    ]
    assert [m.shared for m in moments] == [False, False, False]
    assert [m.shared for m in cluster(comments, window=30)] == [True, False, False]
    assert [len(m.comments) for m in cluster(comments, window=31)] == [4, 1]


def test_window_edge_is_inclusive():
    moments = cluster([_comment("client-recall", 0), _comment("therapist-recall", 30)], 30)
    assert len(moments) == 1 and moments[0].shared


def test_counterparts_are_the_other_persons_stops_nearby():
    client = _comment("client-recall", 70)
    others = [_comment("therapist-recall", t) for t in (35, 75, 101)] + [
        _comment("client-recall", 72)
    ]
    assert [c.time for c in counterparts(client, others, 30)] == [75]


def test_session_moments_of_the_fixture_session(loaded):
    fear = loaded.codebook.find("Initial fear and shame/Fear and anxiety")
    client = loaded.documents.find("D01-S1-client-recall")
    therapist = loaded.documents.find("D01-S1-therapist-recall")
    text = loaded.documents.text(client.id)
    start = text.index("Here I was terrified")
    loaded.segments.add(client.id, start, start + 20, fear, "Alex")
    ttext = loaded.documents.text(therapist.id)
    tstart = ttext.index("I could see how frightened")
    loaded.segments.add(therapist.id, tstart, tstart + 26, fear, "Sam")
    view = session_moments(loaded, "D01", 1, window=30)
    assert set(view.documents) == {"session", "client-recall", "therapist-recall"}
    starts = [(m.start, sorted(m.perspectives)) for m in view.moments]
    assert starts == [
        (12.0, ["client-recall", "therapist-recall"]),
        (70.0, ["client-recall", "therapist-recall"]),
        (110.0, ["client-recall"]),
    ]
    first = view.moments[0]
    assert first.shared and first.code_ids("client-recall") == {fear.id}
    assert first.code_ids("therapist-recall") == {fear.id}
    said = [loaded.documents.text(client.id)[u.char_start:u.char_end]
            for u in first.by("client-recall")[0].utterances]
    assert said == ["Here I was terrified. I thought you'd send me away.",
                    "What was that like?", "Shameful, really."]
    session_text = loaded.documents.text(view.documents["session"].id)
    spoken = [session_text[u.char_start:u.char_end] for u in first.session_utterances]
    assert spoken[0].startswith("Honestly, I nearly didn't come.")
    assert spoken[-1].startswith("I'm really glad you came.")
    assert view.duration == 120.0


def test_recalls_without_stops_give_no_moments(study, tmp_path):
    from coding.documents import ImportItem
    from tests.conftest import write

    path = write(tmp_path / "r.txt", "I: Anything stand out?\nC: Not really.\n")
    study.documents.import_files([ImportItem(path, "D05", 2, "client-recall")])
    view = session_moments(study, "D05", 2)
    assert view.moments == [] and "session" not in view.documents


# -- every session of a busy study, pinned against a slow reading ------------------------------


@pytest.fixture
def busy(study, tmp_path):
    return build_busy_study(study, tmp_path)


def _by_hand(study, dyad, session, window, coder_ids) -> SessionView:
    """The moments read the obvious way: scans instead of searches, one list at a time."""
    documents = {}
    for doc in study.documents.list():
        if (doc.dyad, doc.session) == (dyad, session):
            documents.setdefault(doc.perspective, doc)

    def coded(doc):
        return [s for s in study.segments.for_document(doc.id)
                if coder_ids is None or s.coder_id in coder_ids]

    comments = []
    for perspective in RECALLS:
        if perspective not in documents:
            continue
        doc = documents[perspective]
        stops = study.documents.stops(doc.id)
        for n, stop in enumerate(stops):
            limit = stops[n + 1].char_start if n + 1 < len(stops) else doc.chars + 1
            said = [u for u in study.documents.utterances(doc.id)
                    if stop.char_end <= u.char_start < limit]
            end = said[-1].char_end if said else stop.char_end
            comments.append(Comment(doc.id, perspective, stop, said, [
                s for s in coded(doc) if s.start < end and s.end > stop.char_start]))
    moments = cluster(comments, window)
    duration = None
    if "session" in documents:
        doc = documents["session"]
        utterances = study.documents.utterances(doc.id)
        timed = [i for i, u in enumerate(utterances) if u.start is not None]
        for moment in moments:
            if not timed:
                continue
            first, last = (
                max([i for i in timed if utterances[i].start <= t], default=timed[0])
                for t in (moment.start, moment.end)
            )
            moment.session_utterances = said = utterances[first : last + 1]
            lo, hi = said[0].char_start, said[-1].char_end
            moment.session_segments = [s for s in coded(doc) if s.start < hi and s.end > lo]
        duration = doc.end
    if comments:
        duration = max(duration or 0.0, max(c.time for c in comments))
    return SessionView(dyad, session, documents, moments, duration)


@pytest.mark.parametrize(("window", "only"), [(30.0, None), (5.0, None), (60.0, "Sam")])
def test_every_session_matches_a_slow_reading(busy, window, only):
    coder_ids = None if only is None else [busy.coders.find(only).id]
    sessions = {(doc.dyad, doc.session) for doc in busy.documents.list()}
    assert len(sessions) == 7
    for dyad, number in sorted(sessions):
        view = session_moments(busy, dyad, number, window=window, coder_ids=coder_ids)
        assert view == _by_hand(busy, dyad, number, window, coder_ids), (dyad, number)


def test_the_busy_sessions_have_shared_and_coded_moments(busy):
    views = [session_moments(busy, f"D0{n}", 1) for n in (1, 2, 3)]
    moments = [m for view in views for m in view.moments]
    assert any(m.shared for m in moments) and not all(m.shared for m in moments)
    assert any(m.session_segments for m in moments)
    assert any(c.segments for m in moments for c in m.comments)
