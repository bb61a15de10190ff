"""Write the self-contained HTML report: for each experiment, what theory says, the figure,
the verdicts and the measured table beside the predicted one."""

import base64
import html
import importlib.metadata
import platform
from pathlib import Path

import pandas as pd

__all__ = ["ExperimentResults", "render_report"]

_STYLE = """
body { font-family: system-ui, sans-serif; max-width: 72rem; margin: 2rem auto; padding: 0 1rem;
       color: #222; line-height: 1.45; }
h1 { margin-bottom: 0.2rem; } h2 { border-bottom: 2px solid #ddd; margin-top: 2.5rem; }
table { border-collapse: collapse; font-size: 0.85rem; margin: 0.6rem 0 1.2rem; }
th, td { border: 1px solid #ddd; padding: 0.25rem 0.5rem; text-align: right; }
th { background: #f4f4f4; } td.text { text-align: left; }
tr.fails td { background: #fde2e1; } .holds { color: #11713a; font-weight: 600; }
.fails-word { color: #b3261e; font-weight: 600; }
img { max-width: 100%; border: 1px solid #eee; }
details { margin-bottom: 1rem; } .meta { color: #666; font-size: 0.85rem; }
"""


class ExperimentResults:
    """The files of one experiment that the report reads."""

    def __init__(self, experiment, summary_path, theory_path, verdicts_path, png_path, *,
                 classes=None, timings=None, read=pd.read_csv):
        # read: in the workflow, a reader that checks each file against its job's manifest
        self.experiment = experiment
        self.summary = read(summary_path)
        self.theory = read(theory_path)
        self.verdicts = read(verdicts_path)
        self.png = Path(png_path).read_bytes()
        # (per-class table, confusion PNG) and the fit times, where the experiment has them
        self.classes = None
        self.confusion_png = None
        if classes is not None:
            self.classes = read(classes[0], keep_default_na=False, na_values=[""])
            self.confusion_png = Path(classes[1]).read_bytes()
        self.timings = timings  # a DataFrame from ftml.experiments.tables.timing_table


def _number(value):
    if isinstance(value, (bool,)) or pd.isna(value):
        return "" if pd.isna(value) else str(value)
    if isinstance(value, (int, float)):
        return f"{value:.4g}"
    return html.escape(str(value))


def _verdict_table(verdicts):
    lines = ["<table><tr><th>claim</th><th>predicted</th><th>measured</th>"
             "<th>measured / predicted</th><th>tolerance</th><th>holds</th></tr>"]
    for _, row in verdicts.iterrows():
        holds = bool(row["holds"])
        word = '<span class="holds">yes</span>' if holds else '<span class="fails-word">NO</span>'
        lines.append(
            f'<tr class="{"holds-row" if holds else "fails"}"><td class="text">'
            f"{html.escape(row['claim'])}</td><td>{_number(row['predicted'])}</td>"
            f"<td>{_number(row['measured'])}</td>"
            f"<td>{_number(_ratio(row['measured'], row['predicted']))}</td>"
            f"<td>{_number(row['tolerance'])}</td>"
            f"<td>{word}</td></tr>"
        )
    lines.append("</table>")
    return "\n".join(lines)


def _ratio(measured, predicted):
    return measured / predicted if predicted else float("nan")


def _html_table(frame):
    header = "".join(f"<th>{html.escape(str(column))}</th>" for column in frame.columns)
    body = "\n".join(
        "<tr>" + "".join(f"<td>{_number(value)}</td>" for value in row) + "</tr>"
        for row in frame.itertuples(index=False)
    )
    return f"<table><tr>{header}</tr>\n{body}</table>"


def _final_values_table(results):
    """For an optimisation experiment: per grid point and solver, the constants of the
    theorems, the last recorded iteration and the final value of each metric."""
    names = results.experiment.grid_names
    summary = results.summary
    last = summary.loc[summary.groupby([*names, "metric"], sort=False)["iteration"].idxmax()]
    wide = last.pivot_table(index=names, columns="metric", values="mean", sort=False)
    iterations = last.groupby(names, sort=False)["iteration"].max().rename("last iteration")
    wide = wide.rename(columns=lambda metric: f"final {metric}").join(iterations).reset_index()
    wide = results.theory.merge(wide, on=names, how="left")
    return _html_table(wide)


def _measurement_table(results):
    """One row per grid point: each metric's mean and 95% interval, then the theories."""
    if "iterations" in results.experiment.protocol.provides:
        return _final_values_table(results)
    names = results.experiment.grid_names
    summary = results.summary
    wide = summary[names].drop_duplicates().reset_index(drop=True)
    for metric in results.experiment.spec["metrics"]:
        part = summary[summary["metric"] == metric]
        text = part.apply(
            lambda row: f"{row['mean']:.4g}"
            + (f" [{row['ci95_low']:.4g}, {row['ci95_high']:.4g}]"
               if pd.notna(row["ci95_low"]) else ""),
            axis=1,
        )
        wide = wide.merge(part[names].assign(**{f"{metric} (mean [95% CI])": text}), on=names)
    theory = results.theory
    if len(theory.columns) > len(names):
        wide = wide.merge(theory.rename(columns=lambda c: c if c in names else f"theory: {c}"),
                          on=names, how="left")
    return _html_table(wide)


