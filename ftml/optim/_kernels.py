"""The per-sample loops of the stochastic solvers, compiled with numba.

Each kernel runs one epoch (or one inner loop) of its method over a given array of sample
indices, updating its arrays in place. The solvers in :mod:`ftml.optim.sgd`,
:mod:`ftml.optim.sag` and :mod:`ftml.optim.svrg` draw the indices with numpy, so a kernel and
a reference implementation fed the same indices must agree to rounding.

All kernels work on a dense, C-contiguous float64 design matrix ``X`` (the objective's
``X_``, with its column of ones when there is an intercept) and a linear model: the gradient
of ``f_i(w) = loss(x_i^T w, y_i) + (alpha/2) ||w_pen||^2`` is ``d_i x_i + alpha mask w``, so
a sample's gradient is stored as one scalar ``d_i`` and the penalty is applied exactly. The
first ``n_penalized`` coordinates are penalised; the remaining ones (the intercept, the last
coordinate of ``X_``) are not. The loss is one of :mod:`ftml.losses`' scalar functions,
compiled here and never re-derived, selected by an integer code (:func:`loss_code`): a
branch the CPU predicts perfectly, which keeps the kernels cacheable (``cache=True``).

Speed. A step reads one random row ``x_i`` (``8 n_params`` bytes) and touches the gradient
sum and the iterate, which stay in cache. Three things keep it short (measured on a 2-core
AMD EPYC VM, see ``benchmarks/sag_vs_sklearn.py``):

- the update of the iterate and the dot product ``x_j^T w`` of the *next* step are fused in a
  single loop over the coordinates (the next index is known), so ``w`` is read once a step;
- the row ``PREFETCH_DISTANCE`` steps ahead is prefetched (``llvm.prefetch``), so the random
  read overlaps the arithmetic instead of stalling it (without it a step on data larger than
  the caches is 1.5 to 2.5 times slower);
- ``fastmath`` is restricted to ``reassoc``, ``contract`` and ``nsz``, which lets LLVM split
  the dot product over SIMD lanes (a serial sum costs 4 cycles an entry) and fuse multiply
  and add. It changes results only by rounding (the tests compare against plain numpy to
  1e-12); ``nnan``/``ninf`` are left out so that divergence is still detected.

The L2 shrinkage ``w <- (1 - step alpha) w`` is applied in the same fused loop, at no extra
memory traffic. scikit-learn instead keeps ``w = wscale * v`` and rescales lazily, which pays
off for *sparse* rows, where the rest of the update is lazy too; on dense rows the SAG update
``w -= (step/m) G`` touches every coordinate anyway, so the scale trick would save nothing.

At each epoch's end a solver needs the objective (for its history) and the full gradient
(for its stopping test); :class:`EpochEnd` computes both in one pass over ``X``
(:func:`loss_pass`), which matters because that pass costs about as much as an epoch.

Without numba. ``NUMBA_AVAILABLE`` is False when numba cannot be imported, and the names
below are then bound to numpy fallbacks (the ``*_numpy`` functions, always defined). The
epoch-end pass is vectorised numpy. The epoch kernels cannot be: every step depends on the
previous one, so the fallback is a Python loop over the samples whose per-step work (dot
product, updates) is vectorised numpy over the coordinates. It is a slow reference, about
two orders of magnitude slower than the compiled kernels, used only when numba is missing.
"""

import math

import numpy as np

from ftml import losses

try:
    import numba
    from llvmlite import ir
    from numba.core import cgutils, types
    from numba.extending import intrinsic
except ImportError:  # pragma: no cover - exercised only without numba
    numba = None

__all__ = [
    "NUMBA_AVAILABLE",
    "PREFETCH_DISTANCE",
    "EpochEnd",
    "loss_code",
    "loss_pass",
    "loss_pass_numpy",
    "sag_epoch",
    "sag_epoch_numpy",
    "sgd_epoch",
    "sgd_epoch_numpy",
    "svrg_inner_loop",
    "svrg_inner_loop_numpy",
]

