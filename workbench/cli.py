"""The `ipr-workbench` command line: parse arguments, make one core call, print the result.

Errors the user can fix (`WorkbenchError`) become one `error: …` line on stderr
and exit status 2; the study is left exactly as it was. Ctrl+C and SIGTERM unwind
the same way, so a command's clean-up runs before the process ends.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from transcripts.errors import WorkbenchError
from transcripts.progress import Cancelled
from workbench.commands import COMMANDS


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage mistakes as a single `error:` line, exit status 2."""

    def error(self, message: str):  # type: ignore[override]
        sys.stderr.write(f"error: {message} (see `{self.prog} --help`)\n")
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="ipr-workbench",
        description="Code dual-perspective IPR transcripts, measure agreement, review, report.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for command in COMMANDS:
        command.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command is None:
        from workbench.commands.gui import open_app

        return open_app(None)
    try:
        with _terminate_as_interrupt():
            return args.run(args) or 0
    except Cancelled:
        sys.stderr.write("error: cancelled; nothing was changed\n")
        return 2
    except WorkbenchError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 2
    except KeyboardInterrupt:
        sys.stderr.write("error: interrupted; nothing was changed\n")
        return 2
    except BrokenPipeError:
        return 0


@contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """Let SIGTERM raise KeyboardInterrupt, as Ctrl+C does, while a command runs.

    Left to the default, SIGTERM ends the process on the spot: a study created for
    an import, half-written exports and their temporary files would stay behind.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL if previous is None else previous)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt
