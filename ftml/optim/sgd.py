"""Stochastic gradient descent with decreasing steps and Polyak-Ruppert averaging."""

import numbers

import numpy as np

from ftml.optim import _kernels
from ftml.optim._result import HistoryRecorder, OptimizeResult, finish, initial_coef
from ftml.validation import check_random_state, check_scalar

__all__ = ["sgd"]


def sgd(
    objective,
    *,
    step=None,
    schedule="constant",
    t0=None,
    averaging=False,
    max_epochs=100,
    tol=1e-10,
    coef0=None,
    f_star=None,
    theta_star=None,
    random_state=None,
):
    """Minimise ``objective`` by stochastic gradient descent.

    Step ``t`` (counted from 0 across epochs) draws a sample ``i`` uniformly and moves along
    its gradient, ``w <- w - gamma_t (d_i(w) x_i + alpha mask w)``, an unbiased estimate of
    the full gradient. With a constant step the iterates do not converge: they reach, at a
    linear rate, a neighbourhood of the optimum whose size is proportional to the step and
    to the variance of the gradients there, then fluctuate (a noise floor). Decreasing steps
    or averaging remove the floor.

    Parameters
    ----------
    objective : LinearObjective
        The function to minimise, with the ``square`` or ``logistic`` loss.
    step : float, default=None
        The initial step ``gamma_0``; by default ``1 / L_max`` with ``L_max = max_i L_i``
        (``objective.sample_smoothness()``).
    schedule : {"constant", "inverse_sqrt", "inverse_time"}, default="constant"
        ``gamma_t = gamma_0``, ``gamma_0 / sqrt(t + 1)`` or ``gamma_0 / (1 + t / t0)``.
    t0 : float, default=None
        The time scale of ``"inverse_time"``: the step has halved after ``t0`` steps. By
        default ``n_samples`` (one epoch); ignored by the other schedules.
    averaging : bool, default=False
        Polyak-Ruppert averaging: return (and record in the history) the mean of the
        iterates ``w_1, ..., w_t`` after each step, computed on the fly.
    max_epochs : int, default=100
        Maximum number of epochs of ``n`` steps.
    tol : float, default=1e-10
        Stop at the end of an epoch when the full gradient norm at the returned point (the
        average with ``averaging``) is at most ``tol``. SGD with a constant step rarely gets
        there.
    coef0 : array-like of shape (n_params,), default=None
        Starting point; zeros by default.
    f_star : float, default=None
        Optimal value, adding ``"suboptimality"`` to the history.
    theta_star : array-like of shape (n_params,), default=None
        Optimum, adding ``"distance"`` to the history.
    random_state : None, int or numpy.random.Generator, default=None
        Seeds the uniform draws, with replacement, of each epoch's ``n`` indices.

    Returns
    -------
    result : OptimizeResult
        One row per epoch, one pass per epoch (``n`` sample gradients); the full gradient
        and the objective computed at each epoch's end for the test and the history are
        not counted.

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
    The course, chapter "Optimization for machine learning" (stochastic gradient descent,
    decreasing steps, averaging). F. Bach, *Learning Theory from First Principles*, MIT
    Press, 2024, Section 5.4. B. T. Polyak and A. B. Juditsky, "Acceleration of stochastic
    approximation by averaging", SIAM J. Control Optim. 30(4), 1992.

    Examples
    --------
    >>> from ftml.losses import LinearObjective
    >>> X = np.array([[1.0, 0.0], [0.0, 2.0], [1.0, 1.0]])
    >>> objective = LinearObjective(X, [1.0, 2.0, 2.0], "square")  # interpolation: no noise
    >>> result = sgd(objective, max_epochs=2000, random_state=0)
    >>> result.converged, result.coef.round(8)
    (True, array([1., 1.]))
    """
    if schedule not in _kernels.SCHEDULES:
        raise ValueError(
            "schedule must be 'constant', 'inverse_sqrt' or 'inverse_time', got "
            f"{schedule!r}."
        )
    check_scalar(averaging, "averaging", (bool, np.bool_))
    check_scalar(max_epochs, "max_epochs", numbers.Integral, min_val=1)
    check_scalar(tol, "tol", numbers.Real, min_val=0.0)
    if step is None:
        step = 1.0 / objective.sample_smoothness().max()
    check_scalar(step, "step", numbers.Real, min_val=0.0, include_boundaries="neither")
    if t0 is None:
        t0 = objective.n_samples
    check_scalar(t0, "t0", numbers.Real, min_val=0.0, include_boundaries="neither")
    code = _kernels.loss_code(objective.loss)
    rng = check_random_state(random_state)
    X, y = objective.X_, objective.y_
    n_samples = X.shape[0]
    n_penalized = int(np.count_nonzero(objective.penalty_mask_))
    coef = initial_coef(objective, coef0)
    average = coef.copy()
    current = average if averaging else coef  # the point returned and recorded

    epoch_end = _kernels.EpochEnd(objective, code)  # value and gradient in one pass
    recorder = HistoryRecorder(epoch_end, f_star=f_star, theta_star=theta_star)
    if not recorder.record(0, 0.0, current):
        raise ValueError("The objective is not finite at coef0.")
    grad_norm = float(np.linalg.norm(epoch_end.gradient))
    t, n_iter, converged, diverged = 0, 0, False, False
    while True:
        if grad_norm <= tol:
            converged = True
            break
        if n_iter == max_epochs:
            break
        indices = rng.integers(0, n_samples, size=n_samples)
        t, _ = _kernels.sgd_epoch(X, y, coef, average, indices, t, objective.alpha,
                                  n_penalized, code, float(step),
                                  _kernels.SCHEDULES.index(schedule), float(t0), averaging)
        n_iter += 1
        if not recorder.record(n_iter, float(n_iter), current):
            diverged = True
            break
        grad_norm = float(np.linalg.norm(epoch_end.gradient))

    result = OptimizeResult(coef=recorder.last_theta if diverged else current, n_iter=n_iter,
                            converged=converged, diverged=diverged, history=recorder.history)
    return finish(result, max_epochs, solver="sgd", grad_norm=grad_norm, tol=tol,
                  unit="epoch", divergence=recorder.divergence)
