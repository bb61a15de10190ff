"""A corpus of invalid configs: each is refused before any job, with its key path and a
reason, as a ConfigError (never another exception, so never a traceback); and beside each, a
valid neighbour that differs by as little as possible and is accepted.

The base is a small config with one experiment per protocol and a user's data file. Each case
mutates a copy: ``bad`` must be refused at ``path`` with ``reason`` in the message, ``good``
(when given) must load.
"""

import copy

import pytest

from ftml.experiments.config import ConfigError, load_config


def _data(directory):
    (directory / "pets.csv").write_text(
        "weight,height,animal\n" + "".join(
            f"{i % 7 + 0.5},{i % 5 + 1.5},{['cat', 'dog', 'bird'][i % 3]}\n" for i in range(30)))
    (directory / "prices.csv").write_text(
        "area,rooms,price\n" + "".join(f"{30 + i},{1 + i % 4},{100 + 3 * i}\n" for i in range(30)))
    return directory


def base(directory):
    return {
        "seed": 3,
        "datasets": {
            "gauss": {"generator": "linear_gaussian",
                      "params": {"design": "fixed", "noise": 1.0}},
            "quad": {"generator": "conditioned_quadratic",
                     "params": {"n_samples": 40, "n_features": 5}},
            "iris": {"bundled": "iris"},
            "pets": {"file": str(directory / "pets.csv")},
            "prices": {"file": str(directory / "prices.csv"), "target": "price"},
        },
        "experiments": {
            "mc": {
                "chapter": "c", "title": "t", "description": "d", "dataset": "gauss",
                "estimator": "Ridge", "estimator_params": {"fit_intercept": False},
                "grid": {"n_samples": [20, 40], "n_features": [2], "alpha": [0.1, 1.0]},
                "evaluation": {"protocol": "monte_carlo", "replicates": 3, "folds": 3},
                "metrics": ["excess_risk", "cv_mean_squared_error"],
                "checks": [{"check": "matches_theory", "metric": "excess_risk",
                            "theory": "ridge_fixed_design_excess_risk"}],
                "figure": [{"metric": "excess_risk", "x": "n_samples", "hue": "alpha"}],
            },
            "cv": {
                "chapter": "c", "title": "t", "description": "d", "dataset": "pets",
                "estimator": "SoftmaxRegression", "estimator_params": {},
                "grid": {"alpha": [0.01, 1.0]},
                "evaluation": {"protocol": "cross_validation", "replicates": 2, "folds": 3,
                               "stratify": True},
                "metrics": ["accuracy_score"],
                "checks": [{"check": "monotone", "metric": "accuracy_score",
                            "parameter": "alpha", "direction": "decreasing", "margin": 1.0}],
                "figure": [{"metric": "accuracy_score", "x": "alpha"}],
            },
            "opt": {
                "chapter": "c", "title": "t", "description": "d", "dataset": "quad",
                "objective": {"loss": "square", "alpha": 0.0},
                "solvers": {"gd": {"solver": "gd", "params": {"step_over_L": 1.0}},
                            "nesterov": {"solver": "nesterov", "params": {}}},
                "grid": {"condition_number": [10.0]},
                "evaluation": {"protocol": "optimization", "max_iter": 20},
                "metrics": ["suboptimality"],
                "checks": [{"check": "fewer_iterations", "metric": "suboptimality",
                            "target": "nesterov", "reference": ["gd"], "level": 1e-6}],
                "figure": [{"metric": "suboptimality", "x": "iteration", "logy": True}],
            },
        },
    }


def at(*keys):
    """A setter of ``config[keys[0]]...[keys[-1]]``."""
    def setter(value):
        def mutate(config):
            target = config
            for key in keys[:-1]:
                target = target[key]
            target[keys[-1]] = value
        return mutate
    return setter


def drop(*keys):
    def mutate(config):
        target = config
        for key in keys[:-1]:
            target = target[key]
        del target[keys[-1]]
    return mutate


def write(name, text):
    """Replace the data file ``name`` of the base config by ``text``."""
    def mutate(config, directory):
        (directory / name).write_text(text)
    mutate.needs_directory = True
    return mutate


E = ("experiments",)
MC, CV, OPT = (*E, "mc"), (*E, "cv"), (*E, "opt")
PETS = "weight,height,animal\n"

