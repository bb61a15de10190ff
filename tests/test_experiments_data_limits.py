"""Parameters are validated without fitting: their ranges by the estimators' declared
constraints, their data-dependent limits against the real data's shape, all before any job.
"""

import pytest

from ftml.base import BaseEstimator, RegressorMixin
from ftml.experiments.catalog import Estimator, catalog
from ftml.experiments.config import ConfigError, load_config
from ftml.experiments.config import _data_shapes
from ftml.validation import Interval

from numbers import Integral


def _cv(dataset="small", **evaluation):
    spec = {"protocol": "cross_validation", "replicates": 1, "folds": 3}
    spec.update(evaluation)
    return {
        "chapter": "c", "title": "t", "description": "d",
        "dataset": dataset,
        "estimator": "Ridge",
        "grid": {"alpha": [0.1, 1.0]},
        "evaluation": spec,
        "metrics": ["mean_squared_error"],
        "checks": [],
        "figure": [{"metric": "mean_squared_error", "x": "alpha"}],
    }


def _raw(tmp_path, experiment, rows=8, labels=None):
    # the panel's x: the first column that identifies a point
    columns = list(experiment["grid"]) or ["dataset"]
    experiment["figure"] = [{"metric": experiment["metrics"][0], "x": columns[0]}]
    path = tmp_path / "small.csv"
    labels = labels or [i % 2 for i in range(rows)]
    path.write_text("a,b,y\n" + "".join(f"{i},{i * i % 7},{labels[i]}\n" for i in range(rows)))
    return {
        "seed": 1,
        "datasets": {"small": {"file": str(path)}, "iris": {"bundled": "iris"},
                     "gauss": {"generator": "linear_gaussian",
                               "params": {"n_samples": 30, "n_features": 3}}},
        "experiments": {"e": experiment},
    }


def _problems(raw, **kwargs):
    with pytest.raises(ConfigError) as info:
        load_config(raw, **kwargs)
    return dict(info.value.problems)


def test_more_folds_than_samples_is_refused_with_the_count(tmp_path):
    problems = _problems(_raw(tmp_path, _cv(folds=10)))
    assert problems == {"experiments.e.evaluation.folds":
                        "10 folds need at least 10 samples; dataset 'small' has 8"}
    load_config(_raw(tmp_path, _cv(folds=8)))  # the valid neighbour


def test_stratified_folds_need_as_many_members_in_every_class(tmp_path):
    labels = [0, 0, 0, 0, 0, 1, 1, 0]  # the rarest class has 2 members
    raw = _raw(tmp_path, _cv(folds=3, stratify=True), labels=labels)
    assert _problems(raw) == {"experiments.e.evaluation.folds":
                              "3 stratified folds need at least 3 members in every class; "
                              "the smallest class of dataset 'small' has 2"}
    load_config(_raw(tmp_path, _cv(folds=2, stratify=True), labels=labels))


def test_inner_search_folds_are_checked_against_the_smallest_training_fold(tmp_path):
    search = {"parameter": "alpha", "values": [0.1, 1.0], "folds": 7,
              "scoring": "mean_squared_error"}
    experiment = _cv(folds=4, search=search)
    experiment["grid"] = {"fit_intercept": [True]}
    # 8 samples in 4 outer folds: a training fold holds 6
    assert _problems(_raw(tmp_path, experiment)) == {
        "experiments.e.evaluation.search.folds":
        "7 inner folds need at least 7 samples; the smallest training fold of dataset "
        "'small' has 6"}
    search["folds"] = 6
    load_config(_raw(tmp_path, experiment))


def test_bundled_shapes_are_read_once_and_cached_on_disk(tmp_path, monkeypatch):
    raw = _raw(tmp_path, _cv(dataset="iris", folds=3))
    load_config(raw, cache_dir=tmp_path / "cache")
    assert (tmp_path / "cache" / "data-shapes.json").is_file()
    # A fresh process (no in-memory cache) finds the shape on disk without loading iris.
    _data_shapes._cached.cache_clear()
    from ftml import datasets

    monkeypatch.setattr(datasets, "load_bundled", lambda name: pytest.fail("loaded again"))
    load_config(raw, cache_dir=tmp_path / "cache")
    too_many = _raw(tmp_path, _cv(dataset="iris", folds=151))
    assert _problems(too_many, cache_dir=tmp_path / "cache") == {
        "experiments.e.evaluation.folds": "151 folds need at least 151 samples; dataset "
                                          "'iris' has 150"}


