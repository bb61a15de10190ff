"""OLS and Ridge against numpy, scikit-learn and the theory of least squares."""

import re

import numpy as np
import pytest
import sklearn.base
import sklearn.linear_model
import sklearn.model_selection

from ftml.exceptions import InvalidParameterError, NotFittedError
from ftml.linear_model import OLS, Ridge
from ftml.metrics import (
    explained_sum_of_squares,
    mean_squared_error,
    residual_sum_of_squares,
    total_sum_of_squares,
)

# Two backward-stable solvers (SVD here, LAPACK's gelsd or Cholesky in the references) on
# these well-conditioned problems agree to ~3e-15 relative to the largest coefficient (of
# order 1); 1e-10 leaves room for other BLAS builds while any formula error shows at order 1.
RTOL, ATOL = 1e-10, 1e-12

SHAPES = [(60, 5), (20, 50)]  # a tall and a wide (d > n) design


def make_data(n_samples, n_features, seed=0, offset=0.0):
    rng = np.random.default_rng(seed)
    X = rng.normal(loc=offset, size=(n_samples, n_features))
    theta = rng.normal(size=n_features)
    y = X @ theta + 2.0 + 0.3 * rng.normal(size=n_samples)
    return X, y


def duplicated_columns(seed=0):
    X, y = make_data(40, 4, seed=seed)
    return np.hstack([X, X[:, :2]]), y  # rank 4 out of 6 columns


# --- OLS --------------------------------------------------------------------------------


@pytest.mark.parametrize("n_samples, n_features", SHAPES)
def test_ols_without_intercept_equals_lstsq(n_samples, n_features):
    X, y = make_data(n_samples, n_features)
    model = OLS(fit_intercept=False).fit(X, y)
    coef, _, rank, singular_values = np.linalg.lstsq(X, y, rcond=None)
    np.testing.assert_allclose(model.coef_, coef, rtol=RTOL, atol=ATOL)
    assert model.rank_ == rank == min(n_samples, n_features)
    np.testing.assert_allclose(model.singular_values_, singular_values, rtol=1e-12)
    assert model.intercept_ == 0.0 and isinstance(model.intercept_, float)


def test_ols_is_the_minimum_norm_interpolator_when_d_exceeds_n():
    X, y = make_data(20, 50)
    model = OLS(fit_intercept=False).fit(X, y)
    np.testing.assert_allclose(X @ model.coef_, y, rtol=RTOL, atol=ATOL)  # interpolates
    # Minimum norm: the solution lies in the row space of X, i.e. equals X^T (X X^T)^-1 y.
    np.testing.assert_allclose(model.coef_, X.T @ np.linalg.solve(X @ X.T, y),
                               rtol=RTOL, atol=ATOL)


@pytest.mark.parametrize("fit_intercept", [False, True])
def test_ols_on_duplicated_columns_is_the_minimum_norm_solution(fit_intercept):
    X, y = duplicated_columns()
    model = OLS(fit_intercept=fit_intercept).fit(X, y)
    Xc, yc = (X - X.mean(axis=0), y - y.mean()) if fit_intercept else (X, y)
    coef, _, rank, _ = np.linalg.lstsq(Xc, yc, rcond=None)
    np.testing.assert_allclose(model.coef_, coef, rtol=RTOL, atol=ATOL)
    assert model.rank_ == rank == 4
    # The minimum-norm solution splits a weight equally between identical columns.
    np.testing.assert_allclose(model.coef_[:2], model.coef_[4:], rtol=RTOL, atol=ATOL)


