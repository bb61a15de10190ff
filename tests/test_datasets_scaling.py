"""make_logistic_regression's feature_scale: a badly scaled design, the same problem."""

import math
import numbers

import numpy as np
import pytest

from ftml.datasets import make_logistic_regression
from ftml.validation import check_random_state


def reference_make_logistic_regression(n_samples, n_features, theta_norm, correlation,
                                       random_state):
    """The generator as it was before ``feature_scale``, copied verbatim, so that the
    comparison is bit for bit on any machine."""
    rng = check_random_state(random_state)
    direction = rng.standard_normal(n_features)
    theta = theta_norm * direction / np.linalg.norm(direction)
    lags = np.abs(np.subtract.outer(np.arange(n_features), np.arange(n_features)))
    covariance = float(correlation) ** lags.astype(np.float64)
    X = rng.standard_normal((n_samples, n_features)) @ np.linalg.cholesky(covariance).T
    probabilities = 1.0 / (1.0 + np.exp(-(X @ theta)))
    y = np.where(rng.uniform(size=n_samples) < probabilities, 1.0, -1.0)
    return X, y, theta


@pytest.mark.parametrize("kwargs", [{}, {"feature_scale": 1.0}, {"feature_scale": 1}])
def test_default_scale_reproduces_the_previous_output_bit_for_bit(kwargs):
    expected = reference_make_logistic_regression(50, 4, 2.0, 0.3, 7)
    got = make_logistic_regression(50, 4, theta_norm=2.0, correlation=0.3, random_state=7,
                                   **kwargs)
    for array, reference in zip(got, expected):
        np.testing.assert_array_equal(array, reference)


def test_default_scale_matches_values_saved_before_the_change():
    # Printed from the generator before feature_scale was added (numpy 2.4, PCG64).
    X, y, theta = make_logistic_regression(50, 4, theta_norm=2.0, correlation=0.3,
                                           random_state=7)
    np.testing.assert_allclose(X[0], [-0.45467078517172255, -1.0823717583127073,
                                      -0.2673381872616736, 1.1982824048926053], rtol=1e-13)
    np.testing.assert_array_equal(y[:8], [-1, -1, 1, 1, 1, 1, 1, -1])
    np.testing.assert_allclose(theta, [0.00251424275391366, 0.6105895646066638,
                                       -0.5602952771907944, -1.8202316513385075], rtol=1e-13)


@pytest.mark.parametrize("n_features, scale", [(1, 50.0), (2, 10.0), (5, 1000.0), (12, 300)])
def test_columns_are_scaled_log_spaced_and_labels_unchanged(n_features, scale):
    X0, y0, theta0 = make_logistic_regression(200, n_features, theta_norm=3.0,
                                              correlation=0.5, random_state=11)
    X, y, theta = make_logistic_regression(200, n_features, theta_norm=3.0, correlation=0.5,
                                           feature_scale=scale, random_state=11)
    if n_features == 1:
        scales = np.ones(1)
    else:
        scales = np.array([scale ** (j / (n_features - 1)) for j in range(n_features)])
        assert scales[0] == 1.0 and scales[-1] == pytest.approx(scale)
        assert np.allclose(np.diff(np.log(scales)), math.log(scale) / (n_features - 1))
    np.testing.assert_allclose(X, X0 * scales, rtol=1e-14)
    np.testing.assert_array_equal(y, y0)
    # The same logistic model in the new units, hence the same Bayes classifier.
    np.testing.assert_allclose(theta, theta0 / scales, rtol=1e-14)
    np.testing.assert_allclose(X @ theta, X0 @ theta0, rtol=1e-10, atol=1e-12)
    np.testing.assert_array_equal(np.sign(X @ theta), np.sign(X0 @ theta0))


def test_scaled_design_is_badly_conditioned():
    X, _, _ = make_logistic_regression(2000, 10, feature_scale=100.0, random_state=0)
    stds = X.std(axis=0)
    assert 50 < stds.max() / stds.min() < 200  # the scales span a factor 100
    assert np.all(np.diff(np.log(stds)) > 0)


@pytest.mark.parametrize(
    "value, error",
    [(0.5, ValueError), (0.0, ValueError), (-2.0, ValueError), (float("inf"), ValueError),
     (float("nan"), ValueError), ("10", TypeError), (None, TypeError), (True, TypeError)],
)
def test_feature_scale_is_validated(value, error):
    with pytest.raises(error, match="feature_scale"):
        make_logistic_regression(10, 3, feature_scale=value, random_state=0)


def test_feature_scale_accepts_numpy_reals():
    X, _, _ = make_logistic_regression(10, 3, feature_scale=np.float32(4.0), random_state=0)
    X0, _, _ = make_logistic_regression(10, 3, random_state=0)
    assert isinstance(np.float32(4.0), numbers.Real)
    np.testing.assert_allclose(X, X0 * [1.0, 2.0, 4.0], rtol=1e-12)
