"""Splitters, parameter grids and cross-validation against scikit-learn and their contracts."""

import numpy as np
import pytest
import sklearn.model_selection

from ftml.linear_model import OLS, Ridge
from ftml.metrics import mean_absolute_error, mean_squared_error, r2_score
from ftml.model_selection import (
    KFold,
    ParameterGrid,
    cross_validate,
    train_test_split,
    train_val_test_split,
)


def make_data(n_samples=40, n_features=3, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n_samples, n_features))
    y = X @ rng.normal(size=n_features) + 1.0 + 0.5 * rng.normal(size=n_samples)
    return X, y


def assert_partition(folds, n_samples):
    tests = [test for _, test in folds]
    np.testing.assert_array_equal(np.sort(np.concatenate(tests)), np.arange(n_samples))
    for train, test in folds:
        assert train.dtype.kind == test.dtype.kind == "i"
        assert np.intersect1d(train, test).size == 0
        np.testing.assert_array_equal(np.sort(np.r_[train, test]), np.arange(n_samples))


# --- KFold ------------------------------------------------------------------------------

SIZES = [(10, 3), (11, 5), (7, 7), (100, 10), (5, 2)]


@pytest.mark.parametrize("n_samples, n_splits", SIZES)
def test_kfold_without_shuffle_equals_sklearn(n_samples, n_splits):
    X = np.zeros((n_samples, 2))
    ours = list(KFold(n_splits).split(X))
    theirs = list(sklearn.model_selection.KFold(n_splits).split(X))
    assert len(ours) == len(theirs) == KFold(n_splits).get_n_splits() == n_splits
    for (train, test), (train_sk, test_sk) in zip(ours, theirs):
        np.testing.assert_array_equal(train, train_sk)
        np.testing.assert_array_equal(test, test_sk)


@pytest.mark.parametrize("n_samples, n_splits", SIZES)
@pytest.mark.parametrize("shuffle, random_state", [(False, None), (True, 0), (True, 7)])
def test_kfold_partitions_the_indices_with_sklearn_fold_sizes(n_samples, n_splits, shuffle,
                                                              random_state):
    folds = list(KFold(n_splits, shuffle=shuffle, random_state=random_state)
                 .split(range(n_samples)))
    assert_partition(folds, n_samples)
    sizes = [len(test) for _, test in folds]
    extra = n_samples % n_splits
    assert sizes == [n_samples // n_splits + 1] * extra + [n_samples // n_splits] * (
        n_splits - extra)


def test_kfold_shuffle_is_reproducible_from_the_seed():
    def folds(random_state):
        splitter = KFold(4, shuffle=True, random_state=random_state)
        return [test.tolist() for _, test in splitter.split(range(20))]

    assert folds(3) == folds(3)
    assert folds(3) != folds(4)
    assert folds(3) != [test.tolist() for _, test in KFold(4).split(range(20))]
    # A Generator is a stream: two calls to split draw two permutations, as with a
    # RandomState instance in scikit-learn.
    splitter = KFold(4, shuffle=True, random_state=np.random.default_rng(0))
    first = [test.tolist() for _, test in splitter.split(range(20))]
    second = [test.tolist() for _, test in splitter.split(range(20))]
    assert first == folds(0) and first != second


def test_kfold_checks_its_parameters_in_split():
    with pytest.raises(ValueError, match="n_splits=6 greater than the number of samples "
                                         "n_samples=5"):
        list(KFold(6).split(range(5)))
    with pytest.raises(ValueError, match="n_splits == 1, must be >= 2"):
        list(KFold(1).split(range(5)))
    with pytest.raises(TypeError, match="n_splits must be of type Integral"):
        list(KFold(2.0).split(range(5)))
    with pytest.raises(TypeError, match="shuffle must be of type bool"):
        list(KFold(2, shuffle="yes").split(range(5)))
    with pytest.raises(ValueError, match="random_state=0 has no effect since shuffle is False"):
        list(KFold(2, random_state=0).split(range(5)))
    with pytest.raises(ValueError, match="X has 5, y has 4"):
        list(KFold(2).split(range(5), range(4)))
    assert repr(KFold(3)) == "KFold(n_splits=3, shuffle=False, random_state=None)"


def test_ftml_kfold_plugs_into_sklearn_cross_val_score():
    X, y = make_data()
    ours = sklearn.model_selection.cross_val_score(Ridge(0.1), X, y, cv=KFold(4))
    theirs = sklearn.model_selection.cross_val_score(
        Ridge(0.1), X, y, cv=sklearn.model_selection.KFold(4)
    )
    np.testing.assert_array_equal(ours, theirs)


# --- train_test_split and train_val_test_split ------------------------------------------


