"""Optimisation experiments: one objective, several solvers, their histories.

The ``optimization`` protocol measures how fast a solver approaches the optimum of a fixed
objective, not how well a model generalises. Each job runs one solver configuration on one
dataset point and writes one row per recorded iteration (or epoch): the long table then has a
row per (grid point, solver, replicate, iteration), benchopt-style. The optimum itself is
computed once per dataset point, to full precision, by :func:`reference_optimum`.
"""

import numpy as np

from ftml.losses import LinearObjective
from ftml.preprocessing import StandardScaler

__all__ = ["OPTIMUM_FIELDS", "build_objective", "load_optima", "reference_optimum",
           "resolve_solver_params", "save_optima"]

# What the optimum file holds beside theta*, in the order of the theory table's columns.
OPTIMUM_FIELDS = (
    "f_star",
    "smoothness",
    "max_sample_smoothness",
    "strong_convexity",
    "initial_distance",
    "initial_suboptimality",
    "optimum_gradient_norm",
    "sklearn_relative_gap",
)


def build_objective(spec, X, y):
    """Build the experiment's objective on the data ``(X, y)``.

    Parameters
    ----------
    spec : dict
        ``loss`` ("square" or "logistic"), ``alpha`` (the L2 penalty), ``fit_intercept``,
        ``standardize`` (centre and scale each feature first).
    X : ndarray of shape (n_samples, n_features)
    y : ndarray of shape (n_samples,)
        For the logistic loss, any two distinct values: the larger becomes +1.

    Returns
    -------
    ftml.losses.LinearObjective
    """
    if spec.get("standardize", False):
        X = StandardScaler().fit_transform(X)
    if spec["loss"] == "logistic":
        classes = np.unique(y)
        if classes.size != 2:
            raise ValueError(
                f"the logistic loss needs two classes, got {classes.size}: {classes[:5]}"
            )
        y = np.where(y == classes[1], 1.0, -1.0)
    return LinearObjective(
        X, y, spec["loss"], spec.get("alpha", 0.0), fit_intercept=spec.get("fit_intercept", False)
    )


def reference_optimum(objective, *, compare_sklearn=False):
    """Compute the minimiser of ``objective`` to full precision, and the constants of the
    convergence theorems.

    The square loss is solved in closed form through the normal equations (by least squares,
    which returns the minimum-norm minimiser when there are several: the one closest to the
    solvers' starting point 0, hence the tightest bound). The logistic loss is solved by
    L-BFGS, then polished by Newton steps until the gradient stops decreasing.

    Parameters
    ----------
    objective : ftml.losses.LinearObjective
    compare_sklearn : bool, default=False
        For the logistic loss, also fit scikit-learn's ``LogisticRegression`` with
        ``C = 1 / (alpha n)`` and report the relative gap of its objective to ours.

    Returns
    -------
    theta : ndarray of shape (n_params,)
    constants : dict
        The ``OPTIMUM_FIELDS``: F(theta*), L, max_i L_i, mu, ||theta_0 - theta*||^2 and
        F(theta_0) - F* with theta_0 = 0, ||grad F(theta*)||, and the scikit-learn gap (NaN
        when not computed).
    """
    n = objective.n_samples
    X = objective.X_
    if objective.loss.name == "square":
        hessian = X.T @ X / n + objective.alpha * np.diag(objective.penalty_mask_)
        theta = np.linalg.lstsq(hessian, X.T @ objective.y / n, rcond=None)[0]
    else:
        from ftml.optim.lbfgs import lbfgs

        theta = lbfgs(objective, max_iter=10_000, tol=1e-12).coef
        # Newton converges quadratically from here: a few steps reach rounding level.
        for _ in range(20):
            gradient = objective.gradient(theta)
            step = np.linalg.solve(objective.hessian(theta), gradient)
            candidate = theta - step
            if not np.linalg.norm(objective.gradient(candidate)) < np.linalg.norm(gradient):
                break
            theta = candidate
    f_star = float(objective.value(theta))
    zero = np.zeros(objective.n_params)
    constants = {
        "f_star": f_star,
        "smoothness": float(objective.smoothness()),
        "max_sample_smoothness": float(np.max(objective.sample_smoothness())),
        "strong_convexity": float(objective.strong_convexity()),
        "initial_distance": float(theta @ theta),
        "initial_suboptimality": float(objective.value(zero) - f_star),
        "optimum_gradient_norm": float(np.linalg.norm(objective.gradient(theta))),
        "sklearn_relative_gap": float("nan"),
    }
    if compare_sklearn and objective.loss.name == "logistic":
        constants["sklearn_relative_gap"] = _sklearn_relative_gap(objective, f_star)
    return theta, constants


