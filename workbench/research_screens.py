"""The Review menu and the screens behind it, wired into the main window.

The dual-perspective view, the two-coder comparison and the agreement dashboard
open as tabs beside the transcripts (one of each, re-pointed when asked again);
the review list is a dock, so it stays in view while the supervisor jumps into
documents. The window asks the current tab for its `current_view()`, so the
codebook codes in whichever pane of a screen the user last worked in.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMenu, QWidget

from workbench.agreement_dashboard import AgreementDashboard
from workbench.compare_view import CompareView
from workbench.dual_view import DualView
from workbench.menu_actions import add_action, plain
from workbench.review_panel import ReviewPanel
from workbench.study_session import StudySession
from workbench.transcript_view import TranscriptView

if TYPE_CHECKING:
    from workbench.main_window import MainWindow

Screen = TypeVar("Screen", DualView, CompareView, AgreementDashboard)


class ResearchScreens:
    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.review = ReviewPanel(window)
        self.review.openRequested.connect(window.show_place)
        self.review.compareRequested.connect(lambda doc_id: self.open_compare(doc_id))
        self.review.notice.connect(window.show_notice)
        self.review_dock = QDockWidget("Review", window)
        self.review_dock.setObjectName("review-dock")
        self.review_dock.setWidget(self.review)
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.review_dock)
        window.tabifyDockWidget(window.docks["search"], self.review_dock)  # full width, a tab
        self.review_dock.hide()

        menu = window.menuBar().addMenu("&Review")
        self.actions: list[QAction] = []
        self.dual = self._action(menu, "Session from &both perspectives", "Ctrl+Shift+D",
                                 lambda: self.open_dual_view())
        menu.addSeparator()
        toggle = self.review_dock.toggleViewAction()
        toggle.setText("&Review segments")
        toggle.setShortcut(QKeySequence("Ctrl+Shift+R"))
        toggle.triggered.connect(lambda shown: shown and self._focus_review())
        menu.addAction(toggle)
        self.actions.append(toggle)
        self.compare = self._action(menu, "&Compare coders on this document", "Ctrl+Shift+K",
                                    lambda: self.open_compare())
        self.dashboard = self._action(menu, "&Agreement dashboard", "Ctrl+Shift+G",
                                      lambda: self.open_dashboard())

    def _focus_review(self) -> None:
        """Shown: in front, tall enough for a list (filters, detail and buttons take ~200 px),
        with the keyboard in the list (A, F, P act there)."""
        self.review_dock.raise_()
        tall = round(self.window.height() * 0.45)
        if self.review_dock.height() < tall:
            self.window.resizeDocks([self.review_dock], [tall], Qt.Orientation.Vertical)
        self.review.table.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _action(self, menu: QMenu, text: str, key: str, slot: Callable[[], object]) -> QAction:
        action = add_action(menu, text, slot, key)
        self.actions.append(action)
        return action

    def set_session(self, session: StudySession | None) -> None:
        for action in self.actions:
            action.setEnabled(session is not None)
        if session is None:
            self.review_dock.hide()
        self.review.set_session(session)

    # -- opening screens ------------------------------------------------------------------------

    def open_dual_view(self, dyad: str | None = None, number: int | None = None) -> DualView | None:
        """Both perspectives of a session (by default the current transcript's)."""
        session = self.window.session
        if session is None:
            return None
        if dyad is None or number is None:
            dyad, number = self._current_session() or (None, None)
        if dyad is None:
            self.window.show_notice("Import a session and its recalls first.")
            return None
        found = self._find(DualView)
        if found is None:
            found = self._add(DualView(session, self.window.settings, dyad, number))
        elif found.key != (dyad, number):
            found.show_session(dyad, number)
        self._focus(found)
        return found

    def open_compare(
        self, document_id: int | None = None, coders: Sequence[str] = (), code: str | None = None,
        unit: str = "sentence", span: tuple[int, int] | None = None,
    ) -> CompareView | None:
        """Two coders on one document (by default the current transcript) and the consensus."""
        session = self.window.session
        if session is None:
            return None
        document_id = document_id or self._current_document()
        if document_id is None:
            self.window.show_notice("Open a transcript (or pick a segment) to compare coders on.")
            return None
        found = self._find(CompareView)
        if found is None:
            found = self._add(CompareView(session, self.window.settings, document_id, coders,
                                          code, unit))
        else:
            found.set_choice(coders=coders, code=code, unit=unit, document_id=document_id)
        if span is not None:
            found.show_unit(*span)
        self._focus(found)
        return found

    def open_dashboard(self) -> AgreementDashboard | None:
        session = self.window.session
        if session is None:
            return None
        found = self._find(AgreementDashboard)
        if found is None:
            found = self._add(AgreementDashboard(session, self.window.settings))
            found.compareRequested.connect(
                lambda doc_id, pair, code, unit, start, end: self.open_compare(
                    doc_id, pair, code, unit, (start, end))
            )
        self._focus(found)
        return found

    # -- tabs --------------------------------------------------------------------------------------

    def _find(self, kind: type[Screen]) -> Screen | None:
        tabs = self.window.tabs
        return next((tabs.widget(i) for i in range(tabs.count())
                     if isinstance(tabs.widget(i), kind)), None)

    def _add(self, screen: Screen) -> Screen:
        screen.notice.connect(self.window.show_notice)
        if isinstance(screen, DualView | CompareView):
            screen.retitled.connect(lambda title, s=screen: self._retitle(s, title))
        self.window.tabs.addTab(screen, plain(screen.title))
        return screen

    def _retitle(self, screen: QWidget, title: str) -> None:
        index = self.window.tabs.indexOf(screen)
        if index >= 0:
            self.window.tabs.setTabText(index, plain(title))

    def _focus(self, screen: QWidget) -> None:
        self.window.tabs.setCurrentWidget(screen)

    def _current_document(self) -> int | None:
        view = self.window.current_view()
        if view is not None:
            return view.document_id
        docs = self.window.session.study.documents.list()
        return docs[0].id if docs else None

    def _current_session(self) -> tuple[str, int] | None:
        widget = self.window.tabs.currentWidget()
        if isinstance(widget, TranscriptView):
            return widget.info.dyad, widget.info.session
        docs = self.window.session.study.documents.list()
        return (docs[0].dyad, docs[0].session) if docs else None
