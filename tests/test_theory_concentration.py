"""Tests for the concentration closed forms of ftml.theory.

The bounds are checked as theorems: against hand-simplified values, against exact tail
probabilities (the binomial, enumerated outcome by outcome for small n; the mean of two
uniforms, whose law is triangular) and against Monte-Carlo tails. A Monte-Carlo frequency
is compared within 4 binomial standard errors, as in tests/test_theory.py; the seeds are
fixed, so the checks are deterministic.

Exact events |k / n - p| >= epsilon are decided here in rational arithmetic
(fractions.Fraction of the decimal values meant), independently of the floating-point
tolerance that ftml.theory.bernoulli_mean_tail documents.
"""

import itertools
import math
import warnings
from fractions import Fraction

import numpy as np
import pytest
from scipy.stats import binom

from ftml.theory import (
    bernoulli_mean_tail,
    bernstein_bound,
    chebyshev_bound,
    finite_class_erm_bound,
    finite_class_erm_failure_probability,
    hoeffding_bound,
    markov_bound,
)

N_STANDARD_ERRORS = 4.0


def assert_frequency_at_most(frequency, n_repetitions, bound):
    """A Monte-Carlo frequency is at most ``bound`` up to 4 of its standard errors."""
    standard_error = math.sqrt(max(frequency * (1 - frequency), 1e-12) / n_repetitions)
    assert frequency - N_STANDARD_ERRORS * standard_error <= bound, (
        f"Monte-Carlo frequency {frequency:.6g} exceeds the bound {bound:.6g} by "
        f"{(frequency - bound) / standard_error:.2f} standard errors."
    )


def assert_frequency_near(frequency, n_repetitions, expected):
    standard_error = math.sqrt(expected * (1 - expected) / n_repetitions)
    assert abs(frequency - expected) <= N_STANDARD_ERRORS * standard_error, (
        f"Monte-Carlo frequency {frequency:.6g} is "
        f"{abs(frequency - expected) / standard_error:.2f} standard errors from "
        f"{expected:.6g}."
    )


# --------------------------------------------------------------------------- closed forms


def test_values_by_hand():
    # Each case is chosen so that the formula simplifies to a number checked on paper.
    assert markov_bound(3.0, 12.0) == 0.25
    assert chebyshev_bound(2.0, 8, 0.5) == 1.0  # 2 / (8 * 1/4)
    # n eps^2 / (b - a)^2 = 50 * 0.04 / 4 = 1/2, times 2: exponent -1.
    assert math.isclose(hoeffding_bound(50, 0.2, -1.0, 1.0), 2 * math.exp(-1), rel_tol=1e-14)
    # n eps^2 = 0.9 over 2 * 0.06 + 2 * 0.9 * 0.3 / 3 = 0.12 + 0.18 = 0.3: exponent -3.
    assert math.isclose(bernstein_bound(10, 0.3, 0.06, 0.9), 2 * math.exp(-3), rel_tol=1e-14)
    # log(2 / 0.04) + log(50) = 2 log(50); 2 * 2^2 * 2 log(50) / 200 = 0.08 log(50).
    assert math.isclose(
        finite_class_erm_bound(200, 50, 0.04, low=0.0, high=2.0),
        math.sqrt(0.08 * math.log(50)),
        rel_tol=1e-14,
    )
    # 2 * 10 * exp(-800 * 0.01 / 2) = 20 e^-4.
    assert math.isclose(
        finite_class_erm_failure_probability(800, 10, 0.1), 20 * math.exp(-4), rel_tol=1e-13
    )
    # n = 2, p = 1/2: X_bar in {0, 1/2, 1} with probabilities 1/4, 1/2, 1/4.
    assert math.isclose(bernoulli_mean_tail(2, 0.5, 0.5), 0.5, rel_tol=1e-14)
    assert math.isclose(bernoulli_mean_tail(2, 0.5, 0.25), 0.5, rel_tol=1e-14)
    assert bernoulli_mean_tail(2, 0.5, 0.6) == 0.0


