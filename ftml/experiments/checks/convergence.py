"""Checks on iteration histories: a theorem's bound at every iteration, a fitted rate or
slope against theory, comparisons of solvers at a budget, convergence against a step
threshold, iterations against a parameter, and a metric kept below a value."""

import numpy as np

from ftml.experiments.catalog import catalog
from ftml.experiments.checks._base import (
    declare_check,
    describe,
    pass_axis,
    run_label,
    symmetric_ratio,
    select,
    theory_formula,
    theory_row,
)


def _curves(experiment, summary, check):
    """Yield (point description, point's theory row, its summary rows) per grid point."""
    names = experiment.grid_names
    rows = select(summary[summary["metric"] == check["metric"]], check.get("select"))
    for key, group in rows.groupby(names, sort=False):
        key = key if isinstance(key, tuple) else (key,)
        yield dict(zip(names, key)), group.sort_values("iteration")


@declare_check(
    "bound_holds",
    keys={"metric": "metric", "theory": "bound", "select": "select"},
    required=("metric", "theory"),
    needs={"iterations", "solvers"},
)
def bound_holds(check, experiment, long, summary, theory):
    """The metric never exceeds the theorem's bound, at any recorded iteration t >= 1.

    measured is the largest ratio metric / bound; the claim holds when it is at most 1, up
    to a relative 1e-9 for rounding.
    """
    bound = catalog().bounds[check["theory"]]
    rows = []
    for point, curve in _curves(experiment, summary, check):
        curve = curve[curve["iteration"] >= 1]
        constants = theory_row(theory, point)
        limit = bound.evaluate(constants, point, curve["iteration"].to_numpy(dtype=float))
        ratios = curve["mean"].to_numpy(dtype=float) / limit
        worst = int(np.argmax(ratios))
        rows.append([
            f"{check['metric']} ≤ {bound.formula} at every iteration "
            f"({describe(point, experiment.grid_names)}; worst at t = "
            f"{int(curve['iteration'].iloc[worst])})",
            1.0,
            float(ratios[worst]),
            1e-9,
            bool(ratios[worst] <= 1 + 1e-9),
        ])
    return rows


