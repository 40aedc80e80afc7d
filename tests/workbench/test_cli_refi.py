"""`export --qdpx`, `import-qdpx`, `merge` and .qdc codebooks on the command line, in process."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from coding.study import Study
from tests.conftest import SESSION_TXT, digest, write
from tests.exports.refi.refi_helpers import (
    SOURCE,
    USER,
    guid,
    make_qdpx,
    project_xml,
    selection,
    text_source,
)
from workbench.cli import main

SAMPLES = Path(__file__).parents[1] / "exports" / "refi"
ENTRY_POINT = Path(sys.executable).parent / "ipr-workbench"


def cli(capsys, *args) -> tuple[int, str, str]:
    status = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def made(tmp_path, capsys) -> Path:
    study = tmp_path / "s.iprw"
    assert cli(capsys, "new", study)[0] == 0
    session = write(tmp_path / "session.txt", SESSION_TXT)
    assert cli(capsys, "import", study, session, "--dyad", "D01", "--session", "1",
               "--perspective", "session")[0] == 0
    start = SESSION_TXT.index("scared")
    assert cli(capsys, "code", study, "--coder", "Anna", "--document", "D01-S1-session",
               "--start", start, "--end", start + 6, "--code",
               "Initial fear and shame/Fear and anxiety", "--memo", "judged")[0] == 0
    return study


def test_export_writes_a_qdpx_and_says_what_it_holds(made, tmp_path, capsys):
    status, out, err = cli(capsys, "export", made, "--qdpx", tmp_path / "s.qdpx")
    assert status == 0 and err == ""
    assert "1 documents" in out and "1 segments" in out and "1 memos" in out
    with zipfile.ZipFile(tmp_path / "s.qdpx") as archive:
        assert "project.qde" in archive.namelist()


def test_export_warns_of_reviews_and_done_marks_it_cannot_carry(made, tmp_path, capsys):
    with Study.open(made) as study:
        sam = study.coders.get_or_create("Sam", "supervisor")
        [segment] = study.segments.for_document(study.documents.find("D01-S1-session").id)
        study.segments.review(segment, "approved", sam)
    status, out, err = cli(capsys, "export", made, "--qdpx", tmp_path / "s.qdpx")
    assert status == 0 and out.startswith(f"wrote {tmp_path / 's.qdpx'}: 1 documents")
    assert err.splitlines() == [
        "warning: 1 review decision (approved or flagged, with its comment) is not in a "
        "REFI-QDA project; the study file keeps it"]

def test_export_needs_the_qdpx_option(made, capsys):
    with pytest.raises(SystemExit) as exited:
        main(["export", str(made)])
    err = capsys.readouterr().err
    assert exited.value.code == 2 and err.startswith("error:") and "--qdpx" in err


@pytest.mark.parametrize(("command", "option", "wrong", "right"), [
    ("export", "--qdpx", "out.txt", "OUT.QDPX"),
    ("export", "--qdpx", "out", "out.qdpx"),
    ("segments", "--csv", "segments.txt", "segments.CSV"),
    ("segments", "--xlsx", "segments.csv", "segments.xlsx"),
    ("report", "--docx", "report.pdf", "report.Docx"),
    ("codebook", "--export", "codebook.txt", "codebook.QDC"),
])
def test_an_export_target_must_carry_its_formats_extension(made, tmp_path, capsys, command,
                                                           option, wrong, right):
    status, out, err = cli(capsys, command, made, option, tmp_path / wrong)
    assert status == 2 and out == "" and err.count("\n") == 1
    assert err.startswith(f"error: {tmp_path / wrong}: ") and Path(right).suffix.lower() in err
    assert not (tmp_path / wrong).exists()
    status, _, err = cli(capsys, command, made, option, tmp_path / right)
    assert status == 0 and (tmp_path / right).is_file()


def test_import_qdpx_creates_a_study_from_a_real_sample(tmp_path, capsys):
    status, out, err = cli(capsys, "import-qdpx", tmp_path / "qc.iprw",
                           SAMPLES / "qc-tool_demo.qdpx")
    assert status == 0 and err == ""
    assert out.startswith("created") and "205 segments added" in out
    status, out, _ = cli(capsys, "segments", tmp_path / "qc.iprw", "--json")
    assert status == 0 and len(json.loads(out)) == 205


def test_import_qdpx_prints_warnings_on_stderr_and_succeeds(tmp_path, capsys):
    status, out, err = cli(capsys, "import-qdpx", tmp_path / "n.iprw",
                           SAMPLES / "nvivo_project.qdpx")
    lines = err.splitlines()
    assert status == 0 and len(lines) == 2
    assert all(line.startswith("warning: ") and "imported empty" in line for line in lines)
    assert "2 documents" in out


def test_import_qdpx_merges_into_an_existing_study(made, tmp_path, capsys):
    cli(capsys, "export", made, "--qdpx", tmp_path / "s.qdpx")
    status, out, err = cli(capsys, "import-qdpx", made, tmp_path / "s.qdpx")
    assert status == 0 and out.startswith("merged into") and "0 segments added" in out
    assert err == ""


def test_import_qdpx_refusal_is_one_error_line_and_changes_nothing(made, tmp_path, capsys):
    bogus = write(tmp_path / "bogus.qdpx", "not a zip at all")
    before = digest(made)
    status, out, err = cli(capsys, "import-qdpx", made, bogus)
    assert status == 2 and out == "" and err.count("\n") == 1
    assert err.startswith("error: ") and "bogus.qdpx" in err
    assert digest(made) == before
    status, _, err = cli(capsys, "import-qdpx", tmp_path / "new.iprw", bogus)
    assert status == 2 and err.startswith("error: ")
    assert not (tmp_path / "new.iprw").exists()


def _large_qdpx(path: Path, sources: int = 10) -> Path:
    """A project big enough that importing it takes seconds (time to interrupt it)."""
    turn = ("T: I wonder what it was like for you to say that out loud just now.\n"
            "C: It was scary, honestly. I felt small and then a bit safer.\n")
    text = turn * 1500
    elements, members = [], {}
    for number in range(sources):
        source = guid(number, "source")
        selections = "".join(
            selection(i * len(turn), i * len(turn) + 20, sel_guid=guid(number * 10_000 + i, "s"),
                      coding_guid=guid(number * 10_000 + i, "c"))
            for i in range(0, 1500, 5)
        )
        elements.append(text_source(selections, name=f"Interview {number}", guid_=source))
        members[f"sources/{source}.txt"] = text
    return make_qdpx(path, project_xml("".join(elements)), members)


@pytest.mark.parametrize("signal_number", [signal.SIGTERM, signal.SIGINT])
def test_import_qdpx_stopped_midway_leaves_no_study_behind(tmp_path, signal_number):
    qdpx = _large_qdpx(tmp_path / "big.qdpx")
    process = subprocess.Popen([str(ENTRY_POINT), "import-qdpx", str(tmp_path / "new.iprw"),
                                str(qdpx)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    deadline = time.monotonic() + 60
    while len(list(tmp_path.iterdir())) == 1 and process.poll() is None:
        assert time.monotonic() < deadline
        time.sleep(0.01)
    time.sleep(0.3)  # well into the import: the study is made, documents are going in
    process.send_signal(signal_number)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 2 and err.startswith("error: interrupted")
    assert [p.name for p in tmp_path.iterdir()] == ["big.qdpx"]


def test_import_qdpx_refuses_a_hostile_archive(tmp_path, capsys):
    hostile = tmp_path / "evil.qdpx"
    with zipfile.ZipFile(hostile, "w") as archive:
        archive.writestr("project.qde", '<Project xmlns="urn:QDA-XML:project:1.0" name="x"/>')
        archive.writestr("../../escape.txt", "gotcha")
    status, _, err = cli(capsys, "import-qdpx", tmp_path / "new.iprw", hostile)
    assert status == 2 and "outside the archive" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["evil.qdpx"]


def test_merge_prints_a_summary_and_conflicts(made, tmp_path, capsys):
    other = tmp_path / "other.iprw"
    shutil.copy(made, other)
    start = SESSION_TXT.index("safer")
    cli(capsys, "code", other, "--coder", "Ben", "--document", "D01-S1-session", "--start",
        start, "--end", start + 5, "--code", "Safety/Growing sense of safety")
    cli(capsys, "code", made, "--coder", "Ben", "--document", "D01-S1-session", "--start",
        start, "--end", start + 5, "--code", "Safety/Growing sense of safety")
    status, out, err = cli(capsys, "merge", made, other)
    assert status == 0
    assert "1 coder, 0 codes, 0 documents, 1 segment, 0 done marks added" in out
    assert err.startswith("warning: conflict: coder 'Ben'") and "Ben (2)" in err
    status, out, _ = cli(capsys, "merge", made, other, "--json")
    data = json.loads(out)
    assert status == 0 and data["added"]["segments"] == 0 and len(data["conflicts"]) == 1


def _segment_id(study: Path, capsys) -> str:
    status, out, _ = cli(capsys, "segments", study, "--json")
    assert status == 0
    [segment] = json.loads(out)
    return segment["id"]


def test_merge_conflicts_are_warnings_on_stderr_in_a_researchers_terms(made, tmp_path, capsys):
    other = tmp_path / "other.iprw"
    shutil.copy(made, other)
    segment = _segment_id(made, capsys)
    start = SESSION_TXT.index("scared")
    with Study.open(other) as study:
        study.segments.set_span(study.segments.find(segment), start, start + 3)
    status, out, err = cli(capsys, "merge", made, other)
    assert status == 0
    assert out.splitlines() == [
        f"merged {other} into {made}: 0 coders, 0 codes, 0 documents, 0 segments, "
        f"0 done marks added from other.iprw; 1 conflict, 0 skipped"
    ]
    [line] = err.splitlines()
    assert line.startswith("warning: conflict: ")
    for words in ("'Anna'", "'D01-S1-session'", f"{start}–{start + 6}",
                  "'Initial fear and shame/Fear and anxiety'", f"spans {start}–{start + 3}"):
        assert words in line
    assert segment not in line


def test_merge_skipped_segments_are_warnings_naming_the_document(made, tmp_path, capsys):
    other = tmp_path / "other.iprw"
    shutil.copy(made, other)
    start = SESSION_TXT.index("safer")
    cli(capsys, "code", other, "--coder", "Anna", "--document", "D01-S1-session", "--start",
        start, "--end", start + 5, "--code", "Safety/Growing sense of safety")
    with Study.open(other) as study:
        study.db.execute("UPDATE documents SET text = text || 'x'")
    status, out, err = cli(capsys, "merge", made, other)
    assert status == 0 and "1 conflict, 1 skipped" in out and len(out.splitlines()) == 1
    lines = err.splitlines()
    assert all(line.startswith("warning: ") for line in lines) and len(lines) == 2
    assert any("skipped 1 segment on document 'D01-S1-session'" in line for line in lines)


def test_merge_refuses_something_that_is_not_a_study(made, tmp_path, capsys):
    before = digest(made)
    status, _, err = cli(capsys, "merge", made, write(tmp_path / "x.iprw", "x" * 200))
    assert status == 2 and err.startswith("error:") and digest(made) == before


def test_codebook_export_and_import_through_qdc(made, tmp_path, capsys):
    qdc = tmp_path / "book.qdc"
    status, out, _ = cli(capsys, "codebook", made, "--export", qdc)
    assert status == 0 and qdc.exists()
    status, _, _ = cli(capsys, "new", tmp_path / "fresh.iprw", "--codebook", qdc)
    assert status == 0
    _, original, _ = cli(capsys, "codebook", made, "--json")
    _, fresh, _ = cli(capsys, "codebook", tmp_path / "fresh.iprw", "--json")
    assert json.loads(fresh) == json.loads(original)
    status, out, _ = cli(capsys, "codebook", made, "--import", qdc)
    assert status == 0 and "0 added" in out


def test_codebook_import_refuses_a_qdc_with_a_dtd(made, tmp_path, capsys):
    qdc = write(tmp_path / "evil.qdc",
                '<!DOCTYPE CodeBook [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
                "<CodeBook><Codes/></CodeBook>")
    before = digest(made)
    status, _, err = cli(capsys, "codebook", made, "--import", qdc)
    assert status == 2 and "DTD" in err and digest(made) == before


def test_codebook_csv_ids_must_be_guids_and_come_in_canonical(made, tmp_path, capsys):
    """An id that is no GUID would make every later .qdpx/.qdc export invalid."""
    before = digest(made)
    bad = write(tmp_path / "bad.csv", "path,id\nNew code,not-a-guid\n")
    status, _, err = cli(capsys, "codebook", made, "--import", bad)
    assert status == 2 and err.startswith("error:") and "line 2" in err
    assert digest(made) == before
    braced = write(tmp_path / "braced.csv",
                   "path,id\nNew code,{AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE}\n")
    assert cli(capsys, "codebook", made, "--import", braced)[0] == 0
    _, out, _ = cli(capsys, "codebook", made, "--json")
    assert "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee" in [code["id"] for code in json.loads(out)]


_TWIN_CODES = (
    '<Code guid="aaaaaaaa-0000-4000-8000-000000000001" name="Emotions" isCodable="false">'
    '<Code guid="aaaaaaaa-0000-4000-8000-000000000002" name="Fear">'
    "<Description>first</Description></Code>"
    '<Code guid="aaaaaaaa-0000-4000-8000-000000000003" name="Fear">'
    "<Description>second</Description>"
    '<Code guid="aaaaaaaa-0000-4000-8000-000000000005" name="Child"/></Code>'
    '<Code guid="aaaaaaaa-0000-4000-8000-000000000007" name="Fear (2)"/>'
    "</Code>"
    '<Code guid="aaaaaaaa-0000-4000-8000-000000000004" name="Other">'
    '<Code guid="aaaaaaaa-0000-4000-8000-000000000006" name="Fear"/></Code>'
)
_TWIN_WARNING = ("warning: codes under 'Emotions' share the name 'Fear'; one came in as "
                 "'Fear (3)' (rename it in the codebook as you like)")


def _paths(study: Path, capsys) -> dict[str, tuple[str, str]]:
    """Every code's path → (id, definition), from `codebook --json`."""
    status, out, _ = cli(capsys, "codebook", study, "--json")
    assert status == 0
    found = {}

    def walk(nodes):
        for node in nodes:
            found[node["path"]] = (node["id"], node["definition"])
            walk(node["children"])

    walk(json.loads(out))
    return found


