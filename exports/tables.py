"""Segments as CSV and XLSX tables for R, SPSS and Excel (SPEC §9).

One row per segment, the SPEC §6 `segments` fields as columns in that order.
CSV is UTF-8 with a byte-order mark, so Excel opens accents and emoji correctly;
a missing session time or speaker is an empty cell, never a made-up 0. In the
workbook, control characters Excel refuses become U+FFFD and a text longer than
an Excel cell holds (32,767 characters) is cut there with an ellipsis; the CSV
keeps every character. Text starting with `=` (a memo "=> rupture") stays text
in the workbook, never a formula.
Both files are written beside the target and moved into place, so a failed
export never leaves half a file where the old one was.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from coding.errors import StudyError
from coding.segments import SegmentRow
from exports.refi.output import holds_a_database
from exports.targets import require_suffix

# Column widths in characters for the workbook; long text columns wrap.
_WIDTHS = {
    "id": 38, "document": 26, "dyad": 8, "session": 9, "perspective": 17, "coder": 14,
    "code": 40, "start": 9, "end": 9, "text": 70, "speaker": 12, "role": 12,
    "session_time": 13, "memo": 40, "status": 10,
}
_WRAPPED = {"code", "text", "memo"}
_EXCEL_CELL_LIMIT = 32767


def segments_frame(rows: Sequence[SegmentRow]) -> pd.DataFrame:
    """The rows as a DataFrame with the `segments` fields as typed columns."""
    frame = pd.DataFrame(
        [row.to_json() for row in rows], columns=list(SegmentRow.FIELDS)
    )
    for column in ("session", "start", "end"):
        frame[column] = frame[column].astype("Int64")
    frame["session_time"] = frame["session_time"].astype("Float64")
    return frame


def write_segments_csv(rows: Sequence[SegmentRow], path: str | Path) -> Path:
    """Write segments as CSV (UTF-8 with BOM, one row per segment)."""
    path = require_suffix(path, ".csv", "a CSV table")
    frame = segments_frame(rows)
    with replacing(path) as partial:
        frame.to_csv(partial, index=False, encoding="utf-8-sig", lineterminator="\r\n")
    return path


def write_segments_xlsx(rows: Sequence[SegmentRow], path: str | Path) -> Path:
    """Write segments as an Excel workbook: bold frozen header, wrapped text columns."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    path = require_suffix(path, ".xlsx", "an Excel workbook")
    frame = segments_frame(rows)
    for column in frame.columns:
        if not pd.api.types.is_numeric_dtype(frame[column]):  # a dyad id can hold \x01 too
            frame[column] = frame[column].map(_excel_text, na_action="ignore")
    with replacing(path) as partial, pd.ExcelWriter(partial, engine="openpyxl") as writer:
        frame.to_excel(writer, sheet_name="Segments", index=False)
        sheet = writer.sheets["Segments"]
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = sheet.dimensions
        bold = Font(bold=True)
        top = Alignment(vertical="top")
        wrapped = Alignment(vertical="top", wrap_text=True)
        for index, name in enumerate(SegmentRow.FIELDS, start=1):
            letter = get_column_letter(index)
            sheet.column_dimensions[letter].width = _WIDTHS.get(name, 14)
            sheet.cell(row=1, column=index).font = bold
            alignment = wrapped if name in _WRAPPED else top
            for (cell,) in sheet.iter_rows(
                min_row=2, min_col=index, max_col=index, max_row=sheet.max_row
            ):
                cell.alignment = alignment
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"  # openpyxl takes "=…" for a formula; it is text
                if name == "session_time":
                    cell.number_format = "0.0##"  # seconds, up to milliseconds
    return path


def _excel_text(value: str) -> str:
    """A string Excel accepts: no control characters, at most 32,767 characters a cell."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    value = ILLEGAL_CHARACTERS_RE.sub("\uFFFD", value)
    if len(value) > _EXCEL_CELL_LIMIT:
        value = value[: _EXCEL_CELL_LIMIT - 1] + "…"
    return value


class replacing:
    """Write to a temporary name beside `path`, then move it over `path` on success."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.partial = path.with_name(f".{path.name}.{os.getpid()}.partial")

    def __enter__(self) -> Path:
        if not self.path.parent.is_dir():
            raise StudyError(f"{self.path.parent} is not a folder; create it first")
        if holds_a_database(self.path):
            raise StudyError(f"{self.path} is a study (an SQLite database), not a table; it is "
                             "left as it was: choose another file name")
        return self.partial

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            try:
                os.replace(self.partial, self.path)
            except OSError as error:
                self.partial.unlink(missing_ok=True)
                raise StudyError(f"cannot write {self.path}: {error.strerror}") from None
        else:
            self.partial.unlink(missing_ok=True)
            if isinstance(exc, OSError):
                raise StudyError(f"cannot write {self.path}: {exc.strerror or exc}") from None
