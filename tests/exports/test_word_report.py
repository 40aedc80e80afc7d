"""The Word theme report of the sample study, opened again with python-docx.

Numbers are checked against values computed here from `study.segments.rows()` and
`study_agreement(...)`, formatted by the test itself, never by the report's code.
"""

from __future__ import annotations

import shutil
from collections import defaultdict
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from coding.errors import StudyError
from coding.study import Study
from coding.study_agreement import study_agreement
from exports.charts import CodeBar, ThemeBars, agreement_figure, codes_figure
from exports.word_report import write_report
from transcripts.progress import Cancelled
from workbench.demo import build_sample_study

PERSPECTIVES = ("session", "client-recall", "therapist-recall")
NAMES = {"session": "session", "client-recall": "client recall",
         "therapist-recall": "therapist recall"}


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    return build_sample_study(tmp_path_factory.mktemp("sample"))


@pytest.fixture(scope="module")
def default_report(sample, tmp_path_factory) -> tuple[Path, Path]:
    out = tmp_path_factory.mktemp("report") / "report.docx"
    with Study.open(sample, writable=False) as study:
        write_report(study, out)
    return sample, out


@pytest.fixture
def copy(sample, tmp_path) -> Path:
    target = tmp_path / "copy.iprw"
    shutil.copy(sample, target)
    return target


# -- reading the document back -------------------------------------------------------------


def blocks(document) -> list[Paragraph | Table]:
    """Paragraphs and tables in document order."""
    out = []
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            out.append(Paragraph(child, document))
        elif child.tag == qn("w:tbl"):
            out.append(Table(child, document))
    return out


def headings(document) -> list[tuple[int, str]]:
    found = []
    for paragraph in document.paragraphs:
        name = paragraph.style.name
        if name.startswith("Heading "):
            assert paragraph.style.builtin, name
            found.append((int(name.split()[1]), paragraph.text))
    return found


def part(document, title: str) -> list[Paragraph | Table]:
    """The blocks under a Heading 1 up to the next Heading 1."""
    items = blocks(document)
    start = next(i for i, b in enumerate(items) if isinstance(b, Paragraph)
                 and b.style.name == "Heading 1" and b.text == title)
    end = next((i for i in range(start + 1, len(items)) if isinstance(items[i], Paragraph)
                and items[i].style.name == "Heading 1"), len(items))
    return items[start:end]


def table_after(document, caption_text: str) -> Table:
    """The table right after the caption that ends with `caption_text`."""
    items = blocks(document)
    for index, item in enumerate(items):
        if isinstance(item, Paragraph) and item.style.name == "Caption" \
                and item.text.endswith(caption_text):
            following = items[index + 1]
            assert isinstance(following, Table), caption_text
            return following
    raise AssertionError(f"no caption {caption_text!r}")


def cells(table: Table, skip: int) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows[skip:]]


def clock(seconds: float | None) -> str:
    if seconds is None:
        return "n/a"
    s = int(seconds)
    return f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"


def expected_counts(rows, paths) -> list[str]:
    """Seg./Dyads per perspective, then all, then nothing for moments (checked apart)."""
    chosen = [r for r in rows if r.code in paths]
    out = []
    for perspective in PERSPECTIVES:
        mine = [r for r in chosen if r.perspective == perspective]
        out += [str(len(mine)), str(len({r.dyad for r in mine}))]
    out += [str(len(chosen)), str(len({r.dyad for r in chosen}))]
    return out


def number(value, kind: str) -> str:
    if value is None:
        return "n/a"
    if kind == "count":
        return f"{value:,}"
    if kind == "percent":
        return f"{100 * value:.1f}%"
    return f"{value:.2f}"


# -- structure -------------------------------------------------------------------------------


def test_headings_are_built_in_styles_in_the_order_of_the_report(default_report):
    sample, out = default_report
    document = docx.Document(out)
    found = headings(document)
    assert [text for level, text in found if level == 1] == [
        "Codebook", "Themes and codes", "Inter-coder agreement", "Notes on method"
    ]
    with Study.open(sample, writable=False) as study:
        book = study.codebook.load()
        themes = [root.name for root in book.roots]
        coded = {r.code for r in study.segments.rows()}
    level_two = [text for level, text in found if level == 2]
    assert level_two == themes + ["Overview"] + themes
    themes_part = part(document, "Themes and codes")
    level_three = [b.text for b in themes_part if isinstance(b, Paragraph)
                   and b.style.name == "Heading 3"]
    assert level_three == [c.name for c in book.applicable() if c.path in coded]
    # Every heading level follows its parent: no jump from 1 to 3.
    for (before, _), (after, _) in zip(found, found[1:], strict=False):
        assert after <= before + 1