def test_a_file_s_cached_shape_follows_its_content(tmp_path):
    raw = _raw(tmp_path, _cv(folds=8))
    load_config(raw, cache_dir=tmp_path / "cache")
    # The same path with fewer rows: the cache is keyed by content, so it is read again.
    shorter = _raw(tmp_path, _cv(folds=8), rows=6)
    assert _problems(shorter, cache_dir=tmp_path / "cache") == {
        "experiments.e.evaluation.folds": "8 folds need at least 8 samples; dataset 'small' "
                                          "has 6"}


def test_an_unreadable_file_is_refused_under_its_dataset(tmp_path):
    raw = _raw(tmp_path, _cv())
    (tmp_path / "small.csv").write_text("a,b,y\n1,x,2\n")  # a text cell in a feature
    problems = _problems(raw)
    assert list(problems) == ["datasets.small.file"]
    assert problems["datasets.small.file"].startswith("cannot be read: ")


class _Clusters(RegressorMixin, BaseEstimator):
    """A stand-in with a parameter bounded by the samples of a fit (as KMeans's k)."""

    _parameter_constraints = {"n_clusters": [Interval(Integral, 1, None, closed="left")]}

    def __init__(self, n_clusters=2):
        self.n_clusters = n_clusters

    def fit(self, X, y):
        self._validate_params()
        self.coef_, self.intercept_ = X[0] * 0, 0.0
        return self

    def predict(self, X):
        return X @ self.coef_


@pytest.fixture
def clusters(monkeypatch):
    monkeypatch.setitem(catalog().estimators, "Clusters", Estimator(
        "Clusters", _Clusters,
        limits={"n_clusters": (lambda shape: shape.n_samples, "samples in a training fold")}))


def test_a_declared_limit_is_checked_against_the_training_fold(tmp_path, clusters):
    experiment = _cv(folds=4)
    experiment.update(estimator="Clusters", grid={"n_clusters": [2, 7]})
    # 8 samples in 4 folds: a training fold holds 6
    assert _problems(_raw(tmp_path, experiment)) == {
        "experiments.e.grid.n_clusters": "n_clusters=7 at point n_clusters~7 exceeds the 6 "
                                         "samples in a training fold of dataset 'small'"}
    experiment["grid"] = {"n_clusters": [2, 6]}
    load_config(_raw(tmp_path, experiment))


def test_a_value_above_a_small_toy_problem_is_not_refused(tmp_path, clusters):
    """The old check fitted every estimator on 6 samples: n_clusters = 7 on real data of
    30 samples is valid, and is accepted without fitting."""
    experiment = {
        "chapter": "c", "title": "t", "description": "d", "dataset": "gauss",
        "estimator": "Clusters", "grid": {"n_clusters": [7, 20]},
        "evaluation": {"protocol": "monte_carlo", "replicates": 2},
        "metrics": ["empirical_risk"], "checks": [],
        "figure": [{"metric": "empirical_risk", "x": "n_clusters"}],
    }
    config = load_config(_raw(tmp_path, experiment))
    assert [p.estimator_params for p in config.experiments["e"].points] == [
        {"n_clusters": 7}, {"n_clusters": 20}]


def test_an_out_of_range_value_is_refused_by_its_declared_constraint(tmp_path, clusters):
    experiment = _cv()
    experiment.update(estimator="Clusters", grid={"n_clusters": [0, 2]})
    problems = _problems(_raw(tmp_path, experiment))
    assert problems == {"experiments.e.grid.n_clusters": "point n_clusters~0 is rejected by "
                        "Clusters: The "
                        "'n_clusters' parameter of Clusters must be an int in the range "
                        "[1, inf). Got 0 instead."}


def test_search_values_are_cast_to_the_parameter_s_type(tmp_path, clusters):
    experiment = _cv(search={"parameter": "n_clusters", "values": [2, 3.0],
                             "scoring": "mean_squared_error", "folds": 2})
    experiment.update(estimator="Clusters", grid={}, dataset=["small", "iris"])
    config = load_config(_raw(tmp_path, experiment))
    values = config.experiments["e"].spec["evaluation"]["search"]["values"]
    assert values == [2, 3] and all(type(value) is int for value in values)
    experiment["evaluation"]["search"]["values"] = [2, 2.5]
    assert _problems(_raw(tmp_path, experiment)) == {
        "experiments.e.evaluation.search.values[1]": "expected an integer, got 2.5"}


def test_a_searched_parameter_must_belong_to_the_estimator(tmp_path):
    experiment = _cv(search={"parameter": "n_neighbors", "values": [1, 2],
                             "scoring": "mean_squared_error"})
    experiment["grid"] = {"fit_intercept": [True]}
    problems = _problems(_raw(tmp_path, experiment))
    assert problems["experiments.e.evaluation.search.parameter"].startswith(
        "unknown parameter of the estimator Ridge 'n_neighbors'; known: alpha")
