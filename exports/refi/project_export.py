"""A study as a REFI-QDA project (`.qdpx`): `project.qde` plus `sources/<guid>.txt`.

Mapping (QDA-XML 1.0, valid against the REFI-QDA Project schema):

- coders → `Users` (guid = coder uuid);
- codebook → `CodeBook` (themes `isCodable="false"`, colours, definitions and
  criteria in `Description`, see `exports.refi.qdc`);
- documents → `TextSource` (guid = document uuid, `plainTextPath`
  `internal://<guid>.txt`, the stored text exactly, UTF-8 without BOM), with the
  declared speakers in its `Description` ("Speakers: T = therapist; C = client");
- perspective (Text) and session (Integer) → `Variables`, valued on each
  `TextSource` (they belong to documents, not to dyads);
- dyads → `Cases` (guid = dyad uuid) with a `SourceRef` to each of their documents;
- segments → one `PlainTextSelection` each (positions in code points) holding one
  `Coding` (guid = segment uuid, `creatingUser` = coder) and, for a memo, a
  `NoteRef` to a `Note` in `Notes`.

Selection and note GUIDs are derived from the segment's uuid, so exporting the
same study twice writes the same project. Review status and done marks have no
place in the standard and are not exported; the summary counts them (`left_out`).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO
from xml.etree import ElementTree as ET

from coding.study import Study
from exports.refi import PROJECT_NS
from exports.refi.guids import derived_guid
from exports.refi.output import write_atomically, xml_text
from exports.refi.qdc import add_codes, origin
from exports.targets import require_suffix
from transcripts.progress import Progress, report

PERSPECTIVE_VARIABLE = derived_guid("variable", "perspective")
SESSION_VARIABLE = derived_guid("variable", "session")
_DATETIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?$")
_ZIP_TIME = (2020, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class ExportSummary:
    documents: int
    codes: int
    coders: int
    segments: int
    memos: int
    reviews: int = 0  # segments approved or flagged: the standard has no place for them
    done_marks: int = 0  # (coder, document) marked coded: nor for these

    def left_out(self) -> list[str]:
        """What the study holds that the project does not, one line each (none: [])."""
        lines = []
        if self.reviews:
            one = self.reviews == 1
            lines.append(f"{self.reviews} review decision{'' if one else 's'} (approved or "
                         f"flagged, with {'its comment' if one else 'their comments'}) "
                         f"{'is' if one else 'are'} not in a REFI-QDA project; the study file "
                         f"keeps {'it' if one else 'them'}")
        if self.done_marks:
            one = self.done_marks == 1
            lines.append(f"{self.done_marks} done mark{'' if one else 's'} (a coder's 'coded' "
                         f"on a document) {'is' if one else 'are'} not in a REFI-QDA project; "
                         f"the study file keeps {'it' if one else 'them'}")
        return lines


def _sub(parent: ET.Element, element: str, /, **attributes: str | None) -> ET.Element:
    return ET.SubElement(
        parent, element, {k: v for k, v in attributes.items() if v is not None}
    )


def _datetime(value: str | None) -> str | None:
    return value if value and _DATETIME.match(value) else None


def project_xml(study: Study, progress: Progress | None = None
                ) -> tuple[bytes, list[tuple[str, str]], ExportSummary]:
    """`project.qde` as bytes, with the (guid, text) of every document, and counts."""
    with _snapshot(study):
        return _project_xml(study, progress)


@contextmanager
def _snapshot(study: Study) -> Iterator[None]:
    """Read a read-only study in one transaction: the app may be coding in it meanwhile,
    and a segment on a code added after the codebook was read must not break the export.
    A writable study holds the write lock, so nobody else changes it."""
    connection = study.db.conn
    if study.writable or connection.in_transaction:
        yield
        return
    connection.execute("BEGIN")
    study.version += 1  # the stores' caches may predate others' changes: refill them here
    try:
        yield
    finally:
        if connection.in_transaction:
            connection.execute("ROLLBACK")


def _project_xml(study: Study, progress: Progress | None
                 ) -> tuple[bytes, list[tuple[str, str]], ExportSummary]:
    meta = study.meta()
    root = ET.Element("Project", {"xmlns": PROJECT_NS,
                                  "name": xml_text(study.title) or "IPR study",
                                  "origin": origin()})
    created = _datetime(meta.get("created_at"))
    if created:
        root.set("creationDateTime", created)

    coders = study.coders.list()
    if coders:
        users = _sub(root, "Users")
        for coder in coders:
            _sub(users, "User", guid=coder.uuid, name=xml_text(coder.name))

    specs = study.codebook.load().to_specs()
    if specs:
        add_codes(_sub(root, "CodeBook"), specs)

    documents = study.documents.list()
    if documents:
        variables = _sub(root, "Variables")
        for guid, name, kind, text in (
            (PERSPECTIVE_VARIABLE, "perspective", "Text",
             "IPR perspective: session, client-recall, therapist-recall or other"),
            (SESSION_VARIABLE, "session", "Integer", "IPR session number (1, 2, …)"),
        ):
            variable = _sub(variables, "Variable", guid=guid, name=name, typeOfVariable=kind)
            _sub(variable, "Description").text = text

        dyads = study.query(
            "SELECT y.uuid, y.name, d.uuid AS document FROM dyads y "
            "JOIN documents d ON d.dyad_id = y.id ORDER BY y.name, d.session, d.name"
        )
        cases = _sub(root, "Cases")
        case_elements: dict[str, ET.Element] = {}
        for row in dyads:
            case = case_elements.get(row["uuid"])
            if case is None:
                case = case_elements[row["uuid"]] = _sub(
                    cases, "Case", guid=row["uuid"], name=xml_text(row["name"])
                )
            _sub(case, "SourceRef", targetGUID=row["document"])

    sources = _sub(root, "Sources") if documents else None
    notes: list[tuple[str, str, str, str | None, str]] = []
    texts: list[tuple[str, str]] = []
    segment_count = reviews = 0
    book = study.codebook.load()
    coders_by_id = {coder.id: coder for coder in coders}
    for number, document in enumerate(documents):
        report(progress, 0.8 * number / len(documents), f"exporting {document.name}")
        assert sources is not None
        imported = study.query("SELECT imported_at FROM documents WHERE id = ?", [document.id])
        source = _sub(
            sources, "TextSource", guid=document.uuid, name=xml_text(document.name),
            plainTextPath=f"internal://{document.uuid}.txt",
            creationDateTime=_datetime(imported[0]["imported_at"]) if imported else None,
        )
        declared = "; ".join(
            f"{label} = {role}" for label, role in document.speakers.items() if role
        )
        if declared:
            _sub(source, "Description").text = xml_text(f"Speakers: {declared}")
        text = study.documents.text(document.id)
        texts.append((document.uuid, text))
        segments = sorted(study.segments.for_document(document.id),
                          key=lambda s: (s.start, s.end, s.uuid))
        for segment in segments:
            coder = coders_by_id[segment.coder_id]
            created_at = _datetime(segment.created_at)
            selection = _sub(
                source, "PlainTextSelection", guid=derived_guid("selection", segment.uuid),
                name=xml_text(_excerpt(text[segment.start:segment.end])),
                startPosition=str(segment.start), endPosition=str(segment.end),
                creatingUser=coder.uuid, creationDateTime=created_at,
            )
            coding = _sub(selection, "Coding", guid=segment.uuid, creatingUser=coder.uuid,
                          creationDateTime=created_at)
            _sub(coding, "CodeRef", targetGUID=book.by_id[segment.code_id].uuid)
            if segment.memo:
                note_guid = derived_guid("memo", segment.uuid)
                _sub(selection, "NoteRef", targetGUID=note_guid)
                notes.append((note_guid, book.by_id[segment.code_id].path, coder.uuid,
                              created_at, segment.memo))
            segment_count += 1
            reviews += segment.status != "pending"
        for guid, value_tag, value in (
            (PERSPECTIVE_VARIABLE, "TextValue", document.perspective),
            (SESSION_VARIABLE, "IntegerValue", str(document.session)),
        ):
            variable_value = _sub(source, "VariableValue")
            _sub(variable_value, "VariableRef", targetGUID=guid)
            _sub(variable_value, value_tag).text = value

    if notes:
        notes_element = _sub(root, "Notes")
        for guid, code_path, user, created_at, memo in notes:
            note = _sub(notes_element, "Note", guid=guid, name=xml_text(f"Memo: {code_path}"),
                        creatingUser=user, creationDateTime=created_at)
            _sub(note, "PlainTextContent").text = xml_text(memo)

    data = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    done_marks = study.db.execute("SELECT count(*) FROM coded_documents").fetchone()[0]
    summary = ExportSummary(len(documents), len(book), len(coders), segment_count, len(notes),
                            reviews, done_marks)
    return data, texts, summary


def export_qdpx(study: Study, path: str | Path, progress: Progress | None = None
                ) -> ExportSummary:
    """Write the study as a `.qdpx` REFI-QDA project (replacing `path` only when complete).

    The last progress call comes before the file is moved into place, so a cancel
    there still leaves nothing behind, and no cancel can arrive once it is written.
    """
    path = require_suffix(path, ".qdpx", "a REFI-QDA project")
    data, texts, summary = project_xml(study, progress)
    report(progress, 0.8, "writing the archive")

    def write(stream: IO[bytes]) -> None:
        with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(_member("project.qde"), data)
            for guid, text in texts:
                archive.writestr(_member(f"sources/{guid}.txt"), text.encode("utf-8"))
        report(progress, 1.0, f"saving {path.name}")

    write_atomically(path, write)
    return summary


def _member(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info


def _excerpt(text: str, width: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"