def test_bounds_are_not_clipped():
    assert math.isclose(hoeffding_bound(1, 0.1, 0.0, 1.0), 2 * math.exp(-0.02))
    assert markov_bound(2.0, 1.0) == 2.0
    assert chebyshev_bound(1.0, 1, 0.1) > 99.0
    assert bernstein_bound(1, 0.01, 0.25, 0.5) > 1.9
    assert finite_class_erm_failure_probability(1, 1000, 0.01) > 1999.0
    assert finite_class_erm_bound(1, 10**6, 0.5) > 1.0  # above b - a: vacuous


def test_scalar_and_array_output():
    n_samples = np.array([10, 100, 1000])[:, None]
    epsilon = np.array([0.05, 0.2])
    bounds = hoeffding_bound(n_samples, epsilon, 0.0, 1.0)
    assert isinstance(bounds, np.ndarray) and bounds.shape == (3, 2)
    for i, j in itertools.product(range(3), range(2)):
        scalar = hoeffding_bound(int(n_samples[i, 0]), float(epsilon[j]), 0.0, 1.0)
        assert isinstance(scalar, float)
        assert scalar == bounds[i, j]
    # numpy scalars and 0-d arrays count as scalars.
    assert isinstance(chebyshev_bound(np.float64(1.0), np.int64(10), np.array(0.5)), float)
    assert isinstance(bernoulli_mean_tail(np.array(10), 0.5, 0.1), float)
    tails = bernoulli_mean_tail([10, 20], [[0.3], [0.5]], 0.1)
    assert tails.shape == (2, 2)
    assert tails[1, 0] == bernoulli_mean_tail(10, 0.5, 0.1)
    assert finite_class_erm_bound(100, [1, 10], 0.1).shape == (2,)


def test_huge_class_sizes():
    # 2^n labellings of n = 500 points: a Python int beyond int64, fine through log |F|.
    size = 2**500
    assert math.isclose(
        finite_class_erm_bound(10**6, size, 0.01),
        math.sqrt(2 * (math.log(200) + 500 * math.log(2)) / 10**6),
        rel_tol=1e-12,
    )
    # exp(-1000) underflows, 2 |F| e^-1000 does not: log(2) + 500 log(2) - 1000.
    delta = finite_class_erm_failure_probability(20000, size, math.sqrt(0.1))
    assert math.isclose(math.log(delta), 501 * math.log(2) - 1000, rel_tol=1e-12)


def test_extreme_values_give_limits_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert chebyshev_bound(0.0, 1, 1e-200) == 0.0  # not 0 / 0
        assert chebyshev_bound(1.0, 1, 1e-200) == math.inf
        assert markov_bound(1.0, 5e-324) == math.inf
        assert hoeffding_bound(3, 1e200, 0.0, 1.0) == 0.0
        assert bernstein_bound(3, 1e200, 0.1, 1.0) == 0.0
        assert finite_class_erm_failure_probability(1, 10**308, 1e-3) == math.inf
        assert math.isclose(
            finite_class_erm_bound(1, 1, 5e-324), math.sqrt(2 * (math.log(2) + 744.44)),
            rel_tol=1e-4,
        )
    with pytest.raises(ValueError, match="class_size must be at most the largest float"):
        finite_class_erm_bound(10, 2**2000, 0.1)


# --------------------------------------------------------------------------- tightness


def test_markov_is_tight_for_a_two_point_variable():
    # Z in {0, t} with P(Z = t) = q: P(Z >= t) = q = E[Z] / t.
    for t, q in [(1.0, 0.3), (2.5, 0.01), (4.0, 1.0)]:
        assert math.isclose(markov_bound(q * t, t), q, rel_tol=1e-14)


