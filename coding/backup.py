"""Backups of a study file, kept so that a mistake found days later can still be undone.

A backup is taken with SQLite's online backup API (consistent even while the study is
open) on opening, before an import, a merge or a schema upgrade. Which are kept:

- the newest `KEEP` sound backups, however old;
- beyond them, the newest sound backup of each of the `DAYS` days before today (and of
  today), so opening the study all afternoon cannot push out yesterday's;
- a copy identical to the newest backup is not kept again: opening an unchanged study
  six times leaves one backup, not six;
- a copy that fails SQLite's quick check when taken (the study was already damaged) is
  named `….damaged.iprw`, kept only while among the newest `KEEP` backups, and never
  counts against the sound ones, so a damaged study opened again and again cannot push
  out the good copies taken before the damage.

Days are UTC days, as in the backup's name. Files in the folder whose names are not a
backup's (a copy the user put there) are never listed or removed.
"""

from __future__ import annotations

import filecmp
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

from coding.schema import APPLICATION_ID

KEEP = 5
DAYS = 14

_STAMP = "%Y%m%dT%H%M%S%fZ"
_STAMP_LENGTH = len("20260309T090000000000Z")
_SOUND = ".iprw"
_DAMAGED = ".damaged.iprw"


@dataclass(frozen=True)
class _Backup:
    path: Path
    taken: datetime
    sound: bool


def backup_folder(study_path: Path) -> Path:
    """Backups sit beside the study in a hidden folder named after it."""
    return study_path.parent / f".{study_path.name}.backups"


def make_backup(study_path: Path, reason: str = "backup", *, now: datetime | None = None) -> Path:
    """The backup holding the study as it is now: a new copy, or the newest backup when
    that already holds exactly this. Old backups past the retention rules are removed.

    `now` (timezone-aware) stamps the copy; the clock when not given.
    """
    folder = backup_folder(study_path)
    folder.mkdir(exist_ok=True)
    taken = (now or datetime.now(timezone.utc)).astimezone(timezone.utc)
    name = f"{study_path.stem}-{taken.strftime(_STAMP)}-{reason}"
    partial = folder / f".{name}.partial"  # not a backup's name until it is whole
    try:
        _copy(study_path, partial)
        backups = _backups(study_path)
        if backups and filecmp.cmp(partial, backups[0].path, shallow=False):
            return backups[0].path
        target = folder / f"{name}{_SOUND if is_sound(partial) else _DAMAGED}"
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    _prune(_backups(study_path), taken)
    return target


def list_backups(study_path: Path) -> list[Path]:
    """Backups of this study, newest first (damaged copies included, marked in their name)."""
    return [backup.path for backup in _backups(study_path)]


def is_sound(path: Path) -> bool:
    """Whether a backup is a study that passes SQLite's quick check. Backups are finished
    copies nobody writes, so they are opened immutable: nothing (-wal, -shm) is left beside
    them; and read-only, so a missing file is not created (empty, and so "sound")."""
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
        try:
            study = conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
            return study and conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        finally:
            conn.close()
    except sqlite3.Error:
        return False


def _copy(study_path: Path, target: Path) -> None:
    source = sqlite3.connect(str(study_path))
    try:
        copy = sqlite3.connect(str(target))
        try:
            source.backup(copy)
        finally:
            copy.close()
    finally:
        source.close()


def _backups(study_path: Path) -> list[_Backup]:
    folder = backup_folder(study_path)
    if not folder.is_dir():
        return []
    prefix = f"{study_path.stem}-"
    found = []
    for path in folder.iterdir():  # not glob: a study's name may hold [ ] * ?
        name = path.name
        stamp = name[len(prefix):len(prefix) + _STAMP_LENGTH]
        if not (name.startswith(prefix) and name.endswith(_SOUND)) or (
            name[len(prefix) + _STAMP_LENGTH:][:1] != "-"
        ):
            continue
        try:
            taken = datetime.strptime(stamp, _STAMP).replace(tzinfo=timezone.utc)
        except ValueError:
            continue
        found.append(_Backup(path, taken, not name.endswith(_DAMAGED)))
    return sorted(found, key=lambda backup: (backup.taken, backup.path.name), reverse=True)


def _prune(backups: list[_Backup], now: datetime) -> None:
    """Remove the backups (newest first) that the rules in the module's docstring let go."""
    sound = [backup for backup in backups if backup.sound]
    kept = {backup.path for backup in sound[:KEEP]}
    kept |= {backup.path for backup in backups[:KEEP] if not backup.sound}
    newest_of_day: dict[date, _Backup] = {}
    for backup in sound:
        newest_of_day.setdefault(backup.taken.date(), backup)
    today = now.date()
    kept |= {backup.path for day, backup in newest_of_day.items() if (today - day).days <= DAYS}
    for backup in backups:
        if backup.path not in kept:
            backup.path.unlink(missing_ok=True)
