"""Helpers shared by the GUI tests: the sample study, isolated settings, captured dialogs."""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox

from workbench.demo import build_sample_study
from workbench.main_window import MainWindow
from workbench.settings import Settings

_built: list[Path] = []


def sample_study(folder: Path) -> Path:
    """A private copy of the bundled sample study (built once per test run)."""
    if not _built:
        _built.append(build_sample_study(Path(tempfile.mkdtemp(prefix="ipr-sample-"))))
    target = Path(folder) / "sample.iprw"
    shutil.copyfile(_built[0], target)
    return target


def settings(folder: Path) -> Settings:
    return Settings(QSettings(str(Path(folder) / "settings.ini"), QSettings.Format.IniFormat))


def open_window(qtbot, folder: Path, study: Path | None = None, coder: str | None = "Alex"):
    """A shown main window with `study` (default: a sample copy) open, coding as `coder`."""
    window = MainWindow(settings(folder))
    qtbot.addWidget(window)
    window.resize(1400, 900)
    window.show()
    qtbot.waitExposed(window)
    assert window.open_study(study or sample_study(folder))
    if coder:
        window.coder_bar.coderChosen.emit(coder)
    return window


def study_bytes(path: Path) -> str:
    """A digest of the study file and its write-ahead log: equal means nothing was written."""
    digest = hashlib.sha256(Path(path).read_bytes())
    wal = Path(f"{path}-wal")
    if wal.exists():
        digest.update(wal.read_bytes())
    return digest.hexdigest()


class Dialogs:
    """Records message boxes instead of showing them; `answer` is what question() returns."""

    def __init__(self, monkeypatch, answer=QMessageBox.StandardButton.Yes) -> None:
        self.shown: list[tuple[str, str]] = []
        for kind in ("critical", "warning", "information"):
            monkeypatch.setattr(QMessageBox, kind, self._recorder(kind, None))
        monkeypatch.setattr(QMessageBox, "question", self._recorder("question", answer))

    def _recorder(self, kind: str, answer):
        def record(parent, title, text, *args, **kwargs):
            self.shown.append((kind, text))
            return answer if answer is not None else QMessageBox.StandardButton.Ok

        return staticmethod(record)

    def texts(self, kind: str) -> list[str]:
        return [text for shown_kind, text in self.shown if shown_kind == kind]
