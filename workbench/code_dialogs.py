"""Small dialogs for one code: its shortcut key, and its definition and criteria."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QKeySequenceEdit,
    QLabel,
    QMenuBar,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from coding.codebook import Code

_PORTABLE = QKeySequence.SequenceFormat.PortableText
_MOVING = {Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_Home,
           Qt.Key.Key_End, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown, Qt.Key.Key_Tab,
           Qt.Key.Key_Backtab, Qt.Key.Key_Escape}
_TEXT_FIELDS = (
    ("definition", "Definition"),
    ("inclusion", "Include when"),
    ("exclusion", "Exclude when"),
    ("example", "Example"),
)


def keys_in_use(window: QWidget) -> dict[str, str]:
    """Keys the window's menus (and their Alt+letters) and copying in a transcript answer
    to: key → what for.

    A code's key is claimed in a transcript before the menus see it, so a code given
    Ctrl+Z would be applied instead of undoing.
    """
    found: dict[str, str] = {}
    for action in window.findChildren(QAction):
        if action.shortcutContext() in (Qt.ShortcutContext.WindowShortcut,
                                        Qt.ShortcutContext.ApplicationShortcut):
            for sequence in action.shortcuts():
                found.setdefault(sequence.toString(_PORTABLE), action.text().replace("&", ""))
    for bar in window.findChildren(QMenuBar):
        for menu in bar.actions():
            key = QKeySequence.mnemonic(menu.text()).toString(_PORTABLE)
            if key:
                found.setdefault(key, f"opening the {menu.text().replace('&', '')} menu")
    for standard, use in ((QKeySequence.StandardKey.Copy, "copying text"),
                          (QKeySequence.StandardKey.SelectAll, "selecting all the text")):
        for sequence in QKeySequence.keyBindings(standard):
            found.setdefault(sequence.toString(_PORTABLE), use)
    return found


class ShortcutDialog(QDialog):
    """Press the key (or combination) that should apply a code; keys in use are refused
    here, with the typed key kept to change."""

    def __init__(self, code: Code, parent: QWidget | None = None, *,
                 taken: Mapping[str, str] | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Shortcut for {code.name}")
        self._taken = dict(taken or {})
        self.editor = QKeySequenceEdit(QKeySequence(code.shortcut or ""), self)
        self.editor.setMaximumSequenceLength(1)
        self.editor.keySequenceChanged.connect(self._check)
        self.problem = QLabel(self)
        self.problem.setWordWrap(True)
        clear = QPushButton("No shortcut", self)
        clear.clicked.connect(self.editor.clear)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.addButton(clear, QDialogButtonBox.ButtonRole.ResetRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Press the key that applies this code while a transcript "
                                "has the focus (e.g. 1, or Alt+3):", self))
        layout.addWidget(self.editor)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self._check()

    def shortcut(self) -> str | None:
        text = self.editor.keySequence().toString(_PORTABLE)
        return text or None

    def _check(self) -> None:
        key = self.shortcut()
        use = self._taken.get(key) if key else None
        if key and use is None and self.editor.keySequence()[0].key() in _MOVING:
            use = "moving the cursor and selecting text"
        self.problem.setText(f"{key} is already used for {use}; press another key." if use
                             else "")
        self.problem.setVisible(use is not None)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(use is None)


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
