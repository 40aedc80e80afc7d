"""File ▸ Export, Import REFI-QDA project and Merge a coder's copy, driven through the menus.

File dialogs are patched to hand back paths; message boxes are recorded
(`gui_support.Dialogs`). The work itself runs in the worker thread as it does
for a user.
"""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import docx
import pandas as pd
import pytest
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QFileDialog, QProgressDialog, QPushButton

from coding.backup import list_backups
from coding.segments import SegmentRow
from coding.study import Study
from tests.workbench.gui_support import Dialogs, open_window, sample_study
from tests.workbench.screenshots import save_shots
from workbench import exchange_menu
from workbench.report_dialog import ReportOptionsDialog

SAFETY = "Safety/Growing sense of safety"


def save_to(monkeypatch, path: Path) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), ""))


def open_from(monkeypatch, path: Path) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))


def accept_report_options(monkeypatch, **choices) -> list[dict]:
    """Accept the report options dialog after ticking as `choices` say (themes, unit);
    the options it gave, each time."""
    given: list[dict] = []

    def accept(dialog: ReportOptionsDialog) -> int:
        if "themes" in choices:
            dialog.themes.set_checked(choices["themes"])
        if "unit" in choices:
            dialog.unit.setCurrentText(choices["unit"])
        given.append(dialog.options())
        return 1

    monkeypatch.setattr(ReportOptionsDialog, "exec", accept)
    return given


def headings(path: Path) -> list[str]:
    return [p.text for p in docx.Document(str(path)).paragraphs
            if p.style.name.startswith("Heading")]


def rows_of(study: Study) -> list[dict]:
    return sorted((row.to_json() for row in study.segments.rows()), key=lambda r: r["id"])


def codebook_counts(window, path: str) -> tuple[str, str]:
    """(mine, everyone) as the codebook panel shows them for a code."""
    code = window.session.study.codebook.find(path)
    index = window.codebook.model.index_of(code.id)
    model = index.model()
    return tuple(model.index(index.row(), column, index.parent()).data() for column in (2, 3))


# -- the Word report ------------------------------------------------------------------------


def test_the_word_report_is_written_with_the_chosen_themes_and_offered_to_open(
        qtbot, tmp_path, monkeypatch):
    window = open_window(qtbot, tmp_path)
    exchange = window.menus.exchange
    given = accept_report_options(monkeypatch, themes=["Safety", "Going all in"],
                                  unit="utterance")
    save_to(monkeypatch, tmp_path / "out" / "pilot report")  # no extension typed
    (tmp_path / "out").mkdir()
    exchange.report_action.trigger()

    written = tmp_path / "out" / "pilot report.docx"
    assert given == [{"all_coders": True, "themes": ["Safety", "Going all in"],
                                  "unit": "utterance", "agreement_coders": None}]
    found = headings(written)
    assert found[:2] == ["Codebook", "Safety"]
    assert {"Themes and codes", "Going all in", "Growing sense of safety",
            "Inter-coder agreement"} <= set(found)
    assert "Rupture and repair" not in found
    assert str(written) in window.statusBar().currentMessage()

    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    assert exchange.open_link.isVisible() and "Open pilot report.docx" in exchange.open_link.text()
    href = exchange.open_link.text().split('"')[1]
    exchange.open_link.linkActivated.emit(href)
    assert [url.toLocalFile() for url in opened] == [str(written)]
    assert not exchange.open_link.isVisible()


def test_report_options_follow_the_study_layers(qtbot, tmp_path, monkeypatch):
    window = open_window(qtbot, tmp_path)
    study = window.session.study
    dialog = ReportOptionsDialog(study, window)
    qtbot.addWidget(dialog)
    layers = [dialog.layer.itemText(n) for n in range(dialog.layer.count())]
    assert layers == ["All coders (Alex, Sam)", "Coder Alex only", "Coder Sam only"]
    assert dialog.options() == {"all_coders": True, "themes": None, "unit": "sentence",
                                "agreement_coders": None}
    dialog.layer.setCurrentIndex(2)
    dialog.agreement_coders.set_checked(["Alex"])
    assert dialog.options()["coder"] == "Sam" and dialog.options()["agreement_coders"] == ["Alex"]
    assert "fewer than two coders" in dialog.hint.text()
    dialog.themes.set_checked([])
    assert not dialog.buttons.button(dialog.buttons.StandardButton.Ok).isEnabled()
    assert dialog.hint.text() == "Tick at least one theme."

    # Once a consensus layer has segments it is the default, and all coders stays a choice.
    segment = study.segments.rows(coder="Alex")[0]
    document = study.documents.find(segment.document)
    study.segments.add(document.id, segment.start, segment.end,
                       study.codebook.find(segment.code), study.coders.consensus())
    again = ReportOptionsDialog(study, window)
    qtbot.addWidget(again)
    assert again.layer.currentText() == "The consensus layer (Consensus)"
    assert again.options()["consensus"] is True
    assert again.layer.itemText(1) == "All coders (Alex, Sam)"
    assert [again.agreement_coders.item(n).text() for n in range(again.agreement_coders.count())
            ] == ["Alex", "Sam"]
    again.resize(520, again.sizeHint().height())
    again.show()
    qtbot.waitExposed(again)
    save_shots(qtbot, again, "report-options", tmp_path)


