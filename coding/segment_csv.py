"""Reading segments to add from CSV (coder, document, start, end, code[, memo])."""

from __future__ import annotations

from pathlib import Path

from coding.csv_rows import read_csv_file
from coding.errors import StudyError
from coding.segments import NewSegment

REQUIRED = ("coder", "document", "start", "end", "code")


def read_segments_csv(path: Path) -> list[NewSegment]:
    """Rows as segments to add, each remembering its line for error messages."""
    rows = [
        NewSegment(
            coder=row["coder"],
            document=row["document"].strip(),
            start=row["start"],
            end=row["end"],
            code=row["code"],
            memo=row.get("memo", ""),
            where=f"{path}, line {line}",
        )
        for line, row in read_csv_file(path, REQUIRED)
    ]
    if not rows:
        raise StudyError(f"{path}: no segments in the file")
    return rows
