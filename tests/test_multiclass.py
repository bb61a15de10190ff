"""One-vs-rest, one-vs-one and softmax regression against scikit-learn and their contracts."""

import functools
import warnings

import numpy as np
import pytest
import sklearn.datasets
import sklearn.linear_model
import sklearn.model_selection
import sklearn.multiclass

from ftml.base import BaseEstimator, clone
from ftml.linear_model import LogisticRegression, Ridge
from ftml.multiclass import (
    OneVsOneClassifier,
    OneVsRestClassifier,
    SoftmaxObjective,
    SoftmaxRegression,
)
from ftml.optim.gd import gradient_descent

ALPHA = 1e-2
LOADERS = {
    "iris": sklearn.datasets.load_iris,
    "wine": sklearn.datasets.load_wine,
    "digits": sklearn.datasets.load_digits,
}


@functools.lru_cache(maxsize=None)
def split_data(name):
    """Stratified 70/30 split, features standardised with the training statistics."""
    X, y = LOADERS[name](return_X_y=True)
    X_train, X_test, y_train, y_test = sklearn.model_selection.train_test_split(
        X, y, test_size=0.3, stratify=y, random_state=0)
    mean, scale = X_train.mean(axis=0), X_train.std(axis=0)
    scale[scale == 0.0] = 1.0  # constant pixels of digits
    return (X_train - mean) / scale, (X_test - mean) / scale, y_train, y_test


def sklearn_logistic(n_samples, tol=1e-4):
    return sklearn.linear_model.LogisticRegression(C=1.0 / (ALPHA * n_samples), tol=tol,
                                                   max_iter=10000)


def blobs(n_classes=3, n_per_class=20, seed=0):
    rng = np.random.default_rng(seed)
    centres = 3.0 * rng.normal(size=(n_classes, 2))
    X = np.vstack([centre + rng.normal(size=(n_per_class, 2)) for centre in centres])
    return X, np.repeat(np.arange(n_classes), n_per_class)


# --- Accuracy against scikit-learn on iris, wine and digits ------------------------------


@pytest.mark.parametrize("name", list(LOADERS))
def test_one_vs_rest_accuracy_matches_sklearn(name):
    X_train, X_test, y_train, y_test = split_data(name)
    ours = OneVsRestClassifier(LogisticRegression(ALPHA)).fit(X_train, y_train)
    theirs = sklearn.multiclass.OneVsRestClassifier(
        sklearn_logistic(len(y_train))).fit(X_train, y_train)
    n_classes = len(np.unique(y_train))
    assert ours.n_estimators_ == len(ours.estimators_) == n_classes
    assert abs(ours.score(X_test, y_test) - theirs.score(X_test, y_test)) <= 0.01


@pytest.mark.parametrize("name", list(LOADERS))
def test_one_vs_one_accuracy_matches_sklearn(name):
    X_train, X_test, y_train, y_test = split_data(name)
    ours = OneVsOneClassifier(LogisticRegression(ALPHA)).fit(X_train, y_train)
    # scikit-learn's C is per binary problem; C = 1 / (alpha n) with n the full training
    # set regularises each pair more than ftml's alpha, which is why only the accuracy is
    # compared here (the exact decision rule is checked below).
    theirs = sklearn.multiclass.OneVsOneClassifier(
        sklearn_logistic(len(y_train))).fit(X_train, y_train)
    p = len(np.unique(y_train))
    assert ours.n_estimators_ == len(ours.estimators_) == len(ours.pairs_) == p * (p - 1) // 2
    assert abs(ours.score(X_test, y_test) - theirs.score(X_test, y_test)) <= 0.01


@pytest.mark.parametrize("name", list(LOADERS))
def test_softmax_accuracy_and_objective_match_sklearn_multinomial(name):
    X_train, X_test, y_train, y_test = split_data(name)
    ours = SoftmaxRegression(ALPHA).fit(X_train, y_train)
    theirs = sklearn_logistic(len(y_train), tol=1e-10).fit(X_train, y_train)
    assert abs(ours.score(X_test, y_test) - theirs.score(X_test, y_test)) <= 0.01
    objective = SoftmaxObjective(X_train, np.searchsorted(ours.classes_, y_train),
                                 len(ours.classes_), ALPHA)
    ours_value = objective.value(np.c_[ours.coef_, ours.intercept_].ravel())
    theirs_value = objective.value(np.c_[theirs.coef_, theirs.intercept_].ravel())
    assert abs(ours_value - theirs_value) <= 1e-8 * abs(theirs_value)


