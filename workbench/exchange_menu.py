"""File ▸ Export, Import REFI-QDA project and Merge a coder's copy: the study's doors.

What `ipr-workbench report`, `segments --csv/--xlsx`, `export`, `import-qdpx` and
`merge` do, from the app. Each is one call into `exports`/`coding`, run by the
worker (progress, Cancel, refusals as error dialogs); the core does the work and
the checks. After an export the status bar offers to open the file.

Imports and merges change the open study through its events, so the document
tree, codebook counts and open transcripts refresh themselves. A merge is one
transaction but not an undoable action: the core backs the study up first, and
the undo history is cleared once something came in, because its codebook steps
would restore snapshots taken before the merge.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape
from pathlib import Path
from textwrap import shorten
from typing import TYPE_CHECKING

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QLabel, QMenu, QMessageBox

from coding.backup import backup_folder
from coding.merge import MergeReport, merge_study
from coding.segments import SegmentRow
from coding.study import Study
from exports.refi.project_export import export_qdpx
from exports.refi.project_import import import_qdpx_into
from exports.tables import write_segments_csv, write_segments_xlsx
from exports.word_report import write_report
from transcripts.progress import Progress, report
from workbench.exchange_results import ExchangeResults
from workbench.menu_actions import add_action
from workbench.report_dialog import ReportOptionsDialog
from workbench.study_session import StudySession
from workbench.worker import run_with_progress

if TYPE_CHECKING:
    from workbench.main_window import MainWindow

TableWriter = Callable[[Sequence[SegmentRow], Path], Path]
# kind → (what the user calls it, file filter, writer)
_TABLES: dict[str, tuple[str, str, TableWriter]] = {
    "csv": ("CSV", "CSV files (*.csv)", write_segments_csv),
    "xlsx": ("an Excel workbook", "Excel workbooks (*.xlsx)", write_segments_xlsx),
}
_QDPX_FILTER = "REFI-QDA projects (*.qdpx)"
_CUT = " …"  # where a long quote is cut


class ExchangeMenu:
    """Adds its actions to the window's File menu; enabled as the open study allows."""

    def __init__(self, window: MainWindow, file: QMenu) -> None:
        self.window = window
        self.import_action = add_action(file, "Import REFI-QDA &project (.qdpx)…",
                                        self.import_project)
        self.merge_action = add_action(file, "&Merge a coder's copy…", self.merge_copy)
        self.export_menu = file.addMenu("&Export")
        self.report_action = add_action(self.export_menu, "&Word theme report…",
                                        self.export_report, "Ctrl+Shift+E")
        self.csv_action = add_action(self.export_menu, "Segments as &CSV…",
                                     lambda: self.export_segments("csv"))
        self.xlsx_action = add_action(self.export_menu, "Segments as &Excel workbook…",
                                      lambda: self.export_segments("xlsx"))
        self.export_menu.addSeparator()
        self.qdpx_action = add_action(self.export_menu, "&REFI-QDA project (.qdpx)…",
                                      self.export_project)
        self.open_link = QLabel(window)
        self.open_link.linkActivated.connect(self._open_exported)
        self.open_link.hide()
        window.statusBar().addPermanentWidget(self.open_link)
        self.results: ExchangeResults | None = None

    def set_session(self, session: StudySession | None) -> None:
        self.export_menu.setEnabled(session is not None)
        for action in (self.report_action, self.csv_action, self.xlsx_action, self.qdpx_action):
            action.setEnabled(session is not None)
        writable = session is not None and session.study.writable
        self.import_action.setEnabled(writable)
        self.merge_action.setEnabled(writable)
        self.open_link.hide()
        self._close_results()

    @property
    def _study(self) -> Study:
        return self.window.session.study

    # -- exports ----------------------------------------------------------------------------

    def export_report(self) -> None:
        """Choose layer, themes and agreement, then where to save; written with progress."""
        dialog = ReportOptionsDialog(self._study, self.window)
        accepted, options = dialog.exec(), dialog.options()
        dialog.deleteLater()
        if not accepted:
            return
        path = self._save_path("Save the Word theme report", "theme report.docx",
                               "Word documents (*.docx)")
        if path is not None and run_with_progress(
            self.window, "Writing the Word theme report", write_report, self._study, path,
            **options,
        ):
            self._exported(path, f"Wrote the theme report {path}.")

    def export_segments(self, kind: str) -> None:
        """Every coded segment, one row each, for R, SPSS or Excel."""
        name, file_filter, writer = _TABLES[kind]
        path = self._save_path(f"Export segments as {name}", f"segments.{kind}", file_filter)
        if path is None:
            return
        count = run_with_progress(self.window, f"Exporting segments as {name}",
                                  _write_segments, self._study, writer, path)
        if count is not None:
            self._exported(path, f"Wrote {count:,} segments to {path}.")

    def export_project(self) -> None:
        path = self._save_path("Export a REFI-QDA project", "project.qdpx", _QDPX_FILTER)
        if path is None:
            return
        summary = run_with_progress(self.window, "Exporting a REFI-QDA project", export_qdpx,
                                    self._study, path)
        if summary is not None:
            self.window.show_notice(" ".join([
                f"Wrote {path}: {summary.documents} documents, {summary.codes} codes, "
                f"{summary.coders} coders, {summary.segments} segments, {summary.memos} memos.",
                *(f"{line[0].upper()}{line[1:]}." for line in summary.left_out())]))

    # -- bringing things in -------------------------------------------------------------------

    def import_project(self) -> None:
        """A project from NVivo, ATLAS.ti, MAXQDA, QualCoder… merged into the open study."""
        title = "Import a REFI-QDA project"
        path = self._open_path(title, _QDPX_FILTER)
        if path is None or not self._confirm(
                title, f"Import the REFI-QDA project {path.name} into this study?"):
            return
        result = run_with_progress(self.window, title, import_qdpx_into, self._study, path)
        if result is not None:
            self._merged(title, f"Imported {path.name} into {self._study.path.name}",
                         result.merge, result.warnings)

    def merge_copy(self) -> None:
        """Bring in what another coder did in their own copy of this study."""
        from workbench.main_window import STUDY_FILTER  # (main_window imports this module)

        title = "Merge a coder's copy"
        path = self._open_path(title, STUDY_FILTER)
        if path is None or not self._confirm(title, f"Merge {path.name} into this study?"):
            return
        merge = run_with_progress(self.window, title, merge_study, self._study, path)
        if merge is not None:
            self._merged(title, f"Merged {path.name} into {self._study.path.name}", merge)

    def _confirm(self, title: str, question: str) -> bool:
        answer = QMessageBox.question(
            self.window, title,
            f"{question}\n\nCoders, codes, documents and segments are matched by their IDs, "
            "never by name; where both have changed the same thing, this study keeps its "
            "version and the conflict is listed afterwards.\n\nEdit ▸ Undo cannot take this "
            "back, nor anything done before it. A backup of the study is saved first, in "
            f"{backup_folder(self._study.path)}.",
        )
        return answer == QMessageBox.StandardButton.Yes

    def _merged(self, title: str, headline: str, merge: MergeReport,
                warnings: Sequence[str] = ()) -> None:
        if merge.added:
            self.window.session.history.clear()
        self.window.show_notice(merge.summary())
        self._close_results()
        self.results = ExchangeResults(
            title, headline, merge, warnings,
            f"The study as it was before is saved in {backup_folder(self._study.path)}.",
            _segment_places(self._study, merge), self.window,
        )
        self.results.segmentChosen.connect(self._show_segment)
        self.results.show()

    def _show_segment(self, uuid: str) -> None:
        segment = self.window.session.attempt(self._study.segments.find, uuid)
        if segment is not None:
            self.window.show_place(segment.document_id, segment.start, segment.end)

    def _close_results(self) -> None:
        if self.results is not None:
            self.results.close()
            self.results.deleteLater()
            self.results = None

    # -- files ----------------------------------------------------------------------------

    def _save_path(self, caption: str, name: str, file_filter: str) -> Path | None:
        """Where to write, beside the study by default, with the file type's extension."""
        suffix = Path(name).suffix
        start = self._study.path.parent / f"{self._study.path.stem} {name}"
        chosen, _ = QFileDialog.getSaveFileName(self.window, caption, str(start), file_filter)
        if not chosen:
            return None
        path = Path(chosen)
        return path if path.suffix.lower() == suffix else path.with_name(path.name + suffix)

    def _open_path(self, caption: str, file_filter: str) -> Path | None:
        chosen, _ = QFileDialog.getOpenFileName(
            self.window, caption, str(self._study.path.parent), file_filter)
        return Path(chosen) if chosen else None

    def _exported(self, path: Path, message: str) -> None:
        """Say where the file went, and offer to open it from the status bar."""
        self.window.show_notice(message)
        url = QUrl.fromLocalFile(str(path)).toString()
        self.open_link.setText(f'<a href="{escape(url)}">Open {escape(path.name)}</a>')
        self.open_link.setToolTip(str(path))
        self.open_link.show()

    def _open_exported(self, url: str) -> None:
        self.open_link.hide()
        if not QDesktopServices.openUrl(QUrl(url)):
            self.window.show_notice(f"No program here opens {QUrl(url).fileName()}.")


def _segment_places(study: Study, merge: MergeReport) -> dict[str, str]:
    """Segments in conflict as a researcher knows them: document, coder, code and words."""
    wanted = {conflict.uuid for conflict in merge.conflicts if conflict.kind == "segment"}
    if not wanted:
        return {}
    return {
        row.id: f"{row.document}, {row.coder}, {row.code}: "
                f"“{shorten(row.text, 80, placeholder=_CUT)}”"
        for row in study.segments.rows() if row.id in wanted
    }


def _write_segments(study: Study, writer: TableWriter, path: Path,
                    progress: Progress | None = None) -> int:
    """Read every segment and write the table; the number of rows written."""
    report(progress, 0.0, "reading coded segments")
    rows = study.segments.rows()
    report(progress, 0.4, f"writing {len(rows):,} segments")
    writer(rows, path)
    return len(rows)
