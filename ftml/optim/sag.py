"""Stochastic average gradient (SAG) and SAGA for linear models, with numba kernels."""

import numbers

import numpy as np

from ftml.optim import _kernels
from ftml.optim._result import HistoryRecorder, OptimizeResult, finish, initial_coef
from ftml.validation import check_random_state, check_scalar

__all__ = ["sag", "saga"]

_SAMPLINGS = ("uniform", "lipschitz")
_STEP_RULES = {"1/L": 1.0, "1/16L": 1.0 / 16.0, "1/3L": 1.0 / 3.0}


def sag(
    objective,
    *,
    step="1/L",
    line_search=False,
    sampling="uniform",
    max_epochs=100,
    tol=1e-10,
    coef0=None,
    f_star=None,
    theta_star=None,
    random_state=None,
):
    """Minimise ``objective`` by the stochastic average gradient method (SAG).

    Each step draws a sample ``i``, replaces its stored gradient by ``grad f_i(w)`` and moves
    along the average of the stored gradients::

        G <- G + (d_i(w) - memory_i) x_i,   memory_i <- d_i(w),
        w <- (1 - step alpha) w - (step / m) G,

    where ``d_i(w) = loss'(x_i^T w, y_i)``: for a linear model the gradient of a sample is
    ``d_i x_i``, so the memory is *one scalar per sample*, and the penalty's gradient is
    applied exactly rather than stored (Schmidt et al., Section 4, "Exact and efficient
    regularization"). The memory starts at zero and ``m`` counts the samples seen so far,
    which is ``n`` once all have been drawn. The biased but low-variance direction converges
    linearly with a constant step, unlike SGD.

    Parameters
    ----------
    objective : LinearObjective
        The function to minimise, with the ``square`` or ``logistic`` loss.
    step : {"1/L", "1/16L"} or float, default="1/L"
        ``"1/16L"`` is the step of the convergence theorem, ``"1/L"`` the step the authors
        recommend in practice, with ``L = max_i L_i`` (``objective.sample_smoothness()``,
        which includes ``alpha``), as scikit-learn. A float is used as is.
    line_search : bool, default=False
        Estimate ``L`` instead (Section 4, "Line-search when L is unknown"): start from
        ``L = 1``; at each step, if ``||f_i'(w)||^2 > 2^-26``, double ``L`` until
        ``f_i(w - f_i'(w) / L) <= f_i(w) - ||f_i'(w)||^2 / (2 L)`` for the sampled loss term
        ``f_i``; step ``1 / (L + alpha)`` (or ``1 / (16 (L + alpha))`` with
        ``step="1/16L"``); then multiply ``L`` by ``2^(-1/n)``, so that it can decrease.
        Needs a string ``step`` and uniform sampling.
    sampling : {"uniform", "lipschitz"}, default="uniform"
        ``"lipschitz"`` draws ``i`` with probability ``(1/2)(1/n) + (1/2) L_i / sum_j
        L_j`` (Section 4, "Non-uniform example selection"), which helps when the ``L_i``
        differ. The step is then ``(1 - m/n) / L_max + (m/n) (1/2) (1/L_max + 1/L_mean)``
        (times 1/16 for ``"1/16L"``), that of the authors' released code for this
        sampling: ``1/L_max`` until every sample is seen, then half-way towards
        ``1/L_mean``. The memory is not reweighted (all copies of a term in the paper's
        argument are updated at once). Unlike that code, which draws not-yet-seen samples
        uniformly first, each epoch's indices are drawn up front from the mixture.
    max_epochs : int, default=100
        Maximum number of epochs of ``n`` steps.
    tol : float, default=1e-10
        Stop at the end of an epoch when ``||grad F(w)|| <= tol``.
    coef0 : array-like of shape (n_params,), default=None
        Starting point; zeros by default.
    f_star : float, default=None
        Optimal value, adding ``"suboptimality"`` to the history.
    theta_star : array-like of shape (n_params,), default=None
        Optimum, adding ``"distance"`` to the history.
    random_state : None, int or numpy.random.Generator, default=None
        Seeds the draws (:func:`ftml.validation.check_random_state`); each epoch's ``n``
        indices are drawn with replacement by numpy and handed to the kernel.

    Returns
    -------
    result : OptimizeResult
        ``n_iter`` counts epochs; the history has one row per epoch, ``passes`` advancing by
        one (``n`` sample gradients). The full gradient of the stopping test and the
        objective of the history, both computed at each epoch's end, are monitoring and not
        counted in ``passes``.

    Raises
    ------
    TypeError, ValueError
        If a parameter has the wrong type or range (the message names it), for a loss other
        than ``square`` and ``logistic``, or for ``line_search`` with a float ``step`` or
        non-uniform sampling.

    Warns
    -----
    ConvergenceWarning
        If ``max_epochs`` is reached before ``tol``, or if the run diverges.

    See Also
    --------
    saga : The unbiased variant.
    sklearn.linear_model.LogisticRegression : ``solver="sag"``, the same method.

    References
    ----------
    M. Schmidt, N. Le Roux and F. Bach, "Minimizing finite sums with the stochastic average
    gradient", *Mathematical Programming* 162, 2017 (Algorithm 1; Section 4, implementation
    details: structured gradients, regularisation, line search, non-uniform sampling).
    The course, chapter "Optimization for machine learning" (variance reduction).

    Examples
    --------
    >>> from ftml.losses import LinearObjective
    >>> X = np.array([[1.0, 0.0], [0.0, 2.0], [1.0, 1.0]])
    >>> objective = LinearObjective(X, [1.0, 2.0, 2.0], "square")
    >>> result = sag(objective, max_epochs=1000, random_state=0)
    >>> result.converged, result.coef.round(8)
    (True, array([1., 1.]))
    """
    if sampling not in _SAMPLINGS:
        raise ValueError(f"sampling must be 'uniform' or 'lipschitz', got {sampling!r}.")
    check_scalar(line_search, "line_search", (bool, np.bool_))
    factor = _step_factor(step, ("1/L", "1/16L"))
    if line_search and factor is None:
        raise ValueError(
            f"line_search=True estimates L: step must be '1/L' or '1/16L', got {step!r}."
        )
    if line_search and sampling != "uniform":
        raise ValueError("line_search=True needs sampling='uniform', got 'lipschitz'.")
    lipschitz = objective.sample_smoothness()
    probabilities = None
    if factor is None:
        step_unseen = step_seen = float(step)
    elif sampling == "uniform":
        step_unseen = step_seen = factor / lipschitz.max()
    else:
        step_unseen = factor / lipschitz.max()
        step_seen = factor * 0.5 * (1.0 / lipschitz.max() + 1.0 / lipschitz.mean())
        probabilities = 0.5 / lipschitz.size + 0.5 * lipschitz / lipschitz.sum()
    return _run(objective, "sag", step_unseen, step_seen, line_search, factor or 1.0,
                probabilities, max_epochs, tol, coef0, f_star, theta_star, random_state)


