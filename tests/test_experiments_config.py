"""Tests for ftml.experiments.config: validation, defaults, casting and grid expansion.

Each invalid config is the small valid config of the ``raw`` fixture with one mutation; the
test asserts that load_config names the key path and the reason, both in the message and in
``ConfigError.problems``.
"""

import copy
import itertools
import json
import math
import re
from pathlib import Path

import pytest
import yaml

from ftml.experiments.config import Config, ConfigError, Experiment, load_config

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def raw():
    """A small valid config: a fixed-design OLS study, a ridge sweep, a CV study."""
    return {
        "seed": 7,
        "datasets": {
            "fixed": {"generator": "linear_gaussian", "params": {"design": "fixed", "noise": 1.0}},
            "random": {"generator": "linear_gaussian", "params": {"design": "random"}},
            "small": {
                "generator": "linear_gaussian",
                "params": {"design": "fixed", "n_samples": 30, "n_features": 3},
            },
            "diabetes": {"bundled": "diabetes"},
        },
        "experiments": {
            "ols": {
                "chapter": "Least squares",
                "title": "OLS",
                "description": "sigma^2 d / n",
                "dataset": "fixed",
                "estimator": "OLS",
                "estimator_params": {"fit_intercept": False},
                "grid": {"n_samples": [20, 40], "n_features": [2, 3]},
                "evaluation": {"protocol": "monte_carlo", "replicates": 3},
                "metrics": ["excess_risk"],
                "checks": [
                    {
                        "check": "matches_theory",
                        "metric": "excess_risk",
                        "theory": "ols_fixed_design_excess_risk",
                    }
                ],
                "figure": [{"metric": "excess_risk", "x": "n_samples", "hue": "n_features"}],
            },
            "ridge": {
                "chapter": "Least squares",
                "title": "Ridge",
                "description": "bias and variance",
                "dataset": "small",
                "estimator": "Ridge",
                "estimator_params": {"fit_intercept": False},
                "grid": {"alpha": [0.1, 1.0]},
                "evaluation": {"protocol": "monte_carlo", "replicates": 2, "folds": 3},
                "metrics": ["excess_risk", "cv_mean_squared_error"],
                "checks": [
                    {
                        "check": "selects_near_theory",
                        "metric": "cv_mean_squared_error",
                        "parameter": "alpha",
                        "theory": "ridge_oracle_alpha",
                    }
                ],
                "figure": [
                    {
                        "metric": "excess_risk",
                        "x": "alpha",
                        "theory": ["ridge_fixed_design_excess_risk"],
                    }
                ],
            },
            "cv": {
                "chapter": "Real data",
                "title": "Diabetes",
                "description": "cross-validation",
                "dataset": "diabetes",
                "estimator": "Ridge",
                "grid": {"alpha": [0.01, 1.0]},
                "evaluation": {"protocol": "cross_validation", "replicates": 2, "folds": 3},
                "metrics": ["mean_squared_error"],
                "figure": [{"metric": "mean_squared_error", "x": "alpha"}],
            },
        },
    }


def rejected(raw, path, reason):
    """Assert that load_config(raw) reports ``reason`` (a regex) at key path ``path``."""
    with pytest.raises(ConfigError, match=rf"(?m)^  {re.escape(path)}: .*{reason}") as info:
        load_config(raw)
    assert any(p == path and re.search(reason, r) for p, r in info.value.problems), (
        info.value.problems
    )
    return info.value.problems


def test_shipped_config_loads():
    config = load_config(yaml.safe_load((ROOT / "config" / "config.yaml").read_text()))
    assert config.experiments
    for experiment in config.experiments.values():
        sizes = [len(values) for values in experiment.spec["grid"].values()]
        # an optimisation experiment crosses its grid with its solver configurations
        sizes.append(len(experiment.spec.get("solvers", [None])))
        # several datasets and estimators are crossed with the grid too
        if not isinstance(experiment.spec["dataset"], str):
            sizes.append(len(experiment.spec["dataset"]))
        sizes.append(len(experiment.spec.get("estimators", [None])))
        assert len(experiment.points) == math.prod(sizes)


