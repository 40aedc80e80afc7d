"""One session through both people's eyes: client recall, session, therapist recall.

The three transcripts sit side by side, aligned on session time through the
recall stops (`coding.moments`). Putting the cursor on a stop, or on anything
said after it, in either recall scrolls the session to the moment the video was
stopped at (its utterances banded) and the other recall to what the other person
said about the same moment, if they stopped within the moment window. The
timeline above shows every stop and the themes coded on it; clicking it moves
all three panes. Each pane is an ordinary `TranscriptView`, so coding works in
whichever the user last worked in.
"""

from __future__ import annotations

import bisect

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from coding.documents import DocumentInfo
from coding.moments import RECALLS, Comment, SessionClock, counterparts, session_moments
from coding.review import ReviewFilter, review_rows
from transcripts.model import Utterance
from workbench.refresh_when_shown import RefreshWhenShown
from workbench.settings import Settings
from workbench.span_overlay import SpanMark
from workbench.study_session import StudySession
from workbench.theme import role_color
from workbench.timeline import SessionMark, SessionTimeline, TimelineStop, clock
from workbench.transcript_pane import FocusTracker, TranscriptPane
from workbench.transcript_view import TranscriptView

PANES = ("client-recall", "session", "therapist-recall")
_WHO = {"client-recall": "client", "therapist-recall": "therapist"}
_TITLES = {
    "client-recall": "Client recall",
    "session": "Session",
    "therapist-recall": "Therapist recall",
}