@pytest.mark.parametrize("name", ["iris", "wine"])
def test_reductions_equal_sklearn_meta_estimators_around_ftml_logistic(name):
    # The same binary models inside scikit-learn's wrappers: identical decisions.
    X_train, X_test, y_train, _ = split_data(name)
    binary = LogisticRegression(ALPHA)
    for ours, theirs in [
        (OneVsRestClassifier(binary), sklearn.multiclass.OneVsRestClassifier(binary)),
        (OneVsOneClassifier(binary), sklearn.multiclass.OneVsOneClassifier(binary)),
    ]:
        ours.fit(X_train, y_train)
        theirs.fit(X_train, y_train)
        np.testing.assert_allclose(ours.decision_function(X_test),
                                   theirs.decision_function(X_test), rtol=1e-12, atol=1e-12)
        np.testing.assert_array_equal(ours.predict(X_test), theirs.predict(X_test))


# --- Decision rules ----------------------------------------------------------------------


class Fixed:
    """A fake fitted binary model with given scores, for the decision rules."""

    def __init__(self, scores):
        self.scores = np.asarray(scores, dtype=float)

    def decision_function(self, X):
        return self.scores

    def predict(self, X):
        return (self.scores > 0).astype(int)


def test_one_vs_rest_ties_go_to_the_smallest_class_index():
    model = OneVsRestClassifier(LogisticRegression())
    model.classes_, model.n_features_in_ = np.array(["a", "b", "c"]), 1
    model.estimators_ = [Fixed([0.0, 1.0]), Fixed([2.0, 1.0]), Fixed([2.0, -1.0])]
    assert model.predict(np.zeros((2, 1))).tolist() == ["b", "a"]


def test_one_vs_one_votes_then_confidences_then_smallest_index():
    model = OneVsOneClassifier(LogisticRegression())
    model.classes_, model.n_features_in_ = np.array([10, 20, 30]), 1
    model.pairs_ = [(0, 1), (0, 2), (1, 2)]
    # Sample 0: class 2 beats 0 and 1 -> votes (0, 1, 2): class 30 by majority.
    # Sample 1: a cycle 0>1 (score -1), 2>0 (0.5), 1>2 (-3), one vote each; the summed
    #   confidences are (1 - 0.5, -1 + 3, 0.5 - 3) = (0.5, 2, -2.5): class 20.
    # Sample 2: a cycle 0>1 (-1), 2>0 (1), 1>2 (-1) with summed confidences (0, 0, 0): the
    #   smallest index, class 10.
    model.estimators_ = [Fixed([1.0, -1.0, -1.0]), Fixed([1.0, 0.5, 1.0]),
                         Fixed([1.0, -3.0, -1.0])]
    np.testing.assert_array_equal(model.predict(np.zeros((3, 1))), [30, 20, 10])
    scores = model.decision_function(np.zeros((3, 1)))
    np.testing.assert_array_equal(np.round(scores[0]), [0, 1, 2])  # votes
    assert scores[2, 0] == scores[2, 1] == scores[2, 2]


@pytest.mark.parametrize("Model", [OneVsRestClassifier, OneVsOneClassifier])
def test_two_classes_train_one_model_and_predict_like_the_binary_model(Model):
    X, y = blobs(n_classes=2)
    labels = np.array(["no", "yes"])[y]
    model = Model(LogisticRegression(0.1)).fit(X, labels)
    binary = LogisticRegression(0.1).fit(X, labels)
    assert model.n_estimators_ == 1
    np.testing.assert_array_equal(model.predict(X), binary.predict(X))
    assert model.decision_function(X).shape == (len(y),)


@pytest.mark.parametrize("Model", [OneVsRestClassifier, OneVsOneClassifier, SoftmaxRegression])
def test_a_single_class_is_rejected(Model):
    model = Model() if Model is SoftmaxRegression else Model(LogisticRegression())
    with pytest.raises(ValueError, match=r"at least 2 classes in y, got 1 class: \['a'\]"):
        model.fit(np.zeros((3, 2)), ["a", "a", "a"])


@pytest.mark.parametrize("Model", [OneVsRestClassifier, OneVsOneClassifier])
def test_reductions_clone_the_estimator_and_check_inputs(Model):
    X, y = blobs(n_classes=4)
    binary = LogisticRegression(0.1)
    model = Model(binary).fit(X, y)
    assert not hasattr(binary, "coef_")
    assert all(m is not binary and m.get_params() == binary.get_params()
               for m in model.estimators_)
    assert model.score(X, y) >= 0.75  # four overlapping blobs
    assert clone(model).get_params()["estimator__alpha"] == 0.1
    with pytest.raises(TypeError, match=f"The 'estimator' parameter of {Model.__name__} must "
                                        "be an object implementing 'fit', 'get_params'.* Got "
                                        "'logistic' instead"):
        Model("logistic").fit(X, y)
    with pytest.raises(TypeError, match="implementing .*'decision_function' or an object "
                                        "implementing .*'predict_proba'. Got Ridge"):
        Model(Ridge()).fit(X, y)  # a regressor: no score to compare the classes by
    with pytest.raises(ValueError, match=f"X has 3 features, but {Model.__name__} is expecting"):
        model.predict(np.zeros((2, 3)))
    with pytest.raises(ValueError, match="y must be 1-D"):
        Model(binary).fit(X, np.column_stack([y, y]))
    with pytest.raises(ValueError, match="y contains NaN at position 0"):
        Model(binary).fit(X, np.r_[np.nan, y[1:]])
    with pytest.raises(ValueError, match="Unknown label type: continuous"):
        Model(binary).fit(X, y + 0.5)


