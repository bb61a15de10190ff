"""Model selection: what cross-validation measures on each fold — the held-out predictions
(every metric of the scorer table of :mod:`ftml.metrics`), the fitted model, and a grid search."""

import numpy as np

from ftml.experiments.catalog._declarations import Metric
from ftml.metrics import SCORERS

# Its place in the course: the documentation lists names in this order.
ORDER = 40

DECLARATIONS = [
    # Every metric of ftml.metrics' scorer table, on the held-out fold (and the training
    # fold as train_<name>); a binary one is for the positive label 1, a 0/0 ratio counting 0.
    *(Metric(name, "prediction", scorer.score,
             f"ftml.metrics.{name} ({scorer.kind}) of the held-out fold")
      for name, scorer in SCORERS.items()),
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
