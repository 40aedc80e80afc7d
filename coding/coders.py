"""Coders and supervisors of a study, and which documents each has marked coded."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from coding.errors import StudyError

if TYPE_CHECKING:
    from coding.study import Study

CODER_ROLES = ("coder", "supervisor")
CONSENSUS_NAME = "Consensus"


@dataclass(frozen=True)
class Coder:
    id: int
    uuid: str
    name: str
    role: str
    consensus: bool = False


class CoderStore:
    """Coders are created the first time they are named; names are case-insensitive."""

    def __init__(self, study: Study) -> None:
        self._study = study

    def list(self) -> list[Coder]:
        return [_coder(row) for row in self._study.query("SELECT * FROM coders ORDER BY name")]

    def find(self, name: str) -> Coder:
        row = self._row(name)
        if row is None:
            known = ", ".join(c.name for c in self.list()) or "none yet"
            raise StudyError(f"unknown coder {name!r} (coders in this study: {known})")
        return _coder(row)

    def get_or_create(self, name: str, role: str = "coder", uuid: str | None = None) -> Coder:
        """The coder called `name`, created (in the current transaction) if new.

        The consensus layer's name is refused: a person so named would code straight
        into the layer, or block it from being made.
        """
        from coding.study import new_uuid

        name = name.strip()
        if not name:
            raise StudyError("a coder needs a name")
        if name.casefold() == CONSENSUS_NAME.casefold():
            raise StudyError(
                f"{CONSENSUS_NAME!r} is the consensus layer, not a coder: a supervisor builds "
                "it from the coders' segments in review; code under your own name"
            )
        if role not in CODER_ROLES:
            raise StudyError(f"coder role must be one of {', '.join(CODER_ROLES)}, not {role!r}")
        row = self._row(name)
        if row is not None:
            return _coder(row)
        with self._study.transaction() as db:
            db.execute(
                "INSERT INTO coders (uuid, name, role) VALUES (?, ?, ?)",
                [uuid or new_uuid(), name, role],
            )
            self._study.notify("coders")
        return self.find(name)

    def set_role(self, coder: Coder, role: str) -> Coder:
        if role not in CODER_ROLES:
            raise StudyError(f"coder role must be one of {', '.join(CODER_ROLES)}, not {role!r}")
        with self._study.transaction() as db:
            db.execute("UPDATE coders SET role = ? WHERE id = ?", [role, coder.id])
            self._study.notify("coders")
        return self.find(coder.name)

    def consensus(self) -> Coder:
        """The reserved layer a supervisor builds the agreed coding in (created on first use)."""
        from coding.study import new_uuid

        row = self._study.query("SELECT * FROM coders WHERE consensus = 1")
        if row:
            return _coder(row[0])
        if self._row(CONSENSUS_NAME) is not None:
            raise StudyError(
                f"a coder named {CONSENSUS_NAME!r} already exists; rename it to free the "
                "name for the consensus layer"
            )
        with self._study.transaction() as db:
            db.execute(
                "INSERT INTO coders (uuid, name, role, consensus) VALUES (?, ?, 'supervisor', 1)",
                [new_uuid(), CONSENSUS_NAME],
            )
            self._study.notify("coders")
        return self.find(CONSENSUS_NAME)

    def mark_done(self, coder: Coder, document_id: int, done: bool = True) -> None:
        """Record that `coder` has finished a document (it then counts in agreement)."""
        from coding.study import utc_now

        with self._study.transaction() as db:
            if done:
                db.execute(
                    "INSERT OR IGNORE INTO coded_documents (coder_id, document_id, done_at) "
                    "VALUES (?, ?, ?)",
                    [coder.id, document_id, utc_now()],
                )
            else:
                db.execute(
                    "DELETE FROM coded_documents WHERE coder_id = ? AND document_id = ?",
                    [coder.id, document_id],
                )
            self._study.notify("segments", [document_id])

    def done_documents(self, coder: Coder) -> set[int]:
        """Ids of the documents `coder` has marked as coded."""
        return {
            row[0]
            for row in self._study.db.execute(
                "SELECT document_id FROM coded_documents WHERE coder_id = ?", [coder.id]
            )
        }

    def _row(self, name: str):
        rows = self._study.query("SELECT * FROM coders WHERE name = ?", [name.strip()])
        return rows[0] if rows else None


def _coder(row) -> Coder:
    return Coder(
        id=row["id"],
        uuid=row["uuid"],
        name=row["name"],
        role=row["role"],
        consensus=bool(row["consensus"]),
    )
