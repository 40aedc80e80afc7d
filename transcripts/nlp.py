"""Sentences and search lemmas of utterances, with an offline spaCy pipeline.

The pipeline is `spacy.blank("en")` + `sentencizer` + `lemmatizer` in lookup mode,
its table from `spacy-lookups-data`: nothing is downloaded, and it is built once per
process. Lemmas are looked up by the token's lower-case form through a cache keyed
by spaCy's string id, rather than by running the lemmatizer component: the stock
lookup is case-sensitive (sentence-initial "Running" would stay "running" while
"running" becomes "run", so a search for "run" would miss it), and a per-token
Python component costs more than the tokenizer itself. A trained pipeline is not
used even when installed: its parser would cut import throughput tenfold (SPEC §10).
"""

from __future__ import annotations

import re
import sys
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

import spacy
from spacy.attrs import IDX, ORTH, SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from transcripts.model import Sentence, Utterance
from transcripts.progress import Progress, report

_BATCH = 256
_WORD = re.compile(r"[^\W_]")  # a word token has a letter or digit (no punctuation, emoji)
_CACHE_LIMIT = 1_000_000  # distinct token forms remembered before the cache starts over


@dataclass(frozen=True, slots=True)
class Analysis:
    """Sentences of every utterance, and each utterance's lemmas for the search index."""

    sentences: list[Sentence]
    lemmas: list[str]  # one per utterance: lower-case lemmas of its words, space-joined


class _Pipeline:
    """The shared spaCy pipeline and the lemma of every token form seen so far."""

    def __init__(self) -> None:
        nlp = spacy.blank("en")
        nlp.add_pipe("sentencizer")
        nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
        nlp.initialize()  # loads the lemma table from spacy-lookups-data, offline
        nlp.max_length = sys.maxsize  # a day-long recording is one document; never truncate
        self.nlp: Language = nlp
        self._table = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_lookup")
        self._lemmas: dict[int, str] = {}
        # spaCy does not promise that one pipeline may tokenize in two threads at once.
        self.lock = threading.Lock()

    def docs(self, texts: Iterable[str]) -> Iterator[Doc]:
        """Process texts in batches; the lock keeps a search from tokenizing mid-batch."""
        stream = self.nlp.pipe(texts, batch_size=_BATCH, disable=["lemmatizer"])
        while True:
            with self.lock:
                doc = next(stream, None)
            if doc is None:
                return
            yield doc

    def make_doc(self, text: str) -> Doc:
        """Tokenize a short text (a query), taking turns with any running import."""
        with self.lock:
            return self.nlp.make_doc(text)

    def lemmas(self, doc: Doc) -> list[str]:
        """Lower-case lookup lemmas of the doc's word tokens, in order."""
        return [lemma for lemma in self.token_lemmas(doc) if lemma]

    def token_lemmas(self, doc: Doc) -> list[str]:
        """One lemma per token, "" for tokens that are not words (punctuation, emoji)."""
        cache = self._lemmas
        orths = doc.to_array(ORTH).tolist()
        missing = set(orths).difference(cache)
        if len(cache) + len(missing) > _CACHE_LIMIT:
            # A fresh dict, not clear(): another thread may be reading the old one.
            cache = self._lemmas = {}
            missing = set(orths)
        for orth in missing:
            cache[orth] = self._lemma(self.nlp.vocab.strings[orth])
        return list(map(cache.__getitem__, orths))

    def _lemma(self, form: str) -> str:
        if _WORD.search(form) is None:
            return ""
        lower = form.lower()
        lemma = self._table.get(lower, lower).lower()
        if lemma.isdigit() and not lower.isdigit():
            return lower  # the table maps ordinals to digits: "first" is not "1"
        return lemma


_pipeline: _Pipeline | None = None
_lock = threading.Lock()


def _shared() -> _Pipeline:
    """The process-wide pipeline, created once even when threads race for it."""
    global _pipeline
    if _pipeline is None:
        with _lock:
            if _pipeline is None:
                _pipeline = _Pipeline()
    return _pipeline


def _sentence_spans(doc: Doc, text: str) -> list[tuple[int, int]]:
    """Whitespace-trimmed (start, end) of each sentence of `doc`, empty ones left out.

    Read from the token arrays: `doc.sents` builds a Token per token and a Span per
    sentence in Python, which costs as much as the tokenizer. A sentence runs from its
    first token to the next sentence's first token; only whitespace lies between.
    `text` is the doc's own text, passed in because `doc.text` rebuilds it token by token.
    """
    marks = doc.to_array([SENT_START, IDX])
    starts = marks[marks[:, 0] == 1, 1].tolist()  # the sentencizer marks token 0 too
    spans = []
    for begin, end in zip(starts, [*starts[1:], len(text)], strict=True):
        piece = text[begin:end]
        left = piece.lstrip()
        if left:
            spans.append((end - len(left), begin + len(piece.rstrip())))
    return spans


def analyse(
    text: str, utterances: Sequence[Utterance], *, progress: Progress | None = None
) -> Analysis:
    """Sentences (document offsets, trimmed, never across utterances) and lemmas per utterance.

    `progress` is called after each batch and may raise `Cancelled` to stop.
    """
    pipeline = _shared()
    sentences: list[Sentence] = []
    lemmas: list[str] = []
    contents = [text[u.char_start : u.char_end] for u in utterances]
    docs = pipeline.docs(contents)
    for done, (utterance, content, doc) in enumerate(
        zip(utterances, contents, docs, strict=True), 1
    ):
        offset = utterance.char_start
        sentences.extend(
            Sentence(utterance.index, offset + begin, offset + end)
            for begin, end in _sentence_spans(doc, content)
        )
        lemmas.append(" ".join(pipeline.lemmas(doc)))
        if done % _BATCH == 0:
            report(progress, done / len(utterances), "finding sentences")
    report(progress, 1.0, "sentences found")
    return Analysis(sentences, lemmas)


def query_lemmas(text: str) -> list[str]:
    """The lemmas of a search query, normalised exactly as `analyse` indexes utterances."""
    pipeline = _shared()
    return pipeline.lemmas(pipeline.make_doc(text))


def word_lemmas(text: str) -> list[tuple[int, int, str]]:
    """(start, end, lemma) of each word of `text`, lemmas exactly as the search index has them."""
    pipeline = _shared()
    doc = pipeline.make_doc(text)
    return [
        (token.idx, token.idx + len(token.text), lemma)
        for token, lemma in zip(doc, pipeline.token_lemmas(doc), strict=True)
        if lemma
    ]
