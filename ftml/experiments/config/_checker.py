"""Check one experiment against the catalog and its protocol, and expand its grid.

Every check that a schema cannot express happens here, before any job starts: names refer to
declarations of the catalog, grid parameters belong to the generator, the estimator or the
evaluation, each grid point's dataset and estimator parameters are valid, the points where a
fit fails first (:func:`representative_points`) can be fitted and measured as their jobs
would, every theory can be evaluated, and every claim's keys name what its check
declaration says. Problems are collected with their key paths, all at once.
"""

import dataclasses
import itertools
import warnings

from ftml.exceptions import ConvergenceWarning
from ftml.experiments.catalog import catalog
from ftml.experiments.config._casting import (
    cast_value,
    estimator_param_problem,
    estimator_param_types,
    format_value,
    point_id,
    unknown,
)
from ftml.experiments.config._data_shapes import data_shape
from ftml.experiments.config._model import GridPoint
from ftml.experiments.protocols import get_protocol, protocols
from ftml.experiments.seeding import derive_seed

__all__ = ["DEFAULT_LIMITS", "ExperimentChecker", "representative_points"]

# What a point may cost, unless the config's `limits` says otherwise: the memory of one
# sample in a fit (a job requests 1 GB on a cluster, see workflow/rules/common.smk), and the
# values its job touches (about 10^12 is hours of work on this project's 2-core machine).
DEFAULT_LIMITS = {"sample_memory_gb": 4.0, "work": 1e12}


