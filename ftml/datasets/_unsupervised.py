"""Laws for the unsupervised chapter, whose structure is known: Gaussian blobs with known
centres and number of clusters, and a spiked covariance model with k signal directions.

As for :func:`ftml.datasets.make_norm_target`, the structure (centres, directions) is drawn
from a ``structure_seed`` and the shape alone, not from the pipeline's per-point seed, which
depends on ``n_samples``: samples of different sizes come from one law.
"""

import math
import numbers
from dataclasses import dataclass

import numpy as np

from ftml.validation import check_random_state, check_scalar

__all__ = ["BlobsModel", "SpikedCovarianceModel", "check_blobs_params",
           "check_spiked_covariance_params", "make_blobs_model", "make_spiked_covariance"]


@dataclass(frozen=True, eq=False, repr=False)
class BlobsModel:
    """K isotropic Gaussian clusters of equal weight: x = c_y + cluster_std · z, y uniform on
    {0, ..., K − 1}; ``sample`` returns the cluster labels as targets (the truth an
    unsupervised estimator never sees).

    Parameters
    ----------
    centers : ndarray of shape (n_clusters, n_features)
    cluster_std : float
    n_samples : int

    Attributes
    ----------
    n_clusters, n_features : int
    """

    centers: np.ndarray
    cluster_std: float
    n_samples: int

    def __post_init__(self):
        centers = np.asarray(self.centers, dtype=float)
        if centers.ndim != 2 or centers.shape[0] < 1:
            raise ValueError(f"centers must have shape (n_clusters, n_features), got "
                             f"{centers.shape}.")
        check_scalar(self.cluster_std, "cluster_std", numbers.Real, min_val=0.0)
        check_scalar(self.n_samples, "n_samples", numbers.Integral, min_val=1)
        centers.setflags(write=False)
        object.__setattr__(self, "centers", centers)

    @property
    def n_clusters(self):
        return self.centers.shape[0]

    @property
    def n_features(self):
        return self.centers.shape[1]

    def sample(self, random_state=None, n_samples=None):
        """``(X, labels)``: ``n_samples`` points (``self.n_samples`` when None)."""
        rng = check_random_state(random_state)
        n_samples = self.n_samples if n_samples is None else n_samples
        labels = rng.integers(0, self.n_clusters, n_samples)
        X = self.centers[labels] + self.cluster_std * rng.standard_normal(
            (n_samples, self.n_features))
        return X, labels.astype(float)

    @property
    def within_cluster_variance(self):
        """E||x − c_y||² = d σ²: the expected inertia per point of the true clustering."""
        return self.n_features * self.cluster_std**2


def check_blobs_params(n_samples, n_features, n_centers, cluster_std=1.0, separation=10.0,
                       structure_seed=0):
    """Check the arguments of :func:`make_blobs_model` without drawing anything."""
    for name, value in (("n_samples", n_samples), ("n_features", n_features),
                        ("n_centers", n_centers)):
        check_scalar(value, name, numbers.Integral, min_val=1)
    for name, value in (("cluster_std", cluster_std), ("separation", separation)):
        check_scalar(value, name, numbers.Real, min_val=0.0)
        if not math.isfinite(value):
            raise ValueError(f"{name} must be finite, got {value!r}.")
    check_scalar(structure_seed, "structure_seed", numbers.Integral, min_val=0)


# The draws one centre may take to land far enough from the others: the cube is large
# enough that a draw is refused with probability below a half, so that this is never met.
_PLACEMENT_ATTEMPTS = 1000


def make_blobs_model(n_samples, n_features, n_centers, cluster_std=1.0, separation=10.0,
                     structure_seed=0, random_state=None):
    """Gaussian blobs whose K centres are at least ``separation`` apart.

    The centres are drawn from ``structure_seed`` and the shape alone, one at a time,
    uniformly in the cube ``[0, 2 K^(1/d) separation]^d``, each redrawn until it lies at
    least ``separation`` from those before it (random sequential addition): with
    ``separation`` large against ``cluster_std`` √d the clusters are well separated, and K
    is the number of clusters a criterion should find. ``random_state`` is ignored (the law
    is fixed).

    Raises
    ------
    ValueError
        If the parameters are out of range.
    """
    check_blobs_params(n_samples, n_features, n_centers, cluster_std, separation,
                       structure_seed)
    rng = np.random.default_rng([structure_seed, n_features, n_centers])
    side = 2 * separation * n_centers ** (1 / n_features)
    centers = np.empty((n_centers, n_features))
    for index in range(n_centers):
        for _ in range(_PLACEMENT_ATTEMPTS):
            candidate = rng.uniform(0.0, side, n_features)
            distances = np.sqrt(((centers[:index] - candidate) ** 2).sum(axis=1))
            if np.all(distances >= separation):
                break
        else:  # pragma: no cover - the cube leaves room (see _PLACEMENT_ATTEMPTS)
            raise RuntimeError(f"could not place {n_centers} centres {separation} apart")
        centers[index] = candidate
    return BlobsModel(centers, float(cluster_std), n_samples)


