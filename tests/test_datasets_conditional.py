"""The laws with a known conditional law: their Bayes predictors and risks against exact
enumeration, quadrature and the course's closed forms."""

import math

import numpy as np
import pytest
from scipy import integrate, stats

from ftml.datasets import ConditionalLawModel, make_conditional_law


def small_binomial(loss):
    """X uniform on {1, 2, 3}, Y | X ~ Binomial(2x + 1, p_x): small enough to enumerate."""
    return ConditionalLawModel(support=[1.0, 2.0, 3.0], probabilities=[0.2, 0.5, 0.3],
                               family="binomial",
                               parameters=[[3, 0.3], [5, 0.5], [7, 0.8]], loss=loss,
                               n_samples=10)


def enumerate_risk(model, predictions, loss):
    """E[l(Y, f(X))] by summing over every (x, y) of the joint support."""
    total = 0.0
    for p_x, (trials, success), c in zip(model.probabilities, model.parameters, predictions):
        outcomes = np.arange(int(trials) + 1)
        pmf = stats.binom.pmf(outcomes, trials, success)
        losses = {"square": (outcomes - c) ** 2, "absolute": np.abs(outcomes - c),
                  "zero_one": (outcomes != c).astype(float)}[loss]
        total += p_x * pmf @ losses
    return total


# --- the course's problems -------------------------------------------------------------


def test_course_problem_1_has_bayes_predictor_x_and_risk_0_4():
    model = make_conditional_law("bernoulli", n_samples=5)
    np.testing.assert_array_equal(model.bayes_predictor([0.0, 1.0]), [0.0, 1.0])
    assert model.bayes_risk == pytest.approx(0.4, rel=1e-14)
    assert model.independent_risk() == pytest.approx(0.5, rel=1e-14)  # a random guess


def test_course_problem_2_has_bayes_risk_three_times_1_4_to_the_20_over_4():
    model = make_conditional_law("binomial", n_samples=5)
    x = np.arange(1.0, 22.0)
    np.testing.assert_allclose(model.bayes_predictor(x), 3.0**x / 2, rtol=1e-15)
    assert model.bayes_risk == pytest.approx(3 * 1.4**20 / 4, rel=1e-12)
    # E[3^X] / 4 summed directly over X - 1 ~ Binomial(20, 0.2).
    direct = stats.binom.pmf(np.arange(21), 20, 0.2) @ 3.0 ** np.arange(1, 22) / 4
    assert model.bayes_risk == pytest.approx(direct, rel=1e-12)


def test_skewed_law_has_the_median_as_absolute_bayes_predictor():
    model = make_conditional_law("exponential", n_samples=5)
    x = np.array([1.0, 2.0, 3.0])
    np.testing.assert_allclose(model.bayes_predictor(x), x * math.log(2), rtol=1e-15)
    assert model.bayes_risk == pytest.approx(2 * math.log(2), rel=1e-14)
    # E|Y - mean| = 2 s / e for an exponential of mean s: the mean loses 2/e - ln 2 per unit.
    assert model.risk(model.predictor("mean")) == pytest.approx(4 / math.e, rel=1e-14)


# --- exact risks against enumeration and quadrature -------------------------------------


@pytest.mark.parametrize("loss", ["square", "absolute", "zero_one"])
def test_risk_of_any_predictor_equals_enumeration(loss):
    model = small_binomial(loss)
    rng = np.random.default_rng(0)
    for predictions in [rng.integers(0, 8, 3).astype(float), rng.uniform(0, 7, 3)]:
        risk = model.risk(lambda X, c=predictions: c[np.searchsorted([1, 2, 3], X[:, 0])])
        assert risk == pytest.approx(enumerate_risk(model, predictions, loss), rel=1e-12)


@pytest.mark.parametrize("loss", ["square", "absolute", "zero_one"])
def test_bayes_predictor_minimises_the_enumerated_risk(loss):
    model = small_binomial(loss)
    candidates = np.linspace(0, 7, 141)  # every integer and the half-integers between
    for position, x in enumerate(model.support):
        trials, success = model.parameters[position]
        outcomes = np.arange(int(trials) + 1)
        pmf = stats.binom.pmf(outcomes, trials, success)
        losses = {"square": lambda c: pmf @ (outcomes - c) ** 2,
                  "absolute": lambda c: pmf @ np.abs(outcomes - c),
                  "zero_one": lambda c: pmf @ (outcomes != c)}[loss]
        best = min(losses(c) for c in candidates)
        bayes = model.bayes_predictor([x])[0]
        assert losses(bayes) == pytest.approx(best, rel=1e-12, abs=1e-15)
    predictions = model.bayes_predictor(model.support)
    assert model.bayes_risk == pytest.approx(enumerate_risk(model, predictions, loss),
                                             rel=1e-12)


