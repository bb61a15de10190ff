"""Principal component analysis through the thin SVD of the centred data."""

from numbers import Integral, Real

import numpy as np

from ftml.base import BaseEstimator, TransformerMixin
from ftml.validation import (
    Interval,
    check_array,
    check_finite_squared_norm,
    check_is_fitted,
    validate_data,
)

__all__ = ["PCA", "pca_svd"]


def pca_svd(X):
    """Return the mean of ``X`` and the thin SVD of ``X - mean``, with a deterministic sign.

    Each singular pair ``(u_k, v_k)`` is defined up to a common sign. It is fixed as in
    scikit-learn's ``svd_flip(U, Vt, u_based_decision=False)``, which scikit-learn 1.9 uses
    for ``PCA(svd_solver="full")``: the entry of largest absolute value of each row of
    ``Vt`` (the first one on a tie) is made positive, and the column of ``U`` flipped with
    it, so that ``U diag(s) Vt`` is unchanged.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        Finite data.

    Returns
    -------
    mean : ndarray of shape (n_features,)
    U : ndarray of shape (n_samples, k)
    s : ndarray of shape (k,)
        The singular values of ``X - mean``, in decreasing order; ``k = min(n_samples,
        n_features)``.
    Vt : ndarray of shape (k, n_features)
        The right singular vectors, one per row: the principal axes.

    References
    ----------
    scikit-learn, ``sklearn/utils/extmath.py`` (``svd_flip``) and
    ``sklearn/decomposition/_pca.py`` (``_fit_full``).

    Examples
    --------
    >>> X = np.array([[0.0, 0.0], [-2.0, -1.0], [4.0, 2.0]])
    >>> mean, U, s, Vt = pca_svd(X)
    >>> bool(Vt[0, np.argmax(np.abs(Vt[0]))] > 0)
    True
    >>> np.allclose(U * s @ Vt + mean, X)
    True
    """
    mean = X.mean(axis=0)
    U, s, Vt = np.linalg.svd(X - mean, full_matrices=False)
    rows = np.arange(Vt.shape[0])
    signs = np.sign(Vt[rows, np.argmax(np.abs(Vt), axis=1)])
    U *= signs
    Vt *= signs[:, np.newaxis]
    return mean, U, s, Vt