def test_fixture_config_loads_and_is_not_modified(raw):
    before = copy.deepcopy(raw)
    config = load_config(raw)
    assert raw == before, "load_config must not fill defaults into the caller's dict"
    assert list(config.experiments) == ["ols", "ridge", "cv"]


# --- structure (JSON Schema) ---------------------------------------------------------------


def _set(path, value):
    """A mutation that sets raw[path[0]]...[path[-1]] = value."""

    def mutate(raw):
        target = raw
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return mutate


def _rename_experiment(new):
    def mutate(raw):
        raw["experiments"][new] = raw["experiments"].pop("ols")

    return mutate


SCHEMA_CASES = {
    "unknown top-level key": (_set(["sed"], 1), "sed", "unknown key; allowed: seed"),
    "unknown experiment key": (
        _set(["experiments", "ols", "optimizer"], "sgd"),
        "experiments.ols.optimizer",
        "unknown key; allowed: .*grid",
    ),
    "replicates not an integer": (
        _set(["experiments", "ols", "evaluation", "replicates"], "many"),
        "experiments.ols.evaluation.replicates",
        "'many' is not of type 'integer'",
    ),
    "negative seed": (_set(["seed"], -1), "seed", "-1 is less than the minimum of 0"),
    "empty grid list": (
        _set(["experiments", "ols", "grid", "n_samples"], []),
        "experiments.ols.grid.n_samples",
        "should be non-empty",
    ),
    "empty grid": (_set(["experiments", "ols", "grid"], {}), "experiments.ols.grid", "non-empty"),
    "upper-case name": (_rename_experiment("Ols"), "experiments.Ols", "not a valid name"),
    "name starting with a digit": (
        _rename_experiment("2ols"),
        "experiments.2ols",
        "not a valid name: Lower-case letters, digits and underscores, starting with a letter",
    ),
    "dataset with generator and file": (
        _set(["datasets", "fixed", "file"], "data.csv"),
        "datasets.fixed",
        "needs exactly one of 'generator', 'bundled' or 'file'",
    ),
    "unknown protocol": (
        _set(["experiments", "ols", "evaluation", "protocol"], "bootstrap"),
        "experiments.ols.evaluation.protocol",
        "'bootstrap' is not one of",
    ),
    "a single fold": (
        _set(["experiments", "cv", "evaluation", "folds"], 1),
        "experiments.cv.evaluation.folds",
        "less than the minimum of 2",
    ),
}


@pytest.mark.parametrize("case", SCHEMA_CASES, ids=list(SCHEMA_CASES))
def test_structure_problems_name_path_and_reason(raw, case):
    mutate, path, reason = SCHEMA_CASES[case]
    mutate(raw)
    rejected(raw, path, reason)


# --- names and values (registry) -------------------------------------------------------------


def _ols_grid(**grid):
    def mutate(raw):
        raw["experiments"]["ols"]["grid"].update(grid)

    return mutate


def _ridge_grid_on(dataset, alpha, theory):
    def mutate(raw):
        ridge = raw["experiments"]["ridge"]
        ridge["dataset"] = dataset
        raw["datasets"][dataset]["params"].update(n_samples=30, n_features=3)
        ridge["grid"] = {"alpha": alpha}
        ridge["checks"] = []
        ridge["figure"][0]["theory"] = [theory]

    return mutate


def _compose(*mutations):
    def mutate(raw):
        for mutation in mutations:
            mutation(raw)

    return mutate


