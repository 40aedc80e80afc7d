"""Sentences and lemmas from the offline blank spaCy pipeline."""

from __future__ import annotations

import threading

import pytest
from transcript_helpers import parse

from transcripts import nlp
from transcripts.nlp import analyse, query_lemmas, word_lemmas
from transcripts.progress import Cancelled


def sentence_texts(text, analysis):
    return [(s.utterance, text[s.char_start : s.char_end]) for s in analysis.sentences]


def test_sentences_stay_inside_their_utterance_and_are_trimmed():
    transcript = parse(
        "Preamble. Not analysed.\n"
        "T: Hello there.   How are you 😀?\n"
        "C: I was scared. Then\n   it got better!  \n"
        "[STOP 00:10]\nunfinished thought\n"
    )

    analysis = analyse(transcript.text, transcript.utterances)

    assert sentence_texts(transcript.text, analysis) == [
        (0, "Hello there."),
        (0, "How are you 😀?"),
        (1, "I was scared."),
        (1, "Then\n   it got better!"),
        (2, "unfinished thought"),
    ]


def test_no_sentence_crosses_utterances_even_without_punctuation():
    transcript = parse("T: no full stop here\nC: nor here\n")

    analysis = analyse(transcript.text, transcript.utterances)

    assert sentence_texts(transcript.text, analysis) == [(0, "no full stop here"), (1, "nor here")]


def test_lemmas_are_lower_case_lookup_lemmas_of_words_only():
    transcript = parse("T: Running late, the Dogs WERE barking!\nC: …  😀 ?\n")

    analysis = analyse(transcript.text, transcript.utterances)

    assert analysis.lemmas == ["run late the dog be bark", ""]


def test_query_lemmas_match_indexed_lemmas():
    assert query_lemmas("Feelings, RUNNING?") == ["feeling", "run"]
    assert query_lemmas("") == []


def test_word_lemmas_locate_each_word():
    text = "She FELT it… 😀 twice"

    assert word_lemmas(text) == [(0, 3, "she"), (4, 8, "feel"), (9, 11, "it"), (15, 20, "twice")]


def test_an_utterance_longer_than_spacys_default_limit():
    words = "I felt safe. " * 120_000  # 1.56 M characters in one turn
    transcript = parse(f"T: {words}\n")

    analysis = analyse(transcript.text, transcript.utterances)

    assert len(analysis.sentences) == 120_000
    assert analysis.sentences[-1].char_end == transcript.utterances[0].char_end
    assert analysis.lemmas[0].split()[:3] == ["i", "feel", "safe"]


def test_progress_is_reported_and_can_cancel():
    transcript = parse("".join(f"T: turn {n}.\n" for n in range(1000)))
    seen = []

    analyse(transcript.text, transcript.utterances, progress=lambda f, m: seen.append(f))
    assert seen[-1] == 1.0 and seen == sorted(seen) and len(seen) > 2

    def cancel(fraction, message):
        raise Cancelled()

    with pytest.raises(Cancelled):
        analyse(transcript.text, transcript.utterances, progress=cancel)


def test_the_pipeline_is_blank_english_built_once_across_threads(monkeypatch):
    monkeypatch.setattr(nlp, "_pipeline", None)
    built = []
    real = nlp._Pipeline

    def counting():
        built.append(1)
        return real()

    monkeypatch.setattr(nlp, "_Pipeline", counting)
    threads = [threading.Thread(target=query_lemmas, args=("hello",)) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(built) == 1
    assert nlp._shared().nlp.pipe_names == ["sentencizer", "lemmatizer"]
    assert nlp._shared().nlp.meta["name"] == "pipeline"  # blank, not a trained package


def test_searches_during_an_import_in_another_thread_get_their_own_answers():
    transcript = parse("".join(f"T: The dogs were running {n}.\n" for n in range(5_000)))
    expected = analyse(transcript.text, transcript.utterances)
    results = []
    worker = threading.Thread(
        target=lambda: results.append(analyse(transcript.text, transcript.utterances))
    )

    worker.start()
    answers = [query_lemmas("Feelings WERE hurt") for _ in range(200)]
    worker.join()

    assert answers == [["feeling", "be", "hurt"]] * 200
    assert results == [expected]
