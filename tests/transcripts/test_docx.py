"""Word documents made with python-docx, and hostile or broken .docx files."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest
from transcript_helpers import check_invariants, said

from transcripts import docx_reader
from transcripts.errors import TranscriptError
from transcripts.load import parse_bytes, parse_file

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def bold_turn(document, label: str, words: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.add_run(label).bold = True
    paragraph.add_run(words)


def docx_bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_paragraphs_bold_labels_and_tables_in_body_order(tmp_path: Path):
    document = docx.Document()
    document.add_heading("Session 3 — Zoë", level=1)
    bold_turn(document, "Therapist:", " How was the week? 😀")
    bold_turn(document, "C: ", "Hard.\tReally hard.")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "T: In a cell."
    table.cell(0, 1).text = "C: Next cell."
    merged = table.cell(1, 0).merge(table.cell(1, 1))  # one cell spanning two columns
    merged.text = "T: Merged cell."
    nested = table.cell(0, 1).add_table(rows=1, cols=1)
    nested.cell(0, 0).text = "C: Nested table."
    column = document.add_table(rows=2, cols=1)
    column.cell(0, 0).merge(column.cell(1, 0)).text = "T: Merged down."
    document.add_paragraph("C: After the tables.")
    path = tmp_path / "session.docx"
    document.save(path)

    transcript = parse_file(path, "session")

    assert transcript.format == "docx"
    assert transcript.source == "session.docx"
    assert transcript.text.split("\n") == [
        "Session 3 — Zoë",
        "Therapist: How was the week? 😀",
        "C: Hard.\tReally hard.",
        "T: In a cell.",
        "C: Next cell.",
        "C: Nested table.",
        "",  # Word requires a paragraph after a table at the end of a cell
        "T: Merged cell.",
        "T: Merged down.",  # the cell it covers below is not repeated
        "C: After the tables.",
    ]
    assert said(transcript) == [
        ("Therapist", "How was the week? 😀"),
        ("C", "Hard.\tReally hard."),
        ("T", "In a cell."),
        ("C", "Next cell."),
        ("C", "Nested table."),
        ("T", "Merged cell."),
        ("T", "Merged down."),
        ("C", "After the tables."),
    ]
    check_invariants(transcript)


def test_line_break_inside_a_paragraph_is_a_new_line():
    document = docx.Document()
    paragraph = document.add_paragraph("T: first")
    paragraph.add_run().add_break()
    paragraph.add_run("C: second")

    transcript = parse_bytes(docx_bytes(document), "d.docx", "session")

    assert said(transcript) == [("T", "first"), ("C", "second")]


def document_xml(body: str, prolog: str = "", namespace: str = W_NS) -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{prolog}'
        f'<w:document xmlns:w="{namespace}"><w:body>{body}</w:body></w:document>'
    ).encode()


def package(document: bytes, main: str = "word/document.xml") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
            'openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            f'Target="/{main}"/></Relationships>',
        )
        archive.writestr(main, document)
    return buffer.getvalue()


def test_strict_open_xml_namespace_is_word_too():
    body = "<w:p><w:r><w:t>T: strict</w:t></w:r></w:p>"
    xml = document_xml(body, namespace="http://purl.oclc.org/ooxml/wordprocessingml/main")

    assert said(parse_bytes(package(xml), "d.docx", "session")) == [("T", "strict")]


def test_other_xml_namespaces_are_not_word_text():
    body = '<w:p><w:r><w:t>T: kept</w:t><x:t xmlns:x="urn:other">dropped</x:t></w:r></w:p>'

    assert parse_bytes(package(document_xml(body)), "d.docx", "session").text == "T: kept"


def test_tracked_deletions_and_field_codes_are_not_text():
    body = (
        "<w:p><w:r><w:t>T: kept</w:t></w:r>"
        "<w:del><w:r><w:delText>deleted</w:delText></w:r></w:del>"
        "<w:del><w:r><w:t>deleted by a lax writer</w:t></w:r></w:del>"
        "<w:moveFrom><w:r><w:t>moved away</w:t></w:r></w:moveFrom>"
        "<w:ins><w:r><w:t xml:space='preserve'> inserted</w:t></w:r></w:ins>"
        "<w:r><w:instrText>PAGE</w:instrText></w:r></w:p>"
        "<w:p><w:r><w:t>C: reply</w:t></w:r></w:p>"
    )

    transcript = parse_bytes(package(document_xml(body)), "d.docx", "session")

    assert transcript.text == "T: kept inserted\nC: reply"


def test_text_boxes_are_not_body_text():
    text_box = "<w:txbxContent><w:p><w:r><w:t>C: boxed</w:t></w:r></w:p></w:txbxContent>"
    body = (
        "<w:p><w:r><w:t>T: before</w:t></w:r>"
        '<mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
        f"<mc:Choice><w:r><w:drawing><anchor>{text_box}</anchor></w:drawing></w:r></mc:Choice>"
        f"<mc:Fallback><w:r><w:pict><shape>{text_box}</shape></w:pict></w:r></mc:Fallback>"
        "</mc:AlternateContent><w:r><w:t> after</w:t></w:r></w:p>"
    )

    transcript = parse_bytes(package(document_xml(body)), "d.docx", "session")

    assert transcript.text == "T: before after"


def test_a_cell_that_was_merged_before_a_tracked_change_keeps_its_text():
    cell = (
        "<w:tc><w:tcPr><w:tcPrChange><w:tcPr><w:vMerge/></w:tcPr></w:tcPrChange></w:tcPr>"
        "<w:p><w:r><w:t>C: unmerged now</w:t></w:r></w:p></w:tc>"
    )
    body = f"<w:tbl><w:tr>{cell}</w:tr></w:tbl>"

    transcript = parse_bytes(package(document_xml(body)), "d.docx", "session")

    assert said(transcript) == [("C", "unmerged now")]


def test_deeply_nested_tables_do_not_crash():
    depth = 5000
    body = "<w:tbl><w:tr><w:tc>" * depth + "<w:p><w:r><w:t>T: deep</w:t></w:r></w:p>"
    body += "</w:tc></w:tr></w:tbl>" * depth

    transcript = parse_bytes(package(document_xml(body)), "deep.docx", "session")

    assert said(transcript) == [("T", "deep")]


def zip_of(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for member, data in members.items():
            archive.writestr(member, data)
    return buffer.getvalue()


def test_package_without_relationships_falls_back_to_word_document_xml():
    data = zip_of({"word/document.xml": document_xml("<w:p><w:r><w:t>T: hi</w:t></w:r></w:p>")})

    assert said(parse_bytes(data, "d.docx", "session")) == [("T", "hi")]


def test_oversized_document_part_is_refused(monkeypatch):
    monkeypatch.setattr(docx_reader, "MAX_XML_BYTES", 100)
    body = "<w:p><w:r><w:t>T: a long enough paragraph</w:t></w:r></w:p>" * 3

    with pytest.raises(TranscriptError, match="too large"):
        parse_bytes(package(document_xml(body)), "big.docx", "session")


BILLION_LAUGHS = (
    '<!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "the file is empty"),
        (b"T: plain text renamed to .docx", "not a readable Word"),
        (b"PK\x03\x04 truncated zip", "not a readable Word"),
        (zip_of({"hello.txt": b"hi"}), "not a Word document"),
        (package(b"<x/>", "xl/workbook.xml"), "not a Word document"),
        (package(b"<w:document><unclosed"), "not a readable Word"),
        (package(document_xml("<w:p><w:r><w:t>&b;</w:t></w:r></w:p>", BILLION_LAUGHS)), "DTD"),
        (package(document_xml("")), "no text"),
        (package(document_xml("<w:p><w:r><w:t>T: \x01</w:t></w:r></w:p>")), "not a readable"),
    ],
)
def test_files_that_are_not_usable_word_documents_are_refused(data, reason):
    with pytest.raises(TranscriptError, match=reason) as caught:
        parse_bytes(data, "bad.docx", "session")

    assert caught.value.path == "bad.docx"