def _method(spec):
    if "solvers" in spec:
        objective = spec["objective"]
        return (f"Solvers {', '.join(spec['solvers'])} on the {objective['loss']} loss "
                f"(alpha = {objective['alpha']:g})")
    if "estimators" in spec:
        return "Estimators " + ", ".join(
            f"{label} ({entry['estimator']})" for label, entry in spec["estimators"].items()
        )
    return f"Estimator {spec['estimator']}"


def _extras(result):
    """The per-class report, the confusion matrices and the fit times, where present."""
    parts = []
    if result.classes is not None:
        image = base64.b64encode(result.confusion_png).decode()
        parts += [
            f"<img alt='confusion matrices' src='data:image/png;base64,{image}'>",
            "<details><summary>Per-class report of the out-of-fold predictions (all repeats "
            "pooled)</summary>",
            _html_table(result.classes),
            "</details>",
        ]
    if result.timings is not None:
        parts += [
            "<details><summary>Fit and predict times (wall clock on the machine that ran "
            "the jobs; not reproducible, so kept out of the tables)</summary>",
            _html_table(result.timings),
            "</details>",
        ]
    return parts


def _datasets(spec):
    names = spec["dataset"]
    return names if isinstance(names, str) else ", ".join(names)


def _versions():
    packages = ["numpy", "scipy", "pandas", "matplotlib", "scikit-learn", "snakemake"]
    found = []
    for package in packages:
        try:
            found.append(f"{package} {importlib.metadata.version(package)}")
        except importlib.metadata.PackageNotFoundError:
            pass
    return f"Python {platform.python_version()}, " + ", ".join(found)


def render_report(config, results, output_path, source_hash):
    """Write the report.

    Parameters
    ----------
    config : ftml.experiments.config.Config
    results : list of ExperimentResults
        In the config's order.
    output_path : path-like
    source_hash : str
        Hash of the ftml sources, printed so that a reader can tell two reports' code apart.
    """
    from ftml.experiments.data import atomic_output

    total = sum(len(r.verdicts) for r in results)
    holding = sum(int(r.verdicts["holds"].sum()) for r in results)
    chapters = {}
    for result in results:
        chapters.setdefault(result.experiment.spec["chapter"], []).append(result)

    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        "<title>ftml-repro report</title>",
        f"<style>{_STYLE}</style></head><body>",
        "<h1>ftml-repro: the course's results, measured</h1>",
        f"<p class='meta'>Seed {config.seed} &middot; ftml sources {source_hash} &middot; "
        f"{html.escape(_versions())}</p>",
        f"<p><b>{holding} of {total} claims hold.</b> Each section states what theory "
        "predicts, shows the measurement beside it and checks every claim with the tolerance "
        "written in the claim.</p>",
        "<table><tr><th>experiment</th><th>chapter</th><th>claims holding</th></tr>",
    ]
    for result in results:
        verdicts = result.verdicts
        name = result.experiment.name
        parts.append(
            f"<tr><td class='text'><a href='#{name}'>{name}</a></td>"
            f"<td class='text'>{html.escape(result.experiment.spec['chapter'])}</td>"
            + (f"<td>{int(verdicts['holds'].sum())} / {len(verdicts)}</td></tr>"
               if len(verdicts) else "<td>none checked (figure only)</td></tr>")
        )
    parts.append("</table>")
    for chapter, members in chapters.items():
        parts.append(f"<h2>{html.escape(chapter)}</h2>")
        for result in members:
            spec = result.experiment.spec
            image = base64.b64encode(result.png).decode()
            parts += [
                f"<h3 id='{result.experiment.name}'>{html.escape(spec['title'])} "
                f"<span class='meta'>({result.experiment.name})</span></h3>",
                f"<p>{html.escape(spec['description'])}</p>",
                f"<p class='meta'>{_method(spec)} on {_datasets(spec)}; "
                f"{result.experiment.protocol.describe(spec)}"
                f"; {len(result.experiment.points)} grid points.</p>",
                f"<img alt='{html.escape(spec['title'])}' src='data:image/png;base64,{image}'>",
                "<h4>Verdicts</h4>" if len(result.verdicts) else "",
                _verdict_table(result.verdicts) if len(result.verdicts) else "",
                "<details><summary>Measured and predicted, per grid point</summary>",
                _measurement_table(result),
                "</details>",
                *_extras(result),
            ]
    parts.append("</body></html>")
    with atomic_output(output_path) as temporary:
        Path(temporary).write_text("\n".join(parts), encoding="utf-8")
