"""Inter-coder agreement over a study (SPEC section 5), per code, pooled and pairwise.

Decisions are never built unit by unit. Every text position is first mapped to its
*rank*, the number of non-whitespace characters before it, so "overlaps a unit in at
least one non-whitespace character" becomes plain overlap of rank intervals. Each
segment then covers a half-open range of unit indices (one `np.searchsorted` for all
segments), and one sorted sweep over the range ends gives, per row, the *runs* of
units over which every coder's decision is constant. Every count a statistic needs
is a sum over those runs, so the work grows with the number of segments, never with
the number of characters: character units cost what sentence units cost.

`UnitDecisions` is that machinery; `study_agreement` turns it into statistics and
`coding.disagreements` into the units where coders differ.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from itertools import combinations
from typing import TYPE_CHECKING, Any

import numpy as np

# The kappa and alpha formulas are fed sums over runs, not a coders x units matrix that
# would hold a decision per character; the matrix functions `fleiss_kappa_binary` and
# `krippendorff_alpha_binary` call the same count-based functions after forming those sums.
from coding.agreement import (
    alpha_from_coincidences,
    cohen_kappa_2x2,
    fleiss_kappa_from_sums,
    percent_agreement,
    positive_agreement,
)
from coding.codebook import Code
from coding.coders import Coder
from coding.documents import DocumentInfo
from coding.errors import StudyError
from transcripts.progress import Progress, report

if TYPE_CHECKING:
    from coding.study import Study

UNITS = ("sentence", "utterance", "character")

__all__ = [
    "UNITS",
    "AgreementResult",
    "CodeAgreement",
    "PairAgreement",
    "UnitDecisions",
    "study_agreement",
    "unit_decisions",
]


# --- results -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CodeAgreement:
    """One row of the agreement table: a code, a theme (its codes together) or "pooled".

    `a`..`d` (both, only the first coder, only the second, neither) and `cohen_kappa`
    are filled for two coders only; with three or more, percent and positive agreement
    are means over coder pairs. A statistic with a zero denominator is None.
    """

    code: str
    a: int | None
    b: int | None
    c: int | None
    d: int | None
    percent_agreement: float | None
    cohen_kappa: float | None
    positive_agreement: float | None
    fleiss_kappa: float | None
    krippendorff_alpha: float | None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class PairAgreement:
    """Cohen's kappa of two coders over the pooled decisions (one entry per coder pair)."""

    coders: tuple[str, str]
    cohen_kappa: float | None
    percent_agreement: float | None

    def to_json(self) -> dict[str, Any]:
        return {
            "coders": list(self.coders),
            "cohen_kappa": self.cohen_kappa,
            "percent_agreement": self.percent_agreement,
        }


@dataclass(frozen=True)
class AgreementResult:
    """Agreement of some coders on some codes over the documents all of them coded."""

    unit: str
    coders: list[str]
    documents: list[str]
    skipped: list[str]
    units: int
    codes: list[CodeAgreement]
    pooled: CodeAgreement
    pairwise: list[PairAgreement]

    def to_json(self) -> dict[str, Any]:
        """The `agreement` JSON of SPEC section 6."""
        return {
            "unit": self.unit,
            "coders": list(self.coders),
            "documents": list(self.documents),
            "skipped": list(self.skipped),
            "units": self.units,
            "codes": [row.to_json() for row in self.codes],
            "pooled": self.pooled.to_json(),
            "pairwise": [pair.to_json() for pair in self.pairwise],
        }


# --- what was asked for ------------------------------------------------------------------------


@dataclass(frozen=True)
class Selection:
    """Coders, rows and documents of an agreement question, checked against the study.

    A theme row (not codable) stands for all its descendants; a codable code stands for
    itself only, so default rows (every applicable code) never count a segment twice.
    """

    unit: str
    coders: list[Coder]
    rows: list[Code]
    row_codes: list[list[int]]
    included: list[DocumentInfo]
    skipped: list[DocumentInfo]


