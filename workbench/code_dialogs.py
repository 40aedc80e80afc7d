"""Small dialogs for one code: its shortcut key, and its definition and criteria."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QKeySequenceEdit,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from coding.codebook import Code

_TEXT_FIELDS = (
    ("definition", "Definition"),
    ("inclusion", "Include when"),
    ("exclusion", "Exclude when"),
    ("example", "Example"),
)


class ShortcutDialog(QDialog):
    """Press the key (or combination) that should apply a code."""

    def __init__(self, code: Code, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Shortcut for {code.name}")
        self._edit = QKeySequenceEdit(QKeySequence(code.shortcut or ""), self)
        self._edit.setMaximumSequenceLength(1)
        clear = QPushButton("No shortcut", self)
        clear.clicked.connect(self._edit.clear)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.addButton(clear, QDialogButtonBox.ButtonRole.ResetRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Press the key that applies this code while a transcript "
                                "has the focus (e.g. 1, or Alt+3):", self))
        layout.addWidget(self._edit)
        layout.addWidget(buttons)

    def shortcut(self) -> str | None:
        text = self._edit.keySequence().toString(QKeySequence.SequenceFormat.PortableText)
        return text or None


class DefinitionDialog(QDialog):
    """Edit what a code means: definition, inclusion and exclusion criteria, example."""

    def __init__(self, code: Code, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Definition of {code.name}")
        self._code = code
        self._edits: dict[str, QPlainTextEdit] = {}
        form = QFormLayout()
        for name, label in _TEXT_FIELDS:
            edit = QPlainTextEdit(getattr(code, name), self)
            edit.setTabChangesFocus(True)
            self._edits[name] = edit
            form.addRow(label, edit)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.resize(520, 480)

    def changes(self) -> dict[str, Any]:
        """Only the fields the user changed."""
        return {
            name: edit.toPlainText().strip()
            for name, edit in self._edits.items()
            if edit.toPlainText().strip() != getattr(self._code, name)
        }
