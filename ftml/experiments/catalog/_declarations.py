"""The kinds of thing a config may name, each declared once beside its chapter's code.

A chapter module of :mod:`ftml.experiments.catalog` lists its declarations in a module-level
``DECLARATIONS``; :func:`ftml.experiments.catalog.catalog` finds every chapter module and
gathers them into one :class:`Catalog`, which the config validator, the runner, the tables,
the checks and the generated documentation all read. A name is declared in one place only: a
second declaration of the same name is an error.
"""

from dataclasses import dataclass, field
from typing import Callable

__all__ = ["Bound", "Catalog", "Estimator", "Generator", "Metric", "Solver", "Theory",
           "MEASUREMENT_SETTINGS", "METRIC_KINDS"]


@dataclass(frozen=True)
class Generator:
    """A data generator: a model with known ground truth, built from typed parameters.

    Attributes
    ----------
    name : str
        The name a dataset's ``generator:`` key uses.
    build : callable
        ``build(**params, random_state=seed)`` returns the model, whose
        ``sample(random_state)`` draws ``(X, y)``.
    params : dict of str to type
        The parameters and their types; values passed as strings (``--config``) are cast.
    required : tuple of str
        Parameters without a default, to be set by the dataset or the grid.
    ground_truth : bool
        Whether the model knows the truth that ground-truth metrics compare with.
    description : str
        One line for the documentation.
    check_params : callable or None
        ``check_params(**params)`` raises the ``TypeError`` or ``ValueError`` that ``build``
        would raise for the parameters, without drawing anything: the config validator
        calls it at every grid point and builds a model only where it tries a fit (see
        :func:`~ftml.experiments.config._checker.representative_points`). None: the
        validator builds the model of every point instead.
    features : int or None
        The number of features of every sample, for a generator without an
        ``n_features`` parameter (None: the parameter gives it).
    """

    name: str
    build: Callable
    params: dict
    required: tuple = ()
    ground_truth: bool = True
    description: str = ""
    check_params: Callable | None = None
    features: int | None = None

    def shape(self, params):
        """``(n_samples, n_features)`` of the samples drawn with ``params``."""
        features = params["n_features"] if self.features is None else self.features
        return params["n_samples"], features


@dataclass(frozen=True)
class Estimator:
    """An estimator a config may fit.

    Attributes
    ----------
    name : str
    factory : callable
        Of no argument, returning the estimator with its defaults (a class is one); a config
        sets its parameters, nested ones as ``estimator__alpha``.
    description : str
    supervised : bool
        Whether ``fit`` takes the targets; an unsupervised estimator (k-means, PCA) is
        fitted on ``X`` alone.
    limits : dict
        Data-dependent limits of parameters, checked at validation against the shape of the
        data one fit sees: ``{"n_clusters": (lambda shape: shape.n_samples, "samples in a
        fit")}`` refuses a value above the limit. The range of each value alone is the
        estimator's ``_parameter_constraints``.
    fit_cost : float
        About what one fit costs against least squares by SVD on data of the same size (an
        iterative solver's passes, a meta-estimator's inner fits), as measured on the
        shipped config: it sizes the training jobs, never what they compute.
    """

    name: str
    factory: Callable
    description: str = ""
    supervised: bool = True
    limits: dict = field(default_factory=dict)
    fit_cost: float = 1.0


# What a metric reads, and so which protocols can measure it.
METRIC_KINDS = {
    "truth": "the fitted estimator, its sample and the generator's ground truth",
    "unsupervised": "the fitted estimator and the features alone (a clustering's or a "
                    "projection's quality)",
    "prediction": "held-out predictions against held-out targets (and train_<name> on the "
                  "training fold)",
    "model": "the fitted estimator of a fold",
    "search": "a fitted grid search and its held-out score",
    "optimization": "a solver's history on a fixed objective",
    "history": "a per-iteration history the fitted estimator exposes (Lloyd's inertia, EM's "
               "log-likelihood, a loss curve)",
}


# What a metric may be told besides its fitted estimator and sample: set once in an
# experiment's ``evaluation`` or varied by its grid like a parameter (a column then), read
# by the metrics that declare them (:attr:`Metric.settings`). Name to (type, meaning).
MEASUREMENT_SETTINGS = {
    "predictor": (str, "which predictor a risk metric scores: bayes (the law's Bayes "
                       "predictor of its loss), the conditional mean, median or mode, fitted "
                       "(the estimator) or random (independent of x)"),
    "threshold": (float, "the deviation ε of a tail metric, which is 1 when |X̄ − μ| ≥ ε"),
    "coordinate": (int, "the index j of a coefficient metric, θ̂_j − θ*_j"),
    "delta": (float, "the confidence level δ of a high-probability bound"),
    "test_samples": (int, "the size of the fresh sample a risk metric draws from the law"),
}


