"""Screenshots of a screen in the light and the dark theme, for a person to look at.

Saved to `$IPR_SHOTS` when set (to keep them), else to the test's tmp_path.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtWidgets import QApplication, QWidget

from workbench.theme import apply_theme


def shot_folder(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("IPR_SHOTS") or tmp_path / "shots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def save_shots(qtbot, widget: QWidget, name: str, tmp_path: Path) -> list[Path]:
    """`name-light.png` and `name-dark.png` of `widget`; the system look is put back after."""
    app = QApplication.instance()
    saved = []
    try:
        for scheme in ("light", "dark"):
            apply_theme(app, scheme)
            qtbot.wait(50)
            path = shot_folder(tmp_path) / f"{name}-{scheme}.png"
            assert widget.grab().save(str(path))
            saved.append(path)
    finally:
        apply_theme(app, "system")
    return saved
