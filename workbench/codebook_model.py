"""The codebook as a Qt tree: colour swatches, shortcut keys, segment counts, drag and drop.

`CodebookModel` mirrors a `Codebook` (rebuilt when the core says it changed);
`CodeTree` turns drops into requests — code this selection, move this code,
merge it — and leaves the change itself to the panel and the core's history.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape

from PySide6.QtCore import QMimeData, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QDragMoveEvent,
    QDropEvent,
    QFont,
    QIcon,
    QPainter,
    QPixmap,
    QStandardItem,
    QStandardItemModel,
)
from PySide6.QtWidgets import QAbstractItemView, QTreeView, QWidget

from coding.codebook import Code, Codebook
from workbench.transcript_view import SELECTION_MIME, SelectionMime

CODE_MIME = "application/x-ipr-workbench-code"
CODE_ID = Qt.ItemDataRole.UserRole + 1
COLUMNS = ("Code", "Key", "Mine", "All")
MERGE_MODIFIER = Qt.KeyboardModifier.ShiftModifier


def definition_html(code: Code) -> str:
    """A code's definition, criteria and example, for tooltips and the detail pane."""
    parts = [f"<b>{escape(code.name)}</b>"]
    if code.definition:
        parts.append(escape(code.definition))
    for title, text in (("Include", code.inclusion), ("Exclude", code.exclusion)):
        if text:
            parts.append(f"<b>{title}:</b> {escape(text)}")
    if code.example:
        parts.append(f"<b>Example:</b> <i>{escape(code.example)}</i>")
    if not code.codable:
        parts.append("<i>A theme: apply one of its codes.</i>")
    return "<p>" + "</p><p>".join(parts) + "</p>"


def swatch(color: str, size: int = 14) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QColor("#808080"))
    painter.setBrush(QColor(color))
    painter.drawRoundedRect(1, 1, size - 2, size - 2, 3, 3)
    painter.end()
    return QIcon(pixmap)


class CodebookModel(QStandardItemModel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setHorizontalHeaderLabels(COLUMNS)

    def rebuild(
        self, book: Codebook, mine: Mapping[int, int], everyone: Mapping[int, int]
    ) -> None:
        """Show `book` with segment counts per code (themes add up their codes)."""
        self.removeRows(0, self.rowCount())

        def add(parent: QStandardItem, code: Code) -> tuple[int, int]:
            name = QStandardItem(swatch(code.color), code.name)
            name.setData(code.id, CODE_ID)
            name.setToolTip(definition_html(code))
            flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
            name.setFlags(flags | Qt.ItemFlag.ItemIsDragEnabled | Qt.ItemFlag.ItemIsDropEnabled)
            if not code.codable:
                font = QFont(name.font())
                font.setBold(True)
                name.setFont(font)
            cells = [QStandardItem(code.shortcut or ""), QStandardItem(), QStandardItem()]
            row = [name, *cells]
            parent.appendRow(row)
            totals = (mine.get(code.id, 0), everyone.get(code.id, 0))
            for child in code.children:
                counted = add(name, child)
                totals = (totals[0] + counted[0], totals[1] + counted[1])
            for cell, value in zip(cells[1:], totals, strict=True):
                cell.setText(str(value) if value else "")
                cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            for cell in cells:
                cell.setFlags(flags)
            return totals

        for root in book.roots:
            add(self.invisibleRootItem(), root)

    def index_of(self, code_id: int) -> QModelIndex:
        found = self.match(
            self.index(0, 0), CODE_ID, code_id, 1,
            Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive,
        )
        return found[0] if found else QModelIndex()

    # -- drag and drop: the view decides what a drop means -------------------------------

    def mimeTypes(self) -> list[str]:  # noqa: N802 (Qt's name)
        return [CODE_MIME, SELECTION_MIME]

    def mimeData(self, indexes) -> QMimeData:  # noqa: N802 (Qt's name)
        mime = QMimeData()
        ids = {index.siblingAtColumn(0).data(CODE_ID) for index in indexes}
        if len(ids) == 1:
            mime.setData(CODE_MIME, str(ids.pop()).encode())
        return mime

    def canDropMimeData(self, mime, action, row, column, parent) -> bool:  # noqa: N802
        return mime.hasFormat(CODE_MIME) or mime.hasFormat(SELECTION_MIME)

    def supportedDropActions(self) -> Qt.DropAction:  # noqa: N802 (Qt's name)
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction


class CodeTree(QTreeView):
    """The codebook tree; drops become requests, the model is never changed in place."""

    selectionDropped = Signal(int, object)  # code id, the SelectionMime dropped on it
    moveRequested = Signal(int, object, int)  # code id, new parent id or None, position
    mergeRequested = Signal(int, int)  # source code id, target code id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setDropIndicatorShown(True)
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(True)
        self.setAllColumnsShowFocus(True)

    def code_id_at(self, index: QModelIndex | QPersistentModelIndex) -> int | None:
        return index.siblingAtColumn(0).data(CODE_ID) if index.isValid() else None

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:  # noqa: N802 (Qt's name)
        super().dragMoveEvent(event)  # positions the drop indicator
        if isinstance(event.mimeData(), SelectionMime):
            target = self.indexAt(event.position().toPoint())
            if self.code_id_at(target) is None:
                event.ignore()
                return
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 (Qt's name)
        target = self.indexAt(event.position().toPoint())
        self.handle_drop(
            event.mimeData(), target, self.dropIndicatorPosition(), event.modifiers()
        )
        # Copy, never Move: the model is rebuilt from the core, not edited by the drag.
        event.setDropAction(Qt.DropAction.CopyAction)
        event.accept()
        self.stopAutoScroll()
        self.setState(QAbstractItemView.State.NoState)
        self.viewport().update()

    def handle_drop(
        self,
        mime: QMimeData,
        target: QModelIndex,
        where: QAbstractItemView.DropIndicatorPosition,
        modifiers: Qt.KeyboardModifier,
    ) -> None:
        """Turn a drop into a request (also what tests call)."""
        target_id = self.code_id_at(target)
        if isinstance(mime, SelectionMime):
            if target_id is not None:
                self.selectionDropped.emit(target_id, mime)
            return
        if not mime.hasFormat(CODE_MIME):
            return
        source_id = int(bytes(mime.data(CODE_MIME)).decode())
        if target_id is None or where == QAbstractItemView.DropIndicatorPosition.OnViewport:
            self.moveRequested.emit(source_id, None, self.model().rowCount())
        elif where == QAbstractItemView.DropIndicatorPosition.OnItem:
            if modifiers & MERGE_MODIFIER:
                self.mergeRequested.emit(source_id, target_id)
            else:
                self.moveRequested.emit(source_id, target_id, -1)
        else:
            below = where == QAbstractItemView.DropIndicatorPosition.BelowItem
            parent_id = self.code_id_at(target.parent())
            self.moveRequested.emit(source_id, parent_id, target.row() + int(below))
