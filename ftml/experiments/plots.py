"""Draw an experiment's figure from its summary and theory tables.

Each panel plots one metric's mean against one grid parameter, with its 95% confidence band,
one curve per value of the ``hue`` parameter, and the theory as dashed curves in the same
colour: theory and measurement side by side, on log scales where the theory is a power law.
"""

import re
import textwrap

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402  (the backend is chosen first)
import numpy as np  # noqa: E402
from matplotlib.ticker import LogFormatterSciNotation  # noqa: E402

from ftml.experiments.catalog import catalog  # noqa: E402

__all__ = ["confusion_figure", "experiment_figure", "save_figure"]

# Fixed salts and no dates, so that equal tables draw byte-identical SVG files.
matplotlib.rcParams["svg.hashsalt"] = "ftml-repro"


def _label(name):
    return name.replace("_", " ")


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
_MATHTEXT_POWER = re.compile(
    r"^\$\\mathdefault\{(?P<sign>-?)(?:(?P<coefficient>[0-9.]+)\\times)?"
    r"(?P<base>[0-9]+)\^\{(?P<exponent>-?[0-9]+)\}\}\$$"
)


class _PlainPowerFormatter(LogFormatterSciNotation):
    """Matplotlib's log-axis labels, written as plain text (``10⁻⁴``, ``2×10³``) rather
    than mathtext: parsing mathtext costs every figure job about a second."""

    def __call__(self, x, pos=None):
        label = super().__call__(x, pos)
        match = _MATHTEXT_POWER.match(label)
        if match is None:
            return label
        coefficient = f"{match['coefficient']}×" if match["coefficient"] else ""
        sign = "−" if match["sign"] else ""
        return f"{sign}{coefficient}{match['base']}{match['exponent'].translate(_SUPERSCRIPT)}"


def _scale(axis, which, log):
    """Set one axis of a panel to a log or linear scale."""
    getattr(axis, f"set_{which}scale")("log" if log else "linear")
    if log:
        ticks = getattr(axis, f"{which}axis")
        ticks.set_major_formatter(_PlainPowerFormatter())
        ticks.set_minor_formatter(_PlainPowerFormatter(labelOnlyBase=False))


def experiment_figure(experiment, summary, theory):
    """Return the figure of an experiment, one panel per entry of its ``figure`` list.

    Parameters
    ----------
    experiment : ftml.experiments.config.Experiment
    summary, theory : pandas.DataFrame
        The experiment's summary and theory tables.

    Returns
    -------
    matplotlib.figure.Figure
    """
    panels = experiment.spec["figure"]
    figure, axes = plt.subplots(1, len(panels), figsize=(5.2 * len(panels), 4.2), squeeze=False)
    for axis, panel in zip(axes[0], panels):
        if panel["x"] in experiment.protocol.iteration_axes:
            _draw_history_panel(axis, panel, summary, theory, experiment.grid_names)
        elif _categorical(summary[panel["x"]]):
            _draw_categorical_panel(axis, panel, summary, theory)
        else:
            _draw_panel(axis, panel, _select(summary, panel.get("select")),
                        _select(theory, panel.get("select")))
    figure.suptitle(textwrap.fill(experiment.spec["title"], 40 * len(panels)))
    figure.tight_layout()
    return figure


_STYLES = ("--", ":", "-.", (0, (5, 1)), (0, (3, 1, 1, 1, 1, 1)))


def _draw_panel(axis, panel, summary, theory):
    """Measured means as markers with their 95% interval; theories as lines.

    With a hue, a curve's theory takes the curve's colour and the theories differ by line
    style; without one, the measurement is black and each theory has its own colour.
    """
    measured = summary[summary["metric"] == panel["metric"]]
    hue = panel.get("hue")
    groups = measured.groupby(hue, sort=False) if hue else [(None, measured)]
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for index, (value, group) in enumerate(groups):
        colour = colours[index % len(colours)] if hue else "black"
        group = group.sort_values(panel["x"])
        x = group[panel["x"]].to_numpy(dtype=float)
        label = f"{_label(hue)} = {_format(value)}" if hue else "measured (95% CI)"
        _draw_means(axis, x, group, colour, label, size=4)
        rows = theory[theory[hue] == value] if hue else theory
        rows = rows.drop_duplicates(panel["x"]).sort_values(panel["x"])
        for position, name in enumerate(panel["theory"]):
            axis.plot(
                rows[panel["x"]], rows[name],
                linestyle=_STYLES[position % len(_STYLES)] if hue else "-",
                color=colour if hue else colours[position % len(colours)],
                linewidth=1.3,
                label=None if hue else catalog().theories[name].formula,
            )
    if hue:  # one legend entry per theory, in neutral grey
        for position, name in enumerate(panel["theory"]):
            axis.plot([], [], linestyle=_STYLES[position % len(_STYLES)], color="0.3",
                      label=catalog().theories[name].formula)
    for name in panel["vlines"]:
        for value in np.unique(theory[name].to_numpy(dtype=float)):
            axis.axvline(value, color="0.3", linestyle=":", label=catalog().theories[name].formula)
    _scale(axis, "x", panel["logx"])
    _scale(axis, "y", panel["logy"])
    axis.set_xlabel(_label(panel["x"]))
    axis.set_ylabel(_label(panel["metric"]))
    _title(axis, panel)
    axis.grid(True, which="major", alpha=0.3)
    axis.legend(fontsize="small")


