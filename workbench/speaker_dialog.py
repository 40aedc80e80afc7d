"""Edit ▸ Speaker roles: who each speaker label is, across every transcript of the study.

Import guesses roles from labels (T → therapist, C → client …) and the import
dialog can declare more, but a label such as "Dr. Lind" in a transcript already
imported needs its role set afterwards: that is this dialog. The core applies a
change to every utterance with that label, and remembers it for later imports.
"""

from __future__ import annotations

from collections import Counter

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from coding.study import Study
from transcripts.model import ROLES

_UNKNOWN = "(unknown)"


class SpeakerRolesDialog(QDialog):
    def __init__(self, study: Study, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Speaker roles")
        self._shown = speaker_roles(study)
        self.table = QTableWidget(len(self._shown), 3, self)
        self.table.setHorizontalHeaderLabels(["Speaker label", "Role", "Transcripts"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.boxes: dict[str, QComboBox] = {}
        for row, (label, (role, count)) in enumerate(self._shown.items()):
            self.table.setItem(row, 0, QTableWidgetItem(label))
            box = QComboBox(self.table)
            box.addItems([_UNKNOWN, *ROLES])
            box.setCurrentText(role or _UNKNOWN)
            self.table.setCellWidget(row, 1, box)
            self.table.setItem(row, 2, QTableWidgetItem(str(count)))
            self.boxes[label] = box
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        note = QLabel("A role set here applies to that label in every transcript of the "
                      "study, and to transcripts imported later.", self)
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(460, 360)

    def changes(self) -> dict[str, str]:
        """{label: role} for the labels whose role was changed (to a known role)."""
        return {
            label: box.currentText() for label, box in self.boxes.items()
            if box.currentText() != (self._shown[label][0] or _UNKNOWN)
            and box.currentText() != _UNKNOWN
        }


def speaker_roles(study: Study) -> dict[str, tuple[str | None, int]]:
    """Every speaker label of the study (first spelling, case ignored) with its most
    common role and the number of transcripts using it."""
    roles: dict[str, Counter[str | None]] = {}
    spelling: dict[str, str] = {}
    for doc in study.documents.list():
        for label, role in doc.speakers.items():
            key = label.casefold()
            spelling.setdefault(key, label)
            roles.setdefault(key, Counter())[role] += 1
    return {
        spelling[key]: (counted.most_common(1)[0][0], sum(counted.values()))
        for key, counted in sorted(roles.items())
    }
