"""The command line when the study file itself fails: a full disk, a lock held by
another program, a read-only file or folder, a damaged file. Each is one `error:`
line naming the study and what to do, exit status 2, and the study unchanged."""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from coding.study import Study
from tests.coding.test_storage_failures import damage, fill_the_disk
from tests.conftest import CLIENT_RECALL_TXT, SESSION_TXT, digest, write
from workbench.cli import main

CODE = ("--coder", "Alex", "--document", "D01-S1-session", "--start", "60", "--end", "90",
        "--code", "Initial fear and shame/Fear and anxiety")


def cli(capsys, *args: object) -> tuple[int, str, str]:
    status = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return status, out, err


def one_error_line(err: str) -> bool:
    return err.startswith("error: ") and err.count("\n") == 1 and "Traceback" not in err


def make_study(folder: Path, capsys) -> Path:
    study = folder / "s.iprw"
    assert cli(capsys, "new", study)[0] == 0
    session = write(folder / "session.txt", SESSION_TXT)
    assert cli(capsys, "import", study, session, "--dyad", "D01", "--session", "1",
               "--perspective", "session")[0] == 0
    return study


@pytest.fixture
def made(tmp_path, capsys) -> Path:
    return make_study(tmp_path, capsys)


@pytest.fixture
def on_open(monkeypatch) -> list[Callable[[Study], None]]:
    """Steps run on each study the command opens: a full disk, a short wait for locks."""
    steps: list[Callable[[Study], None]] = []
    real_open = Study.open.__func__

    def open_then(cls, path, **options):
        study = real_open(cls, path, **options)
        for step in steps:
            step(study)
        return study

    monkeypatch.setattr(Study, "open", classmethod(open_then))
    return steps


def test_a_full_disk_is_one_error_line_and_the_import_is_not_saved(made, tmp_path, capsys,
                                                                   on_open):
    big = write(tmp_path / "long.txt", "".join(
        f"[{n // 3600:02d}:{n // 60 % 60:02d}:{n % 60:02d}] C: words about feeling safe {n}\n"
        for n in range(3000)
    ))
    before = digest(made)
    on_open.append(fill_the_disk)
    status, out, err = cli(capsys, "import", made, big, "--dyad", "D02", "--session", "1",
                           "--perspective", "session")
    assert status == 2 and out == "" and one_error_line(err)
    assert f"{made}: the change was not saved: the disk is full" in err
    assert digest(made) == before


