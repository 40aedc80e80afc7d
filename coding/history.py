"""Undo and redo of a coder's actions, in the core so every front end shares it.

An action knows how to apply and revert itself; each direction runs in one
transaction, so an undo is saved at once like any other change. Segments are
tracked by uuid, which survives being removed and put back.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from psygnal import Signal

from coding.segments import Segment, check_codable, review_fields

if TYPE_CHECKING:
    from coding.codebook import Code, CodeSpec
    from coding.coders import Coder
    from coding.study import Study


class Action(Protocol):
    label: str

    def apply(self, study: Study) -> None: ...

    def revert(self, study: Study) -> None: ...


class History:
    """A linear undo stack over one study; a new action clears what could be redone."""

    changed = Signal()

    def __init__(self, study: Study, limit: int = 1000) -> None:
        self._study = study
        self._limit = limit
        self._done: list[Action] = []
        self._undone: list[Action] = []

    def do(self, action: Action) -> Action:
        with self._study.transaction():
            action.apply(self._study)
        self._done.append(action)
        del self._done[: -self._limit]
        self._undone.clear()
        self.changed.emit()
        return action

    def undo(self) -> Action | None:
        if not self._done:
            return None
        action = self._done[-1]
        with self._study.transaction():
            action.revert(self._study)
        self._undone.append(self._done.pop())
        self.changed.emit()
        return action

    def redo(self) -> Action | None:
        if not self._undone:
            return None
        action = self._undone[-1]
        with self._study.transaction():
            action.apply(self._study)
        self._done.append(self._undone.pop())
        self.changed.emit()
        return action

    def clear(self) -> None:
        self._done.clear()
        self._undone.clear()
        self.changed.emit()

    @property
    def undo_label(self) -> str | None:
        return self._done[-1].label if self._done else None

    @property
    def redo_label(self) -> str | None:
        return self._undone[-1].label if self._undone else None


# -- segment actions ---------------------------------------------------------------


@dataclass
class ApplyCode:
    """Code a span; redo puts back the very same segment (same uuid and time)."""

    document_id: int
    start: int
    end: int
    code: Code
    coder: Coder
    memo: str = ""
    label: str = "Apply code"
    segment: Segment | None = None

    def __post_init__(self) -> None:
        self.label = f"Apply {self.code.name}"

    def apply(self, study: Study) -> None:
        if self.segment is None:
            self.segment = study.segments.add(
                self.document_id, self.start, self.end, self.code, self.coder, self.memo
            )
        else:
            self.segment = study.segments.restore(self.segment)

    def revert(self, study: Study) -> None:
        assert self.segment is not None
        study.segments.remove(study.segments.find(self.segment.uuid))


@dataclass
class RemoveSegment:
    segment: Segment
    label: str = "Remove segment"

    def apply(self, study: Study) -> None:
        study.segments.remove(study.segments.find(self.segment.uuid))

    def revert(self, study: Study) -> None:
        self.segment = study.segments.restore(self.segment)


@dataclass
class ChangeSegment:
    """Any change of a segment's own fields (code, memo, span, review), reverted exactly."""

    segment: Segment
    changes: dict[str, Any]
    label: str = "Change segment"
    _before: dict[str, Any] = field(default_factory=dict)

    def apply(self, study: Study) -> None:
        current = study.segments.find(self.segment.uuid)
        self._before = {name: getattr(current, name) for name in self.changes}
        study.segments.update_fields(current, self.changes)

    def revert(self, study: Study) -> None:
        current = study.segments.find(self.segment.uuid)
        study.segments.update_fields(current, self._before)


def recode(segment: Segment, code: Code) -> ChangeSegment:
    check_codable(code)
    return ChangeSegment(segment, {"code_id": code.id}, label=f"Recode as {code.name}")


def set_memo(segment: Segment, memo: str) -> ChangeSegment:
    return ChangeSegment(segment, {"memo": memo.strip()}, label="Edit memo")


def review(segment: Segment, status: str, reviewer: Coder, comment: str = "") -> ChangeSegment:
    return ChangeSegment(
        segment, review_fields(status, reviewer, comment), label=f"Mark {status}"
    )


@dataclass
class MarkDone:
    """A coder says a document is finished, or not: a finished one counts in agreement
    even where it holds none of their segments."""

    coder: Coder
    document_id: int
    done: bool = True
    label: str = "Mark document done"

    def apply(self, study: Study) -> None:
        study.coders.mark_done(self.coder, self.document_id, self.done)

    def revert(self, study: Study) -> None:
        study.coders.mark_done(self.coder, self.document_id, not self.done)


