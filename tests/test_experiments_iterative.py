"""The iterative protocol: an estimator's own per-iteration history, recorded per replicate.

The estimator here is a small gradient descent on least squares that records its objective
after each step, declared in the catalog for the test's duration; the next chapters'
estimators (k-means, EM, networks) are declared the same way.
"""

from numbers import Integral, Real

import numpy as np
import pytest

from ftml.base import BaseEstimator, RegressorMixin
from ftml.experiments.catalog import Estimator, Metric, catalog
from ftml.experiments.checks import verdicts
from ftml.experiments.config import ConfigError, load_config
from ftml.experiments.data import build_dataset
from ftml.experiments.tables import summary_table, theory_table
from ftml.validation import Interval


class _DescentRegressor(RegressorMixin, BaseEstimator):
    """Least squares by ``n_steps`` of gradient descent with step ``step / L``; records
    F(θ_0), then F(θ_t) after each step. A step above 2 makes it diverge: the history then
    grows."""

    _parameter_constraints = {
        "n_steps": [Interval(Integral, 1, None, closed="left")],
        "step": [Interval(Real, 0, None, closed="neither")],
        "random_state": ["random_state"],
    }

    def __init__(self, n_steps=20, step=1.0, random_state=None):
        self.n_steps = n_steps
        self.step = step
        self.random_state = random_state

    def fit(self, X, y):
        self._validate_params()
        n = X.shape[0]
        smoothness = np.linalg.eigvalsh(X.T @ X / n).max()
        theta = np.random.default_rng(self.random_state).standard_normal(X.shape[1])
        self.objective_history_ = [0.5 * np.mean((X @ theta - y) ** 2)]
        for _ in range(self.n_steps):
            theta = theta - self.step / smoothness * X.T @ (X @ theta - y) / n
            self.objective_history_.append(0.5 * np.mean((X @ theta - y) ** 2))
        self.coef_, self.intercept_ = theta, 0.0
        return self

    def predict(self, X):
        return X @ self.coef_


@pytest.fixture
def declared(monkeypatch):
    found = catalog()
    monkeypatch.setitem(found.estimators, "DescentRegressor",
                        Estimator("DescentRegressor", _DescentRegressor))
    monkeypatch.setitem(found.metrics, "objective_history", Metric(
        "objective_history", "history", lambda estimator, X, y: estimator.objective_history_))


def raw(**experiment):
    spec = {
        "chapter": "c", "title": "t", "description": "d",
        "dataset": "gauss",
        "estimator": "DescentRegressor",
        "grid": {"step": [0.5, 1.0]},
        "evaluation": {"protocol": "iterative", "replicates": 3},
        "metrics": ["objective_history"],
        "checks": [{"check": "monotone_history", "metric": "objective_history",
                    "direction": "decreasing"}],
        "figure": [{"metric": "objective_history", "x": "iteration", "hue": "step"}],
    }
    spec.update(experiment)
    return {
        "seed": 3,
        "datasets": {"gauss": {"generator": "linear_gaussian",
                               "params": {"n_samples": 60, "n_features": 4}}},
        "experiments": {"descent": spec},
    }


def run(config):
    import pandas as pd

    experiment = config.experiments["descent"]
    datasets = {}
    for point in experiment.points:
        datasets[point.dataset, point.data_id] = build_dataset(
            config.dataset_job(point.dataset, point.data_id))
    jobs = [config.training_job("descent", point.id) for point in experiment.points]
    outputs = experiment.protocol.run(jobs, datasets, {})
    header, rows = outputs["rows"]
    long = pd.DataFrame(rows, columns=header)
    group, carry = experiment.protocol.summary_group(experiment)
    summary = summary_table(long, group, experiment.spec["metrics"], carry=carry)
    return experiment, long, summary, theory_table(experiment, datasets)


def test_one_row_per_point_replicate_and_iteration(declared):
    experiment, long, summary, _ = run(load_config(raw()))
    assert list(long.columns) == ["step", "replicate", "iteration", "objective_history"]
    assert len(long) == 2 * 3 * 21
    assert long.groupby(["step", "replicate"])["iteration"].apply(list).map(
        lambda its: its == list(range(21))).all()  # iteration 0 is the start
    assert len(summary) == 2 * 21  # per point and iteration
    assert (summary["count"] == 3).all()


def test_replicates_are_seeded_by_identity_and_repeatable(declared):
    _, first, _, _ = run(load_config(raw()))
    _, again, _, _ = run(load_config(raw()))
    assert first.equals(again)
    # different replicates draw different samples and starting points
    curves = first[first["step"] == 1.0].groupby("replicate")["objective_history"].first()
    assert curves.nunique() == 3


def test_a_descent_never_increases_and_a_diverging_one_fails_the_check(declared):
    experiment, long, summary, theory = run(load_config(raw()))
    table = verdicts(experiment, long, summary, theory)
    assert len(table) == 2 and table["holds"].all()
    # Negative control: steps above 2/L make the objective grow; the same claim fails.
    experiment, long, summary, theory = run(load_config(raw(grid={"step": [2.5]})))
    table = verdicts(experiment, long, summary, theory)
    assert len(table) == 1 and not table["holds"].any()
    assert table["measured"].iloc[0] > 0


