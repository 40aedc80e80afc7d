"""The codebook: default content, paths, editing, merging and CSV exchange."""

from __future__ import annotations

import pytest

from coding.codebook import CodeSpec, join_path, split_path
from coding.codebook_csv import read_codebook_csv, write_codebook_csv
from coding.codebook_store import ImportSummary
from coding.errors import StudyError
from coding.study import Study


def test_default_codebook_has_usable_definitions_and_unique_shortcuts(study):
    book = study.codebook.load()
    themes = {theme.name: [c.name for c in theme.children] for theme in book.roots}
    assert themes["Going all in"] == ["Leap of faith", "Letting the guard down"]
    assert themes["Working alliance"] == ["Agreement on goals", "Agreement on tasks", "Bond"]
    assert all(not theme.codable for theme in book.roots)
    for code in book.applicable():
        assert len(code.definition) > 60 and code.inclusion and code.exclusion and code.example
        assert code.color.startswith("#") and len(code.color) == 7
    shortcuts = [c.shortcut for c in book.applicable()]
    assert len(set(shortcuts)) == len(shortcuts) == 17


def test_find_by_path_exact_then_case_insensitive_with_a_hint(study):
    book = study.codebook.load()
    assert book.find("Safety/Growing sense of safety").name == "Growing sense of safety"
    assert book.find("safety/growing SENSE of safety").path == "Safety/Growing sense of safety"
    with pytest.raises(StudyError, match="did you mean 'Safety/Growing sense of safety'"):
        book.find("Safety/Growing sense of safty")


@pytest.mark.parametrize("names", [["A"], ["A", "B/C"], ["x\\y", "z"], ["a/", "/b"]])
def test_paths_round_trip_names_with_slashes(names):
    assert split_path(join_path(names)) == [n.strip() for n in names]


def test_add_edit_move_and_sibling_names(study):
    theme = study.codebook.add("Mentalising", codable=False, color="#123456")
    code = study.codebook.add("Curiosity about mind", theme, definition="Wondering about states")
    assert code.path == "Mentalising/Curiosity about mind"
    assert code.color == "#123456"  # inherits the theme's colour
    with pytest.raises(StudyError, match="already exists under the same parent"):
        study.codebook.add("Curiosity about mind", theme)
    renamed = study.codebook.update(code, name="Curiosity", shortcut="Ctrl+M")
    assert renamed.path == "Mentalising/Curiosity" and renamed.shortcut == "Ctrl+M"
    with pytest.raises(StudyError, match="already used by"):
        study.codebook.update(renamed, shortcut="1")
    safety = study.codebook.find("Safety")
    moved = study.codebook.move(renamed, safety, 0)
    assert moved.path == "Safety/Curiosity"
    assert [c.name for c in study.codebook.find("Safety").children][0] == "Curiosity"
    with pytest.raises(StudyError, match="into itself"):
        study.codebook.move(safety, study.codebook.find("Safety/Curiosity"))


def test_delete_is_refused_while_segments_use_the_code(loaded):
    doc = loaded.documents.find("D01-S1-session")
    code = loaded.codebook.find("Safety/Growing sense of safety")
    loaded.segments.add(doc.id, 60, 70, code, "Alex")
    with pytest.raises(StudyError, match="1 coded segment"):
        loaded.codebook.delete(loaded.codebook.find("Safety"))
    unused = loaded.codebook.find("Going all in")
    loaded.codebook.delete(unused)
    assert "Going all in/Leap of faith" not in loaded.codebook.load().by_path


def test_merge_recodes_segments_drops_duplicates_and_unmerge_restores(loaded):
    doc = loaded.documents.find("D01-S1-session")
    fear = loaded.codebook.find("Initial fear and shame/Fear and anxiety")
    shame = loaded.codebook.find("Initial fear and shame/Shame and feeling unworthy")
    loaded.segments.add(doc.id, 60, 70, fear, "Alex")
    loaded.segments.add(doc.id, 60, 70, shame, "Alex")  # same span: becomes a duplicate
    kept = loaded.segments.add(doc.id, 80, 90, shame, "Sam")
    snapshot = loaded.codebook.merge(shame, fear)
    assert "Initial fear and shame/Shame and feeling unworthy" not in loaded.codebook.load().by_path
    rows = loaded.segments.rows()
    assert [(r.start, r.coder, r.code) for r in rows] == [
        (60, "Alex", fear.path),
        (80, "Sam", fear.path),
    ]
    loaded.codebook.unmerge(snapshot)
    rows = loaded.segments.rows()
    assert sorted((r.start, r.code) for r in rows) == [
        (60, fear.path), (60, shame.path), (80, shame.path)
    ]
    assert loaded.segments.find(kept.uuid).code_id == shame.id


