"""Validate a config and expand each experiment's grid into jobs.

Validation runs in two passes, both before any job starts. The JSON Schema
(``workflow/schemas/config.schema.yaml``) checks the structure: known keys, types, non-empty
grids, names. Then :func:`load_config` checks what a schema cannot: that every name refers
to something in :mod:`ftml.experiments.registry`, that grid parameters belong to the
generator or the estimator, that each grid point builds a valid dataset and estimator, and
that every theory can be evaluated at every point. All problems are reported at once, each
with its key path.
"""

import copy
import dataclasses
import itertools
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ftml.experiments import registry
from ftml.experiments.seeding import derive_seed
from ftml.experiments.truth_metrics import MonteCarloContext
from ftml.model_selection import KFold

__all__ = ["ConfigError", "Config", "Experiment", "GridPoint", "load_config", "SCHEMA_PATH"]

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "workflow" / "schemas" / "config.schema.yaml"

# Values become parts of file names, so strings are kept to a safe alphabet.
_SAFE_STRING = re.compile(r"^[A-Za-z0-9.+-]+$")


class ConfigError(ValueError):
    """A config that cannot run; ``problems`` lists ``(key_path, reason)`` pairs."""

    def __init__(self, problems):
        self.problems = list(problems)
        lines = [f"  {path or '<root>'}: {reason}" for path, reason in self.problems]
        super().__init__("Invalid config:\n" + "\n".join(lines))


@dataclass(frozen=True)
class GridPoint:
    """One job of an experiment: a combination of grid values.

    Attributes
    ----------
    id : str
        ``name~value`` pairs joined by ``__``, in grid order: a file name.
    params : dict
        The grid values of this point, cast to their parameters' types.
    data_params : dict
        The generator's parameters (the dataset's, updated with the grid's); empty for data
        sets read from files.
    data_id : str
        Names the dataset file this point reads.
    estimator_params : dict
        The estimator's parameters (the experiment's, updated with the grid's).
    """

    id: str
    params: dict
    data_params: dict
    data_id: str
    estimator_params: dict


@dataclass(frozen=True)
class Experiment:
    """A validated experiment and its expanded grid."""

    name: str
    spec: dict
    points: tuple

    def point(self, point_id):
        """Return the grid point named ``point_id``."""
        for point in self.points:
            if point.id == point_id:
                return point
        raise KeyError(f"experiment {self.name!r} has no grid point {point_id!r}")

    @property
    def grid_names(self):
        """The columns that identify a point: the grid's parameters (and ``solver``)."""
        return list(self.points[0].params) if self.points else list(self.spec["grid"])

    def to_json(self):
        """Serialise to a JSON string, to hand to a job as a plain ``params`` value.

        Keys keep their order: the grid's order is the tables' column order.
        """
        return json.dumps({
            "name": self.name,
            "spec": self.spec,
            "points": [dataclasses.asdict(point) for point in self.points],
        }, separators=(",", ":"), allow_nan=False)

    @classmethod
    def from_json(cls, text):
        """Rebuild an experiment serialised by :meth:`to_json`."""
        data = json.loads(text, object_pairs_hook=dict)
        points = tuple(GridPoint(**point) for point in data["points"])
        return cls(name=data["name"], spec=data["spec"], points=points)


