"""k-nearest-neighbours classification: the (weighted) vote of the neighbours."""

import numpy as np

from ftml.base import BaseEstimator, ClassifierMixin
from ftml.neighbors._base import _NeighborsBase
from ftml.validation import check_classification_targets, validate_data

__all__ = ["KNeighborsClassifier"]


class KNeighborsClassifier(_NeighborsBase, ClassifierMixin, BaseEstimator):
    """Classification by the vote of the ``k`` nearest training points.

    Each of the ``k`` training points nearest to ``x`` in Euclidean distance votes for its
    class with weight ``1`` (``"uniform"``) or ``1 / ||x - x_(j)||`` (``"distance"``);
    ``predict_proba`` gives each class's share of the votes and ``predict`` the class with
    the largest share. A tie in the vote goes to the smallest class label (the first of
    ``classes_``, as scikit-learn's argmax); among equally distant training points the one
    of smaller index is the nearer (see :meth:`kneighbors`).

    Parameters
    ----------
    n_neighbors : int, default=5
        The number ``k`` of neighbours; at most the number of training samples.
    weights : {"uniform", "distance"}, default="uniform"
        ``"uniform"`` counts one vote per neighbour; ``"distance"`` weights each by the
        inverse of its distance, and a query at distance 0 from training points gets the
        vote of those points only (as scikit-learn does).

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        The sorted class labels.
    n_features_in_ : int
        Number of features seen in ``fit``.
    n_samples_fit_ : int
        Number of training samples.

    See Also
    --------
    KNeighborsRegressor : The mean of the neighbours' targets.

    References
    ----------
    The course, chapter "Statistical learning foundations" (local averaging).
    F. Bach, *Learning Theory from First Principles*, MIT Press, 2024, Section 6.3.
    scikit-learn, ``sklearn.neighbors.KNeighborsClassifier`` (``algorithm="brute"``).

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[0.0], [1.0], [2.0], [3.0]])
    >>> model = KNeighborsClassifier(n_neighbors=3).fit(X, ["a", "a", "b", "b"])
    >>> model.predict([[0.2], [2.9]])
    array(['a', 'b'], dtype='<U1')
    >>> model.predict_proba([[0.2]])
    array([[0.66666667, 0.33333333]])
    >>> KNeighborsClassifier(n_neighbors=2).fit(X, [1, 1, 0, 0]).predict([[1.5]])  # a tie
    array([0])
    """

    def fit(self, X, y):
        """Store the training points and their labels.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            The training points.
        y : array-like of shape (n_samples,)
            The class labels, of any type numpy can sort; a single class is allowed.

        Returns
        -------
        self : KNeighborsClassifier
            The fitted estimator.

        Raises
        ------
        InvalidParameterError
            If ``n_neighbors`` is not an int of at least 1 or ``weights`` is unknown; it is
            both a ValueError and a TypeError.
        ValueError
            If ``X`` is empty, non-numeric or not finite, if ``y`` holds no class labels
            (see :func:`ftml.validation.check_classification_targets`), if their lengths
            differ, if ``n_neighbors`` exceeds the number of samples (the message gives
            both), or if the squared norm of ``X`` overflows float64 (see
            :func:`ftml.validation.check_finite_squared_norm`).
        """
        self._validate_params()
        X, y = validate_data(self, X, y, y_numeric=False)
        check_classification_targets(y)
        classes, codes = np.unique(y, return_inverse=True)
        self._fit_points(X)
        self.classes_ = classes
        self._codes = codes.reshape(-1)
        return self

    def predict_proba(self, X):
        """Return each class's share of the neighbours' (weighted) votes.

        Parameters
        ----------
        X : array-like of shape (n_queries, n_features)
            The queries.

        Returns
        -------
        proba : ndarray of shape (n_queries, n_classes)
            Columns in the order of ``classes_``; each row sums to 1.

        Raises
        ------
        NotFittedError
            If the estimator is not fitted.
        ValueError
            If ``X`` has another number of features than in ``fit`` or is not finite, or
            if ``n_neighbors`` (set after ``fit``) exceeds the number of training samples.
        """
        indices, weights = self._neighbors_and_weights(X)
        if weights is None:
            weights = np.ones(indices.shape)
        votes = self._codes[indices]
        proba = np.zeros((indices.shape[0], self.classes_.shape[0]))
        rows = np.arange(indices.shape[0])
        for j in range(indices.shape[1]):  # neighbour by neighbour, as scikit-learn sums
            proba[rows, votes[:, j]] += weights[:, j]
        return proba / proba.sum(axis=1, keepdims=True)

    def predict(self, X):
        """Predict the class with the largest share of the votes.

        Parameters
        ----------
        X : array-like of shape (n_queries, n_features)
            The queries.

        Returns
        -------
        y_pred : ndarray of shape (n_queries,)
            Labels from ``classes_``; a tie goes to the smallest label.

        Raises
        ------
        NotFittedError
            If the estimator is not fitted.
        ValueError
            As :meth:`predict_proba`.
        """
        proba = self.predict_proba(X)
        return self.classes_[np.argmax(proba, axis=1)]
