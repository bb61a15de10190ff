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
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ftml.experiments import registry
from ftml.experiments.seeding import derive_seed
from ftml.experiments.truth_metrics import MonteCarloContext
from ftml.exceptions import ConvergenceWarning
from ftml.metrics import REGRESSION_METRICS
from ftml.model_selection import KFold

__all__ = ["Batch", "ConfigError", "Config", "Experiment", "GridPoint", "load_config", "SCHEMA_PATH"]

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
    dataset : str
        The dataset this point reads (one of the experiment's).
    estimator : str or None
        The registered estimator it fits (None for the optimization protocol).
    """

    id: str
    params: dict
    data_params: dict
    data_id: str
    estimator_params: dict
    dataset: str = ""
    estimator: str | None = None


@dataclass(frozen=True)
class Batch:
    """The grid points one training job runs: consecutive points of the grid.

    Attributes
    ----------
    id : str
        The point's id when the batch holds one point; ``points-<first>-<last>`` (1-based
        positions in the grid) otherwise: a file name.
    points : tuple of GridPoint
    """

    id: str
    points: tuple


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
    def batches(self):
        """The training jobs' batches: ``points_per_job`` consecutive grid points each."""
        size = self.spec.get("points_per_job", 1)
        if size == 1:
            return tuple(Batch(point.id, (point,)) for point in self.points)
        width = len(str(len(self.points)))
        return tuple(
            Batch(f"points-{start + 1:0{width}d}-{last:0{width}d}", self.points[start:last])
            for start in range(0, len(self.points), size)
            for last in [min(start + size, len(self.points))]
        )

    def batch(self, batch_id):
        """Return the batch named ``batch_id``."""
        for batch in self.batches:
            if batch.id == batch_id:
                return batch
        raise KeyError(f"experiment {self.name!r} has no batch {batch_id!r}")

    @property
    def grid_names(self):
        """The columns that identify a point: ``dataset`` and ``estimator`` when the
        experiment has several, the grid's parameters (and ``solver``)."""
        return list(self.points[0].params) if self.points else list(self.spec["grid"])

    @property
    def datasets(self):
        """The names of the datasets the experiment reads, in the config's order."""
        return list(dict.fromkeys(point.dataset for point in self.points))

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
                (point.dataset, point.data_id)
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
            for point in experiment.points:
                if point.dataset == dataset and point.data_id == data_id:
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

    def training_jobs(self, experiment_name, batch_id):
        """Return :meth:`training_job` of each point of one batch, in the grid's order."""
        batch = self.experiments[experiment_name].batch(batch_id)
        return [self.training_job(experiment_name, point.id) for point in batch.points]

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
                "data_id": point.data_id,
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
            "dataset": point.dataset,
            "data_id": point.data_id,
            "data_params": point.data_params,
            "estimator": point.estimator,
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
        search = spec["evaluation"].get("search")
        if search is not None:
            search["folds"] = int(search["folds"])
            search["values"] = [float(value) for value in search["values"]]


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


def _point_id(params):
    """Name a point by its ``name~value`` pairs (``default`` for an empty grid)."""
    return "__".join(f"{n}~{_format_value(v)}" for n, v in params.items()) or "default"


def _format_value(value):
    if isinstance(value, bool):
        return str(value).lower()
    return repr(value) if isinstance(value, float) else str(value)


def _estimator_param_types(factory):
    """The config-settable parameters of an estimator and their types (from the defaults;
    a None default stands for a number). Nested estimators' parameters are named
    ``<name>__<param>``; seeds are the runner's, not the config's."""
    types = {}
    for name, default in factory().get_params(deep=True).items():
        if name.rpartition("__")[2] in registry.SEEDED_PARAMETERS or hasattr(default, "fit"):
            continue
        types[name] = type(default) if isinstance(default, (bool, int, float, str)) else float
    return types


