"""Supervisor review: which segments to look at, and approving or flagging them.

A supervisor narrows the study's segments down (a code with everything under it,
a coder, a perspective, a dyad, a review status, words in the text or memo) and
settles them one by one or in a batch. Reviews are undoable `History` actions and
only a supervisor may make them.

The review list is asked for again on every filter change and after every approval,
so each study keeps its segments described once (`_Listing`), document by document:
a document is read when a list first needs it, a change re-reads only the documents
whose segments the study's events name, and the filters run over the kept rows.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from coding.cache_state import change_key
from coding.errors import StudyError
from coding.history import ChangeSegment, review
from coding.segments import Segment, SegmentRow

if TYPE_CHECKING:
    from coding.coders import Coder
    from coding.study import Study


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
    code_ids = coder_id = document_id = None
    if wanted.code:
        book = study.codebook.load()
        code_ids = {code.id for code in book.descendants(book.find(wanted.code))}
    if wanted.coder:
        coder_id = study.coders.find(wanted.coder).id
    if wanted.document:
        document_id = study.documents.find(wanted.document).id
    needle = wanted.text.strip().casefold()
    found: list[ReviewRow] = []

    def chosen(place: _Place) -> bool:
        return (
            (document_id is None or place.id == document_id)
            and (not wanted.perspective or place.perspective == wanted.perspective)
            and (not wanted.dyad or place.dyad == wanted.dyad)
        )

    for kept in _listing(study).documents(study, chosen):
        rows = kept.rows
        if needle:
            rows = [r for r, words in zip(rows, kept.searchable(), strict=True) if needle in words]
        if code_ids is not None or coder_id is not None or wanted.status:
            rows = [
                r for r in rows
                if (code_ids is None or r.segment.code_id in code_ids)
                and (coder_id is None or r.segment.coder_id == coder_id)
                and (not wanted.status or r.segment.status == wanted.status)
            ]
        found.extend(rows)
    return found


@dataclass(frozen=True)
class _Place:
    """Where a document sits: what the document, dyad and perspective filters look at."""

    id: int
    dyad: str
    perspective: str


@dataclass
class _Document:
    """One document's segments, described, in reading order."""

    rows: list[ReviewRow]
    _searchable: list[str] | None = field(default=None, repr=False)

    def searchable(self) -> list[str]:
        """Each row's text, memo and review comment, case-folded (made on first search)."""
        if self._searchable is None:
            self._searchable = [
                "\n".join((r.row.text, r.row.memo, r.row.review_comment)).casefold()
                for r in self.rows
            ]
        return self._searchable


class _Listing:
    """A study's segments described once, kept per document, each read when first asked.

    The study's events say which documents' segments changed (a change to documents,
    codes or coders may rename anything, so it drops all). Whatever the events cannot
    tell is caught by the study's state, compared on every read (`change_key`): a
    rolled-back change, another connection's commit and, unless an announced change
    follows it, a write made behind the stores' back. A listing read inside an open
    transaction may hold what a rollback takes back, so it is not kept.
    """

    def __init__(self, study: Study) -> None:
        self._study = weakref.ref(study)  # the study keeps its listing, not the reverse
        self._lock = threading.Lock()
        self._state: tuple[int, ...] | None = None  # what the kept documents were read at
        self._places: list[_Place] = []  # every document, in reading order
        self._kept: dict[int, _Document] = {}
        study.events.segments.connect(self._segments_changed)
        study.events.documents.connect(self._everything_changed)
        study.events.codebook.connect(self._everything_changed)
        study.events.coders.connect(self._everything_changed)

    def documents(self, study: Study, chosen: Callable[[_Place], bool]) -> list[_Document]:
        """The chosen documents' segments, in reading order, up to date."""
        with self._lock:
            state = change_key(study)
            if state != self._state:
                self._places, self._kept = _places(study), {}
            wanted = [place.id for place in self._places if chosen(place)]
            missing = [doc_id for doc_id in wanted if doc_id not in self._kept]
            if missing:
                read = _read(study, None if len(missing) == len(self._places) else missing)
                self._kept.update((doc_id, read.get(doc_id, _Document([]))) for doc_id in missing)
            self._state = None if study.db.conn.in_transaction else state
            return [self._kept[doc_id] for doc_id in wanted]

    def _segments_changed(self, document_ids: frozenset[int]) -> None:
        if not document_ids:  # a bulk change that did not say where
            self._everything_changed()
            return
        with self._lock:
            for doc_id in document_ids:
                self._kept.pop(doc_id, None)
            study = self._study()
            if self._state is not None and study is not None:
                self._state = change_key(study)  # explained by what was just heard

    def _everything_changed(self) -> None:
        with self._lock:
            self._state = None


_LISTINGS: weakref.WeakKeyDictionary[Study, _Listing] = weakref.WeakKeyDictionary()
_LISTINGS_LOCK = threading.Lock()


def _listing(study: Study) -> _Listing:
    with _LISTINGS_LOCK:
        if study not in _LISTINGS:
            _LISTINGS[study] = _Listing(study)
        return _LISTINGS[study]


def _places(study: Study) -> list[_Place]:
    """Every document, in the order `SegmentStore.described` lists segments."""
    return [
        _Place(*row)
        for row in study.db.execute(
            "SELECT d.id, y.name, d.perspective FROM documents d JOIN dyads y ON y.id = d.dyad_id "
            "ORDER BY y.name, d.session, d.name"
        )
    ]


def _read(study: Study, document_ids: list[int] | None) -> dict[int, _Document]:
    """The segments of some documents (None: all) described, by document."""
    read: dict[int, _Document] = {}
    for segment, row in study.segments.described(documents=document_ids):
        read.setdefault(segment.document_id, _Document([])).rows.append(ReviewRow(segment, row))
    return read


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
