"""Shared python-docx helpers: an A4 document with Word's built-in styles, tables with
repeated header rows and fixed column widths, captions with SEQ fields, a TOC field,
page numbers, colour swatches, and the number formats of our reports.

Everything here writes real Word structures (styles, fields, table properties), so
the navigation pane, "Update field" and the table of contents work in Word and
LibreOffice alike.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from transcripts.timestamps import clock

NA = "n/a"
PAGE_WIDTH = Cm(21.0)
PAGE_HEIGHT = Cm(29.7)
MARGIN = Cm(2.2)
TEXT_WIDTH_CM = 21.0 - 2 * 2.2  # 16.6 cm between the margins of an A4 page
HEADER_FILL = "E7EBF0"
CELL_MARGIN = Cm(0.1)
KEEP_TOGETHER_ROWS = 25
TOTAL_FILL = "F3F5F8"


# -- numbers and times ---------------------------------------------------------------


def is_null(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def fmt_number(value: Any, digits: int = 2) -> str:
    """A statistic with `digits` decimals; a missing one is "n/a", never 0."""
    if is_null(value):
        return NA
    return f"{value:.{digits}f}"


def fmt_percent(value: Any, digits: int = 1) -> str:
    """A proportion in [0, 1] as a percentage; a missing one is "n/a"."""
    if is_null(value):
        return NA
    return f"{100 * value:.{digits}f}%"


def fmt_count(value: Any) -> str:
    return NA if is_null(value) else f"{value:,}"


def fmt_time(seconds: float | None) -> str:
    """Session time as hh:mm:ss; unknown is "n/a"."""
    return NA if is_null(seconds) else clock(seconds)


# -- the document --------------------------------------------------------------------


def new_document(title: str = "", subject: str = "") -> DocxDocument:
    """An A4 portrait document with readable body text and the styles our reports use."""
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, MARGIN)
    styles = document.styles
    normal = styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(10.5)
    normal.paragraph_format.space_after = Pt(4)
    _east_asian_font(normal, "Calibri")
    for level, size in ((1, 16), (2, 13), (3, 11.5), (4, 10.5)):
        heading = styles[f"Heading {level}"]
        heading.font.size = Pt(size)
        heading.paragraph_format.keep_with_next = True
    caption = styles["Caption"]
    caption.font.size = Pt(9)
    caption.font.italic = True
    caption.font.bold = False
    caption.font.color.rgb = RGBColor(0x40, 0x40, 0x40)
    caption.paragraph_format.space_after = Pt(10)
    quote = styles["Quote"]
    quote.paragraph_format.left_indent = Cm(0.8)
    quote.paragraph_format.right_indent = Cm(0.5)
    quote.paragraph_format.space_after = Pt(2)
    quote.font.size = Pt(10)
    for level in (1, 2, 3):
        _toc_style(document, level)
    properties = document.core_properties
    properties.title = title
    properties.subject = subject
    properties.author = properties.last_modified_by = "IPR Workbench"
    properties.comments = "Written by IPR Workbench"
    # python-docx's template carries its own dates (2013), which Word shows in File ▸ Info.
    properties.created = properties.modified = datetime.now(timezone.utc).replace(microsecond=0)
    properties.revision = 1
    return document


def _east_asian_font(style, name: str) -> None:
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), name)


def _toc_style(document: DocxDocument, level: int) -> None:
    """Word's built-in "TOC n" paragraph styles (style id TOCn), indented per level."""
    name = f"TOC {level}"
    if name in [s.name for s in document.styles]:
        return
    style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = document.styles["Normal"]
    style.paragraph_format.left_indent = Cm(0.5 * (level - 1))
    style.paragraph_format.space_after = Pt(2 if level > 1 else 4)
    style.font.bold = level == 1


