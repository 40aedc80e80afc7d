"""`ipr-workbench demo`: build the bundled sample study and open it."""

from __future__ import annotations

import argparse
from pathlib import Path

import platformdirs

from coding.study import Study


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("demo", help="build the bundled sample study and open it")
    parser.add_argument(
        "--dir", type=Path, metavar="DIR",
        help="where to build it (default: the user data folder of IPR Workbench)",
    )
    parser.add_argument("--no-gui", action="store_true", help="build and summarise only")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from workbench.demo import build_sample_study, summary

    folder = args.dir or Path(platformdirs.user_data_dir("ipr-workbench")) / "demo"
    folder.mkdir(parents=True, exist_ok=True)
    path = build_sample_study(folder)
    with Study.open(path, writable=False) as study:
        print(summary(study))
    if args.no_gui:
        return 0
    from workbench.commands.gui import open_app

    return open_app(path)
