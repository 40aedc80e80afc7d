"""Supervisor review and the dual perspective on a study of ~200 documents and ~20,000 segments.

Targets: the review list (`coding.review.review_rows`) under 100 ms, as the panel lists
again after every filter change, approval or flag; a session's moments
(`coding.moments.session_moments`) under 50 ms, as the dual view and the Word report
align every session; and the disagreements of every code at one unit level
(`coding.disagreements`, asked code after code) well under 1 s. What is kept between
calls is timed both ways: first on a newly opened study, and again. Each figure is set
beside a baseline timed in the same run, so it reads as a ratio on any machine: the bare
SQL select of the same segment rows, of a session's utterances, stops and segments, and
the agreement table at that unit level.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.synthetic import code_sentences, write_study_files
from benchmarks.timing import best_of
from coding.disagreements import disagreements
from coding.documents import ImportItem
from coding.moments import session_moments
from coding.review import ReviewFilter, review_rows
from coding.study import Study
from coding.study_agreement import study_agreement

DYADS = 67  # one session each: 201 documents (a session and two recalls)
CODERS = ("Alex", "Sam", "Kim")
PER_DOCUMENT = 31  # sentences the first coder codes per document: ~20,000 segments in all
REVIEW_TARGET_S = 0.1
MOMENTS_TARGET_S = 0.05
DISAGREEMENTS_TARGET_S = 1.0
FEAR = "Initial fear and shame/Fear and anxiety"


def build(folder: Path, dyads: int = DYADS, per_document: int = PER_DOCUMENT) -> Path:
    """Import and code the benchmark study in `folder`; returns the study file."""
    files = write_study_files(folder / "files", dyads, sessions=1, turns=300)
    path = folder / "review.iprw"
    with Study.create(path) as study:
        study.documents.import_files(
            [ImportItem(f.path, f.dyad, f.session, f.perspective) for f in files]
        )
        code_sentences(study, CODERS, per_document=per_document)
    return path


def run() -> list[tuple[str, str]]:
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        path = build(Path(tmp))
        setup = time.perf_counter() - started
        with Study.open(path) as study:
            return [*_study_facts(study, setup), *review(study), *moments(study),
                    *disagreements_per_code(study)]


def _study_facts(study: Study, setup: float) -> list[tuple[str, str]]:
    documents = study.query("SELECT COUNT(*) FROM documents")[0][0]
    segments = study.query("SELECT COUNT(*) FROM segments")[0][0]
    return [("review: study", f"{documents} documents, {segments:,} segments, "
             f"{len(CODERS)} coders and a consensus layer (built in {setup:.0f} s)")]


def _fresh(study: Study, task: Callable[[Study], object], repeat: int = 3) -> float:
    """The fastest of `repeat` runs of `task`, each on a newly opened study (nothing kept)."""
    times = []
    for _ in range(repeat):
        with Study.open(study.path, writable=False) as fresh:
            started = time.perf_counter()
            task(fresh)
            times.append(time.perf_counter() - started)
    return min(times)


def _review_figure(seconds: float, count: int, baseline: float) -> str:
    return (f"{seconds * 1000:.1f} ms for {count:,} rows ({seconds / REVIEW_TARGET_S:.2f} of the "
            f"100 ms target; {seconds / baseline:.2f}× a bare select of them, "
            f"{baseline * 1000:.0f} ms)")


def review(study: Study) -> list[tuple[str, str]]:
    """The review list: first after opening, after an approval, and under each filter."""
    everything = ReviewFilter()
    count = len(review_rows(study))
    baseline = best_of(lambda: _bare_select(study, everything))
    document = study.documents.list()[0].name  # as the dual view asks for a session's codes
    one = ReviewFilter(document=document)
    rows = [
        ("review: list, first after opening",
         _review_figure(_fresh(study, review_rows), count, baseline)),
        ("review: list, one document, first",
         _review_figure(_fresh(study, lambda fresh: review_rows(fresh, one)),
                        len(review_rows(study, one)),
                        best_of(lambda: study.query("SELECT * FROM segments WHERE document_id = "
                                                    "(SELECT id FROM documents WHERE name = ?)",
                                                    [document])))),
        ("review: list, after an approval",
         _review_figure(_after_approvals(study), count, baseline)),
    ]
    for label, wanted in (
        ("all segments", everything),
        ("one code", ReviewFilter(code=FEAR)),
        ("a theme", ReviewFilter(code="Initial fear and shame")),
        ("text 'scared'", ReviewFilter(text="scared")),
        ("coder + status", ReviewFilter(coder="Sam", status="pending")),
    ):
        count = len(review_rows(study, wanted))
        seconds = best_of(lambda w=wanted: review_rows(study, w))
        baseline = best_of(lambda w=wanted: _bare_select(study, w))
        rows.append((f"review: list, {label}", _review_figure(seconds, count, baseline)))
    return rows


def _after_approvals(study: Study, repeat: int = 5) -> float:
    """Approve a segment, then list everything again: the fastest of `repeat` listings."""
    boss = study.coders.get_or_create("Dr. Reyes", "supervisor")
    segments = [row.segment for row in review_rows(study)[:: len(review_rows(study)) // repeat]]
    times = []
    for segment in segments[:repeat]:
        study.segments.review(segment, "approved", boss)
        started = time.perf_counter()
        review_rows(study)
        times.append(time.perf_counter() - started)
    return min(times)


def _bare_select(study: Study, wanted: ReviewFilter) -> list:
    """The segments' own columns, filtered in SQL as far as SQL can (the least to do)."""
    where, params = ["1"], []
    if wanted.code:
        book = study.codebook.load()
        ids = [code.id for code in book.descendants(book.find(wanted.code))]
        where.append(f"code_id IN ({','.join('?' * len(ids))})")
        params.extend(ids)
    if wanted.coder:
        where.append("coder_id = (SELECT id FROM coders WHERE name = ?)")
        params.append(wanted.coder)
    if wanted.status:
        where.append("status = ?")
        params.append(wanted.status)
    return study.query(f"SELECT * FROM segments WHERE {' AND '.join(where)}", params)


