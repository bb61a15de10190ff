"""Optimisers of :class:`ftml.losses.LinearObjective`, one plain function per method.

Every solver takes the objective first and everything else by keyword, and returns an
:class:`OptimizeResult` (final iterate, iteration count, convergence flags and a history).
Deterministic methods live in :mod:`ftml.optim.gd` (gradient descent, line searches),
:mod:`ftml.optim.momentum` (heavy ball, Nesterov) and :mod:`ftml.optim.lbfgs` (scipy's
L-BFGS, the reference); stochastic ones in :mod:`ftml.optim.sgd`, :mod:`ftml.optim.sag` and
:mod:`ftml.optim.svrg`. :func:`minimize` dispatches on a solver's name, for the estimators.
"""

import importlib

from ftml.optim._result import HistoryRecorder, OptimizeResult, finish, initial_coef

__all__ = [
    "DETERMINISTIC_SOLVERS",
    "HistoryRecorder",
    "OptimizeResult",
    "STOCHASTIC_SOLVERS",
    "finish",
    "initial_coef",
    "minimize",
]

# Solver name -> (module, function). Modules are imported on first use, so that importing
# ftml.optim does not compile the stochastic solvers' numba kernels.
_SOLVERS = {
    "gd": ("ftml.optim.gd", "gradient_descent"),
    "nesterov": ("ftml.optim.momentum", "nesterov"),
    "lbfgs": ("ftml.optim.lbfgs", "lbfgs"),
    "sgd": ("ftml.optim.sgd", "sgd"),
    "sag": ("ftml.optim.sag", "sag"),
    "saga": ("ftml.optim.sag", "saga"),
    "svrg": ("ftml.optim.svrg", "svrg"),
}
DETERMINISTIC_SOLVERS = ("gd", "nesterov", "lbfgs")
"""Solvers whose ``max_iter`` counts full-gradient iterations."""
STOCHASTIC_SOLVERS = ("sgd", "sag", "saga", "svrg")
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
    if not isinstance(solver, str) or solver not in _SOLVERS:
        raise ValueError(
            f"solver must be one of {', '.join(map(repr, _SOLVERS))}, got {solver!r}."
        )
    module, name = _SOLVERS[solver]
    function = getattr(importlib.import_module(module), name)
    options = {"tol": tol, "coef0": coef0}
    if step is not None and solver != "lbfgs":
        options["step"] = step  # otherwise the solver's own default (not always None)
    if solver in DETERMINISTIC_SOLVERS:
        return function(objective, max_iter=max_iter, **options)
    return function(objective, max_epochs=max_iter, random_state=random_state, **options)
