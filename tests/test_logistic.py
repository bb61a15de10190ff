"""LogisticRegression against scikit-learn, and Ridge's iterative solvers."""

import warnings

import numpy as np
import pytest
import sklearn.base
import sklearn.model_selection
from sklearn.linear_model import LogisticRegression as SklearnLogisticRegression

from ftml.exceptions import ConvergenceWarning, NotFittedError
from ftml.linear_model import LogisticRegression, Ridge
from ftml.losses import LinearObjective
from ftml.metrics import accuracy_score

ALPHA = 0.05


def _classification(n=150, d=5, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d)) + 0.5
    y = np.where(X @ rng.standard_normal(d) + 0.3 + rng.standard_normal(n) > 0, 1, -1)
    return X, y


def _objective(X, y, fit_intercept, alpha=ALPHA):
    return LinearObjective(X, np.where(y == 1, 1.0, -1.0), "logistic", alpha,
                           fit_intercept=fit_intercept)


def _theta(model, fit_intercept):
    coef = np.ravel(model.coef_)
    return np.append(coef, model.intercept_) if fit_intercept else coef


@pytest.mark.parametrize("fit_intercept", [True, False])
def test_lbfgs_matches_sklearn(fit_intercept):
    X, y = _classification()
    n = X.shape[0]
    ours = LogisticRegression(ALPHA, fit_intercept=fit_intercept).fit(X, y)
    theirs = SklearnLogisticRegression(C=1 / (ALPHA * n), solver="lbfgs", tol=1e-12,
                                       max_iter=10_000, fit_intercept=fit_intercept).fit(X, y)
    np.testing.assert_allclose(ours.coef_, theirs.coef_.ravel(), rtol=1e-6)
    assert ours.intercept_ == pytest.approx(float(theirs.intercept_[0]), rel=1e-6, abs=1e-12)
    objective = _objective(X, y, fit_intercept)
    assert objective.value(_theta(ours, fit_intercept)) == pytest.approx(
        objective.value(_theta(theirs, fit_intercept)), rel=1e-8)
    np.testing.assert_allclose(ours.predict_proba(X), theirs.predict_proba(X), atol=1e-7)
    np.testing.assert_array_equal(ours.predict(X), theirs.predict(X))
    assert ours.n_iter_ > 0 and ours.n_features_in_ == 5
    np.testing.assert_array_equal(ours.classes_, [-1, 1])


@pytest.mark.parametrize("solver", ["gd", "nesterov"])
def test_gd_and_nesterov_reach_the_lbfgs_optimum(solver):
    X, y = _classification(seed=1)
    reference = LogisticRegression(ALPHA, tol=1e-12).fit(X, y)
    model = LogisticRegression(ALPHA, solver=solver, tol=1e-10, max_iter=20_000).fit(X, y)
    # ||theta - theta*|| <= ||grad F(theta)|| / mu with mu >= alpha on the coefficients.
    np.testing.assert_allclose(_theta(model, True), _theta(reference, True), rtol=1e-7,
                               atol=1e-8)


def test_predict_proba_is_the_sigmoid_of_the_decision_function():
    X, y = _classification(seed=2)
    model = LogisticRegression(0.01).fit(X, y)
    scores = model.decision_function(X)
    np.testing.assert_allclose(scores, X @ model.coef_ + model.intercept_, rtol=1e-14)
    proba = model.predict_proba(X)
    assert proba.shape == (X.shape[0], 2)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=0, atol=1e-15)
    np.testing.assert_allclose(proba[:, 1], 1 / (1 + np.exp(-scores)), rtol=1e-14)
    # Extreme scores stay in [0, 1] without warnings.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        extreme = model.predict_proba(1e6 * X[:3])
    assert np.all((extreme >= 0) & (extreme <= 1))
    np.testing.assert_array_equal(model.predict(X), np.where(scores > 0, 1, -1))
    assert model.score(X, y) == accuracy_score(y, model.predict(X)) > 0.7


