"""Moments of a session: the dual perspective, aligned on session time.

Each recall stop names the session time the client or the therapist stopped the
video at; what they said until their next stop is about that moment. Stops of
either recall that fall within `window` seconds of the first stop of a moment
belong to the same moment. For every moment we gather what was said in the
session around that time, what each participant said about it, and the codes
applied to each of those three.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from coding.segments import Segment
from transcripts.model import PERSPECTIVES, Stop, Utterance

if TYPE_CHECKING:
    from coding.documents import DocumentInfo
    from coding.study import Study

RECALLS = ("client-recall", "therapist-recall")
DEFAULT_WINDOW = 30.0


@dataclass
class Comment:
    """One recall stop and what the participant said about it, with its codes."""

    document_id: int
    perspective: str
    stop: Stop
    utterances: list[Utterance]
    segments: list[Segment]

    @property
    def time(self) -> float:
        return self.stop.time

    @property
    def char_start(self) -> int:
        return self.stop.char_start

    @property
    def char_end(self) -> int:
        return self.utterances[-1].char_end if self.utterances else self.stop.char_end


@dataclass
class Moment:
    """A session moment seen from one or both recalls."""

    start: float
    end: float
    comments: list[Comment] = field(default_factory=list)
    session_utterances: list[Utterance] = field(default_factory=list)
    session_segments: list[Segment] = field(default_factory=list)

    def by(self, perspective: str) -> list[Comment]:
        return [c for c in self.comments if c.perspective == perspective]

    @property
    def perspectives(self) -> set[str]:
        return {c.perspective for c in self.comments}

    @property
    def shared(self) -> bool:
        """Both the client and the therapist stopped here."""
        return set(RECALLS) <= self.perspectives

    def code_ids(self, perspective: str) -> set[int]:
        """Codes applied to this moment from one perspective (`session` included)."""
        if perspective == "session":
            return {s.code_id for s in self.session_segments}
        return {s.code_id for c in self.by(perspective) for s in c.segments}


@dataclass
class SessionView:
    """The documents of one session and its moments in time order."""

    dyad: str
    session: int
    documents: dict[str, DocumentInfo]
    moments: list[Moment]
    duration: float | None


def session_moments(
    study: Study,
    dyad: str,
    session: int,
    *,
    window: float = DEFAULT_WINDOW,
    coder_ids: Sequence[int] | None = None,
) -> SessionView:
    """Align a session's recalls on session time (stops within `window` s are one moment)."""
    documents = _session_documents(study, dyad, session)
    comments = [
        comment
        for perspective in RECALLS
        if perspective in documents
        for comment in recall_comments(study, documents[perspective], coder_ids)
    ]
    moments = cluster(comments, window)
    session_doc = documents.get("session")
    duration = None
    if session_doc is not None:
        _attach_session(study, session_doc, moments, coder_ids)
        duration = session_doc.end
    times = [c.time for c in comments]
    if times:
        duration = max(duration or 0.0, max(times))
    return SessionView(dyad, session, documents, moments, duration)


def _session_documents(study: Study, dyad: str, session: int) -> dict[str, DocumentInfo]:
    """The session's first document of each perspective (by name), in perspective order."""
    rows = study.db.execute(
        "SELECT d.id, d.perspective FROM documents d JOIN dyads y ON y.id = d.dyad_id "
        "WHERE y.name = ? AND d.session = ? ORDER BY d.name",
        [dyad, session],
    ).fetchall()
    first: dict[str, int] = {}
    for doc_id, perspective in rows:
        first.setdefault(perspective, doc_id)
    return {
        perspective: study.documents.get(first[perspective])
        for perspective in PERSPECTIVES
        if perspective in first
    }


def recall_comments(
    study: Study, doc: DocumentInfo, coder_ids: Sequence[int] | None = None
) -> list[Comment]:
    """Each stop of a recall with the utterances after it (up to the next stop)."""
    stops = study.documents.stops(doc.id)
    utterances = study.documents.utterances(doc.id)
    segments = _Coded(study.segments.for_document(doc.id, coder_ids))
    starts = [u.char_start for u in utterances]
    bounds = [s.char_start for s in stops[1:]] + [doc.chars + 1] if stops else []
    comments = []
    for stop, limit in zip(stops, bounds, strict=True):
        first = bisect.bisect_left(starts, stop.char_end)
        last = bisect.bisect_left(starts, limit)
        said = utterances[first:last]
        span_end = said[-1].char_end if said else stop.char_end
        comments.append(
            Comment(
                document_id=doc.id,
                perspective=doc.perspective,
                stop=stop,
                utterances=said,
                segments=segments.overlapping(stop.char_start, span_end),
            )
        )
    return comments


class _Coded:
    """A document's segments (in text order), searched by the span they overlap."""

    def __init__(self, segments: list[Segment]) -> None:
        self._segments = segments
        self._starts = np.fromiter((s.start for s in segments), np.int64, len(segments))
        self._ends = np.fromiter((s.end for s in segments), np.int64, len(segments))

    def overlapping(self, lo: int, hi: int) -> list[Segment]:
        """Segments reaching into [lo, hi), in text order."""
        before = int(np.searchsorted(self._starts, hi))  # the ones starting before hi …
        hits = np.flatnonzero(self._ends[:before] > lo)  # … that end after lo
        return [self._segments[i] for i in hits.tolist()]


def cluster(comments: Sequence[Comment], window: float) -> list[Moment]:
    """Group comments whose stops lie within `window` seconds of a moment's first stop."""
    moments: list[Moment] = []
    for comment in sorted(comments, key=lambda c: (c.time, c.perspective)):
        if moments and comment.time - moments[-1].start <= window:
            moments[-1].comments.append(comment)
            moments[-1].end = comment.time
        else:
            moments.append(Moment(start=comment.time, end=comment.time, comments=[comment]))
    return moments


def counterparts(comment: Comment, others: Sequence[Comment], window: float) -> list[Comment]:
    """The other participant's comments on (about) the same session moment."""
    return [
        other
        for other in others
        if other.perspective != comment.perspective and abs(other.time - comment.time) <= window
    ]


class SessionClock:
    """Finds the session utterance being spoken at a given session time."""

    def __init__(self, utterances: Sequence[Utterance]) -> None:
        timed = [(u.start, i) for i, u in enumerate(utterances) if u.start is not None]
        self._times = [t for t, _ in timed]
        self._indexes = [i for _, i in timed]

    def at(self, time: float) -> int | None:
        """Index of the last utterance started by `time` (the first one if none has)."""
        if not self._times:
            return None
        position = bisect.bisect_right(self._times, time) - 1
        return self._indexes[max(position, 0)]


def _attach_session(
    study: Study, doc: DocumentInfo, moments: list[Moment], coder_ids: Sequence[int] | None
) -> None:
    utterances = study.documents.utterances(doc.id)
    segments = _Coded(study.segments.for_document(doc.id, coder_ids))
    clock = SessionClock(utterances)
    for moment in moments:
        first, last = clock.at(moment.start), clock.at(moment.end)
        if first is None or last is None:
            continue
        said = utterances[first : last + 1]
        moment.session_utterances = said
        moment.session_segments = segments.overlapping(said[0].char_start, said[-1].char_end)
