"""Unsupervised learning: clustering and principal components, on laws whose structure is
known (blobs with known centres and number of clusters, a spiked covariance model)."""

from ftml import datasets
from ftml.experiments.catalog._declarations import Generator, Theory

# Its place in the course: after classification and model selection.
ORDER = 60

DECLARATIONS = [
    Generator(
        "gaussian_blobs",
        build=datasets.make_blobs_model,
        check_params=datasets.check_blobs_params,
        params={"n_samples": int, "n_features": int, "n_clusters": int, "cluster_std": float,
                "separation": float, "structure_seed": int},
        required=("n_samples", "n_features", "n_clusters"),
        description="K isotropic Gaussian clusters with known centres (drawn from the "
                    "structure seed and the shape alone); the labels are the truth",
    ),
    Generator(
        "spiked_covariance",
        build=datasets.make_spiked_covariance,
        check_params=datasets.check_spiked_covariance_params,
        params={"n_samples": int, "n_features": int, "n_spikes": int, "spike": float,
                "noise": float, "structure_seed": int},
        required=("n_samples", "n_features", "n_spikes"),
        description="x ~ N(0, σ² I + Σ_j s_j u_j u_jᵀ): k spikes above a noise floor, known "
                    "eigenvalues",
    ),
    Theory("true_clusters", "K", lambda model, p: float(p["n_clusters"]),
           requires=("n_clusters",)),
    Theory("within_cluster_variance", "d σ²", lambda model, p: model.within_cluster_variance,
           needs_model=True),
]
