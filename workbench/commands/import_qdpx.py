"""`ipr-workbench import-qdpx STUDY FILE.qdpx`: bring a REFI-QDA project in (create or merge)."""

from __future__ import annotations

import argparse
from pathlib import Path

from workbench.commands.common import add_study_argument, warn


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "import-qdpx",
        help="import a REFI-QDA project (.qdpx); creates the study if absent, else merges",
    )
    add_study_argument(parser)
    parser.add_argument("qdpx", type=Path, metavar="FILE.qdpx", help="the project to import")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from exports.refi.project_import import import_qdpx

    result = import_qdpx(args.study, args.qdpx)
    for line in result.all_warnings():
        warn(line)
    print(result.summary())
    return 0
