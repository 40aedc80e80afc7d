"""What an import or a merge brought in and what it left out, in a window that stays open.

A merge of a coder's copy or a REFI-QDA project can add hundreds of segments and
report dozens of conflicts and skipped selections. The list is something to work
through while looking at the study, so this window is not modal, and its lines
can be copied into an e-mail to the coder who sent the file.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from coding.merge import MergeReport

_SEGMENT = Qt.ItemDataRole.UserRole + 1


class ExchangeResults(QDialog):
    segmentChosen = Signal(str)  # uuid of a segment in conflict, to show it in its transcript

    def __init__(self, title: str, headline: str, merge: MergeReport,
                 warnings: Sequence[str] = (), footnote: str = "",
                 places: Mapping[str, str] | None = None,
                 parent: QWidget | None = None) -> None:
        """`places`: segment uuid → where it is, in words, added under its conflict."""
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setModal(False)
        self.headline = headline
        lines: list[tuple[str, str | None]] = [
            *((f"warning: {line}", None) for line in warnings),
            *((f"skipped {line}", None) for line in merge.skipped),
            *((f"conflict: {c}", c.uuid if c.kind == "segment" else None)
              for c in merge.conflicts),
        ]
        places = places or {}
        lines = [(f"{line}\n    {places[segment]}" if segment in places else line, segment)
                 for line, segment in lines]
        self.lines = [line for line, _ in lines]

        heading = QLabel(f"<b>{escape(headline)}</b>", self)
        heading.setWordWrap(True)
        counts = QGridLayout()
        counts.setColumnStretch(2, 1)
        counts.setHorizontalSpacing(24)
        for row, (caption, count) in enumerate((
            ("Coders added", merge.coders_added), ("Codes added", merge.codes_added),
            ("Documents added", merge.documents_added),
            ("Segments added", merge.segments_added),
            ("Documents marked done", merge.done_added),
        )):
            counts.addWidget(QLabel(caption, self), row, 0)
            number = QLabel(f"{count:,}", self)
            number.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            counts.addWidget(number, row, 1)
        self.problems = QListWidget(self)
        self.problems.setWordWrap(True)
        for line, segment in lines:
            item = QListWidgetItem(line, self.problems)
            if segment is not None:
                item.setData(_SEGMENT, segment)
                item.setToolTip("Double-click (or press Enter) to show this segment")
        self.problems.itemActivated.connect(self._activated)
        self.problems.setVisible(bool(lines))
        problems_label = QLabel(
            f"To look at ({len(lines):,}): the study kept its own version of anything "
            "in conflict." if lines else "Nothing conflicted and nothing was skipped.", self)
        problems_label.setWordWrap(True)
        note = QLabel(footnote, self)
        note.setWordWrap(True)
        note.setVisible(bool(footnote))
        note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.copy_button = buttons.addButton("&Copy list", QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.setEnabled(bool(lines))
        self.copy_button.clicked.connect(self.copy)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(counts)
        layout.addWidget(problems_label)
        layout.addWidget(self.problems, 1)
        layout.addWidget(note)
        layout.addWidget(buttons)
        buttons.button(QDialogButtonBox.StandardButton.Close).setFocus()
        self.resize(620, 440 if lines else 280)

    def copy(self) -> None:
        """Every line of the list to the clipboard, one per line."""
        QGuiApplication.clipboard().setText("\n".join(self.lines))

    def _activated(self, item: QListWidgetItem) -> None:
        segment = item.data(_SEGMENT)
        if segment:
            self.segmentChosen.emit(segment)