def select(
    study: Study,
    coders: Sequence[str],
    unit: str = "sentence",
    codes: Sequence[str] | None = None,
    documents: Sequence[str] | None = None,
) -> Selection:
    """Resolve names to coders, rows and documents; every mistake is a `StudyError`."""
    if unit not in UNITS:
        raise StudyError(f"unknown unit {unit!r}; use one of {', '.join(UNITS)}")
    found = _unique([study.coders.find(name) for name in coders], coders, "coder")
    if len(found) < 2:
        raise StudyError(f"agreement needs at least two coders, got {len(found)}")
    book = study.codebook.load()
    if codes is None:
        rows = book.applicable()
    else:
        rows = _unique([book.find(path) for path in _chosen(codes, "code")], codes, "code")
    row_codes = [
        [c.id for c in book.descendants(row)] if not row.codable else [row.id] for row in rows
    ]
    candidates = study.documents.list()
    if documents is not None:
        named = [study.documents.find(name) for name in _chosen(documents, "document")]
        wanted = {doc.id for doc in _unique(named, documents, "document")}
        candidates = [doc for doc in candidates if doc.id in wanted]
    coded = _coded_by_all(study, [coder.id for coder in found])
    return Selection(
        unit=unit,
        coders=found,
        rows=rows,
        row_codes=row_codes,
        included=[doc for doc in candidates if doc.id in coded],
        skipped=[doc for doc in candidates if doc.id not in coded],
    )


def _chosen(names: Sequence[str], what: str) -> Sequence[str]:
    """An explicit choice must choose something (None, not nothing, means the default)."""
    if not names:
        raise StudyError(f"choose at least one {what}")
    return names


def _unique(items: list[Any], names: Sequence[str], what: str) -> list[Any]:
    """The items found for `names`, refusing one named twice (it would agree with itself)."""
    seen: set[int] = set()
    for item, name in zip(items, names, strict=True):
        if item.id in seen:
            raise StudyError(f"{what} {name!r} is given twice")
        seen.add(item.id)
    return items


def _coded_by_all(study: Study, coder_ids: list[int]) -> set[int]:
    """Documents every coder has coded: holds one of their segments, or was marked done."""
    marks = ",".join("?" * len(coder_ids))
    rows = study.query(
        f"""SELECT document_id FROM (
                SELECT document_id, coder_id FROM segments WHERE coder_id IN ({marks})
                UNION
                SELECT document_id, coder_id FROM coded_documents WHERE coder_id IN ({marks}))
            GROUP BY document_id HAVING COUNT(*) = ?""",
        [*coder_ids, *coder_ids, len(coder_ids)],
    )
    return {row[0] for row in rows}


# --- units of one document, in rank space ------------------------------------------------------

_LAST_SPACE = 0x3000  # no code point above U+3000 is whitespace to `str.isspace`
_IS_SPACE = np.array([chr(c).isspace() for c in range(_LAST_SPACE + 1)] + [False])


def _nonspace(text: str) -> np.ndarray:
    """Which characters are not whitespace (exactly `not str.isspace()`), vectorised."""
    points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
    return ~_IS_SPACE[np.minimum(points, _LAST_SPACE + 1)]


def _ranks(text: str) -> np.ndarray:
    """rank[i] = non-whitespace characters in text[:i], for i in 0..len(text)."""
    ranks = np.zeros(len(text) + 1, dtype=np.int64)
    np.cumsum(_nonspace(text), out=ranks[1:])
    return ranks


