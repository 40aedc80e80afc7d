"""Documents of a study: importing transcripts (all-or-nothing) and reading them back."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coding.errors import StudyError
from transcripts.errors import TranscriptError
from transcripts.load import parse_file
from transcripts.model import PERSPECTIVES, ROLES, Sentence, Stop, Transcript, Utterance
from transcripts.nlp import analyse
from transcripts.progress import Progress, report

if TYPE_CHECKING:
    from coding.study import Study

_DYAD = re.compile(r"^[^\s/\\][^/\\]{0,39}$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_WHOLE = re.compile(r"[+-]?[0-9]+")


@dataclass(frozen=True)
class ImportItem:
    """One file to import, with where it belongs in the study."""

    path: Path
    dyad: str
    session: int
    perspective: str
    name: str | None = None


@dataclass(frozen=True)
class DocumentInfo:
    """A document's identity and counts (the `documents` JSON of the command line)."""

    id: int
    uuid: str
    name: str
    dyad: str
    session: int
    perspective: str
    chars: int
    utterances: int
    sentences: int
    stops: int
    speakers: dict[str, str | None]
    start: float | None
    end: float | None
    format: str
    source: str

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.uuid,
            "name": self.name,
            "dyad": self.dyad,
            "session": self.session,
            "perspective": self.perspective,
            "chars": self.chars,
            "utterances": self.utterances,
            "sentences": self.sentences,
            "stops": self.stops,
            "speakers": dict(self.speakers),
            "start": self.start,
            "end": self.end,
        }


def default_name(dyad: str, session: int, perspective: str) -> str:
    return f"{dyad}-S{session}-{perspective}"


def check_placement(dyad: str, session: Any, perspective: str) -> tuple[str, int, str]:
    """Validate where a document goes; returns the cleaned values."""
    dyad = str(dyad).strip()
    if not _DYAD.match(dyad) or _CONTROL.search(dyad):
        raise StudyError(
            f"dyad id {dyad!r} must be 1–40 characters without slashes or control characters "
            "(e.g. D07)"
        )
    number = _session_number(session)
    if perspective not in PERSPECTIVES:
        raise StudyError(
            f"unknown perspective {perspective!r}; use one of {', '.join(PERSPECTIVES)}"
        )
    return dyad, number, perspective


def _session_number(session: Any) -> int:
    """A session number as typed (`1`, `01`, ` 2 `) or stored (1, 1.0); 1 or more."""
    if isinstance(session, float) and session.is_integer():
        session = int(session)
    text = str(session).strip()
    if isinstance(session, bool) or not _WHOLE.fullmatch(text):
        raise StudyError(f"session must be a whole number, not {session!r}")
    if int(text) < 1:
        raise StudyError(f"session must be a whole number of 1 or more, not {session!r}")
    return int(text)


