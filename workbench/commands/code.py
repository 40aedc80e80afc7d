"""`ipr-workbench code`: apply a code to a span, or many from a CSV file (all or none)."""

from __future__ import annotations

import argparse
from pathlib import Path

from coding.errors import StudyError
from coding.segment_csv import read_segments_csv
from coding.segments import NewSegment
from workbench.commands.common import add_study_argument, open_study


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("code", help="apply a code to a span of a document")
    add_study_argument(parser)
    parser.add_argument("--coder", metavar="NAME")
    parser.add_argument("--document", metavar="NAME")
    parser.add_argument("--start", metavar="N", help="first code point (0-based)")
    parser.add_argument("--end", metavar="N", help="code point after the last (exclusive)")
    parser.add_argument("--code", metavar="PATH", help='code path, e.g. "Safety/Repair"')
    parser.add_argument("--memo", default="", metavar="TEXT")
    parser.add_argument(
        "--from-csv", type=Path, metavar="FILE",
        help="columns coder,document,start,end,code[,memo]; one segment per row",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    single = [args.coder, args.document, args.start, args.end, args.code]
    if args.from_csv is not None:
        if any(value is not None for value in single):
            raise StudyError("give either --from-csv or --coder/--document/--start/--end/--code")
        new = read_segments_csv(args.from_csv)
    else:
        missing = [
            flag for flag, value in zip(
                ("--coder", "--document", "--start", "--end", "--code"), single, strict=True
            ) if value is None
        ]
        if missing:
            raise StudyError(f"missing {', '.join(missing)} (or use --from-csv FILE)")
        new = [NewSegment(args.coder, args.document, args.start, args.end, args.code, args.memo)]
    with open_study(args.study, writable=True) as study:
        added = study.segments.add_many(new)
        if len(added) == 1:
            row = study.segments.rows(segments=added)[0]
            print(
                f"coded {row.document} {row.start}–{row.end} as {row.code} for {row.coder} "
                f"(segment {row.id}): {row.text!r}"
            )
        else:
            print(f"added {len(added)} segments from {args.from_csv}")
    return 0
