"""Coding in the transcript view: offsets, undo/redo, recode, remove, memo, shortcuts, margin."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QInputDialog, QMenu

from coding.documents import ImportItem
from coding.study import Study
from tests.conftest import SESSION_TXT, write
from tests.workbench.gui_support import Dialogs, open_window, sample_study

SAFETY = "Safety/Growing sense of safety"


@pytest.fixture
def window(qtbot, tmp_path):
    """The sample study plus a session transcript with an emoji (D09), coding as Alex."""
    path = sample_study(tmp_path)
    with Study.open(path) as study:
        study.documents.import_files(
            [ImportItem(write(tmp_path / "emoji.txt", SESSION_TXT), "D09", 1, "session")]
        )
    return open_window(qtbot, tmp_path, path)


def open_doc(window, name: str):
    study = window.session.study
    doc = study.documents.find(name)
    return window.open_document(doc.id), study.documents.text(doc.id)


def utf16(text: str, position: int) -> int:
    return len(text[:position].encode("utf-16-le")) // 2


def select(view, text: str, start: int, end: int) -> str:
    """Select like a user does: with Qt's cursor, in UTF-16 units. Returns the selected text."""
    cursor = view.textCursor()
    cursor.setPosition(utf16(text, start))
    cursor.setPosition(utf16(text, end), QTextCursor.MoveMode.KeepAnchor)
    view.setTextCursor(cursor)
    return cursor.selectedText()


def own_segments(window, view):
    return window.session.study.segments.for_document(view.document_id, [window.session.coder.id])


def test_coding_a_selection_with_an_emoji_stores_code_points(window):
    view, text = open_doc(window, "D09-S1-session")
    start, end = text.index("I felt safer."), text.index("😊") + 1
    selected = select(view, text, start, end)
    code = window.session.study.codebook.find(SAFETY)
    window.codebook.select_code(code.id)
    window.codebook.actions_["apply"].trigger()

    (segment,) = own_segments(window, view)
    assert (segment.start, segment.end, segment.code_id) == (start, end, code.id)
    assert text[segment.start:segment.end] == selected == "I felt safer. 😊"
    # Highlighted where it was selected, and text after the emoji is not shifted.
    block = view.document().findBlock(utf16(text, start))
    formats = block.layout().formats()
    assert any(f.start == utf16(text, start) - block.position() and
               f.length == utf16(text, end) - utf16(text, start) and
               f.format.background().style() != Qt.BrushStyle.NoBrush for f in formats)
    after = text.index("Let's stay")
    select(view, text, after, after + len("Let's stay"))
    assert view.selection_span() == (after, after + len("Let's stay"))


def test_undo_and_redo_from_the_keyboard(window, qtbot):
    view, text = open_doc(window, "D09-S1-session")
    start = text.index("I felt safer.")
    select(view, text, start, start + 13)
    view.apply_code(window.session.study.codebook.find(SAFETY))
    assert len(own_segments(window, view)) == 1
    assert window.menus.undo.text() == "&Undo Apply Growing sense of safety"

    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert own_segments(window, view) == [] and len(view.segment_index) == \
        len(window.session.study.segments.for_document(view.document_id))
    assert window.menus.redo.text() == "&Redo Apply Growing sense of safety"
    qtbot.keyClick(view, Qt.Key.Key_Z,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    (segment,) = own_segments(window, view)
    assert view.segment_index.get(segment.uuid) is not None


def test_shortcut_keys_apply_their_codes(window, qtbot):
    view, text = open_doc(window, "D09-S1-session")
    book = window.session.study.codebook.load()
    first = text.index("Welcome back.")
    select(view, text, first, first + len("Welcome back."))
    qtbot.keyClick(view, Qt.Key.Key_1)
    second = text.index("I'm really glad you came.")
    select(view, text, second, second + 10)
    qtbot.keyClick(view, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)

    codes = [(s.start, book.by_id[s.code_id].shortcut) for s in own_segments(window, view)]
    assert codes == [(first, "1"), (second, "Alt+1")]


def test_a_shortcut_without_a_selection_only_says_so(window, qtbot):
    view, _ = open_doc(window, "D09-S1-session")
    qtbot.keyClick(view, Qt.Key.Key_1)
    assert own_segments(window, view) == []
    assert "Select some text" in window.statusBar().currentMessage()


def test_a_shortcut_on_a_selection_of_only_spaces_says_so_without_a_dialog(window, qtbot,
                                                                          monkeypatch):
    """A code key pressed on a stray line break popped up a warning about 'segment
    1832–1833 … holds only whitespace', stopping the coder with offsets they never see."""
    dialogs = Dialogs(monkeypatch)
    view, text = open_doc(window, "D09-S1-session")
    gap = text.index("\n")
    select(view, text, gap, gap + 1)
    qtbot.keyClick(view, Qt.Key.Key_1)
    assert own_segments(window, view) == []
    assert dialogs.shown == []
    assert "only spaces" in window.statusBar().currentMessage()


def context_menu_at(view, position: int) -> QMenu:
    """The menu a right-click at a code-point position pops up."""
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.to_utf16(position))
    return view.context_menu(view.cursorRect(cursor).center() + QPoint(2, 0))


