"""What every protocol is: the hooks the config validator, the training jobs, the tables and
the report call, with the defaults shared by the protocols that fit an estimator.

A protocol is one object (:class:`Protocol`) in a module of its own; nothing outside that
module compares its name. The validator asks it which metrics it measures and checks its own
keys; a training job asks it to run a batch of grid points; the tables ask it how to group
the long table and where each point's ground truth is; the checks ask which table features
it provides (:attr:`Protocol.provides`).

This module imports numpy and ftml only: training jobs import it.
"""

import math

import numpy as np

from ftml.experiments.catalog import SEEDED_PARAMETERS, catalog
from ftml.experiments.seeding import derive_seed

__all__ = ["Protocol", "SAMPLE_COPIES", "fit_estimator", "fresh_estimator", "finite_values"]

# How many arrays the size of a sample a fit holds at once (the sample, a centred or
# standardised copy, a decomposition's factors): the memory estimate's multiplier.
SAMPLE_COPIES = 4

# The cost model that sizes jobs (ftml.experiments.config._batching): a fit's fixed cost
# (drawing a sample, building and validating an estimator, measuring) and the cost of each
# value its arithmetic touches, fitted to the shipped config's points on one thread (least
# squares by SVD: within a factor 2 of the measured time on the Monte-Carlo experiments;
# iterative estimators declare their factor, Estimator.fit_cost; a solver stopped early by
# its tolerance costs less than its budget).
SECONDS_PER_FIT = 2e-4
SECONDS_PER_VALUE = 4e-8


