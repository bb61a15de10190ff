"""The ``optimization`` protocol: solvers on one fixed objective, and their histories.

It measures how fast a solver approaches the optimum of a fixed objective, not how well a
model generalises. The experiment names an objective (a loss and a penalty on its dataset's
replicate-0 sample) and labelled solver configurations; every grid point (generator
parameters only) is crossed with every configuration, whose label becomes the ``solver``
column. The optimum of each dataset point is computed first, to full precision (rule
``optimum``); each job then runs its configurations and writes one row per recorded
iteration (or epoch): the long table has a row per (grid point, solver, replicate,
iteration), benchopt-style.
"""

import inspect
import warnings

from ftml.exceptions import ConvergenceWarning
from ftml.experiments.catalog import catalog
from ftml.experiments.protocols._base import Protocol, finite_values
from ftml.experiments.seeding import derive_seed

__all__ = ["Optimization", "run_optimization_point"]

# The cost model of an optimisation run (Optimization.cost), per iteration: its fixed cost
# and a gradient's per value of the data.
SECONDS_PER_ITERATION = 1e-5
SECONDS_PER_GRADIENT_VALUE = 2e-9

# Solver keywords that the job sets, never the config.
_JOB_SET = ("f_star", "theta_star", "random_state", "coef0")
_STEPS = ("step", "step_over_L", "step_over_Lmax")