# (id, bad, key path, reason, good): good is a mutation that must load (None: the base).
CASES = [
    # structure (the schema)
    ("unknown top-level key", at("seeds")(1), "seeds", "unknown key", None),
    ("seed negative", at("seed")(-1), "seed", "less than the minimum", at("seed")(0)),
    ("seed not a number", at("seed")("abc"), "seed", "is not of type", at("seed")(12)),
    ("no datasets", at("datasets")({}), "datasets", "should be non-empty", None),
    ("dataset with two sources", at("datasets", "iris", "file")("x.csv"), "datasets.iris",
     "exactly one of", None),
    ("bad dataset name", at("datasets", "Bad-Name")({"bundled": "iris"}),
     "datasets.Bad-Name", "not a valid name", at("datasets", "bad_name")({"bundled": "iris"})),
    ("unknown experiment key", at(*MC, "estimater")("OLS"), "experiments.mc.estimater",
     "unknown key", None),
    ("replicates zero", at(*MC, "evaluation", "replicates")(0),
     "experiments.mc.evaluation.replicates", "less than the minimum",
     at(*MC, "evaluation", "replicates")(2)),
    ("folds one", at(*CV, "evaluation", "folds")(1), "experiments.cv.evaluation.folds",
     "less than the minimum", at(*CV, "evaluation", "folds")(2)),
    ("unknown protocol", at(*MC, "evaluation", "protocol")("bootstrap"),
     "experiments.mc.evaluation.protocol", "is not one of", None),
    ("empty grid values", at(*MC, "grid", "alpha")([]), "experiments.mc.grid.alpha",
     "should be non-empty", at(*MC, "grid", "alpha")([0.5])),
    ("unknown check kind", at(*MC, "checks")([{"check": "is_true", "metric": "excess_risk"}]),
     "experiments.mc.checks[0].check", "is not one of", None),
    ("figure without metric", at(*MC, "figure")([{"x": "n_samples"}]),
     "experiments.mc.figure[0]", "'metric' is a required property", None),
    ("points_per_job zero", at(*MC, "points_per_job")(0), "experiments.mc.points_per_job",
     "less than the minimum", at(*MC, "points_per_job")(2)),
    # names against the catalog
    ("unknown generator", at("datasets", "gauss", "generator")("gaussian"),
     "datasets.gauss.generator", "unknown generator 'gaussian'", None),
    ("unknown bundled set", at("datasets", "iris", "bundled")("mnist"),
     "datasets.iris.bundled", "unknown bundled data set 'mnist'", None),
    ("unknown generator parameter", at("datasets", "gauss", "params", "noize")(1.0),
     "datasets.gauss.params.noize", "unknown parameter 'noize'",
     at("datasets", "gauss", "params", "noise")(2.0)),
    ("generator parameter of wrong type", at("datasets", "gauss", "params", "noise")("loud"),
     "datasets.gauss.params.noise", "expected a float", at("datasets", "gauss", "params",
                                                            "noise")("0.5")),
    ("unknown estimator", at(*MC, "estimator")("Lasso"), "experiments.mc.estimator",
     "unknown estimator 'Lasso'", at(*MC, "estimator")("Ridge")),
    ("unknown dataset", at(*MC, "dataset")("gaus"), "experiments.mc.dataset",
     "unknown dataset 'gaus'", None),
    ("unknown metric", at(*MC, "metrics")(["excess_risks"]), "experiments.mc.metrics[0]",
     "unknown monte_carlo metric", None),
    ("cross-validation metric under monte carlo", at(*MC, "metrics")(["accuracy_score"]),
     "experiments.mc.metrics[0]", "unknown monte_carlo metric", None),
    ("unknown theory", at(*MC, "checks", 0, "theory")("ridge_risk"),
     "experiments.mc.checks[0].theory", "unknown theory 'ridge_risk'", None),
    ("unknown solver", at(*OPT, "solvers", "gd", "solver")("adam"),
     "experiments.opt.solvers.gd.solver", "unknown solver 'adam'",
     at(*OPT, "solvers", "gd", "solver")("heavy_ball")),
    ("unknown optimization metric", at(*OPT, "metrics")(["loss"]),
     "experiments.opt.metrics[0]", "unknown optimization metric 'loss'", None),
    ("unknown bound", at(*OPT, "figure", 0, "theory")(["gd_rate"]),
     "experiments.opt.figure[0].theory[0]", "unknown bound 'gd_rate'", None),
    # estimator parameters: declared names, types and constraints, without fitting
    ("unknown estimator parameter", at(*MC, "estimator_params", "lambda")(1.0),
     "experiments.mc.estimator_params.lambda", "unknown parameter of the estimator", None),
    ("estimator parameter of wrong type", at(*MC, "estimator_params", "fit_intercept")("no"),
     "experiments.mc.estimator_params.fit_intercept", "expected true or false",
     at(*MC, "estimator_params", "fit_intercept")("true")),
    ("negative alpha in the grid", at(*MC, "grid", "alpha")([-1.0, 1.0]),
     "experiments.mc.grid.alpha",
     "must be a float in the range [0.0, inf]", at(*MC, "grid", "alpha")([0.0, 1.0])),
    ("unknown solver of an estimator", at(*CV, "estimator_params", "solver")("newton"),
     "experiments.cv.estimator_params.solver", "'solver' parameter of SoftmaxRegression",
     at(*CV, "estimator_params", "solver")("gd")),
    ("max_iter zero", at(*CV, "estimator_params", "max_iter")(0),
     "experiments.cv.estimator_params.max_iter", "'max_iter' parameter", at(*CV, "estimator_params",
                                                                    "max_iter")(5)),
    ("integer parameter given a fraction", at(*CV, "estimator_params", "max_iter")(2.5),
     "experiments.cv.estimator_params.max_iter", "expected an integer",
     at(*CV, "estimator_params", "max_iter")(3.0)),
    ("seed set by the config", at(*MC, "estimator_params", "random_state")(1),
     "experiments.mc.estimator_params.random_state", "unknown parameter", None),
    # the grid
    ("grid parameter of nothing", at(*MC, "grid", "depth")([1, 2]), "experiments.mc.grid.depth",
     "neither the dataset's generator nor the estimator", None),
    ("repeated grid values", at(*MC, "grid", "alpha")([1.0, 1]), "experiments.mc.grid.alpha",
     "repeated values", None),
    ("grid and estimator_params both", at(*MC, "estimator_params", "alpha")(1.0),
     "experiments.mc.grid.alpha", "also set in estimator_params", None),
    ("generator size missing", drop(*MC, "grid", "n_features"), "experiments.mc.grid",
     "the generator needs n_features", None),
    ("unshown grid parameter", at(*MC, "figure", 0, "hue")("n_features"), "experiments.mc.figure[0]",
     "grid parameter 'alpha' takes 2 values", None),
    ("train_size above one", at(*CV, "grid", "train_size")([0.5, 1.5]),
     "experiments.cv.grid.train_size", "fraction of the training fold",
     at(*CV, "grid", "train_size")([0.5])),
    # claims, from their declarations
    ("check needing a missing key", at(*CV, "checks")([{"check": "monotone",
                                                        "metric": "accuracy_score"}]),
     "experiments.cv.checks[0]", "monotone needs 'direction' and 'parameter'", None),
    ("check with a stray key", at(*MC, "checks", 0, "margin")(0.1), "experiments.mc.checks[0].margin",
     "matches_theory does not take 'margin'", None),
    ("check on an unmeasured metric", at(*MC, "checks", 0, "metric")("empirical_risk"),
     "experiments.mc.checks[0].metric", "is not in this experiment's metrics", None),
    ("check parameter not a column", at(*CV, "checks", 0, "parameter")("beta"),
     "experiments.cv.checks[0].parameter", "'beta' is not a grid parameter", None),
    ("check for another protocol", at(*MC, "checks")([{"check": "fewer_iterations",
                                                       "metric": "excess_risk", "target": "a",
                                                       "reference": ["b"], "level": 1e-3}]),
     "experiments.mc.checks[0].check", "fewer_iterations needs iterations", None),
    ("standard error of one replicate", at(*MC, "evaluation", "replicates")(1),
     "experiments.mc.checks[0].check", "a standard error needs at least 2 replicates", None),
    ("unknown solver label in a check", at(*OPT, "checks", 0, "target")("heavy"),
     "experiments.opt.checks[0]", "unknown solver label 'heavy'", None),
    ("select on an unknown column", at(*MC, "checks", 0, "select")({"beta": 1}),
     "experiments.mc.checks[0].select.beta", "'beta' is not a grid parameter", None),
    # protocol-specific keys
    ("stratify under monte carlo", at(*MC, "evaluation", "stratify")(True),
     "experiments.mc.evaluation.stratify", "only the cross_validation protocol takes it",
     None),
    ("per-class report under monte carlo", at(*MC, "per_class_report")(True),
     "experiments.mc.per_class_report", "predicts classes", at(*CV, "per_class_report")(True)),
    ("solvers outside optimization", at(*MC, "solvers")({"gd": {"solver": "gd"}}),
     "experiments.mc.solvers",
     "only the optimization protocol takes 'solvers'", None),
    ("optimization without budget", drop(*OPT, "evaluation", "max_iter"),
     "experiments.opt.evaluation.max_iter", "needs a budget", None),
    ("negative step", at(*OPT, "solvers", "gd", "params", "step_over_L")(-1.0),
     "experiments.opt.solvers.gd.params.step_over_L", "a step is a positive finite number",
     at(*OPT, "solvers", "gd", "params", "step_over_L")(0.5)),
    ("two step rules", at(*OPT, "solvers", "gd", "params", "step")(0.1),
     "experiments.opt.solvers.gd.params", "give one of step, step_over_L", None),
    ("solver parameter the job sets", at(*OPT, "solvers", "gd", "params", "max_iter")(5),
     "experiments.opt.solvers.gd.params.max_iter", "not a parameter a config may set", None),
    ("logistic loss without penalty", at(*OPT, "objective")({"loss": "logistic", "alpha": 0.0}),
     "experiments.opt.objective.alpha", "alpha > 0", None),
    ("optimization figure on a grid axis", at(*OPT, "figure", 0, "x")("condition_number"),
     "experiments.opt.figure[0].x", "an optimization panel's x is one of", None),
    # searches
    ("search of a parameter the estimator lacks", at(*CV, "evaluation", "search")(
        {"parameter": "C", "values": [0.1, 1.0]}), "experiments.cv.evaluation.search.parameter",
     "unknown parameter of the estimator SoftmaxRegression 'C'",
     at(*CV, "evaluation", "search")({"parameter": "tol", "values": [0.1, 1.0]})),
    ("search scoring unknown", at(*CV, "evaluation", "search")(
        {"parameter": "tol", "values": [0.1, 1.0], "scoring": "auc"}),
     "experiments.cv.evaluation.search.scoring", "unknown score 'auc'", None),
    ("search of a grid parameter", at(*CV, "evaluation", "search")(
        {"parameter": "alpha", "values": [0.1, 1.0]}),
     "experiments.cv.evaluation.search.parameter", "is also a grid parameter", None),
    # data-dependent limits, against the real data
    ("more folds than samples", at(*CV, "evaluation", "folds")(31),
     "experiments.cv.evaluation.folds", "31 folds need at least 31 samples",
     at(*CV, "evaluation", "folds")(10)),
    ("stratified folds above the smallest class", at(*CV, "evaluation", "folds")(11),
     "experiments.cv.evaluation.folds", "the smallest class of dataset 'pets' has 10",
     at(*CV, "evaluation", "folds")(10)),
    ("inner folds above a training fold", at(*CV, "evaluation", "search")(
        {"parameter": "tol", "values": [0.1, 1.0], "folds": 25}),
     "experiments.cv.evaluation.search.folds", "the smallest training fold",
     at(*CV, "evaluation", "search")({"parameter": "tol", "values": [0.1, 1.0], "folds": 5})),
    ("a regressor on class names", at(*CV, "estimator")("Ridge"), "experiments.cv.estimator",
     "Ridge is not a classifier", lambda c: (c["experiments"]["cv"].update(
         dataset="prices", estimator="Ridge", metrics=["mean_squared_error"],
         checks=[], figure=[{"metric": "mean_squared_error", "x": "alpha"}]),
         c["experiments"]["cv"]["evaluation"].pop("stratify"))),
    # sizes that cannot fit, against the documented limits
    ("replicates beyond any run", at(*MC, "evaluation", "replicates")(10**12),
     "experiments.mc.evaluation", "above limits.work", at(*MC, "evaluation", "replicates")(100)),
    ("a sample beyond memory", at(*MC, "grid", "n_samples")([10**12]), "experiments.mc.grid",
     "above limits.sample_memory_gb", at(*MC, "grid", "n_samples")([10**4])),
    ("iterations beyond any run", at(*OPT, "evaluation", "max_iter")(10**12),
     "experiments.opt.evaluation", "above limits.work", at(*OPT, "evaluation", "max_iter")(500)),
    # a user's data file, read and checked once at validation
    ("file missing", at("datasets", "pets", "file")("nowhere.csv"), "datasets.pets.file",
     "no such file", None),
    ("file is a directory", lambda c: c["datasets"]["pets"].update(
        file=c["datasets"]["prices"]["file"].rsplit("/", 1)[0]), "datasets.pets.file",
     "a directory, not a file", None),
    ("file of unsupported kind", at("datasets", "pets", "file")("/etc/passwd"),
     "datasets.pets.file", "unsupported extension", None),
    ("NaN in a feature", write("pets.csv", PETS + "nan,1.0,cat\n" * 12), "datasets.pets.file",
     "contains NaN", write("pets.csv", PETS + "0.5,1.0,cat\n1.5,1.0,dog\n" * 6)),
    ("infinity in a feature", write("pets.csv", PETS + "inf,1.0,cat\n" * 12),
     "datasets.pets.file", "contains infinity", None),
    ("text in a feature column", write("pets.csv", PETS + "heavy,1.0,cat\n" * 12),
     "datasets.pets.file", "column 'weight' on line 2 holds 'heavy'", None),
    ("a header and no rows", write("pets.csv", PETS), "datasets.pets.file",
     "has a header but no data rows", None),
    ("ragged rows", write("pets.csv", PETS + "1.0,2.0,cat\n1.0,dog\n"), "datasets.pets.file",
     "line 3 has 2 cells", None),
    ("target not a column", at("datasets", "prices", "target")("cost"),
     "datasets.prices.file", "target == 'cost' is not a column", None),
    ("a target mixing numbers and names", write("pets.csv", PETS + "1.0,2.0,cat\n1.0,2.0,3\n"),
     "datasets.pets.file", "while other rows of this target column hold numbers", None),
    ("an empty file", write("pets.csv", ""), "datasets.pets.file", "is empty", None),
]


