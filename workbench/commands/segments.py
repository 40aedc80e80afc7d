"""`ipr-workbench segments`: list coded segments, or write them as CSV/XLSX."""

from __future__ import annotations

import argparse
from pathlib import Path

from workbench.commands.common import (
    add_study_argument,
    format_time,
    open_study,
    print_json,
    print_table,
)


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("segments", help="list coded segments")
    add_study_argument(parser)
    parser.add_argument("--coder", metavar="NAME")
    parser.add_argument("--code", metavar="PATH", help="a code, or a theme with its codes")
    parser.add_argument("--document", metavar="NAME")
    output = parser.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print JSON")
    output.add_argument("--csv", type=Path, metavar="FILE", help="write CSV (UTF-8 with BOM)")
    output.add_argument("--xlsx", type=Path, metavar="FILE", help="write an Excel workbook")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    with open_study(args.study) as study:
        rows = study.segments.rows(coder=args.coder, code=args.code, document=args.document)
    if args.json:
        print_json([row.to_json() for row in rows])
    elif args.csv or args.xlsx:
        from exports.tables import write_segments_csv, write_segments_xlsx

        if args.csv:
            write_segments_csv(rows, args.csv)
        else:
            write_segments_xlsx(rows, args.xlsx)
        print(f"wrote {len(rows)} segments to {args.csv or args.xlsx}")
    else:
        print_table(
            [
                (r.document, r.coder, r.code, f"{r.start}–{r.end}", r.speaker,
                 format_time(r.session_time), r.status, r.text)
                for r in rows
            ],
            ["document", "coder", "code", "chars", "speaker", "session", "status", "text"],
            widest=50,
        )
    return 0
