"""Inter-coder agreement statistics (SPEC section 5) as a plain numpy-backed API.

Every statistic whose denominator is zero is ``None``: a made-up 0 or 1 would
read as a finding. Results are plain Python floats. The kappa family is computed
from integer counts with exact fractions, so the two-by-two helpers and the
general functions agree to the last bit; Krippendorff's alpha uses the
coincidence matrix of Krippendorff (2011), "Computing Krippendorff's
Alpha-Reliability", vectorised over units so a million units take milliseconds.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

Level = Literal["nominal", "ordinal", "interval", "ratio"]
Values = np.ndarray | Sequence[Any]  # the distinct values, numeric and sorted unless nominal

__all__ = [
    "Level",
    "alpha_from_coincidences",
    "cohen_kappa",
    "cohen_kappa_2x2",
    "fleiss_kappa",
    "fleiss_kappa_binary",
    "fleiss_kappa_from_sums",
    "krippendorff_alpha",
    "krippendorff_alpha_binary",
    "percent_agreement",
    "positive_agreement",
    "scott_pi",
    "two_by_two",
]

# Integer-valued data spanning fewer values than this is coded by bincount, not a sort.
_DIRECT_CODING_SPAN = 1 << 20


# --- shared arithmetic -------------------------------------------------------------------------


def _ratio(numerator: int, denominator: int) -> float | None:
    """Integer ratio, or None when undefined; Python int / int rounds correctly."""
    return None if denominator == 0 else int(numerator) / int(denominator)


def _chance_corrected(p_o: Fraction, p_e: Fraction) -> float | None:
    """(p_o - p_e) / (1 - p_e), the form shared by Cohen, Scott and Fleiss."""
    return None if p_e == 1 else float((p_o - p_e) / (1 - p_e))


def _factorize(values: np.ndarray) -> tuple[np.ndarray, Values]:
    """Code a 1-D array as 0..k-1, in sorted order unless the labels are Python objects.

    Small-range integer data (the applied/not-applied case) is coded by bincount in O(n),
    not by a sort; arbitrary hashable labels fall back to a dict in first-seen order.
    """
    if values.dtype.kind == "b":
        values = values.view(np.uint8)
    if values.dtype.kind in "iuf" and values.size:
        low = values.min()
        if float(values.max()) - float(low) < _DIRECT_CODING_SPAN:
            offsets = values - low
            shifted = offsets.astype(np.intp)
            if values.dtype.kind != "f" or (shifted == offsets).all():
                present = np.bincount(shifted) > 0
                return (np.cumsum(present) - 1)[shifted], np.flatnonzero(present) + low
    if values.dtype.kind != "O":
        uniques, codes = np.unique(values, return_inverse=True)
        return codes.ravel(), uniques
    index: dict[Any, int] = {}
    codes = np.fromiter((index.setdefault(v, len(index)) for v in values), np.intp, len(values))
    return codes, list(index)


def _labels(seq: Sequence[Any] | np.ndarray) -> np.ndarray:
    """A 1-D array of labels; Python sequences become object arrays so 1 and "1" stay apart."""
    if not isinstance(seq, np.ndarray):
        return np.fromiter(seq, dtype=object, count=len(seq))
    if seq.ndim != 1:
        raise ValueError(f"expected a 1-D sequence of labels, got shape {seq.shape}")
    return seq


# --- two coders --------------------------------------------------------------------------------


def _crosstab(a: Sequence[Any] | np.ndarray, b: Sequence[Any] | np.ndarray) -> np.ndarray:
    """Square contingency table of two coders' labels (rows: first coder)."""
    first, second = _labels(a), _labels(b)
    if len(first) != len(second):
        raise ValueError(f"coders rated different numbers of units: {len(first)} vs {len(second)}")
    if first.dtype != second.dtype:  # numpy would silently turn 1 into "1" next to strings
        first, second = first.astype(object), second.astype(object)
    codes, uniques = _factorize(np.concatenate([first, second]))
    k, n = len(uniques), len(first)
    return np.bincount(codes[:n] * k + codes[n:], minlength=k * k).reshape(k, k)


def _observed(table: np.ndarray) -> Fraction:
    return Fraction(int(np.trace(table)), int(table.sum()))


def _cohen_from_table(table: np.ndarray) -> float | None:
    n = int(table.sum())
    if n == 0:
        return None
    p_e = Fraction(int(table.sum(axis=1) @ table.sum(axis=0)), n * n)
    return _chance_corrected(_observed(table), p_e)


def _scott_from_table(table: np.ndarray) -> float | None:
    n = int(table.sum())
    if n == 0:
        return None
    pooled = table.sum(axis=1) + table.sum(axis=0)  # both coders' use of each category
    return _chance_corrected(_observed(table), Fraction(int(pooled @ pooled), 4 * n * n))


def cohen_kappa(a: Sequence[Any] | np.ndarray, b: Sequence[Any] | np.ndarray) -> float | None:
    """Cohen's kappa: chance agreement from each coder's own category distribution."""
    return _cohen_from_table(_crosstab(a, b))


