"""Writing REFI-QDA files: XML-safe text and all-or-nothing file replacement."""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO

from exports.refi import RefiError

# Characters XML 1.0 cannot hold at all (C0 controls other than tab/LF/CR, lone
# surrogates, U+FFFE/U+FFFF); a name or memo holding one would make the file unreadable.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(value: str | None) -> str:
    """`value` with the characters XML cannot carry removed."""
    return _NOT_XML.sub("", value or "")


def holds_a_database(path: Path) -> bool:
    """Whether `path` is an SQLite file (a study, say), which no export may replace."""
    try:
        with open(path, "rb") as handle:
            return handle.read(16) == b"SQLite format 3\0"
    except OSError:
        return False


def write_atomically(path: str | Path, write: Callable[[IO[bytes]], None]) -> None:
    """Write a file beside `path` and move it into place, so `path` is never half-written."""
    path = Path(path)
    if not path.parent.is_dir():
        raise RefiError(f"{path.parent} is not a folder; create it first", path)
    if holds_a_database(path):
        raise RefiError("this is a study (an SQLite database), not an export; it is left as it "
                        "was: choose another file name", path)
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError as exc:
        raise RefiError(f"cannot write here ({exc.strerror or exc})", path) from None
    try:
        with os.fdopen(handle, "wb") as stream:
            write(stream)
        os.replace(temporary, path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise RefiError(f"cannot write the file ({exc.strerror or exc})", path) from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
