"""`ipr-workbench report`: options, errors and what lands in the file."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from tests.conftest import digest
from workbench.cli import main
from workbench.demo import build_sample_study


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    return build_sample_study(tmp_path_factory.mktemp("sample"))


def cli(capsys, *args) -> tuple[int, str, str]:
    status = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return status, out, err


def _facts(path: Path) -> dict[str, str]:
    document = docx.Document(path)
    return {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}


def test_report_writes_a_docx_of_all_coders(sample, tmp_path, capsys):
    out = tmp_path / "report.docx"
    status, stdout, stderr = cli(capsys, "report", sample, "--docx", out)
    assert (status, stderr) == (0, "")
    assert stdout == f"wrote {out}: segments of all coders (Alex, Sam)\n"
    assert _facts(out)["Segments reported"] == "251 from all coders (Alex, Sam)"


def test_once_a_consensus_layer_exists_all_coders_can_still_be_reported(
        sample, tmp_path, capsys):
    """A supervisor who has settled three places gets a report of those three by default;
    the line says so, and --all-coders (the app's "All coders") reports the raw coding."""
    import shutil

    from coding import consensus
    from coding.study import Study

    study_path = tmp_path / "sample.iprw"
    shutil.copy(sample, study_path)
    with Study.open(study_path) as study:
        supervisor = study.coders.set_role(study.coders.find("Sam"), "supervisor")
        segment = study.segments.for_document(study.documents.list()[0].id)[0]
        consensus.accept(study, segment, supervisor).apply(study)
        coded = len(study.segments.rows()) - 1
    default = tmp_path / "default.docx"
    status, stdout, _ = cli(capsys, "report", study_path, "--docx", default)
    assert status == 0
    assert stdout.splitlines() == [
        f"wrote {default}: segments of the consensus layer (Consensus)",
        f"the consensus layer holds 1 segment; --all-coders reports the coders' {coded:,} "
        "instead",
    ]
    everyone = tmp_path / "everyone.docx"
    status, stdout, _ = cli(capsys, "report", study_path, "--docx", everyone, "--all-coders")
    assert (status, stdout) == (0, f"wrote {everyone}: segments of all coders (Alex, Sam)\n")
    assert _facts(everyone)["Segments reported"] == f"{coded} from all coders (Alex, Sam)"
    status, stdout, _ = cli(capsys, "report", study_path, "--docx", default, "--consensus")
    assert stdout == f"wrote {default}: segments of the consensus layer (Consensus)\n"

def test_coder_theme_and_unit_options(sample, tmp_path, capsys):
    out = tmp_path / "alex.docx"
    status, _, _ = cli(capsys, "report", sample, "--docx", out, "--coder", "Alex",
                       "--theme", "Safety", "--theme", "Rupture and repair",
                       "--unit", "utterance")
    assert status == 0
    facts = _facts(out)
    assert facts["Segments reported"].endswith("from coder Alex only")
    assert facts["Themes"] == "Safety, Rupture and repair"
    assert facts["Agreement"] == "utterance units; coders Alex, Sam"
    document = docx.Document(out)
    level_two = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert level_two == ["Safety", "Rupture and repair", "Overview", "Safety",
                         "Rupture and repair"]


def test_agreement_coders_option(sample, tmp_path, capsys):
    out = tmp_path / "pair.docx"
    assert cli(capsys, "report", sample, "--docx", out, "--agreement-coders", "Sam,Alex")[0] == 0
    assert _facts(out)["Agreement"] == "sentence units; coders Sam, Alex"


@pytest.mark.parametrize(
    "args, message",
    [
        (["--consensus"], "no consensus layer"),
        (["--coder", "Nobody"], "unknown coder 'Nobody'"),
        (["--theme", "Nope"], "no theme 'Nope' in the codebook"),
        (["--agreement-coders", "Alex,Nobody"], "unknown coder 'Nobody'"),
    ],
)
def test_errors_are_one_line_exit_2_and_write_nothing(sample, tmp_path, capsys, args, message):
    before = digest(sample)
    out = tmp_path / "r.docx"
    status, stdout, stderr = cli(capsys, "report", sample, "--docx", out, *args)
    assert status == 2 and stdout == ""
    assert stderr.startswith("error: ") and message in stderr and stderr.count("\n") == 1
    assert not out.exists() and list(tmp_path.iterdir()) == []
    assert digest(sample) == before


@pytest.mark.parametrize(
    "args",
    [
        ["--coder", "Alex", "--consensus"],
        ["--all-coders", "--consensus"],
        ["--unit", "word"],
        [],  # --docx is required
    ],
)
def test_usage_mistakes_exit_2(sample, capsys, args):
    with pytest.raises(SystemExit) as stopped:
        main(["report", str(sample), *args] if args else ["report", str(sample)])
    assert stopped.value.code == 2
    assert capsys.readouterr().err.startswith("error: ")


def test_a_missing_study_is_an_error(tmp_path, capsys):
    status, _, stderr = cli(capsys, "report", tmp_path / "none.iprw", "--docx",
                            tmp_path / "r.docx")
    assert status == 2 and "does not exist" in stderr