def style_id(document: DocxDocument, name: str) -> str:
    """The id of a paragraph style by name, looked up once per document.

    python-docx resolves a style name on every assignment by scanning all styles
    (several milliseconds each); a report sets hundreds of styles.
    """
    part = document.part
    ids = getattr(part, "_ipr_style_ids", None)
    if ids is None:
        ids = {
            style.name: style.style_id
            for style in document.styles
            if style.type == WD_STYLE_TYPE.PARAGRAPH
        }
        part._ipr_style_ids = ids
    return ids[name]


def styled(document: DocxDocument, text: str = "", style: str = "Normal") -> Paragraph:
    """A paragraph in a named paragraph style."""
    paragraph = document.add_paragraph(text)
    if style != "Normal":
        paragraph._p.style = style_id(document, style)
    return paragraph


def heading(document: DocxDocument, text: str, level: int) -> Paragraph:
    """A heading in Word's built-in "Heading n" style (navigation pane, TOC)."""
    return styled(document, text, f"Heading {level}")


def add_image(document: DocxDocument, png: bytes, width_cm: float) -> Paragraph:
    """A paragraph holding one picture, kept with the caption that follows it."""
    from io import BytesIO

    paragraph = document.add_paragraph()
    paragraph.add_run().add_picture(BytesIO(png), width=Cm(width_cm))
    paragraph.paragraph_format.keep_with_next = True
    return paragraph


def page_break(document: DocxDocument) -> None:
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def add_field(paragraph: Paragraph, instruction: str, shown: str = "") -> None:
    """A complex field (PAGE, SEQ, TOC …) with `shown` as its cached result."""
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run._r.append(begin)
    run = paragraph.add_run()
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    run._r.append(text)
    run = paragraph.add_run()
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run._r.append(separate)
    paragraph.add_run(shown)
    run = paragraph.add_run()
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(end)


def add_page_numbers(document: DocxDocument, left: str) -> None:
    """A footer with `left` text and "Page X of Y" on the right, on every page but the first."""
    section = document.sections[0]
    section.different_first_page_header_footer = True
    footer = section.footer.paragraphs[0]
    footer.text = ""
    tabs = footer.paragraph_format.tab_stops
    # The Footer style's own centre and right tabs would push a long text onto a second line.
    for inherited in footer.style.paragraph_format.tab_stops:
        tabs.add_tab_stop(inherited.position, WD_TAB_ALIGNMENT.CLEAR)
    tabs.add_tab_stop(Cm(TEXT_WIDTH_CM), WD_TAB_ALIGNMENT.RIGHT)
    if len(left) > 80:
        left = left[:79] + "…"
    footer.add_run(left + "\t")
    footer.add_run("Page ")
    add_field(footer, "PAGE", "1")
    footer.add_run(" of ").font.size = Pt(8)
    add_field(footer, "NUMPAGES", "1")
    for run in footer.runs:
        run.font.size = Pt(8)
        run.font.color.rgb = RGBColor(0x59, 0x59, 0x59)


# The settings that follow w:updateFields in the schema's sequence (ECMA-376 17.15.1.78).
_AFTER_UPDATE_FIELDS = (
    "w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat", "w:docVars", "w:rsids",
    "m:mathPr", "w:attachedSchema", "w:themeFontLang", "w:clrSchemeMapping",
    "w:doNotIncludeSubdocsInStats", "w:doNotAutoCompressPictures", "w:forceUpgrade",
    "w:captions", "w:readModeInkLockDown", "w:smartTagType", "sl:schemaLibrary",
    "w:shapeDefaults", "w:doNotEmbedSmartTags", "w:decimalSymbol", "w:listSeparator",
)


def update_fields_on_open(document: DocxDocument) -> None:
    """Ask Word to refresh fields (the TOC's page numbers) when the file is opened."""
    settings = document.settings.element
    update = settings.find(qn("w:updateFields"))
    if update is None:
        update = OxmlElement("w:updateFields")
        settings.insert_element_before(update, *_AFTER_UPDATE_FIELDS)
    update.set(qn("w:val"), "true")


def toc_placeholder(document: DocxDocument) -> Paragraph:
    """The "Contents" heading and a placeholder the TOC is put at by `fill_toc`."""
    title = styled(document, "Contents", "TOC Heading")
    title.paragraph_format.space_after = Pt(8)
    return document.add_paragraph()


