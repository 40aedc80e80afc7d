"""Full-text search across a study, lemma-aware ("scared" finds "scare", "scaring").

Each utterance is indexed twice in SQLite FTS5: its words and its spaCy lookup
lemmas. A query matches an utterance when every query term is found either as
a word (prefix-free, diacritics folded) or as a lemma.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from coding.errors import StudyError
from transcripts.nlp import query_lemmas, word_lemmas

if TYPE_CHECKING:
    from coding.study import Study

_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class SearchHit:
    """An utterance that matches, with the span of the first matching word to jump to."""

    document_id: int
    document: str
    utterance: int
    char_start: int
    char_end: int
    match_start: int
    match_end: int
    speaker: str | None
    snippet: str
    snippet_match: tuple[int, int]  # where the matched word sits in `snippet`


def search(study: Study, query: str, limit: int = 200) -> list[SearchHit]:
    """Utterances matching all words of `query`, in document order (at most `limit`)."""
    words = [w.lower() for w in _WORD.findall(query)]
    if not words:
        raise StudyError("type at least one word to search for")
    lemmas = query_lemmas(" ".join(words))
    terms = []
    for word, lemma in zip(words, _align(words, lemmas), strict=True):
        options = {f'words:"{word}"', f'lemmas:"{word}"'}
        if lemma:
            options.add(f'lemmas:"{lemma}"')
        terms.append("(" + " OR ".join(sorted(options)) + ")")
    rows = study.query(
        """SELECT u.document_id, d.name, u.idx, u.char_start, u.char_end, u.speaker,
                  f.words
           FROM utterance_search f
           JOIN utterances u ON u.id = f.rowid
           JOIN documents d ON d.id = u.document_id
           WHERE utterance_search MATCH ?
           ORDER BY f.rowid LIMIT ?""",
        [" AND ".join(terms), limit],
    )
    wanted = set(words) | set(lemmas)
    return [_hit(row, wanted) for row in rows]


def _align(words: list[str], lemmas: list[str]) -> list[str | None]:
    """Pair each query word with its lemma when the lemmatiser kept one per word."""
    if len(lemmas) == len(words):
        return list(lemmas)
    return [None] * len(words)


def _hit(row, wanted: set[str]) -> SearchHit:
    words: str = row["words"]
    found = next(
        (
            (start, end)
            for start, end, lemma in word_lemmas(words)
            if lemma in wanted or words[start:end].lower() in wanted
        ),
        (0, 0),
    )
    offset, end = found
    snippet_start = max(0, offset - 60)
    lead = "…" if snippet_start else ""
    snippet = lead + words[snippet_start : offset + 100]
    if offset + 100 < len(words):
        snippet += "…"
    in_snippet = len(lead) + offset - snippet_start
    return SearchHit(
        document_id=row["document_id"],
        document=row["name"],
        utterance=row["idx"],
        char_start=row["char_start"],
        char_end=row["char_end"],
        match_start=row["char_start"] + offset,
        match_end=row["char_start"] + end,
        speaker=row["speaker"],
        snippet=snippet,
        snippet_match=(in_snippet, in_snippet + end - offset),
    )
