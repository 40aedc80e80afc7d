"""Import throughput against a bare spaCy sentencizer pass over the same text (SPEC §10)."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import spacy

from benchmarks.synthetic import lines_of, write_study_files
from coding.documents import ImportItem
from coding.study import Study


def run(dyads: int = 6, sessions: int = 2, turns: int = 400) -> list[tuple[str, str]]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        files = write_study_files(folder / "files", dyads, sessions, turns)
        chars = sum(len(f.path.read_text(encoding="utf-8")) for f in files)
        lines = list(lines_of(files))

        nlp = spacy.blank("en")
        nlp.add_pipe("sentencizer")
        started = time.perf_counter()
        sentences = sum(len(list(doc.sents)) for doc in nlp.pipe(lines, batch_size=256))
        bare = time.perf_counter() - started

        with Study.create(folder / "bench.iprw") as study:
            items = [ImportItem(f.path, f.dyad, f.session, f.perspective) for f in files]
            started = time.perf_counter()
            for item in items:
                study.documents.import_files([item])
            full = time.perf_counter() - started
            stored = study.db.execute("SELECT COUNT(*) FROM sentences").fetchone()[0]
    return [
        ("import: text", f"{len(files)} files, {chars / 1e6:.2f} M chars"),
        ("import: bare spaCy sentencizer", f"{bare:.2f} s, {chars / bare / 1e6:.2f} M chars/s "
         f"({sentences} sentences)"),
        ("import: end to end", f"{full:.2f} s, {chars / full / 1e6:.2f} M chars/s "
         f"({stored} sentences)"),
        ("import: throughput ratio", f"{bare / full:.2f} of bare spaCy (target ≥ 0.33)"),
    ]
