"""ShuffleSplit, StratifiedShuffleSplit and FixedThresholdClassifier."""

import functools

import numpy as np
import pytest
import sklearn.linear_model
import sklearn.model_selection

from ftml.base import clone
from ftml.datasets import load_bundled
from ftml.exceptions import NotFittedError
from ftml.linear_model import LogisticRegression, Ridge
from ftml.metrics import accuracy_score, precision_score, recall_score
from ftml.model_selection import (
    FixedThresholdClassifier,
    GridSearchCV,
    KFold,
    ShuffleSplit,
    StratifiedKFold,
    StratifiedShuffleSplit,
    cross_validate,
)


def label_sets():
    rng = np.random.default_rng(3)
    return {
        "balanced": np.repeat([0, 1], [50, 50]),
        "imbalanced": rng.choice(3, size=97, p=[0.6, 0.3, 0.1]),
        "strings": np.array(["b", "a", "c", "a", "b"] * 6 + ["c", "c"]),
        "breast_cancer": load_bundled("breast_cancer")[1],
    }


def check_partition(train, test, n_samples, n_test):
    for part in (train, test):
        assert part.dtype == np.intp and part.ndim == 1
        assert np.all(np.diff(part) > 0)  # increasing, hence no duplicates
    assert len(test) == n_test and len(train) == n_samples - n_test
    assert np.intersect1d(train, test).size == 0
    np.testing.assert_array_equal(np.union1d(train, test), np.arange(n_samples))


# --- ShuffleSplit ---------------------------------------------------------------------------


@pytest.mark.parametrize("n_samples", [2, 10, 11, 29, 30, 97, 569])
@pytest.mark.parametrize("test_size", [0.1, 0.2, 0.25, 1 / 3, 0.5, 0.7, 1])
def test_shuffle_split_sizes_equal_sklearn(n_samples, test_size):
    X = np.zeros((n_samples, 1))
    try:
        theirs = next(sklearn.model_selection.ShuffleSplit(1, test_size=test_size).split(X))
    except ValueError:  # scikit-learn refuses sizes that leave a part empty; so do we
        with pytest.raises(ValueError, match="test_size"):
            next(ShuffleSplit(1, test_size=test_size).split(X))
        return
    splitter = ShuffleSplit(4, test_size=test_size, random_state=0)
    splits = list(splitter.split(X))
    assert len(splits) == splitter.get_n_splits() == 4
    for train, test in splits:
        check_partition(train, test, n_samples, len(theirs[1]))


def test_shuffle_split_sizes_round_the_test_set_up():
    # 0.25 * 30 = 7.5: scikit-learn holds out ceil(7.5) = 8 and trains on 22.
    train, test = next(ShuffleSplit(1, test_size=0.25, random_state=0).split(range(30)))
    assert (len(train), len(test)) == (22, 8)


def test_shuffle_split_reproducible_from_the_seed():
    X = np.zeros((50, 2))

    def splits(random_state):
        return [np.concatenate(s) for s in ShuffleSplit(5, random_state=random_state).split(X)]

    np.testing.assert_array_equal(splits(7), splits(7))
    np.testing.assert_array_equal(splits(np.random.SeedSequence(7)),
                                  splits(np.random.SeedSequence(7)))
    splitter = ShuffleSplit(5, random_state=7)
    first, second = list(splitter.split(X)), list(splitter.split(X))  # the same object
    for (train, test), (train_again, test_again) in zip(first, second):
        np.testing.assert_array_equal(train, train_again)
        np.testing.assert_array_equal(test, test_again)
    assert not np.array_equal(splits(7), splits(8))
    # The splits of one call differ from each other.
    tests = [test for _, test in ShuffleSplit(5, random_state=7).split(X)]
    assert len({tuple(test) for test in tests}) == 5
    # A Generator advances at each call.
    rng = np.random.default_rng(7)
    assert not np.array_equal(splits(rng), splits(rng))


def test_shuffle_split_holds_every_sample_out_equally_often():
    n_samples, n_splits = 20, 4000
    counts = np.zeros(n_samples)
    for _, test in ShuffleSplit(n_splits, test_size=5, random_state=0).split(range(n_samples)):
        counts[test] += 1
    p = 5 / n_samples
    # Each count is Binomial(n_splits, 1/4): 5 standard deviations.
    assert np.all(np.abs(counts / n_splits - p) < 5 * np.sqrt(p * (1 - p) / n_splits))


