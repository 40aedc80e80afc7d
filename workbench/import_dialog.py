"""Choose transcripts to import and say where each belongs (dyad, session, perspective).

Sensible guesses come from file names ("D07-S2-client-recall.docx"); the user
corrects them in the table. Speaker labels can be given roles here too. The
import itself runs in the core, off the GUI thread (see `worker.py`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from coding.documents import ImportItem, check_placement, default_name
from transcripts.errors import WorkbenchError
from transcripts.model import PERSPECTIVES, ROLES

FILE_FILTER = "Transcripts (*.txt *.md *.docx *.srt *.vtt);;All files (*)"
EXTENSIONS = {".txt", ".md", ".docx", ".srt", ".vtt"}
_DYAD = re.compile(r"(?:^|[^a-z0-9])(d|dyad)[ _-]?(\d+)(?=[^a-z0-9]|$)")
_SESSION = re.compile(r"(?:^|[^a-z0-9])(?:s|session)[ _-]?(\d+)(?=[^a-z0-9]|$)")
_FILE, _DYAD_COLUMN, _SESSION_COLUMN, _PERSPECTIVE, _NAME = range(5)


def guess_placement(path: Path) -> tuple[str, int, str]:
    """(dyad, session, perspective) suggested by a file name; dyad "" when unknown."""
    stem = Path(path).stem.lower()
    words = set(re.findall(r"[a-z]+", stem))
    dyad = _DYAD.search(stem)
    session = _SESSION.search(stem)
    client = bool(words & {"client", "patient", "cl"})
    therapist = bool(words & {"therapist", "counsellor", "counselor", "th"})
    if client and not therapist:
        perspective = "client-recall"
    elif therapist and not client:
        perspective = "therapist-recall"
    elif words & {"session", "transcript"} or (client and therapist):
        perspective = "session"
    else:
        perspective = "other"
    return (
        f"D{dyad.group(2).zfill(2)}" if dyad else "",
        int(session.group(1)) if session else 1,
        perspective,
    )


class ImportDialog(QDialog):
    def __init__(self, paths: Iterable[Path] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import transcripts")
        self.files = QTableWidget(0, 5, self)
        self.files.setHorizontalHeaderLabels(
            ["File", "Dyad", "Session", "Perspective", "Name (optional)"]
        )
        self.files.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.files.horizontalHeader()
        header.setSectionResizeMode(_FILE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(_NAME, QHeaderView.ResizeMode.Stretch)
        self.speakers = QTableWidget(0, 2, self)
        self.speakers.setHorizontalHeaderLabels(["Speaker label", "Role"])
        self.speakers.horizontalHeader().setStretchLastSection(True)
        self.speakers.setMaximumHeight(130)

        add_files = QPushButton("Add files…", self)
        add_files.clicked.connect(self._choose_files)
        remove = QPushButton("Remove", self)
        remove.clicked.connect(lambda: _remove_selected(self.files))
        add_speaker = QPushButton("Add speaker", self)
        add_speaker.clicked.connect(lambda: self.add_speaker("", "other"))
        remove_speaker = QPushButton("Remove speaker", self)
        remove_speaker.clicked.connect(lambda: _remove_selected(self.speakers))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Import")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Where does each file belong? Guesses come from file names.", self))
        layout.addWidget(self.files)
        layout.addLayout(_row(add_files, remove))
        layout.addWidget(QLabel(
            "Speaker labels and their roles (optional; T, C, I, Therapist, Client … are "
            "known already):", self))
        layout.addWidget(self.speakers)
        layout.addLayout(_row(add_speaker, remove_speaker))
        layout.addWidget(buttons)
        self.resize(820, 480)
        self.add_files(paths)

    def add_files(self, paths: Iterable[Path]) -> None:
        for path in paths:
            dyad, session, perspective = guess_placement(Path(path))
            row = self.files.rowCount()
            self.files.insertRow(row)
            name = QTableWidgetItem(Path(path).name)
            name.setData(Qt.ItemDataRole.UserRole, str(path))
            name.setToolTip(str(path))
            name.setFlags(name.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.files.setItem(row, _FILE, name)
            self.files.setItem(row, _DYAD_COLUMN, QTableWidgetItem(dyad))
            number = QSpinBox(self.files)
            number.setRange(1, 999)
            number.setValue(session)
            self.files.setCellWidget(row, _SESSION_COLUMN, number)
            self.files.setCellWidget(row, _PERSPECTIVE, _combo(self.files, PERSPECTIVES,
                                                               perspective))
            self.files.setItem(row, _NAME, QTableWidgetItem(""))

    def add_speaker(self, label: str, role: str) -> None:
        row = self.speakers.rowCount()
        self.speakers.insertRow(row)
        self.speakers.setItem(row, 0, QTableWidgetItem(label))
        self.speakers.setCellWidget(row, 1, _combo(self.speakers, ROLES, role))

    def items(self) -> list[ImportItem]:
        """The files and placements; unnamed files get the default name when it is unique."""
        rows = []
        for row in range(self.files.rowCount()):
            rows.append((
                Path(self.files.item(row, _FILE).data(Qt.ItemDataRole.UserRole)),
                self.files.item(row, _DYAD_COLUMN).text().strip(),
                self.files.cellWidget(row, _SESSION_COLUMN).value(),
                self.files.cellWidget(row, _PERSPECTIVE).currentText(),
                self.files.item(row, _NAME).text().strip(),
            ))
        defaults = [default_name(dyad, session, p) for _, dyad, session, p, _ in rows]
        return [
            ImportItem(path, dyad, session, perspective,
                       name or (default if defaults.count(default) == 1 else None))
            for (path, dyad, session, perspective, name), default in zip(rows, defaults,
                                                                        strict=True)
        ]

    def speaker_roles(self) -> dict[str, str]:
        roles = {}
        for row in range(self.speakers.rowCount()):
            label = self.speakers.item(row, 0).text().strip()
            if label:
                roles[label] = self.speakers.cellWidget(row, 1).currentText()
        return roles

    def accept(self) -> None:
        """Refuse to close with nothing to import or a placement the core would refuse."""
        items = self.items()
        try:
            if not items:
                raise WorkbenchError("Add at least one transcript file.")
            for item in items:
                check_placement(item.dyad, item.session, item.perspective)
        except WorkbenchError as exc:
            QMessageBox.warning(self, "Import transcripts", str(exc))
            return
        super().accept()

    def _choose_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, "Choose transcripts", "", FILE_FILTER)
        self.add_files(Path(p) for p in paths)


def _combo(parent: QWidget, choices: Iterable[str], current: str) -> QComboBox:
    combo = QComboBox(parent)
    combo.addItems(list(choices))
    combo.setCurrentText(current)
    return combo


def _row(*widgets: QWidget) -> QHBoxLayout:
    layout = QHBoxLayout()
    for widget in widgets:
        layout.addWidget(widget)
    layout.addStretch(1)
    return layout


def _remove_selected(table: QTableWidget) -> None:
    for row in sorted({index.row() for index in table.selectedIndexes()}, reverse=True):
        table.removeRow(row)
