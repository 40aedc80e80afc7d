"""A synthetic IPR study of realistic shape: dyads × sessions × (session + two recalls).

Sessions are labelled turns with `[hh:mm:ss]` clocks; recalls are interviewer and
participant turns with `[STOP mm:ss]` markers at session moments. The text is
drawn from a fixed vocabulary with a seeded generator, so every run is the same.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

_SOURCE = (
    "I felt really scared when you asked about my father and then something shifted "
    "because you stayed with me and did not look away it was the first time I could say "
    "it out loud we laughed about the parking and the room felt warmer she was quiet for "
    "a long while so I slowed down and waited it seemed safe enough to go on maybe not "
    "yet I was not sure what you would think of me honestly the week was hard at work "
    "my sister called again and I froze like always"
)
_WORDS = _SOURCE.split()


@dataclass(frozen=True)
class SyntheticFile:
    path: Path
    dyad: str
    session: int
    perspective: str


def _sentence(rng: random.Random) -> str:
    words = rng.choices(_WORDS, k=rng.randint(5, 18))
    return " ".join(words).capitalize() + rng.choice((".", ".", ".", "?", "!"))


def _turn(rng: random.Random) -> str:
    return " ".join(_sentence(rng) for _ in range(rng.randint(1, 4)))


def _clock(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def session_text(rng: random.Random, turns: int) -> str:
    lines, clock = ["Session transcript", ""], 0
    for n in range(turns):
        clock += rng.randint(5, 40)
        lines.append(f"[{_clock(clock)}] {'T' if n % 2 == 0 else 'C'}: {_turn(rng)}")
    return "\n".join(lines) + "\n"


def recall_text(rng: random.Random, participant: str, turns: int, duration: int) -> str:
    lines = ["Recall interview", "I: Stop the video whenever something stands out."]
    stops = sorted(rng.sample(range(10, max(duration, 11)), k=max(1, turns // 4)))
    for stop in stops:
        lines.append(f"[STOP {stop // 60:02d}:{stop % 60:02d}]")
        for n in range(4):
            speaker = participant if n % 2 == 0 else "I"
            lines.append(f"{speaker}: {_turn(rng)}")
    return "\n".join(lines) + "\n"


def write_study_files(
    folder: Path, dyads: int = 4, sessions: int = 2, turns: int = 300, seed: int = 7
) -> list[SyntheticFile]:
    """Write the transcripts of a synthetic study; returns where each belongs."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for dyad in range(1, dyads + 1):
        for session in range(1, sessions + 1):
            name = f"D{dyad:02d}-S{session}"
            text = session_text(rng, turns)
            duration = turns * 22
            for perspective, body in (
                ("session", text),
                ("client-recall", recall_text(rng, "C", turns // 2, duration)),
                ("therapist-recall", recall_text(rng, "T", turns // 2, duration)),
            ):
                path = folder / f"{name}-{perspective}.txt"
                path.write_text(body, encoding="utf-8")
                files.append(SyntheticFile(path, f"D{dyad:02d}", session, perspective))
    return files


def lines_of(files: list[SyntheticFile]) -> Iterator[str]:
    for file in files:
        yield from file.path.read_text(encoding="utf-8").splitlines()


def code_sentences(
    study,
    coders: tuple[str, ...] = ("Alex", "Sam"),
    per_document: int = 60,
    consensus_share: float = 0.5,
    seed: int = 11,
) -> int:
    """Code random sentences of every document, fast (one bulk insert, no per-row checks).

    The first coder picks `per_document` sentences per document and a code for each;
    every other coder codes 80 % of the same sentences (85 % with the same code, the
    rest another one) with edges moved by a few characters, plus a few of their own.
    The consensus layer takes `consensus_share` of the first coder's segments, a fifth
    of them approved. Returns the number of segments inserted. For benchmarks only:
    the spans are valid by construction, so the store's per-segment checks are skipped.
    """
    from coding.study import new_uuid, utc_now

    rng = random.Random(seed)
    codes = [code.id for code in study.codebook.load().applicable()]
    ids = [study.coders.get_or_create(name).id for name in coders]
    consensus = study.coders.consensus().id if consensus_share else None
    now = utc_now()
    rows = []
    for doc in study.documents.list():
        sentences = study.documents.sentences(doc.id)
        if not sentences:
            continue
        text = study.documents.text(doc.id)
        for sentence in rng.sample(sentences, min(per_document, len(sentences))):
            code = rng.choice(codes)
            rows.append((ids[0], doc.id, code, sentence.char_start, sentence.char_end, "pending"))
            if consensus is not None and rng.random() < consensus_share:
                status = "approved" if rng.random() < 0.2 else "pending"
                rows.append((consensus, doc.id, code, sentence.char_start, sentence.char_end,
                             status))
            for other in ids[1:]:
                if rng.random() < 0.8:
                    chosen = code if rng.random() < 0.85 else rng.choice(codes)
                    start, end = _nudge(rng, text, sentence.char_start, sentence.char_end)
                    rows.append((other, doc.id, chosen, start, end, "pending"))
        for other in ids[1:]:
            for sentence in rng.sample(sentences, min(per_document // 10, len(sentences))):
                rows.append((other, doc.id, rng.choice(codes), sentence.char_start,
                             sentence.char_end, "pending"))
    with study.transaction() as db:
        db.conn.executemany(
            'INSERT INTO segments (uuid, coder_id, document_id, code_id, start, "end", '
            "created_at, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(new_uuid(), *row[:5], now, row[5]) for row in rows],
        )
        study.notify("segments", [])
    return len(rows)


def _nudge(rng: random.Random, text: str, start: int, end: int) -> tuple[int, int]:
    """The span with its edges moved by up to 6 characters, still holding a word."""
    start = max(0, start + rng.randint(-6, 6))
    end = min(len(text), max(start + 1, end + rng.randint(-6, 6)))
    while not text[start:end].strip():
        start, end = max(0, start - 1), min(len(text), end + 1)
    return start, end
