"""The themes: an unticked tick box must show in the dark theme as in the light one."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QApplication, QCheckBox, QStyle, QVBoxLayout, QWidget

from coding.study import Study
from workbench.check_list import CheckList
from workbench.theme import apply_theme, code_background, dark_palette, light_palette


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


def _luminance(color: QColor) -> float:
    def channel(value: int) -> float:
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return (0.2126 * channel(color.red()) + 0.7152 * channel(color.green())
            + 0.0722 * channel(color.blue()))


def _ratio(one: QColor, other: QColor) -> float:
    """WCAG contrast ratio (1 = the same, 21 = black on white)."""
    high, low = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_default_code_shows_on_the_page_and_keeps_its_text_readable(tmp_path, scheme):
    """On the dark page the navy and olive codes (Bond, Skill experienced relationally)
    highlighted almost as the page itself (1.2:1), other coders' not at all (1.08:1), and
    text on the palest ones read at 4.0:1."""
    palette = dark_palette() if scheme == "dark" else light_palette()
    page, text = palette.color(QPalette.ColorRole.Base), palette.color(QPalette.ColorRole.Text)
    with Study.create(tmp_path / "s.iprw") as study:
        colours = {code.name: code.color for code in study.codebook.load().walk()}
    seen_own, seen_others = (1.6, 1.2) if scheme == "dark" else (1.15, 1.08)
    for name, colour in colours.items():
        own = code_background(colour, palette)
        other = code_background(colour, palette, own=False)
        assert _ratio(own, page) >= seen_own, name
        assert _ratio(other, page) >= seen_others, name
        assert _ratio(text, own) >= 4.5 and _ratio(text, other) >= 4.5, name
