"""Merging coders' copies of a study by UUID: both ways, idempotent, conflicts reported."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from coding.consensus import draw
from coding.documents import DocumentStore, ImportItem
from coding.errors import StudyError
from coding.history import History
from coding.merge import merge_study
from coding.study import Study, new_uuid
from tests.conftest import SESSION_TXT, THERAPIST_RECALL_TXT, write
from transcripts.progress import Cancelled

TABLES = {
    "meta": "key, value",
    "dyads": "uuid, name",
    "documents": "uuid, name, session, perspective, text, chars",
    "codes": "uuid, parent_id, position, name, definition, color, shortcut, codable",
    "coders": "uuid, name, role, consensus",
    "segments": 'uuid, document_id, coder_id, code_id, start, "end", memo, status, reviewer_id',
    "coded_documents": "coder_id, document_id",
    "utterances": 'document_id, idx, speaker, role, start, "end", char_start, char_end',
    "sentences": "document_id, char_start, char_end",
    "stops": "document_id, idx, time, char_start, char_end",
}


def snapshot(path: Path) -> dict[str, list[tuple]]:
    with Study.open(path, writable=False) as study:
        return {
            table: sorted(tuple(r) for r in study.query(f"SELECT {columns} FROM {table}"))
            for table, columns in TABLES.items()
        }


@pytest.fixture
def copies(loaded: Study, tmp_path: Path) -> dict[str, Path]:
    """The master and two coders' copies of it, made before anyone coded."""
    master = loaded.path
    loaded.close()
    paths = {"master": master}
    for coder in ("anna", "ben"):
        paths[coder] = tmp_path / f"{coder}.iprw"
        shutil.copy(master, paths[coder])
    return paths


def code(path: Path, coder: str, document: str, words: str, code_path: str, memo: str = "",
         created_at: str | None = None):
    with Study.open(path) as study:
        doc = study.documents.find(document)
        start = study.documents.text(doc.id).index(words)
        segment = study.segments.add(doc.id, start, start + len(words),
                                     study.codebook.find(code_path), coder, memo,
                                     created_at=created_at)
        return segment.uuid


def segments(path: Path) -> list[dict]:
    with Study.open(path, writable=False) as study:
        return sorted((r.to_json() for r in study.segments.rows()), key=lambda r: r["id"])


def merge(master: Path, other: Path, **kwargs):
    with Study.open(master) as study:
        return merge_study(study, other, **kwargs)


FEAR = "Initial fear and shame/Fear and anxiety"
SAFETY = "Safety/Growing sense of safety"


def test_two_copies_merge_both_ways_to_the_same_segments(copies):
    code(copies["anna"], "Anna", "D01-S1-session", "scared", FEAR, memo="judged")
    code(copies["anna"], "Anna", "D01-S1-client-recall", "terrified", FEAR)
    code(copies["ben"], "Ben", "D01-S1-session", "scared", FEAR)
    code(copies["ben"], "Ben", "D01-S1-session", "I felt safer", SAFETY, memo="settling 😊")
    anna_only, ben_only = segments(copies["anna"]), segments(copies["ben"])

    into_anna = merge(copies["anna"], copies["ben"])
    into_ben = merge(copies["ben"], copies["anna"])

    assert into_anna.coders_added == into_ben.coders_added == 1
    assert (into_anna.segments_added, into_ben.segments_added) == (2, 2)
    assert not into_anna.conflicts and not into_anna.skipped
    assert segments(copies["anna"]) == segments(copies["ben"])
    assert sorted(anna_only + ben_only, key=lambda r: r["id"]) == segments(copies["anna"])
    with Study.open(copies["anna"], writable=False) as study:
        ben = study.coders.find("Ben")
        assert [r.memo for r in study.segments.rows(coder="Ben") if r.memo] == ["settling 😊"]
    with Study.open(copies["ben"], writable=False) as study:
        assert study.coders.find("Ben").uuid == ben.uuid


