"""A process killed in the middle of an import leaves the study openable and unchanged."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap

import pytest

from coding.study import Study
from tests.conftest import digest

_IMPORTER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from coding.study import Study
    from coding.documents import ImportItem

    def progress(fraction, message):
        if message.startswith("indexing") and fraction > 0.6:
            print("INSIDE", flush=True)
            time.sleep(60)

    study = Study.open(Path(sys.argv[1]))
    items = [ImportItem(Path(p), "D09", 1, "session", f"part {n}")
             for n, p in enumerate(sys.argv[2:])]
    study.documents.import_files(items, progress=progress)
    """
)


@pytest.mark.slow
def test_kill_during_import_leaves_study_unchanged(study_path, tmp_path):
    files = []
    for n in range(4):
        path = tmp_path / f"part{n}.txt"
        path.write_text("".join(f"T: turn {i} of part {n}.\nC: reply {i}.\n" for i in range(300)))
        files.append(str(path))
    before = digest(study_path)
    process = subprocess.Popen(
        [sys.executable, "-c", _IMPORTER, str(study_path), *files],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert process.stdout.readline().strip() == "INSIDE"
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        process.kill()
    assert process.returncode == -signal.SIGKILL
    assert digest(study_path) == before  # the half-done import never reached the main file
    with Study.open(study_path) as study:
        assert study.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert study.documents.list() == []
        assert study.db.execute("SELECT COUNT(*) FROM utterances").fetchone()[0] == 0
        study.codebook.add("Still writable")
