"""Screens behind another tab refresh once shown again, once per burst of changes."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from workbench.refresh_when_shown import RefreshWhenShown


def test_a_hidden_screen_refreshes_once_when_shown(qtbot):
    screen = QWidget()
    qtbot.addWidget(screen)
    calls = []
    refresh = RefreshWhenShown(screen, lambda: calls.append(1))
    refresh.request()
    refresh.request()
    qtbot.wait(20)
    assert calls == []
    screen.show()
    qtbot.waitUntil(lambda: calls == [1])
    screen.hide()
    screen.show()
    qtbot.wait(20)
    assert calls == [1]


def test_a_burst_of_requests_refreshes_once_after_the_delay(qtbot):
    screen = QWidget()
    qtbot.addWidget(screen)
    screen.show()
    calls = []
    refresh = RefreshWhenShown(screen, lambda: calls.append(1), delay_ms=30)
    for _ in range(5):
        refresh.request()
    qtbot.waitUntil(lambda: calls == [1])
    refresh.request()
    refresh.cancel()
    qtbot.wait(60)
    assert calls == [1]
