"""Metrics against scikit-learn's and against their definitions, and their input checks."""

import warnings

import numpy as np
import pytest
import sklearn.metrics

from ftml.metrics import (
    REGRESSION_METRICS,
    explained_sum_of_squares,
    get_metric,
    mean_absolute_error,
    mean_squared_error,
    r2_score,
    residual_sum_of_squares,
    total_sum_of_squares,
)
from ftml.metrics._scorer import _SCORERS, _Scorer, get_scorer

# Same formula, possibly a different summation order: a few ulps of relative error.
RTOL = 1e-12

SKLEARN_NAMED = [
    (mean_squared_error, sklearn.metrics.mean_squared_error),
    (mean_absolute_error, sklearn.metrics.mean_absolute_error),
    (r2_score, sklearn.metrics.r2_score),
]
PAIRED = [
    mean_squared_error,
    mean_absolute_error,
    r2_score,
    residual_sum_of_squares,
    explained_sum_of_squares,
]


@pytest.mark.parametrize("ours, theirs", SKLEARN_NAMED)
@pytest.mark.parametrize("n_samples", [2, 3, 17, 1000])
@pytest.mark.parametrize("seed", [0, 1])
def test_metric_equals_sklearn_on_random_vectors(ours, theirs, n_samples, seed):
    rng = np.random.default_rng(seed)
    y_true = rng.normal(loc=3.0, scale=2.0, size=n_samples)
    y_pred = y_true + rng.normal(scale=0.5, size=n_samples)
    value = ours(y_true, y_pred)
    assert isinstance(value, float)
    np.testing.assert_allclose(value, theirs(y_true, y_pred), rtol=RTOL)


@pytest.mark.parametrize("ours, theirs", SKLEARN_NAMED)
def test_metric_accepts_lists_of_ints(ours, theirs):
    y_true, y_pred = [1, 2, 3, 5], [1, 3, 2, 5]
    np.testing.assert_allclose(ours(y_true, y_pred), theirs(y_true, y_pred), rtol=RTOL)


@pytest.mark.parametrize(
    "ours, theirs, expected",
    [
        (mean_squared_error, sklearn.metrics.mean_squared_error, 2.25),
        (mean_absolute_error, sklearn.metrics.mean_absolute_error, 1.5),
    ],
)
def test_error_metrics_on_a_single_sample_equal_sklearn(ours, theirs, expected):
    assert ours([2.0], [3.5]) == theirs([2.0], [3.5]) == expected


def test_r2_on_a_single_sample_is_nan_with_a_warning_like_sklearn():
    with pytest.warns(UserWarning, match="fewer than two samples"):
        ours = r2_score([2.0], [3.0])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = sklearn.metrics.r2_score([2.0], [3.0])
    assert np.isnan(ours) and np.isnan(theirs)


@pytest.mark.parametrize("y_pred, expected", [([3.0] * 5, 1.0), ([3.0, 3.0, 3.0, 3.0, 4.0], 0.0)])
def test_r2_of_constant_y_true_follows_sklearn_rule(y_pred, expected):
    # TSS == 0: 1.0 for a perfect prediction, 0.0 otherwise (sklearn's force_finite=True).
    y_true = [3.0] * 5
    assert r2_score(y_true, y_pred) == expected
    assert sklearn.metrics.r2_score(y_true, y_pred) == expected


def test_r2_of_constant_y_true_is_robust_to_rounding_of_the_mean():
    # The mean of seven copies of 0.1 is off by an ulp; scikit-learn then divides by a TSS of
    # ~1e-34 and returns ~-5e33. We detect the constant and apply the documented rule.
    y_true = np.full(7, 0.1)
    assert y_true.mean() != 0.1
    assert total_sum_of_squares(y_true) == 0.0
    assert r2_score(y_true, y_true) == 1.0
    assert r2_score(y_true, y_true + 1.0) == 0.0
    assert sklearn.metrics.r2_score(y_true, y_true + 1.0) < -1e30


def test_r2_of_the_mean_prediction_is_zero_and_of_a_perfect_one_is_one():
    y = np.random.default_rng(0).normal(size=20)
    assert r2_score(y, np.full_like(y, y.mean())) == pytest.approx(0.0, abs=1e-15)
    assert r2_score(y, y) == 1.0


def test_sums_of_squares_match_their_definitions():
    rng = np.random.default_rng(3)
    y_true, y_pred = rng.normal(size=50), rng.normal(size=50)
    n = y_true.size
    rss = residual_sum_of_squares(y_true, y_pred)
    tss = total_sum_of_squares(y_true)
    ess = explained_sum_of_squares(y_true, y_pred)
    np.testing.assert_allclose(rss, n * sklearn.metrics.mean_squared_error(y_true, y_pred),
                               rtol=RTOL)
    np.testing.assert_allclose(tss, n * np.var(y_true), rtol=RTOL)
    np.testing.assert_allclose(ess, np.sum((y_pred - y_true.mean()) ** 2), rtol=RTOL)
    np.testing.assert_allclose(r2_score(y_true, y_pred), 1 - rss / tss, rtol=RTOL)
    assert all(isinstance(value, float) for value in (rss, tss, ess))


def test_sums_of_squares_on_a_single_sample():
    assert residual_sum_of_squares([2.0], [3.0]) == 1.0
    assert total_sum_of_squares([2.0]) == 0.0
    assert explained_sum_of_squares([2.0], [3.0]) == 1.0


