"""The project's error types.

Every failure a user can cause (bad file, bad value, unknown name) is raised as a
`WorkbenchError`, whose message says what went wrong, where, and how to fix it.
The command line turns it into one `error:` line; the app into a dialog.
"""

from __future__ import annotations

from pathlib import Path


class WorkbenchError(Exception):
    """Base class of every error the user can cause and fix."""


class TranscriptError(WorkbenchError):
    """A transcript file that cannot be imported, with the file and line at fault."""

    def __init__(self, message: str, path: str | Path | None = None, line: int | None = None):
        self.reason = message
        self.path = str(path) if path is not None else None
        self.line = line
        where = ""
        if self.path is not None:
            where = self.path if line is None else f"{self.path}, line {line}"
            where += ": "
        super().__init__(where + message)
