"""Light and dark themes, and the colours derived from them for transcripts.

The app follows the system colour scheme (Qt 6.5+ style hints) unless the user
picks one. Highlight colours are code colours blended into the base colour, so
text in the palette's own text colour stays readable on them in either scheme.
"""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QProxyStyle,
    QStyle,
    QStyleFactory,
)

THEMES = ("system", "light", "dark")

_ROLE_COLORS = {  # role: (on light, on dark)
    "therapist": ("#1F5FA8", "#8CBDF5"),
    "client": ("#A8430F", "#F5A678"),
    "interviewer": ("#2E6B30", "#92D095"),
}
_native: tuple[str, QPalette] | None = None


def _base(palette: QPalette) -> QColor:
    return palette.color(QPalette.ColorRole.Base)


def is_dark(palette: QPalette) -> bool:
    return _base(palette).lightness() < 128


def blend(under: QColor, over: QColor, amount: float) -> QColor:
    """`over` laid on `under` with opacity `amount` (0..1)."""
    keep = 1.0 - amount
    return QColor(
        round(under.red() * keep + over.red() * amount),
        round(under.green() * keep + over.green() * amount),
        round(under.blue() * keep + over.blue() * amount),
    )


def contrast(one: QColor, other: QColor) -> float:
    """The WCAG contrast ratio of two colours: 1 the same, 21 black on white."""
    def luminance(color: QColor) -> float:
        def channel(value: float) -> float:
            return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

        return (0.2126 * channel(color.redF()) + 0.7152 * channel(color.greenF())
                + 0.0722 * channel(color.blueF()))

    high, low = sorted((luminance(one), luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


_SEEN = 1.6  # least contrast of an own highlight with a dark page
_READABLE = 4.5  # least contrast of the text with a highlight (WCAG AA)


def code_background(color: str, palette: QPalette, *, own: bool = True) -> QColor:
    """A code's highlight: its colour blended into the base (fainter for other coders)."""
    dark = is_dark(palette)
    amount = 0.45 if dark else 0.38
    base = _base(palette)
    shade = QColor.fromRgba(_legible_shade(
        color, base.rgba(), palette.color(QPalette.ColorRole.Text).rgba(), dark, amount))
    return blend(base, shade, amount if own else 0.2)


@lru_cache(maxsize=1024)  # (the highlighter asks for every segment of every line drawn)
def _legible_shade(color: str, base_rgba: int, text_rgba: int, dark: bool,
                   amount: float) -> int:
    """The code's colour (as rgba), made lighter or darker only as far as its highlight
    needs to show on a dark page (a navy or olive code all but vanished there; a pale one
    still shows on a light page by its hue) and to keep the text on it readable."""
    base, text = QColor.fromRgba(base_rgba), QColor.fromRgba(text_rgba)
    hue, saturation, lightness, alpha = QColor(color).getHslF()
    shade = QColor(color)
    for _ in range(50):
        shade = QColor.fromHslF(hue, saturation, lightness, alpha)
        over = blend(base, shade, amount)
        if contrast(text, over) < _READABLE:
            step = -0.02 if dark else 0.02  # towards the page, away from the text
        elif dark and contrast(over, base) < _SEEN:
            step = 0.02
        else:
            break
        lightness = min(max(lightness + step, 0.0), 1.0)
    return shade.rgba()


def code_stripe(color: str, palette: QPalette, *, own: bool = True) -> QColor:
    """A code's margin stripe: the code colour itself, washed out for other coders."""
    return QColor(color) if own else blend(_base(palette), QColor(color), 0.6)


def role_color(role: str | None, palette: QPalette) -> QColor:
    pair = _ROLE_COLORS.get(role or "")
    if pair is None:
        return palette.color(QPalette.ColorRole.Text)
    return QColor(pair[1] if is_dark(palette) else pair[0])


def dimmed(palette: QPalette) -> QColor:
    """Text that should recede (timestamps): halfway between text and base."""
    return blend(_base(palette), palette.color(QPalette.ColorRole.Text), 0.55)


def badge(palette: QPalette) -> QColor:
    """Background of a recall-stop badge: neutral grey, so no code colour is mistaken for it."""
    return blend(_base(palette), palette.color(QPalette.ColorRole.Text), 0.16)


def effective_scheme(choice: str) -> str:
    """"light" or "dark": the user's choice, or what the system says."""
    if choice in ("light", "dark"):
        return choice
    scheme = QGuiApplication.styleHints().colorScheme()
    if scheme == Qt.ColorScheme.Dark:
        return "dark"
    if scheme == Qt.ColorScheme.Light or _native is None:
        return "light"
    return "dark" if is_dark(_native[1]) else "light"


def apply_theme(app: QApplication, choice: str) -> None:
    """Use the system look when it matches the scheme, else Fusion with our palette."""
    global _native
    if _native is None:
        _native = (app.style().name(), QPalette(app.palette()))
    scheme = effective_scheme(choice)
    if choice == "system" and is_dark(_native[1]) == (scheme == "dark"):
        app.setStyle(_native[0])
        app.setPalette(_native[1])
        return
    app.setStyle(FusionStyle())
    app.setPalette(dark_palette() if scheme == "dark" else light_palette())


class FusionStyle(QProxyStyle):
    """Fusion, with tick boxes that show on a dark palette.

    Fusion outlines a tick box (a QCheckBox, or a ticked item in a list) in the
    window colour darkened by 140 %, which on a dark palette is the list's and
    the window's own background: an unticked box did not show at all. Here the
    box is drawn as if the window were light enough for the outline to sit halfway
    between background and text.
    """

    def __init__(self) -> None:
        super().__init__("Fusion")

    def drawPrimitive(self, element, option, painter, widget=None) -> None:  # noqa: N802
        if element == QStyle.PrimitiveElement.PE_IndicatorCheckBox and is_dark(option.palette):
            option = type(option)(option)
            palette = QPalette(option.palette)
            outline = blend(_base(palette), palette.color(QPalette.ColorRole.Text), 0.45)
            palette.setColor(QPalette.ColorRole.Window, outline.lighter(140))
            option.palette = palette
        super().drawPrimitive(element, option, painter, widget)


def light_palette() -> QPalette:
    return QStyleFactory.create("Fusion").standardPalette()


def dark_palette() -> QPalette:
    palette = QPalette()
    roles = QPalette.ColorRole
    for role, color in (
        (roles.Window, "#2B2D30"), (roles.WindowText, "#E6E6E6"), (roles.Base, "#1E1F22"),
        (roles.AlternateBase, "#27292C"), (roles.ToolTipBase, "#3C3F44"),
        (roles.ToolTipText, "#F0F0F0"), (roles.Text, "#E6E6E6"), (roles.Button, "#35383C"),
        (roles.ButtonText, "#E6E6E6"), (roles.BrightText, "#FF6B6B"), (roles.Link, "#8CBDF5"),
        (roles.Highlight, "#3D6FC4"), (roles.HighlightedText, "#FFFFFF"),
        (roles.PlaceholderText, "#8C8F94"), (roles.Light, "#4A4D52"), (roles.Midlight, "#3E4146"),
        (roles.Mid, "#2F3236"), (roles.Dark, "#1A1B1E"), (roles.Shadow, "#111214"),
    ):
        palette.setColor(role, QColor(color))
    disabled = QPalette.ColorGroup.Disabled
    for role in (roles.Text, roles.WindowText, roles.ButtonText):
        palette.setColor(disabled, role, QColor("#7A7D82"))
    return palette
