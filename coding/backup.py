"""Rotating backups of a study file, taken with SQLite's online backup API."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone
from pathlib import Path

KEEP = 5


def backup_folder(study_path: Path) -> Path:
    """Backups sit beside the study in a hidden folder named after it."""
    return study_path.parent / f".{study_path.name}.backups"


def make_backup(study_path: Path, reason: str = "backup", keep: int = KEEP) -> Path:
    """Copy the study (consistently, even while open) and keep only the newest `keep` copies."""
    folder = backup_folder(study_path)
    folder.mkdir(exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    target = folder / f"{study_path.stem}-{stamp}-{reason}.iprw"
    source = sqlite3.connect(str(study_path))
    try:
        copy = sqlite3.connect(str(target))
        try:
            source.backup(copy)
        finally:
            copy.close()
    finally:
        source.close()
    for old in list_backups(study_path)[keep:]:
        old.unlink()
    return target


def list_backups(study_path: Path) -> list[Path]:
    """Backups of this study, newest first."""
    folder = backup_folder(study_path)
    if not folder.is_dir():
        return []
    return sorted(folder.glob(f"{study_path.stem}-*.iprw"), reverse=True)
