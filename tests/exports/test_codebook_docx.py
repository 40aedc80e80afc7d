"""The codebook as a coder's manual (.docx), read back with python-docx."""

from __future__ import annotations

import docx
import pytest
from docx.oxml.ns import qn

from coding.codebook import CodeSpec
from coding.study import Study
from exports.codebook_docx import write_codebook_docx
from workbench.cli import main

FIELDS = {
    "Definition": "definition",
    "Use when": "inclusion",
    "Do not use when": "exclusion",
    "Example": "example",
}


def _headings(document) -> list[tuple[int, str]]:
    return [
        (int(p.style.name.split()[1]), p.text)
        for p in document.paragraphs
        if p.style.name.startswith("Heading ")
    ]


def _blocks(document) -> list[dict[str, str]]:
    """Definition blocks: the two-column tables after the quick reference."""
    return [
        {row.cells[0].text: row.cells[1].text for row in table.rows}
        for table in document.tables[1:]
    ]


def _fill(cell) -> str | None:
    shading = cell._tc.tcPr.find(qn("w:shd")) if cell._tc.tcPr is not None else None
    return None if shading is None else shading.get(qn("w:fill"))


def test_default_codebook_headings_follow_the_tree(study, tmp_path):
    book = study.codebook.load()
    out = write_codebook_docx(book, tmp_path / "codebook.docx")
    document = docx.Document(out)
    expected = [(1, "Quick reference")]
    for code in book.walk():
        expected.append((code.depth + 1, code.name))
    assert _headings(document) == expected
    assert all(p.style.builtin for p in document.paragraphs if p.style.name.startswith("Heading"))
    assert document.paragraphs[0].style.name == "Title"


def test_every_code_has_its_definition_block(study, tmp_path):
    book = study.codebook.load()
    document = docx.Document(write_codebook_docx(book, tmp_path / "codebook.docx"))
    blocks = _blocks(document)
    codes = list(book.walk())
    assert len(blocks) == len(codes)
    for code, block in zip(codes, blocks, strict=True):
        for label, name in FIELDS.items():
            if code.codable or getattr(code, name):
                assert block[label] == getattr(code, name), (code.path, label)
        assert block["Colour"].strip() == code.color
        if code.codable:
            assert block["Shortcut"] == code.shortcut
        else:
            assert block["Applied"].startswith("No: a theme groups the codes")


def test_colour_swatches_and_the_quick_reference(study, tmp_path):
    book = study.codebook.load()
    document = docx.Document(write_codebook_docx(book, tmp_path / "codebook.docx"))
    reference = document.tables[0]
    assert [c.text for c in reference.rows[0].cells] == ["Theme / code", "Shortcut", "Colour",
                                                         "Hex"]
    assert reference.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    codes = list(book.walk())
    for code, row in zip(codes, reference.rows[1:], strict=True):
        assert row.cells[0].text.strip() == code.name
        assert row.cells[1].text == (code.shortcut or "")
        assert _fill(row.cells[2]) == code.color.lstrip("#")
    # The swatch in each block is a shaded run in the code's colour.
    colour_rows = [t.rows[-1] for t in document.tables[1:]]
    for code, row in zip(codes, colour_rows, strict=True):
        run_fill = row.cells[1].paragraphs[0].runs[0]._r.rPr.find(qn("w:shd")).get(qn("w:fill"))
        assert run_fill == code.color.lstrip("#")


def test_deep_codes_stay_at_heading_three_with_their_parents(tmp_path):
    tree = [
        CodeSpec("Theme", codable=False, children=(
            CodeSpec("Sub", codable=False, children=(
                CodeSpec("Leaf", definition="deep", children=(
                    CodeSpec("Deeper", definition="deeper"),
                )),
            )),
        )),
        CodeSpec("Flat code", definition="a top-level code", shortcut="F"),
    ]
    with Study.create(tmp_path / "deep.iprw", codebook=tree) as study:
        book = study.codebook.load()
    document = docx.Document(write_codebook_docx(book, tmp_path / "deep.docx"))
    assert _headings(document) == [
        (1, "Quick reference"), (1, "Theme"), (2, "Sub"), (3, "Leaf"), (3, "Leaf › Deeper"),
        (1, "Flat code"),
    ]
    blocks = _blocks(document)
    assert blocks[3]["Definition"] == "deeper"
    assert blocks[4]["Shortcut"] == "F"
    # Empty fields of a code print n/a, never a blank cell.
    assert blocks[4]["Example"] == "n/a"


def test_an_empty_codebook_is_a_short_manual(tmp_path):
    with Study.create(tmp_path / "empty.iprw", codebook=[]) as study:
        book = study.codebook.load()
    document = docx.Document(write_codebook_docx(book, tmp_path / "empty.docx"))
    assert "no codes yet" in "\n".join(p.text for p in document.paragraphs)
    assert document.tables == []


def test_cli_exports_the_codebook_as_docx(study_path, tmp_path, capsys):
    out = tmp_path / "manual.docx"
    assert main(["codebook", str(study_path), "--export", str(out)]) == 0
    assert f"wrote {out}" in capsys.readouterr().out
    headings = _headings(docx.Document(out))
    assert (1, "Safety") in headings and (2, "Growing sense of safety") in headings


@pytest.mark.parametrize("name", ["missing/manual.docx"])
def test_a_missing_folder_is_an_error(study_path, tmp_path, capsys, name):
    assert main(["codebook", str(study_path), "--export", str(tmp_path / name)]) == 2
    assert capsys.readouterr().err.startswith("error: ")
