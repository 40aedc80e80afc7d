"""`ipr-workbench codebook`: show, import or export the study's codebook."""

from __future__ import annotations

import argparse
from pathlib import Path

from coding.codebook import CodeSpec
from coding.codebook_csv import read_codebook_csv, write_codebook_csv
from coding.errors import StudyError
from workbench.commands.common import add_study_argument, open_study, print_json, print_table


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


def read_codebook_file(path: str | Path) -> list[CodeSpec]:
    """A codebook file as specs, by extension (.csv here, .qdc through REFI-QDA)."""
    path = Path(path)
    if not path.is_file():
        raise StudyError(f"{path}: no such codebook file")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return read_codebook_csv(path)
    if suffix == ".qdc":
        from exports.refi.qdc import read_qdc

        return read_qdc(path)
    raise StudyError(f"{path}: codebooks can be read from .qdc or .csv files")


def run(args: argparse.Namespace) -> int:
    writable = args.import_file is not None
    with open_study(args.study, writable=writable) as study:
        if args.import_file is not None:
            summary = study.codebook.import_specs(read_codebook_file(args.import_file))
            print(f"imported {args.import_file}: {summary.added} added, {summary.updated} updated")
        book = study.codebook.load()
        if args.export is not None:
            _export(book, args.export)
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


def _export(book, path: Path) -> None:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        write_codebook_csv(book, path)
    elif suffix == ".qdc":
        from exports.refi.qdc import write_qdc

        write_qdc(book, path)
    elif suffix == ".docx":
        from exports.codebook_docx import write_codebook_docx

        write_codebook_docx(book, path)
    else:
        raise StudyError(f"{path}: codebooks can be written as .qdc, .csv or .docx")
