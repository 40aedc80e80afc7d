"""Agreement on 200 documents × 3 coders × 20,000 segments (SPEC §10: < 1 s per unit level).

The coders code the same moments with realistic noise (boundaries drift by a few words,
each coder misses a fifth of the moments and gives some another code), so agreement is
neither perfect nor chance. The `krippendorff` package (the `bench`
extra) is timed against `coding.agreement.krippendorff_alpha` on the same decision matrix.
"""

from __future__ import annotations

import random
import tempfile
import time
from pathlib import Path

import numpy as np

from benchmarks.synthetic import write_study_files
from benchmarks.timing import best_of
from coding.agreement import krippendorff_alpha
from coding.documents import ImportItem
from coding.study import Study
from coding.study_agreement import study_agreement, unit_decisions

DOCUMENTS = 200
CODERS = ("Alex", "Sam", "Kim")
SEGMENTS = 20_000
TARGET_S = 1.0


def run() -> list[tuple[str, str]]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        with Study.create(folder / "agreement.iprw") as study:
            _import(study, folder / "files")
            _code(study, random.Random(5))
            setup = time.perf_counter() - started
            chars = study.query("SELECT SUM(chars) FROM documents")[0][0]
            rows = [(
                "agreement: study",
                f"{DOCUMENTS} documents, {chars / 1e6:.1f} M chars, {len(CODERS)} coders, "
                f"{SEGMENTS:,} segments (built in {setup:.0f} s)",
            )]
            for unit in ("sentence", "utterance", "character"):
                result = study_agreement(study, CODERS, unit)
                seconds = best_of(lambda u=unit: study_agreement(study, CODERS, u))
                rows.append((
                    f"agreement: {unit} units",
                    f"{seconds * 1000:.0f} ms for {result.units:,} units × {len(result.codes)} "
                    f"codes ({seconds / TARGET_S:.2f} of the 1 s target; pooled Fleiss κ "
                    f"{result.pooled.fleiss_kappa:.3f}, α {result.pooled.krippendorff_alpha:.3f})",
                ))
            rows.extend(_against_krippendorff_package(study))
    return rows


def _import(study: Study, folder: Path) -> None:
    """The first 200 transcripts of a synthetic study (sessions and both recalls)."""
    files = write_study_files(folder, dyads=DOCUMENTS // 3 + 1, sessions=1, turns=300)
    study.documents.import_files(
        [ImportItem(f.path, f.dyad, f.session, f.perspective) for f in files[:DOCUMENTS]]
    )


def _code(study: Study, rng: random.Random) -> None:
    """20,000 segments: shared moments, each seen (imperfectly) by most coders."""
    codes = study.codebook.load().applicable()
    coders = [study.coders.get_or_create(name) for name in CODERS]
    documents = study.documents.list()
    per_document = SEGMENTS // DOCUMENTS
    with study.transaction():
        for doc in documents:
            text = study.documents.text(doc.id)
            turns = study.documents.utterances(doc.id)
            added = 0
            while added < per_document:
                turn = rng.choice(turns)
                moment = rng.randrange(len(codes))
                for coder in coders:
                    if added == per_document or rng.random() > 0.8:
                        continue
                    code = moment if rng.random() < 0.85 else rng.randrange(len(codes))
                    start, end = _drift(rng, text, turn.char_start, turn.char_end)
                    study.segments.add(doc.id, start, end, codes[code], coder)
                    added += 1


def _drift(rng: random.Random, text: str, start: int, end: int) -> tuple[int, int]:
    """A span about the given one, its ends moved by up to ~30 characters, never empty."""
    start = max(0, start + rng.randint(-30, 30))
    end = min(len(text), max(start + 1, end + rng.randint(-30, 30)))
    while not text[start:end].strip():
        start, end = max(0, start - 1), min(len(text), end + 1)
    return start, end


def _against_krippendorff_package(study: Study) -> list[tuple[str, str]]:
    """Both alphas on one coders × decisions matrix: every (sentence, used code) pair."""
    try:
        import krippendorff
    except ImportError:
        return [("agreement: krippendorff package", "not installed (pip install .[bench])")]
    decisions = unit_decisions(study, CODERS, "sentence")
    used = np.unique(decisions.runs.row)
    matrix = np.concatenate([decisions.matrix(row) for row in used], axis=1).astype(np.float64)
    ours = best_of(lambda: krippendorff_alpha(matrix), repeat=3)
    theirs = best_of(
        lambda: krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal"),
        repeat=3,
    )
    gap = abs(krippendorff_alpha(matrix) - krippendorff.alpha(
        reliability_data=matrix, level_of_measurement="nominal"))
    return [
        ("agreement: decision matrix", f"{matrix.shape[0]} coders × {matrix.shape[1]:,} "
         "(sentence, code) decisions"),
        ("agreement: krippendorff.alpha", f"{theirs * 1000:.0f} ms"),
        ("agreement: our krippendorff_alpha", f"{ours * 1000:.0f} ms "
         f"({theirs / ours:.1f}× faster; values differ by {gap:.1e})"),
    ]
