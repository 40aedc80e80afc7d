"""What the app remembers between runs: recent studies, who codes each one, layout, theme."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from workbench.theme import THEMES

MAX_RECENT = 8


class Settings:
    """A thin typed face over QSettings (tests pass their own ini-file QSettings)."""

    def __init__(self, store: QSettings | None = None) -> None:
        self._store = store if store is not None else QSettings()

    # -- studies -------------------------------------------------------------------

    def recent(self) -> list[Path]:
        """Recently opened studies, newest first (ones since deleted are left out)."""
        paths = self._store.value("recent", [], type=list) or []
        return [Path(p) for p in paths if Path(p).is_file()]

    def add_recent(self, path: Path) -> None:
        key = str(Path(path).resolve())
        paths = [str(p) for p in self.recent() if str(p) != key]
        self._store.setValue("recent", [key, *paths][:MAX_RECENT])

    def coder_for(self, study: Path) -> str | None:
        """The coder this user last worked as in `study`."""
        return self._coders().get(str(Path(study).resolve()))

    def set_coder_for(self, study: Path, name: str) -> None:
        coders = self._coders()
        coders[str(Path(study).resolve())] = name
        self._store.setValue("coders", json.dumps(coders))

    def _coders(self) -> dict[str, str]:
        try:
            return dict(json.loads(self._store.value("coders", "{}", type=str) or "{}"))
        except (ValueError, TypeError):
            return {}

    # -- look and layout -------------------------------------------------------------

    @property
    def theme(self) -> str:
        value = self._store.value("theme", "system", type=str)
        return value if value in THEMES else "system"

    @theme.setter
    def theme(self, value: str) -> None:
        self._store.setValue("theme", value)

    @property
    def show_others(self) -> bool:
        return bool(self._store.value("show_others", True, type=bool))

    @show_others.setter
    def show_others(self, value: bool) -> None:
        self._store.setValue("show_others", value)

    @property
    def moment_window(self) -> int:
        """Seconds within which two recall stops count as the same session moment."""
        return int(self._store.value("moment_window", 30, type=int))

    @moment_window.setter
    def moment_window(self, seconds: int) -> None:
        self._store.setValue("moment_window", int(seconds))

    def screen_state(self, name: str) -> QByteArray | None:
        """A screen's saved splitter layout (dual view, compare view, dashboard)."""
        return self._store.value(f"screens/{name}")

    def save_screen_state(self, name: str, state: QByteArray) -> None:
        self._store.setValue(f"screens/{name}", state)

    def window_layout(self) -> tuple[QByteArray | None, QByteArray | None]:
        """(geometry, dock state) saved by `save_window_layout`, or Nones."""
        return self._store.value("geometry"), self._store.value("state")

    def save_window_layout(self, geometry: QByteArray, state: QByteArray) -> None:
        self._store.setValue("geometry", geometry)
        self._store.setValue("state", state)
