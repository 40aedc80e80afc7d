"""Run a long core task off the GUI thread, with a progress dialog that can cancel it.

Core functions that take a while accept `progress=` (fraction, message). Here
that callable forwards progress to a `QProgressDialog` and, once Cancel is
pressed, raises `Cancelled` inside the task so the core rolls back. The caller
waits in a local event loop (the window keeps painting) and gets the result,
or None after a cancel or an error (which is shown as a dialog; an unexpected
one goes to the app's error report, with its traceback in the error log).
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QEventLoop, QObject, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from transcripts.errors import WorkbenchError
from transcripts.progress import Cancelled

T = TypeVar("T")
_STEPS = 1000


class _Task(QObject):
    progressed = Signal(int, str)
    done = Signal(object, object)  # result, exception

    def __init__(self, call: Callable[..., Any]) -> None:
        super().__init__()
        self._call = call
        self._cancelled = threading.Event()

    def cancel(self) -> None:
        self._cancelled.set()

    def progress(self, fraction: float, message: str) -> None:
        if self._cancelled.is_set():
            raise Cancelled()
        self.progressed.emit(round(fraction * _STEPS), message)

    @Slot()
    def run(self) -> None:
        try:
            result = self._call(progress=self.progress)
        except BaseException as exc:  # handed to the GUI thread, which decides
            self.done.emit(None, exc)
        else:
            self.done.emit(result, None)


class _Waiter(QObject):
    """Lives in the GUI thread, so the task's signals reach it queued, safely."""

    def __init__(self, dialog: QProgressDialog) -> None:
        super().__init__()
        self.dialog = dialog
        self.loop = QEventLoop()
        self.outcome: tuple[Any, BaseException | None] | None = None

    @Slot(int, str)
    def show_progress(self, value: int, message: str) -> None:
        if not self.dialog.wasCanceled():
            self.dialog.setValue(value)
            self.dialog.setLabelText(message)

    @Slot(object, object)
    def finish(self, result: Any, error: BaseException | None) -> None:
        self.outcome = (result, error)
        self.loop.quit()


def run_with_progress(
    parent: QWidget | None, title: str, call: Callable[..., T], *args: Any, **kwargs: Any
) -> T | None:
    """`call(*args, progress=…, **kwargs)` in a worker thread; its result, or None."""
    task = _Task(lambda progress: call(*args, progress=progress, **kwargs))
    thread = QThread()
    task.moveToThread(thread)
    dialog = QProgressDialog(title, "Cancel", 0, _STEPS, parent)
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(300)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.canceled.connect(task.cancel, Qt.ConnectionType.DirectConnection)
    waiter = _Waiter(dialog)
    task.progressed.connect(waiter.show_progress)
    task.done.connect(waiter.finish)
    thread.started.connect(task.run)
    thread.start()
    waiter.loop.exec()
    thread.quit()
    thread.wait()
    dialog.close()
    dialog.deleteLater()
    result, error = waiter.outcome
    return _outcome(parent, title, result, error)


def _outcome(
    parent: QWidget | None, title: str, result: T, error: BaseException | None
) -> T | None:
    if error is None:
        return result
    if isinstance(error, Cancelled):
        return None
    if isinstance(error, WorkbenchError):
        QMessageBox.critical(parent, title, str(error))
        return None
    sys.excepthook(type(error), error, error.__traceback__)  # dialog, log (error_report)
    return None
