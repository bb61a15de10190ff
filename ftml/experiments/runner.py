"""Train one grid point of an experiment: the body of every training job.

This module imports numpy and ftml only (no pandas, no matplotlib), since a job's start-up
is paid hundreds of times per run.
"""

import csv
import math
import warnings

from ftml.experiments import registry
from ftml.experiments.data import atomic_output
from ftml.experiments.seeding import derive_seed
from ftml.experiments.truth_metrics import MonteCarloContext
from ftml.exceptions import ConvergenceWarning
from ftml.model_selection import KFold
from ftml.preprocessing import StandardScaler

__all__ = ["run_point", "run_optimization_point", "write_rows"]


def run_point(job, dataset):
    """Fit the job's estimator on each replicate (and fold) and measure its metrics.

    Parameters
    ----------
    job : dict
        From :meth:`ftml.experiments.config.Config.training_job`.
    dataset : LinearGaussianModel or ObservedData
        From :func:`ftml.experiments.data.load_dataset`.

    Returns
    -------
    header : list of str
        The grid parameters, ``replicate`` (and ``fold`` for cross-validation), the metrics.
    rows : list of list
        One row per replicate (Monte Carlo) or per (repeat, fold) (cross-validation).

    Raises
    ------
    FloatingPointError
        If a metric is not finite: a table never holds NaN.

    Notes
    -----
    Sample ``r`` is drawn from a seed that depends on the dataset, its parameters and ``r``
    only, so every estimator and hyperparameter sees the same samples (common random
    numbers): differences between grid points are then not blurred by sampling noise.
    """
    seed = job["seed"]
    evaluation = job["evaluation"]
    monte_carlo = evaluation["protocol"] == "monte_carlo"
    identity = (job["dataset"], job["data_params"])
    point_values = list(job["point"].values())
    estimator_class = registry.ESTIMATORS[job["estimator"]]
    header = [*job["point"], "replicate"] + ([] if monte_carlo else ["fold"]) + job["metrics"]
    rows = []
    for replicate in range(evaluation["replicates"]):
        X, y = dataset.sample(derive_seed(seed, "sample", *identity, replicate))
        fold_seed = derive_seed(seed, "folds", *identity, replicate)
        if monte_carlo:
            estimator = _estimator(estimator_class, job, replicate).fit(X, y)
            context = MonteCarloContext(dataset, evaluation["folds"], fold_seed)
            values = [
                registry.MONTE_CARLO_METRICS[name](estimator, X, y, context)
                for name in job["metrics"]
            ]
            rows.append([*point_values, replicate, *_finite(values, job, replicate)])
            continue
        folds = KFold(evaluation["folds"], shuffle=True, random_state=fold_seed)
        for fold, (train, test) in enumerate(folds.split(X)):
            X_train, X_test = X[train], X[test]
            if evaluation.get("standardize", False):
                # Statistics from the training fold only: the validation fold stays unseen.
                scaler = StandardScaler().fit(X_train)
                X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)
            estimator = _estimator(estimator_class, job, replicate, fold)
            estimator.fit(X_train, y[train])
            predictions = estimator.predict(X_test)
            values = [
                registry.CROSS_VALIDATION_METRICS[name](y[test], predictions)
                for name in job["metrics"]
            ]
            rows.append([*point_values, replicate, fold, *_finite(values, job, replicate, fold)])
    return header, rows


def run_optimization_point(job, dataset, theta_star, constants):
    """Run one solver configuration on the experiment's objective and record its history.

    Parameters
    ----------
    job : dict
        From :meth:`ftml.experiments.config.Config.training_job`, for the ``optimization``
        protocol: ``objective``, ``solver``, ``solver_params``, ``evaluation.max_iter``.
    dataset : LinearGaussianModel or ObservedData
        The data; its replicate-0 sample defines the objective.
    theta_star : ndarray
        The objective's minimiser, from :func:`ftml.experiments.optimization.reference_optimum`.
    constants : dict
        The same function's constants (F*, L, ...).

    Returns
    -------
    header : list of str
        The grid parameters and ``solver``, ``replicate``, ``iteration``, ``passes``, the
        metrics, ``diverged``.
    rows : list of list
        One row per recorded iteration of each replicate; a replicate is a run of a
        stochastic solver with its own random seed (a deterministic solver runs once). A diverging run stops at
        its last finite iterate and is flagged, never written as NaN.
    """
    from ftml.experiments.optimization import objective_for, resolve_solver_params

    seed = job["seed"]
    objective = objective_for(job, dataset)
    solver = registry.SOLVERS[job["solver"]]
    function = solver.load()
    params = {**solver.fixed, **resolve_solver_params(job["solver_params"], constants)}
    params[solver.budget] = job["evaluation"]["max_iter"]
    f_star = constants["f_star"]
    header = [*job["point"], "replicate", "iteration", "passes", *job["metrics"], "diverged"]
    rows = []
    point_values = list(job["point"].values())
    # A deterministic solver would repeat itself: it runs once, whatever the replicates.
    replicates = job["evaluation"]["replicates"] if solver.budget == "max_epochs" else 1
    for replicate in range(replicates):
        if solver.budget == "max_epochs":
            params["random_state"] = derive_seed(
                seed, "solver", job["experiment"], job["point"], replicate
            )
        with warnings.catch_warnings():
            # Hitting the budget is the experiment's design, not a problem to report.
            warnings.simplefilter("ignore", ConvergenceWarning)
            result = function(objective, f_star=f_star, theta_star=theta_star, **params)
        history = result.history
        history["relative_suboptimality"] = [
            value / abs(f_star) if f_star else value for value in history["suboptimality"]
        ]
        for index, iteration in enumerate(history["iteration"]):
            values = [history[name][index] for name in job["metrics"]]
            rows.append([
                *point_values, replicate, int(iteration), float(history["passes"][index]),
                *_finite(values, job, replicate), bool(result.diverged),
            ])
    return header, rows


def _estimator(estimator_class, job, replicate, fold=None):
    """A fresh estimator with the job's parameters; a stochastic one gets a seed derived
    from the job's identity, so that its draws do not depend on the order of the jobs."""
    estimator = estimator_class(**job["estimator_params"])
    if "random_state" in estimator.get_params(deep=False):
        seed = derive_seed(job["seed"], "estimator", job["experiment"], job["point"], replicate,
                           fold)
        estimator.set_params(random_state=int(seed.generate_state(1)[0]))
    return estimator


def _finite(values, job, replicate, fold=None):
    """Check that every defined value is finite; None (undefined here) passes through and
    is written as an empty cell."""
    values = [None if value is None else float(value) for value in values]
    for name, value in zip(job["metrics"], values):
        if value is not None and not math.isfinite(value):
            where = f"replicate {replicate}" + ("" if fold is None else f", fold {fold}")
            raise FloatingPointError(
                f"{job['experiment']}: metric {name} is {value} at {job['point']}, {where}"
            )
    return values


def write_rows(path, header, rows):
    """Write rows to a CSV file atomically; floats keep every digit (``repr``)."""
    with atomic_output(path) as temporary:
        with open(temporary, "w", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(header)
            writer.writerows(
                [repr(value) if isinstance(value, float) else value for value in row]
                for row in rows
            )
