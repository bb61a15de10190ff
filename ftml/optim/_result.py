"""What every solver in :mod:`ftml.optim` returns, and the bookkeeping they share.

A solver builds a :class:`HistoryRecorder`, calls :meth:`HistoryRecorder.record` once per
iteration (or epoch) and stops with ``diverged=True`` as soon as it returns False, so a NaN,
an infinity or an exploding objective never enters a history. It then wraps its output in an
:class:`OptimizeResult` and returns it through :func:`finish`, which writes the message and
warns :class:`ftml.exceptions.ConvergenceWarning` unless the run converged.
"""

import warnings
from dataclasses import dataclass, field

import numpy as np

from ftml.exceptions import ConvergenceWarning

__all__ = ["DIVERGENCE_FACTOR", "HistoryRecorder", "OptimizeResult", "finish", "initial_coef"]

DIVERGENCE_FACTOR = 1e6
"""A run has diverged once ``F(theta_t) - F(theta_0) > DIVERGENCE_FACTOR * |F(theta_0)|``.

Every objective of :mod:`ftml.losses` is nonnegative, so ``F(theta_0) >= F(theta_0) - F*``:
the rule needs no ``F*`` (the estimators' solvers have none, and asking for a suboptimality
column must not change when a run stops) and no guard for ``F* = 0``: it divides by nothing,
and ``F(theta_0) = 0`` only at a minimiser, where every gradient vanishes. No solver that
converges comes near it: descent methods (gradient descent with a step below 2/L, line
searches, L-BFGS) never rise above ``F(theta_0)``; momentum overshoots by a factor that grows
with the condition number, at most about ``kappa / 7`` for heavy ball on a quadratic (99 at
kappa = 3000 in the shipped ``momentum`` experiment, the largest rise of any converging run
there), which leaves room up to kappa of about 1e7. A constant step ``c / L`` with ``c > 2``
multiplies the top eigen-direction's error by ``c - 1`` per iteration, so the factor is
crossed after a few more than ``log(1e6) / (2 log(c - 1))`` iterations: about 11 at 3/L; 86 at
2.1/L in the shipped ``gd_step_size`` experiment, long before the objective overflows (some
3,700 iterations at 2.1/L, more than its budget of 2000). A stochastic solver is tested at
the end of every epoch.
"""


@dataclass
class OptimizeResult:
    """The output of a solver.

    Parameters
    ----------
    coef : ndarray of shape (n_params,)
        The final iterate; after a divergence, the last iterate with a finite objective.
    n_iter : int
        Iterations run (deterministic solvers) or epochs run (stochastic solvers).
    converged : bool
        Whether the stopping tolerance was met.
    diverged : bool
        Whether the run diverged, which stopped the solver: the iterate or the objective
        became infinite or NaN, or the objective rose above its start by more than
        ``DIVERGENCE_FACTOR`` (1e6) times ``|F(theta_0)|``. The diverging iterate is not
        recorded.
    history : dict of str to list
        Columns of equal length, one entry per recorded iterate: ``"iteration"``,
        ``"passes"`` (effective passes over the data: gradient evaluations divided by n),
        ``"objective"``, and ``"suboptimality"`` (objective minus ``f_star``) only when
        ``f_star`` was given, ``"distance"`` (``||theta - theta_star||^2``) only when
        ``theta_star`` was given.
    message : str
        Why the solver stopped, for people; :func:`finish` writes the standard one when
        the solver leaves it empty.
    """

    coef: np.ndarray
    n_iter: int
    converged: bool = False
    diverged: bool = False
    history: dict = field(default_factory=dict)
    message: str = ""


class HistoryRecorder:
    """Record objective values (and distances to a reference optimum) along a run, and
    tell when it diverges.

    The first call of :meth:`record` is the start, ``theta_0``. A later iterate diverges if it
    or its objective is infinite or NaN, or if
    ``F(theta_t) - F(theta_0) > DIVERGENCE_FACTOR * |F(theta_0)|`` with
    ``DIVERGENCE_FACTOR = 1e6`` (see it for the reasons of that choice): an exploding run is
    stopped while it is still finite. Nothing is recorded from the diverging iterate on.

    Parameters
    ----------
    objective : LinearObjective
        Anything with a ``value(theta) -> float`` method.
    f_star : float, default=None
        The optimal value; adds the ``"suboptimality"`` column.
    theta_star : array-like of shape (n_params,), default=None
        The optimum; adds the ``"distance"`` column, ``||theta - theta_star||^2``.

    Attributes
    ----------
    history : dict of str to list
        The columns described in :class:`OptimizeResult`.
    last_objective : float or None
        The objective at the last recorded iterate.
    last_theta : ndarray or None
        A copy of the last recorded iterate (finite objective).
    divergence : str or None
        Why the run diverged, quoted by :func:`finish`; None while it has not.

    Examples
    --------
    >>> from ftml.losses import LinearObjective
    >>> objective = LinearObjective([[1.0], [2.0]], [1.0, 2.0], "square")
    >>> recorder = HistoryRecorder(objective, f_star=0.0)
    >>> recorder.record(0, 0.0, np.zeros(1)), recorder.record(1, 1.0, np.array([1e4]))
    (True, False)
    >>> recorder.history
    {'iteration': [0], 'passes': [0.0], 'objective': [1.25], 'suboptimality': [1.25]}
    >>> recorder.divergence
    'the objective rose from 1.25 to 1.25e+08, by more than 1e+06 times |F(θ₀)|'
    """

    def __init__(self, objective, f_star=None, theta_star=None):
        self.objective = objective
        self.f_star = None if f_star is None else float(f_star)
        self.theta_star = None if theta_star is None else np.asarray(theta_star, float)
        self.history = {"iteration": [], "passes": [], "objective": []}
        if self.f_star is not None:
            self.history["suboptimality"] = []
        if self.theta_star is not None:
            self.history["distance"] = []
        self.last_objective = None
        self.last_theta = None
        self.divergence = None
        self._start = None

    def record(self, iteration, passes, theta):
        """Append one row; return False, recording nothing, if the run has diverged.

        Parameters
        ----------
        iteration : int
            Iteration (or epoch) number; 0 for the starting point.
        passes : float
            Effective passes over the data so far.
        theta : ndarray of shape (n_params,)
            The current iterate.

        Returns
        -------
        recorded : bool
            False if the run has diverged, at this iterate or before (see the class): the
            solver should stop and report ``diverged=True``.
        """
        if self.divergence is not None:
            return False
        theta = np.asarray(theta, dtype=np.float64)
        value = np.nan
        if np.all(np.isfinite(theta)):
            with np.errstate(over="ignore", invalid="ignore"):
                value = self.objective.value(theta)
        if not np.isfinite(value):
            self.divergence = "the objective became infinite or NaN"
            return False
        if self._start is None:
            self._start = value
        elif value - self._start > DIVERGENCE_FACTOR * abs(self._start):
            self.divergence = (f"the objective rose from {self._start:.3g} to {value:.3g}, "
                               f"by more than {DIVERGENCE_FACTOR:g} times |F(θ₀)|")
            return False
        self.history["iteration"].append(int(iteration))
        self.history["passes"].append(float(passes))
        self.history["objective"].append(value)
        if self.f_star is not None:
            self.history["suboptimality"].append(value - self.f_star)
        if self.theta_star is not None:
            self.history["distance"].append(float(np.sum((theta - self.theta_star) ** 2)))
        self.last_objective = value
        self.last_theta = theta.copy()
        return True


