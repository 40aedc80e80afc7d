"""Exporting a study as a .qdpx: valid against the REFI-QDA schema, faithful, deterministic."""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from coding.study import Study
from exports.refi import RefiError
from exports.refi.project_export import PERSPECTIVE_VARIABLE, SESSION_VARIABLE, export_qdpx
from tests.exports.refi.refi_helpers import NS, schema
from transcripts.errors import WorkbenchError
from transcripts.progress import Cancelled

Q = f"{{{NS}}}"


def _read(path: Path) -> tuple[bytes, dict[str, bytes]]:
    with zipfile.ZipFile(path) as archive:
        return archive.read("project.qde"), {
            n: archive.read(n) for n in archive.namelist() if n != "project.qde"
        }


@pytest.fixture
def exported(coded: Study, tmp_path: Path):
    path = tmp_path / "out.qdpx"
    export_qdpx(coded, path)
    xml, members = _read(path)
    return coded, ET.fromstring(xml), xml, members


def test_export_is_valid_against_the_refi_qda_schema(exported):
    _, _, xml, _ = exported
    schema().validate(xml.decode("utf-8"))


def test_the_schema_check_would_catch_a_broken_export(exported):
    _, _, xml, _ = exported
    broken = xml.decode("utf-8").replace('isCodable="false"', 'isCodable="maybe"', 1)
    assert not schema().is_valid(broken)


def test_sources_hold_each_document_text_exactly(exported):
    study, root, _, members = exported
    docs = study.documents.list()
    assert set(members) == {f"sources/{d.uuid}.txt" for d in docs}
    for doc in docs:
        assert members[f"sources/{doc.uuid}.txt"] == study.documents.text(doc.id).encode("utf-8")
    sources = {s.get("guid"): s for s in root.iter(f"{Q}TextSource")}
    for doc in docs:
        source = sources[doc.uuid]
        assert source.get("name") == doc.name
        assert source.get("plainTextPath") == f"internal://{doc.uuid}.txt"


def test_selections_count_code_points_and_carry_one_coding_each(exported):
    study, root, _, _ = exported
    rows = {r.id: r for r in study.segments.rows()}
    texts = {d.uuid: study.documents.text(d.id) for d in study.documents.list()}
    book = study.codebook.load()
    coders = {c.name: c.uuid for c in study.coders.list()}
    seen = set()
    for source in root.iter(f"{Q}TextSource"):
        for selection in source.iter(f"{Q}PlainTextSelection"):
            [coding] = selection.findall(f"{Q}Coding")
            row = rows[coding.get("guid")]
            start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
            assert (start, end) == (row.start, row.end)
            assert texts[source.get("guid")][start:end] == row.text
            assert coding.get("creatingUser") == selection.get("creatingUser") == coders[row.coder]
            assert coding.find(f"{Q}CodeRef").get("targetGUID") == book.find(row.code).uuid
            seen.add(row.id)
    assert seen == set(rows)
    emoji = next(r for r in rows.values() if r.text == "😊")
    assert emoji.end - emoji.start == 1


def test_codebook_themes_are_not_codable_and_keep_colours_and_criteria(exported):
    study, root, _, _ = exported
    codes = {c.get("guid"): c for c in root.iter(f"{Q}Code")}
    book = study.codebook.load()
    assert set(codes) == set(book.by_uuid)
    for code in book.walk():
        element = codes[code.uuid]
        assert element.get("name") == code.name
        assert element.get("isCodable") == ("true" if code.codable else "false")
        assert element.get("color") == code.color
    level1 = codes[book.find("Extra\\/theme/Level 1").uuid]
    assert "Inclusion: in" in level1.find(f"{Q}Description").text
    assert [c.get("name") for c in level1.findall(f"{Q}Code")] == ["Level 2"]


def test_users_are_the_coders(exported):
    study, root, _, _ = exported
    assert {(u.get("guid"), u.get("name")) for u in root.iter(f"{Q}User")} == {
        (c.uuid, c.name) for c in study.coders.list()}


