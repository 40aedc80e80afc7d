"""Two coders on one document, side by side, with the consensus layer between them.

The left and right panes show one coder's segments each. Units the coders
disagree on (`coding.disagreements`, the very units the agreement table counts)
get a red wavy underline in both panes and are listed below; lines both coded
the same way get a green bar at their right edge. The supervisor settles each place in the
middle pane: accept one coder's segment, merge both (joined span, chosen code),
or select text there and apply a code to draw a new one. All undoable. A place
the consensus layer already settles (it holds the code there) is ticked and greyed
in the list, so what is still open stands out.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from coding import consensus
from coding.codebook import Code
from coding.coders import Coder
from coding.disagreements import Disagreement, disagreements
from coding.segments import Segment
from coding.study import Study
from coding.study_agreement import UNITS
from transcripts.progress import Progress, report
from transcripts.timestamps import clock
from workbench.menu_actions import plain
from workbench.refresh_when_shown import RefreshWhenShown
from workbench.settings import Settings
from workbench.span_overlay import BAND, EDGE, WAVE, SpanMark
from workbench.study_session import StudySession
from workbench.supervisor import ensure_supervisor
from workbench.transcript_pane import FocusTracker, TranscriptPane
from workbench.transcript_view import TranscriptView
from workbench.worker import run_with_progress

AGREE, DISAGREE = QColor("#2E9D5B"), QColor("#D1453B")
_ALL = "(all codes)"


class CoderView(TranscriptView):
    """One coder's segments, for reading; coding here would code as someone else."""

    def code_span(self, start: int, end: int, code: Code) -> bool:
        self.notice.emit("This pane shows a coder's work. Accept or merge it below, or select "
                         "text in the Consensus pane and apply a code there.")
        return False


class ConsensusView(TranscriptView):
    """The consensus layer: applying a code here draws a consensus segment."""

    def __init__(self, session: StudySession, document_id: int, layer: Sequence[int],
                 draw: Callable[[int, int, Code], bool], parent: QWidget | None = None) -> None:
        super().__init__(session, document_id, parent, coder_ids=layer)
        self._draw = draw

    def code_span(self, start: int, end: int, code: Code) -> bool:
        return self._draw(start, end, code)


