"""The first chapter's laws: the moments of the scalar laws, the exact risks of threshold
classifiers and the polynomial target's projections, against direct computation."""

import math

import numpy as np
import pytest

from ftml.datasets import (
    ThresholdLawModel,
    make_polynomial_target,
    make_scalar_law,
)


@pytest.mark.parametrize("law,params,mean,variance,lower,upper", [
    ("bernoulli", {"p": 0.3}, 0.3, 0.21, 0.0, 1.0),
    ("uniform", {"low": -1.0, "high": 3.0}, 1.0, 16 / 12, -1.0, 3.0),
    ("squared-uniform", {"low": 1.0, "high": 2.0}, 7 / 3, 34 / 45, 1.0, 4.0),
])
def test_scalar_law_moments_and_range(law, params, mean, variance, lower, upper):
    model = make_scalar_law(law, 200_000, **params)
    assert model.mean == pytest.approx(mean, rel=1e-14)
    assert model.variance == pytest.approx(variance, rel=1e-12)
    assert (model.lower, model.upper) == (lower, upper)
    X, y = model.sample(np.random.default_rng(0))
    assert X.shape == (200_000, 1) and np.all(X == 1)
    assert lower <= y.min() and y.max() <= upper
    assert abs(y.mean() - mean) <= 5 * math.sqrt(variance / y.size)
    assert abs(y.var() - variance) <= 0.02 * variance


@pytest.mark.parametrize("kwargs,message", [
    ({"law": "gaussian"}, "law must be one of"),
    ({"law": "bernoulli", "p": 1.5}, "p"),
    ({"law": "uniform", "low": 1.0, "high": 1.0}, "low must be below high"),
    ({"law": "squared-uniform", "low": -1.0, "high": 1.0}, "low >= 0"),
])
def test_scalar_law_refuses_bad_parameters(kwargs, message):
    with pytest.raises(ValueError, match=message):
        make_scalar_law(n_samples=5, **kwargs)


def test_threshold_risk_equals_a_riemann_sum():
    model = ThresholdLawModel(n_samples=5, boundary=0.3, eta_low=0.2, eta_high=0.9)
    x = (np.arange(200_000) + 0.5) / 200_000
    eta = model.eta(x)
    for t in [-0.5, 0.0, 0.1, 0.3, 0.65, 1.0, 2.0]:
        for below in (0, 1):
            for above in (0, 1):
                prediction = np.where(x < t, below, above)
                direct = np.mean(np.where(prediction == 1, 1 - eta, eta))
                assert model.threshold_risk(t, below, above) == pytest.approx(direct, abs=1e-9)
    assert model.threshold_risk(0.3, 0, 1) == pytest.approx(model.bayes_risk, rel=1e-12)
    assert model.bayes_risk == pytest.approx(0.3 * 0.2 + 0.7 * 0.1, rel=1e-12)


def test_threshold_law_samples_follow_eta():
    model = ThresholdLawModel(n_samples=400_000, boundary=0.3, eta_low=0.2, eta_high=0.9)
    X, y = model.sample(np.random.default_rng(1))
    low = X[:, 0] < 0.3
    assert abs(low.mean() - 0.3) < 0.005
    assert abs(y[low].mean() - 0.2) < 0.005 and abs(y[~low].mean() - 0.9) < 0.005


def test_polynomial_target_projection_is_the_least_squares_fit_at_the_inputs():
    model = make_polynomial_target(n_samples=300, random_state=2)
    x = model.design[:, 0]
    for degree in (0, 1, 2, 5):
        # Least squares on scaled powers of x, which span the same space.
        scaled = (x - 15) / 20
        basis = np.vander(scaled, degree + 1)
        values = model.target(model.design)
        fit = basis @ np.linalg.lstsq(basis, values, rcond=None)[0]
        np.testing.assert_allclose(model.projection(degree), fit, rtol=1e-9, atol=1e-9)
    assert model.approximation_error(2) < 1e-18 < model.approximation_error(1)


def test_polynomial_target_excess_risk_decomposes_in_expectation():
    """E‖P_k y − f*‖²/n = approximation + σ²(k + 1)/n, over many noise draws."""
    model = make_polynomial_target(n_samples=60, noise=10.0, random_state=3)
    rng = np.random.default_rng(4)
    x = (2 * model.design[:, 0] - 30) / 40
    degree = 1
    basis = np.polynomial.legendre.legvander(x, degree)
    hat = basis @ np.linalg.pinv(basis)
    risks = []
    for _ in range(4000):
        _, y = model.sample(rng)
        residual = hat @ y - model.target(model.design)
        risks.append(residual @ residual / 60)
    risks = np.array(risks)
    expected = model.approximation_error(degree) + model.estimation_error(degree)
    assert abs(risks.mean() - expected) <= 4 * risks.std(ddof=1) / math.sqrt(risks.size)


def test_polynomial_target_refuses_a_degree_beyond_its_inputs():
    model = make_polynomial_target(n_samples=5, random_state=0)
    with pytest.raises(ValueError, match="distinct inputs"):
        model.estimation_error(5)


def test_binary_eta_laws_sample_their_regression_function():
    from ftml.datasets import make_binary_eta

    for law, slope in [("logistic", 4.0), ("sine", 3.0)]:
        model = make_binary_eta(law, 300_000, slope=slope)
        X, y = model.sample(np.random.default_rng(6))
        assert X.min() >= -1 and X.max() <= 1
        for left in (-1.0, -0.2, 0.6):
            inside = (X[:, 0] >= left) & (X[:, 0] < left + 0.05)
            expected = model.eta(left + 0.025)
            assert abs(y[inside].mean() - expected) < 0.03
    with pytest.raises(ValueError, match="law must be one of"):
        make_binary_eta("step", 5)
