"""Supervisor review: which segments to look at, and approving or flagging them.

A supervisor narrows the study's segments down (a code with everything under it,
a coder, a perspective, a dyad, a review status, words in the text or memo) and
settles them one by one or in a batch. Filtering runs in SQL except the text
match, which needs each segment's text; reviews are undoable `History` actions
and only a supervisor may make them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

from coding.errors import StudyError
from coding.history import ChangeSegment, review
from coding.segments import Segment, SegmentRow

if TYPE_CHECKING:
    from coding.coders import Coder
    from coding.study import Study

_DESCRIBE_CHUNK = 10_000  # ids per `segments.rows` call, well under SQLite's variable limit
_SEGMENT_COLUMNS = ", ".join(f's."{field.name}"' for field in fields(Segment))


@dataclass(frozen=True)
class ReviewFilter:
    """What to show; every field left empty means "any"."""

    code: str | None = None  # a code or theme path; a theme takes in its descendants
    coder: str | None = None
    perspective: str | None = None
    dyad: str | None = None
    status: str | None = None
    text: str = ""  # words in the segment's text, memo or review comment (any case)
    document: str | None = None


@dataclass(frozen=True)
class ReviewRow:
    """A segment as stored (ids, review time) and as read (names, text, speaker)."""

    segment: Segment
    row: SegmentRow

    @property
    def uuid(self) -> str:
        return self.segment.uuid


def review_rows(study: Study, wanted: ReviewFilter = ReviewFilter()) -> list[ReviewRow]:
    """The segments that pass every filter, by dyad, session, document and position."""
    where, params = _conditions(study, wanted)
    sql = (
        f"SELECT {_SEGMENT_COLUMNS} FROM segments s "
        "JOIN documents d ON d.id = s.document_id JOIN dyads y ON y.id = d.dyad_id "
        "JOIN coders c ON c.id = s.coder_id"
        + (" WHERE " + " AND ".join(where) if where else "")
        + ' ORDER BY y.name, d.session, d.name, s.start, s."end", c.name, s.id'
    )
    segments = [Segment(*row) for row in study.db.execute(sql, params)]
    found = []
    for first in range(0, len(segments), _DESCRIBE_CHUNK):
        chunk = segments[first : first + _DESCRIBE_CHUNK]
        described = {row.id: row for row in study.segments.rows(segments=chunk)}
        found.extend(ReviewRow(segment, described[segment.uuid]) for segment in chunk)
    needle = wanted.text.strip().casefold()
    if needle:
        found = [r for r in found if needle in _searchable(r.row)]
    return found


def _conditions(study: Study, wanted: ReviewFilter) -> tuple[list[str], list[Any]]:
    where: list[str] = []
    params: list[Any] = []
    if wanted.code:
        book = study.codebook.load()
        ids = [code.id for code in book.descendants(book.find(wanted.code))]
        where.append(f"s.code_id IN ({','.join('?' * len(ids))})")
        params.extend(ids)
    if wanted.coder:
        where.append("s.coder_id = ?")
        params.append(study.coders.find(wanted.coder).id)
    if wanted.document:
        where.append("s.document_id = ?")
        params.append(study.documents.find(wanted.document).id)
    for column, value in (
        ("d.perspective", wanted.perspective),
        ("y.name", wanted.dyad),
        ("s.status", wanted.status),
    ):
        if value:
            where.append(f"{column} = ?")
            params.append(value)
    return where, params


def _searchable(row: SegmentRow) -> str:
    return "\n".join((row.text, row.memo, row.review_comment)).casefold()


# -- reviewing -------------------------------------------------------------------------


def require_supervisor(coder: Coder | None, doing: str = "review segments") -> Coder:
    """The coder, when they may act as a supervisor; otherwise a clear refusal."""
    if coder is None:
        raise StudyError(f"say who you are before you {doing}")
    if coder.role != "supervisor":
        raise StudyError(
            f"only a supervisor can {doing}; {coder.name} is a {coder.role} in this study"
        )
    return coder


@dataclass
class ReviewSegments:
    """Approve, flag or reset several segments as one undoable step."""

    changes: list[ChangeSegment]
    label: str

    def apply(self, study: Study) -> None:
        for change in self.changes:
            change.apply(study)

    def revert(self, study: Study) -> None:
        for change in reversed(self.changes):
            change.revert(study)


def review_segments(
    segments: Sequence[Segment], status: str, reviewer: Coder, comment: str = ""
) -> ReviewSegments:
    """One action setting `status` (with who, when and the comment) on every segment."""
    require_supervisor(reviewer)
    if not segments:
        raise StudyError("choose at least one segment to review")
    if status == "flagged" and not comment.strip():
        raise StudyError("say why you flag the segment (the coder will read the comment)")
    changes = [review(segment, status, reviewer, comment) for segment in segments]
    count = f"{len(segments)} segments" if len(segments) > 1 else "segment"
    verb = {"approved": "Approve", "flagged": "Flag", "pending": "Reset"}.get(status, "Review")
    return ReviewSegments(changes, f"{verb} {count}")