def test_checks_that_need_solvers_are_refused(declared):
    bad = raw(checks=[{"check": "bound_holds", "metric": "objective_history",
                       "theory": "gd_convex_bound"}])
    with pytest.raises(ConfigError) as info:
        load_config(bad)
    (path, reason), = info.value.problems
    assert path == "experiments.descent.checks[0].check"
    assert "needs solvers" in reason and "iterative protocol does not provide" in reason


def test_a_claim_on_one_iteration_selects_it(declared):
    """The start is iteration 0; a point-summary claim selecting it reads one summary row
    per point, and names the iteration in its text."""
    config = load_config(raw(checks=[
        {"check": "at_most_theory", "metric": "objective_history", "theory": "zero",
         "select": {"iteration": 0}},
        {"check": "identity", "metric": "objective_history", "tolerance": 1e-12,
         "select": {"iteration": 0}},
        {"check": "stops_before", "metric": "objective_history", "budget": 21},
        {"check": "stops_before", "metric": "objective_history", "budget": 20}]))
    experiment, long, summary, theory = run(config)
    theory["zero"] = 0.0
    table = verdicts(experiment, long, summary, theory)
    at_start = table[table["claim"].str.startswith("mean objective_history")]
    assert len(at_start) == 2 and "iteration=0" in at_start["claim"].iloc[0]
    # F(θ_0) > 0 on every replicate: it is not 0 to rounding (a negative control).
    start = table[table["claim"].str.startswith("|objective_history|")]
    assert len(start) == 2 and not start["holds"].any()
    assert "each of the 3 rows" in start["claim"].iloc[0]
    stops = table[table["claim"].str.startswith("every run")]
    assert stops["holds"].tolist() == [True, True, False, False]  # 20 steps: last is 20


def test_an_iteration_select_is_an_integer(declared):
    with pytest.raises(ConfigError) as info:
        load_config(raw(checks=[{"check": "stops_before", "metric": "objective_history",
                                 "budget": 21, "select": {"iteration": "first"}}]))
    assert any(path.endswith("select.iteration") for path, _ in info.value.problems)


def test_only_history_metrics_are_measured(declared):
    with pytest.raises(ConfigError) as info:
        load_config(raw(metrics=["excess_risk"], checks=[],
                        figure=[{"metric": "excess_risk", "x": "iteration", "hue": "step"}]))
    assert ("experiments.descent.metrics[0]",
            "unknown iterative metric 'excess_risk'; known: em_log_likelihood, "
            "frozen_gd_rate_ratio, frozen_suboptimality, inertia_over_best, lloyd_inertia, "
            "nn_loss_curve, nn_objective_curve, objective_history") in (
        info.value.problems)


def test_an_estimator_without_the_history_is_refused_at_validation(declared):
    with pytest.raises(ConfigError) as info:
        load_config(raw(estimator="OLS", grid={"fit_intercept": [False, True]},
                        figure=[{"metric": "objective_history", "x": "iteration",
                                 "hue": "fit_intercept"}]))
    assert any(path == "experiments.descent.metrics[0]" and "objective_history" in reason
               for path, reason in info.value.problems), info.value.problems


def test_the_figure_draws_one_curve_per_hue_value(declared):
    from ftml.experiments.plots import experiment_figure

    experiment, long, summary, theory = run(load_config(raw()))
    figure = experiment_figure(experiment, summary, theory)
    (axis,) = figure.axes
    assert [line.get_label() for line in axis.get_lines()] == ["step = 0.5", "step = 1.0"]
    assert axis.get_xlabel() == "iteration"


def test_a_stopped_run_stays_where_it_stopped_in_the_summary():
    """Runs of different lengths: the summary carries each run's last value on, so that
    every iteration averages every replicate and a mean of non-increasing runs does not
    rise when a run that stopped low drops out."""
    import pandas as pd

    from ftml.experiments.protocols.iterative import carry_last_values

    long = pd.DataFrame({"step": [1.0] * 5 + [2.0] * 2, "replicate": [0, 0, 0, 1, 1, 0, 0],
                         "iteration": [0, 1, 2, 0, 1, 0, 1],
                         "objective_history": [5.0, 4.0, 3.0, 6.0, 1.0, 9.0, 8.0]})
    carried = carry_last_values(long, ["step"])
    assert carried.values.tolist() == [
        [1.0, 0, 0, 5.0], [1.0, 0, 1, 4.0], [1.0, 0, 2, 3.0],
        [1.0, 1, 0, 6.0], [1.0, 1, 1, 1.0], [1.0, 1, 2, 1.0],  # replicate 1 carried to 2
        [2.0, 0, 0, 9.0], [2.0, 0, 1, 8.0]]
    summary = summary_table(carried, ["step", "iteration"], ["objective_history"])
    means = summary[summary["step"] == 1.0]["mean"].tolist()
    assert means == [5.5, 2.5, 2.0]  # averaging the surviving run alone would give 3.0
    assert (summary["count"] == [2, 2, 2, 1, 1]).all()

