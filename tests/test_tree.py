"""ThresholdClassifier: empirical risk minimisation over a fixed finite class, checked
against a brute-force search of the class."""

import numpy as np
import pytest

from ftml.tree import ThresholdClassifier


def brute_force_error(model, X, y):
    """The smallest training error over the class, member by member."""
    labels = model.classes_
    pairs = [(a, b) for a in labels for b in labels if a != b] or [(labels[0], labels[0])]
    return min(np.mean(np.where(X[:, model.feature] < t, a, b) != y)
               for t in model.thresholds_ for a, b in pairs)


@pytest.mark.parametrize("seed", range(40))
def test_fit_minimises_the_training_error_over_the_class(seed):
    rng = np.random.default_rng(seed)
    n, n_classes = int(rng.integers(1, 60)), int(rng.integers(1, 4))
    X = rng.uniform(-0.2, 1.2, (n, 2))
    y = rng.integers(0, n_classes, n)
    model = ThresholdClassifier(n_thresholds=9, feature=1).fit(X, y)
    best = brute_force_error(model, X, y)
    assert model.training_error_ == pytest.approx(best, abs=1e-12)
    assert np.mean(model.predict(X) != y) == pytest.approx(best, abs=1e-12)
    k = np.unique(y).shape[0]
    assert model.class_size_ == (9 * k * (k - 1) if k > 1 else 1)


def test_ties_go_to_the_smallest_threshold_then_the_first_pair():
    X = np.array([[0.5], [0.5]])
    model = ThresholdClassifier(n_thresholds=5).fit(X, [0, 1])  # every member errs once
    assert model.threshold_ == 0.0 and (model.below_, model.above_) == (0, 1)


def test_string_labels_and_the_class_size_of_a_binary_problem():
    X = np.array([[0.1], [0.4], [0.8]])
    model = ThresholdClassifier(n_thresholds=3).fit(X, ["no", "no", "yes"])
    assert model.class_size_ == 6 and list(model.predict([[0.9], [0.0]])) == ["yes", "no"]


@pytest.mark.parametrize("params,message", [
    ({"low": 1.0, "high": 0.0}, "low must be below high"),
    ({"feature": 3}, "feature=3 is not a column"),
    ({"n_thresholds": 0}, "n_thresholds"),
])
def test_bad_parameters_are_refused(params, message):
    with pytest.raises(ValueError, match=message):
        ThresholdClassifier(**params).fit(np.zeros((4, 2)), [0, 1, 0, 1])