class DocumentStore:
    def __init__(self, study: Study) -> None:
        self._study = study
        self._text_cache: tuple[tuple[int, int], str] | None = None

    # -- import ------------------------------------------------------------------

    def import_files(
        self,
        items: Sequence[ImportItem],
        speaker_roles: Mapping[str, str] | None = None,
        progress: Progress | None = None,
    ) -> list[DocumentInfo]:
        """Parse every file, then store them all in one transaction (or none on any error).

        `speaker_roles` ({label: role}) declares speakers and overrides roles; the
        mapping is the study's, so it also relabels documents already imported and
        applies to later imports.
        """
        if not items:
            raise StudyError("no files to import")
        declared = _checked_declarations(speaker_roles or {})
        roles = {**self.speaker_roles(), **declared}
        parsed: list[tuple[ImportItem, Transcript]] = []
        for number, item in enumerate(self._check_items(items)):
            report(progress, 0.5 * number / len(items), f"reading {item.path.name}")
            parsed.append((item, parse_file(item.path, item.perspective, roles)))
        with self._study.transaction():
            for label, role in declared.items():
                self.set_speaker_role(label, role)
            ids = []
            for number, (item, transcript) in enumerate(parsed):
                report(progress, 0.5 + 0.5 * number / len(parsed), f"indexing {item.name}")
                ids.append(self.add_transcript(item, transcript))
            report(progress, 1.0, "saving")
        return [self.get(doc_id) for doc_id in ids]

    def add_transcript(
        self, item: ImportItem, transcript: Transcript, uuid: str | None = None
    ) -> int:
        """Store an already parsed transcript as a new document; returns its id."""
        from coding.study import new_uuid, utc_now

        dyad, session, perspective = check_placement(item.dyad, item.session, item.perspective)
        name = (item.name or "").strip() or default_name(dyad, session, perspective)
        self._check_name_usable(name)
        analysis = analyse(transcript.text, transcript.utterances)
        starts = [u.start for u in transcript.utterances if u.start is not None]
        ends = [u.end if u.end is not None else u.start for u in transcript.utterances]
        ends = [t for t in ends if t is not None]
        with self._study.transaction() as db:
            dyad_id = self._dyad_id(dyad)
            doc_id = db.execute(
                """INSERT INTO documents (uuid, name, dyad_id, session, perspective, text,
                       chars, format, source, imported_at, utterance_count, sentence_count,
                       stop_count, first_time, last_time)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                [
                    uuid or new_uuid(),
                    name,
                    dyad_id,
                    session,
                    perspective,
                    transcript.text,
                    len(transcript.text),
                    transcript.format,
                    transcript.source,
                    utc_now(),
                    len(transcript.utterances),
                    len(analysis.sentences),
                    len(transcript.stops),
                    min(starts) if starts else None,
                    max(ends) if ends else None,
                ],
            ).lastrowid
            db.conn.executemany(
                "INSERT INTO speakers (document_id, label, role) VALUES (?, ?, ?)",
                [(doc_id, label, role) for label, role in transcript.speakers.items()],
            )
            first_id = db.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM utterances").fetchone()[0]
            db.conn.executemany(
                """INSERT INTO utterances (id, document_id, idx, speaker, role, start, "end",
                       session_time, char_start, char_end) VALUES (?,?,?,?,?,?,?,?,?,?)""",
                [
                    (first_id + n, doc_id, u.index, u.speaker, u.role, u.start, u.end,
                     u.session_time, u.char_start, u.char_end)
                    for n, u in enumerate(transcript.utterances)
                ],
            )
            text = transcript.text
            db.conn.executemany(
                "INSERT INTO utterance_search (rowid, words, lemmas) VALUES (?, ?, ?)",
                [
                    (first_id + n, text[u.char_start:u.char_end], lemmas)
                    for n, (u, lemmas) in enumerate(
                        zip(transcript.utterances, analysis.lemmas, strict=True)
                    )
                ],
            )
            db.conn.executemany(
                "INSERT INTO sentences (document_id, utterance_idx, char_start, char_end) "
                "VALUES (?, ?, ?, ?)",
                [(doc_id, s.utterance, s.char_start, s.char_end) for s in analysis.sentences],
            )
            db.conn.executemany(
                "INSERT INTO stops (document_id, idx, time, char_start, char_end) "
                "VALUES (?, ?, ?, ?, ?)",
                [(doc_id, s.index, s.time, s.char_start, s.char_end) for s in transcript.stops],
            )
            self._study.notify("documents")
        return doc_id

    # -- reading -------------------------------------------------------------------

    def list(self) -> list[DocumentInfo]:
        """Every document, by dyad, session and perspective."""
        return [_info(row) for row in self._study.query(_INFO_SQL + _INFO_ORDER)]

    def get(self, doc_id: int) -> DocumentInfo:
        rows = self._study.query(_INFO_SQL + " WHERE d.id = ?", [doc_id])
        if not rows:
            raise StudyError(f"no document with id {doc_id}")
        return _info(rows[0])

    def find(self, name: str) -> DocumentInfo:
        rows = self._study.query(_INFO_SQL + " WHERE d.name = ?", [name])
        if not rows:
            rows = self._study.query(_INFO_SQL + " WHERE d.name = ? COLLATE NOCASE", [name])
        if len(rows) != 1:
            raise StudyError(
                f"no document named {name!r} (list them with `ipr-workbench documents`)"
            )
        return _info(rows[0])

    def text(self, doc_id: int) -> str:
        """The document's text (the last one read is kept, as callers often ask twice).

        A text never changes, but another connection may delete its document and give
        the freed id to a new one: that connection's commits drop the kept text.
        """
        key = (self._study.data_version, doc_id)
        if self._text_cache is not None and self._text_cache[0] == key:
            return self._text_cache[1]
        row = self._study.db.execute("SELECT text FROM documents WHERE id = ?", [doc_id]).fetchone()
        if row is None:
            raise StudyError(f"no document with id {doc_id}")
        self._text_cache = (key, row[0])
        return row[0]

    def utterances(self, doc_id: int) -> list[Utterance]:
        return [
            Utterance(*row)
            for row in self._study.db.execute(
                """SELECT idx, speaker, role, start, "end", session_time, char_start, char_end
                   FROM utterances WHERE document_id = ? ORDER BY idx""",
                [doc_id],
            )
        ]

    def sentences(self, doc_id: int) -> list[Sentence]:
        return [
            Sentence(*row)
            for row in self._study.db.execute(
                "SELECT utterance_idx, char_start, char_end FROM sentences "
                "WHERE document_id = ? ORDER BY char_start",
                [doc_id],
            )
        ]

    def stops(self, doc_id: int) -> list[Stop]:
        return [
            Stop(*row)
            for row in self._study.db.execute(
                "SELECT idx, time, char_start, char_end FROM stops "
                "WHERE document_id = ? ORDER BY idx",
                [doc_id],
            )
        ]

    def speaker_roles(self) -> dict[str, str]:
        """The study's own speaker → role overrides."""
        return {
            row[0]: row[1]
            for row in self._study.db.execute("SELECT label, role FROM speaker_roles")
        }

    def set_speaker_role(self, label: str, role: str) -> int:
        """Override a speaker label's role across the study; returns utterances changed."""
        role = _check_role(label, role)
        with self._study.transaction() as db:
            db.execute(
                "INSERT INTO speaker_roles (label, role) VALUES (?, ?) "
                "ON CONFLICT(label) DO UPDATE SET role = excluded.role",
                [label, role],
            )
            db.execute(
                "UPDATE speakers SET role = ? WHERE label = ? COLLATE NOCASE", [role, label]
            )
            changed = db.execute(
                "UPDATE utterances SET role = ? WHERE speaker = ? COLLATE NOCASE AND role IS NOT ?",
                [role, label, role],
            ).rowcount
            self._study.notify("documents")
        return changed

    def rename(self, doc: DocumentInfo, name: str) -> DocumentInfo:
        name = name.strip()
        if not name:
            raise StudyError("a document needs a name")
        self._check_name_usable(name, doc.id)
        with self._study.transaction() as db:
            db.execute("UPDATE documents SET name = ? WHERE id = ?", [name, doc.id])
            self._study.notify("documents")
        return self.get(doc.id)

    def delete(self, doc: DocumentInfo) -> None:
        """Remove a document with its utterances, search entries and segments."""
        with self._study.transaction() as db:
            db.execute(
                "DELETE FROM utterance_search WHERE rowid IN "
                "(SELECT id FROM utterances WHERE document_id = ?)",
                [doc.id],
            )
            db.execute("DELETE FROM documents WHERE id = ?", [doc.id])
            db.execute("DELETE FROM dyads WHERE id NOT IN (SELECT dyad_id FROM documents)")
            self._study.notify("documents")
            self._study.notify("segments", [doc.id])
        self._text_cache = None

    # -- internals -------------------------------------------------------------------

    def _check_items(self, items: Sequence[ImportItem]) -> list[ImportItem]:
        """Validate placements and names before any file is read; fills in default names.

        Files of one batch that would share a default name are told apart by file name.
        """
        placements = [check_placement(i.dyad, i.session, i.perspective) for i in items]
        defaults = [default_name(*placement) for placement in placements]
        placed: list[ImportItem] = []
        for item, placement, default in zip(items, placements, defaults, strict=True):
            path = Path(item.path)
            given = None if item.name is None else item.name.strip()
            if given == "":
                raise StudyError(
                    "a document name cannot be blank; leave --name out for the default"
                )
            name = given or default
            if not given and defaults.count(default) > 1:
                name = f"{default}-{path.stem}"
            if name in {other.name for other in placed}:
                raise StudyError(f"two files would both be named {name!r}; give each a name")
            self._check_name_usable(name)
            if not path.is_file():
                problem = "a folder, not a file" if path.is_dir() else "no such file"
                raise TranscriptError(problem, path)
            placed.append(ImportItem(path, *placement, name))
        return placed

    def _check_name_usable(self, name: str, own_id: int | None = None) -> None:
        """Names are shown in lists and written to CSV/XLSX/REFI-QDA: printable and unique."""
        if _CONTROL.search(name):
            raise StudyError(
                f"document name {name!r} holds a control character (a tab or line break?); "
                "use letters, digits, spaces and punctuation"
            )
        row = self._study.db.execute(
            "SELECT id FROM documents WHERE name = ? AND id IS NOT ?", [name, own_id]
        ).fetchone()
        if row:
            raise StudyError(
                f"a document named {name!r} already exists in this study; "
                "choose another name with --name"
            )

    def _dyad_id(self, dyad: str) -> int:
        from coding.study import new_uuid

        row = self._study.db.execute("SELECT id FROM dyads WHERE name = ?", [dyad]).fetchone()
        if row:
            return row[0]
        return self._study.db.execute(
            "INSERT INTO dyads (uuid, name) VALUES (?, ?)", [new_uuid(), dyad]
        ).lastrowid


def _checked_declarations(overrides: Mapping[str, str]) -> dict[str, str]:
    """The user's label → role declarations, trimmed and with roles in their stored form."""
    declared = {}
    for label, role in overrides.items():
        label = label.strip()
        if not label:
            raise StudyError("a --speaker declaration needs a label before '='")
        declared[label] = _check_role(label, role)
    return declared


def _check_role(label: str, role: str) -> str:
    role = role.strip().lower()
    if role not in ROLES:
        raise StudyError(
            f"role {role!r} for speaker {label!r} must be one of {', '.join(ROLES)}"
        )
    return role


_INFO_SQL = """
SELECT d.id, d.uuid, d.name, y.name AS dyad, d.session, d.perspective, d.chars,
       d.format, d.source, d.utterance_count, d.sentence_count, d.stop_count,
       d.first_time, d.last_time,
       (SELECT json_group_object(label, role) FROM speakers k
          WHERE k.document_id = d.id) AS speakers
FROM documents d JOIN dyads y ON y.id = d.dyad_id
"""
_INFO_ORDER = """ ORDER BY y.name, d.session,
    CASE d.perspective WHEN 'session' THEN 0 WHEN 'client-recall' THEN 1
         WHEN 'therapist-recall' THEN 2 ELSE 3 END, d.name"""


def _info(row: Any) -> DocumentInfo:
    return DocumentInfo(
        id=row["id"],
        uuid=row["uuid"],
        name=row["name"],
        dyad=row["dyad"],
        session=row["session"],
        perspective=row["perspective"],
        chars=row["chars"],
        utterances=row["utterance_count"],
        sentences=row["sentence_count"],
        stops=row["stop_count"],
        speakers=json.loads(row["speakers"]) if row["speakers"] else {},
        start=row["first_time"],
        end=row["last_time"],
        format=row["format"],
        source=row["source"],
    )
