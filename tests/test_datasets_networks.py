"""The neural-network chapter's laws: known regression targets and labels with a known
Bayes risk."""

import math

import numpy as np
import pytest

from ftml.datasets import make_boundary_labels, make_function_target


@pytest.mark.parametrize("function", ["sine", "linear", "teacher"])
def test_targets_are_the_conditional_mean(function):
    model = make_function_target(function, 200_000, n_features=2, noise=0.3)
    X, y = model.sample(np.random.default_rng(0))
    assert X.shape == (200_000, 2) and np.all(np.abs(X) <= 1)
    residual = y - model.target(X)
    assert abs(residual.mean()) < 0.003 and residual.std() == pytest.approx(0.3, rel=0.01)


def test_each_target_is_its_formula():
    X = np.array([[0.25, -0.5], [-1.0, 1.0]])
    sine = make_function_target("sine", 5, n_features=2, frequency=2.0)
    np.testing.assert_allclose(sine.target(X), np.sin(2 * math.pi * X[:, 0]))
    linear = make_function_target("linear", 5, n_features=2)
    assert np.linalg.norm(linear.coefficients) == pytest.approx(1.0)
    teacher = make_function_target("teacher", 5, n_features=2, n_units=3)
    hidden = np.maximum(X @ teacher.hidden_weights.T + teacher.hidden_biases, 0)
    np.testing.assert_allclose(teacher.target(X), hidden @ teacher.output_weights)
    assert np.all(np.abs(teacher.output_weights) <= 1 / math.sqrt(3))
    # the law is drawn from the structure seed and the shape alone
    again = make_function_target("teacher", 500, n_features=2, n_units=3)
    np.testing.assert_array_equal(again.hidden_weights, teacher.hidden_weights)


@pytest.mark.parametrize("boundary", ["linear", "xor"])
def test_the_bayes_classifier_errs_at_the_rate_of_label_noise(boundary):
    model = make_boundary_labels(boundary, 100_000, label_noise=0.1)
    X, y = model.sample(np.random.default_rng(1))
    assert set(np.unique(y)) == {0.0, 1.0}
    assert np.mean(model.bayes_classifier(X) != y) == pytest.approx(0.1, abs=0.003)
    assert model.bayes_risk == 0.1


def test_xor_labels_defeat_every_linear_classifier_through_the_origin():
    """Each half-plane through 0 takes half of each quadrant pair: it errs half the time."""
    model = make_boundary_labels("xor", 100_000)
    X, y = model.sample(np.random.default_rng(2))
    for angle in np.linspace(0, 2 * math.pi, 13):
        direction = np.array([math.cos(angle), math.sin(angle)])
        predicted = (X @ direction > 0).astype(float)
        assert np.mean(predicted != y) == pytest.approx(0.5, abs=0.01)


@pytest.mark.parametrize("bad, match", [
    ({"function": "cosine"}, "function must be one of"),
    ({"noise": -1.0}, "noise"),
    ({"n_units": 0}, "n_units"),
])
def test_bad_parameters_are_refused(bad, match):
    params = {"function": "sine", "n_samples": 10, **bad}
    with pytest.raises(ValueError, match=match):
        make_function_target(**params)
    with pytest.raises(ValueError, match="label_noise"):
        make_boundary_labels("xor", 10, label_noise=0.5)