def _check_twins_came_in(paths: dict[str, tuple[str, str]]) -> None:
    assert paths["Emotions/Fear"] == ("aaaaaaaa-0000-4000-8000-000000000002", "first")
    assert paths["Emotions/Fear (3)"] == ("aaaaaaaa-0000-4000-8000-000000000003", "second")
    assert paths["Emotions/Fear (3)/Child"][0] == "aaaaaaaa-0000-4000-8000-000000000005"
    assert paths["Emotions/Fear (2)"][0] == "aaaaaaaa-0000-4000-8000-000000000007"
    assert paths["Other/Fear"][0] == "aaaaaaaa-0000-4000-8000-000000000006"


@pytest.mark.parametrize("how", ["new", "import"])
def test_a_qdc_with_twin_sibling_codes_comes_in_with_a_warning(tmp_path, capsys, how):
    qdc = write(tmp_path / "nvivo.qdc", '<?xml version="1.0" encoding="utf-8"?>'
                '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>'
                f"{_TWIN_CODES}</Codes></CodeBook>")
    study = tmp_path / "s.iprw"
    if how == "new":
        status, out, err = cli(capsys, "new", study, "--codebook", qdc)
    else:
        assert cli(capsys, "new", study, "--codebook", "none")[0] == 0
        status, out, err = cli(capsys, "codebook", study, "--import", qdc)
    assert status == 0 and err.splitlines() == [_TWIN_WARNING]
    _check_twins_came_in(_paths(study, capsys))


