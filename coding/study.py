"""The study: one SQLite file (WAL) holding documents, codebook, coders and segments.

`Study` owns the connection, the write lock and the change events; the stores
hanging off it (`documents`, `codebook`, `coders`, `segments`) do the work.
Every change runs inside `Study.transaction()`, so a crash leaves each action
wholly there or wholly absent, and observers hear about it only after commit.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from filelock import FileLock, Timeout
from psygnal import Signal, SignalGroup
from sqlite_utils import Database

from coding.backup import backup_folder, make_backup
from coding.errors import StudyError, StudyLockedError
from coding.schema import APPLICATION_ID, SCHEMA_VERSION, known_migration_names, migrations
from coding.storage_errors import guard

if TYPE_CHECKING:
    from coding.codebook import CodeSpec

_SQLITE_HEADER = b"SQLite format 3\x00"


def new_uuid() -> str:
    return str(uuid.uuid4())


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class StudyEvents(SignalGroup):
    """What changed, announced after the transaction that changed it commits."""

    documents = Signal()
    codebook = Signal()
    coders = Signal()
    segments = Signal(object)  # frozenset of document ids whose segments changed


class Study:
    """An open study file. Use `Study.create` or `Study.open`; close it (or use `with`)."""

    def __init__(
        self, path: Path, db: Database, lock: FileLock | None, *, writable: bool = True
    ) -> None:
        from coding.codebook_store import CodebookStore
        from coding.coders import CoderStore
        from coding.documents import DocumentStore
        from coding.segments import SegmentStore

        self.path = path
        self.db = db
        self._lock = lock
        self._writable = writable
        self._depth = 0
        self._pending: dict[str, set[int]] = {}
        self.version = 0  # bumped by every change and rollback of this connection
        self.events = StudyEvents()
        self.documents = DocumentStore(self)
        self.codebook = CodebookStore(self)
        self.coders = CoderStore(self)
        self.segments = SegmentStore(self)

    # -- opening and closing -------------------------------------------------

    @classmethod
    def create(
        cls,
        path: str | Path,
        *,
        title: str | None = None,
        codebook: Sequence[CodeSpec] | None = None,
    ) -> Study:
        """Create a new study file (built aside and moved into place, so never half-made).

        `codebook` is the tree of themes and codes to start with; `None` means the
        default IPR codebook, an empty sequence means none.
        """
        from coding.default_codebook import default_codebook

        path = Path(path)
        if path.exists():
            raise StudyError(f"{path} already exists; open it, or choose another file name")
        if not path.parent.is_dir():
            raise StudyError(f"{path.parent} is not a folder; create it first")
        partial = path.with_name(f".{path.name}.{os.getpid()}.creating")
        with guard(path, saving=True):
            cls._build(path, partial, title, default_codebook() if codebook is None else codebook)
        return cls.open(path)

    @classmethod
    def _build(cls, path: Path, partial: Path, title: str | None,
               codebook: Sequence[CodeSpec]) -> None:
        db = Database(sqlite3.connect(str(partial)))
        try:
            _configure(db)
            with db.ensure_autocommit_on():
                db.execute("PRAGMA journal_mode=WAL")
            migrations.apply(db)
            db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
            db.execute(f"PRAGMA application_id={APPLICATION_ID}")
            study = cls(path, db, None, writable=True)
            with study.transaction():
                study._set_meta(
                    uuid=new_uuid(),
                    title=title or path.stem,
                    created_at=utc_now(),
                )
                study.codebook.add_tree(codebook)
            db.close()
            os.replace(partial, path)
        except BaseException:
            db.close()
            for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
                leftover.unlink(missing_ok=True)
            raise

    @classmethod
    def open(cls, path: str | Path, *, writable: bool = True) -> Study:
        """Open an existing study; `writable` takes the lock that keeps other instances out."""
        path = Path(path)
        _check_is_study_file(path)
        lock = _acquire_lock(path) if writable else None
        try:
            with guard(path):
                db = Database(sqlite3.connect(str(path), check_same_thread=False))
                try:
                    _configure(db)
                    _check_version(db, path, writable)
                except BaseException:
                    db.close()
                    raise
        except BaseException:
            if lock is not None:
                lock.release()
            raise
        return cls(path, db, lock, writable=writable)

    def close(self) -> None:
        self.db.close()
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> Study:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def writable(self) -> bool:
        return self._writable

    @property
    def data_version(self) -> int:
        """Changes whenever another connection, in any process, commits to the file."""
        return self.db.conn.execute("PRAGMA data_version").fetchone()[0]

    def cache_key(self) -> tuple[int, int]:
        """What the stores' caches are keyed on: this connection's changes and everyone
        else's commits, so a study open read-only for long never serves stale data."""
        return (self.version, self.data_version)

    def backup(self, reason: str = "backup") -> Path:
        """Write a rotating backup copy of the study beside it."""
        try:
            return make_backup(self.path, reason)
        except (OSError, sqlite3.Error) as exc:
            reason_text = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
            raise StudyError(
                f"could not write a backup of {self.path} in {backup_folder(self.path)}: "
                f"{reason_text}"
            ) from exc

    # -- transactions and events --------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[Database]:
        """One unit of work: all of it is saved, or (on any exception) none of it.

        A full disk, a damaged file or a lock held by another program is raised as
        a StudyError that names the study; the work is rolled back first.
        """
        if not self.writable:
            raise StudyError(f"{self.path} was opened read-only; open it for writing to change it")
        self._depth += 1
        try:
            with guard(self.path, saving=True), self.db.atomic():
                yield self.db
        except BaseException:
            self._depth -= 1
            self.version += 1
            if self._depth == 0:
                self._pending.clear()
            raise
        self._depth -= 1
        if self._depth == 0:
            self._emit_pending()

    def notify(self, event: str, document_ids: Sequence[int] = ()) -> None:
        """Queue a change event; it fires once the outermost transaction commits."""
        self.version += 1
        self._pending.setdefault(event, set()).update(document_ids)

    def _emit_pending(self) -> None:
        pending, self._pending = self._pending, {}
        for event, ids in pending.items():
            signal = getattr(self.events, event)
            if event == "segments":
                signal.emit(frozenset(ids))
            else:
                signal.emit()

    # -- study facts -----------------------------------------------------------

    def meta(self) -> dict[str, str]:
        return {row[0]: row[1] for row in self.db.execute("SELECT key, value FROM meta")}

    def _set_meta(self, **values: str) -> None:
        for key, value in values.items():
            self.db.execute(
                "INSERT INTO meta(key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [key, value],
            )

    @property
    def title(self) -> str:
        return self.meta().get("title", self.path.stem)

    def set_title(self, title: str) -> None:
        with self.transaction():
            self._set_meta(title=title)

    def query(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[sqlite3.Row]:
        """Rows of a read query as `sqlite3.Row` (by name and by index)."""
        cursor = self.db.conn.cursor()
        cursor.row_factory = sqlite3.Row
        return cursor.execute(sql, params).fetchall()


def _configure(db: Database) -> None:
    db.execute("PRAGMA foreign_keys=ON")
    db.execute("PRAGMA busy_timeout=5000")


def _check_is_study_file(path: Path) -> None:
    if not path.exists():
        raise StudyError(f"{path} does not exist; create it with `ipr-workbench new {path}`")
    if not path.is_file():
        raise StudyError(f"{path} is not a file")
    try:
        with open(path, "rb") as handle:
            header = handle.read(100)
    except OSError as exc:
        raise StudyError(
            f"{path} cannot be read ({exc.strerror}); ask for permission to read it"
        ) from None
    if len(header) < 100 or not header.startswith(_SQLITE_HEADER):
        raise StudyError(f"{path} is not an IPR Workbench study (not an SQLite file)")
    if int.from_bytes(header[68:72], "big") != APPLICATION_ID:
        raise StudyError(f"{path} is an SQLite file but not an IPR Workbench study")


def _check_version(db: Database, path: Path, writable: bool) -> None:
    version = db.execute("PRAGMA user_version").fetchone()[0]
    applied = {m.name for m in migrations.applied(db)}
    if version > SCHEMA_VERSION or applied - known_migration_names():
        raise StudyError(
            f"{path} was written by a newer IPR Workbench (schema {version}, this release "
            f"reads up to {SCHEMA_VERSION}); upgrade IPR Workbench to open it"
        )
    if version < SCHEMA_VERSION:
        if not writable:
            raise StudyError(
                f"{path} uses an older schema ({version}); open it for writing once to upgrade it"
            )
        make_backup(path, reason=f"before-schema-{SCHEMA_VERSION}")
        migrations.apply(db)
        db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")


def _acquire_lock(path: Path) -> FileLock:
    """Take the lock that keeps other instances from writing (its file stays beside the
    study on release: filelock keeps it, so that every waiter locks one and the same file)."""
    lock_path = Path(f"{path}.lock")
    lock = FileLock(str(lock_path), timeout=0)
    try:
        lock.acquire()
    except Timeout:
        raise StudyLockedError(
            f"{path} is open in another IPR Workbench window or command; "
            "close it there first, then try again"
        ) from None
    except OSError as exc:
        raise StudyError(_lock_failure(path, lock_path, exc)) from None
    return lock


def _lock_failure(path: Path, lock_path: Path, error: OSError) -> str:
    where = f"{path}: its lock file {lock_path.name}"
    if error.errno not in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"{where} cannot be made ({error.strerror}); check the disk, then try again"
    if lock_path.exists():
        return (f"{where} cannot be written ({error.strerror}): another account left it; "
                "when the study is open nowhere, delete that file")
    return (f"{where} cannot be made ({error.strerror}): its folder is read-only; copy the "
            "study to a folder you can write to")
