"""coding.agreement against published worked examples (to 1e-6) and by mathematical properties."""

from __future__ import annotations

from collections import defaultdict
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from coding.agreement import (
    cohen_kappa,
    cohen_kappa_2x2,
    fleiss_kappa,
    fleiss_kappa_binary,
    krippendorff_alpha,
    krippendorff_alpha_binary,
    percent_agreement,
    positive_agreement,
    scott_pi,
    two_by_two,
)

LEVELS = ("nominal", "ordinal", "interval", "ratio")


def _reference_alpha(data: list[list], level: str) -> Fraction | None:
    """Krippendorff (2011) step by step, in exact arithmetic: pairable values per unit,
    coincidences o_ck += 1/(m_u - 1) per ordered pair, then alpha = 1 - D_o / D_e."""
    columns = zip(*data, strict=True)
    units = [[Fraction(v) for v in col if v is not None and v == v] for col in columns]
    units = [unit for unit in units if len(unit) >= 2]
    values = sorted({v for unit in units for v in unit})
    o: dict[tuple[Fraction, Fraction], Fraction] = defaultdict(Fraction)
    for unit in units:
        for i, c in enumerate(unit):
            for j, k in enumerate(unit):
                if i != j:
                    o[c, k] += Fraction(1, len(unit) - 1)
    n_c = {c: sum((o[c, k] for k in values), Fraction()) for c in values}
    n = sum(n_c.values(), Fraction())

    def delta(c: Fraction, k: Fraction) -> Fraction:
        if level == "nominal":
            return Fraction(c != k)
        if level == "ordinal":  # sum of n_g from c to k, minus half of n_c and n_k, squared
            low, high = min(c, k), max(c, k)
            between = sum((n_c[g] for g in values if low <= g <= high), Fraction())
            return (between - (n_c[c] + n_c[k]) / 2) ** 2
        if level == "interval":
            return (c - k) ** 2
        return ((c - k) / (c + k)) ** 2 if c + k else Fraction(0)

    if n == 0:
        return None
    d_o = sum((o[c, k] * delta(c, k) for c in values for k in values), Fraction()) / n
    d_e = sum((n_c[c] * n_c[k] * delta(c, k) for c in values for k in values), Fraction())
    d_e /= n * (n - 1)
    return None if d_e == 0 else 1 - d_o / d_e


def _same(ours: float | None, expected: Fraction | float | None, tol: float = 1e-9) -> bool:
    if ours is None or expected is None:
        return ours is None and expected is None
    return type(ours) is float and abs(ours - float(expected)) <= tol


# --- Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability" -------------------------

# The paper's reliability-data example: 4 observers x 12 units, values 1..5, None = missing.
RELIABILITY_DATA = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
]
PUBLISHED = {"nominal": 0.743, "ordinal": 0.815, "interval": 0.849, "ratio": 0.797}


@pytest.mark.parametrize("level", LEVELS)
def test_krippendorff_2011_reliability_data(level: str) -> None:
    expected = _reference_alpha(RELIABILITY_DATA, level)
    as_floats = np.array(RELIABILITY_DATA, dtype=float)  # None -> NaN
    for data in (RELIABILITY_DATA, as_floats):
        alpha = krippendorff_alpha(data, level)
        assert _same(alpha, expected, 1e-12)
        assert round(alpha, 3) == PUBLISHED[level]


def test_krippendorff_2011_nominal_labels_and_exact_value() -> None:
    labels = [[None if v is None else "abcde"[v - 1] for v in row] for row in RELIABILITY_DATA]
    # Units 1..11 hold n = 40 pairable values (unit 12 has one); alpha is exactly 113/152.
    assert _reference_alpha(RELIABILITY_DATA, "nominal") == Fraction(113, 152)
    assert _same(krippendorff_alpha(labels), Fraction(113, 152), 1e-12)


