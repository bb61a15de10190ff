"""The ``iterative`` protocol: the per-iteration history of an estimator's own algorithm.

Lloyd's algorithm, EM and backpropagation are iterative fits whose theorems speak of every
iteration (the inertia never increases, the likelihood never decreases, the loss falls).
An estimator that records such a history exposes it as a fitted attribute, one value per
iteration, and the catalog declares it as a ``history`` metric, computed from the fitted
estimator and its sample (the targets too, which an unsupervised fit never saw). Each replicate draws a sample from the dataset, fits a freshly
seeded estimator and writes one row per iteration, iteration 0 being the start (Lloyd's
initial centres, EM's initial parameters): the long table has a row per grid point,
replicate and iteration, and its summary one per grid point, iteration and metric, with
its mean and standard error over the replicates. A run that stopped stays where it
stopped: the summary carries its last values on to the point's longest run, so that every
iteration averages every replicate (averaging only the runs still going would make a mean
of non-decreasing curves fall each time a run with a high value stops). A claim on one
iteration selects it (``select: {iteration: 0}``, the seeding's inertia).
"""

import pandas as pd

from ftml.experiments.catalog import catalog
from ftml.experiments.protocols._base import (
    Protocol,
    finite_values,
    fit_estimator,
    fresh_estimator,
)
from ftml.experiments.seeding import derive_seed

__all__ = ["Iterative", "run_history_point"]


class Iterative(Protocol):
    name = "iterative"
    description = ("an estimator's own per-iteration history on each replicate; a row per "
                   "grid point, replicate and iteration")
    provides = frozenset({"iterations", "point_summary", "standard_error"})
    metric_kinds = ("history",)
    iteration_axes = ("iteration",)
    first_iteration = 0

    def measurements(self, checker, X, y, model, estimator, point, seed):
        estimator = fit_estimator(
            estimator, estimator.factory().set_params(**point.estimator_params), X, y)
        metrics = catalog().metrics_of(*self.metric_kinds)
        return {name: (lambda metric=metric: _history(metric, estimator, X, y))
                for name, metric in metrics.items()}

    def run_point(self, job, dataset):
        return run_history_point(job, dataset)

    def summary_group(self, experiment):
        return [*experiment.grid_names, "iteration"], ()

    def summary_rows(self, experiment, long):
        return carry_last_values(long, list(experiment.grid_names))


def carry_last_values(long, names):
    """The long table with each run's last row repeated up to its point's longest run.

    Parameters
    ----------
    long : pandas.DataFrame
        Rows per point (``names``), ``replicate`` and ``iteration``.
    names : list of str
        The columns that identify a point.

    Returns
    -------
    pandas.DataFrame
        The rows of ``long`` and the carried ones, per point in their first order, then
        by replicate and iteration.
    """
    runs = [*names, "replicate"]
    order = (long.groupby(names, sort=False).ngroup() if names
             else pd.Series(0, index=long.index))
    last = long.groupby(runs, sort=False)["iteration"].transform("max")
    longest = (long.groupby(names, sort=False)["iteration"].transform("max") if names
               else pd.Series(long["iteration"].max(), index=long.index))
    ends = (long["iteration"] == last).to_numpy()
    missing = (longest - last).to_numpy()[ends]
    carried = long[ends].loc[long.index[ends].repeat(missing)].copy()
    carried["iteration"] = (carried["iteration"].to_numpy()
                            + carried.groupby(level=0).cumcount().to_numpy() + 1)
    table = pd.concat([long.assign(_point=order), carried.assign(_point=order[ends].repeat(
        missing).to_numpy())], ignore_index=True)
    table = table.sort_values(["_point", "replicate", "iteration"], kind="stable")
    return table.drop(columns="_point").reset_index(drop=True)


def _history(metric, estimator, X, y):
    values = [float(value) for value in metric.compute(estimator, X, y)]
    if not values:
        raise ValueError(f"{metric.name}: the fitted estimator recorded no iteration")
    return values


def run_history_point(job, dataset):
    """Fit the job's estimator on each replicate and record its histories.

    Parameters
    ----------
    job : dict
        From :meth:`ftml.experiments.config.Config.training_job`, ``iterative`` protocol.
    dataset : object with ``sample(random_state)``
        From :func:`ftml.experiments.data.load_data_files`.

    Returns
    -------
    header : list of str
        The grid parameters, ``replicate``, ``iteration`` (0 for the start), the metrics.
    rows : list of list
        One row per iteration of each replicate.

    Raises
    ------
    ValueError
        If the histories of one fit differ in length.
    FloatingPointError
        If a value is not finite: a table never holds NaN.
    """
    seed = job["seed"]
    identity = (job["dataset"], job["data_params"])
    point_values = list(job["point"].values())
    metrics = [catalog().metrics[name] for name in job["metrics"]]
    declaration = catalog().estimators[job["estimator"]]
    header = [*job["point"], "replicate", "iteration", *job["metrics"]]
    rows = []
    for replicate in range(job["evaluation"]["replicates"]):
        X, y = dataset.sample(derive_seed(seed, "sample", *identity, replicate))
        estimator = fit_estimator(declaration, fresh_estimator(job, replicate), X, y)
        histories = [_history(metric, estimator, X, y) for metric in metrics]
        lengths = {len(history) for history in histories}
        if len(lengths) > 1:
            raise ValueError(f"{job['experiment']}: the histories {job['metrics']} have "
                             f"different lengths {sorted(lengths)} at {job['point']}")
        for index, values in enumerate(zip(*histories)):
            rows.append([*point_values, replicate, index,
                         *finite_values(values, job, replicate)])
    return header, rows
