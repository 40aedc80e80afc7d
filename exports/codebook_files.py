"""Codebook files by extension, for the command line and the app alike.

Reads .csv and REFI-QDA .qdc; writes .csv, .qdc and a Word coder's manual (.docx).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from coding.codebook import Codebook, CodeSpec
from coding.codebook_csv import read_codebook_csv, write_codebook_csv
from coding.errors import StudyError
from exports.codebook_docx import write_codebook_docx
from exports.refi.qdc import read_qdc, write_qdc

Warn = Callable[[str], None]
READERS: dict[str, Callable[[Path, Warn | None], list[CodeSpec]]] = {
    ".csv": lambda path, warn: read_codebook_csv(path),
    ".qdc": read_qdc,
}
WRITERS = {".csv": write_codebook_csv, ".qdc": write_qdc, ".docx": write_codebook_docx}


def read_codebook_file(path: str | Path, warn: Warn | None = None) -> list[CodeSpec]:
    """A codebook file as a tree of specs; what was repaired on the way in goes to `warn`."""
    path = Path(path)
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise StudyError(f"{path}: codebooks can be read from .qdc or .csv files")
    if not path.is_file():
        raise StudyError(f"{path}: no such codebook file")
    return reader(path, warn)


def write_codebook_file(codebook: Codebook, path: str | Path) -> Path:
    """Write the codebook in the format its extension names; returns where."""
    path = Path(path)
    writer = WRITERS.get(path.suffix.lower())
    if writer is None:
        raise StudyError(f"{path}: codebooks can be written as .qdc, .csv or .docx")
    writer(codebook, path)
    return path