NUMBA_AVAILABLE = numba is not None
"""Whether the kernels are compiled; if False the ``*_numpy`` fallbacks are used."""

PREFETCH_DISTANCE = 4
"""How many steps ahead a kernel prefetches the row it will read (2 to 12 measured equally
good, within noise, for 100 and 500 features on the machine of the module docstring)."""

SQUARE, LOGISTIC = 0, 1
_LOSS_CODES = {"square": SQUARE, "logistic": LOGISTIC}
SCHEDULES = ("constant", "inverse_sqrt", "inverse_time")
_LINE_SEARCH_PRECISION = 2.0**-26  # skip the test when ||f_i'||^2 is below, as Schmidt et al.


def loss_code(loss):
    """The integer that selects ``loss`` in the kernels.

    Parameters
    ----------
    loss : ftml.losses.Loss

    Returns
    -------
    code : int

    Raises
    ------
    ValueError
        If the loss has no compiled derivative (only ``square`` and ``logistic`` do).
    """
    try:
        return _LOSS_CODES[loss.name]
    except KeyError:
        raise ValueError(
            f"The stochastic solvers handle the losses {', '.join(_LOSS_CODES)}, "
            f"got {loss.name!r}."
        ) from None


# --- numba kernels -------------------------------------------------------------------------

