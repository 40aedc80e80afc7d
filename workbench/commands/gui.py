"""`ipr-workbench gui [STUDY]`: open the desktop app (also what no subcommand does)."""

from __future__ import annotations

import argparse
import signal
from pathlib import Path


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("gui", help="open the desktop app")
    parser.add_argument("study", nargs="?", type=Path, metavar="STUDY.iprw")
    parser.set_defaults(run=lambda args: open_app(args.study))


def open_app(study: Path | None) -> int:
    from workbench.app import run_app

    # Qt's event loop would hold a Python SIGTERM handler back until the next Python call;
    # the app ends on SIGTERM at once, its studies kept whole by their transactions.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    return run_app(study)
