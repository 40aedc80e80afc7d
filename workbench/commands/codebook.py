"""`ipr-workbench codebook`: show, import or export the study's codebook."""

from __future__ import annotations

import argparse
from pathlib import Path

from workbench.commands.common import (
    add_study_argument,
    open_study,
    print_json,
    print_table,
    warn,
)


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("codebook", help="show, import or export the codebook")
    add_study_argument(parser)
    parser.add_argument("--json", action="store_true", help="print the codebook tree as JSON")
    parser.add_argument(
        "--import", dest="import_file", type=Path, metavar="FILE",
        help="merge codes from a .qdc or .csv codebook into the study",
    )
    parser.add_argument(
        "--export", type=Path, metavar="FILE", help="write the codebook to .qdc, .csv or .docx"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from exports.codebook_files import read_codebook_file, write_codebook_file

    writable = args.import_file is not None
    with open_study(args.study, writable=writable) as study:
        if args.import_file is not None:
            summary = study.codebook.import_specs(read_codebook_file(args.import_file, warn))
            print(f"imported {args.import_file}: {summary.added} added, {summary.updated} updated")
        book = study.codebook.load()
        if args.export is not None:
            write_codebook_file(book, args.export)
            print(f"wrote {args.export}")
        if args.json:
            print_json(book.to_json())
        elif args.import_file is None and args.export is None:
            print_table(
                [
                    ("  " * code.depth + code.name, "yes" if code.codable else "theme",
                     code.shortcut or "", code.color, code.definition)
                    for code in book.walk()
                ],
                ["code", "codable", "key", "colour", "definition"],
            )
    return 0