def test_a_qdpx_with_twin_sibling_codes_warns_the_same_way(tmp_path, capsys):
    project = project_xml(text_source(selection(0, 5, code="aaaaaaaa-0000-4000-8000-000000000003")),
                          codes=f"<CodeBook><Codes>{_TWIN_CODES}</Codes></CodeBook>")
    qdpx = make_qdpx(tmp_path / "p.qdpx", project, {f"sources/{SOURCE}.txt": "Hello there"})
    status, _, err = cli(capsys, "import-qdpx", tmp_path / "s.iprw", qdpx)
    assert status == 0 and err.splitlines() == [_TWIN_WARNING]
    _check_twins_came_in(_paths(tmp_path / "s.iprw", capsys))
    status, out, _ = cli(capsys, "segments", tmp_path / "s.iprw", "--json")
    assert [row["code"] for row in json.loads(out)] == ["Emotions/Fear (3)"]


def _accept_into_consensus(study_path: Path) -> str:
    """Supervisor Sam accepts Anna's segment into the consensus layer; its id."""
    from coding.consensus import accept
    from coding.history import History

    with Study.open(study_path) as study:
        sam = study.coders.get_or_create("Sam", "supervisor")
        action = accept(study, study.segments.find(study.segments.rows()[0].id), sam)
        History(study).do(action)
        return action.segment.uuid