def test_dyads_are_cases_and_perspective_and_session_are_variables(exported):
    study, root, _, _ = exported
    [case] = root.iter(f"{Q}Case")
    docs = study.documents.list()
    dyad_uuid = study.query("SELECT uuid FROM dyads WHERE name = 'D01'")[0][0]
    assert (case.get("guid"), case.get("name")) == (dyad_uuid, "D01")
    assert {r.get("targetGUID") for r in case.findall(f"{Q}SourceRef")} == {d.uuid for d in docs}
    variables = {v.get("guid"): (v.get("name"), v.get("typeOfVariable"))
                 for v in root.iter(f"{Q}Variable")}
    assert variables == {PERSPECTIVE_VARIABLE: ("perspective", "Text"),
                         SESSION_VARIABLE: ("session", "Integer")}
    for source in root.iter(f"{Q}TextSource"):
        doc = next(d for d in docs if d.uuid == source.get("guid"))
        values = {v.find(f"{Q}VariableRef").get("targetGUID"): v[1].text
                  for v in source.findall(f"{Q}VariableValue")}
        assert values == {PERSPECTIVE_VARIABLE: doc.perspective, SESSION_VARIABLE: "1"}


def test_memos_are_notes_referenced_from_their_selection(exported):
    study, root, _, _ = exported
    notes = {n.get("guid"): n.find(f"{Q}PlainTextContent").text for n in root.iter(f"{Q}Note")}
    memos = {}
    for selection in root.iter(f"{Q}PlainTextSelection"):
        refs = [r.get("targetGUID") for r in selection.findall(f"{Q}NoteRef")]
        memos[selection.find(f"{Q}Coding").get("guid")] = notes[refs[0]] if refs else ""
    assert memos == {r.id: r.memo for r in study.segments.rows()}
    assert sum(1 for m in memos.values() if m) == len(notes) == 3


def test_speakers_are_described_on_the_source(exported):
    _, root, _, _ = exported
    descriptions = [s.find(f"{Q}Description").text for s in root.iter(f"{Q}TextSource")]
    assert "Speakers: C = client; T = therapist" in descriptions or (
        "Speakers: T = therapist; C = client" in descriptions)


def test_export_is_deterministic(coded, tmp_path):
    export_qdpx(coded, tmp_path / "a.qdpx")
    export_qdpx(coded, tmp_path / "b.qdpx")
    assert (tmp_path / "a.qdpx").read_bytes() == (tmp_path / "b.qdpx").read_bytes()


def test_an_empty_study_exports_a_valid_project(tmp_path):
    with Study.create(tmp_path / "empty.iprw", codebook=[]) as study:
        summary = export_qdpx(study, tmp_path / "empty.qdpx")
    xml, members = _read(tmp_path / "empty.qdpx")
    schema().validate(xml.decode("utf-8"))
    assert members == {} and summary.documents == 0


def test_characters_xml_cannot_hold_are_left_out(coded, tmp_path):
    segment = coded.segments.for_document(coded.documents.list()[0].id)[0]
    coded.segments.set_memo(segment, "bad \x01 byte \ufffe")
    coded.coders.get_or_create("Eve\x02")
    export_qdpx(coded, tmp_path / "x.qdpx")
    xml, _ = _read(tmp_path / "x.qdpx")
    schema().validate(xml.decode("utf-8"))
    assert b"bad  byte " in xml


def test_progress_is_reported_up_to_done(coded, tmp_path):
    seen = []
    export_qdpx(coded, tmp_path / "p.qdpx", progress=lambda f, m: seen.append(f))
    assert seen == sorted(seen) and seen[-1] == 1.0 and len(seen) >= 3


def test_the_last_progress_call_comes_before_the_file_is_in_place(coded, tmp_path):
    def cancel_at_the_end(fraction, message):
        if fraction == 1.0:
            raise Cancelled()

    with pytest.raises(Cancelled):
        export_qdpx(coded, tmp_path / "cancelled.qdpx", progress=cancel_at_the_end)

    def cancel_once_written(fraction, message):
        if (tmp_path / "late.qdpx").exists():
            raise Cancelled()

    export_qdpx(coded, tmp_path / "late.qdpx", progress=cancel_once_written)
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".qdpx"] == ["late.qdpx"]