def test_csv_round_trip_keeps_tree_fields_and_ids(study, tmp_path):
    path = tmp_path / "book.csv"
    write_codebook_csv(study.codebook.load(), path)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    specs = read_codebook_csv(path)
    with Study.create(tmp_path / "copy.iprw", codebook=specs) as copy:
        original, copied = study.codebook.load(), copy.codebook.load()
        assert [c.path for c in copied.walk()] == [c.path for c in original.walk()]
        assert [c.uuid for c in copied.walk()] == [c.uuid for c in original.walk()]
        assert [c.definition for c in copied.walk()] == [c.definition for c in original.walk()]
        assert [c.codable for c in copied.walk()] == [c.codable for c in original.walk()]


def test_csv_creates_missing_parents_as_themes_and_reports_bad_rows(tmp_path):
    path = tmp_path / "b.csv"
    path.write_text("path,definition\nTrust/Early trust,first signs\n", encoding="utf-8")
    [theme] = read_codebook_csv(path)
    assert theme.name == "Trust" and not theme.codable
    assert theme.children[0].definition == "first signs" and theme.children[0].codable
    path.write_text("path,codable\nA,maybe\n", encoding="utf-8")
    with pytest.raises(StudyError, match=r"b.csv, line 2: codable"):
        read_codebook_csv(path)
    path.write_text("name\nA\n", encoding="utf-8")
    with pytest.raises(StudyError, match=r"missing column\(s\) path"):
        read_codebook_csv(path)


def test_import_specs_updates_by_id_and_path_and_adds_new(study):
    fear = study.codebook.find("Initial fear and shame/Fear and anxiety")
    summary = study.codebook.import_specs([
        CodeSpec(name="Renamed elsewhere", uuid=fear.uuid, definition="New definition"),
        CodeSpec(name="Safety", codable=False, children=(CodeSpec(name="Predictability"),)),
    ])
    assert summary.added == 1 and summary.updated == 1  # Safety itself is as it was
    moved = study.codebook.load().by_uuid[fear.uuid]
    assert (moved.path, moved.definition) == ("Renamed elsewhere", "New definition")
    assert study.codebook.find("Safety/Predictability").codable


def test_reimporting_an_edited_export_renames_moves_and_counts_only_changes(study, tmp_path):
    """A codebook exported, edited in a spreadsheet and imported again says what changed."""
    path = tmp_path / "codebook.csv"
    write_codebook_csv(study.codebook.load(), path)
    assert study.codebook.import_specs(read_codebook_csv(path)) == ImportSummary(0, 0)
    fear = study.codebook.find("Initial fear and shame/Fear and anxiety")
    text = path.read_text(encoding="utf-8-sig")
    text = text.replace("Initial fear and shame/Fear and anxiety,", "Safety/Fear and dread,")
    path.write_text(text, encoding="utf-8-sig")
    assert study.codebook.import_specs(read_codebook_csv(path)) == ImportSummary(0, 1)
    renamed = study.codebook.load().by_uuid[fear.uuid]
    assert renamed.path == "Safety/Fear and dread"
    assert renamed.definition == fear.definition and renamed.shortcut == fear.shortcut
    assert "Fear and anxiety" not in {c.name for c in study.codebook.load().by_id.values()}


def test_a_code_holding_segments_stays_codable(loaded):
    doc = loaded.documents.find("D01-S1-session")
    code = loaded.codebook.find("Safety/Growing sense of safety")
    loaded.segments.add(doc.id, 60, 70, code, "Alex")
    with pytest.raises(StudyError, match="has 1 coded segment.*recode"):
        loaded.codebook.update(code, codable=False)
    with pytest.raises(StudyError, match="Safety/Growing sense of safety"):
        loaded.codebook.import_specs([
            CodeSpec(name="Renamed", uuid=code.uuid, definition="New", codable=False),
        ])
    stored = loaded.codebook.find(code.path)
    assert stored.codable and stored.definition == code.definition
    theme = loaded.codebook.find("Going all in/Leap of faith")
    assert not loaded.codebook.update(theme, codable=False).codable  # unused: allowed
