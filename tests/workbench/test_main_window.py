"""The main window: opening studies (locked ones too), who codes, layout, themes, screenshots."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QFileDialog,
    QLabel,
    QTabBar,
    QWidget,
)

from coding.backup import list_backups
from coding.history import AddCode
from coding.study import Study
from tests.workbench.gui_support import Dialogs, open_window, sample_study, settings
from workbench.app import run_app
from workbench.import_dialog import ImportDialog
from workbench.main_window import MainWindow
from workbench.theme import apply_theme, is_dark


def tree_rows(window) -> list[str]:
    """The study tree as indented labels."""
    model, rows = window.study_tree.model(), []

    def walk(parent, depth):
        for row in range(model.rowCount(parent)):
            index = model.index(row, 0, parent)
            rows.append("  " * depth + index.data())
            walk(index, depth + 1)

    walk(window.study_tree.rootIndex(), 0)
    return rows


def test_the_sample_study_opens_grouped_by_dyad_session_and_perspective(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path)
    assert tree_rows(window)[:5] == [
        "Dyad D01", "  Session 1", "    Session transcript", "    Client recall",
        "    Therapist recall",
    ]
    assert len(tree_rows(window)) == 15
    assert window.windowTitle().startswith("IPR Workbench sample study")
    assert list_backups(window.session.study.path)  # a rotating backup on opening


def test_a_backup_that_fails_on_opening_is_told_and_the_study_opens(qtbot, tmp_path,
                                                                    monkeypatch):
    """A full disk while backing up raised SQLite's error out of Open (the study never opened)."""
    import sqlite3

    def full(*args, **kwargs):
        raise sqlite3.OperationalError("database or disk is full")

    dialogs = Dialogs(monkeypatch)
    monkeypatch.setattr("coding.study.make_backup", full)
    window = open_window(qtbot, tmp_path)
    assert window.session is not None and window.session.study.writable
    [text] = dialogs.texts("warning")
    assert "could not write a backup" in text and "disk is full" in text


def test_the_coder_is_remembered_per_study_and_new_names_are_added(qtbot, tmp_path,
                                                                   monkeypatch):
    window = open_window(qtbot, tmp_path, coder=None)
    path = window.session.study.path
    combo = window.coder_bar.combo
    assert [combo.itemText(n) for n in range(combo.count())] == ["Alex", "Sam"]
    combo.setEditText("Robin")
    combo.lineEdit().returnPressed.emit()
    assert window.session.coder.name == "Robin"
    assert "Robin" in [c.name for c in window.session.study.coders.list()]
    dialogs = Dialogs(monkeypatch)
    combo.setEditText("consensus")  # the consensus layer's name: not a person
    combo.lineEdit().returnPressed.emit()
    assert window.session.coder.name == "Robin"
    assert "consensus layer, not a coder" in dialogs.texts("warning")[0]
    assert combo.currentText() == "Robin"
    window.close()

    again = MainWindow(settings(tmp_path))
    qtbot.addWidget(again)
    again.open_study(path)
    assert again.session.coder.name == "Robin" and again.coder_bar.combo.currentText() == "Robin"


def test_a_study_open_elsewhere_is_offered_read_only(qtbot, tmp_path, monkeypatch):
    path = sample_study(tmp_path)
    dialogs = Dialogs(monkeypatch)
    with Study.open(path):  # another window holds the write lock
        window = MainWindow(settings(tmp_path))
        qtbot.addWidget(window)
        assert window.open_study(path)
        assert "another IPR Workbench window" in dialogs.texts("question")[0]
        assert not window.session.study.writable
        assert window.windowTitle().endswith("(read-only)")
        view = window.open_document(window.session.study.documents.list()[0].id)
        view.select_span(0, 5)
        assert not view.apply_code(window.session.study.codebook.load().applicable()[0])
        assert "read-only in this window" in dialogs.texts("warning")[-1]
        window.close()