def saga(
    objective,
    *,
    step="1/3L",
    max_epochs=100,
    tol=1e-10,
    coef0=None,
    f_star=None,
    theta_star=None,
    random_state=None,
):
    """Minimise ``objective`` by SAGA, the unbiased variant of SAG.

    Each step draws ``i`` and moves along an unbiased estimate of the full gradient::

        w <- (1 - step alpha) w - step ((d_i(w) - memory_i) x_i + G / m),

    then stores ``memory_i <- d_i(w)`` and updates ``G = sum_j memory_j x_j``. As in
    :func:`sag` (and scikit-learn), the memory is one scalar per sample, starts at zero
    (rather than at the gradients of a first full pass) and ``m`` counts the samples seen;
    from the first time all are seen on, this is exactly SAGA.

    Parameters
    ----------
    objective : LinearObjective
        The function to minimise, with the ``square`` or ``logistic`` loss.
    step : "1/3L" or float, default="1/3L"
        ``1 / (3 L_max)``, the step of Defazio et al.'s theorem, with ``L_max = max_i L_i``
        (``objective.sample_smoothness()``); a float is used as is.
    max_epochs : int, default=100
        Maximum number of epochs of ``n`` steps.
    tol : float, default=1e-10
        Stop at the end of an epoch when ``||grad F(w)|| <= tol``.
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
        As for :func:`sag`: one row per epoch, one pass per epoch; the monitoring at epoch
        ends is not counted.

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
    A. Defazio, F. Bach and S. Lacoste-Julien, "SAGA: A fast incremental gradient method
    with support for non-strongly convex composite objectives", NeurIPS 2014.

    Examples
    --------
    >>> from ftml.losses import LinearObjective
    >>> X = np.array([[1.0, 0.0], [0.0, 2.0], [1.0, 1.0]])
    >>> objective = LinearObjective(X, [1.0, 2.0, 2.0], "square")
    >>> result = saga(objective, max_epochs=1000, random_state=0)
    >>> result.converged, result.coef.round(8)
    (True, array([1., 1.]))
    """
    factor = _step_factor(step, ("1/3L",))
    if factor is None:
        step_size = float(step)
    else:
        step_size = factor / objective.sample_smoothness().max()
    return _run(objective, "saga", step_size, step_size, False, 1.0, None, max_epochs, tol,
                coef0, f_star, theta_star, random_state)