class CompareView(QWidget):
    notice = Signal(str)
    retitled = Signal(str)

    def __init__(self, session: StudySession, settings: Settings, document_id: int,
                 coders: Sequence[str] = (), code: str | None = None, unit: str = "sentence",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._settings = settings
        self.found: list[tuple[Code, Disagreement]] = []  # in text order
        self.shared: list[tuple[int, int, int]] = []
        self.coder_objects: list[Coder] = []
        self.picked: dict[str, Segment | None] = {}
        self.panes: dict[str, TranscriptPane] = {}
        self._compared: object = None
        self._focus = FocusTracker([], None)
        self._built: tuple = ()
        bar = self._choice_bar(coders, code, unit)  # first in the focus chain
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.panes_splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.panes_splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.panes_splitter)
        self.splitter.addWidget(self._settling_area())
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        for splitter in (self.splitter, self.panes_splitter):
            splitter.splitterMoved.connect(self._save_layout)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 0)
        layout.addLayout(bar)
        layout.addWidget(self.splitter, 1)

        # Found (or made) before the study is watched: making it announces a new coder,
        # which would otherwise rebuild the panes in the middle of building them.
        self._layer = self._find_layer()
        session.segmentsChanged.connect(self._on_segments)
        for signal in (session.documentsChanged, session.codersChanged, session.codebookChanged):
            signal.connect(self._study_changed)
        self._refresh = RefreshWhenShown(self, self._choice_changed)
        self.document.setCurrentIndex(max(self.document.findData(document_id), 0))
        self._build()

    def _choice_bar(self, coders: Sequence[str], code: str | None, unit: str) -> QHBoxLayout:
        """Document, the two coders, code (or all) and unit, in one row."""
        self.document = QComboBox(self)
        self.coder_boxes = [QComboBox(self), QComboBox(self)]
        self.code = QComboBox(self)
        self.merge_code = QComboBox(self)  # placed in the settling area
        self._fill_choices()
        names = [c.name for c in self.session.study.coders.list() if not c.consensus]
        chosen = [*coders, *(n for n in names if n not in coders)][:2]
        for box, name in zip(self.coder_boxes, chosen + [""] * (2 - len(chosen)), strict=True):
            box.setCurrentIndex(box.findText(name))  # -1 (blank) when there is no such coder
        self.code.setCurrentIndex(max(self.code.findData(self._code_id(code)), 0))
        self.unit = QComboBox(self)
        self.unit.addItems(UNITS)
        self.unit.setCurrentText(unit)
        bar = QHBoxLayout()
        # Alt+letters clear of the menus' and the review list's ("Code" has none left).
        for label, widget in (("Docume&nt", self.document), ("Coder&s", self.coder_boxes[0]),
                              ("and", self.coder_boxes[1]), ("Code", self.code),
                              ("&Unit", self.unit)):
            caption = QLabel(label, self)
            caption.setBuddy(widget)
            bar.addWidget(caption)
            bar.addWidget(widget)
            widget.activated.connect(self._choice_changed)
        bar.addStretch(1)
        return bar

    def _fill_choices(self) -> None:
        """(Re)list documents, coders and codes, keeping what is chosen.

        Runs again whenever the study gains documents or coders (an import or a
        merge, a new name in the "I am" box) or its codebook changes; codes are
        kept by id, so a renamed code stays chosen.
        """
        study = self.session.study
        book = study.codebook.load()
        # The consensus layer last: a coder can be held against it (the dashboard asks so).
        coders = sorted(study.coders.list(), key=lambda c: c.consensus)
        names = [(c.name, c.name) for c in coders]
        for combo, items in (
            (self.document, [(d.name, d.id) for d in study.documents.list()]),
            (self.coder_boxes[0], names),
            (self.coder_boxes[1], names),
            (self.code, [(_ALL, None), *(("  " * c.depth + c.name, c.id) for c in book.walk())]),
            (self.merge_code, [(c.path, c.id) for c in book.applicable()]),
        ):
            blank = combo.currentIndex() < 0
            kept = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            for text, data in items:
                combo.addItem(text, data)
            combo.setCurrentIndex(-1 if blank else max(combo.findData(kept), 0))
            combo.blockSignals(False)

    def _code_id(self, path: str | None) -> int | None:
        code = self.session.study.codebook.load().by_path.get(path) if path else None
        return code.id if code else None

    def _study_changed(self) -> None:
        self._fill_choices()
        self._compared = None  # code names in the list may have changed
        self._refresh.request()

    def _settling_area(self) -> QWidget:
        """The disagreement list, and accept / merge for the segments picked."""
        self.list = QListWidget(self)
        self.list.setWordWrap(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.currentRowChanged.connect(self._unit_chosen)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.pick_labels = [QLabel(self), QLabel(self)]
        self.accept_buttons = [QPushButton(self), QPushButton(self)]
        actions = QVBoxLayout()
        for number, (label, button) in enumerate(zip(self.pick_labels, self.accept_buttons,
                                                     strict=True)):
            label.setWordWrap(True)
            button.clicked.connect(lambda _c=False, n=number: self.accept(n))
            row = QHBoxLayout()
            row.addWidget(button)
            row.addWidget(label, 1)
            actions.addLayout(row)
        self.merge_button = QPushButton("&Merge both as", self)
        self.merge_button.clicked.connect(lambda: self.merge())
        self.merge_code.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.merge_code.setMinimumContentsLength(16)
        merge_row = QHBoxLayout()
        merge_row.addWidget(self.merge_button)
        merge_row.addWidget(self.merge_code, 1)
        actions.addLayout(merge_row)
        actions.addStretch(1)
        listing = QVBoxLayout()
        listing.addWidget(self.summary)
        listing.addWidget(self.list, 1)
        area = QWidget(self)
        area_layout = QHBoxLayout(area)
        area_layout.setContentsMargins(0, 0, 0, 0)
        area_layout.addLayout(listing, 3)
        area_layout.addLayout(actions, 2)
        return area

    # -- what is compared ---------------------------------------------------------------------

    @property
    def document_id(self) -> int:
        return self.document.currentData()

    @property
    def coders(self) -> list[str]:
        return [box.currentText() for box in self.coder_boxes]

    @property
    def code_path(self) -> str | None:
        """The code compared (None: every code either coder used)."""
        code = self.session.study.codebook.load().by_id.get(self.code.currentData())
        return code.path if code else None

    @property
    def title(self) -> str:
        return f"Compare {' · '.join(self.coders)} — {self.document.currentText()}"

    def current_view(self) -> TranscriptView | None:
        return self._focus.current

    def set_choice(self, *, coders: Sequence[str] | None = None, code: str | None = None,
                   unit: str | None = None, document_id: int | None = None) -> None:
        if coders:
            for box, name in zip(self.coder_boxes, coders, strict=False):
                box.setCurrentText(name)
        if code is not None:
            self.code.setCurrentIndex(max(self.code.findData(self._code_id(code)), 0))
        if unit is not None:
            self.unit.setCurrentText(unit)
        if document_id is not None:
            self.document.setCurrentIndex(max(self.document.findData(document_id), 0))
        self._choice_changed()

    def _choice_changed(self, *_args: object) -> None:
        if self._built == (self.document_id, tuple(self.coders)):
            self.refresh_marks()  # only the code or unit changed: same panes
        else:
            self._build()

    def _build(self) -> None:
        """New panes for the chosen document and coders, then the marks."""
        for pane in self.panes.values():
            pane.setParent(None)
            pane.deleteLater()
        study = self.session.study
        self.coder_objects: list[Coder] = [study.coders.find(n) for n in self.coders if n]
        layer = self._layer
        self.panes = {}
        views: list[TranscriptView] = []
        for slot, name in enumerate(self.coders):
            if slot == 1:
                middle = ConsensusView(self.session, self.document_id,
                                       [layer.id] if layer else [], self.draw)
                self.panes["consensus"] = TranscriptPane("Consensus layer", middle)
                self.panes["consensus"].set_status(
                    "Accept or merge below, or select text here and apply a code to draw "
                    "a new consensus segment.")
                views.append(middle)
            coder = next((c for c in self.coder_objects if c.name == name), None)
            view = CoderView(self.session, self.document_id, coder_ids=[coder.id] if coder else [])
            # The same coder may be chosen twice for a moment; each pane needs its own key.
            key = name if name and name not in self.panes else f"coder {slot + 1}"
            self.panes[key] = TranscriptPane(f"{name}'s coding" if name else "(no coder)", view)
            view.cursorPositionChanged.connect(
                lambda k=key, n=name: self._pick_at_cursor(k, n))
            views.append(view)
        for pane in self.panes.values():
            self.panes_splitter.addWidget(pane)
            pane.view.notice.connect(self.notice)
        self._focus = FocusTracker(views, views[1])
        for key, splitter in (("compare-split", self.splitter),
                              ("compare-panes", self.panes_splitter)):
            state = self._settings.screen_state(key)
            if state is None or not splitter.restoreState(state):
                splitter.setSizes([3, 2] if splitter is self.splitter else [1, 1, 1])
        self.picked = dict.fromkeys(self.coders)
        self._show_picks()
        self._built = (self.document_id, tuple(self.coders))
        self._compared = None
        self.refresh_marks()
        self.retitled.emit(self.title)

    def _find_layer(self) -> Coder | None:
        """The consensus layer, created on first use when the study can be written."""
        study = self.session.study
        found = next((c for c in study.coders.list() if c.consensus), None)
        if found is None and study.writable:
            found = self.session.attempt(study.coders.consensus)
        return found

    # -- agreements and disagreements ---------------------------------------------------------

    def refresh_marks(self) -> None:
        """Find the disagreements again if either coder's segments changed."""
        study = self.session.study
        ids = [c.id for c in self.coder_objects]
        compared = (tuple(study.segments.for_document(self.document_id, ids)),
                    self.code.currentData(), self.unit.currentText(), tuple(self.coders))
        if compared == self._compared:
            self._show_settled()  # the consensus layer may have changed
            return
        self._compared = compared
        place = self._place()
        self.found = []
        self.list.clear()
        missing = self._not_coded()
        if not all(self.coders) or len(set(self.coders)) < 2 or missing:
            why = (f"{' and '.join(missing)} has not coded this document yet" if missing
                   else "Choose two different coders")
            self.summary.setText(f"{why}: nothing to compare.")
            self.shared = []
            self._mark([])
            return
        doc = study.documents.get(self.document_id)
        found = run_with_progress(self, "Finding disagreements", disagreements_by_code, study,
                                  self.coders, self._codes(), self.unit.currentText(), doc.name)
        if found is None:  # cancelled (or refused, and said so)
            self._compared = None  # so that showing or choosing again retries
            self.summary.setText("Not compared: the search for disagreements was stopped.")
            self.shared = []
            self._mark([])
            return
        self.found = sorted(found, key=lambda pair: (pair[1].unit_start, pair[1].unit_end))
        for _ in self.found:
            self.list.addItem(QListWidgetItem())
        per_coder = [study.segments.for_document(self.document_id, [c.id])
                     for c in self.coder_objects]
        self.shared = consensus.shared_spans(*per_coder)
        self._show_settled()
        self._mark([])
        self._keep_place(place)

    def _place(self) -> tuple[int, int, int] | None:
        """The disagreement chosen in the list, as (code id, unit start, unit end)."""
        row = self.list.currentRow()
        if not 0 <= row < len(self.found):
            return None
        code, found = self.found[row]
        return code.id, found.unit_start, found.unit_end

    def _keep_place(self, place: tuple[int, int, int] | None) -> None:
        """Choose `place` again in a list found anew (a segment changed, a coder was made a
        supervisor), without moving the panes, so the supervisor goes on from there."""
        places = [(code.id, found.unit_start, found.unit_end) for code, found in self.found]
        if place in places:
            self.list.blockSignals(True)
            self.list.setCurrentRow(places.index(place))
            self.list.blockSignals(False)

    def _show_settled(self) -> None:
        """Word the list and summary, marking the places the consensus layer already settles
        (it holds the code there), so the supervisor sees what is still open."""
        layer = self._layer
        agreed = ([] if layer is None or layer.name in self.coders
                  else self.session.study.segments.for_document(self.document_id, [layer.id]))
        settled = 0
        for row, (code, found) in enumerate(self.found):
            done = any(s.code_id == code.id and s.start < found.unit_end
                       and found.unit_start < s.end for s in agreed)
            settled += done
            item = self.list.item(row)
            when = "" if found.session_time is None else f"{clock(found.session_time)} · "
            item.setText(f"{'✓ ' if done else ''}{when}{code.name}: only "
                         f"{', '.join(found.applied_by)} — “{_short(found.text)}”")
            item.setToolTip(f"{code.path}\ncoded by {', '.join(found.applied_by)}, not by "
                            f"{', '.join(found.missing)}"
                            f"{' (settled in the consensus layer)' if done else ''}"
                            f"\n\n{found.text}")
            item.setForeground(self.palette().color(
                QPalette.ColorGroup.Disabled if done else QPalette.ColorGroup.Active,
                QPalette.ColorRole.Text))
        self.summary.setText(
            f"{len(self.found)} disagreement{'s' * (len(self.found) != 1)} "
            f"({self.unit.currentText()} units, red wavy underline)"
            f"{f', {settled} settled in the consensus layer (✓)' if settled else ''} · "
            f"{len(self.shared)} passages coded alike (green bar at the right)"
        )

    def _codes(self) -> list[Code]:
        book = self.session.study.codebook.load()
        chosen = book.by_id.get(self.code.currentData())
        if chosen is not None:
            return [chosen]
        used = {s.code_id for s in self._compared[0]}
        return [code for code in book.applicable() if code.id in used]

    def _not_coded(self) -> list[str]:
        study = self.session.study
        return [
            coder.name for coder in self.coder_objects
            if not study.segments.for_document(self.document_id, [coder.id])
            and self.document_id not in study.coders.done_documents(coder)
        ]

    def _mark(self, focus: Sequence[SpanMark]) -> None:
        shared = [SpanMark(start, end, AGREE, EDGE) for start, end, _ in self.shared]
        units = [SpanMark(d.unit_start, d.unit_end, DISAGREE, WAVE) for _, d in self.found]
        for key, pane in self.panes.items():
            marks = list(focus) if key == "consensus" else [*shared, *units, *focus]
            pane.overlay.set_marks(marks)

    # -- one place at a time ------------------------------------------------------------------

    def show_unit(self, start: int, end: int, code_id: int | None = None) -> None:
        """Scroll every pane to [start, end), band it, and pick each coder's segment there:
        one of the code in dispute (`code_id`, else the code chosen above) before others,
        the shortest first."""
        accent = self.palette().color(QPalette.ColorRole.Highlight)
        self._mark([SpanMark(start, end, accent, BAND)])
        book = self.session.study.codebook.load()
        code = book.by_id.get(self.code.currentData() if code_id is None else code_id)
        wanted = {c.id for c in book.descendants(code)} if code else set()
        for name in filter(None, self.coders):
            self.panes[name].scroll_to(start)
            view = self.panes[name].view
            start16, end16 = view.to_utf16(start), view.to_utf16(end)
            marks = sorted(view.segment_index.overlapping(start16, end16),
                           key=lambda m: (m.segment.code_id not in wanted, m.end16 - m.start16))
            self._pick(name, marks[0].segment if marks else None)
        self.panes["consensus"].scroll_to(start, end)  # selected: ready to draw a new segment

    def _unit_chosen(self, row: int) -> None:
        if 0 <= row < len(self.found):
            code, found = self.found[row]
            self.show_unit(found.unit_start, found.unit_end, code.id)

    def _pick_at_cursor(self, key: str, name: str) -> None:
        pane = self.panes[key]
        if pane.moving:
            return
        view = pane.view
        marks = view.segment_index.at(view.textCursor().position())
        self._pick(name, marks[0].segment if marks else None)

    def _pick(self, name: str, segment: Segment | None) -> None:
        self.picked[name] = segment
        self._show_picks()
        if segment is not None and name == self.coders[0]:
            self.merge_code.setCurrentIndex(max(self.merge_code.findData(segment.code_id), 0))

    def _show_picks(self) -> None:
        """Accept and merge, named for the coders compared, enabled as their picks allow."""
        book = self.session.study.codebook.load()
        text = self.session.study.documents.text(self.document_id)
        for slot, coder in enumerate(self.coders):
            chosen = self.picked.get(coder)
            self.accept_buttons[slot].setText(f"Accept {plain(coder)}'s" if coder else "Accept")
            self.accept_buttons[slot].setEnabled(chosen is not None)
            self.pick_labels[slot].setText(
                f"{book.by_id[chosen.code_id].name}: “{_short(text[chosen.start:chosen.end])}”"
                if chosen else f"(click one of {coder}'s segments)" if coder else ""
            )
        self.merge_button.setEnabled(all(self.picked.get(coder) for coder in self.coders))

    # -- building the consensus layer ---------------------------------------------------------

    def accept(self, slot: int) -> bool:
        segment = self.picked.get(self.coders[slot])
        if segment is None:
            self.notice.emit(f"Click one of {self.coders[slot]}'s segments first.")
            return False
        return self._settle(consensus.accept, segment)

    def merge(self) -> bool:
        first, second = (self.picked.get(name) for name in self.coders)
        if first is None or second is None:
            self.notice.emit("Pick a segment of each coder to merge.")
            return False
        code = self.session.study.codebook.load().by_id[self.merge_code.currentData()]
        return self._settle(consensus.merge, first, second, code)

    def draw(self, start: int, end: int, code: Code) -> bool:
        return self._settle(consensus.draw, self.document_id, start, end, code)

    def _settle(self, make: Callable, *args: object) -> bool:
        """Build a consensus action from the freshest copies of its segments and do it."""
        study = self.session.study
        fresh = [self.session.attempt(study.segments.find, a.uuid) if isinstance(a, Segment)
                 else a for a in args]
        if None in fresh:
            return False
        supervisor = ensure_supervisor(self, self.session, "build the consensus layer")
        if supervisor is None:
            return False
        action = self.session.attempt(make, study, *fresh, supervisor)
        if action is None or not self.session.do(action):
            return False
        self.notice.emit(f"{action.label} — by {supervisor.name}.")
        return True

    # -- keeping up ---------------------------------------------------------------------------

    def _on_segments(self, document_ids: frozenset[int], _uuids: object) -> None:
        if self.document_id in document_ids:
            self._refresh.request()

    def _save_layout(self) -> None:
        self._settings.save_screen_state("compare-split", self.splitter.saveState())
        self._settings.save_screen_state("compare-panes", self.panes_splitter.saveState())


def disagreements_by_code(
    study: Study, coders: Sequence[str], codes: Sequence[Code], unit: str, document: str,
    progress: Progress | None = None,
) -> list[tuple[Code, Disagreement]]:
    """Each code's disagreements on one document (a worker task: on a long transcript
    each code takes a while)."""
    found: list[tuple[Code, Disagreement]] = []
    for number, code in enumerate(codes):
        report(progress, number / len(codes), f"Comparing on {code.name}")
        found.extend((code, d) for d in disagreements(study, coders, code.path, unit, [document]))
    return found


def _short(text: str, limit: int = 90) -> str:
    words = " ".join(text.split())
    return words if len(words) <= limit else words[: limit - 1] + "…"
