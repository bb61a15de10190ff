"""StratifiedKFold, GridSearchCV and the validation and learning curves."""

import functools

import numpy as np
import pytest
import sklearn.datasets
import sklearn.model_selection

from ftml.base import clone
from ftml.linear_model import LogisticRegression, Ridge
from ftml.metrics import accuracy_score, mean_squared_error
from ftml.model_selection import (
    GridSearchCV,
    KFold,
    StratifiedKFold,
    learning_curve,
    validation_curve,
)
from ftml.multiclass import OneVsRestClassifier


@functools.lru_cache(maxsize=None)
def iris(binary=False):
    """Standardised iris, shuffled (its file is sorted by class); versicolor vs virginica if
    ``binary``, the two classes that are not linearly separable."""
    X, y = sklearn.datasets.load_iris(return_X_y=True)
    order = np.random.default_rng(0).permutation(len(y))
    X, y = X[order], y[order]
    if binary:
        X, y = X[y > 0], y[y > 0]
    return (X - X.mean(axis=0)) / X.std(axis=0), y


def regression_data(n_samples=40, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n_samples, 3))
    return X, X @ [1.0, -2.0, 0.5] + rng.normal(size=n_samples)


def label_sets():
    rng = np.random.default_rng(3)
    return {
        "iris": iris()[1],
        "imbalanced": rng.choice(3, size=97, p=[0.6, 0.3, 0.1]),
        "strings": np.array(["b", "a", "c", "a", "b"] * 6 + ["c", "c"]),
        "sorted": np.repeat([0, 1], [13, 8]),
    }


# --- StratifiedKFold -------------------------------------------------------------------


@pytest.mark.parametrize("name", list(label_sets()))
@pytest.mark.parametrize("n_splits", [2, 3, 5])
def test_stratified_kfold_without_shuffle_equals_sklearn(name, n_splits):
    y = label_sets()[name]
    X = np.zeros((len(y), 1))
    ours = list(StratifiedKFold(n_splits).split(X, y))
    theirs = list(sklearn.model_selection.StratifiedKFold(n_splits).split(X, y))
    assert len(ours) == len(theirs) == StratifiedKFold(n_splits).get_n_splits() == n_splits
    for (train, test), (train_sk, test_sk) in zip(ours, theirs):
        np.testing.assert_array_equal(train, train_sk)
        np.testing.assert_array_equal(test, test_sk)


@pytest.mark.parametrize("name", list(label_sets()))
@pytest.mark.parametrize("seed", [0, 7])
def test_stratified_kfold_with_shuffle_preserves_proportions_and_is_reproducible(name, seed):
    y = label_sets()[name]
    splitter = StratifiedKFold(3, shuffle=True, random_state=seed)
    folds = list(splitter.split(np.zeros(len(y)), y))
    tests = np.concatenate([test for _, test in folds])
    np.testing.assert_array_equal(np.sort(tests), np.arange(len(y)))
    classes, totals = np.unique(y, return_counts=True)
    unshuffled = list(StratifiedKFold(3).split(np.zeros(len(y)), y))
    for (train, test), (_, test_plain) in zip(folds, unshuffled):
        assert np.intersect1d(train, test).size == 0 and len(train) + len(test) == len(y)
        counts = np.array([np.sum(y[test] == c) for c in classes])
        # Each class's count in a fold is floor or ceil of its share, the same as unshuffled.
        assert np.all(np.abs(counts - totals / 3) < 1)
        np.testing.assert_array_equal(counts, [np.sum(y[test_plain] == c) for c in classes])
    again = list(StratifiedKFold(3, shuffle=True, random_state=seed).split(y, y))
    assert all(np.array_equal(a[1], b[1]) for a, b in zip(folds, again))
    assert any(not np.array_equal(a[1], b[1]) for a, b in zip(folds, unshuffled))


def test_stratified_kfold_checks_its_inputs():
    y = np.array([0, 0, 0, 1, 1, 2])
    with pytest.raises(ValueError, match="n_splits=2 is greater than the number of members "
                                         "of class 2 "):
        list(StratifiedKFold(2).split(y, y))
    with pytest.raises(ValueError, match="needs the labels y, got y=None"):
        list(StratifiedKFold(2).split(y, None))
    with pytest.raises(ValueError, match="n_splits == 1, must be >= 2"):
        list(StratifiedKFold(1).split(y, y))
    with pytest.raises(ValueError, match="random_state=0 has no effect"):
        list(StratifiedKFold(2, random_state=0).split(y, y))
    with pytest.raises(ValueError, match="X has 5, y has 6"):
        list(StratifiedKFold(2).split(range(5), y))
    with pytest.raises(ValueError, match="y must be 1-D"):
        list(StratifiedKFold(2).split(y, y.reshape(-1, 1)))
    assert repr(StratifiedKFold(3)) == (
        "StratifiedKFold(n_splits=3, shuffle=False, random_state=None)")


