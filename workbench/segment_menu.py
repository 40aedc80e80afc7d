"""What can be done to a coded segment, shared by the text and the margin's context menus."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from html import escape

from PySide6.QtWidgets import QInputDialog, QMenu, QWidget

from coding.codebook import Code, Codebook
from coding.history import RemoveSegment, recode, set_memo
from coding.segments import Segment
from workbench.menu_actions import plain
from workbench.study_session import StudySession


def describe(segment: Segment, book: Codebook, coders: Mapping[int, str]) -> str:
    """Rich-text tooltip: code, coder, memo."""
    code = book.by_id.get(segment.code_id)
    lines = [
        f"<b>{escape(code.path if code else 'deleted code')}</b>",
        f"coded by {escape(coders.get(segment.coder_id, '?'))}",
    ]
    if segment.memo:
        lines.append(f"<i>Memo:</i> {escape(segment.memo)}")
    if segment.status != "pending":
        lines.append(f"<i>Review:</i> {escape(segment.status)}")
    return "<br>".join(lines)


def add_code_menu(
    menu: QMenu, roots: Sequence[Code], chosen: Callable[[Code], object], current: int | None = None
) -> None:
    """The codebook as nested submenus; choosing a codable code calls `chosen(code)`."""
    for code in roots:
        target = menu.addMenu(plain(code.name)) if code.children else menu
        if code.codable:
            label = plain(code.name) if not code.children else f"{plain(code.name)} (this code)"
            action = target.addAction(label, lambda c=code: chosen(c))
            action.setEnabled(code.id != current)
            if code.shortcut:
                action.setText(f"{label}\t{code.shortcut}")
        if code.children:
            add_code_menu(target, code.children, chosen, current)


def add_segment_actions(
    menu: QMenu, parent: QWidget, session: StudySession, segments: Sequence[Segment]
) -> None:
    """Remove / Recode ▸ / Edit memo… for one segment, or one submenu per overlapping segment."""
    book = session.study.codebook.load()
    if len(segments) > 1:
        coders = session.coder_names()
        for segment in segments:
            code = book.by_id.get(segment.code_id)
            title = plain(f"{code.name if code else '?'} — {coders.get(segment.coder_id, '?')}")
            add_segment_actions(menu.addMenu(title), parent, session, [segment])
        return
    (segment,) = segments
    menu.addAction("Remove segment", lambda: session.do(RemoveSegment(segment)))
    add_code_menu(
        menu.addMenu("Recode as"),
        book.roots,
        lambda code: session.do(recode(segment, code)),
        current=segment.code_id,
    )
    menu.addAction("Edit memo…", lambda: edit_memo(parent, session, segment))


def edit_memo(parent: QWidget, session: StudySession, segment: Segment) -> None:
    text, ok = QInputDialog.getMultiLineText(
        parent, "Segment memo", "Memo (what this moment is about, why it was coded so):",
        segment.memo,
    )
    if ok and text.strip() != segment.memo:
        session.do(set_memo(segment, text))
