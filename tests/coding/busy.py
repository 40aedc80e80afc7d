"""A busy little study for pinning what review, moments and disagreements return.

Several dyads with sessions and both recalls (the benchmarks' generator, small), the
fixture transcripts with an emoji and a preamble, three coders and a consensus layer,
segments of every shape (sentence-sized, across turns, inside the preamble, touching
and overlapping), memos, approvals and flags. The checks in the tests read the study
the slow, obvious way and must agree with the fast code exactly.
"""

from __future__ import annotations

import random
from dataclasses import fields
from pathlib import Path

from benchmarks.synthetic import code_sentences, write_study_files
from coding.documents import ImportItem
from coding.review import ReviewFilter, ReviewRow
from coding.segments import Segment, SegmentRow
from coding.study import Study
from tests.conftest import CLIENT_RECALL_TXT, SESSION_TXT, THERAPIST_RECALL_TXT, write

CODERS = ("Alex", "Sam", "Kim")


def build_busy_study(study: Study, folder: Path, seed: int = 3) -> Study:
    """Fill `study` (a fresh one) with documents, segments and reviews; returns it."""
    files = write_study_files(folder / "synthetic", dyads=3, sessions=2, turns=24, seed=seed)
    items = [ImportItem(f.path, f.dyad, f.session, f.perspective) for f in files]
    for perspective, text in (
        ("session", SESSION_TXT),
        ("client-recall", CLIENT_RECALL_TXT),
        ("therapist-recall", THERAPIST_RECALL_TXT),
    ):
        items.append(ImportItem(write(folder / f"{perspective}.txt", text), "A01", 1, perspective))
    study.documents.import_files(items)
    code_sentences(study, CODERS, per_document=6, seed=seed)
    rng = random.Random(seed)
    codes = study.codebook.load().applicable()
    for doc in study.documents.list():
        text = study.documents.text(doc.id)
        for _ in range(6):
            start = rng.randrange(len(text) - 1)
            end = min(len(text), start + rng.randint(1, 160))
            if text[start:end].strip():
                study.segments.add(doc.id, start, end, rng.choice(codes), rng.choice(CODERS),
                                   memo=rng.choice(["", "felt SCARED here", "ask Sam"]))
    preamble = study.documents.find("A01-S1-session")
    study.segments.add(preamble.id, 0, 9, codes[0], "Alex")  # "Session 1": no utterance
    smile = study.documents.text(preamble.id).index("I felt safer. 😊")
    study.segments.add(preamble.id, smile, smile + 15, codes[2], "Sam", memo="an emoji")
    boss = study.coders.get_or_create("Dr. Reyes", "supervisor")
    segments = [s for doc in study.documents.list() for s in study.segments.for_document(doc.id)]
    for segment in rng.sample(segments, len(segments) // 5):
        status = rng.choice(["approved", "flagged"])
        study.segments.review(segment, status, boss, "too wide, scared?" if status == "flagged"
                              else "")
    return study


def rows_by_hand(study, wanted: ReviewFilter) -> list[ReviewRow]:
    """Every segment read on its own, described, filtered and sorted the obvious way."""
    book = study.codebook.load()
    docs = {doc.id: doc for doc in study.documents.list()}
    names = {coder.id: coder.name for coder in study.coders.list()}
    columns = ", ".join(f'"{field.name}"' for field in fields(Segment))
    found = []
    for values in study.db.execute(f"SELECT {columns} FROM segments"):
        segment = Segment(*values)
        doc = docs[segment.document_id]
        text = study.documents.text(doc.id)
        first = next((u for u in study.documents.utterances(doc.id)
                      if u.char_start < segment.end and u.char_end > segment.start), None)
        row = SegmentRow(
            id=segment.uuid, document=doc.name, dyad=doc.dyad, session=doc.session,
            perspective=doc.perspective, coder=names[segment.coder_id],
            code=book.by_id[segment.code_id].path, start=segment.start, end=segment.end,
            text=text[segment.start : segment.end],
            speaker=first.speaker if first else None, role=first.role if first else None,
            session_time=first.session_time if first else None, memo=segment.memo,
            status=segment.status, created_at=segment.created_at,
            reviewer=names.get(segment.reviewer_id), review_comment=segment.review_comment,
        )
        found.append(ReviewRow(segment, row))
    if wanted.code:
        codes = {c.path for c in book.descendants(book.find(wanted.code))}
        found = [r for r in found if r.row.code in codes]
    for name in ("coder", "perspective", "dyad", "status", "document"):
        if getattr(wanted, name):
            found = [r for r in found if getattr(r.row, name) == getattr(wanted, name)]
    needle = wanted.text.strip().casefold()
    found = [r for r in found
             if needle in f"{r.row.text}\n{r.row.memo}\n{r.row.review_comment}".casefold()]
    return sorted(found, key=lambda r: (r.row.dyad, r.row.session, r.row.document, r.row.start,
                                        r.row.end, r.row.coder, r.segment.id))
