"""How the pipeline's cost grows with the number of grid points.

    python benchmarks/scaling.py [--sizes 10 100 1000 10000] [--cores 2] [--replicates 10]
        [--dry-run-only-above N] [--timeout S] [--dry-run-timeout S] [--json rows.json]
        [--figure scaling.png [--compare before.json]]

For each size it writes a config with one experiment of cheap points, OLS by Monte Carlo in
fixed design (10 replicates) over an (n_samples, n_features) grid of exactly that many
points (:func:`grid_shape`: 10 = 5 x 2, 100 = 10 x 10, 1000 = 40 x 25, 10000 = 250 x 40),
n from 50 to 2000 and d from 1 to 40. Each point reads its own dataset (one fixed design per
(n, d)), so the DAG has about two jobs per point and five more (tabulate, check, plot,
collect_verdicts, report). It then prints one row per size:

points
    grid points of the experiment.
jobs
    jobs in the DAG, from the ``total`` line of ``snakemake -n``.
dry-run s
    wall seconds of ``snakemake -n`` in a fresh temporary copy of the repository (reading
    the workflow, validating the config, building the DAG).
valid s
    seconds of ``ftml.experiments.config.load_config`` on the config in this process (its
    imports paid beforehand): the validation part of every Snakemake start.
wall s
    wall seconds of ``snakemake --cores N`` from scratch in another fresh copy.
CPU s
    user and system CPU seconds of that run's processes: Snakemake and all its jobs.
compute s
    the same datasets and training points built in this process on one thread, without
    files, jobs or Snakemake: the work itself, proportional to the points.
fraction
    compute / (wall x cores): 1 would mean no overhead at all.
load
    the 1-minute load average just before the row was measured (the machine is shared).

``--dry-run-only-above N`` skips the full run for sizes above N (its columns print ``-``);
``--timeout`` bounds each Snakemake call (a call killed at it prints ``>T``),
``--dry-run-timeout`` the dry runs alone (the full runs of large grids take longer). ``--json``
writes the rows, ``--figure`` draws core-seconds (wall x cores), CPU seconds, the
in-process compute (the ideal, proportional to the work) and the dry-run seconds against
the points, log-log (a timed-out measurement as an open triangle at its timeout: a lower
bound); ``--compare`` adds the rows of an earlier ``--json``, dashed, as "before". The JSON
rows also hold the grid's shape, the load average before the full run, and the in-process
time by part (datasets, optima, training, and the jobs' specs, kept out of "compute s").
"""

import argparse
import json
import os
import platform
import time
from datetime import datetime, timezone
from pathlib import Path

from _harness import (SCHEMA, compute_seconds, in_process_compute, repository_copy,
                      run_snakemake)

from ftml.experiments.config import load_config

N_RANGE = (50, 2000)
D_RANGE = (1, 40)
COLUMNS = ("points", "jobs", "dry-run s", "valid s", "wall s", "CPU s", "compute s",
           "fraction", "load")


def grid_shape(size):
    """Split ``size`` grid points into (number of n values, number of d values).

    The number of d values is the largest divisor of ``size`` that is at most 40 (the d
    range holds 40 integers) and at most the number of n values, so that the grid is as
    square as the d range allows.

    Parameters
    ----------
    size : int
        The number of grid points, at least 1.

    Returns
    -------
    tuple of int
        ``(n_count, d_count)`` with ``n_count * d_count == size``.

    Examples
    --------
    >>> [grid_shape(size) for size in (10, 100, 1000, 10000)]
    [(5, 2), (10, 10), (40, 25), (250, 40)]
    """
    d_count = max(b for b in range(1, D_RANGE[1] - D_RANGE[0] + 2)
                  if size % b == 0 and b * b <= size)
    return size // d_count, d_count


def spread(count, low, high):
    """``count`` strictly increasing integers from ``low``, spaced geometrically to ``high``.

    Where rounding would repeat a value (many values over a short range), the next integer
    is taken instead, so the count is exact; the last value may then exceed ``high``.

    Parameters
    ----------
    count : int
    low, high : int
        Positive.

    Returns
    -------
    list of int

    Examples
    --------
    >>> spread(5, 50, 2000)
    [50, 126, 316, 795, 2000]
    >>> spread(3, 1, 2)
    [1, 2, 3]
    """
    if count == 1:
        return [low]
    ratio = (high / low) ** (1 / (count - 1))
    values = []
    for i in range(count):
        value = round(low * ratio**i)
        values.append(max(value, values[-1] + 1) if values else value)
    return values


