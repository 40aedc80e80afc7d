"""One way to add a menu action with its shortcuts, shared by every menu of the window."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

Keys = QKeySequence.StandardKey


def plain(text: str) -> str:
    """A name (code, coder, document, study) for a menu, tab or button, shown as typed.

    Qt takes a lone '&' there for a keyboard mnemonic: 'Shame & guilt' read 'Shame _guilt'.
    """
    return text.replace("&", "&&")


def add_action(menu: QMenu, text: str, slot: Callable[[], object], *keys: Keys | str) -> QAction:
    """`menu` gains `text` calling `slot()`; standard keys expand to the platform's bindings."""
    action = menu.addAction(text)
    action.triggered.connect(lambda _checked=False: slot())
    sequences: list[QKeySequence] = []
    for key in keys:
        found = QKeySequence.keyBindings(key) if isinstance(key, Keys) else [QKeySequence(key)]
        sequences.extend(s for s in found if s not in sequences)
    action.setShortcuts(sequences)
    return action
