"""Validation fits at the representative points of a grid, and checks every point without
fitting: a grid of thousands of points reads as fast as a small one, and every invalid
point is still refused with its key path.

The seams: the checker's ``_dry_run`` (one fit and measurement of a point as its job would)
and the generator's ``build`` (drawing a model), counted by wrapping them.
"""

import dataclasses
import itertools

import pytest

from ftml.experiments.catalog import Theory, catalog
from ftml.experiments.config import ConfigError, GridPoint, _checker, load_config
from ftml.experiments.config._checker import ExperimentChecker, representative_points


def _monte_carlo(grid, metrics=("excess_risk",), **evaluation):
    hue = [name for name in grid if name != "n_samples"]
    panel = {"metric": metrics[0], "x": "n_samples"}
    if hue:
        panel["hue"] = hue[0]
    return {
        "seed": 5,
        "datasets": {"g": {"generator": "linear_gaussian", "params": {"design": "fixed"}}},
        "experiments": {"e": {
            "chapter": "c", "title": "t", "description": "d", "dataset": "g",
            "estimator": "Ridge", "estimator_params": {"fit_intercept": False},
            "grid": grid,
            "evaluation": {"protocol": "monte_carlo", "replicates": 2, **evaluation},
            "metrics": list(metrics), "checks": [],
            "figure": [panel],
        }},
    }


@pytest.fixture
def counted(monkeypatch):
    """Count the dry runs and the models drawn."""
    counts = {"dry_runs": 0, "draws": 0}
    dry_run = ExperimentChecker._dry_run

    def counting_dry_run(self, *args):
        counts["dry_runs"] += 1
        return dry_run(self, *args)

    monkeypatch.setattr(ExperimentChecker, "_dry_run", counting_dry_run)
    for name, generator in catalog().generators.items():
        def build(*args, _build=generator.build, **kwargs):
            counts["draws"] += 1
            return _build(*args, **kwargs)

        monkeypatch.setitem(catalog().generators, name, dataclasses.replace(generator,
                                                                            build=build))
    return counts


def _problems(raw):
    with pytest.raises(ConfigError) as info:
        load_config(raw)
    return dict(info.value.problems)


# --- the rule ------------------------------------------------------------------------------


def _points(**axes):
    names = list(axes)
    return [GridPoint(str(index), dict(zip(names, values)), {}, "data", {})
            for index, values in enumerate(itertools.product(*axes.values()))]


def test_the_corners_of_numeric_axes_for_each_combination_of_the_others():
    points = _points(n_samples=[30, 10, 20], design=["fixed", "random"], alpha=[1.0, 0.5, 2.0],
                     fit_intercept=[True, False])
    chosen = [tuple(point.params.values()) for point in representative_points(points)]
    # every (design, fit_intercept) with n_samples in {10, 30} and alpha in {0.5, 2.0}, by
    # value and not by position, in the grid's order
    assert len(chosen) == 2 * 2 * 2 * 2
    assert {(n, alpha) for n, _, alpha, _ in chosen} == {(10, 0.5), (10, 2.0), (30, 0.5),
                                                        (30, 2.0)}
    assert {(design, intercept) for _, design, _, intercept in chosen} == {
        ("fixed", True), ("fixed", False), ("random", True), ("random", False)}
    order = [tuple(point.params.values()) for point in points]
    assert chosen == sorted(chosen, key=order.index)


def test_their_number_does_not_grow_with_an_axis_s_length():
    assert len(representative_points(_points(noise=[i / 10 for i in range(10_000)]))) == 2
    assert len(representative_points(_points(n=list(range(100)), d=list(range(100))))) == 4
    assert len(representative_points(_points(n=[5]))) == 1
    assert representative_points([]) == []


# --- (a) a large grid --------------------------------------------------------------------


def test_a_grid_of_10_000_points_is_fitted_at_its_4_corners(counted):
    raw = _monte_carlo({"n_samples": list(range(50, 300)), "n_features": list(range(1, 41))})
    config = load_config(raw)
    assert len(config.experiments["e"].points) == 10_000
    assert counted == {"dry_runs": 4, "draws": 4}