@dataclass(frozen=True)
class Config:
    """A validated config: its seed, datasets and experiments."""

    seed: int
    datasets: dict
    experiments: dict

    def to_json(self):
        """Serialise the seed and the experiments (with their grids) to a JSON string."""
        return json.dumps(
            {"seed": self.seed, "experiments": [e.to_json() for e in self.experiments.values()]},
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, text):
        """Rebuild a config serialised by :meth:`to_json` (without its datasets)."""
        data = json.loads(text)
        experiments = [Experiment.from_json(item) for item in data["experiments"]]
        return cls(seed=data["seed"], datasets={}, experiments={e.name: e for e in experiments})

    def dataset_points(self):
        """Return the sorted ``(dataset, data_id)`` pairs that some experiment reads."""
        return sorted(
            {
                (experiment.spec["dataset"], point.data_id)
                for experiment in self.experiments.values()
                for point in experiment.points
            }
        )

    def optimum_points(self):
        """Return the sorted ``(experiment, data_id)`` pairs whose optimum must be computed."""
        return sorted(
            {
                (experiment.name, point.data_id)
                for experiment in self.experiments.values()
                if experiment.spec["evaluation"]["protocol"] == "optimization"
                for point in experiment.points
            }
        )

    def optimum_job(self, experiment_name, data_id):
        """Return what determines an optimisation experiment's optimum at one dataset point."""
        experiment = self.experiments[experiment_name]
        for point in experiment.points:
            if point.data_id == data_id:
                return {
                    "seed": self.seed,
                    "dataset": experiment.spec["dataset"],
                    "data_params": point.data_params,
                    "objective": experiment.spec["objective"],
                }
        raise KeyError(f"experiment {experiment_name!r} has no dataset point {data_id!r}")

    def dataset_job(self, dataset, data_id):
        """Return everything that determines a dataset file, as plain data."""
        for experiment in self.experiments.values():
            if experiment.spec["dataset"] != dataset:
                continue
            for point in experiment.points:
                if point.data_id == data_id:
                    return {
                        "seed": self.seed,
                        "dataset": dataset,
                        # The resolved parameters stand for the spec's: a dataset edit that
                        # leaves this point's parameters alone must not rebuild it.
                        "spec": {
                            key: value
                            for key, value in self.datasets[dataset].items()
                            if key != "params"
                        },
                        "data_params": point.data_params,
                    }
        raise KeyError(f"no experiment reads dataset {dataset!r} at {data_id!r}")

    def training_job(self, experiment_name, point_id):
        """Return everything that determines one training job's rows, as plain data.

        Only what the job's rows depend on is included, so that editing an experiment's
        checks, figure or other grid points does not rerun it.
        """
        experiment = self.experiments[experiment_name]
        point = experiment.point(point_id)
        spec = experiment.spec
        if spec["evaluation"]["protocol"] == "optimization":
            label = point.params["solver"]
            return {
                "seed": self.seed,
                "experiment": experiment_name,
                "dataset": spec["dataset"],
                "data_params": point.data_params,
                "objective": spec["objective"],
                "solver": spec["solvers"][label]["solver"],
                "solver_params": point.estimator_params,
                "point": point.params,
                "evaluation": spec["evaluation"],
                "metrics": spec["metrics"],
            }
        return {
            "seed": self.seed,
            "experiment": experiment_name,
            "dataset": spec["dataset"],
            "data_params": point.data_params,
            "estimator": spec["estimator"],
            "estimator_params": point.estimator_params,
            "point": point.params,
            "evaluation": spec["evaluation"],
            "metrics": spec["metrics"],
        }


def load_config(raw, schema_path=SCHEMA_PATH):
    """Validate ``raw`` and return a :class:`Config`.

    Parameters
    ----------
    raw : dict
        The config as read from YAML (and updated by ``--config``); it is not modified.
    schema_path : path-like, default=SCHEMA_PATH
        The JSON Schema of the structure.

    Returns
    -------
    Config

    Raises
    ------
    ConfigError
        Listing every problem found, each with its key path.
    """
    raw = copy.deepcopy(dict(raw))
    problems = _schema_problems(raw, schema_path)
    if problems:
        raise ConfigError(problems)
    _integers_as_int(raw)
    from threadpoolctl import threadpool_limits

    problems = []
    # Parameters are stored cast to their types, so that "1", 1 and 1.0 name the same job.
    datasets = {
        name: _check_dataset(name, spec, problems) for name, spec in raw["datasets"].items()
    }
    experiments = {}
    # The checks fit small problems, on which BLAS threads cost more than they save.
    with threadpool_limits(limits=1):
        for name, spec in raw["experiments"].items():
            kind = (
                _OptimizationChecker
                if spec["evaluation"]["protocol"] == "optimization"
                else _ExperimentChecker
            )
            checker = kind(name, spec, datasets, raw["seed"], problems)
            points = checker.run()
            if points is not None:
                experiments[name] = Experiment(name=name, spec=spec, points=tuple(points))
    if problems:
        raise ConfigError(problems)
    return Config(seed=raw["seed"], datasets=datasets, experiments=experiments)


def _schema_problems(raw, schema_path):
    import jsonschema
    import yaml

    schema = yaml.safe_load(Path(schema_path).read_text())
    validator = _with_defaults(jsonschema.Draft202012Validator)(schema)
    problems = []
    for error in sorted(validator.iter_errors(raw), key=lambda e: list(map(str, e.path))):
        path = _path(error.absolute_path)
        if error.validator == "additionalProperties" and error.schema.get("properties"):
            # Name each unknown key in the path, and list the keys allowed there.
            allowed = ", ".join(error.schema["properties"])
            for key in error.instance:
                if key not in error.schema["properties"]:
                    path = _path([*error.absolute_path, key])
                    problems.append((path, f"unknown key; allowed: {allowed}"))
            continue
        if error.validator == "oneOf" and "generator" in str(error.schema):
            reason = "needs exactly one of 'generator', 'bundled' or 'file'"
        elif error.validator == "pattern" and error.schema.get("description"):
            if "propertyNames" in error.absolute_schema_path:
                path = _path([*error.absolute_path, error.instance])
            reason = f"{error.instance!r} is not a valid name: {error.schema['description']}"
        else:
            reason = error.message
        problems.append((path, reason))
    return problems


