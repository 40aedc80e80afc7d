"""Where an export goes: a file named for its format, so the name never lies about the content.

A `.txt` holding a zip, or a `.csv` holding a workbook, opens in the wrong program or
not at all; each writer refuses such a name up front, before any work is done.
"""

from __future__ import annotations

from pathlib import Path

from coding.errors import StudyError


def require_suffix(path: str | Path, suffix: str, what: str) -> Path:
    """`path` if its extension is `suffix` (any case), else a `StudyError` saying how to fix it."""
    path = Path(path)
    if path.suffix.lower() != suffix:
        raise StudyError(f"{path}: {what} is written as a {suffix} file; "
                         f"name it {path.stem or path.name}{suffix}")
    return path