class _SpanUnits:
    """Sentences or utterances of one document: each span is one unit.

    A span without a non-whitespace character could never be applied and would only
    inflate the 'neither' count, so it is not a unit.
    """

    def __init__(self, ranks: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> None:
        first, last = ranks[starts], ranks[ends]
        keep = first < last
        self._first, self._last = first[keep], last[keep]
        self._starts, self._ends = starts[keep], ends[keep]
        self.count = int(keep.sum())

    def locate(self, first: np.ndarray, last: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Unit index ranges [lo, hi) of segments given as rank ranges [first, last)."""
        lo = np.searchsorted(self._last, first, side="right")  # first unit ending after it starts
        hi = np.searchsorted(self._first, last, side="left")  # units starting before it ends
        return lo, np.where(first < last, hi, lo)  # a blank segment covers nothing

    def pieces(self, lo: int, hi: int, text: str) -> Iterator[tuple[int, int, int, int]]:
        """(unit lo, unit hi, text start, text end) of each unit in [lo, hi)."""
        for unit in range(lo, hi):
            yield unit, unit + 1, int(self._starts[unit]), int(self._ends[unit])


class _CharacterUnits:
    """The non-whitespace characters inside utterance content, counted, never listed."""

    def __init__(self, ranks: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> None:
        first, last = ranks[starts], ranks[ends]
        keep = first < last
        self._first, self._sizes = first[keep], (last - first)[keep]
        self._starts, self._ends = starts[keep], ends[keep]
        self._before = np.concatenate(([0], np.cumsum(self._sizes)))  # units in earlier turns
        self.count = int(self._before[-1])
        self._places: dict[int, np.ndarray] = {}  # turn → its units' text offsets, once found

    def locate(self, first: np.ndarray, last: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return self._units_before(first), self._units_before(last)

    def _units_before(self, rank: np.ndarray) -> np.ndarray:
        """How many character units have a rank below `rank`."""
        if not self.count:
            return np.zeros_like(rank)
        turn = np.searchsorted(self._first, rank, side="right") - 1
        at = np.maximum(turn, 0)
        inside = np.clip(rank - self._first[at], 0, self._sizes[at])
        return np.where(turn >= 0, self._before[at] + inside, 0)

    def pieces(self, lo: int, hi: int, text: str) -> Iterator[tuple[int, int, int, int]]:
        """Units [lo, hi) cut at utterance ends, each piece with the text it spans."""
        turn = int(np.searchsorted(self._before, lo, side="right")) - 1
        while lo < hi:
            stop = min(hi, int(self._before[turn + 1]))
            where = self._places.get(turn)
            if where is None:  # disagreements of many codes come back to the same turns
                start = int(self._starts[turn])
                where = start + np.flatnonzero(_nonspace(text[start : int(self._ends[turn])]))
                self._places[turn] = where
            first = lo - int(self._before[turn])  # the turn's characters in rank order
            last = first + stop - lo - 1
            yield lo, stop, int(where[first]), int(where[last]) + 1
            lo, turn = stop, turn + 1


_UNIT_SQL = {
    "sentence": "SELECT char_start, char_end FROM sentences WHERE document_id = ?",
    "utterance": "SELECT char_start, char_end FROM utterances WHERE document_id = ?",
    "character": "SELECT char_start, char_end FROM utterances WHERE document_id = ?",
}


def _document_units(
    study: Study, unit: str, doc_id: int, ranks: np.ndarray
) -> _SpanUnits | _CharacterUnits:
    spans = np.array(
        study.db.execute(_UNIT_SQL[unit] + " ORDER BY char_start", [doc_id]).fetchall(),
        dtype=np.int64,
    ).reshape(-1, 2)
    layout = _CharacterUnits if unit == "character" else _SpanUnits
    return layout(ranks, spans[:, 0], spans[:, 1])


# --- decisions ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class IncludedDocument:
    """A document in the comparison and where its units sit among all units."""

    info: DocumentInfo
    units: _SpanUnits | _CharacterUnits
    base: int  # global index of its first unit


@dataclass(frozen=True)
class Coverage:
    """Each (segment, row) pair: the global unit range [start, stop) the segment covers."""

    segment: np.ndarray
    coder: np.ndarray
    row: np.ndarray
    start: np.ndarray
    stop: np.ndarray


@dataclass(frozen=True)
class Runs:
    """Stretches [start, stop) of units of one row where each coder's decision is constant.

    Only stretches some coder applied the row to are kept; the rest is 'nobody'.
    """

    row: np.ndarray
    start: np.ndarray
    stop: np.ndarray
    applied: np.ndarray  # runs x coders, bool


@dataclass(frozen=True)
class UnitDecisions:
    """Who applied which row to which unit of the included documents, as runs."""

    selection: Selection
    documents: list[IncludedDocument]
    units: int
    coverage: Coverage
    runs: Runs

    def tally(self) -> np.ndarray:
        """rows x coders x coders: units coders i and j both applied the row to.

        The diagonal is each coder's own count; this is all any statistic needs.
        """
        k = len(self.selection.coders)
        both = self.runs.applied[:, :, None] & self.runs.applied[:, None, :]
        length = self.runs.stop - self.runs.start
        counts = np.zeros((len(self.selection.rows), k, k), dtype=np.int64)
        np.add.at(counts, self.runs.row, both * length[:, None, None])
        return counts

    def matrix(self, row: int) -> np.ndarray:
        """One row's decisions expanded to a coders x units boolean matrix.

        Memory grows with the units; the statistics never need it, but checks
        and comparisons with other packages do.
        """
        mine = np.flatnonzero(self.runs.row == row)
        run, coder = np.nonzero(self.runs.applied[mine])
        change = np.zeros((len(self.selection.coders), self.units + 1), dtype=np.int32)
        np.add.at(change, (coder, self.runs.start[mine][run]), 1)
        np.add.at(change, (coder, self.runs.stop[mine][run]), -1)
        return np.cumsum(change[:, :-1], axis=1) > 0

    def documents_of(self, start: int, stop: int) -> Iterator[tuple[IncludedDocument, int, int]]:
        """The documents global units [start, stop) fall in, with the local range in each."""
        bases = [doc.base for doc in self.documents]
        at = int(np.searchsorted(bases, start, side="right")) - 1
        while start < stop:
            doc = self.documents[at]
            end = min(stop, doc.base + doc.units.count)
            if start < end:
                yield doc, start - doc.base, end - doc.base
            start, at = max(start, end), at + 1


def unit_decisions(
    study: Study,
    coders: Sequence[str],
    unit: str = "sentence",
    codes: Sequence[str] | None = None,
    documents: Sequence[str] | None = None,
    progress: Progress | None = None,
) -> UnitDecisions:
    """Map every selected segment onto the units it overlaps, then sweep into runs."""
    selection = select(study, coders, unit, codes, documents)
    segments = _selected_segments(study, selection)
    doc_ids = segments[:, 0]
    included, covered, base = [], [], 0
    for number, info in enumerate(selection.included):
        report(progress, 0.9 * number / len(selection.included), f"reading {info.name}")
        ranks = _ranks(study.documents.text(info.id))
        units = _document_units(study, unit, info.id, ranks)
        own = segments[doc_ids.searchsorted(info.id) : doc_ids.searchsorted(info.id, "right")]
        lo, hi = units.locate(ranks[own[:, 4]], ranks[own[:, 5]])
        covered.append(np.column_stack([own[:, 1:4], lo + base, hi + base]))
        included.append(IncludedDocument(info, units, base))
        base += units.count
    table = np.concatenate(covered) if covered else np.zeros((0, 5), dtype=np.int64)
    coverage = Coverage(*table.T)
    report(progress, 0.9, "comparing coders")
    runs = _sweep(coverage, len(selection.coders))
    return UnitDecisions(selection, included, base, coverage, runs)


def _selected_segments(study: Study, selection: Selection) -> np.ndarray:
    """(document, segment, coder index, row, start, end) of every selected coder's segment
    with a row's code, once per row it counts for, ordered by document."""
    coder_ids = [coder.id for coder in selection.coders]
    found = np.array(
        study.db.execute(
            'SELECT document_id, id, coder_id, code_id, start, "end" FROM segments '
            f"WHERE coder_id IN ({','.join('?' * len(coder_ids))}) ORDER BY document_id",
            coder_ids,
        ).fetchall(),
        dtype=np.int64,
    ).reshape(-1, 6)
    largest = max([int(found[:, 3].max(initial=0)), *(max(ids) for ids in selection.row_codes)])
    counts_for = np.zeros((largest + 1, len(selection.rows)), dtype=bool)  # code id x row
    for row, ids in enumerate(selection.row_codes):
        counts_for[ids, row] = True
    coder_index = np.zeros(max(coder_ids) + 1, dtype=np.int64)
    coder_index[coder_ids] = np.arange(len(coder_ids))
    segment, row = np.nonzero(counts_for[found[:, 3]])  # in segment (so document) order
    picked = found[segment]
    return np.column_stack(
        [picked[:, 0], picked[:, 1], coder_index[picked[:, 2]], row, picked[:, 4], picked[:, 5]]
    )


def _sweep(coverage: Coverage, coders: int) -> Runs:
    """Maximal runs of constant decisions, from the sorted starts and stops of all ranges.

    Each coder's depth (how many of its segments cover the current unit) is a running
    sum of +1 at starts and -1 at stops; applied means depth > 0, so a coder's
    overlapping segments count once. Rows follow one another in the sort order, and
    every row's depths return to zero before the next begins. Neighbouring stretches
    with the same decisions are then joined, so a run may cross into the next document.
    """
    keep = coverage.start < coverage.stop
    n = int(keep.sum())
    position = np.concatenate([coverage.start[keep], coverage.stop[keep]])
    row = np.tile(coverage.row[keep], 2)
    change = np.zeros((2 * n, coders), dtype=np.int32)
    change[np.arange(2 * n), np.tile(coverage.coder[keep], 2)] = np.repeat([1, -1], n)
    order = np.lexsort((position, row))
    position, row = position[order], row[order]
    applied = np.cumsum(change[order], axis=0) > 0
    stretch = np.flatnonzero(
        (row[:-1] == row[1:]) & (position[:-1] < position[1:]) & applied[:-1].any(axis=1)
    )
    row, start, applied = row[stretch], position[stretch], applied[stretch]
    stop = position[stretch + 1]
    joins = (row[1:] == row[:-1]) & (start[1:] == stop[:-1]) & (applied[1:] == applied[:-1]).all(1)
    opens, closes = np.ones(len(row), dtype=bool), np.ones(len(row), dtype=bool)
    opens[1:], closes[:-1] = ~joins, ~joins
    first, last = np.flatnonzero(opens), np.flatnonzero(closes)
    return Runs(row[first], start[first], stop[last], applied[first])


# --- statistics --------------------------------------------------------------------------------


def study_agreement(
    study: Study,
    coders: Sequence[str],
    unit: str = "sentence",
    codes: Sequence[str] | None = None,
    documents: Sequence[str] | None = None,
    progress: Progress | None = None,
) -> AgreementResult:
    """Agreement per row, pooled over the rows anyone applied, and for every coder pair.

    Only documents every coder has coded count; the rest are listed as skipped.
    `progress` may raise `transcripts.progress.Cancelled` to stop (nothing is written).
    """
    decisions = unit_decisions(study, coders, unit, codes, documents, progress)
    selection = decisions.selection
    both = decisions.tally()
    used = np.trace(both, axis1=1, axis2=2) > 0
    pooled_units = decisions.units * int(used.sum())
    pooled = both[used].sum(axis=0)
    names = [coder.name for coder in selection.coders]
    pairwise = []
    for i, j in combinations(range(len(names)), 2):
        counts = _two_by_two(pooled_units, pooled, i, j)
        kappa, percent = cohen_kappa_2x2(*counts), percent_agreement(*counts)
        pairwise.append(PairAgreement((names[i], names[j]), kappa, percent))
    report(progress, 1.0, "agreement computed")
    return AgreementResult(
        unit=selection.unit,
        coders=names,
        documents=[doc.name for doc in selection.included],
        skipped=[doc.name for doc in selection.skipped],
        units=decisions.units,
        codes=[
            _statistics(row.path, decisions.units, counts)
            for row, counts in zip(selection.rows, both, strict=True)
        ],
        pooled=_statistics("pooled", pooled_units, pooled),
        pairwise=pairwise,
    )


def _two_by_two(units: int, both: np.ndarray, i: int, j: int) -> tuple[int, int, int, int]:
    a = int(both[i, j])
    b, c = int(both[i, i]) - a, int(both[j, j]) - a
    return a, b, c, units - a - b - c


def _statistics(label: str, units: int, both: np.ndarray) -> CodeAgreement:
    """A row's statistics from its unit count and co-application counts."""
    k = both.shape[0]
    pairs = [_two_by_two(units, both, i, j) for i, j in combinations(range(k), 2)]
    fleiss, alpha = _fleiss_and_alpha(units, both)
    if k == 2:
        [(a, b, c, d)] = pairs
        return CodeAgreement(
            label, a, b, c, d, percent_agreement(a, b, c, d), cohen_kappa_2x2(a, b, c, d),
            positive_agreement(a, b, c, d), fleiss, alpha,
        )
    return CodeAgreement(
        label, None, None, None, None, _mean([percent_agreement(*p) for p in pairs]), None,
        _mean([positive_agreement(*p) for p in pairs]), fleiss, alpha,
    )


def _mean(values: list[float | None]) -> float | None:
    """Mean over the coder pairs where the statistic is defined (None if it is nowhere)."""
    defined = [v for v in values if v is not None]
    return sum(defined) / len(defined) if defined else None


def _fleiss_and_alpha(units: int, both: np.ndarray) -> tuple[float | None, float | None]:
    """Fleiss' kappa and nominal alpha from the sums their matrix versions form.

    With k_u coders applying the row to unit u out of K: sum k_u is the trace of
    `both` and sum k_u² its total (each unit's ordered pairs of appliers, self-pairs
    included); everything else follows, as in `fleiss_kappa_binary` and
    `krippendorff_alpha_binary`.
    """
    if units == 0:
        return None, None
    raters = both.shape[0]
    applied, squares = int(np.trace(both)), int(both.sum())
    absent = units * raters - applied  # sum of K - k_u
    absent_squares = units * raters * raters - 2 * raters * applied + squares
    fleiss = fleiss_kappa_from_sums(
        squares + absent_squares, np.array([absent, applied]), units, raters
    )
    mixed = raters * applied - squares  # sum of k_u (K - k_u)
    pairs = np.array([[absent_squares - absent, mixed], [mixed, squares - applied]])
    alpha = alpha_from_coincidences(pairs / (raters - 1), "nominal", (False, True))
    return fleiss, alpha