def _integers_as_int(raw):
    """Turn the integers that JSON Schema accepts as floats (``replicates: 2.0``) into ints.

    ``range(2.0)`` fails in every job, and ``2026.0`` and ``2026`` would be different jobs.
    """
    raw["seed"] = int(raw["seed"])
    for spec in raw["datasets"].values():
        if isinstance(spec.get("target"), float):
            spec["target"] = int(spec["target"])
    for spec in raw["experiments"].values():
        for key in ("replicates", "folds", "max_iter"):
            if key in spec["evaluation"]:
                spec["evaluation"][key] = int(spec["evaluation"][key])


def _with_defaults(validator_class):
    """Extend a jsonschema validator so that validation fills in the schema's defaults."""
    import jsonschema

    validate_properties = validator_class.VALIDATORS["properties"]

    def set_defaults(validator, properties, instance, schema):
        if isinstance(instance, dict):
            for key, subschema in properties.items():
                if "default" in subschema:
                    instance.setdefault(key, copy.deepcopy(subschema["default"]))
        yield from validate_properties(validator, properties, instance, schema)

    return jsonschema.validators.extend(validator_class, {"properties": set_defaults})


def _path(parts):
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _check_dataset(name, spec, problems):
    """Check a dataset; return its spec with parameters cast to their types, or None."""
    path = f"datasets.{name}"
    before = len(problems)
    if "generator" in spec:
        generator = registry.GENERATORS.get(spec["generator"])
        if generator is None:
            problems.append(
                (f"{path}.generator", _unknown(spec["generator"], registry.GENERATORS, "generator"))
            )
            return None
        params = {}
        for key, value in spec["params"].items():
            if key not in generator.params:
                problems.append(
                    (f"{path}.params.{key}", _unknown(key, generator.params, "parameter"))
                )
                continue
            try:
                params[key] = cast_value(value, generator.params[key])
            except ValueError as error:
                problems.append((f"{path}.params.{key}", str(error)))
        spec = {**spec, "params": params}
    else:
        if spec.get("params"):
            problems.append((f"{path}.params", "only generator datasets take parameters"))
        if "bundled" in spec and spec["bundled"] not in registry.BUNDLED:
            problems.append(
                (f"{path}.bundled", _unknown(spec["bundled"], registry.BUNDLED, "bundled data set"))
            )
        if "file" in spec and not Path(spec["file"]).is_file():
            problems.append((f"{path}.file", f"no such file: {spec['file']!r}"))
    return None if len(problems) > before else spec


def _unknown(value, known, what="name"):
    return f"unknown {what} {value!r}; known: {', '.join(sorted(known))}"


def cast_value(value, target_type):
    """Cast a config value to a parameter's type.

    Values given on the command line with ``--config`` may arrive as strings, and ``1`` and
    ``1.0`` must name the same job: without casting, both would rerun everything.

    Parameters
    ----------
    value : int, float, bool or str
    target_type : type
        One of ``int``, ``float``, ``bool``, ``str``.

    Returns
    -------
    The cast value.

    Raises
    ------
    ValueError
        If the value cannot represent the type (``2.5`` for an int, ``"yes"`` for a bool).

    Examples
    --------
    >>> cast_value("100", int), cast_value(1, float), cast_value("false", bool)
    (100, 1.0, False)
    """
    if target_type is bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return value.lower() == "true"
        raise ValueError(f"expected true or false, got {value!r}")
    if target_type is str:
        if not isinstance(value, str) or not _SAFE_STRING.match(value):
            raise ValueError(f"expected a word of letters, digits, '.', '+' or '-', got {value!r}")
        return value
    if isinstance(value, bool):
        raise ValueError(f"expected a number, got the bool {value!r}")
    given = value
    if isinstance(value, str):
        try:
            value = int(value) if target_type is int else float(value)
        except ValueError:
            try:
                value = float(value)  # "1e3" or "2.5" for an int: judged below
            except ValueError:
                article = "an" if target_type is int else "a"
                raise ValueError(
                    f"expected {article} {target_type.__name__}, got {given!r}"
                ) from None
    if isinstance(value, int):
        return value if target_type is int else float(value)
    if not math.isfinite(value):
        raise ValueError(f"expected a finite number, got {given!r}")
    if target_type is int:
        if not float(value).is_integer():
            raise ValueError(f"expected an integer, got {given!r}")
        return int(value)
    return float(value)


