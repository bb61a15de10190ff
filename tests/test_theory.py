"""Tests for ftml.theory: the closed forms against Monte-Carlo averages and direct algebra.

The Monte-Carlo checks use numpy's own solvers (lstsq, solve) for the estimators, so that
they test the theorems and not ftml's estimators. A mean over R repetitions is accepted
within 4 standard errors (sample standard deviation / sqrt(R)) of the prediction; with
fixed seeds the checks are deterministic, and a correct formula fails such a check for a
fresh seed with probability about 6e-5.
"""

import math

import numpy as np
import pytest
from scipy.optimize import minimize_scalar

from ftml.datasets import make_linear_gaussian
from ftml.theory import (
    noise_variance_estimate,
    ols_expected_empirical_risk,
    ols_fixed_design_excess_risk,
    ols_random_design_excess_risk,
    ridge_fixed_design_bias,
    ridge_fixed_design_excess_risk,
    ridge_fixed_design_variance,
    ridge_oracle_alpha,
)

N_STANDARD_ERRORS = 4.0


def assert_within_standard_errors(samples, expected):
    samples = np.asarray(samples)
    mean = samples.mean()
    standard_error = samples.std(ddof=1) / math.sqrt(samples.size)
    assert abs(mean - expected) <= N_STANDARD_ERRORS * standard_error, (
        f"Monte-Carlo mean {mean:.6g} is {abs(mean - expected) / standard_error:.2f} "
        f"standard errors from the prediction {expected:.6g}."
    )


def _fixed_design_noise(model, n_repetitions, seed):
    """Targets of ``n_repetitions`` data sets on the model's design, one per column."""
    rng = np.random.default_rng(seed)
    noise = model.noise * rng.standard_normal((model.n_samples, n_repetitions))
    return model.design @ model.theta[:, None] + noise


# --------------------------------------------------------------------------- closed forms


def test_closed_form_values():
    assert math.isclose(ols_fixed_design_excess_risk(100, 10, 2.0), 0.4)
    assert math.isclose(ols_random_design_excess_risk(100, 9, 1.0), 0.1)
    assert math.isclose(ols_expected_empirical_risk(100, 10, 1.0), 0.9)
    assert ols_fixed_design_excess_risk(5, 5, 1.0) == 1.0
    assert ols_expected_empirical_risk(5, 5, 1.0) == 0.0
    assert ols_fixed_design_excess_risk(50, 3, 0.0) == 0.0


def test_random_design_risk_exceeds_fixed_design_risk():
    for n_samples in (12, 50, 1000):
        fixed = ols_fixed_design_excess_risk(n_samples, 10, 1.0)
        random = ols_random_design_excess_risk(n_samples, 10, 1.0)
        assert random > fixed


def test_noise_variance_estimate_by_hand():
    # Residuals (-0.5, 0.5, -0.5, 0.5): sum of squares 1, over n - d = 2.
    assert noise_variance_estimate([1, 2, 3, 4], [1.5, 1.5, 3.5, 3.5], 2) == 0.5


# --------------------------------------------------------------------------- OLS, Monte Carlo


@pytest.fixture(scope="module")
def ols_fixed_design_fits():
    """4000 OLS fits on one fixed design (n = 40, d = 8, sigma = 1.5)."""
    model = make_linear_gaussian(
        40, 8, design="fixed", noise=1.5, theta_norm=2.0, correlation=0.5, random_state=0
    )
    Y = _fixed_design_noise(model, 4000, seed=1)
    theta_hat, *_ = np.linalg.lstsq(model.design, Y, rcond=None)
    return model, Y, theta_hat


def test_ols_fixed_design_excess_risk_monte_carlo(ols_fixed_design_fits):
    model, _, theta_hat = ols_fixed_design_fits
    excess = np.mean((model.design @ (theta_hat - model.theta[:, None])) ** 2, axis=0)
    assert_within_standard_errors(
        excess, ols_fixed_design_excess_risk(model.n_samples, model.n_features, model.noise)
    )
    # The model's own excess_risk is the same quantity, fit by fit.
    for k in range(3):
        assert math.isclose(model.excess_risk(theta_hat[:, k]), excess[k], rel_tol=1e-12)