class Optimization(Protocol):
    name = "optimization"
    description = ("solver configurations on one fixed objective; a row per grid point, "
                   "solver, replicate and recorded iteration")
    provides = frozenset({"iterations", "solvers"})
    metric_kinds = ("optimization",)
    spec_keys = ("objective", "solvers")
    needs_optimum = True
    iteration_axes = ("iteration", "passes")
    first_iteration = 0

    @property
    def theory_constants(self):
        from ftml.experiments.optimization import OPTIMUM_FIELDS

        return OPTIMUM_FIELDS

    # -- the config ------------------------------------------------------------------

    def expand(self, checker):
        """Check the objective, the solvers and the metrics; cross every grid point with
        every solver configuration."""
        from ftml.experiments.config._model import GridPoint
        from ftml.experiments.config._casting import point_id

        before = len(checker.problems)
        spec = checker.spec
        if "estimator" in spec or spec.get("estimator_params"):
            checker.fail("estimator", "an optimization experiment names solvers, not an "
                         "estimator")
        for key in self.spec_keys:
            if key not in spec:
                checker.fail(key, f"the {self.name} protocol needs '{key}'")
        if spec["evaluation"].get("max_iter") is None:
            checker.fail("evaluation.max_iter", f"the {self.name} protocol needs a budget, "
                         "max_iter")
        dataset = checker.single_dataset(f"the {self.name} protocol reads one dataset, "
                                         "not a list")
        generator = None
        if dataset is not None and "generator" in dataset:
            generator = catalog().generators[dataset["generator"]]
        known = catalog().metrics_of(*self.metric_kinds)
        for index, metric in enumerate(spec["metrics"]):
            if metric not in known:
                checker.fail(f"metrics[{index}]",
                             checker.unknown(metric, known, "optimization metric"))
        if len(checker.problems) > before or dataset is None:
            return None
        self._check_objective(checker)
        solvers = self._solvers(checker)
        for metric in spec["metrics"]:
            able = known[metric].recorded_by
            unable = [label for label, entry in solvers.items()
                      if able and entry["solver"] not in able]
            if unable:
                checker.fail("metrics", f"{metric} is recorded only by {', '.join(able)}, not "
                             f"by the solvers {', '.join(unable)}")
        checker.check_claims(set(spec["metrics"]))
        self._check_figure(checker)
        grid = checker.cast_grid(generator, {}, {})
        if len(checker.problems) > before:
            return None
        data_points = checker.expand_grid(spec["dataset"], dataset, generator, grid, {})
        if data_points is None:
            return None
        points = [
            GridPoint(
                id=point_id({**point.params, "solver": label}),
                params={**point.params, "solver": label},
                data_params=point.data_params,
                data_id=point.data_id,
                estimator_params=solvers[label]["params"],
                dataset=spec["dataset"],
            )
            for point in data_points
            for label in solvers
        ]
        from ftml.experiments.config._checker import representative_points
        from ftml.experiments.config._data_shapes import data_shape

        # Every point's parameters are checked; a model is drawn where drawing could fail
        # first, as for the estimators' dry runs.
        drawn = {point.id for point in representative_points(data_points)}
        for point in data_points:
            shape = data_shape(dataset, point.data_params, checker.cache_dir)
            if not self.check_size(checker, spec["dataset"], shape, [point]):
                return None
            if generator is not None:
                try:
                    checker.data_model(generator, point.data_params, draw=point.id in drawn)
                except (TypeError, ValueError) as error:
                    checker.fail("grid", f"point {point.id} is rejected by the generator: "
                                 f"{error}")
                    return None
        if len(checker.problems) > before:
            return None
        spec["grid"] = {name: values for name, (_, values) in grid.items()}
        return points

    def _check_objective(self, checker):
        objective = checker.spec["objective"]
        if objective["loss"] == "logistic" and objective["alpha"] <= 0:
            checker.fail("objective.alpha", "the logistic loss needs alpha > 0 for its "
                         "minimiser to exist on separable data")

    def _solvers(self, checker):
        solvers = {}
        for label, entry in checker.spec["solvers"].items():
            key = f"solvers.{label}"
            solver = catalog().solvers.get(entry["solver"])
            if solver is None:
                checker.fail(f"{key}.solver",
                             checker.unknown(entry["solver"], catalog().solvers, "solver"))
                continue
            try:
                accepted = set(inspect.signature(solver.load()).parameters)
            except ImportError as error:
                checker.fail(f"{key}.solver", f"cannot import {solver.module}: {error}")
                continue
            accepted |= {"step_over_L", "step_over_Lmax"} if "step" in accepted else set()
            for name in entry["params"]:
                if name not in accepted or name in solver.fixed or name in (
                    solver.budget, *_JOB_SET
                ):
                    checker.fail(f"{key}.params.{name}", "not a parameter a config may set "
                                 f"for solver {entry['solver']!r}")
            if len(set(_STEPS) & set(entry["params"])) > 1:
                checker.fail(f"{key}.params", "give one of step, step_over_L, step_over_Lmax")
            for name in sorted(set(_STEPS) & set(entry["params"])):
                value = entry["params"][name]
                if name == "step" and isinstance(value, str):
                    continue  # a solver's own step rule ("1/L" for SAG), which it checks
                if isinstance(value, bool) or not isinstance(value, (int, float)) or not (
                        0 < value < float("inf")):
                    checker.fail(f"{key}.params.{name}",
                                 f"a step is a positive finite number, got {value!r}")
            solvers[label] = entry
        return solvers

    def _check_figure(self, checker):
        allowed = set(checker.spec["grid"]) | {"solver"}
        bounds = catalog().bounds
        for index, panel in enumerate(checker.spec["figure"]):
            key = f"figure[{index}]"
            if panel["metric"] not in checker.spec["metrics"]:
                checker.fail(f"{key}.metric",
                             f"{panel['metric']!r} is not in this experiment's metrics")
            if panel["x"] not in self.iteration_axes:
                checker.fail(f"{key}.x",
                             f"an {self.name} panel's x is one of {self.iteration_axes}")
            if panel.get("hue", "solver") not in allowed:
                checker.fail(f"{key}.hue",
                             f"{panel['hue']!r} is neither a grid parameter nor solver")
            checker.check_select(panel.get("select", {}), key, allowed)
            for position, name in enumerate(panel["theory"]):
                if name not in bounds:
                    checker.fail(f"{key}.theory[{position}]",
                                 checker.unknown(name, bounds, "bound"))

    def work(self, evaluation, shape, point):
        """Each run touches the data once per iteration (an epoch, for a stochastic one)."""
        return super().work(evaluation, shape, point) * evaluation["max_iter"]

    def cost(self, spec, shape, point, fit_cost=1.0):
        """Every run to its budget: an iteration's fixed cost and a gradient's, which is a
        matrix-vector product (BLAS, a few values a nanosecond), fitted to the shipped
        optimisation experiments; a run stopped early by its tolerance costs less."""
        evaluation = spec["evaluation"]
        iterations = evaluation["replicates"] * evaluation["max_iter"]
        return fit_cost * (iterations * SECONDS_PER_ITERATION
                           + self.work(evaluation, shape, point) * SECONDS_PER_GRADIENT_VALUE)

    def columns(self, checker):
        """The grid's columns and ``solver``, whose values are the solver labels."""
        return {**checker.spec["grid"], "solver": list(checker.spec["solvers"])}

    # -- the jobs --------------------------------------------------------------------

    def training_job(self, config, experiment, point):
        spec = experiment.spec
        label = point.params["solver"]
        return {
            "seed": config.seed,
            "experiment": experiment.name,
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

    def optimum_job(self, config, experiment, point):
        return {
            "seed": config.seed,
            "dataset": experiment.spec["dataset"],
            "data_id": point.data_id,
            "data_params": point.data_params,
            "objective": experiment.spec["objective"],
        }

    def code_modules(self, experiment, point):
        solver = catalog().solvers[experiment.spec["solvers"][point.params["solver"]]["solver"]]
        return [self.__module__, "ftml.experiments.optimization", solver.module]

    def run(self, jobs, datasets, optima):
        header, rows = None, []
        for job in jobs:
            theta_star, constants = optima[job["data_id"]]
            header, part = run_optimization_point(
                job, datasets[job["dataset"], job["data_id"]], theta_star, constants)
            rows += part
        return {"rows": (header, rows)}

    # -- the tables ------------------------------------------------------------------

    def expected_runs(self, experiment, point):
        """A stochastic solver runs once per replicate; a deterministic one once."""
        solver = catalog().solvers[experiment.spec["solvers"][point.params["solver"]]["solver"]]
        replicates = experiment.spec["evaluation"]["replicates"] if solver.stochastic else 1
        return {(replicate,) for replicate in range(replicates)}

    def load_truths(self, experiment, paths):
        from ftml.experiments.optimization import load_optima

        optima = load_optima(paths, {point.data_id for point in experiment.points})
        return {(experiment.spec["dataset"], data_id): constants
                for data_id, (_, constants) in optima.items()}

    def summary_group(self, experiment):
        return [*experiment.grid_names, "iteration"], ("passes",)


def run_optimization_point(job, dataset, theta_star, constants):
    """Run one solver configuration on the experiment's objective and record its history.

    Parameters
    ----------
    job : dict
        From :meth:`ftml.experiments.config.Config.training_job`, for the ``optimization``
        protocol: ``objective``, ``solver``, ``solver_params``, ``evaluation.max_iter``.
    dataset : LinearGaussianModel or ObservedData
        The data; its replicate-0 sample defines the objective.
    theta_star : ndarray
        The objective's minimiser, from :func:`ftml.experiments.optimization.reference_optimum`.
    constants : dict
        The same function's constants (F*, L, ...).

    Returns
    -------
    header : list of str
        The grid parameters and ``solver``, ``replicate``, ``iteration``, ``passes``, the
        metrics, ``diverged``.
    rows : list of list
        One row per recorded iteration of each replicate; a replicate is a run of a
        stochastic solver with its own random seed (a deterministic solver runs once). A
        diverging run (its objective infinite, NaN or more than 1e6 times ``|F(θ₀)|`` above
        its start; see :class:`ftml.optim.HistoryRecorder`) stops at its last recorded
        iterate and every row of it is flagged ``diverged``, never written as NaN.
    """
    from ftml.experiments.optimization import objective_for, resolve_solver_params

    seed = job["seed"]
    objective = objective_for(job, dataset)
    solver = catalog().solvers[job["solver"]]
    function = solver.load()
    params = {**solver.fixed, **resolve_solver_params(job["solver_params"], constants)}
    params[solver.budget] = job["evaluation"]["max_iter"]
    f_star = constants["f_star"]
    header = [*job["point"], "replicate", "iteration", "passes", *job["metrics"], "diverged"]
    rows = []
    point_values = list(job["point"].values())
    # A deterministic solver would repeat itself: it runs once, whatever the replicates.
    replicates = job["evaluation"]["replicates"] if solver.stochastic else 1
    for replicate in range(replicates):
        if solver.stochastic:
            params["random_state"] = derive_seed(
                seed, "solver", job["experiment"], job["point"], replicate
            )
        with warnings.catch_warnings():
            # Hitting the budget is the experiment's design, not a problem to report.
            warnings.simplefilter("ignore", ConvergenceWarning)
            result = function(objective, f_star=f_star, theta_star=theta_star, **params)
        history = result.history
        history["relative_suboptimality"] = [
            value / abs(f_star) if f_star else value for value in history["suboptimality"]
        ]
        for index, iteration in enumerate(history["iteration"]):
            values = [history[name][index] for name in job["metrics"]]
            rows.append([
                *point_values, replicate, int(iteration), float(history["passes"][index]),
                *finite_values(values, job, replicate), bool(result.diverged),
            ])
    return header, rows


