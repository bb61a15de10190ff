"""The neural-network chapter's metrics: backpropagation checks that fail on a wrong
gradient, a ReLU kink that central differences cannot see through, and the rank argument
of random features."""

import numpy as np
import pytest

from ftml.datasets import make_function_target
from ftml.experiments import network_metrics as metrics
from ftml.neural_network import NetworkParameters, OneHiddenLayerRegressor


def _fitted(activation="tanh", n_hidden=8, n_features=3, n_samples=40, **params):
    model = make_function_target("teacher", n_samples, n_features=n_features, noise=0.1)
    X, y = model.sample(np.random.default_rng(0))
    network = OneHiddenLayerRegressor(n_hidden, activation=activation, max_iter=2,
                                      learning_rate=0.05, random_state=1, **params)
    return network.fit(X, y), X, y


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid"])
def test_backpropagation_passes_both_checks(activation):
    network, X, y = _fitted(activation, alpha=0.3)
    assert metrics.finite_difference_gradient_error(network, X, y, None) < 1e-8
    assert metrics.closed_form_gradient_gap(network, X, y, None) < 1e-13


def test_a_wrong_gradient_fails_both_checks(monkeypatch):
    """Negative control: backpropagation that forgets the penalty's gradient in W."""
    network, X, y = _fitted(alpha=5.0)
    right = network.gradients

    def wrong(X, y):
        gradient = right(X, y)
        parameters = NetworkParameters.from_coefs(network.coefs_, network.intercepts_)
        return gradient._replace(W=gradient.W - 5.0 * parameters.W / X.shape[0])

    monkeypatch.setattr(network, "gradients", wrong)
    assert metrics.finite_difference_gradient_error(network, X, y, None) > 1e-3
    assert metrics.closed_form_gradient_gap(network, X, y, None) > 1e-3


def test_a_relu_kink_is_left_out_of_the_differences():
    network, X, y = _fitted("relu")
    # Put the first sample exactly on unit 0's kink: its pre-activation is 0.
    W_t, b = network.coefs_[0], network.intercepts_[0]
    b[0] = -X[0] @ W_t[:, 0]
    assert metrics.finite_difference_gradient_error(network, X, y, None) < 1e-8


def test_random_features_interpolate_at_full_rank_only():
    network, X, y = _fitted("tanh", n_hidden=60, n_features=5, n_samples=50)
    assert metrics.random_features_rank(network, X, y, None) == 50
    assert metrics.random_features_training_error(network, X, y, None) < 1e-20
    assert metrics.interpolation_error_at_full_rank(network, X, y, None) < 1e-20
    narrow, X, y = _fitted("tanh", n_hidden=10, n_features=5, n_samples=50)
    assert metrics.random_features_rank(narrow, X, y, None) == 11  # ten units and 1
    assert metrics.random_features_training_error(narrow, X, y, None) > 1e-3
    assert metrics.interpolation_error_at_full_rank(narrow, X, y, None) == 0.0


def test_the_best_training_loss_is_the_curve_s_minimum():
    network, X, y = _fitted()
    assert metrics.best_training_loss(network, X, y, None) == min(network.loss_curve_)