@dataclass(frozen=True, eq=False, repr=False)
class SpikedCovarianceModel:
    """x ~ N(0, Σ) with Σ = σ² I + Σ_j s_j u_j u_jᵀ: k spikes s_1 ≥ ... ≥ s_k > 0 on
    orthonormal directions u_j, above an isotropic noise floor σ².

    Parameters
    ----------
    directions : ndarray of shape (k, n_features)
        Orthonormal rows u_j.
    spikes : ndarray of shape (k,)
    noise : float
        σ > 0.
    n_samples : int

    Attributes
    ----------
    eigenvalues : ndarray of shape (n_features,)
        Σ's eigenvalues in decreasing order: s_j + σ², then σ² (d − k times).
    """

    directions: np.ndarray
    spikes: np.ndarray
    noise: float
    n_samples: int

    def __post_init__(self):
        directions = np.asarray(self.directions, dtype=float)
        spikes = np.asarray(self.spikes, dtype=float).reshape(-1)
        if directions.ndim != 2 or directions.shape[0] != spikes.shape[0]:
            raise ValueError("directions must have one row per spike.")
        if not np.allclose(directions @ directions.T, np.eye(spikes.shape[0]), atol=1e-10):
            raise ValueError("directions must be orthonormal rows.")
        check_scalar(self.noise, "noise", numbers.Real, min_val=0.0,
                     include_boundaries="neither")
        check_scalar(self.n_samples, "n_samples", numbers.Integral, min_val=1)
        for name, value in (("directions", directions), ("spikes", spikes)):
            value.setflags(write=False)
            object.__setattr__(self, name, value)

    @property
    def n_features(self):
        return self.directions.shape[1]

    @property
    def eigenvalues(self):
        floor = np.full(self.n_features, self.noise**2)
        floor[: self.spikes.shape[0]] += np.sort(self.spikes)[::-1]
        return floor

    @property
    def covariance(self):
        return (self.noise**2 * np.eye(self.n_features)
                + (self.directions.T * self.spikes) @ self.directions)

    def sample(self, random_state=None, n_samples=None):
        """``(X, zeros)``: centred Gaussian points; the targets carry nothing."""
        rng = check_random_state(random_state)
        n_samples = self.n_samples if n_samples is None else n_samples
        signal = rng.standard_normal((n_samples, self.spikes.shape[0])) * np.sqrt(self.spikes)
        X = signal @ self.directions + self.noise * rng.standard_normal(
            (n_samples, self.n_features))
        return X, np.zeros(n_samples)


def check_spiked_covariance_params(n_samples, n_features, n_spikes, spike=10.0, noise=1.0,
                                   structure_seed=0):
    """Check the arguments of :func:`make_spiked_covariance` without drawing anything."""
    for name, value in (("n_samples", n_samples), ("n_features", n_features)):
        check_scalar(value, name, numbers.Integral, min_val=1)
    check_scalar(n_spikes, "n_spikes", numbers.Integral, min_val=0, max_val=n_features)
    check_scalar(spike, "spike", numbers.Real, min_val=0.0, include_boundaries="neither")
    check_scalar(noise, "noise", numbers.Real, min_val=0.0, include_boundaries="neither")
    check_scalar(structure_seed, "structure_seed", numbers.Integral, min_val=0)


def make_spiked_covariance(n_samples, n_features, n_spikes, spike=10.0, noise=1.0,
                           structure_seed=0, random_state=None):
    """The spiked model with spikes spike · (k, k − 1, ..., 1) / k on k random orthonormal
    directions (the QR factor of a Gaussian matrix drawn from ``structure_seed`` and the
    shape alone). ``random_state`` is ignored (the law is fixed).
    """
    check_spiked_covariance_params(n_samples, n_features, n_spikes, spike, noise,
                                   structure_seed)
    rng = np.random.default_rng([structure_seed, n_features, n_spikes])
    q, _ = np.linalg.qr(rng.standard_normal((n_features, max(n_spikes, 1))))
    directions = q[:, :n_spikes].T
    spikes = spike * np.arange(n_spikes, 0, -1) / max(n_spikes, 1)
    return SpikedCovarianceModel(directions, spikes, float(noise), n_samples)