def test_shuffle_split_accepts_lists_and_checks_y_length():
    train, test = next(ShuffleSplit(1, test_size=2, random_state=0).split(list("abcde")))
    check_partition(train, test, 5, 2)
    with pytest.raises(ValueError, match="Inconsistent"):
        next(ShuffleSplit(1).split(np.zeros((5, 1)), [0, 1, 0]))


@pytest.mark.parametrize(
    "params, error, match",
    [
        ({"n_splits": 0}, ValueError, "n_splits"),
        ({"n_splits": 2.0}, TypeError, "n_splits"),
        ({"test_size": 0.0}, ValueError, "test_size"),
        ({"test_size": 1.0}, ValueError, "test_size"),
        ({"test_size": -0.2}, ValueError, "test_size"),
        ({"test_size": float("nan")}, ValueError, "test_size"),
        ({"test_size": 0}, ValueError, "test_size"),
        ({"test_size": 20}, ValueError, "test_size"),
        ({"test_size": 0.99}, ValueError, "test_size"),  # ceil(19.8) = 20: no training set
        ({"test_size": True}, TypeError, "test_size"),
        ({"test_size": "0.2"}, TypeError, "test_size"),
        ({"test_size": None}, TypeError, "test_size"),
        ({"random_state": -1}, ValueError, "random_state"),
        ({"random_state": "0"}, TypeError, "random_state"),
    ],
)
@pytest.mark.parametrize("cls", [ShuffleSplit, StratifiedShuffleSplit])
def test_shuffle_splits_reject_bad_parameters(cls, params, error, match):
    y = np.repeat([0, 1], 10)
    with pytest.raises(error, match=match):
        next(cls(**params).split(np.zeros((20, 1)), y))


def test_shuffle_split_get_n_splits_checks_n_splits():
    assert ShuffleSplit(1).get_n_splits() == 1
    with pytest.raises(ValueError, match="n_splits"):
        ShuffleSplit(0).get_n_splits()


def test_shuffle_split_repr():
    assert repr(ShuffleSplit(1, test_size=0.25)) == (
        "ShuffleSplit(n_splits=1, test_size=0.25, random_state=None)"
    )
    assert repr(StratifiedShuffleSplit(3, random_state=0)).startswith(
        "StratifiedShuffleSplit(n_splits=3"
    )


# --- StratifiedShuffleSplit ---------------------------------------------------------------


@pytest.mark.parametrize("name", list(label_sets()))
@pytest.mark.parametrize("test_size", [0.1, 0.25, 1 / 3, 0.5, 9])
def test_stratified_shuffle_split_matches_sklearn_sizes_and_class_counts(name, test_size):
    y = label_sets()[name]
    X = np.zeros((len(y), 1))
    labels, counts = np.unique(y, return_counts=True)
    theirs = list(sklearn.model_selection.StratifiedShuffleSplit(
        20, test_size=test_size, random_state=0).split(X, y))
    ours = list(StratifiedShuffleSplit(20, test_size=test_size, random_state=0).split(X, y))
    n_test = len(theirs[0][1])
    share = counts * n_test / len(y)
    for (train, test), (_, their_test) in zip(ours, theirs):
        check_partition(train, test, len(y), n_test)
        our_counts = np.array([np.sum(y[test] == label) for label in labels])
        their_counts = np.array([np.sum(y[their_test] == label) for label in labels])
        assert np.all(np.abs(our_counts - share) < 1)
        assert np.all(np.abs(our_counts - their_counts) <= 1)


def test_stratified_shuffle_split_exact_shares():
    y = np.array(["a"] * 60 + ["b"] * 30 + ["c"] * 10)
    for train, test in StratifiedShuffleSplit(5, test_size=0.2, random_state=1).split(y, y):
        assert [np.sum(y[test] == c) for c in "abc"] == [12, 6, 2]
        assert [np.sum(y[train] == c) for c in "abc"] == [48, 24, 8]


def test_stratified_shuffle_split_rounding_ties_are_random():
    # Shares 1.5 and 1.5 of n_test = 3: either class gets the extra sample.
    y = np.repeat([0, 1], 5)
    extra = {int(np.bincount(y[test])[0])
             for _, test in StratifiedShuffleSplit(50, test_size=3, random_state=0).split(y, y)}
    assert extra == {1, 2}


