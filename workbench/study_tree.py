"""The study's documents, grouped dyad → session → perspective, rebuilt when they change."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QFont, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QTreeView, QWidget

from coding.documents import DocumentInfo, default_name
from transcripts.timestamps import clock
from workbench.study_session import StudySession

DOCUMENT_ID = Qt.ItemDataRole.UserRole + 1
PERSPECTIVE_LABELS = {
    "session": "Session transcript",
    "client-recall": "Client recall",
    "therapist-recall": "Therapist recall",
    "other": "Other",
}


def document_tooltip(doc: DocumentInfo) -> str:
    facts = [doc.name, f"{doc.format}, {doc.chars:,} characters, {doc.utterances} turns"]
    if doc.stops:
        facts.append(f"{doc.stops} recall stops")
    if doc.start is not None:
        ends = [doc.start] if doc.end is None else [doc.start, doc.end]
        facts.append("–".join(map(clock, ends)))
    speakers = ", ".join(f"{label} ({role or '?'})" for label, role in doc.speakers.items())
    if speakers:
        facts.append(f"speakers: {speakers}")
    return "\n".join(facts)


class StudyTree(QTreeView):
    documentActivated = Signal(int)  # document id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session: StudySession | None = None
        self._model = QStandardItemModel(self)
        self.setModel(self._model)
        self.setHeaderHidden(True)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.activated.connect(self._on_activated)

    def set_session(self, session: StudySession | None) -> None:
        self.session = session
        if session is not None:
            session.documentsChanged.connect(self.rebuild)
        self.rebuild()

    def rebuild(self) -> None:
        self._model.clear()
        if self.session is None:
            return
        groups: dict[tuple, QStandardItem] = {}
        root = self._model.invisibleRootItem()
        for doc in self.session.study.documents.list():
            dyad = groups.get((doc.dyad,))
            if dyad is None:
                dyad = groups[(doc.dyad,)] = _group(root, f"Dyad {doc.dyad}", bold=True)
            session = groups.get((doc.dyad, doc.session))
            if session is None:
                session = groups[(doc.dyad, doc.session)] = _group(dyad, f"Session {doc.session}")
            label = PERSPECTIVE_LABELS.get(doc.perspective, doc.perspective)
            if doc.name != default_name(doc.dyad, doc.session, doc.perspective):
                label = f"{label} — {doc.name}"
            item = QStandardItem(label)
            item.setData(doc.id, DOCUMENT_ID)
            item.setToolTip(document_tooltip(doc))
            item.setEditable(False)
            session.appendRow(item)
        self.expandAll()

    def select_document(self, document_id: int) -> None:
        found = self._model.match(
            self._model.index(0, 0), DOCUMENT_ID, document_id, 1,
            Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive,
        )
        if found:
            self.setCurrentIndex(found[0])

    def _on_activated(self, index: QModelIndex) -> None:
        document_id = index.data(DOCUMENT_ID)
        if document_id is not None:
            self.documentActivated.emit(document_id)


def _group(parent: QStandardItem, text: str, *, bold: bool = False) -> QStandardItem:
    item = QStandardItem(text)
    item.setEditable(False)
    item.setSelectable(False)
    if bold:
        font = QFont(item.font())
        font.setBold(True)
        item.setFont(font)
    parent.appendRow(item)
    return item
