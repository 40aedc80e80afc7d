"""Find across the study (lemma-aware, through `coding.search`); a result jumps to its place."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QAbstractTextDocumentLayout, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from coding.search import SearchHit, search
from workbench.study_session import StudySession

LIMIT = 500
HIT = Qt.ItemDataRole.UserRole + 1


def snippet_html(hit: SearchHit) -> str:
    """The snippet with the matched word in bold."""
    start, end = hit.snippet_match
    text = hit.snippet
    return escape(text[:start]) + "<b>" + escape(text[start:end]) + "</b>" + escape(text[end:])


class _RichTextDelegate(QStyledItemDelegate):
    """Draws a cell's HTML (the snippet with its bold match) in the palette's colours."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        options = QStyleOptionViewItem(option)
        self.initStyleOption(options, index)
        document = QTextDocument()
        document.setDocumentMargin(2)
        document.setHtml(options.text)
        options.text = ""
        style = options.widget.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, options, painter, options.widget)
        context = QAbstractTextDocumentLayout.PaintContext()
        selected = options.state & QStyle.StateFlag.State_Selected
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        context.palette.setColor(QPalette.ColorRole.Text, options.palette.color(role))
        area = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, options, options.widget)
        painter.save()
        painter.translate(area.topLeft())
        painter.setClipRect(QRectF(0, 0, area.width(), area.height()))
        document.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem,  # noqa: N802 (Qt's name)
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(size.width(), max(size.height(), option.fontMetrics.height() + 6))


class SearchPanel(QWidget):
    resultActivated = Signal(int, int, int)  # document id, start, end (code points)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session: StudySession | None = None
        self.field = QLineEdit(self)
        self.field.setPlaceholderText("Find in the study — words and their forms "
                                      "(scared finds scare, scaring)…")
        self.field.setClearButtonEnabled(True)
        self.field.returnPressed.connect(self.run_search)
        self.field.textChanged.connect(lambda text: text.strip() or self._clear())
        self.status = QLabel(self)
        self.results = QTreeWidget(self)
        self.results.setHeaderLabels(["Document", "Speaker", "Text"])
        self.results.setRootIsDecorated(False)
        self.results.setUniformRowHeights(True)
        self.results.setAlternatingRowColors(True)
        self.results.setItemDelegateForColumn(2, _RichTextDelegate(self.results))
        self.results.setColumnWidth(0, 190)
        self.results.setColumnWidth(1, 90)
        self.results.itemActivated.connect(self._activate)
        top = QHBoxLayout()
        top.addWidget(self.field, 1)
        top.addWidget(self.status)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.results)

    def set_session(self, session: StudySession | None) -> None:
        self.session = session
        self._clear()
        self.setEnabled(session is not None)

    def _clear(self) -> None:
        self.results.clear()
        self.status.clear()

    def focus_search(self) -> None:
        self.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.field.selectAll()

    def run_search(self) -> None:
        if self.session is None or not self.field.text().strip():
            return
        hits = self.session.attempt(search, self.session.study, self.field.text(), LIMIT)
        self.results.clear()
        if hits is None:
            return
        for hit in hits:
            item = QTreeWidgetItem([hit.document, hit.speaker or "", snippet_html(hit)])
            item.setData(0, HIT, hit)
            item.setToolTip(2, hit.snippet)
            self.results.addTopLevelItem(item)
        more = " (the first ones)" if len(hits) == LIMIT else ""
        plural = "" if len(hits) == 1 else "s"
        self.status.setText(f"{len(hits)} turn{plural}{more}" if hits else "No matches")
        if hits:
            self.results.setCurrentItem(self.results.topLevelItem(0))

    def _activate(self, item: QTreeWidgetItem) -> None:
        hit: SearchHit = item.data(0, HIT)
        self.resultActivated.emit(hit.document_id, hit.match_start, hit.match_end)
