"""Importing documents into a study: names, speakers, all-or-nothing, reading back."""

from __future__ import annotations

import pytest

from coding.documents import ImportItem
from coding.errors import StudyError
from tests.conftest import SESSION_TXT, digest, write
from transcripts.errors import TranscriptError


def test_import_stores_text_utterances_sentences_stops_and_speakers(loaded):
    docs = {d.perspective: d for d in loaded.documents.list()}
    assert [d.name for d in loaded.documents.list()] == [
        "D01-S1-session", "D01-S1-client-recall", "D01-S1-therapist-recall"
    ]
    session = docs["session"]
    assert loaded.documents.text(session.id) == SESSION_TXT
    assert (session.utterances, session.stops, session.start, session.end) == (5, 0, 5.0, 120.0)
    assert session.sentences >= 8
    assert docs["client-recall"].stops == 3
    text = loaded.documents.text(session.id)
    for sentence in loaded.documents.sentences(session.id):
        assert text[sentence.char_start:sentence.char_end].strip() == text[
            sentence.char_start:sentence.char_end]


def test_several_files_get_default_names_unless_they_would_clash(study, tmp_path):
    a = write(tmp_path / "a.txt", "T: one\nC: two\n")
    b = write(tmp_path / "b.txt", "T: one\nC: two\n")
    c = write(tmp_path / "c.txt", "T: one\nC: two\n")
    docs = study.documents.import_files([
        ImportItem(a, "D02", 1, "session"),
        ImportItem(b, "D02", 1, "client-recall"),
        ImportItem(c, "D02", 1, "client-recall"),
    ])
    assert [d.name for d in docs] == [
        "D02-S1-session", "D02-S1-client-recall-b", "D02-S1-client-recall-c"
    ]


def test_a_bad_file_in_a_batch_imports_nothing(study, tmp_path):
    good = write(tmp_path / "good.txt", "T: hello\nC: hi\n")
    bad = write(tmp_path / "bad.txt", "")
    before = digest(study.path)
    with pytest.raises(TranscriptError, match="bad.txt"):
        study.documents.import_files([
            ImportItem(good, "D02", 1, "session"), ImportItem(bad, "D02", 1, "client-recall")
        ])
    assert study.documents.list() == []
    assert digest(study.path) == before


@pytest.mark.parametrize(
    "dyad, session, perspective, message",
    [
        ("", 1, "session", "dyad id"),
        ("D/1", 1, "session", "dyad id"),
        ("D\x0001", 1, "session", "control characters"),
        ("D0\t1", 1, "session", "control characters"),
        ("D\x9b01", 1, "session", "control characters"),
        ("D01", 0, "session", "session must be a whole number of 1 or more"),
        ("D01", "one", "session", "session must be a whole number"),
        ("D01", "1.5", "session", "session must be a whole number"),
        ("D01", "-1", "session", "session must be a whole number of 1 or more"),
        ("D01", "00", "session", "session must be a whole number of 1 or more"),
        ("D01", 1, "observer", "unknown perspective 'observer'"),
    ],
)
def test_bad_placements_are_refused_before_reading(study, tmp_path, dyad, session, perspective,
                                                   message):
    path = write(tmp_path / "t.txt", "T: hello\n")
    with pytest.raises(StudyError, match=message):
        study.documents.import_files([ImportItem(path, dyad, session, perspective)])


@pytest.mark.parametrize("session", ["01", " 2 ", 3, 4.0])
def test_session_numbers_as_people_type_them(study, tmp_path, session):
    path = write(tmp_path / "t.txt", "T: hello\n")
    [doc] = study.documents.import_files([ImportItem(path, "D01", session, "session")])
    assert doc.session == int(float(session)) and doc.name == f"D01-S{doc.session}-session"


def test_duplicate_name_is_an_error_unless_renamed(loaded, transcripts):
    item = ImportItem(transcripts["session"], "D01", 1, "session")
    with pytest.raises(StudyError, match="'D01-S1-session' already exists"):
        loaded.documents.import_files([item])
    [doc] = loaded.documents.import_files([ImportItem(item.path, "D01", 1, "session", "Take 2")])
    assert doc.name == "Take 2"


