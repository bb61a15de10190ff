"""Turn an experiment's tables into verdicts: what theory predicts against what was measured.

Each check returns rows of ``experiment, claim, predicted, measured, tolerance, holds``. A
claim that fails is a row with ``holds`` False, never an exception: the report shows it.
"""

import numpy as np
import pandas as pd
from scipy import stats

from ftml.experiments import registry

__all__ = ["VERDICT_COLUMNS", "verdicts"]

VERDICT_COLUMNS = ["experiment", "claim", "predicted", "measured", "tolerance", "holds"]


def verdicts(experiment, long, summary, theory):
    """Evaluate every check of an experiment.

    Parameters
    ----------
    experiment : ftml.experiments.config.Experiment
    long, summary, theory : pandas.DataFrame
        The experiment's tables (see :mod:`ftml.experiments.tables`).

    Returns
    -------
    pandas.DataFrame
        One row per checked claim, columns ``VERDICT_COLUMNS``.
    """
    rows = []
    for check in experiment.spec["checks"]:
        kind = _CHECKS[check["check"]]
        rows += [[experiment.name, *row] for row in kind(check, experiment, long, summary, theory)]
    table = pd.DataFrame(rows, columns=VERDICT_COLUMNS)
    return table.astype({"holds": bool})


def _measured_and_predicted(check, experiment, summary, theory):
    names = experiment.grid_names
    measured = summary[summary["metric"] == check["metric"]].reset_index(drop=True)
    merged = measured.merge(theory[[*names, check["theory"]]], on=names, how="left")
    return merged.rename(columns={check["theory"]: "predicted"})


def _describe(point, names):
    return ", ".join(f"{name}={point[name]:g}" if isinstance(point[name], (int, float))
                     else f"{name}={point[name]}" for name in names)


def _critical_value(probability, count):
    """The ``probability`` quantile of Student's t with ``count - 1`` degrees of freedom.

    The standard error is estimated from ``count`` values, so the studentised mean follows
    Student's t, not the normal law: with few replicates the normal quantile is too small
    and a band built on it rejects an exact theory far more often than its level says
    (with 5 replicates and 10 points at level 0.05, about half the time). For many
    replicates the two agree. ``count`` may be an array; a count below 2 gives NaN.
    """
    freedom = np.asarray(count, dtype=float) - 1
    return np.where(freedom > 0, stats.t.ppf(probability, np.maximum(freedom, 1)), np.nan)


def _band(sem, predicted):
    # Rounding, not sampling, limits a deterministic metric: allow its last digits.
    return np.maximum(sem, 1e-12 * np.maximum(1.0, np.abs(predicted)))


def _matches_theory(check, experiment, long, summary, theory):
    """The mean equals the theory at every point, within z standard errors.

    z is Bonferroni-corrected so that, if the theory is exact (and the metric normal), all
    points pass together with probability at least 1 - level: z = t_{count - 1}^{-1}(1 -
    level / (2 m)) for m points, close to Phi^{-1}(1 - level / (2 m)) for many replicates.
    """
    table = _measured_and_predicted(check, experiment, summary, theory)
    level = check.get("level", 0.01)
    formula = registry.THEORIES[check["theory"]].formula
    rows = []
    critical = _critical_value(1 - level / (2 * len(table)), table["count"])
    for (_, point), z in zip(table.iterrows(), critical):
        tolerance = z * _band(point["sem"], point["predicted"])
        rows.append([
            f"mean {check['metric']} = {formula} at {_describe(point, experiment.grid_names)} "
            f"(±{z:.2f} SE, {point['count']:g} replicates)",
            point["predicted"],
            point["mean"],
            tolerance,
            bool(abs(point["mean"] - point["predicted"]) <= tolerance),
        ])
    return rows


def _below_theory(check, experiment, long, summary, theory):
    """The best point's mean lies below the theory, by more than z standard errors."""
    table = _measured_and_predicted(check, experiment, summary, theory)
    best = table.loc[table["mean"].idxmin()]
    z = float(_critical_value(1 - check.get("level", 0.01), best["count"]))
    tolerance = z * _band(best["sem"], best["predicted"])
    formula = registry.THEORIES[check["theory"]].formula
    return [[
        f"min over the grid of mean {check['metric']} < {formula} "
        f"(best at {_describe(best, experiment.grid_names)}, one-sided {z:.2f} SE)",
        best["predicted"],
        best["mean"],
        tolerance,
        bool(best["mean"] + tolerance < best["predicted"]),
    ]]


def _selects_near_theory(check, experiment, long, summary, theory):
    """Per replicate, the grid value minimising the metric lands near the theory's value.

    With cross-validation, a replicate's folds are averaged first. The median of the selected
    values over replicates must lie within ``factor`` of the theory, in ratio.
    """
    parameter = check["parameter"]
    factor = check.get("factor", 3.0)
    names = experiment.grid_names
    others = [name for name in names if name != parameter]
    per_replicate = long.groupby([*others, "replicate", parameter], sort=False)[check["metric"]]
    per_replicate = per_replicate.mean().reset_index()
    rows = []
    groups = per_replicate.groupby(others, sort=False) if others else [((), per_replicate)]
    formula = registry.THEORIES[check["theory"]].formula
    for key, group in groups:
        best = group.loc[group.groupby("replicate", sort=False)[check["metric"]].idxmin()]
        selected = float(np.median(best[parameter].to_numpy(dtype=float)))
        key = key if isinstance(key, tuple) else (key,)
        mask = np.ones(len(theory), dtype=bool)
        for name, value in zip(others, key):
            mask &= (theory[name] == value).to_numpy()
        predicted = float(theory.loc[mask, check["theory"]].iloc[0])
        ratio = _ratio(selected, predicted)
        where = f" at {_describe(dict(zip(others, key)), others)}" if others else ""
        rows.append([
            f"{parameter} minimising {check['metric']} (median over {best.shape[0]} replicates)"
            f" within a factor {factor:g} of {formula}{where}",
            predicted,
            selected,
            factor,
            bool(ratio <= factor),
        ])
    return rows


def _ratio(a, b):
    """max(a / b, b / a) for positive a and b: infinite if only one of them is 0 (a grid
    that includes alpha = 0, an oracle at 0), 1 if both are."""
    if a == b:
        return 1.0
    if a <= 0 or b <= 0:
        return np.inf
    return max(a / b, b / a)


_CHECKS = {
    "matches_theory": _matches_theory,
    "below_theory": _below_theory,
    "selects_near_theory": _selects_near_theory,
}
