"""Menus and toolbar of the main window, with platform-standard shortcuts."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QActionGroup
from PySide6.QtWidgets import QApplication, QWidget

from coding.history import mark_done
from workbench.exchange_menu import ExchangeMenu
from workbench.menu_actions import Keys, add_action, plain
from workbench.segment_menu import add_code_menu, add_segment_actions
from workbench.speaker_dialog import SpeakerRolesDialog
from workbench.study_session import StudySession
from workbench.theme import THEMES, apply_theme

if TYPE_CHECKING:
    from workbench.main_window import MainWindow


class WindowMenus:
    def __init__(self, window: MainWindow) -> None:
        self.window = window
        bar = window.menuBar()

        file = bar.addMenu("&File")
        add_action(file, "&New study…", window.new_study, Keys.New)
        add_action(file, "&Open study…", window.choose_study, Keys.Open)
        self.recent = file.addMenu("Open &recent")
        self.recent.aboutToShow.connect(self._fill_recent)
        file.addSeparator()
        self.import_files = add_action(file, "&Import transcripts…", window.import_transcripts,
                                       "Ctrl+I")
        self.exchange = ExchangeMenu(window, file)  # REFI-QDA import, merge, Export ▸
        file.addSeparator()
        self.close_tab = add_action(file, "Close &transcript", self._close_tab, Keys.Close)
        self.close_study = add_action(file, "&Close study", window.close_study)
        file.addSeparator()
        add_action(file, "&Quit", window.close, Keys.Quit)

        edit = bar.addMenu("&Edit")
        self.undo = add_action(edit, "&Undo", lambda: self._history_step(back=True), Keys.Undo)
        self.redo = add_action(edit, "&Redo", lambda: self._history_step(back=False),
                               Keys.Redo, "Ctrl+Shift+Z")
        edit.addSeparator()
        self.find = add_action(edit, "&Find in study…", self._find, Keys.Find)
        self.speakers = add_action(edit, "Speaker &roles…", self._edit_speakers)

        code = self.code_menu = bar.addMenu("&Code")
        self.apply_menu = code.addMenu("&Apply code to selection")
        self.apply_menu.aboutToShow.connect(self._fill_apply_menu)
        self.segment_menu = code.addMenu("&Segment at cursor")
        self.segment_menu.aboutToShow.connect(self._fill_segment_menu)
        code.addSeparator()
        self.next_segment = add_action(code, "&Next segment", lambda: self._step(False), "F8")
        self.previous_segment = add_action(code, "&Previous segment", lambda: self._step(True),
                                           "Shift+F8")
        code.addSeparator()
        self.done = code.addAction("&Done with this document")
        self.done.setCheckable(True)
        self.done.setToolTip("You have coded this document, even if nothing in it needed a "
                             "code: it counts in agreement")
        self.done.triggered.connect(self._mark_done)
        code.aboutToShow.connect(self._show_done)

        view = bar.addMenu("&View")
        self.show_others = view.addAction("Show &other coders' segments")
        self.show_others.setCheckable(True)
        self.show_others.setToolTip("Show the segments of every coder, not only yours")
        self.show_others.toggled.connect(window.set_show_others)
        themes = view.addMenu("&Theme")
        group = QActionGroup(themes)
        for name in THEMES:
            action = themes.addAction(name.capitalize())
            action.setCheckable(True)
            action.setChecked(name == window.settings.theme)
            action.triggered.connect(lambda _checked=False, n=name: self._set_theme(n))
            group.addAction(action)
        view.addSeparator()
        add_action(view, "Next &pane", lambda: self.next_pane(), "F6")
        add_action(view, "Pre&vious pane", lambda: self.next_pane(backwards=True), "Shift+F6")
        for dock in window.docks.values():
            view.addAction(dock.toggleViewAction())

        toolbar = window.addToolBar("Coding")
        toolbar.setObjectName("coding-toolbar")
        toolbar.setMovable(False)
        toolbar.addAction(self.import_files)
        toolbar.addSeparator()
        toolbar.addWidget(window.coder_bar)
        toolbar.addAction(self.show_others)
        toolbar.addSeparator()
        toolbar.addAction(self.undo)
        toolbar.addAction(self.redo)
        toolbar.addSeparator()
        toolbar.addAction(self.find)
        self.study_actions = [self.close_tab, self.close_study, self.find,
                              self.show_others, self.next_segment, self.previous_segment]
        self.editing_actions = [self.import_files, self.speakers]  # not in a read-only study

    def set_session(self, session: StudySession | None) -> None:
        for action in self.study_actions:
            action.setEnabled(session is not None)
        for action in self.editing_actions:
            action.setEnabled(session is not None and session.study.writable)
        for menu in (self.apply_menu, self.segment_menu):
            menu.setEnabled(session is not None)
        self.exchange.set_session(session)
        self.show_others.blockSignals(True)
        self.show_others.setChecked(self.window.settings.show_others)
        self.show_others.blockSignals(False)
        self.update_history()

    def update_history(self) -> None:
        """Undo/Redo say what they would undo or redo."""
        session = self.window.session
        for action, word, label in (
            (self.undo, "&Undo", session.history.undo_label if session else None),
            (self.redo, "&Redo", session.history.redo_label if session else None),
        ):
            action.setText(f"{word} {plain(label)}" if label else word)
            action.setEnabled(label is not None)

    def _history_step(self, *, back: bool) -> None:
        """Undo or redo, saying what and where: it may be in a document not in view."""
        session = self.window.session
        action = session.undo() if back else session.redo()
        if action is None:
            return
        names = [session.study.documents.get(n).name for n in sorted(session.touched)]
        where = (f" (in {names[0]})" if len(names) == 1 else
                 f" (in {len(names)} documents)" if names else "")
        self.window.show_notice(f"{'Undone' if back else 'Redone'}: {action.label}{where}.")

    def _fill_recent(self) -> None:
        self.recent.clear()
        for path in self.window.settings.recent():
            self.recent.addAction(
                plain(f"{path.stem}  ({path.parent})"),
                lambda p=path: self.window.open_study(Path(p))
            )
        self.recent.setEnabled(True)

    def _fill_apply_menu(self) -> None:
        self.apply_menu.clear()
        view = self.window.current_view()
        if view is None or self.window.session is None:
            return
        book = self.window.session.study.codebook.load()
        add_code_menu(self.apply_menu, book.roots, view.apply_code)

    def _fill_segment_menu(self) -> None:
        self.segment_menu.clear()
        view = self.window.current_view()
        marks = view.marks_at_cursor() if view else []
        if not marks:
            self.segment_menu.addAction("(no segment at the cursor)").setEnabled(False)
            return
        add_segment_actions(self.segment_menu, view, view.session, [m.segment for m in marks])

    def _step(self, backwards: bool) -> None:
        """Select the next (or previous) coded segment: review coding by keyboard."""
        view = self.window.current_view()
        if view is None:
            return
        here = view.textCursor().selectionStart()
        mark = view.segment_index.next_after(here, backwards=backwards)
        if mark is None:
            self.window.show_notice("No more segments this way.")
        else:
            view.select_span(mark.segment.start, mark.segment.end)

    def _show_done(self) -> None:
        """Ticked when the current coder has marked the open document done."""
        view, session = self.window.current_view(), self.window.session
        self.done.setEnabled(view is not None and session.study.writable)
        coder = session.coder if session is not None else None
        self.done.setChecked(view is not None and coder is not None
                             and view.document_id in session.study.coders.done_documents(coder))

    def _mark_done(self, done: bool) -> None:
        view, session = self.window.current_view(), self.window.session
        if view is None or session is None:
            return
        if session.coder is None:
            session.failed.emit('Choose who you are in the "I am" box on the toolbar first.')
        else:
            action = session.attempt(mark_done, session.study, session.coder,
                                     view.document_id, done)
            if action is not None and session.do(action):
                self.window.show_notice(f"{view.info.name} marked done by {session.coder.name}."
                                        if done else f"{view.info.name} no longer marked done.")
        self._show_done()

    def panes(self) -> list[QWidget]:
        """Where F6 goes, in order: the transcript, documents, codebook, search, review."""
        window = self.window
        central = (window.current_view() or window.tabs.currentWidget()
                   or window.pages.currentWidget())
        found = [central, window.study_tree, window.codebook.tree, window.search.field]
        review = window.screens.review
        return [w for w in [*found, review.table] if w.isVisible() and w.isEnabled()]

    def next_pane(self, backwards: bool = False) -> None:
        """Move the keyboard focus to the next pane of the window (F6, as on Windows and GTK)."""
        panes = self.panes()
        if not panes:
            return
        focus = QApplication.focusWidget()
        here = next((n for n, pane in enumerate(panes)
                     if focus is not None and (focus is pane or pane.isAncestorOf(focus))), None)
        step = -1 if backwards else 1
        target = panes[(here + step) % len(panes)] if here is not None else panes[0]
        target.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _edit_speakers(self) -> None:
        """Set the role of speaker labels across the study (each label one saved change)."""
        session = self.window.session
        dialog = SpeakerRolesDialog(session.study, self.window)
        if dialog.exec():
            changed = [session.attempt(session.study.documents.set_speaker_role, label, role)
                       for label, role in dialog.changes().items()]
            turns = sum(n for n in changed if n is not None)
            self.window.show_notice(
                f"Speaker roles set: {turns} turn{'s' * (turns != 1)} changed." if changed
                else "Speaker roles unchanged."
            )
        dialog.deleteLater()

    def _close_tab(self) -> None:
        index = self.window.tabs.currentIndex()
        if index >= 0:
            self.window.close_tab(index)

    def _find(self) -> None:
        self.window.docks["search"].show()
        self.window.docks["search"].raise_()
        self.window.search.focus_search()

    def _set_theme(self, name: str) -> None:
        self.window.settings.theme = name
        apply_theme(QApplication.instance(), name)
