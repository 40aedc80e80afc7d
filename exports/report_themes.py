"""The themes part of the Word theme report: an overview table and chart, then per theme
its counts table by perspective, and per code the moments both participants coded and
exemplar quotes."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from docx.document import Document as DocxDocument
from docx.shared import Pt, RGBColor

from coding.codebook import split_path
from coding.report_data import CodeReport, Count, Quote, ReportData, SharedMoment, ThemeReport
from exports.charts import CodeBar, ThemeBars, codes_by_perspective
from exports.docx_style import (
    Captions,
    Column,
    add_image,
    add_table,
    fmt_time,
    heading,
    keep_with_next,
    styled,
)

PERSPECTIVE_NAMES = {
    "session": "Session",
    "client-recall": "Client recall",
    "therapist-recall": "Therapist recall",
    "other": "Other",
}
MOMENTS_SHOWN = 5  # shared moments tabulated per code (the rest are counted)
SAID_SHOWN = 2  # passages per side of a moment
QUOTE_CHARS = 700
SAID_CHARS = 300
CHART_CODES = 30  # codes per codes-by-perspective chart


def perspective_name(perspective: str) -> str:
    return PERSPECTIVE_NAMES.get(perspective, perspective)


def count_cells(count: Count) -> list[str]:
    """Segments and dyads of one perspective, as the counts tables print them."""
    return [f"{count.segments:,}", f"{count.dyads:,}"]


def count_row(label: str, counts: dict[str, Count], total: Count, perspectives, shared: int):
    cells = [label]
    for perspective in perspectives:
        cells += count_cells(counts[perspective])
    cells += count_cells(total)
    cells.append(f"{shared:,}")
    return cells


def _count_table(
    document: DocxDocument, first: str, rows: list[list[str]], perspectives, bold: Sequence[int]
) -> None:
    """A counts table: one segments/dyads column pair per perspective, total, shared."""
    pairs = len(perspectives) + 1
    crowded = pairs >= 5  # all four perspectives: narrower columns, smaller type
    widest = max((len(cell) for row in rows for cell in row[1:]), default=1)
    width = max(1.15 if crowded else 1.25, 0.19 * widest + 0.35)
    moments = 1.5 if crowded else 1.8
    columns = [Column(first, 16.4 - pairs * 2 * width - moments)]
    for _ in range(pairs):
        columns += [Column("Seg.", width, "right"), Column("Dyads", width, "right")]
    columns.append(Column("Moments", moments, "right"))
    group = [("", 1)]
    group += [(perspective_name(p), 2) for p in perspectives]
    group += [("All", 2), ("Both", 1)]
    add_table(document, columns, rows, font_size=8 if crowded else 8.5, bold_rows=bold,
              group_header=group)


def add_overview(document: DocxDocument, data: ReportData, captions: Captions) -> None:
    perspectives = data.perspectives
    heading(document, "Overview", 2)
    if not data.segments:
        document.add_paragraph(
            f"No segment of these themes has been coded yet ({data.layer.description})."
        ).runs[0].italic = True
        return
    document.add_paragraph(
        f"{data.segments:,} coded segments from {data.layer.description}. For each "
        "perspective the table gives the coded segments (Seg.) and the number of dyads "
        "they come from; Both counts the session moments coded with the theme in the "
        "client's and in the therapist's recall (see Notes on method)."
    )
    add_overview_charts(document, data, captions)
    rows = [
        count_row(theme.theme.name, theme.counts, theme.total, perspectives, len(theme.shared))
        for theme in data.themes
    ]
    captions.add(document, "Table", "Coded segments and dyads by theme and perspective")
    _count_table(document, "Theme", rows, perspectives, bold=())
    document.add_paragraph()


def add_overview_charts(document: DocxDocument, data: ReportData, captions: Captions) -> None:
    chunks: list[list[ThemeBars]] = [[]]
    size = 0
    for theme in data.themes:
        bars = ThemeBars(
            theme.theme.name,
            [
                CodeBar(code.label, code.code.color,
                        {p: code.counts[p].segments for p in data.perspectives})
                for code in theme.codes
            ],
        )
        if size and size + len(bars.codes) + 1 > CHART_CODES:
            chunks.append([])
            size = 0
        chunks[-1].append(bars)
        size += len(bars.codes) + 1
    chunks = [chunk for chunk in chunks if any(t.codes for t in chunk)]
    for number, chunk in enumerate(chunks, start=1):
        add_image(document, codes_by_perspective(chunk, data.perspectives), 16.4)
        part = f" (part {number} of {len(chunks)})" if len(chunks) > 1 else ""
        captions.add(
            document, "Figure",
            f"Coded segments per code by perspective{part}, in each code's codebook colour",
        )


def add_theme(
    document: DocxDocument, data: ReportData, theme: ThemeReport, captions: Captions
) -> None:
    perspectives = data.perspectives
    heading(document, theme.theme.name, 2)
    if theme.theme.definition:
        paragraph = keep_with_next(document.add_paragraph(theme.theme.definition))
        paragraph.runs[0].italic = True
    coded = [code for code in theme.codes if code.total.segments]
    if not theme.codes:
        document.add_paragraph("This theme has no codes.").runs[0].italic = True
        return
    if not coded:
        document.add_paragraph(
            "No segment of this theme has been coded in this layer."
        ).runs[0].italic = True
        return
    rows = [
        count_row(code.label, code.counts, code.total, perspectives, len(code.shared))
        for code in theme.codes
    ]
    rows.append(
        count_row("All codes of the theme", theme.counts, theme.total, perspectives,
                  len(theme.shared))
    )
    captions.add(document, "Table", f"{theme.theme.name}: coded segments and dyads by perspective")
    _count_table(document, "Code", rows, perspectives, bold=[len(rows) - 1])
    document.add_paragraph()
    mixed = [m for m in theme.shared if not _same_code_both_sides(m)]
    if mixed:
        shown = mixed[:MOMENTS_SHOWN]
        text = (
            f"{len(mixed)} session moment{_s(len(mixed))} "
            f"{'were' if len(mixed) != 1 else 'was'} coded with different codes of this "
            "theme in the client's and the therapist's recall"
        )
        text += f"; the first {len(shown)} are shown." if len(shown) < len(mixed) else "."
        keep_with_next(document.add_paragraph(text))
        _moments_table(document, shown, captions, f"{theme.theme.name}: moments coded "
                       "from both perspectives with different codes", show_codes=True)
    for code in coded:
        add_code(document, code, captions)
    unused = [code.label for code in theme.codes if not code.total.segments]
    if unused:
        document.add_paragraph(
            f"Not coded in this layer: {', '.join(unused)}."
        ).runs[0].italic = True


def add_code(document: DocxDocument, code: CodeReport, captions: Captions) -> None:
    heading(document, code.label, 3)
    parts = [
        f"{perspective_name(p).lower()} {c.segments:,} in {c.dyads} dyad{_s(c.dyads)}"
        for p, c in code.counts.items() if c.segments
    ]
    document.add_paragraph(
        f"{code.total.segments:,} segment{_s(code.total.segments)} from "
        f"{code.total.dyads} dyad{_s(code.total.dyads)}: {'; '.join(parts)}."
    )
    if code.shared:
        shown = code.shared[:MOMENTS_SHOWN]
        more = len(code.shared) - len(shown)
        heading(document, "Moments coded from both perspectives", 4)
        text = (
            f"{len(code.shared)} session moment{_s(len(code.shared))} "
            f"{'were' if len(code.shared) != 1 else 'was'} coded with this code in both "
            "the client's and the therapist's recall"
        )
        text += f"; the first {len(shown)} are shown." if more else "."
        keep_with_next(document.add_paragraph(text))
        _moments_table(document, shown, captions, f"{code.label}: moments coded from both "
                       "perspectives, with what each participant said")
    if code.quotes:
        heading(document, "Exemplar quotes", 4)
        for quote in code.quotes:
            add_quote(document, quote)


def add_quote(document: DocxDocument, quote: Quote) -> None:
    text = _shorten(quote.text, QUOTE_CHARS)
    paragraph = styled(document, "", "Quote")
    paragraph.add_run(f"“{text}”")
    keep_with_next(paragraph)
    source = styled(document, "", "Quote")
    source.paragraph_format.space_after = Pt(8)
    run = source.add_run("— " + quote_source(quote))
    run.italic = False
    run.font.size = Pt(8.5)
    run.font.color.rgb = RGBColor(0x55, 0x55, 0x55)


def quote_source(quote: Quote) -> str:
    """Where a quote was said: dyad, session, perspective, speaker, session time, coder."""
    speaker = quote.speaker or "unknown speaker"
    if quote.role and quote.role.lower() != speaker.lower():
        speaker += f" ({quote.role})"
    parts = [
        f"{quote.dyad}, session {quote.session}",
        perspective_name(quote.perspective).lower(),
        speaker,
        f"session time {fmt_time(quote.session_time)}",
        f"coded by {quote.coder}" + (", approved" if quote.status == "approved" else ""),
    ]
    return " · ".join(parts)


def _moments_table(
    document: DocxDocument,
    moments: Sequence[SharedMoment],
    captions: Captions,
    caption: str,
    show_codes: bool = False,
) -> None:
    captions.add(document, "Table", caption)
    rows = [
        [
            f"{m.dyad}, session {m.session}\n{_span(m)}",
            _said(m.client, show_codes),
            _said(m.therapist, show_codes),
        ]
        for m in moments
    ]
    add_table(
        document,
        [Column("Moment", 3.2), Column("Client recall", 6.6), Column("Therapist recall", 6.6)],
        rows,
        font_size=8.5,
    )
    document.add_paragraph()


def _span(moment: SharedMoment) -> str:
    if moment.start == moment.end:
        return fmt_time(moment.start)
    return f"{fmt_time(moment.start)}–{fmt_time(moment.end)}"


def _said(quotes: Sequence[Quote], show_codes: bool) -> str:
    lines = []
    for quote in quotes[:SAID_SHOWN]:
        text = f"“{_shorten(quote.text, SAID_CHARS)}”"
        if show_codes:
            text += f" [{split_path(quote.code)[-1]}]"
        lines.append(text)
    if len(quotes) > SAID_SHOWN:
        lines.append(f"(+{len(quotes) - SAID_SHOWN} more)")
    return "\n".join(lines)


def _same_code_both_sides(moment: SharedMoment) -> bool:
    return bool({q.code for q in moment.client} & {q.code for q in moment.therapist})


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return textwrap.shorten(text, limit, placeholder=" …")


def _s(count: int) -> str:
    return "" if count == 1 else "s"