def fill_toc(document: DocxDocument, anchor: Paragraph, levels: int = 2) -> None:
    """Replace `anchor` with a TOC field listing the document's headings up to `levels`.

    The field's cached result is the heading list itself (no page numbers), so the
    contents read correctly before any update; Word refreshes it with page numbers
    on opening (updateFields), LibreOffice on Tools > Update.
    """
    wanted = {style_id(document, f"Heading {level}"): level for level in range(1, levels + 1)}
    entries = [
        (wanted[paragraph._p.style], paragraph.text)
        for paragraph in document.paragraphs
        if paragraph._p.style in wanted
    ]
    instruction = f'TOC \\o "1-{levels}" \\h \\z \\u'
    paragraphs = []
    for level, text in entries or [(1, "Update the field to build the table of contents.")]:
        paragraph = anchor.insert_paragraph_before(text)
        paragraph._p.style = style_id(document, f"TOC {min(level, 3)}")
        paragraphs.append(paragraph)
    first, last = paragraphs[0], paragraphs[-1]
    begin = first.runs[0]._r
    for kind, value in (("begin", None), ("instr", instruction), ("separate", None)):
        run = OxmlElement("w:r")
        if kind == "instr":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {value} "
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        run.append(element)
        begin.addprevious(run)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run = OxmlElement("w:r")
    run.append(end)
    last._p.append(run)
    anchor._p.getparent().remove(anchor._p)
    update_fields_on_open(document)


@dataclass
class Captions:
    """Numbers tables and figures in order; each caption carries a SEQ field."""

    counts: dict[str, int] = field(default_factory=dict)

    def add(self, document: DocxDocument, label: str, text: str) -> Paragraph:
        number = self.counts.get(label, 0) + 1
        self.counts[label] = number
        paragraph = styled(document, f"{label} ", "Caption")
        add_field(paragraph, f"SEQ {label} \\* ARABIC", str(number))
        paragraph.add_run(f". {text}")
        if label == "Table":
            paragraph.paragraph_format.keep_with_next = True
            paragraph.paragraph_format.space_after = Pt(3)
        return paragraph


# -- tables --------------------------------------------------------------------------


@dataclass
class Column:
    """A table column: header text, width in cm, alignment of its cells."""

    header: str
    width: float
    align: str = "left"  # left | right | center


_ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
}


def add_table(
    document: DocxDocument,
    columns: Sequence[Column],
    rows: Sequence[Sequence[Any]],
    *,
    font_size: float = 9,
    bold_rows: Sequence[int] = (),
    group_header: Sequence[tuple[str, int]] | None = None,
    keep_together: bool = True,
) -> Table:
    """A grid table with fixed column widths and a header row repeated on every page.

    `rows` hold strings (or values shown with `str`); `bold_rows` are indexes of
    rows to emphasise (e.g. a pooled or total row). `group_header` adds a first
    header row of (text, span) cells over the column headers. A table of up to
    `KEEP_TOGETHER_ROWS` rows is kept on one page when `keep_together`.
    """
    header_rows = 2 if group_header else 1
    table = document.add_table(rows=header_rows + len(rows), cols=len(columns))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False  # python-docx writes <w:tblLayout w:type="fixed"/> in its place
    _cell_margins(table, CELL_MARGIN)
    widths = [Cm(column.width) for column in columns]
    for grid_column, width in zip(table.columns, widths, strict=True):
        grid_column.width = width
    # Cells are reached through each row's <w:tc> elements: python-docx's `row.cells`
    # recomputes the grid on every call, which dominates the time of a long report.
    trs = table._tbl.tr_lst
    if group_header:
        cells = _cells(table, trs[0])
        position = 0
        for text, span in group_header:
            cell = cells[position]
            if span > 1:
                cell = cell.merge(cells[position + span - 1])
            _write_cell(cell, text, font_size, bold=True, align="center")
            position += span
    header = _cells(table, trs[header_rows - 1])
    for cell, column in zip(header, columns, strict=True):
        _write_cell(cell, column.header, font_size, bold=True, align=column.align)
    bold = set(bold_rows)
    keep = keep_together and len(trs) <= KEEP_TOGETHER_ROWS
    for index, tr in enumerate(trs):
        number = index - header_rows
        row_cells = _cells(table, tr)
        _no_split(tr)
        if number < 0:
            _repeat_header(tr)
        else:
            for cell, column, value in zip(row_cells, columns, rows[number], strict=True):
                _write_cell(cell, value, font_size, bold=number in bold, align=column.align)
        fill = HEADER_FILL if number < 0 else TOTAL_FILL if number in bold else None
        spans = [cell._tc.grid_span for cell in row_cells]
        position = 0
        for cell, span in zip(row_cells, spans, strict=True):
            cell.width = Emu(sum(widths[position : position + span]))
            position += span
            if fill:
                shade(cell, fill)
            if keep and index < len(trs) - 1:
                # A short table moves to the next page whole instead of leaving its
                # header behind.
                for paragraph in cell.paragraphs:
                    paragraph.paragraph_format.keep_with_next = True
    return table


