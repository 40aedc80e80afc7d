"""The review list as a Qt table model over the core's `ReviewRow`s (no queries here)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QPalette

from coding.codebook import Codebook
from coding.review import ReviewRow
from workbench.timeline import clock

ROW_ROLE = Qt.ItemDataRole.UserRole + 1
_STATUS_COLORS = {"approved": ("#1E7B3A", "#7FD69B"), "flagged": ("#B3261E", "#FF8A80")}
COLUMNS = (
    "Status", "Dyad", "Perspective", "Time", "Coder", "Code", "Text", "Memo", "Reviewer",
    "Reviewed", "Comment",
)
_Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()


class ReviewTableModel(QAbstractTableModel):
    def __init__(self, palette: QPalette) -> None:
        super().__init__()
        self.rows: list[ReviewRow] = []
        self._book: Codebook | None = None
        self._palette = palette

    def set_rows(self, rows: Sequence[ReviewRow], book: Codebook) -> None:
        self.beginResetModel()
        self.rows, self._book = list(rows), book
        self.endResetModel()

    def set_palette(self, palette: QPalette) -> None:
        self._palette = palette
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, 0))

    def rowCount(self, parent: _Index = _ROOT) -> int:  # noqa: N802 (Qt's name)
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = _ROOT) -> int:  # noqa: N802 (Qt's name)
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(  # noqa: N802 (Qt's name)
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self.rows[index.row()]
        column = COLUMNS[index.column()]
        if role == ROW_ROLE:
            return item
        if role == Qt.ItemDataRole.DisplayRole:
            return _shown(item, column)
        if role == Qt.ItemDataRole.ToolTipRole and column in ("Text", "Memo", "Comment", "Code"):
            return _shown(item, column, whole=True) or None
        if role == Qt.ItemDataRole.DecorationRole and column == "Code" and self._book:
            code = self._book.by_id.get(item.segment.code_id)
            return QColor(code.color) if code else None
        if role == Qt.ItemDataRole.ForegroundRole and column == "Status":
            pair = _STATUS_COLORS.get(item.segment.status)
            dark = self._palette.color(QPalette.ColorRole.Base).lightness() < 128
            return QColor(pair[dark]) if pair else None
        if role == Qt.ItemDataRole.UserRole:  # sort key
            return _sort_key(item, column)
        return None


def _shown(item: ReviewRow, column: str, whole: bool = False) -> str:
    row = item.row
    if column == "Status":
        return row.status
    if column == "Dyad":
        return f"{row.dyad} S{row.session}"
    if column == "Perspective":
        return row.perspective
    if column == "Time":
        return clock(row.session_time) if row.session_time is not None else ""
    if column == "Coder":
        return row.coder
    if column == "Code":
        return row.code if whole else row.code.rsplit("/", 1)[-1]
    if column == "Reviewer":
        return row.reviewer or ""
    if column == "Reviewed":
        return when(item.segment.reviewed_at)
    text = {"Text": row.text, "Memo": row.memo, "Comment": row.review_comment}[column]
    return text if whole else " ".join(text.split())[:160]


def _sort_key(item: ReviewRow, column: str) -> Any:
    if column == "Time":
        return item.row.session_time if item.row.session_time is not None else -1.0
    if column == "Reviewed":
        return item.segment.reviewed_at or ""
    return _shown(item, column).casefold()


def when(stamp: str | None) -> str:
    """A stored UTC time as the user's local date and time to the minute."""
    if not stamp:
        return ""
    try:
        return datetime.fromisoformat(stamp).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return stamp