if NUMBA_AVAILABLE:
    _FASTMATH = {"reassoc", "contract", "nsz"}
    _square_value = numba.njit(cache=True)(losses.square_value)
    _square_derivative = numba.njit(cache=True)(losses.square_derivative)
    _logistic_value = numba.njit(cache=True)(losses.logistic_value)
    _logistic_derivative = numba.njit(cache=True)(losses.logistic_derivative)

    @numba.njit(cache=True)
    def _value(loss, z, y):
        if loss == SQUARE:
            return _square_value(z, y)
        return _logistic_value(z, y)

    @numba.njit(cache=True)
    def _derivative(loss, z, y):
        if loss == SQUARE:
            return _square_derivative(z, y)
        return _logistic_derivative(z, y)

    @intrinsic
    def _prefetch(typingctx, array, index):
        """Hint the CPU to fetch the cache line of ``array.flat[index]`` (no other effect)."""
        if not (isinstance(array, types.Array) and array.layout == "C"
                and isinstance(index, types.Integer)):
            return None

        def codegen(context, builder, signature, args):
            data = context.make_array(signature.args[0])(context, builder, args[0]).data
            offset = context.cast(builder, args[1], signature.args[1], types.intp)
            i32 = ir.IntType(32)
            function = cgutils.get_or_insert_function(
                builder.module,
                ir.FunctionType(ir.VoidType(), [ir.PointerType(), i32, i32, i32]),
                "llvm.prefetch.p0",
            )
            # read access, keep in all cache levels, data cache
            builder.call(function, [builder.gep(data, [offset]), i32(0), i32(3), i32(1)])
            return context.get_dummy_value()

        return types.void(array, index), codegen

    @numba.njit(cache=True)
    def _prefetch_sample(X, y, i):
        n_params = X.shape[1]
        start = i * n_params
        for j in range(0, n_params, 8):  # one 64-byte line holds 8 float64
            _prefetch(X, start + j)
        _prefetch(X, start + n_params - 1)  # rows need not start on a line boundary
        _prefetch(y, i)

    @numba.njit(cache=True, fastmath=_FASTMATH)
    def _dot(a, b):
        total = 0.0
        for j in range(a.shape[0]):
            total += a[j] * b[j]
        return total

    @numba.njit(cache=True, fastmath=_FASTMATH)
    def _sag_epoch_numba(X, y, coef, grad_sum, memory, seen, n_seen, indices, alpha,
                         n_penalized, loss, saga, step_unseen, step_seen, line_search,
                         lipschitz, row_norms, step_factor):
        """One epoch of SAG or SAGA over ``indices``, in place.

        Parameters
        ----------
        X : ndarray of shape (n_samples, n_params), C-contiguous float64
        y : ndarray of shape (n_samples,)
        coef : ndarray of shape (n_params,)
            The iterate ``w``, updated in place.
        grad_sum : ndarray of shape (n_params,)
            ``G = sum_i memory[i] x_i``, the sum of the stored loss gradients, updated in place.
        memory : ndarray of shape (n_samples,)
            The stored derivative ``d_i`` of each sample (zero before its first visit).
        seen : ndarray of bool of shape (n_samples,)
            Which samples were visited; ``n_seen`` (int) counts them.
        n_seen : int
        indices : ndarray of int64
            The samples of the epoch, in order.
        alpha : float
            The ridge penalty; the first ``n_penalized`` coordinates are penalised.
        n_penalized : int
        loss : int
            :func:`loss_code` of the loss.
        saga : bool
            SAGA's unbiased update instead of SAG's.
        step_unseen, step_seen : float
            The step is ``step_unseen + (m / n) (step_seen - step_unseen)`` with ``m = n_seen``;
            equal for a constant step (they differ for non-uniform sampling).
        line_search : bool
            Ignore the two steps and use ``step_factor / (L + alpha)``, with ``L = lipschitz[0]``
            doubled until ``f_i(w - f_i'(w)/L) <= f_i(w) - ||f_i'(w)||^2 / (2L)`` (loss part
            ``f_i``, test skipped when ``||f_i'(w)||^2 <= 2^-26``) and multiplied by ``2^(-1/n)``
            after each step; ``lipschitz`` (array of shape (1,)) is updated in place and
            ``row_norms`` holds ``||x_i||^2``.
        lipschitz, row_norms, step_factor : see ``line_search``.

        Returns
        -------
        n_seen : int
        finite : bool
            False if a prediction ``x^T w`` became infinite or NaN; the epoch then stopped early.
        """
        n_samples, n_params = X.shape
        n_steps = indices.shape[0]
        if n_steps == 0:
            return n_seen, True
        ls_shrink = 2.0 ** (-1.0 / n_samples)
        for ahead in range(1, min(PREFETCH_DISTANCE, n_steps)):
            _prefetch_sample(X, y, indices[ahead])
        z = _dot(X[indices[0]], coef)
        for k in range(n_steps):
            if k + PREFETCH_DISTANCE < n_steps:
                _prefetch_sample(X, y, indices[k + PREFETCH_DISTANCE])
                _prefetch(memory, indices[k + PREFETCH_DISTANCE])
            i = indices[k]
            x = X[i]
            deriv = _derivative(loss, z, y[i])
            delta = deriv - memory[i]
            memory[i] = deriv
            if not seen[i]:
                seen[i] = True
                n_seen += 1
            if line_search:
                L = lipschitz[0]
                squared_gradient = deriv * deriv * row_norms[i]
                if squared_gradient > _LINE_SEARCH_PRECISION:
                    current = _value(loss, z, y[i])
                    while (_value(loss, z - row_norms[i] * deriv / L, y[i])
                           > current - squared_gradient / (2.0 * L)):
                        L *= 2.0
                step = step_factor / (L + alpha)
                lipschitz[0] = L * ls_shrink
            else:
                step = step_unseen + (n_seen / n_samples) * (step_seen - step_unseen)
            decay = 1.0 - step * alpha
            scale = step / n_seen
            # SAGA: w <- decay w - step (delta x + G_old / m) = decay w - (step/m) G_new
            # - (step - step/m) delta x; SAG has no delta x term.
            correction = (step - scale) * delta if saga else 0.0
            x_next = X[indices[k + 1] if k + 1 < n_steps else i]
            z = 0.0
            for j in range(n_penalized):
                g = grad_sum[j] + delta * x[j]
                grad_sum[j] = g
                w = decay * coef[j] - scale * g - correction * x[j]
                coef[j] = w
                z += x_next[j] * w
            for j in range(n_penalized, n_params):
                g = grad_sum[j] + delta * x[j]
                grad_sum[j] = g
                w = coef[j] - scale * g - correction * x[j]
                coef[j] = w
                z += x_next[j] * w
            if not math.isfinite(z):
                return n_seen, False
        return n_seen, True

    @numba.njit(cache=True, fastmath=_FASTMATH)
    def _sgd_epoch_numba(X, y, coef, average, indices, t, alpha, n_penalized, loss, step0,
                         schedule, t0, averaging):
        """One epoch of stochastic gradient descent over ``indices``, in place.

        ``w <- w - gamma_t (d_i x_i + alpha mask w)`` with ``gamma_t`` given by ``schedule`` (0:
        ``step0``, 1: ``step0 / sqrt(t + 1)``, 2: ``step0 / (1 + t / t0)``) and ``t`` the number of
        steps taken before (across epochs). With ``averaging``, ``average`` holds the mean of the
        iterates after each step, ``average += (w - average) / (t + 1)``.

        Returns
        -------
        t : int
            The step counter after the epoch.
        finite : bool
            False if a prediction became infinite or NaN (the epoch then stopped early).
        """
        n_params = X.shape[1]
        n_steps = indices.shape[0]
        if n_steps == 0:
            return t, True
        for ahead in range(1, min(PREFETCH_DISTANCE, n_steps)):
            _prefetch_sample(X, y, indices[ahead])
        z = _dot(X[indices[0]], coef)
        for k in range(n_steps):
            if k + PREFETCH_DISTANCE < n_steps:
                _prefetch_sample(X, y, indices[k + PREFETCH_DISTANCE])
            i = indices[k]
            x = X[i]
            if schedule == 0:
                step = step0
            elif schedule == 1:
                step = step0 / math.sqrt(t + 1.0)
            else:
                step = step0 / (1.0 + t / t0)
            decay = 1.0 - step * alpha
            move = step * _derivative(loss, z, y[i])
            weight = 1.0 / (t + 1.0)
            x_next = X[indices[k + 1] if k + 1 < n_steps else i]
            z = 0.0
            for j in range(n_penalized):
                w = decay * coef[j] - move * x[j]
                coef[j] = w
                z += x_next[j] * w
            for j in range(n_penalized, n_params):
                w = coef[j] - move * x[j]
                coef[j] = w
                z += x_next[j] * w
            if averaging:
                for j in range(n_params):
                    average[j] += weight * (coef[j] - average[j])
            t += 1
            if not math.isfinite(z):
                return t, False
        return t, True

    @numba.njit(cache=True, fastmath=_FASTMATH)
    def _svrg_inner_loop_numba(X, y, coef, snapshot_derivatives, snapshot_mean, indices,
                               step, alpha, n_penalized, loss):
        """SVRG's inner loop over ``indices``, in place.

        ``w <- w - step (d_i(w) x_i - d_i(w~) x_i + mu~ + alpha mask w)``, with the snapshot's
        derivatives ``snapshot_derivatives[i] = d_i(w~)`` and ``snapshot_mean = (1/n) sum_i d_i(w~)
        x_i`` (the loss part of the full gradient at the snapshot; the penalty's part cancels).

        Returns
        -------
        finite : bool
        """
        n_params = X.shape[1]
        n_steps = indices.shape[0]
        if n_steps == 0:
            return True
        decay = 1.0 - step * alpha
        for ahead in range(1, min(PREFETCH_DISTANCE, n_steps)):
            _prefetch_sample(X, y, indices[ahead])
        z = _dot(X[indices[0]], coef)
        for k in range(n_steps):
            if k + PREFETCH_DISTANCE < n_steps:
                _prefetch_sample(X, y, indices[k + PREFETCH_DISTANCE])
                _prefetch(snapshot_derivatives, indices[k + PREFETCH_DISTANCE])
            i = indices[k]
            x = X[i]
            move = step * (_derivative(loss, z, y[i]) - snapshot_derivatives[i])
            x_next = X[indices[k + 1] if k + 1 < n_steps else i]
            z = 0.0
            for j in range(n_penalized):
                w = decay * coef[j] - move * x[j] - step * snapshot_mean[j]
                coef[j] = w
                z += x_next[j] * w
            for j in range(n_penalized, n_params):
                w = coef[j] - move * x[j] - step * snapshot_mean[j]
                coef[j] = w
                z += x_next[j] * w
            if not math.isfinite(z):
                return False
        return True

    @numba.njit(cache=True, fastmath=_FASTMATH)
    def _loss_pass_numba(X, y, coef, derivatives, loss):
        """One pass over the data: the summed loss, every ``d_i``, and ``sum_i d_i x_i``.

        Fills ``derivatives[i] = loss'(x_i^T coef, y_i)`` and returns ``(sum_i loss(x_i^T
        coef, y_i), X^T derivatives)``, reading each row once where ``X @ coef`` then
        ``X.T @ d`` read ``X`` twice. See :class:`EpochEnd`.
        """
        n_samples, n_params = X.shape
        total = np.zeros(n_params)
        loss_sum = block_sum = 0.0  # summed by blocks of 256 rows, for accuracy
        for i in range(n_samples):
            x = X[i]
            z = _dot(x, coef)
            block_sum += _value(loss, z, y[i])
            if i % 256 == 255:
                loss_sum += block_sum
                block_sum = 0.0
            deriv = _derivative(loss, z, y[i])
            derivatives[i] = deriv
            for j in range(n_params):
                total[j] += deriv * x[j]
        return loss_sum + block_sum, total


