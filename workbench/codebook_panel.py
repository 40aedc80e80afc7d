"""The codebook dock: the tree of themes and codes, their definitions, and every edit of it.

Each edit is a history action (add, rename, recolour, shortcut, definition,
move, merge), so Ctrl+Z undoes it like coding does. Counts of segments come
from the core and are refreshed shortly after segments change.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QColor, QKeySequence
from PySide6.QtWidgets import (
    QColorDialog,
    QFileDialog,
    QHeaderView,
    QInputDialog,
    QMenu,
    QMessageBox,
    QSplitter,
    QTextBrowser,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from coding.codebook import Code
from coding.history import AddCode, EditCode, MergeCodes, MoveCode, delete_code, import_codebook
from exports.codebook_files import read_codebook_file, write_codebook_file
from workbench.code_dialogs import DefinitionDialog, ShortcutDialog, keys_in_use
from workbench.codebook_model import CodebookModel, CodeTree, definition_html
from workbench.study_session import StudySession
from workbench.transcript_view import SelectionMime

_EXPORT_FILTERS = {  # file type offered → the extension it writes
    "REFI-QDA codebook (*.qdc)": ".qdc", "CSV (*.csv)": ".csv", "Word document (*.docx)": ".docx",
}
_SHOWN_REPAIRS = 10  # warnings listed in the import message; the rest behind Show Details


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


class CodebookPanel(QWidget):
    applyRequested = Signal(object)  # Code: code the current transcript selection
    notice = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session: StudySession | None = None
        self.model = CodebookModel(self)
        self.tree = CodeTree(self)
        self.tree.setModel(self.model)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.setToolTip(
            "Double-click a code (or drag a selection onto it) to code the selected text.\n"
            "Drag codes to move them; hold Shift while dropping to merge."
        )
        self.detail = QTextBrowser(self)
        self.detail.setOpenLinks(False)
        self._refresh_counts = QTimer(self, singleShot=True, interval=150)
        self._refresh_counts.timeout.connect(self.rebuild)

        self.actions_ = self._make_actions()
        toolbar = QToolBar(self)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for name in ("apply", "add", "add_theme"):
            toolbar.addAction(self.actions_[name])
        more = QToolButton(self)
        more.setText("More")
        more.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        more.setMenu(self._edit_menu(QMenu(self)))
        toolbar.addWidget(more)

        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.tree)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(toolbar)
        layout.addWidget(splitter)

        self.tree.activated.connect(self._on_activated)
        self.tree.selectionModel().currentChanged.connect(self._show_current)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(
            lambda pos: self._edit_menu(QMenu(self)).exec(self.tree.viewport().mapToGlobal(pos))
        )
        self.tree.selectionDropped.connect(self._code_dropped_selection)
        self.tree.moveRequested.connect(self._move)
        self.tree.mergeRequested.connect(self._merge)
        self.set_session(None)

    # -- wiring ----------------------------------------------------------------------------

    def set_session(self, session: StudySession | None) -> None:
        self.session = session
        if session is not None:
            session.codebookChanged.connect(self.rebuild)
            session.segmentsChanged.connect(self._refresh_counts.start)
            session.coderChanged.connect(self._refresh_counts.start)
        self.rebuild()
        writable = session is not None and session.study.writable
        for name, action in self.actions_.items():  # read-only: look, apply (says why), export
            action.setEnabled(session is not None if name in ("apply", "export") else writable)

    def current_code(self) -> Code | None:
        code_id = self.tree.code_id_at(self.tree.currentIndex())
        if self.session is None or code_id is None:
            return None
        return self.session.study.codebook.load().by_id.get(code_id)

    def select_code(self, code_id: int) -> None:
        index = self.model.index_of(code_id)
        self.tree.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )

    def rebuild(self) -> None:
        """Show the codebook as stored now, keeping the current code selected."""
        current = self.tree.code_id_at(self.tree.currentIndex())
        if self.session is None:
            self.model.removeRows(0, self.model.rowCount())
            self.detail.clear()
            return
        study = self.session.study
        book = study.codebook.load()
        everyone: dict[int, int] = {}
        mine: dict[int, int] = {}
        me = self.session.coder.id if self.session.coder else None
        for (code_id, coder_id), count in study.segments.counts().items():
            everyone[code_id] = everyone.get(code_id, 0) + count
            if coder_id == me:
                mine[code_id] = count
        self.model.rebuild(book, mine, everyone)
        self.tree.expandAll()
        if current is not None and current in book.by_id:
            self.select_code(current)
        self._show_current()

    def _show_current(self) -> None:
        code = self.current_code()
        self.actions_["codable"].setChecked(code is not None and code.codable)
        self.detail.setHtml(definition_html(code) if code else
                            "<p><i>Select a code to see its definition.</i></p>")

    # -- actions ---------------------------------------------------------------------------

    def _make_actions(self) -> dict[str, QAction]:
        specs = {
            "apply": ("Apply", "Code the selected text with this code", self._apply_current),
            "add": ("+ Code", "Add a code under the selected theme", self._add_code),
            "add_theme": ("+ Theme", "Add a theme at the top level", self._add_theme),
            "rename": ("Rename…", "Rename the selected code", self._rename),
            "color": ("Colour…", "Change the selected code's colour", self._recolour),
            "shortcut": ("Shortcut key…", "Set the key that applies this code", self._shortcut),
            "definition": ("Definition…", "Edit definition, criteria and example",
                           self._define),
            "codable": ("Can be applied", "Whether coders apply this code to text, or it is "
                        "a theme that only groups codes", self._toggle_codable),
            "merge": ("Merge into…", "Fold this code into another one", self._merge_into),
            "delete": ("Delete", "Delete the selected code (only when nothing is coded with it)",
                       self._delete),
            "import": ("Import codebook…", "Add or update codes from a .csv or .qdc file",
                       self._import),
            "export": ("Export codebook…", "Write the codebook as .csv, .qdc or .docx",
                       self._export),
        }
        keys = {"add": "Ins", "rename": "F2", "delete": QKeySequence.StandardKey.Delete}
        made = {}
        for name, (text, tip, slot) in specs.items():
            action = QAction(text, self, checkable=name == "codable")
            action.setToolTip(tip)
            action.triggered.connect(slot)
            if name in keys:  # while the codebook has the keyboard
                action.setShortcut(QKeySequence(keys[name]))
                action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                self.addAction(action)
            made[name] = action
        return made

    def _edit_menu(self, menu: QMenu) -> QMenu:
        for names in (("apply",), ("add", "add_theme", "rename", "color", "shortcut",
                                   "definition", "codable", "merge", "delete"),
                      ("import", "export")):
            for name in names:
                menu.addAction(self.actions_[name])
            menu.addSeparator()
        return menu

    def _on_activated(self) -> None:
        code = self.current_code()
        if code is not None and code.codable:
            self.applyRequested.emit(code)

    def _apply_current(self) -> None:
        code = self.current_code()
        if code is None or not code.codable:
            self.notice.emit("Choose a code (not a theme) to apply.")
        else:
            self.applyRequested.emit(code)

    def _code_dropped_selection(self, code_id: int, selection: SelectionMime) -> None:
        selection.code_with(self.session.study.codebook.load().by_id[code_id])

    def _add_code(self) -> None:
        code = self.current_code()
        book = self.session.study.codebook.load()
        parent = code if code is not None and not code.codable else (
            book.by_id.get(code.parent_id) if code is not None and code.parent_id else None
        )
        label = f"Name of the new code{f' in {parent.name}' if parent else ''}:"
        self._ask_name("Add code", label, "", lambda name: self._add(AddCode(name, parent)))

    def _add_theme(self) -> None:
        self._ask_name("Add theme", "Name of the new theme:", "",
                       lambda name: self._add(AddCode(name, None, {"codable": False})))

    def _add(self, action: AddCode) -> bool:
        if not self.session.do(action):
            return False
        self.select_code(action.code.id)
        return True

    def _rename(self) -> None:
        code = self.current_code()
        if code is None:
            return
        self._ask_name("Rename code", "New name:", code.name, lambda name: name == code.name
                       or self.session.do(EditCode(code, {"name": name},
                                                   label=f"Rename {code.name}")))

    def _ask_name(self, title: str, label: str, text: str, use: Callable[[str], bool]) -> None:
        """Ask for a name until `use` takes it or the user cancels: a refused name (a
        sibling has it) comes back to be corrected, not typed again."""
        while True:
            text, ok = QInputDialog.getText(self, title, label, text=text)
            if not ok or not text.strip() or use(text.strip()):
                return

    def _recolour(self) -> None:
        code = self.current_code()
        if code is None:
            return
        color = QColorDialog.getColor(QColor(code.color), self, f"Colour of {code.name}")
        if color.isValid() and color.name().upper() != code.color.upper():
            self.session.do(
                EditCode(code, {"color": color.name().upper()}, label=f"Recolour {code.name}")
            )

    def _shortcut(self) -> None:
        code = self.current_code()
        if code is None:
            return
        dialog = ShortcutDialog(code, self, taken=keys_in_use(self.window()))
        if dialog.exec() and dialog.shortcut() != code.shortcut:
            self.session.do(EditCode(code, {"shortcut": dialog.shortcut()},
                                     label=f"Set shortcut of {code.name}"))

    def _define(self) -> None:
        code = self.current_code()
        if code is None:
            return
        dialog = DefinitionDialog(code, self)
        if dialog.exec() and dialog.changes():
            self.session.do(EditCode(code, dialog.changes(), label=f"Define {code.name}"))

    def _toggle_codable(self) -> None:
        """Make a code a theme or back (NVivo and others let parents hold codings too)."""
        code = self.current_code()
        if code is None:
            self._show_current()
            return
        change = "Make {} applicable" if not code.codable else "Make {} a theme"
        if not self.session.do(EditCode(code, {"codable": not code.codable},
                                        label=change.format(code.name))):
            self._show_current()  # refused (it holds segments): the tick goes back

    def _move(self, code_id: int, parent_id: int | None, position: int) -> None:
        book = self.session.study.codebook.load()
        code, parent = book.by_id[code_id], book.by_id.get(parent_id)
        if position >= 0 and code.parent_id == parent_id and code.position < position:
            position -= 1  # the code leaves its old place among the same siblings
        if (parent_id, position) == (code.parent_id, code.position):
            return
        self.session.do(MoveCode(code, parent, None if position < 0 else position,
                                 label=f"Move {code.name}"))

    def _merge_into(self) -> None:
        code = self.current_code()
        if code is None:
            return
        book = self.session.study.codebook.load()
        inside = {c.id for c in book.descendants(code)}
        targets = [c.path for c in book.walk() if c.id not in inside]
        path, ok = QInputDialog.getItem(
            self, f"Merge {code.name}", f"Merge {code.path!r} into:", targets, 0, False
        )
        if ok:
            self._merge(code.id, book.by_path[path].id)

    def _merge(self, source_id: int, target_id: int) -> None:
        book = self.session.study.codebook.load()
        source, target = book.by_id[source_id], book.by_id[target_id]
        answer = QMessageBox.question(
            self, "Merge codes",
            f"Merge {source.path!r} into {target.path!r}?\n\nIts segments are recoded and its "
            "codes move under the target. Edit ▸ Undo brings it back.",
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.session.do(MergeCodes(source, target, label=f"Merge {source.name}"))

    def _import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Import codebook", str(self.session.study.path.parent),
            "Codebooks (*.csv *.qdc)",
        )
        if not path:
            return
        warnings: list[str] = []
        specs = self.session.attempt(read_codebook_file, Path(path), warnings.append)
        if specs is None:
            return
        action = import_codebook(specs)
        if not self.session.do(action):
            return
        done = (f"Imported {Path(path).name}: {action.result.added} codes added, "
                f"{action.result.updated} updated")
        self.notice.emit(f"{done}; {_count(len(warnings), 'warning')}." if warnings
                         else f"{done}.")
        if warnings:
            self._show_repairs(done, warnings)

    def _show_repairs(self, done: str, warnings: list[str]) -> None:
        """What the file needed mended (twin names renumbered …), as the CLI's warning lines."""
        box = QMessageBox(QMessageBox.Icon.Warning, "Import codebook", f"{done}.",
                          QMessageBox.StandardButton.Ok, self)
        shown = warnings[:_SHOWN_REPAIRS]
        more = len(warnings) - len(shown)
        box.setInformativeText(
            f"{_count(len(warnings), 'thing')} in the file had to be changed on the way in:\n\n"
            + "\n".join(f"• {line}" for line in shown)
            + (f"\n\n… and {more} more (Show Details… lists them all)." if more else "")
        )
        if more:
            box.setDetailedText("\n".join(warnings))
        box.exec()

    def _delete(self) -> None:
        code = self.current_code()
        if code is not None:
            self.session.do(delete_code(code))

    def _export(self) -> None:
        study = self.session.study.path
        chosen, chosen_filter = QFileDialog.getSaveFileName(
            self, "Export codebook", str(study.parent / f"{study.stem} codebook.qdc"),
            ";;".join(_EXPORT_FILTERS),
        )
        if not chosen:
            return
        path = Path(chosen)
        if path.suffix.lower() not in _EXPORT_FILTERS.values():  # "mybook" typed, CSV chosen
            path = path.with_name(path.name + _EXPORT_FILTERS.get(chosen_filter, ".qdc"))
        book = self.session.study.codebook.load()
        if self.session.attempt(write_codebook_file, book, path) is not None:
            self.notice.emit(f"Wrote {path}")
