"""Preprocessing fitted on training data only."""

import numpy as np

from ftml.base import BaseEstimator, TransformerMixin
from ftml.validation import check_finite_squared_norm, check_is_fitted, validate_data

__all__ = ["StandardScaler"]


class StandardScaler(TransformerMixin, BaseEstimator):
    """Centre each feature and scale it to unit variance, with statistics learned in ``fit``.

    Fit it on the training data only and apply the same transform to validation and test
    data: statistics computed on held-out data leak it into training.

    Parameters
    ----------
    with_mean : bool, default=True
        Subtract the training mean.
    with_std : bool, default=True
        Divide by the training standard deviation (a constant feature is left unscaled).

    Attributes
    ----------
    mean_ : ndarray of shape (n_features,)
    scale_ : ndarray of shape (n_features,)
    n_features_in_ : int

    Examples
    --------
    >>> scaler = StandardScaler().fit([[0.0, 10.0], [2.0, 30.0]])
    >>> scaler.transform([[1.0, 20.0]])
    array([[0., 0.]])
    """

    _parameter_constraints = {"with_mean": ["boolean"], "with_std": ["boolean"]}

    def __init__(self, *, with_mean=True, with_std=True):
        self.with_mean = with_mean
        self.with_std = with_std

    def fit(self, X, y=None):
        """Learn the mean and standard deviation of each feature of ``X``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            The training data.
        y : None
            Ignored; accepted for pipelines.

        Returns
        -------
        self : StandardScaler

        Raises
        ------
        InvalidParameterError
            If ``with_mean`` or ``with_std`` is not a bool.
        ValueError
            If ``X`` is not a finite, non-empty 2-D numeric array, or if, ``with_std``, its
            squared norm overflows float64 (the variances would be infinite; see
            :func:`ftml.validation.check_finite_squared_norm`).
        """
        self._validate_params()
        X = validate_data(self, X)
        if self.with_std:
            check_finite_squared_norm(X)
        self.mean_ = X.mean(axis=0) if self.with_mean else np.zeros(X.shape[1])
        scale = X.std(axis=0) if self.with_std else np.ones(X.shape[1])
        self.scale_ = np.where(scale > 0, scale, 1.0)
        return self

    def transform(self, X):
        """Standardise ``X`` with the statistics learned in ``fit``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        X_scaled : ndarray of shape (n_samples, n_features)

        Raises
        ------
        NotFittedError
            If the scaler has not been fitted.
        ValueError
            If ``X`` is not a finite 2-D numeric array with ``n_features_in_`` columns.
        """
        check_is_fitted(self, "mean_")
        X = validate_data(self, X, reset=False)
        return (X - self.mean_) / self.scale_
