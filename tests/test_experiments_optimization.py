"""The optimization protocol: objectives, optima, histories and the checks of the theorems."""

import pathlib

import numpy as np
import pandas as pd
import pytest
import yaml

from ftml.experiments.checks import verdicts
from ftml.experiments.config import ConfigError, load_config
from ftml.experiments.data import build_dataset
from ftml.experiments.optimization import (
    build_objective,
    objective_for,
    reference_optimum,
    resolve_solver_params,
)
from ftml.experiments.protocols.optimization import run_optimization_point
from ftml.experiments.tables import summary_table, theory_table


@pytest.fixture
def raw():
    return {
        "seed": 5,
        "datasets": {
            "problem": {"generator": "linear_gaussian",
                        "params": {"design": "fixed", "n_samples": 40, "correlation": 0.3}},
        },
        "experiments": {
            "rates": {
                "chapter": "Optimisation",
                "title": "GD",
                "description": "rates",
                "dataset": "problem",
                "grid": {"n_features": [8, 80]},
                "objective": {"loss": "square"},
                "solvers": {"gd": {"solver": "gd"},
                            "big_step": {"solver": "gd", "params": {"step_over_L": 2.2}}},
                "evaluation": {"protocol": "optimization", "max_iter": 300},
                "metrics": ["suboptimality", "distance"],
                "checks": [
                    {"check": "bound_holds", "metric": "suboptimality",
                     "theory": "gd_convex_bound", "select": {"solver": "gd"}},
                    {"check": "converges_iff_below", "metric": "distance",
                     "parameter": "step_over_L", "threshold": 2.0},
                ],
                "figure": [{"metric": "suboptimality", "x": "iteration"}],
            }
        },
    }


def _run(config, name):
    experiment = config.experiments[name]
    rows, header, optima = [], None, {}
    for point in experiment.points:
        job = config.training_job(name, point.id)
        dataset = build_dataset(config.dataset_job(experiment.spec["dataset"], point.data_id))
        theta, constants = reference_optimum(objective_for(job, dataset))
        optima[point.dataset, point.data_id] = constants
        header, point_rows = run_optimization_point(job, dataset, theta, constants)
        rows += point_rows
    long = pd.DataFrame(rows, columns=header)
    summary = summary_table(long, [*experiment.grid_names, "iteration"], experiment.spec["metrics"],
                            carry=("passes",))
    return experiment, long, summary, theory_table(experiment, optima)


def test_the_grid_is_crossed_with_the_solvers(raw):
    experiment = load_config(raw).experiments["rates"]
    assert [p.id for p in experiment.points] == [
        "n_features~8__solver~gd", "n_features~8__solver~big_step",
        "n_features~80__solver~gd", "n_features~80__solver~big_step",
    ]
    assert experiment.grid_names == ["n_features", "solver"]


def test_histories_are_finite_and_the_theorems_checks_hold(raw):
    experiment, long, summary, theory = _run(load_config(raw), "rates")
    assert np.isfinite(long[["suboptimality", "distance"]].to_numpy()).all()
    for _, run in long[long["solver"] == "big_step"].groupby("n_features"):
        # (1 - gamma L) = -1.2 along the top eigenvector: the error grows geometrically
        # until the objective passes 1e6 times its start, which stops the run and flags it
        assert run["diverged"].all() and len(run) < 300
        assert run["distance"].iloc[-1] > 1e4 * run["distance"].iloc[0]
    assert not long.loc[long["solver"] == "gd", "diverged"].any()
    table = verdicts(experiment, long, summary, theory)
    assert table["holds"].all(), table.to_string()
    # a bound per gd curve; a convergence verdict per run that sets step_over_L
    assert len(table) == 2 + 2


SHIPPED = yaml.safe_load((pathlib.Path(__file__).parents[1] / "config" / "config.yaml")
                         .read_text())


@pytest.fixture(scope="module")
def shipped():
    return load_config(SHIPPED)


@pytest.mark.parametrize("name", [name for name, spec in SHIPPED["experiments"].items()
                                  if spec["evaluation"]["protocol"] == "optimization"])