def test_title_page_lists_the_study_facts(default_report):
    _, out = default_report
    document = docx.Document(out)
    assert document.paragraphs[3].style.name == "Title"
    facts = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}
    assert facts["Dyads"] == "3 (D01, D02, D03)"
    assert facts["Sessions"] == "3"
    assert facts["Documents"] == "9 (3 session, 3 client recall, 3 therapist recall)"
    assert facts["Coders"].splitlines() == [
        "Alex (coder): 126 segments in 9 documents", "Sam (coder): 125 segments in 9 documents"
    ]
    assert facts["Segments reported"] == "251 from all coders (Alex, Sam)"
    assert facts["Agreement"] == "sentence units; coders Alex, Sam"


def test_a_toc_field_and_page_breaks_between_parts(default_report):
    _, out = default_report
    document = docx.Document(out)
    xml = document.element.xml
    assert 'TOC \\o "1-2"' in xml
    assert document.settings.element.find(qn("w:updateFields")) is not None
    toc = [p.text for p in document.paragraphs if p.style.name in ("TOC 1", "TOC 2")]
    assert toc[:2] == ["Codebook", "Initial fear and shame"] and "Notes on method" in toc
    for title in ("Codebook", "Themes and codes", "Inter-coder agreement", "Notes on method"):
        items = blocks(document)
        index = next(i for i, b in enumerate(items) if isinstance(b, Paragraph)
                     and b.style.name == "Heading 1" and b.text == title)
        assert 'w:type="page"' in items[index - 1]._element.xml, title


def test_codebook_part_has_every_definition(default_report):
    sample, out = default_report
    document = docx.Document(out)
    codebook = part(document, "Codebook")
    with Study.open(sample, writable=False) as study:
        book = study.codebook.load()
    tables = [b for b in codebook if isinstance(b, Table)]
    texts = [{row.cells[0].text: row.cells[1].text for row in t.rows} for t in tables]
    by_definition = {t["Definition"]: t for t in texts}
    for code in book.applicable():
        block = by_definition[code.definition]
        assert block["Use when"] == code.inclusion
        assert block["Do not use when"] == code.exclusion
        assert block["Example"] == code.example
        assert block["Shortcut"] == code.shortcut


# -- numbers ---------------------------------------------------------------------------------


def test_theme_count_tables_match_the_segment_rows(default_report):
    sample, out = default_report
    document = docx.Document(out)
    with Study.open(sample, writable=False) as study:
        book = study.codebook.load()
        rows = study.segments.rows()
    for theme in book.roots:
        table = table_after(document, f"{theme.name}: coded segments and dyads by perspective")
        assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
        assert [c.text for c in table.rows[1].cells][:3] == ["Code", "Seg.", "Dyads"]
        body = cells(table, 2)
        codes = [c for c in book.descendants(theme) if c.codable]
        assert [r[0] for r in body] == [c.name for c in codes] + ["All codes of the theme"]
        for code, row in zip(codes, body, strict=False):
            assert row[1:-1] == expected_counts(rows, {code.path}), code.path
        everything = {c.path for c in codes}
        assert body[-1][1:-1] == expected_counts(rows, everything)


def test_overview_table_matches_the_segment_rows(default_report):
    sample, out = default_report
    document = docx.Document(out)
    with Study.open(sample, writable=False) as study:
        book = study.codebook.load()
        rows = study.segments.rows()
    body = cells(table_after(document, "Coded segments and dyads by theme and perspective"), 2)
    assert [r[0] for r in body] == [t.name for t in book.roots]
    for theme, row in zip(book.roots, body, strict=True):
        paths = {c.path for c in book.descendants(theme)}
        assert row[1:-1] == expected_counts(rows, paths)


