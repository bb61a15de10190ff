"""Checks on a table with one summary row per grid point and metric: a mean against a
closed form (within its standard error, or a relative tolerance), the grid value that a
criterion selects, monotony along a parameter, and an ordering of two values."""

import numpy as np

from ftml.experiments.checks._base import (
    claim_columns,
    declare_check,
    describe,
    symmetric_ratio,
    select,
    theory_formula,
)


def _measured_and_predicted(check, experiment, summary, theory):
    names = experiment.grid_names
    measured = summary[summary["metric"] == check["metric"]].reset_index(drop=True)
    merged = measured.merge(theory[[*names, check["theory"]]], on=names, how="left")
    return merged.rename(columns={check["theory"]: "predicted"})


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


@declare_check(
    "matches_theory",
    keys={"metric": "metric", "theory": "theory", "level": "number", "select": "select"},
    required=("metric", "theory"),
    needs={"point_summary", "standard_error"},
)
def matches_theory(check, experiment, long, summary, theory):
    """The mean equals the theory at every point, within z standard errors.

    z is Bonferroni-corrected so that, if the theory is exact (and the metric normal), all
    points pass together with probability at least 1 - level: z = t_{count - 1}^{-1}(1 -
    level / (2 m)) for m points, close to Phi^{-1}(1 - level / (2 m)) for many replicates.
    """
    table = select(_measured_and_predicted(check, experiment, summary, theory),
                    check.get("select")).reset_index(drop=True)
    level = check.get("level", 0.01)
    formula = theory_formula(check)
    rows = []
    critical = _critical_value(1 - level / (2 * len(table)), table["count"])
    for (_, point), z in zip(table.iterrows(), critical):
        tolerance = z * _band(point["sem"], point["predicted"])
        rows.append([
            f"mean {check['metric']} = {formula} at "
            f"{describe(point, claim_columns(experiment, check))} "
            f"(±{z:.2f} SE, {point['count']:g} replicates)",
            point["predicted"],
            point["mean"],
            tolerance,
            bool(abs(point["mean"] - point["predicted"]) <= tolerance),
        ])
    return rows


@declare_check(
    "below_theory",
    keys={"metric": "metric", "theory": "theory", "level": "number"},
    required=("metric", "theory"),
    needs={"point_summary", "standard_error"},
)
def below_theory(check, experiment, long, summary, theory):
    """The best point's mean lies below the theory, by more than z standard errors."""
    table = _measured_and_predicted(check, experiment, summary, theory)
    best = table.loc[table["mean"].idxmin()]
    z = float(_critical_value(1 - check.get("level", 0.01), best["count"]))
    tolerance = z * _band(best["sem"], best["predicted"])
    formula = theory_formula(check)
    return [[
        f"min over the grid of mean {check['metric']} < {formula} "
        f"(best at {describe(best, experiment.grid_names)}, one-sided {z:.2f} SE)",
        best["predicted"],
        best["mean"],
        tolerance,
        bool(best["mean"] + tolerance < best["predicted"]),
    ]]


# How a criterion picks one grid value from a replicate's curve along the parameter.
SELECTION_CRITERIA = ("minimum", "maximum", "elbow")


def _selected_index(values, criterion):
    """The index a criterion selects in a curve sorted by the parameter: its smallest or
    largest value, or its elbow, the interior value where the curve's relative fall stops:
    the largest second difference of its logarithm, ``log v[i - 1] - 2 log v[i] +
    log v[i + 1]`` (the grid's values taken as equally spaced).

    The elbow is taken on the log scale because a curve such as k-means' inertia falls
    geometrically while clusters are split: on the linear scale its second difference
    is largest where the curve is largest, at the smallest K, whatever the true K.
    """
    if criterion == "minimum":
        return int(np.argmin(values))
    if criterion == "maximum":
        return int(np.argmax(values))
    if values.shape[0] < 3:
        raise ValueError("an elbow needs at least 3 values of the parameter")
    if np.any(values <= 0):
        raise ValueError("an elbow is taken on the log scale and needs positive values")
    logs = np.log(values)
    return 1 + int(np.argmax(logs[:-2] - 2 * logs[1:-1] + logs[2:]))