class ExperimentChecker:
    """Checks one experiment against the catalog and its protocol, and expands its grid.

    The protocol (:meth:`~ftml.experiments.protocols.Protocol.expand`) drives the check;
    the methods here are what every protocol shares.
    """

    def __init__(self, name, spec, datasets, seed, problems, cache_dir=None):
        self.name = name
        self.spec = spec
        self.datasets = datasets
        self.seed = seed
        self.problems = problems
        self.path = f"experiments.{name}"
        self.protocol = get_protocol(spec["evaluation"]["protocol"])
        self.cache_dir = cache_dir
        self.estimator_names = []  # the catalog estimators the experiment fits, once known
        self.limits = dict(DEFAULT_LIMITS)

    def fail(self, key, reason):
        problem = (f"{self.path}.{key}" if key else self.path, reason)
        if problem not in self.problems:  # checked once per dataset and estimator
            self.problems.append(problem)

    def run(self):
        """Report every problem of the experiment; return its grid points, or None."""
        self._other_protocols_keys()
        return self.protocol.expand(self)

    def _other_protocols_keys(self):
        """Keys that belong to other protocols than this experiment's."""
        spec, evaluation = self.spec, self.spec["evaluation"]
        for protocol in protocols().values():
            if protocol is self.protocol:
                continue
            for key in protocol.spec_keys:
                if key in spec and key not in self.protocol.spec_keys:
                    self.fail(key, f"only the {protocol.name} protocol takes {key!r}")
            for key in protocol.evaluation_keys:
                if key in evaluation and key not in self.protocol.evaluation_keys:
                    self.fail(f"evaluation.{key}", f"only the {protocol.name} protocol takes it")
        if spec.get("per_class_report") and not self.protocol.predicts_classes:
            able = [p.name for p in protocols().values() if p.predicts_classes]
            self.fail("per_class_report", f"only the {', '.join(able)} protocol predicts classes")
        elif spec.get("per_class_report"):
            named = ([entry.get("estimator") for entry in spec["estimators"].values()]
                     if isinstance(spec.get("estimators"), dict) else [spec.get("estimator")])
            for name in named:
                declared = catalog().estimators.get(name)
                if declared is not None and not hasattr(declared.factory(), "predict"):
                    self.fail("per_class_report", f"{name} predicts nothing (a transformer): "
                              "there are no out-of-fold predictions to report")

    def estimator_points(self):
        """Check and expand an experiment that fits estimators on datasets.

        With several datasets (a list) or several estimators (the ``estimators`` map), the
        grid is crossed with them: ``dataset`` and ``estimator`` become the first columns.
        """
        before = len(self.problems)
        estimators = self._estimators()
        self.estimator_names = sorted({name for name, _, _ in (estimators or {}).values()})
        datasets = self._datasets()
        if not self.columns():
            self.fail("grid", "should be non-empty (or the experiment should compare several "
                      "datasets or estimators)")
            return None
        # Metrics, checks and figure need neither the estimator nor the dataset's parameters:
        # their problems are reported even when those are wrong.
        metrics = self._metrics(datasets)
        self.protocol.check_evaluation(self)
        self.check_claims(metrics)
        self._figure(metrics)
        if estimators is None or any(dataset is None for _, dataset in datasets):
            return None
        points = []
        for dataset_name, dataset in datasets:
            generator = None
            if "generator" in dataset:
                generator = catalog().generators[dataset["generator"]]
            for label, (estimator_name, params, key) in estimators.items():
                grid_before = len(self.problems)
                factory = catalog().estimators[estimator_name].factory
                estimator_types = estimator_param_types(factory)
                plain = {name: value for name, value in params.items()
                         if not isinstance(value, dict)}
                fixed_estimator = self._cast_all(plain, estimator_types, key, "estimator")
                derived = self._derived_params(params, estimator_types, key)
                grid = self.cast_grid(generator, estimator_types, params)
                if len(self.problems) > grid_before:
                    return None
                expanded = self.expand_grid(dataset_name, dataset, generator, grid,
                                            fixed_estimator)
                expanded = self._derive(expanded, derived, estimator_types, estimator_name,
                                        key)
                if expanded is None:
                    return None
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
                        id=point_id(params_),
                        params=params_,
                        estimator=estimator_name,
                    ))
                # Sizes first: building a dataset too large to fit would fail, not refuse.
                self._check_data(dataset_name, dataset, expanded, estimator_name)
                if len(self.problems) > before:
                    return None
                self._check_points(expanded, generator, estimator_name, dataset_name)
                if len(self.problems) > before:
                    return None
        # Keep the cast values, so that the experiment's JSON does not depend on how a value
        # was spelt ("100", 100 or 100.0).
        self.spec["grid"] = {name: values for name, (_, values) in grid.items()}
        if "estimators" not in self.spec:
            self.spec["estimator_params"] = {
                **fixed_estimator, **{name: {"theory": theory}
                                      for name, theory in derived.items()}}
        return points

    def _derived_params(self, params, types, key):
        """The estimator parameters set from a theory of the point (``{theory: name}``):
        name to theory, after checking that each names a parameter and a theory computable
        from the point's parameters alone."""
        derived = {}
        for name, value in params.items():
            if not isinstance(value, dict):
                continue
            theory = catalog().theories.get(value.get("theory"))
            if name not in types:
                self.fail(f"{key}.{name}", f"{name!r} is not a parameter of the estimator")
            elif theory is None:
                self.fail(f"{key}.{name}.theory",
                          unknown(value.get("theory"), catalog().theories, "theory"))
            elif theory.needs_model or theory.needs_data:
                self.fail(f"{key}.{name}.theory", f"theory {value['theory']!r} depends on "
                          "the drawn data; a parameter is set from the point's parameters")
            elif name in self.spec["grid"]:
                self.fail(f"{key}.{name}", "also a grid parameter; set it in one place")
            else:
                derived[name] = value["theory"]
        return derived

    def _derive(self, points, derived, types, estimator_name, key):
        """Set each derived parameter of each point from its theory (None if one fails)."""
        if not derived:
            return points
        result = []
        for point in points:
            values = {}
            merged = self.protocol.theory_params(
                self.spec, dataclasses.replace(point, estimator=estimator_name))
            for name, theory_name in derived.items():
                try:
                    value = catalog().theories[theory_name].evaluate(None, merged)
                    values[name] = cast_value(value, types[name])
                except (ValueError, KeyError, TypeError) as error:
                    self.fail(f"{key}.{name}.theory", f"theory {theory_name!r} cannot set "
                              f"{name} at point {point.id}: {error}")
                    return None
            result.append(dataclasses.replace(
                point, estimator_params={**point.estimator_params, **values}))
        return result

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
            self.fail("estimator", f"the {self.protocol.name} protocol needs "
                      "an estimator (or an 'estimators' map)")
            return None
        known = True
        for label, (name, _, _) in entries.items():
            if name not in catalog().estimators:
                self.fail(keys[label], unknown(name, catalog().estimators, "estimator"))
                known = False
        return entries if known else None

    def _datasets(self):
        """Return ``(name, checked spec or None)`` for each dataset the experiment reads."""
        names = self.spec["dataset"]
        if isinstance(names, str):
            return [(names, self.single_dataset())]
        checked = []
        for index, name in enumerate(names):
            if name not in self.datasets:
                self.fail(f"dataset[{index}]", unknown(name, self.datasets, "dataset"))
            checked.append((name, self.datasets.get(name)))
        return checked

    def single_dataset(self, list_refused=""):
        """Return the dataset's checked spec; None if unknown (reported) or invalid.

        ``list_refused`` is the reason a list of datasets is refused, for protocols that
        read one dataset.
        """
        name = self.spec["dataset"]
        if not isinstance(name, str):
            self.fail("dataset", list_refused)
            return None
        if name not in self.datasets:
            self.fail("dataset", unknown(name, self.datasets, "dataset"))
            return None
        return self.datasets[name]  # None if invalid: reported under datasets

    def _metrics(self, datasets):
        known = self.protocol.known_metrics(self, datasets)
        searched = set(catalog().metrics_of("search"))
        for index, metric in enumerate(self.spec["metrics"]):
            if metric not in known and metric not in searched:
                self.fail(f"metrics[{index}]",
                          unknown(metric, known, f"{self.protocol.name} metric"))
        return set(self.spec["metrics"])

    def _cast_all(self, values, types, key, owner):
        cast = {}
        for name, value in values.items():
            if name not in types:
                self.fail(f"{key}.{name}", unknown(name, types, f"parameter of the {owner}"))
                continue
            try:
                cast[name] = cast_value(value, types[name])
            except ValueError as error:
                self.fail(f"{key}.{name}", str(error))
        return cast

    def cast_grid(self, generator, estimator_types, fixed_estimator):
        """Cast the grid's values; map each parameter to ``(kind, values)``, ``kind`` one of
        ``"data"``, ``"estimator"`` or ``"evaluation"``."""
        data_types = generator.params if generator is not None else {}
        evaluation = self.spec["evaluation"]
        evaluation_types = self.protocol.evaluation_grid
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
            labels = [format_value(value) for value in cast]
            if len(set(labels)) != len(labels):
                self.fail(f"grid.{name}", f"repeated values {values!r}")
            grid[name] = (kind, cast)
        return grid

    def expand_grid(self, dataset_name, dataset, generator, grid, fixed_estimator):
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
                    id=point_id(params),
                    params=params,
                    data_params={**base_data, **data_grid} if generator is not None else {},
                    data_id=point_id(data_grid) if data_grid else "data",
                    estimator_params={
                        **fixed_estimator,
                        **{n: v for n, v in params.items() if grid[n][0] == "estimator"},
                    },
                    dataset=dataset_name,
                )
            )
        return points

    def _check_points(self, points, generator, estimator_name, dataset_name):
        """Check the grid's points so that no job fails on them: what needs no fit at every
        point, what needs one at the :func:`representative_points`.

        At every point, exactly: the generator's parameters (its declared ``check_params``,
        or its model drawn when it declares none), the estimator's parameters against their
        declared constraints (once per distinct set of values), and every theory that needs
        no model; the data-dependent limits were checked at every point before
        (:meth:`_check_data`). At each representative point, what a job does: the model
        drawn, one replicate (or fold) fitted and measured (:meth:`_dry_run`), and the
        theories that need the model. A fit costs as much as the rest of a point's checks
        many times over, and a grid of thousands of points would otherwise take seconds to
        read at every reading of the workflow.

        Stops at the first failing point, in the grid's order: one problem of each kind is
        enough to fix.
        """
        declaration = catalog().estimators[estimator_name]
        known = catalog().theories
        # Unknown theories are reported by check_claims and _figure.
        theories = [(name, key, known[name]) for name, key in self._theories().items()
                    if name in known]
        fitted = {point.id for point in representative_points(points)}
        models = {}  # by data_id: the model drawn, or None when its parameters are checked only
        accepted = set()  # the sets of estimator parameters found valid
        for point in points:
            fit = point.id in fitted
            if generator is not None and not self._check_dataset_point(
                    generator, point, dataset_name, models, draw=fit):
                return
            params = tuple(point.estimator_params.items())
            if params not in accepted:
                problem = estimator_param_problem(declaration.factory, point.estimator_params,
                                                  estimator_name)
                if problem is not None:
                    name, reason = problem
                    self.fail(self.parameter_key(point, name),
                              f"point {point.id} is rejected by {estimator_name}: {reason}")
                    return
                accepted.add(params)
            if fit and generator is not None and not self._dry_run(
                    models[point.data_id], declaration, point):
                return
            if not self._check_theories(theories, point, models.get(point.data_id), fit,
                                        generator, estimator_name, dataset_name):
                return

    def data_model(self, generator, data_params, draw=True):
        """Check a dataset point's generator parameters; draw its model if ``draw``.

        Returns the model, or None when the parameters were checked without drawing (by the
        generator's ``check_params``; a generator that declares none is always drawn).

        Raises
        ------
        TypeError, ValueError
            What the generator raises for the parameters.
        """
        if not draw and generator.check_params is not None:
            generator.check_params(**data_params)
            return None
        return generator.build(**data_params, random_state=derive_seed(self.seed, "check"))

    def _check_dataset_point(self, generator, point, dataset_name, models, draw):
        """Check the point's dataset once (and draw it once if ``draw``); False if refused,
        after reporting."""
        if point.data_id in models and (models[point.data_id] is not None or not draw):
            return True
        try:
            models[point.data_id] = self.data_model(generator, point.data_params, draw)
        except (TypeError, ValueError) as error:
            data_in_grid = point.data_id != "data"
            where = f"point {point.id} of dataset" if data_in_grid else "dataset"
            self.fail("grid" if data_in_grid else "dataset",
                      f"{where} {dataset_name!r} is rejected by the generator: {error}")
            return False
        return True

    def _check_theories(self, theories, point, model, fit, generator, estimator_name,
                        dataset_name):
        """Evaluate each theory at the point (those that need the model only if ``fit``);
        False if one fails, after reporting."""
        for theory_name, key, theory in theories:
            if theory.needs_model and generator is None:
                self.fail(key, f"theory {theory_name!r} needs a generator dataset")
                return False
            if theory.needs_data:
                # Evaluated on the data by the tabulate job: loading real data here would
                # cost every reading of the workflow (every cluster job) seconds.
                if generator is not None:
                    self.fail(key, f"theory {theory_name!r} is computed from a bundled or "
                              f"file dataset, and {dataset_name!r} is a generator's")
                    return False
                continue
            if theory.needs_model and not fit:
                continue  # drawn at the representative points only
            merged = self.protocol.theory_params(
                self.spec, dataclasses.replace(point, estimator=estimator_name))
            missing = [name for name in theory.requires if name not in merged]
            if missing:
                self.fail(key, f"theory {theory_name!r} needs the parameter(s) {missing}")
                return False
            try:
                theory.evaluate(model, merged)
            except ValueError as error:
                self.fail(key, f"theory {theory_name!r} fails at point {point.id}: {error}")
                return False
        return True

    def _check_data(self, dataset_name, dataset, points, estimator_name):
        """Check the data-dependent limits against the shape of each dataset point."""
        by_data = {}
        for point in points:
            by_data.setdefault(point.data_id, []).append(
                dataclasses.replace(point, estimator=estimator_name))
        for members in by_data.values():
            try:
                shape = data_shape(dataset, members[0].data_params, self.cache_dir)
            except (OSError, ValueError, TypeError) as error:
                key = "file" if "file" in dataset else "bundled"
                problem = (f"datasets.{dataset_name}.{key}", f"cannot be read: {error}")
                if problem not in self.problems:
                    self.problems.append(problem)
                return
            self.protocol.check_data(self, dataset_name, shape, members)

    def _dry_run(self, model, estimator, point):
        """Fit and measure one replicate (or fold) of a generator's point as its job would.

        Returns False, after reporting, if that fails: more folds than samples, a noise
        estimate with n <= d...
        """
        seed = derive_seed(self.seed, "check", point.id)
        X, y = model.sample(seed)
        with warnings.catch_warnings():
            # A solver stopped by its budget is a config's choice (a fixed number of passes).
            warnings.simplefilter("ignore", ConvergenceWarning)
            return self._measure_once(X, y, model, estimator, point, seed)

    def _measure_once(self, X, y, model, estimator, point, seed):
        try:
            measure = self.protocol.measurements(self, X, y, model, estimator, point, seed)
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
        from ftml.experiments.checks import CHECKS

        used = {}
        for index, check in enumerate(self.spec["checks"]):
            declared = CHECKS.get(check["check"])
            for key, role in (declared.keys.items() if declared else ()):
                if role == "theory" and key in check:
                    used.setdefault(check[key], f"checks[{index}].{key}")
        for index, panel in enumerate(self.spec["figure"]):
            for theory_key in ("theory", "vlines"):
                for position, name in enumerate(panel[theory_key]):
                    used.setdefault(name, f"figure[{index}].{theory_key}[{position}]")
        return used

    def columns(self):
        """The columns that identify a point, with their values where known in advance."""
        columns = {}
        if not isinstance(self.spec["dataset"], str):
            columns["dataset"] = list(self.spec["dataset"])
        if "estimators" in self.spec:
            columns["estimator"] = list(self.spec["estimators"])
        columns.update(self.spec["grid"])
        return columns

    def check_claims(self, metrics):
        """Check each claim against its declaration (:data:`ftml.experiments.checks.CHECKS`):
        the keys it needs and takes, what each key names, and the table features it reads
        against those the protocol provides."""
        from ftml.experiments.checks import CHECKS

        for index, check in enumerate(self.spec["checks"]):
            key = f"checks[{index}]"
            declared = CHECKS.get(check["check"])
            if declared is None:
                self.fail(f"{key}.check", unknown(check["check"], CHECKS, "check"))
                continue
            lacking = sorted(declared.needs - self.protocol.provides)
            if lacking:
                able = [p.name for p in protocols().values() if declared.needs <= p.provides]
                self.fail(f"{key}.check", f"{declared.name} needs {', '.join(lacking)}, which "
                          f"the {self.protocol.name} protocol does not provide (it is for "
                          f"{', '.join(able) or 'no protocol'})")
                continue
            missing = sorted(set(declared.required) - set(check))
            if missing:
                where = f"{key}.{missing[0]}" if len(missing) == 1 else key
                self.fail(where, f"{declared.name} needs {' and '.join(map(repr, missing))}")
                continue
            if declared.one_of and sum(key in check for key in declared.one_of) != 1:
                self.fail(key, f"{declared.name} needs exactly one of "
                          f"{' and '.join(map(repr, declared.one_of))}")
            for name in sorted(set(check) - set(declared.keys) - {"check"}):
                self.fail(f"{key}.{name}", f"{declared.name} does not take {name!r}")
            for name, role in declared.keys.items():
                if name in check:
                    self._check_role(f"{key}.{name}", role, check[name], check, metrics)
            if declared.name != "ordered" and check.get("margin", 0) < 0:
                self.fail(f"{key}.margin", f"{declared.name}'s margin is a step allowed "
                          "against the direction: at least 0")
            if "standard_error" in declared.needs and self.protocol.samples_per_point(
                    self.spec["evaluation"]) < 2:
                self.fail(f"{key}.check", "a standard error needs at least 2 replicates or folds")

    def _check_role(self, key, role, value, check, metrics):
        """Check one key of a claim by what it names (:data:`~ftml.experiments.checks.KEY_ROLES`)."""
        columns = self.protocol.columns(self)
        # A history's label: its solver, or in the iterative protocol its estimator.
        solvers = self.spec.get("solvers", self.spec.get("estimators", {}))
        if role == "metric" and value not in metrics:
            self.fail(key, f"{value!r} is not in this experiment's metrics")
        elif role == "theory" and value not in catalog().theories:
            self.fail(key, unknown(value, catalog().theories, "theory"))
        elif role == "bound" and value not in catalog().bounds:
            self.fail(key, unknown(value, catalog().bounds, "bound"))
        elif role == "column" and value not in columns:
            self.fail(key, f"{value!r} is not a grid parameter")
        elif role in ("column_value", "column_values") and check.get("parameter") in columns:
            values = [str(known) for known in columns[check["parameter"]]]
            for item in value if role == "column_values" else [value]:
                if str(item) not in values:
                    self.fail(key, f"{item!r} is not a value of {check['parameter']!r}: "
                              f"{', '.join(values)}")
        elif role in ("solver", "solvers"):
            for label in [value] if isinstance(value, str) else value:
                if label not in solvers:
                    self.fail(key.rpartition(".")[0], unknown(label, solvers, "solver label"))
        elif role == "select":
            self.check_select(value, key.rpartition(".")[0], columns)
        elif role == "metric_levels":
            for name in value:
                if name not in metrics:
                    self.fail(f"{key}.{name}", f"{name!r} is not in this experiment's metrics")

    def check_select(self, select, key, columns):
        """Each column a ``select`` names must identify points, or be an iteration axis of
        the protocol (a claim on one iteration of a history)."""
        for name in select:
            if name in self.protocol.iteration_axes and key.startswith("checks"):
                if isinstance(select[name], bool) or not isinstance(select[name], int) \
                        or select[name] < 0:
                    self.fail(f"{key}.select.{name}", f"an {name} is an integer from 0, got "
                              f"{select[name]!r}")
                continue
            if name not in columns:
                self.fail(f"{key}.select.{name}", f"{name!r} is not a grid parameter" + (
                    " nor solver" if "solver" in columns else ""))

    def _figure(self, metrics):
        columns = self.columns()
        for index, panel in enumerate(self.spec["figure"]):
            key = f"figure[{index}]"
            if panel["metric"] not in metrics:
                self.fail(f"{key}.metric", f"{panel['metric']!r} is not in this experiment's metrics")
            for axis in ("x", "hue"):
                if axis in panel and panel[axis] not in columns and not (
                        axis == "x" and panel[axis] in self.protocol.iteration_axes):
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
                    if theory_name not in catalog().theories:
                        self.fail(
                            f"{key}.{theory_key}[{position}]",
                            unknown(theory_name, catalog().theories, "theory"),
                        )

    def parameter_key(self, point, name):
        """The key that sets estimator parameter ``name`` at ``point``: the grid's, the
        estimator's of the ``estimators`` map, or ``estimator_params``."""
        if name in point.params:
            return f"grid.{name}"
        if "estimators" in self.spec:
            return f"estimators.{point.params['estimator']}.params.{name}"
        return f"estimator_params.{name}"

    def estimator_types(self, name):
        """The config-settable parameters of catalog estimator ``name`` and their types."""
        return estimator_param_types(catalog().estimators[name].factory)

    def unknown(self, value, known, what="name"):
        """The reason for a name that is not among ``known``."""
        return unknown(value, known, what)