def test_declared_speakers_are_remembered_by_the_study(study, tmp_path):
    first = write(tmp_path / "a.txt", "Dr. Lind: Welcome.\nAnna: Thanks.\n")
    [doc] = study.documents.import_files(
        [ImportItem(first, "D03", 1, "session")],
        speaker_roles={"Dr. Lind": "therapist", "Anna": "client"},
    )
    assert doc.speakers == {"Dr. Lind": "therapist", "Anna": "client"}
    second = write(tmp_path / "b.txt", "Anna: I remember this.\n")
    [doc] = study.documents.import_files([ImportItem(second, "D03", 1, "client-recall")])
    assert doc.speakers == {"Anna": "client"}
    assert study.documents.speaker_roles() == {"Dr. Lind": "therapist", "Anna": "client"}


def test_speaker_role_override_updates_existing_utterances(loaded):
    changed = loaded.documents.set_speaker_role("I", "other")
    assert changed == 4
    assert loaded.documents.set_speaker_role("i", "other") == 0  # counts only real changes
    client = loaded.documents.find("D01-S1-client-recall")
    assert {u.role for u in loaded.documents.utterances(client.id) if u.speaker == "I"} == {"other"}
    with pytest.raises(StudyError, match="must be one of"):
        loaded.documents.set_speaker_role("I", "boss")


def test_delete_removes_document_segments_and_search_entries(loaded):
    from coding.search import search

    doc = loaded.documents.find("D01-S1-session")
    loaded.segments.add(doc.id, 60, 70, loaded.codebook.find("Rupture and repair/Repair"), "A")
    assert search(loaded, "courage")
    loaded.documents.delete(doc)
    assert search(loaded, "courage") == []
    assert loaded.segments.rows() == []
    assert [d.name for d in loaded.documents.list()] == [
        "D01-S1-client-recall", "D01-S1-therapist-recall"
    ]


def test_declared_roles_are_stored_in_their_canonical_form(study, tmp_path):
    """`--speaker P1=Client` is the client role, not a database constraint failure."""
    path = write(tmp_path / "a.txt", "P1: Hello.\nT: Hi.\n")
    [doc] = study.documents.import_files(
        [ImportItem(path, "D04", 1, "session")], speaker_roles={" P1 ": " Client "}
    )
    assert doc.speakers == {"P1": "client", "T": "therapist"}
    assert study.documents.speaker_roles() == {"P1": "client"}


def test_a_given_name_is_trimmed_and_a_blank_one_refused(study, tmp_path):
    path = write(tmp_path / "a.txt", "T: Hello.\nC: Hi.\n")
    with pytest.raises(StudyError, match="cannot be blank"):
        study.documents.import_files([ImportItem(path, "D05", 1, "session", "   ")])
    assert study.documents.list() == []
    [doc] = study.documents.import_files([ImportItem(path, "D05", 1, "session", " Intake ")])
    assert doc.name == "Intake"
    with pytest.raises(StudyError, match="already exists"):
        study.documents.import_files([ImportItem(path, "D05", 1, "other", "Intake  ")])


def test_a_folder_is_not_taken_for_a_missing_file(study, tmp_path):
    with pytest.raises(TranscriptError, match="a folder, not a file"):
        study.documents.import_files([ImportItem(tmp_path, "D05", 1, "session")])


@pytest.mark.parametrize("name", ["first\tsession", "line\nbreak", "bell\x07"])
def test_document_names_with_control_characters_are_refused(loaded, tmp_path, name):
    path = write(tmp_path / "t.txt", "T: hello\n")
    with pytest.raises(StudyError, match="control character"):
        loaded.documents.import_files([ImportItem(path, "D09", 1, "session", name)])
    doc = loaded.documents.find("D01-S1-session")
    with pytest.raises(StudyError, match="control character"):
        loaded.documents.rename(doc, name)
    assert loaded.documents.find("D01-S1-session").id == doc.id


def test_a_role_declared_on_import_applies_to_documents_already_in_the_study(study, tmp_path):
    """SPEC §4: the mapping is per study, so `--speaker P1=client` relabels earlier P1 turns."""
    first = write(tmp_path / "a.txt", "T: Hello.\nP1: Hi.\nP1: Still here.\n")
    [old] = study.documents.import_files([ImportItem(first, "D05", 1, "session")])
    assert old.speakers == {"T": "therapist", "P1": "other"}
    second = write(tmp_path / "b.txt", "I: What happened here?\nP1: I froze.\n")
    study.documents.import_files(
        [ImportItem(second, "D05", 1, "client-recall")], speaker_roles={"P1": "client"}
    )
    assert study.documents.get(old.id).speakers == {"T": "therapist", "P1": "client"}
    assert [u.role for u in study.documents.utterances(old.id)] == ["therapist", "client", "client"]