REGISTRY_CASES = {
    "unknown estimator": (
        _set(["experiments", "ols", "estimator"], "Lasso"),
        "experiments.ols.estimator",
        "unknown estimator 'Lasso'; known: .*KNeighborsRegressor, .*OLS, .*Ridge"
    ),
    "unknown generator": (
        _set(["datasets", "fixed", "generator"], "friedman"),
        "datasets.fixed.generator",
        "unknown generator 'friedman'; known: .*conditioned_quadratic, .*linear_gaussian, .*logistic"
    ),
    "unknown bundled data": (
        _set(["datasets", "diabetes", "bundled"], "mnist"),
        "datasets.diabetes.bundled",
        "unknown bundled data set 'mnist'",
    ),
    "excess_risk under cross_validation": (
        _set(["experiments", "cv", "metrics"], ["excess_risk"]),
        "experiments.cv.metrics[0]",
        "unknown cross_validation metric 'excess_risk'",
    ),
    "mean_squared_error under monte_carlo": (
        _set(["experiments", "ols", "metrics"], ["excess_risk", "mean_squared_error"]),
        "experiments.ols.metrics[1]",
        "unknown monte_carlo metric 'mean_squared_error'; known: .*cv_mean_squared_error",
    ),
    "monte_carlo on bundled data": (
        _set(["experiments", "cv", "evaluation", "protocol"], "monte_carlo"),
        "experiments.cv.evaluation.protocol",
        "monte_carlo needs a generator with a ground truth",
    ),
    "unknown dataset": (
        _set(["experiments", "ols", "dataset"], "gaussian"),
        "experiments.ols.dataset",
        "unknown dataset 'gaussian'; known: diabetes, fixed, random, small",
    ),
    "grid parameter of neither": (
        _ols_grid(gamma=[1.0]),
        "experiments.ols.grid.gamma",
        "'gamma' is a parameter of neither the dataset's generator nor the estimator",
    ),
    "unknown generator parameter in a dataset": (
        _set(["datasets", "fixed", "params", "sparsity"], 0.5),
        "datasets.fixed.params.sparsity",
        "unknown parameter 'sparsity'",
    ),
    "uncastable dataset parameter": (
        _set(["datasets", "fixed", "params", "noise"], "loud"),
        "datasets.fixed.params.noise",
        "expected a float, got 'loud'",
    ),
    "impossible alpha": (
        _set(["experiments", "ridge", "grid", "alpha"], [1.0, -1]),
        "experiments.ridge.grid.alpha",
        r"point alpha~-1\.0 is rejected by Ridge: The 'alpha' parameter of Ridge must be a "
        r"float in the range \[0\.0, inf\]\. Got -1\.0 instead\.",
    ),
    "impossible fixed estimator parameter": (
        _compose(
            _set(["experiments", "ridge", "estimator_params", "alpha"], -2.0),
            _set(["experiments", "ridge", "grid"], {"n_features": [3]}),
            _set(["experiments", "ridge", "checks"], []),
            _set(
                ["experiments", "ridge", "figure"], [{"metric": "excess_risk", "x": "n_features"}]
            ),
        ),
        "experiments.ridge.estimator_params.alpha",
        r"point n_features~3 is rejected by Ridge: The 'alpha' parameter .* Got -2\.0 instead",
    ),
    "negative noise in the grid": (
        _ols_grid(noise=[-1]),
        "experiments.ols.grid",
        r"point n_samples~20__n_features~2__noise~-1\.0 of dataset 'fixed' is rejected by the "
        r"generator: noise == -1\.0, must be >= 0",
    ),
    "negative noise in the dataset": (
        _set(["datasets", "small", "params", "noise"], -1),
        "experiments.ridge.dataset",
        r"dataset 'small' is rejected by the generator: noise == -1\.0",
    ),
    "no features": (
        _ols_grid(n_features=[0]),
        "experiments.ols.grid",
        "rejected by the generator: n_features == 0, must be >= 1",
    ),
    "correlation of one": (
        _ols_grid(correlation=[1]),
        "experiments.ols.grid",
        r"rejected by the generator: correlation == 1\.0, must be < 1",
    ),
    "n_samples missing": (
        _set(["experiments", "ols", "grid"], {"n_features": [2]}),
        "experiments.ols.grid",
        "the generator needs n_samples",
    ),
    "random-design theory at n = d + 1": (
        _compose(
            _set(["experiments", "ols", "dataset"], "random"),
            _ols_grid(n_samples=[4, 40], n_features=[3]),
            _set(
                ["experiments", "ols", "checks", 0, "theory"], "ols_random_design_excess_risk"
            ),
        ),
        "experiments.ols.checks[0].theory",
        "theory 'ols_random_design_excess_risk' fails at point n_samples~4__n_features~3: "
        "n_samples == 4 must be > n_features \\+ 1",
    ),
    "fixed-design theory on a random design": (
        _ridge_grid_on("random", [0.1, 1.0], "ridge_fixed_design_excess_risk"),
        "experiments.ridge.figure[0].theory[0]",
        "theory 'ridge_fixed_design_excess_risk' fails at point alpha~0.1: this closed form "
        "is for a fixed design",
    ),
    "theory needing a parameter the point lacks": (
        _set(["experiments", "ols", "checks", 0, "theory"], "ridge_fixed_design_bias"),
        "experiments.ols.checks[0].theory",
        r"needs the parameter\(s\) \['alpha'\]",
    ),
    "more folds than samples": (
        _set(["experiments", "ridge", "evaluation", "folds"], 31),
        "experiments.ridge.metrics[1]",
        "cv_mean_squared_error cannot be measured at point alpha~0.1: Cannot have n_splits=31",
    ),
    "cross-validation with more folds than samples": (
        _compose(
            _set(["experiments", "ridge", "evaluation"],
                 {"protocol": "cross_validation", "replicates": 1, "folds": 31}),
            _set(["experiments", "ridge", "metrics"], ["mean_squared_error"]),
            _set(["experiments", "ridge", "checks"], []),
            _set(["experiments", "ridge", "figure", 0, "metric"], "mean_squared_error"),
        ),
        "experiments.ridge.evaluation.folds",
        "31 folds need at least 31 samples; dataset 'small' has 30",
    ),
    "noise estimate with n = d": (
        _compose(
            _set(["experiments", "ols", "metrics"], ["excess_risk", "noise_estimate"]),
            _ols_grid(n_samples=[3, 40]),
        ),
        "experiments.ols.metrics[1]",
        "noise_estimate cannot be measured at point n_samples~3__n_features~3",
    ),
    "check on a metric not measured": (
        _set(["experiments", "ols", "checks", 0, "metric"], "empirical_risk"),
        "experiments.ols.checks[0].metric",
        "'empirical_risk' is not in this experiment's metrics",
    ),
    "unknown theory": (
        _set(["experiments", "ols", "checks", 0, "theory"], "vc_bound"),
        "experiments.ols.checks[0].theory",
        "unknown theory 'vc_bound'",
    ),
    "selects_near_theory without parameter": (
        lambda raw: raw["experiments"]["ridge"]["checks"][0].pop("parameter"),
        "experiments.ridge.checks[0].parameter",
        "selects_near_theory needs 'parameter'",
    ),
    "matches_theory with one replicate": (
        _set(["experiments", "ols", "evaluation", "replicates"], 1),
        "experiments.ols.checks[0].check",
        "a standard error needs at least 2 replicates",
    ),
    "panel x not a grid parameter": (
        _set(["experiments", "ols", "figure", 0, "x"], "alpha"),
        "experiments.ols.figure[0].x",
        "'alpha' is not a grid parameter",
    ),
    "varying grid parameter not drawn": (
        lambda raw: raw["experiments"]["ols"]["figure"][0].pop("hue"),
        "experiments.ols.figure[0]",
        "grid parameter 'n_features' takes 2 values but is neither the panel's x nor its hue",
    ),
    "missing file": (
        _set(["datasets", "mine"], {"file": "no/such/file.csv"}),
        "datasets.mine.file",
        "no such file: 'no/such/file.csv'",
    ),
    "repeated grid values": (
        _ols_grid(n_samples=[20, "20"]),
        "experiments.ols.grid.n_samples",
        "repeated values",
    ),
    "non-integer size": (
        _ols_grid(n_samples=[20, 2.5]),
        "experiments.ols.grid.n_samples[1]",
        "expected an integer, got 2.5",
    ),
    "infinite size": (
        _ols_grid(n_samples=[float("inf")]),
        "experiments.ols.grid.n_samples[0]",
        "expected a finite number, got inf",
    ),
    "bool for a number": (
        _ols_grid(n_samples=[True]),
        "experiments.ols.grid.n_samples[0]",
        "expected a number, got the bool True",
    ),
    "word for a bool": (
        _set(["experiments", "ols", "estimator_params", "fit_intercept"], "yes"),
        "experiments.ols.estimator_params.fit_intercept",
        "expected true or false, got 'yes'",
    ),
}


