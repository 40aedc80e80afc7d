"""`ipr-workbench merge STUDY OTHER`: bring another coder's copy in, by UUID."""

from __future__ import annotations

import argparse
from pathlib import Path

from workbench.commands.common import add_study_argument, open_study, print_json, warn


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "merge", help="merge another copy of the study (coders, codes, documents, segments)"
    )
    add_study_argument(parser)
    parser.add_argument("other", type=Path, metavar="OTHER.iprw", help="the copy to merge in")
    parser.add_argument("--json", action="store_true", help="print the merge report as JSON")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from coding.merge import merge_study

    with open_study(args.study, writable=True) as study:
        report = merge_study(study, args.other)
    for line in report.warnings():
        warn(line)
    if args.json:
        print_json(report.to_json())
    else:
        print(f"merged {args.other} into {args.study}: {report.summary()}")
    return 0
