"""The themes: an unticked tick box must show in the dark theme as in the light one."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QApplication, QCheckBox, QStyle, QVBoxLayout, QWidget

from workbench.check_list import CheckList
from workbench.theme import apply_theme


def _strongest_contrast(image: QImage, width: int, background: QColor) -> int:
    """The largest lightness difference from `background` in the image's left `width` pixels."""
    return max(
        abs(image.pixelColor(x, y).lightness() - background.lightness())
        for x in range(min(width, image.width())) for y in range(image.height())
    )


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_unticked_boxes_are_outlined_visibly(qtbot, scheme):
    app = QApplication.instance()
    apply_theme(app, scheme)
    try:
        host = QWidget()
        qtbot.addWidget(host)
        box = QCheckBox("All codes", host)
        ticks = CheckList(host)
        ticks.add("Fear and anxiety", 1, False)
        layout = QVBoxLayout(host)
        layout.addWidget(box)
        layout.addWidget(ticks)
        host.show()
        qtbot.waitExposed(host)
        palette = host.palette()
        window = palette.color(QPalette.ColorRole.Window)
        tick = box.style().pixelMetric(QStyle.PixelMetric.PM_IndicatorWidth)  # then the words
        assert _strongest_contrast(box.grab().toImage(), tick, window) > 40
        row = ticks.visualItemRect(ticks.item(0))
        row.setWidth(tick + 8)
        image = ticks.viewport().grab(row).toImage()
        assert _strongest_contrast(image, row.width(), palette.color(QPalette.ColorRole.Base)) > 40
    finally:
        apply_theme(app, "light")
