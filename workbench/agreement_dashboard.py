"""The agreement dashboard: who agrees with whom, on which codes, and where they differ.

Choose coders, unit and codes; `coding.study_agreement` runs in a worker thread
(the app stays responsive, and the run can be cancelled) and its result fills
the per-code table with the pooled row, the pairwise kappa matrix for three or
more coders, and a chart of kappa and alpha. Clicking a code lists its
disagreements (`coding.disagreements`); opening one shows the two coders side
by side at that unit, ready to settle.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from coding.disagreements import Disagreement, disagreements
from coding.study_agreement import UNITS, AgreementResult, study_agreement
from transcripts.timestamps import clock
from workbench.agreement_chart import AgreementChart
from workbench.agreement_model import CODE_ROLE, AgreementTableModel, shown
from workbench.check_list import CheckList
from workbench.settings import Settings
from workbench.study_session import StudySession
from workbench.worker import run_with_progress


class AgreementDashboard(QWidget):
    # document id, (coder, coder), code path, unit, unit start, unit end
    compareRequested = Signal(int, object, str, str, int, int)
    notice = Signal(str)
    title = "Agreement"

    def __init__(self, session: StudySession, settings: Settings,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._settings = settings
        self.result: AgreementResult | None = None
        self.found: list[Disagreement] = []
        self.found_code = ""

        self.coder_list = CheckList(self)
        self.unit = QComboBox(self)
        self.unit.addItems(UNITS)
        self.all_codes = QCheckBox("&All codes", self)
        self.all_codes.setChecked(True)
        self.code_list = CheckList(self)
        self.all_codes.toggled.connect(lambda on: self.code_list.setEnabled(not on))
        self.code_list.setEnabled(False)
        self.compute_button = QPushButton("Co&mpute", self)  # (Alt+C opens the Code menu)
        self.compute_button.setDefault(True)
        self.compute_button.clicked.connect(lambda: self.compute())
        controls = QWidget(self)
        side = QVBoxLayout(controls)
        side.setContentsMargins(0, 0, 0, 0)
        for caption, widget, stretch in (
            ("Coder&s", self.coder_list, 1), ("&Unit", self.unit, 0),
            ("Codes", self.all_codes, 0), (None, self.code_list, 2),
            (None, self.compute_button, 0),
        ):
            if caption:
                label = QLabel(caption, controls)
                label.setBuddy(widget)
                side.addWidget(label)
            side.addWidget(widget, stretch)

        self.summary = QLabel("Choose coders and press Compute.", self)
        self.summary.setWordWrap(True)
        self.model = AgreementTableModel()
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.table.setColumnWidth(0, 250)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # "Theme/…/Code" when narrow
        self.table.clicked.connect(self._row_clicked)
        self.table.activated.connect(self._row_clicked)
        self.pairwise = QTableWidget(self)
        self.pairwise.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.pairwise.hide()
        self.pairwise_label = QLabel("Pairwise Cohen's κ over the pooled decisions", self)
        self.pairwise_label.hide()
        self.disagreement_label = QLabel("Click a code to list where the coders disagree.", self)
        self.disagreement_label.setWordWrap(True)
        self.disagreement_list = QListWidget(self)
        self.disagreement_list.setWordWrap(True)
        self.disagreement_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.disagreement_list.itemActivated.connect(self._open_disagreement)
        self.chart = AgreementChart(self)
        self.chart.codeClicked.connect(self.show_disagreements)
        chart_area = QScrollArea(self)
        chart_area.setWidget(self.chart)
        chart_area.setWidgetResizable(True)
        chart_area.setMinimumWidth(320)

        tables = QWidget(self)
        middle = QVBoxLayout(tables)
        middle.setContentsMargins(0, 0, 0, 0)
        for widget, stretch in ((self.summary, 0), (self.table, 3), (self.pairwise_label, 0),
                                (self.pairwise, 1)):
            middle.addWidget(widget, stretch)
        listing = QWidget(self)
        lower = QVBoxLayout(listing)
        lower.setContentsMargins(0, 0, 0, 0)
        lower.addWidget(self.disagreement_label)
        lower.addWidget(self.disagreement_list, 1)
        self.lower = _splitter(self, "dashboard-lower", Qt.Orientation.Horizontal,
                               chart_area, listing)
        self.center = _splitter(self, "dashboard-center", Qt.Orientation.Vertical,
                                tables, self.lower)
        self.splitter = _splitter(self, "dashboard", Qt.Orientation.Horizontal,
                                  controls, self.center)
        self.splitter.setStretchFactor(1, 1)
        self._first_sizes = {  # fractions, applied once the screen has its real size
            splitter: sizes for splitter, sizes in (
                (self.splitter, (0.24, 0.76)), (self.center, (0.5, 0.5)), (self.lower, (0.5, 0.5)))
            if not splitter.restoreState(settings.screen_state(splitter.objectName()) or b"")
        }
        for splitter in (self.splitter, self.center, self.lower):
            splitter.splitterMoved.connect(self._save_layout)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.splitter)

        session.segmentsChanged.connect(self._outdated)
        session.codersChanged.connect(self._fill_choices)
        session.codebookChanged.connect(self._fill_choices)
        self._fill_choices()

    # -- choices ---------------------------------------------------------------------------

    def _fill_choices(self) -> None:
        study = self.session.study
        kept = set(self.chosen_coders())
        # At first, the people who have coded (not a supervisor who only reviews).
        coded = {coder_id for _, coder_id in study.segments.counts()}
        self.coder_list.clear()
        for coder in study.coders.list():
            worked = coder.id in coded or bool(study.coders.done_documents(coder))
            chosen = coder.name in kept if kept else worked and not coder.consensus
            self.coder_list.add(coder.name, coder.name, chosen)
        kept_codes = set(self.code_list.checked())  # ids: a renamed code stays ticked
        self.code_list.clear()
        for code in study.codebook.load().walk():
            self.code_list.add(code.name, code.id, code.id in kept_codes, code.depth)

    def chosen_coders(self) -> list[str]:
        return self.coder_list.checked()

    def chosen_codes(self) -> list[str] | None:
        """The rows asked for (a theme aggregates its codes); None: every applicable code."""
        if self.all_codes.isChecked():
            return None
        book = self.session.study.codebook.load()
        return [book.by_id[code_id].path for code_id in self.code_list.checked()]

    def choose(self, coders: list[str] | None = None, unit: str | None = None,
               codes: list[str] | None = None) -> None:
        """Set the choices as a user would tick them (codes=None: all codes)."""
        if coders is not None:
            self.coder_list.set_checked(coders)
        if unit is not None:
            self.unit.setCurrentText(unit)
        self.all_codes.setChecked(codes is None)
        book = self.session.study.codebook.load()
        self.code_list.set_checked({book.by_path[path].id for path in codes or ()})

    # -- computing ---------------------------------------------------------------------------

    def compute(self) -> AgreementResult | None:
        """Run the agreement in a worker thread and show it (None if refused or cancelled)."""
        coders, codes = self.chosen_coders(), self.chosen_codes()
        if len(coders) < 2:
            self.notice.emit("Tick at least two coders to compare.")
            return None
        if codes == []:
            self.notice.emit('Tick some codes, or "All codes".')
            return None
        result = run_with_progress(
            self, "Computing agreement", study_agreement, self.session.study, coders,
            self.unit.currentText(), codes,
        )
        if result is not None:
            self.show_result(result)
        return result

    def show_result(self, result: AgreementResult) -> None:
        self.result = result
        self.model.set_result(result)
        self.chart.set_result(result)
        skipped = (f" Skipped (not coded by everyone): {', '.join(result.skipped)}."
                   if result.skipped else "")
        self.summary.setText(
            f"{', '.join(result.coders)} · {result.units} {result.unit} units in "
            f"{len(result.documents)} document{'s' * (len(result.documents) != 1)}.{skipped}"
        )
        self._show_pairwise(result)
        self.found, self.found_code = [], ""
        self.disagreement_list.clear()
        self.disagreement_label.setText("Click a code to list where the coders disagree.")

    def _outdated(self, *_args: object) -> None:
        """Say so when the shown figures no longer describe the study (recomputing is a choice:
        it can take a while)."""
        note = " Segments have changed since: press Compute to update."
        if self.result is not None and not self.summary.text().endswith(note):
            self.summary.setText(self.summary.text() + note)

    def _show_pairwise(self, result: AgreementResult) -> None:
        many = len(result.coders) > 2
        self.pairwise.setVisible(many)
        self.pairwise_label.setVisible(many)
        if not many:
            return
        names = result.coders
        self.pairwise.clear()
        self.pairwise.setRowCount(len(names))
        self.pairwise.setColumnCount(len(names))
        self.pairwise.setHorizontalHeaderLabels(names)
        self.pairwise.setVerticalHeaderLabels(names)
        for pair in result.pairwise:
            i, j = (names.index(name) for name in pair.coders)
            for row, column in ((i, j), (j, i)):
                cell = QTableWidgetItem(shown(pair.cohen_kappa, "cohen_kappa"))
                cell.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                cell.setToolTip(f"{pair.coders[0]} and {pair.coders[1]}: agreement "
                                f"{shown(pair.percent_agreement, 'percent_agreement')}")
                self.pairwise.setItem(row, column, cell)
        for k in range(len(names)):
            self.pairwise.setItem(k, k, QTableWidgetItem("—"))

    # -- drilling down ------------------------------------------------------------------------

    def _row_clicked(self, index: QModelIndex) -> None:
        code = self.model.data(index, CODE_ROLE)
        if code and index.row() < len(self.model.rows) - 1:
            self.show_disagreements(code)

    def show_disagreements(self, code: str) -> None:
        """List the units where the computed coders differ on `code`."""
        if self.result is None:
            return
        if not self.result.documents:
            self.found, self.found_code = [], code
            self.disagreement_list.clear()
            self.disagreement_label.setText(
                f"{code}: no document was coded by every chosen coder, so there is nothing "
                "to compare.")
            return
        study = self.session.study
        found = self.session.attempt(disagreements, study, self.result.coders, code,
                                     self.result.unit, self.result.documents)
        self.found, self.found_code = found or [], code
        self.disagreement_list.clear()
        for item in self.found:
            words = " ".join(item.text.split())
            when = "" if item.session_time is None else f"{clock(item.session_time)} · "
            row = QListWidgetItem(
                f"{item.document} · {when}only {', '.join(item.applied_by)} · “{words[:140]}”"
            )
            row.setToolTip(f"coded by {', '.join(item.applied_by)}, not by "
                           f"{', '.join(item.missing)}\n\n{item.text}\n\nEnter or double-click "
                           "to compare the coders here")
            self.disagreement_list.addItem(row)
        count = len(self.found)
        self.disagreement_label.setText(
            f"{code}: {count} disagreement{'s' * (count != 1)} ({self.result.unit} units)"
            + (" — open one to compare the coders there." if count else ".")
        )

    def _open_disagreement(self, item: QListWidgetItem) -> None:
        found = self.found[self.disagreement_list.row(item)]
        # In the order the coders were chosen, so each keeps its side of the comparison.
        pair = tuple(name for name in self.result.coders
                     if name in (found.applied_by[0], found.missing[0]))
        self.compareRequested.emit(found.document_id, pair, self.found_code, self.result.unit,
                                   found.unit_start, found.unit_end)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        if self._first_sizes:
            QTimer.singleShot(0, self._apply_first_sizes)  # once laid out at full size

    def _apply_first_sizes(self) -> None:
        for splitter, fractions in self._first_sizes.items():
            whole = sum(splitter.sizes())
            splitter.setSizes([round(whole * f) for f in fractions])
        self._first_sizes = {}

    def _save_layout(self) -> None:
        for splitter in (self.splitter, self.center, self.lower):
            self._settings.save_screen_state(splitter.objectName(), splitter.saveState())


def _splitter(parent: QWidget, name: str, orientation: Qt.Orientation,
              *widgets: QWidget) -> QSplitter:
    splitter = QSplitter(orientation, parent)
    splitter.setObjectName(name)  # its key in the settings
    for widget in widgets:
        splitter.addWidget(widget)
    return splitter