def test_merging_twice_changes_nothing_the_second_time(copies):
    code(copies["ben"], "Ben", "D01-S1-session", "scared", FEAR, memo="m")
    first = merge(copies["anna"], copies["ben"])
    after_first = snapshot(copies["anna"])
    second = merge(copies["anna"], copies["ben"])
    assert first.added > 0
    assert second.added == 0 and not second.conflicts and not second.skipped
    assert second.summary().startswith("0 coders, 0 codes, 0 documents, 0 segments")
    assert snapshot(copies["anna"]) == after_first


def test_codebook_additions_come_in_under_their_parents(copies):
    with Study.open(copies["ben"]) as study:
        theme = study.codebook.add("Ben's theme", codable=False, definition="new")
        study.codebook.add("Deep code", study.codebook.add("Middle", theme), color="#102030")
    code(copies["ben"], "Ben", "D01-S1-session", "scared", "Ben's theme/Middle/Deep code")
    report = merge(copies["anna"], copies["ben"])
    assert report.codes_added == 3
    with Study.open(copies["anna"], writable=False) as anna, \
            Study.open(copies["ben"], writable=False) as ben:
        assert anna.codebook.load().to_json() == ben.codebook.load().to_json()
        assert anna.segments.rows()[0].code == "Ben's theme/Middle/Deep code"


def test_a_code_renamed_differently_is_a_conflict_and_the_master_name_stays(copies):
    for path, name in ((copies["anna"], "Fear"), (copies["ben"], "Anxiety")):
        with Study.open(path) as study:
            study.codebook.update(study.codebook.find(FEAR), name=name)
    code(copies["ben"], "Ben", "D01-S1-session", "scared", "Initial fear and shame/Anxiety")
    report = merge(copies["anna"], copies["ben"])
    [conflict] = report.conflicts
    assert conflict.kind == "code" and "'Anxiety'" in conflict.message
    with Study.open(copies["anna"], writable=False) as study:
        assert study.segments.rows()[0].code == "Initial fear and shame/Fear"
        assert "Anxiety" not in {c.name for c in study.codebook.load().walk()}


def test_the_same_path_added_in_both_copies_keeps_both_codes(copies):
    for path, coder in ((copies["anna"], "Anna"), (copies["ben"], "Ben")):
        with Study.open(path) as study:
            study.codebook.add("Hope", study.codebook.find("Safety"))
        code(path, coder, "D01-S1-session", "scared", "Safety/Hope")
    report = merge(copies["anna"], copies["ben"])
    assert report.codes_added == 1 and report.segments_added == 1
    assert any("Hope (2)" in c.message for c in report.conflicts)
    with Study.open(copies["anna"], writable=False) as study:
        assert {r.coder: r.code for r in study.segments.rows()} == {
            "Anna": "Safety/Hope", "Ben": "Safety/Hope (2)"}


def test_segment_changed_in_both_copies_is_reported_not_guessed(copies):
    shared = code(copies["master"], "Anna", "D01-S1-session", "scared", FEAR, memo="first")
    for coder in ("anna", "ben"):
        shutil.copy(copies["master"], copies[coder])
    with Study.open(copies["ben"]) as study:
        segment = study.segments.find(shared)
        segment = study.segments.set_memo(segment, "second thoughts")
        study.segments.set_span(segment, segment.start, segment.end + 3)
        study.segments.recode(segment, study.codebook.find(SAFETY))
    report = merge(copies["anna"], copies["ben"])
    [conflict] = report.conflicts
    assert conflict.kind == "segment" and conflict.uuid == shared
    for words in ("spans", "has code", "memo"):
        assert words in conflict.message
    with Study.open(copies["anna"], writable=False) as study:
        kept = study.segments.find(shared)
        assert kept.memo == "first" and study.segments.rows()[0].code == FEAR