# Cross-validation settings that a grid may vary like a parameter, and their types.
EVALUATION_GRID = {"standardize": bool, "train_size": float, "search_cv": str}
SEARCH_METHODS = ("holdout", "kfold")


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
        problem = (f"{self.path}.{key}" if key else self.path, reason)
        if problem not in self.problems:  # checked once per dataset and estimator
            self.problems.append(problem)

    def run(self):
        """Report every problem of the experiment; return its grid points, or None.

        With several datasets (a list) or several estimators (the ``estimators`` map), the
        grid is crossed with them: ``dataset`` and ``estimator`` become the first columns.
        """
        before = len(self.problems)
        for key in ("objective", "solvers"):
            if key in self.spec:
                self.fail(key, "only the optimization protocol takes " + repr(key))
        evaluation = self.spec["evaluation"]
        cross_validation = evaluation["protocol"] == "cross_validation"
        for option in ("standardize", "stratify", "search"):
            if option in evaluation and not cross_validation:
                self.fail(f"evaluation.{option}", "only the cross_validation protocol takes it")
        if self.spec.get("per_class_report") and not cross_validation:
            self.fail("per_class_report", "only the cross_validation protocol predicts classes")
        estimators = self._estimators()
        datasets = self._datasets()
        if not self._columns():
            self.fail("grid", "should be non-empty (or the experiment should compare several "
                      "datasets or estimators)")
            return None
        # Metrics, checks and figure need neither the estimator nor the dataset's parameters:
        # their problems are reported even when those are wrong.
        metrics = self._metrics(datasets)
        self._search()
        self._checks(metrics)
        self._figure(metrics)
        if estimators is None or any(dataset is None for _, dataset in datasets):
            return None
        points = []
        for dataset_name, dataset in datasets:
            generator = None
            if "generator" in dataset:
                generator = registry.GENERATORS[dataset["generator"]]
            for label, (estimator_name, params, key) in estimators.items():
                grid_before = len(self.problems)
                factory = registry.ESTIMATORS[estimator_name]
                estimator_types = _estimator_param_types(factory)
                fixed_estimator = self._cast_all(params, estimator_types, key, "estimator")
                grid = self._grid(generator, estimator_types, params)
                if len(self.problems) > grid_before:
                    return None
                expanded = self._expand(dataset_name, dataset, generator, grid, fixed_estimator)
                if expanded is None:
                    return None
                prefix = {}
                if len(datasets) > 1:
                    prefix["dataset"] = dataset_name
                if "estimators" in self.spec:
                    prefix["estimator"] = label
                for point in expanded:
                    params_ = {**prefix, **point.params}
                    points.append(dataclasses.replace(
                        point,
                        id=_point_id(params_),
                        params=params_,
                        estimator=estimator_name,
                    ))
                self._check_points(expanded, generator, estimator_name, dataset_name)
                if len(self.problems) > before:
                    return None
        # Keep the cast values, so that the experiment's JSON does not depend on how a value
        # was spelt ("100", 100 or 100.0).
        self.spec["grid"] = {name: values for name, (_, values) in grid.items()}
        if "estimators" not in self.spec:
            self.spec["estimator_params"] = fixed_estimator
        return points

    def _estimators(self):
        """Map each estimator label to (registered name, parameters, key path); None if one
        is unknown (reported). A single ``estimator`` is labelled by its name."""
        if "estimators" in self.spec:
            for key in ("estimator", "estimator_params"):
                if self.spec.get(key):
                    self.fail(key, "give either 'estimator' (with 'estimator_params') or "
                              "'estimators', not both")
            entries = {
                label: (entry["estimator"], entry["params"], f"estimators.{label}.params")
                for label, entry in self.spec["estimators"].items()
            }
            keys = {label: f"estimators.{label}.estimator" for label in entries}
        elif "estimator" in self.spec:
            name = self.spec["estimator"]
            entries = {name: (name, self.spec["estimator_params"], "estimator_params")}
            keys = {name: "estimator"}
        else:
            self.fail("estimator", f"the {self.spec['evaluation']['protocol']} protocol needs "
                      "an estimator (or an 'estimators' map)")
            return None
        known = True
        for label, (name, _, _) in entries.items():
            if name not in registry.ESTIMATORS:
                self.fail(keys[label], _unknown(name, registry.ESTIMATORS, "estimator"))
                known = False
        return entries if known else None

    def _datasets(self):
        """Return ``(name, checked spec or None)`` for each dataset the experiment reads."""
        names = self.spec["dataset"]
        if isinstance(names, str):
            return [(names, self._dataset())]
        checked = []
        for index, name in enumerate(names):
            if name not in self.datasets:
                self.fail(f"dataset[{index}]", _unknown(name, self.datasets, "dataset"))
            checked.append((name, self.datasets.get(name)))
        return checked

    def _dataset(self):
        """Return the dataset's checked spec; None if unknown (reported) or invalid."""
        name = self.spec["dataset"]
        if not isinstance(name, str):
            self.fail("dataset", "the optimization protocol reads one dataset, not a list")
            return None
        if name not in self.datasets:
            self.fail("dataset", _unknown(name, self.datasets, "dataset"))
            return None
        return self.datasets[name]  # None if invalid: reported under datasets

    def _metrics(self, datasets):
        protocol = self.spec["evaluation"]["protocol"]
        if protocol == "monte_carlo":
            known = set(registry.MONTE_CARLO_METRICS)
            for name, dataset in datasets:
                generator = registry.GENERATORS.get((dataset or {}).get("generator"))
                if dataset is not None and (generator is None or not generator.ground_truth):
                    self.fail(
                        "evaluation.protocol",
                        f"monte_carlo needs a generator with a ground truth (such as "
                        f"linear_gaussian), and dataset {name!r} has none; use "
                        "cross_validation for other data",
                    )
        else:
            known = set(registry.cross_validation_metrics(search="search" in self.spec["evaluation"]))
        for index, metric in enumerate(self.spec["metrics"]):
            if metric not in known:
                if metric in registry.SEARCH_METRICS:
                    reason = f"{metric} measures a search: set evaluation.search"
                else:
                    reason = _unknown(metric, known, f"{protocol} metric")
                self.fail(f"metrics[{index}]", reason)
        return set(self.spec["metrics"])

    def _search(self):
        """Check ``evaluation.search``: a parameter of every estimator, values, a score."""
        search = self.spec["evaluation"].get("search")
        if search is None:
            if "search_cv" in self.spec["grid"]:
                self.fail("grid.search_cv", "search_cv needs evaluation.search")
            return
        if search["parameter"] in self.spec["grid"]:
            self.fail("evaluation.search.parameter",
                      f"{search['parameter']!r} is also a grid parameter; the search chooses it")
        scorings = ("accuracy_score", *REGRESSION_METRICS)
        if search["scoring"] not in scorings:
            self.fail("evaluation.search.scoring", _unknown(search["scoring"], scorings, "score"))
        methods = self.spec["grid"].get("search_cv", [search["cv"]])
        for index, method in enumerate(methods):
            if method not in SEARCH_METHODS:
                key = f"grid.search_cv[{index}]" if "search_cv" in self.spec["grid"] else (
                    "evaluation.search.cv")
                self.fail(key, f"unknown search method {method!r}; known: "
                          f"{', '.join(SEARCH_METHODS)}")

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

    def _grid(self, generator, estimator_types, fixed_estimator):
        """Cast the grid's values; map each parameter to ``(kind, values)``, ``kind`` one of
        ``"data"``, ``"estimator"`` or ``"evaluation"``."""
        data_types = generator.params if generator is not None else {}
        evaluation = self.spec["evaluation"]
        evaluation_types = EVALUATION_GRID if evaluation["protocol"] == "cross_validation" else {}
        grid = {}
        for name, values in self.spec["grid"].items():
            kinds = [kind for kind, types in (("data", data_types),
                                               ("estimator", estimator_types),
                                               ("evaluation", evaluation_types))
                     if name in types]
            if len(kinds) > 1:
                self.fail(f"grid.{name}", f"ambiguous: a parameter of the {' and the '.join(kinds)}")
                continue
            if not kinds:
                known = sorted(set(data_types) | set(estimator_types) | set(evaluation_types))
                self.fail(
                    f"grid.{name}",
                    f"{name!r} is a parameter of neither the dataset's generator nor the "
                    f"estimator{' nor the evaluation' if evaluation_types else ''}; known: "
                    f"{', '.join(known)}",
                )
                continue
            kind = kinds[0]
            if (kind == "estimator" and name in fixed_estimator) or (
                kind == "evaluation" and name in evaluation
            ):
                where = "estimator_params" if kind == "estimator" else "evaluation"
                self.fail(f"grid.{name}", f"also set in {where}; set it in one place")
                continue
            target = {"data": data_types, "estimator": estimator_types,
                      "evaluation": evaluation_types}[kind][name]
            cast = []
            for index, value in enumerate(values):
                try:
                    cast.append(cast_value(value, target))
                except ValueError as error:
                    self.fail(f"grid.{name}[{index}]", str(error))
            if name == "train_size" and any(not 0 < value <= 1 for value in cast):
                self.fail(f"grid.{name}", "train_size is a fraction of the training fold, in "
                          "(0, 1]")
            labels = [_format_value(value) for value in cast]
            if len(set(labels)) != len(labels):
                self.fail(f"grid.{name}", f"repeated values {values!r}")
            grid[name] = (kind, cast)
        return grid

    def _expand(self, dataset_name, dataset, generator, grid, fixed_estimator):
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
            data_grid = {n: v for n, v in params.items() if grid[n][0] == "data"}
            points.append(
                GridPoint(
                    id=_point_id(params),
                    params=params,
                    data_params={**base_data, **data_grid} if generator is not None else {},
                    data_id=_point_id(data_grid) if data_grid else "data",
                    estimator_params={
                        **fixed_estimator,
                        **{n: v for n, v in params.items() if grid[n][0] == "estimator"},
                    },
                    dataset=dataset_name,
                )
            )
        return points

    def _check_points(self, points, generator, estimator_name, dataset_name):
        """Build every dataset and estimator of the grid, measure each metric once on a
        generator's sample and evaluate every theory, so that no job fails on them.

        Stops at the first failing point: one problem of each kind is enough to fix.
        """
        models = {}
        factory = registry.ESTIMATORS[estimator_name]
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
                        f"{where} {dataset_name!r} is rejected by the generator: {error}",
                    )
                    return
            estimator_in_grid = bool(set(point.params) & set(point.estimator_params))
            try:
                _try_estimator(factory, point.estimator_params)
            except (TypeError, ValueError) as error:
                key = "grid" if estimator_in_grid else "estimator_params"
                self.fail(key, f"point {point.id} is rejected by {estimator_name}: {error}")
                return
            if generator is not None and not self._dry_run(models[point.data_id], factory, point):
                return
            for theory_name, key in self._theories().items():
                theory = registry.THEORIES.get(theory_name)
                if theory is None:
                    continue  # reported by _checks or _figure
                if theory.needs_model and generator is None:
                    self.fail(key, f"theory {theory_name!r} needs a generator dataset")
                    return
                if theory.needs_data:
                    # Evaluated on the data by the tabulate job: loading real data here would
                    # cost every reading of the workflow (every cluster job) seconds.
                    if generator is not None:
                        self.fail(key, f"theory {theory_name!r} is computed from a bundled or "
                                  f"file dataset, and {dataset_name!r} is a generator's")
                        return
                    continue
                merged = {**point.data_params, **point.estimator_params,
                          "estimator": estimator_name}
                missing = [name for name in theory.requires if name not in merged]
                if missing:
                    self.fail(key, f"theory {theory_name!r} needs the parameter(s) {missing}")
                    return
                try:
                    theory.evaluate(models.get(point.data_id), merged)
                except ValueError as error:
                    self.fail(key, f"theory {theory_name!r} fails at point {point.id}: {error}")
                    return

    def _dry_run(self, model, factory, point):
        """Fit and measure one replicate (or fold) of a generator's point as its job would.

        Returns False, after reporting, if that fails: more folds than samples, a noise
        estimate with n <= d...
        """
        evaluation = self.spec["evaluation"]
        seed = derive_seed(self.seed, "check", point.id)
        X, y = model.sample(seed)
        with warnings.catch_warnings():
            # A solver stopped by its budget is a config's choice (a fixed number of passes).
            warnings.simplefilter("ignore", ConvergenceWarning)
            return self._measure_once(X, y, model, factory, point, evaluation, seed)

    def _measure_once(self, X, y, model, factory, point, evaluation, seed):
        from ftml.experiments.runner import fold_metrics

        try:
            if evaluation["protocol"] == "monte_carlo":
                estimator = factory().set_params(**point.estimator_params).fit(X, y)
                context = MonteCarloContext(model, evaluation["folds"], seed)
                measure = {
                    name: (lambda metric=metric: metric(estimator, X, y, context))
                    for name, metric in registry.MONTE_CARLO_METRICS.items()
                }
            else:
                folds = KFold(evaluation["folds"], shuffle=True, random_state=seed)
                train, test = next(folds.split(X))
                estimator = factory().set_params(**point.estimator_params).fit(X[train], y[train])
                # A search's metrics need the search, which the job wraps around the
                # estimator: its parameter and scoring are checked by _search.
                measure = {
                    name: (lambda name=name: fold_metrics(
                        [name], estimator, y[train], estimator.predict(X[train]), y[test],
                        estimator.predict(X[test]))[0])
                    for name in self.spec["metrics"]
                    if name not in registry.SEARCH_METRICS
                }
        except (TypeError, ValueError) as error:
            self.fail("evaluation", f"point {point.id} cannot be fitted as its job would: {error}")
            return False
        for index, name in enumerate(self.spec["metrics"]):
            if name not in measure:
                continue  # reported by _metrics
            try:
                measure[name]()
            except (TypeError, ValueError, KeyError, AttributeError) as error:
                self.fail(
                    f"metrics[{index}]", f"{name} cannot be measured at point {point.id}: {error}"
                )
                return False
        return True

    def _theories(self):
        """Map each theory the experiment uses to the key path of its first use."""
        used = {}
        for index, check in enumerate(self.spec["checks"]):
            if "theory" in check:
                used.setdefault(check["theory"], f"checks[{index}].theory")
        for index, panel in enumerate(self.spec["figure"]):
            for theory_key in ("theory", "vlines"):
                for position, name in enumerate(panel[theory_key]):
                    used.setdefault(name, f"figure[{index}].{theory_key}[{position}]")
        return used

    def _columns(self):
        """The columns that identify a point, with their values where known in advance."""
        columns = {}
        if not isinstance(self.spec["dataset"], str):
            columns["dataset"] = list(self.spec["dataset"])
        if "estimators" in self.spec:
            columns["estimator"] = list(self.spec["estimators"])
        columns.update(self.spec["grid"])
        return columns

    def _checks(self, metrics):
        evaluation = self.spec["evaluation"]
        replicates = evaluation["replicates"]
        protocol = evaluation["protocol"]
        columns = self._columns()
        for index, check in enumerate(self.spec["checks"]):
            key = f"checks[{index}]"
            kind = check["check"]
            if kind not in EXPERIMENT_CHECKS:
                self.fail(f"{key}.check", f"{kind} is for the optimization protocol")
                continue
            needs, takes = EXPERIMENT_CHECKS[kind]
            missing = sorted(needs - set(check))
            if missing:
                where = f"{key}.{missing[0]}" if len(missing) == 1 else key
                self.fail(where, f"{kind} needs {' and '.join(map(repr, missing))}")
                continue
            for name in sorted(set(check) - needs - takes - {"check"}):
                self.fail(f"{key}.{name}", f"{kind} does not take {name!r}")
            if check["metric"] not in metrics:
                self.fail(f"{key}.metric", f"{check['metric']!r} is not in this experiment's metrics")
            if "theory" in check and check["theory"] not in registry.THEORIES:
                self.fail(f"{key}.theory", _unknown(check["theory"], registry.THEORIES, "theory"))
            if "parameter" in check and check["parameter"] not in columns:
                self.fail(f"{key}.parameter", f"{check['parameter']!r} is not a grid parameter")
            if kind == "ordered" and check.get("parameter") in columns:
                values = [str(value) for value in columns[check["parameter"]]]
                for end in ("lower", "higher"):
                    if str(check[end]) not in values:
                        self.fail(f"{key}.{end}", f"{check[end]!r} is not a value of "
                                  f"{check['parameter']!r}: {', '.join(values)}")
            for name in check.get("select", {}):
                if name not in columns:
                    self.fail(f"{key}.select.{name}", f"{name!r} is not a grid parameter")
            if kind in ("matches_theory", "below_theory") and replicates * (
                evaluation["folds"] if protocol == "cross_validation" else 1
            ) < 2:
                self.fail(f"{key}.check", "a standard error needs at least 2 replicates or folds")

    def _figure(self, metrics):
        columns = self._columns()
        for index, panel in enumerate(self.spec["figure"]):
            key = f"figure[{index}]"
            if panel["metric"] not in metrics:
                self.fail(f"{key}.metric", f"{panel['metric']!r} is not in this experiment's metrics")
            for axis in ("x", "hue"):
                if axis in panel and panel[axis] not in columns:
                    self.fail(f"{key}.{axis}", f"{panel[axis]!r} is not a grid parameter")
            if panel.get("hue") == panel["x"]:
                self.fail(f"{key}.hue", "the hue must differ from x")
            shown = {panel["x"], panel.get("hue"), *panel.get("select", {})}
            for name in panel.get("select", {}):
                if name not in columns:
                    self.fail(f"{key}.select.{name}", f"{name!r} is not a grid parameter")
            for name, values in columns.items():
                if name not in shown and len(values) > 1:
                    self.fail(
                        key,
                        f"grid parameter {name!r} takes {len(values)} values but is neither "
                        "the panel's x nor its hue nor selected",
                    )
            for theory_key in ("theory", "vlines"):
                for position, theory_name in enumerate(panel[theory_key]):
                    if theory_name not in registry.THEORIES:
                        self.fail(
                            f"{key}.{theory_key}[{position}]",
                            _unknown(theory_name, registry.THEORIES, "theory"),
                        )