class DualView(QWidget):
    """The dual-perspective screen for one (dyad, session); the session can be switched."""

    notice = Signal(str)
    retitled = Signal(str)

    def __init__(
        self, session: StudySession, settings: Settings, dyad: str, number: int,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self._settings = settings
        self._key = (dyad, number)
        self._last: tuple = ()  # the last move, repeated when the data changes
        self.panes: dict[str, TranscriptPane] = {}
        self.docs: dict[str, DocumentInfo] = {}
        self.comments: dict[str, list[Comment]] = {}
        self.chosen: dict[str, Comment | None] = {}
        self.spoken: list[Utterance] = []
        self._focus = FocusTracker([], None)

        self.sessions = QComboBox(self)
        self.sessions.setToolTip("The session to show (dyad and session number)")
        self.sessions.activated.connect(self._session_chosen)
        self.window_box = QSpinBox(self)
        self.window_box.setRange(0, 600)
        self.window_box.setSuffix(" s")
        self.window_box.setValue(settings.moment_window)
        self.window_box.setToolTip(
            "Stops of the client and the therapist this close in session time\n"
            "count as the same moment."
        )
        self.window_box.valueChanged.connect(self._window_changed)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)  # beside the choices it held the window 1157 px wide
        window_label = QLabel("Same &moment within", self)
        window_label.setBuddy(self.window_box)
        session_label = QLabel("Sessio&n:", self)  # (Alt+letters clear of the menus')
        session_label.setBuddy(self.sessions)
        bar = QHBoxLayout()
        bar.addWidget(session_label)
        bar.addWidget(self.sessions)
        bar.addSpacing(16)
        bar.addWidget(window_label)
        bar.addWidget(self.window_box)
        bar.addStretch(1)

        self.timeline = SessionTimeline(self)
        self.timeline.commentChosen.connect(lambda comment: self.go_to_comment(comment))
        self.timeline.timeChosen.connect(lambda time: self.go_to_time(time))
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.splitterMoved.connect(self._save_layout)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 0)
        layout.addLayout(bar)
        layout.addWidget(self.summary)
        layout.addWidget(self.timeline)
        layout.addWidget(self.splitter, 1)

        # Re-reading a session's moments and codes takes a while on a long transcript, so
        # it waits for a burst of changes to end, and for this screen to be in front.
        self._soon = RefreshWhenShown(self, self._reload, delay_ms=150)
        session.segmentsChanged.connect(self._on_segments)
        session.visibilityChanged.connect(self._soon.request)
        session.codebookChanged.connect(self._soon.request)
        session.documentsChanged.connect(self._documents_changed)
        self._fill_sessions()
        self.show_session(dyad, number)

    # -- what is shown ----------------------------------------------------------------------

    @property
    def key(self) -> tuple[str, int]:
        return self._key

    @property
    def title(self) -> str:
        return f"{self._key[0]} · S{self._key[1]} — both perspectives"

    @property
    def moment_window(self) -> float:
        """Seconds within which the two people's stops count as one moment."""
        return float(self.window_box.value())

    def current_view(self) -> TranscriptView | None:
        """The pane the user last worked in (the codebook codes there)."""
        return self._focus.current

    def view(self, perspective: str) -> TranscriptView | None:
        return self.panes[perspective].view

    def show_session(self, dyad: str, number: int) -> None:
        """Show another session: new panes, nothing chosen yet."""
        self._key = (dyad, number)
        if self._key in self.keys:
            self.sessions.setCurrentIndex(self.keys.index(self._key))
        for pane in self.panes.values():
            pane.setParent(None)
            pane.deleteLater()
        self.docs = session_moments(self.session.study, dyad, number).documents
        self.panes = {}
        for perspective in PANES:
            doc = self.docs.get(perspective)
            view = TranscriptView(self.session, doc.id) if doc else None
            pane = TranscriptPane(_TITLES[perspective] + (f" — {doc.name}" if doc else ""),
                                  view, _WHO.get(perspective), self.splitter)
            self.panes[perspective] = pane
            self.splitter.addWidget(pane)
            if view is not None:
                view.notice.connect(self.notice)
                view.cursorPositionChanged.connect(
                    lambda p=perspective: self._cursor_moved(p)
                )
        views = [p.view for p in self.panes.values() if p.view is not None]
        self._focus = FocusTracker(views, self.view("session") or (views[0] if views else None))
        state = self._settings.screen_state("dual-view")
        if state is None or not self.splitter.restoreState(state):
            self.splitter.setSizes([1, 1, 1])
        self.chosen = dict.fromkeys(RECALLS)
        self.spoken = []
        self._last = ()
        self._reload()
        self.retitled.emit(self.title)

    def _reload(self, *, scroll: bool = False) -> None:
        """Re-read moments and codes (after coding, a new window, another coder shown)."""
        self._soon.cancel()
        study = self.session.study
        coder_ids = self.session.visible_coder_ids()
        moments = session_moments(study, *self._key, window=self.moment_window, coder_ids=coder_ids)
        self.comments = {p: sorted((c for m in moments.moments for c in m.by(p)),
                                   key=lambda c: c.char_start) for p in RECALLS}
        self.chosen = dict.fromkeys(RECALLS)  # chosen again by `_repeat` below
        session_doc = self.docs.get("session")
        self._utterances = study.documents.utterances(session_doc.id) if session_doc else []
        self._clock = SessionClock(self._utterances)
        self._starts16 = {
            p: [pane.view.to_utf16(c.char_start) for c in self.comments.get(p, [])]
            if p in RECALLS else [pane.view.to_utf16(u.char_start) for u in self._utterances]
            for p, pane in self.panes.items() if pane.view is not None
        }
        book = study.codebook.load()

        def themes(code_ids: set[int]) -> list[tuple[str, str]]:
            found = {book.theme_of(book.by_id[i]).id for i in code_ids if i in book.by_id}
            return [(t.name, t.color) for t in book.roots if t.id in found]

        stops = [TimelineStop(c, themes({s.code_id for s in c.segments}))
                 for p in RECALLS for c in self.comments[p]]
        marks = []
        if session_doc is not None:
            only = self.session.coder.name if coder_ids is not None else None
            coded = review_rows(study, ReviewFilter(document=session_doc.name, coder=only))
            marks = [SessionMark(r.row.session_time,
                                 book.theme_of(book.by_id[r.segment.code_id]).color)
                     for r in coded if r.row.session_time is not None]
        self.timeline.set_data(moments.duration, stops, moments.moments, marks)
        shared = sum(m.shared for m in moments.moments)
        count = len(moments.moments)
        self.summary.setText(
            f"{count} moment{'s' * (count != 1)} · {shared} where both stopped · "
            "▼ client stops · ▲ therapist stops · squares: themes coded"
        )
        self._repeat(scroll)

    # -- moving through the session ------------------------------------------------------------

    def go_to_comment(
        self, comment: Comment, moved_by: str | None = None, *, scroll: bool = True
    ) -> None:
        """Show a recall comment, the session then, and the other person's comment on it.

        Panes scroll to what they show, except the one the move came from.
        """
        other = next(p for p in RECALLS if p != comment.perspective)
        nearby = counterparts(comment, self.comments[other], self.moment_window)
        match = min(nearby, key=lambda c: abs(c.time - comment.time), default=None)
        self.chosen = {comment.perspective: comment, other: match}
        times = [c.time for c in (comment, match) if c is not None]
        self._show_session_at(min(times), max(times), scroll=scroll and moved_by != "session")
        for perspective in RECALLS:
            self._show_comment(perspective, scroll=scroll and perspective != moved_by)
        self.timeline.set_current(min(times), max(times))
        self._last = ("comment", comment.perspective, comment.char_start, moved_by)

    def go_to_time(
        self, time: float, moved_by: str | None = None, *, scroll: bool = True
    ) -> None:
        """Show the session at `time` and each recall's nearest stop within the window."""
        window = self.moment_window
        for perspective in RECALLS:
            near = [c for c in self.comments[perspective] if abs(c.time - time) <= window]
            self.chosen[perspective] = min(near, key=lambda c: abs(c.time - time), default=None)
            self._show_comment(perspective, scroll=scroll)
        self._show_session_at(time, time, scroll=scroll and moved_by != "session")
        self.timeline.set_current(time)
        self._last = ("time", time, moved_by)

    def _repeat(self, scroll: bool) -> None:
        """Show the last moment again with fresh data (scrolling only when asked)."""
        if not self._last:
            return
        if self._last[0] == "time":
            _, time, moved_by = self._last
            self.go_to_time(time, moved_by, scroll=scroll)
            return
        _, perspective, char_start, moved_by = self._last
        same = next((c for c in self.comments[perspective] if c.char_start == char_start), None)
        if same is not None:
            self.go_to_comment(same, moved_by, scroll=scroll)

    def _show_session_at(self, start: float, end: float, *, scroll: bool) -> None:
        pane = self.panes["session"]
        first, last = self._clock.at(start), self._clock.at(end)
        if pane.view is None or first is None or last is None:
            self.spoken = []
            return
        self.spoken = self._utterances[first : last + 1]
        begin, finish = self.spoken[0], self.spoken[-1]
        pane.overlay.set_marks([SpanMark(begin.char_start, finish.char_end, self._accent())])
        when = clock(begin.start or 0.0)
        pane.set_status(f"Being said at {when}" + (
            f" – {clock(finish.start)}" if finish is not begin and finish.start else ""))
        if scroll:
            pane.scroll_to(begin.char_start)

    def _show_comment(self, perspective: str, *, scroll: bool) -> None:
        pane = self.panes[perspective]
        if pane.view is None:
            return
        comment = self.chosen[perspective]
        who = _WHO[perspective]
        if comment is None:
            pane.overlay.set_marks([])
            pane.set_status(
                f"The {who} did not stop within {self.moment_window:g} s of this moment.")
            return
        color = role_color(who, self.palette())
        pane.overlay.set_marks([SpanMark(comment.char_start, comment.char_end, color)])
        said = len(comment.utterances)
        pane.set_status(f"Stopped at {clock(comment.time)} · {said} turn{'s' * (said != 1)}")
        if scroll:
            pane.scroll_to(comment.char_start)

    def _cursor_moved(self, perspective: str) -> None:
        view = self.view(perspective)
        if view is None or self.panes[perspective].moving:
            return
        position = view.textCursor().position()
        index = bisect.bisect_right(self._starts16[perspective], position) - 1
        if perspective == "session":
            time = self._time_of_turn(index)
            if time is not None:
                self.go_to_time(time, moved_by="session")
            return
        if index >= 0:
            self.go_to_comment(self.comments[perspective][index], moved_by=perspective)

    def _time_of_turn(self, index: int) -> float | None:
        """Session time of utterance `index`, or of a timed one shortly before it."""
        for utterance in reversed(self._utterances[max(index - 50, 0) : index + 1]):
            if utterance.start is not None:
                return utterance.start
        return None

    def _accent(self) -> QColor:
        return self.palette().color(QPalette.ColorRole.Highlight)

    # -- keeping up -------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt's name)
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._repeat(scroll=False)  # bands in the new theme's colours

    def _on_segments(self, document_ids: frozenset[int], _uuids: object) -> None:
        if document_ids & {doc.id for doc in self.docs.values()}:
            self._soon.request()

    def _window_changed(self, seconds: int) -> None:
        self._settings.moment_window = seconds
        self._reload(scroll=True)

    def _fill_sessions(self) -> None:
        self.keys = sorted({(d.dyad, d.session) for d in self.session.study.documents.list()})
        self.sessions.blockSignals(True)
        self.sessions.clear()
        self.sessions.addItems([f"{dyad} · session {number}" for dyad, number in self.keys])
        if self._key in self.keys:
            self.sessions.setCurrentIndex(self.keys.index(self._key))
        self.sessions.blockSignals(False)

    def _documents_changed(self) -> None:
        """List sessions again; a recall (or session) imported into this one gets its pane."""
        self._fill_sessions()
        shown = {p: doc.id for p, doc in self.docs.items()}
        found = session_moments(self.session.study, *self._key).documents
        if {p: doc.id for p, doc in found.items()} != shown:
            self.show_session(*self._key)

    def _session_chosen(self, index: int) -> None:
        if 0 <= index < len(self.keys) and self.keys[index] != self._key:
            self.show_session(*self.keys[index])

    def _save_layout(self) -> None:
        self._settings.save_screen_state("dual-view", self.splitter.saveState())