@declare_check(
    "rate_matches",
    keys={"metric": "metric", "theory": "theory", "select": "select"},
    required=("metric", "theory"),
    needs={"iterations", "solvers"},
)
def rate_matches(check, experiment, long, summary, theory):
    """The fitted slope of log ‖θ_t − θ*‖² per iteration of gradient descent (step 1/L, a
    quadratic) lies where the theorem puts it: between 2 log(1 − ρ/L), ρ the error's
    Rayleigh quotient where the fit starts, and the theory's asymptotic rate.

    Along each eigenvector of the Hessian the error contracts by ``1 − λ_i/L``, so the
    one-step ratio ``‖θ_{t+1} − θ*‖² / ‖θ_t − θ*‖²`` is a mean of the ``(1 − λ_i/L)²``
    weighted by the error's spectrum: at most ``(1 − μ/L)²``, and by Jensen's inequality at
    least ``(1 − ρ_t/L)²``, with ``ρ_t = 2(F(θ_t) − F*) / ‖θ_t − θ*‖²`` (from the suboptimality
    the run also records), which never increases. Every step's slope from ``t`` on, hence
    the fitted slope, thus lies in ``[2 log(1 − ρ_t/L), 2 log(1 − μ/L)]``, however close the
    smallest eigenvalues are: the range closes on the rate as the slowest direction takes
    over (``ρ_t → μ``), and its width is the claim's tolerance (with 1e-6 relative for the
    fit's rounding). The fit covers the second half of the iterations where the distance
    lies between 1e-15 and 1e-3 of its start, before rounding flattens it; ``ρ`` is the
    smallest bound on ``ρ_t`` up to the fit's start, ``F(θ_t) − F*`` counted with 32 ulps of
    ``F`` for rounding.
    """
    rows = []
    for point, curve in _curves(experiment, summary, check):
        where = describe(point, experiment.grid_names)
        constants = theory_row(theory, point)
        predicted = float(constants[check["theory"]])
        head = f"slope of log {check['metric']} per iteration"
        problem = _not_gd_on_a_quadratic(experiment, point, check, predicted)
        values = curve["mean"].to_numpy(dtype=float)
        iterations = curve["iteration"].to_numpy(dtype=float)
        valid = np.flatnonzero((values < 1e-3 * values[0]) & (values > 1e-15 * values[0]))
        window = valid[len(valid) // 2:]
        if not problem and window.size < 2:
            problem = "fewer than 2 iterations between 1e-15 and 1e-3 of its start"
        if problem:
            rows.append([f"{head}: {problem} ({where})", predicted, np.nan, 0.0, False])
            continue
        measured = float(np.polyfit(iterations[window], np.log(values[window]), 1)[0])
        gap = _curve_at(summary, point, "suboptimality", curve["iteration"])[:window[0] + 1]
        rounding = 32 * np.finfo(float).eps * (abs(float(constants["f_star"])) + np.abs(gap))
        bounds = 2 * (gap + rounding) / values[:window[0] + 1]
        read = int(np.argmin(bounds))
        smoothness = float(constants["smoothness"])
        lowest = 2 * np.log1p(-min(bounds[read] / smoothness, 1.0))
        mu = -smoothness * np.expm1(predicted / 2)  # the theory's μ: rate = 2 log(1 − μ/L)
        width = lowest / predicted - 1
        ratio = measured / predicted
        rows.append([
            f"{head} over t = {int(iterations[window[0]])} to {int(iterations[window[-1]])} "
            f"within [2 log(1 − ρ/L), {theory_formula(check)}] = [{lowest:.5g}, "
            f"{predicted:.5g}], where the theorem puts it: ρ ≤ {bounds[read] / mu:.5g} μ is "
            f"the error's Rayleigh quotient 2(F − F*)/‖θ − θ*‖² at t = {int(iterations[read])}, "
            f"rounding of F included (±1e-6 relative for the fit; {where})",
            predicted,
            measured,
            width,
            bool(1 - 1e-6 <= ratio <= 1 + width + 1e-6),
        ])
    return rows


def _not_gd_on_a_quadratic(experiment, point, check, predicted):
    """Why :func:`rate_matches` cannot judge a point's run, or an empty string."""
    spec = experiment.spec
    entry = spec["solvers"][point["solver"]]
    params = dict(entry["params"])
    params.pop("tol", None)
    if spec["objective"]["loss"] != "square" or entry["solver"] != "gd" or (
        params and params != {"step_over_L": 1.0}
    ):
        return "the check applies to gd with step 1/L on the square loss"
    if check["metric"] != "distance" or "suboptimality" not in spec["metrics"]:
        return "the check fits the distance and reads the suboptimality: record both"
    if not predicted < 0:
        return "the theory's rate is not negative (μ = 0): no linear rate to fit"
    return ""


def _curve_at(summary, point, metric, iterations):
    """The mean of ``metric`` at the point's given iterations."""
    rows = select(summary[summary["metric"] == metric], point)
    return rows.set_index("iteration")["mean"].loc[iterations].to_numpy(dtype=float)


@declare_check(
    "theory_at_most",
    keys={"theory": "theory", "value": "number"},
    required=("theory", "value"),
    needs={"solvers"},
)
def theory_at_most(check, experiment, long, summary, theory):
    """A computed quantity (such as the gap to scikit-learn's optimum) is at most ``value``."""
    formula = theory_formula(check)
    data_names = [name for name in experiment.grid_names if name != "solver"]
    table = theory.drop_duplicates(data_names) if data_names else theory.iloc[:1]
    rows = []
    for _, row in table.iterrows():
        where = f" at {describe(row, data_names)}" if data_names else ""
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


@declare_check(
    "budget_ratio",
    keys={"metric": "metric", "target": "solver", "reference": "solvers", "at_passes": "number",
          "factor": "number", "select": "select"},
    required=("metric", "target", "reference", "at_passes", "factor"),
    needs={"iterations", "solvers"},
)
def budget_ratio(check, experiment, long, summary, theory):
    """At a budget of passes, the target solver is at least ``factor`` times below the best
    of the reference solvers."""
    rows = []
    data_names = [name for name in experiment.grid_names if name != "solver"]
    metric = select(summary[summary["metric"] == check["metric"]], check.get("select"))
    groups = metric.groupby(data_names, sort=False) if data_names else [((), metric)]
    for key, group in groups:
        key = key if isinstance(key, tuple) else (key,)
        by_solver = {
            label: _at_budget(curve.sort_values("iteration"), check["at_passes"])
            for label, curve in group.groupby("solver", sort=False)
        }
        best_reference = min(by_solver[label] for label in check["reference"])
        target = by_solver[check["target"]]
        where = f" at {describe(dict(zip(data_names, key)), data_names)}" if data_names else ""
        rows.append([
            f"{check['target']} reaches a {check['metric']} {check['factor']:g}x below the best of "
            f"{', '.join(check['reference'])} within {check['at_passes']:g} passes{where}",
            best_reference / check["factor"],
            target,
            float(check["factor"]),
            bool(target <= best_reference / check["factor"]),
        ])
    return rows


@declare_check(
    "converges_iff_below",
    keys={"metric": "metric", "parameter": "solver_parameter", "threshold": "number",
          "select": "select"},
    required=("metric", "parameter", "threshold"),
    needs={"iterations", "solvers"},
)
def converges_iff_below(check, experiment, long, summary, theory):
    """A run converges (its metric falls below 1e-6 of its start without diverging) if and
    only if the solver parameter is below ``threshold``.

    Diverging is the solver's flag, the ``diverged`` column: the objective became infinite or
    NaN, or rose more than 1e6 times ``|F(θ₀)|`` above its start, which stopped the run (see
    :class:`ftml.optim.HistoryRecorder`).
    """
    rows = []
    parameter = check["parameter"]
    runs = select(long, check.get("select")).groupby(experiment.grid_names, sort=False)
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
            f"({describe(point, experiment.grid_names)})",
            float(expected),
            float(converged),
            0.0,
            bool(converged == expected),
        ])
    return rows


