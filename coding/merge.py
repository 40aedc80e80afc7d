"""Merging another copy of a study into this one, by UUID and never by name.

Coders code blind in their own copies; a supervisor merges the copies back into
one master. The same machinery brings in a REFI-QDA project (`exports.refi`),
which is first read into the same `Incoming` shape.

The rules, in one place:

- A copy shares ids with the master; a study created apart shares none, and
  is refused (`merge_study`) rather than bringing a second codebook in.
- Coders, codes, documents and segments are matched by UUID only. Something
  whose UUID the master lacks is added; something whose UUID it has is kept as
  the master has it.
- Same UUID, different content (a code renamed differently or moved, a segment
  with another span, code or memo, a document with another text or placement)
  is a **conflict**: reported, never guessed; the master's version stays.
  Text fields and colours of a code are compared only where the other side
  has a value (REFI-QDA tools often export no definitions).
- A new coder, code or document whose name is already taken in the master by a
  *different* UUID is added under a free name ("Fear (2)") and reported as a
  conflict: both survive, nothing is silently folded together (the supervisor
  can merge the two codes afterwards, with undo). A new code whose shortcut
  key is taken comes in without one.
- Segments of a document whose text differs from the master's cannot be placed
  and are skipped (reported); so are segments whose code, coder or document is
  unknown, whose code is a theme in the master, or whose span does not fit.
- A study has one consensus layer (the coder flagged as it): the other copy's
  layer folds into the master's, skipping (and reporting) a segment the master's
  layer already holds with the same document, span and code. A plain coder
  named as the layer ("consensus", any case) comes in renamed, "consensus (2)",
  and reported, since the name is reserved.
- Dyads are matched by UUID, then by name (a dyad's name is its id, given with
  `--dyad` in each copy).
- A segment of the master that the copy no longer holds, though the copy has a
  later one of that coder (`coding.merge_removed`), is reported and kept:
  removals are not guessed at either.
- Review status and comments come in with a new segment; on an existing one
  they are the master's (a difference there is not reported).
- All of it is one transaction, so a merge is wholly there or wholly absent;
  running it again adds nothing (the report says 0 added), though standing
  conflicts are reported again.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coding.codebook import Code, CodeSpec, join_path
from coding.coders import CODER_ROLES, CONSENSUS_NAME
from coding.documents import ImportItem
from coding.errors import StudyError
from coding.merge_removed import removed_in_copy
from coding.merge_types import (
    Conflict,
    Incoming,
    IncomingCoder,
    IncomingDocument,
    IncomingDone,
    IncomingSegment,
    MergeReport,
    plural,
)
from coding.storage_errors import guard
from transcripts.model import Transcript
from transcripts.progress import Progress, report

if TYPE_CHECKING:
    from coding.study import Study

_TEXT_FIELDS = ("definition", "inclusion", "exclusion", "example", "color")


# -- entry points ----------------------------------------------------------------


def merge_study(master: Study, other_path: str | Path, progress: Progress | None = None
                ) -> MergeReport:
    """Bring another copy's coders, codebook additions, documents, segments and memos in."""
    from coding.study import Study

    other_path = Path(other_path)
    if not other_path.exists():  # (opening would offer to create it: an empty copy)
        raise StudyError(f"the copy to merge, {other_path}, does not exist; check the name "
                         "and folder of the file the coder sent")
    if other_path.resolve() == Path(master.path).resolve():
        raise StudyError(f"{other_path} is the study itself; choose another copy to merge")
    with Study.open(other_path, writable=False) as other:
        with guard(other.path):  # a damaged copy is named as the copy, not the master
            incoming = read_study(other)
        _check_is_copy(master, incoming)
        master.backup("before-merge")  # a merge is one transaction, but not an undoable one
        return merge_incoming(master, incoming, progress)


