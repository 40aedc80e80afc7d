"""Progress reporting and cancellation for long core tasks.

Long functions take `progress: Progress | None`. They call it with a fraction
in [0, 1] and a short message at safe points; the callable may raise
`Cancelled` to stop the task, which then rolls back and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from transcripts.errors import WorkbenchError

Progress = Callable[[float, str], None]


class Cancelled(WorkbenchError):
    """The user cancelled a long task; nothing it started was kept."""

    def __init__(self, message: str = "cancelled") -> None:
        super().__init__(message)


def report(progress: Progress | None, fraction: float, message: str) -> None:
    """Call `progress` if one was given (so core code needs no None checks)."""
    if progress is not None:
        progress(min(max(fraction, 0.0), 1.0), message)


def scaled(progress: Progress | None, low: float, high: float) -> Progress | None:
    """Map a sub-task's progress in [0, 1] onto [low, high] of the whole task."""
    if progress is None:
        return None

    def report_part(fraction: float, message: str) -> None:
        progress(low + (high - low) * fraction, message)

    return report_part
