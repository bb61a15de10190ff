"""k-nearest-neighbours regression: the (weighted) mean of the neighbours' targets."""

import numpy as np

from ftml.base import BaseEstimator, RegressorMixin
from ftml.neighbors._base import _NeighborsBase
from ftml.validation import (
    check_array,
    check_consistent_length,
    validate_data,
)

__all__ = ["KNeighborsRegressor"]


class KNeighborsRegressor(_NeighborsBase, RegressorMixin, BaseEstimator):
    """Regression by the mean of the targets of the ``k`` nearest training points.

    The prediction at ``x`` is ``sum_j w_j y_(j) / sum_j w_j`` over the ``k`` training
    points nearest to ``x`` in Euclidean distance, with ``w_j = 1`` (``"uniform"``) or
    ``w_j = 1 / ||x - x_(j)||`` (``"distance"``). Neighbours are found by brute force; among
    equally distant training points the one of smaller index is the nearer (see
    :meth:`kneighbors`).

    Parameters
    ----------
    n_neighbors : int, default=5
        The number ``k`` of neighbours; at most the number of training samples.
    weights : {"uniform", "distance"}, default="uniform"
        ``"uniform"`` averages the neighbours' targets; ``"distance"`` weights each by the
        inverse of its distance, and a query at distance 0 from training points gets the
        mean of those points' targets only (as scikit-learn does).

    Attributes
    ----------
    n_features_in_ : int
        Number of features seen in ``fit``.
    n_samples_fit_ : int
        Number of training samples.

    See Also
    --------
    KNeighborsClassifier : The vote of the neighbours.

    References
    ----------
    The course, chapter "Statistical learning foundations" (local averaging).
    F. Bach, *Learning Theory from First Principles*, MIT Press, 2024, Section 6.3.
    scikit-learn, ``sklearn.neighbors.KNeighborsRegressor`` (``algorithm="brute"``).

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[0.0], [1.0], [2.0], [3.0]])
    >>> model = KNeighborsRegressor(n_neighbors=2).fit(X, [0.0, 1.0, 4.0, 9.0])
    >>> model.predict([[0.4], [2.6]])
    array([0.5, 6.5])
    >>> model.kneighbors([[1.5]])  # equally distant: the smaller index first
    (array([[0.5, 0.5]]), array([[1, 2]]))
    """

    def fit(self, X, y):
        """Store the training points and their targets.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            The training points.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            The targets; a column vector ``(n_samples, 1)`` is raveled, with a warning.

        Returns
        -------
        self : KNeighborsRegressor
            The fitted estimator.

        Raises
        ------
        InvalidParameterError
            If ``n_neighbors`` is not an int of at least 1 or ``weights`` is unknown; it is
            both a ValueError and a TypeError.
        ValueError
            If ``X`` or ``y`` is empty, non-numeric or not finite, if their lengths differ,
            if ``n_neighbors`` exceeds the number of samples (the message gives both),
            or if the squared norm of ``X`` overflows float64 (see
            :func:`ftml.validation.check_finite_squared_norm`).
        """
        self._validate_params()
        if _n_outputs(y) > 1:
            y = check_array(y, name="y")
            X = validate_data(self, X)
            check_consistent_length(X=X, y=y)
        else:
            X, y = validate_data(self, X, y)
        self._fit_points(X)
        self._y = y
        return self

    def predict(self, X):
        """Predict the (weighted) mean of the neighbours' targets.

        Parameters
        ----------
        X : array-like of shape (n_queries, n_features)
            The queries.

        Returns
        -------
        y_pred : ndarray of shape (n_queries,) or (n_queries, n_outputs)
            The shape of ``y`` in ``fit``.

        Raises
        ------
        NotFittedError
            If the estimator is not fitted.
        ValueError
            If ``X`` has another number of features than in ``fit`` or is not finite, or
            if ``n_neighbors`` (set after ``fit``) exceeds the number of training samples.
        """
        indices, weights = self._neighbors_and_weights(X)
        targets = self._y.reshape(self.n_samples_fit_, -1)[indices]
        if weights is None:
            prediction = targets.mean(axis=1)
        else:
            prediction = ((targets * weights[:, :, None]).sum(axis=1)
                          / weights.sum(axis=1)[:, None])
        return prediction.reshape(-1) if self._y.ndim == 1 else prediction

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags


def _n_outputs(y):
    """The number of columns of a 2-D ``y``, otherwise 1 (including input that is no
    array, which :func:`ftml.validation.validate_data` then explains)."""
    try:
        y = np.asarray(y)
    except ValueError:  # ragged
        return 1
    return y.shape[1] if y.ndim == 2 else 1
