"""The command line, in process (fast) and through the installed entry point."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import CLIENT_RECALL_TXT, SESSION_TXT, digest, write
from workbench.cli import main

ENTRY_POINT = Path(sys.executable).parent / "ipr-workbench"


def cli(capsys, *args: str) -> tuple[int, str, str]:
    status = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def made(tmp_path, capsys):
    study = tmp_path / "s.iprw"
    assert cli(capsys, "new", study, "--title", "Pilot")[0] == 0
    session = write(tmp_path / "session.txt", SESSION_TXT)
    recall = write(tmp_path / "client.txt", CLIENT_RECALL_TXT)
    assert cli(capsys, "import", study, session, "--dyad", "D01", "--session", "1",
               "--perspective", "session")[0] == 0
    assert cli(capsys, "import", study, recall, "--dyad", "D01", "--session", "1",
               "--perspective", "client-recall")[0] == 0
    return study


def test_documents_json_shape(made, capsys):
    status, out, _ = cli(capsys, "documents", made, "--json")
    docs = json.loads(out)
    assert status == 0 and [d["name"] for d in docs] == ["D01-S1-session", "D01-S1-client-recall"]
    session = docs[0]
    assert set(session) >= {"id", "name", "dyad", "session", "perspective", "chars",
                            "utterances", "sentences", "stops", "speakers", "start", "end"}
    assert session["speakers"] == {"T": "therapist", "C": "client"}
    assert (session["start"], session["end"]) == (5.0, 120.0)
    assert docs[1]["stops"] == 3 and docs[1]["speakers"]["I"] == "interviewer"


def test_utterances_json_text_matches_offsets(made, capsys):
    _, out, _ = cli(capsys, "utterances", made, "--document", "D01-S1-client-recall", "--json")
    rows = json.loads(out)
    _, docs_out, _ = cli(capsys, "documents", made, "--json")
    assert rows[0] == {
        "index": 0, "speaker": "I", "role": "interviewer", "start": None, "end": None,
        "session_time": None, "text": "Stop it wherever something stood out for you.",
        "char_start": rows[0]["char_start"], "char_end": rows[0]["char_end"],
    }
    assert [r["session_time"] for r in rows[1:]] == [12.0, 12.0, 12.0, 70.0, 110.0, 110.0]


def test_code_then_segments_json_and_csv(made, tmp_path, capsys):
    _, out, _ = cli(capsys, "utterances", made, "--document", "D01-S1-session", "--json")
    turn = json.loads(out)[1]
    status, out, err = cli(capsys, "code", made, "--coder", "Alex", "--document",
                           "D01-S1-session", "--start", turn["char_start"], "--end",
                           turn["char_end"], "--code", "Initial fear and shame/Fear and anxiety",
                           "--memo", "fear of burdening")
    assert status == 0, err
    _, out, _ = cli(capsys, "segments", made, "--json")
    [segment] = json.loads(out)
    assert segment["text"] == turn["text"] and segment["speaker"] == "C"
    assert segment["code"] == "Initial fear and shame/Fear and anxiety"
    assert segment["session_time"] == 12.0 and segment["memo"] == "fear of burdening"
    csv_in = tmp_path / "more.csv"
    csv_in.write_text(
        "coder,document,start,end,code,memo\n"
        f"Sam,D01-S1-session,{turn['char_start']},{turn['char_end']},"
        "Initial fear and shame/Shame and feeling unworthy,\n",
        encoding="utf-8",
    )
    assert cli(capsys, "code", made, "--from-csv", csv_in)[0] == 0
    _, out, _ = cli(capsys, "segments", made, "--coder", "Sam", "--json")
    assert [s["coder"] for s in json.loads(out)] == ["Sam"]


@pytest.mark.parametrize(
    "args, message",
    [
        (["code", "{study}", "--coder", "A", "--document", "D01-S1-session", "--start", "5",
          "--end", "5", "--code", "Rupture and repair/Repair"], "outside document"),
        (["code", "{study}", "--coder", "A", "--document", "D01-S1-session", "--start", "0",
          "--end", "99999", "--code", "Rupture and repair/Repair"], "outside document"),
        (["code", "{study}", "--coder", "A", "--document", "D01-S1-session", "--start", "60",
          "--end", "70", "--code", "Rupture/Nope"], "unknown code path 'Rupture/Nope'"),
        (["code", "{study}", "--coder", "A", "--document", "Nope", "--start", "60",
          "--end", "70", "--code", "Rupture and repair/Repair"], "no document named 'Nope'"),
        (["import", "{study}", "{session}", "--dyad", "D01", "--session", "1",
          "--perspective", "session"], "already exists"),
        (["import", "{study}", "{session}", "--dyad", "D02", "--session", "1",
          "--perspective", "sideways"], "unknown perspective 'sideways'"),
    ],
)
def test_bad_commands_say_error_exit_2_and_change_nothing(made, tmp_path, capsys, args, message):
    session = tmp_path / "session.txt"
    before = digest(made)
    status, out, err = cli(capsys, *[a.format(study=made, session=session) for a in args])
    assert status == 2
    assert err.startswith("error: ") and message in err and err.count("\n") == 1
    assert digest(made) == before


def test_import_of_several_files_is_all_or_nothing(made, tmp_path, capsys):
    good = write(tmp_path / "t.txt", "T: fine\nC: fine too\n")
    bad = write(tmp_path / "bad.txt", "[00:61:00] T: impossible\n")
    before = digest(made)
    status, _, err = cli(capsys, "import", made, good, bad, "--dyad", "D02", "--session", "1",
                         "--perspective", "therapist-recall")
    assert status == 2 and "bad.txt" in err and "line 1" in err
    assert digest(made) == before


def test_not_a_study(tmp_path, capsys):
    fake = write(tmp_path / "fake.iprw", "hello")
    status, _, err = cli(capsys, "documents", fake)
    assert status == 2 and err.startswith(f"error: {fake}")


def test_usage_errors_are_one_error_line(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["import"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1


def test_codebook_json_and_csv_export_import(made, tmp_path, capsys):
    _, out, _ = cli(capsys, "codebook", made, "--json")
    tree = json.loads(out)
    assert tree[0]["path"] == "Initial fear and shame" and tree[0]["codable"] is False
    assert tree[0]["children"][0]["path"] == "Initial fear and shame/Fear and anxiety"
    assert set(tree[0]) == {"id", "name", "path", "definition", "inclusion", "exclusion",
                            "example", "color", "shortcut", "codable", "children"}
    exported = tmp_path / "book.csv"
    assert cli(capsys, "codebook", made, "--export", exported)[0] == 0
    fresh = tmp_path / "fresh.iprw"
    assert cli(capsys, "new", fresh, "--codebook", exported)[0] == 0
    _, again, _ = cli(capsys, "codebook", fresh, "--json")
    assert json.loads(again) == tree


@pytest.mark.slow
def test_installed_entry_point_and_python_m(made, tmp_path):
    result = subprocess.run([str(ENTRY_POINT), "documents", str(made), "--json"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)) == 2
    result = subprocess.run([sys.executable, "-m", "workbench", "documents", str(tmp_path / "x")],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 2 and result.stderr.startswith("error: ")


def _docx_bytes() -> bytes:
    return b"PK\x03\x04 this is not really a Word file"


@pytest.mark.parametrize(
    "name, content, perspective, message",
    [
        ("empty.txt", b"", "session", "empty.txt"),
        ("binary.txt", bytes(range(256)) * 4, "session", "binary.txt"),
        ("fake.docx", _docx_bytes(), "session", "fake.docx"),
        ("bad.srt", b"1\n00:00:01,000 -> 00:00:02,000\nT: hi\n", "session", "bad.srt, line 2"),
        ("bad.vtt", b"WEBVTT\n\n00:00:05.000 --> 00:00:01.000\nhello\n", "session", "bad.vtt"),
        ("late.txt", b"T: hi\n[00:61:00] C: impossible\n", "session", "late.txt, line 2"),
        ("stop.txt", b"T: hi\n[STOP 00:10]\nC: no stops here\n", "session", "stop.txt, line 2"),
    ],
)
def test_bad_files_are_refused_with_file_and_line(made, tmp_path, capsys, name, content,
                                                  perspective, message):
    path = tmp_path / name
    path.write_bytes(content)
    before = digest(made)
    status, _, err = cli(capsys, "import", made, path, "--dyad", "D05", "--session", "1",
                         "--perspective", perspective)
    assert status == 2
    assert err.startswith("error: ") and message in err and err.count("\n") == 1
    assert digest(made) == before
