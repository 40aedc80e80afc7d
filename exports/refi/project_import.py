"""A REFI-QDA project (`.qdpx`) into a study: created if absent, merged by GUID if not.

`exports.refi.project_read` reads and checks the file first, refusing the whole
of it for anything unsafe; then the project becomes `coding.merge_types.Incoming` and
is merged in one transaction, so import and `merge` follow the same rules: codes
and users matched by GUID (any 8-4-4-4-12 hex form, braces allowed, case
ignored), never by name; conflicts reported, the study's version kept. A
selection with reversed or out-of-range positions, or naming an unknown code or
user, is skipped with a warning while the rest imports; each `Coding` of a
selection is its own segment (its uuid the Coding's GUID). Text is stored with
LF line endings and no BOM, positions remapped (`exports.refi.source_text`).
A User named as the consensus layer ("Consensus", any case) is that layer: our
export writes it so, and teams name their agreed coding so in other tools too.
"""

from __future__ import annotations

import contextlib
import os
from collections import Counter
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path

from coding.codebook import CodeSpec
from coding.coders import CONSENSUS_NAME
from coding.errors import StudyError
from coding.merge import merge_incoming
from coding.merge_types import (
    Incoming,
    IncomingCoder,
    IncomingDocument,
    IncomingSegment,
    MergeReport,
)
from coding.study import Study
from exports.refi.guids import derived_guid, normalise_guid
from exports.refi.project_read import Project, Source, read_qdpx
from transcripts.errors import WorkbenchError
from transcripts.load import parse_bytes
from transcripts.model import Transcript
from transcripts.progress import Progress

UNKNOWN_CODER = "Unknown coder"
UNKNOWN_CODER_GUID = derived_guid("coder", "unknown")


@dataclass
class ImportReport:
    study: Path
    source: Path
    created: bool
    merge: MergeReport
    warnings: list[str]

    def summary(self) -> str:
        verb = "created" if self.created else "merged into"
        merge = self.merge
        return (
            f"{verb} {self.study} from {self.source.name}: {merge.documents_added} documents, "
            f"{merge.codes_added} codes, {merge.coders_added} coders, "
            f"{merge.segments_added} segments added"
        )

    def all_warnings(self) -> list[str]:
        """Everything skipped or in conflict, one line each."""
        return [*self.warnings, *self.merge.warnings()]


# -- from the project to the study ------------------------------------------------------


def import_qdpx(study_path: str | Path, qdpx_path: str | Path,
                progress: Progress | None = None) -> ImportReport:
    """Import a `.qdpx` into the study at `study_path`, creating it if it does not exist.

    The file is read and checked before the study is touched; on any error an
    existing study is unchanged, and a new one never appears.
    """
    study_path, qdpx_path = Path(study_path), Path(qdpx_path)
    project = read_qdpx(qdpx_path, _scaled(progress, 0.0, 0.3))
    if not study_path.exists():
        return _import_into_new(study_path, project, progress)
    with Study.open(study_path) as study:
        return _merge_project(study, project, False, progress)


def _import_into_new(study_path: Path, project: Project,
                     progress: Progress | None) -> ImportReport:
    """A new study built aside and moved into place only once complete.

    A refused, cancelled or interrupted (Ctrl+C, SIGTERM) import then leaves nothing at
    `study_path`: the partial study and its -wal, -shm and lock files are removed.
    """
    partial = study_path.with_name(f".{study_path.name}.{os.getpid()}.importing")
    try:
        with Study.create(partial, title=project.name or study_path.stem, codebook=[]) as study:
            result = _merge_project(study, project, True, progress)
        if study_path.exists():
            raise StudyError(f"{study_path} appeared while the project was imported; it is "
                             "left as it was: import into it again to merge the project")
        os.replace(partial, study_path)
    finally:
        _remove_study(partial)
    return replace(result, study=study_path)


def import_qdpx_into(study: Study, qdpx_path: str | Path,
                     progress: Progress | None = None) -> ImportReport:
    """Merge a `.qdpx` into a study that is already open for writing (as the app holds it).

    Like `import_qdpx` on an existing study: the file is read and checked first, so
    a refused file leaves the study unchanged; a backup is taken before the merge,
    which is one transaction but not an undoable action.
    """
    qdpx_path = Path(qdpx_path)
    project = read_qdpx(qdpx_path, _scaled(progress, 0.0, 0.3))
    return _merge_project(study, project, False, progress)


def _merge_project(study: Study, project: Project, created: bool,
                   progress: Progress | None) -> ImportReport:
    """The checked project merged into `study` (backed up first unless made for it)."""
    if not created:
        study.backup("before-import")
    warnings = list(project.warnings)
    incoming = _incoming(project, study, warnings)
    merge = merge_incoming(study, incoming, _scaled(progress, 0.3, 1.0))
    return ImportReport(Path(study.path), project.path, created, merge, warnings)