def _cells(table: Table, tr) -> list[_Cell]:
    return [_Cell(tc, table) for tc in tr.tc_lst]


def _write_cell(cell: _Cell, value: Any, size: float, *, bold: bool, align: str) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.space_after = Pt(0)
    paragraph.alignment = _ALIGN[align]
    text = "" if value is None else str(value)
    lines = text.split("\n")
    for number, line in enumerate(lines):
        if number:
            paragraph = cell.add_paragraph()
            paragraph.paragraph_format.space_after = Pt(0)
            paragraph.alignment = _ALIGN[align]
        run = paragraph.add_run(line)
        run.font.size = Pt(size)
        run.bold = bold


def merge_row(row) -> _Cell:
    """Merge a table row into one cell (a group heading row) keeping the first cell's text."""
    cells = row.cells
    merged = cells[0].merge(cells[-1])
    for paragraph in merged.paragraphs[1:]:
        if not paragraph.text:
            paragraph._p.getparent().remove(paragraph._p)
    return merged


def repeat_header(row) -> None:
    """Mark a row as a header row Word repeats at the top of every page."""
    _repeat_header(row._tr)


def _repeat_header(tr) -> None:
    # An on/off flag without w:val is on, as Word writes it; "true" is outside the
    # values the 2007 schema allows for row flags.
    tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))


def _no_split(tr) -> None:
    tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def _cell_margins(table: Table, margin: Cm) -> None:
    properties = table._tbl.tblPr
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        element = OxmlElement(f"w:{side}")
        element.set(qn("w:w"), str(int(margin.twips)))
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    # Schema order: tblCellMar comes right before tblLook (Word repairs a file otherwise).
    properties.insert_element_before(
        margins, "w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange"
    )


def shade(cell: _Cell, fill: str) -> None:
    """Fill a table cell with a colour (hex without '#')."""
    properties = cell._tc.get_or_add_tcPr()
    for old in properties.findall(qn("w:shd")):
        properties.remove(old)
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill.lstrip("#"))
    properties.append(shading)


def add_swatch(paragraph: Paragraph, color: str, width: int = 3) -> None:
    """A small block of `color` (a shaded run of spaces) at the end of `paragraph`."""
    run = paragraph.add_run("\u00a0" * width)
    properties = run._r.get_or_add_rPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), color.lstrip("#").upper())
    properties.append(shading)


def add_labelled(
    document: DocxDocument, label: str, text: str, *, style: str | None = None
) -> Paragraph:
    """A paragraph starting with a bold label ("Definition: …")."""
    paragraph = styled(document, "", style or "Normal")
    paragraph.add_run(f"{label}: ").bold = True
    paragraph.add_run(text)
    return paragraph


def keep_with_next(paragraph: Paragraph) -> Paragraph:
    paragraph.paragraph_format.keep_with_next = True
    return paragraph