def _iterations_to(curve, level):
    reached = curve[curve["mean"] <= level]
    return float(reached["iteration"].iloc[0]) if len(reached) else float("nan")


@declare_check(
    "iterations_scale",
    keys={"metric": "metric", "parameter": "column", "level": "number", "exponent": "number",
          "tolerance": "number", "select": "select"},
    required=("metric", "parameter", "level", "exponent", "tolerance"),
    needs={"iterations", "solvers"},
)
def iterations_scale(check, experiment, long, summary, theory):
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


@declare_check(
    "loglog_slope",
    keys={"metric": "metric", "exponent": "number", "tolerance": "number",
          "from_passes": "number", "select": "select"},
    required=("metric", "exponent", "tolerance", "from_passes"),
    needs={"iterations"},
)
def loglog_slope(check, experiment, long, summary, theory):
    """The metric decays like ``passes ** exponent``: the slope of log(metric) against
    log(passes), fitted from ``from_passes`` on, is within ``tolerance`` of ``exponent``
    (passes are the epochs of an iterative fit)."""
    rows = []
    for point, curve in _curves(experiment, summary, check):
        axis = pass_axis(curve)
        curve = curve[(curve[axis] >= check["from_passes"]) & (curve["mean"] > 0)]
        if len(curve) < 2:
            measured = float("nan")
        else:
            measured = float(np.polyfit(np.log(curve[axis].to_numpy(dtype=float)),
                                        np.log(curve["mean"].to_numpy(dtype=float)), 1)[0])
        rows.append([
            f"{check['metric']} decays like passes^{check['exponent']:g} after "
            f"{check['from_passes']:g} passes (log-log slope ± {check['tolerance']:g}; "
            f"{describe(point, experiment.grid_names)})",
            float(check["exponent"]),
            measured,
            float(check["tolerance"]),
            bool(abs(measured - check["exponent"]) <= check["tolerance"]),
        ])
    return rows


def _floor(curve):
    """The level a curve settles at: its mean over the second half of its passes."""
    axis = pass_axis(curve)
    half = curve[axis] >= curve[axis].max() / 2
    return float(curve.loc[half, "mean"].mean())


@declare_check(
    "floor_ratio",
    keys={"metric": "metric", "target": "solver", "reference": "solver", "expected": "number",
          "factor": "number"},
    required=("metric", "target", "reference", "expected", "factor"),
    needs={"iterations"},
)
def floor_ratio(check, experiment, long, summary, theory):
    """The level where ``target`` settles, divided by ``reference``'s, is within ``factor``
    of ``expected`` (a constant step's noise floor is proportional to the step); target
    and reference are solvers, or the estimators of an iterative experiment."""
    rows = []
    label = run_label(experiment)
    data_names = [name for name in experiment.grid_names if name != label]
    metric = summary[summary["metric"] == check["metric"]]
    groups = metric.groupby(data_names, sort=False) if data_names else [((), metric)]
    for key, group in groups:
        floors = {run: _floor(curve) for run, curve in group.groupby(label, sort=False)}
        measured = floors[check["target"]] / floors[check["reference"]]
        rows.append([
            f"the {check['metric']} floor of {check['target']} over that of "
            f"{check['reference']} is {check['expected']:g} within a factor {check['factor']:g}",
            float(check["expected"]),
            measured,
            float(check["factor"]),
            bool(symmetric_ratio(measured, check["expected"]) <= check["factor"]),
        ])
    return rows


