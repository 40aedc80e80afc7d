"""The units where coders differ on one code, with each coder's segments side by side.

A supervisor settling disagreements (the review screen, the Word report) needs to
see exactly the units the agreement table counted as b or c, so this reads them off
the same runs of decisions `coding.study_agreement` computes, never a second rule.
Character units are listed as stretches: the characters of one utterance in a row
that the same coders applied the code to.

A supervisor goes through the codes one after another, so the decisions of every
applicable code are made at the first call and kept, with the texts and segment rows
read, until the study changes (`coding.cache_state`).
"""

from __future__ import annotations

import weakref
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from coding.cache_state import change_key
from coding.segments import SegmentRow
from coding.study_agreement import (
    Coverage,
    IncludedDocument,
    UnitDecisions,
    select,
    unit_decisions,
)

if TYPE_CHECKING:
    from coding.study import Study


@dataclass(frozen=True)
class Disagreement:
    """One unit (or stretch of characters) that some coders applied the code to, others not."""

    document: str
    document_id: int
    unit_start: int
    unit_end: int
    text: str
    applied_by: list[str]
    missing: list[str]
    segments: dict[str, list[SegmentRow]]  # every coder, in the order given; [] if none
    # The session moment of the turn holding the unit (a recall's stop), to tell apart
    # places with the same words; None where the transcript gives no time.
    session_time: float | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "document": self.document,
            "unit_start": self.unit_start,
            "unit_end": self.unit_end,
            "session_time": self.session_time,
            "text": self.text,
            "applied_by": list(self.applied_by),
            "missing": list(self.missing),
            "segments": {
                coder: [row.to_json() for row in rows] for coder, rows in self.segments.items()
            },
        }


def disagreements(
    study: Study,
    coders: Sequence[str],
    code: str,
    unit: str = "sentence",
    documents: Sequence[str] | None = None,
) -> list[Disagreement]:
    """Units of the included documents where the coders differ on `code`, in text order.

    `code` may be a theme: a coder then applied it where they applied any code under it.
    """
    kept = _kept(study)
    decisions, row = kept.decisions(study, coders, code, unit, documents)
    names = [coder.name for coder in decisions.selection.coders]
    runs = decisions.runs
    appliers = runs.applied.sum(axis=1)
    differ = np.flatnonzero((runs.row == row) & (appliers > 0) & (appliers < len(names)))
    who = [
        [name for name, on in zip(names, applied, strict=True) if on]
        for applied in runs.applied[differ].tolist()
    ]
    listed: list[Disagreement] = []  # runs come in text order, and so do their pieces
    firsts: list[int] = []  # each one's global units [first, stop)
    stops: list[int] = []
    for place, doc, lo, hi in _places(decisions, differ):
        applied_by = who[place]
        missing = [name for name in names if name not in applied_by]
        text = kept.text(study, doc.info.id)
        for first, stop, start, end in doc.units.pieces(lo, hi, text):
            listed.append(Disagreement(
                document=doc.info.name,
                document_id=doc.info.id,
                unit_start=start,
                unit_end=end,
                text=text[start:end],
                applied_by=applied_by,
                missing=list(missing),
                segments={name: [] for name in names},
                session_time=kept.time_at(study, doc.info.id, start),
            ))
            firsts.append(doc.base + first)
            stops.append(doc.base + stop)
    covering = _covering(_row_coverage(decisions.coverage, row), firsts, stops)
    rows = kept.rows(study, {segment_id for ids in covering for segment_id in ids})
    for found, segment_ids in zip(listed, covering, strict=True):
        for segment_id in segment_ids:
            described = rows[segment_id]
            found.segments[described.coder].append(described)
    return listed


def _places(
    decisions: UnitDecisions, runs: np.ndarray
) -> Iterator[tuple[int, IncludedDocument, int, int]]:
    """(n, document, local units lo, hi) of each n-th of `runs`; a run crossing documents
    is placed in each."""
    bases = np.array([doc.base for doc in decisions.documents], dtype=np.int64)
    starts, stops = decisions.runs.start[runs], decisions.runs.stop[runs]
    first = np.searchsorted(bases, starts, side="right") - 1  # the document holding the start
    last = np.searchsorted(bases, stops - 1, side="right") - 1  # … and the last unit
    for n, (start, stop, at, end_at) in enumerate(
        zip(starts.tolist(), stops.tolist(), first.tolist(), last.tolist(), strict=True)
    ):
        if at == end_at:
            doc = decisions.documents[at]
            yield n, doc, start - doc.base, stop - doc.base
        else:
            for doc, lo, hi in decisions.documents_of(start, stop):
                yield n, doc, lo, hi