def test_ols_expected_empirical_risk_monte_carlo(ols_fixed_design_fits):
    model, Y, theta_hat = ols_fixed_design_fits
    empirical = np.mean((Y - model.design @ theta_hat) ** 2, axis=0)
    assert_within_standard_errors(
        empirical, ols_expected_empirical_risk(model.n_samples, model.n_features, model.noise)
    )


def test_noise_variance_estimate_is_unbiased_monte_carlo(ols_fixed_design_fits):
    model, Y, theta_hat = ols_fixed_design_fits
    fitted = model.design @ theta_hat
    estimates = [
        noise_variance_estimate(Y[:, k], fitted[:, k], model.n_features)
        for k in range(Y.shape[1])
    ]
    assert_within_standard_errors(estimates, model.noise**2)


def test_ols_random_design_excess_risk_monte_carlo():
    # n - d - 1 = 24 keeps the inverse-Wishart tails light enough for 3000 repetitions.
    model = make_linear_gaussian(
        30, 5, design="random", noise=0.8, correlation=0.7, random_state=0
    )
    rng = np.random.default_rng(1)
    excess = []
    for _ in range(3000):
        X, y = model.sample(random_state=rng)
        theta_hat, *_ = np.linalg.lstsq(X, y, rcond=None)
        excess.append(model.excess_risk(theta_hat))
    assert_within_standard_errors(
        excess, ols_random_design_excess_risk(model.n_samples, model.n_features, model.noise)
    )


# --------------------------------------------------------------------------- ridge


def _ridge_by_hat_matrix(X, theta, noise, alpha):
    """Bias and variance from the n x n smoother H = X (X^T X + n alpha I)^{-1} X^T."""
    n_samples, n_features = X.shape
    H = X @ np.linalg.solve(X.T @ X + n_samples * alpha * np.eye(n_features), X.T)
    residual = (np.eye(n_samples) - H) @ X @ theta
    return residual @ residual / n_samples, noise**2 * np.trace(H @ H) / n_samples


@pytest.mark.parametrize("shape", [(30, 6), (8, 12)])
def test_ridge_bias_and_variance_match_the_hat_matrix(shape):
    rng = np.random.default_rng(0)
    X = rng.standard_normal(shape) @ np.diag(np.linspace(0.2, 3.0, shape[1]))
    theta = rng.standard_normal(shape[1])
    alphas = np.array([1e-3, 0.1, 1.0, 30.0])
    bias = ridge_fixed_design_bias(X, theta, alphas)
    variance = ridge_fixed_design_variance(X, 0.7, alphas)
    risk = ridge_fixed_design_excess_risk(X, theta, 0.7, alphas)
    for k, alpha in enumerate(alphas):
        expected_bias, expected_variance = _ridge_by_hat_matrix(X, theta, 0.7, alpha)
        assert math.isclose(bias[k], expected_bias, rel_tol=1e-9)
        assert math.isclose(variance[k], expected_variance, rel_tol=1e-9)
        assert math.isclose(risk[k], expected_bias + expected_variance, rel_tol=1e-9)


def test_ridge_scalar_and_array_alphas():
    model = make_linear_gaussian(20, 4, random_state=0)
    X, theta = model.design, model.theta
    alphas = [0.0, 0.5, 2.0]
    risks = ridge_fixed_design_excess_risk(X, theta, 1.0, alphas)
    assert isinstance(risks, np.ndarray) and risks.shape == (3,)
    for alpha, risk in zip(alphas, risks):
        scalar = ridge_fixed_design_excess_risk(X, theta, 1.0, alpha)
        assert isinstance(scalar, float)
        assert math.isclose(scalar, risk, rel_tol=1e-14)
    assert isinstance(ridge_fixed_design_bias(X, theta, np.float64(0.5)), float)
    assert isinstance(ridge_fixed_design_variance(X, 1.0, np.array(0.5)), float)


def test_ridge_bias_increases_and_variance_decreases():
    model = make_linear_gaussian(20, 4, correlation=0.5, random_state=0)
    alphas = np.logspace(-3, 3, 25)
    assert np.all(np.diff(ridge_fixed_design_bias(model.design, model.theta, alphas)) > 0)
    assert np.all(np.diff(ridge_fixed_design_variance(model.design, 1.0, alphas)) < 0)


