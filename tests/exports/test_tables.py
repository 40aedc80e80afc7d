"""Segments as CSV (UTF-8 with BOM) and XLSX: read back with pandas and openpyxl."""

from __future__ import annotations

import math
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from coding.documents import ImportItem
from coding.errors import StudyError
from coding.segments import SegmentRow
from exports.tables import write_segments_csv, write_segments_xlsx
from tests.conftest import write

ACCENTED = """[00:00:03] T: Bonjour, ça va ? Crème brûlée, naïve façade — Ødegård.
[00:00:09] C: Danke schön! Straße 🙂 und 👩🏽‍⚕️ too.
"""


@pytest.fixture
def coded(loaded, tmp_path):
    """D01 (conftest) plus a session with accents and emoji, with a few segments."""
    path = write(tmp_path / "files" / "accented.txt", ACCENTED)
    loaded.documents.import_files([ImportItem(path, "D02", 1, "session")])
    safety = loaded.codebook.find("Safety/Growing sense of safety")
    fear = loaded.codebook.find("Initial fear and shame/Fear and anxiety")

    def add(document, words, code, coder, memo=""):
        doc = loaded.documents.find(document)
        start = loaded.documents.text(doc.id).index(words)
        return loaded.segments.add(doc.id, start, start + len(words), code, coder, memo)

    add("D02-S1-session", "Crème brûlée, naïve façade — Ødegård.", safety, "Zoë",
        'mémo, "quoted"')
    add("D02-S1-session", "Straße 🙂 und 👩🏽‍⚕️ too.", fear, "Alex")
    # Before the first stop: no session time, and the interviewer speaks.
    add("D01-S1-client-recall", "Stop it wherever something stood out for you.", fear, "Alex",
        "line one\nline two")
    add("D01-S1-client-recall", "Here I was terrified.", fear, "Sam")
    return loaded


def _expected(rows: list[SegmentRow]) -> list[dict]:
    return [row.to_json() for row in rows]


def _same(value, expected) -> bool:
    if expected is None:
        return value is None or value == "" or (isinstance(value, float) and math.isnan(value))
    if isinstance(expected, float):
        return value is not None and abs(float(value) - expected) < 1e-9
    if isinstance(expected, int):
        return int(value) == expected
    return ("" if value is None or (isinstance(value, float) and math.isnan(value)) else value) \
        == expected


def test_csv_has_a_bom_and_the_segments_fields_in_order(coded, tmp_path):
    rows = coded.segments.rows()
    path = write_segments_csv(rows, tmp_path / "out.csv")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    header = raw[3:].split(b"\r\n", 1)[0].decode("utf-8")
    assert header.split(",") == list(SegmentRow.FIELDS)


def test_csv_round_trips_every_field_including_accents_emoji_and_null_times(coded, tmp_path):
    rows = coded.segments.rows()
    path = write_segments_csv(rows, tmp_path / "out.csv")
    frame = pd.read_csv(path, encoding="utf-8-sig", keep_default_na=False,
                        na_values={"session_time": [""]}, dtype=str)
    assert list(frame.columns) == list(SegmentRow.FIELDS)
    assert len(frame) == len(rows) == 4
    for record, expected in zip(frame.to_dict("records"), _expected(rows), strict=True):
        for name in SegmentRow.FIELDS:
            value = record[name]
            if name == "session_time":
                value = None if pd.isna(value) else float(value)
            assert _same(value, expected[name]), (name, value, expected[name])
    texts = set(frame["text"])
    assert "Crème brûlée, naïve façade — Ødegård." in texts
    assert "Straße 🙂 und 👩🏽‍⚕️ too." in texts
    null_time = frame[frame["text"] == "Stop it wherever something stood out for you."]
    assert null_time["session_time"].isna().all()
    assert set(frame["memo"]) >= {'mémo, "quoted"', "line one\nline two"}


def test_xlsx_round_trips_every_field(coded, tmp_path):
    rows = coded.segments.rows()
    path = write_segments_xlsx(rows, tmp_path / "out.xlsx")
    sheet = openpyxl.load_workbook(path).active
    values = list(sheet.iter_rows(values_only=True))
    assert list(values[0]) == list(SegmentRow.FIELDS)
    assert len(values) == 1 + len(rows)
    for record, expected in zip(values[1:], _expected(rows), strict=True):
        for name, value in zip(SegmentRow.FIELDS, record, strict=True):
            assert _same(value, expected[name]), (name, value, expected[name])
    by_text = {record[9]: record for record in values[1:]}
    assert by_text["Stop it wherever something stood out for you."][12] is None
    assert by_text["Here I was terrified."][12] == 12.0
    assert "Straße 🙂 und 👩🏽‍⚕️ too." in by_text


