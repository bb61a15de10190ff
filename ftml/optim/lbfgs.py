"""L-BFGS through scipy: the reference solver that computes optima to full precision."""

import numbers

import numpy as np
from scipy.optimize import minimize

from ftml.optim._result import HistoryRecorder, OptimizeResult, finish, initial_coef
from ftml.validation import check_scalar

__all__ = ["lbfgs"]


def lbfgs(
    objective,
    *,
    max_iter=15000,
    tol=1e-12,
    coef0=None,
    f_star=None,
    theta_star=None,
    memory=20,
):
    """Minimise ``objective`` with scipy's L-BFGS-B (no bounds).

    Used to compute the optimum ``theta*`` and ``F*`` against which the other solvers'
    suboptimality is measured, hence the strict defaults: scipy's ``gtol = tol`` (stop when
    the largest absolute entry of the gradient is at most ``tol``, default 1e-12) and
    ``ftol = 0`` (no stopping on a small relative decrease of ``F``), ``maxls = 50`` line
    search steps. In double precision ``F`` stops decreasing once ``F - F*`` is below about
    ``eps |F*|``, typically with a gradient entry near 1e-10, before ``gtol = 1e-12`` is
    met; scipy then stops ("RELATIVE REDUCTION OF F <= FACTR*EPSMCH" or "ABNORMAL" line
    search). That is the precision limit: ``F`` is then optimal to about 1e-15 relative
    and ``theta`` to about ``||grad|| / mu``, and the run counts as converged when the
    gradient's largest entry is at most ``sqrt(tol)``.

    Parameters
    ----------
    objective : LinearObjective
        The function to minimise.
    max_iter : int, default=15000
        Maximum number of L-BFGS iterations.
    tol : float, default=1e-12
        Tolerance on the largest absolute entry of the gradient.
    coef0 : array-like of shape (n_params,), default=None
        Starting point; zeros by default.
    f_star : float, default=None
        Optimal value, adding ``"suboptimality"`` to the history.
    theta_star : array-like of shape (n_params,), default=None
        Optimum, adding ``"distance"`` to the history.
    memory : int, default=20
        Number of correction pairs kept (scipy's ``maxcor``).

    Returns
    -------
    result : OptimizeResult
        ``history["passes"]`` counts the evaluations of ``(F, grad F)``, each one pass; an
        iteration usually needs one, more when the line search backtracks.

    Raises
    ------
    TypeError, ValueError
        If a parameter has the wrong type or range; the message names it.

    Warns
    -----
    ConvergenceWarning
        If ``max_iter`` is reached, or the run stops without meeting the tolerances above.

    References
    ----------
    D. C. Liu and J. Nocedal, "On the limited memory BFGS method for large scale
    optimization", Mathematical Programming, 1989. scipy, ``scipy.optimize.minimize``
    (``method="L-BFGS-B"``).

    Examples
    --------
    >>> from ftml.losses import LinearObjective
    >>> X = np.array([[1.0, 0.0], [0.0, 2.0], [1.0, 1.0]])
    >>> result = lbfgs(LinearObjective(X, [1.0, 2.0, 2.0], "square"))
    >>> result.converged, result.coef.round(10)
    (True, array([1., 1.]))
    """
    check_scalar(max_iter, "max_iter", numbers.Integral, min_val=1)
    check_scalar(tol, "tol", numbers.Real, min_val=0.0)
    check_scalar(memory, "memory", numbers.Integral, min_val=1)
    theta = initial_coef(objective, coef0)
    recorder = HistoryRecorder(objective, f_star=f_star, theta_star=theta_star)
    if not recorder.record(0, 0.0, theta):
        raise ValueError("The objective is not finite at coef0.")
    evaluations = [0]
    iterations = [0]

    def fun(theta):
        evaluations[0] += 1
        return objective.value_and_gradient(theta)

    def callback(theta):
        iterations[0] += 1
        recorder.record(iterations[0], float(evaluations[0]), theta)

    solution = minimize(
        fun,
        theta,
        jac=True,
        method="L-BFGS-B",
        callback=callback,
        options={"maxiter": max_iter, "gtol": tol, "ftol": 0.0, "maxls": 50,
                 "maxcor": memory},
    )
    coef = np.asarray(solution.x, dtype=np.float64)
    grad_max = float(np.max(np.abs(objective.gradient(coef))))
    # status 1 is max_iter; other stops (no decrease of F, abnormal line search) are the
    # precision limit of double precision when the gradient is already small.
    converged = grad_max <= tol or (solution.status != 1 and grad_max <= np.sqrt(tol))
    # Its line search only accepts decreases, so the recorder never sees a divergence unless
    # the objective is not finite.
    diverged = recorder.divergence is not None or not np.isfinite(solution.fun)
    message = str(solution.message)
    result = OptimizeResult(
        coef=coef,
        n_iter=int(solution.nit),
        converged=bool(converged),
        diverged=bool(diverged),
        history=recorder.history,
        message=message,
    )
    return finish(result, max_iter, solver="lbfgs", grad_norm=grad_max, tol=tol,
                  divergence=recorder.divergence)