def scaling_config(size, replicates):
    """The benchmark's config for ``size`` grid points.

    Parameters
    ----------
    size : int
        The number of grid points.
    replicates : int
        Monte-Carlo replicates per point.

    Returns
    -------
    dict
        A config as read from YAML.
    """
    n_count, d_count = grid_shape(size)
    ns = spread(n_count, *N_RANGE)
    ds = spread(d_count, *D_RANGE)
    # OLS needs n > d + 1 at every point (the random-design theory divides by n - d - 1).
    assert ns[0] > ds[-1] + 1, (ns[0], ds[-1])
    return {
        "seed": 2026,
        "datasets": {"g": {"generator": "linear_gaussian", "params": {
            "design": "fixed", "noise": 1.0, "theta_norm": 1.0, "correlation": 0.0}}},
        "experiments": {"ols_grid": {
            "chapter": "Least squares", "title": "OLS grid", "description": "scaling",
            "dataset": "g", "estimator": "OLS", "estimator_params": {"fit_intercept": False},
            "grid": {"n_samples": ns, "n_features": ds},
            "evaluation": {"protocol": "monte_carlo", "replicates": replicates},
            "metrics": ["excess_risk"],
            "checks": [{"check": "matches_theory", "metric": "excess_risk",
                        "theory": "ols_fixed_design_excess_risk"}],
            "figure": [{"metric": "excess_risk", "x": "n_samples", "hue": "n_features",
                        "logx": True, "logy": True}],
        }},
    }


def measure(size, args):
    """Measure one size: a row of the table, as a dict (None for what was not measured).

    Parameters
    ----------
    size : int
    args : argparse.Namespace
        The command line.

    Returns
    -------
    dict
    """
    config = scaling_config(size, args.replicates)
    row = {"points": size, "shape": list(grid_shape(size)), "load": os.getloadavg()[0]}
    start = time.perf_counter()
    load_config(config, SCHEMA)
    row["validation_s"] = time.perf_counter() - start

    # A fresh copy each time: no state of an earlier call (DAG, metadata, caches) helps.
    with repository_copy(config) as workdir:
        dry = run_snakemake(workdir, ["-n"], timeout=dry_run_timeout(args))
    row.update(jobs=dry.jobs, dry_run_s=dry.wall, dry_run_timed_out=dry.timed_out)

    full = None
    if args.dry_run_only_above is None or size <= args.dry_run_only_above:
        row["run_load"] = os.getloadavg()[0]
        with repository_copy(config) as workdir:
            full = run_snakemake(workdir, ["--cores", str(args.cores)], timeout=args.timeout)
    row.update(
        wall_s=full and full.wall, cpu_s=full and full.cpu,
        run_timed_out=full is not None and full.timed_out,
        run_jobs=full and full.jobs,
    )

    timings = in_process_compute(config)
    row["compute_s"] = compute_seconds(timings)
    row["compute_breakdown_s"] = timings
    complete = full is not None and not full.timed_out
    row["core_s"] = full.wall * args.cores if full is not None else None
    row["fraction"] = row["compute_s"] / row["core_s"] if complete else None
    return row


def dry_run_timeout(args):
    """The timeout of ``snakemake -n``: ``--dry-run-timeout``, else ``--timeout``."""
    return args.timeout if args.dry_run_timeout is None else args.dry_run_timeout


def format_row(row, args):
    """The printed cells of a row: ``-`` for what was not measured, ``>T`` for a timeout."""
    def seconds(value, timed_out=False, timeout=args.timeout):
        if timed_out:
            return f">{timeout:g}"
        return "-" if value is None else f"{value:.1f}"

    run_timed_out = row["run_timed_out"]
    return [
        str(row["points"]),
        "-" if row["jobs"] is None else str(row["jobs"]),
        seconds(row["dry_run_s"], row["dry_run_timed_out"], dry_run_timeout(args)),
        f"{row['validation_s']:.2f}",
        seconds(row["wall_s"], run_timed_out),
        "-" if row["cpu_s"] is None or run_timed_out else f"{row['cpu_s']:.1f}",
        f"{row['compute_s']:.1f}",
        "-" if row["fraction"] is None else f"{row['fraction']:.3f}",
        f"{row['load']:.2f}",
    ]


def print_table_header():
    """Print the column names, right-aligned as the rows are."""
    print("  ".join(f"{name:>10}" for name in COLUMNS), flush=True)