def test_ridge_at_alpha_zero_is_ols():
    model = make_linear_gaussian(25, 5, noise=1.3, correlation=0.4, random_state=0)
    assert math.isclose(
        ridge_fixed_design_variance(model.design, model.noise, 0.0),
        ols_fixed_design_excess_risk(25, 5, model.noise),
        rel_tol=1e-12,
    )
    assert ridge_fixed_design_bias(model.design, model.theta, 0.0) == 0.0


def test_ridge_variance_at_alpha_zero_counts_the_rank():
    # Rank 3 design in dimension 6: the minimum-norm interpolator has variance sigma^2 r / n.
    rng = np.random.default_rng(0)
    X = rng.standard_normal((10, 3)) @ rng.standard_normal((3, 6))
    assert math.isclose(ridge_fixed_design_variance(X, 2.0, 0.0), 4.0 * 3 / 10, rel_tol=1e-12)


def test_ridge_excess_risk_monte_carlo():
    model = make_linear_gaussian(
        40, 8, design="fixed", noise=1.0, theta_norm=2.0, correlation=0.7, random_state=3
    )
    X, theta, n_samples = model.design, model.theta, model.n_samples
    Y = _fixed_design_noise(model, 4000, seed=4)
    covariance_hat = X.T @ X / n_samples
    for alpha in (0.0, 0.01, 0.1, 1.0):
        theta_hat = np.linalg.solve(
            covariance_hat + alpha * np.eye(model.n_features), X.T @ Y / n_samples
        )
        excess = np.mean((X @ (theta_hat - theta[:, None])) ** 2, axis=0)
        assert_within_standard_errors(
            excess, ridge_fixed_design_excess_risk(X, theta, model.noise, alpha)
        )


# --------------------------------------------------------------------------- oracle alpha


@pytest.mark.parametrize("seed", range(5))
def test_oracle_alpha_for_an_orthogonal_design(seed):
    rng = np.random.default_rng(seed)
    n_samples, n_features = 50, 7
    Q, _ = np.linalg.qr(rng.standard_normal((n_samples, n_features)))
    X = math.sqrt(n_samples) * Q  # X^T X / n = I
    np.testing.assert_allclose(X.T @ X / n_samples, np.eye(n_features), atol=1e-12)
    theta = rng.standard_normal(n_features) * rng.uniform(0.1, 3.0)
    noise = rng.uniform(0.1, 3.0)
    expected = noise**2 * n_features / (n_samples * theta @ theta)
    assert math.isclose(ridge_oracle_alpha(X, theta, noise), expected, rel_tol=1e-5)


@pytest.mark.parametrize("seed", range(5))
def test_oracle_alpha_is_a_minimum(seed):
    rng = np.random.default_rng(seed)
    n_samples, n_features = 30, 6
    # Spread-out column scales make the spectrum of Sigma_hat far from the identity.
    X = rng.standard_normal((n_samples, n_features)) * np.logspace(-1, 1, n_features)
    theta = rng.standard_normal(n_features)
    noise = rng.uniform(0.3, 3.0)
    oracle = ridge_oracle_alpha(X, theta, noise)
    risk_at = lambda alpha: ridge_fixed_design_excess_risk(X, theta, noise, alpha)  # noqa: E731
    assert risk_at(oracle) <= risk_at(oracle * 1.01)
    assert risk_at(oracle) <= risk_at(oracle * 0.99)
    # No point of a wide grid does better (up to rounding) ...
    grid = np.logspace(-6, 6, 2001)
    assert risk_at(oracle) <= risk_at(grid).min() * (1 + 1e-12)
    # ... and scipy's bounded Brent search in log(alpha) agrees.
    reference = minimize_scalar(
        lambda log_alpha: risk_at(math.exp(log_alpha)),
        bounds=(math.log(oracle) - 3, math.log(oracle) + 3),
        method="bounded",
        options={"xatol": 1e-10},
    )
    assert math.isclose(oracle, math.exp(reference.x), rel_tol=1e-4)


