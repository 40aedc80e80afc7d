"""The codebook panel: coding by click and by drop, add/rename/recolour/move/merge, undo."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, Qt
from PySide6.QtGui import QColor, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QColorDialog,
    QDialogButtonBox,
    QFileDialog,
    QInputDialog,
    QMessageBox,
)

from tests.workbench.gui_support import Dialogs, open_window
from workbench.code_dialogs import ShortcutDialog
from workbench.codebook_model import CODE_MIME, MERGE_MODIFIER

Where = QAbstractItemView.DropIndicatorPosition
FEAR = "Initial fear and shame/Fear and anxiety"
SHAME = "Initial fear and shame/Shame and feeling unworthy"


@pytest.fixture
def window(qtbot, tmp_path):
    return open_window(qtbot, tmp_path)


def book(window):
    return window.session.study.codebook.load()


def row_texts(window, path: str) -> list[str]:
    panel = window.codebook
    index = panel.model.index_of(book(window).find(path).id)
    return [index.siblingAtColumn(c).data() or "" for c in range(4)]


def code_mime(code_id: int) -> QMimeData:
    mime = QMimeData()
    mime.setData(CODE_MIME, str(code_id).encode())
    return mime


def test_the_tree_shows_colours_counts_and_definitions(window, qtbot):
    assert row_texts(window, FEAR)[:2] == ["Fear and anxiety", "1"]
    qtbot.waitUntil(lambda: row_texts(window, FEAR)[2] != "")
    mine, everyone = row_texts(window, FEAR)[2:]
    assert 0 < int(mine) < int(everyone)
    window.codebook.select_code(book(window).find(FEAR).id)
    html = window.codebook.detail.toHtml()
    assert "Include:" in html and "Exclude:" in html and "Example:" in html


def test_coding_by_dropping_a_selection_on_a_code(window, qtbot):
    study = window.session.study
    doc = study.documents.find("D02-S1-session")
    view = window.open_document(doc.id)
    text = study.documents.text(doc.id)
    start = text.index("THERAPIST:")
    view.select_span(start, start + 25)
    qtbot.waitUntil(lambda: row_texts(window, FEAR)[2] != "")
    before = row_texts(window, FEAR)[2]
    tree = window.codebook.tree
    target = window.codebook.model.index_of(book(window).find(FEAR).id)
    tree.scrollTo(target)
    point = tree.visualRect(target).center()
    mime = view.createMimeDataFromSelection()
    # A real drop event on the tree, as the mouse would deliver it.
    drop = QDropEvent(point.toPointF(), Qt.DropAction.CopyAction, mime,
                      Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    tree.dropEvent(drop)

    segments = study.segments.for_document(doc.id, [window.session.coder.id])
    assert [(s.start, s.end, s.code_id) for s in segments
            if s.start == start] == [(start, start + 25, book(window).find(FEAR).id)]
    qtbot.waitUntil(lambda: row_texts(window, FEAR)[2] == str(int(before) + 1))


def test_add_rename_and_undo(window, monkeypatch):
    panel = window.codebook
    panel.select_code(book(window).find("Safety").id)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Holding", True))
    panel.actions_["add"].trigger()
    added = book(window).find("Safety/Holding")
    assert added.codable and panel.current_code().id == added.id

    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Being held", True))
    panel.actions_["rename"].trigger()
    assert book(window).find("Safety/Being held").id == added.id
    assert window.menus.undo.text() == "&Undo Rename Holding"

    window.menus.undo.trigger()
    assert book(window).find("Safety/Holding").id == added.id
    window.menus.undo.trigger()
    assert "Safety/Holding" not in book(window).by_path


def test_recolour_and_shortcut(window, monkeypatch):
    panel = window.codebook
    code = book(window).find(FEAR)
    view = window.open_document(window.session.study.documents.find("D01-S1-session").id)
    panel.select_code(code.id)
    monkeypatch.setattr(QColorDialog, "getColor", lambda *a, **k: QColor("#123456"))
    panel.actions_["color"].trigger()
    assert book(window).by_id[code.id].color == "#123456"
    assert view.code_color(code.id) == "#123456"

    monkeypatch.setattr(ShortcutDialog, "exec", lambda self: 1)
    monkeypatch.setattr(ShortcutDialog, "shortcut", lambda self: "Ctrl+K")
    panel.actions_["shortcut"].trigger()
    assert book(window).by_id[code.id].shortcut == "Ctrl+K"
    assert row_texts(window, FEAR)[1] == "Ctrl+K"
    window.menus.undo.trigger()
    window.menus.undo.trigger()
    assert (book(window).by_id[code.id].color, book(window).by_id[code.id].shortcut) == \
        (code.color, "1")


def test_shortcut_dialog_reads_the_pressed_key(qtbot):
    code = type("C", (), {"name": "Fear", "shortcut": "1"})()
    dialog = ShortcutDialog(code)
    qtbot.addWidget(dialog)
    assert dialog.shortcut() == "1"
    qtbot.keyClick(dialog.editor, Qt.Key.Key_J, Qt.KeyboardModifier.ControlModifier)
    assert dialog.shortcut() == "Ctrl+J"


def test_moving_a_code_by_drag_and_undo(window):
    panel = window.codebook
    fear, bond = book(window).find(FEAR), book(window).find("Working alliance/Bond")
    target = panel.model.index_of(bond.id)
    panel.tree.handle_drop(code_mime(fear.id), target, Where.AboveItem,
                           Qt.KeyboardModifier.NoModifier)
    moved = book(window).by_id[fear.id]
    assert moved.path == "Working alliance/Fear and anxiety"
    assert [c.name for c in book(window).find("Working alliance").children][-2:] == \
        ["Fear and anxiety", "Bond"]
    window.menus.undo.trigger()
    assert book(window).by_id[fear.id].path == FEAR


def test_merging_by_drop_with_the_modifier_and_undo(window, monkeypatch):
    dialogs = Dialogs(monkeypatch)
    study = window.session.study
    fear, shame = book(window).find(FEAR), book(window).find(SHAME)
    counts = len(study.segments.with_codes([fear.id])), len(study.segments.with_codes([shame.id]))
    window.codebook.tree.handle_drop(code_mime(fear.id), window.codebook.model.index_of(shame.id),
                                     Where.OnItem, MERGE_MODIFIER)
    assert "Merge" in dialogs.texts("question")[0]
    assert FEAR not in book(window).by_path
    assert len(study.segments.with_codes([shame.id])) <= sum(counts)
    window.menus.undo.trigger()
    assert len(study.segments.with_codes([book(window).find(FEAR).id])) == counts[0]


def test_merge_into_from_the_menu(window, monkeypatch):
    Dialogs(monkeypatch)
    panel = window.codebook
    panel.select_code(book(window).find(FEAR).id)
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: (SHAME, True))
    panel.actions_["merge"].trigger()
    assert FEAR not in book(window).by_path


def test_export_and_import_a_codebook_csv(window, tmp_path, monkeypatch):
    target = tmp_path / "book.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    window.codebook.actions_["export"].trigger()
    with open(target, encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert rows[1]["path"] == FEAR

    rows.append({**rows[1], "path": "Safety/Feeling held", "id": "", "shortcut": ""})
    with open(target, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(target), ""))
    window.codebook.actions_["import"].trigger()
    assert "Safety/Feeling held" in book(window).by_path
    assert window.codebook.model.index_of(book(window).find("Safety/Feeling held").id).isValid()
    window.menus.undo.trigger()
    assert "Safety/Feeling held" not in book(window).by_path


def test_delete_an_unused_code_and_undo(window, monkeypatch):
    dialogs = Dialogs(monkeypatch)
    panel = window.codebook
    unused = panel.session.study.codebook.add("Unused", book(window).find("Safety"))
    panel.select_code(unused.id)
    panel.actions_["delete"].trigger()
    assert "Safety/Unused" not in book(window).by_path
    window.menus.undo.trigger()
    assert book(window).find("Safety/Unused").uuid == unused.uuid
    panel.select_code(book(window).find(FEAR).id)
    panel.actions_["delete"].trigger()
    assert FEAR in book(window).by_path
    assert any("coded segment" in text for text in dialogs.texts("warning") +
               dialogs.texts("critical") + dialogs.texts("information"))


def test_tree_accepts_drags_of_codes_and_selections_only(window):
    tree = window.codebook.tree
    assert set(window.codebook.model.mimeTypes()) >= {CODE_MIME}
    plain = QMimeData()
    plain.setText("x")
    tree.handle_drop(plain, window.codebook.model.index_of(book(window).find(FEAR).id),
                     Where.OnItem, Qt.KeyboardModifier.NoModifier)
    assert book(window).find(FEAR).path == FEAR


def test_editing_the_codebook_from_the_keyboard(window, qtbot, monkeypatch):
    panel = window.codebook
    panel.tree.setFocus()
    panel.select_code(book(window).find("Safety").id)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Holding", True))
    qtbot.keyClick(panel.tree, Qt.Key.Key_Insert)
    assert panel.current_code().id == book(window).find("Safety/Holding").id
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Being held", True))
    qtbot.keyClick(panel.tree, Qt.Key.Key_F2)
    assert "Safety/Being held" in book(window).by_path
    qtbot.keyClick(panel.tree, Qt.Key.Key_Delete)
    assert "Safety/Being held" not in book(window).by_path


def test_importing_a_qdc_with_twin_codes_tells_the_user_what_was_renamed(window, tmp_path,
                                                                         monkeypatch):
    qdc = tmp_path / "nvivo.qdc"
    qdc.write_text('<?xml version="1.0" encoding="utf-8"?>'
                   '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>'
                   '<Code guid="aaaaaaaa-0000-4000-8000-000000000001" name="Emotions" '
                   'isCodable="false">'
                   '<Code guid="aaaaaaaa-0000-4000-8000-000000000002" name="Fear"/>'
                   '<Code guid="aaaaaaaa-0000-4000-8000-000000000003" name="Fear"/>'
                   "</Code></Codes></CodeBook>", encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(qdc), ""))
    shown: list[QMessageBox] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box) or 0)
    window.codebook.actions_["import"].trigger()

    assert "Emotions/Fear (2)" in book(window).by_path
    assert len(shown) == 1 and shown[0].icon() == QMessageBox.Icon.Warning
    assert "nvivo.qdc" in shown[0].text() and "3 codes added" in shown[0].text()
    assert ("codes under 'Emotions' share the name 'Fear'; one came in as 'Fear (2)'"
            in shown[0].informativeText())
    assert "1 warning" in window.statusBar().currentMessage()


def test_a_codebook_with_many_repairs_lists_them_all_behind_show_details(window, tmp_path,
                                                                         monkeypatch):
    qdc = tmp_path / "many.qdc"
    codes = "".join(f'<Code guid="bbbbbbbb-0000-4000-8000-{n:012d}" name="Fear"/>'
                    for n in range(30))
    qdc.write_text(f"<CodeBook><Codes>{codes}</Codes></CodeBook>", encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(qdc), ""))
    shown: list[QMessageBox] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box) or 0)
    window.codebook.actions_["import"].trigger()

    assert "Fear (30)" in book(window).by_path
    box = shown[0]
    assert "Fear (2)" in box.informativeText() and "Fear (30)" not in box.informativeText()
    assert "19 more" in box.informativeText()
    assert len(box.detailedText().splitlines()) == 29 and "Fear (30)" in box.detailedText()


@pytest.mark.parametrize("chosen_filter, suffix", [
    ("CSV (*.csv)", ".csv"), ("REFI-QDA codebook (*.qdc)", ".qdc"),
    ("Word document (*.docx)", ".docx"),
])
def test_exporting_a_codebook_named_without_an_extension_takes_the_chosen_type(
        window, tmp_path, monkeypatch, chosen_filter, suffix):
    dialogs = Dialogs(monkeypatch)
    asked: list[str] = []

    def save_as(parent, caption, start, filters):
        asked.append(start)
        return str(tmp_path / "out" / "mybook"), chosen_filter

    (tmp_path / "out").mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_as)
    window.codebook.actions_["export"].trigger()
    assert dialogs.shown == []
    assert [p.name for p in (tmp_path / "out").iterdir()] == [f"mybook{suffix}"]
    assert f"mybook{suffix}" in window.statusBar().currentMessage()
    assert Path(asked[0]).parent == window.session.study.path.parent  # beside the study


@pytest.mark.parametrize("key, user", [
    ("Ctrl+Z", "Undo"), ("F8", "Next segment"), ("Ctrl+F", "Find in study"),
    ("Ctrl+C", "copy"), ("Shift+Right", "select"), ("PgDown", "moving"),
    ("Alt+F", "File menu"),
])
def test_a_code_cannot_take_a_key_the_app_already_uses(window, qtbot, monkeypatch, key, user):
    """Ctrl+Z given to a code coded the selection instead of undoing (a code's key is
    claimed before the menus'); Ctrl+C stopped copying, Shift+Right stopped selecting."""
    panel = window.codebook
    code = book(window).find(SHAME)
    panel.select_code(code.id)
    seen = []

    def press(dialog):
        qtbot.keyClick(dialog.editor, QKeySequence(key)[0].key(),
                       QKeySequence(key)[0].keyboardModifiers())
        seen.append(dialog.problem.text())
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()  # (if it can)
        return dialog.result()

    monkeypatch.setattr(ShortcutDialog, "exec", press)
    panel.actions_["shortcut"].trigger()
    assert book(window).by_id[code.id].shortcut == "2"  # unchanged
    assert "already" in seen[0] and user.lower() in seen[0].lower()


def test_a_refused_name_is_offered_again_to_correct(window, monkeypatch):
    """A name refused (taken by a sibling) closed the dialog: the typing was lost."""
    dialogs = Dialogs(monkeypatch)
    panel = window.codebook
    panel.select_code(book(window).find("Initial fear and shame").id)
    answers = iter([("Fear and anxiety", True), ("Fear of judgement", True)])
    offered: list[str] = []

    def ask(parent, title, label, *args, text="", **kwargs):
        offered.append(text)
        return next(answers)

    monkeypatch.setattr(QInputDialog, "getText", ask)
    panel.actions_["add"].trigger()
    assert len(dialogs.texts("warning")) == 1  # why it was refused
    assert offered == ["", "Fear and anxiety"]  # the refused name, back to correct
    assert "Initial fear and shame/Fear of judgement" in book(window).by_path

    panel.select_code(book(window).find(SHAME).id)
    answers = iter([("Fear of judgement", True), ("", False)])
    offered.clear()
    panel.actions_["rename"].trigger()
    assert offered == ["Shame and feeling unworthy", "Fear of judgement"]
    assert SHAME in book(window).by_path  # cancelled the second time: unchanged


def test_a_theme_can_be_made_applicable_and_back_with_undo(window, monkeypatch):
    dialogs = Dialogs(monkeypatch)
    panel, toggle = window.codebook, window.codebook.actions_["codable"]
    panel.select_code(book(window).find("Safety").id)
    assert toggle.isCheckable() and not toggle.isChecked()
    toggle.trigger()
    assert book(window).find("Safety").codable and toggle.isChecked()
    assert "applicable" in window.menus.undo.text()
    window.menus.undo.trigger()
    assert not book(window).find("Safety").codable and not toggle.isChecked()

    panel.select_code(book(window).find(FEAR).id)  # holds segments: must stay a code
    toggle.trigger()
    assert book(window).find(FEAR).codable and toggle.isChecked()
    assert any("must stay codable" in text for kind, text in dialogs.shown)
