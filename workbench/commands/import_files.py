"""`ipr-workbench import`: add transcripts to a study (all files or none)."""

from __future__ import annotations

import argparse
from pathlib import Path

from coding.documents import ImportItem
from coding.errors import StudyError
from transcripts.model import PERSPECTIVES
from workbench.commands.common import add_study_argument, open_study


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("import", help="import transcripts (.txt .md .docx .srt .vtt)")
    add_study_argument(parser)
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
    parser.add_argument("--dyad", required=True, help="dyad id, e.g. D07")
    parser.add_argument("--session", required=True, help="session number, e.g. 1")
    parser.add_argument(
        "--perspective", required=True, help=f"one of: {', '.join(PERSPECTIVES)}"
    )
    parser.add_argument("--name", help="document name (default DYAD-S<session>-<perspective>)")
    parser.add_argument(
        "--speaker", action="append", default=[], metavar="LABEL=ROLE",
        help="declare a speaker label and its role (therapist, client, interviewer, other)",
    )
    parser.set_defaults(run=run)


def parse_speakers(declarations: list[str]) -> dict[str, str]:
    roles = {}
    for declaration in declarations:
        label, sep, role = declaration.partition("=")
        if not sep or not label.strip() or not role.strip():
            raise StudyError(
                f"--speaker {declaration!r} must look like LABEL=ROLE, e.g. 'Dr. Lind=therapist'"
            )
        roles[label.strip()] = role.strip()
    return roles


def run(args: argparse.Namespace) -> int:
    if args.name and len(args.files) > 1:
        raise StudyError("--name names one document; import the files one at a time to name each")
    items = [
        ImportItem(path, args.dyad, args.session, args.perspective, args.name)
        for path in args.files
    ]
    roles = parse_speakers(args.speaker)
    with open_study(args.study, writable=True) as study:
        for doc in study.documents.import_files(items, speaker_roles=roles):
            print(
                f"imported {doc.source} as {doc.name}: {doc.utterances} utterances, "
                f"{doc.sentences} sentences, {doc.stops} stops, {doc.chars} characters"
            )
    return 0
