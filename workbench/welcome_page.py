"""What the window shows with no study open: start a study, open one, or try the sample."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


class WelcomePage(QWidget):
    newRequested = Signal()
    openRequested = Signal()
    sampleRequested = Signal()
    recentChosen = Signal(Path)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        title = QLabel("<h1>IPR Workbench</h1><p>Code dual-perspective Interpersonal Process "
                       "Recall transcripts, compare coders, and report themes.</p>", self)
        title.setWordWrap(True)
        buttons = []
        for text, signal in (
            ("New study…", self.newRequested),
            ("Open study…", self.openRequested),
            ("Open the sample study", self.sampleRequested),
        ):
            button = QPushButton(text, self)
            button.clicked.connect(signal.emit)
            buttons.append(button)
        self.recent = QListWidget(self)
        self.recent.itemActivated.connect(
            lambda item: self.recentChosen.emit(Path(item.data(Qt.ItemDataRole.UserRole)))
        )
        column = QWidget(self)
        column.setMaximumWidth(560)
        inner = QVBoxLayout(column)
        inner.addWidget(title)
        for button in buttons:
            inner.addWidget(button)
        inner.addSpacing(12)
        inner.addWidget(QLabel("Recent studies:", self))
        inner.addWidget(self.recent)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(column, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)

    def set_recent(self, paths: list[Path]) -> None:
        self.recent.clear()
        for path in paths:
            item = QListWidgetItem(f"{path.stem}    —    {path.parent}")
            item.setData(Qt.ItemDataRole.UserRole, str(path))
            item.setToolTip(str(path))
            self.recent.addItem(item)
