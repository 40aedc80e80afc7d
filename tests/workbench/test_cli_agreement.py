"""`ipr-workbench agreement`: the readable table and the SPEC section 6 JSON, in process."""

from __future__ import annotations

import json

import pytest

from coding.agreement import krippendorff_alpha
from coding.study import Study
from tests.coding.test_study_agreement import FEAR, PILOT, RECALL, SAFETY, SESSION, SHAME, code
from tests.conftest import CLIENT_RECALL_TXT, digest, write
from workbench.cli import main

STATISTICS = {"percent_agreement", "cohen_kappa", "positive_agreement", "fleiss_kappa",
              "krippendorff_alpha"}


def cli(capsys, *args: object) -> tuple[int, str, str]:
    status = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def coded(tmp_path, capsys):
    """The pilot session coded by A, B and C; the recall coded by A only."""
    path = tmp_path / "s.iprw"
    assert cli(capsys, "new", path)[0] == 0
    for perspective, text in (("session", PILOT), ("client-recall", CLIENT_RECALL_TXT)):
        file = write(tmp_path / f"{perspective}.txt", text)
        assert cli(capsys, "import", path, file, "--dyad", "D01", "--session", "1",
                   "--perspective", perspective)[0] == 0
    with Study.open(path) as study:
        code(study, "A", "I was scared. Really scared.", FEAR)
        code(study, "B", "scared", FEAR)
        code(study, "C", "Hello there.", FEAR)
        code(study, "A", "That sounds hard.", SAFETY)
        code(study, "B", "How are you?", SAFETY)
        code(study, "A", "I just let go.", FEAR, document=RECALL)
    return path


def test_json_has_the_spec_shape_for_two_coders(coded, capsys):
    status, out, err = cli(capsys, "agreement", coded, "--coders", "A,B", "--json")
    assert status == 0, err
    data = json.loads(out)
    assert set(data) == {"unit", "coders", "documents", "skipped", "units", "codes", "pooled",
                         "pairwise"}
    assert (data["unit"], data["coders"], data["units"]) == ("sentence", ["A", "B"], 6)
    assert (data["documents"], data["skipped"]) == ([SESSION], [RECALL])
    assert len(data["codes"]) == 17
    for row in [*data["codes"], data["pooled"]]:
        assert set(row) == {"code", "a", "b", "c", "d"} | STATISTICS
    fear = data["codes"][0]
    assert (fear["code"], fear["a"], fear["b"], fear["c"], fear["d"]) == (FEAR, 1, 1, 0, 4)
    assert fear["cohen_kappa"] == pytest.approx(4 / 7)
    assert data["codes"][1]["cohen_kappa"] is None and data["codes"][1]["percent_agreement"] == 1
    pooled = data["pooled"]
    assert (pooled["code"], pooled["a"], pooled["b"], pooled["c"], pooled["d"]) == (
        "pooled", 1, 2, 1, 8)
    assert data["pairwise"] == [{"coders": ["A", "B"], "cohen_kappa": pooled["cohen_kappa"],
                                 "percent_agreement": pooled["percent_agreement"]}]


def test_json_for_three_coders_has_null_counts_and_every_pair(coded, capsys):
    status, out, _ = cli(capsys, "agreement", coded, "--coders", "A, B ,C", "--json",
                         "--code", FEAR, "--code", SAFETY)
    data = json.loads(out)
    assert status == 0 and data["coders"] == ["A", "B", "C"]
    assert [row["code"] for row in data["codes"]] == [FEAR, SAFETY]
    for row in [*data["codes"], data["pooled"]]:
        assert [row[k] for k in "abcd"] == [None] * 4 and row["cohen_kappa"] is None
        assert row["fleiss_kappa"] is not None and row["krippendorff_alpha"] is not None
    assert [pair["coders"] for pair in data["pairwise"]] == [["A", "B"], ["A", "C"], ["B", "C"]]
    assert all(set(pair) == {"coders", "cohen_kappa", "percent_agreement"}
               for pair in data["pairwise"])


def test_unit_code_and_document_options(coded, capsys):
    _, out, _ = cli(capsys, "agreement", coded, "--coders", "A,B", "--unit", "character",
                    "--code", SAFETY, "--document", SESSION, "--json")
    data = json.loads(out)
    assert (data["unit"], data["units"], data["skipped"]) == ("character", 69, [])
    [safety] = data["codes"]
    assert [safety[k] for k in "abcd"] == [0, 15, 10, 44]


def test_table_for_two_coders(coded, capsys):
    status, out, _ = cli(capsys, "agreement", coded, "--coders", "A,B", "--code", FEAR,
                         "--code", SHAME)
    assert status == 0
    lines = out.splitlines()
    assert lines[0] == "Agreement of A, B on 6 sentence units in 1 documents"
    assert lines[2].split()[:5] == ["code", "a", "b", "c", "d"]
    cells = {line.split("  ")[0]: line.split("  ")[1:] for line in lines[4:7]}
    alpha = f"{krippendorff_alpha([[0, 0, 0, 1, 1, 0], [0, 0, 0, 1, 0, 0]]):.3f}"
    fear = ["1", "1", "0", "4", "0.833", "0.571", "0.667", "0.556", alpha]
    assert [cell.strip() for cell in cells[FEAR] if cell.strip()] == fear
    assert [cell.strip() for cell in cells[SHAME] if cell.strip()] == [
        "0", "0", "0", "6", "1.000", "—", "—", "—", "—"]
    assert [cell.strip() for cell in cells["pooled"] if cell.strip()] == fear
    assert any(line.startswith("— = undefined") for line in lines)
    assert lines[-1] == f"Skipped, not coded by every coder: {RECALL}"
    assert "Pairwise" not in out


def test_table_for_three_coders_has_a_pairwise_matrix(coded, capsys):
    status, out, _ = cli(capsys, "agreement", coded, "--coders", "A,B,C", "--code", FEAR)
    assert status == 0
    lines = out.splitlines()
    at = lines.index("Pairwise Cohen's κ over the pooled decisions:")
    assert lines[at + 1].split() == ["A", "B", "C"]
    matrix = [line.split() for line in lines[at + 3 : at + 6]]
    assert [row[0] for row in matrix] == ["A", "B", "C"]
    assert matrix[0][1] == matrix[1][1]  # A–B is B–A
    assert "agreement and positive are means over coder pairs." in lines


@pytest.mark.parametrize(
    "args, message",
    [
        (["--coders", "A"], "at least two coders, got 1"),
        (["--coders", "A,Zed"], "unknown coder 'Zed'"),
        (["--coders", "A,B,A"], "coder 'A' is given twice"),
        (["--coders", "A,B", "--code", "Safety/Nope"], "unknown code path 'Safety/Nope'"),
        (["--coders", "A,B", "--document", "Nope"], "no document named 'Nope'"),
        (["--coders", "A,B", "--unit", "word"], "invalid choice: 'word'"),
    ],
)
def test_errors_are_one_line_exit_2_and_change_nothing(coded, capsys, args, message):
    before = digest(coded)
    try:
        status, out, err = cli(capsys, "agreement", coded, *args)
    except SystemExit as stop:  # argparse refuses a bad --unit before running
        status, (out, err) = stop.code, capsys.readouterr()
    assert status == 2 and out == ""
    assert err.startswith("error: ") and message in err and err.count("\n") == 1
    assert digest(coded) == before
