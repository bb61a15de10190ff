"""The names a config may use, mapped to ftml's generators, estimators, metrics and theories.

Adding an experiment that combines these is a config edit; adding a new kind of thing (a new
estimator, metric or closed form) is one entry here plus its library code.
"""

from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from ftml import datasets, metrics, theory
from ftml.experiments import truth_metrics
from ftml.linear_model import OLS, LogisticRegression, Ridge
from ftml.metrics import REGRESSION_METRICS, get_metric

__all__ = [
    "GENERATORS",
    "BUNDLED",
    "ESTIMATORS",
    "MONTE_CARLO_METRICS",
    "CROSS_VALIDATION_METRICS",
    "MODEL_METRICS",
    "SEARCH_METRICS",
    "cross_validation_metrics",
    "estimator_modules",
    "THEORIES",
    "Generator",
    "Theory",
]


@dataclass(frozen=True)
class Generator:
    """A data generator: a model with known ground truth, built from typed parameters.

    Attributes
    ----------
    build : callable
        ``build(**params, random_state=seed)`` returns the model, whose ``sample(random_state)``
        draws ``(X, y)``.
    params : dict of str to type
        The parameters and their types; values passed as strings (``--config``) are cast.
    required : tuple of str
        Parameters without a default, to be set by the dataset or the grid.
    ground_truth : bool
        Whether the model knows the truth that Monte-Carlo metrics compare with.
    """

    build: Callable
    params: dict
    required: tuple = ()
    ground_truth: bool = True


GENERATORS = {
    "linear_gaussian": Generator(
        build=datasets.make_linear_gaussian,
        params={
            "n_samples": int,
            "n_features": int,
            "design": str,
            "noise": float,
            "theta_norm": float,
            "correlation": float,
        },
        required=("n_samples", "n_features"),
    ),
    "logistic": Generator(
        build=lambda random_state=None, **params: datasets.ObservedData(
            *datasets.make_logistic_regression(**params, random_state=random_state)[:2]
        ),
        params={"n_samples": int, "n_features": int, "theta_norm": float, "correlation": float,
                "feature_scale": float},
        required=("n_samples", "n_features"),
        ground_truth=False,
    ),
    "conditioned_quadratic": Generator(
        build=lambda random_state=None, **params: datasets.ObservedData(
            *datasets.make_conditioned_regression(**params, random_state=random_state)
        ),
        params={"n_samples": int, "n_features": int, "condition_number": float, "noise": float},
        required=("n_samples", "n_features"),
        ground_truth=False,
    ),
}

BUNDLED = ("diabetes", "breast_cancer", "iris", "wine", "digits")

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


# Each name maps to a function of no argument returning the estimator with its defaults
# (a class is one); a config sets its parameters, nested ones as ``estimator__alpha``.
ESTIMATORS = {
    "OLS": OLS,
    "Ridge": Ridge,
    "LogisticRegression": LogisticRegression,
    "OneVsRestLogisticRegression": _one_vs_rest,
    "OneVsOneLogisticRegression": _one_vs_one,
    "SoftmaxRegression": _softmax,
    "ThresholdedLogisticRegression": _thresholded_logistic,
}

# Estimator parameters the runner sets from the job's identity, never the config.
SEEDED_PARAMETERS = ("random_state",)


def estimator_modules(name):
    """The modules whose source determines what estimator ``name`` computes: its class's
    and its nested estimators' (for provenance hashes)."""
    prototype = ESTIMATORS[name]()
    modules = [type(prototype).__module__]
    for value in prototype.get_params(deep=True).values():
        if hasattr(value, "fit"):
            modules.append(type(value).__module__)
    return list(dict.fromkeys(modules))


# Monte-Carlo metrics see the fitted estimator, the sample it was fitted on and the ground
# truth; they exist only for generator datasets.
MONTE_CARLO_METRICS = {
    "excess_risk": truth_metrics.excess_risk,
    "empirical_risk": truth_metrics.empirical_risk,
    "noise_estimate": truth_metrics.noise_estimate,
    "cv_mean_squared_error": truth_metrics.cv_mean_squared_error,
}

def _binary(metric):
    # A 0/0 ratio (no predicted positive, say) counts 0, scikit-learn's zero_division=0:
    # a threshold sweep reaches it by design, and a table never holds NaN.
    return lambda y_true, y_pred: metric(y_true, y_pred, zero_division=0.0)


