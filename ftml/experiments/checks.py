"""Turn an experiment's tables into verdicts: what theory predicts against what was measured.

Each check returns rows of ``experiment, claim, predicted, measured, tolerance, holds``. A
claim that fails is a row with ``holds`` False, never an exception: the report shows it.
"""

import numbers

import numpy as np
import pandas as pd

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
    return ", ".join(
        f"{name}={point[name]:g}"
        if isinstance(point[name], numbers.Number) and not isinstance(point[name], bool)
        else f"{name}={point[name]}"
        for name in names
    )


def _critical_value(probability, count):
    """The ``probability`` quantile of Student's t with ``count - 1`` degrees of freedom.

    The standard error is estimated from ``count`` values, so the studentised mean follows
    Student's t, not the normal law: with few replicates the normal quantile is too small
    and a band built on it rejects an exact theory far more often than its level says
    (with 5 replicates and 10 points at level 0.05, about half the time). For many
    replicates the two agree. ``count`` may be an array; a count below 2 gives NaN.
    """
    # Student's t quantile from scipy.special, imported here: scipy.special costs half a
    # second to import (scipy.stats a second), paid by every check job that needs no band.
    from scipy import special

    freedom = np.asarray(count, dtype=float) - 1
    return np.where(freedom > 0, special.stdtrit(np.maximum(freedom, 1), probability), np.nan)


def _band(sem, predicted):
    # Rounding, not sampling, limits a deterministic metric: allow its last digits.
    return np.maximum(sem, 1e-12 * np.maximum(1.0, np.abs(predicted)))


def _matches_theory(check, experiment, long, summary, theory):
    """The mean equals the theory at every point, within z standard errors.

    z is Bonferroni-corrected so that, if the theory is exact (and the metric normal), all
    points pass together with probability at least 1 - level: z = t_{count - 1}^{-1}(1 -
    level / (2 m)) for m points, close to Phi^{-1}(1 - level / (2 m)) for many replicates.
    """
    table = _select(_measured_and_predicted(check, experiment, summary, theory),
                    check.get("select")).reset_index(drop=True)
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


def _select(table, select):
    for name, value in (select or {}).items():
        table = table[table[name] == value]
    return table


def _curves(experiment, summary, check):
    """Yield (point description, point's theory row, its summary rows) per grid point."""
    names = experiment.grid_names
    rows = _select(summary[summary["metric"] == check["metric"]], check.get("select"))
    for key, group in rows.groupby(names, sort=False):
        key = key if isinstance(key, tuple) else (key,)
        yield dict(zip(names, key)), group.sort_values("iteration")


def _theory_row(theory, point):
    mask = np.ones(len(theory), dtype=bool)
    for name, value in point.items():
        mask &= (theory[name] == value).to_numpy()
    return theory[mask].iloc[0]


def _bound_holds(check, experiment, long, summary, theory):
    """The metric never exceeds the theorem's bound, at any recorded iteration t >= 1.

    measured is the largest ratio metric / bound; the claim holds when it is at most 1, up
    to a relative 1e-9 for rounding.
    """
    bound = registry.BOUNDS[check["theory"]]
    rows = []
    for point, curve in _curves(experiment, summary, check):
        curve = curve[curve["iteration"] >= 1]
        constants = _theory_row(theory, point)
        limit = bound.evaluate(constants, point, curve["iteration"].to_numpy(dtype=float))
        ratios = curve["mean"].to_numpy(dtype=float) / limit
        worst = int(np.argmax(ratios))
        rows.append([
            f"{check['metric']} ≤ {bound.formula} at every iteration "
            f"({_describe(point, experiment.grid_names)}; worst at t = "
            f"{int(curve['iteration'].iloc[worst])})",
            1.0,
            float(ratios[worst]),
            1e-9,
            bool(ratios[worst] <= 1 + 1e-9),
        ])
    return rows


