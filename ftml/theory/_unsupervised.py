"""Closed forms of the unsupervised chapter: the k-means++ guarantee and the bias of a
sample covariance eigenvalue."""

import math

import numpy as np

__all__ = ["kmeans_plusplus_bound", "sample_eigenvalue_bias"]


def kmeans_plusplus_bound(n_clusters):
    """The factor 8 (ln K + 2) of the k-means++ guarantee.

    Arthur and Vassilvitskii's Theorem 3.1: the centres that k-means++ seeding draws have
    an expected inertia at most 8 (ln K + 2) times the optimal inertia of K clusters, for
    any data set.

    Parameters
    ----------
    n_clusters : int
        K, at least 1.

    Returns
    -------
    float

    References
    ----------
    D. Arthur and S. Vassilvitskii, "k-means++: the advantages of careful seeding", SODA
    2007, Theorem 3.1.

    Examples
    --------
    >>> round(kmeans_plusplus_bound(1), 6), round(kmeans_plusplus_bound(8), 3)
    (16.0, 32.636)
    """
    if n_clusters < 1:
        raise ValueError(f"n_clusters must be at least 1, got {n_clusters}.")
    return 8.0 * (math.log(n_clusters) + 2.0)


def sample_eigenvalue_bias(eigenvalues, n_samples, index=0):
    """The first-order bias of a sample covariance eigenvalue, for Gaussian data.

    For x ~ N(μ, Σ) and the covariance estimated with the mean removed (``n − 1`` degrees
    of freedom, as PCA's ``explained_variance_``), the sample eigenvalue l_j of a simple
    population eigenvalue λ_j has

        E[l_j] − λ_j = (λ_j / (n − 1)) Σ_{i ≠ j} λ_i / (λ_j − λ_i) + O(1 / n²)   (Lawley).

    A spike λ above d − 1 noise eigenvalues σ² has the bias (d − 1) σ² λ / ((n − 1)(λ − σ²)):
    it grows with the dimension and shrinks like d / n, the finite-n side of the
    Baik–Ben Arous–Péché limit λ + (d/n) σ² λ / (λ − σ²).

    Parameters
    ----------
    eigenvalues : array-like of shape (d,)
        The population eigenvalues λ_1 ≥ ... ≥ λ_d.
    n_samples : int
        n, at least 2.
    index : int, default=0
        j (from 0); λ_j must differ from every other eigenvalue.

    Returns
    -------
    float

    References
    ----------
    D. N. Lawley, "Tests of significance for the latent roots of covariance and
    correlation matrices", Biometrika 43, 1956. J. Baik, G. Ben Arous and S. Péché,
    "Phase transition of the largest eigenvalue for nonnull complex sample covariance
    matrices", Annals of Probability 33, 2005.

    Examples
    --------
    >>> round(sample_eigenvalue_bias([5.0, 1.0, 1.0], 101), 6)  # 2 * 5 / (100 * 4)
    0.025
    """
    eigenvalues = np.asarray(eigenvalues, dtype=float)
    if n_samples < 2:
        raise ValueError(f"n_samples must be at least 2, got {n_samples}.")
    value = eigenvalues[index]
    others = np.delete(eigenvalues, index)
    if np.any(others == value):
        raise ValueError(f"eigenvalue {index} ({value:g}) is not simple: its first-order "
                         "bias is not defined.")
    return float(value * np.sum(others / (value - others)) / (n_samples - 1))