def draw_figure(rows, cores, path, before=None):
    """Draw the rows' costs against grid points, log-log, into ``path``.

    Parameters
    ----------
    rows : list of dict
        From :func:`measure`.
    cores : int
        The ``--cores`` of the runs, for the legend.
    path : path-like
        The PNG to write.
    before : list of dict, default=None
        An earlier run's rows, drawn dashed and labelled "before".

    Notes
    -----
    A measurement cut by its timeout is drawn as an open triangle at the timeout, apart
    from its curve: the true value is at least that.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    series = [
        ("core_s", f"core-seconds (wall x {cores} cores)", "C0"),
        ("cpu_s", "CPU seconds, all processes", "C1"),
        ("compute_s", "in-process compute (ideal)", "C2"),
        ("dry_run_s", "dry run (snakemake -n) wall", "C3"),
    ]
    figure, axes = plt.subplots(figsize=(10, 5))
    for data, style, suffix in ((rows, "-o", ""), (before, "--s", " (before)")):
        if not data:
            continue
        for key, label, color in series:
            alpha = 0.6 if suffix else 1.0
            # A timed-out measurement is a lower bound, not a point of the curve: drawn
            # apart, as an upward triangle at the time it was cut.
            points = [(row["points"], row[key]) for row in data
                      if row.get(key) is not None and not _timed_out(row, key)]
            if points:
                x, y = zip(*points)
                axes.plot(x, y, style, color=color, label=label + suffix, alpha=alpha)
            cut = [(row["points"], row[key]) for row in data
                   if row.get(key) is not None and _timed_out(row, key)]
            if cut:
                x, y = zip(*cut)
                axes.plot(x, y, "^", color=color, markerfacecolor="none", markersize=9,
                          alpha=alpha, label=f"{label}{suffix}: timed out (at least)")
    axes.set_xscale("log")
    axes.set_yscale("log")
    axes.set_xlabel("grid points")
    axes.set_ylabel("seconds")
    axes.set_title("Pipeline cost against grid points (OLS, fixed design)")
    axes.grid(True, which="both", alpha=0.3)
    # Beside the axes: inside, eight entries would hide the curves.
    axes.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1))
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    plt.close(figure)


def _timed_out(row, key):
    """Whether the measurement under ``key`` was cut by the timeout."""
    if key == "dry_run_s":
        return row.get("dry_run_timed_out", False)
    if key in ("core_s", "cpu_s", "wall_s"):
        return row.get("run_timed_out", False)
    return False


def main():
    """Measure every size of the command line, print the table, write JSON and figure."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000, 10000])
    parser.add_argument("--cores", type=int, default=2)
    parser.add_argument("--replicates", type=int, default=10)
    parser.add_argument("--dry-run-only-above", type=int, default=None, metavar="N",
                        help="skip the full run for sizes above N")
    parser.add_argument("--timeout", type=float, default=None,
                        help="seconds allowed to each snakemake call")
    parser.add_argument("--dry-run-timeout", type=float, default=None,
                        help="seconds allowed to each snakemake -n (default: --timeout)")
    parser.add_argument("--json", help="write the rows to this file")
    parser.add_argument("--figure", help="draw a log-log PNG figure to this file")
    parser.add_argument("--compare", help="an earlier --json, drawn dashed as 'before'")
    args = parser.parse_args()

    print(f"snakemake --cores {args.cores}, {args.replicates} replicates per point, "
          f"{os.cpu_count()} CPUs, load {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print_table_header()
    # The first validation in a process imports the catalog, the protocols and the schema
    # machinery: pay it once here, so that "valid s" is the cost of the config alone.
    load_config(scaling_config(1, args.replicates), SCHEMA)
    rows = []
    for size in args.sizes:
        row = measure(size, args)
        rows.append(row)
        print("  ".join(f"{cell:>10}" for cell in format_row(row, args)), flush=True)
        # Written after every size: a long run stopped midway keeps what it measured.
        if args.json:
            write_json(args.json, rows, args)
    if args.figure:
        before = json.loads(Path(args.compare).read_text())["rows"] if args.compare else None
        draw_figure(rows, args.cores, args.figure, before)


def write_json(path, rows, args):
    """Write the rows with what they were measured under."""
    record = {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "host": platform.node(), "cpus": os.cpu_count(), "cores": args.cores,
        "replicates": args.replicates, "timeout": args.timeout,
        "dry_run_timeout": dry_run_timeout(args), "rows": rows,
    }
    Path(path).write_text(json.dumps(record, indent=1) + "\n")


if __name__ == "__main__":
    main()