def test_a_study_another_program_holds_locked_is_one_error_line(made, capsys, on_open):
    before = digest(made)
    other = sqlite3.connect(made, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    on_open.append(lambda study: study.db.execute("PRAGMA busy_timeout=50"))
    try:
        status, _, err = cli(capsys, "code", made, *CODE)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert status == 2 and one_error_line(err)
    assert f"{made}: the change was not saved: another program is holding it locked" in err
    assert digest(made) == before


def test_a_damaged_study_is_one_error_line_for_reading_and_writing(made, capsys):
    damage(made, "codes")
    before = digest(made)
    for command in (("segments", made), ("code", made, *CODE)):
        status, _, err = cli(capsys, *command)
        assert status == 2 and one_error_line(err), err
        assert err.startswith(f"error: {made} is damaged (database disk image is malformed)")
    assert digest(made) == before


def test_merge_names_the_damaged_copy_not_the_study(made, tmp_path, capsys):
    copy = tmp_path / "copy.iprw"
    shutil.copy(made, copy)
    recall = write(tmp_path / "recall.txt", CLIENT_RECALL_TXT)
    assert cli(capsys, "import", copy, recall, "--dyad", "D01", "--session", "1",
               "--perspective", "client-recall")[0] == 0
    damage(copy, "utterances")  # read only when the new document is merged in
    before = digest(made)
    status, _, err = cli(capsys, "merge", made, copy)
    assert status == 2 and one_error_line(err), err
    assert err.startswith(f"error: {copy} is damaged")
    assert digest(made) == before


# -- read-only files and folders, seen by an account that may not write them ----------


@pytest.fixture
def shared_folder(capsys) -> Iterator[Path]:
    """A folder outside pytest's private temp tree, so another account can reach it."""
    folder = Path(tempfile.mkdtemp(prefix="iprw-readonly-"))
    folder.chmod(0o777)
    try:
        make_study(folder, capsys)
        yield folder
    finally:
        folder.chmod(0o777)
        shutil.rmtree(folder)


# Root ignores file permissions, so the command then gives root up for nobody's account
# once loaded (the interpreter itself may sit where nobody cannot read).
_AS_NOBODY = """
import os, sys
import workbench.cli
os.setgroups([]); os.setgid(65534); os.setuid(65534)
sys.exit(workbench.cli.main(sys.argv[1:]))
"""


def run_as_reader(*args: object) -> subprocess.CompletedProcess[str]:
    """The CLI in a fresh process, by an account that may only read the study."""
    if not hasattr(os, "geteuid"):
        pytest.skip("needs Unix permissions")
    command = ["-c", _AS_NOBODY] if os.geteuid() == 0 else ["-m", "workbench"]
    return subprocess.run(
        [sys.executable, *command, *map(str, args)],
        capture_output=True, text=True, check=False, cwd="/",
    )


READ_ONLY = stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH


@pytest.mark.slow
def test_coding_into_a_read_only_study_is_one_error_line(shared_folder):
    study = shared_folder / "s.iprw"
    study.chmod(READ_ONLY)
    Path(f"{study}.lock").unlink()  # a study handed over without its lock file
    before = digest(study)
    result = run_as_reader("code", study, *CODE)
    assert result.returncode == 2 and one_error_line(result.stderr), result.stderr
    assert (f"{study}: the change was not saved: the study file or its folder is read-only"
            in result.stderr)
    assert digest(study) == before


@pytest.mark.slow
def test_reading_a_study_in_a_read_only_folder_is_one_error_line(shared_folder):
    study = shared_folder / "s.iprw"
    study.chmod(READ_ONLY)
    shared_folder.chmod(0o555)
    result = run_as_reader("documents", study)
    assert result.returncode == 2 and one_error_line(result.stderr), result.stderr
    assert f"{study}: it cannot be read: the study file or its folder is read-only" in (
        result.stderr)


@pytest.mark.slow
def test_a_study_one_may_not_read_is_one_error_line(shared_folder):
    study = shared_folder / "s.iprw"
    study.chmod(stat.S_IRUSR | stat.S_IWUSR)
    result = run_as_reader("documents", study)
    assert result.returncode == 2 and one_error_line(result.stderr), result.stderr
    assert f"{study} cannot be read (Permission denied)" in result.stderr


@pytest.mark.slow
def test_a_lock_file_left_by_another_account_is_named_with_what_to_do(shared_folder):
    study = shared_folder / "s.iprw"
    study.chmod(0o666)  # the team may write the study, but the lock file is its maker's
    Path(f"{study}.lock").chmod(0o644)
    before = digest(study)
    result = run_as_reader("code", study, *CODE)
    assert result.returncode == 2 and one_error_line(result.stderr), result.stderr
    assert (f"{study}: its lock file s.iprw.lock cannot be written (Permission denied): "
            "another account left it; when the study is open nowhere, delete that file"
            in result.stderr)
    assert digest(study) == before


@pytest.mark.slow
def test_writing_a_study_in_a_read_only_folder_is_one_error_line(shared_folder):
    study = shared_folder / "s.iprw"
    Path(f"{study}.lock").unlink()
    study.chmod(0o666)
    shared_folder.chmod(0o555)
    result = run_as_reader("code", study, *CODE)
    assert result.returncode == 2 and one_error_line(result.stderr), result.stderr
    assert (f"{study}: its lock file s.iprw.lock cannot be made (Permission denied): its "
            "folder is read-only; copy the study to a folder you can write to" in result.stderr)
