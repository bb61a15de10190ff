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
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ftml.experiments import registry
from ftml.experiments.seeding import derive_seed

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
        return list(self.spec["grid"])

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
                        "spec": self.datasets[dataset],
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
        return {
            "seed": self.seed,
            "experiment": experiment_name,
            "dataset": spec["dataset"],
            "dataset_spec": self.datasets[spec["dataset"]],
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
    problems = []
    experiments = {}
    for name, spec in raw["experiments"].items():
        checker = _ExperimentChecker(name, spec, raw, problems)
        points = checker.run()
        if points is not None:
            experiments[name] = Experiment(name=name, spec=spec, points=tuple(points))
    for name, spec in raw["datasets"].items():
        _check_dataset(name, spec, problems)
    if problems:
        raise ConfigError(problems)
    return Config(seed=raw["seed"], datasets=raw["datasets"], experiments=experiments)


def _schema_problems(raw, schema_path):
    import jsonschema
    import yaml

    schema = yaml.safe_load(Path(schema_path).read_text())
    validator = _with_defaults(jsonschema.Draft202012Validator)(schema)
    problems = []
    for error in sorted(validator.iter_errors(raw), key=lambda e: list(map(str, e.path))):
        path = _path(error.absolute_path)
        if error.validator == "oneOf" and "generator" in str(error.schema):
            reason = "needs exactly one of 'generator', 'bundled' or 'file'"
        elif error.validator == "pattern" and error.schema.get("description"):
            reason = f"{error.instance!r} is not a valid name: {error.schema['description']}"
        else:
            reason = error.message
        problems.append((path, reason))
    return problems


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
    path = f"datasets.{name}"
    if "generator" in spec:
        generator = registry.GENERATORS.get(spec["generator"])
        if generator is None:
            problems.append((f"{path}.generator", _unknown(spec["generator"], registry.GENERATORS)))
            return
        for key, value in spec["params"].items():
            if key not in generator.params:
                problems.append(
                    (f"{path}.params.{key}", _unknown(key, generator.params, "parameter"))
                )
    else:
        if spec.get("params"):
            problems.append((f"{path}.params", "only generator datasets take parameters"))
        if "bundled" in spec and spec["bundled"] not in registry.BUNDLED:
            problems.append((f"{path}.bundled", _unknown(spec["bundled"], registry.BUNDLED)))
        if "file" in spec and not Path(spec["file"]).is_file():
            problems.append((f"{path}.file", f"no such file: {spec['file']!r}"))


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
    if isinstance(value, str):
        try:
            value = float(value) if target_type is float else int(value)
        except ValueError:
            raise ValueError(f"expected a {target_type.__name__}, got {value!r}") from None
    if target_type is int:
        if float(value) != int(value):
            raise ValueError(f"expected an integer, got {value!r}")
        return int(value)
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"expected a finite number, got {value!r}")
    return value


def _format_value(value):
    if isinstance(value, bool):
        return str(value).lower()
    return repr(value) if isinstance(value, float) else str(value)


def _estimator_param_types(estimator_class):
    types = {}
    for name, default in estimator_class().get_params(deep=False).items():
        types[name] = type(default) if isinstance(default, (bool, int, float, str)) else float
    return types


