"""A list of ticked choices (coders, codes, themes), each carrying the value it stands for.

The agreement dashboard and the report options both ask "which of these?";
this keeps the ticking, reading back and re-ticking in one place. (That its
tick boxes show on a dark palette is the app style's doing: `theme.FusionStyle`.)
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

_VALUE = Qt.ItemDataRole.UserRole + 1
_CHECKED, _UNCHECKED = Qt.CheckState.Checked, Qt.CheckState.Unchecked


class CheckList(QListWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setUniformItemSizes(True)
        # Narrow, a name is shortened in the middle ("Agreement…goals", "Agreement…tasks"):
        # cut at the right, or scrolled sideways, codes sharing a beginning looked alike.
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setTextElideMode(Qt.TextElideMode.ElideMiddle)

    def add(self, text: str, value: Any, checked: bool, depth: int = 0) -> QListWidgetItem:
        """A choice showing `text` (indented by `depth`) that stands for `value`."""
        item = QListWidgetItem("    " * depth + text, self)
        item.setToolTip(text)
        item.setData(_VALUE, value)
        item.setCheckState(_CHECKED if checked else _UNCHECKED)
        return item

    def values(self) -> list[Any]:
        return [item.data(_VALUE) for item in self._items()]

    def checked(self) -> list[Any]:
        """The values ticked, in list order."""
        return [item.data(_VALUE) for item in self._items() if item.checkState() == _CHECKED]

    def set_checked(self, values: Collection[Any]) -> None:
        """Tick exactly the choices whose value is in `values`."""
        for item in self._items():
            item.setCheckState(_CHECKED if item.data(_VALUE) in values else _UNCHECKED)

    def fit_rows(self, most: int = 8) -> None:
        """As tall as its rows (up to `most`, then it scrolls), never blank below them."""
        row = self.sizeHintForRow(0) if self.count() else self.fontMetrics().height() + 4
        self.setFixedHeight(row * max(1, min(self.count(), most)) + 2 * self.frameWidth())

    def _items(self) -> list[QListWidgetItem]:
        return [self.item(row) for row in range(self.count())]