# --- numpy fallbacks (always defined; used when numba is missing) --------------------------

_NUMPY_VALUES = {SQUARE: losses.square_value, LOGISTIC: losses.logistic_value}
_NUMPY_DERIVATIVES = {SQUARE: losses.square_derivative, LOGISTIC: losses.logistic_derivative}


def _penalty_decay(n_params, n_penalized, decay):
    factors = np.ones(n_params)
    factors[:n_penalized] = decay
    return factors


def sag_epoch_numpy(X, y, coef, grad_sum, memory, seen, n_seen, indices, alpha, n_penalized,
                    loss, saga, step_unseen, step_seen, line_search, lipschitz, row_norms,
                    step_factor):
    """Numpy fallback of :func:`sag_epoch`: a Python loop over the steps (slow reference)."""
    n_samples, n_params = X.shape
    value, derivative = _NUMPY_VALUES[loss], _NUMPY_DERIVATIVES[loss]
    ls_shrink = 2.0 ** (-1.0 / n_samples)
    with np.errstate(over="ignore", invalid="ignore"):
        for i in indices:
            x = X[i]
            z = float(x @ coef)
            if not math.isfinite(z):
                return n_seen, False
            deriv = float(derivative(z, y[i]))
            delta = deriv - memory[i]
            memory[i] = deriv
            if not seen[i]:
                seen[i] = True
                n_seen += 1
            if line_search:
                L = lipschitz[0]
                squared_gradient = deriv * deriv * row_norms[i]
                if squared_gradient > _LINE_SEARCH_PRECISION:
                    current = value(z, y[i])
                    while (value(z - row_norms[i] * deriv / L, y[i])
                           > current - squared_gradient / (2.0 * L)):
                        L *= 2.0
                step = step_factor / (L + alpha)
                lipschitz[0] = L * ls_shrink
            else:
                step = step_unseen + (n_seen / n_samples) * (step_seen - step_unseen)
            scale = step / n_seen
            correction = (step - scale) * delta if saga else 0.0
            grad_sum += delta * x
            coef *= _penalty_decay(n_params, n_penalized, 1.0 - step * alpha)
            coef -= scale * grad_sum + correction * x
    return n_seen, bool(np.all(np.isfinite(coef)))


