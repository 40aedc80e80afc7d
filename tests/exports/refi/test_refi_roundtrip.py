"""Export → import into a fresh study keeps codes, coders, text, offsets, memos and placement."""

from __future__ import annotations

from pathlib import Path

import pytest

from coding.documents import ImportItem
from coding.study import Study
from exports.refi.project_export import export_qdpx
from exports.refi.project_import import import_qdpx
from tests.conftest import write


@pytest.fixture
def round_trip(coded: Study, tmp_path: Path):
    export_qdpx(coded, tmp_path / "out.qdpx")
    result = import_qdpx(tmp_path / "copy.iprw", tmp_path / "out.qdpx")
    with Study.open(tmp_path / "copy.iprw", writable=False) as copy:
        yield coded, copy, result


def _segments(study: Study) -> list[dict]:
    return sorted((r.to_json() for r in study.segments.rows()), key=lambda r: r["id"])


def test_every_segment_keeps_code_coder_text_offsets_and_memo(round_trip):
    original, copy, result = round_trip
    assert result.warnings == [] and not result.merge.conflicts and not result.merge.skipped
    assert _segments(copy) == _segments(original)
    assert len(_segments(copy)) == 6


def test_codes_keep_paths_uuids_and_fields(round_trip):
    original, copy, _ = round_trip
    assert copy.codebook.load().to_json() == original.codebook.load().to_json()


def test_documents_keep_names_dyads_sessions_perspectives_and_turns(round_trip):
    original, copy, _ = round_trip
    assert [d.to_json() for d in copy.documents.list()] == [
        d.to_json() for d in original.documents.list()]
    for doc in original.documents.list():
        twin = copy.documents.find(doc.name)
        assert copy.documents.text(twin.id) == original.documents.text(doc.id)
        assert copy.documents.utterances(twin.id) == original.documents.utterances(doc.id)
        assert copy.documents.stops(twin.id) == original.documents.stops(doc.id)
    dyads = "SELECT uuid, name FROM dyads ORDER BY name"
    assert [tuple(r) for r in copy.query(dyads)] == [tuple(r) for r in original.query(dyads)]


def test_coders_keep_their_uuids(round_trip):
    original, copy, _ = round_trip
    assert [(c.uuid, c.name) for c in copy.coders.list()] == [
        (c.uuid, c.name) for c in original.coders.list()]


def test_importing_the_export_back_into_the_original_changes_nothing(coded, tmp_path):
    export_qdpx(coded, tmp_path / "out.qdpx")
    before = _segments(coded)
    path = coded.path
    coded.close()
    result = import_qdpx(path, tmp_path / "out.qdpx")
    assert result.merge.added == 0 and not result.merge.conflicts and result.warnings == []
    with Study.open(path, writable=False) as again:
        assert _segments(again) == before


def test_declared_speakers_survive_the_round_trip(tmp_path):
    text = "Dr. Lind: Welcome.\nP1: Thanks.\nDr. Lind: Shall we start?\n"
    with Study.create(tmp_path / "s.iprw") as study:
        study.documents.import_files(
            [ImportItem(write(tmp_path / "t.txt", text), "D02", 2, "session")],
            speaker_roles={"P1": "client"},
        )
        export_qdpx(study, tmp_path / "s.qdpx")
        speakers = study.documents.list()[0].speakers
    import_qdpx(tmp_path / "copy.iprw", tmp_path / "s.qdpx")
    with Study.open(tmp_path / "copy.iprw", writable=False) as copy:
        doc = copy.documents.list()[0]
        assert doc.speakers == speakers == {"Dr. Lind": "other", "P1": "client"}
        assert (doc.dyad, doc.session, doc.utterances) == ("D02", 2, 3)