BAD_VECTORS = [
    pytest.param([1.0, np.nan, 2.0], ValueError, "contains NaN", id="nan"),
    pytest.param([1.0, np.inf, 2.0], ValueError, "contains infinity", id="inf"),
    pytest.param([[1.0], [2.0], [3.0]], ValueError, "must be 1-D", id="2d"),
    pytest.param([], ValueError, "0 sample", id="empty"),
    pytest.param("abc", ValueError, "string", id="string"),
    pytest.param(["a", "b", "c"], ValueError, "must hold numbers", id="strings"),
]


@pytest.mark.parametrize("metric", PAIRED)
@pytest.mark.parametrize("bad, error, message", BAD_VECTORS)
@pytest.mark.parametrize("position", ["y_true", "y_pred"])
def test_bad_input_raises_naming_the_argument(metric, bad, error, message, position):
    arguments = {"y_true": [1.0, 2.0, 3.0], "y_pred": [1.0, 2.0, 3.0], position: bad}
    with pytest.raises(error, match=f"{position} .*{message}"):
        metric(**arguments)


@pytest.mark.parametrize("bad, error, message", BAD_VECTORS)
def test_total_sum_of_squares_rejects_bad_input(bad, error, message):
    with pytest.raises(error, match=f"y_true .*{message}"):
        total_sum_of_squares(bad)


@pytest.mark.parametrize("metric", PAIRED)
def test_mismatched_lengths_raise_naming_both(metric):
    with pytest.raises(ValueError, match="y_true has 3, y_pred has 2"):
        metric([1.0, 2.0, 3.0], [1.0, 2.0])


def test_registry_names_the_three_sklearn_metrics_with_their_direction():
    assert REGRESSION_METRICS == ("mean_squared_error", "mean_absolute_error", "r2_score")
    for name in REGRESSION_METRICS:
        assert name.endswith(("_error", "_score"))
        assert get_metric(name).__name__ == name
    assert get_metric("mean_squared_error") is mean_squared_error


def test_get_metric_rejects_unknown_names_listing_the_known_ones():
    with pytest.raises(ValueError, match="'accuracy'.*mean_squared_error, mean_absolute_error"):
        get_metric("accuracy")
    with pytest.raises(TypeError, match="metric name must be a str"):
        get_metric(mean_squared_error)


def test_scorer_table_declares_each_name_once_with_the_direction_of_its_suffix():
    # The names lists and both look-ups are read from the one table.
    assert REGRESSION_METRICS == tuple(
        name for name, scorer in _SCORERS.items() if scorer.kind == "regression"
    )
    for name, scorer in _SCORERS.items():
        assert scorer.name == scorer.metric.__name__ == name
        assert scorer.greater_is_better is name.endswith("_score")
        assert get_scorer(name) is scorer
    for name in REGRESSION_METRICS:
        assert get_metric(name) is _SCORERS[name].metric
    assert get_scorer("accuracy") is get_scorer("accuracy_score")


def test_scorer_table_refuses_a_metric_whose_name_gives_no_direction():
    def accuracy(y_true, y_pred):
        return 1.0

    with pytest.raises(ValueError, match="'accuracy' must end in _score .*, _error or _loss"):
        _Scorer(accuracy, "classification")
    with pytest.raises(ValueError, match="kind must be one of"):
        _Scorer(r2_score, "ranking")


class _Constant:
    """A fitted regressor predicting 2.0 everywhere, whose score is 0.5."""

    def predict(self, X):
        return np.full(len(X), 2.0)

    def score(self, X, y):
        return 0.5


def test_get_scorer_negates_errors_so_that_larger_is_better():
    X, y = np.zeros((3, 1)), np.array([1.0, 2.0, 4.0])
    y_pred = np.full(3, 2.0)
    assert get_scorer("mean_squared_error")(_Constant(), X, y) == -mean_squared_error(y, y_pred)
    assert get_scorer("mean_absolute_error")(_Constant(), X, y) == -mean_absolute_error(y, y_pred)
    assert get_scorer("r2_score")(_Constant(), X, y) == r2_score(y, y_pred)
    assert get_scorer(None)(_Constant(), X, y) == 0.5


def test_binary_entries_count_a_zero_over_zero_ratio_as_zero():
    # No predicted positive: precision is 0/0, which a threshold sweep reaches by design.
    y_true, y_pred = np.array([0, 1, 1, 0]), np.zeros(4, dtype=int)
    assert _SCORERS["precision_score"].kind == "binary"
    assert _SCORERS["precision_score"].score(y_true, y_pred) == 0.0
    assert _SCORERS["recall_score"].score(y_true, y_pred) == 0.0
    assert _SCORERS["f1_score"].score(y_true, np.array([0, 1, 0, 0])) == pytest.approx(2 / 3)


def test_get_scorer_negates_losses_and_scores_classifiers():
    class _Predicts:
        def predict(self, X):
            return np.array([0, 1, 1, 1])

    X, y = np.zeros((4, 1)), np.array([0, 1, 1, 0])
    assert get_scorer("zero_one_loss")(_Predicts(), X, y) == -0.25
    assert get_scorer("accuracy")(_Predicts(), X, y) == 0.75
    assert get_scorer("f1_score")(_Predicts(), X, y) == pytest.approx(0.8)


def test_get_scorer_accepts_only_the_table_and_its_alias():
    for name in ("neg_mean_squared_error", "log_loss", "f1"):
        with pytest.raises(ValueError, match=f"scoring={name!r} is not a known metric; use "):
            get_scorer(name)
    with pytest.raises(TypeError, match="scoring must be None or a metric name"):
        get_scorer(mean_squared_error)
