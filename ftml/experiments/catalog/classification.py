"""Classification: logistic regression, its multiclass schemes and a decision threshold, with
the counts and rates that theory fixes on real data."""

import numpy as np

from ftml import datasets
from ftml.experiments.catalog._declarations import Estimator, Generator, Theory
from ftml.linear_model import LogisticRegression


def _one_vs_rest():
    from ftml.multiclass import OneVsRestClassifier

    return OneVsRestClassifier(LogisticRegression())


def _one_vs_one():
    from ftml.multiclass import OneVsOneClassifier

    return OneVsOneClassifier(LogisticRegression())


def _softmax():
    from ftml.multiclass import SoftmaxRegression

    return SoftmaxRegression()


def _thresholded_logistic():
    from ftml.model_selection import FixedThresholdClassifier

    return FixedThresholdClassifier(LogisticRegression())


def _models_trained(data, params):
    """Models a multiclass scheme trains on p classes."""
    p = np.unique(data.y).shape[0]
    return {
        "OneVsRestLogisticRegression": p if p > 2 else 1,
        "OneVsOneLogisticRegression": p * (p - 1) // 2,
    }.get(params["estimator"], 1)


def _prevalence(data):
    """The fraction of positives (label 1) in a binary dataset."""
    labels = np.unique(data.y)
    if labels.shape[0] != 2 or 1 not in labels:
        raise ValueError(f"needs binary labels with positive label 1, got {labels.tolist()[:10]}")
    return float(np.mean(data.y == 1))


def _logistic(random_state=None, **params):
    return datasets.ObservedData(
        *datasets.make_logistic_regression(**params, random_state=random_state)[:2]
    )


# Its place in the course: the documentation lists names in this order.
ORDER = 50

DECLARATIONS = [
    Generator(
        "logistic",
        build=_logistic,
        check_params=datasets.check_logistic_regression_params,
        params={"n_samples": int, "n_features": int, "theta_norm": float, "correlation": float,
                "feature_scale": float},
        required=("n_samples", "n_features"),
        ground_truth=False,
        description="labels drawn from a logistic model on Gaussian features (optionally "
                    "badly scaled); observed data only",
    ),
    # fit_cost: measured per point of the shipped config against the cost model of
    # ftml.experiments.protocols._base (one-vs-one's pairs on digits dominate its factor).
    Estimator("LogisticRegression", LogisticRegression, "binary L2-penalised logistic regression",
              fit_cost=5.0),
    Estimator("OneVsRestLogisticRegression", _one_vs_rest,
              "one binary logistic regression per class against the rest", fit_cost=15.0),
    Estimator("OneVsOneLogisticRegression", _one_vs_one,
              "one binary logistic regression per pair of classes, majority vote",
              fit_cost=25.0),
    Estimator("SoftmaxRegression", _softmax,
              "multinomial logistic regression", fit_cost=4.0),
    Estimator("ThresholdedLogisticRegression", _thresholded_logistic,
              "logistic regression predicting positive when P̂(y = 1 | x) ≥ threshold",
              fit_cost=5.0),
    Theory("models_trained", "p one-vs-rest, p(p − 1)/2 one-vs-one, 1 softmax",
           _models_trained, needs_data=True),
    Theory("prevalence", "π = P(y = 1)", lambda data, p: _prevalence(data), needs_data=True),
    Theory("f1_all_positive", "2π / (1 + π)",
           lambda data, p: 2 * _prevalence(data) / (1 + _prevalence(data)), needs_data=True),
]
