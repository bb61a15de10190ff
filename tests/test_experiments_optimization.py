"""The optimization protocol: objectives, optima, histories and the checks of the theorems."""

import numpy as np
import pandas as pd
import pytest

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
        assert run["distance"].iloc[-1] > 1e10 * run["distance"].iloc[0]
    table = verdicts(experiment, long, summary, theory)
    assert table["holds"].all(), table.to_string()
    # a bound per gd curve; a convergence verdict per run that sets step_over_L
    assert len(table) == 2 + 2


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