def representative_points(points):
    """The grid points at which validation does what a job does: draw the model, fit and
    measure one replicate (or fold), and evaluate the theories that need the model.

    For each combination of the values of the non-numeric axes (strings and booleans: a
    design, a solver, ``standardize``), the corners of the numeric axes: every combination
    of each numeric axis's smallest and largest value. A fit fails first where the data is
    smallest against what it must support (fewer samples than folds, or than the fitted
    parameters of a noise estimate) or where a parameter is most extreme (the smallest
    penalty, the fewest iterations): whenever a failure is monotone along each numeric axis
    (it only grows more likely as the axis grows, or only as it shrinks, whatever the other
    values), a failing point implies a failing corner. Their number, at most 2^k for each
    combination of the non-numeric values with k numeric axes, does not grow with the
    number of values an axis takes: a grid of 10,000 noise levels is fitted twice.

    What the corners miss, and a fit at every point would catch: a fit-time failure that is
    not monotone along a numeric axis, so appearing at interior values only (a singularity
    at one value of a parameter, an equality such as n == d that no corner meets, a parity
    or divisibility condition); such a point is accepted here and its job fails, with its
    error. A failure that depends on the sample drawn (a class absent from a small sample)
    was never reliably caught at any point, since a job draws other samples than this
    check. Everything decided without a fit is still checked at every point: the
    generator's parameters (when it declares ``check_params``; otherwise its model is drawn
    at every point), the estimator's parameters, the data-dependent limits and the theories
    that need no model.

    Parameters
    ----------
    points : list of GridPoint
        The points of one grid, for one dataset and estimator, in the grid's order.

    Returns
    -------
    list of GridPoint
        The representative points, in the grid's order.

    Examples
    --------
    >>> from ftml.experiments.config import GridPoint
    >>> grid = [{"n_samples": n, "noise": s, "design": d} for n in (10, 20, 30)
    ...         for s in (0.5, 1.0) for d in ("fixed", "random")]
    >>> points = [GridPoint(str(i), p, p, str(i), {}) for i, p in enumerate(grid)]
    >>> [(p.params["n_samples"], p.params["noise"], p.params["design"])
    ...  for p in representative_points(points)][:4]
    [(10, 0.5, 'fixed'), (10, 0.5, 'random'), (10, 1.0, 'fixed'), (10, 1.0, 'random')]
    >>> len(representative_points(points))  # n_samples = 20 is fitted at no point
    8
    """
    if not points:
        return []
    ends = {}
    for name in points[0].params:
        values = {point.params[name] for point in points}
        if all(isinstance(value, (int, float)) and not isinstance(value, bool)
               for value in values):
            ends[name] = (min(values), max(values))
    return [point for point in points
            if all(point.params[name] in pair for name, pair in ends.items())]
