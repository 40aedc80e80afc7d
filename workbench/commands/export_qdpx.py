"""`ipr-workbench export STUDY --qdpx FILE.qdpx`: the study as a REFI-QDA project."""

from __future__ import annotations

import argparse
from pathlib import Path

from workbench.commands.common import add_study_argument, open_study, warn


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "export", help="export the study as a REFI-QDA project (.qdpx) for other QDA tools"
    )
    add_study_argument(parser)
    parser.add_argument(
        "--qdpx", required=True, type=Path, metavar="FILE.qdpx",
        help="the REFI-QDA project file to write (replaced if it exists)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from exports.refi.project_export import export_qdpx

    with open_study(args.study) as study:
        summary = export_qdpx(study, args.qdpx)
    print(
        f"wrote {args.qdpx}: {summary.documents} documents, {summary.codes} codes, "
        f"{summary.coders} coders, {summary.segments} segments, {summary.memos} memos"
    )
    for line in summary.left_out():
        warn(line)
    return 0
