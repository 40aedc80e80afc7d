"""Formats one transcript block at a time: speaker labels, clocks, stop badges, segments.

Qt calls `highlightBlock` for a block when it is first shown and when the view
asks for it again (`rehighlightBlock` after a code is applied or removed). All
positions come precomputed in UTF-16 from `turn_marks` and the `SegmentIndex`,
so a block costs O(runs in it), whatever the length of the document.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from PySide6.QtGui import QFont, QPalette, QSyntaxHighlighter, QTextCharFormat, QTextDocument

from workbench.segment_index import Mark, SegmentIndex
from workbench.theme import badge, code_background, code_stripe, dimmed, role_color
from workbench.turn_marks import TurnMark

_NO_CODE_COLOR = "#9E9E9E"


class TranscriptHighlighter(QSyntaxHighlighter):
    def __init__(
        self,
        document: QTextDocument,
        turns: Mapping[int, list[TurnMark]],
        index: SegmentIndex,
        is_own: Callable[[int], bool],
    ) -> None:
        # Attach only once everything is in place: attaching schedules the first pass.
        super().__init__(None)
        self._turns = turns
        self._index = index
        self._is_own = is_own
        self._colors: dict[int, str] = {}
        self._palette = QPalette()
        self._formats: dict[object, QTextCharFormat] = {}
        self.setDocument(document)

    def set_turns(self, turns: Mapping[int, list[TurnMark]]) -> None:
        """New labels, clocks and stops (speaker roles changed); the caller rehighlights."""
        self._turns = turns

    def set_look(self, palette: QPalette, colors: Mapping[int, str]) -> None:
        """New palette or code colours: formats are rebuilt (the caller rehighlights)."""
        self._palette = QPalette(palette)
        self._colors = dict(colors)
        self._formats.clear()

    def highlightBlock(self, text: str) -> None:  # noqa: N802 (Qt's name)
        block = self.currentBlock()
        number = block.blockNumber()
        turns = self._turns.get(number, ())
        marks = self._index.in_block(number)
        if not marks:
            for turn in turns:
                self.setFormat(turn.start16, turn.length16, self._turn_format(turn))
            return
        start16 = block.position()
        length16 = block.length() - 1
        runs = [
            (max(mark.start16 - start16, 0), min(mark.end16 - start16, length16), mark)
            for mark in marks
        ]
        edges = {0, length16}
        for start, end, _ in runs:
            edges.update((start, end))
        for turn in turns:
            edges.update((turn.start16, turn.start16 + turn.length16))
        edges = sorted(edges)
        for start, end in zip(edges, edges[1:], strict=False):
            covering = [mark for a, b, mark in runs if a <= start and end <= b]
            turn = next(
                (t for t in turns if t.start16 <= start and end <= t.start16 + t.length16), None
            )
            if covering or turn:
                self.setFormat(start, end - start, self._format(turn, covering))

    # -- formats (cached by what they show) ---------------------------------------------

    def _format(self, turn: TurnMark | None, covering: Sequence[Mark]) -> QTextCharFormat:
        ranked = sorted(
            covering,
            key=lambda m: (m.end16 - m.start16, not self._is_own(m.segment.coder_id)),
        )
        top = ranked[0] if ranked else None
        below = next((m for m in ranked[1:] if m.segment.code_id != top.segment.code_id), None)
        key = (
            (turn.kind, turn.role) if turn else None,
            (top.segment.code_id, self._is_own(top.segment.coder_id)) if top else None,
            below.segment.code_id if below else None,
        )
        found = self._formats.get(key)
        if found is None:
            found = QTextCharFormat(self._turn_format(turn)) if turn else QTextCharFormat()
            if top is not None:
                own = self._is_own(top.segment.coder_id)
                found.setBackground(code_background(self._color(top), self._palette, own=own))
            if below is not None:
                found.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
                found.setUnderlineColor(code_stripe(self._color(below), self._palette))
            self._formats[key] = found
        return found

    def _turn_format(self, turn: TurnMark) -> QTextCharFormat:
        key = (turn.kind, turn.role)
        found = self._formats.get(key)
        if found is None:
            found = QTextCharFormat()
            if turn.kind == "label":
                found.setFontWeight(QFont.Weight.Bold)
                found.setForeground(role_color(turn.role, self._palette))
            elif turn.kind == "clock":
                found.setForeground(dimmed(self._palette))
            else:
                found.setFontWeight(QFont.Weight.Bold)
                found.setBackground(badge(self._palette))
                found.setForeground(self._palette.color(QPalette.ColorRole.Text))
            self._formats[key] = found
        return found

    def _color(self, mark: Mark) -> str:
        return self._colors.get(mark.segment.code_id, _NO_CODE_COLOR)