def read_study(study: Study) -> Incoming:
    """A study's content as `Incoming` (documents' transcripts read while it is open)."""
    incoming = Incoming(label=Path(study.path).name)
    incoming.coders = [
        IncomingCoder(c.uuid, c.name, c.role, c.consensus) for c in study.coders.list()
    ]
    incoming.codes = study.codebook.load().to_specs()
    rows = study.query(
        """SELECT d.id, d.uuid, d.name, d.session, d.perspective, d.text, d.source, d.format,
                  y.name AS dyad, y.uuid AS dyad_uuid
           FROM documents d JOIN dyads y ON y.id = d.dyad_id ORDER BY d.id"""
    )
    for row in rows:
        incoming.documents.append(
            IncomingDocument(
                uuid=row["uuid"], name=row["name"], dyad=row["dyad"], session=row["session"],
                perspective=row["perspective"], text=row["text"],
                transcript=_stored_transcript(study, row), dyad_uuid=row["dyad_uuid"],
            )
        )
    for row in study.query(
        """SELECT s.uuid, d.uuid AS document, c.uuid AS coder, k.uuid AS code, s.start,
                  s."end", s.memo, s.created_at, s.status, r.uuid AS reviewer,
                  s.review_comment, s.reviewed_at
           FROM segments s JOIN documents d ON d.id = s.document_id
           JOIN coders c ON c.id = s.coder_id JOIN codes k ON k.id = s.code_id
           LEFT JOIN coders r ON r.id = s.reviewer_id ORDER BY s.id"""
    ):
        incoming.segments.append(
            IncomingSegment(
                uuid=row["uuid"], document_uuid=row["document"], coder_uuid=row["coder"],
                code_uuid=row["code"], start=row["start"], end=row["end"], memo=row["memo"],
                created_at=row["created_at"], status=row["status"],
                reviewer_uuid=row["reviewer"], review_comment=row["review_comment"],
                reviewed_at=row["reviewed_at"],
            )
        )
    incoming.done = [
        IncomingDone(row["coder"], row["document"], row["done_at"])
        for row in study.query(
            """SELECT c.uuid AS coder, d.uuid AS document, m.done_at FROM coded_documents m
               JOIN coders c ON c.id = m.coder_id JOIN documents d ON d.id = m.document_id"""
        )
    ]
    return incoming


def _check_is_copy(master: Study, incoming: Incoming) -> None:
    """Refuse a study that shares no id with the master: it was made apart, not copied.

    Matched by UUID, every code and document of such a study would come in a
    second time beside the master's ("Safety (2)", "D01-S1-session (2)"), and a
    merge cannot be undone. A master with no documents and no codes has nothing
    to duplicate, so anything may come into it.
    """
    ours = {
        row[0] for table in ("documents", "codes", "coders")
        for row in master.db.execute(f"SELECT uuid FROM {table}")
    }
    theirs = {
        *(document.uuid for document in incoming.documents),
        *(uuid for uuid, _ in _spec_paths(incoming.codes, [])),
        *(coder.uuid for coder in incoming.coders),
    }
    here = master.db.execute(
        "SELECT (SELECT count(*) FROM documents) + (SELECT count(*) FROM codes)").fetchone()[0]
    there = len(incoming.documents) + len(incoming.codes)
    if here and there and not ours & theirs:
        study = Path(master.path).name
        raise StudyError(
            f"{incoming.label} is not a copy of {study}: it shares no document, code or coder "
            f"with it (it was created separately, not copied from {study}), so each of its "
            "codes and documents would come in a second time under another name; nothing was "
            f"merged. Coders code in copies of {study} itself"
        )


def _stored_transcript(study: Study, row: Any) -> Callable[[], Transcript]:
    def build() -> Transcript:
        doc_id = row["id"]
        with guard(study.path):  # read inside the master's transaction; a failure is the copy's
            return Transcript(
                text=row["text"],
                utterances=study.documents.utterances(doc_id),
                stops=study.documents.stops(doc_id),
                speakers=study.documents.get(doc_id).speakers,
                source=row["source"],
                format=row["format"],
            )

    return build


def merge_incoming(master: Study, incoming: Incoming, progress: Progress | None = None
                   ) -> MergeReport:
    """Apply `incoming` to the master in one transaction (see the module's rules)."""
    merger = _Merger(master, incoming, progress)
    with master.transaction():
        merger.run()
    return merger.report


# -- the work ----------------------------------------------------------------------


