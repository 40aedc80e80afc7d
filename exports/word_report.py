"""The Word theme report (SPEC §9): what a research team hands to a supervisor.

Title page with the study's facts; contents; the codebook with definitions; per
theme and code the coded segments and dyads by perspective, the moments both
participants coded with what each said, and exemplar quotes; the agreement table
and charts; notes on method. Built-in heading styles (navigation pane, TOC),
real tables with repeated header rows, captions with SEQ fields.

The numbers come from `coding.report_data` and `coding.study_agreement`; this
module only lays them out. The file is written beside the target and moved into
place at the end, so a cancelled or failed report leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from docx.document import Document as DocxDocument
from docx.shared import Pt

from coding.codebook import Codebook
from coding.errors import StudyError
from coding.moments import DEFAULT_WINDOW
from coding.report_data import ReportData, report_data
from coding.study import Study
from coding.study_agreement import UNITS
from exports.codebook_docx import add_codebook
from exports.docx_style import (
    Captions,
    Column,
    add_page_numbers,
    add_table,
    fill_toc,
    heading,
    new_document,
    page_break,
    shade,
    styled,
    toc_placeholder,
)
from exports.report_agreement import AgreementSection, add_agreement, compute_agreement
from exports.report_themes import add_overview, add_theme, perspective_name
from exports.tables import replacing
from exports.targets import require_suffix
from transcripts.progress import Progress, report, scaled

_DYADS_LISTED = 30


def write_report(
    study: Study,
    path: str | Path,
    *,
    coder: str | None = None,
    consensus: bool = False,
    all_coders: bool = False,
    themes: Sequence[str] | None = None,
    unit: str = "sentence",
    agreement_coders: Sequence[str] | None = None,
    progress: Progress | None = None,
) -> Path:
    """Write the theme report of `study` to `path` (.docx) and return the path.

    `coder`/`consensus`/`all_coders` choose the layer (default: consensus if it has
    segments, else all coders); `themes` limits the report to some themes (names or paths);
    `unit` and `agreement_coders` set up the agreement table (default coders:
    every non-consensus coder with segments).
    """
    if unit not in UNITS:
        raise StudyError(f"unknown agreement unit {unit!r}; use one of {', '.join(UNITS)}")
    path = require_suffix(path, ".docx", "a Word report")
    data = report_data(
        study, coder=coder, consensus=consensus, all_coders=all_coders, themes=themes,
        progress=scaled(progress, 0.0, 0.5),
    )
    report(progress, 0.5, "measuring agreement")
    agreement = compute_agreement(
        study, data, unit, agreement_coders, progress=scaled(progress, 0.5, 0.7)
    )
    report(progress, 0.7, "writing the report")
    document = build_report(study.codebook.load(), data, agreement, progress)
    report(progress, 1.0, f"saving {path.name}")
    with replacing(path) as partial:
        document.save(str(partial))
    return path


def build_report(
    book: Codebook,
    data: ReportData,
    agreement: AgreementSection,
    progress: Progress | None = None,
) -> DocxDocument:
    """The report as a python-docx Document (not yet saved)."""
    title = data.facts.title
    document = new_document(title=f"{title}: theme report", subject="IPR theme report")
    captions = Captions()
    _title_page(document, data, agreement)
    page_break(document)
    anchor = toc_placeholder(document)
    page_break(document)

    heading(document, "Codebook", 1)
    document.add_paragraph(
        "The themes and codes this report is about, with the definitions the coders "
        "worked from." if data.themes else "The codebook has no themes or codes yet."
    )
    add_codebook(document, book, [theme.theme for theme in data.themes], top_level=2)
    page_break(document)

    heading(document, "Themes and codes", 1)
    add_overview(document, data, captions)
    for number, theme in enumerate(data.themes):
        report(progress, 0.75 + 0.15 * number / max(len(data.themes), 1),
               f"writing {theme.theme.name}")
        add_theme(document, data, theme, captions)
    page_break(document)

    report(progress, 0.9, "writing the agreement table")
    add_agreement(document, agreement, book, captions)
    page_break(document)
    _notes(document, data, agreement)
    fill_toc(document, anchor, levels=2)
    add_page_numbers(document, f"{title}: theme report")
    return document


# -- title page and notes ---------------------------------------------------------------


def _title_page(document: DocxDocument, data: ReportData, agreement: AgreementSection) -> None:
    facts = data.facts
    for _ in range(3):
        document.add_paragraph()
    styled(document, facts.title, "Title")
    styled(document, "Interpersonal Process Recall: theme report", "Subtitle")
    dyads = ", ".join(facts.dyads[:_DYADS_LISTED])
    if len(facts.dyads) > _DYADS_LISTED:
        dyads += f" and {len(facts.dyads) - _DYADS_LISTED} more"
    documents = sum(facts.documents.values())
    per = ", ".join(
        f"{facts.documents[p]} {perspective_name(p).lower()}" for p in data.perspectives
    )
    coders = "\n".join(
        f"{c.name} ({'consensus layer' if c.consensus else c.role}): "
        f"{c.segments:,} segment{'s' if c.segments != 1 else ''} in {c.documents} "
        f"document{'s' if c.documents != 1 else ''}"
        for c in facts.coders
    ) or "none yet"
    theme_names = [t.theme.name for t in data.themes]
    if data.selected_themes:
        themes = ", ".join(theme_names)
    else:
        themes = f"all {len(theme_names)} themes" if theme_names else "none (the codebook is empty)"
    rows = [
        ("Study file", facts.file),
        ("Study created", facts.created or "n/a"),
        ("Report written", facts.generated),
        ("Dyads", f"{len(facts.dyads)}" + (f" ({dyads})" if dyads else "")),
        ("Sessions", f"{facts.sessions}"),
        ("Documents", f"{documents}" + (f" ({per})" if per else "")),
        ("Coders", coders),
        ("Segments reported", f"{data.segments:,} from {data.layer.description}"),
        ("Themes", themes),
        ("Agreement", _agreement_fact(agreement)),
    ]
    table = add_table(
        document, [Column("", 4.0), Column("", 12.4)], rows, font_size=10
    )
    header = table.rows[0]._tr
    header.getparent().remove(header)
    for row in table.rows:
        shade(row.cells[0], "F3F5F8")
        for run in row.cells[0].paragraphs[0].runs:
            run.bold = True
    note = document.add_paragraph()
    note.paragraph_format.space_before = Pt(14)
    note.add_run(
        "Written by IPR Workbench. Counts, moments and quotes come from "
        f"{data.layer.description}; see Notes on method at the end for how they were made."
    ).italic = True


def _agreement_fact(agreement: AgreementSection) -> str:
    if agreement.result is None:
        reason = agreement.reason.rstrip(".")
        return f"not computed ({reason[:1].lower()}{reason[1:]})"
    result = agreement.result
    return f"{result.unit} units; coders {', '.join(result.coders)}"


def _notes(document: DocxDocument, data: ReportData, agreement: AgreementSection) -> None:
    heading(document, "Notes on method", 1)
    layer = {
        "consensus": "the consensus layer a supervisor built from the coders' segments",
        "coder": f"the segments of one coder, {data.layer.coders[0] if data.layer.coders else ''}",
        "all": "every coder's segments (no consensus layer with segments exists, or it "
               "was not chosen); a passage two coders both coded counts once per coder",
    }[data.layer.kind]
    window = f"{data.window:g}" if data.window != DEFAULT_WINDOW else f"{DEFAULT_WINDOW:g}"
    notes = [
        ("Segments", f"The report uses {layer}. A segment is counted under the perspective "
         "of its document: the session transcript, the client's recall interview or the "
         "therapist's recall interview. Dyads are the distinct dyads a code was applied "
         "in; a theme counts the segments of all its codes."),
        ("Moments", "In a recall interview each stop marks the session time the video was "
         "stopped at, and what the participant said until the next stop is about that "
         f"moment. Stops of the two recalls within {window} seconds of a moment's first "
         "stop are one moment. A moment is coded from both perspectives when the code "
         "(for a theme: any of its codes) was applied in the client's and in the "
         "therapist's comments on it."),
        ("Exemplar quotes", "Up to three per code: approved segments before pending ones "
         "(flagged segments are never quoted), spread across dyads and perspectives, "
         "preferring complete sentences of moderate length. A recall quote carries the "
         "session time of the stop it follows; a session quote its own clock time."),
        ("Agreement", "Computed as in the agreement command (units, a–d counts, Cohen's "
         "κ, positive agreement, Fleiss' κ, Krippendorff's α), over the documents every "
         "selected coder has coded. n/a marks a statistic whose denominator is zero; it "
         "is never printed as 0."),
    ]
    if agreement.result is None:
        notes[-1] = ("Agreement", agreement.reason)
    for label, text in notes:
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{label}. ").bold = True
        paragraph.add_run(text)