def test_the_consensus_layer_survives_a_round_trip_through_qdpx(made, tmp_path, capsys):
    settled = _accept_into_consensus(made)
    cli(capsys, "export", made, "--qdpx", tmp_path / "s.qdpx")
    status, _, err = cli(capsys, "import-qdpx", tmp_path / "new.iprw", tmp_path / "s.qdpx")
    assert status == 0, err
    with Study.open(tmp_path / "new.iprw", writable=False) as study:
        [layer] = [coder for coder in study.coders.list() if coder.consensus]
        assert (layer.name, layer.role) == ("Consensus", "supervisor")
        assert [row.id for row in study.segments.rows(coder="Consensus")] == [settled]


def test_a_qdpx_user_named_consensus_codes_into_the_studys_own_layer(made, tmp_path, capsys):
    _accept_into_consensus(made)
    text = "I felt safe with her."
    qdpx = make_qdpx(tmp_path / "team.qdpx", project_xml(
        text_source(selection(7, 11, user=USER)),
        users=f'<Users><User guid="{USER}" name="CONSENSUS"/></Users>',
    ), {f"sources/{SOURCE}.txt": text})
    status, _, err = cli(capsys, "import-qdpx", made, qdpx)
    assert status == 0, err
    with Study.open(made, writable=False) as study:
        assert sum(c.consensus for c in study.coders.list()) == 1
        assert "CONSENSUS" not in {c.name for c in study.coders.list()}
        assert sorted(row.text for row in study.segments.rows(coder="Consensus")) == [
            "safe", "scared"]


def test_merge_warns_of_a_plain_coder_named_consensus_and_renames_it(made, tmp_path, capsys):
    other = tmp_path / "other.iprw"
    shutil.copy(made, other)
    with Study.open(other) as study, study.transaction() as db:  # named before it was refused
        db.execute("UPDATE coders SET name = 'consensus' WHERE name = 'Anna'")
        db.execute("UPDATE coders SET uuid = ? WHERE name = 'consensus'", [guid(1, "coder")])
    status, out, err = cli(capsys, "merge", made, other)
    assert status == 0 and "1 coder" in out
    assert err.splitlines()[0] == (
        "warning: conflict: coder 'consensus' from other.iprw: 'Consensus' is the consensus "
        "layer's name, not a coder's; added as 'consensus (2)'")
    with Study.open(made) as study:
        assert study.coders.consensus().name == "Consensus"