def test_stratified_shuffle_split_draws_within_classes_uniformly():
    y = np.repeat([0, 1], [30, 10])
    counts = np.zeros(len(y))
    n_splits = 3000
    for _, test in StratifiedShuffleSplit(n_splits, test_size=0.25,
                                          random_state=0).split(y, y):
        counts[test] += 1
    p = 0.25  # 7.5 of 30 -> 7 or 8, and 2.5 of 10 -> 2 or 3, each on average 1/4
    assert np.all(np.abs(counts / n_splits - p) < 5 * np.sqrt(p * (1 - p) / n_splits))


def test_stratified_shuffle_split_reproducible_from_the_seed():
    y = label_sets()["imbalanced"]

    def splits(random_state):
        return [np.concatenate(s)
                for s in StratifiedShuffleSplit(4, random_state=random_state).split(y, y)]

    np.testing.assert_array_equal(splits(3), splits(3))
    np.testing.assert_array_equal(splits(np.random.SeedSequence(3)),
                                  splits(np.random.SeedSequence(3)))
    assert not np.array_equal(splits(3), splits(4))


@pytest.mark.parametrize(
    "y, params, match",
    [
        (None, {}, "needs the labels"),
        (np.zeros((10, 2)), {}, "1-D"),
        (np.zeros(9), {}, "Inconsistent"),
        (np.r_[np.zeros(9), 1], {}, "single member"),
        (np.repeat([0, 1, 2], [4, 3, 3]), {"test_size": 2}, "test set of 2 samples"),
        (np.repeat([0, 1, 2], [4, 3, 3]), {"test_size": 8}, "training set of 2 samples"),
    ],
)
def test_stratified_shuffle_split_rejects_bad_labels(y, params, match):
    with pytest.raises(ValueError, match=match):
        next(StratifiedShuffleSplit(**params).split(np.zeros((10, 1)), y))


# --- The splitters as the cv of GridSearchCV ------------------------------------------------


@functools.lru_cache(maxsize=None)
def breast_cancer():
    """Breast cancer, standardised (on all the data: these tests compare estimators on the
    same inputs, they do not estimate a risk)."""
    X, y = load_bundled("breast_cancer")
    return (X - X.mean(axis=0)) / X.std(axis=0), y


@pytest.mark.parametrize("cls", [ShuffleSplit, StratifiedShuffleSplit])
def test_hold_out_validation_in_grid_search(cls):
    X, y = breast_cancer()
    cv = cls(1, test_size=0.25, random_state=0)
    grid = {"alpha": [1e-3, 1e-1, 10.0]}
    search = GridSearchCV(LogisticRegression(), grid, cv=cv).fit(X, y)
    assert search.n_splits_ == 1
    assert "split1_test_score" not in search.cv_results_
    np.testing.assert_array_equal(search.cv_results_["std_test_score"], 0.0)
    ((train, test),) = cv.split(X, y)
    expected = [accuracy_score(y[test], LogisticRegression(alpha=a).fit(X[train], y[train])
                               .predict(X[test])) for a in grid["alpha"]]
    np.testing.assert_allclose(search.cv_results_["mean_test_score"], expected)
    assert search.best_score_ == max(expected)


def test_shuffle_splits_in_grid_search_with_several_splits():
    X, y = breast_cancer()
    cv = StratifiedShuffleSplit(3, test_size=0.2, random_state=np.random.SeedSequence(1))
    search = GridSearchCV(LogisticRegression(), {"alpha": [1e-2, 1.0]}, cv=cv).fit(X, y)
    assert search.n_splits_ == 3 and "split2_test_score" in search.cv_results_


# --- FixedThresholdClassifier -------------------------------------------------------------


@pytest.mark.parametrize("threshold", [0.1, 0.5, 0.9])
def test_fixed_threshold_equals_sklearn_on_breast_cancer(threshold):
    X, y = breast_cancer()
    alpha = 0.01
    ours = FixedThresholdClassifier(LogisticRegression(alpha=alpha), threshold=threshold)
    ours.fit(X, y)
    theirs = sklearn.model_selection.FixedThresholdClassifier(
        sklearn.linear_model.LogisticRegression(C=1 / (alpha * len(y)), tol=1e-10,
                                                max_iter=10_000),
        threshold=threshold, response_method="predict_proba",
    ).fit(X, y)
    np.testing.assert_allclose(ours.predict_proba(X), theirs.predict_proba(X), atol=1e-5)
    assert np.mean(ours.predict(X) == theirs.predict(X)) >= 0.995
    # The thresholding rule itself, exactly, on identical scores.
    proba = ours.predict_proba(X)[:, 1]
    np.testing.assert_array_equal(ours.predict(X), ours.classes_[(proba >= threshold) * 1])
    np.testing.assert_array_equal(
        ours.predict(X), theirs.classes_[(proba >= threshold).astype(int)]
    )