def scott_pi(a: Sequence[Any] | np.ndarray, b: Sequence[Any] | np.ndarray) -> float | None:
    """Scott's pi: chance agreement from the two coders' pooled category distribution."""
    return _scott_from_table(_crosstab(a, b))


def two_by_two(x: np.ndarray, y: np.ndarray) -> tuple[int, int, int, int]:
    """(a, b, c, d) = (both, only x, only y, neither) for two boolean decision vectors."""
    x, y = np.asarray(x, dtype=bool), np.asarray(y, dtype=bool)
    if x.shape != y.shape:
        raise ValueError(f"decision vectors differ in shape: {x.shape} and {y.shape}")
    both, only_x_or_both, only_y_or_both = (int(np.count_nonzero(v)) for v in (x & y, x, y))
    b, c = only_x_or_both - both, only_y_or_both - both
    return both, b, c, x.size - both - b - c


def percent_agreement(a: int, b: int, c: int, d: int) -> float | None:
    """(a + d) / n."""
    return _ratio(a + d, a + b + c + d)


def positive_agreement(a: int, b: int, c: int, d: int) -> float | None:
    """2a / (2a + b + c): agreement on applying the code, blind to the many 'neither' units."""
    return _ratio(2 * a, 2 * a + b + c)


def cohen_kappa_2x2(a: int, b: int, c: int, d: int) -> float | None:
    """Cohen's kappa of a 2x2 table, p_e = ((a+b)(a+c) + (c+d)(b+d)) / n²."""
    return _cohen_from_table(np.array([[a, b], [c, d]], dtype=np.int64))


# --- many coders -------------------------------------------------------------------------------


def fleiss_kappa_from_sums(
    square_sum: int, totals: np.ndarray, subjects: int, raters: int
) -> float | None:
    """Fleiss' kappa from sum n_ij², the category totals, N subjects and n raters each.

    For callers that can count without building the subjects x categories matrix.
    """
    if raters < 2:
        return None
    ratings = subjects * raters
    p_bar = Fraction(square_sum - ratings, ratings * (raters - 1))
    return _chance_corrected(p_bar, Fraction(int(totals @ totals), ratings * ratings))


def fleiss_kappa(counts: Sequence[Sequence[int]] | np.ndarray) -> float | None:
    """Fleiss' kappa on a subjects x categories matrix of how many raters chose each category."""
    table = np.asarray(counts)
    if table.size == 0:
        return None
    if table.ndim != 2:
        raise ValueError(f"expected a subjects x categories matrix, got shape {table.shape}")
    if table.dtype.kind == "f" and not np.array_equal(table, np.round(table)):
        raise ValueError("Fleiss' kappa needs whole-number rating counts")
    table = table.astype(np.int64, copy=False)
    if (table < 0).any():
        raise ValueError("Fleiss' kappa needs non-negative rating counts")
    raters = table.sum(axis=1)
    if (raters != raters[0]).any():
        raise ValueError(
            "every subject must have the same number of ratings; "
            f"rows sum to {raters.min()}..{raters.max()}"
        )
    return fleiss_kappa_from_sums(
        int((table * table).sum()), table.sum(axis=0), table.shape[0], int(raters[0])
    )


def _binary_matrix(matrix: np.ndarray) -> np.ndarray:
    """Applied/not-applied decisions as a coders x units boolean matrix."""
    decisions = np.asarray(matrix)
    if decisions.ndim != 2:
        raise ValueError(f"expected a coders x units matrix, got shape {decisions.shape}")
    return decisions.astype(bool, copy=False)


def fleiss_kappa_binary(matrix: np.ndarray) -> float | None:
    """Fleiss' kappa of applied/not-applied decisions, from the per-unit number of appliers."""
    decisions = _binary_matrix(matrix)
    raters, subjects = decisions.shape
    if subjects == 0:
        return None
    applied = decisions.sum(axis=0, dtype=np.int64)
    not_applied = raters - applied
    square_sum = int(applied @ applied + not_applied @ not_applied)
    totals = np.array([not_applied.sum(), applied.sum()], dtype=np.int64)
    return fleiss_kappa_from_sums(square_sum, totals, subjects, raters)


# --- Krippendorff's alpha ----------------------------------------------------------------------


def _is_missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and value != value)


def _code_matrix(arr: np.ndarray, level: Level) -> tuple[np.ndarray, Values]:
    """Coders x units codes 0..k-1, with k marking a missing value, and the k distinct values."""
    if arr.ndim != 2:
        raise ValueError(f"expected a coders x units matrix, got shape {arr.shape}")
    if arr.dtype.kind == "f":
        missing = np.isnan(arr)
    elif arr.dtype.kind == "O":
        missing = np.frompyfunc(_is_missing, 1, 1)(arr).astype(bool)
    else:
        missing = np.zeros(arr.shape, dtype=bool)
    complete = not missing.any()
    present = arr.ravel() if complete else arr[~missing]
    if level != "nominal":
        try:
            present = present.astype(np.float64)
        except (TypeError, ValueError):
            raise ValueError(f"{level} alpha needs numeric values") from None
    codes, uniques = _factorize(present)
    if complete:
        return codes.reshape(arr.shape), uniques
    coded = np.full(arr.shape, len(uniques), dtype=np.intp)
    coded[~missing] = codes
    return coded, uniques