@pytest.mark.parametrize("case", REGISTRY_CASES, ids=list(REGISTRY_CASES))
def test_registry_problems_name_path_and_reason(raw, case):
    mutate, path, reason = REGISTRY_CASES[case]
    mutate(raw)
    rejected(raw, path, reason)


def test_several_structure_problems_are_all_reported(raw):
    raw["sed"] = 1
    raw["experiments"]["ols"]["evaluation"]["replicates"] = "many"
    raw["experiments"]["cv"]["grid"]["alpha"] = []
    with pytest.raises(ConfigError, match="sed") as info:
        load_config(raw)
    assert {path for path, _ in info.value.problems} == {
        "sed",
        "experiments.ols.evaluation.replicates",
        "experiments.cv.grid.alpha",
    }


def test_several_registry_problems_are_all_reported(raw):
    # Problems in different experiments and datasets, and several in one experiment: an
    # unknown estimator does not hide the experiment's unknown metric.
    raw["experiments"]["ols"]["estimator"] = "Lasso"
    raw["experiments"]["ols"]["metrics"] = ["excess_risk", "r2"]
    raw["experiments"]["ridge"]["grid"]["alpha"] = [-1.0]
    raw["experiments"]["cv"]["figure"][0]["x"] = "n_samples"
    raw["datasets"]["random"]["generator"] = "friedman"
    with pytest.raises(ConfigError, match=r"experiments\.ols\.estimator") as info:
        load_config(raw)
    paths = [path for path, _ in info.value.problems]
    assert set(paths) == {
        "experiments.ols.estimator",
        "experiments.ols.metrics[1]",
        "experiments.ridge.grid.alpha",
        "experiments.cv.figure[0].x",
        "experiments.cv.figure[0]",  # alpha varies but is now neither x nor hue
        "datasets.random.generator",
    }
    message = str(info.value)
    assert all(f"  {path}: " in message for path in paths)


