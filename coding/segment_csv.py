"""Reading segments to add from CSV (coder, document, start, end, code[, memo])."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from coding.errors import StudyError
from coding.segments import NewSegment
from transcripts.decoding import decode

REQUIRED = ("coder", "document", "start", "end", "code")


def read_segments_csv(path: Path) -> list[NewSegment]:
    """Rows as segments to add, each remembering its line for error messages."""
    try:
        text = decode(Path(path).read_bytes(), str(path))
    except OSError as exc:
        raise StudyError(f"{path}: cannot read ({exc.strerror})") from None
    reader = csv.DictReader(io.StringIO(text))
    headers = [h.strip().lower() for h in reader.fieldnames or []]
    missing = [column for column in REQUIRED if column not in headers]
    if missing:
        raise StudyError(f"{path}: missing column(s) {', '.join(missing)}")
    reader.fieldnames = headers
    rows = [
        NewSegment(
            coder=row["coder"] or "",
            document=(row["document"] or "").strip(),
            start=row["start"],
            end=row["end"],
            code=row["code"] or "",
            memo=row.get("memo") or "",
            where=f"{path}, line {reader.line_num}",
        )
        for row in reader
    ]
    if not rows:
        raise StudyError(f"{path}: no segments in the file")
    return rows
