"""What every subcommand shares: the study argument, opening it, JSON and table output."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from coding.storage_errors import guard
from coding.study import Study
from transcripts.timestamps import clock


def add_study_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("study", metavar="STUDY.iprw", type=Path, help="the study file")


@contextmanager
def open_study(path: Path, *, writable: bool = False) -> Iterator[Study]:
    """Open the study for one command; read-only commands leave the write lock alone.

    A damaged file or a failing disk met while the command reads is an error
    naming the study, as it is when the command saves.
    """
    study = Study.open(path, writable=writable)
    try:
        with guard(path):
            yield study
    finally:
        study.close()


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def warn(message: str) -> None:
    sys.stderr.write(f"warning: {message}\n")


def format_time(seconds: float | None) -> str:
    return "" if seconds is None else clock(seconds)


def print_table(
    rows: Sequence[Sequence[Any]], headers: Sequence[str], widest: int = 60
) -> None:
    """A plain aligned table; cells longer than `widest` are cut with an ellipsis."""

    def cell(value: Any) -> str:
        text = "" if value is None else str(value).replace("\n", " ")
        return text if len(text) <= widest else text[: widest - 1] + "…"

    cells = [[cell(v) for v in row] for row in rows]
    widths = [
        max([len(h), *(len(r[i]) for r in cells)]) for i, h in enumerate(headers)
    ]
    lines = [headers, ["-" * w for w in widths], *cells]
    for line in lines:
        padded = (value.ljust(width) for value, width in zip(line, widths, strict=True))
        sys.stdout.write("  ".join(padded).rstrip() + "\n")
    if not rows:
        sys.stdout.write("(none)\n")
