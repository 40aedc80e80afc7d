"""REFI-QDA codebooks (.qdc): valid, faithful, tolerant of other tools, safe."""

from __future__ import annotations

import contextlib
import tempfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coding.codebook import CodeSpec
from coding.default_codebook import default_codebook
from coding.study import Study
from exports.refi import CODEBOOK_NS, RefiError, archive
from exports.refi.qdc import describe, read_description, read_qdc, write_qdc
from tests.exports.refi.refi_helpers import NS, schema


def _as_project(qdc: bytes) -> str:
    """The codebook inside a Project, so the project schema can check it."""
    root = ET.fromstring(qdc)
    assert root.tag == f"{{{CODEBOOK_NS}}}CodeBook"
    inner = ET.tostring(root, encoding="unicode").replace(CODEBOOK_NS, NS)
    inner = inner.replace("<ns0:", "<").replace("</ns0:", "</").replace("xmlns:ns0", "xmlns")
    inner = inner.split(">", 1)[1].rsplit("<", 1)[0]  # the CodeBook's children
    return f'<Project xmlns="{NS}" name="x"><CodeBook>{inner}</CodeBook></Project>'


@pytest.fixture
def book(tmp_path):
    with Study.create(tmp_path / "s.iprw") as study:
        theme = study.codebook.add("Extra", codable=False, definition="A theme.\n\nTwo lines.")
        study.codebook.add("Half/whole", theme, exclusion="not this", color="#abcdef")
        yield study.codebook.load()


def test_written_codebook_is_valid_and_in_the_codebook_namespace(book, tmp_path):
    write_qdc(book, tmp_path / "c.qdc")
    data = (tmp_path / "c.qdc").read_bytes()
    assert data.startswith(b"<?xml")
    assert ET.fromstring(data).get("origin", "").startswith("IPR Workbench")
    schema().validate(_as_project(data))


def test_codebook_round_trips_with_uuids_and_every_field(book, tmp_path):
    write_qdc(book, tmp_path / "c.qdc")
    assert read_qdc(tmp_path / "c.qdc") == book.to_specs()


def test_codebook_imports_into_an_empty_study_exactly(book, tmp_path):
    write_qdc(book, tmp_path / "c.qdc")
    with Study.create(tmp_path / "e.iprw", codebook=read_qdc(tmp_path / "c.qdc")) as empty:
        assert empty.codebook.load().to_json() == book.to_json()


def test_codebook_from_another_tool(tmp_path):
    path = tmp_path / "atlas.qdc"
    path.write_text(
        '<?xml version="1.0" encoding="utf-8"?>'
        '<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="ATLAS.ti">'
        "<Codes><Code guid=\"{1FF58B12-6F6F-4B0C-8BE5-BBDC91F55294}\" name=\" code  one \" "
        'color="#46A" isCodable="1"><Description>description</Description>'
        '<Code guid="2FF58B12-6F6F-4B0C-8BE5-BBDC91F55294" name="child" isCodable="false"/>'
        '</Code></Codes><Sets><Set name="group" guid="ECA18D76-2B8B-4F26-BC1D-19ECA19FB3F0"/>'
        "</Sets></CodeBook>", encoding="utf-8")
    [code] = read_qdc(path)
    assert (code.name, code.uuid, code.color, code.codable, code.definition) == (
        "code one", "1ff58b12-6f6f-4b0c-8be5-bbdc91f55294", "#4466AA", True, "description")
    assert code.children[0].codable is False


def test_codebook_in_the_project_namespace_or_inside_a_project_is_read(tmp_path):
    code = '<Code guid="aaaaaaaa-0000-4000-8000-000000000001" name="A" isCodable="true"/>'
    (tmp_path / "p.qdc").write_text(f'<CodeBook xmlns="{NS}"><Codes>{code}</Codes></CodeBook>')
    (tmp_path / "p.qde").write_text(
        f'<Project xmlns="{NS}" name="p"><CodeBook><Codes>{code}</Codes></CodeBook></Project>')
    assert [s.name for s in read_qdc(tmp_path / "p.qdc")] == ["A"]
    assert [s.name for s in read_qdc(tmp_path / "p.qde")] == ["A"]


def test_codes_without_guids_get_stable_ones(tmp_path):
    (tmp_path / "n.qdc").write_text('<CodeBook><Codes><Code name="A" isCodable="true"/>'
                                    "</Codes></CodeBook>")
    first, second = read_qdc(tmp_path / "n.qdc"), read_qdc(tmp_path / "n.qdc")
    assert first[0].uuid and first == second


def test_twin_codes_at_the_top_without_guids_get_names_and_guids_of_their_own(tmp_path):
    (tmp_path / "t.qdc").write_text('<CodeBook><Codes><Code name="Fear"/><Code name=" Fear "/>'
                                    '<Code name="Fear"/></Codes></CodeBook>')
    warnings: list[str] = []
    specs = read_qdc(tmp_path / "t.qdc", warnings.append)
    assert [spec.name for spec in specs] == ["Fear", "Fear (2)", "Fear (3)"]
    assert len({spec.uuid for spec in specs}) == 3
    assert [w for w in warnings if "share the name" in w] == [
        f"codes at the top level share the name 'Fear'; one came in as 'Fear ({n})' "
        "(rename it in the codebook as you like)" for n in (2, 3)
    ]
    with Study.create(tmp_path / "s.iprw", codebook=specs) as study:
        assert [code.path for code in study.codebook.load().walk()] == [
            "Fear", "Fear (2)", "Fear (3)"]


@pytest.mark.parametrize("content, words", [
    ('<!DOCTYPE CodeBook [<!ENTITY x "y">]><CodeBook><Codes/></CodeBook>', "DTD"),
    ("<CodeBook><Codes>", "malformed"),
    ("<Project name='x'/>", "no codebook"),
    ("<Codes/>", "not a REFI-QDA codebook"),
    ("<CodeBook><Codes/></CodeBook>", "no codes"),
    ("", "malformed"),
])
def test_bad_codebooks_are_refused_with_the_file_named(tmp_path, content, words):
    path = tmp_path / "bad.qdc"
    path.write_text(content)
    with pytest.raises(RefiError, match=words) as refused:
        read_qdc(path)
    assert str(path) in str(refused.value)


def test_a_huge_codebook_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(archive, "MAX_XML_BYTES", 100)
    path = tmp_path / "big.qdc"
    path.write_text("<CodeBook><Codes>" + " " * 200 + "</Codes></CodeBook>")
    with pytest.raises(RefiError, match="larger than"):
        read_qdc(path)


def test_an_empty_codebook_is_not_written(tmp_path):
    with pytest.raises(RefiError, match="empty"):
        write_qdc([], tmp_path / "e.qdc")
    assert not (tmp_path / "e.qdc").exists()


def test_specs_without_uuids_are_written_with_stable_guids(tmp_path):
    write_qdc(default_codebook(), tmp_path / "a.qdc")
    write_qdc(default_codebook(), tmp_path / "b.qdc")
    schema().validate(_as_project((tmp_path / "a.qdc").read_bytes()))
    assert (tmp_path / "a.qdc").read_bytes() == (tmp_path / "b.qdc").read_bytes()
    assert all(spec.uuid for spec in read_qdc(tmp_path / "a.qdc"))


def test_the_default_codebook_writes_and_reads_back(tmp_path):
    specs = default_codebook()
    with Study.create(tmp_path / "d.iprw", codebook=specs) as study:
        write_qdc(study.codebook.load(), tmp_path / "d.qdc")
        schema().validate(_as_project((tmp_path / "d.qdc").read_bytes()))
        assert read_qdc(tmp_path / "d.qdc") == study.codebook.load().to_specs()


_plain = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=40).map(str.strip)


@given(_plain, _plain, _plain, _plain, st.one_of(st.none(), st.sampled_from(["1", "Alt+F"])))
def test_descriptions_read_back_into_the_same_fields(definition, inclusion, exclusion, example,
                                                     shortcut):
    spec = CodeSpec("x", definition=definition, inclusion=inclusion, exclusion=exclusion,
                    example=example, shortcut=shortcut)
    fields = read_description(describe(spec))
    assert fields.get("definition", "") == definition
    assert fields.get("inclusion", "") == inclusion
    assert fields.get("exclusion", "") == exclusion
    assert fields.get("example", "") == example
    assert (fields.get("shortcut") or None) == shortcut


_paragraph = st.one_of(
    _plain,
    st.builds(lambda label, rest: f"{label}: {rest}".strip(),
              st.sampled_from(["Inclusion", "Exclusion", "Example", "Shortcut",
                               "\\Example", "\\\\Inclusion"]), _plain),
)
_field = st.lists(_paragraph, max_size=3).map(lambda parts: "\n\n".join(parts).strip())


@given(_field, _field, _field, _field)
def test_fields_holding_labelled_paragraphs_read_back_unchanged(definition, inclusion,
                                                                 exclusion, example):
    spec = CodeSpec("x", definition=definition, inclusion=inclusion, exclusion=exclusion,
                    example=example)
    fields = read_description(describe(spec))
    assert [fields.get(name, "") for name in ("definition", "inclusion", "exclusion",
                                              "example")] == [definition, inclusion, exclusion,
                                                              example]
    assert fields.get("shortcut") in (None, "")


def test_a_definition_with_an_example_paragraph_keeps_it_through_a_qdc(tmp_path):
    spec = CodeSpec("Fear", definition='Client names fear.\n\nExample: "I was terrified"',
                    example="I froze", inclusion="explicit words\n\nShortcut: not a key",
                    uuid="79f3df7f-6910-4ab6-8691-f05dc8d3b0bd")
    write_qdc([spec], tmp_path / "fear.qdc")
    assert read_qdc(tmp_path / "fear.qdc") == [spec]

def test_a_plain_description_is_all_definition():
    assert read_description("First.\n\nSecond paragraph.") == {
        "definition": "First.\n\nSecond paragraph."}


def test_write_qdc_replaces_a_file_only_when_complete(book, tmp_path: Path):
    target = tmp_path / "c.qdc"
    target.write_text("old")
    write_qdc(book, target)
    assert read_qdc(target) == book.to_specs()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".c.qdc")] == []


@settings(max_examples=150, deadline=None)
@given(st.one_of(st.binary(max_size=300), st.text(max_size=300).map(
    lambda t: f"<CodeBook><Codes>{t}</Codes></CodeBook>".encode("utf-8", "surrogatepass"))))
def test_any_file_gives_specs_or_a_refi_error(data):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "f.qdc"
        path.write_bytes(data)
        with contextlib.suppress(RefiError):
            assert isinstance(read_qdc(path), list)