def test_new_study_and_the_welcome_page(qtbot, tmp_path, monkeypatch):
    window = MainWindow(settings(tmp_path))
    qtbot.addWidget(window)
    assert window.pages.currentWidget() is window.welcome
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *a, **k: (str(tmp_path / "pilot"), ""))
    window.welcome.newRequested.emit()
    assert window.session.study.path == tmp_path / "pilot.iprw"
    assert window.pages.currentWidget() is window.study_hint  # nothing to open yet: a hint
    window.close_study()
    assert window.pages.currentWidget() is window.welcome
    assert window.welcome.recent.count() == 1
    window.welcome.recent.itemActivated.emit(window.welcome.recent.item(0))
    assert window.session.study.path == tmp_path / "pilot.iprw"


def test_a_recent_study_moved_away_is_said_so_without_command_line_advice(
        qtbot, tmp_path, monkeypatch):
    """The supervisor moved the master to the team's shared folder; its recent entry stays."""
    window = MainWindow(settings(tmp_path))
    qtbot.addWidget(window)
    path = tmp_path / "master.iprw"
    Study.create(path).close()
    window.open_study(path)
    window.close_study()
    path.rename(tmp_path / "moved.iprw")
    dialogs = Dialogs(monkeypatch)
    window.welcome.recent.itemActivated.emit(window.welcome.recent.item(0))
    assert window.session is None
    [message] = dialogs.texts("critical")
    assert message.startswith(f"{path} is not there any more")
    assert "File ▸ Open study" in message and "ipr-workbench" not in message
    assert not path.exists()  # nothing made in its place

def test_the_window_layout_is_remembered(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path)
    window.docks["codebook"].hide()
    window.close()
    again = MainWindow(settings(tmp_path))
    qtbot.addWidget(again)
    again.show()
    assert not again.docks["codebook"].isVisible() and again.docks["documents"].isVisible()


def test_run_app_opens_the_given_study(qtbot, tmp_path, monkeypatch):
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(tmp_path))
    path = sample_study(tmp_path)
    seen = []

    def fake_exec():
        windows = [w for w in QApplication.topLevelWidgets()
                   if isinstance(w, MainWindow) and w.isVisible()]
        seen.extend(w.session.study.path for w in windows if w.session)
        for window in windows:
            window.close()
        return 0

    monkeypatch.setattr(QApplication, "exec", staticmethod(fake_exec))
    assert run_app(path) == 0
    assert path in seen
    seen.clear()
    assert run_app(None) == 0  # the most recent study
    assert path in seen


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_screenshots_in_light_and_dark(qtbot, tmp_path, scheme):
    """Saved for a person to look at (folder: $IPR_SHOTS, else the test's tmp folder)."""
    app = QApplication.instance()
    apply_theme(app, scheme)
    try:
        window = open_window(qtbot, tmp_path)
        assert is_dark(window.palette()) == (scheme == "dark")
        study = window.session.study
        view = window.open_document(study.documents.find("D01-S1-session").id)
        text = study.documents.text(view.document_id)
        view.select_span(text.index("I've been drinking"), text.index("I've been drinking") + 18)
        window.codebook.select_code(study.codebook.find("Going all in/Leap of faith").id)
        window.search.field.setText("scared")
        window.search.run_search()
        window.docks["search"].raise_()
        qtbot.waitUntil(lambda: bool(window.codebook.model.index(0, 2).data()))  # counts in
        folder = Path(os.environ.get("IPR_SHOTS") or tmp_path)
        folder.mkdir(parents=True, exist_ok=True)
        shot = folder / f"main-window-{scheme}.png"
        assert window.grab().save(str(shot))
        assert shot.stat().st_size > 10_000
    finally:
        apply_theme(app, "light")


def test_the_welcome_page_builds_and_opens_the_sample_study(qtbot, tmp_path, monkeypatch):
    import workbench.main_window as main_window

    monkeypatch.setattr(main_window.platformdirs, "user_data_dir", lambda name: str(tmp_path))
    window = MainWindow(settings(tmp_path))
    qtbot.addWidget(window)
    window.welcome.sampleRequested.emit()
    assert window.session.study.path == tmp_path / "demo" / "ipr-sample.iprw"
    assert len(window.session.study.documents.list()) == 9