def _draw_means(axis, x, group, colour, label, size):
    """The group's means at ``x``, with their 95% intervals where there are any."""
    mean = group["mean"].to_numpy(dtype=float)
    if group["ci95_low"].notna().all():
        errors = np.vstack([mean - group["ci95_low"], group["ci95_high"] - mean])
        axis.errorbar(x, mean, yerr=errors, fmt="o", color=colour, markersize=size,
                      capsize=size - 2, label=label, zorder=3)
    else:
        axis.plot(x, mean, "o", color=colour, markersize=size, label=label, zorder=3)


def _categorical(column):
    """Whether a column's values are categories (labels, booleans), not numbers on an axis."""
    from pandas.api.types import is_bool_dtype, is_numeric_dtype

    return is_bool_dtype(column) or not is_numeric_dtype(column)


def _format(value):
    if isinstance(value, (float, np.floating)):
        return f"{value:g}"
    return str(value)


def _title(axis, panel):
    if panel.get("select"):
        axis.set_title(", ".join(f"{k} = {v}" for k, v in panel["select"].items()),
                       fontsize="medium")


def _draw_categorical_panel(axis, panel, summary, theory):
    """A categorical x (an estimator, a dataset, standardised or not): the mean and its 95%
    interval at each category, one offset series per hue, and the theory as short dashes."""
    measured = _select(summary[summary["metric"] == panel["metric"]], panel.get("select"))
    theory = _select(theory, panel.get("select"))
    hue = panel.get("hue")
    categories = list(dict.fromkeys(measured[panel["x"]].tolist()))
    groups = list(measured.groupby(hue, sort=False)) if hue else [(None, measured)]
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    width = 0.8 / len(groups)
    for index, (value, group) in enumerate(groups):
        colour = colours[index % len(colours)] if hue else "black"
        offset = (index - (len(groups) - 1) / 2) * width
        positions = np.array([categories.index(c) for c in group[panel["x"]]]) + offset
        label = f"{_label(hue)} = {_format(value)}" if hue else "measured (95% CI)"
        _draw_means(axis, positions, group, colour, label, size=5)
        rows = theory[theory[hue] == value] if hue else theory
        for position, name in enumerate(panel["theory"]):
            for category, predicted in zip(rows[panel["x"]], rows[name]):
                centre = categories.index(category) + offset
                axis.hlines(predicted, centre - width / 2, centre + width / 2, color=colour,
                            linestyle=_STYLES[position % len(_STYLES)], linewidth=1.3)
    for position, name in enumerate(panel["theory"]):
        axis.plot([], [], linestyle=_STYLES[position % len(_STYLES)], color="0.3",
                  label=catalog().theories[name].formula)
    axis.set_xticks(range(len(categories)), [_format(c) for c in categories])
    _scale(axis, "y", panel["logy"])
    axis.set_xlabel(_label(panel["x"]))
    axis.set_ylabel(_label(panel["metric"]))
    _title(axis, panel)
    axis.grid(True, axis="y", alpha=0.3)
    axis.legend(fontsize="small")