@declare_check(
    "selects_near_theory",
    keys={"metric": "metric", "theory": "theory", "parameter": "column", "factor": "number",
          "criterion": "word"},
    required=("metric", "theory", "parameter"),
    needs={"point_summary"},
)
def selects_near_theory(check, experiment, long, summary, theory):
    """Per replicate, the grid value that a criterion selects on the metric's curve along
    the parameter (its minimum, its maximum, or its elbow) lands near the theory's value.

    With cross-validation, a replicate's folds are averaged first. The median of the selected
    values over replicates must lie within ``factor`` of the theory, in ratio (3 when
    omitted; 1 asks for the theory's value itself).
    """
    parameter = check["parameter"]
    factor = check.get("factor", 3.0)
    criterion = check.get("criterion", "minimum")
    names = experiment.grid_names
    others = [name for name in names if name != parameter]
    per_replicate = long.groupby([*others, "replicate", parameter], sort=False)[check["metric"]]
    per_replicate = per_replicate.mean().reset_index()
    rows = []
    groups = per_replicate.groupby(others, sort=False) if others else [((), per_replicate)]
    formula = theory_formula(check)
    for key, group in groups:
        key = key if isinstance(key, tuple) else (key,)
        mask = np.ones(len(theory), dtype=bool)
        for name, value in zip(others, key):
            mask &= (theory[name] == value).to_numpy()
        predicted = float(theory.loc[mask, check["theory"]].iloc[0])
        where = f" at {describe(dict(zip(others, key)), others)}" if others else ""
        selected = []
        try:
            for _, curve in group.groupby("replicate", sort=False):
                curve = curve.sort_values(parameter)
                index = _selected_index(curve[check["metric"]].to_numpy(dtype=float),
                                        criterion)
                selected.append(float(curve[parameter].iloc[index]))
        except ValueError as error:  # a verdict, not a crash: the claim cannot be made
            rows.append([f"{parameter} at the {criterion} of {check['metric']}{where}: "
                         f"{error}", predicted, np.nan, factor, False])
            continue
        median = float(np.median(selected))
        ratio = symmetric_ratio(median, predicted)
        hits = sum(value == predicted for value in selected)
        within = "equal to" if factor == 1 else f"within a factor {factor:g} of"
        rows.append([
            f"{parameter} at the {criterion} of {check['metric']} (median over "
            f"{len(selected)} replicates, {hits} selecting it exactly) {within} "
            f"{formula}{where}",
            predicted,
            median,
            factor,
            bool(ratio <= factor),
        ])
    return rows


@declare_check(
    "near_theory",
    keys={"metric": "metric", "theory": "theory", "tolerance": "number", "select": "select"},
    required=("metric", "theory", "tolerance"),
    needs={"point_summary"},
)
def near_theory(check, experiment, long, summary, theory):
    """The mean is within a relative ``tolerance`` of the theory at every selected point;
    with tolerance 0, every row equals it exactly (a count, a deterministic identity)."""
    table = select(_measured_and_predicted(check, experiment, summary, theory),
                    check.get("select"))
    names = experiment.grid_names
    tolerance = float(check["tolerance"])
    formula = theory_formula(check)
    rows = []
    for _, point in table.iterrows():
        predicted = float(point["predicted"])
        where = describe(point, names) if names else "the only point"
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
    table = select(summary[summary["metric"] == check["metric"]], check.get("select"))
    others = _others(experiment, parameter, check)
    groups = table.groupby(others, sort=False) if others else [((), table)]
    for key, group in groups:
        key = key if isinstance(key, tuple) else (key,)
        where = {**dict(zip(others, key)), **check.get("select", {})}
        yield (f" at {describe(where, list(where))}" if where else ""), group


