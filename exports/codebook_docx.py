"""The codebook as a coder's manual in Word (.docx).

A quick-reference table (code, shortcut, colour) comes first; then each theme is a
heading with its definition, and each code a heading followed by its definition
block: definition, when to use it (inclusion), when not to (exclusion), an
example, its colour swatch and its shortcut key. The Word theme report reuses
the same blocks (`add_codebook`) for its codebook section.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from docx.document import Document as DocxDocument
from docx.shared import Cm, Pt

from coding.codebook import Code, Codebook
from exports.docx_style import (
    NA,
    Captions,
    Column,
    add_page_numbers,
    add_swatch,
    add_table,
    heading,
    new_document,
    page_break,
    shade,
    styled,
)

_LABEL_WIDTH = 3.4
_BLOCK_FIELDS = (
    ("Definition", "definition"),
    ("Use when", "inclusion"),
    ("Do not use when", "exclusion"),
    ("Example", "example"),
)


def write_codebook_docx(codebook: Codebook, path: str | Path, *, title: str = "Codebook") -> Path:
    """Write the codebook as a coder's manual to `path` (.docx)."""
    from exports.tables import replacing

    path = Path(path)
    document = new_document(title=title, subject="Coding manual")
    codes = list(codebook.walk())
    codable = [code for code in codes if code.codable]
    themes = [code for code in codebook.roots if not code.codable or code.children]

    styled(document, title, "Title")
    intro = styled(document, "", "Subtitle")
    intro.add_run(
        f"Coding manual: {_plural(len(themes), 'theme')}, {_plural(len(codable), 'code')}"
    )
    document.add_paragraph(
        f"Written by IPR Workbench on {date.today().isoformat()}. Each code below has a "
        "definition, when to use it and when not to, an example, its colour in the "
        "transcript view and its shortcut key."
    )
    captions = Captions()
    if codes:
        heading(document, "Quick reference", 1)
        captions.add(document, "Table", "Codes, shortcut keys and colours")
        _quick_reference(document, codes)
        page_break(document)
        add_codebook(document, codebook, codebook.roots, top_level=1)
    else:
        document.add_paragraph("This codebook has no codes yet.")
    add_page_numbers(document, title)
    with replacing(path) as partial:
        document.save(str(partial))
    return path


def add_codebook(
    document: DocxDocument, codebook: Codebook, roots: Sequence[Code], *, top_level: int
) -> None:
    """Headings and definition blocks for `roots` and everything under them.

    Roots get heading `top_level`, their children the next level; deeper codes stay
    at the deepest level used (at most 3) with their parent's name before theirs.
    """
    for root in roots:
        for code in codebook.descendants(root):
            depth = code.depth - root.depth
            level = min(top_level + depth, 3)
            name = code.name
            if top_level + depth > 3:
                parents = codebook.ancestors(code)[root.depth + 3 - top_level :]
                name = " › ".join([*(p.name for p in parents), code.name])
            heading(document, name, level)
            add_code_block(document, code, theme=not code.codable)


def add_code_block(document: DocxDocument, code: Code, *, theme: bool = False) -> None:
    """The definition block of one code: a two-column table of its fields."""
    rows = [(label, getattr(code, name)) for label, name in _BLOCK_FIELDS]
    if theme:
        # Themes group codes: show what they have, and say they are not applied.
        rows = [(label, text) for label, text in rows if text]
        rows.append(("Applied", "No: a theme groups the codes below; apply one of them"))
    else:
        rows.append(("Shortcut", code.shortcut or "none"))
    table = add_table(
        document,
        [Column("", _LABEL_WIDTH), Column("", 16.6 - _LABEL_WIDTH)],
        [(label, text or NA) for label, text in rows],
        font_size=9.5,
    )
    # The block is a labelled form, not a data table: drop the empty header row.
    header = table.rows[0]._tr
    header.getparent().remove(header)
    for row in table.rows:
        label = row.cells[0]
        shade(label, "F3F5F8")
        for run in label.paragraphs[0].runs:
            run.bold = True
        if label.text == "Example":
            for run in row.cells[1].paragraphs[0].runs:
                run.italic = True
    colour = table.add_row().cells
    colour[0].width, colour[1].width = Cm(_LABEL_WIDTH), Cm(16.6 - _LABEL_WIDTH)
    colour[0].paragraphs[0].add_run("Colour").bold = True
    shade(colour[0], "F3F5F8")
    paragraph = colour[1].paragraphs[0]
    add_swatch(paragraph, code.color, width=6)
    paragraph.add_run(f"  {code.color}")
    for cell in colour:
        cell.paragraphs[0].paragraph_format.space_after = Pt(0)
        for run in cell.paragraphs[0].runs:
            run.font.size = Pt(9.5)
    # Keep the block on one page (with its heading) unless it is longer than a page.
    for row in table.rows[:-1]:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_with_next = True
    document.add_paragraph().paragraph_format.space_after = Pt(2)


def _quick_reference(document: DocxDocument, codes: Sequence[Code]) -> None:
    rows = []
    for code in codes:
        indent = "\u2003" * code.depth
        rows.append((indent + code.name, code.shortcut or "", "", code.color))
    table = add_table(
        document,
        [
            Column("Theme / code", 9.6),
            Column("Shortcut", 2.4, "center"),
            Column("Colour", 1.8, "center"),
            Column("Hex", 2.8),
        ],
        rows,
    )
    for row, code in zip(table.rows[1:], codes, strict=True):
        shade(row.cells[2], code.color)
        if not code.codable:
            for run in row.cells[0].paragraphs[0].runs:
                run.bold = True


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"

