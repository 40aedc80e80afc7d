"""The study file: creation, recognition, versions, locking, transactions and events."""

from __future__ import annotations

import sqlite3

import pytest

from coding.errors import StudyError, StudyLockedError
from coding.schema import APPLICATION_ID, SCHEMA_VERSION
from coding.study import Study
from tests.conftest import digest


def test_new_study_is_a_wal_sqlite_file_with_version_and_default_codebook(study_path):
    conn = sqlite3.connect(study_path)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()
    with Study.open(study_path) as study:
        book = study.codebook.load()
        assert [theme.name for theme in book.roots][:2] == ["Initial fear and shame", "Safety"]
        assert len(book.roots) == 7
        assert len(book.applicable()) == 17
        assert study.title == "Test study"
        assert len(study.meta()["uuid"]) == 36


def test_create_refuses_an_existing_file(study_path):
    before = digest(study_path)
    with pytest.raises(StudyError, match="already exists"):
        Study.create(study_path)
    assert digest(study_path) == before


def test_create_leaves_nothing_behind_when_the_codebook_is_bad(tmp_path):
    from coding.codebook import CodeSpec

    bad = [CodeSpec(name="A", color="red")]
    with pytest.raises(StudyError, match="colour"):
        Study.create(tmp_path / "s.iprw", codebook=bad)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "content, message",
    [
        (b"just some text, certainly not a database" * 5, "not an SQLite file"),
        (b"", "not an SQLite file"),
    ],
)
def test_a_file_that_is_not_a_study_is_refused(tmp_path, content, message):
    path = tmp_path / "notes.iprw"
    path.write_bytes(content)
    with pytest.raises(StudyError, match=message):
        Study.open(path)
    assert path.read_bytes() == content


def test_an_sqlite_file_of_another_program_is_refused(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    before = digest(path)
    with pytest.raises(StudyError, match="not an IPR Workbench study"):
        Study.open(path)
    assert digest(path) == before


def test_missing_study_names_the_file(tmp_path):
    with pytest.raises(StudyError, match="does not exist"):
        Study.open(tmp_path / "nope.iprw")


def test_a_study_from_a_newer_release_is_refused_untouched(study_path):
    conn = sqlite3.connect(study_path)
    conn.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    before = digest(study_path)
    with pytest.raises(StudyError, match="newer IPR Workbench"):
        Study.open(study_path)
    assert digest(study_path) == before


def test_an_older_study_is_backed_up_then_migrated(tmp_path):
    from coding.backup import list_backups

    path = tmp_path / "old.iprw"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA application_id={APPLICATION_ID}")
    conn.execute("PRAGMA user_version=0")
    conn.execute("CREATE TABLE placeholder (x)")
    conn.commit()
    conn.close()
    with Study.open(path) as study:
        assert study.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert "segments" in study.db.table_names()
    backups = list_backups(path)
    assert len(backups) == 1 and "before-schema" in backups[0].name


def test_a_study_open_for_writing_is_locked_against_a_second_writer(study_path):
    with Study.open(study_path):
        with pytest.raises(StudyLockedError, match="open in another"):
            Study.open(study_path)
        with Study.open(study_path, writable=False) as reader:
            assert len(reader.codebook.load()) == 24
    with Study.open(study_path):
        pass


def test_read_only_study_refuses_changes(study_path):
    with Study.open(study_path, writable=False) as study, pytest.raises(
        StudyError, match="read-only"
    ):
        study.set_title("x")


def test_a_failed_transaction_changes_nothing_and_announces_nothing(study):
    heard = []
    study.events.codebook.connect(lambda: heard.append("codebook"))
    with pytest.raises(RuntimeError), study.transaction():
        study.codebook.add("Temporary")
        raise RuntimeError("boom")
    assert "Temporary" not in study.codebook.load().by_path
    assert heard == []
    study.codebook.add("Kept")
    assert heard == ["codebook"]
    assert "Kept" in study.codebook.load().by_path


def test_nested_transactions_announce_once_after_the_outer_commit(study):
    heard = []
    study.events.codebook.connect(lambda: heard.append(len(study.codebook.load())))
    with study.transaction():
        study.codebook.add("One")
        study.codebook.add("Two")
        assert heard == []
    assert heard == [26]


def test_backups_rotate(study):
    from coding.backup import KEEP, list_backups

    for n in range(KEEP + 2):
        study.set_title(f"Version {n}")
        study.backup()
    backups = list_backups(study.path)
    assert len(backups) == KEEP
    with Study.open(backups[0], writable=False) as copy:
        assert copy.title == f"Version {KEEP + 1}"


def test_a_backup_that_cannot_be_written_is_a_study_error(study, monkeypatch):
    """A full disk or a blocked backup folder says so; it used to escape as SQLite's error."""
    from coding.backup import backup_folder

    backup_folder(study.path).write_text("not a folder")
    with pytest.raises(StudyError, match=r"could not write a backup of .*\.backups"):
        study.backup()
    backup_folder(study.path).unlink()

    def full(*args, **kwargs):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr("coding.study.make_backup", full)
    with pytest.raises(StudyError, match="could not write a backup.*disk is full"):
        study.backup("open")


def test_schema_1_study_with_documents_is_migrated_with_counts_backfilled(loaded, study_path):
    expected = [d.to_json() for d in loaded.documents.list()]
    loaded.close()
    conn = sqlite3.connect(study_path)
    for column in ("utterance_count", "sentence_count", "stop_count", "first_time", "last_time"):
        conn.execute(f"ALTER TABLE documents DROP COLUMN {column}")
    conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm002_document_counts'")
    conn.execute("PRAGMA user_version=1")
    conn.commit()
    conn.close()
    with Study.open(study_path) as study:
        assert [d.to_json() for d in study.documents.list()] == expected
        assert study.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
