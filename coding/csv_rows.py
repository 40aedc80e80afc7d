"""Reading the CSV files users hand us: any of our encodings, headers checked, lines kept."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

from coding.errors import StudyError
from transcripts.decoding import decode

Row = dict[str, str]


def csv_rows(text: str, name: str, required: Sequence[str]) -> list[tuple[int, Row]]:
    """Rows keyed by lower-case header, each with the line it ends on (for error messages)."""
    reader = csv.DictReader(io.StringIO(text))
    reader.fieldnames = [h.strip().lower() for h in reader.fieldnames or []]
    missing = [column for column in required if column not in reader.fieldnames]
    if missing:
        raise StudyError(f"{name}: missing column(s) {', '.join(missing)} in line 1")
    return [
        (reader.line_num, {k: (v or "") for k, v in row.items() if k is not None})
        for row in reader
    ]


def read_csv_file(path: str | Path, required: Sequence[str]) -> list[tuple[int, Row]]:
    """`csv_rows` of a file in UTF-8 (± BOM), UTF-16 or Windows-1252."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise StudyError(f"{path}: cannot read ({exc.strerror})") from None
    return csv_rows(decode(data, str(path)), str(path), required)
