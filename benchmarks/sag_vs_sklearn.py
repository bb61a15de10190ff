"""Time to a relative suboptimality of 1e-6: ftml SAG / SAGA against scikit-learn's.

Usage: python benchmarks/sag_vs_sklearn.py [--repeats R]

Problem: dense L2-regularised logistic regression, ``F(w) = (1/n) sum_i log(1 + exp(-y_i
x_i^T w)) + (alpha/2) ||w||^2`` with ``alpha = 1/n`` and no intercept, which is
scikit-learn's ``LogisticRegression(C=1, fit_intercept=False)`` objective divided by ``n``
(``C = 1 / (alpha n)``). Data (seed 0): Gaussian features, standardised column by column;
labels drawn from a logistic model with a random ``w`` of norm 1.

Optimum: Newton's method on ``F`` until the gradient norm is below 1e-13 (it stalls at
rounding, at about 1e-16 here), so ``F*`` is exact to far below the target; the relative
suboptimality is ``(F(w) - F*) / F*``, with ``F`` evaluated by ftml on both libraries' ``w``.

Method. scikit-learn has no callback, so for it a run with ``max_iter = k`` (``tol=0``, a
fixed ``random_state``, whose run with ``k + 1`` epochs extends the one with ``k``) is
started for k = 1, 2, ... until one reaches the target: its ``k`` is the epoch count. ftml
records its objective at each epoch end, so one run with ``f_star`` gives its epoch count.
Then each library's complete call with exactly that many epochs (ftml: building the
``LinearObjective`` and calling the solver, history and stopping test included; sklearn:
``LogisticRegression(...).fit``) is timed ``R`` times, the four solvers taking turns within
each repeat (interleaved), and the table reports medians and the ratio of the medians from
the same run. BLAS and OpenMP are pinned to one thread (threadpoolctl) for both. A warm-up
call before any timing loads (or compiles) ftml's numba kernels, so compile time is
excluded; the line "numba cache" reports whether they came from the on-disk cache.

The last lines compare SAG's kernel with the memory bound: a step reads one random row of
``8 d`` bytes; a numba loop that only sums randomly indexed rows of the same matrix (with
and without the kernel's prefetching) gives the time a step cannot beat.
"""

import argparse
import platform
import time
import warnings

import numba
import numpy as np
import sklearn
from numba import njit
from sklearn.linear_model import LogisticRegression
from threadpoolctl import threadpool_info, threadpool_limits

from ftml.losses import LinearObjective
from ftml.optim import _kernels
from ftml.optim.sag import sag, saga

SIZES = [(100_000, 100), (20_000, 500)]
TARGET = 1e-6
SEED = 0
MAX_EPOCHS = 200


def make_problem(n_samples, n_features, seed=SEED):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n_samples, n_features))
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    w = rng.normal(size=n_features)
    w /= np.linalg.norm(w)
    p = 1.0 / (1.0 + np.exp(-X @ w))
    y = np.where(rng.random(n_samples) < p, 1.0, -1.0)
    return X, y


def newton_optimum(objective, tol=1e-13, max_iter=50):
    """Newton's method with backtracking; returns (theta*, F*, final gradient norm)."""
    theta = np.zeros(objective.n_params)
    value, grad = objective.value_and_gradient(theta)
    for _ in range(max_iter):
        if np.linalg.norm(grad) <= tol:
            break
        direction = np.linalg.solve(objective.hessian(theta), grad)
        step = 1.0
        while objective.value(theta - step * direction) > value and step > 1e-10:
            step *= 0.5
        theta = theta - step * direction
        new_value, grad = objective.value_and_gradient(theta)
        if new_value >= value and step < 1.0:
            break
        value = new_value
    return theta, objective.value(theta), float(np.linalg.norm(grad))


def sklearn_model(solver, n_epochs):
    return LogisticRegression(solver=solver, C=1.0, fit_intercept=False, tol=0.0,
                              max_iter=n_epochs, random_state=SEED)


def sklearn_epochs(solver, X, y, objective, f_star):
    """Smallest max_iter whose run reaches the target, by increasing max_iter."""
    for n_epochs in range(1, MAX_EPOCHS + 1):
        model = sklearn_model(solver, n_epochs).fit(X, y)
        if (objective.value(model.coef_.ravel()) - f_star) / abs(f_star) <= TARGET:
            return n_epochs
    return None


