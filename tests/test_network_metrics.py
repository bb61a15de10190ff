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


def _frozen_gd(step=0.1, alpha=1.0, **params):
    model = make_function_target("sine", 100, frequency=1.0, noise=0.1)
    X, y = model.sample(np.random.default_rng(3))
    params = {"solver": "gd", **params}
    network = OneHiddenLayerRegressor(8, activation="tanh", freeze_hidden=True,
                                      learning_rate=step, alpha=alpha, random_state=4,
                                      **params)
    return network.fit(X, y), X, y


def test_the_frozen_optimum_is_where_gradient_descent_goes():
    network, X, y = _frozen_gd(max_iter=20000)
    gaps = metrics.frozen_suboptimality(network, X, y)
    assert gaps.min() >= -1e-12 and gaps[-1] < 1e-10 and gaps[0] > 1e-2
    ratios = metrics.frozen_gd_rate_ratio(network, X, y)
    assert ratios[0] == pytest.approx(1.0) and np.all(ratios[gaps > 1e-12] <= 1.0)


def test_the_convex_bounds_are_refused_where_they_do_not_apply():
    network, X, y = _frozen_gd(step=1.0, max_iter=5)  # 1/L is about 0.4 here
    with pytest.raises(ValueError, match="exceeds 1/L"):
        metrics.frozen_gd_rate_ratio(network, X, y)
    trained, X, y = _fitted()
    with pytest.raises(ValueError, match=r"apply to freeze_hidden=True \(got "
                                         "freeze_hidden=False"):
        metrics.frozen_suboptimality(trained, X, y)
    sgd, X, y = _frozen_gd(max_iter=5, solver="sgd")
    with pytest.raises(ValueError, match="needs record_objective=True"):
        metrics.frozen_suboptimality(sgd, X, y)
    sgd, X, y = _frozen_gd(max_iter=5, solver="sgd", record_objective=True)
    with pytest.raises(ValueError, match="gradient descent with a constant step"):
        metrics.frozen_gd_rate_ratio(sgd, X, y)


def test_the_objective_along_sgd_is_the_recorded_full_objective():
    """After each epoch of SGD, the suboptimality is F at the parameters then minus F*:
    ``objective_curve_`` minus the least-squares optimum: positive (F* is the minimum) and
    down by more than a factor 10 after 300 epochs of a decreasing step."""
    network, X, y = _frozen_gd(step=0.05, max_iter=300, solver="sgd", batch_size=10,
                               schedule="inverse_sqrt", record_objective=True)
    curve = metrics.nn_objective_curve(network, X, y)
    np.testing.assert_array_equal(curve, network.objective_curve_)
    gaps = metrics.frozen_suboptimality(network, X, y)
    assert gaps.shape == (301,) and gaps.min() > 0 and gaps[-1] < 0.1 * gaps[0]
    np.testing.assert_allclose(curve - gaps, curve[-1] - gaps[-1], rtol=0, atol=1e-15)


def test_the_adapter_trains_scikit_learn_s_network_and_predicts_as_it():
    import warnings

    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    from ftml.experiments.catalog.neural_networks import _SklearnMLPClassifier

    rng = np.random.default_rng(5)
    X = rng.standard_normal((120, 4))
    y = np.where(X[:, 0] * X[:, 1] > 0, "a", np.where(X[:, 2] > 0, "b", "c"))
    ours = _SklearnMLPClassifier(16, activation="tanh", learning_rate=0.05, max_iter=20,
                                 random_state=3).fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        theirs = MLPClassifier((16,), activation="tanh", solver="sgd", learning_rate_init=0.05,
                               batch_size=32, max_iter=20, alpha=0.0, momentum=0.0,
                               nesterovs_momentum=False, tol=0.0, n_iter_no_change=21,
                               random_state=3).fit(X, y)
    assert ours.loss_curve_ == theirs.loss_curve_
    np.testing.assert_array_equal(ours.predict(X), theirs.predict(X))
    np.testing.assert_allclose(ours.predict_proba(X), theirs.predict_proba(X), rtol=1e-10)
    # With a penalty, scikit-learn's alpha is rescaled to its minibatches (ftml's F
    # divides the penalty by n, scikit-learn by the batch size).
    penalised = _SklearnMLPClassifier(16, activation="tanh", learning_rate=0.05, max_iter=5,
                                      alpha=0.3, random_state=3).fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        reference = MLPClassifier((16,), activation="tanh", solver="sgd",
                                  learning_rate_init=0.05, batch_size=32, max_iter=5,
                                  alpha=0.3 * 32 / 120, momentum=0.0,
                                  nesterovs_momentum=False, tol=0.0, n_iter_no_change=6,
                                  random_state=3).fit(X, y)
    assert penalised.loss_curve_ == reference.loss_curve_
    with pytest.raises(ValueError, match="freeze_hidden"):
        _SklearnMLPClassifier(4, freeze_hidden=True).fit(X, y)
