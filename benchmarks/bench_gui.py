"""The transcript view on a long document (SPEC §10), offscreen.

A 1,000,000-character session transcript with 10,000 segments: time to open it
in the view (shown and highlighted), and to apply one code with 100 and with
10,000 segments already there; bare `QPlainTextEdit.setPlainText` of the same
text is the baseline measured in the same run.
"""

from __future__ import annotations

import os
import random
import tempfile
import time
from pathlib import Path

from benchmarks.synthetic import session_text
from coding.documents import ImportItem
from coding.study import Study

CHARS = 1_000_000
SEGMENTS = 10_000
OPEN_TARGET_MS = 1000
APPLY_TARGET_MS = 50


def run() -> list[tuple[str, str]]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication, QPlainTextEdit

    from workbench.study_session import StudySession

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = _long_transcript(folder / "long.txt")
        study = Study.create(folder / "bench.iprw")
        session = StudySession(study)
        try:
            doc = study.documents.import_files([ImportItem(path, "D01", 1, "session")])[0]
            text = study.documents.text(doc.id)
            session.set_coder("Alex")

            bare = QPlainTextEdit()
            bare.resize(1000, 800)
            started = time.perf_counter()
            bare.setPlainText(text)
            bare.show()
            app.processEvents()
            baseline = _ms(started)
            _discard(app, bare)
            rows = [
                ("gui: document", f"{len(text):,} chars, {doc.utterances:,} utterances"),
                ("gui: bare setPlainText (baseline)", f"{baseline:.0f} ms"),
            ]
            _add_segments(study, doc.id, 100, seed=1)
            rows.append(_apply_row(app, session, doc.id, 100))
            _add_segments(study, doc.id, SEGMENTS - 100, seed=2)
            opened, view = _open(app, session, doc.id)
            _discard(app, view)
            rows.append((
                f"gui: open with {SEGMENTS:,} segments",
                f"{opened:.0f} ms ({opened / OPEN_TARGET_MS:.2f} of the {OPEN_TARGET_MS} ms "
                f"target, {opened / baseline:.1f}× bare setPlainText)",
            ))
            rows.append(_apply_row(app, session, doc.id, SEGMENTS))
        finally:
            session.close()
    return rows


def _long_transcript(path: Path) -> Path:
    rng = random.Random(11)
    text = session_text(rng, 10)
    turns = int(11 * CHARS / len(text))
    text = session_text(random.Random(11), turns)
    path.write_text(text[: text.index("\n", CHARS) + 1], encoding="utf-8")
    return path


def _add_segments(study: Study, document_id: int, count: int, seed: int) -> None:
    """Segments over random utterances (some overlapping), by two coders, in one transaction."""
    rng = random.Random(seed)
    codes = study.codebook.load().applicable()
    utterances = study.documents.utterances(document_id)
    with study.transaction():
        coders = [study.coders.get_or_create(name) for name in ("Alex", "Sam")]
        for _ in range(count):
            u = rng.choice(utterances)
            start = rng.randrange(u.char_start, max(u.char_start + 1, u.char_end - 20))
            end = min(u.char_end, start + rng.randint(20, 200))
            study.segments.add(document_id, start, end, rng.choice(codes), rng.choice(coders))


def _open(app, session, document_id: int):
    from workbench.transcript_view import TranscriptView

    started = time.perf_counter()
    view = TranscriptView(session, document_id)
    view.resize(1000, 800)
    view.show()
    app.processEvents()
    return _ms(started), view


def _apply_row(app, session, document_id: int, existing: int) -> tuple[str, str]:
    """Median time of applying one code in the open view, until it is repainted."""
    study = session.study
    opened, view = _open(app, session, document_id)
    code = study.codebook.load().applicable()[0]
    utterances = study.documents.utterances(document_id)
    utterance = utterances[len(utterances) // 2]
    view.select_span(utterance.char_start, utterance.char_end)
    app.processEvents()
    timings = []
    for _ in range(7):
        started = time.perf_counter()
        view.apply_code(code)
        app.processEvents()
        timings.append(_ms(started))
        session.undo()
        app.processEvents()
    _discard(app, view)
    middle = sorted(timings)[len(timings) // 2]
    return (
        f"gui: apply a code, {existing:,} segments there",
        f"{middle:.1f} ms ({middle / APPLY_TARGET_MS:.2f} of the {APPLY_TARGET_MS} ms target; "
        f"median of {len(timings)})",
    )


def _discard(app, widget) -> None:
    """Delete a widget now, so it stops listening to the study."""
    from PySide6.QtCore import QEvent

    widget.close()
    widget.deleteLater()
    app.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000