class PCA(TransformerMixin, BaseEstimator):
    """Principal component analysis: project centred data on its directions of largest
    variance.

    With the thin SVD of the centred training data ``X - mean_ = U diag(s) V^T``, the
    principal axes are the rows of ``V^T``, ordered by decreasing singular value, and the
    sample covariance ``(X - mean_)^T (X - mean_) / (n_samples - 1)`` has the eigenvalues
    ``s^2 / (n_samples - 1)`` along them. ``transform`` returns the coordinates of
    ``X - mean_`` on the first ``n_components_`` axes; keeping them minimises the squared
    reconstruction error among projections on ``n_components_`` dimensions
    (Eckart-Young), and the fraction of variance lost is ``1 - sum(explained_variance_ratio_)``.

    Parameters
    ----------
    n_components : int, float or None, default=None
        The number of components kept. None keeps ``min(n_samples, n_features)``; an int
        ``k >= 1`` keeps ``k``, at most ``min(n_samples, n_features)``; a float ``r`` in
        ``(0, 1)`` keeps the smallest number of components whose cumulative explained
        variance ratio is strictly above ``r`` (scikit-learn's rule, ``searchsorted(...,
        side="right") + 1``).
    whiten : bool, default=False
        Divide each output coordinate by ``sqrt(explained_variance_)``, so that the
        transformed training data have the identity sample covariance. A component of
        variance below machine epsilon squared is divided by epsilon instead, as in
        scikit-learn.

    Attributes
    ----------
    components_ : ndarray of shape (n_components_, n_features_in_)
        The principal axes, orthonormal rows, by decreasing explained variance; the sign of
        each makes its entry of largest absolute value positive (see :func:`pca_svd`).
    explained_variance_ : ndarray of shape (n_components_,)
        The eigenvalues of the sample covariance (``ddof=1``) along the axes.
    explained_variance_ratio_ : ndarray of shape (n_components_,)
        ``explained_variance_`` divided by the total variance, the trace of the sample
        covariance.
    singular_values_ : ndarray of shape (n_components_,)
        The singular values of the centred training data along the axes.
    mean_ : ndarray of shape (n_features_in_,)
        The training mean, subtracted before projecting.
    n_components_ : int
        The number of components kept.
    noise_variance_ : float
        The variance of the isotropic noise of the probabilistic PCA model: the mean of the
        discarded eigenvalues of the sample covariance, 0 if none is discarded.
    n_samples_ : int
        Number of samples seen in ``fit``.
    n_features_in_ : int
        Number of features seen in ``fit``.

    Notes
    -----
    The attributes equal those of scikit-learn's ``PCA(svd_solver="full")`` to rounding,
    signs included. Differences: ``n_components`` is at least 1 (scikit-learn allows 0) and
    has no ``"mle"`` option; there is no ``svd_solver``, ``copy``, ``tol`` or
    ``random_state``; the input is converted to float64. A constant feature is allowed (it
    gives a direction of zero variance), but data whose features are all constant are
    refused: the total variance is then 0 and ``explained_variance_ratio_`` is undefined
    (scikit-learn returns NaN ratios). The SVD costs ``O(n d min(n, d))`` time and the
    centred copy ``O(n d)`` memory.

    References
    ----------
    The course, chapter "Unsupervised learning" (principal component analysis). C. M.
    Bishop, *Pattern Recognition and Machine Learning*, Springer, 2006, Section 12.1 and,
    for ``score_samples``, Section 12.2 (probabilistic PCA). M. E. Tipping and C. M.
    Bishop, "Probabilistic principal component analysis", *Journal of the Royal
    Statistical Society B*, 61(3), 1999. scikit-learn, ``sklearn/decomposition/_pca.py``.

    Examples
    --------
    >>> X = np.array([[-1.0, -1.0], [-2.0, -1.0], [-3.0, -2.0],
    ...               [1.0, 1.0], [2.0, 1.0], [3.0, 2.0]])
    >>> pca = PCA(n_components=2).fit(X)
    >>> pca.explained_variance_ratio_.round(4)
    array([0.9924, 0.0076])
    >>> pca.singular_values_.round(4)
    array([6.3006, 0.5498])
    >>> PCA(n_components=0.95).fit(X).n_components_
    1
    """

    _parameter_constraints = {
        "n_components": [
            Interval(Integral, 1, None, closed="left"),
            Interval(Real, 0, 1, closed="neither"),
            None,
        ],
        "whiten": ["boolean"],
    }

    def __init__(self, n_components=None, *, whiten=False):
        self.n_components = n_components
        self.whiten = whiten

    def fit(self, X, y=None):
        """Find the principal axes of ``X``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            The training data.
        y : None
            Ignored; accepted for pipelines.

        Returns
        -------
        self : PCA

        Raises
        ------
        InvalidParameterError
            If ``n_components`` is not None, an int of at least 1 or a float in (0, 1), or
            ``whiten`` is not a bool.
        ValueError
            If ``X`` is not a finite, non-empty 2-D numeric array; if an int
            ``n_components`` exceeds ``min(n_samples, n_features)``; if every feature of
            ``X`` is constant (a single sample included): the total variance is 0 and the
            ratios are undefined; or if the squared norm of the centred ``X`` overflows
            float64.
        """
        self._fit(X)
        return self

    def fit_transform(self, X, y=None):
        """Fit to ``X`` and return its coordinates on the principal axes.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            The training data.
        y : None
            Ignored; accepted for pipelines.

        Returns
        -------
        X_new : ndarray of shape (n_samples, n_components_)
            ``U[:, :k] * s[:k]`` from the SVD of the fit (``U[:, :k] * sqrt(n_samples - 1)``
            if ``whiten``), equal to ``fit(X).transform(X)`` to rounding.

        Raises
        ------
        InvalidParameterError, ValueError
            As :meth:`fit`.
        """
        U, s = self._fit(X)
        k = self.n_components_
        if self.whiten:
            return U[:, :k] / self._whitening_scale() * s[:k]
        return U[:, :k] * s[:k]

    def _fit(self, X):
        """Fit on ``X``; return ``U`` and ``s`` of the SVD, for ``fit_transform``."""
        self._validate_params()
        X = validate_data(self, X)
        n_samples, n_features = X.shape
        largest = min(n_samples, n_features)
        if isinstance(self.n_components, Integral) and self.n_components > largest:
            raise ValueError(
                f"n_components={self.n_components} must be at most min(n_samples, "
                f"n_features)={largest}: X has {n_samples} sample(s) and {n_features} "
                "feature(s)."
            )
        if np.all(X.max(axis=0) == X.min(axis=0)):
            raise ValueError(
                f"PCA needs data that vary: all {n_features} feature(s) of X are constant "
                f"over its {n_samples} sample{'s' if n_samples != 1 else ''}, so the total "
                "variance is 0 and explained_variance_ratio_ is undefined."
            )
        mean, U, s, Vt = pca_svd(X)
        check_finite_squared_norm(s, name="X")  # ||X - mean||^2 = sum(s^2)
        explained_variance = s**2 / (n_samples - 1)
        ratio = explained_variance / explained_variance.sum()

        if self.n_components is None:
            k = largest
        elif isinstance(self.n_components, Integral):
            k = int(self.n_components)
        else:  # the fewest components whose cumulative ratio is strictly above the float
            cumulative = np.cumsum(ratio)
            k = min(int(np.searchsorted(cumulative, self.n_components, side="right")) + 1,
                    largest)

        self.mean_ = mean
        self.components_ = Vt[:k].copy()
        self.explained_variance_ = explained_variance[:k].copy()
        self.explained_variance_ratio_ = ratio[:k].copy()
        self.singular_values_ = s[:k].copy()
        self.noise_variance_ = float(explained_variance[k:].mean()) if k < largest else 0.0
        self.n_components_ = k
        self.n_samples_ = n_samples
        return U, s

    def _whitening_scale(self):
        scale = np.sqrt(self.explained_variance_)
        return np.maximum(scale, np.finfo(np.float64).eps)

    def transform(self, X):
        """Return the coordinates of ``X - mean_`` on the principal axes.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features_in_)

        Returns
        -------
        X_new : ndarray of shape (n_samples, n_components_)
            ``(X - mean_) @ components_.T``, divided by ``sqrt(explained_variance_)`` if
            ``whiten``.

        Raises
        ------
        NotFittedError
            If the model has not been fitted.
        ValueError
            If ``X`` is not a finite 2-D numeric array with ``n_features_in_`` columns.
        """
        check_is_fitted(self, "components_")
        X = validate_data(self, X, reset=False)
        X_new = (X - self.mean_) @ self.components_.T
        if self.whiten:
            X_new /= self._whitening_scale()
        return X_new

    def inverse_transform(self, X):
        """Map coordinates on the principal axes back to the feature space.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_components_)
            Coordinates, as returned by :meth:`transform`.

        Returns
        -------
        X_original : ndarray of shape (n_samples, n_features_in_)
            ``X @ components_ + mean_`` (``X`` first multiplied by
            ``sqrt(explained_variance_)`` if ``whiten``): the projection of the original
            data on the affine span of the kept axes, the data themselves if no component
            was discarded.

        Raises
        ------
        NotFittedError
            If the model has not been fitted.
        ValueError
            If ``X`` is not a finite 2-D numeric array with ``n_components_`` columns.
        """
        check_is_fitted(self, "components_")
        X = check_array(X)
        if X.shape[1] != self.n_components_:
            raise ValueError(
                f"X has {X.shape[1]} columns, but PCA has {self.n_components_} components: "
                "inverse_transform takes the output of transform."
            )
        if self.whiten:
            X = X * np.sqrt(self.explained_variance_)
        return X @ self.components_ + self.mean_

    def score_samples(self, X):
        """Return the log-likelihood of each sample under the probabilistic PCA model.

        The model is the Gaussian of mean ``mean_`` whose covariance has the eigenvalue
        ``max(explained_variance_[k], noise_variance_)`` along ``components_[k]`` and
        ``noise_variance_`` on the orthogonal complement of the kept axes (Tipping and
        Bishop's maximum-likelihood fit); ``whiten`` does not change it. The density is
        evaluated in that eigenbasis, without forming or inverting the covariance.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features_in_)

        Returns
        -------
        log_likelihood : ndarray of shape (n_samples,)

        Raises
        ------
        NotFittedError
            If the model has not been fitted.
        ValueError
            If ``X`` is not a finite 2-D numeric array with ``n_features_in_`` columns, or
            if the model's covariance is singular: a kept component of zero variance, or no
            noise (``noise_variance_ == 0``) while fewer components than features are kept
            (``n_samples <= n_features`` with every component kept). A covariance that is
            nearly singular, a kept variance at rounding level, is not refused: as with
            scikit-learn, the log-likelihood is then dominated by rounding errors.
        """
        check_is_fitted(self, "components_")
        X = validate_data(self, X, reset=False)
        n_features = X.shape[1]
        noise = self.noise_variance_
        variance = np.maximum(self.explained_variance_, noise)
        n_rest = n_features - self.n_components_
        if np.any(variance <= 0) or (n_rest > 0 and noise <= 0):
            raise ValueError(
                f"The probabilistic PCA covariance is singular (noise_variance_={noise!r}, "
                f"{self.n_components_} component(s) for {n_features} feature(s), smallest "
                f"kept variance {float(self.explained_variance_.min())!r}, largest "
                f"{float(self.explained_variance_.max())!r}): the log-likelihood is "
                "undefined. Keep fewer components."
            )
        centred = X - self.mean_
        projected = centred @ self.components_.T
        quadratic = (projected**2 / variance).sum(axis=1)
        log_det = np.log(variance).sum()
        if n_rest > 0:
            residual = centred - projected @ self.components_
            quadratic += (residual**2).sum(axis=1) / noise
            log_det += n_rest * np.log(noise)
        return -0.5 * (quadratic + log_det + n_features * np.log(2 * np.pi))

    def score(self, X, y=None):
        """Return the mean log-likelihood of the samples of ``X``; see :meth:`score_samples`.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features_in_)
        y : None
            Ignored; accepted for pipelines.

        Returns
        -------
        log_likelihood : float
        """
        return float(np.mean(self.score_samples(X)))
