"""Coded segments: apply, remove, recode, memo and review, each one transaction."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, fields, replace
from typing import TYPE_CHECKING, Any

from coding.codebook import Code
from coding.coders import Coder
from coding.errors import StudyError

if TYPE_CHECKING:
    from coding.study import Study

STATUSES = ("pending", "approved", "flagged")


@dataclass(frozen=True)
class Segment:
    """One coded span: a code applied by a coder to code points [start, end) of a document."""

    id: int
    uuid: str
    document_id: int
    coder_id: int
    code_id: int
    start: int
    end: int
    memo: str = ""
    created_at: str = ""
    status: str = "pending"
    reviewer_id: int | None = None
    review_comment: str = ""
    reviewed_at: str | None = None


@dataclass(frozen=True)
class SegmentRow:
    """A segment with everything a reader needs (the `segments` JSON/CSV fields)."""

    id: str
    document: str
    dyad: str
    session: int
    perspective: str
    coder: str
    code: str
    start: int
    end: int
    text: str
    speaker: str | None
    role: str | None
    session_time: float | None
    memo: str
    status: str
    created_at: str
    reviewer: str | None
    review_comment: str

    FIELDS = (
        "id", "document", "dyad", "session", "perspective", "coder", "code", "start", "end",
        "text", "speaker", "role", "session_time", "memo", "status",
    )

    def to_json(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.FIELDS}


@dataclass(frozen=True)
class NewSegment:
    """A segment to add by names (as in a CSV row), with where it came from for errors."""

    coder: str
    document: str
    start: Any
    end: Any
    code: str
    memo: str = ""
    where: str = ""


class SegmentStore:
    def __init__(self, study: Study) -> None:
        self._study = study

    # -- changes ---------------------------------------------------------------

    def add(
        self,
        document_id: int,
        start: int,
        end: int,
        code: Code,
        coder: Coder | str,
        memo: str = "",
        *,
        uuid: str | None = None,
        created_at: str | None = None,
    ) -> Segment:
        """Code [start, end) of a document; the span must hold a non-whitespace character."""
        from coding.study import new_uuid, utc_now

        self._check_span(document_id, start, end)
        check_codable(code)
        with self._study.transaction() as db:
            if isinstance(coder, str):
                coder = self._study.coders.get_or_create(coder)
            segment_id = db.execute(
                """INSERT INTO segments (uuid, document_id, coder_id, code_id, start, "end",
                       memo, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
                [uuid or new_uuid(), document_id, coder.id, code.id, start, end,
                 memo.strip(), created_at or utc_now()],
            ).lastrowid
            self._study.notify("segments", [document_id])
        return self.get(segment_id)

    def add_many(self, new: Iterable[NewSegment]) -> list[Segment]:
        """Add segments given by names, all in one transaction; errors say which row."""
        added = []
        book = self._study.codebook.load()
        with self._study.transaction():
            for item in new:
                prefix = f"{item.where}: " if item.where else ""
                try:
                    document = self._study.documents.find(item.document)
                    start, end = _as_int(item.start, "start"), _as_int(item.end, "end")
                    added.append(
                        self.add(document.id, start, end, book.find(item.code), item.coder,
                                 item.memo or "")
                    )
                except StudyError as exc:
                    raise StudyError(prefix + str(exc)) from None
        return added

    def restore(self, segment: Segment) -> Segment:
        """Put back a removed segment exactly as it was (same uuid), e.g. for undo."""
        with self._study.transaction() as db:
            values = {k: v for k, v in segment.__dict__.items() if k != "id"}
            segment_id = db["segments"].insert(values).last_pk
            self._study.notify("segments", [segment.document_id])
        return self.get(segment_id)

    def remove(self, segment: Segment) -> None:
        with self._study.transaction() as db:
            db.execute("DELETE FROM segments WHERE id = ?", [segment.id])
            self._study.notify("segments", [segment.document_id])

    def recode(self, segment: Segment, code: Code) -> Segment:
        check_codable(code)
        return self.update_fields(segment, {"code_id": code.id})

    def set_memo(self, segment: Segment, memo: str) -> Segment:
        return self.update_fields(segment, {"memo": memo.strip()})

    def set_span(self, segment: Segment, start: int, end: int) -> Segment:
        return self.update_fields(segment, {"start": start, "end": end})

    def review(
        self, segment: Segment, status: str, reviewer: Coder, comment: str = ""
    ) -> Segment:
        """A supervisor approves or flags a segment (or sets it back to pending)."""
        return self.update_fields(segment, review_fields(status, reviewer, comment))

    def update_fields(self, segment: Segment, values: dict[str, Any]) -> Segment:
        """Change some of a segment's own columns (span checked against the text)."""
        unknown = set(values) - _EDITABLE
        if unknown:
            raise StudyError(f"segment field(s) {', '.join(sorted(unknown))} cannot be changed")
        if "start" in values or "end" in values:
            self._check_span(
                segment.document_id, values.get("start", segment.start),
                values.get("end", segment.end),
            )
        with self._study.transaction() as db:
            db["segments"].update(segment.id, values)
            self._study.notify("segments", [segment.document_id])
        return replace(segment, **values)

    # -- reading ---------------------------------------------------------------------

    def get(self, segment_id: int) -> Segment:
        rows = self._study.query(f"SELECT {_COLUMNS} FROM segments WHERE id = ?", [segment_id])
        if not rows:
            raise StudyError(f"no segment with id {segment_id}")
        return Segment(*rows[0])

    def find(self, uuid: str) -> Segment:
        rows = self._study.query(f"SELECT {_COLUMNS} FROM segments WHERE uuid = ?", [uuid])
        if not rows:
            raise StudyError(f"no segment with id {uuid}")
        return Segment(*rows[0])

    def for_document(
        self, document_id: int, coder_ids: Sequence[int] | None = None
    ) -> list[Segment]:
        """A document's segments in text order, optionally of some coders only."""
        sql = f"SELECT {_COLUMNS} FROM segments WHERE document_id = ?"
        params: list[Any] = [document_id]
        if coder_ids is not None:
            sql += f" AND coder_id IN ({','.join('?' * len(coder_ids))})"
            params.extend(coder_ids)
        rows = self._study.db.execute(sql + " ORDER BY start, id", params)
        return [Segment(*row) for row in rows]

    def counts(self) -> dict[tuple[int, int], int]:
        """How many segments each (code id, coder id) pair has, across the study."""
        return {
            (code_id, coder_id): count
            for code_id, coder_id, count in self._study.db.execute(
                "SELECT code_id, coder_id, COUNT(*) FROM segments GROUP BY code_id, coder_id"
            )
        }

    def with_codes(self, code_ids: Sequence[int]) -> list[Segment]:
        marks = ",".join("?" * len(code_ids))
        return [
            Segment(*row)
            for row in self._study.db.execute(
                f"SELECT {_COLUMNS} FROM segments WHERE code_id IN ({marks}) ORDER BY id",
                list(code_ids),
            )
        ]

    def rows(
        self,
        *,
        coder: str | None = None,
        code: str | None = None,
        document: str | None = None,
        segments: Sequence[Segment] | None = None,
    ) -> list[SegmentRow]:
        """Segments with document, coder, code path, text and speaker filled in.

        `code` selects a code or theme with everything under it.
        """
        where, params = [], []
        if coder is not None:
            where.append("s.coder_id = ?")
            params.append(self._study.coders.find(coder).id)
        if document is not None:
            where.append("s.document_id = ?")
            params.append(self._study.documents.find(document).id)
        if code is not None:
            book = self._study.codebook.load()
            ids = [c.id for c in book.descendants(book.find(code))]
            where.append(f"s.code_id IN ({','.join('?' * len(ids))})")
            params.extend(ids)
        if segments is not None:
            where.append(_ANY_ID)
            params.append(json.dumps([s.id for s in segments]))
        return [row for _, row in self._read(where, params, with_segments=False)]

    def described(
        self,
        *,
        documents: Iterable[int] | None = None,
        ids: Iterable[int] | None = None,
        text_of: Callable[[int], str] | None = None,
    ) -> list[tuple[Segment, SegmentRow]]:
        """Segments (of some documents, or with some ids) each with its readable row,
        in reading order: by dyad, session, document, position and coder.

        `text_of` gives a document's text by id, for a caller that keeps texts already
        read; by default each document met is read once.
        """
        where, params = [], []
        if documents is not None:
            where.append(_ANY_DOCUMENT)
            params.append(json.dumps(list(documents)))
        if ids is not None:
            where.append(_ANY_ID)
            params.append(json.dumps(list(ids)))
        return self._read(where, params, with_segments=True, text_of=text_of)

    def _read(
        self,
        where: list[str],
        params: list[Any],
        *,
        with_segments: bool,
        text_of: Callable[[int], str] | None = None,
    ) -> list[tuple[Segment | None, SegmentRow]]:
        """One query names everything and finds each segment's first utterance (an index
        search on utterances' ends); Python only slices the text."""
        sql = _ROWS_SQL + (" WHERE " + " AND ".join(where) if where else "") + _ROWS_ORDER
        paths = {code.id: code.path for code in self._study.codebook.load().walk()}
        text_of = text_of or self._study.documents.text
        found: list[tuple[Segment | None, SegmentRow]] = []
        document_id, text = None, ""
        for record in self._study.db.execute(sql, params):
            (_, uuid, doc_id, _, code_id, start, end, memo, created_at, status, _, comment, _,
             document, dyad, session, perspective, coder, reviewer, speaker, role, time) = record
            if doc_id != document_id:
                document_id, text = doc_id, text_of(doc_id)
            row = SegmentRow(
                uuid, document, dyad, session, perspective, coder, paths[code_id], start, end,
                text[start:end], speaker, role, time, memo, status, created_at, reviewer, comment,
            )
            found.append((Segment(*record[:_SEGMENT_FIELDS]) if with_segments else None, row))
        return found

    def _check_span(self, document_id: int, start: Any, end: Any) -> None:
        document = self._study.documents.get(document_id)
        if not (isinstance(start, int) and isinstance(end, int)):
            raise StudyError(f"segment start and end must be whole numbers, not {start!r}, {end!r}")
        if not 0 <= start < end <= document.chars:
            raise StudyError(
                f"segment {start}–{end} is outside document {document.name!r} "
                f"(it needs 0 ≤ start < end ≤ {document.chars})"
            )
        if not self._study.documents.text(document_id)[start:end].strip():
            raise StudyError(
                f"segment {start}–{end} of {document.name!r} holds only whitespace (spaces or "
                "line breaks); a segment must take in at least one visible character"
            )