def test_krippendorff_2011_two_observer_binary_example() -> None:
    # The paper's binary example (two observers, no missing data): alpha = 0.095.
    # Scott's pi of the same data is 1/21 and, by the pi identity tested below,
    # alpha = 1 - (1 - 1/21) * 19/20 = 2/21.
    data = [[0, 1, 0, 0, 0, 0, 0, 0, 1, 0], [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]]
    alpha = krippendorff_alpha(data)
    assert _same(alpha, Fraction(2, 21), 1e-12)
    assert round(alpha, 3) == 0.095
    assert krippendorff_alpha_binary(np.array(data, dtype=bool)) == alpha
    assert _same(scott_pi(*data), Fraction(1, 21), 1e-12)


# --- Cohen, Scott, Fleiss: textbook examples ---------------------------------------------------


def _expand(table: list[list[int]]) -> tuple[list[int], list[int]]:
    """Two coders' label sequences realising a contingency table (rows: first coder)."""
    cells = [(r, c, count) for r, row in enumerate(table) for c, count in enumerate(row)]
    pairs = [(r, c) for r, c, count in cells for _ in range(count)]
    return [r for r, _ in pairs], [c for _, c in pairs]


def test_cohen_kappa_wikipedia_2x2() -> None:
    # Wikipedia "Cohen's kappa": 50 proposals, 20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no.
    # p_o = 35/50 = 0.7, p_e = (25*30 + 25*20) / 50² = 0.5, kappa = 0.2 / 0.5 = 0.4.
    assert _same(cohen_kappa_2x2(20, 5, 10, 15), 0.4, 1e-12)
    assert _same(cohen_kappa(*_expand([[20, 5], [10, 15]])), 0.4, 1e-12)
    assert percent_agreement(20, 5, 10, 15) == 0.7
    assert positive_agreement(20, 5, 10, 15) == 40 / 55


def test_cohen_kappa_three_categories_cohen_1968_table_1() -> None:
    # Cohen, J. (1968), "Weighted kappa", Psychological Bulletin 70(4), Table 1: two judges,
    # N = 200, three diagnoses, unweighted kappa reported as .492 (the same table is the
    # example of R psych::cohen.kappa). Proportions x 200 give these counts;
    # p_o = .70, p_e = .60*.50 + .30*.30 + .10*.20 = .41, kappa = .29 / .59 = 29/59.
    table = [[88, 14, 18], [10, 40, 10], [2, 6, 12]]
    kappa = cohen_kappa(*_expand(table))
    assert _same(kappa, Fraction(29, 59), 1e-12)
    assert round(kappa, 3) == 0.492


def test_scott_pi_by_hand() -> None:
    # The Wikipedia 2x2 table above: p_o = 0.7; pooled "yes" = (25 + 30) / 100 = 0.55,
    # "no" = 0.45, p_e = 0.55² + 0.45² = 0.505, pi = (0.7 - 0.505) / 0.495 = 13/33.
    assert _same(scott_pi(*_expand([[20, 5], [10, 15]])), Fraction(13, 33), 1e-12)


def test_fleiss_kappa_wikipedia_example() -> None:
    # Wikipedia "Fleiss' kappa": 10 subjects, 14 raters, 5 categories. Category totals
    # 20, 28, 39, 21, 32 -> P_e = 4170/140² = 417/1960; sum n_ij² = 828 ->
    # P_bar = (828 - 140) / (140 * 13) = 172/455; kappa = 4211/20059 = 0.20993.
    counts = [
        [0, 0, 0, 0, 14],
        [0, 2, 6, 4, 2],
        [0, 0, 3, 5, 6],
        [0, 3, 9, 2, 0],
        [2, 2, 8, 1, 1],
        [7, 7, 0, 0, 0],
        [3, 2, 6, 3, 0],
        [2, 5, 3, 2, 2],
        [6, 5, 2, 1, 0],
        [0, 2, 2, 3, 7],
    ]
    assert _same(fleiss_kappa(counts), Fraction(4211, 20059), 1e-12)
    assert round(fleiss_kappa(np.array(counts, dtype=float)), 3) == 0.210


# --- degenerate input: None, never a made-up 0 or 1; bad shapes: ValueError --------------------


