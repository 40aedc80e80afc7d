"""Marks laid over a transcript view: the moment being looked at, units coders disagree on.

Text formats belong to the highlighter (speaker labels, code colours); these marks
are painted on a transparent layer above the text instead, so a translucent band
leaves the code colours beneath it visible and nothing has to be re-highlighted
when the marks move. Positions are code points, converted by the view.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPaintEvent, QPen, QTextBlock
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from workbench.transcript_view import TranscriptView

BAND, WAVE, EDGE = "band", "wave", "edge"
_BAR = 4  # width of a band's left bar
_WAVE = 1.5  # half height of a wavy underline
_EDGE = 4  # width of an edge bar


@dataclass(frozen=True)
class SpanMark:
    """Code points [start, end) shown as a `BAND` over whole lines, a `WAVE` under the text,
    or an `EDGE` bar at the right of its lines."""

    start: int
    end: int
    color: QColor
    style: str = BAND


class SpanOverlay(QWidget):
    def __init__(self, view: TranscriptView) -> None:
        # A sibling above the viewport, not its child: scrolling moves the viewport's children.
        super().__init__(view)
        self._view = view
        self._marks: list[tuple[SpanMark, int, int]] = []
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        view.viewport().installEventFilter(self)
        view.updateRequest.connect(self._on_update_request)
        self.setGeometry(view.viewport().geometry())
        self.show()
        self.raise_()

    @property
    def marks(self) -> list[SpanMark]:
        return [mark for mark, _, _ in self._marks]

    def set_marks(self, marks: Sequence[SpanMark]) -> None:
        to16 = self._view.to_utf16
        self._marks = [(m, to16(m.start), to16(m.end)) for m in marks if m.end > m.start]
        self.update()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() in (QEvent.Type.Resize, QEvent.Type.Move):
            self.setGeometry(self._view.viewport().geometry())
        return False

    def _on_update_request(self, _rect, dy: int) -> None:
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        if not self._marks:
            return
        shown = list(self._visible_blocks())
        if not shown:
            return
        first, last = shown[0][0].position(), shown[-1][0].position() + shown[-1][0].length()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        for mark, start16, end16 in self._marks:
            if end16 <= first or start16 >= last:
                continue
            pieces = list(_line_rects(shown, start16, end16))
            if not pieces:
                continue
            if mark.style == BAND:
                self._paint_band(painter, mark.color, pieces)
            elif mark.style == EDGE:
                for piece in pieces:
                    painter.fillRect(QRectF(self.width() - _EDGE - 1, piece.top() + 1, _EDGE,
                                            piece.height() - 2), mark.color)
            else:
                self._paint_wave(painter, mark.color, pieces)
        painter.end()

    def _paint_band(self, painter: QPainter, color: QColor, pieces: list[QRectF]) -> None:
        top, bottom = pieces[0].top(), pieces[-1].bottom()
        fill = QColor(color)
        fill.setAlpha(46)
        painter.fillRect(QRectF(0, top, self.width(), bottom - top), fill)
        painter.fillRect(QRectF(0, top, _BAR, bottom - top), color)

    def _paint_wave(self, painter: QPainter, color: QColor, pieces: list[QRectF]) -> None:
        """A wavy line under the text, as spelling checkers draw (just below the baseline)."""
        painter.setPen(QPen(color, 1.3))
        descent = self.fontMetrics().descent()
        for rect in pieces:
            y = rect.bottom() - max(descent, 2 * _WAVE + 1) / 2 - 0.5
            path = QPainterPath(QPointF(rect.left(), y))
            x, up = rect.left(), True
            while x < rect.right():
                x = min(x + 2 * _WAVE, rect.right())
                path.lineTo(x, y - _WAVE if up else y + _WAVE)
                up = not up
            painter.drawPath(path)

    def _visible_blocks(self) -> Iterator[tuple[QTextBlock, QPointF]]:
        """The blocks on screen with their top-left corners (walked down from the first,
        as a plain text view only knows where its first visible block is)."""
        view = self._view
        block = view.firstVisibleBlock()
        origin = view.blockBoundingGeometry(block).translated(view.contentOffset()).topLeft()
        while block.isValid() and origin.y() <= self.height():
            if block.isVisible():
                yield block, QPointF(origin)
            origin.setY(origin.y() + view.blockBoundingRect(block).height())
            block = block.next()


def _line_rects(
    shown: list[tuple[QTextBlock, QPointF]], start16: int, end16: int
) -> Iterator[QRectF]:
    """One rectangle per visual line of [start16, end16) among the blocks on screen."""
    for block, origin in shown:
        position = block.position()
        if position >= end16 or position + block.length() <= start16:
            continue
        layout = block.layout()
        for number in range(layout.lineCount()):
            line = layout.lineAt(number)
            first = max(start16 - position, line.textStart())
            last = min(end16 - position, line.textStart() + line.textLength())
            if first >= last:
                continue
            x0, _ = line.cursorToX(first)
            x1, _ = line.cursorToX(last)
            yield QRectF(origin.x() + x0, origin.y() + line.y(), x1 - x0, line.height())
