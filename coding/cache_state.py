"""When a cache of study data must be refilled.

`Study.cache_key` moves with every change this connection announces or rolls back and
with every commit of another connection; the connection's change count adds any write
made behind the stores' back (raw SQL that announces nothing).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from coding.study import Study


def change_key(study: Study) -> tuple[int, ...]:
    """Differs from the last call's whenever the study's content may have changed."""
    return (*study.cache_key(), study.db.conn.total_changes)