def test_chebyshev_is_tight_for_one_three_point_variable():
    # n = 1, X in {-a, 0, a} with P(X = +-a) = q / 2: Var X = q a^2, P(|X| >= a) = q.
    for a, q in [(1.0, 0.2), (0.3, 0.5), (2.0, 1.0)]:
        values = np.array([-a, 0.0, a])
        probabilities = np.array([q / 2, 1 - q, q / 2])
        variance = probabilities @ values**2
        tail = probabilities[np.abs(values) >= a].sum()
        assert math.isclose(chebyshev_bound(variance, 1, a), tail, rel_tol=1e-12)


@pytest.mark.parametrize("n_samples", [1, 2])
def test_chebyshev_is_tight_for_a_mean_of_two_point_variables(n_samples):
    # X = +-a with probability 1/2: X_bar_n reaches |X_bar_n| >= a only when all signs
    # agree, probability 2^(1 - n), which equals sigma^2 / (n a^2) = 1 / n for n = 1, 2.
    a = 0.7
    means = np.array([np.mean(signs) * a for signs in
                      itertools.product([-1.0, 1.0], repeat=n_samples)])
    tail = np.mean(np.abs(means) >= a * (1 - 1e-12))
    assert math.isclose(chebyshev_bound(a**2, n_samples, a), tail, rel_tol=1e-12)


# --------------------------------------------------------------------------- Bernoulli tail


@pytest.mark.parametrize("n_samples", range(1, 13))
def test_bernoulli_mean_tail_by_enumeration(n_samples):
    # Every one of the 2^n outcomes, with its probability p^k (1 - p)^(n - k).
    outcomes = (np.arange(2**n_samples)[:, None] >> np.arange(n_samples)) & 1
    counts = outcomes.sum(axis=1)
    for p_text, epsilon in itertools.product(
        ["0", "0.1", "0.25", "0.3", "0.5", "0.7", "1"],
        [Fraction("0.05"), Fraction("0.1"), Fraction("0.2"), Fraction("0.25"),
         Fraction(1, 3), Fraction("0.5"), Fraction("0.75")],
    ):
        p = Fraction(p_text)
        in_event = np.array([abs(Fraction(int(k), n_samples) - p) >= epsilon
                             for k in range(n_samples + 1)])[counts]
        weights = float(p) ** counts * (1 - float(p)) ** (n_samples - counts)
        expected = weights[in_event].sum()
        actual = bernoulli_mean_tail(n_samples, float(p), float(epsilon))
        assert math.isclose(actual, expected, rel_tol=1e-10, abs_tol=1e-15), (
            n_samples, p_text, epsilon
        )


def test_bernoulli_mean_tail_counts_the_boundary():
    # The brief's example: n = 100, p = 0.5, eps = 0.1 must count k = 40 and k = 60.
    assert math.isclose(
        bernoulli_mean_tail(100, 0.5, 0.1),
        binom.cdf(40, 100, 0.5) + binom.sf(59, 100, 0.5),
        rel_tol=1e-12,
    )
    # 20 * (0.35 - 0.15) is 3.9999999999999996 in floating point; k = 4 and k = 10 count.
    assert math.isclose(
        bernoulli_mean_tail(20, 0.35, 0.15),
        binom.cdf(4, 20, 0.35) + binom.sf(9, 20, 0.35),
        rel_tol=1e-12,
    )
    # n epsilon is not an integer but n (p +- epsilon) are: 30 * (0.2 +- 0.1) = 3, 9.
    assert math.isclose(
        bernoulli_mean_tail(30, 0.2, 0.1),
        binom.cdf(3, 30, 0.2) + binom.sf(8, 30, 0.2),
        rel_tol=1e-12,
    )


