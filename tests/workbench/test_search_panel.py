"""Find across the study and jump to the match (converted to UTF-16 at the Qt edge)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from coding.documents import ImportItem
from coding.search import SearchHit
from coding.study import Study
from tests.conftest import write
from tests.workbench.gui_support import open_window, sample_study
from workbench.search_panel import snippet_html

EMOJI_TEXT = "T: 😊 Welcome back. 🎉 How are you?\nC: I was terrified, honestly. 😬 Truly scared.\n"


def test_search_finds_word_forms_and_jumps_to_the_match(qtbot, tmp_path):
    path = sample_study(tmp_path)
    with Study.open(path) as study:
        study.documents.import_files(
            [ImportItem(write(tmp_path / "e.txt", EMOJI_TEXT), "D09", 1, "session")]
        )
    window = open_window(qtbot, tmp_path, path)
    window.menus.find.trigger()
    assert window.search.field.hasFocus() or window.search.isVisible()
    qtbot.keyClicks(window.search.field, "scaring")
    qtbot.keyClick(window.search.field, Qt.Key.Key_Return)

    results = window.search.results
    documents = [results.topLevelItem(n).text(0) for n in range(results.topLevelItemCount())]
    assert "D09-S1-session" in documents and "turn" in window.search.status.text()
    item = results.topLevelItem(documents.index("D09-S1-session"))
    assert "<b>scared</b>" in item.text(2)
    results.itemActivated.emit(item, 0)

    view = window.current_view()
    text = window.session.study.documents.text(view.document_id)
    assert view.textCursor().selectedText() == "scared"
    assert view.selection_span() == (text.index("scared"), text.index("scared") + 6)


def test_snippet_bolds_the_match_and_escapes_the_rest():
    snippet = "…a <b> & scared of it"
    start = snippet.index("scared")
    hit = SearchHit(1, "d", 0, 100, 200, 150, 156, "C", snippet, (start, start + 6))
    assert snippet_html(hit) == "…a &lt;b&gt; &amp; <b>scared</b> of it"


def test_clearing_the_field_clears_the_results_and_their_count(qtbot, tmp_path):
    """The clear button emptied the field but left the last search's turns and count."""
    window = open_window(qtbot, tmp_path)
    panel = window.search
    window.menus.find.trigger()
    qtbot.keyClicks(panel.field, "scared")
    qtbot.keyClick(panel.field, Qt.Key.Key_Return)
    assert panel.results.topLevelItemCount() and panel.status.text()
    panel.field.clear()  # what the field's clear button does
    assert panel.results.topLevelItemCount() == 0 and panel.status.text() == ""