@pytest.fixture
def directory(tmp_path):
    return _data(tmp_path)


def _apply(mutation, config, directory):
    if getattr(mutation, "needs_directory", False):
        mutation(config, directory)
    else:
        mutation(config)


def test_the_base_config_is_valid(directory):
    config = load_config(base(directory))
    assert set(config.experiments) == {"mc", "cv", "opt"}


def test_the_corpus_is_large_and_names_each_case_once():
    assert len(CASES) >= 60
    assert len({case[0] for case in CASES}) == len(CASES)


@pytest.mark.parametrize("name, bad, path, reason, good", CASES, ids=[c[0] for c in CASES])
def test_an_invalid_config_is_refused_with_its_key_path(directory, name, bad, path, reason,
                                                        good):
    config = copy.deepcopy(base(directory))
    _apply(bad, config, directory)
    with pytest.raises(ConfigError) as info:  # a ConfigError, not a traceback of another kind
        load_config(config)
    problems = info.value.problems
    assert any(key == path and reason in text for key, text in problems), problems
    assert f"{path}: " in str(info.value)


@pytest.mark.parametrize("name, bad, path, reason, good",
                         [case for case in CASES if case[4] is not None],
                         ids=[c[0] for c in CASES if c[4] is not None])
def test_its_valid_neighbour_is_accepted(directory, name, bad, path, reason, good):
    config = copy.deepcopy(base(directory))
    _apply(good, config, directory)
    load_config(config)


def test_limits_can_be_raised_in_the_config(directory):
    config = base(directory)
    config["experiments"]["mc"]["evaluation"]["replicates"] = 10**12
    with pytest.raises(ConfigError, match="above limits.work = 1e"):
        load_config(config)
    config["limits"] = {"work": 1e20}
    load_config(config)


def test_the_schema_states_the_default_limits():
    from pathlib import Path

    import yaml

    from ftml.experiments.config import SCHEMA_PATH
    from ftml.experiments.config._checker import DEFAULT_LIMITS

    limits = yaml.safe_load(Path(SCHEMA_PATH).read_text())["properties"]["limits"]["properties"]
    assert set(limits) == set(DEFAULT_LIMITS)
    for name, value in DEFAULT_LIMITS.items():
        assert f"(default {value:g}" in " ".join(limits[name]["description"].split())
