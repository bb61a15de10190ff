"""Unsupervised estimators are first-class: fitted on X alone, measured by metrics of X.

The estimator here is the one-centroid quantiser (the mean); its inertia on a Gaussian
sample of n points with identity-diagonal covariance has expectation d (n − 1) / n, which
the Monte-Carlo protocol checks like any theory.
"""

import numpy as np
import pytest

from ftml.base import BaseEstimator
from ftml.experiments.catalog import Estimator, Metric, Theory, catalog
from ftml.experiments.checks import verdicts
from ftml.experiments.config import load_config
from ftml.experiments.data import build_dataset
from ftml.experiments.protocols.cross_validation import fold_metrics
from ftml.experiments.tables import summary_table, theory_table


class _Centroid(BaseEstimator):
    """k-means with k = 1: the centroid of the sample."""

    _parameter_constraints = {"copy": ["boolean"]}

    def __init__(self, copy=True):
        self.copy = copy

    def fit(self, X, y=None):
        if y is not None:
            raise AssertionError("an unsupervised estimator must not see the targets")
        self._validate_params()
        self.cluster_centers_ = np.mean(X, axis=0, keepdims=True)
        return self

    def predict(self, X):
        return np.zeros(len(X), dtype=int)


def _inertia(estimator, X):
    return float(np.mean(np.sum((X - estimator.cluster_centers_) ** 2, axis=1)))


@pytest.fixture
def declared(monkeypatch):
    found = catalog()
    monkeypatch.setitem(found.estimators, "Centroid",
                        Estimator("Centroid", _Centroid, supervised=False))
    monkeypatch.setitem(found.metrics, "inertia", Metric("inertia", "unsupervised", _inertia))
    monkeypatch.setitem(found.theories, "centroid_inertia", Theory(
        "centroid_inertia", "d (n − 1) / n",
        lambda model, p: p["n_features"] * (p["n_samples"] - 1) / p["n_samples"],
        requires=("n_samples", "n_features")))


def _raw():
    return {
        "seed": 8,
        "datasets": {"gauss": {"generator": "linear_gaussian",
                               "params": {"design": "random", "correlation": 0.5}}},
        "experiments": {"centroid": {
            "chapter": "c", "title": "t", "description": "d",
            "dataset": "gauss", "estimator": "Centroid",
            "grid": {"n_samples": [5, 20], "n_features": [3]},
            "evaluation": {"protocol": "monte_carlo", "replicates": 400},
            "metrics": ["inertia"],
            "checks": [{"check": "matches_theory", "metric": "inertia",
                        "theory": "centroid_inertia"}],
            "figure": [{"metric": "inertia", "x": "n_samples",
                        "theory": ["centroid_inertia"]}],
        }},
    }


def test_an_unsupervised_estimator_is_fitted_on_x_alone_and_matches_its_theory(declared):
    import pandas as pd

    config = load_config(_raw())  # the validator's dry run fits it too: on X alone
    experiment = config.experiments["centroid"]
    datasets = {(p.dataset, p.data_id): build_dataset(config.dataset_job(p.dataset, p.data_id))
                for p in experiment.points}
    jobs = [config.training_job("centroid", point.id) for point in experiment.points]
    header, rows = experiment.protocol.run(jobs, datasets, {})["rows"]
    long = pd.DataFrame(rows, columns=header)
    summary = summary_table(long, experiment.grid_names, ["inertia"])
    table = verdicts(experiment, long, summary, theory_table(experiment, datasets))
    assert len(table) == 2 and table["holds"].all(), table
    # the prediction 3 (n − 1) / n, with the sample size's bias visible at n = 5
    assert table["predicted"].tolist() == [2.4, 2.85]


def test_cross_validation_measures_an_unsupervised_metric_on_the_held_out_features(declared):
    rng = np.random.default_rng(0)
    X_train, X_test = rng.standard_normal((30, 2)), rng.standard_normal((10, 2)) + 5
    model = _Centroid().fit(X_train)
    test, train = fold_metrics(["inertia", "train_inertia"], model, None, None, None, None,
                               X_train=X_train, X_test=X_test)
    assert train == pytest.approx(_inertia(model, X_train))
    assert test == pytest.approx(_inertia(model, X_test)) and test > 40 > train
