"""Predict time, predictions and peak memory of ftml's k-NN regression against scikit-learn's.

Usage: python benchmarks/neighbors_vs_sklearn.py [--repeats R]

Problem (seed 0): 20,000 training and 5,000 test points with standard Gaussian features,
d = 10 and 100, targets ``sin(x^T w) + 0.1 noise``; ``KNeighborsRegressor(n_neighbors=5)``
of ftml against scikit-learn's ``KNeighborsRegressor(n_neighbors=5, algorithm="brute")``,
both fitted on the same data.

Time. ``predict`` on the 5,000 test points is timed ``R`` times for each estimator, taking
turns within each repeat (interleaved, the first to go alternating), so that a slow period
of the machine, which is shared, hits all of them alike; the table gives the medians and
the ratio of the medians from the same run. Besides ftml's default search (numba kernels,
:mod:`ftml.neighbors._kernels`), the row "ftml (numpy)" times its fallback without numba,
the search before the kernels. BLAS and OpenMP are pinned to one thread, by the
environment before numpy loads them and by ``threadpoolctl.threadpool_limits(1)``. A
warm-up call of each before any timing imports numba and loads ftml's compiled kernels
from its cache (or compiles them), so that this once-per-process cost is excluded.

Predictions. ``np.array_equal`` of the two predictions, and their largest absolute
difference. They can differ only at a query whose 5th and 6th nearest training points are
equally distant up to rounding: the libraries compute distances with different roundings
and break ties differently (see :mod:`ftml.neighbors._base`); the column "near ties" counts
the queries whose 5th and 6th squared distances differ by at most 1e-12 relatively.

Memory. The peak of the memory allocated during one ``predict`` (``tracemalloc``, which
numpy reports its arrays to; BLAS's own buffers, allocated when it loads, are not
counted), beside the ``8 n_train n_test`` bytes of the full distance matrix, for d = 10 and
growing numbers of test points: the search holds one block of distances at a time (at most
``ftml.neighbors._base.BLOCK_BYTES``, or ``WORKING_MEMORY`` for the numpy search), and
what grows with the test points is only their ``k`` neighbours, distances and prediction.
"""

import os

# One thread, set before numpy and scikit-learn load their BLAS and OpenMP runtimes (which
# read these once); threadpoolctl below pins the libraries already loaded as well.
for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_variable] = "1"

import argparse  # noqa: E402
import platform  # noqa: E402
import time  # noqa: E402
import tracemalloc  # noqa: E402

import numba  # noqa: E402
import numpy as np  # noqa: E402
import sklearn  # noqa: E402
import sklearn.neighbors  # noqa: E402
from threadpoolctl import threadpool_info, threadpool_limits  # noqa: E402

from ftml.neighbors import KNeighborsRegressor, _base, _kernels  # noqa: E402

N_TRAIN = 20_000
N_TEST = 5_000
N_FEATURES = (10, 100)
N_NEIGHBORS = 5
MEMORY_N_TEST = (1_000, 5_000, 20_000, 80_000)  # with d = 10
SEED = 0
MiB = 2**20


def make_problem(n_train, n_test, n_features, seed=SEED):
    """Gaussian training and test points, and smooth noisy targets for the training ones."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n_train, n_features))
    w = rng.standard_normal(n_features) / np.sqrt(n_features)
    y = np.sin(X @ w) + 0.1 * rng.standard_normal(n_train)
    return X, y, rng.standard_normal((n_test, n_features))


def without_numba(predict):
    """``predict`` by ftml's numpy search, its fallback when numba is missing."""
    def run(Q):
        _kernels.NUMBA_AVAILABLE = False
        try:
            return predict(Q)
        finally:
            _kernels.NUMBA_AVAILABLE = True
    return run


def timed(predict, Q):
    start = time.perf_counter()
    prediction = predict(Q)
    return time.perf_counter() - start, prediction


def near_ties(model, Q, rtol=1e-12):
    """The number of queries whose k-th and (k+1)-th squared distances are within ``rtol``."""
    squared = model.kneighbors(Q, N_NEIGHBORS + 1)[0] ** 2
    kth, next_ = squared[:, N_NEIGHBORS - 1], squared[:, N_NEIGHBORS]
    return int(np.count_nonzero(next_ - kth <= rtol * kth))