def finish(result, max_iter, *, solver="solver", grad_norm=None, tol=None,
           unit="iteration", divergence=None):
    """End a solver's run: write ``result.message`` if empty, and warn unless it converged.

    Every solver of :mod:`ftml.optim` ends with it, so that the stopping cases are told
    apart, and worded, in one place:

    - converged: no warning;
    - diverged (see :class:`HistoryRecorder`): a warning quoting why, to decrease the step;
    - the budget ran out (``result.n_iter >= max_iter``): a warning to increase it;
    - stopped earlier for a reason of its own (Armijo backtracking found no step, scipy's
      line search failed), given in ``result.message``: a warning quoting it.

    Parameters
    ----------
    result : OptimizeResult
        The solver's output. An empty ``message`` is replaced by the standard one for its
        case ("Converged: ...", "Diverged at ...: why.", "Reached max_iter=...").
    max_iter : int
        The solver's budget of iterations (or epochs).
    solver : str, default="solver"
        The solver's name, quoted in the warning.
    grad_norm : float, default=None
        The norm of the full gradient at the end (its largest entry for ``lbfgs``), quoted
        in the message and the warning.
    tol : float, default=None
        The stopping tolerance, quoted likewise.
    unit : {"iteration", "epoch"}, default="iteration"
        What ``n_iter`` counts; the budget is called ``max_iter`` or ``max_epochs``.
    divergence : str, default=None
        Why the run diverged, :attr:`HistoryRecorder.divergence`; None reads "the objective
        became infinite or NaN".

    Returns
    -------
    result : OptimizeResult
        The same object.

    Warns
    -----
    ConvergenceWarning
        Unless ``result.converged``.
    """
    budget = "max_epochs" if unit == "epoch" else "max_iter"
    measured = "" if grad_norm is None else f"gradient norm {grad_norm:.3e}"
    versus = "" if tol is None else f"tol={tol}"
    divergence = divergence or "the objective became infinite or NaN"
    if not result.message:
        if result.diverged:
            result.message = f"Diverged at {unit} {result.n_iter}: {divergence}."
        elif result.converged:
            reached = " <= ".join(filter(None, [measured, versus]))
            result.message = f"Converged: {reached}." if reached else "Converged."
        elif result.n_iter >= max_iter:
            result.message = f"Reached {budget}={max_iter}."
        else:
            result.message = f"Stopped at {unit} {result.n_iter}."
    if result.converged and not result.diverged:
        return result
    detail = ", ".join(filter(None, [measured, versus]))
    detail = f" ({detail})" if detail else ""
    if result.diverged:
        text = (f"{solver} diverged at {unit} {result.n_iter}: {divergence}. Decrease the "
                "step size.")
    elif result.n_iter >= max_iter:
        text = (f"{solver} did not converge: it reached {budget}={max_iter} before its "
                f"tolerance{detail}. Increase {budget} or the step size.")
    else:
        text = f"{solver} stopped before its tolerance{detail}: {result.message.rstrip('.')}."
    warnings.warn(text, ConvergenceWarning, stacklevel=3)
    return result


def initial_coef(objective, coef0=None):
    """Return a float copy of the starting point, zeros by default.

    Parameters
    ----------
    objective : LinearObjective
        The objective; fixes the number of parameters ``n_params``.
    coef0 : array-like of shape (n_params,), default=None
        The starting point; None means zeros.

    Returns
    -------
    coef : ndarray of shape (n_params,)
        A fresh array the solver may update in place.

    Raises
    ------
    ValueError
        If ``coef0`` has the wrong shape or holds NaN or infinite values.
    """
    if coef0 is None:
        return np.zeros(objective.n_params)
    coef = np.array(coef0, dtype=np.float64)
    if coef.shape != (objective.n_params,):
        raise ValueError(
            f"coef0 must have shape ({objective.n_params},), got shape {coef.shape}."
        )
    if not np.all(np.isfinite(coef)):
        raise ValueError("coef0 contains NaN or infinite values.")
    return coef