def test_only_the_shipped_runs_above_the_stability_threshold_are_flagged_diverged(shipped, name):
    """Every shipped run that converges stays unflagged (momentum, the only one whose
    objective rises above its start, peaks at 99 times it, against the 1e6 of the divergence
    rule); gd_step_size's step 2.1/L is flagged, as converges_iff_below expects."""
    experiment = shipped.experiments[name]
    for point in experiment.points:
        job = shipped.training_job(name, point.id)
        dataset = build_dataset(shipped.dataset_job(experiment.spec["dataset"], point.data_id))
        theta, constants = reference_optimum(objective_for(job, dataset))
        _, rows = run_optimization_point(job, dataset, theta, constants)
        unstable = point.estimator_params.get("step_over_L", 0.0) > 2.0
        assert {row[-1] for row in rows} == {unstable}, point.id


def test_a_false_bound_is_reported_as_failing(raw, monkeypatch):
    from ftml.experiments.catalog import Bound, catalog

    experiment, long, summary, theory = _run(load_config(raw), "rates")
    tight = Bound("gd_convex_bound", "L ‖θ₀ − θ*‖² / (200t)",
                  lambda c, p, t: c["smoothness"] * c["initial_distance"] / (200 * t))
    monkeypatch.setitem(catalog().bounds, "gd_convex_bound", tight)
    table = verdicts(experiment, long, summary, theory)
    assert not table["holds"].iloc[:2].any()


def test_the_square_optimum_is_the_minimum_norm_least_squares_solution():
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((10, 30)), rng.standard_normal(10)
    theta, constants = reference_optimum(build_objective({"loss": "square"}, X, y))
    np.testing.assert_allclose(theta, np.linalg.pinv(X) @ y, rtol=1e-8, atol=1e-10)
    assert constants["f_star"] == pytest.approx(0.0, abs=1e-20)
    assert constants["smoothness"] == pytest.approx(np.linalg.eigvalsh(X.T @ X / 10)[-1])


def test_the_logistic_optimum_matches_scikit_learn_and_maps_labels():
    rng = np.random.default_rng(1)
    X = rng.standard_normal((200, 5))
    y = np.where(X[:, 0] + rng.standard_normal(200) > 0, "yes", "no")
    objective = build_objective({"loss": "logistic", "alpha": 0.01, "fit_intercept": True},
                                X, y)
    assert set(np.unique(objective.y)) == {-1.0, 1.0}
    theta, constants = reference_optimum(objective, compare_sklearn=True)
    assert constants["optimum_gradient_norm"] < 1e-12
    assert 0 <= constants["sklearn_relative_gap"] < 1e-8


def test_steps_relative_to_the_smoothness_are_resolved():
    constants = {"smoothness": 4.0, "max_sample_smoothness": 10.0}
    assert resolve_solver_params({"step_over_L": 1.0}, constants) == {"step": 0.25}
    assert resolve_solver_params({"step_over_Lmax": 0.5}, constants) == {"step": 0.05}


@pytest.mark.parametrize(
    "mutate, path, reason",
    [
        (lambda e: e["solvers"].update(bad={"solver": "adam"}), "experiments.rates.solvers.bad.solver",
         "unknown solver 'adam'"),
        (lambda e: e["solvers"]["gd"].update(params={"momentum": 0.5}),
         "experiments.rates.solvers.gd.params.momentum", "not a parameter"),
        (lambda e: e.update(estimator="OLS"), "experiments.rates.estimator", "names solvers"),
        (lambda e: e["figure"][0].update(x="n_features"), "experiments.rates.figure[0].x",
         "iteration"),
        (lambda e: e["evaluation"].pop("max_iter"), "experiments.rates.evaluation.max_iter",
         "budget"),
        (lambda e: e["objective"].update(loss="logistic"), "experiments.rates.objective.alpha",
         "alpha > 0"),
        (lambda e: e["checks"][0].update(theory="gd_linear_rate"),
         "experiments.rates.checks[0].theory", "unknown bound"),
    ],
)
def test_bad_optimization_configs_name_the_key(raw, mutate, path, reason):
    mutate(raw["experiments"]["rates"])
    with pytest.raises(ConfigError) as info:
        load_config(raw)
    assert any(p == path and reason in r for p, r in info.value.problems), info.value.problems


