"""The Word theme report of a study of about five million words (SPEC §10: < 20 s).

The study is the search benchmark's shape (40 dyads × 3 sessions, a session and two
recalls each, ~5 M words), imported through the real pipeline, then coded in bulk by
two coders and a consensus layer (`benchmarks.synthetic.code_sentences`). The
baseline, timed in the same run, is fetching every segment row once
(`study.segments.rows()`), the least any report of all segments must do.
"""

from __future__ import annotations

import re
import tempfile
import time
from pathlib import Path

from benchmarks.synthetic import code_sentences, write_study_files
from coding.documents import ImportItem
from coding.study import Study
from exports.word_report import write_report

TARGET_S = 20.0


def run(dyads: int = 40, sessions: int = 3, turns: int = 900) -> list[tuple[str, str]]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        files = write_study_files(folder / "files", dyads, sessions, turns)
        with Study.create(folder / "report.iprw") as study:
            study.documents.import_files(
                [ImportItem(f.path, f.dyad, f.session, f.perspective) for f in files]
            )
            segments = code_sentences(study, ("Alex", "Sam"), per_document=150)
            setup = time.perf_counter() - started
            words = sum(
                len(re.findall(r"\w+", study.documents.text(d.id)))
                for d in study.documents.list()
            )
            started = time.perf_counter()
            rows = study.segments.rows()
            baseline = time.perf_counter() - started
            timings = {
                "consensus layer (default)": _timed(study, folder / "consensus.docx"),
                "one coder (--coder Sam)": _timed(study, folder / "sam.docx", coder="Sam"),
            }
            # Without a consensus layer every coder's segments are reported: the most rows.
            with study.transaction() as db:
                db.execute("DELETE FROM segments WHERE coder_id IN "
                           "(SELECT id FROM coders WHERE consensus = 1)")
            timings["all coders (no consensus layer)"] = _timed(study, folder / "all.docx")
    table = [
        ("report: study", f"{len(files)} documents, {words / 1e6:.1f} M words, "
         f"{segments:,} segments (built in {setup:.0f} s)"),
        ("report: baseline", f"{baseline:.2f} s to fetch all {len(rows):,} segment rows"),
    ]
    for label, (seconds, size) in timings.items():
        table.append((
            f"report: {label}",
            f"{seconds:.1f} s ({seconds / TARGET_S:.2f} of the 20 s target, "
            f"{seconds / baseline:.1f}× the baseline; {size / 1e6:.1f} MB .docx)",
        ))
    return table


def _timed(study: Study, out: Path, **options) -> tuple[float, int]:
    started = time.perf_counter()
    write_report(study, out, **options)
    return time.perf_counter() - started, out.stat().st_size