def _format_value(value):
    if isinstance(value, bool):
        return str(value).lower()
    return repr(value) if isinstance(value, float) else str(value)


def _estimator_param_types(estimator_class):
    """The config-settable parameters of an estimator and their types (from the defaults;
    a None default stands for a number). Seeds are the runner's, not the config's."""
    types = {}
    for name, default in estimator_class().get_params(deep=False).items():
        if name in registry.SEEDED_PARAMETERS:
            continue
        types[name] = type(default) if isinstance(default, (bool, int, float, str)) else float
    return types


class _ExperimentChecker:
    """Checks one experiment against the registry and expands its grid."""

    def __init__(self, name, spec, datasets, seed, problems):
        self.name = name
        self.spec = spec
        self.datasets = datasets
        self.seed = seed
        self.problems = problems
        self.path = f"experiments.{name}"

    def fail(self, key, reason):
        self.problems.append((f"{self.path}.{key}" if key else self.path, reason))

    def run(self):
        """Report every problem of the experiment; return its grid points, or None."""
        before = len(self.problems)
        for key in ("objective", "solvers"):
            if key in self.spec:
                self.fail(key, "only the optimization protocol takes " + repr(key))
        evaluation = self.spec["evaluation"]
        if "standardize" in evaluation and evaluation["protocol"] != "cross_validation":
            self.fail("evaluation.standardize", "only cross_validation standardises folds")
        if "estimator" not in self.spec:
            self.fail("estimator", f"the {self.spec['evaluation']['protocol']} protocol needs an "
                      "estimator")
            return None
        if not self.spec["grid"]:
            self.fail("grid", "should be non-empty")
            return None
        dataset = self._dataset()
        estimator_class = registry.ESTIMATORS.get(self.spec["estimator"])
        if estimator_class is None:
            self.fail(
                "estimator", _unknown(self.spec["estimator"], registry.ESTIMATORS, "estimator")
            )
        generator = None
        if dataset is not None and "generator" in dataset:
            generator = registry.GENERATORS[dataset["generator"]]
        # Metrics, checks and figure need neither the estimator nor the dataset's parameters:
        # their problems are reported even when those are wrong.
        metrics = self._metrics(dataset, generator)
        self._checks(metrics)
        self._figure(metrics)
        if dataset is None or estimator_class is None:
            return None
        grid_before = len(self.problems)
        estimator_types = _estimator_param_types(estimator_class)
        fixed_estimator = self._cast_all(
            self.spec["estimator_params"], estimator_types, "estimator_params", "estimator"
        )
        grid = self._grid(generator, estimator_types)
        if len(self.problems) > grid_before:
            return None
        points = self._expand(dataset, generator, grid, fixed_estimator)
        if points is None:
            return None
        self._check_points(points, generator, estimator_class)
        if len(self.problems) > before:
            return None
        # Keep the cast values, so that the experiment's JSON does not depend on how a value
        # was spelt ("100", 100 or 100.0).
        self.spec["grid"] = {name: values for name, (_, values) in grid.items()}
        self.spec["estimator_params"] = fixed_estimator
        return points

    def _dataset(self):
        """Return the dataset's checked spec; None if unknown (reported) or invalid."""
        name = self.spec["dataset"]
        if name not in self.datasets:
            self.fail("dataset", _unknown(name, self.datasets, "dataset"))
            return None
        return self.datasets[name]  # None if invalid: reported under datasets

    def _metrics(self, dataset, generator):
        protocol = self.spec["evaluation"]["protocol"]
        known = (
            registry.MONTE_CARLO_METRICS
            if protocol == "monte_carlo"
            else registry.CROSS_VALIDATION_METRICS
        )
        if protocol == "monte_carlo" and dataset is not None and (
            generator is None or not generator.ground_truth
        ):
            self.fail(
                "evaluation.protocol",
                "monte_carlo needs a generator with a ground truth (such as linear_gaussian); "
                "use cross_validation for other data",
            )
        for index, metric in enumerate(self.spec["metrics"]):
            if metric not in known:
                self.fail(f"metrics[{index}]", _unknown(metric, known, f"{protocol} metric"))
        return set(self.spec["metrics"])

    def _cast_all(self, values, types, key, owner):
        cast = {}
        for name, value in values.items():
            if name not in types:
                self.fail(f"{key}.{name}", _unknown(name, types, f"parameter of the {owner}"))
                continue
            try:
                cast[name] = cast_value(value, types[name])
            except ValueError as error:
                self.fail(f"{key}.{name}", str(error))
        return cast

    def _grid(self, generator, estimator_types):
        data_types = generator.params if generator is not None else {}
        grid = {}
        for name, values in self.spec["grid"].items():
            in_data, in_estimator = name in data_types, name in estimator_types
            if in_data and in_estimator:
                self.fail(f"grid.{name}", "ambiguous: both a generator and an estimator parameter")
                continue
            if in_estimator and name in self.spec["estimator_params"]:
                self.fail(f"grid.{name}", "also set in estimator_params; set it in one place")
                continue
            if not (in_data or in_estimator):
                known = sorted(set(data_types) | set(estimator_types))
                self.fail(
                    f"grid.{name}",
                    f"{name!r} is a parameter of neither the dataset's generator nor the "
                    f"estimator; known: {', '.join(known)}",
                )
                continue
            target = data_types[name] if in_data else estimator_types[name]
            cast = []
            for index, value in enumerate(values):
                try:
                    cast.append(cast_value(value, target))
                except ValueError as error:
                    self.fail(f"grid.{name}[{index}]", str(error))
            labels = [_format_value(value) for value in cast]
            if len(set(labels)) != len(labels):
                self.fail(f"grid.{name}", f"repeated values {values!r}")
            grid[name] = (in_data, cast)
        return grid

    def _expand(self, dataset, generator, grid, fixed_estimator):
        base_data = dict(dataset["params"]) if generator is not None else {}
        if generator is not None:
            missing = [
                key for key in generator.required if key not in base_data and key not in grid
            ]
            if missing:
                self.fail(
                    "grid",
                    f"the generator needs {', '.join(missing)}: set "
                    f"{'it' if len(missing) == 1 else 'them'} in the dataset's params or in "
                    "this grid",
                )
                return None
        names = list(grid)
        points = []
        for values in itertools.product(*(grid[name][1] for name in names)):
            params = dict(zip(names, values))
            data_grid = {n: v for n, v in params.items() if grid[n][0]}
            points.append(
                GridPoint(
                    id="__".join(f"{n}~{_format_value(v)}" for n, v in params.items()),
                    params=params,
                    data_params={**base_data, **data_grid} if generator is not None else {},
                    data_id="__".join(f"{n}~{_format_value(v)}" for n, v in data_grid.items())
                    or "data",
                    estimator_params={
                        **fixed_estimator,
                        **{n: v for n, v in params.items() if not grid[n][0]},
                    },
                )
            )
        return points

    def _check_points(self, points, generator, estimator_class):
        """Build every dataset and estimator of the grid, measure each metric once on a
        generator's sample and evaluate every theory, so that no job fails on them.

        Stops at the first failing point: one problem of each kind is enough to fix.
        """
        models = {}
        estimator_name = estimator_class.__name__
        for point in points:
            data_in_grid = point.data_id != "data"
            if generator is not None and point.data_id not in models:
                try:
                    models[point.data_id] = generator.build(
                        **point.data_params, random_state=derive_seed(self.seed, "check")
                    )
                except (TypeError, ValueError) as error:
                    where = f"point {point.id} of dataset" if data_in_grid else "dataset"
                    self.fail(
                        "grid" if data_in_grid else "dataset",
                        f"{where} {self.spec['dataset']!r} is rejected by the generator: {error}",
                    )
                    return
            estimator_in_grid = bool(set(point.params) & set(point.estimator_params))
            try:
                _try_estimator(estimator_class, point.estimator_params)
            except (TypeError, ValueError) as error:
                key = "grid" if estimator_in_grid else "estimator_params"
                self.fail(key, f"point {point.id} is rejected by {estimator_name}: {error}")
                return
            if generator is not None and not self._dry_run(
                models[point.data_id], estimator_class, point
            ):
                return
            for theory_name, key in self._theories().items():
                theory = registry.THEORIES.get(theory_name)
                if theory is None:
                    continue  # reported by _checks or _figure
                if theory.needs_model and generator is None:
                    self.fail(key, f"theory {theory_name!r} needs a generator dataset")
                    return
                merged = {**point.data_params, **point.estimator_params}
                missing = [name for name in theory.requires if name not in merged]
                if missing:
                    self.fail(key, f"theory {theory_name!r} needs the parameter(s) {missing}")
                    return
                try:
                    theory.evaluate(models.get(point.data_id), merged)
                except ValueError as error:
                    self.fail(key, f"theory {theory_name!r} fails at point {point.id}: {error}")
                    return

    def _dry_run(self, model, estimator_class, point):
        """Fit and measure one replicate (or fold) of a generator's point as its job would.

        Returns False, after reporting, if that fails: more folds than samples, a noise
        estimate with n <= d...
        """
        evaluation = self.spec["evaluation"]
        seed = derive_seed(self.seed, "check", point.id)
        X, y = model.sample(seed)
        try:
            if evaluation["protocol"] == "monte_carlo":
                registered = registry.MONTE_CARLO_METRICS
                estimator = estimator_class(**point.estimator_params).fit(X, y)
                arguments = (estimator, X, y, MonteCarloContext(model, evaluation["folds"], seed))
            else:
                registered = registry.CROSS_VALIDATION_METRICS
                folds = KFold(evaluation["folds"], shuffle=True, random_state=seed)
                train, test = next(folds.split(X))
                estimator = estimator_class(**point.estimator_params).fit(X[train], y[train])
                arguments = (y[test], estimator.predict(X[test]))
        except (TypeError, ValueError) as error:
            self.fail("evaluation", f"point {point.id} cannot be fitted as its job would: {error}")
            return False
        for index, name in enumerate(self.spec["metrics"]):
            if name not in registered:
                continue  # reported by _metrics
            try:
                registered[name](*arguments)
            except (TypeError, ValueError) as error:
                self.fail(
                    f"metrics[{index}]", f"{name} cannot be measured at point {point.id}: {error}"
                )
                return False
        return True

    def _theories(self):
        """Map each theory the experiment uses to the key path of its first use."""
        used = {}
        for index, check in enumerate(self.spec["checks"]):
            used.setdefault(check["theory"], f"checks[{index}].theory")
        for index, panel in enumerate(self.spec["figure"]):
            for theory_key in ("theory", "vlines"):
                for position, name in enumerate(panel[theory_key]):
                    used.setdefault(name, f"figure[{index}].{theory_key}[{position}]")
        return used

    def _checks(self, metrics):
        replicates = self.spec["evaluation"]["replicates"]
        protocol = self.spec["evaluation"]["protocol"]
        for index, check in enumerate(self.spec["checks"]):
            key = f"checks[{index}]"
            if check["check"] not in ("matches_theory", "below_theory", "selects_near_theory"):
                self.fail(f"{key}.check", f"{check['check']} is for the optimization protocol")
                continue
            missing = [name for name in ("metric", "theory") if name not in check]
            if missing:
                self.fail(key, f"{check['check']} needs {' and '.join(missing)}")
                continue
            if check["metric"] not in metrics:
                self.fail(f"{key}.metric", f"{check['metric']!r} is not in this experiment's metrics")
            if check["theory"] not in registry.THEORIES:
                self.fail(f"{key}.theory", _unknown(check["theory"], registry.THEORIES, "theory"))
            if check["check"] == "selects_near_theory":
                if check.get("parameter") not in self.spec["grid"]:
                    self.fail(
                        f"{key}.parameter",
                        "selects_near_theory needs 'parameter', a grid parameter to select",
                    )
            elif "parameter" in check:
                self.fail(f"{key}.parameter", "only selects_near_theory takes a parameter")
            if "factor" in check and check["check"] != "selects_near_theory":
                self.fail(f"{key}.factor", "only selects_near_theory takes a factor")
            if "level" in check and check["check"] == "selects_near_theory":
                self.fail(f"{key}.level", "selects_near_theory takes a factor, not a level")
            if check["check"] != "selects_near_theory" and replicates * (
                self.spec["evaluation"]["folds"] if protocol == "cross_validation" else 1
            ) < 2:
                self.fail(f"{key}.check", "a standard error needs at least 2 replicates or folds")

    def _figure(self, metrics):
        grid = self.spec["grid"]
        for index, panel in enumerate(self.spec["figure"]):
            key = f"figure[{index}]"
            if panel["metric"] not in metrics:
                self.fail(f"{key}.metric", f"{panel['metric']!r} is not in this experiment's metrics")
            for axis in ("x", "hue"):
                if axis in panel and panel[axis] not in grid:
                    self.fail(f"{key}.{axis}", f"{panel[axis]!r} is not a grid parameter")
            if panel.get("hue") == panel["x"]:
                self.fail(f"{key}.hue", "the hue must differ from x")
            shown = {panel["x"], panel.get("hue")}
            for name, values in grid.items():
                if name not in shown and len(values) > 1:
                    self.fail(
                        key,
                        f"grid parameter {name!r} takes {len(values)} values but is neither "
                        "the panel's x nor its hue",
                    )
            for theory_key in ("theory", "vlines"):
                for position, theory_name in enumerate(panel[theory_key]):
                    if theory_name not in registry.THEORIES:
                        self.fail(
                            f"{key}.{theory_key}[{position}]",
                            _unknown(theory_name, registry.THEORIES, "theory"),
                        )