def confusion_figure(experiment, matrices):
    """One confusion matrix per grid point, normalised by row (each true class's recall
    spread over the predicted classes), the pooled counts written in small cells.

    Parameters
    ----------
    experiment : ftml.experiments.config.Experiment
    matrices : list of (dict, ndarray, ndarray)
        From :func:`ftml.experiments.tables.confusion_matrices`.

    Returns
    -------
    matplotlib.figure.Figure
    """
    columns = min(3, len(matrices))
    rows = -(-len(matrices) // columns)
    figure, axes = plt.subplots(rows, columns, figsize=(4.2 * columns, 3.9 * rows),
                                squeeze=False)
    for axis in axes.flat[len(matrices):]:
        axis.set_visible(False)
    for axis, (params, labels, matrix) in zip(axes.flat, matrices):
        totals = matrix.sum(axis=1, keepdims=True)
        rates = matrix / np.maximum(totals, 1)
        axis.imshow(rates, cmap="Blues", vmin=0.0, vmax=1.0)
        if len(labels) <= 12:
            for (i, j), count in np.ndenumerate(matrix):
                if count:
                    axis.text(j, i, str(count), ha="center", va="center", fontsize=7,
                              color="white" if rates[i, j] > 0.5 else "black")
        ticks = range(len(labels))
        axis.set_xticks(ticks, [str(label) for label in labels], fontsize=7)
        axis.set_yticks(ticks, [str(label) for label in labels], fontsize=7)
        axis.set_xlabel("predicted")
        axis.set_ylabel("true")
        accuracy = np.trace(matrix) / matrix.sum()
        axis.set_title(", ".join(_format(v) for v in params.values())
                       + f"\naccuracy {accuracy:.3f}", fontsize="small")
    figure.suptitle(textwrap.fill(f"{experiment.spec['title']}: out-of-fold confusion "
                                  "matrices", 40 * columns))
    figure.tight_layout()
    return figure


def _select(table, select):
    for name, value in (select or {}).items():
        table = table[table[name] == value]
    return table


def _draw_history_panel(axis, panel, summary, theory, point_names):
    """An optimisation panel: one curve per solver (or hue) against iterations or passes,
    the mean over replicates with its 95% band, and each bound of the theorems dashed."""
    measured = _select(summary[summary["metric"] == panel["metric"]], panel.get("select"))
    # an optimisation experiment's curves are its solvers' by default
    hue = panel.get("hue", "solver" if "solver" in measured else None)
    groups = list(measured.groupby(hue, sort=False)) if hue else [(None, measured)]
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    if len(groups) > len(colours):  # no two curves of one panel share a colour
        colours = [matplotlib.colormaps["tab20"](i) for i in range(20)]
    for index, (value, group) in enumerate(groups):
        colour = colours[index % len(colours)]
        group = group.sort_values("iteration")
        x = group[panel["x"]].to_numpy(dtype=float)
        mean = group["mean"].to_numpy(dtype=float)
        if panel["logy"]:  # below rounding level a difference can be 0 or negative
            mean = np.where(mean > 0, mean, np.nan)
        label = (f"{value}" if hue == "solver" else f"{_label(hue)} = {value}") if hue else (
            _label(panel["metric"]))
        axis.plot(x, mean, color=colour, linewidth=1.4, label=label)
        if group["ci95_low"].notna().all():
            low = group["ci95_low"].to_numpy(dtype=float)
            if panel["logy"]:  # a band reaching 0 cannot be drawn on a log scale
                low = np.where(low > 0, low, np.nan)
            axis.fill_between(x, low, group["ci95_high"], color=colour, alpha=0.2,
                              linewidth=0)
        point = {name: group[name].iloc[0] for name in point_names if name in group}
        iterations = group["iteration"].to_numpy(dtype=float)
        if not panel["theory"]:
            continue
        constants = _select(theory, point).iloc[0]
        positive = iterations >= 1
        for position, name in enumerate(panel["theory"]):
            bound = catalog().bounds[name]
            axis.plot(x[positive], bound.evaluate(constants, point, iterations[positive]),
                      linestyle=_STYLES[position % len(_STYLES)], color=colour, linewidth=1.0)
    for position, name in enumerate(panel["theory"]):
        axis.plot([], [], linestyle=_STYLES[position % len(_STYLES)], color="0.3",
                  label=catalog().bounds[name].formula)
    _scale(axis, "x", panel["logx"])
    _scale(axis, "y", panel["logy"])
    starts = [group.sort_values("iteration")["mean"].iloc[0] for _, group in groups]
    if panel["logy"] and starts and measured["mean"].max() > 1e3 * max(starts):
        # a diverging run would squash every other curve: let it leave the frame
        positive = measured["mean"][measured["mean"] > 0]
        axis.set_ylim(bottom=positive.min() / 3, top=1e3 * max(starts))
    axis.set_xlabel("effective passes over the data" if panel["x"] == "passes" else "iteration")
    axis.set_ylabel(_label(panel["metric"]))
    if panel.get("select"):
        axis.set_title(", ".join(f"{k} = {v}" for k, v in panel["select"].items()),
                       fontsize="medium")
    axis.grid(True, which="major", alpha=0.3)
    axis.legend(fontsize="small")


def save_figure(figure, png_path, svg_path):
    """Save a figure as PNG and SVG without timestamps, then close it."""
    from ftml.experiments.data import atomic_output

    for path, options in (
        (png_path, {"format": "png", "dpi": 120, "metadata": {"Software": None}}),
        (svg_path, {"format": "svg", "metadata": {"Date": None, "Creator": None}}),
    ):
        with atomic_output(path) as temporary:
            figure.savefig(temporary, **options)
    plt.close(figure)