# --- GridSearchCV ----------------------------------------------------------------------

ALPHAS = [3.0, 0.3, 0.03, 0.003]


def manual_search(estimator, grid_name, values, X, y, folds, metric=accuracy_score):
    scores = np.array([
        [metric(y[test], clone(estimator).set_params(**{grid_name: value})
                .fit(X[train], y[train]).predict(X[test])) for train, test in folds]
        for value in values
    ])
    return scores, int(np.argmax(scores.mean(axis=1)))


def test_grid_search_equals_a_manual_loop_with_stratified_folds_by_default():
    X, y = iris(binary=True)
    search = GridSearchCV(LogisticRegression(), {"alpha": ALPHAS}, cv=4).fit(X, y)
    folds = list(StratifiedKFold(4).split(X, y))
    scores, best = manual_search(LogisticRegression(), "alpha", ALPHAS, X, y, folds)
    assert search.best_params_ == {"alpha": ALPHAS[best]}
    assert search.best_index_ == best and search.n_splits_ == 4
    assert search.best_score_ == pytest.approx(scores[best].mean(), abs=1e-15)
    results = search.cv_results_
    assert [p["alpha"] for p in results["params"]] == ALPHAS
    for k in range(4):
        np.testing.assert_array_equal(results[f"split{k}_test_score"], scores[:, k])
    np.testing.assert_allclose(results["mean_test_score"], scores.mean(axis=1), rtol=1e-15)
    np.testing.assert_allclose(results["std_test_score"], scores.std(axis=1), atol=1e-15)
    assert sorted(results["rank_test_score"])[0] == 1
    refit = LogisticRegression(ALPHAS[best]).fit(X, y)
    np.testing.assert_allclose(search.best_estimator_.coef_, refit.coef_)
    np.testing.assert_array_equal(search.predict(X), refit.predict(X))
    assert search.score(X, y) == refit.score(X, y)


@pytest.mark.parametrize("binary", [True, False])
def test_grid_search_equals_sklearn_grid_search_with_the_same_splits(binary):
    X, y = iris(binary=binary)
    if binary:
        estimator, grid = LogisticRegression(), {"alpha": ALPHAS, "fit_intercept": [True, False]}
    else:
        estimator, grid = OneVsRestClassifier(LogisticRegression()), {"estimator__alpha": ALPHAS}
    cv = KFold(5, shuffle=True, random_state=0)
    folds = list(cv.split(X))
    ours = GridSearchCV(estimator, grid, cv=cv).fit(X, y)
    theirs = sklearn.model_selection.GridSearchCV(estimator, grid, cv=folds,
                                                  scoring="accuracy").fit(X, y)
    assert ours.best_params_ == theirs.best_params_
    assert ours.best_score_ == pytest.approx(theirs.best_score_, abs=1e-12)
    assert list(ours.cv_results_["params"]) == list(theirs.cv_results_["params"])
    for key in ["mean_test_score", "std_test_score", "split0_test_score", "split4_test_score"]:
        np.testing.assert_allclose(ours.cv_results_[key], theirs.cv_results_[key], atol=1e-12)
    np.testing.assert_array_equal(ours.cv_results_["rank_test_score"],
                                  theirs.cv_results_["rank_test_score"])


def test_grid_search_negates_error_metrics_and_ties_share_the_smallest_rank():
    X, y = regression_data()
    values = [100.0, 1.0, 1.0, 0.01]
    search = GridSearchCV(Ridge(), {"alpha": values}, scoring="mean_squared_error",
                          cv=4).fit(X, y)
    folds = list(KFold(4).split(X))  # a regressor: plain KFold
    scores, _ = manual_search(Ridge(), "alpha", values, X, y, folds, mean_squared_error)
    np.testing.assert_allclose(search.cv_results_["mean_test_score"], -scores.mean(axis=1))
    best = int(np.argmin(scores.mean(axis=1)))
    assert search.best_params_ == {"alpha": values[best]}
    assert search.best_score_ == pytest.approx(-scores[best].mean())
    ranks = search.cv_results_["rank_test_score"]
    assert ranks[1] == ranks[2] and ranks.dtype == np.int32
    assert search.score(X, y) == pytest.approx(-mean_squared_error(y, search.predict(X)))
    by_score = GridSearchCV(Ridge(), {"alpha": values}, scoring=None, cv=4).fit(X, y)
    assert by_score.best_score_ > 0  # R^2 through Ridge.score


