"""Fit time per iteration and results of ftml's unsupervised estimators against scikit-learn's.

Usage: python benchmarks/unsupervised_vs_sklearn.py [SECTION ...] [--repeats R]

Sections: ``kmeans`` (the default: all sections). A section is a function of
:data:`SECTIONS` that prints its table; PCA and GaussianMixture sections join it there.

KMeans. Problems (seed 0): Gaussian blobs, ``K`` centres drawn from N(0, 4 I) and unit
noise, of (100,000 x 50) with K = 10 and (20,000 x 500) with K = 50. ftml's
``KMeans(K, init=C0, max_iter=T, tol=0)`` against scikit-learn's
``KMeans(K, init=C0, n_init=1, max_iter=T, tol=0, algorithm="lloyd")``, from the same
initial centres ``C0`` (K distinct samples), so both run the same iterations; the time per
iteration is the fit time divided by ``n_iter_``. Each ``fit`` is timed ``R`` times, taking
turns within each repeat (interleaved, the first to go alternating), so that a slow period
of the machine, which is shared, hits both alike; the table gives the medians and the ratio
of the medians from the same run. "ftml (numpy)" is ftml's fallback without numba. BLAS and
OpenMP are pinned to one thread, by the environment before numpy loads them and by
``threadpoolctl.threadpool_limits(1)``. A warm-up fit of each loads numba's compiled
kernel first. Agreement: whether both found the same ``n_iter_`` and labels, the largest
relative difference of ``inertia_``, and of the inertia path: ftml's ``inertia_history_``
against scikit-learn's ``inertia_`` after ``max_iter = 1, ..., T`` (all ``T`` fits, for
the first problem only: 20 fits of the second take minutes).
"""

import os

# One thread, set before numpy and scikit-learn load their BLAS and OpenMP runtimes (which
# read these once); threadpoolctl below pins the libraries already loaded as well.
for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_variable] = "1"

import argparse  # noqa: E402
import platform  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402

import numba  # noqa: E402
import numpy as np  # noqa: E402
import sklearn  # noqa: E402
import sklearn.cluster  # noqa: E402
from threadpoolctl import threadpool_info, threadpool_limits  # noqa: E402

from ftml.cluster import KMeans, _kmeans  # noqa: E402
from ftml.exceptions import ConvergenceWarning  # noqa: E402

SEED = 0
KMEANS_PROBLEMS = ((100_000, 50, 10), (20_000, 500, 50))  # (n_samples, n_features, K)
KMEANS_MAX_ITER = 20


def make_blobs(n_samples, n_features, n_clusters, seed=SEED):
    """Gaussian blobs around centres drawn from N(0, 4 I), and K distinct samples."""
    rng = np.random.default_rng(seed)
    centres = 2.0 * rng.standard_normal((n_clusters, n_features))
    X = centres[rng.integers(n_clusters, size=n_samples)]
    X += rng.standard_normal((n_samples, n_features))
    return X, X[rng.choice(n_samples, n_clusters, replace=False)].copy()


def without_numba(fit):
    """``fit`` by ftml's numpy assignment, its fallback when numba is missing."""
    def run(X):
        threshold = _kmeans.COMPILED_MIN_ENTRIES
        _kmeans.COMPILED_MIN_ENTRIES = float("inf")
        try:
            return fit(X)
        finally:
            _kmeans.COMPILED_MIN_ENTRIES = threshold
    return run


def interleaved(runs, X, repeats):
    """The seconds of each of ``runs`` (label -> fit) over ``repeats`` turns, and their
    last fitted models."""
    times = {label: [] for label in runs}
    models = {}
    order = list(runs)
    for repeat in range(repeats):
        for label in order if repeat % 2 == 0 else order[::-1]:
            start = time.perf_counter()
            models[label] = runs[label](X)
            times[label].append(time.perf_counter() - start)
    return times, models


def kmeans(repeats):
    """KMeans: time per Lloyd iteration and agreement, on the problems of KMEANS_PROBLEMS."""
    print(f"KMeans (Lloyd), same initial centres, max_iter = {KMEANS_MAX_ITER}, tol = 0: "
          f"median of {repeats} interleaved repeats, seed {SEED}")
    header = (f"{'n x d':>13} {'K':>3}  {'estimator':<13} {'fit s':>7} {'n_iter':>6} "
              f"{'ms/iter':>8} {'ratio':>6} {'labels=':>7} {'inertia rel':>11} "
              f"{'path rel':>9}")
    print(header)
    print("-" * len(header))
    for index, (n_samples, n_features, n_clusters) in enumerate(KMEANS_PROBLEMS):
        X, init = make_blobs(n_samples, n_features, n_clusters)
        ours = KMeans(n_clusters, init=init, max_iter=KMEANS_MAX_ITER, tol=0.0)
        theirs = sklearn.cluster.KMeans(n_clusters, init=init, n_init=1,
                                        max_iter=KMEANS_MAX_ITER, tol=0.0, algorithm="lloyd")
        runs = {"ftml": ours.fit, "ftml (numpy)": without_numba(ours.fit),
                "scikit-learn": theirs.fit}
        for fit in runs.values():  # warm-up: numba's import and cache, first-call costs
            fit(X)
        times, models = interleaved(runs, X, repeats)
        reference = models["scikit-learn"]
        per_iteration = {label: np.median(times[label]) / models[label].n_iter_
                         for label in runs}
        path = None
        if index == 0:
            sk_path = np.array([
                sklearn.cluster.KMeans(n_clusters, init=init, n_init=1, max_iter=t, tol=0.0,
                                       algorithm="lloyd").fit(X).inertia_
                for t in range(1, reference.n_iter_ + 1)
            ])
        for label in runs:
            model = models[label]
            if index == 0 and model.n_iter_ == reference.n_iter_:
                path = np.max(np.abs(model.inertia_history_ / sk_path - 1)) \
                    if hasattr(model, "inertia_history_") else None
            else:
                path = None
            print(f"{n_samples:>7} x {n_features:<3} {n_clusters:>3}  {label:<13} "
                  f"{np.median(times[label]):>7.2f} {model.n_iter_:>6} "
                  f"{1e3 * per_iteration[label]:>8.1f} "
                  f"{per_iteration[label] / per_iteration['scikit-learn']:>6.2f} "
                  f"{str(np.array_equal(model.labels_, reference.labels_)):>7} "
                  f"{abs(model.inertia_ / reference.inertia_ - 1):>11.1e} "
                  f"{'' if path is None else f'{path:.1e}':>9}")


SECTIONS = {"kmeans": kmeans}


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
    parser.add_argument("sections", nargs="*", choices=[[], *SECTIONS],
                        help=f"sections to run, among {', '.join(SECTIONS)} (default: all)")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    with threadpool_limits(limits=1), warnings.catch_warnings():
        # tol = 0 runs max_iter iterations, on purpose.
        warnings.simplefilter("ignore", ConvergenceWarning)
        libraries = ", ".join(
            f"{info['internal_api']} {info.get('version')} ({info['num_threads']} thread)"
            for info in threadpool_info()
        )
        print(f"1 thread (environment and threadpoolctl.threadpool_limits(1)): {libraries}")
        print(f"numpy {np.__version__}, scikit-learn {sklearn.__version__}, numba "
              f"{numba.__version__}, Python {platform.python_version()}; {machine()}, "
              f"{os.cpu_count()} CPUs, load {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        for name in args.sections or SECTIONS:
            print()
            SECTIONS[name](args.repeats)
        print(f"load after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
