"""Supervisor review: the study's segments, filtered, approved or flagged with a comment.

The list is `coding.review.review_rows` under the chosen filters. Approving and
flagging are one undoable action for all selected segments, recorded under the
current coder, who must be a supervisor (the app offers to make them one). From
a segment the supervisor jumps into its document, or opens the two-coder
comparison of that document to build the consensus layer.
"""

from __future__ import annotations

from html import escape as _e

from PySide6.QtCore import (
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from coding.review import ReviewFilter, ReviewRow, review_rows, review_segments
from coding.segments import STATUSES
from transcripts.model import PERSPECTIVES
from workbench.review_model import COLUMNS, ROW_ROLE, ReviewTableModel, when
from workbench.study_session import StudySession
from workbench.supervisor import ensure_supervisor

_ANY = "(any)"


class ReviewPanel(QWidget):
    openRequested = Signal(int, int, int)  # document id, start, end (code points)
    compareRequested = Signal(int)  # document id
    notice = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session: StudySession | None = None
        self._stale = False
        self._soon = QTimer(self, singleShot=True, interval=250, timeout=self._refill)
        self.filters = {
            name: QComboBox(self) for name in ("code", "coder", "perspective", "dyad", "status")
        }
        for combo in self.filters.values():
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(10)
            combo.activated.connect(self.reload)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Words in the text, memo or comment")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.reload)
        filters = QGridLayout()
        # Alt+letters clear of the menu bar's (F, E, C, V, R) and of the screens beside this.
        for column, (label, widget) in enumerate(
            [("C&ode", self.filters["code"]), ("Co&der", self.filters["coder"]),
             ("&Perspective", self.filters["perspective"]), ("D&yad", self.filters["dyad"]),
             ("S&tatus", self.filters["status"]), ("Te&xt", self.search)]
        ):
            caption = QLabel(f"{label}:", self)
            caption.setBuddy(widget)
            filters.addWidget(caption, 0, column)
            filters.addWidget(widget, 1, column)
        filters.setColumnStretch(0, 2)
        filters.setColumnStretch(5, 3)

        self.model = ReviewTableModel(self.palette())
        proxy = QSortFilterProxyModel(self)
        proxy.setSourceModel(self.model)
        proxy.setSortRole(Qt.ItemDataRole.UserRole)
        self.table = QTableView(self)
        self.table.setModel(proxy)
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)  # unsorted at first: the study's own order
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for name, width in (("Status", 76), ("Dyad", 64), ("Perspective", 110), ("Time", 54),
                            ("Coder", 70), ("Code", 190), ("Text", 320), ("Memo", 120),
                            ("Reviewer", 80), ("Reviewed", 120)):
            self.table.setColumnWidth(COLUMNS.index(name), width)
        self.table.doubleClicked.connect(lambda _index: self.open_selected())
        self.table.selectionModel().selectionChanged.connect(self._show_selected)

        self.counts = QLabel(self)
        self.detail = QLabel(self)
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.TextFormat.RichText)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.comment = QLineEdit(self)
        self.comment.setPlaceholderText("Comment for the coder (needed to flag)")
        self.reviewer = QLabel(self)
        self.actions_ = self._make_actions()
        buttons = QHBoxLayout()
        for name in ("approve", "flag", "pending", None, "open", "compare"):
            if name is None:
                buttons.addStretch(1)
                continue
            button = QPushButton(self.actions_[name].text(), self)
            button.setToolTip(self.actions_[name].toolTip())
            button.clicked.connect(self.actions_[name].trigger)
            buttons.addWidget(button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(filters)
        layout.addWidget(self.counts)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.detail)
        layout.addWidget(self.comment)
        layout.addLayout(buttons)
        layout.addWidget(self.reviewer)
        self.setEnabled(False)

    def _make_actions(self) -> dict[str, QAction]:
        specs = {
            # No Alt+letters: their own keys act in the list (Alt+F is the File menu's).
            "approve": ("Approve", "A", "Approve the selected segments", self.approve),
            "flag": ("Flag…", "F", "Flag the selected segments, with your comment", self.flag),
            "pending": ("Set pending", "P", "Take back the review", self.reset),
            "open": ("Open in document", "Return", "Show the segment in its transcript",
                     self.open_selected),
            "compare": ("Compare coders here", "C",
                        "Compare two coders on this document and build the consensus layer",
                        self.compare_selected),
        }
        actions = {}
        for name, (text, key, tip, slot) in specs.items():
            action = QAction(text, self.table)
            action.setShortcut(QKeySequence(key))
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            action.setToolTip(f"{tip} ({key})")
            action.triggered.connect(lambda _checked=False, s=slot: s())
            self.table.addAction(action)
            actions[name] = action
        return actions

    # -- the study ----------------------------------------------------------------------

    def set_session(self, session: StudySession | None) -> None:
        self.session = session
        self.setEnabled(session is not None)
        if session is not None:
            for signal in (session.segmentsChanged, session.codebookChanged,
                           session.codersChanged, session.documentsChanged):
                signal.connect(self._changed)
            session.coderChanged.connect(self._show_reviewer)
            self._fill_filters()
        self.reload()
        self._show_reviewer()

    def _fill_filters(self) -> None:
        study = self.session.study
        book = study.codebook.load()
        docs = study.documents.list()
        choices = {
            "code": [(("  " * c.depth) + c.name, c.id) for c in book.walk()],  # id: kept on rename
            "coder": [(c.name, c.name) for c in study.coders.list()],
            "perspective": [(p, p) for p in PERSPECTIVES if any(d.perspective == p for d in docs)],
            "dyad": [(d, d) for d in sorted({doc.dyad for doc in docs})],
            "status": [(s, s) for s in STATUSES],
        }
        for name, items in choices.items():
            combo = self.filters[name]
            kept = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(_ANY, None)
            for label, value in items:
                combo.addItem(label, value)
            combo.setCurrentIndex(max(combo.findData(kept), 0))
            combo.blockSignals(False)

    def wanted(self) -> ReviewFilter:
        chosen = {name: combo.currentData() for name, combo in self.filters.items()}
        code = self.session.study.codebook.load().by_id.get(chosen["code"])
        chosen["code"] = code.path if code else None
        return ReviewFilter(text=self.search.text(), **chosen)

    def set_filter(self, **chosen: str | None) -> None:
        """Choose filter values by name (e.g. coder="Sam"), then list again."""
        for name, value in chosen.items():
            if name == "text":
                self.search.blockSignals(True)
                self.search.setText(value or "")
                self.search.blockSignals(False)
                continue
            if name == "code" and value is not None:  # a path: the combo holds code ids
                code = self.session.study.codebook.load().by_path.get(value)
                value = code.id if code else None
            combo = self.filters[name]
            combo.setCurrentIndex(max(combo.findData(value), 0))
        self.reload()

    def reload(self) -> None:
        """List the segments passing the filters again, keeping the selection."""
        if self.session is None:
            self.model.set_rows([], None)
            self.counts.clear()
            return
        if not self.isVisible():
            self._stale = True
            return
        self._stale = False
        kept = {row.uuid for row in self.selected_rows()}
        rows = self.session.attempt(review_rows, self.session.study, self.wanted()) or []
        self.model.set_rows(rows, self.session.study.codebook.load())
        statuses = [r.segment.status for r in rows]
        self.counts.setText(
            f"{len(rows)} segment{'s' * (len(rows) != 1)}: "
            + ", ".join(f"{statuses.count(s)} {s}" for s in STATUSES)
        )
        if kept:
            self.select_uuids(kept)

    def _changed(self, *_args: object) -> None:
        """The study changed elsewhere: list again shortly, once for a burst of changes.

        (Listing a study of 10,000 segments takes a few hundred ms; done at once, it
        made every code applied in a transcript wait for it while this list showed.)
        """
        if self.session is not None:
            self._soon.start()

    def _refill(self) -> None:
        self._soon.stop()
        if self.session is not None:
            self._fill_filters()
            self.reload()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        if self._stale:
            self.reload()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt's name)
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self.model.set_palette(self.palette())

    # -- selection -------------------------------------------------------------------------

    def selected_rows(self) -> list[ReviewRow]:
        proxy = self.table.model()
        return [proxy.data(index, ROW_ROLE) for index in self.table.selectionModel().selectedRows()]

    def select_uuids(self, uuids: set[str]) -> None:
        proxy, selection = self.table.model(), self.table.selectionModel()
        flags = QItemSelectionModel.SelectionFlag
        chosen = QItemSelection()
        last = None
        for number, row in enumerate(self.model.rows):
            if row.uuid in uuids:
                last = proxy.mapFromSource(self.model.index(number, 0))
                chosen.select(last, last)
        selection.select(chosen, flags.ClearAndSelect | flags.Rows)
        if last is not None:
            self.table.scrollTo(last)

    def _show_selected(self) -> None:
        rows = self.selected_rows()
        if len(rows) != 1:
            self.detail.setText(f"{len(rows)} segments selected." if rows else "")
            return
        row, segment = rows[0].row, rows[0].segment
        review = "Not reviewed yet."
        if segment.status != "pending" or row.reviewer:
            review = (f"<b>{segment.status.capitalize()}</b> by {_e(row.reviewer or '?')} "
                      f"on {when(segment.reviewed_at)}")
            if row.review_comment:
                review += f": “{_e(row.review_comment)}”"
        memo = f"<br><i>Memo:</i> {_e(row.memo)}" if row.memo else ""
        self.detail.setText(
            f"<b>{_e(row.code)}</b> — {_e(row.coder)}, {_e(row.document)}<br>"
            f"“{_e(' '.join(row.text.split())[:600])}”{memo}<br>{review}"
        )

    def _show_reviewer(self) -> None:
        coder = self.session.coder if self.session else None
        if coder is None:
            self.reviewer.setText('Choose who you are in the "I am" box to review.')
        else:
            self.reviewer.setText(f"Reviewing as <b>{_e(coder.name)}</b> ({coder.role}).")

    # -- actions --------------------------------------------------------------------------------

    def approve(self) -> bool:
        return self._review("approved", self.comment.text())

    def flag(self) -> bool:
        comment = self.comment.text().strip()
        if not comment and self.selected_rows():
            # The role first: a comment typed, then refused with the role, would be lost.
            if ensure_supervisor(self, self.session) is None:
                return False
            comment, ok = QInputDialog.getText(
                self, "Flag segments", "What should the coder look at again?"
            )
            if not ok or not comment.strip():
                return False
        return self._review("flagged", comment)

    def reset(self) -> bool:
        return self._review("pending", "")

    def _review(self, status: str, comment: str) -> bool:
        rows = self.selected_rows()
        if self.session is None or not rows:
            self.notice.emit("Select the segments to review first.")
            return False
        reviewer = ensure_supervisor(self, self.session)
        if reviewer is None:
            return False
        study = self.session.study
        segments = [study.segments.find(row.uuid) for row in rows]
        action = self.session.attempt(review_segments, segments, status, reviewer, comment)
        if action is None or not self.session.do(action):
            return False
        self._refill()  # the list acted on shows its new statuses at once
        self.comment.clear()
        self.notice.emit(f"{action.label} — as {reviewer.name}.")
        return True

    def open_selected(self) -> None:
        rows = self.selected_rows()
        if rows:
            segment = rows[0].segment
            self.openRequested.emit(segment.document_id, segment.start, segment.end)

    def compare_selected(self) -> None:
        rows = self.selected_rows()
        if rows:
            self.compareRequested.emit(rows[0].segment.document_id)
