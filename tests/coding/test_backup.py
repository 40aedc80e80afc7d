"""Backups a coder can come back to: a mistake found next week, a study damaged and then
opened again and again, a supervisor opening the study all afternoon. Real study files,
a clock passed in (no sleeping)."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from coding.backup import DAYS, KEEP, backup_folder, is_sound, list_backups, make_backup
from coding.study import Study
from tests.coding.test_storage_failures import damage

MONDAY = datetime(2026, 3, 9, 9, 0, tzinfo=timezone.utc)


def titles(paths: list[Path]) -> list[str]:
    out = []
    for path in paths:
        with Study.open(path, writable=False) as copy:
            out.append(copy.title)
    return out


def change_and_back_up(study: Study, title: str, when: datetime, reason: str = "open") -> Path:
    study.set_title(title)
    return make_backup(study.path, reason, now=when)


def test_backing_up_an_unchanged_study_again_keeps_the_earlier_backups(study):
    first = study.backup("open")
    for _ in range(KEEP + 2):
        assert study.backup("open") == first
    assert list_backups(study.path) == [first]


def test_a_study_closed_and_reopened_unchanged_is_not_backed_up_again(study_path):
    with Study.open(study_path) as study:
        study.set_title("Edited")  # still in the -wal file
        first = study.backup("open")
    with Study.open(study_path) as study:  # the close checkpointed it into the file
        assert study.backup("open") == first
        study.set_title("Edited again")
        second = study.backup("open")
    assert list_backups(study_path) == [second, first]
    assert titles([second, first]) == ["Edited again", "Edited"]


def test_opening_six_times_in_an_afternoon_keeps_yesterdays_backup(study):
    yesterday = change_and_back_up(study, "Yesterday's work", MONDAY)
    afternoon = MONDAY + timedelta(days=1, hours=5)
    for n in range(6):
        change_and_back_up(study, f"Tuesday {n}", afternoon + timedelta(minutes=20 * n))
    backups = list_backups(study.path)
    assert backups[-1] == yesterday
    assert titles(backups) == [f"Tuesday {n}" for n in (5, 4, 3, 2, 1)] + ["Yesterday's work"]


def test_the_newest_of_each_of_the_last_days_is_kept_beyond_the_newest_few(study):
    today = MONDAY + timedelta(days=30)
    for day in range(30, 0, -1):  # three backups a day for a month, oldest first
        for hour in (9, 12, 17):
            when = (today - timedelta(days=day)).replace(hour=hour)
            change_and_back_up(study, f"-{day}d {hour}h", when)
    for hour in (9, 10, 11, 12, 13, 14, 15):
        change_and_back_up(study, f"today {hour}h", today.replace(hour=hour))
    expected = [f"today {hour}h" for hour in (15, 14, 13, 12, 11)]
    expected += [f"-{day}d 17h" for day in range(1, DAYS + 1)]
    assert titles(list_backups(study.path)) == expected


def test_the_newest_backups_are_kept_however_old(study):
    for n in range(KEEP + 1):
        change_and_back_up(study, f"v{n}", MONDAY + timedelta(minutes=n))
    change_and_back_up(study, "months later", MONDAY + timedelta(days=90))
    assert titles(list_backups(study.path)) == ["months later"] + [
        f"v{n}" for n in range(KEEP, 1, -1)
    ]


def test_copies_of_a_damaged_study_never_push_out_a_sound_backup(study_path):
    with Study.open(study_path) as study:
        sound = [
            change_and_back_up(study, f"good {n}", MONDAY + timedelta(minutes=n))
            for n in range(KEEP)
        ]
    damaged = []
    for n in range(KEEP + 2):  # the damaged study, opened (and changed) again and again
        damage(study_path, "coders", bytes([0xA0 + n]))  # different garbage each time
        damaged.append(make_backup(study_path, "open", now=MONDAY + timedelta(hours=1, minutes=n)))
    assert all(not is_sound(path) and path.name.endswith(".damaged.iprw") for path in damaged)
    assert set(sound) <= set(list_backups(study_path))
    assert all(is_sound(path) for path in sound)
    assert list_backups(study_path) == damaged[:1:-1] + sound[::-1]


def test_a_backup_that_fails_leaves_nothing_behind(tmp_path):
    path = tmp_path / "study.iprw"
    path.write_bytes(b"not a database, though named like one " * 200)
    with pytest.raises(sqlite3.DatabaseError):
        make_backup(path, "open", now=MONDAY)
    assert list(backup_folder(path).iterdir()) == []


def test_files_of_the_users_own_in_the_backup_folder_are_left_alone(study):
    folder = backup_folder(study.path)
    folder.mkdir()
    own = folder / "study-my copy before the meeting.iprw"
    own.write_bytes(study.path.read_bytes())
    for n in range(KEEP + 2):
        change_and_back_up(study, f"v{n}", MONDAY + timedelta(minutes=n))
    assert own.exists() and own not in list_backups(study.path)
    assert len(list_backups(study.path)) == KEEP


def test_checking_a_missing_backup_says_unsound_and_creates_nothing(tmp_path):
    missing = tmp_path / "gone.iprw"
    assert not is_sound(missing) and not missing.exists()


def test_a_study_named_with_brackets_keeps_and_rotates_its_backups(tmp_path):
    with Study.create(tmp_path / "D07 [final] *.iprw") as study:
        taken = [
            change_and_back_up(study, f"v{n}", MONDAY + timedelta(minutes=n))
            for n in range(KEEP + 2)
        ]
        assert list_backups(study.path) == taken[:1:-1]