def test_file_dataset_loads_when_the_file_exists(raw, tmp_path):
    path = tmp_path / "toy.csv"
    path.write_text("a,b,y\n" + "".join(f"{i},{i % 3},{2 * i}\n" for i in range(12)))
    raw["datasets"]["toy"] = {"file": str(path)}
    raw["experiments"]["cv"]["dataset"] = "toy"
    config = load_config(raw)
    assert config.experiments["cv"].spec["dataset"] == "toy"


# --- defaults and casting -----------------------------------------------------------------


def test_defaults_are_filled(raw):
    ols = raw["experiments"]["ols"]
    del ols["estimator_params"], ols["checks"], ols["evaluation"]["replicates"]
    ols["figure"][0] = {"metric": "excess_risk", "x": "n_samples", "hue": "n_features"}
    spec = load_config(raw).experiments["ols"].spec
    assert spec["evaluation"] == {"protocol": "monte_carlo", "replicates": 1, "folds": 5}
    assert spec["estimator_params"] == {}
    assert spec["checks"] == []
    assert spec["figure"][0]["theory"] == [] and spec["figure"][0]["vlines"] == []
    assert spec["figure"][0]["logx"] is False
    assert load_config(raw).datasets["diabetes"]["params"] == {}


def test_strings_are_cast_to_the_parameters_types(raw):
    ols = raw["experiments"]["ols"]
    ols["grid"] = {"n_samples": ["100"], "noise": ["0.5", 1], "fit_intercept": ["true", False]}
    ols["grid"]["n_features"] = ["2"]
    ols["estimator_params"] = {}
    ols["figure"] = [{"metric": "excess_risk", "x": "noise", "hue": "fit_intercept"}]
    experiment = load_config(raw).experiments["ols"]
    first = experiment.points[0]
    assert first.params == {"n_samples": 100, "noise": 0.5, "fit_intercept": True, "n_features": 2}
    assert [type(v) for v in first.params.values()] == [int, float, bool, int]
    assert first.data_params["n_samples"] == 100 and type(first.data_params["noise"]) is float
    assert first.estimator_params == {"fit_intercept": True}
    # The spec keeps the cast values too, so the experiment's JSON does not depend on spelling.
    assert experiment.spec["grid"] == {
        "n_samples": [100],
        "noise": [0.5, 1.0],
        "fit_intercept": [True, False],
        "n_features": [2],
    }


