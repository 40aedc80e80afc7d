"""`ipr-workbench new STUDY.iprw`: create a study with the default (or a given) codebook."""

from __future__ import annotations

import argparse

from coding.study import Study
from workbench.commands.common import add_study_argument, warn


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("new", help="create a new study file")
    add_study_argument(parser)
    parser.add_argument("--title", help="the study's title (default: the file name)")
    parser.add_argument(
        "--codebook",
        default="default",
        metavar="default|none|FILE.qdc|FILE.csv",
        help="start with the default IPR codebook (default), none, or one from a file",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    choice = args.codebook
    if choice == "default":
        specs = None
    elif choice == "none":
        specs = []
    else:
        from exports.codebook_files import read_codebook_file

        specs = read_codebook_file(choice, warn)
    study = Study.create(args.study, title=args.title, codebook=specs)
    with study:
        codes = len(study.codebook.load())
    print(f"created {args.study} ({codes} themes and codes)")
    return 0
