"""The agreement part of the Word report where agreement cannot be measured: it says why,
in plain words, instead of printing a table of zeros and n/a."""

from __future__ import annotations

import docx
import pytest

from exports.word_report import write_report

FEAR = "Initial fear and shame/Fear and anxiety"


def _code(study, document: str, coder: str, code: str = FEAR) -> None:
    doc = study.documents.find(document)
    text = study.documents.text(doc.id)
    start = len(text) - len(text.lstrip())
    study.segments.add(doc.id, start, start + 20, study.codebook.find(code), coder)


def _agreement_part(document) -> list[str]:
    texts, inside = [], False
    for paragraph in document.paragraphs:
        if paragraph.style.name == "Heading 1":
            inside = paragraph.text == "Inter-coder agreement"
            continue
        if inside:
            texts.append(paragraph.text)
    return texts


def _facts(document) -> dict[str, str]:
    return {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}


@pytest.fixture
def apart(loaded):
    """Two coders who never coded the same document."""
    _code(loaded, "D01-S1-session", "Alex")
    _code(loaded, "D01-S1-client-recall", "Sam")
    return loaded


def test_coders_without_a_common_document_get_a_plain_sentence_not_a_table(apart, tmp_path):
    out = write_report(apart, tmp_path / "apart.docx")
    document = docx.Document(out)
    text = " ".join(_agreement_part(document))
    assert "No document has been coded by both Alex and Sam" in text
    assert "D01-S1-session" in text and "D01-S1-client-recall" in text
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert not any("Agreement per code" in c or "per code;" in c for c in captions)
    assert not any(
        t.rows[0].cells[0].text == "Code" and "Kripp. α" in [c.text for c in t.rows[0].cells]
        for t in document.tables
    )
    assert _facts(document)["Agreement"].startswith("not computed (no document has been coded")


def test_the_title_page_keeps_the_case_of_coder_names(loaded, tmp_path):
    _code(loaded, "D01-S1-session", "Zoë 🌸")
    _code(loaded, "D01-S1-client-recall", "Zoë 🌸")
    out = write_report(loaded, tmp_path / "one.docx")
    document = docx.Document(out)
    agreement = _facts(document)["Agreement"]
    assert agreement.startswith("not computed (")
    assert "Zoë 🌸" in agreement  # it read 'zoë 🌸'


def test_one_chosen_agreement_coder_is_not_called_the_only_coder_of_the_study(loaded, tmp_path):
    for coder in ("Alex", "Sam"):
        _code(loaded, "D01-S1-session", coder)
    out = write_report(loaded, tmp_path / "alex.docx", agreement_coders=["Alex"])
    text = " ".join(_agreement_part(docx.Document(out)))
    assert "this study has" not in text  # it said 'this study has 1 (Alex)', yet Sam coded too
    assert "Agreement needs at least two coders; only Alex was chosen." in text


def test_no_chart_when_no_code_has_a_computable_statistic(loaded, tmp_path):
    for coder in ("Alex", "Sam"):
        _code(loaded, "D01-S1-session", coder)  # both coded, but nobody applied Safety
    out = write_report(loaded, tmp_path / "safety.docx", themes=["Safety"])
    document = docx.Document(out)
    text = " ".join(_agreement_part(document))
    assert "no κ or α could be computed" in text
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert not any("Krippendorff's α per code" in c for c in captions)  # a chart of only n/a
    assert len(document.inline_shapes) == 0