# --- Softmax objective and solvers -------------------------------------------------------


@pytest.mark.parametrize("fit_intercept", [True, False])
def test_softmax_gradient_matches_finite_differences(fit_intercept):
    rng = np.random.default_rng(1)
    X = rng.normal(size=(15, 3))
    y = rng.integers(0, 4, size=15)
    objective = SoftmaxObjective(X, y, 4, alpha=0.3, fit_intercept=fit_intercept)
    theta = rng.normal(size=objective.n_params)
    h = 1e-6
    numeric = np.array([
        (objective.value(theta + h * e) - objective.value(theta - h * e)) / (2 * h)
        for e in np.eye(objective.n_params)
    ])
    value, gradient = objective.value_and_gradient(theta)
    assert value == objective.value(theta)
    np.testing.assert_allclose(gradient, objective.gradient(theta), rtol=0, atol=0)
    np.testing.assert_allclose(gradient, numeric, rtol=1e-6, atol=1e-8)


def test_softmax_smoothness_bounds_the_hessian():
    # L = 0.5 lambda_max(X~^T X~ / n) + alpha bounds the Hessian everywhere; check it at
    # random points with a finite-difference Hessian.
    rng = np.random.default_rng(2)
    X = rng.normal(size=(30, 3)) * [1.0, 2.0, 0.5]
    y = rng.integers(0, 3, size=30)
    objective = SoftmaxObjective(X, y, 3, alpha=0.2)
    X_tilde = np.c_[X, np.ones(30)]
    expected = 0.5 * np.linalg.eigvalsh(X_tilde.T @ X_tilde / 30)[-1] + 0.2
    assert objective.smoothness() == pytest.approx(expected, rel=1e-12)
    h = 1e-6
    largest = 0.0
    for scale in (0.0, 0.3, 1.0, 3.0):
        theta = scale * rng.normal(size=objective.n_params)
        hessian = np.array([
            (objective.gradient(theta + h * e) - objective.gradient(theta - h * e)) / (2 * h)
            for e in np.eye(objective.n_params)
        ])
        largest = max(largest, np.linalg.eigvalsh((hessian + hessian.T) / 2)[-1])
    assert largest <= objective.smoothness() * (1 + 1e-6)
    assert largest >= 0.2 * objective.smoothness()  # and the bound is not vacuous


def test_gradient_descent_with_step_one_over_L_decreases_and_reaches_lbfgs():
    X_train, _, y_train, _ = split_data("iris")
    objective = SoftmaxObjective(X_train, y_train, 3, alpha=0.1)
    result = gradient_descent(objective, step=1.0 / objective.smoothness(), max_iter=3000,
                              tol=1e-6)
    assert np.all(np.diff(result.history["objective"]) <= 1e-15)
    gd = SoftmaxRegression(0.1, solver="gd", max_iter=3000, tol=1e-6).fit(X_train, y_train)
    lbfgs = SoftmaxRegression(0.1).fit(X_train, y_train)
    np.testing.assert_allclose(gd.coef_, lbfgs.coef_, atol=1e-4)
    np.testing.assert_array_equal(gd.predict(X_train), lbfgs.predict(X_train))
    assert 0 < lbfgs.n_iter_ < gd.n_iter_ <= 3000


def test_softmax_attributes_probabilities_and_stability():
    X, y = blobs(n_classes=3)
    labels = np.array(["x", "y", "z"])[y]
    model = SoftmaxRegression(0.1).fit(X, labels)
    assert model.coef_.shape == (3, 2) and model.intercept_.shape == (3,)
    np.testing.assert_array_equal(model.classes_, ["x", "y", "z"])
    proba = model.predict_proba(X)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=0, atol=1e-12)
    np.testing.assert_array_equal(model.predict(X), model.classes_[proba.argmax(axis=1)])
    assert model.score(X, labels) > 0.8
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        huge = model.predict_proba(1e8 * X[:5])
    assert np.all(np.isfinite(huge))
    np.testing.assert_allclose(huge.sum(axis=1), 1.0)
    unbiased = SoftmaxRegression(0.1, fit_intercept=False).fit(X, labels)
    np.testing.assert_array_equal(unbiased.intercept_, np.zeros(3))
    two = SoftmaxRegression(0.1).fit(*blobs(n_classes=2))
    assert two.coef_.shape == (2, 2)


