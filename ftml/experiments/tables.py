"""Aggregate an experiment's runs into its tables, and evaluate its theories.

Three tables per experiment, all plain CSV:

- the long table: one row per grid point and replicate (and fold), parameters then metrics;
- the summary: one row per grid point and metric, with the mean, the standard deviation, the
  standard error and a 95% Student-t confidence interval of the mean;
- the theory table: one row per grid point, one column per closed form the experiment uses.
"""

import numpy as np
import pandas as pd
# Student's t quantile from scipy.special: scipy.stats costs a second to import, paid by
# every tabulate and check job.
from scipy import special

from ftml.experiments.catalog import catalog
from ftml.experiments.integrity import IncompleteResultError, require_complete

__all__ = [
    "class_report_table",
    "confusion_matrices",
    "long_table",
    "summary_table",
    "theory_names",
    "theory_table",
    "timing_table",
    "write_csv",
]

SUMMARY_COLUMNS = ["metric", "count", "mean", "std", "sem", "ci95_low", "ci95_high"]


def long_table(run_paths, read=pd.read_csv):
    """Concatenate the training jobs' CSV files, in the order given (the grid's order).

    ``read`` reads one file: in the workflow,
    :meth:`~ftml.experiments.integrity.ManifestReader.read_csv`, which refuses a file that
    differs from what its job wrote.
    """
    return pd.concat([read(path) for path in run_paths], ignore_index=True)


def tabulate(experiment, run_paths, truth_paths, *, read=pd.read_csv):
    """Build an experiment's three tables from its run files.

    Parameters
    ----------
    experiment : ftml.experiments.config.Experiment
    run_paths : list of path-like
        The training jobs' outputs (one per batch of grid points), in the grid's order.
    truth_paths : list of path-like
        One file per dataset point, ``<dataset>/<data_id>.npz``: the datasets (their ground
        truth, or the data), or for an optimisation experiment the optima.
    read : callable, default=pandas.read_csv
        Reads one run file (see :func:`long_table`).

    Returns
    -------
    long, summary, theory : pandas.DataFrame

    Raises
    ------
    ftml.experiments.integrity.IncompleteResultError
        If the runs lack a grid point, a replicate, a fold or an iteration the config
        promises.
    """
    long = long_table(run_paths, read)
    require_complete(experiment, long, f"{len(run_paths)} run file(s) such as {run_paths[0]}")
    protocol = experiment.protocol
    # The ground truth is read only where a theory or a constant needs it: the designs of a
    # wide grid weigh gigabytes, and a closed form such as sigma^2 d / n reads none.
    theories = catalog().theories
    used = [theories[name] for name in theory_names(experiment.spec) if name in theories]
    if protocol.theory_constants or any(t.needs_model or t.needs_data for t in used):
        truths = protocol.load_truths(experiment, truth_paths)
    else:
        truths = {}
    group, carry = protocol.summary_group(experiment)
    summary = summary_table(protocol.summary_rows(experiment, long), group,
                            experiment.spec["metrics"], carry=carry)
    return long, summary, theory_table(experiment, truths)


def summary_table(long, grid_names, metrics, carry=()):
    """Summarise each metric per grid point.

    Parameters
    ----------
    long : pandas.DataFrame
        The long table.
    grid_names : list of str
        The grid's parameters, which identify a point.
    metrics : list of str
        The metric columns.
    carry : sequence of str, default=()
        Columns whose per-group mean is kept beside each row (``passes`` of an iteration).

    Returns
    -------
    pandas.DataFrame
        One row per (grid point, metric), points in the long table's order, with the columns
        ``grid_names + SUMMARY_COLUMNS``. The confidence interval is
        ``mean ± t_{0.975, count - 1} * sem``; with one replicate, the spread columns are empty.
    """
    # Vectorised over groups: an optimisation experiment has one group per iteration.
    grouped = long.groupby(grid_names, sort=False)
    parts = []
    for metric in metrics:
        stats_frame = grouped[metric].agg(["count", "mean", "std"]).reset_index()
        for name in carry:
            stats_frame[name] = grouped[name].mean().to_numpy()
        count = stats_frame["count"].to_numpy()
        several = count > 1
        std = np.where(several, stats_frame["std"].to_numpy(dtype=float), np.nan)
        sem = std / np.sqrt(count)
        half_width = np.where(
            several, special.stdtrit(np.maximum(count - 1, 1), 0.975) * sem, np.nan
        )
        mean = stats_frame["mean"].to_numpy(dtype=float)
        stats_frame = stats_frame[[*grid_names, *carry]].assign(
            metric=metric, count=count, mean=mean, std=std, sem=sem,
            ci95_low=mean - half_width, ci95_high=mean + half_width,
        )
        stats_frame["order"] = np.arange(len(stats_frame))
        parts.append(stats_frame)
    # Points in the long table's order, and within a point the metrics in config order.
    table = pd.concat(parts, keys=range(len(parts)), names=["metric_order"]).reset_index(0)
    table = table.sort_values(["order", "metric_order"], kind="stable")
    return table.drop(columns=["order", "metric_order"]).reset_index(drop=True)


def theory_names(spec):
    """Return the theories an experiment's checks and figure use, in first-use order."""
    from ftml.experiments.checks import CHECKS

    names = [check[key] for check in spec["checks"] if check["check"] in CHECKS
             for key, role in CHECKS[check["check"]].keys.items()
             if role == "theory" and key in check]
    for panel in spec["figure"]:
        names += panel["theory"] + panel["vlines"]
    return list(dict.fromkeys(names))