def test_a_code_nobody_applied() -> None:
    # SPEC 5: agreement 1.0, kappa, alpha and positive agreement null.
    nobody = np.zeros((3, 50), dtype=bool)
    a, b, c, d = two_by_two(nobody[0], nobody[1])
    assert (a, b, c, d) == (0, 0, 0, 50)
    assert percent_agreement(a, b, c, d) == 1.0
    assert cohen_kappa_2x2(a, b, c, d) is None
    assert positive_agreement(a, b, c, d) is None
    assert krippendorff_alpha(nobody) is None
    assert krippendorff_alpha_binary(nobody) is None
    assert fleiss_kappa_binary(nobody) is None


@pytest.mark.parametrize("level", LEVELS)
def test_degenerate_alpha_is_none(level: str) -> None:
    assert krippendorff_alpha([], level) is None
    assert krippendorff_alpha([[None, None], [None, None]], level) is None
    assert krippendorff_alpha([[1, None], [None, 2]], level) is None  # nothing pairable
    assert krippendorff_alpha([[3, 3, 3], [3, 3, 3]], level) is None  # D_e = 0
    assert krippendorff_alpha([[1, 2, 3]], level) is None  # one coder


def test_degenerate_two_coder_and_fleiss_input() -> None:
    assert cohen_kappa([], []) is None
    assert scott_pi([], []) is None
    assert cohen_kappa(["x"] * 4, ["x"] * 4) is None
    assert scott_pi(["x"] * 4, ["x"] * 4) is None
    assert percent_agreement(0, 0, 0, 0) is None
    assert fleiss_kappa([]) is None
    assert fleiss_kappa([[3, 0], [3, 0]]) is None  # one category: P_e = 1
    assert fleiss_kappa([[1, 0], [0, 1]]) is None  # one rater per subject


def test_invalid_input_raises() -> None:
    with pytest.raises(ValueError, match="different numbers of units"):
        cohen_kappa([1, 2], [1])
    with pytest.raises(ValueError, match="same number of ratings"):
        fleiss_kappa([[2, 1], [1, 1]])
    with pytest.raises(ValueError, match="differ in shape"):
        two_by_two(np.ones(3, bool), np.ones(4, bool))
    with pytest.raises(ValueError, match="unknown level"):
        krippendorff_alpha([[1, 2]], "cardinal")
    with pytest.raises(ValueError, match="numeric"):
        krippendorff_alpha([["a", "b"], ["a", "c"]], "interval")
    with pytest.raises(ValueError, match="non-negative"):
        krippendorff_alpha([[-1, 2], [1, 2]], "ratio")


def test_labels_keep_their_identity() -> None:
    # 1 and "1" are different labels; tuples are labels, not a second axis.
    assert cohen_kappa([1, "1", 1, "1"], ["1", 1, "1", 1]) == -1.0
    assert cohen_kappa([(0, 1), (1, 0)], [(0, 1), (1, 0)]) == 1.0


# --- properties --------------------------------------------------------------------------------

labels = st.lists(st.sampled_from("abcd"), min_size=1, max_size=40)
small_values = st.one_of(st.none(), st.integers(0, 4))


@st.composite
def label_pairs(draw: st.DrawFn) -> tuple[list[str], list[str]]:
    first = draw(labels)
    return first, draw(st.lists(st.sampled_from("abcd"), min_size=len(first), max_size=len(first)))


@st.composite
def reliability_matrices(draw: st.DrawFn) -> list[list[int | None]]:
    coders, units = draw(st.integers(1, 5)), draw(st.integers(1, 10))
    return [draw(st.lists(small_values, min_size=units, max_size=units)) for _ in range(coders)]


binary_matrices = st.tuples(st.integers(1, 6), st.integers(0, 40)).flatmap(
    lambda shape: hnp.arrays(bool, shape)
)


@given(label_pairs())
def test_two_coder_statistics_are_symmetric(pair: tuple[list[str], list[str]]) -> None:
    a, b = pair
    assert cohen_kappa(a, b) == cohen_kappa(b, a)
    assert scott_pi(a, b) == scott_pi(b, a)


@given(labels, st.randoms(use_true_random=False))
def test_pi_equals_kappa_when_marginals_are_equal(a: list[str], rng) -> None:
    b = list(a)
    rng.shuffle(b)  # same labels, so the same marginal distribution for both coders
    assert scott_pi(a, b) == cohen_kappa(a, b)