def test_unwritable_target_is_a_clear_error_and_leaves_nothing(coded, tmp_path, monkeypatch):
    with pytest.raises(RefiError, match="not a folder"):
        export_qdpx(coded, tmp_path / "missing" / "x.qdpx")
    target = tmp_path / "keep.qdpx"
    target.write_bytes(b"old")
    written = []

    def full_disk(self, info, data, *args, **kwargs):
        if written:
            raise OSError(28, "No space left on device")
        written.append(info)

    monkeypatch.setattr(zipfile.ZipFile, "writestr", full_disk)
    with pytest.raises(RefiError, match="No space left"):
        export_qdpx(coded, target)
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir() if "keep" in p.name) == ["keep.qdpx"]


def test_a_read_only_export_is_one_snapshot_while_the_app_writes(coded, tmp_path):
    """The command line exports while the app (holding the write lock) keeps coding."""
    path = Path(coded.path)
    coded.close()
    written = []

    def app_codes_meanwhile(fraction: float, message: str) -> None:
        if not written:
            with Study.open(path) as app:
                late = app.codebook.add("Late code")
                last = app.documents.list()[-1]
                written.append(app.segments.add(last.id, 0, 5, late, "Late coder", memo="late"))

    with Study.open(path, writable=False) as reader:
        before = reader.segments.rows()
        summary = export_qdpx(reader, tmp_path / "snap.qdpx", app_codes_meanwhile)
        again = export_qdpx(reader, tmp_path / "again.qdpx")  # sees the app's change
    assert written and summary.segments == len(before)
    xml, _ = _read(tmp_path / "snap.qdpx")
    schema().validate(xml.decode("utf-8"))
    assert b"Late" not in xml
    assert again.segments == len(before) + 1
    assert b"Late code" in _read(tmp_path / "again.qdpx")[0]


def test_an_export_never_replaces_a_study(coded, tmp_path):
    """`export s.iprw --qdpx s.iprw` (a slip of the tab key) must not destroy the study."""
    study_file = Path(coded.path)
    before = study_file.read_bytes()[:16]
    renamed = tmp_path / "renamed.qdpx"
    renamed.write_bytes(study_file.read_bytes())
    for target, refusal in ((study_file, "written as a .qdpx file"), (renamed, "a study")):
        with pytest.raises(WorkbenchError, match=refusal):
            export_qdpx(coded, target)
        assert target.read_bytes()[:16] == before == b"SQLite format 3\0"
        assert not [p for p in target.parent.iterdir() if p.name.startswith(f".{target.name}.")]


def test_what_refi_qda_has_no_place_for_is_counted_as_left_out(coded, tmp_path):
    """A supervisor moving a study by .qdpx lost every approval, flag and done mark
    without a word; the summary names them (the import cannot bring them back)."""
    sam = coded.coders.get_or_create("Sam", "supervisor")
    first, second = coded.segments.for_document(coded.documents.find("D01-S1-session").id)[:2]
    coded.segments.review(first, "approved", sam)
    coded.segments.review(second, "flagged", sam, "look again")
    summary = export_qdpx(coded, tmp_path / "out.qdpx")
    assert summary.left_out() == [
        "2 review decisions (approved or flagged, with their comments) are not in a "
        "REFI-QDA project; the study file keeps them",
        "1 done mark (a coder's 'coded' on a document) is not in a REFI-QDA project; "
        "the study file keeps it",
    ]
    coded.segments.review(first, "pending", sam)
    coded.segments.review(second, "pending", sam)
    coded.coders.mark_done(coded.coders.find("Anna"), coded.documents.find(
        "D01-S1-client-recall").id, done=False)
    assert export_qdpx(coded, tmp_path / "out.qdpx").left_out() == []