def review_fields(status: str, reviewer: Coder, comment: str = "") -> dict[str, Any]:
    """The columns a review sets: status, who reviewed, their comment, and when."""
    from coding.study import utc_now

    if status not in STATUSES:
        raise StudyError(f"review status must be one of {', '.join(STATUSES)}, not {status!r}")
    return {
        "status": status,
        "reviewer_id": reviewer.id,
        "review_comment": comment.strip(),
        "reviewed_at": utc_now(),
    }


def check_codable(code: Code) -> None:
    if not code.codable:
        raise StudyError(f"{code.path!r} is a theme and cannot be applied; apply one of its codes")


def _as_int(value: Any, what: str) -> int:
    try:
        return int(str(value).strip())
    except ValueError:
        raise StudyError(f"{what} must be a whole number, not {value!r}") from None


_EDITABLE = {
    "code_id", "memo", "start", "end", "status", "reviewer_id", "review_comment", "reviewed_at",
}
_COLUMNS = (
    'id, uuid, document_id, coder_id, code_id, start, "end", memo, created_at, status, '
    "reviewer_id, review_comment, reviewed_at"
)
_SEGMENT_FIELDS = len(fields(Segment))
_ROWS_SQL = f"""
SELECT {", ".join(f"s.{column.strip()}" for column in _COLUMNS.split(","))},
       d.name, y.name, d.session, d.perspective, c.name, r.name,
       u.speaker, u.role, u.session_time
FROM segments s
JOIN documents d ON d.id = s.document_id
JOIN dyads y ON y.id = d.dyad_id
JOIN coders c ON c.id = s.coder_id
LEFT JOIN coders r ON r.id = s.reviewer_id
LEFT JOIN utterances u ON u.id = (
    SELECT v.id FROM utterances v WHERE v.document_id = s.document_id AND v.char_end > s.start
    ORDER BY v.char_end LIMIT 1) AND u.char_start < s."end"
"""  # u: the first utterance ending after the segment starts, if the segment reaches into it
_ROWS_ORDER = " ORDER BY y.name, d.session, d.name, s.start, s.\"end\", c.name, s.id"
_ANY_ID = "s.id IN (SELECT value FROM json_each(?))"  # any number of ids, one parameter
_ANY_DOCUMENT = "s.document_id IN (SELECT value FROM json_each(?))"
