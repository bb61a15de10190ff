"""Fit time per iteration and results of ftml's unsupervised estimators against scikit-learn's.

Usage: python benchmarks/unsupervised_vs_sklearn.py [SECTION ...] [--repeats R]

Sections: ``kmeans``, ``pca``, ``gmm`` (the default: all sections). A section is a function
of :data:`SECTIONS` that prints its table.

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
relative difference of ``inertia_``, and of the inertia path: ftml's ``inertia_history_[1:]``
against scikit-learn's ``inertia_`` after ``max_iter = 1, ..., T`` (all ``T`` fits, for
the first problem only: 20 fits of the second take minutes).

PCA. Gaussian data of (20,000 x 200), seed 0: ftml's ``PCA()`` against scikit-learn's
``PCA(svd_solver="full")``, fit times interleaved as above; agreement: the largest relative
difference of the explained variances and of the components (signs included).

GaussianMixture. A mixture of 5 anisotropic Gaussians in dimension 10, 50,000 samples, seed
0, full covariances, from the same start: ftml's ``GaussianMixture(means_init=M0)`` starts
from the assignment of each sample to its nearest initial mean; scikit-learn is given the
weights and precisions of that same assignment. ``tol = 0`` and ``max_iter = 50``, so both
run every iteration; the time per iteration is the fit time over 50; agreement: the
relative difference of the final lower bounds and of the log-likelihood paths.
"""

import os

# One thread, set before numpy and scikit-learn load their BLAS and OpenMP runtimes (which
# read these once); threadpoolctl below pins the libraries already loaded as well.
for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_variable] = "1"

import argparse  # noqa: E402
import platform  # noqa: E402
import warnings  # noqa: E402

import numba  # noqa: E402
import numpy as np  # noqa: E402
import sklearn  # noqa: E402
import sklearn.cluster  # noqa: E402
import sklearn.decomposition  # noqa: E402
import sklearn.exceptions  # noqa: E402
import sklearn.mixture  # noqa: E402
from threadpoolctl import threadpool_info, threadpool_limits  # noqa: E402

from _timing import interleaved  # noqa: E402
from ftml.cluster import KMeans, _kmeans  # noqa: E402
from ftml.decomposition import PCA  # noqa: E402
from ftml.exceptions import ConvergenceWarning  # noqa: E402
from ftml.mixture import GaussianMixture  # noqa: E402

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
                path = np.max(np.abs(model.inertia_history_[1:] / sk_path - 1)) \
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


PCA_PROBLEM = (20_000, 200)


def pca(repeats):
    """PCA: fit time against scikit-learn's full SVD solver, and agreement."""
    n_samples, n_features = PCA_PROBLEM
    X = np.random.default_rng(SEED).standard_normal((n_samples, n_features))
    runs = {"ftml": PCA().fit, "scikit-learn": sklearn.decomposition.PCA(svd_solver="full").fit}
    for fit in runs.values():
        fit(X)
    times, models = interleaved(runs, X, repeats)
    ours, theirs = models["ftml"], models["scikit-learn"]
    variance = np.max(np.abs(ours.explained_variance_ / theirs.explained_variance_ - 1))
    components = np.max(np.abs(ours.components_ - theirs.components_))
    print(f"PCA ({n_samples:,} x {n_features}), all components: median of {repeats} "
          f"interleaved repeats, seed {SEED}")
    header = f"{'estimator':<13} {'fit s':>7} {'ratio':>6}"
    print(header)
    print("-" * len(header))
    for label in runs:
        print(f"{label:<13} {np.median(times[label]):>7.3f} "
              f"{np.median(times[label]) / np.median(times['scikit-learn']):>6.2f}")
    print(f"explained variances agree to {variance:.1e} relative; components to "
          f"{components:.1e} (signs included)")


GMM_PROBLEM = (50_000, 10, 5)  # (n_samples, n_features, components)
GMM_MAX_ITER = 50


def gmm_problem():
    """Samples of a mixture of anisotropic Gaussians (overlapping, so that EM keeps moving)
    and initial means drawn among them."""
    n_samples, n_features, n_components = GMM_PROBLEM
    rng = np.random.default_rng(SEED)
    centres = rng.normal(0.0, 3.0, (n_components, n_features))
    scales = rng.uniform(0.5, 1.5, (n_components, n_features, n_features)) / np.sqrt(n_features)
    labels = rng.integers(n_components, size=n_samples)
    X = centres[labels] + np.einsum("nd,nde->ne", rng.standard_normal((n_samples, n_features)),
                                    scales[labels])
    return X, X[rng.choice(n_samples, n_components, replace=False)]


def sklearn_start(X, means_init, reg_covar=1e-6):
    """scikit-learn's weights_init and precisions_init for ftml's start from means_init:
    each sample assigned to its nearest initial mean, the weights and full covariances of
    that assignment."""
    labels = np.argmin(((X[:, None, :] - means_init[None]) ** 2).sum(axis=2), axis=1)
    resp = np.eye(means_init.shape[0])[labels]
    counts = resp.sum(axis=0) + 10 * np.finfo(float).eps
    means = resp.T @ X / counts[:, None]
    covariances = np.stack([(resp[:, k] * (X - means[k]).T) @ (X - means[k]) / counts[k]
                            + reg_covar * np.eye(X.shape[1]) for k in range(counts.shape[0])])
    return {"weights_init": counts / X.shape[0], "means_init": means_init,
            "precisions_init": np.linalg.inv(covariances)}


def gmm(repeats):
    """GaussianMixture: time per EM iteration from the same start, and agreement."""
    X, means_init = gmm_problem()
    params = dict(n_components=GMM_PROBLEM[2], covariance_type="full", tol=0.0,
                  max_iter=GMM_MAX_ITER)
    ours = GaussianMixture(means_init=means_init, **params)
    theirs = sklearn.mixture.GaussianMixture(**sklearn_start(X, means_init), **params)
    runs = {"ftml": ours.fit, "scikit-learn": theirs.fit}
    for fit in runs.values():
        fit(X)
    times, models = interleaved(runs, X, repeats)
    ours, theirs = models["ftml"], models["scikit-learn"]
    bound = abs(ours.lower_bound_ / theirs.lower_bound_ - 1)
    path = np.max(np.abs(np.asarray(ours.log_likelihood_history_)
                         / np.asarray(theirs.lower_bounds_) - 1))
    n_samples, n_features, n_components = GMM_PROBLEM
    print(f"GaussianMixture, full covariances, {n_samples:,} x {n_features}, {n_components} "
          f"components, same start, tol = 0, max_iter = {GMM_MAX_ITER}: median of {repeats} "
          f"interleaved repeats, seed {SEED}")
    header = f"{'estimator':<13} {'ms/iter':>8} {'ratio':>6}"
    print(header)
    print("-" * len(header))
    reference = np.median(times["scikit-learn"]) / GMM_MAX_ITER
    for label in runs:
        per_iteration = np.median(times[label]) / GMM_MAX_ITER
        print(f"{label:<13} {1e3 * per_iteration:>8.2f} {per_iteration / reference:>6.2f}")
    print(f"lower bounds agree to {bound:.1e} relative, log-likelihood paths to {path:.1e}")


SECTIONS = {"kmeans": kmeans, "pca": pca, "gmm": gmm}


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
        warnings.simplefilter("ignore", sklearn.exceptions.ConvergenceWarning)
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