def test_fixed_threshold_decision_function_and_default_rules():
    X, y = breast_cancer()
    base = LogisticRegression(alpha=0.1).fit(X, y)
    model = FixedThresholdClassifier(LogisticRegression(alpha=0.1),
                                     response_method="decision_function", threshold=0.0)
    model.fit(X, y)
    scores = base.decision_function(X)
    np.testing.assert_array_equal(model.decision_function(X), scores)
    np.testing.assert_array_equal(model.predict_proba(X), base.predict_proba(X))
    np.testing.assert_array_equal(model.predict(X), base.predict(X))  # no score is 0
    model.set_params(threshold=1.5)  # read at predict time, no refit
    np.testing.assert_array_equal(model.predict(X), base.classes_[(scores >= 1.5) * 1])
    default = FixedThresholdClassifier(LogisticRegression(alpha=0.1)).fit(X, y)
    np.testing.assert_array_equal(default.predict(X), base.predict(X))


def test_fixed_threshold_extremes_predict_all_or_nothing():
    X, y = breast_cancer()
    model = FixedThresholdClassifier(LogisticRegression(alpha=0.1), threshold=0.0).fit(X, y)
    predicted = model.predict(X)
    assert np.all(predicted == 1.0)
    assert recall_score(y, predicted) == 1.0
    assert precision_score(y, predicted) == pytest.approx(np.mean(y == 1))
    model.set_params(threshold=1.5)
    assert np.all(model.predict(X) == 0.0)


def test_fixed_threshold_recall_decreases_with_the_threshold():
    X, y = breast_cancer()
    model = FixedThresholdClassifier(LogisticRegression(alpha=1.0)).fit(X, y)
    recalls = [recall_score(y, model.set_params(threshold=t).predict(X))
               for t in np.linspace(0.0, 1.0, 11)]
    assert np.all(np.diff(recalls) <= 0) and recalls[0] == 1.0


def test_fixed_threshold_keeps_the_labels():
    X = np.array([[-2.0], [-1.0], [-0.5], [0.5], [1.0], [2.0]])
    y = np.array(["ham", "ham", "spam", "ham", "spam", "spam"])
    model = FixedThresholdClassifier(LogisticRegression(alpha=0.1), threshold=0.2).fit(X, y)
    assert model.classes_.tolist() == ["ham", "spam"]
    assert model.n_features_in_ == 1
    assert model.predict([[-2.0], [2.0]]).tolist() == ["ham", "spam"]
    assert model._estimator_type == "classifier"


def test_fixed_threshold_nested_params_and_clone():
    model = FixedThresholdClassifier(LogisticRegression(alpha=0.1), threshold=0.3)
    params = model.get_params(deep=True)
    assert params["estimator__alpha"] == 0.1 and params["threshold"] == 0.3
    assert params["response_method"] == "predict_proba"
    model.set_params(estimator__alpha=2.0, threshold=0.7)
    assert model.estimator.alpha == 2.0 and model.threshold == 0.7
    copy = clone(model)
    assert copy.estimator is not model.estimator
    assert copy.get_params()["estimator__alpha"] == 2.0
    X, y = breast_cancer()
    model.fit(X, y)
    assert model.estimator_ is not model.estimator and not hasattr(model.estimator, "coef_")
    assert model.estimator_.alpha == 2.0


def test_fixed_threshold_in_grid_search():
    X, y = breast_cancer()
    grid = {"estimator__alpha": [0.01, 1.0], "threshold": [0.2, 0.5, 0.8]}
    model = FixedThresholdClassifier(LogisticRegression())
    search = GridSearchCV(model, grid, cv=3).fit(X, y)  # int cv: stratified, a classifier
    folds = list(StratifiedKFold(3).split(X, y))
    params = search.best_params_
    expected = np.mean([
        accuracy_score(y[test], clone(model).set_params(**params).fit(X[train], y[train])
                       .predict(X[test]))
        for train, test in folds
    ])
    assert search.best_score_ == pytest.approx(expected)
    assert len(search.cv_results_["params"]) == 6
    assert search.best_estimator_.threshold == params["threshold"]


