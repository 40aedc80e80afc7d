"""The installed PySide6 keeps its references to None and True (6.12.0 did not, and aborted).

pyproject.toml excludes PySide6 6.12.0, which loses one reference to `None` per void
Qt call and to `True` per `Signal.emit()` on Python < 3.12; a few thousand calls end
in "Fatal Python error: none_dealloc". This test fails (without crashing) if such a
build is installed again.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget


class _Emitter(QObject):
    ping = Signal()


def test_void_calls_and_emits_keep_none_and_true_alive(qtbot):
    widget, emitter = QWidget(), _Emitter()
    qtbot.addWidget(widget)
    widget.update()
    emitter.ping.emit()
    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(200):
        widget.update()
        emitter.ping.emit()
    assert none_before - sys.getrefcount(None) < 50
    assert true_before - sys.getrefcount(True) < 50
