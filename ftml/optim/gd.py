"""Gradient descent with a constant step, exact line search or Armijo backtracking."""

import numbers

import numpy as np

from ftml.optim._result import HistoryRecorder, OptimizeResult, finish, initial_coef
from ftml.validation import check_scalar

__all__ = ["gradient_descent"]

_MAX_HALVINGS = 60
_ROUNDING = 16 * np.finfo(np.float64).eps


def gradient_descent(
    objective,
    *,
    step=None,
    line_search=None,
    max_iter=1000,
    tol=1e-10,
    coef0=None,
    f_star=None,
    theta_star=None,
):
    """Minimise ``objective`` by gradient descent, ``theta <- theta - gamma grad F(theta)``.

    Parameters
    ----------
    objective : LinearObjective
        The function to minimise.
    step : float, default=None
        The constant step ``gamma``; by default ``1 / L`` with ``L =
        objective.smoothness()``. Any ``gamma < 2 / L`` converges on a convex problem;
        larger steps may diverge, which stops the run with ``diverged=True``. With
        ``line_search="armijo"`` it is the first trial step (default 1.0); with
        ``line_search="exact"`` it is ignored.
    line_search : {None, "exact", "armijo"}, default=None
        ``"exact"`` minimises ``F`` along the gradient, ``gamma = ||g||^2 / (g^T H g)``,
        which is exact only for quadratic objectives (the square loss). ``"armijo"``
        backtracks from twice the previous step, halving until ``F(theta - gamma g) <=
        F(theta) - (gamma / 2) ||g||^2``; near the optimum, where that decrease is below the
        rounding error of ``F``, until ``grad F(theta - gamma g)^T g >= 0`` instead.
    max_iter : int, default=1000
        Maximum number of iterations.
    tol : float, default=1e-10
        Stop when ``||grad F(theta)|| <= tol``.
    coef0 : array-like of shape (n_params,), default=None
        Starting point; zeros by default.
    f_star : float, default=None
        Optimal value, adding ``"suboptimality"`` to the history.
    theta_star : array-like of shape (n_params,), default=None
        Optimum, adding ``"distance"`` (``||theta - theta_star||^2``) to the history.

    Returns
    -------
    result : OptimizeResult
        ``history["passes"]`` counts one pass per full gradient, plus one per Hessian-vector
        product (exact line search) or per trial evaluation of ``F`` or ``grad F`` (Armijo).
        ``history["gradient_cosine"]`` holds the cosine between the gradient at each iterate
        and at the previous one (None at the start, where there is none).

    Raises
    ------
    TypeError, ValueError
        If a parameter has the wrong type or range (the message names it), or if
        ``line_search="exact"`` is asked for a non-quadratic loss.

    Warns
    -----
    ConvergenceWarning
        If ``max_iter`` is reached before ``tol``, if the run diverges, or if Armijo
        backtracking finds no acceptable step in 60 halvings.

    References
    ----------
    The course, chapter "Optimization for machine learning" (gradient descent, step 1/L,
    rates for convex and strongly convex objectives, line search). F. Bach, *Learning
    Theory from First Principles*, MIT Press, 2024, Section 5.2.

    Examples
    --------
    >>> from ftml.losses import LinearObjective
    >>> X = np.array([[1.0, 0.0], [0.0, 2.0], [1.0, 1.0]])
    >>> objective = LinearObjective(X, [1.0, 2.0, 2.0], "square")
    >>> result = gradient_descent(objective)
    >>> result.converged, result.coef.round(8)
    (True, array([1., 1.]))
    """
    if line_search not in (None, "exact", "armijo"):
        raise ValueError(
            f"line_search must be None, 'exact' or 'armijo', got {line_search!r}."
        )
    if line_search == "exact" and objective.loss.name != "square":
        raise ValueError(
            "line_search='exact' needs a quadratic objective (the 'square' loss), got the "
            f"{objective.loss.name!r} loss; use line_search='armijo'."
        )
    check_scalar(max_iter, "max_iter", numbers.Integral, min_val=1)
    check_scalar(tol, "tol", numbers.Real, min_val=0.0)
    if step is not None:
        check_scalar(step, "step", numbers.Real, min_val=0.0, include_boundaries="neither")
    elif line_search is None:
        step = 1.0 / objective.smoothness()
    elif line_search == "armijo":
        step = 1.0
    theta = initial_coef(objective, coef0)

    recorder = HistoryRecorder(objective, f_star=f_star, theta_star=theta_star)
    if not recorder.record(0, 0.0, theta):
        raise ValueError("The objective is not finite at coef0.")
    # cos(grad F(theta_t), grad F(theta_{t-1})), undefined (None) at the start: exact line
    # search on a quadratic makes successive gradients orthogonal.
    cosines = recorder.history["gradient_cosine"] = [None]
    value, grad = objective.value_and_gradient(theta)
    passes, n_iter, converged, diverged, stalled = 1.0, 0, False, False, False
    while True:
        grad_norm = float(np.linalg.norm(grad))
        if grad_norm <= tol:
            converged = True
            break
        if n_iter == max_iter:
            break
        if line_search == "exact":
            curvature = grad @ objective.hessian_vector_product(theta, grad)
            passes += 1.0
            step = grad_norm**2 / curvature
        elif line_search == "armijo":
            step, value, trials = _armijo(objective, theta, value, grad, 2.0 * step)
            passes += trials
            if step is None:
                stalled = True
                break
        theta = theta - step * grad
        n_iter += 1
        if not recorder.record(n_iter, passes, theta):
            diverged = True
            break
        previous = grad
        value, grad = objective.value_and_gradient(theta)
        passes += 1.0
        norms = np.linalg.norm(grad) * np.linalg.norm(previous)
        cosines.append(float(grad @ previous / norms) if norms > 0 else 0.0)

    message = ""
    if stalled:
        message = (
            f"Armijo backtracking found no acceptable step at iteration {n_iter} "
            f"(gradient norm {grad_norm:.3e})."
        )
    result = OptimizeResult(
        coef=recorder.last_theta if diverged else theta,
        n_iter=n_iter,
        converged=converged,
        diverged=diverged,
        history=recorder.history,
        message=message,
    )
    # The stall's message already quotes the gradient norm.
    return finish(result, max_iter, solver="gradient_descent", tol=tol,
                  grad_norm=None if stalled else grad_norm, divergence=recorder.divergence)


def _armijo(objective, theta, value, grad, step):
    """Halve ``step`` until the Armijo condition holds; return (step, new value, passes).

    Once the predicted decrease ``step ||g||^2 / 2`` is below the rounding error of ``F``,
    function values can no longer certify a decrease; the step is then accepted if it does
    not overshoot the minimum along ``-g``, ``grad F(theta - step g)^T g >= 0`` (the
    approximate Wolfe condition of Hager and Zhang, 2005, which for a quadratic is the
    Armijo condition with constant 1/2). The step is None if ``_MAX_HALVINGS`` halvings
    found no acceptable step.
    """
    decrease = 0.5 * float(grad @ grad)
    rounding = _ROUNDING * abs(value)
    passes = 0.0
    for _ in range(_MAX_HALVINGS):
        candidate = theta - step * grad
        with np.errstate(over="ignore", invalid="ignore"):
            new_value = objective.value(candidate)
        passes += 1.0
        if new_value <= value - step * decrease:
            return step, new_value, passes
        if step * decrease <= rounding and np.isfinite(new_value):
            passes += 1.0
            if objective.gradient(candidate) @ grad >= 0.0:
                return step, new_value, passes
        step *= 0.5
    return None, value, passes
