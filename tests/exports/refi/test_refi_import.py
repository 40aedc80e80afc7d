"""Importing .qdpx projects: the real interop samples and hand-built files with quirks."""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from coding.backup import list_backups
from coding.study import Study
from exports.refi import RefiError
from exports.refi.project_import import UNKNOWN_CODER, import_qdpx, import_qdpx_into, read_qdpx
from tests.exports.refi.refi_helpers import (
    CODE_A,
    CODE_B,
    NS,
    NVIVO,
    QC_TOOL,
    SOURCE,
    USER,
    guid,
    make_qdpx,
    note,
    project_xml,
    schema,
    selection,
    simple_qdpx,
    text_source,
)

QC_USER = "39633935-3331-3962-6632-373436373264"


def _xml_text(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read("project.qde").decode("utf-8")


def _xml(path: Path) -> ET.Element:
    with zipfile.ZipFile(path) as archive:
        return ET.fromstring(archive.read("project.qde"))


@pytest.fixture(scope="module")
def qc_study(tmp_path_factory):
    folder = tmp_path_factory.mktemp("qc")
    result = import_qdpx(folder / "qc.iprw", QC_TOOL)
    study = Study.open(folder / "qc.iprw", writable=False)
    yield study, result
    study.close()


# -- the real samples -------------------------------------------------------------------------


def test_qc_tool_sample_imports_every_source_and_code(qc_study):
    study, result = qc_study
    root = _xml(QC_TOOL)
    assert result.created and result.warnings == [] and not result.merge.conflicts
    docs = study.documents.list()
    assert sorted(d.name for d in docs) == ["admin-1", "board_2017"]
    assert len(study.codebook.load()) == len(list(root.iter(f"{{{NS}}}Code"))) == 262
    with zipfile.ZipFile(QC_TOOL) as archive:
        board = archive.read("sources/board_2017.txt").decode("utf-8")
    stored = study.documents.text(study.documents.find("board_2017").id)
    assert stored == board.replace("\r\n", "\n")


def test_qc_tool_sample_keeps_repeated_leaf_names_under_different_parents(qc_study):
    study, _ = qc_study
    book = study.codebook.load()
    programming = sorted(c.path for c in book.walk() if c.name == "programming")
    assert programming == ["rq1_definition/competencies/programming",
                           "rq1_definition/framings/cs_as_programming/programming"]
    assert book.by_uuid["36636563-3863-6264-3638-303637613863"].path == programming[0]
    assert book.by_uuid["36633863-3866-3131-3064-373330303936"].path == programming[1]
    assert len([c for c in book.walk() if c.name == "citizenship"]) == 3


def test_qc_tool_sample_parents_are_codable_and_keep_their_segments(qc_study):
    study, _ = qc_study
    book = study.codebook.load()
    rationales = book.by_uuid["30373965-6362-3932-6134-313438383139"]
    assert rationales.children and rationales.codable
    rows = study.segments.rows(code=rationales.path)
    assert any(r.code == "rq1_definition/rationales" for r in rows)


def test_qc_tool_sample_gives_one_segment_per_coding(qc_study):
    study, result = qc_study
    root = _xml(QC_TOOL)
    codings = list(root.iter(f"{{{NS}}}Coding"))
    rows = study.segments.rows()
    assert len(rows) == len(codings) == 205 == result.merge.segments_added
    assert {r.id for r in rows} == {c.get("guid") for c in codings}
    selection_guid = "31323635-3231-6561-6361-666136663837"  # line:60, two codings
    two = [r for r in rows if (r.start, r.end) == (3670, 3750)]
    assert len(two) == 2 and len({r.code for r in two}) == 2
    assert selection_guid not in {r.id for r in rows}


def test_qc_tool_sample_users_come_in_by_guid(qc_study):
    study, _ = qc_study
    assert [(c.uuid, c.name) for c in study.coders.list()] == [(QC_USER, "cp")]
    assert {r.coder for r in study.segments.rows()} == {"cp"}


def test_qc_tool_sample_segment_text_is_the_selected_characters(qc_study):
    study, _ = qc_study
    with zipfile.ZipFile(QC_TOOL) as archive:
        board = archive.read("sources/board_2017.txt").decode("utf-8")
    root = _xml(QC_TOOL)
    first = next(root.iter(f"{{{NS}}}PlainTextSelection"))
    start, end = int(first.get("startPosition")), int(first.get("endPosition"))
    row = next(r for r in study.segments.rows() if r.id == first[0].get("guid"))
    assert (row.start, row.end) == (start, end) and row.text == board[start:end]


def test_qc_tool_sample_defaults_place_documents(qc_study):
    study, _ = qc_study
    for doc in study.documents.list():
        assert (doc.dyad, doc.session, doc.perspective) == ("IMPORTED", 1, "other")


def test_nvivo_sample_imports_empty_sources_with_warnings(tmp_path):
    result = import_qdpx(tmp_path / "n.iprw", NVIVO)
    with Study.open(tmp_path / "n.iprw", writable=False) as study:
        docs = study.documents.list()
        assert sorted(d.name for d in docs) == ["33663939-3636-3632-3038-613431643463",
                                                "66653866-6334-3535-3435-366637306566"]
        assert all(d.chars == 0 for d in docs)
        assert {d.uuid for d in docs} == {"d097e6fd-7671-4d95-a8b6-7795fa4a72e1",
                                          "e65f5ee2-9a55-47f1-bb0b-4921d8ce15c4"}
        assert sorted(c.name for c in study.coders.list()) == ["chrisp", "cp"]
        assert study.coders.find("chrisp").uuid == "1b0b1791-be46-4557-9957-7333544cfaf2"
        assert len(study.codebook.load()) == 262
    empty = [w for w in result.warnings if "no usable text" in w]
    assert len(empty) == 2 and all(".docx" in w for w in empty)


def test_nvivo_export_of_the_same_project_matches_codes_and_users_by_guid(tmp_path):
    study_path = tmp_path / "qc.iprw"
    import_qdpx(study_path, QC_TOOL)
    result = import_qdpx(study_path, NVIVO)
    assert not result.created
    assert result.merge.codes_added == 0 and result.merge.coders_added == 1
    assert result.merge.documents_added == 2 and not result.merge.conflicts
    with Study.open(study_path, writable=False) as study:
        assert len(study.codebook.load()) == 262
        assert study.coders.find("cp").uuid == QC_USER


def test_importing_the_same_file_twice_adds_nothing(tmp_path):
    study_path = tmp_path / "qc.iprw"
    import_qdpx(study_path, QC_TOOL)
    again = import_qdpx(study_path, QC_TOOL)
    assert again.merge.added == 0 and not again.merge.conflicts and again.warnings == []


# -- hand-built quirks ------------------------------------------------------------------------


def _import(tmp_path: Path, qdpx: Path, study: str = "s.iprw"):
    result = import_qdpx(tmp_path / study, qdpx)
    opened = Study.open(tmp_path / study, writable=False)
    return result, opened


def test_crlf_text_is_normalised_and_positions_remapped(tmp_path):
    text = "T: Hello there.\r\nC: I was scared.\r\nT: Go on.\r\n"
    start = text.index("scared")
    qdpx = simple_qdpx(tmp_path / "crlf.qdpx", text, selection(start, start + 6))
    result, study = _import(tmp_path, qdpx)
    with study:
        doc = study.documents.list()[0]
        assert study.documents.text(doc.id) == text.replace("\r\n", "\n")
        [row] = study.segments.rows()
        assert row.text == "scared" and row.start == start - 1
        assert doc.utterances == 3
    assert result.warnings == []


def test_a_bom_is_not_counted(tmp_path):
    text = "C: Ängste, 😊 und Scham.\n"
    start = text.index("Scham")
    qdpx = simple_qdpx(tmp_path / "bom.qdpx", text, selection(start, start + 5),
                       raw=b"\xef\xbb\xbf" + text.encode("utf-8"))
    _, study = _import(tmp_path, qdpx)
    with study:
        [row] = study.segments.rows()
        assert row.text == "Scham" and (row.start, row.end) == (start, start + 5)
        assert not study.documents.text(study.documents.list()[0].id).startswith("\ufeff")


def test_utf16_with_bom_is_read(tmp_path):
    text = "C: Scham.\n"
    qdpx = simple_qdpx(tmp_path / "u16.qdpx", text, selection(3, 8),
                       raw=text.encode("utf-16"))
    _, study = _import(tmp_path, qdpx)
    with study:
        assert study.segments.rows()[0].text == "Scham"


def test_cp1252_text_is_read_with_a_warning(tmp_path):
    text = "C: café\n"
    qdpx = simple_qdpx(tmp_path / "w.qdpx", text, selection(3, 7), encoding="cp1252")
    result, study = _import(tmp_path, qdpx)
    with study:
        assert study.segments.rows()[0].text == "café"
    assert any("Windows-1252" in w for w in result.warnings)


def test_bad_positions_are_skipped_with_warnings_and_the_rest_imports(tmp_path):
    text = "T: one two three\n"
    selections = (selection(3, 6) + selection(9, 4) + selection(10, 500) + selection(-2, 4)
                  + selection(5, 5) + selection(11, 16))
    qdpx = simple_qdpx(tmp_path / "bad.qdpx", text, selections)
    result, study = _import(tmp_path, qdpx)
    with study:
        assert sorted(r.text for r in study.segments.rows()) == ["one", "three"]
    bad = [w for w in result.all_warnings() if "reversed or outside" in w]
    assert len(bad) == 4


def test_non_numeric_positions_are_skipped(tmp_path):
    text = "T: one two\n"
    broken = selection(3, 6).replace('startPosition="3"', 'startPosition="three"')
    qdpx = simple_qdpx(tmp_path / "nan.qdpx", text, broken + selection(7, 10))
    result, study = _import(tmp_path, qdpx)
    with study:
        assert [r.text for r in study.segments.rows()] == ["two"]
    assert any("no valid positions" in w for w in result.warnings)


def test_whitespace_only_selection_is_skipped(tmp_path):
    text = "T: one    two\n"
    qdpx = simple_qdpx(tmp_path / "ws.qdpx", text, selection(6, 9) + selection(3, 6))
    result, study = _import(tmp_path, qdpx)
    with study:
        assert [r.text for r in study.segments.rows()] == ["one"]
    assert any("whitespace" in w for w in result.all_warnings())


def test_unknown_code_and_user_references_are_skipped(tmp_path):
    text = "T: one two three\n"
    stranger = "99999999-9999-4999-8999-999999999999"
    selections = (selection(3, 6) + selection(7, 10, code=stranger)
                  + selection(11, 16, user=stranger))
    qdpx = simple_qdpx(tmp_path / "refs.qdpx", text, selections)
    result, study = _import(tmp_path, qdpx)
    with study:
        assert [r.text for r in study.segments.rows()] == ["one"]
    assert any("unknown code" in w and stranger in w for w in result.warnings)
    assert any("unknown user" in w and stranger in w for w in result.warnings)


def test_guids_in_braces_and_upper_case_match_their_references(tmp_path):
    codes = (f'<CodeBook><Codes><Code guid="{{{CODE_A.upper()}}}" name="Fear" '
             'isCodable="true"/></Codes></CodeBook>')
    users = f'<Users><User guid="{USER.upper()}" name="Alice" id="A"/></Users>'
    qdpx = simple_qdpx(tmp_path / "braces.qdpx", "T: one\n",
                       selection(3, 6, code=f"{{{CODE_A}}}", user=f"{{{USER.upper()}}}"),
                       codes=codes, users=users)
    result, study = _import(tmp_path, qdpx)
    with study:
        assert study.codebook.load().roots[0].uuid == CODE_A
        assert study.coders.find("Alice").uuid == USER
        [row] = study.segments.rows()
        assert (row.code, row.coder) == ("Fear", "Alice")
    assert result.warnings == []


def test_creating_user_on_the_selection_or_nowhere(tmp_path):
    text = "T: one two\n"
    selections = selection(3, 6, user_on_selection=True) + selection(7, 10, user=None)
    qdpx = simple_qdpx(tmp_path / "users.qdpx", text, selections)
    result, study = _import(tmp_path, qdpx)
    with study:
        assert {r.text: r.coder for r in study.segments.rows()} == {
            "one": "Alice", "two": UNKNOWN_CODER}
    assert any("name no user" in w for w in result.warnings)


def test_memos_come_from_notes_and_unknown_notes_are_reported(tmp_path):
    memo_guid, missing = guid(1, "note"), guid(2, "note")
    extra = f'<NoteRef targetGUID="{memo_guid}"/><NoteRef targetGUID="{missing}"/>'
    qdpx = simple_qdpx(tmp_path / "memo.qdpx", "T: one\n", selection(3, 6, extra=extra),
                       notes=f"<Notes>{note(memo_guid, 'felt <safe> & seen')}</Notes>")
    result, study = _import(tmp_path, qdpx)
    with study:
        assert study.segments.rows()[0].memo == "felt <safe> & seen"
    assert any("unknown note" in w for w in result.warnings)


def test_a_selection_description_is_the_memo_as_qualcoder_writes_it(tmp_path):
    """QualCoder exports a coded segment's memo as the selection's <Description>."""
    memo_guid, first, second = guid(1, "note"), guid(1, "coding"), guid(2, "coding")
    both = (f'<PlainTextSelection guid="{guid(1, "selection")}" startPosition="3" '
            f'endPosition="6" creatingUser="{USER}"><Description>felt &lt;safe&gt; here'
            f'</Description><Coding guid="{first}"><CodeRef targetGUID="{CODE_A}"/>'
            f'</Coding><Coding guid="{second}"><CodeRef targetGUID="{CODE_B}"/>'
            f'</Coding><NoteRef targetGUID="{memo_guid}"/></PlainTextSelection>')
    qdpx = simple_qdpx(tmp_path / "described.qdpx", "T: one\n", both,
                       notes=f"<Notes>{note(memo_guid, 'and a note')}</Notes>")
    assert not list(schema().iter_errors(_xml_text(qdpx)))
    result, study = _import(tmp_path, qdpx)
    with study:
        memos = [row.memo for row in study.segments.rows()]
    assert memos == ["felt <safe> here\n\nand a note"] * 2
    assert result.merge.segments_added == 2

def test_notes_attached_to_no_coded_selection_are_reported_not_dropped_silently(tmp_path):
    memo, journal = guid(1, "note"), guid(2, "note")
    qdpx = simple_qdpx(tmp_path / "journal.qdpx", "T: one\n",
                       selection(3, 6, extra=f'<NoteRef targetGUID="{memo}"/>'),
                       notes=f"<Notes>{note(memo, 'on the segment')}"
                             f"{note(journal, 'project journal')}</Notes>")
    result, study = _import(tmp_path, qdpx)
    with study:
        assert [row.memo for row in study.segments.rows()] == ["on the segment"]
    assert [w for w in result.warnings if "1 note" in w and "not imported" in w]

def test_source_without_name_or_text_member(tmp_path):
    other = "5a5a5a5a-0000-4000-8000-000000000002"
    sources = (text_source(selection(3, 6), name=None, path="notes%20one.txt")
               + text_source(name=None, guid_=other, path="internal://missing.txt"))
    qdpx = make_qdpx(tmp_path / "paths.qdpx", project_xml(sources),
                     {"sources/notes one.txt": "T: one\n"})
    result, study = _import(tmp_path, qdpx)
    with study:
        docs = {d.name: d.chars for d in study.documents.list()}
        assert docs == {"notes one": 7, "missing": 0}
        assert study.segments.rows()[0].text == "one"
    assert any("not in the archive" in w for w in result.warnings)


def test_sources_without_any_name_get_unique_default_names(tmp_path):
    other = "5a5a5a5a-0000-4000-8000-000000000002"
    sources = (f'<TextSource guid="{SOURCE}"><PlainTextContent>T: a\n</PlainTextContent>'
               f'</TextSource><TextSource guid="{other}"><PlainTextContent>T: b\n'
               "</PlainTextContent></TextSource>")
    result, study = _import(tmp_path, make_qdpx(tmp_path / "n.qdpx", project_xml(sources)))
    with study:
        assert sorted(d.name for d in study.documents.list()) == [
            "IMPORTED-S1-other", "IMPORTED-S1-other (2)"]


def test_text_that_is_not_a_transcript_is_kept_as_plain_text(tmp_path):
    text = "[00:75:00] T: impossible clock\nT: but codable\n"
    start = text.index("codable")
    qdpx = simple_qdpx(tmp_path / "clock.qdpx", text, selection(start, start + 7))
    result, study = _import(tmp_path, qdpx)
    with study:
        doc = study.documents.list()[0]
        assert study.documents.text(doc.id) == text and doc.utterances == 0
        assert study.segments.rows()[0].text == "codable"
    assert any("without speaker turns" in w for w in result.warnings)


def test_control_characters_are_kept_as_plain_text(tmp_path):
    text = "T: bell\x07 here\n"
    qdpx = simple_qdpx(tmp_path / "bell.qdpx", text, selection(3, 7))
    result, study = _import(tmp_path, qdpx)
    with study:
        assert study.segments.rows()[0].text == "bell"
    assert any("without speaker turns" in w for w in result.warnings)


def test_minimal_project_with_no_optional_parts(tmp_path):
    qdpx = make_qdpx(tmp_path / "min.qdpx", f'<Project xmlns="{NS}" name="Bare"/>')
    result, study = _import(tmp_path, qdpx)
    with study:
        assert study.documents.list() == [] and len(study.codebook.load()) == 0
        assert study.title == "Bare"
    assert result.merge.added == 0


def test_project_without_xml_declaration_or_namespace(tmp_path):
    xml = project_xml(text_source(selection(3, 6)), declaration=False).replace(
        f' xmlns="{NS}"', "")
    qdpx = make_qdpx(tmp_path / "plain.qdpx", xml, {f"sources/{SOURCE}.txt": "T: one\n"})
    _, study = _import(tmp_path, qdpx)
    with study:
        assert study.segments.rows()[0].code == "Fear"


def test_whole_source_coding_becomes_a_segment_over_the_text(tmp_path):
    body = (f'<Coding guid="{guid(9)}" creatingUser="{USER}">'
            f'<CodeRef targetGUID="{CODE_B}"/></Coding>')
    qdpx = simple_qdpx(tmp_path / "whole.qdpx", "T: one\n", body)
    _, study = _import(tmp_path, qdpx)
    with study:
        [row] = study.segments.rows()
        assert (row.start, row.end, row.code) == (0, 7, "Fear/Shame")


def test_inline_text_of_only_spaces_is_imported_empty_with_warnings(tmp_path):
    body = (f"<PlainTextContent>  \n </PlainTextContent><Coding guid=\"{guid(9)}\" "
            f'creatingUser="{USER}"><CodeRef targetGUID="{CODE_B}"/></Coding>')
    source = f'<TextSource guid="{SOURCE}" name="blank">{body}</TextSource>'
    result, study = _import(tmp_path, make_qdpx(tmp_path / "blank.qdpx", project_xml(source)))
    with study:
        assert [doc.chars for doc in study.documents.list()] == [0]
        assert study.segments.rows() == []
    assert [w for w in result.warnings if "'blank' has no usable text" in w]
    assert [w for w in result.warnings if "whole source 'blank'" in w and "no text" in w]
    assert not [w for w in result.warnings if "None" in w]

def test_a_sources_folder_spelled_with_a_capital_is_found(tmp_path):
    """Some tools write `Sources/`; QualCoder reads both spellings, and so do we."""
    qdpx = make_qdpx(tmp_path / "capital.qdpx", project_xml(text_source(selection(3, 6))),
                     {f"Sources/{SOURCE.upper()}.TXT": "T: one\n"})
    result, study = _import(tmp_path, qdpx)
    with study:
        assert [row.text for row in study.segments.rows()] == ["one"]
    assert not result.warnings

def test_other_source_kinds_are_reported(tmp_path):
    pdf = f'<PDFSource guid="{guid(3)}" name="scan" path="internal://x.pdf"/>'
    result, study = _import(tmp_path, make_qdpx(tmp_path / "pdf.qdpx", project_xml(pdf)))
    study.close()
    assert any("PDFSource" in w for w in result.warnings)


def test_variables_and_cases_from_another_tool(tmp_path):
    perspective, session = guid(1, "var"), guid(2, "var")
    variables = (f'<Variables><Variable guid="{perspective}" name="Perspective" '
                 f'typeOfVariable="Text"/><Variable guid="{session}" name="session" '
                 'typeOfVariable="Integer"/></Variables>')
    cases = (f'<Cases><Case guid="{guid(5, "case")}" name="Dyad 7/A">'
             f'<SourceRef targetGUID="{SOURCE}"/></Case></Cases>')
    values = (f'<VariableValue><VariableRef targetGUID="{perspective}"/>'
              "<TextValue>client-recall</TextValue></VariableValue>"
              f'<VariableValue><VariableRef targetGUID="{session}"/>'
              "<IntegerValue>3</IntegerValue></VariableValue>")
    qdpx = make_qdpx(tmp_path / "vars.qdpx",
                     project_xml(text_source(values), extra=variables + cases),
                     {f"sources/{SOURCE}.txt": "C: one\n"})
    result, study = _import(tmp_path, qdpx)
    with study:
        doc = study.documents.list()[0]
        assert (doc.dyad, doc.session, doc.perspective) == ("Dyad 7-A", 3, "client-recall")
    assert any("became dyad" in w for w in result.warnings)


def test_a_case_naming_an_unknown_source_is_reported(tmp_path):
    missing = guid(9, "source")
    cases = (f'<Cases><Case guid="{guid(5, "case")}" name="D07">'
             f'<SourceRef targetGUID="{SOURCE}"/><SourceRef targetGUID="{missing}"/>'
             "</Case></Cases>")
    qdpx = make_qdpx(tmp_path / "cases.qdpx", project_xml(text_source(), extra=cases),
                     {f"sources/{SOURCE}.txt": "C: one\n"})
    result, study = _import(tmp_path, qdpx)
    with study:
        assert [doc.dyad for doc in study.documents.list()] == ["D07"]
    assert [w for w in result.warnings if missing in w and "D07" in w]

def test_unusable_variable_values_fall_back_with_warnings(tmp_path):
    perspective, session = guid(1, "var"), guid(2, "var")
    variables = (f'<Variables><Variable guid="{perspective}" name="perspective" '
                 f'typeOfVariable="Text"/><Variable guid="{session}" name="session" '
                 'typeOfVariable="Text"/></Variables>')
    values = (f'<VariableValue><VariableRef targetGUID="{perspective}"/>'
              "<TextValue>supervisor</TextValue></VariableValue>"
              f'<VariableValue><VariableRef targetGUID="{session}"/>'
              "<TextValue>first</TextValue></VariableValue>")
    qdpx = make_qdpx(tmp_path / "vars.qdpx", project_xml(text_source(values), extra=variables),
                     {f"sources/{SOURCE}.txt": "C: one\n"})
    result, study = _import(tmp_path, qdpx)
    with study:
        doc = study.documents.list()[0]
        assert (doc.session, doc.perspective) == (1, "other")
    assert sum("using" in w for w in result.warnings) == 2


def test_sibling_codes_with_the_same_name_both_survive(tmp_path):
    codes = ('<CodeBook><Codes>'
             f'<Code guid="{CODE_A}" name="Fear" isCodable="true"/>'
             f'<Code guid="{CODE_B}" name="Fear" isCodable="true"/></Codes></CodeBook>')
    qdpx = simple_qdpx(tmp_path / "twins.qdpx", "T: one two\n",
                       selection(3, 6, code=CODE_A) + selection(7, 10, code=CODE_B), codes=codes)
    result, study = _import(tmp_path, qdpx)
    with study:
        book = study.codebook.load()
        assert (book.by_uuid[CODE_A].name, book.by_uuid[CODE_B].name) == ("Fear", "Fear (2)")
        assert {r.text: r.code for r in study.segments.rows()} == {"one": "Fear",
                                                                   "two": "Fear (2)"}
    assert any("Fear (2)" in w for w in result.all_warnings())


def test_code_descriptions_colours_and_codable_flags_come_in(tmp_path):
    codes = ('<CodeBook><Codes>'
             f'<Code guid="{CODE_A}" name="Theme" isCodable="false" color="#0a0">'
             "<Description>About it.\n\nInclusion: in\n\nExclusion: out</Description>"
             f'<Code guid="{CODE_B}" name="Leaf" isCodable="true" color="not a colour"/>'
             "</Code></Codes></CodeBook>")
    qdpx = make_qdpx(tmp_path / "desc.qdpx", project_xml(codes=codes))
    _, study = _import(tmp_path, qdpx)
    with study:
        theme = study.codebook.find("Theme")
        assert (theme.codable, theme.color, theme.definition, theme.inclusion,
                theme.exclusion) == (False, "#00AA00", "About it.", "in", "out")
        assert study.codebook.find("Theme/Leaf").color == "#00AA00"  # inherited


def test_a_selection_on_a_theme_is_skipped(tmp_path):
    codes = (f'<CodeBook><Codes><Code guid="{CODE_A}" name="Theme" isCodable="false"/>'
             "</Codes></CodeBook>")
    qdpx = simple_qdpx(tmp_path / "theme.qdpx", "T: one\n", selection(3, 6), codes=codes)
    result, study = _import(tmp_path, qdpx)
    with study:
        assert study.segments.rows() == []
    assert any("is a theme" in w for w in result.all_warnings())


def test_merge_into_existing_study_reports_a_changed_text(tmp_path):
    qdpx = simple_qdpx(tmp_path / "a.qdpx", "T: one two\n", selection(3, 6))
    import_qdpx(tmp_path / "s.iprw", qdpx)
    changed = simple_qdpx(tmp_path / "b.qdpx", "T: uno dos\n",
                          selection(7, 10, coding_guid=guid(77, "coding")))
    result = import_qdpx(tmp_path / "s.iprw", changed)
    assert result.merge.segments_added == 0 and result.merge.documents_added == 0
    assert any("another text" in str(c) for c in result.merge.conflicts)
    assert any("text differs" in w for w in result.all_warnings())


def test_import_into_an_open_study_merges_after_a_backup(study, tmp_path):
    """The app holds its study open (and locked): it imports through `import_qdpx_into`."""
    qdpx = simple_qdpx(tmp_path / "a.qdpx", "T: one two\n", selection(3, 6))
    result = import_qdpx_into(study, qdpx)
    assert not result.created and result.study == study.path and result.source == qdpx
    assert result.merge.documents_added == 1 and result.merge.segments_added == 1
    assert [row.text for row in study.segments.rows()] == ["one"]
    assert "before-import" in list_backups(study.path)[0].name
    assert import_qdpx_into(study, qdpx).merge.added == 0


def test_a_refused_file_leaves_an_open_study_as_it_was(study, tmp_path):
    make_qdpx(tmp_path / "bad.qdpx", None, {"sources/x.txt": "T: hi\n"})
    before = study.version
    with pytest.raises(RefiError, match="project.qde"):
        import_qdpx_into(study, tmp_path / "bad.qdpx")
    assert study.version == before and study.documents.list() == []
    assert list_backups(study.path) == []


def test_read_qdpx_refuses_a_missing_file(tmp_path):
    with pytest.raises(RefiError, match="no such file"):
        read_qdpx(tmp_path / "absent.qdpx")