def sgd_epoch_numpy(X, y, coef, average, indices, t, alpha, n_penalized, loss, step0,
                    schedule, t0, averaging):
    """Numpy fallback of :func:`sgd_epoch`: a Python loop over the steps (slow reference)."""
    derivative = _NUMPY_DERIVATIVES[loss]
    with np.errstate(over="ignore", invalid="ignore"):
        for i in indices:
            z = float(X[i] @ coef)
            if not math.isfinite(z):
                return t, False
            if schedule == 0:
                step = step0
            elif schedule == 1:
                step = step0 / math.sqrt(t + 1.0)
            else:
                step = step0 / (1.0 + t / t0)
            coef *= _penalty_decay(X.shape[1], n_penalized, 1.0 - step * alpha)
            coef -= step * float(derivative(z, y[i])) * X[i]
            if averaging:
                average += (coef - average) / (t + 1.0)
            t += 1
    return t, bool(np.all(np.isfinite(coef)))


def svrg_inner_loop_numpy(X, y, coef, snapshot_derivatives, snapshot_mean, indices, step,
                          alpha, n_penalized, loss):
    """Numpy fallback of :func:`svrg_inner_loop`: a Python loop over the steps."""
    derivative = _NUMPY_DERIVATIVES[loss]
    decay = _penalty_decay(X.shape[1], n_penalized, 1.0 - step * alpha)
    with np.errstate(over="ignore", invalid="ignore"):
        for i in indices:
            z = float(X[i] @ coef)
            if not math.isfinite(z):
                return False
            move = step * (float(derivative(z, y[i])) - snapshot_derivatives[i])
            coef *= decay
            coef -= move * X[i] + step * snapshot_mean
    return bool(np.all(np.isfinite(coef)))


