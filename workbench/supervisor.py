"""Acting as a supervisor: reviewing and building consensus need the supervisor role.

Rather than refusing a coder who tries, the app asks once whether to make them a
supervisor of this study (or to switch to another name in the "I am" box).
"""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from coding.coders import Coder
from workbench.study_session import StudySession


def ensure_supervisor(
    parent: QWidget, session: StudySession, doing: str = "review segments"
) -> Coder | None:
    """The current coder as a supervisor (promoted after asking), or None."""
    coder = session.coder
    if coder is None:
        QMessageBox.information(
            parent, "Supervisor needed",
            f'Choose who you are in the "I am" box on the toolbar before you {doing}.',
        )
        return None
    if coder.role == "supervisor":
        return coder
    answer = QMessageBox.question(
        parent, "Supervisor needed",
        f"Only a supervisor can {doing}, and {coder.name} is a coder in this study.\n\n"
        f"Make {coder.name} a supervisor of this study? Reviews are recorded under this "
        'name. To review as someone else, choose their name in the "I am" box instead.',
    )
    if answer != QMessageBox.StandardButton.Yes:
        return None
    promoted = session.attempt(session.study.coders.set_role, coder, "supervisor")
    if promoted is None or not session.set_coder(promoted.name):
        return None
    return session.coder
