"""Metrics of the unsupervised chapter: histories of Lloyd's algorithm and of EM, the
quality of a clustering, and what principal components explain.

History metrics take the fitted estimator and its sample (``y`` unused) and return one
value per iteration, from the start (iteration 0); unsupervised metrics take the fitted estimator and
a sample (its own, or a held-out fold); the metrics that compare with a law's spectrum or
intrinsic dimension are truth metrics (see :mod:`ftml.experiments.truth_metrics`).
"""

import numpy as np

from ftml.cluster import KMeans
from ftml.decomposition import PCA
from ftml.metrics import calinski_harabasz_score, silhouette_score

__all__ = [
    "best_inertia_found",
    "lloyd_inertia",
    "inertia_over_best",
    "em_log_likelihood",
    "cluster_labels",
    "silhouette",
    "calinski_harabasz",
    "inertia",
    "bic",
    "mean_log_likelihood",
    "n_components_kept",
    "explained_ratio_identity",
    "retained_variance_identity",
    "sklearn_component_gap",
    "top_eigenvalue_bias",
    "spectral_gap_components",
    "variance_beyond_intrinsic",
]

# The restarts of the reference clustering against which a seeding's inertia is measured.
REFERENCE_RESTARTS = 10


def best_inertia_found(X, n_clusters, inertia=np.inf):
    """The smallest inertia of K clusters found on ``X``: of ``REFERENCE_RESTARTS``
    k-means++ restarts of Lloyd's algorithm (seeded by the sample alone, so that every
    estimator fitted on it is compared with the same reference) and of ``inertia``.

    It is at least the optimal inertia, so that a seeding's inertia over it is at most
    its inertia over the optimum: a ratio below the k-means++ guarantee is implied by the
    theorem, and one above it would refute it only if the reference were optimal.
    """
    reference = KMeans(n_clusters, n_init=REFERENCE_RESTARTS, tol=0.0, random_state=0).fit(X)
    return min(float(reference.inertia_), float(inertia))


def lloyd_inertia(estimator, X, y=None):
    """The inertia of the initial centres, then after each Lloyd iteration."""
    return estimator.inertia_history_


def inertia_over_best(estimator, X, y=None):
    """The inertia history over the best inertia found on the same sample: at iteration 0,
    how far the seeding starts from the best clustering."""
    best = best_inertia_found(X, estimator.n_clusters, estimator.inertia_)
    return estimator.inertia_history_ / best


def em_log_likelihood(estimator, X, y=None):
    """The mean log-likelihood of the initial parameters, then after each EM iteration."""
    return estimator.log_likelihood_history_


def cluster_labels(estimator, X):
    """The fitted clustering of ``X``: ``labels_`` where the estimator keeps them (k-means),
    else its predictions (a mixture's most probable component)."""
    labels = getattr(estimator, "labels_", None)
    return estimator.predict(X) if labels is None else labels


def _clustered(estimator, X):
    labels = cluster_labels(estimator, X)
    if np.unique(labels).shape[0] < 2:
        raise ValueError("a clustering score needs at least 2 clusters; the fit found "
                         f"{np.unique(labels).shape[0]} (n_clusters={_size(estimator)})")
    return labels


def _size(estimator):
    return getattr(estimator, "n_clusters", getattr(estimator, "n_components", None))


def silhouette(estimator, X):
    """The mean silhouette of the fitted clustering (Euclidean distances)."""
    return silhouette_score(X, _clustered(estimator, X))


def calinski_harabasz(estimator, X):
    """The Calinski-Harabasz score of the fitted clustering: between- over within-cluster
    dispersion, each divided by its degrees of freedom."""
    return calinski_harabasz_score(X, _clustered(estimator, X))


def inertia(estimator, X):
    """The fitted clustering's inertia, sum_i ||x_i − c_(l_i)||²."""
    return float(estimator.inertia_)


def bic(estimator, X):
    """The Bayesian information criterion of a fitted mixture on its sample."""
    return float(estimator.bic(X))


def mean_log_likelihood(estimator, X):
    """The fitted density's mean log-likelihood per sample of ``X``."""
    return float(estimator.score(X))


def n_components_kept(estimator):
    """The number of components the fitted estimator kept (PCA's ``n_components_``)."""
    return float(estimator.n_components_)


def _sample_spectrum(X):
    """The eigenvalues of the sample covariance (n − 1 degrees of freedom), decreasing,
    from ``numpy.linalg.eigvalsh``: independent of PCA's SVD."""
    return np.linalg.eigvalsh(np.cov(X, rowvar=False).reshape(X.shape[1], X.shape[1]))[::-1]


def explained_ratio_identity(estimator, X):
    """max_j |explained_variance_ratio_j − μ_j / Σ μ| with μ the eigenvalues of the sample
    covariance: PCA's ratios are the covariance spectrum over its trace (to rounding)."""
    spectrum = _sample_spectrum(X)
    ratios = estimator.explained_variance_ratio_
    return float(np.max(np.abs(ratios - spectrum[:ratios.shape[0]] / spectrum.sum())))


def retained_variance_identity(estimator, X):
    """Σ_j explained_variance_ratio_j − (1 − ||X_c − X̂_c||² / ||X_c||²): the variance the
    kept components retain is one minus the reconstruction error over the total variance
    (Pythagoras on the orthogonal projection), to rounding."""
    centred = X - estimator.mean_
    residual = centred - (estimator.inverse_transform(estimator.transform(X)) - estimator.mean_)
    retained = 1.0 - np.sum(residual**2) / np.sum(centred**2)
    return float(np.sum(estimator.explained_variance_ratio_) - retained)


def sklearn_component_gap(estimator, X):
    """The largest difference between the fitted components and scikit-learn's
    ``PCA(svd_solver="full")`` with the same ``n_components`` on the same sample, after
    aligning each pair's sign, and of their explained variances relative: 0 up to rounding
    when the spectrum is simple. If the two keep different numbers of components (a
    fraction of the variance read differently), the difference of the numbers."""
    from sklearn.decomposition import PCA as SklearnPCA

    reference = SklearnPCA(n_components=estimator.n_components, svd_solver="full").fit(X)
    if reference.n_components_ != estimator.n_components_:
        return float(abs(reference.n_components_ - estimator.n_components_))
    ours, theirs = estimator.components_, reference.components_
    signs = np.sign(np.sum(ours * theirs, axis=1, keepdims=True))
    components = np.max(np.abs(ours - signs * theirs))
    variances = np.max(np.abs(estimator.explained_variance_ / reference.explained_variance_
                              - 1))
    return float(max(components, variances))


def top_eigenvalue_bias(estimator, X, y, context):
    """The largest sample eigenvalue (``explained_variance_[0]``) minus the law's."""
    return float(estimator.explained_variance_[0] - context.model.eigenvalues[0])


def spectral_gap_components(estimator, X, y, context):
    """The number of components before the largest ratio of successive eigenvalues,
    argmax_j l_j / l_(j+1): where the spectrum drops from the signal to the noise floor."""
    spectrum = estimator.explained_variance_
    if spectrum.shape[0] < 2:
        raise ValueError("a spectral gap needs at least 2 components")
    return float(1 + np.argmax(spectrum[:-1] / np.maximum(spectrum[1:], 1e-300)))


def variance_beyond_intrinsic(estimator, X, y, context):
    """1 − the variance share of the top k principal components of the sample, k the law's
    intrinsic dimension (ftml's PCA, fitted here on the sample whatever the estimator)."""
    k = context.model.intrinsic_dimension
    return float(1.0 - np.sum(PCA(n_components=k).fit(X).explained_variance_ratio_))