def _try_estimator(estimator_class, params):
    """Fit a fresh estimator with ``params`` on a tiny problem, raising what ``fit`` raises."""
    rng = np.random.default_rng(0)
    X = rng.standard_normal((6, 2))
    y = X @ np.ones(2)
    if getattr(estimator_class, "_estimator_type", None) == "classifier":
        y = np.array([0.0, 1.0] * 3)
    estimator_class().set_params(**params).fit(X, y)


# Columns of an optimisation experiment's long table that a figure may put on its x axis.
OPTIMIZATION_AXES = ("iteration", "passes")

OPTIMIZATION_CHECKS = {
    # kind: (needs a metric, theory registry it names, extra keys it takes)
    "bound_holds": (True, "BOUNDS", {"select"}),
    "rate_matches": (True, "THEORIES", {"select", "factor"}),
    "theory_at_most": (False, "THEORIES", {"value"}),
    "budget_ratio": (True, None, {"target", "reference", "at_passes", "factor", "select"}),
    "converges_iff_below": (True, None, {"parameter", "threshold", "select"}),
    "iterations_scale": (True, None, {"parameter", "level", "exponent", "tolerance", "select"}),
    "loglog_slope": (True, None, {"exponent", "tolerance", "from_passes", "select"}),
    "floor_ratio": (True, None, {"target", "reference", "expected", "factor"}),
    "fewer_iterations": (True, None, {"target", "reference", "level"}),
    "metric_at_most": (True, None, {"value", "select", "above"}),
}


