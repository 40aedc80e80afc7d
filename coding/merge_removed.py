"""Which of the master's segments a coder's copy no longer holds: taken back there?

A merge adds and compares, but a segment a coder removed in their copy after an
earlier merge stays in the master (removals are not guessed at). Left unsaid, the
agreement table goes on counting what the coder retracted, so the merge reports it.

A segment missing from a copy is not always removed there: a supervisor hands out
the master again for a second round, and segments coded in the master or in other
copies since are in no earlier copy. So a coder's segment is reported only when
the copy holds a segment of that coder made after it: the copy had it, and the
coder went on without it. (Removing one's very newest segment goes unreported.)
Only documents the copy has are looked at.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from datetime import datetime
from typing import Any

from coding.merge_types import IncomingSegment


def removed_in_copy(
    master_rows: Iterable[Any],
    incoming: Iterable[IncomingSegment],
    coder_ids: Mapping[str, int],
    documents: Collection[str],
) -> list[Any]:
    """The master's segment rows (uuid, document uuid, coder_id, created_at) to report.

    `coder_ids` maps the copy's coder uuids to the master's ids (only coders who are
    the same on both sides); `documents` holds the uuids of the copy's documents.
    """
    held: set[str] = set()
    newest: dict[int, datetime] = {}
    for segment in incoming:
        held.add(segment.uuid)
        coder_id = coder_ids.get(segment.coder_uuid)
        made = _when(segment.created_at)
        if coder_id is not None and made is not None and (
                coder_id not in newest or made > newest[coder_id]):
            newest[coder_id] = made
    found = []
    for row in master_rows:
        if row["uuid"] in held or row["document"] not in documents:
            continue
        made, since = _when(row["created_at"]), newest.get(row["coder_id"])
        if made is not None and since is not None and made < since:
            found.append(row)
    return found


def _when(stamp: str | None) -> datetime | None:
    """A stored or REFI-QDA time, comparable across both (None when absent or unreadable)."""
    try:
        made = datetime.fromisoformat(stamp) if stamp else None
    except ValueError:
        return None
    if made is not None and made.tzinfo is None:
        return None  # a local time without its zone cannot be ordered against UTC
    return made
