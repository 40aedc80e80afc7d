"""Errors raised by the study store: each names the study, object or value at fault."""

from __future__ import annotations

from transcripts.errors import WorkbenchError


class StudyError(WorkbenchError):
    """A study operation refused: bad value, unknown name, or a file that is not a study."""


class StudyLockedError(StudyError):
    """The study is open for writing in another app instance."""
