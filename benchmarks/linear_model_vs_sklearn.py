"""Fit time and coefficient agreement of ftml's OLS and Ridge against scikit-learn's.

Usage: python benchmarks/linear_model_vs_sklearn.py

For each problem size, every estimator is fitted ``N_REPEATS`` times, the estimators taking
turns within each repeat (interleaved), so that a slow period of the machine hits all of
them alike. The table reports median fit times, the ratio ftml / scikit-learn of those
medians from the same run, and the largest absolute coefficient difference. ftml's Ridge
``alpha`` is matched by scikit-learn's ``alpha = n_samples * alpha`` (see ftml.linear_model
.Ridge). BLAS is pinned to one thread so that neither side wins by parallelism.
"""

import platform
import time

import numpy as np
import sklearn
import sklearn.linear_model
from threadpoolctl import threadpool_info, threadpool_limits

from ftml.linear_model import OLS, Ridge

SIZES = [(1000, 10), (10000, 100), (2000, 1000), (500, 2000)]
ALPHA = 1.0
N_REPEATS = 5
SEED = 0


def make_problem(n_samples, n_features, seed=SEED):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n_samples, n_features))
    y = X @ rng.normal(size=n_features) + 1.0 + 0.5 * rng.normal(size=n_samples)
    return X, y


def comparisons(n_samples):
    """(label, ftml factory, scikit-learn label, scikit-learn factory) per row."""
    alpha_sk = n_samples * ALPHA
    return [
        ("OLS", OLS, "LinearRegression", sklearn.linear_model.LinearRegression),
        (f"Ridge({ALPHA:g})", lambda: Ridge(ALPHA), f'Ridge({alpha_sk:g}, solver="svd")',
         lambda: sklearn.linear_model.Ridge(alpha_sk, solver="svd")),
        (f"Ridge({ALPHA:g})", lambda: Ridge(ALPHA), f"Ridge({alpha_sk:g})",
         lambda: sklearn.linear_model.Ridge(alpha_sk)),
    ]


def timed_fit(factory, X, y):
    model = factory()
    start = time.perf_counter()
    model.fit(X, y)
    return time.perf_counter() - start, model


def benchmark(n_samples, n_features):
    X, y = make_problem(n_samples, n_features)
    rows = comparisons(n_samples)
    times = [([], []) for _ in rows]
    models = [None] * len(rows)
    for _ in range(N_REPEATS):
        for i, (_, ours, _, theirs) in enumerate(rows):
            t_ours, m_ours = timed_fit(ours, X, y)
            t_theirs, m_theirs = timed_fit(theirs, X, y)
            times[i][0].append(t_ours)
            times[i][1].append(t_theirs)
            models[i] = (m_ours, m_theirs)
    for (label, _, label_sk, _), (t_ours, t_theirs), (m_ours, m_theirs) in zip(
        rows, times, models
    ):
        median_ours, median_theirs = np.median(t_ours), np.median(t_theirs)
        coef_diff = np.max(np.abs(m_ours.coef_ - m_theirs.coef_))
        yield (n_samples, n_features, label, label_sk, 1e3 * median_ours,
               1e3 * median_theirs, median_ours / median_theirs, coef_diff)


def main():
    with threadpool_limits(limits=1):
        libraries = ", ".join(
            f"{info['internal_api']} {info.get('version')} ({info['num_threads']} thread)"
            for info in threadpool_info()
        )
        print("ftml OLS / Ridge vs scikit-learn: fit time, median of "
              f"{N_REPEATS} interleaved repeats")
        print(f"BLAS/OpenMP pinned to 1 thread with threadpoolctl.threadpool_limits(1): "
              f"{libraries}")
        print(f"numpy {np.__version__}, scikit-learn {sklearn.__version__}, "
              f"Python {platform.python_version()}, {platform.machine()}")
        print(f"ftml Ridge(alpha) == sklearn Ridge(alpha=n_samples*alpha); fit_intercept=True; "
              f"seed {SEED}")
        header = (f"{'n':>6} {'d':>5}  {'ftml':<10} {'scikit-learn':<32} {'ftml ms':>9} "
                  f"{'sklearn ms':>10} {'ratio':>6} {'max|dcoef|':>10}")
        print(header)
        print("-" * len(header))
        for n_samples, n_features in SIZES:
            for n, d, label, label_sk, ms_ours, ms_theirs, ratio, diff in benchmark(
                n_samples, n_features
            ):
                print(f"{n:>6} {d:>5}  {label:<10} {label_sk:<32} {ms_ours:>9.2f} "
                      f"{ms_theirs:>10.2f} {ratio:>6.2f} {diff:>10.1e}")


if __name__ == "__main__":
    main()