def test_fixed_threshold_in_cross_validate():
    X, y = breast_cancer()
    model = FixedThresholdClassifier(LogisticRegression(alpha=0.1), threshold=0.3)
    # With 0/1 labels, the mean absolute error of the predictions is the error rate.
    scores = cross_validate(model, X, y, cv=5, scoring=["mean_absolute_error"])
    expected = [1 - accuracy_score(y[test], clone(model).fit(X[train], y[train])
                                   .predict(X[test]))
                for train, test in KFold(5).split(X)]
    np.testing.assert_allclose(scores["test_mean_absolute_error"], expected)


THRESHOLD = (r"The 'threshold' parameter of FixedThresholdClassifier must be a float in the "
             r"range \(-inf, inf\). Got {}")
RESPONSE_METHOD = ("The 'response_method' parameter of FixedThresholdClassifier must be a str "
                   "among {{'predict_proba', 'decision_function'}}. Got {} instead")


@pytest.mark.parametrize(
    "params, error, match",
    [
        ({"threshold": float("nan")}, ValueError, THRESHOLD.format("nan")),
        ({"threshold": float("inf")}, ValueError, THRESHOLD.format("inf")),
        ({"threshold": -np.inf}, ValueError, THRESHOLD.format("-inf")),
        ({"threshold": "0.5"}, TypeError, THRESHOLD.format("'0.5'")),
        ({"threshold": "auto"}, TypeError, THRESHOLD.format("'auto'")),
        ({"threshold": None}, TypeError, THRESHOLD.format("None")),
        ({"threshold": True}, TypeError, THRESHOLD.format(r"True instead \(a bool is not a "
                                                          r"number here\)")),
        ({"response_method": "predict"}, ValueError, RESPONSE_METHOD.format("'predict'")),
        ({"response_method": "auto"}, ValueError, RESPONSE_METHOD.format("'auto'")),
    ],
)
def test_fixed_threshold_rejects_bad_parameters(params, error, match):
    X, y = breast_cancer()
    with pytest.raises(error, match=match):
        FixedThresholdClassifier(LogisticRegression(), **params).fit(X, y)
    fitted = FixedThresholdClassifier(LogisticRegression()).fit(X, y)
    with pytest.raises(error, match=match):  # set after fit: checked by predict
        fitted.set_params(**params).predict(X)


def test_fixed_threshold_rejects_bad_data_and_estimators():
    X = np.arange(12.0).reshape(6, 2)
    with pytest.raises(ValueError, match="Only binary classification is supported: "
                                         "FixedThresholdClassifier needs exactly two classes in "
                                         r"y, got 3 classes: \[0, 1, 2\]"):
        FixedThresholdClassifier(LogisticRegression()).fit(X, [0, 1, 2, 0, 1, 2])
    with pytest.raises(ValueError, match=r"needs samples of two classes in y, got 1 class: "
                                         r"\[0.0\]"):
        FixedThresholdClassifier(LogisticRegression()).fit(X, np.zeros(6))
    with pytest.raises(ValueError, match="1-D"):
        FixedThresholdClassifier(LogisticRegression()).fit(X, np.zeros((6, 2)))
    with pytest.raises(ValueError, match="Inconsistent"):
        FixedThresholdClassifier(LogisticRegression()).fit(X, [0, 1, 0])
    with pytest.raises(ValueError, match="y contains NaN at position 2"):
        FixedThresholdClassifier(LogisticRegression()).fit(X, [0, 1, np.nan, 0, 1, 1])
    with pytest.raises(ValueError, match="Unknown label type: continuous"):
        FixedThresholdClassifier(LogisticRegression()).fit(X, [0, 1, 0.5, 0, 1, 1])
    estimator = ("The 'estimator' parameter of FixedThresholdClassifier must be an object "
                 "implementing 'fit', 'get_params' and 'predict_proba' or an object implementing "
                 "'fit', 'get_params' and 'decision_function'. Got {} instead")
    with pytest.raises(TypeError, match=estimator.format(r"Ridge\(\)")):
        FixedThresholdClassifier(Ridge()).fit(X, [0, 1] * 3)
    with pytest.raises(TypeError, match=estimator.format("'logistic'")):
        FixedThresholdClassifier("logistic").fit(X, [0, 1] * 3)
    with pytest.raises(TypeError, match="response_method='predict_proba' but RidgeClassifier "
                                        "has no predict_proba method"):  # a score, not this one
        FixedThresholdClassifier(sklearn.linear_model.RidgeClassifier()).fit(X, [0, 1] * 3)
    with pytest.raises(NotFittedError):
        FixedThresholdClassifier(LogisticRegression()).predict(X)
