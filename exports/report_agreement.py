"""The agreement part of the Word theme report: table per code and pooled, pairwise
kappas for three or more coders, the skipped documents, and the chart."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from docx.document import Document as DocxDocument

from coding.codebook import Codebook
from coding.report_data import ReportData
from coding.study import Study
from coding.study_agreement import AgreementResult, CodeAgreement, study_agreement
from exports.charts import agreement_per_code
from exports.docx_style import (
    Captions,
    Column,
    add_image,
    add_table,
    fmt_count,
    fmt_number,
    fmt_percent,
    heading,
    is_null,
    merge_row,
)
from transcripts.progress import Progress

_LISTED = 25  # skipped documents named before "and N more"


@dataclass
class AgreementSection:
    """What the agreement part shows: a result, or why there is none."""

    coders: list[str]
    unit: str
    result: AgreementResult | None = None
    reason: str = ""
    skipped: list[str] = field(default_factory=list)  # when no document could be compared


def compute_agreement(
    study: Study,
    data: ReportData,
    unit: str,
    coders: Sequence[str] | None,
    progress: Progress | None = None,
) -> AgreementSection:
    """Agreement of `coders` (default: every non-consensus coder with segments)."""
    chosen = coders is not None
    if coders is None:
        coders = [c.name for c in data.facts.coders if not c.consensus and c.segments]
    coders = list(coders)
    section = AgreementSection(coders, unit)
    if len(coders) < 2:
        if chosen:
            section.reason = "Agreement needs at least two coders; " + (
                f"only {coders[0]} was chosen." if coders else "none was chosen."
            )
        else:
            section.reason = "Agreement needs at least two coders with segments; " + (
                f"this study has one, {coders[0]}." if coders else "this study has none."
            )
        return section
    codes = None
    if data.selected_themes:
        codes = [
            code.code.path for theme in data.themes for code in theme.codes if code.code.codable
        ]
        if not codes:
            section.reason = "The chosen themes have no codes to measure agreement on."
            return section
    result = study_agreement(study, coders, unit=unit, codes=codes, progress=progress)
    if not result.documents:
        section.reason = (
            f"No document has been coded by {_every(coders)}, so there is nothing to compare."
        )
        section.skipped = list(result.skipped)
        return section
    section.result = result
    return section


def statistic_columns(coders: int) -> list[tuple[str, str]]:
    """(attribute, heading) of the statistics shown for this many coders."""
    if coders == 2:
        return [
            ("percent_agreement", "% agree"),
            ("cohen_kappa", "Cohen's κ"),
            ("positive_agreement", "Pos. agree"),
            ("krippendorff_alpha", "Kripp. α"),
        ]
    return [
        ("percent_agreement", "% agree (mean)"),
        ("positive_agreement", "Pos. agree (mean)"),
        ("fleiss_kappa", "Fleiss' κ"),
        ("krippendorff_alpha", "Kripp. α"),
    ]


def format_statistic(name: str, value: Any) -> str:
    """How the report prints a statistic: percentages for agreement rates, else 2 decimals."""
    if name in ("percent_agreement", "positive_agreement"):
        return fmt_percent(value)
    if name in ("a", "b", "c", "d"):
        return fmt_count(value)
    return fmt_number(value)


def agreement_row(row: CodeAgreement, label: str, coders: int) -> list[str]:
    """The cells of one table row, as printed."""
    cells = [label]
    if coders == 2:
        cells += [format_statistic(k, getattr(row, k)) for k in ("a", "b", "c", "d")]
    cells += [format_statistic(k, getattr(row, k)) for k, _ in statistic_columns(coders)]
    return cells


def add_agreement(
    document: DocxDocument,
    section: AgreementSection,
    book: Codebook,
    captions: Captions,
) -> None:
    heading(document, "Inter-coder agreement", 1)
    result = section.result
    if result is None:
        document.add_paragraph(section.reason)
        if section.skipped:
            document.add_paragraph(_skipped(section.skipped))
        return
    coders = len(result.coders)
    documents = len(result.documents)
    intro = document.add_paragraph()
    intro.add_run(
        f"Agreement between {_and(result.coders)} on {result.unit} units: "
        f"{result.units:,} units in {documents} document{'s' if documents != 1 else ''} "
        "that every one of them has coded. "
    )
    if coders == 2:
        intro.add_run(
            "a = both coders applied the code to a unit, b = only "
            f"{result.coders[0]}, c = only {result.coders[1]}, d = neither. "
        )
    else:
        intro.add_run(
            "With three or more coders, percent and positive agreement are means over "
            "coder pairs; Fleiss' κ and Krippendorff's α use every coder at once. "
        )
    intro.add_run(
        "A statistic that cannot be computed (its denominator is zero, e.g. a code "
        "nobody applied) is shown as n/a."
    )
    if result.skipped:
        document.add_paragraph(_skipped(result.skipped))
    else:
        document.add_paragraph("No document was skipped: every coder coded every document.")

    captions.add(
        document, "Table",
        f"Agreement per code and pooled ({result.unit} units, {_and(result.coders)})",
    )
    _agreement_table(document, result, book)
    document.add_paragraph()
    if coders > 2 and result.pairwise:
        captions.add(document, "Table", "Cohen's κ of each pair of coders over pooled decisions")
        add_table(
            document,
            [Column("Coders", 8.0), Column("Cohen's κ", 3.0, "right"),
             Column("% agree", 3.0, "right")],
            [
                (" – ".join(pair.coders), fmt_number(pair.cohen_kappa),
                 fmt_percent(pair.percent_agreement))
                for pair in result.pairwise
            ],
        )
        document.add_paragraph()
    add_agreement_chart(document, result, book, captions)


def _agreement_table(document: DocxDocument, result: AgreementResult, book: Codebook) -> None:
    coders = len(result.coders)
    statistics = statistic_columns(coders)
    if coders == 2:
        counts = ("a", "b", "c", "d")
        rows_and_pooled = [*result.codes, result.pooled]
        count_widths = [
            max(1.0, 0.19 * max(len(fmt_count(getattr(r, k))) for r in rows_and_pooled) + 0.4)
            for k in counts
        ]
        widths = (1.6, 1.6, 1.6, 1.5)
        columns = [Column("Code", 16.4 - sum(count_widths) - sum(widths))]
        columns += [Column(k, w, "right") for k, w in zip(counts, count_widths, strict=True)]
        columns += [Column(h, w, "right") for (_, h), w in zip(statistics, widths, strict=True)]
    else:
        columns = [Column("Code", 6.6)]
        columns += [Column(h, 2.5, "right") for _, h in statistics]
    rows: list[list[str]] = []
    groups: list[int] = []
    theme = None
    for row in result.codes:
        code = book.by_path.get(row.code)
        top = book.theme_of(code) if code is not None else None
        if top is not None and top is not code and top is not theme:
            theme = top
            groups.append(len(rows))
            rows.append([top.name] + [""] * (len(columns) - 1))
        label = row.code if code is None else code.name
        indent = "\u2003" if code is not None and top is not code else ""
        rows.append(agreement_row(row, indent + label, coders))
    pooled = len(rows)
    rows.append(agreement_row(result.pooled, "Pooled", coders))
    table = add_table(document, columns, rows, font_size=8.5, bold_rows=[pooled, *groups])
    for index in groups:
        merge_row(table.rows[1 + index])


def add_agreement_chart(
    document: DocxDocument, result: AgreementResult, book: Codebook, captions: Captions
) -> None:
    coders = len(result.coders)
    kappa_key, kappa_name = (
        ("cohen_kappa", "Cohen's κ") if coders == 2 else ("fleiss_kappa", "Fleiss' κ")
    )
    rows = list(result.codes)
    if not rows:
        return
    labels = [book.by_path[r.code].name if r.code in book.by_path else r.code for r in rows]
    series = {
        kappa_name: [getattr(r, kappa_key) for r in rows],
        "Krippendorff's α": [r.krippendorff_alpha for r in rows],
    }
    pooled = {
        kappa_name: getattr(result.pooled, kappa_key),
        "Krippendorff's α": result.pooled.krippendorff_alpha,
    }
    values = [*pooled.values(), *(v for column in series.values() for v in column)]
    if all(is_null(value) for value in values):
        document.add_paragraph(
            "For these codes no κ or α could be computed (e.g. no coder applied them in "
            "the documents every coder coded), so there is no chart."
        )
        return
    chunk = 30
    for start in range(0, len(rows), chunk):
        png = agreement_per_code(
            labels[start : start + chunk],
            {name: values[start : start + chunk] for name, values in series.items()},
            pooled,
        )
        add_image(document, png, 16.4)
        part = f" (part {start // chunk + 1})" if len(rows) > chunk else ""
        captions.add(
            document, "Figure",
            f"{kappa_name} and Krippendorff's α per code{part}; vertical lines: pooled values; "
            "n/a: not computable (no bar)",
        )


def _skipped(names: Sequence[str]) -> str:
    names = list(names)
    shown = ", ".join(names[:_LISTED])
    more = f" and {len(names) - _LISTED} more" if len(names) > _LISTED else ""
    return (
        f"Skipped (not coded by every coder): {len(names)} document"
        f"{'s' if len(names) != 1 else ''}: {shown}{more}."
    )


def _every(coders: Sequence[str]) -> str:
    return f"both {_and(coders)}" if len(coders) == 2 else f"every one of {_and(coders)}"


def _and(names: Sequence[str]) -> str:
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]