def _conditioned(n_features, condition_number, max_iter, seed=2):
    """gd with step 1/L on make_conditioned_regression: eigenvalues log-spaced from 1 down
    to 1 / condition_number, so the two smallest are condition_number ** (1 / (d - 1)) apart."""
    return {
        "seed": seed,
        "datasets": {"close_eigenvalues": {
            "generator": "conditioned_quadratic",
            "params": {"n_samples": 100, "n_features": n_features}}},
        "experiments": {"rate": {
            "chapter": "Optimisation", "title": "GD", "description": "rate",
            "dataset": "close_eigenvalues", "grid": {"condition_number": [condition_number]},
            "objective": {"loss": "square"}, "solvers": {"gd": {"solver": "gd"}},
            "evaluation": {"protocol": "optimization", "max_iter": max_iter},
            "metrics": ["suboptimality", "distance"],
            "checks": [{"check": "rate_matches", "metric": "distance",
                        "theory": "gd_linear_rate"}],
            "figure": [{"metric": "distance", "x": "iteration"}],
        }},
    }


def test_the_rate_check_holds_when_the_two_smallest_eigenvalues_are_close():
    """Issue 11: with d = 100 and kappa = 180 the two smallest eigenvalues are 5% apart, and
    in 1000 iterations the slower ones have not died out. The check used to ask the slope
    over the second half of the iterations where the distance lay between 1e-15 and 1e-3 of
    its start to be within a factor 1.1 of the asymptotic rate: -0.01288 against -0.01114, a
    factor 1.16, a false verdict. The theorem puts it between 2 log(1 - rho/L) and the rate,
    rho = 1.165 mu being the error's Rayleigh quotient where the fit starts."""
    table = verdicts(*_run(load_config(_conditioned(100, 180.0, 1000)), "rate"))
    row = table.iloc[0]
    assert row["predicted"] == pytest.approx(2 * np.log1p(-1 / 180), rel=1e-9)
    assert row["measured"] == pytest.approx(-0.012885, rel=1e-4)
    assert row["holds"], row["claim"]
    assert row["measured"] / row["predicted"] <= 1 + row["tolerance"]
    assert "ρ ≤ 1.1646 μ" in row["claim"]


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("n_features, condition_number, max_iter",
                         [(100, 180.0, 3000), (100, 1000.0, 6000), (20, 42.8, 3000),
                          (50, 10.0, 300)])
def test_the_rate_check_holds_whatever_the_spectrum_and_the_budget(
    seed, n_features, condition_number, max_iter
):
    row = verdicts(*_run(load_config(_conditioned(n_features, condition_number, max_iter,
                                                  seed)), "rate")).iloc[0]
    assert row["holds"], row["claim"]


def test_the_rate_check_is_tight_once_the_slowest_direction_dominates_and_catches_a_wrong_rate(
    monkeypatch,
):
    """On the shipped gd_rates problem the fit starts where rho is 1.012 mu: the accepted
    range is 1.2% wide, and a rate twice too steep fails."""
    from ftml.experiments.catalog import Theory, catalog

    raw = {**SHIPPED, "experiments": {"gd_rates": SHIPPED["experiments"]["gd_rates"]}}
    row = verdicts(*_run(load_config(raw), "gd_rates")).iloc[-1]
    assert row["holds"] and row["tolerance"] < 0.012, row["claim"]
    assert "ρ ≤ 1.0118 μ" in row["claim"] and row["measured"] / row["predicted"] < 1.001
    steep = Theory("gd_linear_rate", "log(1 − 2/κ)² per iteration",
                   lambda c, p: 2 * np.log1p(-2 * c["strong_convexity"] / c["smoothness"]),
                   needs_model=True)
    monkeypatch.setitem(catalog().theories, "gd_linear_rate", steep)
    assert not verdicts(*_run(load_config(raw), "gd_rates"))["holds"].iloc[-1]


def test_the_rate_check_says_when_it_does_not_apply(raw):
    raw["experiments"]["rates"]["checks"] = [
        {"check": "rate_matches", "metric": "distance", "theory": "gd_linear_rate",
         "select": {"n_features": 8}}]
    table = verdicts(*_run(load_config(raw), "rates"))
    assert table["holds"].tolist() == [True, False], table.to_string()
    assert "applies to gd with step 1/L on the square loss" in table["claim"].iloc[1]
