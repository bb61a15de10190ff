"""Train the grid points of an experiment: the body of every training job.

This module imports numpy and ftml only (no pandas, no matplotlib), since a job's start-up
is paid hundreds of times per run.
"""

import csv
import math
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ftml.experiments import registry
from ftml.experiments.data import atomic_output, load_dataset
from ftml.experiments.seeding import derive_seed
from ftml.experiments.truth_metrics import MonteCarloContext
from ftml.exceptions import ConvergenceWarning
from ftml.model_selection import KFold, StratifiedKFold
from ftml.preprocessing import StandardScaler

__all__ = ["run_point", "cross_validate_point", "CrossValidationRun", "fold_metrics",
           "run_optimization_point", "run_points", "cross_validate_points", "write_rows"]


def run_points(jobs, dataset_paths, optimum_paths=()):
    """Run one training job's grid points (``monte_carlo`` or ``optimization`` protocol),
    in the grid's order, reading each dataset and optimum once.

    Parameters
    ----------
    jobs : list of dict
        From :meth:`ftml.experiments.config.Config.training_jobs`.
    dataset_paths : list of path-like
        The files ``<dataset>/<data_id>.npz`` the points read.
    optimum_paths : list of path-like
        For the optimization protocol, the optima ``<data_id>.npz`` of the points' data.

    Returns
    -------
    header : list of str
    rows : list of list
        :func:`run_point`'s (or :func:`run_optimization_point`'s) rows of each point, one
        point after the other: what one job per point would have written, concatenated.
    """
    datasets = _by_identity(dataset_paths, load_dataset, with_parent=True)
    if jobs[0]["evaluation"]["protocol"] == "optimization":
        from ftml.experiments.optimization import load_optimum

        optima = _by_identity(optimum_paths, load_optimum, with_parent=False)
    header, rows = None, []
    for job in jobs:
        dataset = datasets[job["dataset"], job["data_id"]]
        if job["evaluation"]["protocol"] == "optimization":
            header, part = run_optimization_point(job, dataset, *optima[job["data_id"]])
        else:
            header, part = run_point(job, dataset)
        rows += part
    return header, rows


def cross_validate_points(jobs, dataset_paths):
    """Cross-validate one training job's grid points, in the grid's order.

    Parameters
    ----------
    jobs : list of dict
        From :meth:`ftml.experiments.config.Config.training_jobs` (``cross_validation``).
    dataset_paths : list of path-like
        The files ``<dataset>/<data_id>.npz`` the points read.

    Returns
    -------
    CrossValidationRun
        The points' runs (:func:`cross_validate_point`), concatenated.
    """
    datasets = _by_identity(dataset_paths, load_dataset, with_parent=True)
    run = None
    for job in jobs:
        part = cross_validate_point(job, datasets[job["dataset"], job["data_id"]])
        if run is None:
            run = part
        else:
            run.rows += part.rows
            run.predictions += part.predictions
            run.timings += part.timings
    return run


def _by_identity(paths, load, *, with_parent):
    """Load each file once, keyed by ``(parent directory, stem)`` or by ``stem``."""
    loaded = {}
    for path in map(Path, paths):
        key = (path.parent.name, path.stem) if with_parent else path.stem
        loaded[key] = load(path)
    return loaded