@pytest.mark.parametrize("labels", [("ham", "spam"), (0, 5), (False, True), (-2.0, 3.0)])
def test_labels_round_trip(labels):
    X, y = _classification(seed=3)
    named = np.where(y == 1, labels[1], labels[0])
    model = LogisticRegression(ALPHA).fit(X, named)
    np.testing.assert_array_equal(model.classes_, np.array(sorted(labels)))
    predictions = model.predict(X)
    assert predictions.dtype == named.dtype
    assert set(predictions.tolist()) <= set(labels)
    # The positive class is classes_[1]: the same fit as on {-1, +1}, up to its sign.
    reference = LogisticRegression(ALPHA).fit(X, y)
    sign = 1.0 if sorted(labels)[1] == labels[1] else -1.0
    np.testing.assert_allclose(model.coef_, sign * reference.coef_, rtol=1e-8)


def test_three_classes_are_rejected():
    X, _ = _classification(n=9)
    # scikit-learn's wording, which its check_classifier_not_supporting_multiclass looks for
    with pytest.raises(ValueError, match="Only binary classification is supported: "
                                         "LogisticRegression needs exactly two classes in y, "
                                         "got 3 classes: \\[0, 1, 2\\]"):
        LogisticRegression().fit(X, [0, 1, 2] * 3)
    with pytest.raises(ValueError, match="LogisticRegression needs samples of two classes in "
                                         "y, got 1 class: \\['a'\\]"):
        LogisticRegression().fit(X, ["a"] * 9)


def test_bad_hyperparameters_are_named():
    X, y = _classification(n=20)
    cases = [
        ({"alpha": -1.0}, ValueError, r"'alpha' .* must be a float in the range \[0.0, inf\)\. "
                                      "Got -1.0 instead"),
        ({"alpha": np.inf}, ValueError, r"'alpha' .* Got inf instead"),
        ({"alpha": "big"}, TypeError, "'alpha' .* must be a float in the range"),
        ({"solver": "newton"}, ValueError, "'solver' parameter of LogisticRegression must be a "
                                           "str among {'gd', 'nesterov', 'lbfgs', 'sgd', "
                                           "'sag', 'saga', 'svrg'}. Got 'newton' instead."),
        ({"max_iter": 0}, ValueError, r"'max_iter' .* must be an int in the range \[1, inf\)"
                                      r"\. Got 0 instead"),
        ({"max_iter": 2.5}, TypeError, "'max_iter' .* must be an int in the range"),
        ({"tol": -1e-3}, ValueError, r"'tol' .* \[0.0, inf\]\. Got -0.001 instead"),
        ({"step": 0.0}, ValueError, r"'step' .* must be a float in the range \(0.0, inf\) or "
                                    "None. Got 0.0 instead"),
        ({"fit_intercept": "yes"}, TypeError, "'fit_intercept' .* must be a bool"),
        ({"random_state": -1}, ValueError, "'random_state' .* must be None, a non-negative "
                                           "int, a numpy SeedSequence or a numpy Generator"),
    ]
    for params, error, message in cases:
        model = LogisticRegression().set_params(**params)  # stored, checked in fit
        with pytest.raises(error, match=message):
            model.fit(X, y)
    with pytest.raises(ValueError, match="Inconsistent numbers of samples"):
        LogisticRegression().fit(X, y[:-1])
    with pytest.raises(NotFittedError):
        LogisticRegression().predict(X)
    model = LogisticRegression().fit(X, y)
    with pytest.raises(ValueError, match="X has 2 features, but LogisticRegression is "
                                         "expecting 5 features"):
        model.predict(X[:, :2])


def test_max_iter_warns():
    X, y = _classification()
    with pytest.warns(ConvergenceWarning, match="max_iter=3"):
        model = LogisticRegression(ALPHA, solver="gd", max_iter=3).fit(X, y)
    assert model.n_iter_ == 3