def test_xlsx_header_is_bold_and_frozen_with_wrapped_text_and_wide_columns(coded, tmp_path):
    path = write_segments_xlsx(coded.segments.rows(), tmp_path / "out.xlsx")
    sheet = openpyxl.load_workbook(path).active
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.bold for cell in sheet[1])
    text_column = SegmentRow.FIELDS.index("text") + 1
    letter = openpyxl.utils.get_column_letter(text_column)
    assert sheet.column_dimensions[letter].width >= 50
    assert sheet.cell(row=2, column=text_column).alignment.wrap_text
    assert not sheet.cell(row=2, column=1).font.bold


def test_pandas_reads_the_xlsx_with_typed_columns(coded, tmp_path):
    rows = coded.segments.rows()
    path = write_segments_xlsx(rows, tmp_path / "out.xlsx")
    frame = pd.read_excel(path)
    assert frame["start"].tolist() == [row.start for row in rows]
    assert frame["session"].tolist() == [row.session for row in rows]


def test_no_segments_writes_just_the_header(tmp_path):
    csv = write_segments_csv([], tmp_path / "empty.csv")
    assert pd.read_csv(csv, encoding="utf-8-sig").columns.tolist() == list(SegmentRow.FIELDS)
    xlsx = write_segments_xlsx([], tmp_path / "empty.xlsx")
    sheet = openpyxl.load_workbook(xlsx).active
    assert sheet.max_row == 1


def test_a_missing_folder_is_a_clear_error_and_nothing_is_left(coded, tmp_path):
    with pytest.raises(StudyError, match="not a folder"):
        write_segments_csv(coded.segments.rows(), tmp_path / "missing" / "out.csv")
    with pytest.raises(StudyError, match="not a folder"):
        write_segments_xlsx(coded.segments.rows(), tmp_path / "missing" / "out.xlsx")


def test_a_failed_write_keeps_the_old_file(coded, tmp_path, monkeypatch):
    target = tmp_path / "out.csv"
    target.write_text("old", encoding="utf-8")

    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pd.DataFrame, "to_csv", broken)
    with pytest.raises(StudyError, match="No space left"):
        write_segments_csv(coded.segments.rows(), target)
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".partial")] == []


def test_xlsx_replaces_characters_excel_refuses(coded, tmp_path):
    rows = coded.segments.rows()
    odd = [SegmentRow(**{**rows[0].__dict__, "text": "bell\x07 here"})]
    path = write_segments_xlsx(odd, tmp_path / "odd.xlsx")
    sheet = openpyxl.load_workbook(path).active
    assert sheet.cell(row=2, column=10).value == "bell\ufffd here"
    every = [SegmentRow(**{**rows[0].__dict__, "dyad": "D\x01", "perspective": "other\x02"})]
    sheet = openpyxl.load_workbook(write_segments_xlsx(every, tmp_path / "all.xlsx")).active
    assert (sheet.cell(row=2, column=3).value, sheet.cell(row=2, column=5).value) == (
        "D\ufffd", "other\ufffd")
    csv = write_segments_csv(odd, tmp_path / "odd.csv")
    assert "bell\x07 here" in csv.read_text(encoding="utf-8-sig")


def test_xlsx_keeps_text_starting_with_an_equals_sign_as_text_not_a_formula(coded, tmp_path):
    rows = coded.segments.rows()
    odd = [SegmentRow(**{**rows[0].__dict__, "memo": "=> rupture here, see =SUM(A1)",
                         "text": "=HYPERLINK(\"http://x\")", "coder": "=Zoë"})]
    path = write_segments_xlsx(odd, tmp_path / "odd.xlsx")
    sheet = openpyxl.load_workbook(path).active
    for name, expected in (("memo", "=> rupture here, see =SUM(A1)"),
                           ("text", "=HYPERLINK(\"http://x\")"), ("coder", "=Zoë")):
        cell = sheet.cell(row=2, column=SegmentRow.FIELDS.index(name) + 1)
        assert (cell.data_type, cell.value) == ("s", expected)


def test_a_table_never_replaces_a_study(coded, tmp_path):
    study_file = Path(coded.path)
    for writer, suffix in ((write_segments_csv, ".csv"), (write_segments_xlsx, ".xlsx")):
        renamed = tmp_path / f"renamed{suffix}"
        renamed.write_bytes(study_file.read_bytes())
        with pytest.raises(StudyError, match=f"written as a \\{suffix} file"):
            writer(coded.segments.rows(), study_file)
        with pytest.raises(StudyError, match="is a study"):
            writer(coded.segments.rows(), renamed)
        for target in (study_file, renamed):
            assert target.read_bytes()[:16] == b"SQLite format 3\0"