@declare_check(
    "monotone",
    keys={"metric": "metric", "parameter": "column", "direction": "word", "margin": "number",
          "select": "select"},
    required=("metric", "parameter", "direction"),
    needs={"point_summary"},
)
def monotone(check, experiment, long, summary, theory):
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


@declare_check(
    "ordered",
    keys={"metric": "metric", "parameter": "column", "lower": "column_value",
          "higher": "column_value", "statistic": "word", "margin": "number", "select": "select"},
    required=("metric", "parameter", "lower", "higher"),
    needs={"point_summary"},
)
def ordered(check, experiment, long, summary, theory):
    """At every value of the other columns, a statistic (mean or spread) of the metric at
    ``parameter = lower`` is below its value at ``parameter = higher``, by ``margin``; a
    negative margin lets it exceed that value by at most ``|margin|`` (not worse beyond a
    stated margin)."""
    parameter = check["parameter"]
    statistic = check.get("statistic", "mean")
    margin = float(check.get("margin", 0.0))
    rows = []
    for where, group in _along(check, experiment, summary):
        labels = group[parameter].astype(str)
        low = group.loc[(labels == str(check["lower"])).to_numpy(), statistic]
        high = group.loc[(labels == str(check["higher"])).to_numpy(), statistic]
        low, high = float(low.iloc[0]), float(high.iloc[0])
        by = (f" by at least {margin:g}" if margin > 0
              else f", or above it by at most {-margin:g}" if margin < 0 else "")
        rows.append([
            f"{statistic} of {check['metric']} lower at {parameter}={check['lower']} than at "
            f"{parameter}={check['higher']} ({high:.4g}){by}{where}",
            high - margin, low, margin,
            bool(low <= high - margin if margin else low < high),
        ])
    return rows


@declare_check(
    "lowest",
    keys={"metric": "metric", "parameter": "column", "lowest": "column_value",
          "than": "column_values", "level": "number", "select": "select"},
    required=("metric", "parameter", "lowest"),
    needs={"point_summary", "standard_error"},
)
def lowest(check, experiment, long, summary, theory):
    """At every value of the other columns, the mean of the metric at ``parameter =
    lowest`` is below its mean at each value of ``than`` (every other value when omitted),
    by more than z standard errors of their difference.

    The difference is taken run by run (replicate, or repeat and fold): the values of
    ``parameter`` are measured on the same samples, so that what they share cancels, and the
    standard error is that of the paired differences. z is the one-sided Student-t quantile,
    Bonferroni-corrected over the comparisons, at family-wise level ``level`` (0.01).
    """
    parameter = check["parameter"]
    best = str(check["lowest"])
    runs = list(experiment.protocol.run_columns)
    table = select(long, check.get("select"))
    others = _others(experiment, parameter, check)
    groups = list(table.groupby(others, sort=False)) if others else [((), table)]
    comparisons = []
    for key, group in groups:
        key = key if isinstance(key, tuple) else (key,)
        values = group.pivot_table(index=runs, columns=group[parameter].astype(str),
                                   values=check["metric"], aggfunc="first")
        than = ([str(value) for value in check["than"]] if "than" in check
                else [value for value in dict.fromkeys(group[parameter].astype(str))
                      if value != best])
        for other in than:
            differences = (values[other] - values[best]).to_numpy(dtype=float)
            comparisons.append((dict(zip(others, key)), other, values[best].to_numpy(float),
                                values[other].to_numpy(float), differences))
    level = check.get("level", 0.01)
    rows = []
    for where, other, low, high, differences in comparisons:
        count = differences.shape[0]
        sem = float(np.std(differences, ddof=1) / np.sqrt(count)) if count > 1 else np.nan
        z = float(_critical_value(1 - level / len(comparisons), count))
        mean_low, mean_high = float(np.mean(low)), float(np.mean(high))
        tolerance = z * float(_band(sem, mean_high))
        at = {**where, **check.get("select", {})}
        at = f" at {describe(at, list(at))}" if at else ""
        rows.append([
            f"mean {check['metric']} at {parameter}={best} below its mean at "
            f"{parameter}={other}{at}, by more than {z:.2f} SE of the difference paired "
            f"over {count} runs",
            mean_high, mean_low, tolerance, bool(mean_high - mean_low > tolerance),
        ])
    return rows