class Protocol:
    """One way of turning a grid point into rows; subclasses set the attributes and
    override the hooks that differ.

    Attributes
    ----------
    name : str
        The config's ``evaluation.protocol``.
    description : str
        One line for the documentation.
    provides : frozenset of str
        The table features checks may need: ``point_summary`` (one summary row per point and
        metric), ``standard_error`` (several replicates or folds per point), ``iterations``
        (rows per recorded iteration, an ``iteration`` column), ``solvers`` (solver labels
        as a ``solver`` column, ``passes``, ``diverged``).
    metric_kinds : tuple of str
        The kinds of catalog metric it measures (:data:`~ftml.experiments.catalog.METRIC_KINDS`).
    spec_keys, evaluation_keys : tuple of str
        Experiment keys, and ``evaluation`` keys, that only this protocol takes.
    evaluation_grid : dict of str to type
        Evaluation settings that a grid may vary like a parameter.
    outputs : tuple of str
        What a training job writes, one CSV each; ``rows`` (written last) is the long
        table's part.
    needs_optimum : bool
        Whether each dataset point has an optimum computed first (rule ``optimum``).
    predicts_classes : bool
        Whether its jobs write out-of-fold predictions, so that ``per_class_report`` applies.
    iteration_axes : tuple of str
        Columns besides the grid's that a figure may put on its x axis.
    """

    name = None
    description = ""
    provides = frozenset()
    metric_kinds = ()
    spec_keys = ()
    evaluation_keys = ()
    evaluation_grid = {}
    outputs = ("rows",)
    needs_optimum = False
    predicts_classes = False
    iteration_axes = ()
    theory_constants = ()
    # The long table's columns naming one run of a point, and, for protocols that record
    # iterations, the first iteration a run records (None: one row per run).
    run_columns = ("replicate",)
    first_iteration = None

    def __repr__(self):
        return f"<protocol {self.name}>"

    # -- the config ------------------------------------------------------------------

    def expand(self, checker):
        """Check what only this protocol checks and return the experiment's grid points
        (None if a problem was reported)."""
        return checker.estimator_points()

    def known_metrics(self, checker, datasets):
        """The metric names an experiment may measure (reporting what rules some out)."""
        return set(catalog().metrics_of(*self.metric_kinds))

    def check_evaluation(self, checker):
        """Check the protocol's own ``evaluation`` settings (nothing by default)."""

    def columns(self, checker):
        """The columns a claim may name (its ``parameter``, ``select``), with their values
        where known in advance: those that identify a point."""
        return checker.columns()

    @classmethod
    def settings(cls, evaluation, point_params):
        """The point's values of the :attr:`evaluation_grid` settings: its grid's, else the
        ``evaluation``'s (those set in neither are absent)."""
        return {name: point_params[name] if name in point_params else evaluation[name]
                for name in cls.evaluation_grid
                if name in point_params or name in evaluation}

    def theory_params(self, spec, point):
        """What a theory is evaluated with at a point: the generator's and the estimator's
        parameters, the evaluation's settings (a tail's threshold) and the estimator's name."""
        return {**point.data_params, **point.estimator_params,
                **self.settings(spec["evaluation"], point.params), "estimator": point.estimator}

    def samples_per_point(self, evaluation):
        """How many values of a metric a grid point has, for a standard error."""
        return evaluation["replicates"]

    def fit_shape(self, evaluation, shape, point):
        """The shape of the data one fit of the point sees (the whole sample by default)."""
        return shape

    def work(self, evaluation, shape, point):
        """The values a point's job touches, about: its fits times the sample's size
        (the sizes limit of :meth:`check_size` compares it with ``limits.work``)."""
        return evaluation["replicates"] * shape.n_samples * shape.n_features

    def fits(self, spec, point):
        """How many fits a point's job runs, about: one per replicate, and the folds of
        each metric that refits them (:attr:`~ftml.experiments.catalog.Metric.refits_folds`)."""
        evaluation = spec["evaluation"]
        metrics = catalog().metrics
        refitting = sum(1 for name in spec["metrics"]
                        if name in metrics and metrics[name].refits_folds)
        return evaluation["replicates"] * (1 + refitting * evaluation.get("folds", 0))

    def cost(self, spec, shape, point, fit_cost=1.0):
        """The seconds a point's job computes, about, on one thread: what sizes the jobs.

        Parameters
        ----------
        spec : dict
            The experiment's checked spec.
        shape : DataShape
            The point's data.
        point : GridPoint
        fit_cost : float, default=1.0
            The estimator's cost relative to least squares by SVD
            (:attr:`~ftml.experiments.catalog.Estimator.fit_cost`).
        """
        fits = self.fits(spec, point)
        values = fits * shape.n_samples * shape.n_features
        return fit_cost * (fits * SECONDS_PER_FIT + values * SECONDS_PER_VALUE)

    def check_size(self, checker, dataset_name, shape, points):
        """Refuse a point whose sample cannot fit in memory, or whose work would not end in
        any reasonable time, against the config's ``limits`` (documented in the schema),
        with the estimate. Returns False if one is refused."""
        limits = checker.limits
        memory = 8 * shape.n_samples * (shape.n_features + 1) * SAMPLE_COPIES
        if memory > limits["sample_memory_gb"] * 2**30:
            checker.fail("grid" if points[0].data_id != "data" else "dataset",
                         f"a sample of dataset {dataset_name!r} at point {points[0].id} "
                         f"({shape.n_samples} x {shape.n_features}) needs about "
                         f"{memory / 2**30:.3g} GB, above limits.sample_memory_gb = "
                         f"{limits['sample_memory_gb']:g}")
            return False
        for point in points:
            work = self.work(checker.spec["evaluation"], shape, point)
            if work > limits["work"]:
                checker.fail("evaluation", f"point {point.id} would touch about {work:.3g} "
                             f"values (replicates x folds x iterations x samples x features), "
                             f"above limits.work = {limits['work']:.3g}")
                return False
        return True

    def check_data(self, checker, dataset_name, shape, points):
        """Check data-dependent limits against a dataset's shape, for the points that read
        it: sizes (:meth:`check_size`), the estimators' declared limits
        (:attr:`Estimator.limits`), and what the protocol itself needs."""
        if self.check_size(checker, dataset_name, shape, points):
            self.check_limits(checker, dataset_name, shape, points)

    def check_limits(self, checker, dataset_name, shape, points):
        """The estimators' declared limits, and a regressor refused on class names."""
        estimators = catalog().estimators
        if shape.named_classes:
            name = points[0].estimator
            if getattr(estimators[name].factory(), "_estimator_type", None) != "classifier":
                key = (f"estimators.{points[0].params['estimator']}.estimator"
                       if "estimators" in checker.spec else "estimator")
                checker.fail(key, f"dataset {dataset_name!r} has class names as targets; "
                             f"{name} is not a classifier, and a regression target must be "
                             "numeric")
                return
        for point in points:
            limits = estimators[point.estimator].limits
            if not limits:
                continue
            fit = self.fit_shape(checker.spec["evaluation"], shape, point)
            for name, (limit, what) in limits.items():
                value = point.estimator_params.get(name)
                if value is not None and value > limit(fit):
                    checker.fail(checker.parameter_key(point, name),
                                 f"{name}={value} at point {point.id} exceeds the "
                                 f"{limit(fit)} {what} of dataset {dataset_name!r}")
                    return

    def measurements(self, checker, X, y, model, estimator, point, seed):
        """Map each metric the validator can try on one sample to a function measuring it
        once, as a job would (raising what the job would raise); ``estimator`` is the
        point's catalog declaration."""
        return {}

    # -- the jobs --------------------------------------------------------------------

    def training_job(self, config, experiment, point):
        """Everything that determines one grid point's rows, as plain data: only what the
        rows depend on, so that editing checks or figures reruns nothing."""
        spec = experiment.spec
        return {
            "seed": config.seed,
            "experiment": experiment.name,
            "dataset": point.dataset,
            "data_id": point.data_id,
            "data_params": point.data_params,
            "estimator": point.estimator,
            "estimator_params": point.estimator_params,
            "point": point.params,
            "evaluation": spec["evaluation"],
            "metrics": spec["metrics"],
        }

    def optimum_job(self, config, experiment, point):
        raise KeyError(f"the {self.name} protocol computes no optimum")

    def code_modules(self, experiment, point):
        """The ftml modules whose source determines a point's rows (for reruns)."""
        from ftml.experiments.catalog import estimator_modules

        metrics = catalog().metrics
        measured = [metrics[name] for name in experiment.spec["metrics"] if name in metrics]
        # A metric's own module (ftml.experiments.unsupervised_metrics), which the protocol
        # need not import, and the modules it declares it uses.
        used = [module for metric in measured
                for module in (*_defining_modules(metric.compute), *metric.modules)]
        return list(dict.fromkeys([self.__module__, *estimator_modules(point.estimator),
                                   *used]))

    def run(self, jobs, datasets, optima):
        """Run one training job's grid points, in the grid's order.

        Parameters
        ----------
        jobs : list of dict
            :meth:`training_job` of each point.
        datasets : dict
            The loaded datasets by ``(dataset, data_id)``.
        optima : dict
            The loaded optima by ``data_id`` (empty unless :attr:`needs_optimum`).

        Returns
        -------
        dict
            Each of :attr:`outputs` mapped to ``(header, rows)``: what one job per point
            would have written, concatenated.
        """
        header, rows = None, []
        for job in jobs:
            header, part = self.run_point(job, datasets[job["dataset"], job["data_id"]])
            rows += part
        return {"rows": (header, rows)}

    def run_point(self, job, dataset):
        raise NotImplementedError

    # -- the tables and the report -----------------------------------------------------

    def load_truths(self, experiment, paths):
        """Each ``(dataset, data_id)``'s ground truth, from the files that hold it: its
        dataset files, or its optima files when :attr:`needs_optimum`. Raises KeyError if a
        point's truth is in none of them."""
        from ftml.experiments.data import load_data_files

        return load_data_files(paths, {(point.dataset, point.data_id)
                                       for point in experiment.points})

    def summary_group(self, experiment):
        """The columns one summary row is per, and the columns whose mean it carries."""
        return list(experiment.grid_names), ()

    def summary_rows(self, experiment, long):
        """The rows the summary averages: the long table itself by default."""
        return long

    def expected_runs(self, experiment, point):
        """The runs (values of :attr:`run_columns`) a point's rows must hold."""
        return {(replicate,) for replicate in range(experiment.spec["evaluation"]["replicates"])}

    def missing_rows(self, experiment, long):
        """What the long table lacks of what the config promises: every grid point, each of
        its runs exactly once (or, recording iterations, each run's iterations from
        :attr:`first_iteration` on, increasing); rows of no grid point count too.

        Returns
        -------
        list of str
            One description per problem; empty when the table is complete.
        """
        names = list(experiment.grid_names)
        columns = list(self.run_columns)
        absent = [name for name in [*names, *columns] if name not in long]
        if absent:
            return [f"the columns {absent} are missing"]
        # Row positions per point, and the run columns as arrays: a DataFrame per point
        # would cost milliseconds each on a grid of thousands.
        groups = ({_plain(key if isinstance(key, tuple) else (key,)): rows
                   for key, rows in long.groupby(names, sort=False).indices.items()}
                  if names else {(): np.arange(len(long))})
        run_values = [long[column].to_numpy() for column in columns]
        iteration = long["iteration"].to_numpy() if self.first_iteration is not None else None
        problems = []
        for point in experiment.points:
            rows = groups.pop(tuple(point.params.values()), None)
            if rows is None:
                problems.append(f"point {point.id} has no rows")
                continue
            runs = list(zip(*(values[rows].tolist() for values in run_values)))
            found = {}
            for run in runs:
                found[run] = found.get(run, 0) + 1
            expected = self.expected_runs(experiment, point)
            missing = sorted(expected - set(found))
            if missing:
                problems.append(f"point {point.id} lacks {len(missing)} of its {len(expected)} "
                                f"runs ({', '.join(map(str, missing[:3]))}...)")
            if set(found) - expected:
                problems.append(f"point {point.id} has runs its config does not declare")
            if self.first_iteration is None:
                repeated = [run for run, count in found.items() if count > 1]
                if repeated:
                    problems.append(f"point {point.id} repeats the run(s) {repeated[:3]}")
                continue
            by_run = {}
            for run, value in zip(runs, iteration[rows].tolist()):
                by_run.setdefault(run, []).append(value)
            for run, values in by_run.items():
                if values[0] != self.first_iteration or any(
                        later <= earlier for earlier, later in zip(values, values[1:])):
                    problems.append(f"point {point.id}, run {run}: its iterations do not "
                                    f"start at {self.first_iteration} and increase")
                    break
        problems += [f"rows of {dict(zip(names, key))}, which is no grid point" for key in groups]
        return problems

    def describe(self, spec):
        """How the report names the evaluation."""
        return f"{self.name.replace('_', ' ')}, {spec['evaluation']['replicates']} replicate(s)"


