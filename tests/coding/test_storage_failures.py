"""SQLite failures of the study file itself: a full disk, a file another program holds,
a damaged file. Each is a StudyError naming the study and what to do, and a
failed change leaves the study exactly as it was."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from coding.backup import list_backups
from coding.errors import StudyError
from coding.study import Study
from tests.conftest import digest

PAGE = 4096


def fill_the_disk(study: Study) -> None:
    """No page may be added to the file: SQLite then fails as on a full disk."""
    pages = study.db.execute("PRAGMA page_count").fetchone()[0]
    study.db.execute(f"PRAGMA max_page_count={pages}")


def damage(path: Path, table: str, filler: bytes = b"\xde\xad\xbe\xef") -> None:
    """Overwrite the first page of `table` with `filler` repeated (the file header stays)."""
    conn = sqlite3.connect(path)
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", [table]).fetchone()[0]
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    with open(path, "r+b") as handle:
        handle.seek((root - 1) * page_size)
        handle.write(filler * (page_size // len(filler)))


def test_a_full_disk_refuses_the_change_names_the_study_and_keeps_it_whole(study, study_path):
    fill_the_disk(study)
    heard = []
    study.events.codebook.connect(lambda: heard.append("codebook"))
    with pytest.raises(StudyError) as failure:
        study.codebook.add("Long", definition="words " * 200_000)
    message = str(failure.value)
    assert str(study_path) in message and "disk is full" in message
    assert "not saved" in message and "free some space" in message
    assert "Long" not in study.codebook.load().by_path and heard == []
    study.db.execute("PRAGMA max_page_count=1073741823")
    study.codebook.add("Short")
    assert "Short" in study.codebook.load().by_path


def test_a_full_disk_in_a_nested_transaction_is_one_error_and_rolls_back_all(study):
    fill_the_disk(study)
    with pytest.raises(StudyError, match="disk is full"), study.transaction():
        study.set_title("Renamed")
        study.codebook.add("Long", definition="words " * 200_000)
    assert study.title == "Test study"


def test_a_study_another_program_holds_locked_is_refused_after_waiting(study, study_path):
    other = sqlite3.connect(study_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        study.db.execute("PRAGMA busy_timeout=50")
        with pytest.raises(StudyError) as failure:
            study.set_title("Renamed")
    finally:
        other.execute("ROLLBACK")
        other.close()
    message = str(failure.value)
    assert str(study_path) in message and "another program" in message
    assert "try again" in message
    study.set_title("Renamed")
    assert study.title == "Renamed"


def test_a_damaged_study_is_refused_on_opening_with_its_newest_backup_named(study_path):
    with Study.open(study_path) as study:
        newest = study.backup()
    data = study_path.read_bytes()
    study_path.write_bytes(data[:PAGE] + b"\x00\xff" * ((len(data) - PAGE) // 2))
    before = digest(study_path)
    with pytest.raises(StudyError) as failure:
        Study.open(study_path)
    message = str(failure.value)
    assert message.startswith(f"{study_path} is damaged")
    assert f"newest sound backup, {newest}," in message and list_backups(study_path) == [newest]
    assert digest(study_path) == before


def test_damage_found_while_saving_is_named_too(study, study_path):
    damage(study_path, "coders")
    with pytest.raises(StudyError, match=r"is damaged .*a copy of your own \(IPR Workbench has no"):
        study.coders.get_or_create("Alex")


def test_a_backup_taken_after_the_damage_is_not_offered(study_path):
    with Study.open(study_path) as study:
        sound = study.backup("sound")
    damage(study_path, "coders")
    with Study.open(study_path) as study:
        study.backup("damaged")
        with pytest.raises(StudyError) as failure:
            study.coders.get_or_create("Alex")
    assert f"newest sound backup, {sound}," in str(failure.value)
    backups = list_backups(study_path)  # checking them left nothing beside them
    assert len(backups) == 2 and set(sound.parent.iterdir()) == set(backups)


def test_sqlite_errors_that_are_bugs_pass_through_unchanged(study):
    with pytest.raises(sqlite3.OperationalError, match="no such table"), study.transaction():
        study.db.execute("INSERT INTO nowhere VALUES (1)")