def test_dropping_a_study_file_opens_it(qtbot, tmp_path):
    from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
    from PySide6.QtGui import QDropEvent

    window = MainWindow(settings(tmp_path))
    qtbot.addWidget(window)
    path = sample_study(tmp_path)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    window.dropEvent(QDropEvent(QPointF(5, 5), Qt.DropAction.CopyAction, mime,
                                Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier))
    assert window.session.study.path == path


def test_f6_moves_between_panes_and_review_takes_the_keyboard(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path)
    with qtbot.waitActive(window):
        window.activateWindow()
    view = window.open_document(window.session.study.documents.list()[0].id)
    view.setFocus()
    assert QApplication.focusWidget() is view
    order = [view, window.study_tree, window.codebook.tree, window.search.field]
    for expected in [*order[1:], view]:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F6)
        assert QApplication.focusWidget() is expected
    qtbot.keyClick(view, Qt.Key.Key_F6, Qt.KeyboardModifier.ShiftModifier)
    assert QApplication.focusWidget() is window.search.field

    window.screens.actions[1].trigger()  # Review ▸ Review segments (Ctrl+Shift+R)
    assert window.screens.review_dock.isVisible()
    assert QApplication.focusWidget() is window.screens.review.table
    table = window.screens.review.table
    rows = table.verticalHeader().defaultSectionSize()
    qtbot.waitUntil(lambda: table.viewport().height() >= 8 * rows)  # room for a list


def test_with_no_transcript_open_the_window_says_how_to_get_one(qtbot, tmp_path, monkeypatch):
    window = MainWindow(settings(tmp_path))
    qtbot.addWidget(window)
    window.show()
    Study.create(tmp_path / "new.iprw").close()
    assert window.open_study(tmp_path / "new.iprw")
    hint = window.study_hint
    assert window.pages.currentWidget() is hint and hint.isVisible()
    assert "no transcripts yet" in hint.text() and "Ctrl+I" in hint.text()
    label = hint.label
    assert label.height() >= label.heightForWidth(label.width())  # every line of it shows
    asked: list[bool] = []
    monkeypatch.setattr(window, "import_transcripts", lambda: asked.append(True))
    qtbot.mouseClick(hint.import_button, Qt.MouseButton.LeftButton)
    assert asked == [True]

    window.open_study(sample_study(tmp_path))
    assert window.pages.currentWidget() is hint
    assert "Documents" in hint.text() and "no transcripts yet" not in hint.text()
    window.open_document(window.session.study.documents.list()[0].id)
    assert window.pages.currentWidget() is window.tabs
    window.close_tab(0)
    assert window.pages.currentWidget() is hint
    window.close_study()
    assert window.pages.currentWidget() is window.welcome


def test_a_coder_marks_the_open_document_done_from_the_code_menu(qtbot, tmp_path):
    """A document a coder read and found nothing to code in counts in agreement only once
    marked done; the app had no way to say so (only 'ipr-workbench done')."""
    window = open_window(qtbot, tmp_path)
    study = window.session.study
    alex = study.coders.find("Alex")
    doc = study.documents.find("D03-S1-session")
    before = study.coders.done_documents(alex)
    done = window.menus.done
    window.menus.code_menu.aboutToShow.emit()
    assert not done.isEnabled()  # no transcript open
    window.open_document(doc.id)
    window.menus.code_menu.aboutToShow.emit()
    assert done.isEnabled() and done.isChecked() == (doc.id in before)
    if doc.id in before:
        done.trigger()
        assert study.coders.done_documents(alex) == before - {doc.id}
        window.menus.code_menu.aboutToShow.emit()
    assert not done.isChecked()
    done.trigger()
    assert doc.id in study.coders.done_documents(alex)
    assert window.menus.undo.text() == "&Undo Mark D03-S1-session done"
    window.menus.code_menu.aboutToShow.emit()
    assert done.isChecked()
    window.menus.undo.trigger()
    assert doc.id not in study.coders.done_documents(alex)


