"""Draw an experiment's figure from its summary and theory tables.

Each panel plots one metric's mean against one grid parameter, with its 95% confidence band,
one curve per value of the ``hue`` parameter, and the theory as dashed curves in the same
colour: theory and measurement side by side, on log scales where the theory is a power law.
"""

import textwrap

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402  (the backend is chosen first)
import numpy as np  # noqa: E402

from ftml.experiments import registry  # noqa: E402

__all__ = ["experiment_figure", "save_figure"]

# Fixed salts and no dates, so that equal tables draw byte-identical SVG files.
matplotlib.rcParams["svg.hashsalt"] = "ftml-repro"


def _label(name):
    return name.replace("_", " ")


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
        if panel["x"] in ("iteration", "passes"):
            _draw_history_panel(axis, panel, summary, theory, experiment.grid_names)
        else:
            _draw_panel(axis, panel, summary, theory)
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
        mean = group["mean"].to_numpy(dtype=float)
        label = f"{_label(hue)} = {value:g}" if hue else "measured (95% CI)"
        if group["ci95_low"].notna().all():
            errors = np.vstack([mean - group["ci95_low"], group["ci95_high"] - mean])
            axis.errorbar(x, mean, yerr=errors, fmt="o", color=colour, markersize=4,
                          capsize=2, label=label, zorder=3)
        else:
            axis.plot(x, mean, "o", color=colour, markersize=4, label=label, zorder=3)
        rows = theory[theory[hue] == value] if hue else theory
        rows = rows.drop_duplicates(panel["x"]).sort_values(panel["x"])
        for position, name in enumerate(panel["theory"]):
            axis.plot(
                rows[panel["x"]], rows[name],
                linestyle=_STYLES[position % len(_STYLES)] if hue else "-",
                color=colour if hue else colours[position % len(colours)],
                linewidth=1.3,
                label=None if hue else registry.THEORIES[name].formula,
            )
    if hue:  # one legend entry per theory, in neutral grey
        for position, name in enumerate(panel["theory"]):
            axis.plot([], [], linestyle=_STYLES[position % len(_STYLES)], color="0.3",
                      label=registry.THEORIES[name].formula)
    for name in panel["vlines"]:
        for value in np.unique(theory[name].to_numpy(dtype=float)):
            axis.axvline(value, color="0.3", linestyle=":", label=registry.THEORIES[name].formula)
    axis.set_xscale("log" if panel["logx"] else "linear")
    axis.set_yscale("log" if panel["logy"] else "linear")
    axis.set_xlabel(_label(panel["x"]))
    axis.set_ylabel(_label(panel["metric"]))
    axis.grid(True, which="major", alpha=0.3)
    axis.legend(fontsize="small")


def _select(table, select):
    for name, value in (select or {}).items():
        table = table[table[name] == value]
    return table


def _draw_history_panel(axis, panel, summary, theory, point_names):
    """An optimisation panel: one curve per solver (or hue) against iterations or passes,
    the mean over replicates with its 95% band, and each bound of the theorems dashed."""
    measured = _select(summary[summary["metric"] == panel["metric"]], panel.get("select"))
    hue = panel.get("hue", "solver")
    groups = list(measured.groupby(hue, sort=False))
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
        label = f"{value}" if hue == "solver" else f"{_label(hue)} = {value}"
        axis.plot(x, mean, color=colour, linewidth=1.4, label=label)
        if group["ci95_low"].notna().all():
            low = group["ci95_low"].to_numpy(dtype=float)
            if panel["logy"]:  # a band reaching 0 cannot be drawn on a log scale
                low = np.where(low > 0, low, np.nan)
            axis.fill_between(x, low, group["ci95_high"], color=colour, alpha=0.2,
                              linewidth=0)
        point = {name: group[name].iloc[0] for name in point_names if name in group}
        constants = _select(theory, point).iloc[0]
        iterations = group["iteration"].to_numpy(dtype=float)
        positive = iterations >= 1
        for position, name in enumerate(panel["theory"]):
            bound = registry.BOUNDS[name]
            axis.plot(x[positive], bound.evaluate(constants, point, iterations[positive]),
                      linestyle=_STYLES[position % len(_STYLES)], color=colour, linewidth=1.0)
    for position, name in enumerate(panel["theory"]):
        axis.plot([], [], linestyle=_STYLES[position % len(_STYLES)], color="0.3",
                  label=registry.BOUNDS[name].formula)
    axis.set_xscale("log" if panel["logx"] else "linear")
    axis.set_yscale("log" if panel["logy"] else "linear")
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
