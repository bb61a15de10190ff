"""Optimisation: gradient methods and stochastic solvers on a fixed objective, with the
bounds and rates of their convergence theorems."""

import numpy as np

from ftml import datasets
from ftml.optim import SOLVERS
from ftml.experiments.catalog._declarations import Bound, Generator, Metric, Solver, Theory


def _conditioned(random_state=None, **params):
    return datasets.ObservedData(
        *datasets.make_conditioned_regression(**params, random_state=random_state)
    )


_GRADIENT_DESCENTS = ("gd", "gd_exact_line_search", "gd_armijo")

# Its place in the course: the documentation lists names in this order.
ORDER = 30

DECLARATIONS = [
    Generator(
        "conditioned_quadratic",
        build=_conditioned,
        check_params=datasets.check_conditioned_regression_params,
        params={"n_samples": int, "n_features": int, "condition_number": float, "noise": float},
        required=("n_samples", "n_features"),
        ground_truth=False,
        description="least squares whose Hessian has a prescribed condition number",
    ),
    # Every solver of ftml.optim's one table (the estimators' solvers read it too).
    *(Solver(name, entry) for name, entry in SOLVERS.items()),
    # What an optimisation job records of each iteration: the solvers' history keys, and
    # the suboptimality relative to |F*|.
    Metric("objective", "optimization", None, "F(θ_t)"),
    Metric("suboptimality", "optimization", None, "F(θ_t) − F*"),
    Metric("relative_suboptimality", "optimization", None, "(F(θ_t) − F*) / |F*|"),
    Metric("distance", "optimization", None, "‖θ_t − θ*‖²"),
    Metric("gradient_cosine", "optimization", None,
           "cosine of successive gradients", recorded_by=_GRADIENT_DESCENTS),
    Bound(
        "gd_convex_bound", "L ‖θ₀ − θ*‖² / (2t)",
        lambda c, p, t: c["smoothness"] * c["initial_distance"]
        / (2 * np.maximum(np.asarray(t, dtype=float), 1e-300)),
    ),
    Bound(
        "gd_strongly_convex_bound", "exp(−2t/κ) ‖θ₀ − θ*‖²",
        lambda c, p, t: np.exp(-2 * np.asarray(t, dtype=float) * c["strong_convexity"]
                               / c["smoothness"]) * c["initial_distance"],
    ),
    Theory(
        "gd_linear_rate", "log(1 − 1/κ)² per iteration",
        lambda c, p: 2 * np.log1p(-c["strong_convexity"] / c["smoothness"]),
        needs_model=True,
    ),
    Theory("sklearn_relative_gap", "(F(θ_sklearn) − F*) / |F*|",
           lambda c, p: c["sklearn_relative_gap"], needs_model=True),
    Theory("stability_threshold", "γ L < 2", lambda c, p: 2.0 / c["smoothness"],
           needs_model=True),
]