def shown(text: str) -> str:
    """What Qt shows for a menu, tab or button text: '&&' is an '&', a lone '&' marks a key."""
    assert QKeySequence.mnemonic(text).isEmpty(), f"{text!r} makes a keyboard mnemonic"
    return text.replace("&&", "&")


def test_names_holding_an_ampersand_show_as_typed_in_menus_tabs_and_undo(qtbot, tmp_path):
    """A code named 'Shame & guilt' read 'Shame _guilt' in the Apply code and Recode menus
    (the '&' taken for a mnemonic), and so did document names on tabs."""
    window = open_window(qtbot, tmp_path)
    study = window.session.study
    theme = study.codebook.find("Initial fear and shame")
    window.session.do(AddCode("Shame & guilt", theme))
    doc = study.documents.find("D01-S1-session")
    study.documents.rename(doc, "R&D pilot")
    view = window.open_document(doc.id)
    assert shown(window.tabs.tabText(window.tabs.indexOf(view))) == "R&D pilot"

    view.select_span(100, 130)
    window.menus.apply_menu.aboutToShow.emit()
    themes = {shown(a.text()): a.menu() for a in window.menus.apply_menu.actions() if a.menu()}
    codes = [shown(a.text()) for a in themes["Initial fear and shame"].actions()]
    assert "Shame & guilt" in codes
    code = study.codebook.find("Initial fear and shame/Shame & guilt")
    view.apply_code(code)
    assert shown(window.menus.undo.text().removeprefix("&Undo ")) == "Apply Shame & guilt"
    window.menus.segment_menu.aboutToShow.emit()
    assert window.menus.segment_menu.actions()
    for action in window.menus.segment_menu.actions():
        shown(action.text())


def visible_mnemonics(window) -> list[tuple[str, str]]:
    """(Alt+key, what it belongs to) for the menu bar and every visible button, labelled
    field and tab of the window: each such key is a window-wide shortcut in Qt."""
    found = [(QKeySequence.mnemonic(a.text()).toString(), f"menu {a.text()}")
             for a in window.menuBar().actions()]
    for widget in window.findChildren(QWidget):
        if not widget.isVisible():
            continue
        texts = []
        if isinstance(widget, QAbstractButton) or (isinstance(widget, QLabel) and widget.buddy()):
            texts = [widget.text()]
        elif isinstance(widget, QTabBar):
            texts = [widget.tabText(n) for n in range(widget.count())]
        for text in texts:
            key = QKeySequence.mnemonic(text)
            if not key.isEmpty():
                found.append((key.toString(), text))
    return found


@pytest.mark.parametrize("screen", ["transcript", "dashboard", "compare", "dual", "none"])
def test_alt_keys_of_the_menus_work_beside_every_screen_and_the_review_list(qtbot, tmp_path,
                                                                            screen):
    """With the review list shown, Alt+F focused its Flag button and Alt+C a filter instead
    of opening the File and Code menus; the dashboard's Compute took Alt+C too."""
    window = open_window(qtbot, tmp_path)
    window.screens.actions[1].trigger()  # the review list
    doc = window.session.study.documents.find("D01-S1-session")
    if screen != "none":
        window.open_document(doc.id)
    {"dashboard": window.screens.dashboard, "compare": window.screens.compare,
     "dual": window.screens.dual}.get(screen, QAction()).trigger()
    qtbot.wait(10)
    keys = visible_mnemonics(window)
    clashes = {key: [what for k, what in keys if k == key]
               for key, _ in keys if sum(k == key for k, _ in keys) > 1}
    assert clashes == {}


def test_alt_i_reaches_the_i_am_box_from_anywhere(qtbot, tmp_path):
    """Changing who codes took a dozen Tabs: the "I am" box had no key of its own."""
    window = open_window(qtbot, tmp_path)
    with qtbot.waitActive(window):
        window.activateWindow()
    view = window.open_document(window.session.study.documents.list()[0].id)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_I, Qt.KeyboardModifier.AltModifier)
    combo = window.coder_bar.combo
    assert QApplication.focusWidget() in (combo, combo.lineEdit())