class _OptimizationChecker(_ExperimentChecker):
    """Checks an ``optimization`` experiment: one objective, named solver configurations.

    Its grid holds generator parameters only; every grid point is crossed with every solver
    configuration, whose label becomes the ``solver`` column.
    """

    def run(self):
        before = len(self.problems)
        spec = self.spec
        if "estimator" in spec or spec.get("estimator_params"):
            self.fail("estimator", "an optimization experiment names solvers, not an estimator")
        for key in ("objective", "solvers"):
            if key not in spec:
                self.fail(key, f"the optimization protocol needs '{key}'")
        if spec["evaluation"].get("max_iter") is None:
            self.fail("evaluation.max_iter", "the optimization protocol needs a budget, max_iter")
        dataset = self._dataset()
        generator = None
        if dataset is not None and "generator" in dataset:
            generator = registry.GENERATORS[dataset["generator"]]
        for index, metric in enumerate(spec["metrics"]):
            if metric not in registry.OPTIMIZATION_METRICS:
                self.fail(f"metrics[{index}]",
                          _unknown(metric, registry.OPTIMIZATION_METRICS, "optimization metric"))
        if len(self.problems) > before or dataset is None:
            return None
        self._objective()
        solvers = self._solvers()
        for metric, able in registry.SOLVER_METRICS.items():
            unable = [label for label, entry in solvers.items()
                      if metric in spec["metrics"] and entry["solver"] not in able]
            if unable:
                self.fail("metrics", f"{metric} is recorded only by {', '.join(able)}, not by "
                          f"the solvers {', '.join(unable)}")
        self._optimization_checks()
        self._optimization_figure()
        grid = self._grid(generator, {})
        if len(self.problems) > before:
            return None
        data_points = self._expand(dataset, generator, grid, {})
        if data_points is None:
            return None
        points = [
            GridPoint(
                id=f"{point.id}__solver~{label}" if point.id else f"solver~{label}",
                params={**point.params, "solver": label},
                data_params=point.data_params,
                data_id=point.data_id,
                estimator_params=solvers[label]["params"],
            )
            for point in data_points
            for label in solvers
        ]
        for point in data_points:
            if generator is not None:
                try:
                    generator.build(**point.data_params, random_state=derive_seed(self.seed, "check"))
                except (TypeError, ValueError) as error:
                    self.fail("grid", f"point {point.id} is rejected by the generator: {error}")
                    return None
        if len(self.problems) > before:
            return None
        self.spec["grid"] = {name: values for name, (_, values) in grid.items()}
        return points

    def _objective(self):
        objective = self.spec["objective"]
        if objective["loss"] == "logistic" and objective["alpha"] <= 0:
            self.fail("objective.alpha", "the logistic loss needs alpha > 0 for its minimiser "
                      "to exist on separable data")

    def _solvers(self):
        import inspect

        solvers = {}
        for label, entry in self.spec["solvers"].items():
            key = f"solvers.{label}"
            solver = registry.SOLVERS.get(entry["solver"])
            if solver is None:
                self.fail(f"{key}.solver", _unknown(entry["solver"], registry.SOLVERS, "solver"))
                continue
            try:
                accepted = set(inspect.signature(solver.load()).parameters)
            except ImportError as error:
                self.fail(f"{key}.solver", f"cannot import {solver.module}: {error}")
                continue
            accepted |= {"step_over_L", "step_over_Lmax"} if "step" in accepted else set()
            for name in entry["params"]:
                if name not in accepted or name in solver.fixed or name in (
                    solver.budget, "f_star", "theta_star", "random_state", "coef0"
                ):
                    self.fail(f"{key}.params.{name}",
                              f"not a parameter a config may set for solver {entry['solver']!r}")
            if len({"step", "step_over_L", "step_over_Lmax"} & set(entry["params"])) > 1:
                self.fail(f"{key}.params", "give one of step, step_over_L, step_over_Lmax")
            solvers[label] = entry
        return solvers

    def _optimization_checks(self):
        labels = set(self.spec["solvers"])
        for index, check in enumerate(self.spec["checks"]):
            key = f"checks[{index}]"
            kind = check["check"]
            if kind not in OPTIMIZATION_CHECKS:
                self.fail(f"{key}.check", _unknown(kind, OPTIMIZATION_CHECKS, "optimization check"))
                continue
            needs_metric, theories, extra = OPTIMIZATION_CHECKS[kind]
            if needs_metric and check.get("metric") not in self.spec["metrics"]:
                self.fail(f"{key}.metric", f"{check.get('metric')!r} is not in this experiment's "
                          "metrics")
            if theories is not None and check.get("theory") not in getattr(registry, theories):
                self.fail(f"{key}.theory", _unknown(check.get("theory"),
                                                    getattr(registry, theories), "theory"))
            for name in set(check) - {"check", "metric", "theory"} - extra:
                self.fail(f"{key}.{name}", f"{kind} does not take {name!r}")
            missing = {
                "theory_at_most": {"value"},
                "budget_ratio": {"target", "reference", "at_passes", "factor"},
                "converges_iff_below": {"parameter", "threshold"},
                "rate_matches": {"factor"},
                "iterations_scale": {"parameter", "level", "exponent", "tolerance"},
                "loglog_slope": {"exponent", "tolerance", "from_passes"},
                "floor_ratio": {"target", "reference", "expected", "factor"},
                "fewer_iterations": {"target", "reference", "level"},
                "metric_at_most": {"value"},
            }.get(kind, set()) - set(check)
            if missing:
                self.fail(key, f"{kind} needs {', '.join(sorted(missing))}")
            references = check.get("reference", [])
            references = [references] if isinstance(references, str) else references
            for name in ([check.get("target"), *references]
                         if kind in ("budget_ratio", "floor_ratio", "fewer_iterations")
                         else []):
                if name not in labels:
                    self.fail(key, _unknown(name, labels, "solver label"))
            self._check_select(check.get("select", {}), key)
            for name in check.get("above", {}):
                if name not in self.spec["metrics"]:
                    self.fail(f"{key}.above.{name}", f"{name!r} is not in this experiment's metrics")

    def _check_select(self, select, key):
        allowed = set(self.spec["grid"]) | {"solver"}
        for name in select:
            if name not in allowed:
                self.fail(f"{key}.select.{name}", f"{name!r} is neither a grid parameter nor solver")

    def _optimization_figure(self):
        allowed = set(self.spec["grid"]) | {"solver"}
        for index, panel in enumerate(self.spec["figure"]):
            key = f"figure[{index}]"
            if panel["metric"] not in self.spec["metrics"]:
                self.fail(f"{key}.metric", f"{panel['metric']!r} is not in this experiment's metrics")
            if panel["x"] not in OPTIMIZATION_AXES:
                self.fail(f"{key}.x", f"an optimization panel's x is one of {OPTIMIZATION_AXES}")
            if panel.get("hue", "solver") not in allowed:
                self.fail(f"{key}.hue", f"{panel['hue']!r} is neither a grid parameter nor solver")
            self._check_select(panel.get("select", {}), key)
            for position, name in enumerate(panel["theory"]):
                if name not in registry.BOUNDS:
                    self.fail(f"{key}.theory[{position}]", _unknown(name, registry.BOUNDS, "bound"))
