"""The app when saving fails for the file's sake (here, another program holding the
study locked): the window warns with the command line's message, and nothing changed."""

from __future__ import annotations

import sqlite3

from tests.workbench.gui_support import Dialogs, open_window


def test_a_save_refused_by_the_file_is_shown_as_the_cli_says_it(qtbot, tmp_path, monkeypatch):
    dialogs = Dialogs(monkeypatch)
    window = open_window(qtbot, tmp_path)
    session = window.session
    study = session.study
    document = study.documents.list()[0]
    code = study.codebook.load().applicable()[0]
    before = [row.id for row in study.segments.rows()]
    study.db.execute("PRAGMA busy_timeout=50")
    other = sqlite3.connect(study.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        assert not session.apply_code(document.id, 0, 40, code)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert dialogs.texts("warning") == [
        f"{study.path}: the change was not saved: another program is holding it locked; "
        "close that program (or let it finish), then try again"
    ]
    assert [row.id for row in study.segments.rows()] == before
    assert session.apply_code(document.id, 0, 40, code)
