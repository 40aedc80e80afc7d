"""`ipr-workbench utterances`: a document's speaker turns with times and offsets."""

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
    parser = commands.add_parser("utterances", help="list a document's utterances")
    add_study_argument(parser)
    parser.add_argument("--document", required=True, metavar="NAME")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    with open_study(args.study) as study:
        doc = study.documents.find(args.document)
        text = study.documents.text(doc.id)
        rows = [
            {
                "index": u.index,
                "speaker": u.speaker,
                "role": u.role,
                "start": u.start,
                "end": u.end,
                "session_time": u.session_time,
                "text": text[u.char_start:u.char_end],
                "char_start": u.char_start,
                "char_end": u.char_end,
            }
            for u in study.documents.utterances(doc.id)
        ]
    if args.json:
        print_json(rows)
        return 0
    print_table(
        [
            (r["index"], r["speaker"], r["role"], format_time(r["start"]),
             format_time(r["session_time"]), f"{r['char_start']}–{r['char_end']}", r["text"])
            for r in rows
        ],
        ["#", "speaker", "role", "start", "session", "chars", "text"],
    )
    return 0
