"""Metrics of a Monte-Carlo replicate, measured against the generator's ground truth.

Each takes the fitted estimator, the sample ``(X, y)`` it was fitted on and a
:class:`MonteCarloContext`, and returns a float.
"""

from dataclasses import dataclass

import numpy as np

from ftml import theory
from ftml.base import clone
from ftml.metrics import mean_squared_error
from ftml.model_selection import KFold, cross_validate

__all__ = [
    "MonteCarloContext",
    "excess_risk",
    "empirical_risk",
    "noise_estimate",
    "cv_mean_squared_error",
]


@dataclass(frozen=True)
class MonteCarloContext:
    """What a Monte-Carlo metric may use beyond the fitted estimator and its sample.

    Attributes
    ----------
    model : LinearGaussianModel
        The ground truth the sample was drawn from.
    folds : int
        k of the k-fold split for cross-validated metrics.
    fold_seed : numpy.random.SeedSequence
        Seeds the shuffle of that split; it depends on the replicate, not on the estimator's
        hyperparameters, so that every grid point of a replicate sees the same folds.
    """

    model: object
    folds: int
    fold_seed: np.random.SeedSequence


def excess_risk(estimator, X, y, context):
    """Excess risk of the fitted linear predictor, exact from the ground truth."""
    return context.model.excess_risk(estimator.coef_, estimator.intercept_)


def empirical_risk(estimator, X, y, context):
    """Mean squared error on the training sample itself, R_n(theta_hat)."""
    return mean_squared_error(y, estimator.predict(X))


def noise_estimate(estimator, X, y, context):
    """The estimate ||y - y_hat||^2 / (n - p) of sigma^2, p the number of fitted parameters.

    p is d, plus one when the estimator fits an intercept: for OLS the estimate is then
    unbiased, with or without an intercept.
    """
    fitted = X.shape[1] + (1 if getattr(estimator, "fit_intercept", False) else 0)
    return theory.noise_variance_estimate(y, estimator.predict(X), fitted)


def cv_mean_squared_error(estimator, X, y, context):
    """Mean validation error of a k-fold cross-validation on the sample."""
    folds = KFold(context.folds, shuffle=True, random_state=context.fold_seed)
    scores = cross_validate(clone(estimator), X, y, cv=folds, scoring=("mean_squared_error",))
    return float(np.mean(scores["test_mean_squared_error"]))