# The checks of the monte_carlo and cross_validation protocols: (required keys, optional keys).
EXPERIMENT_CHECKS = {
    "matches_theory": ({"metric", "theory"}, {"level", "select"}),
    "below_theory": ({"metric", "theory"}, {"level"}),
    "selects_near_theory": ({"metric", "theory", "parameter"}, {"factor"}),
    "near_theory": ({"metric", "theory", "tolerance"}, {"select"}),
    "monotone": ({"metric", "parameter", "direction"}, {"margin", "select"}),
    "ordered": ({"metric", "parameter", "lower", "higher"}, {"statistic", "margin", "select"}),
}


def _try_estimator(factory, params):
    """Fit a fresh estimator with ``params`` on a tiny problem, raising what ``fit`` raises.

    A classifier sees every point twice, once with each label: the optimum is then at the
    origin whatever the penalty, so that the check costs a few iterations, not a solver's
    whole budget on separable data.
    """
    rng = np.random.default_rng(0)
    X = rng.standard_normal((6, 2))
    y = X @ np.ones(2)
    estimator = factory().set_params(**params)
    # The check is for the parameters, not the solver: a valid budget is cut to 2 iterations
    # (a tolerance of 0 would otherwise run every epoch at every reading of the workflow).
    estimator.set_params(**{
        name: 2 for name, value in estimator.get_params(deep=True).items()
        if name.rpartition("__")[2] == "max_iter" and isinstance(value, int)
        and not isinstance(value, bool) and value > 2
    })
    if getattr(estimator, "_estimator_type", None) == "classifier":
        X = np.vstack([X, X])
        y = np.repeat([0.0, 1.0], 6)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # a budget is the config's choice
        estimator.fit(X, y)


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
        grid = self._grid(generator, {}, {})
        if len(self.problems) > before:
            return None
        data_points = self._expand(spec["dataset"], dataset, generator, grid, {})
        if data_points is None:
            return None
        points = [
            GridPoint(
                id=_point_id({**point.params, "solver": label}),
                params={**point.params, "solver": label},
                data_params=point.data_params,
                data_id=point.data_id,
                estimator_params=solvers[label]["params"],
                dataset=spec["dataset"],
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
