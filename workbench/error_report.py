"""Unexpected errors, told to the user: a dialog in plain words, the traceback in a log.

Qt runs our slots and event handlers from its event loop, where an exception has no
caller to reach: PySide hands it to `sys.excepthook`, whose default prints it to a
terminal that a user who started the app from the desktop never sees, and the action
silently does nothing. `install` puts a hook in its place for the life of the app:

- the user reads what went wrong: a project error (a StudyError, or SQLite's failure
  of the study file as `coding.storage_errors` words it) says its own message; anything
  else says the work is saved up to the last action, with the error's one-line summary;
- the traceback is kept in Details and appended to `errors.log` in the user's log
  folder (platformdirs), which the dialog names;
- one dialog at a time: errors that come while one is queued or open are only logged,
  and the same error (same traceback) is reported once per run, so a failing paint
  event cannot stack dialogs or bring one back each time it closes;
- the hook never raises; KeyboardInterrupt and other non-`Exception`s go to the hook
  that was there before, which also still prints every traceback to stderr.
"""

from __future__ import annotations

import contextlib
import sqlite3
import sys
import threading
import traceback
from collections.abc import Callable
from datetime import datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from types import TracebackType

import platformdirs
from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import QApplication, QMessageBox

from coding.storage_errors import describe
from transcripts.errors import WorkbenchError
from workbench.main_window import APP_NAME

UNEXPECTED = (
    "IPR Workbench hit an unexpected problem; your coded work up to the last action is saved."
)
LOG_NAME = "errors.log"
_LOG_LIMIT = 1_000_000  # bytes; past it the log is renamed errors.old.log and starts again

ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], object]


def log_folder() -> Path:
    """Where the error log is written: the platform's log folder for this app."""
    return platformdirs.user_log_path(APP_NAME, appauthor=False)


def install(study_path: Callable[[], Path | None]) -> None:
    """Report unexpected errors from now on. `study_path` gives the open study's file
    (None when there is none), so SQLite's failures of it are said in plain words.
    Call with the QApplication made, from the GUI thread; called again, it takes the new
    `study_path` instead of wrapping a second reporter (which would show two dialogs)."""
    reporter = getattr(sys.excepthook, "__self__", None)
    if isinstance(reporter, _Reporter):
        reporter.study_path = study_path
    else:
        sys.excepthook = _Reporter(study_path, sys.excepthook).hook


def message(error: BaseException, study_path: Path | None) -> str:
    """What the dialog says: a project error's own words, else that the work is saved."""
    if isinstance(error, WorkbenchError):
        return str(error)
    if isinstance(error, sqlite3.Error) and study_path is not None:
        failure = describe(study_path, error)
        if failure is not None:
            return str(failure)
    return f"{UNEXPECTED}\n\n{_summary(error)}"


def _summary(error: BaseException) -> str:
    """The error's type and the first line of its message."""
    lines = traceback.format_exception_only(type(error), error)
    words = "".join(lines).strip()
    return words.splitlines()[0] if words else type(error).__name__


class _Reporter(QObject):
    """Lives in the GUI thread: a report from any thread is shown there, queued."""

    _queued = Signal(str, str, str)  # message, traceback, log file ("" when not written)

    def __init__(self, study_path: Callable[[], Path | None], previous: ExceptHook) -> None:
        super().__init__()
        self.study_path = study_path
        self._previous = previous
        self._busy = False  # a dialog is queued or open
        self._lock = threading.Lock()
        self._seen: set[str] = set()
        self._queued.connect(self._show, Qt.ConnectionType.QueuedConnection)

    def hook(
        self, kind: type[BaseException], error: BaseException, trace: TracebackType | None
    ) -> None:
        """sys.excepthook: print as before, then log and (once at a time) show."""
        try:
            self._previous(kind, error, trace)
        except BaseException:  # a broken hook before ours must not silence the report
            _print_current()
        if not issubclass(kind, Exception):
            return
        try:
            self._report(error, trace)
        except BaseException:
            _print_current()

    def _report(self, error: BaseException, trace: TracebackType | None) -> None:
        details = "".join(traceback.format_exception(type(error), error, trace))
        with self._lock:  # errors may come from several threads at once
            if details in self._seen:
                return
            self._seen.add(details)
            show, self._busy = not self._busy, True
        try:
            log = _append_to_log(details)
            if not show:
                return
            words = self._words(error)
            thread = QThread.currentThread()
            app = QApplication.instance()
            if app is not None and thread is app.thread() and thread.loopLevel() == 0:
                self._show(words, details, log)  # no event loop runs (yet, or any more)
            else:
                self._queued.emit(words, details, log)
        except BaseException:
            if show:
                self._busy = False
            raise

    def _words(self, error: BaseException) -> str:
        try:
            return message(error, self.study_path())
        except Exception:  # the study's path or the message failed: say the least
            return f"{UNEXPECTED}\n\n{type(error).__name__}"

    @Slot(str, str, str)
    def _show(self, words: str, details: str, log: str) -> None:
        try:
            parent = QApplication.activeModalWidget() or QApplication.activeWindow()
            box = QMessageBox(QMessageBox.Icon.Critical, APP_NAME, words,
                              QMessageBox.StandardButton.Ok, parent)
            box.setInformativeText(
                f"The details are saved in {log}." if log else
                "The details could not be saved to a log file; they are under Details."
            )
            box.setDetailedText(details)
            box.exec()
        except Exception:  # raising here would come straight back to the hook
            _print_current()
        finally:
            self._busy = False


def _append_to_log(details: str) -> str:
    """Append the traceback to the log; its path, or "" when it cannot be written."""
    try:
        folder = log_folder()
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / LOG_NAME
        if path.exists() and path.stat().st_size > _LOG_LIMIT:
            path.replace(folder / "errors.old.log")
        stamp = datetime.now().astimezone().isoformat(timespec="seconds")
        with path.open("a", encoding="utf-8", errors="backslashreplace") as log:
            log.write(f"--- {stamp}, {APP_NAME} {_version()}\n{details}\n")
        return str(path)
    except OSError:
        return ""


def _version() -> str:
    try:
        return version("ipr-workbench")
    except PackageNotFoundError:
        return "(version unknown)"


def _print_current() -> None:
    """Print the exception being handled, as a last resort (stderr may be gone)."""
    with contextlib.suppress(Exception):
        traceback.print_exc()