class _Merger:
    def __init__(self, master: Study, incoming: Incoming, progress: Progress | None) -> None:
        self.master = master
        self.incoming = incoming
        self.progress = progress
        self.report = MergeReport(incoming.label)
        self.coder_ids: dict[str, int] = {}
        self.known_coders: set[str] = set()
        self.consensus_id: int | None = None  # the master's consensus layer
        self.document_ids: dict[str, int | None] = {}  # None: text differs, not placeable
        self.texts: dict[int, str] = {}
        self.document_names = {d.uuid: d.name for d in incoming.documents}
        self.coder_names = {c.uuid: c.name for c in incoming.coders}
        self.code_paths = dict(_spec_paths(incoming.codes, []))

    def conflict(self, kind: str, uuid: str, message: str) -> None:
        self.report.conflicts.append(Conflict(kind, uuid, message))

    def run(self) -> None:
        report(self.progress, 0.0, "merging coders")
        self._coders()
        report(self.progress, 0.05, "merging the codebook")
        self._codes(self.incoming.codes, None, [])
        self._documents()
        report(self.progress, 0.9, "merging coded segments")
        self._segments()
        self._done()
        report(self.progress, 1.0, "saving")

    # coders ---------------------------------------------------------------------

    def _coders(self) -> None:
        rows = self.master.query("SELECT id, uuid, name, role, consensus FROM coders")
        by_uuid = {row["uuid"]: row for row in rows}
        self.known_coders = set(by_uuid)  # the master's own, before any come in
        self.coder_ids.update({row["uuid"]: row["id"] for row in rows})
        taken = {row["name"].casefold() for row in rows}
        self.consensus_id = next((row["id"] for row in rows if row["consensus"]), None)
        label = self.incoming.label
        for coder in self.incoming.coders:
            existing = by_uuid.get(coder.uuid)
            if existing is not None:
                self.coder_ids[coder.uuid] = existing["id"]
                if existing["name"] != coder.name:
                    self.conflict("coder", coder.uuid,
                                  f"coder {existing['name']!r} is named {coder.name!r} in "
                                  f"{label}; kept {existing['name']!r}")
                continue
            if coder.consensus and self.consensus_id is not None:
                self.coder_ids[coder.uuid] = self.consensus_id  # a study has one agreed coding
                continue
            reserved = set() if coder.consensus else {CONSENSUS_NAME.casefold()}
            name = free_name(coder.name, taken | reserved)
            if coder.name.casefold() in reserved:
                self.conflict("coder", coder.uuid,
                              f"coder {coder.name!r} from {label}: {CONSENSUS_NAME!r} is the "
                              f"consensus layer's name, not a coder's; added as {name!r}")
            elif name != coder.name:
                self.conflict("coder", coder.uuid,
                              f"coder {coder.name!r} from {label} is a different coder (another "
                              f"id) than {coder.name!r} here; added as {name!r}")
            role = "supervisor" if coder.consensus else (
                coder.role if coder.role in CODER_ROLES else "coder")
            self.coder_ids[coder.uuid] = self.master.db.execute(
                "INSERT INTO coders (uuid, name, role, consensus) VALUES (?, ?, ?, ?)",
                [coder.uuid, name, role, int(coder.consensus)],
            ).lastrowid
            if coder.consensus:
                self.consensus_id = self.coder_ids[coder.uuid]
            taken.add(name.casefold())
            self.report.coders_added += 1
            self.master.notify("coders")

    # codebook ---------------------------------------------------------------------

    def _codes(self, specs: Sequence[CodeSpec], parent_uuid: str | None, names: list[str]
               ) -> None:
        for spec in specs:
            path = join_path([*names, spec.name])
            if not spec.uuid:
                raise StudyError(f"code {path!r} has no id; it cannot be merged")
            book = self.master.codebook.load()
            existing = book.by_uuid.get(spec.uuid)
            if existing is not None:
                self._compare_code(existing, spec, parent_uuid, path)
            else:
                self._add_code(spec, parent_uuid, path)
            self._codes(spec.children, spec.uuid, [*names, spec.name])

    def _compare_code(self, code: Code, spec: CodeSpec, parent_uuid: str | None, path: str
                      ) -> None:
        book = self.master.codebook.load()
        label = self.incoming.label
        differences = []
        if code.name != spec.name:
            differences.append(f"is named {spec.name!r}")
        here_parent = book.by_id[code.parent_id].uuid if code.parent_id is not None else None
        if here_parent != parent_uuid:
            differences.append(f"sits at {path!r}")
        if code.codable != spec.codable:
            differences.append("is codable" if spec.codable else "is a theme (not codable)")
        for name in _TEXT_FIELDS:
            theirs = getattr(spec, name)
            if theirs and str(theirs).strip() != str(getattr(code, name)).strip():
                differences.append(f"has another {'colour' if name == 'color' else name}")
        if differences:
            self.conflict("code", code.uuid,
                          f"code {code.path!r} {', '.join(differences)} in {label}; "
                          "kept this study's version")

    def _add_code(self, spec: CodeSpec, parent_uuid: str | None, path: str) -> None:
        book = self.master.codebook.load()
        parent = book.by_uuid[parent_uuid] if parent_uuid is not None else None
        siblings = parent.children if parent is not None else book.roots
        name = free_name(spec.name, {c.name for c in siblings}, limit=200, fold=False)
        if name != spec.name:
            self.conflict("code", spec.uuid,
                          f"code {path!r} from {self.incoming.label} is a different code "
                          f"(another id) than {path!r} here; added beside it as {name!r}")
        shortcut = spec.shortcut
        if shortcut and any(
            (c.shortcut or "").casefold() == shortcut.casefold() for c in book.walk()
        ):
            self.conflict("code", spec.uuid,
                          f"code {path!r}: shortcut {shortcut!r} is taken here; added without one")
            shortcut = None
        self.master.codebook.add(
            name, parent, definition=spec.definition, inclusion=spec.inclusion,
            exclusion=spec.exclusion, example=spec.example, color=spec.color,
            shortcut=shortcut, codable=spec.codable, uuid=spec.uuid,
        )
        self.report.codes_added += 1

    # documents ---------------------------------------------------------------------

    def _documents(self) -> None:
        documents = self.incoming.documents
        for number, document in enumerate(documents):
            report(self.progress, 0.1 + 0.8 * number / max(len(documents), 1),
                   f"merging {document.name}")
            rows = self.master.query(
                """SELECT d.id, d.name, d.session, d.perspective, d.text, y.name AS dyad
                   FROM documents d JOIN dyads y ON y.id = d.dyad_id WHERE d.uuid = ?""",
                [document.uuid],
            )
            if rows:
                self._compare_document(rows[0], document)
            else:
                self._add_document(document)

    def _compare_document(self, row: Any, document: IncomingDocument) -> None:
        label = self.incoming.label
        if row["text"] != document.text:
            self.document_ids[document.uuid] = None
            self.conflict("document", document.uuid,
                          f"document {row['name']!r} has another text in {label}; kept this "
                          f"study's text, and {label}'s segments on it were not merged")
            return
        self.document_ids[document.uuid] = row["id"]
        self.texts[row["id"]] = row["text"]
        differences = [
            f"{what} {theirs!r}"
            for what, ours, theirs in (
                ("is named", row["name"], document.name),
                ("belongs to dyad", row["dyad"], document.dyad),
                ("is of session", row["session"], document.session),
                ("has perspective", row["perspective"], document.perspective),
            )
            if ours != theirs
        ]
        if differences:
            self.conflict("document", document.uuid,
                          f"document {row['name']!r} {', '.join(differences)} in {label}; "
                          "kept this study's")

    def _add_document(self, document: IncomingDocument) -> None:
        taken = {row[0].casefold() for row in self.master.db.execute("SELECT name FROM documents")}
        name = free_name(document.name, taken)
        if name != document.name:
            self.conflict("document", document.uuid,
                          f"document {document.name!r} from {self.incoming.label} is a different "
                          f"document (another id) than {document.name!r} here; added as {name!r}")
        dyad = self._dyad(document)
        transcript = document.transcript()
        item = ImportItem(Path(transcript.source or name), dyad, document.session,
                          document.perspective, name)
        doc_id = self.master.documents.add_transcript(item, transcript, uuid=document.uuid)
        self.document_ids[document.uuid] = doc_id
        self.texts[doc_id] = transcript.text
        self.report.documents_added += 1

    def _dyad(self, document: IncomingDocument) -> str:
        from coding.study import new_uuid

        db = self.master.db
        if document.dyad_uuid:
            row = db.execute("SELECT name FROM dyads WHERE uuid = ?", [document.dyad_uuid]
                             ).fetchone()
            if row is not None:
                if row[0] != document.dyad:
                    self.conflict("dyad", document.dyad_uuid,
                                  f"dyad {row[0]!r} is named {document.dyad!r} in "
                                  f"{self.incoming.label}; {document.name!r} goes to {row[0]!r}")
                return row[0]
        if db.execute("SELECT 1 FROM dyads WHERE name = ?", [document.dyad]).fetchone() is None:
            db.execute("INSERT INTO dyads (uuid, name) VALUES (?, ?)",
                       [document.dyad_uuid or new_uuid(), document.dyad])
        return document.dyad

    # segments -------------------------------------------------------------------------

    def _segments(self) -> None:
        from coding.study import utc_now

        existing = {
            row["uuid"]: row
            for row in self.master.query(
                """SELECT s.uuid, d.uuid AS document, s.coder_id, k.uuid AS code, s.start,
                          s."end", s.memo, s.created_at, d.name AS document_name,
                          c.name AS coder_name
                   FROM segments s
                   JOIN documents d ON d.id = s.document_id JOIN coders c ON c.id = s.coder_id
                   JOIN codes k ON k.id = s.code_id"""
            )
        }
        book = self.master.codebook.load()
        settled = {  # what the consensus layer holds: the same decision is not taken twice
            tuple(row) for row in self.master.db.execute(
                'SELECT document_id, start, "end", code_id FROM segments WHERE coder_id = ?',
                [self.consensus_id],
            )
        }
        unplaceable: Counter[str] = Counter()
        rows, seen, touched = [], set(), set()
        for segment in self.incoming.segments:
            if segment.uuid in existing:
                self._compare_segment(existing[segment.uuid], segment, book)
                continue
            what = segment.where or self._describe(segment)
            if segment.uuid in seen:
                self.report.skipped.append(f"{what}: its id {segment.uuid} is used twice")
                continue
            if segment.document_uuid not in self.document_ids:
                self.report.skipped.append(f"{what}: unknown document {segment.document_uuid}")
                continue
            doc_id = self.document_ids[segment.document_uuid]
            if doc_id is None:
                unplaceable[segment.document_uuid] += 1
                continue
            code = book.by_uuid.get(segment.code_uuid)
            if code is None:
                self.report.skipped.append(f"{what}: unknown code {segment.code_uuid}")
                continue
            if not code.codable:
                self.report.skipped.append(f"{what}: {code.path!r} is a theme here and cannot "
                                           "hold segments")
                continue
            coder_id = self.coder_ids.get(segment.coder_uuid)
            if coder_id is None:
                self.report.skipped.append(f"{what}: unknown coder {segment.coder_uuid}")
                continue
            problem = _span_problem(self._text(doc_id), segment.start, segment.end)
            if problem:
                self.report.skipped.append(f"{what}: {problem}")
                continue
            if coder_id == self.consensus_id:
                decision = (doc_id, segment.start, segment.end, code.id)
                if decision in settled:
                    self.report.skipped.append(
                        f"{what}: this study's consensus layer already has it")
                    continue
                settled.add(decision)
            seen.add(segment.uuid)
            touched.add(doc_id)
            rows.append((
                segment.uuid, doc_id, coder_id, code.id, segment.start, segment.end,
                (segment.memo or "").strip(), segment.created_at or utc_now(),
                segment.status if segment.status in ("pending", "approved", "flagged")
                else "pending",
                self.coder_ids.get(segment.reviewer_uuid) if segment.reviewer_uuid else None,
                segment.review_comment or "", segment.reviewed_at,
            ))
        for document_uuid, count in unplaceable.items():
            self.report.skipped.append(
                f"{plural(count, 'segment')} on document "
                f"{self.document_names.get(document_uuid, document_uuid)!r}: its text differs "
                "from this study's"
            )
        self.master.db.conn.executemany(
            """INSERT INTO segments (uuid, document_id, coder_id, code_id, start, "end", memo,
                   created_at, status, reviewer_id, review_comment, reviewed_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            rows,
        )
        self.report.segments_added += len(rows)
        if rows:
            self.master.notify("segments", sorted(touched))
        # The same coders on both sides (not another copy's consensus layer folded in).
        same = {uuid: self.coder_ids[uuid] for uuid in self.known_coders & set(self.coder_names)}
        removed = removed_in_copy(existing.values(), self.incoming.segments, same,
                                  {d.uuid for d in self.incoming.documents})
        for row in sorted(removed, key=lambda r: (r["document_name"], r["start"], r["end"])):
            ours = _segment_words(row["coder_name"], row["document_name"], row["start"],
                                  row["end"], book.by_uuid[row["code"]].path)
            self.conflict("segment", row["uuid"], f"{ours} is not in {self.incoming.label} "
                          "(removed there?); kept this study's")

    def _compare_segment(self, row: Any, segment: IncomingSegment, book: Any) -> None:
        differences = []
        if row["document"] != segment.document_uuid:
            theirs = self.document_names.get(segment.document_uuid, segment.document_uuid)
            differences.append(f"is on document {theirs!r}")
        if (row["start"], row["end"]) != (segment.start, segment.end):
            differences.append(f"spans {segment.start}–{segment.end} "
                               f"(here {row['start']}–{row['end']})")
        if row["code"] != segment.code_uuid:
            theirs = book.by_uuid.get(segment.code_uuid)
            differences.append(f"has code {theirs.path if theirs else segment.code_uuid!r}")
        if row["coder_id"] != self.coder_ids.get(segment.coder_uuid):
            theirs = self.coder_names.get(segment.coder_uuid, segment.coder_uuid)
            differences.append(f"is by coder {theirs!r}")
        if row["memo"].strip() != (segment.memo or "").strip():
            theirs = _memo_words(segment.memo or "")
            differences.append(f"has {'the memo ' + theirs if theirs else 'no memo'} "
                               f"(here {_memo_words(row['memo']) or 'none'})")
        if differences:
            ours = _segment_words(row["coder_name"], row["document_name"], row["start"],
                                  row["end"], book.by_uuid[row["code"]].path)
            self.conflict("segment", segment.uuid,
                          f"{ours} {', '.join(differences)} in {self.incoming.label}; "
                          "kept this study's")

    def _describe(self, segment: IncomingSegment) -> str:
        """An incoming segment in the other study's names (ids only for what it lacks)."""
        return _segment_words(
            self.coder_names.get(segment.coder_uuid, segment.coder_uuid),
            self.document_names.get(segment.document_uuid, segment.document_uuid),
            segment.start, segment.end,
            self.code_paths.get(segment.code_uuid, segment.code_uuid),
        )

    def _text(self, doc_id: int) -> str:
        if doc_id not in self.texts:
            self.texts[doc_id] = self.master.documents.text(doc_id)
        return self.texts[doc_id]

    # done marks ----------------------------------------------------------------------

    def _done(self) -> None:
        for mark in self.incoming.done:
            coder_id = self.coder_ids.get(mark.coder_uuid)
            doc_id = self.document_ids.get(mark.document_uuid)
            if coder_id is None or doc_id is None:
                continue
            added = self.master.db.execute(
                "INSERT OR IGNORE INTO coded_documents (coder_id, document_id, done_at) "
                "VALUES (?, ?, ?)",
                [coder_id, doc_id, mark.done_at],
            ).rowcount
            if added:
                self.report.done_added += 1
                self.master.notify("segments", [doc_id])


def _segment_words(coder: str, document: str, start: object, end: object, code: str) -> str:
    """A segment as a researcher finds it: whose, on which document, where, with which code."""
    return f"segment by {coder!r} on {document!r} {start}–{end} coded {code!r}"


def _memo_words(memo: str, limit: int = 60) -> str:
    """A memo quoted on one line, cut at `limit` characters ('' for none)."""
    words = " ".join(memo.split())
    if not words:
        return ""
    return repr(words if len(words) <= limit else words[: limit - 1] + "…")


def _spec_paths(specs: Sequence[CodeSpec], names: list[str]
                ) -> Iterator[tuple[str | None, str]]:
    """(uuid, path) of every code in a spec tree."""
    for spec in specs:
        yield spec.uuid, join_path([*names, spec.name])
        yield from _spec_paths(spec.children, [*names, spec.name])


def _span_problem(text: str, start: int, end: int) -> str | None:
    if not (isinstance(start, int) and isinstance(end, int)):
        return f"positions {start!r}–{end!r} are not whole numbers"
    if not 0 <= start < end <= len(text):
        return f"span {start}–{end} does not fit the text (0–{len(text)})"
    if not text[start:end].strip():
        return f"span {start}–{end} holds only whitespace"
    return None


def free_name(name: str, taken: set[str], limit: int | None = None, fold: bool = True) -> str:
    """`name`, or `name (2)`, `name (3)` … whichever is not in `taken`.

    With `fold`, `taken` holds case-folded names and the comparison ignores case
    (coder names are unique regardless of case; document names are looked up so).
    """

    def free(candidate: str) -> bool:
        return (candidate.casefold() if fold else candidate) not in taken

    if free(name):
        return name
    number = 2
    while True:
        suffix = f" ({number})"
        base = name if limit is None else name[: limit - len(suffix)].rstrip()
        if free(base + suffix):
            return base + suffix
        number += 1