def test_softmax_s_binary_decision_function_is_the_log_odds_of_the_positive_class():
    """As scikit-learn's binary classifiers: one score, positive where classes_[1] is
    predicted; with more classes, one score per class."""
    X, y = blobs(n_classes=2)
    labels = np.array(["no", "yes"])[y]
    model = SoftmaxRegression(0.1).fit(X, labels)
    scores = model.decision_function(X)
    assert scores.shape == (len(y),)
    proba = model.predict_proba(X)
    np.testing.assert_allclose(scores, np.log(proba[:, 1] / proba[:, 0]), rtol=1e-10)
    np.testing.assert_array_equal(model.predict(X), model.classes_[(scores > 0).astype(int)])
    W, b = model.coef_, model.intercept_
    np.testing.assert_array_equal(scores, (X @ W.T + b)[:, 1] - (X @ W.T + b)[:, 0])
    three = SoftmaxRegression(0.1).fit(*blobs(n_classes=3))
    assert three.decision_function(X).shape == (len(y), 3)


@pytest.mark.parametrize("params, error, match", [
    ({"alpha": -1.0}, ValueError, r"The 'alpha' parameter of SoftmaxRegression must be a float "
                                  r"in the range \[0.0, inf\)\. Got -1.0 instead"),
    ({"alpha": np.inf}, ValueError, "'alpha' .* Got inf instead"),
    ({"solver": "sag"}, ValueError, "The 'solver' parameter of SoftmaxRegression must be a str "
                                    "among {'lbfgs', 'gd'}. Got 'sag' instead"),
    ({"max_iter": 0}, ValueError, r"'max_iter' .* must be an int in the range \[1, inf\)\. "
                                  "Got 0 instead"),
    ({"tol": "small"}, TypeError, r"'tol' .* must be a float in the range \[0.0, inf\]\. "
                                  "Got 'small' instead"),
    ({"fit_intercept": 1}, TypeError, "'fit_intercept' parameter of SoftmaxRegression must be "
                                      "a bool. Got 1 instead"),
])
def test_softmax_checks_its_hyperparameters_in_fit(params, error, match):
    model = SoftmaxRegression(**params)  # __init__ only stores
    with pytest.raises(error, match=match):
        model.fit(*blobs())


def test_softmax_objective_checks_its_inputs():
    with pytest.raises(ValueError, match=r"y must be 1-D class indices in \[0, 1\]"):
        SoftmaxObjective(np.zeros((2, 1)), [0, 2], 2)
    with pytest.raises(ValueError, match=r"theta must have shape \(4,\)"):
        SoftmaxObjective(np.zeros((2, 1)), [0, 1], 2).value(np.zeros(3))
    with pytest.raises(ValueError, match="X's squared norm overflows float64"):
        SoftmaxObjective(np.full((2, 1), 1e300), [0, 1], 2)  # smoothness() would be inf


class ProbaOnly(BaseEstimator):
    """A binary classifier exposing predict_proba but no decision_function."""

    _estimator_type = "classifier"

    def __init__(self, alpha=1.0):
        self.alpha = alpha

    def fit(self, X, y):
        self.model_ = LogisticRegression(self.alpha).fit(X, y)
        self.classes_ = self.model_.classes_
        return self

    def predict_proba(self, X):
        return self.model_.predict_proba(X)

    def predict(self, X):
        return self.model_.predict(X)


def test_reductions_fall_back_on_predict_proba():
    X_train, X_test, y_train, _ = split_data("iris")
    assert not hasattr(ProbaOnly(), "decision_function")
    by_proba = OneVsRestClassifier(ProbaOnly(ALPHA)).fit(X_train, y_train)
    by_score = OneVsRestClassifier(LogisticRegression(ALPHA)).fit(X_train, y_train)
    # The sigmoid is increasing: the same argmax.
    np.testing.assert_array_equal(by_proba.predict(X_test), by_score.predict(X_test))
    assert np.all((by_proba.decision_function(X_test) > 0)
                  & (by_proba.decision_function(X_test) < 1))
    ovo = OneVsOneClassifier(ProbaOnly(ALPHA)).fit(X_train, y_train)
    theirs = sklearn.multiclass.OneVsOneClassifier(ProbaOnly(ALPHA)).fit(X_train, y_train)
    np.testing.assert_allclose(ovo.decision_function(X_test),
                               theirs.decision_function(X_test), rtol=1e-12)