@pytest.mark.parametrize("spelling", [1, 1.0, "1", "1.0"])
def test_spellings_of_a_float_give_the_same_point_and_job(raw, spelling):
    reference = copy.deepcopy(raw)
    reference["experiments"]["ridge"]["grid"]["alpha"] = [0.1, 1.0]
    raw["experiments"]["ridge"]["grid"]["alpha"] = [0.1, spelling]
    raw["datasets"]["small"]["params"]["noise"] = spelling  # also a float parameter
    reference["datasets"]["small"]["params"]["noise"] = 1.0
    config, expected = load_config(raw), load_config(reference)
    ids = [point.id for point in config.experiments["ridge"].points]
    assert ids == ["alpha~0.1", "alpha~1.0"]
    for point_id in ids:
        job = json.dumps(config.training_job("ridge", point_id), sort_keys=True)
        assert job == json.dumps(expected.training_job("ridge", point_id), sort_keys=True)
    assert config.dataset_job("small", "data") == expected.dataset_job("small", "data")


def test_int_parameter_accepts_integral_spellings_only(raw):
    raw["experiments"]["ols"]["grid"]["n_samples"] = [20.0, "40", "1e2"]
    points = load_config(raw).experiments["ols"].points
    assert sorted({p.params["n_samples"] for p in points}) == [20, 40, 100]
    assert all(type(p.params["n_samples"]) is int for p in points)
    raw["experiments"]["ols"]["grid"]["n_samples"] = ["2.5"]
    rejected(raw, "experiments.ols.grid.n_samples[0]", "expected an integer, got '2.5'")


def test_integral_floats_for_integer_keys_become_ints(raw):
    # JSON Schema counts 3.0 as an integer; a job would then call range(3.0).
    expected = load_config(copy.deepcopy(raw))
    raw["seed"] = 7.0
    raw["experiments"]["ols"]["evaluation"]["replicates"] = 3.0
    raw["experiments"]["cv"]["evaluation"]["folds"] = 3.0
    config = load_config(raw)
    assert type(config.seed) is int
    assert config.experiments["ols"].spec["evaluation"]["replicates"] == 3
    assert type(config.experiments["ols"].spec["evaluation"]["replicates"]) is int
    assert type(config.experiments["cv"].spec["evaluation"]["folds"]) is int
    point = "n_samples~20__n_features~2"
    assert json.dumps(config.training_job("ols", point)) == json.dumps(
        expected.training_job("ols", point)
    )


# --- grid expansion -----------------------------------------------------------------------


def test_points_are_the_cartesian_product_last_key_fastest(raw):
    raw["experiments"]["ols"]["grid"] = {"n_samples": [40, 20, 80], "n_features": [3, 2]}
    experiment = load_config(raw).experiments["ols"]
    expected = list(itertools.product([40, 20, 80], [3, 2]))
    assert [(p.params["n_samples"], p.params["n_features"]) for p in experiment.points] == expected
    ids = [point.id for point in experiment.points]
    assert ids[:2] == ["n_samples~40__n_features~3", "n_samples~40__n_features~2"]
    assert len(set(ids)) == len(ids)
    assert experiment.grid_names == ["n_samples", "n_features"]
    # Stable: a second load gives the same ids, and a point is found by its id.
    assert [p.id for p in load_config(raw).experiments["ols"].points] == ids
    assert experiment.point(ids[3]).params == {"n_samples": 20, "n_features": 2}
    with pytest.raises(KeyError, match="has no grid point 'n_samples~1'"):
        experiment.point("n_samples~1")