def test_bernoulli_mean_tail_tolerance_only_settles_ties():
    # Just past the boundary, k = 40 and 60 are out; the tolerance (1e-12) is far smaller.
    strict = binom.cdf(39, 100, 0.5) + binom.sf(60, 100, 0.5)
    assert math.isclose(bernoulli_mean_tail(100, 0.5, 0.1 + 1e-9), strict, rel_tol=1e-12)
    assert math.isclose(
        bernoulli_mean_tail(100, 0.5, 0.1 - 1e-9),
        binom.cdf(40, 100, 0.5) + binom.sf(59, 100, 0.5),
        rel_tol=1e-12,
    )
    # Large n: 10^6 (0.5 +- 0.001) = 501000 and 499000 are ties; one count further is not.
    n = 10**6
    assert math.isclose(
        bernoulli_mean_tail(n, 0.5, 0.001),
        binom.cdf(499000, n, 0.5) + binom.sf(500999, n, 0.5),
        rel_tol=1e-9,
    )
    assert math.isclose(
        bernoulli_mean_tail(n, 0.5, 0.001 + 1.5 / n),
        binom.cdf(498998, n, 0.5) + binom.sf(501001, n, 0.5),
        rel_tol=1e-9,
    )


def test_bernoulli_mean_tail_limits_and_symmetry():
    # A deviation beyond max(p, 1 - p) is impossible; a constant variable never deviates.
    assert bernoulli_mean_tail(50, 0.3, 0.71) == 0.0
    assert bernoulli_mean_tail(50, 0.0, 0.01) == 0.0
    assert bernoulli_mean_tail(50, 1.0, 0.01) == 0.0
    # A deviation of exactly p, down to K = 0, is in the closed event.
    assert math.isclose(
        bernoulli_mean_tail(7, 0.3, 0.3), binom.pmf(0, 7, 0.3) + binom.sf(4, 7, 0.3),
        rel_tol=1e-12,
    )
    # |X_bar - p| has the law of |(1 - X_bar) - (1 - p)|.
    for n, p, eps in itertools.product([5, 17, 80], [0.1, 0.3, 0.45], [0.05, 0.1, 0.2]):
        assert math.isclose(
            bernoulli_mean_tail(n, p, eps), bernoulli_mean_tail(n, 1 - p, eps),
            rel_tol=1e-9, abs_tol=1e-300,
        )
    # Tiny tails stay accurate (1 - cdf would give 0): P(K = 0) + P(K = n) at p = 1/2.
    assert math.isclose(bernoulli_mean_tail(1000, 0.5, 0.5), 2.0**-999, rel_tol=1e-9)


def test_bernoulli_mean_tail_monte_carlo():
    rng = np.random.default_rng(0)
    n_repetitions = 100_000
    for n_samples, p, epsilon, half_width in [(100, 0.3, 0.05, 5), (40, 0.5, 0.1, 4)]:
        counts = (rng.random((n_repetitions, n_samples)) < p).sum(axis=1)
        # The event in integers, |K - n p| >= n epsilon, free of any rounding.
        center = round(n_samples * p)
        frequency = np.mean(np.abs(counts - center) >= half_width)
        assert_frequency_near(
            frequency, n_repetitions, bernoulli_mean_tail(n_samples, p, epsilon)
        )


# --------------------------------------------------------------------------- bounds dominate


def test_bounds_dominate_the_exact_bernoulli_tail():
    n_grid = [1, 2, 3, 5, 10, 20, 50, 100, 200, 500]
    epsilon_grid = [0.01, 0.05, 0.1, 0.2, 0.3, 0.5, 0.9]
    p_grid = [0.0, 0.01, 0.1, 0.25, 0.5, 0.7, 0.99, 1.0]
    for n, epsilon, p in itertools.product(n_grid, epsilon_grid, p_grid):
        exact = bernoulli_mean_tail(n, p, epsilon)
        variance = p * (1 - p)
        # Equality is possible (Chebyshev at n = 1, 2 for p = 1/2), hence the rounding slack.
        slack = 1e-12
        assert exact <= hoeffding_bound(n, epsilon, 0.0, 1.0) + slack, (n, epsilon, p)
        assert exact <= bernstein_bound(n, epsilon, variance, max(p, 1 - p)) + slack
        assert exact <= chebyshev_bound(variance, n, epsilon) + slack, (n, epsilon, p)
        # Markov on Z = (X_bar - p)^2 >= 0, of mean p (1 - p) / n, at t = epsilon^2.
        assert exact <= markov_bound(variance / n, epsilon**2) * (1 + 1e-12) + slack
        # Each one-sided tail is at most half of Hoeffding's two-sided bound.
        upper = binom.sf(math.ceil(n * (p + epsilon) - 1e-9) - 1, n, p)
        assert upper <= hoeffding_bound(n, epsilon, 0.0, 1.0) / 2 + slack


