"""The bundled sample study behind `ipr-workbench demo`.

Three fictional dyads, each with one recorded session and its client and therapist
recall interviews (in .txt, .docx, .srt and .vtt), pre-coded by two coders against
the default IPR codebook. The files live in `workbench/sample_study/`:
`manifest.csv` says which file is which document, `codings.csv` holds each coder's
segments as quotes, located in the imported text here so offsets are never stale.

No Qt here: the command line, the app and the tests all build the study the same way.
"""

from __future__ import annotations

import os
from contextlib import ExitStack
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path

from coding.csv_rows import csv_rows
from coding.documents import ImportItem, default_name
from coding.errors import StudyError
from coding.segments import NewSegment
from coding.study import Study
from transcripts.progress import Progress, report, scaled

SAMPLE_FILE = "ipr-sample.iprw"
SAMPLE_TITLE = "IPR Workbench sample study (fictional dyads D01–D03)"
_MANIFEST_COLUMNS = ("file", "dyad", "session", "perspective")
_CODINGS_COLUMNS = ("coder", "document", "quote", "code", "memo")


def sample_folder() -> Traversable:
    """The packaged sample files (a folder, or a folder inside a zip when installed so)."""
    folder = resources.files("workbench") / "sample_study"
    if folder.is_dir():
        return folder
    # `workbench` can resolve to a namespace package of the same name that shadows this
    # one (pytest puts `tests/` on sys.path, and `tests/workbench/` has no __init__.py);
    # the files are beside this module in any case.
    return Path(__file__).with_name("sample_study")


def build_sample_study(folder: Path, progress: Progress | None = None) -> Path:
    """Build `folder/ipr-sample.iprw` from the bundled files and return its path.

    An existing sample study is returned unchanged, so a second `demo` reuses it.
    The study is built under a temporary name and moved into place only when
    complete: an interrupted or cancelled build leaves nothing behind.
    """
    folder = Path(folder)
    target = folder / SAMPLE_FILE
    if target.exists():
        return target
    if not folder.is_dir():
        raise StudyError(f"{folder} is not a folder; create it first")
    partial = folder / f".{SAMPLE_FILE}.{os.getpid()}.building"
    _remove_study_files(partial)
    try:
        study = Study.create(partial, title=SAMPLE_TITLE)
        try:
            _import_documents(study, progress)
            _add_codings(study, progress)
            # Fold the write-ahead log into the file so the rename moves everything.
            study.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            study.close()
        if target.exists():  # another demo finished first; keep its study
            _remove_study_files(partial)
            return target
        os.replace(partial, target)
    except BaseException:
        _remove_study_files(partial)
        raise
    _remove_study_files(partial)  # the lock file and any empty WAL left beside it
    report(progress, 1.0, "sample study ready")
    return target


def summary(study: Study) -> str:
    """A short readable description: title, dyads, documents, coders and their segments."""
    documents = study.documents.list()
    dyads = sorted({doc.dyad for doc in documents})
    rows = study.segments.rows()
    coders = [coder for coder in study.coders.list() if not coder.consensus]
    done = _done_counts(study)
    lines = [
        study.title,
        f"{study.path}",
        f"{len(dyads)} dyads ({', '.join(dyads)}), {len(documents)} documents, "
        f"{len(coders)} coders, {len(rows)} coded segments",
        "",
        "Documents:",
    ]
    width = max((len(doc.name) for doc in documents), default=0)
    for doc in documents:
        facts = [f"{doc.utterances} utterances"]
        if doc.stops:
            facts.append(f"{doc.stops} recall stops")
        if doc.start is not None and doc.end is not None:
            facts.append(f"{_clock(doc.start)}–{_clock(doc.end)}")
        lines.append(
            f"  {doc.name:<{width}}  {doc.perspective:<16}  {doc.format:<4}  {', '.join(facts)}"
        )
    lines.append("")
    lines.append("Coders:")
    for coder in coders:
        own = [row for row in rows if row.coder == coder.name]
        coded = len({row.document for row in own})
        lines.append(
            f"  {coder.name} ({coder.role}): {len(own)} segments in {coded} documents, "
            f"{done.get(coder.id, 0)} marked done"
        )
    return "\n".join(lines)


# -- building ----------------------------------------------------------------------


def _import_documents(study: Study, progress: Progress | None) -> None:
    source = sample_folder()
    manifest = _read_csv(source, "manifest.csv", _MANIFEST_COLUMNS)
    with ExitStack() as stack:
        items = []
        for line, row in manifest:
            entry = source / row["file"]
            if not entry.is_file():
                raise StudyError(
                    f"manifest.csv, line {line}: the sample file {row['file']!r} is missing "
                    "from the installation (a packaging bug)"
                )
            path = stack.enter_context(resources.as_file(entry))
            items.append(
                ImportItem(
                    path=path,
                    dyad=row["dyad"],
                    session=int(row["session"]),
                    perspective=row["perspective"],
                    # Several files imported at once get their file name appended unless
                    # named; the sample wants the plain default names.
                    name=default_name(row["dyad"], int(row["session"]), row["perspective"]),
                )
            )
        study.documents.import_files(items, progress=scaled(progress, 0.0, 0.7))


def _add_codings(study: Study, progress: Progress | None) -> None:
    report(progress, 0.7, "adding the coders' segments")
    codings = _read_csv(sample_folder(), "codings.csv", _CODINGS_COLUMNS)
    documents = {doc.name: doc for doc in study.documents.list()}
    new: list[NewSegment] = []
    coded: dict[tuple[str, int], None] = {}  # (coder, document id), in first-seen order
    for line, row in codings:
        where = f"codings.csv, line {line}"
        doc = documents.get(row["document"])
        if doc is None:
            raise StudyError(f"{where}: no sample document named {row['document']!r}")
        quote = row["quote"]
        start = study.documents.text(doc.id).find(quote) if quote.strip() else -1
        if start < 0:
            raise StudyError(
                f"{where}: the quote {quote!r} is not in document {doc.name!r} "
                "(the bundled sample study is inconsistent; a packaging bug)"
            )
        new.append(
            NewSegment(
                coder=row["coder"],
                document=doc.name,
                start=start,
                end=start + len(quote),
                code=row["code"],
                memo=row["memo"] or "",
                where=where,
            )
        )
        coded[(row["coder"], doc.id)] = None
    with study.transaction():
        study.segments.add_many(new)
        report(progress, 0.9, "marking the documents coded")
        for coder_name, doc_id in coded:
            study.coders.mark_done(study.coders.find(coder_name), doc_id)


def _read_csv(
    folder: Traversable, name: str, columns: tuple[str, ...]
) -> list[tuple[int, dict[str, str]]]:
    """Rows of a bundled CSV with the line each ends on, checking its header."""
    try:
        text = (folder / name).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise StudyError(
            f"cannot read the bundled {name} ({exc}); reinstall IPR Workbench"
        ) from None
    return csv_rows(text, name, columns)



def _remove_study_files(path: Path) -> None:
    for leftover in (path, *(Path(f"{path}{suffix}") for suffix in ("-wal", "-shm", ".lock"))):
        leftover.unlink(missing_ok=True)


# -- reading -----------------------------------------------------------------------


def _done_counts(study: Study) -> dict[int, int]:
    """How many documents each coder has marked done, by coder id."""
    # The coder store records done marks but has no reader for them yet.
    return {
        row[0]: row[1]
        for row in study.query(
            "SELECT coder_id, COUNT(*) FROM coded_documents GROUP BY coder_id"
        )
    }


def _clock(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}"