def _incoming(project: Project, study: Study, warnings: list[str]) -> Incoming:
    incoming = Incoming(label=project.path.name, codes=project.codes)
    known_codes = {spec.uuid for spec in _walk(project.codes)}
    known_codes |= set(study.codebook.load().by_uuid)
    master_coders = {coder.uuid for coder in study.coders.list()}
    roles = study.documents.speaker_roles()
    users_used: set[str] = set()
    problems: Counter[str] = Counter()
    unattributed = 0
    for source in project.sources:
        incoming.documents.append(IncomingDocument(
            uuid=source.guid, name=source.name, dyad=source.dyad, session=source.session,
            perspective=source.perspective, text=source.text.text,
            transcript=_parser(source, {**roles, **source.speakers}, warnings),
            dyad_uuid=source.dyad_guid,
        ))
        for selection in source.selections:
            if selection.start is None:
                span = (0, len(source.text.text)) if source.text.text.strip() else None
            else:
                span = source.text.span(selection.start, selection.end)
            if span is None and selection.start is None:
                warnings.append(f"{selection.where}: the source has no text to code; skipped")
                continue
            if span is None:
                warnings.append(
                    f"{selection.where}: positions {selection.start}–{selection.end} are "
                    f"reversed or outside the text (0–{source.text.original_length}); skipped")
                continue
            code = normalise_guid(selection.code)
            if code is None or code not in known_codes:
                warnings.append(f"{selection.where}: unknown code {selection.code!r}; skipped")
                continue
            user = selection.user
            if user is None:
                user = UNKNOWN_CODER_GUID
                unattributed += 1
            elif user not in project.users and user not in master_coders:
                warnings.append(f"{selection.where}: unknown user {user}; skipped")
                continue
            users_used.add(user)
            memo_parts = [selection.description] if selection.description else []
            for note in selection.notes:
                if note in project.notes:
                    if project.notes[note] and project.notes[note] not in memo_parts:
                        memo_parts.append(project.notes[note])
                else:
                    problems[f"{selection.where}: unknown note {note}; imported without it"] += 1
            incoming.segments.append(IncomingSegment(
                uuid=selection.guid, document_uuid=source.guid, coder_uuid=user,
                code_uuid=code, start=span[0], end=span[1], memo="\n\n".join(memo_parts),
                created_at=_timestamp(selection.created_at), where=selection.where,
            ))
    warnings.extend(problems)
    referenced = {note for source in project.sources for selection in source.selections
                  for note in selection.notes}
    loose = sum(1 for guid, text in project.notes.items() if text and guid not in referenced)
    if loose:
        warnings.append(f"{loose} note(s) attached to no coded selection (journals, memos on "
                        "sources or codes) were not imported: memos belong to segments here")
    if unattributed:
        warnings.append(f"{unattributed} coding(s) name no user; they were attributed to "
                        f"{UNKNOWN_CODER!r}")
    incoming.coders = [  # our export writes the consensus layer as a User of its name
        IncomingCoder(guid, name, consensus=name.casefold() == CONSENSUS_NAME.casefold())
        for guid, name in project.users.items()
    ]
    if unattributed and UNKNOWN_CODER_GUID not in project.users:
        incoming.coders.append(IncomingCoder(UNKNOWN_CODER_GUID, UNKNOWN_CODER))
    return incoming


def _parser(source: Source, roles: dict[str, str], warnings: list[str]):
    """Build the source's transcript when the merge adds it (utterances where parsable)."""

    def parse() -> Transcript:
        text = source.text.text
        label = source.origin or "inline text"
        if not text:
            return Transcript("", [], source=label, format="txt")
        try:
            transcript = parse_bytes(text.encode("utf-8"), "x.txt", source.perspective, roles)
        except WorkbenchError as exc:
            reason = getattr(exc, "reason", str(exc))
            warnings.append(f"source {source.name!r}: its text could not be read as a "
                            f"transcript ({reason}); imported as plain text without speaker turns")
            return Transcript(text, [], source=label, format="txt")
        if transcript.text != text:  # never store a text the positions do not refer to
            warnings.append(f"source {source.name!r}: imported as plain text without speaker "
                            "turns")
            return Transcript(text, [], source=label, format="txt")
        transcript.source = label
        return transcript

    return parse


# -- helpers ---------------------------------------------------------------------------


def _walk(specs: list[CodeSpec]):
    stack = list(specs)
    while stack:
        spec = stack.pop()
        yield spec
        stack.extend(spec.children)


def _scaled(progress: Progress | None, low: float, high: float) -> Progress | None:
    if progress is None:
        return None
    return lambda fraction, message: progress(low + (high - low) * fraction, message)


def _remove_study(path: Path) -> None:
    for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}.lock")):
        with contextlib.suppress(OSError):
            leftover.unlink(missing_ok=True)

def _timestamp(value: str | None) -> str | None:
    """An xsd:dateTime as the study writes times (UTC, seconds); None if unreadable."""
    if not value:
        return None
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(text)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=timezone.utc)
        return moment.astimezone(timezone.utc).isoformat(timespec="seconds")
    except (ValueError, OverflowError):
        return None


__all__ = ["ImportReport", "Project", "import_qdpx", "import_qdpx_into", "read_qdpx"]
