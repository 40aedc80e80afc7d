"""Lemma-aware search across a study of about five million words (SPEC §10: < 100 ms)."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from benchmarks.synthetic import write_study_files
from benchmarks.timing import best_of
from coding.documents import ImportItem
from coding.search import search
from coding.study import Study

QUERIES = ("scared", "scaring father", "laughed", "warm room", "froze")



def run(dyads: int = 40, sessions: int = 3, turns: int = 900) -> list[tuple[str, str]]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        files = write_study_files(folder / "files", dyads, sessions, turns)
        with Study.create(folder / "search.iprw") as study:
            study.documents.import_files(
                [ImportItem(f.path, f.dyad, f.session, f.perspective) for f in files]
            )
            texts = [study.documents.text(d.id) for d in study.documents.list()]
            words = sum(len(re.findall(r"\w+", text)) for text in texts)
            rows = [("search: study", f"{len(texts)} documents, {words / 1e6:.1f} M words")]
            for query in QUERIES:
                hits = search(study, query, limit=200)
                fts = best_of(lambda q=query: search(study, q, limit=200))
                first = query.split()[0]
                naive = best_of(lambda w=first: [t.lower().count(w) for t in texts], repeat=2)
                rows.append((
                    f"search: {query!r}",
                    f"{fts * 1000:.1f} ms, {len(hits)} hits (target < 100 ms; "
                    f"{naive / fts:.0f}× faster than scanning the text for {first!r})",
                ))
    return rows