@declare_check(
    "at_most_theory",
    keys={"metric": "metric", "theory": "theory", "level": "number", "select": "select"},
    required=("metric", "theory"),
    needs={"point_summary", "standard_error"},
)
def at_most_theory(check, experiment, long, summary, theory):
    """The mean is at most the theory at every point, unless it exceeds it by more than z
    standard errors: a bound on an expectation or a probability, tested one-sided.

    z is the one-sided Student-t quantile, Bonferroni-corrected over the points, so that a
    true bound fails somewhere with probability at most ``level`` (0.01). The margin
    between the bound and the mean is what the figure shows: how loose the bound is.
    """
    table = select(_measured_and_predicted(check, experiment, summary, theory),
                   check.get("select")).reset_index(drop=True)
    level = check.get("level", 0.01)
    formula = theory_formula(check)
    critical = _critical_value(1 - level / len(table), table["count"])
    rows = []
    for (_, point), z in zip(table.iterrows(), critical):
        tolerance = z * _band(point["sem"], point["predicted"])
        rows.append([
            f"mean {check['metric']} ≤ {formula} at "
            f"{describe(point, claim_columns(experiment, check))} "
            f"(one-sided, {z:.2f} SE, {point['count']:g} replicates)",
            point["predicted"], point["mean"], tolerance,
            bool(point["mean"] - tolerance <= point["predicted"]),
        ])
    return rows


@declare_check(
    "power_law",
    keys={"metric": "metric", "parameter": "column", "exponent": "number",
          "exponent_theory": "theory", "tolerance": "number", "level": "number",
          "select": "select"},
    required=("metric", "parameter"),
    one_of=("exponent", "exponent_theory"),
    needs={"point_summary", "standard_error"},
)
def power_law(check, experiment, long, summary, theory):
    """The mean scales like ``parameter ** exponent``: the slope of log(mean) against
    log(parameter) is within z standard errors of ``exponent`` (plus ``tolerance``, an
    allowance for the lower-order terms a rate ignores), at every value of the other columns.
    The exponent is a number, or ``exponent_theory``, a theory evaluated at each group (the
    rate −2/d of a dimension d).

    The slope is fitted by weighted least squares, each point weighted by the inverse
    variance of its log mean, (sem / mean)² by the delta method; its standard error follows
    from those weights. z is Student's two-sided quantile, Bonferroni-corrected over the
    groups, with the fewest replicates of the points as its count.
    """
    parameter = check["parameter"]
    allowance = float(check.get("tolerance", 0.0))
    groups = list(_along(check, experiment, summary))
    level = check.get("level", 0.01)
    rows = []
    for where, group in groups:
        group = group.sort_values(parameter)
        if "exponent" in check:
            exponent = float(check["exponent"])
        else:
            exponents = group[[*experiment.grid_names]].merge(
                theory[[*experiment.grid_names, check["exponent_theory"]]],
                on=experiment.grid_names, how="left")[check["exponent_theory"]].unique()
            if exponents.shape[0] != 1:
                rows.append([f"{check['metric']} ∝ {parameter}^exponent{where}: "
                             f"{check['exponent_theory']} varies along {parameter}",
                             np.nan, np.nan, allowance, False])
                continue
            exponent = float(exponents[0])
        x = np.log(group[parameter].to_numpy(dtype=float))
        means = group["mean"].to_numpy(dtype=float)
        if np.any(means <= 0):
            rows.append([f"{check['metric']} ∝ {parameter}^{exponent:g}{where}: a mean is not "
                         "positive, so no log-log slope", exponent, np.nan, allowance, False])
            continue
        y = np.log(means)
        weights = 1.0 / np.maximum(group["sem"].to_numpy(dtype=float) / means, 1e-12) ** 2
        centre = np.sum(weights * x) / np.sum(weights)
        spread = np.sum(weights * (x - centre) ** 2)
        slope = float(np.sum(weights * (x - centre) * y) / spread)
        z = float(_critical_value(1 - level / (2 * len(groups)), group["count"].min()))
        tolerance = z / np.sqrt(spread) + allowance
        extra = f" + {allowance:g}" if allowance else ""
        rows.append([
            f"log-log slope of mean {check['metric']} in {parameter} = {exponent:g}{where} "
            f"({group.shape[0]} values, ±{z:.2f} SE{extra})",
            exponent, slope, float(tolerance), bool(abs(slope - exponent) <= tolerance),
        ])
    return rows