def fresh_estimator(job, replicate, fold=None):
    """A fresh estimator with the job's parameters; a stochastic one (or one nesting a
    stochastic one) gets a seed derived from the job's identity, so that its draws do not
    depend on the order of the jobs."""
    factory = catalog().estimators[job["estimator"]].factory
    estimator = factory().set_params(**job["estimator_params"])
    seeded = [name for name in estimator.get_params(deep=True)
              if name.rpartition("__")[2] in SEEDED_PARAMETERS]
    if seeded:
        seed = derive_seed(job["seed"], "estimator", job["experiment"], job["point"], replicate,
                           fold)
        value = int(seed.generate_state(1)[0])
        estimator.set_params(**{name: value for name in seeded})
    return estimator


def fit_estimator(declaration, estimator, X, y):
    """Fit as the catalog declares: an unsupervised estimator sees ``X`` alone, so that a
    generator's labels (the truth its metrics compare with) never reach it."""
    return estimator.fit(X, y) if declaration.supervised else estimator.fit(X)


def finite_values(values, job, replicate, fold=None):
    """Check that every defined value is finite; None (undefined here) passes through and
    is written as an empty cell.

    Raises
    ------
    FloatingPointError
        If a value is infinite or NaN: a table never holds NaN.
    """
    values = [None if value is None else float(value) for value in values]
    for name, value in zip(job["metrics"], values):
        if value is not None and not math.isfinite(value):
            where = f"replicate {replicate}" + ("" if fold is None else f", fold {fold}")
            raise FloatingPointError(
                f"{job['experiment']}: metric {name} is {value} at {job['point']}, {where}"
            )
    return values


def _plain(values):
    """A tuple of numpy scalars as Python values (as the config spells them in messages)."""
    return tuple(value.item() if isinstance(value, np.generic) else value for value in values)


def _defining_modules(function):
    """The ftml module that defines a metric's function, if any (none for a solver's)."""
    module = getattr(function, "__module__", None) or ""
    return [module] if module.startswith("ftml.") else []

