"""Accelerated gradient methods: Polyak's heavy ball and Nesterov's accelerated gradient."""

import numbers

import numpy as np

from ftml.optim._result import HistoryRecorder, OptimizeResult, finish, initial_coef
from ftml.validation import check_scalar

__all__ = ["heavy_ball", "nesterov"]


def heavy_ball(
    objective,
    *,
    step=None,
    momentum=None,
    max_iter=1000,
    tol=1e-10,
    coef0=None,
    f_star=None,
    theta_star=None,
):
    """Minimise ``objective`` by Polyak's heavy-ball method.

    ``theta_{k+1} = theta_k - step grad F(theta_k) + momentum (theta_k - theta_{k-1})``.

    Parameters
    ----------
    objective : LinearObjective
        The function to minimise.
    step : float, default=None
        By default ``4 / (sqrt(L) + sqrt(mu))^2``, Polyak's optimal step for a strongly
        convex quadratic with constants ``L = objective.smoothness()`` and ``mu =
        objective.strong_convexity()``.
    momentum : float, default=None
        In [0, 1). By default ``((sqrt(kappa) - 1) / (sqrt(kappa) + 1))^2`` with ``kappa =
        L / mu``; the distance to the optimum then contracts at the rate ``(sqrt(kappa) -
        1) / (sqrt(kappa) + 1)`` per iteration, about ``sqrt(kappa)`` iterations per
        constant factor instead of ``kappa`` for gradient descent. The guarantee holds for
        quadratics only; on other objectives these defaults may fail to converge.
    max_iter : int, default=1000
        Maximum number of iterations.
    tol : float, default=1e-10
        Stop when ``||grad F(theta_k)|| <= tol``.
    coef0 : array-like of shape (n_params,), default=None
        Starting point (``theta_{-1} = theta_0``); zeros by default.
    f_star : float, default=None
        Optimal value, adding ``"suboptimality"`` to the history.
    theta_star : array-like of shape (n_params,), default=None
        Optimum, adding ``"distance"`` to the history.

    Returns
    -------
    result : OptimizeResult
        One gradient, hence one pass, per iteration.

    Raises
    ------
    TypeError, ValueError
        If a parameter has the wrong type or range (the message names it), or if a default
        is asked for on an objective that is not strongly convex (``mu = 0``).

    Warns
    -----
    ConvergenceWarning
        If ``max_iter`` is reached before ``tol``, or if the run diverges.

    References
    ----------
    B. T. Polyak, "Some methods of speeding up the convergence of iteration methods", USSR
    Computational Mathematics and Mathematical Physics, 1964. The course, chapter
    "Optimization for machine learning" (acceleration).

    Examples
    --------
    >>> from ftml.losses import LinearObjective
    >>> X = np.array([[1.0, 0.0], [0.0, 2.0], [1.0, 1.0]])
    >>> result = heavy_ball(LinearObjective(X, [1.0, 2.0, 2.0], "square"))
    >>> result.converged, result.coef.round(8)
    (True, array([1., 1.]))
    """
    _check_common(max_iter, tol)
    if step is None or momentum is None:
        L, mu = objective.smoothness(), objective.strong_convexity()
        if mu <= 0:
            raise ValueError(
                "heavy_ball's default step and momentum need a strongly convex objective, "
                f"got strong_convexity() == {mu}; pass step and momentum, or use nesterov."
            )
        if step is None:
            step = 4.0 / (np.sqrt(L) + np.sqrt(mu)) ** 2
        if momentum is None:
            root = np.sqrt(L / mu)
            momentum = ((root - 1.0) / (root + 1.0)) ** 2
    check_scalar(step, "step", numbers.Real, min_val=0.0, include_boundaries="neither")
    check_scalar(momentum, "momentum", numbers.Real, min_val=0.0, max_val=1.0,
                 include_boundaries="left")

    def momentum_at(k):
        return momentum

    return _momentum_loop(objective, "heavy_ball", step, momentum_at, False, max_iter, tol,
                          coef0, f_star, theta_star)