def test_points_split_data_and_estimator_parameters(raw):
    raw["experiments"]["ridge"]["grid"] = {"n_features": [2, 3], "alpha": [0.1, 1.0]}
    raw["experiments"]["ridge"]["figure"][0]["hue"] = "n_features"
    experiment = load_config(raw).experiments["ridge"]
    point = experiment.point("n_features~2__alpha~1.0")
    assert point.data_params == {"design": "fixed", "n_samples": 30, "n_features": 2}
    assert point.data_id == "n_features~2"
    assert point.estimator_params == {"fit_intercept": False, "alpha": 1.0}
    # Points that differ only in alpha read the same dataset file.
    assert {p.data_id for p in experiment.points} == {"n_features~2", "n_features~3"}
    assert load_config(raw).experiments["cv"].points[0].data_id == "data"


# --- serialisation and jobs ---------------------------------------------------------------


def test_experiment_json_round_trip_keeps_grid_order(raw):
    raw["experiments"]["ols"]["grid"] = {"n_features": [3, 2], "n_samples": [40, 20]}
    experiment = load_config(raw).experiments["ols"]
    back = Experiment.from_json(experiment.to_json())
    assert back == experiment
    assert back.grid_names == ["n_features", "n_samples"]
    assert [list(p.params) for p in back.points] == [["n_features", "n_samples"]] * 4
    assert [p.id for p in back.points] == [p.id for p in experiment.points]
    assert back.to_json() == experiment.to_json()


def test_config_json_round_trip(raw):
    config = load_config(raw)
    back = Config.from_json(config.to_json())
    assert back.seed == config.seed
    assert list(back.experiments) == list(config.experiments)
    assert back.experiments == config.experiments
    assert back.datasets == {}  # documented: the datasets are not serialised
    assert back.to_json() == config.to_json()


def test_training_job_ignores_checks_figure_and_title(raw):
    job = load_config(raw).training_job("ols", "n_samples~20__n_features~2")
    ols = raw["experiments"]["ols"]
    ols["title"] = "Another title"
    ols["description"] = "Another description"
    ols["checks"] = []
    ols["figure"] = [
        {"metric": "excess_risk", "x": "n_features", "hue": "n_samples", "logx": True}
    ]
    assert load_config(raw).training_job("ols", "n_samples~20__n_features~2") == job


def test_training_job_holds_what_the_rows_depend_on(raw):
    config = load_config(raw)
    job = config.training_job("ridge", "alpha~1.0")
    assert job["seed"] == 7
    assert job["estimator"] == "Ridge"
    assert job["estimator_params"] == {"fit_intercept": False, "alpha": 1.0}
    assert job["data_params"] == {"design": "fixed", "n_samples": 30, "n_features": 3}
    assert job["point"] == {"alpha": 1.0}
    assert job["evaluation"] == {"protocol": "monte_carlo", "replicates": 2, "folds": 3}
    json.dumps(job, allow_nan=False)  # plain data, for a Snakemake params value
    for key, value in [("seed", 8), ("estimator_params", {"fit_intercept": True})]:
        changed = copy.deepcopy(raw)
        if key == "seed":
            changed["seed"] = value
        else:
            changed["experiments"]["ridge"]["estimator_params"] = value
        assert load_config(changed).training_job("ridge", "alpha~1.0") != job, key