def test_grid_search_checks_its_inputs():
    X, y = iris(binary=True)
    no_refit = GridSearchCV(LogisticRegression(), {"alpha": [1.0]}, refit=False, cv=2)
    no_refit.fit(X, y)
    assert not hasattr(no_refit, "best_estimator_")
    with pytest.raises(AttributeError, match="refit=False"):
        no_refit.predict(X)
    with pytest.raises(ValueError, match="The 'scoring' parameter of GridSearchCV must be a str "
                                         "among {'accuracy', 'mean_squared_error', .*"
                                         "'specificity_score', 'adjusted_rand_score'} or None. Got 'not_a_metric'"):
        GridSearchCV(LogisticRegression(), {"alpha": [1.0]}, scoring="not_a_metric").fit(X, y)
    with pytest.raises(TypeError, match="'scoring' .* or None. Got <built-in function len>"):
        GridSearchCV(LogisticRegression(), {"alpha": [1.0]}, scoring=len).fit(X, y)
    with pytest.raises(TypeError, match="The 'refit' parameter of GridSearchCV must be a bool. "
                                        "Got 'yes' instead"):
        GridSearchCV(LogisticRegression(), {"alpha": [1.0]}, refit="yes").fit(X, y)
    with pytest.raises(ValueError, match=r"param_grid\['alpha'\] must be a non-empty list"):
        GridSearchCV(LogisticRegression(), {"alpha": []}).fit(X, y)
    with pytest.raises(TypeError, match="The 'param_grid' parameter of GridSearchCV must be an "
                                        "instance of 'dict'"):
        GridSearchCV(LogisticRegression(), "alpha").fit(X, y)
    with pytest.raises(ValueError, match="Invalid parameter 'C' for estimator"):
        GridSearchCV(LogisticRegression(), {"C": [1.0]}).fit(X, y)
    cv_message = ("The 'cv' parameter of GridSearchCV must be an int in the range \\[2, inf\\) "
                  "or an object implementing 'split' and 'get_n_splits'. Got {} instead")
    for cv, shown in [("five", "'five'"), (1, "1"), (True, "True"), (StratifiedKFold, ".*")]:
        with pytest.raises(TypeError, match=cv_message.format(shown)):
            GridSearchCV(LogisticRegression(), {"alpha": [1.0]}, cv=cv).fit(X, y)
    with pytest.raises(TypeError, match="The 'estimator' parameter of GridSearchCV must be an "
                                        "object implementing 'fit', 'predict', 'get_params' "
                                        "and 'set_params'. Got <class .*LogisticRegression'> instead"):
        GridSearchCV(LogisticRegression, {"alpha": [1.0]}).fit(X, y)  # the class
    with pytest.raises(ValueError, match="y must be 1-D"):
        GridSearchCV(LogisticRegression(), {"alpha": [1.0]}).fit(X, np.column_stack([y, y]))
    with pytest.raises(ValueError, match="y contains NaN at position 0"):  # before any split
        GridSearchCV(LogisticRegression(), {"alpha": [1.0]}).fit(X, np.r_[np.nan, y[1:]])
    with pytest.raises(ValueError, match="X has 3 features, but GridSearchCV is expecting 4"):
        GridSearchCV(LogisticRegression(), {"alpha": [1.0]}).fit(X, y).predict(X[:, :3])
    assert GridSearchCV(Ridge(), {"alpha": [1.0]}).get_params()["estimator__alpha"] == 1.0
    # More folds than samples: said before the stratified splitter blames the class counts.
    with pytest.raises(ValueError, match="^cv=5 folds need at least 5 samples, got "
                                         "n_samples=4.$"):
        GridSearchCV(LogisticRegression(), {"alpha": [1.0]}).fit(X[48:52], y[48:52])


def test_a_refitted_classifier_search_has_its_classes():
    X, y = iris(binary=True)
    search = GridSearchCV(LogisticRegression(), {"alpha": [1.0]}, cv=2)
    assert not hasattr(search, "classes_")  # before fit
    np.testing.assert_array_equal(search.fit(X, y).classes_, search.best_estimator_.classes_)
    search.set_params(refit=False).fit(X, y)  # drops the earlier fit's best_estimator_
    assert not hasattr(search, "best_estimator_") and not hasattr(search, "classes_")
    X_r, y_r = X, X[:, 0]
    assert not hasattr(GridSearchCV(Ridge(), {"alpha": [1.0]}, scoring="r2_score",
                                    cv=2).fit(X_r, y_r), "classes_")  # a regressor


