"""A study open read-only for long (the app's read-only window, a report being built)
sees what another connection or process commits meanwhile; nothing stale is served
from the stores' caches."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from coding.documents import ImportItem
from coding.study import Study
from tests.conftest import write

_REPLACE_LAST_DOCUMENT = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from coding.documents import ImportItem
    from coding.study import Study

    with Study.open(Path(sys.argv[1])) as study:
        study.documents.delete(study.documents.list()[-1])
        study.documents.import_files([ImportItem(Path(sys.argv[2]), "D02", 1, "session")])
        study.codebook.add("Added elsewhere")
    """
)


def test_a_reader_sees_codes_another_connection_added(study_path):
    with Study.open(study_path, writable=False) as reader:
        assert "Added elsewhere" not in reader.codebook.load().by_path
        with Study.open(study_path) as writer:
            writer.codebook.add("Added elsewhere")
        assert "Added elsewhere" in reader.codebook.load().by_path
        with Study.open(study_path) as writer:
            writer.codebook.delete(writer.codebook.find("Added elsewhere"))
        assert "Added elsewhere" not in reader.codebook.load().by_path


@pytest.mark.slow
def test_a_reader_sees_another_process_replace_a_document(study_path, tmp_path):
    first = write(tmp_path / "first.txt", "T: The first session.\nC: Yes.\n")
    second = write(tmp_path / "second.txt", "T: Another text altogether.\nC: Indeed.\n")
    with Study.open(study_path) as study:
        study.documents.import_files([ImportItem(first, "D01", 1, "session")])
    with Study.open(study_path, writable=False) as reader:
        [document] = reader.documents.list()
        assert reader.documents.text(document.id).startswith("T: The first")
        subprocess.run([sys.executable, "-c", _REPLACE_LAST_DOCUMENT, str(study_path),
                        str(second)], check=True)
        [replaced] = reader.documents.list()
        assert replaced.id == document.id  # SQLite gave the new document the freed id
        assert reader.documents.text(replaced.id) == second.read_text()
        assert "Added elsewhere" in reader.codebook.load().by_path