def benchmark(n_features, repeats):
    """Time the three predicts on one problem; return the table's rows for it."""
    X, y, Q = make_problem(N_TRAIN, N_TEST, n_features)
    ours = KNeighborsRegressor(N_NEIGHBORS).fit(X, y)
    theirs = sklearn.neighbors.KNeighborsRegressor(n_neighbors=N_NEIGHBORS,
                                                   algorithm="brute").fit(X, y)
    runs = [("ftml", ours.predict), ("ftml (numpy)", without_numba(ours.predict)),
            ("scikit-learn", theirs.predict)]
    for _, predict in runs:  # warm-up: numba's import and cache, first-call costs
        predict(Q)
    times = {label: [] for label, _ in runs}
    predictions = {}
    for repeat in range(repeats):
        for label, predict in runs if repeat % 2 == 0 else runs[::-1]:
            seconds, predictions[label] = timed(predict, Q)
            times[label].append(seconds)
    reference = np.median(times["scikit-learn"])
    ties = near_ties(ours, Q)
    rows = []
    for label, _ in runs:
        prediction = predictions[label]
        rows.append((n_features, label, 1e3 * np.median(times[label]),
                     np.median(times[label]) / reference,
                     np.array_equal(prediction, predictions["scikit-learn"]),
                     np.max(np.abs(prediction - predictions["scikit-learn"])), ties))
    return rows


def peak_memory(predict, Q):
    """The peak of the bytes allocated (and traced) during ``predict(Q)``."""
    tracemalloc.start()
    try:
        predict(Q)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def memory_rows():
    """Peak memory of ftml's predict, both searches, as the number of test points grows."""
    X, y, Q = make_problem(N_TRAIN, max(MEMORY_N_TEST), N_FEATURES[0])
    model = KNeighborsRegressor(N_NEIGHBORS).fit(X, y)
    model.predict(Q[:MEMORY_N_TEST[0]])  # numba's import is no part of a predict's memory
    for n_test in MEMORY_N_TEST:
        yield (n_test, 8 * N_TRAIN * n_test / MiB, peak_memory(model.predict, Q[:n_test]) / MiB,
               peak_memory(without_numba(model.predict), Q[:n_test]) / MiB)


def machine():
    """The processor's name, from /proc/cpuinfo where there is one."""
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    with threadpool_limits(limits=1):
        libraries = ", ".join(
            f"{info['internal_api']} {info.get('version')} ({info['num_threads']} thread)"
            for info in threadpool_info()
        )
        print(f"k-NN regression predict, k = {N_NEIGHBORS}, {N_TRAIN} training and {N_TEST} "
              f"test points: median of {args.repeats} interleaved repeats, seed {SEED}")
        print(f"ftml KNeighborsRegressor({N_NEIGHBORS}) vs scikit-learn "
              f'KNeighborsRegressor(n_neighbors={N_NEIGHBORS}, algorithm="brute")')
        print(f"1 thread (environment and threadpoolctl.threadpool_limits(1)): {libraries}")
        print(f"numpy {np.__version__}, scikit-learn {sklearn.__version__}, numba "
              f"{numba.__version__}, Python {platform.python_version()}; {machine()}, "
              f"{os.cpu_count()} CPUs, load {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        header = (f"{'d':>4}  {'estimator':<13} {'predict ms':>10} {'ratio':>6} "
                  f"{'equal':>6} {'max|diff|':>9} {'near ties':>9}")
        print(header)
        print("-" * len(header))
        for n_features in N_FEATURES:
            for d, label, ms, ratio, equal, diff, ties in benchmark(n_features, args.repeats):
                print(f"{d:>4}  {label:<13} {ms:>10.1f} {ratio:>6.2f} {str(equal):>6} "
                      f"{diff:>9.1e} {ties:>9}")
        rows, columns = _base._block_shape(N_TRAIN)
        print()
        print(f"Peak memory of ftml's predict (tracemalloc), d = {N_FEATURES[0]}, "
              f"{N_TRAIN} training points; a block of the compiled search is {rows} x "
              f"{columns} distances = {8 * rows * columns / MiB:.1f} MiB, a chunk of the "
              f"numpy one {_base._chunk_rows(N_TRAIN)} x {N_TRAIN} "
              f"(WORKING_MEMORY = {_base.WORKING_MEMORY / MiB:.0f} MiB)")
        header = (f"{'n_test':>7} {'n_train x n_test x 8':>21} {'peak, ftml':>11} "
                  f"{'peak, ftml (numpy)':>19}")
        print(header)
        print("-" * len(header))
        for n_test, dense, compiled, fallback in memory_rows():
            print(f"{n_test:>7} {dense:>17.1f} MiB {compiled:>7.1f} MiB "
                  f"{fallback:>15.1f} MiB")
        print(f"load after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