def test_a_memo_in_conflict_is_quoted_from_both_sides(copies):
    """The supervisor decides between two memos by reading them, not by opening the copy."""
    long_memo = "on second look a clear repair: she names the misunderstanding first " * 3
    kept = code(copies["master"], "Anna", "D01-S1-session", "scared", FEAR, memo="first")
    emptied = code(copies["master"], "Anna", "D01-S1-session", "I felt safer", SAFETY,
                   memo="borderline")
    shutil.copy(copies["master"], copies["anna"])
    with Study.open(copies["anna"]) as study:
        study.segments.set_memo(study.segments.find(kept), long_memo)
        study.segments.set_memo(study.segments.find(emptied), "")
    report = merge(copies["master"], copies["anna"])
    messages = {conflict.uuid: conflict.message for conflict in report.conflicts}
    assert f"has the memo '{long_memo[:59]}…' (here 'first') in anna.iprw" in messages[kept]
    assert "has no memo (here 'borderline') in anna.iprw" in messages[emptied]
    with Study.open(copies["master"], writable=False) as study:
        assert study.segments.find(kept).memo == "first"

def test_a_segment_the_coder_removed_in_their_copy_is_reported_and_kept(copies):
    """Anna takes a segment back in her copy after the first merge: the second merge kept
    it in the master without a word, so agreement still counted what she retracted."""
    kept = code(copies["anna"], "Anna", "D01-S1-session", "scared", FEAR,
                created_at="2024-05-02T10:00:00+00:00")
    code(copies["anna"], "Anna", "D01-S1-session", "I felt safer", SAFETY,
         created_at="2024-05-02T10:04:00+00:00")
    merge(copies["master"], copies["anna"])
    with Study.open(copies["anna"]) as study:
        study.segments.remove(study.segments.find(kept))
    code(copies["anna"], "Anna", "D01-S1-client-recall", "terrified", FEAR,
         created_at="2024-05-06T09:30:00+00:00")
    report = merge(copies["master"], copies["anna"])
    assert report.segments_added == 1
    [conflict] = report.conflicts
    assert (conflict.kind, conflict.uuid) == ("segment", kept)
    assert conflict.message == (
        "segment by 'Anna' on 'D01-S1-session' "
        f"{SESSION_TXT.index('scared')}–{SESSION_TXT.index('scared') + 6} coded "
        f"'{FEAR}' is not in anna.iprw (removed there?); kept this study's")
    with Study.open(copies["master"], writable=False) as study:
        assert study.segments.find(kept)


def test_segments_coded_after_a_copy_was_made_are_not_taken_for_removed(copies):
    """Round two: Ben's copy holds Anna's first segment; her later ones came in since, and
    the supervisor coded in the master meanwhile."""
    code(copies["anna"], "Anna", "D01-S1-session", "scared", FEAR,
         created_at="2024-05-02T10:00:00+00:00")
    merge(copies["master"], copies["anna"])
    code(copies["master"], "Sam", "D01-S1-session", "I felt safer", FEAR,
         created_at="2024-05-02T11:00:00+00:00")
    shutil.copy(copies["master"], copies["ben"])
    code(copies["anna"], "Anna", "D01-S1-session", "I felt safer", SAFETY,
         created_at="2024-05-06T09:30:00+00:00")
    merge(copies["master"], copies["anna"])
    code(copies["master"], "Sam", "D01-S1-session", "scared", SAFETY)
    with Study.open(copies["master"]) as study:  # a document Ben's copy does not have
        study.documents.import_files([ImportItem(
            write(copies["master"].parent / "t.txt", THERAPIST_RECALL_TXT), "D02", 1,
            "therapist-recall")])
    code(copies["master"], "Anna", "D02-S1-therapist-recall", "slowed right down", SAFETY)
    code(copies["ben"], "Ben", "D01-S1-session", "scared", FEAR)
    report = merge(copies["master"], copies["ben"])
    assert report.segments_added == 1 and report.conflicts == []

