"""Reading a REFI-QDA project (`.qdpx`) from an untrusted file into a checked `Project`.

The archive is read in memory (bounded, no DTDs; see `exports.refi.archive`);
anything unsafe or malformed refuses the whole file with a `RefiError`, before
any study is touched. What a well-formed file gets wrong piece by piece is kept
as a warning for the importer to report: a source without usable text, a
selection without valid positions, a variable value we cannot use.

Tolerated quirks of real files: no XML declaration or no namespace; `TextSource`
without a name; `plainTextPath` with or without `internal://`; several `Coding`s
per selection; a selection's memo in its `Description` (QualCoder) or in `Notes`
it refers to; `creatingUser` on the Coding, on the selection, or nowhere; no
timestamps; a `.txt` with no text beside a `.docx` rich text (the rich text is
not read, and that is reported); stray members such as `sources/.root`;
`Sources/` or file names in another case; GUIDs in any 8-4-4-4-12 hex spelling.
Perspective, session and dyad come from our own Variables and Cases (or another
tool's variables named `perspective`/`session`) when present, otherwise session 1,
perspective `other`, dyad "IMPORTED".
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path, PurePosixPath
from urllib.parse import unquote
from xml.etree.ElementTree import Element

from coding.codebook import CodeSpec
from coding.documents import default_name
from exports.refi import RefiError
from exports.refi.archive import (
    MAX_XML_BYTES,
    SafeArchive,
    child,
    children,
    local_name,
    parse_xml,
)
from exports.refi.guids import derived_guid, normalise_guid
from exports.refi.project_export import PERSPECTIVE_VARIABLE, SESSION_VARIABLE
from exports.refi.qdc import CodesReader
from exports.refi.source_text import SourceText, decode, normalise
from transcripts.model import PERSPECTIVES
from transcripts.progress import Progress, report

DEFAULT_DYAD = "IMPORTED"
_DYAD_BAD = re.compile(r"[/\\]")
_SPEAKER = re.compile(r"^\s*([^=;\n]{1,40}?)\s*=\s*(therapist|client|interviewer|other)\s*$")
_OTHER_SOURCES = ("PictureSource", "PDFSource", "AudioSource", "VideoSource")


# -- the project as read -------------------------------------------------------------


@dataclass
class Selection:
    """One Coding of a selection (or of a whole source): a future segment."""

    guid: str
    start: int | None  # original positions; None for a coding of the whole source
    end: int | None
    user: str | None
    code: str | None
    created_at: str | None
    notes: list[str]
    where: str
    description: str = ""  # the selection's own memo (QualCoder writes memos there)


@dataclass
class Source:
    guid: str
    name: str
    text: SourceText
    session: int
    perspective: str
    dyad: str
    dyad_guid: str | None
    speakers: dict[str, str]
    selections: list[Selection]
    origin: str  # the member (or "inline") its text came from


@dataclass
class Project:
    """A `.qdpx` read and checked, ready to merge; `warnings` lists what was skipped."""

    path: Path
    name: str
    users: dict[str, str]
    codes: list[CodeSpec]
    sources: list[Source]
    notes: dict[str, str]
    warnings: list[str] = field(default_factory=list)


# -- reading ------------------------------------------------------------------------


def read_qdpx(path: str | Path, progress: Progress | None = None) -> Project:
    """Read and check a `.qdpx`; a `RefiError` refuses the whole file."""
    path = Path(path)
    with SafeArchive(path) as archive:
        member = _project_member(archive)
        report(progress, 0.02, "reading project.qde")
        root = parse_xml(archive.read(member, MAX_XML_BYTES), path, member)
        if local_name(root.tag) != "Project":
            raise RefiError(
                f"{member} is not a REFI-QDA project (its root element is "
                f"<{local_name(root.tag)}>)", path,
            )
        return _Reader(path, archive, root, progress).read()


def _project_member(archive: SafeArchive) -> str:
    if archive.has("project.qde"):
        return "project.qde"
    candidates = [n for n in archive.names() if "/" not in n and n.lower().endswith(".qde")]
    if len(candidates) == 1:
        return candidates[0]
    raise RefiError("not a REFI-QDA project: the archive has no project.qde", archive.path)


class _Reader:
    def __init__(self, path: Path, archive: SafeArchive, root: Element,
                 progress: Progress | None) -> None:
        self.path = path
        self.archive = archive
        self.root = root
        self.progress = progress
        self.warnings: list[str] = []
        self.variables: dict[str, str] = {}
        self.cases: dict[str, tuple[str, str | None]] = {}

    def warn(self, message: str) -> None:
        self.warnings.append(message)

    def read(self) -> Project:
        root = self.root
        users = self._users()
        codebook = child(root, "CodeBook")
        codes = CodesReader(self.path, self.warn).read(
            child(codebook, "Codes") if codebook is not None else None
        )
        self.variables = self._variables()
        self.cases = self._cases()
        notes = self._notes()
        sources: list[Source] = []
        sources_element = child(root, "Sources")
        elements = list(sources_element) if sources_element is not None else []
        skipped_kinds: Counter[str] = Counter()
        seen: set[str] = set()
        for number, element in enumerate(elements):
            kind = local_name(element.tag)
            if kind in _OTHER_SOURCES:
                skipped_kinds[kind] += 1
                continue
            if kind != "TextSource":
                continue
            report(self.progress, 0.05 + 0.25 * number / len(elements), "reading sources")
            source = self._source(element)
            if source is None:
                continue
            if source.guid in seen:
                self.warn(f"source {source.name!r} repeats the GUID {source.guid}; skipped")
                continue
            seen.add(source.guid)
            sources.append(source)
        for kind, count in skipped_kinds.items():
            self.warn(f"{count} {kind} element(s) skipped: IPR Workbench imports text sources")
        present = {normalise_guid(element.get("guid")) for element in elements}
        for target, (dyad, _) in self.cases.items():
            if target not in present:
                self.warn(f"case {dyad!r} names source {target}, which is not in the project; "
                          "ignored")
        return Project(self.path, root.get("name") or self.path.stem, users, codes, sources,
                       notes, self.warnings)

    # users, variables, cases, notes ---------------------------------------------------

    def _users(self) -> dict[str, str]:
        users: dict[str, str] = {}
        element = child(self.root, "Users")
        for user in children(element, "User") if element is not None else []:
            guid = normalise_guid(user.get("guid"))
            if guid is None:
                self.warn(f"user {user.get('name')!r} has no valid GUID "
                          f"({user.get('guid')!r}); skipped")
                continue
            name = " ".join((user.get("name") or user.get("id") or "").split())
            users.setdefault(guid, name or f"User {guid[:8]}")
        return users

    def _variables(self) -> dict[str, str]:
        """guid → 'perspective' | 'session' for the variables we understand."""
        known = {PERSPECTIVE_VARIABLE: "perspective", SESSION_VARIABLE: "session"}
        element = child(self.root, "Variables")
        for variable in children(element, "Variable") if element is not None else []:
            guid = normalise_guid(variable.get("guid"))
            name = (variable.get("name") or "").strip().lower()
            if guid and guid not in known and name in ("perspective", "session"):
                known[guid] = name
        return known

    def _cases(self) -> dict[str, tuple[str, str | None]]:
        """source guid → (dyad name, case guid), from the first Case naming the source."""
        found: dict[str, tuple[str, str | None]] = {}
        element = child(self.root, "Cases")
        for case in children(element, "Case") if element is not None else []:
            guid = normalise_guid(case.get("guid"))
            raw = case.get("name") or (f"Case-{guid[:8]}" if guid else DEFAULT_DYAD)
            name = _dyad_name(raw)
            if name != raw:
                self.warn(f"case {raw!r} became dyad {name!r} (dyad ids are 1–40 characters "
                          "without slashes)")
            for ref in children(case, "SourceRef"):
                target = normalise_guid(ref.get("targetGUID"))
                if target is None:
                    continue
                if target in found and found[target][0] != name:
                    self.warn(f"source {target} is in several cases; it goes to dyad "
                              f"{found[target][0]!r}")
                    continue
                found.setdefault(target, (name, guid))
        return found

    def _notes(self) -> dict[str, str]:
        notes: dict[str, str] = {}
        element = child(self.root, "Notes")
        for note in children(element, "Note") if element is not None else []:
            guid = normalise_guid(note.get("guid"))
            if guid is None:
                continue
            text, _ = self._text_of(note, f"note {note.get('name')!r}", quiet=True)
            notes[guid] = text.text.strip()
        return notes

    # sources -----------------------------------------------------------------------------

    def _source(self, element: Element) -> Source | None:
        guid = normalise_guid(element.get("guid"))
        raw_name = " ".join((element.get("name") or "").split())
        if guid is None:
            self.warn(f"source {raw_name or element.get('plainTextPath')!r} has no valid GUID "
                      f"({element.get('guid')!r}); skipped with its codings")
            return None
        values = self._variable_values(element)
        perspective = values.get("perspective", "other")
        if perspective not in PERSPECTIVES:
            self.warn(f"source {raw_name or guid!r}: perspective {perspective!r} is not one of "
                      f"{', '.join(PERSPECTIVES)}; using 'other'")
            perspective = "other"
        session = _session(values.get("session"))
        if session is None:
            self.warn(f"source {raw_name or guid!r}: session {values['session']!r} is not a "
                      "whole number of 1 or more; using 1")
            session = 1
        dyad, dyad_guid = self.cases.get(guid, (DEFAULT_DYAD, None))
        name = raw_name or _stem(element.get("plainTextPath")) or default_name(
            dyad, session, perspective)
        text, origin = self._text_of(element, f"source {name!r}")
        if not text.text.strip():
            text = SourceText("", text.original_length, ())
        description = child(element, "Description")
        speakers = _speakers(description.text if description is not None else "")
        selections = self._selections(element, name)
        return Source(guid, name, text, session, perspective, dyad, dyad_guid, speakers,
                      selections, origin)

    def _variable_values(self, element: Element) -> dict[str, str]:
        values: dict[str, str] = {}
        for value in children(element, "VariableValue"):
            ref = child(value, "VariableRef")
            target = normalise_guid(ref.get("targetGUID")) if ref is not None else None
            meaning = self.variables.get(target or "")
            if meaning is None:
                continue
            for part in value:
                if local_name(part.tag) != "VariableRef" and part.text is not None:
                    values[meaning] = part.text.strip()
        return values

    def _text_of(self, element: Element, what: str, quiet: bool = False
                 ) -> tuple[SourceText, str]:
        """The element's plain text (inline or from its `sources/` member), normalised."""
        inline = child(element, "PlainTextContent")
        if inline is not None:
            text = normalise(inline.text or "")
            if not text.text.strip() and not quiet:
                self.warn(f"{what} has no usable text; imported empty")
            return text, "inline"
        reference = element.get("plainTextPath")
        if not reference:
            if not quiet:
                self.warn(f"{what} has no plain text; imported empty")
            return normalise(""), ""
        member = self._member(reference)
        if member is None:
            if not quiet:
                rich = element.get("richTextPath")
                also = f" (its rich text {rich!r} is not read)" if rich else ""
                self.warn(f"{what}: its text {reference!r} is not in the archive{also}; "
                          "imported empty")
            return normalise(""), ""
        decoded, note = decode(self.archive.read(member))
        if note and not quiet:
            self.warn(f"{what}: {member} {note}" + ("; imported empty" if decoded is None else ""))
        text = normalise(decoded or "")
        if not text.text.strip() and not quiet:
            rich = element.get("richTextPath")
            also = f" (its rich text {rich!r} is not read)" if rich else ""
            self.warn(f"{what} has no usable text in {member}{also}; imported empty")
        return text, member

    def _member(self, reference: str) -> str | None:
        """The archive member a `plainTextPath` names (only `internal://` or bare names)."""
        scheme, sep, rest = reference.partition("://")
        if sep and scheme.lower() != "internal":
            return None  # relative:// or absolute:// point outside the archive: never read
        rest = rest if sep else reference
        names = [
            name
            for candidate in (rest, unquote(rest))
            for clean in [candidate.replace("\\", "/").lstrip("/")]
            for name in (f"sources/{clean}", clean)
            if not name.endswith("/")
        ]
        for name in names:
            if self.archive.has(name):
                return name
        # Tools on case-blind systems write `Sources/` or another case of the file name.
        for name in names:
            if name.casefold() in self.folded:
                return self.folded[name.casefold()]
        return None

    @cached_property
    def folded(self) -> dict[str, str]:
        """Member names by their case-folded form, for names no other member folds to."""
        counts = Counter(name.casefold() for name in self.archive.names())
        return {name.casefold(): name for name in self.archive.names()
                if counts[name.casefold()] == 1}

    def _selections(self, source: Element, source_name: str) -> list[Selection]:
        found: list[Selection] = []
        for coding_number, coding in enumerate(children(source, "Coding")):
            where = f"a coding of the whole source {source_name!r}"
            found.append(self._coding(coding, None, None, None, None, [], where,
                                      f"{source.get('guid')}:{coding_number}"))
        for selection in children(source, "PlainTextSelection"):
            where = (f"selection {selection.get('name') or selection.get('guid')!r} "
                     f"in source {source_name!r}")
            start, end = _integer(selection.get("startPosition")), _integer(
                selection.get("endPosition"))
            if start is None or end is None:
                self.warn(f"{where} has no valid positions; skipped")
                continue
            notes = [n for n in (normalise_guid(r.get("targetGUID"))
                                 for r in children(selection, "NoteRef")) if n]
            codings = children(selection, "Coding")
            if not codings:
                continue
            described = child(selection, "Description")
            description = (described.text or "").strip() if described is not None else ""
            for number, coding in enumerate(codings):
                found.append(self._coding(
                    coding, start, end, normalise_guid(selection.get("creatingUser")),
                    selection.get("creationDateTime"), notes, where,
                    f"{selection.get('guid')}:{number}", description,
                ))
        return found

    def _coding(self, coding: Element, start: int | None, end: int | None,
                selection_user: str | None, selection_time: str | None,
                selection_notes: list[str], where: str, fallback: str,
                description: str = "") -> Selection:
        guid = normalise_guid(coding.get("guid")) or derived_guid("coding", fallback)
        ref = child(coding, "CodeRef")
        code = ref.get("targetGUID") if ref is not None else None
        notes = [n for n in (normalise_guid(r.get("targetGUID"))
                             for r in children(coding, "NoteRef")) if n]
        user = normalise_guid(coding.get("creatingUser")) or selection_user
        created = coding.get("creationDateTime") or selection_time
        return Selection(guid, start, end, user, code, created,
                         notes + [n for n in selection_notes if n not in notes], where,
                         description)


# -- helpers ----------------------------------------------------------------------------


def _dyad_name(raw: str) -> str:
    name = _DYAD_BAD.sub("-", " ".join(raw.split()))[:40].strip()
    return name or DEFAULT_DYAD


def _stem(reference: str | None) -> str:
    if not reference:
        return ""
    rest = reference.partition("://")[2] or reference
    return PurePosixPath(unquote(rest).replace("\\", "/")).stem.strip()


def _session(value: str | None) -> int | None:
    if value is None:
        return 1
    number = _integer(value)
    return number if number is not None and number >= 1 else None


def _integer(value: str | None) -> int | None:
    if value is None:
        return None
    text = value.strip()
    if not re.fullmatch(r"[+-]?\d{1,18}", text):
        return None
    return int(text)


def _speakers(description: str | None) -> dict[str, str]:
    """Declared speakers from our own Description line "Speakers: T = therapist; …"."""
    for line in (description or "").splitlines():
        if line.startswith("Speakers:"):
            roles = {}
            for part in line[len("Speakers:"):].split(";"):
                match = _SPEAKER.match(part)
                if match:
                    roles[match.group(1).strip()] = match.group(2)
            return roles
    return {}