def test_oracle_alpha_degenerate_cases():
    X = 2.0 * np.eye(4)
    assert ridge_oracle_alpha(X, [1.0, 2.0, 0.0, 0.0], noise=0.0) == 0.0
    assert ridge_oracle_alpha(X, np.zeros(4), noise=1.0) == math.inf
    assert ridge_oracle_alpha(np.zeros((4, 2)), [1.0, 1.0], noise=1.0) == 0.0


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "function",
    [ols_fixed_design_excess_risk, ols_random_design_excess_risk, ols_expected_empirical_risk],
)
@pytest.mark.parametrize(
    "args, error, match",
    [
        ((0, 1, 1.0), ValueError, "n_samples"),
        ((10.0, 1, 1.0), TypeError, "n_samples"),
        ((10, 0, 1.0), ValueError, "n_features"),
        ((10, 1, -1.0), ValueError, "noise"),
        ((10, 1, math.inf), ValueError, "noise"),
        ((10, 1, None), TypeError, "noise"),
    ],
)
def test_ols_closed_forms_reject_bad_arguments(function, args, error, match):
    with pytest.raises(error, match=match):
        function(*args)


def test_ols_closed_forms_reject_too_many_features():
    with pytest.raises(ValueError, match="n_features == 11 must be <= n_samples == 10"):
        ols_fixed_design_excess_risk(10, 11, 1.0)
    with pytest.raises(ValueError, match="n_features == 11 must be <= n_samples == 10"):
        ols_expected_empirical_risk(10, 11, 1.0)
    with pytest.raises(ValueError, match=r"n_samples == 10 must be > n_features \+ 1 == 10"):
        ols_random_design_excess_risk(10, 9, 1.0)


@pytest.mark.parametrize(
    "args, error, match",
    [
        (([1.0, 2.0], [1.0, 2.0], 2), ValueError, "n_features == 2 must be < n_samples == 2"),
        (([1.0, 2.0], [1.0, 2.0], 0), ValueError, "n_features"),
        (([1.0, 2.0, 3.0], [1.0, 2.0], 1), ValueError, "y_pred has 2"),
        (([[1.0, 2.0]], [1.0, 2.0], 1), ValueError, "y must be 1-D"),
        (([1.0, 2.0, 3.0], [1.0, np.nan, 3.0], 1), ValueError, "y_pred contains NaN"),
        (([1.0, 2.0, 3.0], [1.0, 2.0, 3.0], 1.0), TypeError, "n_features"),
    ],
)
def test_noise_variance_estimate_rejects_bad_arguments(args, error, match):
    with pytest.raises(error, match=match):
        noise_variance_estimate(*args)


@pytest.mark.parametrize(
    "alpha, error, match",
    [
        (-0.1, ValueError, "alpha == -0.1, must be >= 0"),
        (math.inf, ValueError, "alpha must be finite"),
        (math.nan, ValueError, "alpha must be a number"),
        ("1", TypeError, "alpha"),
        ([0.1, -1.0], ValueError, r"alpha\[1\] == -1.0"),
        ([0.1, np.inf], ValueError, "alpha contains infinity"),
        ([[0.1]], ValueError, "alpha must be 1-D"),
    ],
)
def test_ridge_rejects_bad_alpha(alpha, error, match):
    X, theta = np.eye(3), np.ones(3)
    with pytest.raises(error, match=match):
        ridge_fixed_design_bias(X, theta, alpha)
    with pytest.raises(error, match=match):
        ridge_fixed_design_variance(X, 1.0, alpha)
    with pytest.raises(error, match=match):
        ridge_fixed_design_excess_risk(X, theta, 1.0, alpha)


def test_ridge_rejects_bad_design_theta_and_noise():
    X = np.eye(3)
    with pytest.raises(ValueError, match=r"theta must have shape \(n_features,\) = \(3,\)"):
        ridge_fixed_design_bias(X, np.ones(4), 1.0)
    with pytest.raises(ValueError, match="theta must have shape"):
        ridge_oracle_alpha(X, np.ones(2), 1.0)
    with pytest.raises(ValueError, match="X must be 2-D"):
        ridge_fixed_design_variance(np.ones(3), 1.0, 1.0)
    with pytest.raises(ValueError, match="noise == -1.0"):
        ridge_fixed_design_excess_risk(X, np.ones(3), -1.0, 1.0)
    with pytest.raises(ValueError, match="noise == -1.0"):
        ridge_oracle_alpha(X, np.ones(3), -1.0)


