"""Kappa and alpha per code as horizontal bars, drawn with QPainter in the app's palette.

The report's matplotlib chart (`exports.charts`) is a print figure on white;
on screen the chart follows the light or dark theme and answers clicks: a
code's bars open its disagreements. An undefined statistic is written "n/a"
where its bar would be, never drawn as 0.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QMouseEvent, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from coding.study_agreement import AgreementResult
from workbench.theme import dimmed

SERIES_COLORS = (QColor("#0072B2"), QColor("#E69F00"))  # Okabe–Ito, kind to colour-blind eyes
_BAR, _GAP, _TOP, _RIGHT = 9, 10, 44, 46


@dataclass(frozen=True)
class ChartRow:
    code: str
    label: str
    values: tuple[float | None, ...]


class AgreementChart(QWidget):
    codeClicked = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.series: tuple[str, ...] = ()
        self.rows: list[ChartRow] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_result(self, result: AgreementResult | None) -> None:
        self.rows = []
        if result is not None:
            kappa = "cohen_kappa" if len(result.coders) == 2 else "fleiss_kappa"
            self.series = ("Cohen's κ" if kappa == "cohen_kappa" else "Fleiss' κ",
                           "Krippendorff's α")
            for row in [*result.codes, result.pooled]:
                label = "Pooled" if row is result.pooled else row.code.rsplit("/", 1)[-1]
                self.rows.append(
                    ChartRow(row.code, label, (getattr(row, kappa), row.krippendorff_alpha))
                )
        self.setFixedHeight(self.sizeHint().height())
        self.update()

    def _row_height(self) -> int:
        return len(self.series) * _BAR + _GAP

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return QSize(520, _TOP + max(len(self.rows), 1) * self._row_height() + 8)

    def _scale(self) -> tuple[float, float]:
        values = [v for row in self.rows for v in row.values if v is not None]
        low = min([0.0, *values])
        return (math.floor(low * 5) / 5 if low < 0 else 0.0), 1.0

    def _labels(self) -> int:
        """Width of the code names' column: at most 230 px and 40 % of the chart."""
        return min(230, int(self.width() * 0.4))

    def x_of(self, value: float) -> float:
        low, high = self._scale()
        span = max(self.width() - self._labels() - _RIGHT, 40)
        return self._labels() + span * (value - low) / (high - low)

    def row_center(self, index: int) -> QPointF:
        """The middle of a row's bars (where a click opens that code)."""
        return QPointF(self.x_of(0.5), _TOP + (index + 0.5) * self._row_height())

    def row_at(self, y: float) -> ChartRow | None:
        index = int((y - _TOP) // self._row_height())
        return self.rows[index] if y >= _TOP and index < len(self.rows) else None

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        painter.fillRect(self.rect(), palette.color(QPalette.ColorRole.Base))
        text, quiet = palette.color(QPalette.ColorRole.Text), dimmed(palette)
        if not self.rows:
            painter.setPen(quiet)
            painter.drawText(QRectF(self.rect()).adjusted(12, 4, -12, -4),
                             Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                             "Choose coders and press Compute to see agreement per code.")
            return
        base = QFont(painter.font())
        small = QFont(base)
        small.setPointSizeF(max(base.pointSizeF() - 1.5, 6))
        self._paint_legend(painter, text)
        painter.setFont(small)
        self._paint_grid(painter, quiet)
        labels = self._labels()
        for number, row in enumerate(self.rows):
            top = _TOP + number * self._row_height()
            name = QFont(base)
            name.setBold(row is self.rows[-1])
            painter.setFont(name)
            painter.setPen(text)
            label = painter.fontMetrics().elidedText(row.label, Qt.TextElideMode.ElideRight,
                                                     labels - 14)
            painter.drawText(QRectF(6, top, labels - 12, self._row_height() - _GAP / 2),
                             Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, label)
            painter.setFont(small)
            for k, value in enumerate(row.values):
                y = top + k * _BAR
                if value is None:
                    painter.setPen(quiet)
                    painter.drawText(QRectF(self.x_of(0) + 4, y - 2, 60, _BAR + 4),
                                     Qt.AlignmentFlag.AlignVCenter, "n/a")
                    continue
                x0, x1 = sorted((self.x_of(0), self.x_of(value)))
                painter.fillRect(QRectF(x0, y, max(x1 - x0, 1.5), _BAR - 1), SERIES_COLORS[k])
                painter.setPen(text)
                painter.drawText(QRectF(max(x1, self.x_of(0)) + 4, y - 2, 50, _BAR + 4),
                                 Qt.AlignmentFlag.AlignVCenter, f"{value:.2f}")
        painter.end()

    def _paint_legend(self, painter: QPainter, text: QColor) -> None:
        x = 8
        for k, name in enumerate(self.series):
            painter.fillRect(QRectF(x, 8, 12, 10), SERIES_COLORS[k])
            painter.setPen(text)
            painter.drawText(QPointF(x + 16, 17), name)
            x += painter.fontMetrics().horizontalAdvance(name) + 40

    def _paint_grid(self, painter: QPainter, quiet: QColor) -> None:
        low, high = self._scale()
        bottom = _TOP + len(self.rows) * self._row_height() - _GAP / 2
        room = self.x_of(high) - self.x_of(low)
        step = 0.2 if room / ((high - low) / 0.2) >= 34 else 0.5
        tick = math.ceil(low / step - 1e-9) * step
        while tick <= high + 1e-9:
            x = self.x_of(tick)
            pen = QPen(quiet, 1.2 if abs(tick) < 1e-9 else 0.5)
            painter.setPen(pen)
            painter.drawLine(QPointF(x, _TOP - 6), QPointF(x, bottom))
            painter.drawText(QRectF(x - 20, _TOP - 22, 40, 14), Qt.AlignmentFlag.AlignCenter,
                             f"{tick:.1f}")
            tick = round(tick + step, 6)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt's name)
        row = self.row_at(event.position().y())
        if row is not None and row is not self.rows[-1]:
            self.codeClicked.emit(row.code)
