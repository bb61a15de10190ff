"""The course's regression of the Euclidean norm, for local averaging in growing dimension.

:class:`NormTargetModel` draws x uniform in [0, 1]^d, or on a k-dimensional linear image of
[0, 1]^k inside R^D (data of low intrinsic dimension), optionally blurred by an isotropic
Gaussian input noise (data near, not on, the subspace), and y = ||x|| + noise: a Lipschitz
target whose nearest-neighbour estimates degrade with d, or with k only.
"""

import math
import numbers
from dataclasses import dataclass

import numpy as np

from ftml.validation import check_random_state, check_scalar

__all__ = ["NormTargetModel", "check_norm_target_params", "make_norm_target"]


@dataclass(frozen=True, eq=False, repr=False)
class NormTargetModel:
    """y = ||x|| + eps, eps ~ N(0, noise^2), with x uniform on [0, 1]^d or on u B.

    Parameters
    ----------
    n_samples : int
    n_features : int
        The ambient dimension D of x.
    noise : float
        The noise standard deviation, >= 0.
    basis : ndarray of shape (k, n_features) or None
        None: x is uniform on [0, 1]^D. Otherwise x = u B with u uniform on [0, 1]^k: the
        inputs fill a k-dimensional parallelotope of R^D (nlehir/FTML tp_05's adaptivity
        data, with B uniform on [0, 1]^(k x D)).
    input_noise : float
        The standard deviation τ >= 0 of an isotropic Gaussian added to x (after the basis),
        so that the inputs lie near the subspace, at a distance of about τ √(D − k).

    Attributes
    ----------
    intrinsic_dimension : int
        k, or D without a basis.
    """

    n_samples: int
    n_features: int
    noise: float = 0.0
    basis: np.ndarray | None = None
    input_noise: float = 0.0

    def __post_init__(self):
        check_scalar(self.n_samples, "n_samples", numbers.Integral, min_val=1)
        check_scalar(self.n_features, "n_features", numbers.Integral, min_val=1)
        check_scalar(self.noise, "noise", numbers.Real, min_val=0.0)
        check_scalar(self.input_noise, "input_noise", numbers.Real, min_val=0.0)
        if self.basis is not None:
            basis = np.asarray(self.basis, dtype=float)
            if basis.ndim != 2 or basis.shape[1] != self.n_features:
                raise ValueError(f"basis must have shape (k, {self.n_features}), got "
                                 f"{basis.shape}.")
            basis.setflags(write=False)
            object.__setattr__(self, "basis", basis)

    @property
    def intrinsic_dimension(self):
        return self.n_features if self.basis is None else self.basis.shape[0]

    @property
    def input_covariance(self):
        """Cov(x) = Bᵀ B / 12 + τ² I (u uniform on [0, 1]^k has covariance I / 12)."""
        basis = np.eye(self.n_features) if self.basis is None else self.basis
        return basis.T @ basis / 12 + self.input_noise**2 * np.eye(self.n_features)

    def unexplained_variance_share(self, n_components):
        """The share of Var(x) outside the top ``n_components`` principal directions of the
        law: 1 − (sum of the top eigenvalues of Cov(x)) / tr Cov(x). For m = k it is
        (D − k) τ² / tr Cov(x), the input noise's share off the subspace."""
        eigenvalues = np.sort(np.linalg.eigvalsh(self.input_covariance))[::-1]
        return float(eigenvalues[n_components:].sum() / eigenvalues.sum())

    def target(self, X):
        """f*(x) = ||x||."""
        return np.linalg.norm(np.asarray(X, dtype=float), axis=1)

    def sample(self, random_state=None, n_samples=None):
        """Draw ``n_samples`` pairs (``self.n_samples`` when None)."""
        rng = check_random_state(random_state)
        n_samples = self.n_samples if n_samples is None else n_samples
        u = rng.random((n_samples, self.intrinsic_dimension))
        X = u if self.basis is None else u @ self.basis
        if self.input_noise > 0:
            X = X + self.input_noise * rng.standard_normal(X.shape)
        y = self.target(X)
        if self.noise > 0:
            y = y + self.noise * rng.standard_normal(n_samples)
        return X, y


def check_norm_target_params(n_samples, n_features, noise=0.0, intrinsic_dimension=0,
                             basis_seed=0, input_noise=0.0):
    """Check the arguments of :func:`make_norm_target` without drawing anything."""
    check_scalar(n_samples, "n_samples", numbers.Integral, min_val=1)
    check_scalar(n_features, "n_features", numbers.Integral, min_val=1)
    for name, value in (("noise", noise), ("input_noise", input_noise)):
        check_scalar(value, name, numbers.Real, min_val=0.0)
        if not math.isfinite(value):
            raise ValueError(f"{name} must be finite, got {value!r}.")
    check_scalar(intrinsic_dimension, "intrinsic_dimension", numbers.Integral, min_val=0)
    if intrinsic_dimension > n_features:
        raise ValueError(f"intrinsic_dimension={intrinsic_dimension} exceeds "
                         f"n_features={n_features}.")
    check_scalar(basis_seed, "basis_seed", numbers.Integral, min_val=0)


def make_norm_target(n_samples, n_features, noise=0.0, intrinsic_dimension=0, basis_seed=0,
                     input_noise=0.0, random_state=None):
    """Build the course's k-NN regression: y = ||x|| + noise, x uniform on [0, 1]^d, or
    (``intrinsic_dimension`` k > 0) x = u B with u uniform on [0, 1]^k and B uniform on
    [0, 1]^(k x d), plus N(0, input_noise² I) when ``input_noise`` > 0.

    B is drawn from ``basis_seed``, k and d alone, not from ``random_state`` (which the
    pipeline derives from every parameter, ``n_samples`` included): samples of different
    sizes then come from one law, as a rate in n requires.

    References
    ----------
    .. [1] nlehir/FTML, practical_sessions/tp_05_knn (k-NN on uniform data; adaptivity to
       data on a low-dimensional support).
    """
    check_norm_target_params(n_samples, n_features, noise, intrinsic_dimension, basis_seed,
                             input_noise)
    basis = None
    if 0 < intrinsic_dimension:
        rng = np.random.default_rng([basis_seed, intrinsic_dimension, n_features])
        basis = rng.random((intrinsic_dimension, n_features))
    return NormTargetModel(n_samples, n_features, float(noise), basis, float(input_noise))