def test_cancelling_the_report_leaves_no_file(qtbot, tmp_path, monkeypatch):
    """Cancel pressed while the report is being laid out: the worker stops, nothing is kept."""
    window = open_window(qtbot, tmp_path)
    accept_report_options(monkeypatch)
    target = tmp_path / "out" / "report.docx"
    target.parent.mkdir()
    save_to(monkeypatch, target)
    clicked = threading.Event()
    real_report = exchange_menu.write_report

    def held_report(*args, progress, **kwargs):
        def held(fraction, message):
            progress(fraction, message)  # raises Cancelled once the user has cancelled
            if fraction >= 0.7 and not clicked.is_set():
                assert clicked.wait(10), "the Cancel button was never clicked"
        return real_report(*args, progress=held, **kwargs)

    original = QProgressDialog.setValue

    def click_cancel_late(dialog, value):
        original(dialog, value)
        if value >= 700 and not clicked.is_set():
            dialog.findChild(QPushButton).click()  # the Cancel button
            clicked.set()

    monkeypatch.setattr(exchange_menu, "write_report", held_report)
    monkeypatch.setattr(QProgressDialog, "setValue", click_cancel_late)
    dialogs = Dialogs(monkeypatch)
    window.menus.exchange.report_action.trigger()
    assert clicked.is_set()
    assert list(target.parent.iterdir()) == []
    assert dialogs.shown == [] and not window.menus.exchange.open_link.isVisible()


# -- segments as tables ------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_segments_export_one_row_per_segment(qtbot, tmp_path, monkeypatch, kind):
    window = open_window(qtbot, tmp_path)
    exchange = window.menus.exchange
    save_to(monkeypatch, tmp_path / f"all.{kind.upper()}")  # the typed extension is kept
    (exchange.csv_action if kind == "csv" else exchange.xlsx_action).trigger()
    path = tmp_path / f"all.{kind.upper()}"
    frame = pd.read_csv(path, encoding="utf-8-sig") if kind == "csv" else pd.read_excel(path)
    rows = window.session.study.segments.rows()
    assert list(frame.columns) == list(SegmentRow.FIELDS)
    assert len(frame) == len(rows) > 200
    assert sorted(frame["id"]) == sorted(row.id for row in rows)
    assert f"Wrote {len(rows)} segments" in window.statusBar().currentMessage()


# -- REFI-QDA ----------------------------------------------------------------------------------


def test_a_qdpx_export_imports_into_a_fresh_study_window(qtbot, tmp_path, monkeypatch):
    source = open_window(qtbot, tmp_path)
    save_to(monkeypatch, tmp_path / "exchange")
    source.menus.exchange.qdpx_action.trigger()
    qdpx = tmp_path / "exchange.qdpx"
    assert qdpx.is_file() and "segments" in source.statusBar().currentMessage()
    expected = rows_of(source.session.study)

    fresh = tmp_path / "fresh"
    fresh.mkdir()
    Study.create(fresh / "fresh.iprw", codebook=[]).close()
    window = open_window(qtbot, fresh, study=fresh / "fresh.iprw", coder=None)
    assert not window.study_tree.model().rowCount()
    dialogs = Dialogs(monkeypatch)
    open_from(monkeypatch, qdpx)
    window.menus.exchange.import_action.trigger()

    assert "cannot take this back" in dialogs.texts("question")[0]
    study = window.session.study
    imported = rows_of(study)
    assert len(imported) == len(expected)
    assert [(r["id"], r["code"], r["coder"], r["text"]) for r in imported] == [
        (r["id"], r["code"], r["coder"], r["text"]) for r in expected]
    results = window.menus.exchange.results
    assert results.isVisible() and not results.isModal() and results.lines == []
    assert results.headline == f"Imported exchange.qdpx into {study.path.name}"
    qtbot.waitUntil(lambda: window.study_tree.model().rowCount() == 3)  # dyads D01–D03
    qtbot.waitUntil(lambda: codebook_counts(window, SAFETY)[1] not in (None, ""))


def test_a_qdpx_export_says_what_it_could_not_carry(qtbot, tmp_path, monkeypatch):
    """The sample's 18 done marks (and any approval) have no place in REFI-QDA."""
    window = open_window(qtbot, tmp_path)
    study = window.session.study
    supervisor = study.coders.set_role(study.coders.find("Sam"), "supervisor")
    study.segments.review(study.segments.for_document(study.documents.list()[0].id)[0],
                          "approved", supervisor)
    save_to(monkeypatch, tmp_path / "exchange")
    window.menus.exchange.qdpx_action.trigger()
    notice = window.statusBar().currentMessage()
    assert notice.startswith(f"Wrote {tmp_path / 'exchange.qdpx'}: 9 documents")
    assert notice.endswith(
        " 1 review decision (approved or flagged, with its comment) is not in a REFI-QDA "
        "project; the study file keeps it. 18 done marks (a coder's 'coded' on a document) "
        "are not in a REFI-QDA project; the study file keeps them.")

