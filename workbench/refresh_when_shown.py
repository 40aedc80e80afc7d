"""Refresh a screen after a burst of study changes, and only while it is in front.

Screens behind another tab (dual view, compare coders) would otherwise re-read a
long session on every code applied elsewhere; they catch up once shown again.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget


class RefreshWhenShown(QObject):
    """Calls `refresh` `delay_ms` after the last `request()`, waiting for `screen` to show."""

    def __init__(self, screen: QWidget, refresh: Callable[[], None], delay_ms: int = 0) -> None:
        super().__init__(screen)
        self._screen = screen
        self._stale = False
        self._timer = QTimer(self, singleShot=True, interval=delay_ms, timeout=refresh)
        screen.installEventFilter(self)

    def request(self) -> None:
        """The screen's data changed: refresh soon, or once the screen is shown."""
        if self._screen.isVisible():
            self._timer.start()
        else:
            self._stale = True

    def cancel(self) -> None:
        """A refresh has just been done by other means; drop the pending one."""
        self._timer.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if watched is self._screen and event.type() == QEvent.Type.Show and self._stale:
            self._stale = False
            self._timer.start()
        return False
