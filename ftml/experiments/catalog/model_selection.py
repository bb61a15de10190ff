"""Model selection: what cross-validation measures on each fold — the held-out predictions
(every metric of :mod:`ftml.metrics` by name), the fitted model, and a grid search."""

import numpy as np

from ftml import metrics
from ftml.experiments.catalog._declarations import Metric
from ftml.metrics import REGRESSION_METRICS, get_metric


def _binary(metric):
    # A 0/0 ratio (no predicted positive, say) counts 0, scikit-learn's zero_division=0:
    # a threshold sweep reaches it by design, and a table never holds NaN.
    return lambda y_true, y_pred: metric(y_true, y_pred, zero_division=0.0)


_PREDICTION_METRICS = {
    **{name: get_metric(name) for name in REGRESSION_METRICS},
    "accuracy_score": metrics.accuracy_score,
    "zero_one_loss": metrics.zero_one_loss,
    # Classification metrics are binary, for the positive label 1.
    "precision_score": _binary(metrics.precision_score),
    "recall_score": _binary(metrics.recall_score),
    "f1_score": _binary(metrics.f1_score),
    "specificity_score": _binary(metrics.specificity_score),
}

DECLARATIONS = [
    *(Metric(name, "prediction", function, f"ftml.metrics.{name} of the held-out fold")
      for name, function in _PREDICTION_METRICS.items()),
    # binary models for the reductions, one model otherwise
    Metric("n_models", "model", lambda estimator: getattr(estimator, "n_estimators_", 1),
           "binary models trained (one for a single model)"),
    Metric("n_iter", "model", lambda estimator: estimator.n_iter_,
           "iterations (epochs for a stochastic solver) run until the stopping rule"),
    Metric("selected_log10", "search", lambda search, test_score: float(
        np.log10(next(iter(search.best_params_.values())))),
        "log10 of the value the search selected"),
    Metric("best_validation_score", "search", lambda search, test_score: search.best_score_,
           "the search's best validation score (larger is better)"),
    Metric("test_score", "search", lambda search, test_score: test_score,
           "the refitted best model's score on the held-out fold"),
    Metric("optimism", "search", lambda search, test_score: search.best_score_ - test_score,
           "best validation score minus held-out score"),
]