def run_point(job, dataset):
    """Fit the job's estimator on each replicate and measure it against the ground truth.

    Parameters
    ----------
    job : dict
        From :meth:`ftml.experiments.config.Config.training_job`, ``monte_carlo`` protocol.
    dataset : LinearGaussianModel
        From :func:`ftml.experiments.data.load_dataset`.

    Returns
    -------
    header : list of str
        The grid parameters, ``replicate``, the metrics.
    rows : list of list
        One row per replicate.

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
    identity = (job["dataset"], job["data_params"])
    point_values = list(job["point"].values())
    header = [*job["point"], "replicate", *job["metrics"]]
    rows = []
    for replicate in range(evaluation["replicates"]):
        X, y = dataset.sample(derive_seed(seed, "sample", *identity, replicate))
        fold_seed = derive_seed(seed, "folds", *identity, replicate)
        estimator = _estimator(job, replicate).fit(X, y)
        context = MonteCarloContext(dataset, evaluation["folds"], fold_seed)
        values = [
            registry.MONTE_CARLO_METRICS[name](estimator, X, y, context)
            for name in job["metrics"]
        ]
        rows.append([*point_values, replicate, *_finite(values, job, replicate)])
    return header, rows


@dataclass
class CrossValidationRun:
    """What a cross-validation job writes: its rows, and beside them the out-of-fold
    predictions and the timings.

    Attributes
    ----------
    header, rows : list
        One row per (repeat, fold): the grid parameters, ``replicate``, ``fold``, metrics.
    prediction_header, predictions : list
        One row per held-out sample of each (repeat, fold): the grid parameters,
        ``replicate``, ``fold``, ``index`` (the sample's row in the data), ``y_true``,
        ``y_pred``.
    timing_header, timings : list
        One row per (repeat, fold): the grid parameters, fit and predict wall-clock seconds.
        Timings vary between runs: they are kept apart from the tables, which are
        reproducible.
    """

    header: list
    rows: list = field(default_factory=list)
    prediction_header: list = field(default_factory=list)
    predictions: list = field(default_factory=list)
    timing_header: list = field(default_factory=list)
    timings: list = field(default_factory=list)


def cross_validate_point(job, dataset):
    """Fit the job's estimator on every training fold of every repeat and measure it on the
    held-out fold.

    Parameters
    ----------
    job : dict
        From :meth:`ftml.experiments.config.Config.training_job`, ``cross_validation``
        protocol. The evaluation may stratify the folds, standardise each training fold,
        and search a hyperparameter inside it; the point may set ``standardize``,
        ``train_size`` (a fraction of the training fold) and ``search_cv``.
    dataset : ObservedData or LinearGaussianModel
        From :func:`ftml.experiments.data.load_dataset`.

    Returns
    -------
    CrossValidationRun

    Raises
    ------
    FloatingPointError
        If a metric is not finite: a table never holds NaN.

    Notes
    -----
    The folds of repeat ``r`` depend on the dataset and ``r`` only: every estimator and
    hyperparameter is measured on the same folds (common random numbers). With
    ``train_size`` below 1, the training subset is the first part of a permutation drawn
    once per (repeat, fold), so smaller subsets are nested in larger ones.
    """
    seed = job["seed"]
    evaluation = job["evaluation"]
    point = job["point"]
    identity = (job["dataset"], job["data_params"])
    point_values = list(point.values())
    standardize = point.get("standardize", evaluation.get("standardize", False))
    train_size = point.get("train_size", 1.0)
    stratify = evaluation.get("stratify", False)
    metrics = job["metrics"]
    needs_train_predictions = any(name.startswith("train_") for name in metrics)
    run = CrossValidationRun(
        header=[*point, "replicate", "fold", *metrics],
        prediction_header=[*point, "replicate", "fold", "index", "y_true", "y_pred"],
        timing_header=[*point, "replicate", "fold", "fit_seconds", "predict_seconds"],
    )
    for replicate in range(evaluation["replicates"]):
        X, y = dataset.sample(derive_seed(seed, "sample", *identity, replicate))
        fold_seed = derive_seed(seed, "folds", *identity, replicate)
        splitter = (StratifiedKFold if stratify else KFold)(
            evaluation["folds"], shuffle=True, random_state=fold_seed
        )
        for fold, (train, test) in enumerate(splitter.split(X, y)):
            if train_size < 1.0:
                order = derive_seed(seed, "subsample", *identity, replicate, fold)
                train = _subsample(train, y[train], train_size, order, stratify)
            X_train, X_test = X[train], X[test]
            if standardize:
                # Statistics from the training fold only: the validation fold stays unseen.
                scaler = StandardScaler().fit(X_train)
                X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)
            estimator = _estimator(job, replicate, fold)
            if "search" in evaluation:
                estimator = _search(estimator, job, replicate, fold)
            start = time.perf_counter()
            estimator.fit(X_train, y[train])
            fitted = time.perf_counter()
            test_predictions = estimator.predict(X_test)
            predicted = time.perf_counter()
            train_predictions = estimator.predict(X_train) if needs_train_predictions else None
            test_score = (
                estimator.score(X_test, y[test]) if "search" in evaluation else None
            )
            values = fold_metrics(metrics, estimator, y[train], train_predictions, y[test],
                                  test_predictions, test_score)
            run.rows.append([*point_values, replicate, fold,
                             *_finite(values, job, replicate, fold)])
            run.predictions += [
                [*point_values, replicate, fold, int(index), truth, prediction]
                for index, truth, prediction in zip(test, y[test].tolist(),
                                                    test_predictions.tolist())
            ]
            run.timings.append([*point_values, replicate, fold, fitted - start,
                                predicted - fitted])
    return run


def fold_metrics(names, estimator, y_train, train_predictions, y_test, test_predictions,
                 test_score=None):
    """Measure the named metrics of one fold.

    A prediction metric compares ``test_predictions`` with ``y_test`` (``train_<name>``:
    the training fold's); a model metric reads the fitted estimator (the refitted best one
    of a search); a search metric reads the search and ``test_score``.
    """
    model = getattr(estimator, "best_estimator_", estimator)
    values = []
    for name in names:
        if name in registry.CROSS_VALIDATION_METRICS:
            values.append(registry.CROSS_VALIDATION_METRICS[name](y_test, test_predictions))
        elif name.startswith("train_") and name[6:] in registry.CROSS_VALIDATION_METRICS:
            values.append(registry.CROSS_VALIDATION_METRICS[name[6:]](y_train, train_predictions))
        elif name in registry.MODEL_METRICS:
            values.append(registry.MODEL_METRICS[name](model))
        else:
            values.append(registry.SEARCH_METRICS[name](estimator, test_score))
    return values


def _subsample(train, labels, fraction, seed, stratify):
    """The first ``ceil(fraction * len(train))`` of a random permutation of ``train``.

    Stratified, the permutation is reordered so that every prefix holds each class in
    proportion (each class's members are spread evenly along it).
    """
    rng = np.random.default_rng(seed)
    order = rng.permutation(train.shape[0])
    if stratify:
        ranks = np.empty(order.shape[0])
        for label in np.unique(labels):
            members = order[labels[order] == label]
            # the k-th member of a class of size c sits at (k + 1/2) / c along the order
            ranks[members] = (np.arange(members.shape[0]) + 0.5) / members.shape[0]
        order = order[np.argsort(ranks[order], kind="stable")]
    size = max(2, math.ceil(fraction * train.shape[0]))
    return np.sort(train[order[:size]])


def _search(estimator, job, replicate, fold):
    """Wrap the estimator in a grid search over ``evaluation.search``: one hold-out split
    or k folds of the training fold, as the point's ``search_cv`` says."""
    from ftml.model_selection import (
        GridSearchCV,
        ShuffleSplit,
        StratifiedShuffleSplit,
    )

    evaluation = job["evaluation"]
    search = evaluation["search"]
    method = job["point"].get("search_cv", search["cv"])
    stratify = evaluation.get("stratify", False)
    # The same inner seed for every method: they differ by their splits' design only.
    inner_seed = derive_seed(job["seed"], "search", job["dataset"], job["data_params"],
                             replicate, fold)
    if method == "holdout":
        inner = (StratifiedShuffleSplit if stratify else ShuffleSplit)(
            1, test_size=search["validation_size"], random_state=inner_seed
        )
    else:
        inner = (StratifiedKFold if stratify else KFold)(
            search["folds"], shuffle=True, random_state=inner_seed
        )
    scoring = "accuracy" if search["scoring"] == "accuracy_score" else search["scoring"]
    return GridSearchCV(estimator, {search["parameter"]: search["values"]}, scoring=scoring,
                        cv=inner)


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


def _estimator(job, replicate, fold=None):
    """A fresh estimator with the job's parameters; a stochastic one (or one nesting a
    stochastic one) gets a seed derived from the job's identity, so that its draws do not
    depend on the order of the jobs."""
    estimator = registry.ESTIMATORS[job["estimator"]]().set_params(**job["estimator_params"])
    seeded = [name for name in estimator.get_params(deep=True)
              if name.rpartition("__")[2] in registry.SEEDED_PARAMETERS]
    if seeded:
        seed = derive_seed(job["seed"], "estimator", job["experiment"], job["point"], replicate,
                           fold)
        value = int(seed.generate_state(1)[0])
        estimator.set_params(**{name: value for name in seeded})
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
