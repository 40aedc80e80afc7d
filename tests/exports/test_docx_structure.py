"""The Word report's XML as Word reads it: elements in the WordprocessingML schema's order,
no duplicates, on/off flags as Word writes them, and document properties of this report.

Word repairs (or refuses) a part whose property elements are out of schema order;
LibreOffice does not mind, so only a look at the XML catches it.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import docx
import pytest
from docx.oxml.ns import qn

from exports.word_report import write_report

# ECMA-376 Part 1, 17.4.60 (tblPr): the order of a table's properties.
TBLPR_ORDER = [
    "tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize",
    "tblStyleColBandSize", "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders", "shd",
    "tblLayout", "tblCellMar", "tblLook", "tblCaption", "tblDescription", "tblPrChange",
]
# ECMA-376 Part 1, 17.15.1.78 (settings): elements that come after updateFields.
AFTER_UPDATE_FIELDS = [
    "hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars", "rsids",
    "attachedSchema", "themeFontLang", "clrSchemeMapping", "doNotIncludeSubdocsInStats",
    "doNotAutoCompressPictures", "forceUpgrade", "captions", "readModeInkLockDown",
    "smartTagType", "shapeDefaults", "doNotEmbedSmartTags", "decimalSymbol", "listSeparator",
]


def _local(element) -> str:
    return element.tag.rsplit("}", 1)[-1]


@pytest.fixture
def report(loaded, tmp_path):
    fear = loaded.codebook.find("Initial fear and shame/Fear and anxiety")
    for name in ("D01-S1-client-recall", "D01-S1-therapist-recall", "D01-S1-session"):
        doc = loaded.documents.find(name)
        text = loaded.documents.text(doc.id)
        start = len(text) - len(text.lstrip())
        for coder in ("Alex", "Sam"):
            loaded.segments.add(doc.id, start, start + 20, fear, coder)
    return write_report(loaded, tmp_path / "report.docx")


def test_table_properties_follow_the_schema_order_without_duplicates(report):
    document = docx.Document(report)
    assert document.tables
    for table in document.tables:
        tags = [_local(child) for child in table._tbl.tblPr]
        assert len(tags) == len(set(tags)), tags
        assert tags == sorted(tags, key=TBLPR_ORDER.index), tags
        assert "tblLayout" in tags and "tblCellMar" in tags


def test_row_flags_are_plain_on_off_elements(report):
    document = docx.Document(report)
    flags = [
        flag
        for table in document.tables
        for row in table.rows
        if row._tr.trPr is not None
        for flag in row._tr.trPr
        if _local(flag) in ("tblHeader", "cantSplit")
    ]
    assert any(_local(flag) == "tblHeader" for flag in flags)
    # Word writes <w:tblHeader/>; "true" is not among the values the 2007 schema allows.
    assert all(flag.get(qn("w:val")) is None for flag in flags)


def test_update_fields_setting_comes_before_the_later_settings(report):
    settings = docx.Document(report).settings.element
    tags = [_local(child) for child in settings]
    assert tags.count("updateFields") == 1
    later = [tags.index(tag) for tag in AFTER_UPDATE_FIELDS if tag in tags]
    assert later and tags.index("updateFields") < min(later)


def test_document_properties_are_those_of_this_report(report):
    properties = docx.Document(report).core_properties
    now = datetime.now(timezone.utc)
    assert properties.title == "Test study: theme report"
    assert properties.author
    # Not the date python-docx's template was made (2013): Word shows it under File ▸ Info.
    assert now - timedelta(minutes=5) <= properties.created <= now + timedelta(minutes=1)
    assert properties.modified == properties.created
    assert properties.last_modified_by == properties.author
    assert properties.revision == 1
