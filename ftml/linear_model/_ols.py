"""Ordinary least squares through the singular value decomposition."""

import numpy as np

from ftml.base import BaseEstimator, RegressorMixin
from ftml.validation import check_is_fitted, validate_data

__all__ = ["OLS"]


def svd_least_squares(X, y, n_alpha=0.0):
    """Solve ``min_theta ||X theta - y||^2 + n_alpha ||theta||^2`` through the SVD of ``X``.

    With the thin SVD ``X = U diag(s) V^T``, the solution is
    ``theta = V diag(s_i / (s_i^2 + n_alpha)) U^T y``, where singular values at or below
    ``tol = max(n, d) * eps * s_max`` (numpy's ``lstsq`` cut-off) are treated as exact zeros
    and get a factor 0. For ``n_alpha = 0`` this is the pseudo-inverse solution
    ``theta = X^+ y``: the least-squares solution of minimum Euclidean norm, well defined
    for any shape and any rank.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        The design matrix.
    y : ndarray of shape (n_samples,)
        The targets.
    n_alpha : float, default=0.0
        The ridge penalty on the unnormalised squared loss, ``n_samples * alpha`` in the
        course's convention; non-negative.

    Returns
    -------
    coef : ndarray of shape (n_features,)
        The solution.
    rank : int
        The number of singular values above ``tol``.
    singular_values : ndarray of shape (min(n_samples, n_features),)
        The singular values of ``X``, in decreasing order.

    References
    ----------
    The course, chapter "Linear least-squares regression" (closed form of the OLS and ridge
    estimators). F. Bach, *Learning Theory from First Principles*, MIT Press, 2024,
    Chapter 3.
    """
    U, s, Vt = np.linalg.svd(X, full_matrices=False)
    tol = max(X.shape) * np.finfo(X.dtype).eps * (s[0] if s.size else 0.0)
    kept = s > tol
    factors = np.zeros_like(s)
    # 1 / (s + n_alpha / s) equals s / (s^2 + n_alpha) but is exactly 1 / s at n_alpha = 0,
    # so Ridge(alpha=0) and OLS agree to the bit, and s^2 cannot underflow. An overflow of
    # n_alpha / s gives 1 / inf = 0, the right limit.
    with np.errstate(over="ignore"):
        factors[kept] = 1.0 / (s[kept] + n_alpha / s[kept])
    coef = Vt.T @ (factors * (U.T @ y))
    return coef, int(np.count_nonzero(kept)), s


class _LinearModel(RegressorMixin, BaseEstimator):
    """Shared by OLS and Ridge: the SVD fit with centring for the intercept, and ``predict``."""

    def _fit_svd(self, X, y, alpha):
        """Fit ``coef_`` and ``intercept_`` on validated ``X`` and ``y``; return the rank and
        the singular values."""
        n_samples = X.shape[0]
        if self.fit_intercept:
            # Centring X and y removes the intercept from the problem, so that it is not
            # penalised; the optimal intercept is then recovered from the means.
            X_offset, y_offset = X.mean(axis=0), y.mean()
            X, y = X - X_offset, y - y_offset
        coef, rank, singular_values = svd_least_squares(X, y, n_samples * alpha)
        self.coef_ = coef
        self.intercept_ = float(y_offset - X_offset @ coef) if self.fit_intercept else 0.0
        return rank, singular_values

    def predict(self, X):
        """Predict ``X @ coef_ + intercept_``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Samples with the same features as in ``fit``.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)

        Raises
        ------
        NotFittedError
            If the estimator has not been fitted.
        ValueError
            If ``X`` is not a finite 2-D numeric array, or if its number of features differs
            from ``n_features_in_``.
        """
        check_is_fitted(self, ["coef_", "intercept_", "n_features_in_"])
        X = validate_data(self, X, reset=False)
        return X @ self.coef_ + self.intercept_


class OLS(_LinearModel):
    """Ordinary least squares: minimise ``(1/n) ||X theta + b - y||^2``.

    The closed form is computed through the SVD, ``theta = V diag(1/s_i) U^T y`` over the
    singular values ``s_i > tol`` with ``tol = max(n, d) * eps * s_max`` (numpy's ``lstsq``
    rule). This is the pseudo-inverse solution: the unique minimiser when ``X`` has full
    column rank, and otherwise (``d > n``, collinear or duplicated columns) the minimiser of
    smallest Euclidean norm, so fitting never fails on rank deficiency.

    Parameters
    ----------
    fit_intercept : bool, default=True
        Fit an unpenalised intercept ``b`` by centring ``X`` and ``y``. If False the model
        goes through the origin and ``intercept_`` is 0.0.

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,)
        The minimum-norm least-squares coefficients ``theta``.
    intercept_ : float
        ``mean(y) - mean(X, axis=0) @ coef_``, or 0.0 when ``fit_intercept=False``.
    rank_ : int
        Numerical rank of the (centred, if ``fit_intercept``) design matrix.
    singular_values_ : ndarray of shape (min(n_samples, n_features),)
        Singular values of the (centred, if ``fit_intercept``) design matrix, decreasing.
    n_features_in_ : int
        Number of features seen in ``fit``.

    See Also
    --------
    Ridge : The same problem with a squared-norm penalty; ``Ridge(alpha=0)`` equals OLS.

    References
    ----------
    The course, chapter "Linear least-squares regression" (the OLS estimator and its closed
    form). F. Bach, *Learning Theory from First Principles*, MIT Press, 2024, Chapter 3.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[0.0], [1.0], [2.0]])
    >>> model = OLS().fit(X, [1.0, 3.0, 5.0])
    >>> model.coef_.round(12), round(model.intercept_, 12)
    (array([2.]), 1.0)
    >>> model.predict([[3.0]]).round(12)
    array([7.])
    """

    _parameter_constraints = {"fit_intercept": ["boolean"]}

    def __init__(self, *, fit_intercept=True):
        self.fit_intercept = fit_intercept

    def fit(self, X, y):
        """Fit the least-squares coefficients.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            The design matrix.
        y : array-like of shape (n_samples,)
            The targets.

        Returns
        -------
        self : OLS
            The fitted estimator.

        Raises
        ------
        InvalidParameterError
            If ``fit_intercept`` is not a bool.
        ValueError
            If ``X`` is not 2-D, ``y`` not 1-D (or None), either is empty, non-numeric or
            not finite, or their lengths differ.
        """
        self._validate_params()
        X, y = validate_data(self, X, y)
        self.rank_, self.singular_values_ = self._fit_svd(X, y, alpha=0.0)
        return self