@pytest.mark.parametrize("loss", ["square", "absolute"])
def test_exponential_risks_equal_quadrature(loss):
    model = make_conditional_law("exponential", n_samples=5, loss=loss)
    for c in [-0.5, 0.0, 0.7, 2.0, 5.0]:
        for position, scale in enumerate(model.parameters[:, 0]):
            integrand = {"square": lambda y: (y - c) ** 2,
                         "absolute": lambda y: abs(y - c)}[loss]
            density = lambda y: integrand(y) * math.exp(-y / scale) / scale  # noqa: E731
            # Split at the kink of |y - c|: quad takes no breakpoint on an infinite range.
            split = max(c, 0.0)
            expected = integrate.quad(density, 0, split)[0] + integrate.quad(
                density, split, np.inf)[0]
            risk = model.conditional_risk([model.support[position]], [c])[0]
            assert risk == pytest.approx(expected, rel=1e-9)


@pytest.mark.parametrize("law,loss", [("bernoulli", "zero_one"), ("binomial", "square"),
                                      ("exponential", "absolute"), ("exponential", "square")])
def test_independent_risk_matches_monte_carlo(law, loss):
    model = make_conditional_law(law, n_samples=5, loss=loss)
    rng = np.random.default_rng(1)
    _, y = model.sample(rng, n_samples=400_000)
    _, other = model.sample(rng, n_samples=400_000)
    losses = model.loss_values(y, other)
    sem = losses.std(ddof=1) / math.sqrt(losses.size)
    assert abs(losses.mean() - model.independent_risk()) <= 5 * sem


def test_independent_zero_one_risk_of_a_small_binomial_equals_enumeration():
    model = small_binomial("zero_one")
    marginal = np.zeros(8)
    for p_x, (trials, success) in zip(model.probabilities, model.parameters):
        outcomes = np.arange(int(trials) + 1)
        marginal[outcomes] += p_x * stats.binom.pmf(outcomes, trials, success)
    assert model.independent_risk() == pytest.approx(1 - marginal @ marginal, rel=1e-12)


# --- sampling --------------------------------------------------------------------------


def test_samples_follow_the_law():
    model = make_conditional_law("exponential", n_samples=300_000)
    X, y = model.sample(np.random.default_rng(2))
    assert X.shape == (300_000, 1) and y.shape == (300_000,)
    for position, x in enumerate(model.support):
        inside = X[:, 0] == x
        share = inside.mean()
        assert abs(share - 1 / 3) <= 5 * math.sqrt(2 / 9 / X.shape[0])
        assert abs(np.median(y[inside]) - x * math.log(2)) <= 0.02 * x


def test_samples_are_reproducible_from_their_seed():
    model = make_conditional_law("binomial", n_samples=50)
    first, second = model.sample(7), model.sample(7)
    np.testing.assert_array_equal(first[0], second[0])
    np.testing.assert_array_equal(first[1], second[1])


# --- bad input -------------------------------------------------------------------------


@pytest.mark.parametrize("kwargs,message", [
    ({"law": "gaussian", "n_samples": 5}, "law must be one of"),
    ({"law": "bernoulli", "n_samples": 0}, "n_samples"),
    ({"law": "bernoulli", "n_samples": 5, "loss": "hinge"}, "loss must be one of"),
])
def test_bad_parameters_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        make_conditional_law(**kwargs)


def test_losses_without_an_exact_form_are_refused_by_name():
    with pytest.raises(ValueError, match="0-1 loss of a continuous Y"):
        make_conditional_law("exponential", n_samples=5, loss="zero_one").bayes_risk
    with pytest.raises(ValueError, match="would sum that many terms"):
        make_conditional_law("binomial", n_samples=5, loss="absolute").bayes_risk


def test_inputs_outside_the_support_are_refused():
    model = make_conditional_law("bernoulli", n_samples=5)
    with pytest.raises(ValueError, match="support"):
        model.conditional_mean([0.5])


def test_probabilities_must_sum_to_one():
    with pytest.raises(ValueError, match="sum to 1"):
        ConditionalLawModel(support=[0.0, 1.0], probabilities=[0.5, 0.6], family="binomial",
                            parameters=[[1, 0.5], [1, 0.5]], loss="square", n_samples=3)


def test_binomial_median_is_the_smallest_median_in_exact_arithmetic():
    from fractions import Fraction
    from math import comb

    from ftml.datasets._conditional import _binomial_median

    for n in range(1, 60):
        for p in (Fraction(1, 2), Fraction(1, 3), Fraction(4, 5)):
            total, k = Fraction(0), -1
            while total < Fraction(1, 2):
                k += 1
                total += comb(n, k) * p**k * (1 - p) ** (n - k)
            assert _binomial_median(np.array([float(n)]), np.array([float(p)]))[0] == k, (n, p)


def test_binomial_pmf_equals_scipy():
    from ftml.datasets._conditional import _binomial_pmf

    rng = np.random.default_rng(5)
    n = rng.integers(1, 300, 500).astype(float)
    p = rng.uniform(0, 1, 500)
    k = rng.integers(-2, 302, 500).astype(float)
    np.testing.assert_allclose(_binomial_pmf(k, n, p), stats.binom.pmf(k, n, p), rtol=1e-10,
                               atol=1e-300)
