"""`ipr-workbench done`: mark a document as coded by a coder (it then counts in agreement)."""

from __future__ import annotations

import argparse

from workbench.commands.common import add_study_argument, open_study


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("done", help="mark a document coded by a coder")
    add_study_argument(parser)
    parser.add_argument("--coder", required=True, metavar="NAME")
    parser.add_argument("--document", required=True, metavar="NAME")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    with open_study(args.study, writable=True) as study:
        doc = study.documents.find(args.document)
        coder = study.coders.get_or_create(args.coder)
        study.coders.mark_done(coder, doc.id)
    print(f"{coder.name} has coded {doc.name}")
    return 0