def moments(study: Study) -> list[tuple[str, str]]:
    """One session's moments, then every session's, as the dual view and report ask."""
    sessions = [tuple(row) for row in study.query(
        "SELECT DISTINCT y.name, d.session FROM documents d JOIN dyads y ON y.id = d.dyad_id "
        "ORDER BY y.name, d.session")]
    dyad, number = sessions[0]
    view = session_moments(study, dyad, number)
    one = best_of(lambda: session_moments(study, dyad, number))
    baseline = best_of(lambda: _bare_session(study, dyad, number))
    every = best_of(lambda: [session_moments(study, *key) for key in sessions], repeat=2)
    everything = best_of(lambda: [_bare_session(study, *key) for key in sessions], repeat=2)
    return [
        ("review: moments of one session",
         f"{one * 1000:.1f} ms for {len(view.moments)} moments "
         f"({one / MOMENTS_TARGET_S:.2f} of the 50 ms target; {one / baseline:.1f}× selecting "
         f"the session's utterances, stops and segments, {baseline * 1000:.1f} ms)"),
        ("review: moments of every session",
         f"{every * 1000:.0f} ms for {len(sessions)} sessions ({every / len(sessions) * 1000:.1f}"
         f" ms each; {every / everything:.1f}× the bare selects)"),
    ]


def _bare_session(study: Study, dyad: str, session: int) -> list:
    """A session's utterances, stops and segments, selected and nothing more."""
    ids = "SELECT d.id FROM documents d JOIN dyads y ON y.id = d.dyad_id " \
          "WHERE y.name = ? AND d.session = ?"
    return [
        study.query(f"SELECT * FROM {table} WHERE document_id IN ({ids})", [dyad, session])
        for table in ("utterances", "stops", "segments")
    ]


def disagreements_per_code(study: Study) -> list[tuple[str, str]]:
    """Every code's disagreements in turn, as the dashboard and compare view ask: first
    after opening, then again."""
    codes = [code.path for code in study.codebook.load().applicable()]
    rows = []
    for unit in ("sentence", "utterance", "character"):

        def every_code(on: Study, unit: str = unit) -> int:
            return sum(len(disagreements(on, CODERS, code, unit)) for code in codes)

        found = every_code(study)
        first = _fresh(study, every_code, repeat=2)
        again = best_of(lambda f=every_code: f(study), repeat=2)
        baseline = best_of(lambda u=unit: study_agreement(study, CODERS, u), repeat=2)
        rows.append((
            f"review: disagreements, {unit} units",
            f"{first * 1000:.0f} ms for {len(codes)} codes, {found:,} units, first after "
            f"opening ({first / DISAGREEMENTS_TARGET_S:.2f} of the 1 s target; "
            f"{first / baseline:.1f}× the agreement table, {baseline * 1000:.0f} ms); "
            f"{again * 1000:.0f} ms again ({again / baseline:.1f}×)",
        ))
    return rows
