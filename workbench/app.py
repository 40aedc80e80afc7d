"""Start the desktop app: `run_app(study_or_None)` is what `ipr-workbench gui` calls."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from workbench.error_report import install as install_error_report
from workbench.main_window import APP_NAME, MainWindow
from workbench.settings import Settings
from workbench.theme import apply_theme


def run_app(study: Path | None) -> int:
    """Open the window on `study`, else on the most recent study, else the welcome page."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName(APP_NAME)
    app.setOrganizationDomain("ipr-workbench.org")
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    settings = Settings()
    apply_theme(app, settings.theme)
    QGuiApplication.styleHints().colorSchemeChanged.connect(
        lambda _scheme: apply_theme(app, settings.theme)
    )
    window = MainWindow(settings)
    install_error_report(lambda: window.session.study.path if window.session else None)
    window.show()
    if study is not None:
        window.open_study(Path(study))
    else:
        recent = settings.recent()
        if recent:
            window.open_study(recent[0])
    return app.exec()