def _step_factor(step, rules):
    """The factor of a step rule such as "1/16L" (1/16), or None for a checked float."""
    if isinstance(step, str):
        if step not in rules:
            allowed = ", ".join(repr(rule) for rule in rules)
            raise ValueError(f"step must be {allowed} or a positive float, got {step!r}.")
        return _STEP_RULES[step]
    check_scalar(step, "step", numbers.Real, min_val=0.0, include_boundaries="neither")
    return None


def _run(objective, method, step_unseen, step_seen, line_search, step_factor, probabilities,
         max_epochs, tol, coef0, f_star, theta_star, random_state):
    """The epoch loop shared by SAG and SAGA."""
    check_scalar(max_epochs, "max_epochs", numbers.Integral, min_val=1)
    check_scalar(tol, "tol", numbers.Real, min_val=0.0)
    code = _kernels.loss_code(objective.loss)
    rng = check_random_state(random_state)
    X, y = objective.X_, objective.y_
    n_samples, n_params = X.shape
    n_penalized = int(np.count_nonzero(objective.penalty_mask_))
    coef = initial_coef(objective, coef0)
    grad_sum, memory = np.zeros(n_params), np.zeros(n_samples)
    seen, n_seen = np.zeros(n_samples, dtype=bool), 0
    lipschitz = np.ones(1)  # the line search's estimate of the loss part's L
    row_norms = np.einsum("ij,ij->i", X, X) if line_search else np.zeros(1)

    epoch_end = _kernels.EpochEnd(objective, code)  # value and gradient in one pass
    recorder = HistoryRecorder(epoch_end, f_star=f_star, theta_star=theta_star)
    if not recorder.record(0, 0.0, coef):
        raise ValueError("The objective is not finite at coef0.")
    grad_norm = float(np.linalg.norm(epoch_end.gradient))
    n_iter, converged, diverged = 0, False, False
    while True:
        if grad_norm <= tol:
            converged = True
            break
        if n_iter == max_epochs:
            break
        if probabilities is None:
            indices = rng.integers(0, n_samples, size=n_samples)
        else:
            indices = rng.choice(n_samples, size=n_samples, p=probabilities)
        n_seen, _ = _kernels.sag_epoch(
            X, y, coef, grad_sum, memory, seen, n_seen, indices, objective.alpha,
            n_penalized, code, method == "saga", step_unseen, step_seen, line_search,
            lipschitz, row_norms, step_factor)
        n_iter += 1
        if not recorder.record(n_iter, float(n_iter), coef):
            diverged = True
            break
        grad_norm = float(np.linalg.norm(epoch_end.gradient))

    result = OptimizeResult(coef=recorder.last_theta if diverged else coef, n_iter=n_iter,
                            converged=converged, diverged=diverged, history=recorder.history)
    return finish(result, max_epochs, solver=method, grad_norm=grad_norm, tol=tol,
                  unit="epoch", divergence=recorder.divergence)
