"""The workbench window: documents on the left, transcripts in tabs, codebook on the right.

It owns the open study (a `StudySession`) and wires the panels to it; the
panels themselves know nothing about each other. Opening, creating and
importing are here; menus and toolbar are built by `window_menus`.
"""

from __future__ import annotations

from pathlib import Path

import platformdirs
from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QTabWidget,
    QWidget,
)

from coding.errors import StudyError, StudyLockedError
from coding.study import Study
from transcripts.errors import WorkbenchError
from workbench.codebook_panel import CodebookPanel
from workbench.coder_bar import CoderBar
from workbench.import_dialog import EXTENSIONS, ImportDialog
from workbench.menu_actions import plain
from workbench.research_screens import ResearchScreens
from workbench.search_panel import SearchPanel
from workbench.settings import Settings
from workbench.study_hint import StudyHint
from workbench.study_session import StudySession
from workbench.study_tree import StudyTree
from workbench.transcript_view import TranscriptView, release_clipboard
from workbench.welcome_page import WelcomePage
from workbench.window_menus import WindowMenus
from workbench.worker import run_with_progress

APP_NAME = "IPR Workbench"
STUDY_FILTER = "IPR studies (*.iprw)"


class MainWindow(QMainWindow):
    def __init__(self, settings: Settings) -> None:
        super().__init__()
        self.settings = settings
        self.session: StudySession | None = None
        self.setWindowTitle(APP_NAME)
        self.setAcceptDrops(True)
        self.resize(1400, 900)

        self.welcome = WelcomePage(self)
        self.tabs = QTabWidget(self)
        self.tabs.setTabsClosable(True)
        self.tabs.setMovable(True)
        self.tabs.setDocumentMode(True)
        self.tabs.tabCloseRequested.connect(self.close_tab)
        self.tabs.currentChanged.connect(self._show_page)
        self.study_hint = StudyHint(self)  # a study open, no transcript: what to do next
        self.study_hint.importRequested.connect(self.import_transcripts)
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.welcome)
        self.pages.addWidget(self.study_hint)
        self.pages.addWidget(self.tabs)
        self.setCentralWidget(self.pages)

        self.study_tree = StudyTree(self)
        self.codebook = CodebookPanel(self)
        self.search = SearchPanel(self)
        self.coder_bar = CoderBar(self)
        area = Qt.DockWidgetArea
        self.docks = {
            "documents": self._dock("Documents", self.study_tree, area.LeftDockWidgetArea),
            "codebook": self._dock("Codebook", self.codebook, area.RightDockWidgetArea),
            "search": self._dock("Search", self.search, area.BottomDockWidgetArea),
        }
        self.resizeDocks([self.docks["documents"], self.docks["codebook"]], [260, 380],
                         Qt.Orientation.Horizontal)
        self.resizeDocks([self.docks["search"]], [180], Qt.Orientation.Vertical)
        self.menus = WindowMenus(self)
        self.screens = ResearchScreens(self)  # Review menu: dual view, review, agreement

        self.welcome.newRequested.connect(self.new_study)
        self.welcome.openRequested.connect(self.choose_study)
        self.welcome.sampleRequested.connect(self.open_sample_study)
        self.welcome.recentChosen.connect(self.open_study)
        self.study_tree.documentActivated.connect(self.open_document)
        self.codebook.applyRequested.connect(self._apply_to_current)
        self.codebook.notice.connect(self.show_notice)
        self.search.resultActivated.connect(self.show_place)
        self.coder_bar.coderChosen.connect(self._choose_coder)

        geometry, state = settings.window_layout()
        if geometry is not None:
            self.restoreGeometry(geometry)
        if state is not None:
            self.restoreState(state)
        self._install(None)

    def _dock(self, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(f"{title.lower()}-dock")
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    # -- studies ------------------------------------------------------------------------

    def open_study(self, path: Path) -> bool:
        """Open a study file (offering read-only when another window has it)."""
        path = Path(path)
        if self.session is not None and self.session.study.path.resolve() == path.resolve():
            return True
        if not path.exists():  # a recent study moved to a shared folder, renamed, deleted
            QMessageBox.critical(
                self, APP_NAME, f"{path} is not there any more: it was moved, renamed or "
                "deleted. Open it where it is now with File ▸ Open study.")
            return False
        try:
            try:
                study = Study.open(path)
            except StudyLockedError as exc:
                answer = QMessageBox.question(
                    self, APP_NAME, f"{exc}.\n\nOpen it read-only instead (you can look and "
                    "search, but not code)?",
                )
                if answer != QMessageBox.StandardButton.Yes:
                    return False
                study = Study.open(path, writable=False)
        except WorkbenchError as exc:
            QMessageBox.critical(self, APP_NAME, str(exc))
            return False
        if study.writable:
            try:
                study.backup("open")
            except StudyError as exc:  # the study opens all the same; the user should know
                QMessageBox.warning(self, APP_NAME, f"{exc}.\n\nThe study is open, but this "
                                    "time without a fresh backup.")
        self._install(study)
        return True

    def new_study(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "New study", "", STUDY_FILTER)
        if not path:
            return
        path = Path(path).with_suffix(".iprw")
        try:
            study = Study.create(path)
        except WorkbenchError as exc:
            QMessageBox.critical(self, APP_NAME, str(exc))
            return
        self._install(study)

    def choose_study(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open study", "", STUDY_FILTER)
        if path:
            self.open_study(Path(path))

    def open_sample_study(self) -> None:
        from workbench.demo import build_sample_study

        folder = Path(platformdirs.user_data_dir("ipr-workbench")) / "demo"
        folder.mkdir(parents=True, exist_ok=True)
        path = run_with_progress(self, "Building the sample study", build_sample_study, folder)
        if path is not None:
            self.open_study(path)

    def close_study(self) -> None:
        self._install(None)

    def _install(self, study: Study | None) -> None:
        """Make `study` the open one (None: back to the welcome page)."""
        while self.tabs.count():
            self.close_tab(0)
        if self.session is not None:
            self.session.close()
            self.session.deleteLater()
            self.session = None
        if study is not None:
            self.settings.add_recent(study.path)
            self.session = StudySession(
                study, self.settings.coder_for(study.path), self.settings.show_others, self
            )
            self.session.failed.connect(self._show_failure)
            self.session.historyChanged.connect(self.menus.update_history)
            self.session.documentsChanged.connect(self._count_documents)
            self._count_documents()
        for panel in (self.study_tree, self.codebook, self.search, self.coder_bar, self.screens):
            panel.set_session(self.session)
        self.menus.set_session(self.session)
        self.welcome.set_recent(self.settings.recent())
        self._show_page()
        title = APP_NAME
        if study is not None:
            title = f"{study.title} — {APP_NAME}" + ("" if study.writable else " (read-only)")
        self.setWindowTitle(title)

    def _show_page(self) -> None:
        """The welcome page without a study, else the tabs, or the hint while none is open."""
        page = self.welcome if self.session is None else (
            self.tabs if self.tabs.count() else self.study_hint)
        self.pages.setCurrentWidget(page)

    def _count_documents(self) -> None:
        self.study_hint.set_documents(len(self.session.study.documents.list()))

    def _choose_coder(self, name: str) -> None:
        if self.session is not None and self.session.set_coder(name):
            self.settings.set_coder_for(self.session.study.path, self.session.coder.name)
            self.show_notice(f"Coding as {self.session.coder.name}.")

    def set_show_others(self, show: bool) -> None:
        self.settings.show_others = show
        if self.session is not None:
            self.session.set_show_others(show)

    # -- transcripts --------------------------------------------------------------------

    def open_document(self, document_id: int) -> TranscriptView | None:
        """Show a document in its tab (opening one if needed) and focus it."""
        if self.session is None:
            return None
        for index in range(self.tabs.count()):
            view = self.tabs.widget(index)
            if isinstance(view, TranscriptView) and view.document_id == document_id:
                self.tabs.setCurrentIndex(index)
                view.setFocus()
                return view
        view = TranscriptView(self.session, document_id, self.tabs)
        view.notice.connect(self.show_notice)
        index = self.tabs.addTab(view, plain(view.info.name))
        self.tabs.setTabToolTip(index, f"{view.info.name} ({view.info.perspective})")
        self.tabs.setCurrentIndex(index)
        self.study_tree.select_document(document_id)
        view.setFocus()
        return view

    def current_view(self) -> TranscriptView | None:
        """The transcript the user works in: a tab, or the last used pane of a screen."""
        view = self.tabs.currentWidget()
        if isinstance(view, TranscriptView):
            return view
        pane = getattr(view, "current_view", None)
        return pane() if pane is not None else None

    def close_tab(self, index: int) -> None:
        view = self.tabs.widget(index)
        self.tabs.removeTab(index)
        view.deleteLater()

    def show_place(self, document_id: int, start: int, end: int) -> None:
        """Open a document at code points [start, end), selected."""
        view = self.open_document(document_id)
        if view is not None:
            view.select_span(start, end)

    def _apply_to_current(self, code) -> None:
        view = self.current_view()
        if view is None:
            self.show_notice("Open a transcript and select some text first.")
        else:
            view.apply_code(code)

    def _show_failure(self, message: str) -> None:
        QMessageBox.warning(self, APP_NAME, message)

    def show_notice(self, message: str) -> None:
        self.statusBar().showMessage(message, 6000)

    # -- import -------------------------------------------------------------------------

    def import_transcripts(self, paths: list[Path] | None = None) -> None:
        """Ask where the files belong, then import them all (or none) with progress."""
        if self.session is None:
            self.show_notice("Open or create a study first, then import transcripts into it.")
            return
        if not self.session.study.writable:
            self.show_notice(f"{self.session.study.path.name} is open read-only in this window: "
                             "transcripts cannot be imported into it.")
            return
        dialog = ImportDialog(paths or [], self)
        while dialog.exec():
            imported = run_with_progress(
                self, "Importing transcripts", self.session.study.documents.import_files,
                dialog.items(), dialog.speaker_roles(),
            )
            if imported is not None:
                self.show_notice(f"Imported {len(imported)} document(s).")
                if imported:
                    self.open_document(imported[0].id)
                return

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 (Qt's name)
        if _dropped_files(event):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 (Qt's name)
        paths = _dropped_files(event)
        if not paths:
            return
        event.acceptProposedAction()
        studies = [p for p in paths if p.suffix.lower() == ".iprw"]
        if studies:
            self.open_study(studies[0])
        else:
            self.import_transcripts(paths)

    # -- closing ------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        self.settings.save_window_layout(self.saveGeometry(), self.saveState())
        self._install(None)
        release_clipboard()
        super().closeEvent(event)


def _dropped_files(event: QDragEnterEvent | QDropEvent) -> list[Path]:
    """Local transcript or study files in a drag, else an empty list."""
    paths = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
    wanted = EXTENSIONS | {".iprw"}
    return [path for path in paths if path.suffix.lower() in wanted]
