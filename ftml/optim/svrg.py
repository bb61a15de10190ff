"""Stochastic variance-reduced gradient (SVRG) for linear models."""

import numbers

import numpy as np

from ftml.optim import _kernels
from ftml.optim._result import HistoryRecorder, OptimizeResult, finish, initial_coef
from ftml.validation import check_random_state, check_scalar

__all__ = ["svrg"]


def svrg(
    objective,
    *,
    step=None,
    inner_loop=None,
    max_epochs=100,
    tol=1e-10,
    coef0=None,
    f_star=None,
    theta_star=None,
    random_state=None,
):
    """Minimise ``objective`` by SVRG (Johnson and Zhang's option I).

    Each epoch takes a snapshot ``w~`` of the iterate, computes the full gradient ``mu~ =
    grad F(w~)`` in one pass, then runs ``inner_loop`` steps with uniformly drawn samples::

        w <- w - step (grad f_i(w) - grad f_i(w~) + mu~),

    an unbiased gradient estimate whose variance vanishes as ``w`` and ``w~`` approach the
    optimum, so a constant step converges linearly. For a linear model ``grad f_i(w) -
    grad f_i(w~) = (d_i(w) - d_i(w~)) x_i + alpha mask (w - w~)``: the snapshot's derivatives
    ``d_i(w~)`` are stored (one scalar per sample), so an inner step costs one sample
    gradient, not two. The next snapshot is the last iterate.

    Parameters
    ----------
    objective : LinearObjective
        The function to minimise, with the ``square`` or ``logistic`` loss.
    step : float, default=None
        By default ``1 / (10 L_max)`` with ``L_max = max_i L_i``
        (``objective.sample_smoothness()``), the step of Johnson and Zhang's analysis and
        experiments (any step below ``1 / (4 L_max)`` converges with a long enough loop).
    inner_loop : int, default=None
        Steps per epoch; by default ``2 n``, the authors' choice for convex problems.
    max_epochs : int, default=100
        Maximum number of epochs (snapshots).
    tol : float, default=1e-10
        Stop when ``||grad F(w~)|| <= tol`` at a snapshot, that is at the end of an epoch
        (the snapshot's full gradient doubles as the stopping test).
    coef0 : array-like of shape (n_params,), default=None
        Starting point; zeros by default.
    f_star : float, default=None
        Optimal value, adding ``"suboptimality"`` to the history.
    theta_star : array-like of shape (n_params,), default=None
        Optimum, adding ``"distance"`` to the history.
    random_state : None, int or numpy.random.Generator, default=None
        Seeds the uniform draws, with replacement, of each inner loop's indices.

    Returns
    -------
    result : OptimizeResult
        One row per epoch; ``passes`` advances by ``1 + inner_loop / n`` per epoch (the
        snapshot's full gradient plus one sample gradient per inner step). The objective
        evaluated for the history is not counted.

    Raises
    ------
    TypeError, ValueError
        If a parameter has the wrong type or range (the message names it), or for a loss
        other than ``square`` and ``logistic``.

    Warns
    -----
    ConvergenceWarning
        If ``max_epochs`` is reached before ``tol``, or if the run diverges.

    References
    ----------
    R. Johnson and T. Zhang, "Accelerating stochastic gradient descent using predictive
    variance reduction", NeurIPS 2013. The course, chapter "Optimization for machine
    learning" (variance reduction).

    Examples
    --------
    >>> from ftml.losses import LinearObjective
    >>> X = np.array([[1.0, 0.0], [0.0, 2.0], [1.0, 1.0]])
    >>> objective = LinearObjective(X, [1.0, 2.0, 2.0], "square")
    >>> result = svrg(objective, max_epochs=1000, random_state=0)
    >>> result.converged, result.coef.round(8)
    (True, array([1., 1.]))
    """
    check_scalar(max_epochs, "max_epochs", numbers.Integral, min_val=1)
    check_scalar(tol, "tol", numbers.Real, min_val=0.0)
    if step is None:
        step = 0.1 / objective.sample_smoothness().max()
    check_scalar(step, "step", numbers.Real, min_val=0.0, include_boundaries="neither")
    if inner_loop is None:
        inner_loop = 2 * objective.n_samples
    check_scalar(inner_loop, "inner_loop", numbers.Integral, min_val=1)
    code = _kernels.loss_code(objective.loss)
    rng = check_random_state(random_state)
    X, y = objective.X_, objective.y_
    n_samples = X.shape[0]
    n_penalized = int(np.count_nonzero(objective.penalty_mask_))
    coef = initial_coef(objective, coef0)

    # The snapshot's pass also gives the history's objective: the recorder's value(theta)
    # call computes F, grad F and the derivatives d_i(theta) in one read of X.
    snapshot = _kernels.EpochEnd(objective, code)
    recorder = HistoryRecorder(snapshot, f_star=f_star, theta_star=theta_star)
    if not recorder.record(0, 0.0, coef):
        raise ValueError("The objective is not finite at coef0.")
    passes, n_iter, converged, diverged = 1.0, 0, False, False
    while True:
        gradient = snapshot.gradient
        grad_norm = float(np.linalg.norm(gradient))
        if grad_norm <= tol:
            converged = True
            break
        if n_iter == max_epochs:
            break
        # the penalty's part of mu~ cancels against grad f_i(w~): keep the loss part
        snapshot_mean = gradient - objective.alpha * objective.penalty_mask_ * coef
        indices = rng.integers(0, n_samples, size=inner_loop)
        _kernels.svrg_inner_loop(X, y, coef, snapshot.derivatives, snapshot_mean, indices,
                                 float(step), objective.alpha, n_penalized, code)
        passes += inner_loop / n_samples
        n_iter += 1
        if not recorder.record(n_iter, passes, coef):  # the next snapshot
            diverged = True
            break
        passes += 1.0

    result = OptimizeResult(coef=recorder.last_theta if diverged else coef, n_iter=n_iter,
                            converged=converged, diverged=diverged, history=recorder.history)
    return finish(result, max_epochs, solver="svrg", grad_norm=grad_norm, tol=tol,
                  unit="epoch", divergence=recorder.divergence)