def test_other_experiments_and_points_do_not_change_a_job(raw):
    config = load_config(raw)
    ols_jobs = [config.training_job("ols", p.id) for p in config.experiments["ols"].points]
    ridge_job = config.training_job("ridge", "alpha~0.1")
    raw["experiments"]["ridge"]["grid"]["alpha"] = [0.1, 10.0, 100.0]
    raw["experiments"]["cv"]["grid"]["alpha"] = [5.0]
    changed = load_config(raw)
    points = changed.experiments["ols"].points
    assert [changed.training_job("ols", p.id) for p in points] == ols_jobs
    assert changed.training_job("ridge", "alpha~0.1") == ridge_job


def test_dataset_points_and_jobs(raw):
    config = load_config(raw)
    pairs = config.dataset_points()
    assert ("small", "data") in pairs and ("diabetes", "data") in pairs
    assert ("fixed", "n_samples~20__n_features~3") in pairs
    assert pairs == sorted(set(pairs))
    job = config.dataset_job("fixed", "n_samples~20__n_features~3")
    assert job["data_params"] == {"design": "fixed", "noise": 1.0, "n_samples": 20, "n_features": 3}
    with pytest.raises(KeyError, match="no experiment reads dataset 'random'"):
        config.dataset_job("random", "data")


def test_an_estimator_parameter_set_twice_is_rejected(raw):
    raw["experiments"]["ridge"]["estimator_params"]["alpha"] = 0.5
    with pytest.raises(ConfigError, match=r"experiments\.ridge\.grid\.alpha: also set in estimator_params"):
        load_config(raw)


def test_a_panel_whose_hue_is_its_x_is_rejected(raw):
    raw["experiments"]["ols"]["figure"][0]["hue"] = "n_samples"
    with pytest.raises(ConfigError, match=r"experiments\.ols\.figure\[0\]\.hue: the hue must differ from x"):
        load_config(raw)


# --- batches: several grid points per training job -----------------------------------------


def test_points_per_job_cuts_the_grid_into_consecutive_batches(raw):
    ids = [point.id for point in load_config(raw).experiments["ols"].points]
    # By default, cheap points share a job: the four of this grid cost milliseconds.
    assert [b.id for b in load_config(raw).experiments["ols"].batches] == ["points-1-4"]
    raw["experiments"]["ols"]["points_per_job"] = 1
    assert [b.id for b in load_config(raw).experiments["ols"].batches] == ids
    raw["experiments"]["ols"]["points_per_job"] = 3
    config = load_config(raw)
    batches = config.experiments["ols"].batches
    # a batch of one point is named by the point, as when every point has its own job
    assert [batch.id for batch in batches] == ["points-1-3", ids[3]]
    assert [point.id for batch in batches for point in batch.points] == ids
    jobs = config.training_jobs("ols", ids[3])
    assert jobs == [config.training_job("ols", ids[3])]
    with pytest.raises(KeyError, match="no batch"):
        config.experiments["ols"].batch("points-1-4")


def test_batching_leaves_every_point_s_job_unchanged(raw):
    """A point's job (what its rows depend on) does not depend on how points are batched."""
    before = load_config(copy.deepcopy(raw))
    raw["experiments"]["ols"]["points_per_job"] = 2
    after = load_config(raw)
    for point in after.experiments["ols"].points:
        assert after.training_job("ols", point.id) == before.training_job("ols", point.id)


@pytest.mark.parametrize("value, reason", [(0, "less than the minimum"), (1.5, "not of type")])
def test_points_per_job_must_be_a_positive_integer(raw, value, reason):
    raw["experiments"]["ols"]["points_per_job"] = value
    rejected(raw, "experiments.ols.points_per_job", reason)


def test_string_values_keep_to_the_file_name_alphabet():
    """A value becomes part of a point's file name, ``name~value`` pairs joined by
    ``__``: single underscores are kept (``inverse_time``), a double one or a path
    separator is refused."""
    from ftml.experiments.config._casting import cast_value

    assert cast_value("inverse_time", str) == "inverse_time"
    for value in ("a__b", "a/b", "two words", ""):
        with pytest.raises(ValueError, match="single '_'"):
            cast_value(value, str)