def test_a_document_with_another_text_keeps_the_master_text_and_skips_its_segments(copies):
    code(copies["ben"], "Ben", "D01-S1-session", "scared", FEAR)
    code(copies["ben"], "Ben", "D01-S1-client-recall", "terrified", FEAR)
    with Study.open(copies["ben"]) as study:
        study.db.execute("UPDATE documents SET text = text || 'x' WHERE name = 'D01-S1-session'")
    before = snapshot(copies["anna"])["documents"]
    report = merge(copies["anna"], copies["ben"])
    assert any(c.kind == "document" and "another text" in c.message for c in report.conflicts)
    assert report.segments_added == 1 and any("text differs" in s for s in report.skipped)
    assert snapshot(copies["anna"])["documents"] == before


def test_a_new_document_comes_in_whole(copies):
    with Study.open(copies["ben"]) as study:
        study.documents.import_files([ImportItem(
            write(copies["ben"].parent / "t.txt", THERAPIST_RECALL_TXT), "D02", 1,
            "therapist-recall")])
    code(copies["ben"], "Ben", "D02-S1-therapist-recall", "slowed right down", SAFETY)
    report = merge(copies["anna"], copies["ben"])
    assert report.documents_added == 1 and report.segments_added == 1
    anna, ben = snapshot(copies["anna"]), snapshot(copies["ben"])
    for table in ("documents", "utterances", "sentences", "stops", "dyads"):
        assert len(anna[table]) == len(ben[table])
    assert anna["documents"] == ben["documents"]


def test_a_coder_with_the_same_name_but_another_id_is_kept_apart(copies):
    code(copies["anna"], "Carol", "D01-S1-session", "scared", FEAR)
    code(copies["ben"], "Carol", "D01-S1-session", "scared", SAFETY)
    report = merge(copies["anna"], copies["ben"])
    assert any("Carol (2)" in c.message for c in report.conflicts)
    with Study.open(copies["anna"], writable=False) as study:
        assert {r.coder: r.code for r in study.segments.rows()} == {
            "Carol": FEAR, "Carol (2)": SAFETY}


def test_a_document_name_taken_by_another_document_is_added_under_a_free_name(copies):
    for path in (copies["anna"], copies["ben"]):
        with Study.open(path) as study:
            study.documents.import_files([ImportItem(
                write(path.parent / "t.txt", THERAPIST_RECALL_TXT), "D02", 1,
                "therapist-recall")])
    code(copies["ben"], "Ben", "D02-S1-therapist-recall", "slowed right down", SAFETY)
    report = merge(copies["anna"], copies["ben"])
    assert report.documents_added == 1 and report.segments_added == 1
    assert any("D02-S1-therapist-recall (2)" in c.message for c in report.conflicts)
    with Study.open(copies["anna"], writable=False) as study:
        assert [r.document for r in study.segments.rows()] == ["D02-S1-therapist-recall (2)"]


def test_done_marks_reviews_and_the_consensus_layer_come_in(copies):
    uuid = code(copies["ben"], "Ben", "D01-S1-session", "scared", FEAR)
    with Study.open(copies["ben"]) as study:
        supervisor = study.coders.get_or_create("Sam", "supervisor")
        study.segments.review(study.segments.find(uuid), "flagged", supervisor, "check")
        study.coders.mark_done(study.coders.find("Ben"),
                               study.documents.find("D01-S1-session").id)
        consensus = study.coders.consensus()
    report = merge(copies["anna"], copies["ben"])
    assert report.done_added == 1
    with Study.open(copies["anna"], writable=False) as study:
        [row] = study.segments.rows()
        assert (row.status, row.reviewer, row.review_comment) == ("flagged", "Sam", "check")
        assert study.coders.consensus().uuid == consensus.uuid
        assert study.coders.find("Sam").role == "supervisor"


def consensus_segment(path: Path, words: str, code_path: str, supervisor: str = "Sam") -> str:
    """A segment drawn into the consensus layer by a supervisor."""
    with Study.open(path) as study:
        doc = study.documents.find("D01-S1-session")
        start = study.documents.text(doc.id).index(words)
        deciding = study.coders.get_or_create(supervisor, "supervisor")
        action = draw(study, doc.id, start, start + len(words), study.codebook.find(code_path),
                      deciding)
        History(study).do(action)
        return action.segment.uuid