class _ExperimentChecker:
    """Checks one experiment against the registry and expands its grid."""

    def __init__(self, name, spec, raw, problems):
        self.name = name
        self.spec = spec
        self.raw = raw
        self.problems = problems
        self.path = f"experiments.{name}"

    def fail(self, key, reason):
        self.problems.append((f"{self.path}.{key}" if key else self.path, reason))

    def run(self):
        before = len(self.problems)
        dataset = self._dataset()
        estimator_class = registry.ESTIMATORS.get(self.spec["estimator"])
        if estimator_class is None:
            self.fail("estimator", _unknown(self.spec["estimator"], registry.ESTIMATORS))
        if dataset is None or estimator_class is None:
            return None
        generator = registry.GENERATORS.get(dataset.get("generator"))
        if "generator" in dataset and generator is None:
            return None  # reported under datasets
        metrics = self._metrics(generator is not None)
        estimator_types = _estimator_param_types(estimator_class)
        fixed_estimator = self._cast_all(
            self.spec["estimator_params"], estimator_types, "estimator_params", "estimator"
        )
        grid = self._grid(generator, estimator_types)
        if len(self.problems) > before:
            return None
        points = self._expand(dataset, generator, grid, fixed_estimator)
        if points is None:
            return None
        self._check_points(points, dataset, generator, estimator_class)
        self._checks(metrics)
        self._figure(metrics)
        return None if len(self.problems) > before else points

    def _dataset(self):
        dataset = self.raw["datasets"].get(self.spec["dataset"])
        if dataset is None:
            self.fail("dataset", _unknown(self.spec["dataset"], self.raw["datasets"], "dataset"))
        return dataset

    def _metrics(self, has_truth):
        protocol = self.spec["evaluation"]["protocol"]
        known = (
            registry.MONTE_CARLO_METRICS
            if protocol == "monte_carlo"
            else registry.CROSS_VALIDATION_METRICS
        )
        if protocol == "monte_carlo" and not has_truth:
            self.fail(
                "evaluation.protocol",
                "monte_carlo needs a generator dataset (its ground truth); use "
                "cross_validation for bundled or file data",
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
        base_data = {}
        if generator is not None:
            for key, value in dataset["params"].items():
                try:
                    base_data[key] = cast_value(value, generator.params[key])
                except (KeyError, ValueError):
                    return None  # reported under datasets
            missing = [
                key for key in generator.required if key not in base_data and key not in grid
            ]
            if missing:
                self.fail(
                    "grid",
                    f"the generator needs {', '.join(missing)}: set it in the dataset's "
                    "params or in this grid",
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

    def _check_points(self, points, dataset, generator, estimator_class):
        """Build every dataset and estimator of the grid once, so that no job fails on them."""
        models = {}
        for point in points:
            if generator is not None and point.data_id not in models:
                try:
                    models[point.data_id] = generator.build(
                        **point.data_params, random_state=derive_seed(self.raw["seed"], "check")
                    )
                except (TypeError, ValueError) as error:
                    self.fail("grid", f"point {point.id} is rejected by the generator: {error}")
                    return
            try:
                _try_estimator(estimator_class, point.estimator_params)
            except (TypeError, ValueError) as error:
                key = "grid" if set(point.params) & set(point.estimator_params) else "estimator_params"
                self.fail(key, f"point {point.id} is rejected by {estimator_class.__name__}: {error}")
                return
            for index, theory_name in enumerate(self._theories()):
                theory = registry.THEORIES.get(theory_name)
                if theory is None:
                    continue  # reported by _checks or _figure
                if theory.needs_model and generator is None:
                    self.fail(None, f"theory {theory_name!r} needs a generator dataset")
                    return
                merged = {**point.data_params, **point.estimator_params}
                missing = [key for key in theory.requires if key not in merged]
                if missing:
                    self.fail(None, f"theory {theory_name!r} needs the parameter(s) {missing}")
                    return
                try:
                    theory.evaluate(models.get(point.data_id), merged)
                except ValueError as error:
                    self.fail(None, f"theory {theory_name!r} fails at point {point.id}: {error}")
                    return

    def _theories(self):
        names = [check["theory"] for check in self.spec["checks"]]
        for panel in self.spec["figure"]:
            names += panel["theory"] + panel["vlines"]
        return list(dict.fromkeys(names))

    def _checks(self, metrics):
        replicates = self.spec["evaluation"]["replicates"]
        protocol = self.spec["evaluation"]["protocol"]
        for index, check in enumerate(self.spec["checks"]):
            key = f"checks[{index}]"
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
    estimator_class().set_params(**params).fit(X, X @ np.ones(2))