def test_a_grid_of_10_000_noise_levels_is_fitted_twice(counted):
    raw = _monte_carlo({"n_samples": [100], "n_features": [3],
                        "noise": [0.001 * i for i in range(10_000)]})
    raw["experiments"]["e"]["figure"][0]["x"] = "noise"
    del raw["experiments"]["e"]["figure"][0]["hue"]
    config = load_config(raw)
    assert len(config.experiments["e"].points) == 10_000
    assert counted == {"dry_runs": 2, "draws": 2}


def test_each_value_of_a_non_numeric_axis_is_fitted(counted):
    raw = _monte_carlo({"n_samples": list(range(20, 60)), "design": ["fixed", "random"],
                        "n_features": [2]})
    load_config(raw)
    assert counted == {"dry_runs": 4, "draws": 4}  # 2 designs x 2 sizes


def test_a_model_needed_by_a_theory_is_drawn_at_the_corners_only(counted):
    raw = _monte_carlo({"n_samples": [30], "n_features": [3],
                        "alpha": [0.01 * i for i in range(1, 501)]})
    experiment = raw["experiments"]["e"]
    experiment["checks"] = [{"check": "matches_theory", "metric": "excess_risk",
                             "theory": "ridge_fixed_design_excess_risk"}]
    experiment["figure"] = [{"metric": "excess_risk", "x": "alpha"}]
    load_config(raw)
    # one dataset point, drawn once; two fits, at the smallest and the largest alpha
    assert counted == {"dry_runs": 2, "draws": 1}


def test_an_optimisation_grid_draws_its_corners_only(counted):
    raw = _monte_carlo({"n_samples": [100]})
    raw["datasets"]["q"] = {"generator": "conditioned_quadratic",
                            "params": {"n_samples": 40, "n_features": 5}}
    raw["experiments"]["e"] = {
        "chapter": "c", "title": "t", "description": "d", "dataset": "q",
        "objective": {"loss": "square", "alpha": 0.0},
        "solvers": {"gd": {"solver": "gd", "params": {}}},
        "grid": {"condition_number": [1.0 + i for i in range(2_000)]},
        "evaluation": {"protocol": "optimization", "max_iter": 20},
        "metrics": ["suboptimality"], "checks": [],
        "figure": [{"metric": "suboptimality", "x": "iteration",
                    "select": {"condition_number": 10.0}}],
    }
    config = load_config(raw)
    assert len(config.experiments["e"].points) == 2_000
    assert counted == {"dry_runs": 0, "draws": 2}


# --- (b) a failure at a corner -----------------------------------------------------------


def test_more_folds_than_samples_at_the_smallest_size_is_refused(counted):
    # the smallest size is in the middle of the list: a corner is a value, not a position
    raw = _monte_carlo({"n_samples": [60, 40, 4, *range(100, 400)], "n_features": [2, 3]},
                       metrics=("excess_risk", "cv_mean_squared_error"), folds=5)
    problems = _problems(raw)
    assert list(problems) == ["experiments.e.metrics[1]"]
    assert problems["experiments.e.metrics[1]"].startswith(
        "cv_mean_squared_error cannot be measured at point n_samples~4__n_features~2: "
        "Cannot have n_splits=5")
    assert counted["dry_runs"] <= 4


def test_a_noise_estimate_with_n_at_most_d_is_refused_at_its_corner():
    raw = _monte_carlo({"n_samples": list(range(30, 200)), "n_features": list(range(1, 41))},
                       metrics=("excess_risk", "noise_estimate"))
    problems = _problems(raw)
    assert list(problems) == ["experiments.e.metrics[1]"]
    assert problems["experiments.e.metrics[1]"].startswith(
        "noise_estimate cannot be measured at point n_samples~30__n_features~40")


# --- (c) a value refused at an interior point: what needs no fit is checked everywhere ---


