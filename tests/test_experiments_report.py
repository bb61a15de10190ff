"""Figures and the report, from tables made in the test: what a reader sees must match them."""

import base64
import re

import matplotlib
import numpy as np
import pandas as pd
import pytest

from ftml.experiments.config import load_config
from ftml.experiments.plots import experiment_figure, save_figure
from ftml.experiments.report import ExperimentResults, render_report
from ftml.experiments.tables import summary_table, theory_table

matplotlib.use("Agg")


@pytest.fixture
def config():
    return load_config({
        "seed": 3,
        "datasets": {"fixed": {"generator": "linear_gaussian", "params": {"design": "fixed"}}},
        "experiments": {
            "ols": {
                "chapter": "Least squares",
                "title": "OLS excess risk",
                "description": "Theory says <sigma^2 d / n>.",
                "dataset": "fixed",
                "estimator": "OLS",
                "estimator_params": {"fit_intercept": False},
                "grid": {"n_samples": [20, 40, 80], "n_features": [2, 4]},
                "evaluation": {"protocol": "monte_carlo", "replicates": 4},
                "metrics": ["excess_risk"],
                "checks": [{"check": "matches_theory", "metric": "excess_risk",
                            "theory": "ols_fixed_design_excess_risk"}],
                "figure": [{"metric": "excess_risk", "x": "n_samples", "hue": "n_features",
                            "theory": ["ols_fixed_design_excess_risk"],
                            "logx": True, "logy": True}],
            }
        },
    })


def _tables(experiment):
    rng = np.random.default_rng(0)
    rows = [
        [*point.params.values(), replicate, rng.exponential(0.1)]
        for point in experiment.points
        for replicate in range(4)
    ]
    long = pd.DataFrame(rows, columns=[*experiment.grid_names, "replicate", "excess_risk"])
    summary = summary_table(long, experiment.grid_names, ["excess_risk"])
    return summary, theory_table(experiment, models={})


def test_the_figure_draws_each_curve_and_its_theory_on_the_requested_scales(config):
    experiment = config.experiments["ols"]
    summary, theory = _tables(experiment)
    figure = experiment_figure(experiment, summary, theory)
    (axis,) = figure.axes
    assert axis.get_xscale() == "log" and axis.get_yscale() == "log"
    assert axis.get_xlabel() == "n samples" and axis.get_ylabel() == "excess risk"
    # one theory line per hue value, through the theory table's values
    theory_lines = [line for line in axis.get_lines() if line.get_linestyle() == "--"
                    and len(line.get_xdata())]
    assert len(theory_lines) == 2
    for line, d in zip(theory_lines, (2, 4)):
        np.testing.assert_allclose(line.get_ydata(), [d / 20, d / 40, d / 80])
    legend = [text.get_text() for text in axis.get_legend().get_texts()]
    assert "n features = 2" in legend and "σ² d / n" in legend


def test_saved_figures_are_byte_identical_across_saves(config, tmp_path):
    experiment = config.experiments["ols"]
    summary, theory = _tables(experiment)
    for name in ("a", "b"):
        save_figure(experiment_figure(experiment, summary, theory),
                    tmp_path / f"{name}.png", tmp_path / f"{name}.svg")
    assert (tmp_path / "a.svg").read_bytes() == (tmp_path / "b.svg").read_bytes()
    assert (tmp_path / "a.png").read_bytes() == (tmp_path / "b.png").read_bytes()


def test_the_report_shows_failing_claims_escapes_text_and_embeds_the_figure(config, tmp_path):
    experiment = config.experiments["ols"]
    summary, theory = _tables(experiment)
    summary.to_csv(tmp_path / "summary.csv", index=False)
    theory.to_csv(tmp_path / "theory.csv", index=False)
    pd.DataFrame({
        "experiment": ["ols", "ols"],
        "claim": ["holds <here>", "fails here"],
        "predicted": [0.1, 0.2],
        "measured": [0.1, 0.5],
        "tolerance": [0.01, 0.01],
        "holds": [True, False],
    }).to_csv(tmp_path / "verdicts.csv", index=False)
    save_figure(experiment_figure(experiment, summary, theory),
                tmp_path / "figure.png", tmp_path / "figure.svg")
    results = [ExperimentResults(experiment, tmp_path / "summary.csv", tmp_path / "theory.csv",
                                 tmp_path / "verdicts.csv", tmp_path / "figure.png")]
    render_report(config, results, tmp_path / "report.html", "abc123")
    page = (tmp_path / "report.html").read_text()
    assert "1 of 2 claims hold" in page
    assert page.count('class="fails"') == 1 and "NO" in page
    assert "holds &lt;here&gt;" in page and "&lt;sigma^2 d / n&gt;" in page
    embedded = re.search(r"data:image/png;base64,([A-Za-z0-9+/=]+)", page).group(1)
    assert base64.b64decode(embedded) == (tmp_path / "figure.png").read_bytes()
    assert "2.5" in page  # measured / predicted of the failing claim
    # the per-point table holds every grid point, with its theory
    assert page.count("<tr><td>") >= len(experiment.points)
