"""Unsupervised learning: clustering by k-means, principal components and Gaussian mixtures,
on laws whose structure is known (blobs with known centres and number of clusters, a spiked
covariance model, inputs near a low-dimensional subspace)."""

from ftml import datasets, theory
from ftml.cluster import KMeans
from ftml.cluster._kmeans import _check_n_clusters as check_n_clusters
from ftml.decomposition import PCA
from ftml.experiments import unsupervised_metrics as metrics
from ftml.experiments.catalog._declarations import Estimator, Generator, Metric, Theory
from ftml.mixture import GaussianMixture
from ftml.validation import check_finite_squared_norm, validate_data

# Its place in the course: after classification and model selection.
ORDER = 60


def _at_most_samples(shape):
    return shape.n_samples


class _SklearnKMeans(KMeans):
    """scikit-learn's ``KMeans(algorithm="lloyd")`` behind ftml's parameters, so that an
    experiment measures both on the same folds: ``fit`` delegates to scikit-learn and keeps
    its centres, labels, inertia and iterations; ``predict`` is ftml's nearest centre,
    which is scikit-learn's rule."""

    def fit(self, X, y=None):
        from sklearn.cluster import KMeans as Reference

        # ftml's checks first, so that bad input gets ftml's errors.
        self._validate_params()
        X = check_finite_squared_norm(validate_data(self, X))
        check_n_clusters(self.n_clusters, X.shape[0])
        reference = Reference(self.n_clusters, init=self.init, n_init=self.n_init,
                              max_iter=self.max_iter, tol=self.tol, algorithm="lloyd",
                              random_state=self.random_state).fit(X)
        for name in ("cluster_centers_", "labels_", "inertia_", "n_iter_"):
            setattr(self, name, getattr(reference, name))
        return self


DECLARATIONS = [
    Generator(
        "gaussian_blobs",
        build=datasets.make_blobs_model,
        check_params=datasets.check_blobs_params,
        params={"n_samples": int, "n_features": int, "n_centers": int, "cluster_std": float,
                "separation": float, "structure_seed": int},
        required=("n_samples", "n_features", "n_centers"),
        description="K isotropic Gaussian clusters of equal weight whose centres are at "
                    "least separation apart (drawn from the structure seed and the shape "
                    "alone); the labels are the truth",
    ),
    Generator(
        "spiked_covariance",
        build=datasets.make_spiked_covariance,
        check_params=datasets.check_spiked_covariance_params,
        params={"n_samples": int, "n_features": int, "n_spikes": int, "spike": float,
                "noise": float, "structure_seed": int},
        required=("n_samples", "n_features", "n_spikes"),
        description="x ~ N(0, σ² I + Σ_j s_j u_j u_jᵀ): k spikes spike · (k, ..., 1) / k "
                    "above a noise floor σ², known eigenvalues",
    ),
    # fit_cost: Lloyd's and EM's iterations (tens, each a pass or a few over the data),
    # with the restarts a metric runs; PCA is one SVD.
    Estimator("KMeans", KMeans, "Lloyd's algorithm from k-means++ or random seeding",
              supervised=False, fit_cost=20.0,
              limits={"n_clusters": (_at_most_samples, "samples in a fit")}),
    Estimator("SklearnKMeans", _SklearnKMeans,
              "scikit-learn's KMeans (Lloyd) with the same parameters, for comparison",
              supervised=False, fit_cost=20.0,
              limits={"n_clusters": (_at_most_samples, "samples in a fit")}),
    Estimator("PCA", PCA, "principal component analysis by the SVD of the centred data",
              supervised=False,
              limits={"n_components": (lambda shape: min(shape.n_samples, shape.n_features),
                                       "the smaller of the samples and features of a fit")}),
    Estimator("GaussianMixture", GaussianMixture,
              "a mixture of Gaussians fitted by EM from a k-means start",
              supervised=False, fit_cost=30.0,
              limits={"n_components": (_at_most_samples, "samples in a fit")}),
    Metric("lloyd_inertia", "history", metrics.lloyd_inertia,
           "k-means inertia of the initial centres (iteration 0), then after each Lloyd "
           "iteration"),
    Metric("inertia_over_best", "history", metrics.inertia_over_best,
           "the inertia history over the best inertia found on the sample (10 k-means++ "
           "restarts and the fit itself): the seeding's ratio at iteration 0"),
    Metric("em_log_likelihood", "history", metrics.em_log_likelihood,
           "mean log-likelihood of the initial parameters (iteration 0), then after each EM "
           "iteration"),
    Metric("silhouette", "unsupervised", metrics.silhouette,
           "mean silhouette of the fitted clustering"),
    Metric("calinski_harabasz", "unsupervised", metrics.calinski_harabasz,
           "Calinski-Harabasz score of the fitted clustering"),
    Metric("inertia", "unsupervised", metrics.inertia,
           "the fitted clustering's inertia, Σ_i ‖x_i − c_(l_i)‖²"),
    Metric("bic", "unsupervised", metrics.bic,
           "Bayesian information criterion of the fitted mixture on its sample"),
    Metric("mean_log_likelihood", "unsupervised", metrics.mean_log_likelihood,
           "the fitted density's mean log-likelihood per sample (held out: of the fold)"),
    Metric("n_components_kept", "model", metrics.n_components_kept,
           "the number of components the fitted PCA kept (for a fraction of the variance)"),
    Metric("explained_ratio_identity", "unsupervised", metrics.explained_ratio_identity,
           "max_j |explained ratio_j − μ_j / Σ μ|, μ the sample covariance's eigenvalues"),
    Metric("retained_variance_identity", "unsupervised", metrics.retained_variance_identity,
           "Σ explained ratios − (1 − reconstruction error / total variance)"),
    Metric("sklearn_component_gap", "unsupervised", metrics.sklearn_component_gap,
           "largest difference to scikit-learn's PCA (full SVD) on the same sample: "
           "components up to sign, explained variances relative"),
    Metric("top_eigenvalue_bias", "truth", metrics.top_eigenvalue_bias,
           "the largest sample eigenvalue minus the law's"),
    Metric("spectral_gap_components", "truth", metrics.spectral_gap_components,
           "the number of components before the largest ratio of successive sample "
           "eigenvalues"),
    Metric("variance_beyond_intrinsic", "truth", metrics.variance_beyond_intrinsic,
           "1 − the variance share of the sample's top k principal components, k the "
           "law's intrinsic dimension", modules=("ftml.decomposition",)),
    Theory("true_clusters", "K", lambda model, p: float(p["n_centers"]),
           requires=("n_centers",)),
    Theory("within_cluster_variance", "d σ²", lambda model, p: model.within_cluster_variance,
           needs_model=True),
    Theory("kmeans_plusplus_bound", "8 (ln K + 2)",
           lambda model, p: theory.kmeans_plusplus_bound(p["n_centers"]),
           requires=("n_centers",)),
    Theory("spiked_eigenvalue_bias", "λ₁/(n − 1) Σ_{i>1} λ_i / (λ₁ − λ_i)  (Lawley)",
           lambda model, p: theory.sample_eigenvalue_bias(model.eigenvalues, p["n_samples"]),
           needs_model=True, requires=("n_samples",)),
    Theory("n_spikes", "k", lambda model, p: float(p["n_spikes"]), requires=("n_spikes",)),
    Theory("subspace_noise_share", "(D − k) τ² / tr Cov(x)",
           lambda model, p: model.unexplained_variance_share(model.intrinsic_dimension),
           needs_model=True),
]