def test_sklearn_clone_and_cross_val_score():
    X, y = _classification()
    model = LogisticRegression(0.1, solver="nesterov", tol=1e-6)
    copy = sklearn.base.clone(model)
    assert copy.get_params() == model.get_params() and not hasattr(copy, "coef_")
    assert sklearn.base.is_classifier(copy)
    assert repr(copy) == "LogisticRegression(alpha=0.1, solver='nesterov', tol=1e-06)"
    scores = sklearn.model_selection.cross_val_score(model, X, y, cv=5)
    assert scores.shape == (5,) and np.all(scores > 0.6)
    grid = sklearn.model_selection.GridSearchCV(LogisticRegression(), {"alpha": [0.01, 1.0]},
                                                cv=3).fit(X, y)
    assert grid.best_params_["alpha"] in (0.01, 1.0)


# --- Ridge's iterative solvers ----------------------------------------------------------


@pytest.mark.parametrize("solver", ["gd", "nesterov", "lbfgs"])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_ridge_iterative_solvers_match_the_closed_form(solver, fit_intercept):
    rng = np.random.default_rng(4)
    X = rng.standard_normal((60, 6)) + 1.0
    y = X @ rng.standard_normal(6) + 2.0 + rng.standard_normal(60)
    closed = Ridge(0.2, fit_intercept=fit_intercept).fit(X, y)
    model = Ridge(0.2, fit_intercept=fit_intercept, solver=solver, tol=1e-11,
                  max_iter=20_000).fit(X, y)
    np.testing.assert_allclose(model.coef_, closed.coef_, rtol=1e-8, atol=1e-9)
    assert model.intercept_ == pytest.approx(closed.intercept_, rel=1e-8, abs=1e-9)
    assert model.n_iter_ > 0 and closed.n_iter_ is None
    np.testing.assert_allclose(model.predict(X), closed.predict(X), rtol=1e-8)


def test_ridge_rejects_an_unknown_solver():
    with pytest.raises(ValueError, match="'solver' parameter of Ridge must be a str among "
                                         "{'svd', 'gd'.*}. Got 'cholesky' instead"):
        Ridge(solver="cholesky").fit([[1.0], [2.0]], [1.0, 2.0])


# --- Stochastic solvers (the other helper's ftml.optim.sag, sgd, svrg) --------------------


@pytest.mark.parametrize("solver", ["sag", "saga", "svrg"])
def test_variance_reduced_solvers_reach_the_lbfgs_optimum(solver):
    X, y = _classification(seed=5)
    reference = LogisticRegression(ALPHA).fit(X, y)
    model = LogisticRegression(ALPHA, solver=solver, max_iter=500, tol=1e-9,
                               random_state=0).fit(X, y)
    np.testing.assert_allclose(_theta(model, True), _theta(reference, True), rtol=1e-4,
                               atol=1e-5)
    ridge = Ridge(0.2, solver=solver, max_iter=500, tol=1e-9, random_state=0).fit(X, y)
    closed = Ridge(0.2).fit(X, y)
    np.testing.assert_allclose(ridge.coef_, closed.coef_, rtol=1e-4, atol=1e-5)


def test_sgd_gets_close_and_is_reproducible():
    X, y = _classification(seed=6)
    reference = LogisticRegression(ALPHA).fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        first, second = (
            LogisticRegression(ALPHA, solver="sgd", max_iter=20, random_state=1, step=0.02)
            .fit(X, y) for _ in range(2)
        )
        default_step = LogisticRegression(ALPHA, solver="sgd", max_iter=20,
                                          random_state=1).fit(X, y)
    np.testing.assert_array_equal(first.coef_, second.coef_)
    assert first.n_iter_ == 20 and not np.array_equal(first.coef_, default_step.coef_)
    objective = _objective(X, y, True)
    f_star = objective.value(_theta(reference, True))
    gap = objective.value(_theta(first, True)) - f_star
    # A constant step reaches a noise floor, proportional to the step, below the start.
    assert 0 <= gap < 0.05 * (objective.value(np.zeros(6)) - f_star)