def action(menu: QMenu, *path: str):
    """The action reached through submenus by their texts (ignoring & and shortcut hints)."""
    for text in path:
        found = [a for a in menu.actions() if a.text().replace("&", "").split("\t")[0] == text]
        assert found, (text, [a.text() for a in menu.actions()])
        if found[0].menu():
            menu = found[0].menu()
        else:
            return found[0]
    return menu


def test_recode_memo_and_remove_from_the_context_menu(window, monkeypatch):
    view, text = open_doc(window, "D09-S1-session")
    study = window.session.study
    start = text.index("I felt safer.")
    select(view, text, start, start + 13)
    view.apply_code(study.codebook.find(SAFETY))

    menu = context_menu_at(view, start + 3)
    action(menu, "Recode as", "Going all in", "Letting the guard down").trigger()
    (segment,) = own_segments(window, view)
    assert study.codebook.load().by_id[segment.code_id].name == "Letting the guard down"

    monkeypatch.setattr(QInputDialog, "getMultiLineText",
                        lambda *args, **kwargs: ("Settles after the reassurance.", True))
    action(context_menu_at(view, start + 3), "Edit memo…").trigger()
    (segment,) = own_segments(window, view)
    assert segment.memo == "Settles after the reassurance."
    assert "Settles after" in view.describe(view.segment_index.get(segment.uuid))

    action(context_menu_at(view, start + 3), "Remove segment").trigger()
    assert own_segments(window, view) == []
    for _ in range(3):
        window.menus.undo.trigger()
    (segment,) = own_segments(window, view)
    assert (segment.start, study.codebook.load().by_id[segment.code_id].path) == (start, SAFETY)


def test_the_menu_key_offers_the_segments_at_the_text_cursor(window):
    """The keyboard's menu key means the cursor's place, not the point Qt puts in the event."""
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QContextMenuEvent
    from PySide6.QtWidgets import QApplication

    view, text = open_doc(window, "D01-S1-session")
    quote = text.index("why is she wasting my time with this")
    select(view, text, quote + 5, quote + 5)
    view.centerCursor()
    corner = QPoint(view.width() - 5, view.height() - 5)  # far from the cursor
    at_cursor = {m.segment.uuid for m in view.marks_at_cursor()}
    assert at_cursor and at_cursor != {m.segment.uuid for m in view.marks_at(corner)}
    shown = []

    def close_menu():
        menu = QApplication.activePopupWidget()
        shown.append({a.text() for a in menu.actions() if a.menu()})
        menu.close()

    QTimer.singleShot(50, close_menu)
    event = QContextMenuEvent(QContextMenuEvent.Reason.Keyboard, corner, view.mapToGlobal(corner))
    QApplication.sendEvent(view, event)
    assert shown == [{"Shame and feeling unworthy — Alex", "Shame and feeling unworthy — Sam"}]


def test_overlapping_segments_get_a_submenu_each(window):
    view, text = open_doc(window, "D01-S1-session")
    quote = text.index("why is she wasting my time with this")
    menu = context_menu_at(view, quote + 5)
    titles = {a.text() for a in menu.actions() if a.menu()}
    assert {"Shame and feeling unworthy — Alex", "Shame and feeling unworthy — Sam"} <= titles
    action(menu, "Shame and feeling unworthy — Sam", "Remove segment").trigger()
    coders = window.session.coder_names()
    left = [coders[m.segment.coder_id] for m in view.segment_index.at(view.to_utf16(quote))]
    assert left == ["Alex"]


def test_clicking_a_margin_stripe_selects_its_segment(window, qtbot):
    view, text = open_doc(window, "D01-S1-session")
    view.repaint()
    margin = view._margin
    rect, mark = margin._hits[0]
    qtbot.mouseClick(margin, Qt.MouseButton.LeftButton, pos=rect.center())
    assert view.selection_span() == (mark.segment.start, mark.segment.end)


def test_other_coders_can_be_hidden_and_shown(window):
    view, _ = open_doc(window, "D01-S1-session")
    coders = window.session.coder_names()
    assert {coders[m.segment.coder_id] for m in view.segment_index} == {"Alex", "Sam"}
    window.menus.show_others.setChecked(False)
    assert {coders[m.segment.coder_id] for m in view.segment_index} == {"Alex"}
    window.menus.show_others.setChecked(True)
    assert {coders[m.segment.coder_id] for m in view.segment_index} == {"Alex", "Sam"}


