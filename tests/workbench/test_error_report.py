"""Unexpected errors in the app: a dialog in plain words, the traceback kept in a log.

pytest-qt normally takes over sys.excepthook to fail a test on an error in a slot;
these tests switch that off, as they are about what the app's own hook does."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QThread, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton, QWidget

from coding.errors import StudyError
from coding.study import Study
from tests.coding.test_storage_failures import damage
from workbench import error_report
from workbench.app import run_app
from workbench.main_window import MainWindow

pytestmark = pytest.mark.qt_no_exception_capture


class Report:
    """The app's hook installed for one test: dialogs recorded instead of shown, the log in
    a tmp folder, and what the hook before it received."""

    def __init__(self, monkeypatch, folder: Path, study: Path | None = None) -> None:
        self.dialogs: list[dict[str, str]] = []
        self.before: list[type[BaseException]] = []
        self.while_open = lambda: None
        self.log = folder / "logs" / error_report.LOG_NAME
        monkeypatch.setattr(error_report, "log_folder", lambda: folder / "logs")
        monkeypatch.setattr(QMessageBox, "exec", lambda box: self._exec(box))
        monkeypatch.setattr(sys, "excepthook", lambda kind, *_: self.before.append(kind))
        error_report.install(lambda: study)

    def _exec(self, box: QMessageBox) -> int:
        gui_thread = QThread.currentThread() is QApplication.instance().thread()
        self.dialogs.append({"text": box.text(), "informative": box.informativeText(),
                             "details": box.detailedText(), "gui thread": gui_thread})
        self.while_open()
        return QMessageBox.StandardButton.Ok


def clicked_raises(qtbot, report: Report, error: Exception) -> None:
    """A button whose slot raises `error`, clicked from the event loop (as by a user)."""
    button = QPushButton("Go")
    qtbot.addWidget(button)

    def go_slot():
        raise error

    button.clicked.connect(go_slot)
    QTimer.singleShot(0, button.click)
    qtbot.waitUntil(lambda: bool(report.dialogs))


def test_a_study_error_in_a_slot_shows_its_own_message_and_logs_the_traceback(
    qtbot, monkeypatch, tmp_path
):
    report = Report(monkeypatch, tmp_path)
    clicked_raises(qtbot, report, StudyError("study.iprw: the code 'Fear' is not in the codebook"))
    [dialog] = report.dialogs
    assert dialog["text"] == "study.iprw: the code 'Fear' is not in the codebook"
    assert "Traceback" in dialog["details"] and "go_slot" in dialog["details"]
    assert dialog["informative"] == f"The details are saved in {report.log}."
    assert "in go_slot" in report.log.read_text(encoding="utf-8")
    assert report.before == [StudyError]  # still printed to stderr by the default hook


def test_a_damaged_study_read_in_a_slot_is_said_in_plain_words(qtbot, monkeypatch, tmp_path):
    path = tmp_path / "study.iprw"
    Study.create(path).close()
    damage(path, "coders")
    report = Report(monkeypatch, tmp_path, study=path)
    with Study.open(path, writable=False) as study:
        button = QPushButton("List coders")
        qtbot.addWidget(button)
        button.clicked.connect(lambda: study.query("SELECT * FROM coders"))
        button.click()
    [dialog] = report.dialogs
    assert dialog["text"].startswith(f"{path} is damaged (database disk image is malformed)")
    assert "sqlite3.DatabaseError" in dialog["details"]


def test_any_other_error_says_the_work_is_saved_with_a_one_line_summary(
    qtbot, monkeypatch, tmp_path
):
    report = Report(monkeypatch, tmp_path)
    clicked_raises(qtbot, report, RuntimeError("index out of step\nsecond line"))
    [dialog] = report.dialogs
    assert dialog["text"] == (
        "IPR Workbench hit an unexpected problem; your coded work up to the last action "
        "is saved.\n\nRuntimeError: index out of step"
    )
    assert "second line" in dialog["details"] and "second line" in report.log.read_text()


def test_an_sqlite_error_that_is_a_bug_is_an_unexpected_problem(qtbot, monkeypatch, tmp_path):
    report = Report(monkeypatch, tmp_path, study=tmp_path / "study.iprw")
    clicked_raises(qtbot, report, sqlite3.OperationalError("no such table: nowhere"))
    assert report.dialogs[0]["text"].endswith("OperationalError: no such table: nowhere")


def test_errors_while_a_dialog_is_open_are_logged_not_shown(qtbot, monkeypatch, tmp_path):
    report = Report(monkeypatch, tmp_path)
    count = iter(range(100))

    def fail():
        raise RuntimeError(f"failure {next(count)}")

    button = QPushButton("Go")
    qtbot.addWidget(button)
    button.clicked.connect(fail)
    report.while_open = lambda: [button.click() for _ in range(3)]
    QTimer.singleShot(0, button.click)  # from the event loop: the dialog comes queued
    qtbot.waitUntil(lambda: bool(report.dialogs))
    qtbot.wait(50)
    assert [d["text"].splitlines()[-1] for d in report.dialogs] == ["RuntimeError: failure 0"]
    log = report.log.read_text(encoding="utf-8")
    assert all(f"RuntimeError: failure {n}" in log for n in range(4))
    report.while_open = lambda: None
    button.click()  # the dialog closed: the next problem is shown again
    assert report.dialogs[-1]["text"].endswith("RuntimeError: failure 4")


def test_a_paint_event_that_keeps_failing_shows_one_dialog(qtbot, monkeypatch, tmp_path):
    report = Report(monkeypatch, tmp_path)

    class Broken(QWidget):
        def paintEvent(self, event):  # noqa: N802 (Qt's name)
            raise ZeroDivisionError("division by zero")

    widget = Broken()
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    for _ in range(5):
        widget.update()
        qtbot.wait(10)
    assert len(report.dialogs) == 1
    assert report.log.read_text(encoding="utf-8").count("Traceback") == 1


def test_an_error_in_a_worker_thread_is_shown_from_the_gui_thread(qtbot, monkeypatch, tmp_path):
    report = Report(monkeypatch, tmp_path)

    class Worker(QThread):
        def run(self):
            raise RuntimeError("worker failed")

    worker = Worker()
    worker.start()
    qtbot.waitUntil(lambda: bool(report.dialogs))
    worker.wait()
    [dialog] = report.dialogs
    assert dialog["text"].endswith("RuntimeError: worker failed") and dialog["gui thread"]


def test_keyboard_interrupt_goes_to_the_default_hook(qtbot, monkeypatch, tmp_path):
    report = Report(monkeypatch, tmp_path)
    sys.excepthook(KeyboardInterrupt, KeyboardInterrupt(), None)
    assert report.before == [KeyboardInterrupt]
    assert report.dialogs == [] and not report.log.exists()


def test_the_hook_never_raises_even_when_nothing_around_it_works(qtbot, monkeypatch, tmp_path):
    report = Report(monkeypatch, tmp_path)
    (tmp_path / "logs").write_text("a file where the log folder should be")

    def broken_hook(*_):
        raise OSError("stderr is gone")

    class Unprintable(Exception):
        def __str__(self):
            raise ValueError("no words")

    def lost_study():
        raise AttributeError("no session")

    monkeypatch.setattr(sys, "excepthook", broken_hook)  # the hook before ours fails too
    error_report.install(lost_study)
    sys.excepthook(Unprintable, Unprintable(), None)
    [dialog] = report.dialogs
    assert dialog["text"].startswith(error_report.UNEXPECTED)
    assert "could not be saved to a log file" in dialog["informative"]
    assert "Unprintable" in dialog["details"]


def test_the_app_installs_the_hook_once_with_the_open_study(qtbot, monkeypatch, tmp_path):
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(tmp_path))
    report = Report(monkeypatch, tmp_path)
    monkeypatch.setattr(sys, "excepthook", sys.__excepthook__)
    path = tmp_path / "study.iprw"
    Study.create(path).close()
    hooks = []

    def fake_exec():
        hooks.append(sys.excepthook)
        [window] = [w for w in QApplication.topLevelWidgets()
                    if isinstance(w, MainWindow) and w.isVisible()]
        hooks.append(sys.excepthook.__self__.study_path())
        window.close()
        return 0

    monkeypatch.setattr(QApplication, "exec", staticmethod(fake_exec))
    assert run_app(path) == 0 and run_app(path) == 0
    first, study, second, _ = hooks
    assert first == second and study == path  # a second start did not wrap a second hook
    assert report.dialogs == []


def test_an_unexpected_error_in_a_long_task_is_reported_and_logged(qtbot, monkeypatch, tmp_path):
    """It showed only the error's repr, and its traceback went to a logger nobody reads."""
    from workbench.worker import run_with_progress

    report = Report(monkeypatch, tmp_path)

    def count_words(progress):
        raise RuntimeError("boom in the task")

    assert run_with_progress(None, "Counting", count_words) is None
    [dialog] = report.dialogs
    assert dialog["text"].startswith(error_report.UNEXPECTED)
    assert "RuntimeError: boom in the task" in dialog["text"]
    assert "in count_words" in report.log.read_text(encoding="utf-8")
