"""`ipr-workbench documents`: list a study's documents."""

from __future__ import annotations

import argparse

from workbench.commands.common import (
    add_study_argument,
    format_time,
    open_study,
    print_json,
    print_table,
)


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("documents", help="list the study's documents")
    add_study_argument(parser)
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    with open_study(args.study) as study:
        docs = study.documents.list()
    if args.json:
        print_json([doc.to_json() for doc in docs])
        return 0
    print_table(
        [
            (d.name, d.dyad, d.session, d.perspective, d.chars, d.utterances, d.sentences,
             d.stops, format_time(d.start), format_time(d.end),
             ", ".join(f"{label}={role}" for label, role in d.speakers.items()))
            for d in docs
        ],
        ["name", "dyad", "session", "perspective", "chars", "utterances", "sentences", "stops",
         "start", "end", "speakers"],
    )
    return 0