# --- Validation and learning curves ----------------------------------------------------


def test_validation_curve_equals_manual_loops_and_sklearn():
    X, y = iris(binary=True)
    train_scores, test_scores = validation_curve(
        LogisticRegression(), X, y, param_name="alpha", param_range=ALPHAS, cv=4)
    assert train_scores.shape == test_scores.shape == (len(ALPHAS), 4)
    folds = list(StratifiedKFold(4).split(X, y))
    for i, alpha in enumerate(ALPHAS):
        for k, (train, test) in enumerate(folds):
            model = LogisticRegression(alpha).fit(X[train], y[train])
            assert train_scores[i, k] == model.score(X[train], y[train])
            assert test_scores[i, k] == model.score(X[test], y[test])
    theirs = sklearn.model_selection.validation_curve(
        LogisticRegression(), X, y, param_name="alpha", param_range=ALPHAS, cv=folds,
        scoring="accuracy")
    np.testing.assert_array_equal(train_scores, theirs[0])
    np.testing.assert_array_equal(test_scores, theirs[1])
    with pytest.raises(TypeError, match="param_name must be a str"):
        validation_curve(LogisticRegression(), X, y, param_name=1, param_range=ALPHAS)
    with pytest.raises(TypeError, match=r"param_range\['alpha'\]|param_grid\['alpha'\]"):
        validation_curve(LogisticRegression(), X, y, param_name="alpha", param_range=1.0)


def test_learning_curve_equals_sklearn_without_shuffle():
    X, y = regression_data(53)
    cv = KFold(5)
    sizes, train_scores, test_scores = learning_curve(
        Ridge(0.1), X, y, train_sizes=[0.1, 0.5, 1.0], cv=cv, scoring="mean_squared_error")
    theirs = sklearn.model_selection.learning_curve(
        Ridge(0.1), X, y, train_sizes=[0.1, 0.5, 1.0], cv=list(cv.split(X)),
        scoring="neg_mean_squared_error")
    np.testing.assert_array_equal(sizes, theirs[0])
    assert train_scores.shape == test_scores.shape == (3, 5)
    np.testing.assert_allclose(train_scores, theirs[1], rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(test_scores, theirs[2], rtol=1e-12)


def test_learning_curve_with_a_seed_uses_nested_permuted_prefixes():
    X, y = iris()
    sizes, train_scores, test_scores = learning_curve(
        OneVsRestClassifier(LogisticRegression(0.1)), X, y, train_sizes=[15, 30, 30, 120],
        cv=5, random_state=0)
    np.testing.assert_array_equal(sizes, [15, 30, 120])
    rng = np.random.default_rng(0)
    for k, (train, test) in enumerate(StratifiedKFold(5).split(X, y)):
        order = rng.permutation(train)
        for t, size in enumerate(sizes):
            subset = order[:size]
            model = OneVsRestClassifier(LogisticRegression(0.1)).fit(X[subset], y[subset])
            assert train_scores[t, k] == model.score(X[subset], y[subset])
            assert test_scores[t, k] == model.score(X[test], y[test])
    again = learning_curve(OneVsRestClassifier(LogisticRegression(0.1)), X, y,
                           train_sizes=[15, 30, 120], cv=5, random_state=0)
    np.testing.assert_array_equal(again[2], test_scores)


@pytest.mark.parametrize("train_sizes, error, match", [
    ([0.0, 0.5], ValueError, r"must lie in \(0, 1\]"),
    ([1.5], ValueError, r"must lie in \(0, 1\]"),
    ([0, 10], ValueError, r"must lie in \[1, 32\]"),
    ([10, 33], ValueError, r"must lie in \[1, 32\]"),
    ([], ValueError, "non-empty 1-D list"),
    (["a"], TypeError, "fractions or integers"),
])
def test_learning_curve_checks_train_sizes(train_sizes, error, match):
    X, y = regression_data()
    with pytest.raises(error, match=match):
        learning_curve(Ridge(), X, y, train_sizes=train_sizes, cv=5, scoring="r2_score")


def test_min_rank_equals_scipy_rankdata_min():
    from scipy.stats import rankdata

    from ftml.model_selection._search import _min_rank

    rng = np.random.default_rng(0)
    for _ in range(200):
        values = rng.integers(0, 5, size=rng.integers(1, 12)).astype(float)
        np.testing.assert_array_equal(_min_rank(values), rankdata(values, method="min"))