def test_two_consensus_layers_fold_into_the_masters(copies):
    both = consensus_segment(copies["anna"], "scared", FEAR)
    consensus_segment(copies["ben"], "scared", FEAR, "Kim")  # the same decision, taken twice
    only_ben = consensus_segment(copies["ben"], "settled", SAFETY, "Kim")
    report = merge(copies["anna"], copies["ben"])
    assert report.conflicts == [] and report.coders_added == 1  # Kim
    assert report.segments_added == 1
    start = SESSION_TXT.index("scared")
    assert report.skipped == [f"segment by 'Consensus' on 'D01-S1-session' {start}–{start + 6} "
                              f"coded {FEAR!r}: this study's consensus layer already has it"]
    with Study.open(copies["anna"], writable=False) as study:
        assert sum(c.consensus for c in study.coders.list()) == 1
        layer = study.coders.consensus()
        assert {r.id for r in study.segments.rows(coder=layer.name)} == {both, only_ben}
        assert {c.name for c in study.coders.list()} == {"Consensus", "Sam", "Kim"}
    again = merge(copies["anna"], copies["ben"])
    assert again.segments_added == 0 and again.conflicts == [] and len(again.skipped) == 1


def test_a_consensus_layer_comes_into_a_master_without_one(copies):
    theirs = consensus_segment(copies["ben"], "scared", FEAR)
    merge(copies["anna"], copies["ben"])
    with Study.open(copies["anna"], writable=False) as study:
        [row] = study.segments.rows(coder=study.coders.consensus().name)
        assert row.id == theirs


def legacy_coder(path: Path, name: str) -> None:
    """A coder named as the consensus layer, as studies made before the name was refused hold."""
    with Study.open(path) as study, study.transaction() as db:
        db.execute("INSERT INTO coders (uuid, name, role) VALUES (?, ?, 'coder')",
                   [new_uuid(), name])


def test_a_plain_coder_named_consensus_comes_in_renamed(copies):
    legacy_coder(copies["ben"], "consensus")
    with Study.open(copies["ben"]) as study:
        doc = study.documents.find("D01-S1-session")
        start = study.documents.text(doc.id).index("scared")
        study.segments.add(doc.id, start, start + 6, study.codebook.find(FEAR),
                           study.coders.find("consensus"))
    report = merge(copies["anna"], copies["ben"])
    assert [c.message for c in report.conflicts] == [
        "coder 'consensus' from ben.iprw: 'Consensus' is the consensus layer's name, not a "
        "coder's; added as 'consensus (2)'"
    ]
    with Study.open(copies["anna"]) as study:
        [row] = study.segments.rows()
        assert row.coder == "consensus (2)"
        assert not study.coders.find("consensus (2)").consensus
        assert study.coders.consensus().name == "Consensus"


def test_a_segment_on_a_code_that_is_a_theme_in_the_master_is_skipped(copies):
    code(copies["ben"], "Ben", "D01-S1-session", "scared", FEAR)
    with Study.open(copies["anna"]) as study:
        study.codebook.update(study.codebook.find(FEAR), codable=False)
    report = merge(copies["anna"], copies["ben"])
    assert report.segments_added == 0 and any("is a theme" in s for s in report.skipped)
    assert any(c.kind == "code" and "is codable" in c.message for c in report.conflicts)


def test_a_failure_part_way_leaves_the_master_unchanged(copies, monkeypatch):
    code(copies["ben"], "Ben", "D01-S1-session", "scared", FEAR)
    with Study.open(copies["ben"]) as study:
        study.documents.import_files([ImportItem(
            write(copies["ben"].parent / "t.txt", THERAPIST_RECALL_TXT), "D02", 1,
            "therapist-recall")])
    before = snapshot(copies["anna"])

    def broken(self, item, transcript, uuid=None):
        raise StudyError("disk trouble")

    monkeypatch.setattr(DocumentStore, "add_transcript", broken)
    with pytest.raises(StudyError, match="disk trouble"):
        merge(copies["anna"], copies["ben"])
    assert snapshot(copies["anna"]) == before


