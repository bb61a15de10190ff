"""The ``monte_carlo`` protocol: fit on fresh samples of a generator, measure against its
ground truth.

Each replicate draws a sample ``(X, y)`` from the dataset's model, fits the estimator, and
measures it with the catalog's ``truth`` metrics (the excess risk from θ*, the training
error, ...). The long table has one row per grid point and replicate.

Metrics may read measurement settings (:data:`~ftml.experiments.catalog.MEASUREMENT_SETTINGS`:
the predictor a risk scores, a tail's threshold, a coefficient's index), set in
``evaluation`` or varied by the grid. They do not enter the sample's seed: every value of a
setting is measured on the same replicates, so that two predictors' risks are paired.
"""

from ftml.experiments.catalog import MEASUREMENT_SETTINGS, catalog
from ftml.experiments.protocols._base import (
    Protocol,
    finite_values,
    fit_estimator,
    fresh_estimator,
)
from ftml.experiments.seeding import derive_seed
from ftml.experiments.truth_metrics import MonteCarloContext

__all__ = ["MonteCarlo", "run_point"]

# The cost of a prediction per training value it reads, for the cost model: about a
# nearest-neighbour search's (distances by BLAS in blocks, 1,000 queries on 10,000 x 10
# points in 30 ms on this project's 2-core machine), an over-estimate for a linear one.
SECONDS_PER_QUERY_VALUE = 1e-9

# The test sample a risk metric draws when the config validator tries it once.
VALIDATION_TEST_SAMPLES = 16


class MonteCarlo(Protocol):
    name = "monte_carlo"
    description = ("replicates drawn from a generator's model; metrics measured against its "
                   "ground truth; a row per grid point and replicate")
    provides = frozenset({"point_summary", "standard_error"})
    metric_kinds = ("truth", "unsupervised")
    evaluation_keys = tuple(MEASUREMENT_SETTINGS)
    evaluation_grid = {name: kind for name, (kind, _) in MEASUREMENT_SETTINGS.items()}

    def cost(self, spec, shape, point, fit_cost=1.0):
        """The fits' cost, plus the predictions on the fresh test samples that risk metrics
        draw: each touches about the sample's size per query (a nearest-neighbour search)."""
        base = super().cost(spec, shape, point, fit_cost)
        metrics = catalog().metrics
        if not any("test_samples" in metrics[name].settings for name in spec["metrics"]
                   if name in metrics):
            return base
        settings = self.settings(spec["evaluation"], point.params)
        queries = spec["evaluation"]["replicates"] * settings.get("test_samples", 0)
        return base + queries * shape.n_samples * shape.n_features * SECONDS_PER_QUERY_VALUE

    def check_evaluation(self, checker):
        """Every setting a metric reads is set, in ``evaluation`` or the grid, and every
        setting set is read by a metric."""
        spec = checker.spec
        metrics = catalog().metrics
        read = {setting for name in spec["metrics"] if name in metrics
                for setting in metrics[name].settings}
        for index, name in enumerate(spec["metrics"]):
            for setting in metrics[name].settings if name in metrics else ():
                if setting not in spec["evaluation"] and setting not in spec["grid"]:
                    checker.fail(f"metrics[{index}]", f"{name} reads the setting {setting!r} "
                                 f"({MEASUREMENT_SETTINGS[setting][1]}): set it in evaluation "
                                 "or vary it in the grid")
        for setting in MEASUREMENT_SETTINGS:
            for where in ("evaluation", "grid"):
                if setting in spec[where] and setting not in read:
                    checker.fail(f"{where}.{setting}", f"no metric of this experiment reads "
                                 f"{setting!r}")

    def known_metrics(self, checker, datasets):
        generators = catalog().generators
        for name, dataset in datasets:
            generator = generators.get((dataset or {}).get("generator"))
            if dataset is not None and (generator is None or not generator.ground_truth):
                checker.fail(
                    "evaluation.protocol",
                    f"{self.name} needs a generator with a ground truth (such as "
                    f"linear_gaussian), and dataset {name!r} has none; use "
                    "cross_validation for other data",
                )
        return super().known_metrics(checker, datasets)

    def measurements(self, checker, X, y, model, estimator, point, seed):
        estimator = fit_estimator(
            estimator, estimator.factory().set_params(**point.estimator_params), X, y)
        evaluation = checker.spec["evaluation"]
        settings = self.settings(evaluation, point.params)
        if "test_samples" in settings:
            # The validator asks whether a metric can be measured, not its value: a few test
            # points answer that (a thousand cost a k-NN dry run a second, numba's import).
            settings["test_samples"] = min(settings["test_samples"], VALIDATION_TEST_SAMPLES)
        context = MonteCarloContext(model, evaluation["folds"], seed, settings, seed)
        return {
            name: (lambda metric=metric: _measure(metric, estimator, X, y, context))
            for name, metric in catalog().metrics_of(*self.metric_kinds).items()
        }

    def run_point(self, job, dataset):
        return run_point(job, dataset)


def run_point(job, dataset):
    """Fit the job's estimator on each replicate and measure it against the ground truth.

    Parameters
    ----------
    job : dict
        From :meth:`ftml.experiments.config.Config.training_job`, ``monte_carlo`` protocol.
    dataset : LinearGaussianModel
        From :func:`ftml.experiments.data.load_data_files`.

    Returns
    -------
    header : list of str
        The grid parameters, ``replicate``, the metrics.
    rows : list of list
        One row per replicate.

    Raises
    ------
    FloatingPointError
        If a metric is not finite: a table never holds NaN.

    Notes
    -----
    Sample ``r`` is drawn from a seed that depends on the dataset, its parameters and ``r``
    only, so every estimator and hyperparameter sees the same samples (common random
    numbers): differences between grid points are then not blurred by sampling noise.
    """
    seed = job["seed"]
    evaluation = job["evaluation"]
    identity = (job["dataset"], job["data_params"])
    point_values = list(job["point"].values())
    header = [*job["point"], "replicate", *job["metrics"]]
    metrics = [catalog().metrics[name] for name in job["metrics"]]
    declaration = catalog().estimators[job["estimator"]]
    settings = MonteCarlo.settings(evaluation, job["point"])
    tests = any("test_samples" in metric.settings for metric in metrics)
    rows = []
    for replicate in range(evaluation["replicates"]):
        X, y = dataset.sample(derive_seed(seed, "sample", *identity, replicate))
        fold_seed = derive_seed(seed, "folds", *identity, replicate)
        # Only risk metrics draw a test sample: its seed costs the others nothing.
        test_seed = derive_seed(seed, "test", *identity, replicate) if tests else None
        estimator = fit_estimator(declaration, fresh_estimator(job, replicate), X, y)
        context = MonteCarloContext(dataset, evaluation["folds"], fold_seed, settings,
                                    test_seed)
        values = [_measure(metric, estimator, X, y, context) for metric in metrics]
        rows.append([*point_values, replicate, *finite_values(values, job, replicate)])
    return header, rows


def _measure(metric, estimator, X, y, context):
    """A truth metric reads the ground truth; an unsupervised one the features alone."""
    if metric.kind == "unsupervised":
        return metric.compute(estimator, X)
    return metric.compute(estimator, X, y, context)