def nesterov(
    objective,
    *,
    step=None,
    momentum="auto",
    max_iter=1000,
    tol=1e-10,
    coef0=None,
    f_star=None,
    theta_star=None,
):
    """Minimise ``objective`` by Nesterov's accelerated gradient method.

    ``eta_k = theta_k + beta_k (theta_k - theta_{k-1})`` and ``theta_{k+1} = eta_k - step
    grad F(eta_k)``.

    Parameters
    ----------
    objective : LinearObjective
        The function to minimise.
    step : float, default=None
        By default ``1 / L``.
    momentum : {"auto", "convex", "strongly_convex"} or float, default="auto"
        ``"convex"``: ``beta_k = (k - 1) / (k + 2)`` for ``k = 1, 2, ...``, giving
        ``F(theta_k) - F* <= 2 L ||theta_0 - theta*||^2 / (k + 1)^2``.
        ``"strongly_convex"``: ``beta = (sqrt(kappa) - 1) / (sqrt(kappa) + 1)``, giving a
        linear rate ``(1 - 1 / sqrt(kappa))^k``. ``"auto"`` picks ``"strongly_convex"`` when
        ``objective.strong_convexity() > 0`` and ``"convex"`` otherwise. A float in [0, 1)
        is used as a constant momentum.
    max_iter : int, default=1000
        Maximum number of iterations.
    tol : float, default=1e-10
        Stop when ``||grad F(eta_k)|| <= tol``; the returned ``theta_{k+1}`` has a gradient
        no larger (a gradient step of size ``1/L`` does not increase the gradient norm of a
        convex ``L``-smooth function).
    coef0 : array-like of shape (n_params,), default=None
        Starting point (``theta_{-1} = theta_0``); zeros by default.
    f_star : float, default=None
        Optimal value, adding ``"suboptimality"`` to the history.
    theta_star : array-like of shape (n_params,), default=None
        Optimum, adding ``"distance"`` to the history.

    Returns
    -------
    result : OptimizeResult
        The history records the iterates ``theta_k``; one pass per iteration.

    Raises
    ------
    TypeError, ValueError
        If a parameter has the wrong type or range (the message names it), or if
        ``"strongly_convex"`` is asked for on an objective with ``mu = 0``.

    Warns
    -----
    ConvergenceWarning
        If ``max_iter`` is reached before ``tol``, or if the run diverges.

    References
    ----------
    Y. Nesterov, *Introductory Lectures on Convex Optimization*, Springer, 2004, Section 2.2.
    The course, chapter "Optimization for machine learning" (acceleration). F. Bach,
    *Learning Theory from First Principles*, MIT Press, 2024, Section 5.2.

    Examples
    --------
    >>> from ftml.losses import LinearObjective
    >>> X = np.array([[1.0, 0.0], [0.0, 2.0], [1.0, 1.0]])
    >>> result = nesterov(LinearObjective(X, [1.0, 2.0, 2.0], "square"))
    >>> result.converged, result.coef.round(8)
    (True, array([1., 1.]))
    """
    _check_common(max_iter, tol)
    if step is None:
        step = 1.0 / objective.smoothness()
    check_scalar(step, "step", numbers.Real, min_val=0.0, include_boundaries="neither")
    if isinstance(momentum, str):
        if momentum not in ("auto", "convex", "strongly_convex"):
            raise ValueError(
                "momentum must be 'auto', 'convex', 'strongly_convex' or a float in [0, 1), "
                f"got {momentum!r}."
            )
        mu = objective.strong_convexity()
        if momentum == "auto":
            momentum = "strongly_convex" if mu > 0 else "convex"
        if momentum == "strongly_convex":
            if mu <= 0:
                raise ValueError(
                    "momentum='strongly_convex' needs a strongly convex objective, got "
                    f"strong_convexity() == {mu}."
                )
            root = np.sqrt(objective.smoothness() / mu)
            constant = (root - 1.0) / (root + 1.0)

            def momentum_at(k):
                return constant
        else:

            def momentum_at(k):
                return (k - 1.0) / (k + 2.0)
    else:
        check_scalar(momentum, "momentum", numbers.Real, min_val=0.0, max_val=1.0,
                     include_boundaries="left")
        constant = momentum

        def momentum_at(k):
            return constant

    return _momentum_loop(objective, "nesterov", step, momentum_at, True, max_iter, tol,
                          coef0, f_star, theta_star)


def _check_common(max_iter, tol):
    check_scalar(max_iter, "max_iter", numbers.Integral, min_val=1)
    check_scalar(tol, "tol", numbers.Real, min_val=0.0)


def _momentum_loop(objective, solver, step, momentum_at, lookahead, max_iter, tol, coef0,
                   f_star, theta_star):
    # Heavy ball evaluates the gradient at theta_k, Nesterov at the extrapolated point.
    theta = initial_coef(objective, coef0)
    previous = theta.copy()
    recorder = HistoryRecorder(objective, f_star=f_star, theta_star=theta_star)
    if not recorder.record(0, 0.0, theta):
        raise ValueError("The objective is not finite at coef0.")
    n_iter, converged, diverged = 0, False, False
    while True:
        beta = momentum_at(n_iter + 1)
        velocity = beta * (theta - previous)
        point = theta + velocity if lookahead else theta
        grad = objective.gradient(point)
        grad_norm = float(np.linalg.norm(grad))
        converged = grad_norm <= tol
        # Nesterov's gradient is at eta_k: on convergence, still take the (safe) 1/L step
        # so that the returned point is an iterate of the history.
        if n_iter == max_iter or (converged and not lookahead):
            break
        previous, theta = theta, point - step * grad + (0.0 if lookahead else velocity)
        n_iter += 1
        if not recorder.record(n_iter, float(n_iter), theta):
            diverged, converged = True, False
            break
        if converged:
            break
    result = OptimizeResult(
        coef=recorder.last_theta if diverged else theta,
        n_iter=n_iter,
        converged=converged,
        diverged=diverged,
        history=recorder.history,
    )
    return finish(result, max_iter, solver=solver, grad_norm=grad_norm, tol=tol,
                  divergence=recorder.divergence)
