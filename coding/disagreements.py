"""The units where coders differ on one code, with each coder's segments side by side.

A supervisor settling disagreements (the review screen, the Word report) needs to
see exactly the units the agreement table counted as b or c, so this reads them off
the same runs of decisions `coding.study_agreement` computes, never a second rule.
Character units are listed as stretches: the characters of one utterance in a row
that the same coders applied the code to.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from coding.segments import SegmentRow
from coding.study_agreement import UnitDecisions, unit_decisions

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

    def to_json(self) -> dict[str, Any]:
        return {
            "document": self.document,
            "unit_start": self.unit_start,
            "unit_end": self.unit_end,
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
    decisions = unit_decisions(study, coders, unit, [code], documents)
    names = [coder.name for coder in decisions.selection.coders]
    runs = decisions.runs
    appliers = runs.applied.sum(axis=1)
    listed: list[tuple[Disagreement, list[int]]] = []  # runs come in text order
    for run in np.flatnonzero((appliers > 0) & (appliers < len(names))):
        applied_by = [name for name, on in zip(names, runs.applied[run], strict=True) if on]
        for doc, lo, hi in decisions.documents_of(int(runs.start[run]), int(runs.stop[run])):
            text = study.documents.text(doc.info.id)
            for first, stop, start, end in doc.units.pieces(lo, hi, text):
                found = Disagreement(
                    document=doc.info.name,
                    document_id=doc.info.id,
                    unit_start=start,
                    unit_end=end,
                    text=text[start:end],
                    applied_by=applied_by,
                    missing=[name for name in names if name not in applied_by],
                    segments={name: [] for name in names},
                )
                listed.append((found, _covering(decisions, doc.base + first, doc.base + stop)))
    rows = _segment_rows(study, decisions, listed)
    for found, segment_ids in listed:
        for segment_id in segment_ids:
            row = rows[segment_id]
            found.segments[row.coder].append(row)
    return [found for found, _ in listed]


def _covering(decisions: UnitDecisions, start: int, stop: int) -> list[int]:
    """Ids of the segments that cover any of the global units [start, stop)."""
    coverage = decisions.coverage
    hit = (coverage.start < stop) & (coverage.stop > start)
    return [int(s) for s in coverage.segment[hit]]


def _segment_rows(
    study: Study, decisions: UnitDecisions, listed: list[tuple[Disagreement, list[int]]]
) -> dict[int, SegmentRow]:
    """The listed segments as readable rows (coder, code path, text, speaker), by id."""
    wanted_ids = {segment_id for _, ids in listed for segment_id in ids}
    coder_ids = [coder.id for coder in decisions.selection.coders]
    wanted = [
        segment
        for doc_id in dict.fromkeys(found.document_id for found, _ in listed)
        for segment in study.segments.for_document(doc_id, coder_ids)
        if segment.id in wanted_ids
    ]
    if not wanted:
        return {}
    by_uuid = {row.id: row for row in study.segments.rows(segments=wanted)}
    return {segment.id: by_uuid[segment.uuid] for segment in wanted}