def test_ols_parameter_error_is_the_trace_of_the_inverse_gram_matrix():
    from ftml.theory import ols_fixed_design_parameter_error

    rng = np.random.default_rng(3)
    X = rng.normal(size=(30, 4)) @ np.diag([1.0, 2.0, 0.5, 3.0])
    expected = 0.7**2 * np.trace(np.linalg.inv(X.T @ X))
    assert ols_fixed_design_parameter_error(X, 0.7) == pytest.approx(expected, rel=1e-12)
    # Monte Carlo: OLS on fresh noise, E||theta_hat - theta*||^2 over 20,000 draws.
    theta = rng.normal(size=4)
    noise = rng.normal(scale=0.7, size=(20_000, 30))
    estimates = np.linalg.lstsq(X, (X @ theta)[:, None] + noise.T, rcond=None)[0].T
    errors = np.sum((estimates - theta) ** 2, axis=1)
    sem = errors.std(ddof=1) / np.sqrt(errors.size)
    assert abs(errors.mean() - expected) <= 4 * sem
    # Unbiased coordinate by coordinate.
    bias_sem = estimates.std(axis=0, ddof=1) / np.sqrt(estimates.shape[0])
    assert np.all(np.abs(estimates.mean(axis=0) - theta) <= 4 * bias_sem)


def test_ols_parameter_error_refuses_a_rank_deficient_design():
    from ftml.theory import ols_fixed_design_parameter_error

    X = np.ones((5, 2))
    with pytest.raises(ValueError, match="full column rank"):
        ols_fixed_design_parameter_error(X, 1.0)


def test_ols_optimism_is_test_minus_expected_training_risk():
    from ftml.theory import (ols_expected_empirical_risk, ols_fixed_design_excess_risk,
                             ols_fixed_design_optimism)

    for n, d, sigma in [(10, 5, 1.0), (200, 5, 0.3), (50, 50, 2.0)]:
        test_risk = sigma**2 + ols_fixed_design_excess_risk(n, d, sigma)
        gap = test_risk - ols_expected_empirical_risk(n, d, sigma)
        assert ols_fixed_design_optimism(n, d, sigma) == pytest.approx(gap, rel=1e-12)


@pytest.mark.parametrize("n_samples,n_features", [(30, 5), (50, 200), (400, 40)])
def test_ridge_course_alpha_guarantees_its_bound_with_a_factor_two_to_spare(n_samples,
                                                                            n_features):
    from ftml.theory import (ridge_course_alpha, ridge_course_bound,
                             ridge_fixed_design_bias, ridge_fixed_design_excess_risk,
                             ridge_fixed_design_variance)

    rng = np.random.default_rng(n_samples + n_features)
    for _ in range(20):
        X = rng.normal(size=(n_samples, n_features)) * rng.uniform(0.1, 3.0, n_features)
        theta = rng.normal(size=n_features) * rng.uniform(0, 2)
        noise = rng.uniform(0.1, 3.0)
        alpha = ridge_course_alpha(X, theta, noise)
        trace = np.trace(X.T @ X) / n_samples
        assert alpha == pytest.approx(noise * np.sqrt(trace)
                                      / (np.linalg.norm(theta) * np.sqrt(n_samples)), rel=1e-12)
        bound = ridge_course_bound(X, theta, noise)
        # The two halves of the bound, each at least twice its term.
        assert ridge_fixed_design_bias(X, theta, alpha) <= alpha * theta @ theta / 4 * (1 + 1e-12)
        assert ridge_fixed_design_variance(X, noise, alpha) <= (
            noise**2 * trace / (4 * alpha * n_samples) * (1 + 1e-12))
        assert ridge_fixed_design_excess_risk(X, theta, noise, alpha) <= bound / 2 * (1 + 1e-12)


def test_ridge_course_alpha_refuses_a_zero_theta():
    from ftml.theory import ridge_course_alpha

    with pytest.raises(ValueError, match="theta"):
        ridge_course_alpha(np.eye(3), np.zeros(3), 1.0)