@given(label_pairs())
def test_fleiss_with_two_raters_is_scotts_pi(pair: tuple[list[str], list[str]]) -> None:
    a, b = pair
    counts = [[(x == c) + (y == c) for c in "abcd"] for x, y in zip(a, b, strict=True)]
    assert fleiss_kappa(counts) == scott_pi(a, b)


@given(label_pairs())
def test_alpha_and_pi_for_two_complete_coders(pair: tuple[list[str], list[str]]) -> None:
    # With 2 coders, n units and no missing values: D_o(alpha) = D_o(pi) = disagreements / n,
    # D_e(alpha) = N/(N-1) * D_e(pi) with N = 2n pairable values, hence
    # alpha = 1 - (1 - pi) * (2n - 1) / (2n). (Not (2n)/(2n-1): alpha >= pi.)
    a, b = pair
    pi, n = scott_pi(a, b), len(a)
    alpha = krippendorff_alpha([a, b])
    if pi is None:
        assert alpha is None
    else:
        assert _same(alpha, 1 - (1 - pi) * (2 * n - 1) / (2 * n), 1e-12)


@given(reliability_matrices(), st.sampled_from(LEVELS))
def test_alpha_matches_the_exact_reference(data: list[list[int | None]], level: str) -> None:
    assert _same(krippendorff_alpha(data, level), _reference_alpha(data, level), 1e-9)


@given(reliability_matrices(), st.sampled_from(LEVELS), st.randoms(use_true_random=False))
def test_alpha_ignores_coder_and_unit_order(data: list[list], level: str, rng) -> None:
    shuffled = [list(row) for row in data]
    rng.shuffle(shuffled)
    order = list(range(len(data[0])))
    rng.shuffle(order)
    shuffled = [[row[u] for u in order] for row in shuffled]
    # labels are coded in first-seen order, so only the summation order may change
    assert _same(krippendorff_alpha(shuffled, level), krippendorff_alpha(data, level), 1e-12)


@given(st.lists(st.integers(0, 4), min_size=2, max_size=30), st.integers(2, 5))
def test_perfect_agreement_is_one(values: list[int], coders: int) -> None:
    if len(set(values)) < 2:
        return
    assert cohen_kappa(values, values) == 1.0
    assert scott_pi(values, values) == 1.0
    assert fleiss_kappa([[coders * (v == c) for c in range(5)] for v in values]) == 1.0
    for level in LEVELS:
        assert krippendorff_alpha([values] * coders, level) == 1.0


@given(binary_matrices)
def test_binary_fast_paths_equal_the_general_functions(matrix: np.ndarray) -> None:
    counts = [[sum(not v for v in unit), sum(bool(v) for v in unit)] for unit in matrix.T]
    assert fleiss_kappa_binary(matrix) == fleiss_kappa(counts)
    assert krippendorff_alpha_binary(matrix) == krippendorff_alpha(matrix)
    assert krippendorff_alpha_binary(matrix) == krippendorff_alpha(matrix.astype(int).tolist())
    if matrix.shape[0] >= 2:
        x, y = matrix[0], matrix[1]
        a, b, c, d = two_by_two(x, y)
        assert (a, b, c, d) == (
            int(np.sum(x & y)), int(np.sum(x & ~y)), int(np.sum(~x & y)), int(np.sum(~x & ~y))
        )
        assert cohen_kappa_2x2(a, b, c, d) == cohen_kappa(x, y) == cohen_kappa(x.tolist(), y)


# --- the krippendorff package (a test and benchmark dependency, never a runtime one) ---------


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("level", LEVELS)
def test_matches_the_krippendorff_package(level: str, seed: int) -> None:
    krippendorff = pytest.importorskip("krippendorff")
    rng = np.random.default_rng(seed)
    coders, units = rng.integers(2, 7), rng.integers(5, 300)
    scale = rng.choice([np.arange(1, 6), np.array([0.0, 0.5, 1.25, 3.0, 7.5])])
    data = rng.choice(scale, size=(coders, units)).astype(float)
    data[rng.random(data.shape) < 0.2] = np.nan
    ours = krippendorff_alpha(data, level)
    theirs = krippendorff.alpha(data, level_of_measurement=level)
    assert ours is not None and abs(ours - theirs) <= 1e-9
