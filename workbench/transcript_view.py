"""One document's transcript: read-only, selectable text with its coded segments painted on.

The text is set once. Segments live in a `SegmentIndex` (UTF-16, per block);
when one changes, only the blocks it covers are re-highlighted. Positions cross
between the core's code points and Qt's UTF-16 units only here, via `OffsetMap`.
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence

from PySide6.QtCore import QEvent, QMimeData, QPoint, QRect, Qt, Signal
from PySide6.QtGui import (
    QContextMenuEvent,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
    QResizeEvent,
    QTextCursor,
    QTextOption,
)
from PySide6.QtWidgets import QMenu, QPlainTextEdit, QToolTip, QWidget

from coding.codebook import Code
from coding.errors import StudyError
from workbench.coding_margin import CodingMargin
from workbench.highlighter import TranscriptHighlighter
from workbench.offsets import OffsetMap
from workbench.segment_index import Blocks, Mark, SegmentIndex
from workbench.segment_menu import add_code_menu, add_segment_actions, describe
from workbench.study_session import StudySession
from workbench.turn_marks import turn_marks

SELECTION_MIME = "application/x-ipr-workbench-selection"
_PORTABLE = QKeySequence.SequenceFormat.PortableText


def release_clipboard() -> None:
    """Give the clipboard a Qt-made copy of text copied from a transcript.

    Copying puts the mime data of `createMimeDataFromSelection`, made in Python, on the
    clipboard; left there, Qt frees it after Python has shut down and the app aborts
    on quitting.
    """
    clipboard = QGuiApplication.clipboard()
    mime = clipboard.mimeData()
    if mime is not None and mime.hasFormat(SELECTION_MIME):
        clipboard.setText(mime.text())


class SelectionMime(QMimeData):
    """A dragged transcript selection, holding the pane it came from.

    The pane decides what dropping it on a code means: a transcript codes as the
    current coder, a coder's pane in the compare view refuses, the consensus pane
    draws a consensus segment. A drag from another window carries no pane: no coding.
    """

    def __init__(self, view: TranscriptView, text: str, span: tuple[int, int]) -> None:
        super().__init__()
        self._view = weakref.ref(view)
        self.span = span
        self.setText(text)
        self.setData(SELECTION_MIME, b"")  # the format the codebook tree accepts

    def code_with(self, code: Code) -> bool:
        """Code the dragged span with `code`, as its pane codes."""
        view = self._view()
        return view is not None and view.code_span(*self.span, code)


class TranscriptView(QPlainTextEdit):
    notice = Signal(str)  # a short message for the status bar

    def __init__(
        self,
        session: StudySession,
        document_id: int,
        parent: QWidget | None = None,
        *,
        coder_ids: Sequence[int] | None = None,
    ):
        """`coder_ids` pins the view to those coders' segments, drawn as fully as one's own
        (a pane per coder when comparing); by default the session's choice applies."""
        super().__init__(parent)
        self.session = session
        self.document_id = document_id
        self._coder_ids = None if coder_ids is None else list(coder_ids)
        study = session.study
        self.info = study.documents.get(document_id)
        text = study.documents.text(document_id)
        self._offsets = OffsetMap(text)
        self._blocks = Blocks(text, self._offsets)
        self.segment_index = SegmentIndex(self._blocks)
        self.segment_index.reset(study.segments.for_document(document_id, self.shown_coder_ids()))
        self._book = study.codebook.load()
        self._shortcuts = _shortcut_map(self._book)

        self.setReadOnly(True)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        font = self.font()
        font.setPointSizeF(font.pointSizeF() * 1.1)  # read for hours: a little larger
        self.setFont(font)
        document = self.document()
        document.setUndoRedoEnabled(False)
        document.setDocumentMargin(10)
        self.setPlainText(text)
        self._turns = self._turn_marks()
        self._highlighter = TranscriptHighlighter(
            document, self._turns, self.segment_index, self.is_own
        )
        self._highlighter.set_look(self.palette(), self._colors())

        self._margin = CodingMargin(self)
        self._margin.segmentClicked.connect(self._select_mark)
        self._margin.segmentMenuRequested.connect(self._mark_menu)
        self.updateRequest.connect(self._scroll_margin)
        self._fit_margin()

        session.segmentsChanged.connect(self._on_segments)
        session.codebookChanged.connect(self._on_codebook)
        session.visibilityChanged.connect(self._reload_segments)
        session.documentsChanged.connect(self._on_documents)

    # -- positions: code points outside, UTF-16 inside ------------------------------------

    def selection_span(self) -> tuple[int, int] | None:
        """The selected text as code points [start, end), or None."""
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        return (
            self._offsets.to_code_points(cursor.selectionStart()),
            self._offsets.to_code_points(cursor.selectionEnd(), round_up=True),
        )

    def shown_coder_ids(self) -> list[int] | None:
        """Coders whose segments this view shows (None: everyone)."""
        return self._coder_ids if self._coder_ids is not None else self.session.visible_coder_ids()

    def is_own(self, coder_id: int) -> bool:
        """Whether a coder's segments are drawn in full (else washed out, as others')."""
        if self._coder_ids is not None:
            return coder_id in self._coder_ids
        return self.session.is_own(coder_id)

    def to_utf16(self, position: int) -> int:
        """A code point position as Qt's UTF-16 position in this view."""
        return self._offsets.to_utf16(position)

    def select_span(self, start: int, end: int) -> None:
        """Select code points [start, end) and scroll them into view."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(self._offsets.to_utf16(start))
        cursor.setPosition(self._offsets.to_utf16(end), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)
        self.centerCursor()

    def code_color(self, code_id: int) -> str:
        code = self._book.by_id.get(code_id)
        return code.color if code else "#9E9E9E"

    def describe(self, mark: Mark) -> str:
        return describe(mark.segment, self._book, self.session.coder_names())

    # -- coding ---------------------------------------------------------------------------

    def apply_code(self, code: Code) -> bool:
        """Code the selection with `code` (a click on the code or its shortcut key)."""
        span = self.selection_span()
        if span is None:
            self.notice.emit("Select some text first, then choose a code.")
            return False
        if not self.textCursor().selectedText().strip():  # (the core refuses it, in offsets)
            self.notice.emit("The selection holds only spaces or line breaks: select some words.")
            return False
        return self.code_span(*span, code)

    def code_span(self, start: int, end: int, code: Code) -> bool:
        """Code [start, end) as the current coder (panes of other layers say otherwise)."""
        return self.session.apply_code(self.document_id, start, end, code)

    def event(self, event: QEvent) -> bool:
        # Claim code shortcuts before window-wide shortcuts see them.
        if event.type() == QEvent.Type.ShortcutOverride and self._shortcut_code(event):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt's name)
        code = self._shortcut_code(event)
        if code is None:
            super().keyPressEvent(event)
        else:
            self.apply_code(code)

    def _shortcut_code(self, event: QKeyEvent) -> Code | None:
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        pressed = QKeySequence(event.key() | modifiers.value).toString(_PORTABLE)
        return self._shortcuts.get(pressed)

    def createMimeDataFromSelection(self) -> QMimeData:  # noqa: N802 (Qt's name)
        """Plain text plus the span, so dropping onto a code in the codebook codes it.

        (Qt's own mime data lists a fixed set of formats, so a fresh one is made.)
        """
        text = self.textCursor().selection().toPlainText()
        span = self.selection_span()
        if span is not None:
            return SelectionMime(self, text, span)
        mime = QMimeData()
        mime.setText(text)
        return mime

    # -- menus, tooltips, margin ------------------------------------------------------------

    def marks_at(self, point: QPoint) -> list[Mark]:
        """Segments under a viewport point."""
        position = self.cursorForPosition(point).position()
        return self.segment_index.at(position) or self.segment_index.at(position - 1)

    def marks_at_cursor(self) -> list[Mark]:
        """The segments a keyboard user means: those the selection is (F8 selects one),
        else those it overlaps, else those at the cursor."""
        cursor = self.textCursor()
        if cursor.hasSelection():
            start, end = cursor.selectionStart(), cursor.selectionEnd()
            marks = self.segment_index.overlapping(start, end)
            return [m for m in marks if (m.start16, m.end16) == (start, end)] or marks
        position = cursor.position()
        return self.segment_index.at(position) or self.segment_index.at(position - 1)

    def context_menu(self, point: QPoint) -> QMenu:
        """Copy/Select all, Apply code ▸ for a selection, and the segments under `point`."""
        menu = self.createStandardContextMenu(point)
        if self.selection_span() is not None:
            menu.addSeparator()
            add_code_menu(menu.addMenu("Apply code"), self._book.roots, self.apply_code)
        marks = self.marks_at(point)
        if marks:
            menu.addSeparator()
            add_segment_actions(menu, self, self.session, [m.segment for m in marks])
        return menu

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802 (Qt's name)
        self.context_menu(event.pos()).exec(event.globalPos())

    def _mark_menu(self, mark: Mark, where: QPoint) -> None:
        menu = QMenu(self)
        add_segment_actions(menu, self, self.session, [mark.segment])
        menu.exec(where)

    def _select_mark(self, mark: Mark) -> None:
        self.select_span(mark.segment.start, mark.segment.end)

    def viewportEvent(self, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.ToolTip:
            marks = self.marks_at(event.pos())
            if marks:
                QToolTip.showText(
                    event.globalPos(), "<hr>".join(self.describe(m) for m in marks), self
                )
            else:
                QToolTip.hideText()
            return True
        return super().viewportEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        rect = self.contentsRect()
        self._margin.setGeometry(
            QRect(rect.left(), rect.top(), self._margin.width_needed(), rect.height())
        )

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt's name)
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._highlighter.set_look(self.palette(), self._colors())
            self._highlighter.rehighlight()

    def _fit_margin(self) -> None:
        width = self._margin.width_needed()
        if self.viewportMargins().left() != width:
            self.setViewportMargins(width, 0, 0, 0)
            rect = self.contentsRect()
            self._margin.setGeometry(QRect(rect.left(), rect.top(), width, rect.height()))
        self._margin.update()

    def _scroll_margin(self, rect: QRect, dy: int) -> None:
        if dy:
            self._margin.scroll(0, dy)
        else:
            self._margin.update(0, rect.y(), self._margin.width(), rect.height())

    # -- keeping up with the study ---------------------------------------------------------

    def _on_segments(self, document_ids: frozenset[int], uuids: set[str] | None) -> None:
        if self.document_id not in document_ids:
            return
        if uuids is None:
            self._reload_segments()
            return
        blocks: set[int] = set()
        for uuid in uuids:
            blocks.update(self.segment_index.remove(uuid))
            try:
                segment = self.session.study.segments.find(uuid)
            except StudyError:  # removed
                continue
            shown = self.shown_coder_ids()
            if segment.document_id == self.document_id and (
                shown is None or segment.coder_id in shown
            ):
                blocks.update(self.segment_index.add(segment))
        self._rehighlight(blocks)

    def _reload_segments(self) -> None:
        """Re-read this document's shown segments and repaint the blocks that differ."""
        shown = self.session.study.segments.for_document(
            self.document_id, self.shown_coder_ids()
        )
        old = {mark.segment.uuid: mark.segment for mark in self.segment_index}
        new = {segment.uuid: segment for segment in shown}
        blocks: set[int] = set()
        for uuid, segment in old.items():
            if new.get(uuid) != segment:
                blocks.update(self.segment_index.remove(uuid))
        for uuid, segment in new.items():
            if old.get(uuid) != segment:
                blocks.update(self.segment_index.add(segment))
        self._rehighlight(blocks)

    def _turn_marks(self) -> dict[int, list]:
        documents = self.session.study.documents
        return turn_marks(documents.text(self.document_id), self._blocks,
                          documents.utterances(self.document_id),
                          documents.stops(self.document_id))

    def _on_documents(self) -> None:
        """Speaker roles may have changed: recolour the labels that did."""
        turns = self._turn_marks()
        changed = {n for n in turns.keys() | self._turns.keys()
                   if turns.get(n) != self._turns.get(n)}
        self._turns = turns
        self._highlighter.set_turns(turns)
        self._rehighlight(changed)

    def _on_codebook(self) -> None:
        self._book = self.session.study.codebook.load()
        self._shortcuts = _shortcut_map(self._book)
        self._highlighter.set_look(self.palette(), self._colors())
        self._rehighlight({n for mark in self.segment_index for n in mark.blocks})

    def _rehighlight(self, blocks: set[int]) -> None:
        document = self.document()
        for number in sorted(blocks):
            self._highlighter.rehighlightBlock(document.findBlockByNumber(number))
        self._fit_margin()

    def _colors(self) -> dict[int, str]:
        return {code.id: code.color for code in self._book.walk()}


def _shortcut_map(book) -> dict[str, Code]:
    """Codes by their shortcut, written the way Qt writes key sequences."""
    found = {}
    for code in book.applicable():
        if code.shortcut:
            sequence = QKeySequence(code.shortcut).toString(_PORTABLE)
            if sequence:
                found[sequence] = code
    return found