def test_cancelling_leaves_the_master_unchanged(copies):
    code(copies["ben"], "Ben", "D01-S1-session", "scared", FEAR)
    before = snapshot(copies["anna"])

    def cancel(fraction, message):
        if fraction >= 0.9:
            raise Cancelled()

    with pytest.raises(Cancelled):
        merge(copies["anna"], copies["ben"], progress=cancel)
    assert snapshot(copies["anna"]) == before


def test_merging_a_study_into_itself_or_a_non_study_is_refused(copies, tmp_path):
    with pytest.raises(StudyError, match="itself"):
        merge(copies["anna"], copies["anna"])
    with pytest.raises(StudyError, match="not an IPR Workbench study"):
        merge(copies["anna"], write(tmp_path / "x.iprw", "hello" * 40))
    with pytest.raises(StudyError, match="does not exist"):
        merge(copies["anna"], tmp_path / "absent.iprw")


def test_a_missing_copy_is_named_as_the_copy_not_offered_to_be_created(copies, tmp_path):
    before = snapshot(copies["master"])
    with pytest.raises(StudyError) as refused:
        merge(copies["master"], tmp_path / "anna-final.iprw")
    message = str(refused.value)
    assert message.startswith(f"the copy to merge, {tmp_path / 'anna-final.iprw'}, does not exist")
    assert "ipr-workbench new" not in message  # creating an empty copy would merge nothing
    assert snapshot(copies["master"]) == before


def test_a_study_made_separately_is_refused_not_merged_as_a_second_codebook(
        copies, transcripts, tmp_path):
    """A coder who built their own study from the same transcripts shares no id with the
    master: merged, every code and document would come in again as 'Safety (2)' …"""
    from coding.backup import list_backups

    separate = tmp_path / "cleo.iprw"
    with Study.create(separate) as study:
        study.documents.import_files([ImportItem(transcripts["session"], "D01", 1, "session")])
    code(separate, "Cleo", "D01-S1-session", "scared", FEAR)
    before = snapshot(copies["master"])
    with pytest.raises(StudyError) as refused:
        merge(copies["master"], separate)
    message = str(refused.value)
    assert message.startswith(f"{separate.name} is not a copy of {copies['master'].name}")
    for words in ("no document, code or coder", "nothing was merged"):
        assert words in message
    assert snapshot(copies["master"]) == before and list_backups(copies["master"]) == []


def test_a_copy_sharing_only_its_codebook_still_merges(copies, transcripts, tmp_path):
    """The master had no transcripts yet when it was copied: the codebook alone ties them."""
    empty = tmp_path / "empty.iprw"
    Study.create(empty).close()
    copy = tmp_path / "copy.iprw"
    shutil.copy(empty, copy)
    with Study.open(copy) as study:
        study.documents.import_files([ImportItem(transcripts["session"], "D01", 1, "session")])
    code(copy, "Cleo", "D01-S1-session", "scared", FEAR)
    report = merge(empty, copy)
    assert (report.documents_added, report.segments_added, report.codes_added) == (1, 1, 0)


def test_report_json_lists_counts_and_conflicts(copies):
    code(copies["anna"], "Carol", "D01-S1-session", "scared", FEAR)
    code(copies["ben"], "Carol", "D01-S1-session", "scared", SAFETY)
    data = merge(copies["anna"], copies["ben"]).to_json()
    assert data["added"] == {"coders": 1, "codes": 0, "documents": 0, "segments": 1, "done": 0}
    assert data["conflicts"][0]["kind"] == "coder"


def test_a_backup_is_taken_before_merging(copies):
    from coding.backup import list_backups

    code(copies["anna"], "Anna", "D01-S1-session", "I felt safer.", SAFETY)
    assert list_backups(copies["master"]) == []
    merge(copies["master"], copies["anna"])
    [backup] = list_backups(copies["master"])
    assert "before-merge" in backup.name
    with Study.open(backup, writable=False) as before:
        assert before.segments.rows() == []
