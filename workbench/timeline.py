"""A strip across a session's duration: where each participant stopped, and what was coded.

Client stops hang above the session axis, therapist stops stand below it, and a
shaded column joins stops that fall within the moment window, so convergence
(both stopped, and the same themes were coded) and divergence (one stopped, or
other themes) read at a glance. Small squares in theme colours show the themes
coded on each comment; ticks on the axis show segments coded in the session.
Clicking a stop chooses that comment; clicking elsewhere chooses that time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent, QPalette, QPolygonF
from PySide6.QtWidgets import QToolTip, QWidget

from coding.moments import Comment, Moment
from workbench.theme import blend, dimmed, role_color

_LEFT, _RIGHT = 78, 16  # room for the row labels, and for the last stop
_SQUARE, _HIT = 6, 7
_ROWS = {"client-recall": -1, "therapist-recall": 1}  # above / below the axis


@dataclass(frozen=True)
class TimelineStop:
    """One comment on the strip, with the colours of the themes coded on it."""

    comment: Comment
    themes: Sequence[tuple[str, str]]  # (theme name, colour), codebook order


@dataclass(frozen=True)
class SessionMark:
    """A segment coded in the session transcript, at its session time."""

    time: float
    color: str


class SessionTimeline(QWidget):
    timeChosen = Signal(float)
    commentChosen = Signal(object)  # Comment

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.duration = 0.0
        self.stops: list[TimelineStop] = []
        self.moments: list[Moment] = []
        self.session_marks: list[SessionMark] = []
        self.current: tuple[float, float] | None = None
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return QSize(600, 96)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return QSize(200, 96)

    def set_data(
        self, duration: float | None, stops: Sequence[TimelineStop], moments: Sequence[Moment],
        session_marks: Sequence[SessionMark],
    ) -> None:
        self.duration = max(duration or 0.0, *(s.comment.time for s in stops), 1.0)
        self.stops, self.moments = list(stops), list(moments)
        self.session_marks = list(session_marks)
        self.update()

    def set_current(self, start: float | None, end: float | None = None) -> None:
        self.current = None if start is None else (start, start if end is None else end)
        self.update()

    # -- geometry ---------------------------------------------------------------------------

    def x_of(self, time: float) -> float:
        span = max(self.width() - _LEFT - _RIGHT, 1)
        return _LEFT + span * min(max(time / self.duration, 0.0), 1.0)

    def time_at(self, x: float) -> float:
        span = max(self.width() - _LEFT - _RIGHT, 1)
        return min(max((x - _LEFT) / span, 0.0), 1.0) * self.duration

    def stop_point(self, stop: TimelineStop) -> QPointF:
        """Where a stop's marker tip touches its row (for hit tests and tests)."""
        side = _ROWS[stop.comment.perspective]
        return QPointF(self.x_of(stop.comment.time), self._axis() + side * 12)

    def stop_at(self, point: QPointF) -> TimelineStop | None:
        side = -1 if point.y() < self._axis() else 1
        near = [
            (abs(self.x_of(s.comment.time) - point.x()), s)
            for s in self.stops
            if _ROWS[s.comment.perspective] == side
        ]
        near = [item for item in near if item[0] <= _HIT]
        return min(near, key=lambda item: item[0])[1] if near else None

    def _axis(self) -> float:
        return self.height() / 2

    # -- painting ---------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        base = palette.color(QPalette.ColorRole.Base)
        painter.fillRect(self.rect(), base)
        axis = self._axis()
        self._paint_shared(painter, palette)
        self._paint_axis(painter, palette, axis)
        for stop in self.stops:
            self._paint_stop(painter, palette, stop, axis)
        if self.current is not None:
            x0, x1 = self.x_of(self.current[0]), self.x_of(self.current[1])
            color = QColor(palette.color(QPalette.ColorRole.Highlight))
            painter.setPen(Qt.PenStyle.NoPen)
            color.setAlpha(90)
            painter.setBrush(color)
            painter.drawRect(QRectF(x0 - 1.5, 2, max(x1 - x0, 0) + 3, self.height() - 4))
        painter.setPen(palette.color(QPalette.ColorRole.Mid))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5))
        painter.end()

    def _paint_shared(self, painter: QPainter, palette: QPalette) -> None:
        shade = blend(palette.color(QPalette.ColorRole.Base),
                      palette.color(QPalette.ColorRole.Highlight), 0.16)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(shade)
        for moment in self.moments:
            if moment.shared:
                x0, x1 = self.x_of(moment.start), self.x_of(moment.end)
                painter.drawRoundedRect(QRectF(x0 - 5, 4, x1 - x0 + 10, self.height() - 8), 3, 3)

    def _paint_axis(self, painter: QPainter, palette: QPalette, axis: float) -> None:
        text = palette.color(QPalette.ColorRole.Text)
        quiet = dimmed(palette)
        painter.setPen(role_color("client", palette))
        painter.drawText(QRectF(6, 4, _LEFT - 10, axis - 8),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, "Client")
        painter.setPen(role_color("therapist", palette))
        painter.drawText(QRectF(6, axis + 4, _LEFT - 10, axis - 8),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom, "Therapist")
        painter.setPen(quiet)
        painter.drawText(QRectF(6, axis - 9, _LEFT - 10, 18), Qt.AlignmentFlag.AlignVCenter,
                         "Session")
        painter.setPen(text)
        painter.drawLine(QPointF(_LEFT, axis), QPointF(self.width() - _RIGHT, axis))
        step = _tick_step(self.duration, self.width() - _LEFT - _RIGHT)
        small = painter.font()
        small.setPointSizeF(max(small.pointSizeF() - 2, 6))
        painter.setFont(small)
        tick = 0.0
        while tick <= self.duration + 0.1:
            x = self.x_of(tick)
            painter.setPen(quiet)
            painter.drawLine(QPointF(x, axis - 3), QPointF(x, axis + 3))
            label = clock(tick)
            if x + 2 + painter.fontMetrics().horizontalAdvance(label) < self.width() - 2:
                painter.drawText(QPointF(x + 2, axis + 2 + painter.fontMetrics().ascent()),
                                 label)
            tick += step
        for mark in self.session_marks:
            x = self.x_of(mark.time)
            painter.fillRect(QRectF(x - 1, axis - 4, 2.5, 8), QColor(mark.color))

    def _paint_stop(self, painter: QPainter, palette: QPalette, stop: TimelineStop,
                    axis: float) -> None:
        side = _ROWS[stop.comment.perspective]
        role = "client" if stop.comment.perspective == "client-recall" else "therapist"
        x = self.x_of(stop.comment.time)
        tip = axis + side * 6
        back = axis + side * 16
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(role_color(role, palette))
        arrow = [QPointF(x, tip), QPointF(x - 5, back), QPointF(x + 5, back)]
        painter.drawPolygon(QPolygonF(arrow))
        painter.setPen(QColor(palette.color(QPalette.ColorRole.Base)))
        for n, (_name, color) in enumerate(stop.themes):
            y = back + side * (3 + n * (_SQUARE + 2)) - (_SQUARE if side < 0 else 0)
            painter.setBrush(QColor(color))
            painter.drawRect(QRectF(x - _SQUARE / 2, y, _SQUARE, _SQUARE))

    # -- interaction --------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt's name)
        if event.button() != Qt.MouseButton.LeftButton or event.position().x() < _LEFT - 6:
            return
        stop = self.stop_at(event.position())
        if stop is not None:
            self.commentChosen.emit(stop.comment)
        else:
            self.timeChosen.emit(self.time_at(event.position().x()))

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            stop = self.stop_at(QPointF(event.pos()))
            if stop is None:
                QToolTip.showText(event.globalPos(), clock(self.time_at(event.pos().x())), self)
            else:
                QToolTip.showText(event.globalPos(), self.describe(stop), self)
            return True
        return super().event(event)

    def describe(self, stop: TimelineStop) -> str:
        who = "Client" if stop.comment.perspective == "client-recall" else "Therapist"
        themes = ", ".join(name for name, _ in stop.themes) or "nothing coded yet"
        return f"{who} stopped at {clock(stop.comment.time)}: {themes}"


def clock(seconds: float) -> str:
    """Session time as m:ss (h:mm:ss past an hour)."""
    whole = int(round(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _tick_step(duration: float, width: float) -> float:
    """A round tick interval leaving at least ~70 px between labels."""
    for step in (30, 60, 120, 300, 600, 900, 1800, 3600, 7200):
        if width * step / max(duration, 1.0) >= 70:
            return float(step)
    return 14400.0