def test_exemplar_quotes_name_dyad_perspective_speaker_and_session_time(default_report):
    sample, out = default_report
    document = docx.Document(out)
    with Study.open(sample, writable=False) as study:
        book = study.codebook.load()
        rows = study.segments.rows()
    by_name = {c.name: c for c in book.applicable()}
    code = None
    quotes: dict[str, list[tuple[str, str]]] = defaultdict(list)
    paragraphs = [b for b in part(document, "Themes and codes") if isinstance(b, Paragraph)]
    for index, paragraph in enumerate(paragraphs):
        if paragraph.style.name == "Heading 3":
            code = by_name[paragraph.text]
        elif paragraph.style.name == "Quote" and paragraph.text.startswith("“"):
            quotes[code.path].append((paragraph.text, paragraphs[index + 1].text))
    coded = {r.code for r in rows}
    assert set(quotes) == coded
    for path, pairs in quotes.items():
        assert 1 <= len(pairs) <= 3
        for quote, source in pairs:
            text = quote.removeprefix("“").removesuffix("”")
            matches = [r for r in rows if r.code == path and " ".join(r.text.split()) == text]
            assert matches, (path, text)
            assert any(
                f"{r.dyad}, session {r.session}" in source
                and NAMES[r.perspective] in source
                and f"session time {clock(r.session_time)}" in source
                and (r.speaker or "unknown speaker") in source
                for r in matches
            ), source


def _agreement_rows(document) -> dict[str, list[str]]:
    """Code rows of the agreement table (theme rows are one merged cell: skipped)."""
    table = table_after(document, "Agreement per code and pooled (sentence units, Alex and Sam)")
    rows = [[cell.text for cell in row.cells] for row in table.rows[1:]]
    return {row[0].strip(): row[1:] for row in rows if len(set(row)) > 1}


def test_agreement_table_equals_study_agreement(default_report):
    sample, out = default_report
    document = docx.Document(out)
    with Study.open(sample, writable=False) as study:
        book = study.codebook.load()
        result = study_agreement(study, ["Alex", "Sam"], unit="sentence")
    shown = _agreement_rows(document)
    expected = {}
    for row in [*result.codes, result.pooled]:
        label = "Pooled" if row is result.pooled else book.by_path[row.code].name
        expected[label] = [
            number(row.a, "count"), number(row.b, "count"), number(row.c, "count"),
            number(row.d, "count"), number(row.percent_agreement, "percent"),
            number(row.cohen_kappa, "stat"), number(row.positive_agreement, "percent"),
            number(row.krippendorff_alpha, "stat"),
        ]
    assert shown == expected
    assert "No document was skipped" in "\n".join(p.text for p in document.paragraphs)


def test_a_code_nobody_applied_prints_n_a_never_zero(copy, tmp_path):
    with Study.open(copy) as study:
        study.codebook.add("Never used", study.codebook.find("Safety"))
        out = write_report(study, tmp_path / "r.docx")
        result = study_agreement(study, ["Alex", "Sam"])
    unused = next(r for r in result.codes if r.code == "Safety/Never used")
    assert unused.cohen_kappa is None and unused.krippendorff_alpha is None
    document = docx.Document(out)
    row = _agreement_rows(document)["Never used"]
    assert row[4:] == ["100.0%", "n/a", "n/a", "n/a"]
    assert row[:3] == ["0", "0", "0"]
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Not coded in this layer: Never used." in text


def test_charts_are_embedded_pngs_with_captions(default_report):
    _, out = default_report
    document = docx.Document(out)
    images = [rel.target_part for rel in document.part.rels.values()
              if rel.reltype.endswith("/image")]
    assert len(images) == 2
    assert all(image.blob.startswith(b"\x89PNG\r\n\x1a\n") for image in images)
    assert len(document.inline_shapes) == 2
    captions = [p.text for p in document.paragraphs
                if p.style.name == "Caption" and p.text.startswith("Figure")]
    assert captions[0].startswith("Figure 1. Coded segments per code by perspective")
    assert captions[1].startswith("Figure 2. Cohen's κ and Krippendorff's α per code")
    items = blocks(document)
    for index, item in enumerate(items):
        if isinstance(item, Paragraph) and item._element.xpath(".//pic:pic"):
            assert items[index + 1].style.name == "Caption"


# -- options -----------------------------------------------------------------------------------


def _overview(document) -> dict[str, list[str]]:
    body = cells(table_after(document, "Coded segments and dyads by theme and perspective"), 2)
    return {row[0]: row[1:-1] for row in body}


def test_one_coder_layer(sample, tmp_path):
    with Study.open(sample, writable=False) as study:
        out = write_report(study, tmp_path / "sam.docx", coder="Sam")
        book = study.codebook.load()
        sam = study.segments.rows(coder="Sam")
    document = docx.Document(out)
    facts = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}
    assert facts["Segments reported"] == "125 from coder Sam only"
    overview = _overview(document)
    for theme in book.roots:
        paths = {c.path for c in book.descendants(theme)}
        assert overview[theme.name] == expected_counts(sam, paths)
    quoted = [p for p in document.paragraphs if p.style.name == "Quote"
              and p.text.startswith("— ")]
    assert quoted and all("coded by Sam" in p.text for p in quoted)