# Cross-validation metrics compare predictions with held-out targets: ftml.metrics by name.
# Classification metrics are binary, for the positive label 1. Each is also measured on the
# training fold as ``train_<name>``.
CROSS_VALIDATION_METRICS = {
    **{name: get_metric(name) for name in REGRESSION_METRICS},
    "accuracy_score": metrics.accuracy_score,
    "zero_one_loss": metrics.zero_one_loss,
    "precision_score": _binary(metrics.precision_score),
    "recall_score": _binary(metrics.recall_score),
    "f1_score": _binary(metrics.f1_score),
    "specificity_score": _binary(metrics.specificity_score),
}

# Model metrics read the fitted estimator of a fold.
MODEL_METRICS = {
    # binary models for the reductions, one model otherwise
    "n_models": lambda estimator: getattr(estimator, "n_estimators_", 1),
    # iterations (epochs for a stochastic solver) run until the stopping rule
    "n_iter": lambda estimator: estimator.n_iter_,
}

# Search metrics read a fitted GridSearchCV (evaluation.search) and the score it gets on the
# held-out fold, oriented larger-is-better as the search's.
SEARCH_METRICS = {
    "selected_log10": lambda search, test_score: float(
        np.log10(next(iter(search.best_params_.values())))
    ),
    "best_validation_score": lambda search, test_score: search.best_score_,
    "test_score": lambda search, test_score: test_score,
    "optimism": lambda search, test_score: search.best_score_ - test_score,
}


def cross_validation_metrics(search=False):
    """The metric names the cross_validation protocol knows (with a search: its own)."""
    names = [*CROSS_VALIDATION_METRICS, *(f"train_{name}" for name in CROSS_VALIDATION_METRICS),
             *MODEL_METRICS]
    return names + (list(SEARCH_METRICS) if search else [])


@dataclass(frozen=True)
class Theory:
    """A closed form evaluated at a grid point.

    Attributes
    ----------
    formula : str
        How the report and the legends write it.
    evaluate : callable
        ``evaluate(model, params)`` with the ground-truth model (None when not
        ``needs_model``) and the point's generator and estimator parameters.
    needs_model : bool
        Whether the value depends on the drawn design or theta*, not just on the parameters.
    needs_data : bool
        Whether the value is computed from a bundled or file dataset's ``(X, y)``, passed as
        ``model``.
    requires : tuple of str
        Parameters that the point must define.
    """

    formula: str
    evaluate: Callable
    needs_model: bool = False
    requires: tuple = field(default_factory=tuple)
    needs_data: bool = False


def _sizes_and_noise(params):
    return params["n_samples"], params["n_features"], params.get("noise", 1.0)


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


def _design(model):
    if model is None or not model.fixed_design:
        raise ValueError("this closed form is for a fixed design: use a generator with design 'fixed'")
    return model.design


THEORIES = {
    "ols_fixed_design_excess_risk": Theory(
        "σ² d / n",
        lambda model, p: theory.ols_fixed_design_excess_risk(*_sizes_and_noise(p)),
        requires=("n_samples", "n_features"),
    ),
    "ols_random_design_excess_risk": Theory(
        "σ² d / (n − d − 1)",
        lambda model, p: theory.ols_random_design_excess_risk(*_sizes_and_noise(p)),
        requires=("n_samples", "n_features"),
    ),
    "ols_expected_empirical_risk": Theory(
        "(n − d) σ² / n",
        lambda model, p: theory.ols_expected_empirical_risk(*_sizes_and_noise(p)),
        requires=("n_samples", "n_features"),
    ),
    "noise_variance": Theory("σ²", lambda model, p: p.get("noise", 1.0) ** 2),
    "ridge_fixed_design_excess_risk": Theory(
        "bias(λ) + variance(λ)",
        lambda model, p: theory.ridge_fixed_design_excess_risk(
            _design(model), model.theta, model.noise, p["alpha"]
        ),
        needs_model=True,
        requires=("alpha",),
    ),
    "ridge_fixed_design_bias": Theory(
        "bias(λ) = λ² θ*ᵀ(Σ̂+λI)⁻¹Σ̂(Σ̂+λI)⁻¹θ*",
        lambda model, p: theory.ridge_fixed_design_bias(_design(model), model.theta, p["alpha"]),
        needs_model=True,
        requires=("alpha",),
    ),
    "ridge_fixed_design_variance": Theory(
        "variance(λ) = σ²/n tr(Σ̂²(Σ̂+λI)⁻²)",
        lambda model, p: theory.ridge_fixed_design_variance(
            _design(model), model.noise, p["alpha"]
        ),
        needs_model=True,
        requires=("alpha",),
    ),
    "models_trained": Theory(
        "p one-vs-rest, p(p − 1)/2 one-vs-one, 1 softmax",
        _models_trained,
        needs_data=True,
    ),
    "prevalence": Theory("π = P(y = 1)", lambda data, p: _prevalence(data), needs_data=True),
    "f1_all_positive": Theory(
        "2π / (1 + π)", lambda data, p: 2 * _prevalence(data) / (1 + _prevalence(data)),
        needs_data=True,
    ),
    "one": Theory("1", lambda model, p: 1.0),
    "zero": Theory("0", lambda model, p: 0.0),
    "ridge_oracle_alpha": Theory(
        "λ* = argmin bias(λ) + variance(λ)",
        lambda model, p: theory.ridge_oracle_alpha(_design(model), model.theta, model.noise),
        needs_model=True,
    ),
}


