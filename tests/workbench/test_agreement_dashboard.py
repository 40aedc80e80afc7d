"""The agreement dashboard: computed off the GUI thread, the table equals the core's result."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QStyle

from coding.disagreements import disagreements
from coding.history import EditCode
from coding.study_agreement import study_agreement
from tests.workbench.gui_support import Dialogs, open_window
from tests.workbench.screenshots import save_shots
from workbench.agreement_chart import AgreementChart
from workbench.agreement_dashboard import AgreementDashboard
from workbench.agreement_model import RAW_ROLE
from workbench.compare_view import CompareView

SHAME = "Initial fear and shame/Shame and feeling unworthy"


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch):
    Dialogs(monkeypatch)
    return open_window(qtbot, tmp_path)


@pytest.fixture
def dashboard(window) -> AgreementDashboard:
    window.screens.dashboard.trigger()
    dashboard = window.tabs.currentWidget()
    assert isinstance(dashboard, AgreementDashboard)
    return dashboard


def table(dashboard) -> list[dict[str, object]]:
    model = dashboard.model
    fields = [field for _, field in model.columns]
    return [
        {field: model.data(model.index(row, column), RAW_ROLE)
         for column, field in enumerate(fields)}
        for row in range(model.rowCount())
    ]


def core_rows(result, fields) -> list[dict[str, object]]:
    return [{f: getattr(row, f) for f in fields} for row in [*result.codes, result.pooled]]


def test_two_coders_table_matches_the_core(dashboard, window, qtbot):
    assert dashboard.chosen_coders() == ["Alex", "Sam"]
    dashboard.compute_button.click()
    qtbot.waitUntil(lambda: dashboard.result is not None)
    expected = study_agreement(window.session.study, ["Alex", "Sam"], "sentence")
    fields = [field for _, field in dashboard.model.columns]
    assert "cohen_kappa" in fields and "a" in fields
    assert table(dashboard) == core_rows(expected, fields)
    assert dashboard.pairwise.isHidden()
    pooled = dashboard.model.index(dashboard.model.rowCount() - 1, 0)
    assert dashboard.model.data(pooled) == "Pooled over codes"
    assert "Alex, Sam · " in dashboard.summary.text()
    assert [row.code for row in dashboard.chart.rows[:-1]] == [c.code for c in expected.codes]


def test_unused_code_reads_na_and_subset_of_codes(dashboard, window, qtbot):
    study = window.session.study
    study.codebook.add("Unused code", study.codebook.find("Safety"))
    window.session.codebookChanged.emit()
    dashboard.choose(unit="utterance", codes=["Safety", SHAME, "Safety/Unused code"])
    result = dashboard.compute()
    in_codebook_order = [SHAME, "Safety", "Safety/Unused code"]
    assert [row.code for row in result.codes] == in_codebook_order
    unused = dashboard.model.rows.index(result.codes[2])
    kappa = [f for _, f in dashboard.model.columns].index("cohen_kappa")
    assert dashboard.model.data(dashboard.model.index(unused, kappa)) == "n/a"
    assert dashboard.chart.rows[2].values == (None, None)
    assert result == study_agreement(study, ["Alex", "Sam"], "utterance", in_codebook_order)


def test_three_coders_show_fleiss_and_the_pairwise_matrix(dashboard, window, qtbot):
    study = window.session.study
    doc = study.documents.find("D01-S1-session")
    text = study.documents.text(doc.id)
    start = text.index("I almost cancelled")
    study.segments.add(doc.id, start, start + 40, study.codebook.find(SHAME), "Robin")
    window.session.codersChanged.emit()
    dashboard.choose(coders=["Alex", "Robin", "Sam"])
    dashboard.compute_button.click()
    qtbot.waitUntil(lambda: dashboard.result is not None)
    expected = study_agreement(study, ["Alex", "Robin", "Sam"], "sentence")
    fields = [field for _, field in dashboard.model.columns]
    assert "fleiss_kappa" in fields and "a" not in fields
    assert table(dashboard) == core_rows(expected, fields)
    assert not dashboard.pairwise.isHidden()
    assert dashboard.pairwise.rowCount() == 3
    names = expected.coders
    for pair in expected.pairwise:
        i, j = (names.index(n) for n in pair.coders)
        shown = "n/a" if pair.cohen_kappa is None else f"{pair.cohen_kappa:.3f}"
        assert dashboard.pairwise.item(i, j).text() == shown == dashboard.pairwise.item(j, i).text()


def test_clicking_a_code_lists_its_disagreements_and_opens_the_compare_view(
    dashboard, window, qtbot, tmp_path
):
    dashboard.compute()
    row = next(n for n, r in enumerate(dashboard.model.rows) if r.code == SHAME)
    index = dashboard.model.index(row, 0)
    qtbot.mouseClick(dashboard.table.viewport(), Qt.MouseButton.LeftButton,
                     pos=dashboard.table.visualRect(index).center())
    expected = disagreements(window.session.study, ["Alex", "Sam"], SHAME, "sentence",
                             dashboard.result.documents)
    assert dashboard.found_code == SHAME and expected
    assert dashboard.disagreement_list.count() == len(expected)
    assert [(d.document, d.unit_start) for d in dashboard.found] == [
        (d.document, d.unit_start) for d in expected
    ]
    qtbot.waitUntil(lambda: dashboard.chart.width() > 300)  # laid out at its first size
    save_shots(qtbot, window, "dashboard", tmp_path)

    item = dashboard.disagreement_list.item(1)
    dashboard.disagreement_list.itemActivated.emit(item)
    compare = window.tabs.currentWidget()
    assert isinstance(compare, CompareView)
    found = expected[1]
    assert compare.document_id == found.document_id
    assert compare.coders == [name for name in dashboard.result.coders
                              if name in (found.applied_by[0], found.missing[0])]
    assert compare.code_path == SHAME
    assert compare.panes["consensus"].view.selection_span() == (found.unit_start, found.unit_end)


def test_disagreements_open_with_the_coders_always_on_the_same_sides(dashboard, window):
    """Going down the list, Alex's pane stays left and Sam's right whoever applied the code;
    the panes and their Accept buttons swapped places at every other disagreement."""
    dashboard.compute()
    dashboard.show_disagreements(SHAME)
    by_applier = {found.applied_by[0]: n for n, found in enumerate(dashboard.found)}
    assert set(by_applier) == {"Alex", "Sam"}
    for row in (by_applier["Sam"], by_applier["Alex"], by_applier["Sam"]):
        dashboard.disagreement_list.itemActivated.emit(dashboard.disagreement_list.item(row))
        compare = window.tabs.currentWidget()
        assert compare.coders == ["Alex", "Sam"]
        assert compare.accept_buttons[0].text() == "Accept Alex's"
        assert window.tabs.tabText(window.tabs.currentIndex()).startswith("Compare Alex · Sam")

def test_listed_disagreements_say_their_document_and_session_time(dashboard):
    from transcripts.timestamps import clock

    dashboard.compute()
    dashboard.show_disagreements(SHAME)
    timed = [(n, d) for n, d in enumerate(dashboard.found) if d.session_time is not None]
    assert timed
    for row, found in timed:
        assert dashboard.disagreement_list.item(row).text().startswith(
            f"{found.document} · {clock(found.session_time)} · only ")

def test_the_chart_opens_disagreements_too(dashboard, qtbot):
    dashboard.compute()
    chart = dashboard.chart
    row = next(n for n, r in enumerate(chart.rows) if r.code == SHAME)
    qtbot.mouseClick(chart, Qt.MouseButton.LeftButton, pos=chart.row_center(row).toPoint())
    assert dashboard.found_code == SHAME


def test_fewer_than_two_coders_is_explained(dashboard):
    notices = []
    dashboard.notice.connect(notices.append)
    dashboard.choose(coders=["Alex"])
    assert dashboard.compute() is None and "two coders" in notices[0]


def test_a_code_of_a_result_without_documents_is_explained_not_an_error(
    window, dashboard, qtbot, monkeypatch
):
    dialogs = Dialogs(monkeypatch)
    window.session.study.coders.get_or_create("Pat")  # has coded nothing
    dashboard.choose(coders=["Alex", "Pat"])
    assert dashboard.compute() is not None and dashboard.result.documents == []
    dashboard.table.clicked.emit(dashboard.model.index(1, 0))
    assert dialogs.shown == []
    assert "no document was coded by every chosen coder" in dashboard.disagreement_label.text()


def test_a_renamed_code_stays_ticked(window, dashboard):
    dashboard.choose(codes=[SHAME])
    shame = window.session.study.codebook.load().by_path[SHAME]
    window.session.do(EditCode(shame, {"name": "Shame"}))
    assert dashboard.chosen_codes() == ["Initial fear and shame/Shame"]


def test_at_first_the_coders_who_coded_are_ticked(window):
    window.coder_bar.coderChosen.emit("Pat")  # a supervisor who reviews, codes nothing
    window.screens.dashboard.trigger()
    assert window.tabs.currentWidget().chosen_coders() == ["Alex", "Sam"]


def test_figures_say_when_the_study_has_changed_since(window, dashboard):
    assert dashboard.compute() is not None
    study = window.session.study
    view = window.open_document(study.documents.find("D01-S1-session").id)
    view.select_span(0, 30)
    assert view.apply_code(study.codebook.load().find(SHAME))
    assert dashboard.summary.text().endswith("press Compute to update.")
    assert dashboard.compute() is not None
    assert "press Compute" not in dashboard.summary.text()


def test_the_empty_chart_says_what_to_do_without_running_off_its_edges(qtbot):
    chart = AgreementChart()
    qtbot.addWidget(chart)
    chart.set_result(None)
    chart.resize(320, chart.height())
    chart.show()
    qtbot.waitExposed(chart)
    image = chart.grab().toImage()
    base = chart.palette().color(QPalette.ColorRole.Base).rgb()
    inked = {x for x in range(image.width()) for y in range(image.height())
             if image.pixel(x, y) != base}
    assert inked, "the hint is drawn"
    assert min(inked) >= 4 and max(inked) <= image.width() - 5  # none of it cut at the edges


def test_the_code_list_tells_every_code_apart_at_first(window, dashboard, qtbot):
    """'Agreement on goals' and 'Agreement on tasks' both read 'Agreement' (cut at the
    right of a column 17 % of the screen wide)."""
    codes = dashboard.code_list
    qtbot.waitUntil(lambda: not dashboard._first_sizes)
    assert not codes.horizontalScrollBar().isVisible()  # names fit or are shortened
    room = codes.viewport().width() - codes.style().pixelMetric(
        QStyle.PixelMetric.PM_IndicatorWidth) - 8
    shown = [codes.fontMetrics().elidedText(codes.item(n).text(), codes.textElideMode(), room)
             for n in range(codes.count())]
    assert len(set(shown)) == codes.count(), shown
    names = [codes.item(n).text().strip() for n in range(codes.count())]
    assert all(len(cut.strip()) >= min(len(name), 14)
               for cut, name in zip(shown, names, strict=True)), shown
    assert codes.item(0).toolTip() == "Initial fear and shame"