@declare_check(
    "fewer_iterations",
    keys={"metric": "metric", "target": "solver", "reference": "solvers", "level": "number"},
    required=("metric", "target", "reference", "level"),
    needs={"iterations", "solvers"},
)
def fewer_iterations(check, experiment, long, summary, theory):
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


@declare_check(
    "metric_at_most",
    keys={"metric": "metric", "value": "number", "select": "select", "above": "metric_levels"},
    required=("metric", "value"),
    needs={"iterations"},
)
def metric_at_most(check, experiment, long, summary, theory):
    """The metric's absolute value stays at most ``value`` at every iteration where it is
    defined and where the metrics named in ``above`` exceed their bounds (to leave out the
    iterations where rounding dominates); each run's worst iteration is reported."""
    rows = []
    table = select(long, check.get("select"))
    for name, bound in check.get("above", {}).items():
        table = table[table[name] > bound]
    for key, run in table.groupby(experiment.grid_names, sort=False):
        key = key if isinstance(key, tuple) else (key,)
        values = run[check["metric"]].abs()
        worst = values.idxmax()
        rows.append([
            f"|{check['metric']}| ≤ {check['value']:g} at every iteration"
            + "".join(f" where {name} > {bound:g}" for name, bound in check.get("above", {}).items())
            + f" ({describe(dict(zip(experiment.grid_names, key)), experiment.grid_names)}; "
            f"worst at t = {int(run.loc[worst, 'iteration'])} of {int(run['iteration'].max())})",
            float(check["value"]),
            float(values.max()),
            0.0,
            bool(values.max() <= check["value"]),
        ])
    return rows


@declare_check(
    "monotone_history",
    keys={"metric": "metric", "direction": "word", "margin": "number", "select": "select"},
    required=("metric", "direction"),
    needs={"iterations"},
)
def monotone_history(check, experiment, long, summary, theory):
    """In every run, the metric never moves against ``direction`` from one recorded
    iteration to the next (Lloyd's inertia never increases, EM's likelihood never
    decreases): each step against it is at most ``margin`` times the run's largest
    absolute value (0 when omitted, but for a rounding allowance of 1e-12 relative).

    One claim per grid point, reporting the worst step over its runs."""
    decreasing = check["direction"] == "decreasing"
    margin = float(check.get("margin", 0.0))
    names = experiment.grid_names
    runs = [*names, "replicate"] if "replicate" in long else list(names)
    table = select(long, check.get("select"))
    worst = {}
    for key, run in table.groupby(runs, sort=False):
        key = key if isinstance(key, tuple) else (key,)
        values = run.sort_values("iteration")[check["metric"]].to_numpy(dtype=float)
        scale = max(float(np.max(np.abs(values), initial=0.0)), 1e-300)
        steps = np.diff(values) / scale
        against = float(np.max(steps if decreasing else -steps, initial=0.0)) + 0.0
        point = key[:len(names)]
        count, largest = worst.get(point, (0, 0.0))
        worst[point] = (count + 1, max(largest, against))
    word = "never increases" if decreasing else "never decreases"
    rows = []
    for point, (count, against) in worst.items():
        where = describe(dict(zip(names, point)), names) if names else "the only point"
        rows.append([
            f"{check['metric']} {word} from one iteration to the next ({where}; {count} "
            f"runs; largest relative step against: {against:.3g})",
            0.0, against, margin, bool(against <= margin + 1e-12),
        ])
    return rows


@declare_check(
    "stops_before",
    keys={"metric": "metric", "budget": "number", "select": "select"},
    required=("metric", "budget"),
    needs={"iterations"},
)
def stops_before(check, experiment, long, summary, theory):
    """Every run's history of the metric ends before iteration ``budget``: the algorithm
    stopped by its own criterion (Lloyd's labels repeating), not by the cap on iterations.

    One claim per grid point, with its longest run."""
    names = experiment.grid_names
    runs = [*names, "replicate"] if "replicate" in long else list(names)
    table = select(long, check.get("select"))
    budget = float(check["budget"])
    lasts = table.groupby(runs, sort=False)["iteration"].max().reset_index()
    groups = lasts.groupby(names, sort=False) if names else [((), lasts)]
    rows = []
    for key, group in groups:
        key = key if isinstance(key, tuple) else (key,)
        longest = float(group["iteration"].max())
        where = describe(dict(zip(names, key)), names) if names else "the only point"
        rows.append([
            f"every run of {check['metric']} stops before iteration {budget:g} ({where}; "
            f"{group.shape[0]} runs; longest {longest:g} iterations, shortest "
            f"{float(group['iteration'].min()):g})",
            budget, longest, 0.0, bool(longest < budget),
        ])
    return rows
