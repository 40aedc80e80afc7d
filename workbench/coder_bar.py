"""The toolbar's "I am: <coder>" box: pick a coder of the study or type a new name."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

from workbench.study_session import StudySession


class CoderBar(QWidget):
    coderChosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.combo = QComboBox(self)
        self.combo.setEditable(True)
        self.combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.combo.setMinimumContentsLength(12)
        self.combo.lineEdit().setPlaceholderText("type your name")
        self.combo.setToolTip("Who is coding: your segments are saved under this name.\n"
                              "Type a new name and press Enter to add a coder.")
        self.combo.activated.connect(self._chosen)
        self.combo.lineEdit().returnPressed.connect(self._chosen)
        label = QLabel("&I am:", self)  # Alt+I: who codes, from anywhere
        label.setBuddy(self.combo)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 0, 6, 0)
        layout.addWidget(label)
        layout.addWidget(self.combo)
        self.session: StudySession | None = None

    def set_session(self, session: StudySession | None) -> None:
        self.session = session
        if session is not None:
            session.codersChanged.connect(self.refresh)
            session.coderChanged.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        self.combo.blockSignals(True)
        self.combo.clear()
        if self.session is not None:
            names = [c.name for c in self.session.study.coders.list() if not c.consensus]
            self.combo.addItems(names)
            current = self.session.coder.name if self.session.coder else ""
            self.combo.setCurrentIndex(names.index(current) if current in names else -1)
            self.combo.setEditText(current)
        self.combo.blockSignals(False)
        self.setEnabled(self.session is not None)

    def _chosen(self) -> None:
        name = self.combo.currentText().strip()
        current = self.session.coder.name if self.session and self.session.coder else ""
        if name and name != current:
            self.coderChosen.emit(name)
            self.refresh()  # a refused name (read-only study, reserved name) is not left shown