@dataclass(frozen=True)
class Metric:
    """A quantity measured on each replicate, fold or iteration.

    Attributes
    ----------
    name : str
    kind : str
        One of :data:`METRIC_KINDS`: what ``compute`` is given.
    compute : callable or None
        ``truth``: ``(estimator, X, y, context)``; ``unsupervised``: ``(estimator, X)``;
        ``prediction``: ``(y_true, y_pred)``;
        ``model``: ``(estimator)``; ``search``: ``(search, test_score)``;
        ``optimization``: None (the solver records it); ``history``: ``(estimator, X, y)``
        returning one value per iteration, from the start (iteration 0) on.
    description : str
    recorded_by : tuple of str
        For an optimisation metric that only some solvers record, their names.
    refits_folds : bool
        Whether measuring it refits the estimator on each of the evaluation's ``folds`` (a
        cross-validated risk): it then costs that many fits, which sizes the jobs.
    settings : tuple of str
        The :data:`MEASUREMENT_SETTINGS` it reads from its context: an experiment that
        measures it must set them, in ``evaluation`` or its grid.
    modules : tuple of str
        The ftml modules its computation uses beyond its own (an estimator it fits itself):
        they join the source hash of the training jobs that measure it, so that editing
        them reruns those jobs.
    """

    name: str
    kind: str
    compute: Callable | None
    description: str = ""
    recorded_by: tuple = ()
    refits_folds: bool = False
    settings: tuple = ()
    modules: tuple = ()


@dataclass(frozen=True)
class Theory:
    """A closed form evaluated at a grid point.

    Attributes
    ----------
    name : str
    formula : str
        How the report and the legends write it.
    evaluate : callable
        ``evaluate(model, params)`` with the ground-truth model (None when not
        ``needs_model``; an optimisation experiment's constants when the point has an
        optimum) and the point's generator and estimator parameters.
    needs_model : bool
        Whether the value depends on the drawn design or theta*, not just on the parameters.
    requires : tuple of str
        Parameters that the point must define.
    needs_data : bool
        Whether the value is computed from a bundled or file dataset's ``(X, y)``, passed as
        ``model``.
    """

    name: str
    formula: str
    evaluate: Callable
    needs_model: bool = False
    requires: tuple = field(default_factory=tuple)
    needs_data: bool = False


@dataclass(frozen=True)
class Bound:
    """A bound of a convergence theorem, as a function of the iteration.

    ``evaluate(constants, params, t)`` returns the bound at the iterations ``t`` (an array),
    from the optimum file's constants (L, mu, ||theta_0 - theta*||^2, ...) and the point's
    parameters.
    """

    name: str
    formula: str
    evaluate: Callable


@dataclass(frozen=True)
class Solver:
    """An optimiser of :mod:`ftml.optim` that an optimisation experiment may run.

    Attributes
    ----------
    name : str
    entry : ftml.optim.SolverEntry
        Its entry in :data:`ftml.optim.SOLVERS`, the one table of solvers.
    """

    name: str
    entry: object

    @property
    def module(self):
        """The module that holds the function (hashed for reruns)."""
        return self.entry.module

    @property
    def budget(self):
        """The keyword that bounds its work: ``max_iter`` or ``max_epochs``."""
        return self.entry.budget

    @property
    def stochastic(self):
        """Whether a run draws samples: counted in epochs, seeded per replicate."""
        return self.entry.stochastic

    @property
    def fixed(self):
        """Keyword arguments that define the entry (a line search)."""
        return self.entry.fixed

    def load(self):
        """Import and return the solver function."""
        return self.entry.load()


_KINDS = {Generator: "generators", Estimator: "estimators", Metric: "metrics",
          Theory: "theories", Bound: "bounds", Solver: "solvers"}


class Catalog:
    """Every declaration of the chapters, by kind and name.

    Attributes
    ----------
    generators, estimators, metrics, theories, bounds, solvers : dict
        Name to declaration, in the chapters' order.
    chapters : dict
        Module name to the names it declares, for the documentation.
    """

    def __init__(self):
        for kind in _KINDS.values():
            setattr(self, kind, {})
        self.chapters = {}

    def add(self, declaration, chapter):
        """Add one declaration; a name declared twice (in any chapter) is an error."""
        kind = _KINDS.get(type(declaration))
        if kind is None:
            raise TypeError(f"{chapter}: {declaration!r} is not a declaration")
        table = getattr(self, kind)
        if declaration.name in table:
            raise ValueError(f"{chapter}: {kind[:-1]} {declaration.name!r} is declared twice")
        table[declaration.name] = declaration
        self.chapters.setdefault(chapter, []).append((kind, declaration.name))

    def metrics_of(self, *kinds):
        """The metrics of the given kinds, name to declaration."""
        return {name: metric for name, metric in self.metrics.items() if metric.kind in kinds}