def _sklearn_relative_gap(objective, f_star):
    """(F(theta_sklearn) - F*) / |F*| for scikit-learn's lbfgs on the same problem."""
    from sklearn.linear_model import LogisticRegression

    fit_intercept = bool(objective.penalty_mask_[-1] == 0)
    X = objective.X_[:, :-1] if fit_intercept else objective.X_
    C = 1.0 / (objective.alpha * objective.n_samples)
    model = LogisticRegression(C=C, fit_intercept=fit_intercept, tol=1e-12, max_iter=100_000)
    model.fit(X, objective.y)
    theta = model.coef_.ravel()
    if fit_intercept:
        theta = np.append(theta, model.intercept_[0])
    return float((objective.value(theta) - f_star) / abs(f_star))


def resolve_solver_params(params, constants):
    """Turn steps given relative to the smoothness into numbers.

    ``step_over_L: c`` becomes ``step = c / L`` with L the objective's smoothness, and
    ``step_over_Lmax: c`` becomes ``c / max_i L_i``, the scale of per-sample steps; the
    config can then say "1.9 / L" whatever the data.

    Parameters
    ----------
    params : dict
        The solver's parameters from the config.
    constants : dict
        From :func:`reference_optimum`.

    Returns
    -------
    dict
    """
    params = dict(params)
    if "step_over_L" in params:
        params["step"] = params.pop("step_over_L") / constants["smoothness"]
    if "step_over_Lmax" in params:
        params["step"] = params.pop("step_over_Lmax") / constants["max_sample_smoothness"]
    return params


def objective_for(job, dataset):
    """The objective of an optimisation job or optimum job: its dataset's replicate-0 sample.

    The optimum job and every solver job call this, so they minimise the same function.
    """
    from ftml.experiments.seeding import derive_seed

    identity = (job["dataset"], job["data_params"])
    X, y = dataset.sample(derive_seed(job["seed"], "sample", *identity, 0))
    return build_objective(job["objective"], X, y)


def save_optima(optima, path):
    """Write the optima of one optima file (rule ``optimum``) to an ``.npz`` file.

    Parameters
    ----------
    optima : dict
        Each data point's ``data_id`` mapped to ``(theta, constants)`` from
        :func:`reference_optimum`.
    path : path-like
        Written atomically: a file is whole or absent.
    """
    from ftml.experiments.data import atomic_output

    arrays = {"data_ids": np.array(list(optima), dtype=str)}
    for index, (theta, constants) in enumerate(optima.values()):
        arrays[f"{index}.theta"] = theta
        arrays.update({f"{index}.{name}": constants[name] for name in OPTIMUM_FIELDS})
    with atomic_output(path) as temporary:
        with open(temporary, "wb") as handle:
            np.savez(handle, **arrays)


def load_optima(paths, needed=None):
    """Read what :func:`save_optima` wrote into one mapping.

    Parameters
    ----------
    paths : list of path-like
    needed : collection of str, default=None
        The ``data_id`` values to read, each of which must be in one of the files; None
        reads them all.

    Returns
    -------
    dict
        Each ``data_id`` mapped to ``(theta, constants)``.

    Raises
    ------
    KeyError
        If a needed optimum is in none of the files.
    """
    optima = {}
    for path in paths:
        with np.load(path) as stored:
            for index, data_id in enumerate(str(value) for value in stored["data_ids"]):
                if needed is None or data_id in needed:
                    optima[data_id] = (stored[f"{index}.theta"],
                                       {name: float(stored[f"{index}.{name}"])
                                        for name in OPTIMUM_FIELDS})
    missing = sorted(set(needed or ()) - set(optima))
    if missing:
        raise KeyError(f"no optima file among {[str(p) for p in paths]} holds {missing}")
    return optima