def _rate_matches(check, experiment, long, summary, theory):
    """The fitted slope of log(metric) against the iteration is within ``factor`` of the
    theory's asymptotic rate.

    The fit uses the second half of the iterations where the metric lies between 1e-15 and
    1e-3 of its start: past the transient, where the slowest mode dominates, and before
    rounding flattens the curve.
    """
    factor = check.get("factor", 3.0)
    formula = registry.THEORIES[check["theory"]].formula
    rows = []
    for point, curve in _curves(experiment, summary, check):
        values = curve["mean"].to_numpy(dtype=float)
        iterations = curve["iteration"].to_numpy(dtype=float)
        start = values[0]
        valid = np.flatnonzero((values < 1e-3 * start) & (values > 1e-15 * start))
        window = valid[len(valid) // 2:]
        predicted = float(_theory_row(theory, point)[check["theory"]])
        if window.size < 2:
            measured = float("nan")
        else:
            measured = float(np.polyfit(iterations[window], np.log(values[window]), 1)[0])
        ratio = _ratio_signed(measured, predicted) if np.isfinite(measured) else np.inf
        rows.append([
            f"slope of log {check['metric']} per iteration within a factor {factor:g} of "
            f"{formula} ({_describe(point, experiment.grid_names)})",
            predicted,
            measured,
            factor,
            bool(ratio <= factor),
        ])
    return rows


def _ratio_signed(a, b):
    return _ratio(abs(a), abs(b)) if a * b > 0 else np.inf


def _theory_at_most(check, experiment, long, summary, theory):
    """A computed quantity (such as the gap to scikit-learn's optimum) is at most ``value``."""
    formula = registry.THEORIES[check["theory"]].formula
    data_names = [name for name in experiment.grid_names if name != "solver"]
    table = theory.drop_duplicates(data_names) if data_names else theory.iloc[:1]
    rows = []
    for _, row in table.iterrows():
        where = f" at {_describe(row, data_names)}" if data_names else ""
        rows.append([
            f"{formula} ≤ {check['value']:g}{where}",
            float(check["value"]),
            float(row[check["theory"]]),
            0.0,
            bool(row[check["theory"]] <= check["value"]),
        ])
    return rows


def _at_budget(curve, budget):
    """The metric of a curve after at most ``budget`` passes (its best value by then)."""
    spent = curve[curve["passes"] <= budget + 1e-9]
    return float(spent["mean"].min()) if len(spent) else float("nan")


def _budget_ratio(check, experiment, long, summary, theory):
    """At a budget of passes, the target solver is at least ``factor`` times below the best
    of the reference solvers."""
    rows = []
    data_names = [name for name in experiment.grid_names if name != "solver"]
    metric = _select(summary[summary["metric"] == check["metric"]], check.get("select"))
    groups = metric.groupby(data_names, sort=False) if data_names else [((), metric)]
    for key, group in groups:
        key = key if isinstance(key, tuple) else (key,)
        by_solver = {
            label: _at_budget(curve.sort_values("iteration"), check["at_passes"])
            for label, curve in group.groupby("solver", sort=False)
        }
        best_reference = min(by_solver[label] for label in check["reference"])
        target = by_solver[check["target"]]
        where = f" at {_describe(dict(zip(data_names, key)), data_names)}" if data_names else ""
        rows.append([
            f"{check['target']} reaches a {check['metric']} {check['factor']:g}x below the best of "
            f"{', '.join(check['reference'])} within {check['at_passes']:g} passes{where}",
            best_reference / check["factor"],
            target,
            float(check["factor"]),
            bool(target <= best_reference / check["factor"]),
        ])
    return rows


def _converges_iff_below(check, experiment, long, summary, theory):
    """A run converges (its metric falls below 1e-6 of its start without diverging) if and
    only if the solver parameter is below ``threshold``."""
    rows = []
    parameter = check["parameter"]
    runs = _select(long, check.get("select")).groupby(experiment.grid_names, sort=False)
    for key, run in runs:
        key = key if isinstance(key, tuple) else (key,)
        point = dict(zip(experiment.grid_names, key))
        value = experiment.spec["solvers"][point["solver"]]["params"].get(parameter)
        if value is None:
            continue
        values = run[check["metric"]].to_numpy(dtype=float)
        converged = bool(not run["diverged"].any() and values[-1] <= 1e-6 * values[0])
        expected = value < check["threshold"]
        rows.append([
            f"converges iff {parameter} < {check['threshold']:g}: {parameter} = {value:g} "
            f"({_describe(point, experiment.grid_names)})",
            float(expected),
            float(converged),
            0.0,
            bool(converged == expected),
        ])
    return rows


def _iterations_to(curve, level):
    reached = curve[curve["mean"] <= level]
    return float(reached["iteration"].iloc[0]) if len(reached) else float("nan")


def _iterations_scale(check, experiment, long, summary, theory):
    """The iterations needed to bring the metric below ``level`` grow like
    ``parameter ** exponent``: the fitted log-log slope is within ``tolerance`` of it."""
    parameter = check["parameter"]
    rows = []
    curves = {}
    for point, curve in _curves(experiment, summary, check):
        curves.setdefault(point["solver"], []).append(
            (float(point[parameter]), _iterations_to(curve, check["level"]))
        )
    for solver, pairs in curves.items():
        values, iterations = np.array(pairs).T
        if not np.all(np.isfinite(iterations)) or len(pairs) < 2:
            measured = float("nan")
        else:
            measured = float(np.polyfit(np.log(values), np.log(iterations), 1)[0])
        rows.append([
            f"iterations of {solver} to reach {check['metric']} ≤ {check['level']:g} grow like "
            f"{parameter}^{check['exponent']:g} (log-log slope ± {check['tolerance']:g}; "
            f"iterations {', '.join(f'{i:g}' for i in iterations)})",
            float(check["exponent"]),
            measured,
            float(check["tolerance"]),
            bool(abs(measured - check["exponent"]) <= check["tolerance"]),
        ])
    return rows


def _loglog_slope(check, experiment, long, summary, theory):
    """The metric decays like ``passes ** exponent``: the slope of log(metric) against
    log(passes), fitted from ``from_passes`` on, is within ``tolerance`` of ``exponent``."""
    rows = []
    for point, curve in _curves(experiment, summary, check):
        curve = curve[(curve["passes"] >= check["from_passes"]) & (curve["mean"] > 0)]
        if len(curve) < 2:
            measured = float("nan")
        else:
            measured = float(np.polyfit(np.log(curve["passes"].to_numpy(dtype=float)),
                                        np.log(curve["mean"].to_numpy(dtype=float)), 1)[0])
        rows.append([
            f"{check['metric']} decays like passes^{check['exponent']:g} after "
            f"{check['from_passes']:g} passes (log-log slope ± {check['tolerance']:g}; "
            f"{_describe(point, experiment.grid_names)})",
            float(check["exponent"]),
            measured,
            float(check["tolerance"]),
            bool(abs(measured - check["exponent"]) <= check["tolerance"]),
        ])
    return rows


def _floor(curve):
    """The level a curve settles at: its mean over the second half of its passes."""
    half = curve["passes"] >= curve["passes"].max() / 2
    return float(curve.loc[half, "mean"].mean())


def _floor_ratio(check, experiment, long, summary, theory):
    """The level where ``target`` settles, divided by ``reference``'s, is within ``factor``
    of ``expected`` (a constant step's noise floor is proportional to the step)."""
    rows = []
    data_names = [name for name in experiment.grid_names if name != "solver"]
    metric = summary[summary["metric"] == check["metric"]]
    groups = metric.groupby(data_names, sort=False) if data_names else [((), metric)]
    for key, group in groups:
        floors = {label: _floor(curve) for label, curve in group.groupby("solver", sort=False)}
        measured = floors[check["target"]] / floors[check["reference"]]
        rows.append([
            f"the {check['metric']} floor of {check['target']} over that of "
            f"{check['reference']} is {check['expected']:g} within a factor {check['factor']:g}",
            float(check["expected"]),
            measured,
            float(check["factor"]),
            bool(_ratio(measured, check["expected"]) <= check["factor"]),
        ])
    return rows


def _fewer_iterations(check, experiment, long, summary, theory):
    """``target`` brings the metric below ``level`` in fewer iterations than any of the
    ``reference`` solvers."""
    rows = []
    data_names = [name for name in experiment.grid_names if name != "solver"]
    metric = summary[summary["metric"] == check["metric"]]
    groups = metric.groupby(data_names, sort=False) if data_names else [((), metric)]
    for key, group in groups:
        needed = {
            label: _iterations_to(curve.sort_values("iteration"), check["level"])
            for label, curve in group.groupby("solver", sort=False)
        }
        best = np.nanmin([needed[label] for label in check["reference"]])
        target = needed[check["target"]]
        rows.append([
            f"{check['target']} brings {check['metric']} below {check['level']:g} in fewer "
            f"iterations than the best of {', '.join(check['reference'])}",
            float(best),
            target,
            0.0,
            bool(target < best),
        ])
    return rows


def _metric_at_most(check, experiment, long, summary, theory):
    """The metric's absolute value stays at most ``value`` at every iteration where it is
    defined and where the metrics named in ``above`` exceed their bounds (to leave out the
    iterations where rounding dominates); each run's worst iteration is reported."""
    rows = []
    table = _select(long, check.get("select"))
    for name, bound in check.get("above", {}).items():
        table = table[table[name] > bound]
    for key, run in table.groupby(experiment.grid_names, sort=False):
        key = key if isinstance(key, tuple) else (key,)
        values = run[check["metric"]].abs()
        worst = values.idxmax()
        rows.append([
            f"|{check['metric']}| ≤ {check['value']:g} at every iteration"
            + "".join(f" where {name} > {bound:g}" for name, bound in check.get("above", {}).items())
            + f" ({_describe(dict(zip(experiment.grid_names, key)), experiment.grid_names)}; "
            f"worst at t = {int(run.loc[worst, 'iteration'])} of {int(run['iteration'].max())})",
            float(check["value"]),
            float(values.max()),
            0.0,
            bool(values.max() <= check["value"]),
        ])
    return rows


def _near_theory(check, experiment, long, summary, theory):
    """The mean is within a relative ``tolerance`` of the theory at every selected point;
    with tolerance 0, every row equals it exactly (a count, a deterministic identity)."""
    table = _select(_measured_and_predicted(check, experiment, summary, theory),
                    check.get("select"))
    names = experiment.grid_names
    tolerance = float(check["tolerance"])
    formula = registry.THEORIES[check["theory"]].formula
    rows = []
    for _, point in table.iterrows():
        predicted = float(point["predicted"])
        where = _describe(point, names) if names else "the only point"
        if tolerance == 0:
            mask = np.ones(len(long), dtype=bool)
            for name in names:
                mask &= (long[name] == point[name]).to_numpy()
            values = long.loc[mask, check["metric"]].to_numpy(dtype=float)
            measured = float(values[np.argmax(np.abs(values - predicted))])
            rows.append([
                f"every {check['metric']} = {formula} exactly at {where} ({values.shape[0]} rows)",
                predicted, measured, 0.0, bool(np.all(values == predicted)),
            ])
            continue
        allowed = tolerance * abs(predicted)
        rows.append([
            f"mean {check['metric']} = {formula} within {tolerance:.3g} relative at {where}",
            predicted, float(point["mean"]), allowed,
            bool(abs(point["mean"] - predicted) <= allowed),
        ])
    return rows


def _others(experiment, parameter, check):
    """The point columns other than ``parameter`` and the selected ones."""
    return [name for name in experiment.grid_names
            if name != parameter and name not in check.get("select", {})]


def _along(check, experiment, summary):
    """Yield ``(where, rows)``: the check's metric at the selected points, grouped by the
    columns other than its ``parameter``, ``where`` describing the group for a claim."""
    parameter = check["parameter"]
    table = _select(summary[summary["metric"] == check["metric"]], check.get("select"))
    others = _others(experiment, parameter, check)
    groups = table.groupby(others, sort=False) if others else [((), table)]
    for key, group in groups:
        key = key if isinstance(key, tuple) else (key,)
        yield (f" at {_describe(dict(zip(others, key)), others)}" if others else ""), group


def _monotone(check, experiment, long, summary, theory):
    """The mean is monotone along ``parameter`` for every value of the other columns: each
    step against ``direction`` is at most ``margin`` (0 when omitted)."""
    parameter = check["parameter"]
    decreasing = check["direction"] == "decreasing"
    margin = float(check.get("margin", 0.0))
    rows = []
    for where, group in _along(check, experiment, summary):
        means = group.sort_values(parameter)["mean"].to_numpy(dtype=float)
        steps = np.diff(means)
        against = float(np.max(steps if decreasing else -steps, initial=0.0)) + 0.0  # no -0
        word = "non-increasing" if decreasing else "non-decreasing"
        rows.append([
            f"mean {check['metric']} {word} in {parameter}{where} "
            f"({means.shape[0]} values; largest step against: {against:.3g})",
            0.0, against, margin, bool(against <= margin),
        ])
    return rows


def _ordered(check, experiment, long, summary, theory):
    """At every value of the other columns, a statistic (mean or spread) of the metric at
    ``parameter = lower`` is below its value at ``parameter = higher``, by ``margin``."""
    parameter = check["parameter"]
    statistic = check.get("statistic", "mean")
    margin = float(check.get("margin", 0.0))
    rows = []
    for where, group in _along(check, experiment, summary):
        labels = group[parameter].astype(str)
        low = group.loc[(labels == str(check["lower"])).to_numpy(), statistic]
        high = group.loc[(labels == str(check["higher"])).to_numpy(), statistic]
        low, high = float(low.iloc[0]), float(high.iloc[0])
        by = f" by at least {margin:g}" if margin else ""
        rows.append([
            f"{statistic} of {check['metric']} lower at {parameter}={check['lower']} than at "
            f"{parameter}={check['higher']} ({high:.4g}){by}{where}",
            high - margin, low, margin,
            bool(low <= high - margin if margin else low < high),
        ])
    return rows


_CHECKS = {
    "near_theory": _near_theory,
    "monotone": _monotone,
    "ordered": _ordered,
    "metric_at_most": _metric_at_most,
    "fewer_iterations": _fewer_iterations,
    "loglog_slope": _loglog_slope,
    "floor_ratio": _floor_ratio,
    "iterations_scale": _iterations_scale,
    "matches_theory": _matches_theory,
    "below_theory": _below_theory,
    "selects_near_theory": _selects_near_theory,
    "bound_holds": _bound_holds,
    "rate_matches": _rate_matches,
    "theory_at_most": _theory_at_most,
    "budget_ratio": _budget_ratio,
    "converges_iff_below": _converges_iff_below,
}