def loss_pass_numpy(X, y, coef, derivatives, loss):
    """Vectorised numpy version of :func:`loss_pass`."""
    with np.errstate(over="ignore", invalid="ignore"):
        z = X @ coef
        derivatives[:] = _NUMPY_DERIVATIVES[loss](z, y)
        return float(np.sum(_NUMPY_VALUES[loss](z, y))), X.T @ derivatives


if NUMBA_AVAILABLE:
    sag_epoch = _sag_epoch_numba
    sgd_epoch = _sgd_epoch_numba
    svrg_inner_loop = _svrg_inner_loop_numba
    loss_pass = _loss_pass_numba
else:  # pragma: no cover - exercised only without numba
    sag_epoch = sag_epoch_numpy
    sgd_epoch = sgd_epoch_numpy
    svrg_inner_loop = svrg_inner_loop_numpy
    loss_pass = loss_pass_numpy


class EpochEnd:
    """The objective's value and gradient at an epoch's end, in one pass over the data.

    A solver hands this to :class:`ftml.optim.HistoryRecorder` in place of the objective:
    the recorder's call ``value(theta)`` then also computes, in the same read of ``X``, the
    gradient (kept in ``gradient``, for the stopping test) and the derivatives ``d_i``
    (kept in ``derivatives``, SVRG's snapshot). ``objective.value`` followed by
    ``objective.gradient`` would read ``X`` three times, which on large data costs more
    than a SAG epoch. The value and gradient equal ``objective.value_and_gradient(theta)``
    up to rounding (tested).

    Parameters
    ----------
    objective : ftml.losses.LinearObjective
    code : int
        :func:`loss_code` of the objective's loss.

    Attributes
    ----------
    gradient : ndarray of shape (n_params,) or None
        The gradient at the last ``theta`` passed to :meth:`value`.
    derivatives : ndarray of shape (n_samples,)
        ``loss'(x_i^T theta, y_i)`` at that ``theta``.
    """

    def __init__(self, objective, code):
        self.objective = objective
        self.code = code
        self.derivatives = np.empty(objective.n_samples)
        self.gradient = None

    def value(self, theta):
        """``F(theta)``; also sets ``gradient`` and ``derivatives`` at ``theta``."""
        objective = self.objective
        loss_sum, total = loss_pass(objective.X_, objective.y_, theta, self.derivatives,
                                    self.code)
        penalised = objective.penalty_mask_ * theta
        self.gradient = total / objective.n_samples + objective.alpha * penalised
        return float(loss_sum / objective.n_samples + 0.5 * objective.alpha * penalised @ theta)