_COPY_THEN_QUIT = """
import sys
from pathlib import Path
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from workbench.app import run_app
from workbench.import_dialog import ImportDialog
from workbench.main_window import MainWindow

QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, sys.argv[2])
app = QApplication(sys.argv[:1])

def copy_and_quit():
    window = next(w for w in app.topLevelWidgets() if isinstance(w, MainWindow))
    view = window.open_document(window.session.study.documents.list()[0].id)
    view.select_span(100, 120)
    QTest.keySequence(view, "Ctrl+C")
    print(repr(app.clipboard().text()), flush=True)
    window.close()  # the last window: the app quits, as when the user closes it

QTimer.singleShot(0, copy_and_quit)
sys.exit(run_app(Path(sys.argv[1])))
"""


def test_quitting_after_copying_from_a_transcript_ends_cleanly(tmp_path):
    """Text copied from a transcript left a Python-made object on the clipboard, which Qt
    freed after Python had shut down: the app aborted on quitting (exit status 134)."""
    import subprocess
    import sys

    script = tmp_path / "copy_then_quit.py"
    script.write_text(_COPY_THEN_QUIT, encoding="utf-8")
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, str(script), str(sample_study(tmp_path)),
                           str(tmp_path / "settings")], capture_output=True, text=True,
                          env=environment, cwd=Path(__file__).parents[2], timeout=120)
    assert done.stdout.strip().startswith("'") and len(done.stdout.strip()) > 2  # copied
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Fatal Python error" not in done.stderr


def test_a_read_only_study_offers_no_edits_that_would_fail(qtbot, tmp_path, monkeypatch):
    """Read-only, the codebook's Definition… let a whole definition be typed and then
    refused (the text lost), and Speaker roles… failed once per label changed."""
    path = sample_study(tmp_path)
    Dialogs(monkeypatch)
    with Study.open(path):  # another window holds the write lock
        window = MainWindow(settings(tmp_path))
        qtbot.addWidget(window)
        assert window.open_study(path) and not window.session.study.writable
        window.open_document(window.session.study.documents.list()[0].id)
        window.menus.code_menu.aboutToShow.emit()
        edits = {name: window.codebook.actions_[name] for name in (
            "add", "add_theme", "rename", "color", "shortcut", "definition", "merge",
            "delete", "import")}
        edits |= {"import transcripts": window.menus.import_files,
                  "speaker roles": window.menus.speakers, "done": window.menus.done}
        assert [name for name, action in edits.items() if action.isEnabled()] == []
        assert window.codebook.actions_["export"].isEnabled()  # reading is fine
        assert window.menus.find.isEnabled()
        asked = []
        monkeypatch.setattr(ImportDialog, "exec", lambda self: asked.append(self) or 0)
        window.import_transcripts([tmp_path / "dropped.txt"])  # files dropped on the window
        assert asked == [] and "read-only" in window.statusBar().currentMessage()
        window.close()

    (tmp_path / "again").mkdir()
    writable = open_window(qtbot, tmp_path / "again")
    assert writable.codebook.actions_["definition"].isEnabled()
    assert writable.menus.speakers.isEnabled() and writable.menus.import_files.isEnabled()


def test_the_choices_of_the_dual_and_compare_screens_have_alt_keys(qtbot, tmp_path):
    """Their Session / Document, Coders and Unit boxes were reachable only by Tab."""
    window = open_window(qtbot, tmp_path)
    with qtbot.waitActive(window):
        window.activateWindow()
    view = window.open_document(window.session.study.documents.find("D01-S1-session").id)
    window.screens.dual.trigger()
    dual = window.tabs.currentWidget()
    qtbot.keyClick(dual, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
    assert QApplication.focusWidget() is dual.sessions
    window.tabs.setCurrentWidget(view)
    window.screens.compare.trigger()
    compare = window.tabs.currentWidget()
    for key, box in ((Qt.Key.Key_N, compare.document), (Qt.Key.Key_S, compare.coder_boxes[0]),
                     (Qt.Key.Key_U, compare.unit)):
        qtbot.keyClick(compare, key, Qt.KeyboardModifier.AltModifier)
        assert QApplication.focusWidget() is box
