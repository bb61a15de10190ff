"""Optimisers of :class:`ftml.losses.LinearObjective`, one plain function per method.

Every solver takes the objective first and everything else by keyword, and returns an
:class:`OptimizeResult` (final iterate, iteration count, convergence flags and a history).
Deterministic methods live in :mod:`ftml.optim.gd` (gradient descent, line searches),
:mod:`ftml.optim.momentum` (heavy ball, Nesterov) and :mod:`ftml.optim.lbfgs` (scipy's
L-BFGS, the reference); stochastic ones in :mod:`ftml.optim.sgd`, :mod:`ftml.optim.sag` and
:mod:`ftml.optim.svrg`. :data:`SOLVERS` is the one table of them by name: the estimators'
``solver`` (through :func:`minimize`) and an optimisation experiment's solvers both read it.
"""

import importlib
from dataclasses import dataclass, field

from ftml.optim._result import HistoryRecorder, OptimizeResult, finish, initial_coef

__all__ = [
    "DETERMINISTIC_SOLVERS",
    "ESTIMATOR_SOLVERS",
    "HistoryRecorder",
    "OptimizeResult",
    "SOLVERS",
    "STOCHASTIC_SOLVERS",
    "SolverEntry",
    "finish",
    "initial_coef",
    "minimize",
]

@dataclass(frozen=True)
class SolverEntry:
    """Where a solver lives and how its work is counted.

    Attributes
    ----------
    module, function : str
        Named, not imported: importing ftml.optim does not compile the stochastic solvers'
        numba kernels, and provenance hashes exactly this module.
    stochastic : bool
        Whether it samples: its budget is ``max_epochs`` and it takes a ``random_state``.
    fixed : dict
        Keyword arguments that define this entry (a line search).
    """

    module: str
    function: str
    stochastic: bool = False
    fixed: dict = field(default_factory=dict)

    @property
    def budget(self):
        """The keyword that bounds its work: ``max_iter`` or ``max_epochs``."""
        return "max_epochs" if self.stochastic else "max_iter"

    def load(self):
        """Import and return the solver function."""
        return getattr(importlib.import_module(self.module), self.function)


SOLVERS = {
    "gd": SolverEntry("ftml.optim.gd", "gradient_descent"),
    "gd_exact_line_search": SolverEntry("ftml.optim.gd", "gradient_descent",
                                        fixed={"line_search": "exact"}),
    "gd_armijo": SolverEntry("ftml.optim.gd", "gradient_descent",
                             fixed={"line_search": "armijo"}),
    "heavy_ball": SolverEntry("ftml.optim.momentum", "heavy_ball"),
    "nesterov": SolverEntry("ftml.optim.momentum", "nesterov"),
    "lbfgs": SolverEntry("ftml.optim.lbfgs", "lbfgs"),
    "sgd": SolverEntry("ftml.optim.sgd", "sgd", stochastic=True),
    "sag": SolverEntry("ftml.optim.sag", "sag", stochastic=True),
    "saga": SolverEntry("ftml.optim.sag", "saga", stochastic=True),
    "svrg": SolverEntry("ftml.optim.svrg", "svrg", stochastic=True),
}
"""Every solver by name, with its function and how its budget is counted."""
ESTIMATOR_SOLVERS = ("gd", "nesterov", "lbfgs", "sgd", "sag", "saga", "svrg")
"""The solvers an estimator's ``solver`` may name (each with its default step)."""
DETERMINISTIC_SOLVERS = tuple(name for name in ESTIMATOR_SOLVERS
                              if not SOLVERS[name].stochastic)
"""Solvers whose ``max_iter`` counts full-gradient iterations."""
STOCHASTIC_SOLVERS = tuple(name for name in ESTIMATOR_SOLVERS if SOLVERS[name].stochastic)
"""Solvers whose ``max_iter`` counts epochs (passed to them as ``max_epochs``)."""


def minimize(objective, solver, *, max_iter, tol, step=None, random_state=None,
             coef0=None):
    """Minimise ``objective`` with the solver called ``solver``.

    Parameters
    ----------
    objective : LinearObjective
        The function to minimise.
    solver : {"gd", "nesterov", "lbfgs", "sgd", "sag", "saga", "svrg"}
        ``"gd"`` is :func:`ftml.optim.gd.gradient_descent` with step ``1/L``,
        ``"nesterov"`` :func:`ftml.optim.momentum.nesterov` with its default momentum,
        ``"lbfgs"`` :func:`ftml.optim.lbfgs.lbfgs`; the stochastic solvers are those of
        :mod:`ftml.optim.sgd`, :mod:`ftml.optim.sag` and :mod:`ftml.optim.svrg`.
    max_iter : int
        Iterations for the deterministic solvers, epochs for the stochastic ones.
    tol : float
        The solver's stopping tolerance (a gradient norm for ``"gd"`` and ``"nesterov"``,
        the gradient's largest entry for ``"lbfgs"``; see each solver).
    step : float, default=None
        The step size; None uses the solver's default. Ignored by ``"lbfgs"``.
    random_state : None, int or numpy.random.Generator, default=None
        Seed of the stochastic solvers; ignored by the deterministic ones.
    coef0 : array-like of shape (n_params,), default=None
        Starting point; zeros by default.

    Returns
    -------
    result : OptimizeResult

    Raises
    ------
    ValueError
        If ``solver`` is not a known name; the message lists them.
    """
    if not isinstance(solver, str) or solver not in ESTIMATOR_SOLVERS:
        raise ValueError(
            f"solver must be one of {', '.join(map(repr, ESTIMATOR_SOLVERS))}, got {solver!r}."
        )
    function = SOLVERS[solver].load()
    options = {"tol": tol, "coef0": coef0}
    if step is not None and solver != "lbfgs":
        options["step"] = step  # otherwise the solver's own default (not always None)
    if solver in DETERMINISTIC_SOLVERS:
        return function(objective, max_iter=max_iter, **options)
    return function(objective, max_epochs=max_iter, random_state=random_state, **options)
