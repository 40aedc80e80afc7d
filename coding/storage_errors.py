"""What SQLite's failures of the study file itself mean, said so a researcher can act.

A full disk, a file another program holds locked, a read-only file or folder, a
damaged file: SQLite reports each with its result code's fixed text. `guard`
turns those into a `StudyError` naming the study and what to do. Any other
SQLite error is a bug in the code, not in the file, and passes through untouched.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from coding.backup import is_sound, list_backups
from coding.errors import StudyError

# (text SQLite reports, what it means, what to do)
_CAUSES = (
    ("database or disk is full", "the disk is full",
     "free some space on that disk, then try again"),
    ("database is locked", "another program is holding it locked",
     "close that program (or let it finish), then try again"),
    ("readonly database", "the study file or its folder is read-only",
     "ask for write permission there, or copy the study to a folder you can write to"),
    ("unable to open database file",
     "it, or the -wal and -shm files SQLite keeps beside it, cannot be opened",
     "check that you may read and write in its folder"),
    ("disk i/o error", "the disk reported an error",
     "check that the disk (or network drive) is connected and working, then try again"),
)
_DAMAGE = ("database disk image is malformed", "file is not a database")


@contextmanager
def guard(path: Path, *, saving: bool = False) -> Iterator[None]:
    """Raise SQLite's failures of the file at `path` as a StudyError that says what to do.

    `saving` says a change was under way (and, the transaction rolled back, not saved).
    """
    try:
        yield
    except sqlite3.DatabaseError as exc:
        failure = describe(path, exc, saving=saving)
        if failure is None:
            raise
        raise failure from exc


def describe(path: Path, error: sqlite3.Error, *, saving: bool = False) -> StudyError | None:
    """The StudyError for a failure of the file itself; None for any other SQLite error."""
    text = str(error)
    lowered = text.casefold()
    if any(sign in lowered for sign in _DAMAGE):
        return StudyError(f"{path} is damaged ({text}); nothing was changed. {_restore(path)}")
    for sign, meaning, remedy in _CAUSES:
        if sign in lowered:
            outcome = "the change was not saved" if saving else "it cannot be read"
            return StudyError(f"{path}: {outcome}: {meaning}; {remedy}")
    return None


def _restore(path: Path) -> str:
    """Point to the newest backup that is whole (a backup taken since the damage is not)."""
    for backup in list_backups(path):
        if is_sound(backup):
            return f"Replace it with its newest sound backup, {backup}, or a copy of your own"
    return "Replace it with a copy of your own (IPR Workbench has no sound backup of it)"