@pytest.mark.parametrize("fit_intercept", [False, True])
@pytest.mark.parametrize("n_samples, n_features", SHAPES)
def test_ols_equals_sklearn_linear_regression(fit_intercept, n_samples, n_features):
    X, y = make_data(n_samples, n_features, offset=1.0)
    ours = OLS(fit_intercept=fit_intercept).fit(X, y)
    theirs = sklearn.linear_model.LinearRegression(fit_intercept=fit_intercept).fit(X, y)
    np.testing.assert_allclose(ours.coef_, theirs.coef_, rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(ours.intercept_, theirs.intercept_, rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(ours.predict(X[:7]), theirs.predict(X[:7]),
                               rtol=RTOL, atol=ATOL)
    assert ours.rank_ == theirs.rank_
    # scikit-learn names it singular_; both are of the centred X when fitting an intercept.
    np.testing.assert_allclose(ours.singular_values_, theirs.singular_, rtol=1e-12)


def test_variance_decomposition_holds_for_ols_with_intercept():
    X, y = make_data(80, 4, offset=3.0)
    y_pred = OLS().fit(X, y).predict(X)
    tss = total_sum_of_squares(y)
    ess, rss = explained_sum_of_squares(y, y_pred), residual_sum_of_squares(y, y_pred)
    np.testing.assert_allclose(ess + rss, tss, rtol=1e-12)


def test_variance_decomposition_fails_without_intercept_on_off_centre_data():
    # Without an intercept the residuals need not sum to zero, and the cross term
    # 2 sum (yhat - ybar)(y - yhat) survives: the identity is not a property of any fit.
    X, y = make_data(80, 4, offset=3.0)
    y = y + 5.0
    y_pred = OLS(fit_intercept=False).fit(X, y).predict(X)
    tss = total_sum_of_squares(y)
    ess, rss = explained_sum_of_squares(y, y_pred), residual_sum_of_squares(y, y_pred)
    assert abs(ess + rss - tss) > 0.01 * tss


# --- Ridge ------------------------------------------------------------------------------


@pytest.mark.parametrize("fit_intercept", [False, True])
@pytest.mark.parametrize("n_samples, n_features", SHAPES)
@pytest.mark.parametrize("alpha", [1e-3, 0.1, 10.0])
@pytest.mark.parametrize("solver", ["auto", "svd"])
def test_ridge_equals_sklearn_with_alpha_times_n(fit_intercept, n_samples, n_features,
                                                  alpha, solver):
    X, y = make_data(n_samples, n_features, offset=1.0)
    ours = Ridge(alpha, fit_intercept=fit_intercept).fit(X, y)
    theirs = sklearn.linear_model.Ridge(
        alpha=n_samples * alpha, fit_intercept=fit_intercept, solver=solver
    ).fit(X, y)
    np.testing.assert_allclose(ours.coef_, theirs.coef_, rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(ours.intercept_, theirs.intercept_, rtol=RTOL, atol=ATOL)


@pytest.mark.parametrize("fit_intercept", [False, True])
@pytest.mark.parametrize("n_samples, n_features", SHAPES)
def test_ridge_with_alpha_zero_is_ols(fit_intercept, n_samples, n_features):
    X, y = make_data(n_samples, n_features, offset=1.0)
    ridge = Ridge(alpha=0.0, fit_intercept=fit_intercept).fit(X, y)
    ols = OLS(fit_intercept=fit_intercept).fit(X, y)
    # Same code path with a zero penalty: equal to the bit, not only approximately.
    np.testing.assert_array_equal(ridge.coef_, ols.coef_)
    assert ridge.intercept_ == ols.intercept_


def test_ridge_with_alpha_zero_on_duplicated_columns_is_ols():
    X, y = duplicated_columns()
    np.testing.assert_array_equal(Ridge(alpha=0).fit(X, y).coef_, OLS().fit(X, y).coef_)


@pytest.mark.parametrize("fit_intercept", [False, True])
@pytest.mark.parametrize("n_samples, n_features", SHAPES + [(40, 6)])
def test_ridge_solution_zeroes_the_gradient_of_its_objective(fit_intercept, n_samples,
                                                             n_features):
    if n_features == 6:
        X, y = duplicated_columns()
    else:
        X, y = make_data(n_samples, n_features, offset=1.0)
    alpha = 0.05
    model = Ridge(alpha, fit_intercept=fit_intercept).fit(X, y)
    residual = X @ model.coef_ + model.intercept_ - y
    # Gradient of (1/n)||X theta + b - y||^2 + alpha ||theta||^2 in theta, and in b.
    grad_theta = 2 / n_samples * X.T @ residual + 2 * alpha * model.coef_
    scale = np.linalg.norm(2 / n_samples * X.T @ y)
    np.testing.assert_allclose(grad_theta, 0.0, atol=1e-12 * scale)
    if fit_intercept:
        assert abs(2 * residual.mean()) < 1e-12 * np.abs(y).max()


def test_ridge_shrinks_to_zero_as_alpha_grows():
    X, y = make_data(60, 5)
    norms = [np.linalg.norm(Ridge(alpha).fit(X, y).coef_) for alpha in [0.0, 0.1, 1.0, 1e3]]
    assert all(a > b for a, b in zip(norms, norms[1:]))
    assert norms[-1] < 1e-2 * norms[0]
    assert np.all(Ridge(alpha=np.inf).fit(X, y).coef_ == 0.0)


# --- Fitted attributes and input checks -------------------------------------------------


@pytest.mark.parametrize("Estimator", [OLS, Ridge])
def test_fit_returns_self_and_sets_attributes(Estimator):
    X, y = make_data(30, 3)
    model = Estimator()
    assert not hasattr(model, "coef_")
    assert model.fit(X.tolist(), y.tolist()) is model
    assert model.coef_.shape == (3,)
    assert isinstance(model.intercept_, float)
    assert model.n_features_in_ == 3
    assert model.predict(X).shape == (30,)


def test_ols_fitted_attributes():
    X, y = duplicated_columns()
    model = OLS(fit_intercept=False).fit(X, y)
    assert model.rank_ == 4 and isinstance(model.rank_, int)
    assert model.singular_values_.shape == (6,)
    assert np.all(np.diff(model.singular_values_) <= 0)


GOOD_X, GOOD_Y = make_data(10, 4)

BAD_FIT_INPUTS = [
    pytest.param(np.where(np.eye(10, 4) == 1, np.nan, GOOD_X), GOOD_Y, "X contains NaN",
                 id="nan-X"),
    pytest.param(GOOD_X, np.r_[GOOD_Y[:-1], np.inf], "y contains infinity", id="inf-y"),
    pytest.param(GOOD_X[:, 0], GOOD_Y, "X must be 2-D", id="1d-X"),
    pytest.param(GOOD_X, np.column_stack([GOOD_Y, GOOD_Y]), "y must be 1-D", id="2d-y"),
    pytest.param(GOOD_X, None, "requires y to be passed, but the target y is None",
                 id="no-y"),
    pytest.param(GOOD_X, GOOD_Y[:-1], "X has 10, y has 9", id="mismatched"),
    pytest.param(np.empty((0, 4)), np.empty(0), "X has 0 sample", id="empty"),
    pytest.param([["a", "b"], ["c", "d"]], [1.0, 2.0], "X must hold numbers", id="strings"),
    pytest.param("X", [1.0], "X must be an array of numbers", id="string"),
]


@pytest.mark.parametrize("Estimator", [OLS, Ridge])
@pytest.mark.parametrize("X, y, message", BAD_FIT_INPUTS)
def test_fit_rejects_bad_data_naming_the_argument(Estimator, X, y, message):
    with pytest.raises(ValueError, match=message):
        Estimator().fit(X, y)


@pytest.mark.parametrize("alpha, shown", [(-1.0, "-1.0"), (np.nan, "nan"), ("1", "'1'"),
                                          (None, "None"), (True, "True")])
def test_ridge_rejects_bad_alpha_in_fit(alpha, shown):
    model = Ridge(alpha=alpha)  # __init__ only stores; the check is in fit
    message = (r"The 'alpha' parameter of Ridge must be a float in the range \[0.0, inf\]. "
               f"Got {re.escape(shown)} instead.")
    # Both a ValueError and a TypeError: a bad value and a bad type alike.
    for error in (InvalidParameterError, ValueError, TypeError):
        with pytest.raises(error, match=message):
            model.fit(GOOD_X, GOOD_Y)


@pytest.mark.parametrize("Estimator", [OLS, Ridge])
@pytest.mark.parametrize("value", ["yes", 1, None])
def test_fit_intercept_must_be_a_bool(Estimator, value):
    with pytest.raises(TypeError, match=f"The 'fit_intercept' parameter of {Estimator.__name__} "
                                        "must be a bool"):
        Estimator(fit_intercept=value).fit(GOOD_X, GOOD_Y)


@pytest.mark.parametrize("Estimator", [OLS, Ridge])
def test_fit_intercept_accepts_numpy_bools(Estimator):
    model = Estimator(fit_intercept=np.False_).fit(GOOD_X, GOOD_Y)
    assert model.intercept_ == 0.0


@pytest.mark.parametrize("Estimator", [OLS, Ridge])
def test_predict_before_fit_raises_not_fitted(Estimator):
    with pytest.raises(NotFittedError, match=f"This {Estimator.__name__} instance is not fitted"):
        Estimator().predict(GOOD_X)


@pytest.mark.parametrize("Estimator", [OLS, Ridge])
def test_predict_with_the_wrong_number_of_features_names_both(Estimator):
    model = Estimator().fit(GOOD_X, GOOD_Y)
    message = r"X has 3 features, but \w+ is expecting 4 features as input \(n_features_in_ = 4"
    with pytest.raises(ValueError, match=message):
        model.predict(GOOD_X[:, :3])
    with pytest.raises(ValueError, match="X contains NaN"):
        model.predict(np.full((2, 4), np.nan))
    with pytest.raises(ValueError, match="X must be 2-D"):
        model.predict(GOOD_X[0])


# --- The estimator contract and scikit-learn's tooling ---------------------------------


def test_hyperparameters_after_the_first_are_keyword_only():
    assert Ridge(0.5).alpha == 0.5
    with pytest.raises(TypeError):
        Ridge(0.5, False)
    with pytest.raises(TypeError):
        OLS(False)


def test_get_params_set_params_and_repr():
    model = Ridge()
    assert model.get_params() == {"alpha": 1.0, "fit_intercept": True, "solver": "svd",
                                  "max_iter": 1000, "tol": 1e-8, "random_state": None}
    assert OLS().get_params() == {"fit_intercept": True}
    assert repr(model) == "Ridge()"
    assert model.set_params(alpha=0.5, fit_intercept=False) is model
    assert repr(model) == "Ridge(alpha=0.5, fit_intercept=False)"
    assert repr(OLS(fit_intercept=False)) == "OLS(fit_intercept=False)"
    with pytest.raises(ValueError, match="Invalid parameter 'lambda_' for estimator Ridge"):
        model.set_params(lambda_=1.0)
    # set_params only stores, like __init__: a bad value is caught by the next fit.
    model.set_params(alpha=-1.0)
    with pytest.raises(ValueError, match="'alpha' parameter of Ridge .* Got -1.0 instead"):
        model.fit(GOOD_X, GOOD_Y)


def test_sklearn_clone_gives_an_unfitted_copy_with_the_same_params():
    model = Ridge(alpha=0.3, fit_intercept=False).fit(GOOD_X, GOOD_Y)
    copy = sklearn.base.clone(model)
    assert copy is not model and type(copy) is Ridge
    assert copy.get_params() == model.get_params()
    assert not hasattr(copy, "coef_")
    assert sklearn.base.is_regressor(copy)


def _manual_cv_mse(make_model, X, y, n_splits):
    scores = []
    for train, test in sklearn.model_selection.KFold(n_splits).split(X):
        model = make_model().fit(X[train], y[train])
        scores.append(mean_squared_error(y[test], model.predict(X[test])))
    return np.array(scores)


def test_sklearn_cross_val_score_equals_a_manual_loop():
    X, y = make_data(50, 8, offset=1.0)
    scores = sklearn.model_selection.cross_val_score(
        Ridge(alpha=0.1), X, y, cv=5, scoring="neg_mean_squared_error"
    )
    np.testing.assert_allclose(-scores, _manual_cv_mse(lambda: Ridge(alpha=0.1), X, y, 5),
                               rtol=1e-12)
    # The default scoring is the estimator's own score, R^2 through ftml.metrics.
    r2 = sklearn.model_selection.cross_val_score(OLS(), X, y, cv=5)
    assert r2.shape == (5,) and np.all(r2 > 0.5)


def test_sklearn_grid_search_over_ridge_equals_a_manual_loop():
    X, y = make_data(50, 30, offset=1.0)
    alphas = [1e-3, 1e-2, 1e-1, 1.0]
    search = sklearn.model_selection.GridSearchCV(
        Ridge(), {"alpha": alphas}, cv=5, scoring="neg_mean_squared_error"
    ).fit(X, y)
    manual = np.array([_manual_cv_mse(lambda a=a: Ridge(alpha=a), X, y, 5).mean()
                       for a in alphas])
    np.testing.assert_allclose(-search.cv_results_["mean_test_score"], manual, rtol=1e-12)
    assert search.best_params_ == {"alpha": alphas[int(np.argmin(manual))]}
    assert isinstance(search.best_estimator_, Ridge)
    np.testing.assert_allclose(search.best_estimator_.coef_,
                               Ridge(**search.best_params_).fit(X, y).coef_, rtol=1e-12)
