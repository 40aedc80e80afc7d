"""The app survives PySide6 6.12.0's lost references to None and True (see pyside_fixes)."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

import workbench.pyside_fixes  # noqa: F401 (installs the work-around if needed)


class _Emitter(QObject):
    ping = Signal()


def test_many_void_calls_and_emits_do_not_use_up_none_or_true(qtbot):
    widget, emitter = QWidget(), _Emitter()
    qtbot.addWidget(widget)
    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(20_000):  # more than None's whole count on an unpatched Python 3.11
        widget.update()
        emitter.ping.emit()
    assert sys.getrefcount(None) > 20_000 and sys.getrefcount(True) > 20_000
    assert none_before - sys.getrefcount(None) <= 20_000
    assert true_before - sys.getrefcount(True) <= 20_000