def test_applying_a_code_rehighlights_only_the_blocks_it_covers(window, monkeypatch):
    view, text = open_doc(window, "D01-S1-session")
    redone = []
    highlighter = view._highlighter
    monkeypatch.setattr(highlighter, "rehighlightBlock",
                        lambda block: redone.append(block.blockNumber()))
    monkeypatch.setattr(highlighter, "rehighlight", lambda: redone.append("all"))
    start = text.index("Last week you said")
    select(view, text, start, text.index("Where would you like"))
    view.apply_code(window.session.study.codebook.find(SAFETY))
    assert redone == [view.document().findBlock(view.to_utf16(start)).blockNumber()]


def test_changes_made_outside_the_view_show_up(window):
    view, text = open_doc(window, "D09-S1-session")
    study = window.session.study
    start = text.index("Welcome back.")
    study.segments.add(view.document_id, start, start + 7, study.codebook.find(SAFETY), "Sam")
    assert [m.segment.start for m in view.segment_index] == [start]


def test_f8_steps_through_the_segments(window, qtbot):
    view, text = open_doc(window, "D01-S1-session")
    starts = sorted({m.segment.start for m in view.segment_index})
    qtbot.keyClick(view, Qt.Key.Key_F8)
    assert view.selection_span()[0] == starts[0]
    qtbot.keyClick(view, Qt.Key.Key_F8)
    assert view.selection_span()[0] == starts[1]
    qtbot.keyClick(view, Qt.Key.Key_F8, Qt.KeyboardModifier.ShiftModifier)
    assert view.selection_span()[0] == starts[0]


def test_speaker_roles_set_after_import_recolour_open_transcripts(qtbot, tmp_path, monkeypatch):
    from workbench.speaker_dialog import SpeakerRolesDialog
    from workbench.theme import role_color

    transcript = tmp_path / "session.txt"
    transcript.write_text("Dr. Lind: Hello 😀 there.\nC: Hi.\nDr. Lind: How are you?\n",
                          encoding="utf-8")
    study = Study.create(tmp_path / "roles.iprw")
    (doc,) = study.documents.import_files([ImportItem(transcript, "D1", 1, "session")])
    path = study.path
    study.close()
    window = open_window(qtbot, tmp_path, path)
    view = window.open_document(doc.id)

    def label_colour() -> str:
        block = view.document().findBlockByNumber(2)
        qtbot.waitUntil(lambda: bool(block.layout().formats()))  # highlighted
        (label, *_) = block.layout().formats()
        return QTextCharFormat(label.format).foreground().color().name()

    assert label_colour() == role_color("other", view.palette()).name()
    monkeypatch.setattr(SpeakerRolesDialog, "exec", lambda dialog: (
        dialog.boxes["Dr. Lind"].setCurrentText("therapist"), 1)[1])
    window.menus.speakers.trigger()
    roles = {u.speaker: u.role for u in window.session.study.documents.utterances(doc.id)}
    assert roles == {"Dr. Lind": "therapist", "C": "client"}
    assert label_colour() == role_color("therapist", view.palette()).name()


def test_the_segment_f8_selected_is_the_one_at_the_cursor(window, qtbot):
    """After F8 selected a segment, Code ▸ Segment at cursor said '(no segment at the
    cursor)' (the cursor sits at the selection's end, just past it): removing, recoding
    or writing a memo by keyboard was impossible."""
    window.set_show_others(False)  # Alex's segments only: one at each place here
    view, text = open_doc(window, "D01-S1-session")
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_F8)
    (chosen,) = view.marks_at_cursor()
    assert view.selection_span() == (chosen.segment.start, chosen.segment.end)
    menu = window.menus.segment_menu
    menu.aboutToShow.emit()
    remove = next(a for a in menu.actions() if a.text() == "Remove segment")
    remove.trigger()
    assert chosen.segment.uuid not in {s.uuid for s in own_segments(window, view)}

    segment = own_segments(window, view)[0]  # a cursor inside a segment, nothing selected
    cursor = view.textCursor()
    cursor.setPosition(view.to_utf16(segment.start + 1))
    view.setTextCursor(cursor)
    assert segment.uuid in {m.segment.uuid for m in view.marks_at_cursor()}


def test_undo_says_what_it_undid_and_where(window, qtbot):
    """Ctrl+Z in one transcript silently took back coding done in another one."""
    view, text = open_doc(window, "D09-S1-session")
    start = text.index("I felt safer.")
    select(view, text, start, start + 13)
    view.apply_code(window.session.study.codebook.find(SAFETY))
    other, _ = open_doc(window, "D01-S1-session")
    qtbot.keyClick(other, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.statusBar().currentMessage() == \
        "Undone: Apply Growing sense of safety (in D09-S1-session)."
    qtbot.keyClick(other, Qt.Key.Key_Z,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert window.statusBar().currentMessage() == \
        "Redone: Apply Growing sense of safety (in D09-S1-session)."