def test_a_bad_qdpx_is_refused_and_the_study_stays_as_it_was(qtbot, tmp_path, monkeypatch):
    window = open_window(qtbot, tmp_path)
    study = window.session.study
    before = (rows_of(study), study.documents.list(), study.version)
    bad = tmp_path / "broken.qdpx"
    bad.write_bytes(b"this is not a zip file")
    dialogs = Dialogs(monkeypatch)
    open_from(monkeypatch, bad)
    window.menus.exchange.import_action.trigger()
    assert "broken.qdpx" in dialogs.texts("critical")[0]
    assert (rows_of(study), study.documents.list(), study.version) == before
    assert window.menus.exchange.results is None
    assert not any("before-import" in p.name for p in list_backups(study.path))


def test_importing_and_merging_need_a_writable_study(qtbot, tmp_path, monkeypatch):
    path = sample_study(tmp_path)
    Dialogs(monkeypatch)  # "open it read-only instead?" Yes
    with Study.open(path):  # another window has it
        window = open_window(qtbot, tmp_path, study=path, coder=None)
    exchange = window.menus.exchange
    assert not window.session.study.writable
    assert not exchange.import_action.isEnabled() and not exchange.merge_action.isEnabled()
    assert exchange.report_action.isEnabled() and exchange.qdpx_action.isEnabled()
    window.close_study()
    assert not exchange.export_menu.isEnabled()


# -- merging a coder's copy ---------------------------------------------------------------------


def coded_copy(master: Path, folder: Path) -> tuple[Path, int, str]:
    """A copy of the master coded by Robin, with one of Alex's memos changed (a conflict)."""
    copy = folder / "robin.iprw"
    shutil.copyfile(master, copy)
    with Study.open(copy) as study:
        document = study.documents.find("D01-S1-client-recall")
        text = study.documents.text(document.id)
        safety = study.codebook.find(SAFETY)
        added = 0
        for line in [line for line in text.split("\n") if line.startswith("C:")][:4]:
            start = text.index(line)
            study.segments.add(document.id, start, start + len(line), safety, "Robin")
            added += 1
        alex = study.segments.rows(coder="Alex")[0]
        study.segments.set_memo(study.segments.find(alex.id), "Robin's different memo")
    return copy, added, alex.id


def test_merging_a_coders_copy_refreshes_the_views_and_lists_conflicts(
        qtbot, tmp_path, monkeypatch):
    master = sample_study(tmp_path)
    copy, added, conflicted_id = coded_copy(master, tmp_path)
    window = open_window(qtbot, tmp_path, study=master)
    study = window.session.study
    document = study.documents.find("D01-S1-client-recall")
    view = window.open_document(document.id)
    marks_before = len(view.segment_index)
    mine, everyone = codebook_counts(window, SAFETY)
    segments_before = len(study.segments.rows())
    view.select_span(0, 5)
    view.apply_code(study.codebook.find(SAFETY))
    assert window.menus.undo.isEnabled()

    dialogs = Dialogs(monkeypatch)
    open_from(monkeypatch, copy)
    window.menus.exchange.merge_action.trigger()

    assert "Merge robin.iprw into this study?" in dialogs.texts("question")[0]
    assert len(study.segments.rows()) == segments_before + 1 + added
    assert any("before-merge" in p.name for p in list_backups(study.path))
    assert not window.menus.undo.isEnabled()  # a merge cannot be undone, nor what came before
    combo = window.coder_bar.combo
    qtbot.waitUntil(lambda: "Robin" in [combo.itemText(n) for n in range(combo.count())])
    qtbot.waitUntil(lambda: codebook_counts(window, SAFETY)[1] == str(int(everyone) + 1 + added))
    qtbot.waitUntil(lambda: len(view.segment_index) == marks_before + 1 + added)
    results = window.menus.exchange.results
    assert results.isVisible() and len(results.lines) == 1
    assert results.lines[0].startswith("conflict: ") and "memo" in results.lines[0]
    assert "D01-S1-client-recall, Alex, " in results.lines[0]  # where, not just a uuid
    save_shots(qtbot, results, "merge-results", tmp_path)
    results.copy_button.click()
    assert QGuiApplication.clipboard().text() == results.lines[0]

    # The conflict leads to the segment; the master's memo was kept.
    conflicted = next(row for row in study.segments.rows() if row.id == conflicted_id)
    results.problems.itemActivated.emit(results.problems.item(0))
    shown = window.current_view()
    assert shown.info.name == conflicted.document
    assert shown.textCursor().selectedText() == conflicted.text
    assert conflicted.memo != "Robin's different memo"

    # Merging the same copy again adds nothing; the standing conflict is listed again.
    results.close()
    window.menus.exchange.merge_action.trigger()
    again = window.menus.exchange.results
    assert again is not results and again.isVisible() and again.lines == results.lines
    assert len(study.segments.rows()) == segments_before + 1 + added