def mark_done(study: Study, coder: Coder, document_id: int, done: bool) -> MarkDone | None:
    """The action that marks a document done (or not) by `coder`; None when it already is."""
    if (document_id in study.coders.done_documents(coder)) == done:
        return None
    name = study.documents.get(document_id).name
    return MarkDone(coder, document_id, done,
                    label=f"Mark {name} done" if done else f"Mark {name} not done")


# -- codebook actions ----------------------------------------------------------------


@dataclass
class AddCode:
    name: str
    parent: Code | None = None
    fields: dict[str, Any] = field(default_factory=dict)
    label: str = "Add code"
    code: Code | None = None

    def apply(self, study: Study) -> None:
        uuid = self.code.uuid if self.code else None
        self.code = study.codebook.add(self.name, self._parent(study), uuid=uuid, **self.fields)

    def revert(self, study: Study) -> None:
        assert self.code is not None
        study.codebook.delete(study.codebook.load().by_uuid[self.code.uuid])

    def _parent(self, study: Study) -> Code | None:
        return study.codebook.load().by_uuid[self.parent.uuid] if self.parent else None


@dataclass
class EditCode:
    """Rename, recolour, redefine … a code; undo restores the previous values."""

    code: Code
    changes: dict[str, Any]
    label: str = "Edit code"
    _before: dict[str, Any] = field(default_factory=dict)

    def apply(self, study: Study) -> None:
        current = study.codebook.load().by_uuid[self.code.uuid]
        self._before = {name: getattr(current, name) for name in self.changes}
        study.codebook.update(current, **self.changes)

    def revert(self, study: Study) -> None:
        study.codebook.update(study.codebook.load().by_uuid[self.code.uuid], **self._before)


@dataclass
class MoveCode:
    code: Code
    parent: Code | None
    position: int | None = None
    label: str = "Move code"
    _before: tuple[str | None, int] | None = None

    def apply(self, study: Study) -> None:
        book = study.codebook.load()
        current = book.by_uuid[self.code.uuid]
        parent_uuid = book.by_id[current.parent_id].uuid if current.parent_id else None
        self._before = (parent_uuid, current.position)
        target = book.by_uuid[self.parent.uuid] if self.parent else None
        study.codebook.move(current, target, self.position)

    def revert(self, study: Study) -> None:
        assert self._before is not None
        book = study.codebook.load()
        parent_uuid, position = self._before
        study.codebook.move(
            book.by_uuid[self.code.uuid],
            book.by_uuid[parent_uuid] if parent_uuid else None,
            position,
        )


@dataclass
class CodebookChange:
    """A codebook change undone and redone by restoring the whole codebook as it was.

    The first `apply` runs `change` (its return value is kept in `result`); undo and
    redo put back the rows seen before and after it, so a redo recreates the very
    same codes (same ids and uuids).
    """

    label: str
    change: Callable[[Study], Any]
    result: Any = None
    _before: list[dict[str, Any]] | None = field(default=None, init=False)
    _after: list[dict[str, Any]] | None = field(default=None, init=False)

    def apply(self, study: Study) -> None:
        if self._after is not None:
            study.codebook.restore(self._after)
            return
        self._before = study.codebook.snapshot()
        self.result = self.change(study)
        self._after = study.codebook.snapshot()

    def revert(self, study: Study) -> None:
        assert self._before is not None
        study.codebook.restore(self._before)


def delete_code(code: Code) -> CodebookChange:
    """Delete a code (and its children) that no segment uses."""
    return CodebookChange(
        f"Delete {code.name}",
        lambda study: study.codebook.delete(study.codebook.load().by_uuid[code.uuid]),
    )


def import_codebook(specs: Sequence[CodeSpec]) -> CodebookChange:
    """Bring in a codebook file's codes; `result` is the ImportSummary."""
    return CodebookChange("Import codebook", lambda study: study.codebook.import_specs(specs))


@dataclass
class MergeCodes:
    """Fold one code into another; undo brings the code, its children and segments back."""

    source: Code
    target: Code
    label: str = "Merge codes"
    _snapshot: Any = None

    def apply(self, study: Study) -> None:
        book = study.codebook.load()
        self._snapshot = study.codebook.merge(
            book.by_uuid[self.source.uuid], book.by_uuid[self.target.uuid]
        )

    def revert(self, study: Study) -> None:
        study.codebook.unmerge(self._snapshot)