def test_consensus_layer_is_used_when_it_has_segments(copy, tmp_path):
    with Study.open(copy) as study:
        consensus = study.coders.consensus()
        alex = study.segments.rows(coder="Alex")
        book = study.codebook.load()
        documents = {d.name: d.id for d in study.documents.list()}
        chosen = [r for r in alex if r.perspective != "session"][:40]
        for r in chosen:
            study.segments.add(documents[r.document], r.start, r.end, book.by_path[r.code],
                               consensus)
        approved = study.segments.rows(coder="Consensus")[0]
        segment = study.segments.find(approved.id)
        study.segments.update_fields(segment, {"status": "approved"})
        out = write_report(study, tmp_path / "consensus.docx")
        rows = study.segments.rows(coder="Consensus")
    document = docx.Document(out)
    facts = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}
    assert facts["Segments reported"] == "40 from the consensus layer (Consensus)"
    overview = _overview(document)
    for theme in book.roots:
        paths = {c.path for c in book.descendants(theme)}
        assert overview[theme.name] == expected_counts(rows, paths)
    # The approved consensus segment is the first quote of its code.
    quotes = [p.text for p in document.paragraphs if p.style.name == "Quote"]
    assert f"“{' '.join(approved.text.split())}”" in quotes
    # Agreement is still between the coders, never with the consensus layer.
    assert facts["Agreement"] == "sentence units; coders Alex, Sam"


def test_consensus_asked_for_but_missing_is_an_error_and_writes_nothing(sample, tmp_path):
    with Study.open(sample, writable=False) as study, pytest.raises(StudyError):
        write_report(study, tmp_path / "none.docx", consensus=True)
    assert list(tmp_path.iterdir()) == []


def test_a_subset_of_themes(sample, tmp_path):
    with Study.open(sample, writable=False) as study:
        out = write_report(study, tmp_path / "safety.docx", themes=["Safety"])
        book = study.codebook.load()
    document = docx.Document(out)
    level_two = [text for level, text in headings(document) if level == 2]
    assert level_two == ["Safety", "Overview", "Safety"]
    codes = [c.name for c in book.descendants(book.find("Safety")) if c.codable]
    rows = _agreement_rows(document)
    assert list(rows) == [*codes, "Pooled"]
    assert list(_overview(document)) == ["Safety"]


def test_utterance_units_and_chosen_agreement_coders(sample, tmp_path):
    with Study.open(sample, writable=False) as study:
        out = write_report(study, tmp_path / "u.docx", unit="utterance",
                           agreement_coders=["Sam", "Alex"])
        result = study_agreement(study, ["Sam", "Alex"], unit="utterance")
    document = docx.Document(out)
    table = table_after(document, "Agreement per code and pooled (utterance units, Sam and Alex)")
    pooled = cells(table, 1)[-1]
    assert pooled[0] == "Pooled"
    assert pooled[5] == number(result.pooled.percent_agreement, "percent")
    assert pooled[6] == number(result.pooled.cohen_kappa, "stat")


def test_fewer_than_two_agreement_coders_says_so(sample, tmp_path):
    with Study.open(sample, writable=False) as study:
        out = write_report(study, tmp_path / "one.docx", agreement_coders=["Alex"])
    text = [p.text for p in part(docx.Document(out), "Inter-coder agreement")]
    assert any("at least two coders" in t for t in text)


def test_bad_options_are_refused(sample, tmp_path):
    with Study.open(sample, writable=False) as study:
        with pytest.raises(StudyError, match="unit"):
            write_report(study, tmp_path / "r.docx", unit="word")
        with pytest.raises(StudyError, match=".docx"):
            write_report(study, tmp_path / "r.pdf")
        with pytest.raises(StudyError, match="no theme .Nope. in the codebook"):
            write_report(study, tmp_path / "r.docx", themes=["Nope"])
    assert list(tmp_path.iterdir()) == []


