"""The README documents every subcommand, and opens with the run and test commands."""

from __future__ import annotations

from pathlib import Path

from workbench.cli import build_parser

README = Path(__file__).resolve().parents[2] / "README.md"


def test_every_subcommand_is_in_the_readme_reference():
    text = README.read_text(encoding="utf-8")
    commands = build_parser()._subparsers._group_actions[0].choices
    missing = [name for name in commands if f"`ipr-workbench {name}" not in text]
    assert missing == []


def test_readme_opens_with_the_run_and_test_commands():
    text = README.read_text(encoding="utf-8")
    blocks = text.split("```sh\n")[1:3]
    assert "ipr-workbench demo" in blocks[0]
    assert "pytest" in blocks[1]
    ci = (README.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert blocks[1].split("\n")[0] in ci
