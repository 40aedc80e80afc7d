"""The consensus layer: the coding a supervisor settles on from the coders' work.

It lives under the reserved consensus coder (`study.coders.consensus()`). A
supervisor accepts one coder's segment into it, merges two coders' segments
(their spans joined, the code they choose), or draws a new one. Each is an
undoable `History` action; the new segment is marked approved by that
supervisor with a note of where it came from, so who and when are kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from coding.errors import StudyError
from coding.history import ApplyCode
from coding.review import require_supervisor
from coding.segments import Segment, review_fields

if TYPE_CHECKING:
    from coding.codebook import Code
    from coding.coders import Coder
    from coding.study import Study


@dataclass
class AddToConsensus(ApplyCode):
    """Code a span in the consensus layer, approved by the supervisor who decided it."""

    supervisor: Coder | None = None
    note: str = ""

    def __post_init__(self) -> None:
        self.label = f"{self.note} ({self.code.name})"

    def apply(self, study: Study) -> None:
        first_time = self.segment is None
        super().apply(study)
        if first_time:
            assert self.segment is not None and self.supervisor is not None
            self.segment = study.segments.update_fields(
                self.segment, review_fields("approved", self.supervisor, self.note)
            )


def accept(study: Study, segment: Segment, supervisor: Coder) -> AddToConsensus:
    """Take one coder's segment into the consensus layer as it is."""
    source = _coder_name(study, segment)
    return _add(
        study, segment.document_id, segment.start, segment.end,
        study.codebook.load().by_id[segment.code_id], supervisor, segment.memo,
        f"Accept {source}'s segment",
    )


def merge(
    study: Study, first: Segment, second: Segment, code: Code, supervisor: Coder
) -> AddToConsensus:
    """One consensus segment spanning both coders' segments, with the code chosen."""
    if first.document_id != second.document_id:
        raise StudyError("only segments of the same document can be merged")
    names = " and ".join(dict.fromkeys((_coder_name(study, first), _coder_name(study, second))))
    memo = "\n".join(dict.fromkeys(m for m in (first.memo, second.memo) if m))
    return _add(
        study, first.document_id, min(first.start, second.start), max(first.end, second.end),
        code, supervisor, memo, f"Merge {names}'s segments",
    )


def draw(
    study: Study, document_id: int, start: int, end: int, code: Code, supervisor: Coder,
    memo: str = "",
) -> AddToConsensus:
    """A consensus segment of the supervisor's own, where no coder's fits."""
    return _add(study, document_id, start, end, code, supervisor, memo, "Draw consensus segment")


def consensus_segments(study: Study, document_id: int) -> list[Segment]:
    """The consensus layer of one document, in text order."""
    return study.segments.for_document(document_id, [study.coders.consensus().id])


def _add(
    study: Study, document_id: int, start: int, end: int, code: Code, supervisor: Coder,
    memo: str, note: str,
) -> AddToConsensus:
    require_supervisor(supervisor, "build the consensus layer")
    layer = study.coders.consensus()
    for existing in study.segments.for_document(document_id, [layer.id]):
        if (existing.start, existing.end, existing.code_id) == (start, end, code.id):
            raise StudyError(f"the consensus layer already has this {code.name!r} segment")
    return AddToConsensus(
        document_id, start, end, code, layer, memo, supervisor=supervisor, note=note
    )


def _coder_name(study: Study, segment: Segment) -> str:
    names = {coder.id: coder.name for coder in study.coders.list()}
    return names.get(segment.coder_id, "?")


def shared_spans(first: Sequence[Segment], second: Sequence[Segment]) -> list[tuple[int, int, int]]:
    """Where two coders' segments of the same code overlap, as (start, end, code id).

    What both coders saw in a passage, character by character; joined where
    overlaps touch, in text order.
    """
    found: list[tuple[int, int, int]] = []
    for code_id in {s.code_id for s in first} & {s.code_id for s in second}:
        pieces = sorted(
            (max(a.start, b.start), min(a.end, b.end))
            for a in first if a.code_id == code_id
            for b in second if b.code_id == code_id and a.start < b.end and b.start < a.end
        )
        merged: list[list[int]] = []
        for start, end in pieces:
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        found.extend((start, end, code_id) for start, end in merged)
    return sorted(found)