def ftml_epochs(solver, objective, f_star):
    result = solver(objective, max_epochs=MAX_EPOCHS, tol=0.0, f_star=f_star,
                    random_state=SEED)
    relative = np.asarray(result.history["suboptimality"]) / abs(f_star)
    reached = np.flatnonzero(relative <= TARGET)
    return int(result.history["iteration"][reached[0]]) if reached.size else None


def time_ftml(solver, X, y, alpha, n_epochs):
    start = time.perf_counter()
    objective = LinearObjective(X, y, "logistic", alpha=alpha)
    result = solver(objective, max_epochs=n_epochs, tol=0.0, random_state=SEED)
    return time.perf_counter() - start, objective.value(result.coef)


def time_sklearn(solver, X, y, n_epochs, objective):
    start = time.perf_counter()
    model = sklearn_model(solver, n_epochs).fit(X, y)
    return time.perf_counter() - start, objective.value(model.coef_.ravel())


@njit(cache=True)
def _sum_random_rows(X, y, indices, out, prefetch):
    for k in range(indices.shape[0]):
        if prefetch and k + _kernels.PREFETCH_DISTANCE < indices.shape[0]:
            _kernels._prefetch_sample(X, y, indices[k + _kernels.PREFETCH_DISTANCE])
        row = X[indices[k]]
        for j in range(row.shape[0]):
            out[j] += row[j]


def memory_bound(X, y, objective, repeats=5):
    """(ns per SAG step of the kernel alone, ns per random-row read w/o and with prefetch)."""
    n_samples, n_features = X.shape
    rng = np.random.default_rng(1)
    step = 1.0 / objective.sample_smoothness().max()
    coef, grad_sum, memory = np.zeros(n_features), np.zeros(n_features), np.zeros(n_samples)
    seen, n_seen, out = np.zeros(n_samples, dtype=bool), 0, np.zeros(n_features)
    kernel, plain, prefetched = [], [], []
    for _ in range(repeats + 1):  # the first round warms up
        indices = rng.integers(0, n_samples, size=n_samples)
        start = time.perf_counter()
        n_seen, _ = _kernels.sag_epoch(X, y, coef, grad_sum, memory, seen, n_seen, indices,
                                       objective.alpha, n_features, _kernels.LOGISTIC, False,
                                       step, step, False, np.ones(1), np.zeros(1), 1.0)
        kernel.append(time.perf_counter() - start)
        for prefetch, times in ((False, plain), (True, prefetched)):
            indices = rng.integers(0, n_samples, size=n_samples)
            start = time.perf_counter()
            _sum_random_rows(X, y, indices, out, prefetch)
            times.append(time.perf_counter() - start)
    return tuple(1e9 * np.median(times[1:]) / n_samples for times in (kernel, plain, prefetched))


def epoch_breakdown(objective, repeats=5):
    """Milliseconds of the epoch-end monitoring: ftml's one pass, and numpy's three."""
    coef = np.full(objective.n_params, 0.01)
    epoch_end = _kernels.EpochEnd(objective, _kernels.LOGISTIC)
    fused, separate = [], []
    for _ in range(repeats):
        start = time.perf_counter()
        epoch_end.value(coef)
        fused.append(time.perf_counter() - start)
        start = time.perf_counter()
        objective.value(coef)
        objective.gradient(coef)
        separate.append(time.perf_counter() - start)
    return 1e3 * np.median(fused), 1e3 * np.median(separate)


def warm_up():
    """Load (or compile) the kernels; return (seconds, cache hits, cache misses)."""
    X, y = make_problem(50, 3)
    start = time.perf_counter()
    for solver in (sag, saga):
        solver(LinearObjective(X, y, "logistic", alpha=0.1), max_epochs=2, tol=0.0)
    memory_bound(X, y, LinearObjective(X, y, "logistic", alpha=0.1), repeats=1)
    elapsed = time.perf_counter() - start
    kernels = [_kernels._sag_epoch_numba, _kernels._loss_pass_numba]
    hits = sum(sum(k.stats.cache_hits.values()) for k in kernels)
    misses = sum(sum(k.stats.cache_misses.values()) for k in kernels)
    return elapsed, hits, misses


