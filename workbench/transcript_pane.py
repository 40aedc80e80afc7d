"""A transcript view with a title above it and an overlay on it, for screens that show several.

The dual view and the compare view put two or three transcripts side by side;
each pane says whose text it is and what it is showing now, and the screen
asks which pane the user last worked in, so the codebook codes there.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QFont, QTextCursor
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from workbench.span_overlay import SpanOverlay
from workbench.theme import role_color
from workbench.transcript_view import TranscriptView


class TranscriptPane(QWidget):
    def __init__(
        self, title: str, view: TranscriptView | None, role: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """`role` ("client", "therapist") colours the title as that speaker's turns are."""
        super().__init__(parent)
        self.view = view
        self._role = role
        self.moving = False  # True while `scroll_to` moves the cursor (not the user)
        self.title = QLabel(title, self)
        self.title.setWordWrap(True)  # three panes of long names side by side: narrow
        font = QFont(self.title.font())
        font.setBold(True)
        self.title.setFont(font)
        self._colour_title()
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setEnabled(False)  # drawn in the palette's quieter text colour
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 4, 2, 0)
        layout.setSpacing(2)
        layout.addWidget(self.title)
        layout.addWidget(self.status)
        if view is None:
            missing = QLabel("(no such document in this session)", self)
            missing.setEnabled(False)
            layout.addWidget(missing, 1)
            self.overlay = None
        else:
            view.setParent(self)
            layout.addWidget(view, 1)
            self.overlay = SpanOverlay(view)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt's name)
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._colour_title()

    def _colour_title(self) -> None:
        if self._role is not None:
            self.title.setStyleSheet(f"color: {role_color(self._role, self.palette()).name()}")

    def set_status(self, text: str) -> None:
        self.status.setText(text)

    def scroll_to(self, position: int, end: int | None = None) -> None:
        """Put the cursor at code point `position` near the top of the pane, so that what
        follows shows too; with `end`, [position, end) is selected."""
        view = self.view
        cursor = QTextCursor(view.document())
        mode = QTextCursor.MoveMode.MoveAnchor
        if end is not None:
            cursor.setPosition(view.to_utf16(end))
            mode = QTextCursor.MoveMode.KeepAnchor
        cursor.setPosition(view.to_utf16(position), mode)
        self.moving = True
        try:
            view.setTextCursor(cursor)
            view.centerCursor()
            bar, target = view.verticalScrollBar(), view.viewport().height() // 6
            while view.cursorRect().top() > target and bar.value() < bar.maximum():
                bar.setValue(bar.value() + 1)
        finally:
            self.moving = False


class FocusTracker(QObject):
    """Remembers which of some transcript views the user last focused."""

    def __init__(self, views: Sequence[TranscriptView], default: TranscriptView | None) -> None:
        super().__init__()
        self.current = default
        for view in views:
            view.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.FocusIn and isinstance(watched, TranscriptView):
            self.current = watched
        return False