def test_markov_dominates_the_upper_tail_of_a_bernoulli_mean():
    # Z = X_bar_n >= 0 with E[Z] = p: P(X_bar_n >= t) <= p / t.
    for n, p, t in itertools.product([1, 4, 30], [0.05, 0.3, 0.6], [0.1, 0.5, 0.9, 1.0]):
        tail = binom.sf(math.ceil(n * t - 1e-9) - 1, n, p)
        assert tail <= markov_bound(p, t) * (1 + 1e-12)


def test_bernstein_beats_hoeffding_for_a_small_variance():
    # p = 0.01: sigma^2 = 0.0099 is far below (b - a)^2 / 4 = 1/4, the worst case.
    n, epsilon, p = 500, 0.02, 0.01
    exact = bernoulli_mean_tail(n, p, epsilon)
    bernstein = bernstein_bound(n, epsilon, p * (1 - p), 1 - p)
    hoeffding = hoeffding_bound(n, epsilon, 0.0, 1.0)
    assert exact <= bernstein < hoeffding / 10


def test_hoeffding_dominates_the_exact_tail_of_two_uniforms():
    # The mean of two uniforms on [0, 1] is triangular on [0, 1]:
    # P(|X_bar_2 - 1/2| >= eps) = (1 - 2 eps)^2.
    for epsilon in np.linspace(0.001, 0.5, 500):
        assert (1 - 2 * epsilon) ** 2 <= hoeffding_bound(2, float(epsilon), 0.0, 1.0)


@pytest.mark.parametrize("n_samples", [2, 10, 50])
def test_hoeffding_dominates_monte_carlo_uniform_means(n_samples):
    rng = np.random.default_rng(n_samples)
    n_repetitions = 200_000
    means = rng.random((n_repetitions, n_samples)).mean(axis=1)
    for epsilon in [0.02, 0.05, 0.1, 0.2, 0.3]:
        frequency = float(np.mean(np.abs(means - 0.5) >= epsilon))
        assert_frequency_at_most(
            frequency, n_repetitions, hoeffding_bound(n_samples, epsilon, 0.0, 1.0)
        )
        # Chebyshev (sigma^2 = 1/12) and Bernstein (c = 1/2) bound it too.
        assert_frequency_at_most(
            frequency, n_repetitions, chebyshev_bound(1 / 12, n_samples, epsilon)
        )
        assert_frequency_at_most(
            frequency, n_repetitions, bernstein_bound(n_samples, epsilon, 1 / 12, 0.5)
        )
    # The Monte Carlo itself: for n = 2 the exact tail is (1 - 2 eps)^2.
    if n_samples == 2:
        assert_frequency_near(float(np.mean(np.abs(means - 0.5) >= 0.2)), n_repetitions, 0.36)


def test_bernstein_degenerate_constant_variables():
    # c = 0 forces sigma^2 = 0: X_bar_n = mu surely, and the bound is 0.
    assert bernstein_bound(5, 0.1, 0.0, 0.0) == 0.0


# --------------------------------------------------------------------------- finite class


def test_finite_class_bound_and_failure_probability_are_inverses():
    for n, size, delta, (low, high) in itertools.product(
        [1, 10, 1000, 10**6], [1, 2, 100, 10**9], [1e-9, 0.01, 0.5, 0.999],
        [(0.0, 1.0), (-1.0, 2.0)],
    ):
        excess = finite_class_erm_bound(n, size, delta, low=low, high=high)
        back = finite_class_erm_failure_probability(n, size, excess, low=low, high=high)
        assert math.isclose(back, delta, rel_tol=1e-9)
    # The other way round wherever the failure probability is a valid, non-vacuous delta.
    for n, size, excess in itertools.product([100, 2000], [1, 50], [0.1, 0.3, 0.5]):
        delta = finite_class_erm_failure_probability(n, size, excess)
        if delta < 1:
            assert math.isclose(finite_class_erm_bound(n, size, delta), excess, rel_tol=1e-9)