@pytest.mark.parametrize("n_samples", [4, 10, 33])
@pytest.mark.parametrize("test_size", [0.1, 0.25, 0.5, 0.9, 1, 3])
def test_train_test_split_sizes_equal_sklearn(n_samples, test_size):
    X = np.arange(2 * n_samples).reshape(n_samples, 2)
    try:
        theirs = sklearn.model_selection.train_test_split(X, test_size=test_size,
                                                          random_state=0)
    except ValueError:  # an empty training part, e.g. ceil(0.9 * 4) == 4
        with pytest.raises(ValueError, match=f"test_size={test_size} leaves no training"):
            train_test_split(X, test_size=test_size, random_state=0)
        return
    ours = train_test_split(X, test_size=test_size, random_state=0)
    assert [len(part) for part in ours] == [len(part) for part in theirs]


@pytest.mark.parametrize("test_size", [0.3, 2])
def test_train_test_split_without_shuffle_equals_sklearn(test_size):
    X, y = make_data(10)
    ours = train_test_split(X, y, test_size=test_size, shuffle=False)
    theirs = sklearn.model_selection.train_test_split(X, y, test_size=test_size,
                                                      shuffle=False)
    assert len(ours) == len(theirs) == 4
    for a, b in zip(ours, theirs):
        np.testing.assert_array_equal(a, b)