def theory_table(experiment, models):
    """Evaluate the experiment's theories at each grid point.

    Parameters
    ----------
    experiment : ftml.experiments.config.Experiment
    models : dict
        The ground-truth model (or the observed data) of each ``(dataset, data_id)``.

    Returns
    -------
    pandas.DataFrame
        The grid parameters, then one column per theory.
    """
    theories = catalog().theories
    names = [name for name in theory_names(experiment.spec) if name in theories]
    constants = list(experiment.protocol.theory_constants)
    rows = []
    for point in experiment.points:
        merged = experiment.protocol.theory_params(experiment.spec, point)
        model = models.get((point.dataset, point.data_id))
        values = [float(theories[name].evaluate(model, merged)) for name in names]
        rows.append([*point.params.values(), *(model[c] for c in constants), *values])
    return pd.DataFrame(rows, columns=[*experiment.grid_names, *constants, *names])


def _labels(values):
    """Labels as read from CSV: integral floats (bundled targets) shown as integers."""
    values = np.asarray(values)
    if values.dtype.kind == "f" and np.all(values == np.round(values)):
        return values.astype(np.int64)
    return values


def _point_predictions(experiment, prediction_paths, read):
    """Yield each grid point and its pooled out-of-fold ``(y_true, y_pred)``, in the grid's
    order, from the training jobs' prediction files (a batch of points each)."""
    frame = pd.concat([read(path) for path in prediction_paths], ignore_index=True)
    groups = dict(iter(frame.groupby(experiment.grid_names, sort=False)))
    for point in experiment.points:
        rows = groups.get(tuple(point.params.values()))
        if rows is None:
            raise IncompleteResultError(f"{experiment.name}: point {point.id} has no "
                                        "out-of-fold predictions in " + ", ".join(
                                            map(str, prediction_paths)))
        _require_every_fold(experiment, point, rows)
        yield point, _labels(rows["y_true"].to_numpy()), _labels(rows["y_pred"].to_numpy())


def _require_every_fold(experiment, point, rows):
    """A point's predictions hold every (replicate, fold) its config promises, and each
    repeat predicts the same samples, each once (its folds partition the data)."""
    runs = set(rows[["replicate", "fold"]].itertuples(index=False, name=None))
    expected = experiment.protocol.expected_runs(experiment, point)
    problem = None
    if runs != expected:
        problem = f"holds {len(runs & expected)} of its {len(expected)} (replicate, fold) runs"
    else:
        samples = [np.sort(group.to_numpy()) for _, group in
                   rows.groupby("replicate", sort=True)["index"]]
        first = samples[0]
        if any(part.shape != first.shape or (part != first).any() for part in samples) or (
                np.unique(first).shape != first.shape):
            problem = "does not predict each sample once per repeat"
    if problem is not None:
        raise IncompleteResultError(
            f"{experiment.name}: the out-of-fold predictions of point {point.id} {problem}; "
            f"delete the experiment's run files and rerun: rm -r results/runs/"
            f"{experiment.name} results/predictions/{experiment.name} && snakemake --cores all")


def class_report_table(experiment, prediction_paths, *, read=pd.read_csv):
    """Per grid point, scikit-learn's classification report of the out-of-fold predictions.

    Each repeat predicts every sample once, held out; the report pools the repeats, so its
    ``support`` counts each sample once per repeat.

    Parameters
    ----------
    experiment : ftml.experiments.config.Experiment
    prediction_paths : list of path-like
        The ``predictions`` output of each training job, in the grid's order.

    Returns
    -------
    pandas.DataFrame
        The grid parameters, ``class`` (a label, ``accuracy``, ``macro avg`` or ``weighted
        avg``), precision, recall, f1-score, specificity and support.
    """
    from ftml.metrics import classification_report

    parts = []
    for point, y_true, y_pred in _point_predictions(experiment, prediction_paths, read):
        report = classification_report(y_true, y_pred, zero_division=0.0)
        report = report.rename_axis("class").reset_index()
        report["class"] = report["class"].astype(str)
        for position, (name, value) in enumerate(point.params.items()):
            report.insert(position, name, value)
        parts.append(report)
    return pd.concat(parts, ignore_index=True)


def confusion_matrices(experiment, prediction_paths, *, read=pd.read_csv):
    """The pooled out-of-fold confusion matrix of each grid point.

    Returns
    -------
    list of (dict, ndarray, ndarray)
        The point's parameters, its labels and its matrix (rows: true, columns: predicted).
    """
    from ftml.metrics import confusion_matrix

    matrices = []
    for point, y_true, y_pred in _point_predictions(experiment, prediction_paths, read):
        labels = np.union1d(y_true, y_pred)
        matrices.append((point.params, labels, confusion_matrix(y_true, y_pred, labels=labels)))
    return matrices


def timing_table(experiment, timing_paths, *, read=pd.read_csv):
    """Wall-clock fit and predict time per grid point: median and total over the folds.

    Timings differ from run to run: this table is written apart from the reproducible ones
    and compared by no test.
    """
    parts = []
    for path in timing_paths:
        parts.append(read(path))
    frame = pd.concat(parts, ignore_index=True)
    names = experiment.grid_names
    grouped = frame.groupby(names, sort=False) if names else frame.groupby(lambda _: 0)
    table = grouped.agg(
        folds=("fit_seconds", "count"),
        median_fit_seconds=("fit_seconds", "median"),
        total_fit_seconds=("fit_seconds", "sum"),
        median_predict_seconds=("predict_seconds", "median"),
    ).reset_index(drop=not names)
    return table


def write_csv(table, path):
    """Write a table with every float digit kept, so equal runs give equal bytes."""
    from ftml.experiments.data import atomic_output

    with atomic_output(path) as temporary:
        table.to_csv(temporary, index=False, float_format=None, lineterminator="\n")
