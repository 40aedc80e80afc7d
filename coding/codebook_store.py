"""Reading and changing the study's codebook (add, edit, move, merge, delete, import)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from coding.codebook import (
    CODE_FIELDS,
    Code,
    Codebook,
    CodeSpec,
    check_color,
    check_name,
    join_path,
)
from coding.errors import StudyError

if TYPE_CHECKING:
    from coding.segments import Segment
    from coding.study import Study

_PALETTE = ("#E69F00", "#56B4E9", "#009E73", "#CC79A7", "#0072B2", "#D55E00", "#7A6A00")


@dataclass(frozen=True)
class MergeSnapshot:
    """What a merge changed, so it can be undone exactly."""

    code_row: dict[str, Any]
    recoded: list[str]
    dropped: list[Segment]
    children: list[tuple[int, int]]


@dataclass(frozen=True)
class ImportSummary:
    added: int
    updated: int


class CodebookStore:
    """The codebook of one study; `load()` gives the current tree (cached until a change)."""

    def __init__(self, study: Study) -> None:
        self._study = study
        self._cache: tuple[tuple[int, int], Codebook] | None = None

    def load(self) -> Codebook:
        key = self._study.cache_key()
        if self._cache is None or self._cache[0] != key:
            rows = self._study.query("SELECT * FROM codes ORDER BY position, id")
            self._cache = (key, _build(rows))
        return self._cache[1]

    def find(self, path: str) -> Code:
        return self.load().find(path)

    # -- changes -------------------------------------------------------------

    def add(self, name: str, parent: Code | None = None, **fields: Any) -> Code:
        """Add a theme or code under `parent` (top level when None), last among its siblings."""
        spec = CodeSpec(name=name, **fields)
        with self._study.transaction():
            code_id = self._insert(spec, parent.id if parent else None)
        return self.load().by_id[code_id]

    def add_tree(self, specs: Sequence[CodeSpec], parent: Code | None = None) -> int:
        """Add whole subtrees of specs; returns how many codes were added."""
        with self._study.transaction():
            return sum(self._insert_tree(spec, parent.id if parent else None) for spec in specs)

    def update(self, code: Code, **fields: Any) -> Code:
        """Change a code's name or fields (definition, colour, shortcut, codable …)."""
        unknown = set(fields) - set(CODE_FIELDS) - {"name"}
        if unknown:
            raise StudyError(f"unknown code field(s): {', '.join(sorted(unknown))}")
        code = self._current(code)
        values = self._checked(fields, code)
        if "name" in values:
            self._check_sibling_name(values["name"], code.parent_id, code.id)
        with self._study.transaction() as db:
            db["codes"].update(code.id, values)
            self._study.notify("codebook")
        return self.load().by_id[code.id]

    def move(self, code: Code, parent: Code | None, position: int | None = None) -> Code:
        """Move a code under another parent (or to the top), at `position` among siblings."""
        book = self.load()
        code, parent = self._current(code), self._current(parent)
        if parent is not None and parent.id in {c.id for c in book.descendants(code)}:
            raise StudyError(f"cannot move {code.path!r} into itself or one of its children")
        parent_id = parent.id if parent else None
        self._check_sibling_name(code.name, parent_id, code.id)
        siblings = [
            c.id for c in (parent.children if parent else book.roots) if c.id != code.id
        ]
        position = len(siblings) if position is None else max(0, min(position, len(siblings)))
        siblings.insert(position, code.id)
        with self._study.transaction() as db:
            db.execute("UPDATE codes SET parent_id = ? WHERE id = ?", [parent_id, code.id])
            self._renumber(siblings)
            self._study.notify("codebook")
        return self.load().by_id[code.id]

    def merge(self, source: Code, target: Code) -> MergeSnapshot:
        """Fold `source` into `target`: its segments are recoded, its children move over.

        A segment that would duplicate one the same coder already has with `target`
        on the same span is dropped rather than doubled. Returns what `unmerge` needs.
        """
        source, target = self._current(source), self._current(target)
        if source.id == target.id:
            raise StudyError("cannot merge a code into itself")
        if target.id in {c.id for c in self.load().descendants(source)}:
            raise StudyError(f"cannot merge {source.path!r} into one of its own children")
        if not target.codable and self._count_segments(source, include_children=False):
            raise StudyError(f"{target.path!r} is a theme and cannot hold coded segments")
        for child in source.children:
            self._check_sibling_name(child.name, target.id, child.id)
        segments = self._study.segments
        with self._study.transaction() as db:
            row = dict(db["codes"].get(source.id))
            moved = segments.with_codes([source.id])
            dropped = [
                s for s in moved
                if db.execute(
                    """SELECT 1 FROM segments WHERE code_id = ? AND document_id = ?
                       AND coder_id = ? AND start = ? AND "end" = ?""",
                    [target.id, s.document_id, s.coder_id, s.start, s.end],
                ).fetchone()
            ]
            for segment in dropped:
                segments.remove(segment)
            db.execute(
                "UPDATE segments SET code_id = ? WHERE code_id = ?", [target.id, source.id]
            )
            last = len(target.children)
            for offset, child in enumerate(source.children):
                db.execute(
                    "UPDATE codes SET parent_id = ?, position = ? WHERE id = ?",
                    [target.id, last + offset, child.id],
                )
            db.execute("DELETE FROM codes WHERE id = ?", [source.id])
            self._study.notify("codebook")
            self._study.notify("segments", {s.document_id for s in moved})
        kept = [s.uuid for s in moved if s not in dropped]
        children = [(c.id, c.position) for c in source.children]
        return MergeSnapshot(row, kept, dropped, children)

    def unmerge(self, snapshot: MergeSnapshot) -> Code:
        """Undo a merge: the code, its children and its segments go back where they were."""
        with self._study.transaction() as db:
            db["codes"].insert(snapshot.code_row)
            source_id = snapshot.code_row["id"]
            for child_id, position in snapshot.children:
                db.execute(
                    "UPDATE codes SET parent_id = ?, position = ? WHERE id = ?",
                    [source_id, position, child_id],
                )
            for uuid in snapshot.recoded:
                segment = self._study.segments.find(uuid)
                self._study.segments.update_fields(segment, {"code_id": source_id})
            for segment in snapshot.dropped:
                self._study.segments.restore(segment)
            self._study.notify("codebook")
        return self.load().by_id[source_id]

    def delete(self, code: Code) -> None:
        """Delete a code and its children; refused while any of them has segments."""
        code = self._current(code)
        used = self._count_segments(code)
        if used:
            raise StudyError(
                f"{code.path!r} (or a code under it) has {used} coded segment(s); merge it "
                "into another code or remove those segments first"
            )
        ids = [c.id for c in reversed(self.load().descendants(code))]
        with self._study.transaction() as db:
            for code_id in ids:
                db.execute("DELETE FROM codes WHERE id = ?", [code_id])
            self._study.notify("codebook")

    def import_specs(self, specs: Sequence[CodeSpec]) -> ImportSummary:
        """Bring a codebook in: codes matched by uuid (else by path) are updated, others added."""
        added = updated = 0
        with self._study.transaction():
            for spec in specs:
                a, u = self._import_one(spec, None)
                added, updated = added + a, updated + u
        return ImportSummary(added, updated)

    def snapshot(self) -> list[dict[str, Any]]:
        """Every code row as stored now, for putting the codebook back later (undo)."""
        return [dict(row) for row in self._study.query("SELECT * FROM codes ORDER BY id")]

    def restore(self, rows: Sequence[dict[str, Any]]) -> None:
        """Make the codebook exactly `rows` again: codes added since go, others come back.

        Refused while a code that would go still has coded segments.
        """
        wanted = {row["id"]: row for row in rows}
        present = {row[0] for row in self._study.db.execute("SELECT id FROM codes")}
        going = sorted(present - set(wanted))
        used = self._study.db.execute(
            f"SELECT COUNT(*) FROM segments WHERE code_id IN ({','.join('?' * len(going))})",
            going,
        ).fetchone()[0]
        if used:
            raise StudyError(
                f"cannot put the codebook back: codes added since have {used} coded segment(s)"
            )
        with self._study.transaction() as db:
            db.execute("PRAGMA defer_foreign_keys = ON")
            for code_id in going:
                db.execute("DELETE FROM codes WHERE id = ?", [code_id])
            db["codes"].upsert_all(list(wanted.values()), pk="id")
            self._study.notify("codebook")

    # -- internals -------------------------------------------------------------

    def _current(self, code: Code | None) -> Code | None:
        """The code as stored now (callers may hold a copy from before a change)."""
        if code is None:
            return None
        try:
            return self.load().by_id[code.id]
        except KeyError:
            raise StudyError(f"the code {code.path!r} no longer exists") from None

    def _import_one(self, spec: CodeSpec, parent_id: int | None) -> tuple[int, int]:
        """Add or update one code and its children; an update counts only when it changes it.

        A code matched by uuid takes the file's name and place: the file is the
        codebook as someone edited it (a rename in Excel or another tool).
        """
        book = self.load()
        existing = book.by_uuid.get(spec.uuid) if spec.uuid else None
        if existing is None:
            parent_path = book.by_id[parent_id].path + "/" if parent_id else ""
            existing = book.by_path.get(parent_path + join_path([spec.name]))
        if existing is None:
            return self._insert_tree(spec, parent_id), 0
        values = {
            name: getattr(spec, name)
            for name in ("name", "definition", "inclusion", "exclusion", "example", "color",
                         "shortcut")
            if getattr(spec, name)
        }
        values["codable"] = spec.codable
        values = self._checked(values, existing)
        changes = {
            name: value for name, value in values.items() if value != getattr(existing, name)
        }
        moved = existing.parent_id != parent_id
        if "name" in changes:
            self._check_sibling_name(changes["name"], parent_id, existing.id)
        if changes:
            self._study.db["codes"].update(existing.id, changes)
            self._study.notify("codebook")
        if moved:
            self.move(existing, book.by_id[parent_id] if parent_id else None)
        added, updated = 0, int(bool(changes) or moved)
        for child in spec.children:
            a, u = self._import_one(child, existing.id)
            added, updated = added + a, updated + u
        return added, updated

    def _insert_tree(self, spec: CodeSpec, parent_id: int | None) -> int:
        code_id = self._insert(spec, parent_id)
        return 1 + sum(self._insert_tree(child, code_id) for child in spec.children)

    def _insert(self, spec: CodeSpec, parent_id: int | None) -> int:
        from coding.study import new_uuid

        name = check_name(spec.name)
        self._check_sibling_name(name, parent_id, None)
        if spec.uuid and self._study.db.execute(
            "SELECT 1 FROM codes WHERE uuid = ?", [spec.uuid]
        ).fetchone():
            raise StudyError(f"a code with id {spec.uuid} already exists in this study")
        values = self._checked(
            {
                "definition": spec.definition,
                "inclusion": spec.inclusion,
                "exclusion": spec.exclusion,
                "example": spec.example,
                "shortcut": spec.shortcut,
                "codable": spec.codable,
                **({"color": spec.color} if spec.color else {}),
            },
            None,
        )
        position = self._study.db.execute(
            "SELECT COALESCE(MAX(position) + 1, 0) FROM codes WHERE parent_id IS ?", [parent_id]
        ).fetchone()[0]
        if "color" not in values:
            values["color"] = self._inherited_color(parent_id, position)
        cursor = self._study.db.execute(
            """INSERT INTO codes (uuid, parent_id, position, name, definition, inclusion,
                   exclusion, example, color, shortcut, codable)
               VALUES (:uuid, :parent_id, :position, :name, :definition, :inclusion,
                   :exclusion, :example, :color, :shortcut, :codable)""",
            {
                "uuid": spec.uuid or new_uuid(),
                "parent_id": parent_id,
                "position": position,
                "name": name,
                **values,
            },
        )
        self._study.notify("codebook")
        return cursor.lastrowid

    def _inherited_color(self, parent_id: int | None, position: int) -> str:
        if parent_id is not None:
            row = self._study.db.execute(
                "SELECT color FROM codes WHERE id = ?", [parent_id]
            ).fetchone()
            return row[0]
        return _PALETTE[position % len(_PALETTE)]

    def _checked(self, fields: dict[str, Any], code: Code | None) -> dict[str, Any]:
        values = dict(fields)
        if "name" in values:
            values["name"] = check_name(values["name"])
        if values.get("color") is not None:
            values["color"] = check_color(values["color"])
        if "codable" in values:
            values["codable"] = 1 if values["codable"] else 0
            if not values["codable"] and code is not None:
                self._check_no_own_segments(code)
        for text in ("definition", "inclusion", "exclusion", "example"):
            if text in values:
                values[text] = (values[text] or "").strip()
        if "shortcut" in values:
            values["shortcut"] = (values["shortcut"] or "").strip() or None
            if values["shortcut"]:
                clash = self._study.db.execute(
                    "SELECT id FROM codes WHERE shortcut = ? COLLATE NOCASE AND id IS NOT ?",
                    [values["shortcut"], code.id if code else None],
                ).fetchone()
                if clash:
                    other = self.load().by_id.get(clash[0])
                    owner = other.path if other else "another code"
                    raise StudyError(
                        f"shortcut {values['shortcut']!r} is already used by {owner!r}"
                    )
        return values

    def _check_no_own_segments(self, code: Code) -> None:
        """A code whose segments would be left on a theme cannot stop being codable."""
        used = self._count_segments(code, include_children=False)
        if used:
            raise StudyError(
                f"{code.path!r} has {used} coded segment(s), so it must stay codable; "
                "recode or remove those segments first to make it a theme"
            )

    def _check_sibling_name(self, name: str, parent_id: int | None, own_id: int | None) -> None:
        clash = self._study.db.execute(
            "SELECT 1 FROM codes WHERE parent_id IS ? AND name = ? AND id IS NOT ?",
            [parent_id, name, own_id],
        ).fetchone()
        if clash:
            where = "at the top level" if parent_id is None else "under the same parent"
            raise StudyError(f"a code named {name!r} already exists {where}")

    def _renumber(self, ids: list[int]) -> None:
        for position, code_id in enumerate(ids):
            self._study.db.execute(
                "UPDATE codes SET position = ? WHERE id = ?", [position, code_id]
            )

    def _count_segments(self, code: Code, include_children: bool = True) -> int:
        ids = [c.id for c in self.load().descendants(code)] if include_children else [code.id]
        marks = ",".join("?" * len(ids))
        return self._study.db.execute(
            f"SELECT COUNT(*) FROM segments WHERE code_id IN ({marks})", ids
        ).fetchone()[0]


def _build(rows: Sequence[Any]) -> Codebook:
    codes = {
        row["id"]: Code(
            id=row["id"],
            uuid=row["uuid"],
            name=row["name"],
            path="",
            parent_id=row["parent_id"],
            position=row["position"],
            definition=row["definition"],
            inclusion=row["inclusion"],
            exclusion=row["exclusion"],
            example=row["example"],
            color=row["color"],
            shortcut=row["shortcut"],
            codable=bool(row["codable"]),
        )
        for row in rows
    }
    roots = []
    for code in codes.values():
        if code.parent_id is None:
            roots.append(code)
        else:
            codes[code.parent_id].children.append(code)

    def place(code: Code, names: list[str], depth: int) -> None:
        code.path = join_path([*names, code.name])
        code.depth = depth
        for child in code.children:
            place(child, [*names, code.name], depth + 1)

    for root in roots:
        place(root, [], 0)
    return Codebook(roots)