def _coincidences(codes: np.ndarray, k: int) -> np.ndarray:
    """Coincidence matrix o[c, k]: each unit's ordered value pairs, weighted 1 / (m_u - 1).

    Missing values carry the extra code k; pairs touching it land in a row and column
    that are dropped, so no unit needs to be selected out. Pairs are counted as integers
    per unit size m_u and divided once per size, so complete binary data gives bit for
    bit the numbers of the column-sum fast path.
    """
    coders, side = codes.shape[0], k + 1
    groups = max(coders - 1, 1)
    sizes = (codes < k).sum(axis=0)
    base = np.maximum(sizes - 2, 0) * (side * side)  # units of size < 2 only pair with missing
    counts = np.zeros(groups * side * side, dtype=np.int64)
    for i in range(coders):  # a loop over coder pairs; each step is vectorised over units
        for j in range(i + 1, coders):
            cells = base + codes[i] * side + codes[j]
            counts += np.bincount(cells, minlength=counts.size)
    counts = counts.reshape(groups, side, side)[:, :k, :k]
    counts = counts + counts.transpose(0, 2, 1)
    return (counts / np.arange(1, groups + 1)[:, None, None]).sum(axis=0)


def _nominal_delta(values: Values, totals: np.ndarray) -> np.ndarray:
    return 1.0 - np.eye(len(totals))


def _ordinal_delta(values: Values, totals: np.ndarray) -> np.ndarray:
    # sum_{g=c..k} n_g - (n_c + n_k) / 2 is the gap between the midranks cumsum(n) - n / 2
    midranks = np.cumsum(totals) - totals / 2
    return np.subtract.outer(midranks, midranks) ** 2


def _interval_delta(values: Values, totals: np.ndarray) -> np.ndarray:
    return np.subtract.outer(values, values) ** 2


def _ratio_delta(values: Values, totals: np.ndarray) -> np.ndarray:
    if (values < 0).any():
        raise ValueError("ratio alpha needs non-negative values")
    sums = np.add.outer(values, values)
    gaps = np.subtract.outer(values, values)
    return np.divide(gaps, sums, out=np.zeros_like(sums), where=sums != 0) ** 2


_DELTAS: dict[str, Callable[[Values, np.ndarray], np.ndarray]] = {
    "nominal": _nominal_delta,
    "ordinal": _ordinal_delta,
    "interval": _interval_delta,
    "ratio": _ratio_delta,
}


def alpha_from_coincidences(o: np.ndarray, level: Level, values: Values) -> float | None:
    """alpha = 1 - D_o / D_e = 1 - (n - 1) sum o_ck d_ck / sum n_c n_k d_ck.

    `o` is the values x values coincidence matrix; for callers that count it directly.
    """
    totals = o.sum(axis=1)
    n = totals.sum()
    if n == 0:  # no unit has two values to compare
        return None
    delta = _DELTAS[level](values, totals)
    expected = totals @ delta @ totals
    if expected == 0:
        return None
    return float(1.0 - (n - 1) * np.sum(o * delta) / expected)


def krippendorff_alpha(data: npt.ArrayLike, level: Level = "nominal") -> float | None:
    """Krippendorff's alpha on a coders x units matrix; None/NaN mark missing values.

    Units with fewer than two values are not pairable and drop out, as in the paper.
    Time is linear in units (times coder pairs); memory grows with the square of the
    number of distinct values, the size of the coincidence matrix itself.
    """
    if level not in _DELTAS:
        raise ValueError(f"unknown level {level!r}; expected one of {', '.join(_DELTAS)}")
    arr = np.asarray(data)
    if arr.size == 0:
        return None
    codes, values = _code_matrix(arr, level)
    if len(values) == 0:  # every value missing
        return None
    return alpha_from_coincidences(_coincidences(codes, len(values)), level, values)


def krippendorff_alpha_binary(matrix: np.ndarray) -> float | None:
    """Nominal alpha of complete applied/not-applied decisions, from column sums in O(units)."""
    decisions = _binary_matrix(matrix)
    coders = decisions.shape[0]
    if coders < 2 or decisions.shape[1] == 0:
        return None
    applied = decisions.sum(axis=0, dtype=np.int64)
    not_applied = coders - applied
    mixed = int(applied @ not_applied)
    pairs = np.array(
        [[int(not_applied @ (not_applied - 1)), mixed], [mixed, int(applied @ (applied - 1))]],
        dtype=np.int64,
    )
    return alpha_from_coincidences(pairs / (coders - 1), "nominal", (False, True))