def benchmark(n_samples, n_features, repeats):
    X, y = make_problem(n_samples, n_features)
    alpha = 1.0 / n_samples
    objective = LinearObjective(X, y, "logistic", alpha=alpha)
    _, f_star, grad_norm = newton_optimum(objective)
    pairs = [("SAG", sag, "sag"), ("SAGA", saga, "saga")]
    epochs = {}
    for label, ours, theirs in pairs:
        epochs[label] = (ftml_epochs(ours, objective, f_star),
                         sklearn_epochs(theirs, X, y, objective, f_star))
    times = {label: ([], []) for label, _, _ in pairs}
    reached = {label: [None, None] for label, _, _ in pairs}
    for _ in range(repeats):
        for label, ours, theirs in pairs:
            ours_epochs, theirs_epochs = epochs[label]
            t, value = time_ftml(ours, X, y, alpha, ours_epochs)
            times[label][0].append(t)
            reached[label][0] = (value - f_star) / f_star
            t, value = time_sklearn(theirs, X, y, theirs_epochs, objective)
            times[label][1].append(t)
            reached[label][1] = (value - f_star) / f_star
    rows = []
    for label, _, theirs in pairs:
        ours_time, theirs_time = (np.median(t) for t in times[label])
        rows.append((n_samples, n_features, label, f'LogisticRegression("{theirs}")',
                     *epochs[label], ours_time, theirs_time, ours_time / theirs_time,
                     *reached[label], grad_norm))
    kernel_ns, plain_ns, prefetched_ns = memory_bound(X, y, objective)
    fused_ms, separate_ms = epoch_breakdown(objective)
    notes = [
        f"  memory bound (n={n_samples}, d={n_features}): a SAG step reads 8d = "
          f"{8 * n_features} bytes of x_i; kernel {kernel_ns:.0f} ns/step; summing random "
          f"rows of X {plain_ns:.0f} ns/row ({prefetched_ns:.0f} with the kernel's prefetch)"
          f": the step takes {kernel_ns / plain_ns:.2f}x ({kernel_ns / prefetched_ns:.2f}x) "
          "the memory-bound time",
        f"  per epoch: kernel {kernel_ns * n_samples / 1e6:.1f} ms; at its end, objective "
        f"and gradient in one pass {fused_ms:.1f} ms (objective.value then .gradient: "
        f"{separate_ms:.1f} ms)",
    ]
    return rows, notes


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    warnings.simplefilter("ignore")  # ConvergenceWarning: every run stops at its budget
    with threadpool_limits(limits=1):
        libraries = ", ".join(
            f"{info['internal_api']} {info.get('version')} ({info['num_threads']} thread)"
            for info in threadpool_info()
        )
        seconds, hits, misses = warm_up()
        print(f"ftml SAG/SAGA vs scikit-learn: time to relative suboptimality {TARGET:g}, "
              f"median of {args.repeats} interleaved repeats")
        print(f"dense L2 logistic regression, alpha = 1/n (C = 1), no intercept, seed {SEED}")
        print(f"threads pinned to 1 with threadpoolctl.threadpool_limits(1): {libraries}")
        print(f"numpy {np.__version__}, scikit-learn {sklearn.__version__}, numba "
              f"{numba.__version__}, Python {platform.python_version()}, "
              f"{platform.machine()}, {platform.processor() or 'unknown CPU'}")
        print(f"numba cache: warm-up {seconds:.2f} s, {hits} kernel signatures loaded from "
              f"cache, {misses} compiled (excluded from the timings)")
        header = (f"{'n':>6} {'d':>4}  {'ftml':<5} {'scikit-learn':<26} {'epochs':>7} "
                  f"{'sk ep':>5} {'ftml s':>7} {'sk s':>7} {'ratio':>6} {'ftml rel':>8} "
                  f"{'sk rel':>8} {'|grad F*|':>9}")
        print(header)
        print("-" * len(header))
        for n_samples, n_features in SIZES:
            rows, notes = benchmark(n_samples, n_features, args.repeats)
            for (n, d, label, label_sk, ep, ep_sk, t, t_sk, ratio, rel, rel_sk,
                 grad_norm) in rows:
                print(f"{n:>6} {d:>4}  {label:<5} {label_sk:<26} {ep:>7} {ep_sk:>5} "
                      f"{t:>7.3f} {t_sk:>7.3f} {ratio:>6.3f} {rel:>8.1e} {rel_sk:>8.1e} "
                      f"{grad_norm:>9.1e}")
            print("\n".join(notes))


if __name__ == "__main__":
    main()