def test_train_test_split_keeps_rows_aligned_and_partitions_them():
    X = np.arange(40).reshape(20, 2)
    y = np.arange(20)
    names = [f"s{i}" for i in range(20)]
    X_train, X_test, y_train, y_test, n_train, n_test = train_test_split(
        X, y, names, test_size=0.25, random_state=1
    )
    assert isinstance(n_train, list) and isinstance(X_train, np.ndarray)
    assert len(y_test) == 5 and len(y_train) == 15
    np.testing.assert_array_equal(X_train[:, 0] // 2, y_train)
    np.testing.assert_array_equal(X_test[:, 0] // 2, y_test)
    assert n_test == [f"s{i}" for i in y_test]
    np.testing.assert_array_equal(np.sort(np.r_[y_train, y_test]), np.arange(20))


def test_train_test_split_is_reproducible_from_the_seed():
    y = np.arange(30)
    first = train_test_split(y, random_state=5)
    np.testing.assert_array_equal(first[1], train_test_split(y, random_state=5)[1])
    assert not np.array_equal(first[1], train_test_split(y, random_state=6)[1])


@pytest.mark.parametrize(
    "test_size, error, message",
    [
        (0, ValueError, "test_size == 0, must be >= 1"),
        (10, ValueError, "test_size == 10, must be <= 9"),
        (0.0, ValueError, r"test_size == 0.0, must be > 0.0"),
        (1.0, ValueError, r"test_size == 1.0, must be < 1.0"),
        (0.99, ValueError, r"test_size=0.99 leaves no training sample"),
        ("0.2", TypeError, "test_size must be of type Real"),
        (None, TypeError, "test_size must be of type Real"),
    ],
)
def test_train_test_split_rejects_sizes_that_empty_a_part(test_size, error, message):
    with pytest.raises(error, match=message):
        train_test_split(np.arange(10), test_size=test_size)


def test_train_test_split_checks_its_arrays():
    with pytest.raises(ValueError, match="At least one array"):
        train_test_split()
    with pytest.raises(ValueError, match=r"arrays\[0\] has 5, arrays\[1\] has 4"):
        train_test_split(range(5), range(4))
    with pytest.raises(TypeError, match="shuffle must be of type bool"):
        train_test_split(range(5), shuffle=None)


def test_train_val_test_split_returns_aligned_triples_that_partition():
    X = np.arange(40).reshape(20, 2)
    y = np.arange(20)
    X_train, X_val, X_test, y_train, y_val, y_test = train_val_test_split(
        X, y, val_size=0.2, test_size=5, random_state=0
    )
    assert (len(y_train), len(y_val), len(y_test)) == (11, 4, 5)
    for X_part, y_part in [(X_train, y_train), (X_val, y_val), (X_test, y_test)]:
        np.testing.assert_array_equal(X_part[:, 0] // 2, y_part)
    np.testing.assert_array_equal(np.sort(np.r_[y_train, y_val, y_test]), np.arange(20))
    again = train_val_test_split(X, y, val_size=0.2, test_size=5, random_state=0)
    np.testing.assert_array_equal(again[4], y_val)


@pytest.mark.parametrize(
    "val_size, test_size, message",
    [
        (0.5, 0.5, "leave no training sample"),
        (5, 5, "leave no training sample"),
        (0, 0.2, "val_size == 0, must be >= 1"),
        (0.2, 0.0, r"test_size == 0.0, must be > 0.0"),
    ],
)
def test_train_val_test_split_rejects_empty_parts(val_size, test_size, message):
    with pytest.raises(ValueError, match=message):
        train_val_test_split(np.arange(10), val_size=val_size, test_size=test_size)


# --- ParameterGrid ----------------------------------------------------------------------

GRIDS = [
    {"b": [True, False], "a": [1, 2, 3], "c": ["x"]},
    {"alpha": [10.0, 0.1, 1.0]},
    [{"kernel": ["linear"]}, {"kernel": ["rbf"], "gamma": [1, 10]}, {}],
    {},
]


@pytest.mark.parametrize("grid", GRIDS)
def test_parameter_grid_order_and_length_equal_sklearn(grid):
    ours, theirs = ParameterGrid(grid), sklearn.model_selection.ParameterGrid(grid)
    assert len(ours) == len(theirs)
    assert list(ours) == list(theirs)
    assert [list(point) for point in ours] == [list(point) for point in theirs]  # key order
    assert [ours[i] for i in range(len(ours))] == list(theirs)


def test_parameter_grid_indexing():
    grid = ParameterGrid({"b": [1, 2], "a": [3, 4, 5]})
    assert grid[-1] == list(grid)[-1] == {"a": 5, "b": 2}
    with pytest.raises(IndexError, match="index 6 out of range for length 6"):
        grid[6]
    with pytest.raises(TypeError, match="indices must be integers"):
        grid[1.0]


@pytest.mark.parametrize(
    "grid, error, message",
    [
        ({"alpha": []}, ValueError, r"param_grid\['alpha'\] must be a non-empty list"),
        ({"alpha": 1.0}, TypeError, r"param_grid\['alpha'\] must be a list of values"),
        ({"solver": "svd"}, TypeError, r"param_grid\['solver'\] must be a list of values"),
        ({"alpha": np.ones((2, 2))}, ValueError, r"param_grid\['alpha'\] must be a 1-D"),
        ({1: [1]}, TypeError, "param_grid keys must be str"),
        ("alpha", TypeError, "param_grid must be a dict or a list of dicts"),
        ([["alpha"]], TypeError, "param_grid must be a dict or a list of dicts"),
    ],
)
def test_parameter_grid_rejects_bad_grids(grid, error, message):
    with pytest.raises(error, match=message):
        ParameterGrid(grid)


# --- cross_validate ---------------------------------------------------------------------


def manual_cross_validation(model, X, y, splitter, metrics):
    scores = {f"{part}_{metric.__name__}": [] for part in ("test", "train") for metric in metrics}
    for train, test in splitter.split(X):
        fitted = type(model)(**model.get_params()).fit(X[train], y[train])
        for part, indices in (("test", test), ("train", train)):
            for metric in metrics:
                scores[f"{part}_{metric.__name__}"].append(
                    metric(y[indices], fitted.predict(X[indices]))
                )
    return {key: np.array(values) for key, values in scores.items()}


@pytest.mark.parametrize("cv", [4, KFold(3, shuffle=True, random_state=0),
                                sklearn.model_selection.KFold(5)])
def test_cross_validate_equals_a_manual_loop(cv):
    X, y = make_data()
    metrics = [mean_squared_error, mean_absolute_error, r2_score]
    result = cross_validate(Ridge(0.1), X, y, cv=cv,
                            scoring=[m.__name__ for m in metrics], return_train_score=True)
    splitter = KFold(cv) if isinstance(cv, int) else cv
    expected = manual_cross_validation(Ridge(0.1), X, y, splitter, metrics)
    assert list(result) == [f"{part}_{m.__name__}" for part in ("test", "train") for m in metrics]
    for key, values in expected.items():
        np.testing.assert_array_equal(result[key], values)  # same arithmetic, same bits


def test_cross_validate_defaults_match_sklearn_neg_mse():
    X, y = make_data()
    ours = cross_validate(OLS(), X, y)
    theirs = sklearn.model_selection.cross_validate(OLS(), X, y, cv=5,
                                                    scoring="neg_mean_squared_error")
    assert list(ours) == ["test_mean_squared_error"]
    assert ours["test_mean_squared_error"].shape == (5,)
    np.testing.assert_allclose(ours["test_mean_squared_error"], -theirs["test_score"],
                               rtol=1e-12)


def test_cross_validate_is_deterministic_and_leaves_the_estimator_unfitted():
    X, y = make_data()
    model = Ridge(0.1)
    first = cross_validate(model, X, y, cv=3, scoring="r2_score")
    second = cross_validate(model, X, y, cv=3, scoring="r2_score")
    assert list(first) == ["test_r2_score"]
    np.testing.assert_array_equal(first["test_r2_score"], second["test_r2_score"])
    assert not hasattr(model, "coef_")


def test_cross_validate_rejects_bad_arguments():
    X, y = make_data()
    with pytest.raises(ValueError, match="Unknown metric 'accuracy'"):
        cross_validate(OLS(), X, y, scoring=["accuracy"])
    with pytest.raises(ValueError, match="scoring must name at least one metric"):
        cross_validate(OLS(), X, y, scoring=[])
    with pytest.raises(TypeError, match="cv must be an int"):
        cross_validate(OLS(), X, y, cv="5")
    with pytest.raises(ValueError, match="n_splits=50 greater than the number of samples"):
        cross_validate(OLS(), X, y, cv=50)
    with pytest.raises(ValueError, match="X has 40, y has 39"):
        cross_validate(OLS(), X, y[:-1])
    with pytest.raises(TypeError, match="return_train_score must be of type bool"):
        cross_validate(OLS(), X, y, return_train_score="yes")