def _row_coverage(coverage: Coverage, row: int) -> Coverage:
    """The (segment, row) ranges of one row only."""
    mine = coverage.row == row
    return Coverage(*(values[mine] for values in (
        coverage.segment, coverage.coder, coverage.row, coverage.start, coverage.stop)))


def _covering(coverage: Coverage, firsts: list[int], stops: list[int]) -> list[list[int]]:
    """For each range [first, stop) of global units (disjoint, in order), the ids of the
    segments that cover any of its units, in coverage order.

    Each segment's ranges are found by two searches, not by testing every segment
    against every range.
    """
    first, stop = np.array(firsts, dtype=np.int64), np.array(stops, dtype=np.int64)
    lo = np.searchsorted(stop, coverage.start, side="right")  # ranges ending after it starts
    hi = np.searchsorted(first, coverage.stop, side="left")  # ranges starting before it ends
    count = np.maximum(hi - lo, 0)
    entry = np.repeat(np.arange(len(count)), count)
    offset = np.arange(len(entry)) - np.repeat(np.cumsum(count) - count, count)
    ranges = np.repeat(lo, count) + offset
    order = np.argsort(ranges, kind="stable")  # by range, each in coverage order
    ids = coverage.segment[entry[order]].tolist()
    bounds = np.searchsorted(ranges[order], np.arange(len(firsts) + 1)).tolist()
    return [ids[bounds[n] : bounds[n + 1]] for n in range(len(firsts))]


# -- what is kept between calls -----------------------------------------------------------------


@dataclass
class _Kept:
    """Decisions, texts and segment rows read at one state of a study."""

    state: tuple[int, ...]
    _decisions: dict[tuple, UnitDecisions] = field(default_factory=dict)
    _texts: dict[int, str] = field(default_factory=dict)
    _rows: dict[int, SegmentRow] = field(default_factory=dict)
    _turns: dict[int, tuple[list[int], list[float | None]]] = field(default_factory=dict)

    def decisions(
        self,
        study: Study,
        coders: Sequence[str],
        code: str,
        unit: str,
        documents: Sequence[str] | None,
    ) -> tuple[UnitDecisions, int]:
        """The decisions `code` is read from, and its row in them: those of every
        applicable code, or for a theme, its own."""
        key: tuple = (tuple(coders), unit, None if documents is None else tuple(documents))
        if key in self._decisions:  # the arguments were checked when it was made
            wanted = study.codebook.load().find(code)
        else:  # check every argument, in the order the agreement does
            wanted = select(study, coders, unit, [code], documents).rows[0]
        if not wanted.codable:
            key = (*key, wanted.id)
        if key not in self._decisions:
            self._decisions[key] = unit_decisions(
                study, coders, unit, None if wanted.codable else [code], documents
            )
        decisions = self._decisions[key]
        if not wanted.codable:
            return decisions, 0
        return decisions, [row.id for row in decisions.selection.rows].index(wanted.id)

    def text(self, study: Study, doc_id: int) -> str:
        if doc_id not in self._texts:
            self._texts[doc_id] = study.documents.text(doc_id)
        return self._texts[doc_id]

    def time_at(self, study: Study, doc_id: int, position: int) -> float | None:
        """The session time of the turn holding `position` (turns read once a document)."""
        if doc_id not in self._turns:
            turns = study.db.execute(
                "SELECT char_start, session_time FROM utterances WHERE document_id = ? "
                "ORDER BY idx", [doc_id]).fetchall()
            self._turns[doc_id] = ([start for start, _ in turns], [time for _, time in turns])
        starts, times = self._turns[doc_id]
        turn = bisect_right(starts, position) - 1
        return times[turn] if turn >= 0 else None

    def rows(self, study: Study, ids: set[int]) -> dict[int, SegmentRow]:
        """Readable rows of the segments with these ids (read once each)."""
        missing = sorted(ids - self._rows.keys())
        if missing:
            found = study.segments.described(ids=missing, text_of=lambda i: self.text(study, i))
            self._rows.update((segment.id, row) for segment, row in found)
        return self._rows


_KEPT: weakref.WeakKeyDictionary[Study, _Kept] = weakref.WeakKeyDictionary()


def _kept(study: Study) -> _Kept:
    """What is kept for the study, emptied first if the study changed since."""
    state = change_key(study)
    kept = _KEPT.get(study)
    if kept is None or kept.state != state:
        kept = _KEPT[study] = _Kept(state)
    return kept
