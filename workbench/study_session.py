"""An open study as the app sees it: the store, its undo history, who codes, what is shown.

The core announces changes with psygnal (possibly from a worker thread during an
import); this object re-announces them as Qt signals, which Qt queues onto the
GUI thread. Every user action goes through `do`, so it can be undone and is
saved at once; errors come back as `failed` for the window to show.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from coding.codebook import Code
from coding.coders import Coder
from coding.history import Action, ApplyCode, History
from coding.study import Study
from transcripts.errors import WorkbenchError


class StudySession(QObject):
    documentsChanged = Signal()
    codebookChanged = Signal()
    codersChanged = Signal()
    # Document ids, and the uuids of the segments changed when known (None: reload them all).
    segmentsChanged = Signal(object, object)
    historyChanged = Signal()
    coderChanged = Signal()
    visibilityChanged = Signal()
    failed = Signal(str)

    def __init__(
        self,
        study: Study,
        coder_name: str | None = None,
        show_others: bool = True,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.study = study
        self.history = History(study)
        self._show_others = show_others
        self._collected: set[int] | None = None
        self.touched: frozenset[int] = frozenset()  # documents the last action changed
        self.coder: Coder | None = None
        if coder_name:
            try:
                self.coder = study.coders.find(coder_name)
            except WorkbenchError:
                self.coder = None
        events = study.events
        events.documents.connect(self._on_documents)
        events.codebook.connect(self._on_codebook)
        events.coders.connect(self._on_coders)
        events.segments.connect(self._on_segments)
        self.history.changed.connect(self._on_history)

    def close(self) -> None:
        events = self.study.events
        events.documents.disconnect(self._on_documents)
        events.codebook.disconnect(self._on_codebook)
        events.coders.disconnect(self._on_coders)
        events.segments.disconnect(self._on_segments)
        self.history.changed.disconnect(self._on_history)
        self.study.close()

    # -- who codes, whose segments are shown -------------------------------------------

    @property
    def show_others(self) -> bool:
        return self._show_others

    def set_show_others(self, show: bool) -> None:
        if show != self._show_others:
            self._show_others = show
            self.visibilityChanged.emit()

    def set_coder(self, name: str) -> bool:
        """Code as `name` from now on (a new name creates the coder)."""
        coder = self.attempt(self.study.coders.get_or_create, name)
        if coder is None:
            return False
        if coder != self.coder:
            self.coder = coder
            self.coderChanged.emit()
            self.visibilityChanged.emit()
        return True

    def visible_coder_ids(self) -> list[int] | None:
        """Coders whose segments the views show (None: everyone)."""
        if self._show_others or self.coder is None:
            return None
        return [self.coder.id]

    def is_own(self, coder_id: int) -> bool:
        return self.coder is not None and coder_id == self.coder.id

    def coder_names(self) -> dict[int, str]:
        return {coder.id: coder.name for coder in self.study.coders.list()}

    # -- actions --------------------------------------------------------------------

    def apply_code(self, document_id: int, start: int, end: int, code: Code) -> bool:
        """Code [start, end) (code points) of a document as the current coder."""
        if not self.study.writable:  # (no coder can be chosen either: that writes too)
            self.failed.emit(f"{self.study.path.name} is open read-only in this window: you "
                             "can look and search, but not code.")
            return False
        if self.coder is None:
            self.failed.emit(
                'Choose who you are in the "I am" box on the toolbar before coding.'
            )
            return False
        return self.do(ApplyCode(document_id, start, end, code, self.coder))

    def do(self, action: Action) -> bool:
        """Apply an undoable action; False (and `failed`) when the core refuses it."""
        return self._run(self.history.do, action) is not None

    def undo(self) -> Action | None:
        """Take back the last action (None: nothing to undo, or refused)."""
        return self._run(self.history.undo)

    def redo(self) -> Action | None:
        return self._run(self.history.redo)

    def attempt(self, call: Callable[..., Any], *args: Any) -> Any:
        """Call the core; a refusal becomes `failed` and the result None."""
        try:
            return call(*args)
        except WorkbenchError as exc:
            self.failed.emit(str(exc))
            return None

    def _run(self, call: Callable[..., Any], *args: Any) -> Any:
        """Run a history call, announcing its segment changes once it is done.

        The action then says which segment it touched, so views update just that one.
        """
        self._collected = set()
        try:
            action = self.attempt(call, *args)
        finally:
            changed, self._collected = self._collected, None
        self.touched = frozenset(changed)
        if changed:
            segment = getattr(action, "segment", None)
            self.segmentsChanged.emit(frozenset(changed), {segment.uuid} if segment else None)
        return action

    # -- core events → Qt signals -------------------------------------------------------

    def _on_documents(self) -> None:
        self.documentsChanged.emit()

    def _on_codebook(self) -> None:
        self.codebookChanged.emit()

    def _on_coders(self) -> None:
        self.codersChanged.emit()

    def _on_segments(self, document_ids: frozenset[int]) -> None:
        if self._collected is not None:
            self._collected.update(document_ids)
        else:
            self.segmentsChanged.emit(document_ids, None)

    def _on_history(self) -> None:
        self.historyChanged.emit()
