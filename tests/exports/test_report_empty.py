"""The Word report of a study with nothing to report yet still reads as a report."""

from __future__ import annotations

import docx

from coding.study import Study
from exports.word_report import write_report


def _facts(document) -> dict[str, str]:
    return {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}


def test_a_study_without_a_codebook_says_so(tmp_path):
    with Study.create(tmp_path / "bare.iprw", codebook=[]) as study:
        out = write_report(study, tmp_path / "bare.docx")
    document = docx.Document(out)
    assert _facts(document)["Themes"] == "none (the codebook is empty)"  # was 'all 0 themes'
    paragraphs = document.paragraphs
    codebook = next(n for n, p in enumerate(paragraphs)
                    if p.style.name == "Heading 1" and p.text == "Codebook")
    assert paragraphs[codebook + 1].text == "The codebook has no themes or codes yet."