@dataclass(frozen=True)
class Solver:
    """An optimiser of :mod:`ftml.optim`, imported when a job runs it.

    Attributes
    ----------
    module, function : str
        Where the function lives; named, not imported, so that reading the workflow does not
        compile numba kernels, and so that provenance hashes exactly this module.
    budget : str
        The keyword that bounds its work: ``max_iter`` (iterations) or ``max_epochs``.
    fixed : dict
        Keyword arguments that define this entry (e.g. the line search).
    """

    module: str
    function: str
    budget: str = "max_iter"
    fixed: dict = field(default_factory=dict)

    def load(self):
        import importlib

        return getattr(importlib.import_module(self.module), self.function)


SOLVERS = {
    "gd": Solver("ftml.optim.gd", "gradient_descent"),
    "gd_exact_line_search": Solver("ftml.optim.gd", "gradient_descent",
                                   fixed={"line_search": "exact"}),
    "gd_armijo": Solver("ftml.optim.gd", "gradient_descent", fixed={"line_search": "armijo"}),
    "heavy_ball": Solver("ftml.optim.momentum", "heavy_ball"),
    "nesterov": Solver("ftml.optim.momentum", "nesterov"),
    "sgd": Solver("ftml.optim.sgd", "sgd", budget="max_epochs"),
    "sag": Solver("ftml.optim.sag", "sag", budget="max_epochs"),
    "saga": Solver("ftml.optim.sag", "saga", budget="max_epochs"),
    "svrg": Solver("ftml.optim.svrg", "svrg", budget="max_epochs"),
}

# What an optimisation job records of each iteration (the solvers' history keys, and the
# suboptimality relative to |F*|).
OPTIMIZATION_METRICS = ("objective", "suboptimality", "relative_suboptimality", "distance",
                        "gradient_cosine")

# Metrics that only some solvers record, and those solvers.
SOLVER_METRICS = {"gradient_cosine": ("gd", "gd_exact_line_search", "gd_armijo")}

LOSSES = ("square", "logistic")


@dataclass(frozen=True)
class Bound:
    """A bound of a convergence theorem, as a function of the iteration.

    ``evaluate(constants, params, t)`` returns the bound at the iterations ``t`` (an array),
    from the optimum file's constants (L, mu, ||theta_0 - theta*||^2, ...) and the point's
    parameters.
    """

    formula: str
    evaluate: Callable


def _power(base, t):
    return np.power(base, np.asarray(t, dtype=float))


BOUNDS = {
    "gd_convex_bound": Bound(
        "L ‖θ₀ − θ*‖² / (2t)",
        lambda c, p, t: c["smoothness"] * c["initial_distance"]
        / (2 * np.maximum(np.asarray(t, dtype=float), 1e-300)),
    ),
    "gd_strongly_convex_bound": Bound(
        "exp(−2t/κ) ‖θ₀ − θ*‖²",
        lambda c, p, t: np.exp(-2 * np.asarray(t, dtype=float) * c["strong_convexity"]
                               / c["smoothness"]) * c["initial_distance"],
    ),
}

THEORIES.update({
    "gd_linear_rate": Theory(
        "log(1 − 1/κ)² per iteration",
        lambda c, p: 2 * np.log1p(-c["strong_convexity"] / c["smoothness"]),
        needs_model=True,
    ),
    "sklearn_relative_gap": Theory(
        "(F(θ_sklearn) − F*) / |F*|", lambda c, p: c["sklearn_relative_gap"], needs_model=True
    ),
    "stability_threshold": Theory("γ L < 2", lambda c, p: 2.0 / c["smoothness"], needs_model=True),
})
