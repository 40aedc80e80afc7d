"""The strip beside a transcript: one coloured stripe per segment, memo notes, clicks.

Like a line-number area: it paints only the blocks in view, asking the
`SegmentIndex` for each block's segments, and remembers where it drew each
stripe so clicks and tooltips find the segment without another search.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QPoint, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent, QPalette, QPolygon
from PySide6.QtWidgets import QToolTip, QWidget

from workbench.segment_index import Mark
from workbench.theme import blend, code_stripe

if TYPE_CHECKING:
    from workbench.transcript_view import TranscriptView

STRIPE, GAP, PAD, NOTE, MAX_LANES = 5, 2, 4, 14, 10


class CodingMargin(QWidget):
    segmentClicked = Signal(object)  # Mark
    segmentMenuRequested = Signal(object, QPoint)  # Mark, global position

    def __init__(self, view: TranscriptView) -> None:
        super().__init__(view)
        self._view = view
        self._hits: list[tuple[QRect, Mark]] = []
        self.setMouseTracking(True)

    def width_needed(self) -> int:
        lanes = min(self._view.segment_index.lanes, MAX_LANES)
        return PAD + max(lanes, 1) * (STRIPE + GAP) + NOTE

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return QSize(self.width_needed(), 0)

    def mark_at(self, point: QPoint) -> Mark | None:
        """The segment drawn under `point` (the narrowest, when a memo note overlaps)."""
        hits = [mark for rect, mark in self._hits if rect.adjusted(-1, 0, 1, 0).contains(point)]
        return min(hits, key=lambda m: m.end16 - m.start16, default=None)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        view, palette = self._view, self.palette()
        painter = QPainter(self)
        painter.fillRect(event.rect(), blend(palette.color(QPalette.ColorRole.Base),
                                             palette.color(QPalette.ColorRole.Window), 0.6))
        self._hits = []
        block = view.firstVisibleBlock()
        top = view.blockBoundingGeometry(block).translated(view.contentOffset()).top()
        note_x = PAD + min(view.segment_index.lanes, MAX_LANES) * (STRIPE + GAP)
        while block.isValid() and top <= event.rect().bottom():
            height = view.blockBoundingRect(block).height()
            if block.isVisible() and top + height >= event.rect().top():
                for mark in view.segment_index.in_block(block.blockNumber()):
                    self._paint_mark(painter, mark, block, top, height, note_x)
            block = block.next()
            top += height
        painter.end()

    def _paint_mark(self, painter: QPainter, mark: Mark, block, top: float, height: float,
                    note_x: int) -> None:
        if mark.lane >= MAX_LANES:
            return
        layout, number, position = block.layout(), block.blockNumber(), block.position()
        y0, y1 = top, top + height
        first_line = None
        if mark.first_block == number:
            first_line = layout.lineForTextPosition(mark.start16 - position)
            if first_line.isValid():
                y0 = top + first_line.y()
        if mark.last_block == number:
            line = layout.lineForTextPosition(max(mark.end16 - 1 - position, 0))
            if line.isValid():
                y1 = top + line.y() + line.height()
        own = self._view.is_own(mark.segment.coder_id)
        color = code_stripe(self._view.code_color(mark.segment.code_id), self.palette(), own=own)
        rect = QRectF(PAD + mark.lane * (STRIPE + GAP), y0 + 1, STRIPE, max(y1 - y0 - 2, 2))
        painter.fillRect(rect, color)
        self._hits.append((rect.toAlignedRect(), mark))
        if mark.segment.memo and mark.first_block == number:
            self._paint_note(painter, QRect(note_x + 1, int(y0) + 2, 9, 11), color)

    def _paint_note(self, painter: QPainter, rect: QRect, color: QColor) -> None:
        """A small page with a folded corner: this segment has a memo."""
        fold = 3
        page = QPolygon([
            rect.topLeft(), QPoint(rect.right() - fold, rect.top()),
            QPoint(rect.right(), rect.top() + fold), rect.bottomRight(), rect.bottomLeft(),
        ])
        painter.setPen(self.palette().color(QPalette.ColorRole.Text))
        painter.setBrush(color)
        painter.drawPolygon(page)
        self._hits.append((rect, self._hits[-1][1]))

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt's name)
        mark = self.mark_at(event.position().toPoint())
        if mark is None:
            return
        if event.button() == Qt.MouseButton.LeftButton:
            self.segmentClicked.emit(mark)
        elif event.button() == Qt.MouseButton.RightButton:
            self.segmentMenuRequested.emit(mark, event.globalPosition().toPoint())

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            mark = self.mark_at(event.pos())
            if mark is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(event.globalPos(), self._view.describe(mark), self)
            return True
        return super().event(event)
