"""A work-around for a reference-count bug of PySide6 6.12.0 on Python < 3.12.

That release returns `None` from every void Qt method, and `True` from
`Signal.emit()`, without owning a reference. Each call takes one reference away
from the object; on Python 3.10/3.11 (where `None` and `True` are not immortal
as they are from 3.12 on) a few thousand calls — a minute of scrolling — end
in "Fatal Python error: none_dealloc". A probe detects the bug at import and,
only then, gives both objects a reference count so large that it never runs
out: what Python 3.12 does for them anyway. The real cure is a PySide6 without
the bug (6.11.x is fine) or Python 3.12+; this keeps the app alive until then.
Importing the module is enough.
"""

from __future__ import annotations

import ctypes
import sys

from PySide6.QtCore import QObject, Signal

_RESERVE = 1 << 40  # references no session can use up


class _Probe(QObject):
    ping = Signal()


def _leaks() -> list[object]:
    """The singletons PySide loses references to here (empty when it behaves)."""
    probe = _Probe()
    leaking = []
    for obj, call in ((None, lambda: probe.setObjectName("probe")),
                      (True, probe.ping.emit)):
        call()
        before = sys.getrefcount(obj)
        for _ in range(8):
            call()
        if sys.getrefcount(obj) < before:
            leaking.append(obj)
    return leaking


def _install() -> None:
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return  # immortal singletons: the bug is harmless
    for obj in _leaks():
        # ob_refcnt is the first field of every CPython object.
        ctypes.c_ssize_t.from_address(id(obj)).value += _RESERVE


_install()