def test_progress_runs_to_the_end_and_cancel_leaves_no_file(sample, tmp_path):
    seen = []
    with Study.open(sample, writable=False) as study:
        write_report(study, tmp_path / "r.docx", progress=lambda f, m: seen.append((f, m)))
        assert seen[-1][0] == 1.0
        assert [f for f, _ in seen] == sorted(f for f, _ in seen)

        def cancel(fraction, message):
            if fraction >= 0.8:
                raise Cancelled()

        with pytest.raises(Cancelled):
            write_report(study, tmp_path / "cancelled.docx", progress=cancel)

        def cancel_once_written(fraction, message):
            if (tmp_path / "late.docx").exists():
                raise Cancelled()

        write_report(study, tmp_path / "late.docx", progress=cancel_once_written)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["late.docx", "r.docx"]


# -- charts ------------------------------------------------------------------------------------


def test_agreement_chart_leaves_gaps_marked_n_a_for_nulls():
    figure = agreement_figure(
        ["one", "two", "three"],
        {"κ": [0.5, None, -0.2], "α": [float("nan"), 0.4, 0.1]},
        {"κ": 0.3, "α": None},
    )
    axes = figure.axes[0]
    bars = [patch for patch in axes.patches]
    assert len(bars) == 4  # six values, two missing
    assert sorted(round(bar.get_width(), 6) for bar in bars) == [-0.2, 0.1, 0.4, 0.5]
    assert [t.get_text() for t in axes.texts].count("n/a") == 2
    assert axes.get_xlim()[0] < -0.2  # a negative value is drawn, not clipped
    pooled = [line for line in axes.lines if line.get_xdata()[0] == 0.3]
    assert pooled  # the pooled κ is a line; the null pooled α is not drawn


def test_codes_chart_draws_one_bar_per_code_and_perspective():
    figure = codes_figure(
        [ThemeBars("Theme", [CodeBar("A", "#E69F00", {"session": 2, "client-recall": 0}),
                             CodeBar("B", "#56B4E9", {"therapist-recall": 5})])],
        PERSPECTIVES,
    )
    axes = figure.axes[0]
    widths = [bar.get_width() for bar in axes.patches]
    assert widths == [2, 0, 0, 0, 0, 5]
    labels = [t.get_text() for t in axes.get_yticklabels()]
    assert labels == ["Theme", "A", "B"]


def test_three_coders_get_fleiss_kappa_and_a_pairwise_table(copy, tmp_path):
    with Study.open(copy) as study:
        book = study.codebook.load()
        documents = {d.name: d.id for d in study.documents.list()}
        for r in study.segments.rows(coder="Sam")[::2]:
            study.segments.add(documents[r.document], r.start, r.end, book.by_path[r.code],
                               "Kim")
        out = write_report(study, tmp_path / "three.docx")
        result = study_agreement(study, ["Alex", "Kim", "Sam"])
    document = docx.Document(out)
    caption = "Agreement per code and pooled (sentence units, Alex, Kim and Sam)"
    table = table_after(document, caption)
    assert [c.text for c in table.rows[0].cells] == [
        "Code", "% agree (mean)", "Pos. agree (mean)", "Fleiss' κ", "Kripp. α"
    ]
    pooled = cells(table, 1)[-1]
    assert pooled == [
        "Pooled", number(result.pooled.percent_agreement, "percent"),
        number(result.pooled.positive_agreement, "percent"),
        number(result.pooled.fleiss_kappa, "stat"), number(result.pooled.krippendorff_alpha,
                                                           "stat"),
    ]
    pairs = cells(table_after(document, "Cohen's κ of each pair of coders over pooled decisions"),
                  1)
    assert pairs == [
        [" – ".join(p.coders), number(p.cohen_kappa, "stat"),
         number(p.percent_agreement, "percent")]
        for p in result.pairwise
    ]
    assert len(pairs) == 3
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert any(c.startswith("Figure 2. Fleiss' κ and Krippendorff's α per code") for c in captions)


def test_a_study_without_segments_still_gives_a_readable_report(tmp_path, transcripts):
    from coding.documents import ImportItem

    with Study.create(tmp_path / "new.iprw") as study:
        study.documents.import_files([ImportItem(transcripts["session"], "D01", 1, "session")])
        out = write_report(study, tmp_path / "new.docx")
    document = docx.Document(out)
    text = "\n".join(p.text for p in document.paragraphs)
    assert "No segment of these themes has been coded yet" in text
    assert "No segment of this theme has been coded in this layer." in text
    assert "Agreement needs at least two coders with segments; this study has none." in text
    assert len(document.inline_shapes) == 0
    assert [t for level, t in headings(document) if level == 1] == [
        "Codebook", "Themes and codes", "Inter-coder agreement", "Notes on method"
    ]