def _odd_sizes_only(n_samples, n_features, **params):
    """A stand-in for a generator whose parameters are refused at interior values."""
    if n_samples % 2 == 0:
        raise ValueError(f"n_samples == {n_samples}, must be odd")


@pytest.fixture(params=["check_params", "build"])
def odd_sizes(request, monkeypatch):
    """linear_gaussian refusing even sample sizes: by its check_params, or (declaring
    none) by its build."""
    generator = catalog().generators["linear_gaussian"]
    if request.param == "check_params":
        replaced = dataclasses.replace(generator, check_params=_odd_sizes_only)
    else:
        def build(**params):
            _odd_sizes_only(**params)
            return generator.build(**params)

        replaced = dataclasses.replace(generator, build=build, check_params=None)
    monkeypatch.setitem(catalog().generators, "linear_gaussian", replaced)


def test_a_generator_parameter_refused_at_an_interior_value_is_refused(odd_sizes):
    raw = _monte_carlo({"n_samples": [21, 31, 40, 51, 61], "n_features": [2, 3]})
    assert _problems(raw) == {"experiments.e.grid":
                              "point n_samples~40__n_features~2 of dataset 'g' is rejected by "
                              "the generator: n_samples == 40, must be odd"}


def test_every_dataset_point_is_checked(monkeypatch):
    seen = []
    generator = catalog().generators["linear_gaussian"]

    def check_params(**params):
        seen.append((params["n_samples"], params["n_features"]))
        generator.check_params(**params)

    def build(**params):
        seen.append((params["n_samples"], params["n_features"]))
        return generator.build(**params)

    monkeypatch.setitem(catalog().generators, "linear_gaussian", dataclasses.replace(
        generator, build=build, check_params=check_params))
    raw = _monte_carlo({"n_samples": list(range(50, 150)), "n_features": [2, 3],
                        "alpha": [0.5, 0.1, 2.0]})
    raw["experiments"]["e"]["figure"][0]["select"] = {"alpha": 0.5}
    load_config(raw)
    # each of the 200 dataset points checked without drawing (first met at alpha = 0.5),
    # and the 4 corners drawn again to be fitted (at alpha = 0.1 and 2.0)
    assert set(seen) == {(n, d) for n in range(50, 150) for d in (2, 3)}
    assert len(seen) == 200 + 4


def test_estimator_parameters_are_checked_once_per_distinct_set(monkeypatch):
    calls = []
    problem = _checker.estimator_param_problem

    def counting(factory, params, label):
        calls.append(dict(params))
        return problem(factory, params, label)

    monkeypatch.setattr(_checker, "estimator_param_problem", counting)
    raw = _monte_carlo({"n_samples": list(range(50, 1050)), "n_features": [2],
                        "alpha": [0.5, 1.0, 2.0]})
    raw["experiments"]["e"]["figure"][0]["hue"] = "alpha"
    load_config(raw)
    assert calls == [{"fit_intercept": False, "alpha": alpha} for alpha in (0.5, 1.0, 2.0)]
    raw["experiments"]["e"]["grid"]["alpha"] = [0.5, 1.0, -2.0]
    assert list(_problems(raw)) == ["experiments.e.grid.alpha"]


def test_a_theory_that_needs_no_model_is_evaluated_at_every_point(monkeypatch):
    def not_at_40(model, params):
        if params["n_samples"] == 40:
            raise ValueError("undefined at n_samples == 40")
        return 1.0

    monkeypatch.setitem(catalog().theories, "not_at_40", Theory("not_at_40", "1", not_at_40))
    raw = _monte_carlo({"n_samples": [20, 40, 60], "n_features": [2, 3]})
    raw["experiments"]["e"]["figure"][0]["theory"] = ["not_at_40"]
    assert _problems(raw) == {"experiments.e.figure[0].theory[0]":
                              "theory 'not_at_40' fails at point n_samples~40__n_features~2: "
                              "undefined at n_samples == 40"}