@declare_check(
    "bounded_by",
    keys={"metric": "metric", "bound": "metric", "select": "select"},
    required=("metric", "bound"),
    needs={"point_summary"},
)
def bounded_by(check, experiment, long, summary, theory):
    """In every row (every replicate or fold), the metric is at most the row's ``bound``
    metric, to rounding (1e-9 relative): an inequality that holds for every draw, not on
    average. One claim per grid point, with the largest ratio metric / bound, or, where a
    bound is negative (a log-likelihood), the largest difference metric − bound."""
    names = experiment.grid_names
    table = select(long, check.get("select"))
    groups = table.groupby(names, sort=False) if names else [((), table)]
    rows = []
    for key, group in groups:
        key = key if isinstance(key, tuple) else (key,)
        value = group[check["metric"]].to_numpy(dtype=float)
        bound = group[check["bound"]].to_numpy(dtype=float)
        slack = 1e-9 * np.maximum(np.abs(bound), 1e-12)
        where = describe(dict(zip(names, key)), names) if names else "the only point"
        holds = bool(np.all(value <= bound + slack))
        if np.all(bound >= 0):
            ratios = np.where(bound > 0, value / np.where(bound > 0, bound, 1.0),
                              np.where(value <= slack, 0.0, np.inf))
            worst = float(np.max(ratios))
            rows.append([
                f"{check['metric']} ≤ {check['bound']} in each of the {value.shape[0]} rows "
                f"at {where} (largest ratio {worst:.3g})",
                1.0, worst, 1e-9, holds,
            ])
            continue
        worst = float(np.max(value - bound))
        rows.append([
            f"{check['metric']} ≤ {check['bound']} in each of the {value.shape[0]} rows at "
            f"{where} (largest difference {worst:.3g})",
            0.0, worst, 1e-9, holds,
        ])
    return rows


@declare_check(
    "identity",
    keys={"metric": "metric", "tolerance": "number", "select": "select"},
    required=("metric", "tolerance"),
    needs=set(),
)
def identity(check, experiment, long, summary, theory):
    """In every row (every replicate, fold or iteration) the metric, the difference of the
    two sides of an identity, is at most ``tolerance`` in absolute value: an equality that
    holds to rounding for every draw. One claim per grid point, with its largest value."""
    names = experiment.grid_names
    table = select(long, check.get("select"))
    groups = table.groupby(names, sort=False) if names else [((), table)]
    tolerance = float(check["tolerance"])
    rows = []
    for key, group in groups:
        key = key if isinstance(key, tuple) else (key,)
        values = np.abs(group[check["metric"]].to_numpy(dtype=float))
        worst = float(np.max(values))
        where = describe(dict(zip(names, key)), names) if names else "the only point"
        rows.append([
            f"|{check['metric']}| ≤ {tolerance:.3g} in each of the {values.shape[0]} rows at "
            f"{where} (largest {worst:.3g})",
            0.0, worst, tolerance, bool(worst <= tolerance),
        ])
    return rows