def test_finite_class_bound_is_hoeffding_at_half_the_excess_times_the_class_size():
    # Union bound: |F| times Hoeffding's two-sided bound at deviation t / 2.
    for n, size, excess in itertools.product([10, 300], [1, 7], [0.05, 0.4]):
        assert math.isclose(
            finite_class_erm_failure_probability(n, size, excess, low=-0.5, high=1.5),
            size * hoeffding_bound(n, excess / 2, -0.5, 1.5),
            rel_tol=1e-12,
        )


def test_finite_class_bound_holds_for_monte_carlo_erm():
    # |F| = 5 classifiers with 0-1 losses of risks r_f; the empirical risk of each on n
    # samples is Binomial(n, r_f) / n (how the losses of different f depend on each other
    # does not matter to the union bound). ERM picks the smallest empirical risk.
    rng = np.random.default_rng(0)
    # n = 4000 makes the bound informative (below 1) from t = 0.04 on.
    risks = np.array([0.30, 0.32, 0.34, 0.40, 0.50])
    n_samples, n_repetitions, delta = 4000, 20_000, 0.1
    empirical = rng.binomial(n_samples, risks, size=(n_repetitions, risks.size)) / n_samples
    excess = risks[np.argmin(empirical, axis=1)] - risks.min()
    bound = finite_class_erm_bound(n_samples, risks.size, delta)
    assert_frequency_at_most(float(np.mean(excess > bound)), n_repetitions, delta)
    for t in [0.02, 0.04, 0.1]:
        assert_frequency_at_most(
            float(np.mean(excess >= t - 1e-12)),
            n_repetitions,
            finite_class_erm_failure_probability(n_samples, risks.size, t),
        )


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "function, kwargs, error, match",
    [
        (markov_bound, dict(mean=-1.0, threshold=1.0), ValueError, "mean must be >= 0"),
        (markov_bound, dict(mean=1.0, threshold=0.0), ValueError, "threshold == 0.0"),
        (chebyshev_bound, dict(variance=-0.1, n_samples=5, epsilon=0.1), ValueError,
         "variance must be >= 0, got variance == -0.1"),
        (chebyshev_bound, dict(variance=1.0, n_samples=0, epsilon=0.1), ValueError,
         "n_samples must be >= 1, got n_samples == 0"),
        (chebyshev_bound, dict(variance=1.0, n_samples=5, epsilon=0.0), ValueError,
         "epsilon must be > 0, got epsilon == 0.0"),
        (chebyshev_bound, dict(variance=1.0, n_samples=10.0, epsilon=0.1), TypeError,
         "n_samples"),
        (chebyshev_bound, dict(variance=1.0, n_samples=True, epsilon=0.1), TypeError,
         "n_samples"),
        (hoeffding_bound, dict(n_samples=5, epsilon=-0.1, low=0.0, high=1.0), ValueError,
         "epsilon == -0.1"),
        (hoeffding_bound, dict(n_samples=5, epsilon=0.1, low=1.0, high=1.0), ValueError,
         "high must be > low .*low == 1.0 and high == 1.0"),
        (hoeffding_bound, dict(n_samples=5, epsilon=0.1, low=[0.0, 2.0], high=1.0),
         ValueError, r"low\[1\] == 2.0 and high == 1.0"),
        (hoeffding_bound, dict(n_samples=5, epsilon=[0.1, -0.2], low=0.0, high=1.0),
         ValueError, r"epsilon\[1\] == -0.2"),
        (hoeffding_bound, dict(n_samples=5, epsilon=np.nan, low=0.0, high=1.0), ValueError,
         "epsilon must be a number"),
        (hoeffding_bound, dict(n_samples=5, epsilon=0.1, low=0.0, high=np.inf), ValueError,
         "high must be finite"),
        (hoeffding_bound, dict(n_samples=[5, 6], epsilon=[0.1, 0.2, 0.3], low=0, high=1),
         ValueError, r"broadcast.*n_samples \(2,\), epsilon \(3,\)"),
        (hoeffding_bound, dict(n_samples=5, epsilon="0.1", low=0.0, high=1.0), TypeError,
         "epsilon"),
        (bernstein_bound, dict(n_samples=5, epsilon=0.1, variance=-1.0, deviation_bound=1.0),
         ValueError, "variance == -1.0"),
        (bernstein_bound, dict(n_samples=5, epsilon=0.1, variance=0.1, deviation_bound=-1.0),
         ValueError, "deviation_bound == -1.0"),
        (bernstein_bound, dict(n_samples=5, epsilon=0.1, variance=2.0, deviation_bound=1.0),
         ValueError, r"variance must be <= deviation_bound\*\*2.*variance == 2.0"),
        (bernstein_bound, dict(n_samples=0, epsilon=0.1, variance=0.1, deviation_bound=1.0),
         ValueError, "n_samples == 0"),
        (bernoulli_mean_tail, dict(n_samples=0, p=0.5, epsilon=0.1), ValueError,
         "n_samples == 0"),
        (bernoulli_mean_tail, dict(n_samples=5, p=1.1, epsilon=0.1), ValueError,
         r"p must be in \[0, 1\], got p == 1.1"),
        (bernoulli_mean_tail, dict(n_samples=5, p=-0.1, epsilon=0.1), ValueError,
         "p == -0.1"),
        (bernoulli_mean_tail, dict(n_samples=5, p=0.5, epsilon=0.0), ValueError,
         "epsilon == 0.0"),
        (bernoulli_mean_tail, dict(n_samples=[[5, 0]], p=0.5, epsilon=0.1), ValueError,
         r"n_samples\[0, 1\] == 0"),
        (finite_class_erm_bound, dict(n_samples=10, class_size=0, delta=0.1), ValueError,
         "class_size must be >= 1, got class_size == 0"),
        (finite_class_erm_bound, dict(n_samples=10, class_size=3, delta=0.0), ValueError,
         r"delta must be in \(0, 1\), got delta == 0.0"),
        (finite_class_erm_bound, dict(n_samples=10, class_size=3, delta=1.0), ValueError,
         "delta == 1.0"),
        (finite_class_erm_bound, dict(n_samples=10, class_size=3, delta=1.5), ValueError,
         "delta == 1.5"),
        (finite_class_erm_bound, dict(n_samples=0, class_size=3, delta=0.5), ValueError,
         "n_samples == 0"),
        (finite_class_erm_bound, dict(n_samples=10, class_size=3, delta=0.5, low=1.0,
                                      high=0.0), ValueError, "high must be > low"),
        (finite_class_erm_bound, dict(n_samples=10, class_size=2.5, delta=0.5), TypeError,
         "class_size"),
        (finite_class_erm_failure_probability, dict(n_samples=10, class_size=3, excess=0.0),
         ValueError, "excess must be > 0, got excess == 0.0"),
        (finite_class_erm_failure_probability, dict(n_samples=10, class_size=0, excess=0.1),
         ValueError, "class_size == 0"),
        (finite_class_erm_failure_probability, dict(n_samples=-1, class_size=3, excess=0.1),
         ValueError, "n_samples == -1"),
        (finite_class_erm_failure_probability,
         dict(n_samples=10, class_size=3, excess=0.1, low=2.0, high=1.0), ValueError,
         "high must be > low"),
    ],
)
def test_bad_arguments_are_rejected(function, kwargs, error, match):
    with pytest.raises(error, match=match):
        function(**kwargs)
