"""What the middle of the window says while a study is open but no transcript is.

A new study starts empty, and the blank area gave no clue that transcripts are
imported (File ▸ Import, Ctrl+I, or dropped on the window) and then opened from
the Documents pane.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget


class StudyHint(QWidget):
    importRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.import_button = QPushButton("Import transcripts…", self)  # (Alt+I: "I am")
        self.import_button.clicked.connect(self.importRequested.emit)
        self.setFocusProxy(self.import_button)  # F6 lands on the one thing to do here
        self.label.setMinimumWidth(300)
        self.label.setMaximumWidth(520)
        row = QHBoxLayout()  # centred by stretches: an aligned label would not wrap to its height
        row.addStretch(1)
        row.addWidget(self.label, 4)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(self.import_button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
        self.set_documents(0)

    def set_documents(self, count: int) -> None:
        """Say what to do next in a study holding `count` documents."""
        drop = ("Import (Ctrl+I) the session transcript and the client's and therapist's "
                "recall interviews, or drop .txt, .docx, .srt or .vtt files on this window.")
        if count:
            self.label.setText(
                "<p>No transcript is open.</p><p>Double-click a document in the "
                "<b>Documents</b> pane (or select it and press Enter) to read and code it.</p>"
                f"<p>{drop}</p>")
        else:
            self.label.setText(f"<p><b>This study has no transcripts yet.</b></p><p>{drop}</p>")

    def text(self) -> str:
        return self.label.text()
