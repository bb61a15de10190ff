"""What the k-NN estimators share: the brute-force neighbour search and the weights.

The search computes squared Euclidean distances by BLAS, ``||a||^2 - 2 a.b + ||b||^2``
clipped at 0, for a chunk of query rows at a time, so that memory is bounded by
:data:`WORKING_MEMORY` rather than by ``n_queries x n_samples_fit``; in each row
``np.argpartition`` finds the ``k`` nearest candidates and a stable sort orders them.

Tie rule: neighbours are ordered by (distance, training index). Among training points at
the same computed distance from a query, the one with the smaller index comes first, and
when such points straddle the ``k``-th place, those with the smallest indices are the ones
kept (the partition's arbitrary choice is corrected). scikit-learn's brute-force search
(its heap-based ``ArgKmin``) returns the same distances but orders tied points, and chooses
among them at the ``k``-th place, in an order that is not the indices'; where no tie
straddles the ``k``-th place, both find the same neighbours, hence the same predictions.

Distances are computed, so equal in exact arithmetic is not always equal in floating point:
for a query that coincides with a training point, ``||a||^2 - 2 a.a + ||a||^2`` may round
to a small positive number (its square root is then of order ``1e-8 ||a||``) rather than 0,
as in scikit-learn. Integer-valued features of moderate size give exact distances.
"""

from numbers import Integral

import numpy as np

from ftml.validation import (
    Interval,
    Options,
    check_finite_squared_norm,
    check_is_fitted,
    check_scalar,
    validate_data,
)

__all__ = []

#: Bytes that the distance computation of one chunk of query rows may use: each query row
#: costs about ``24 * n_samples_fit`` bytes (its distances, the partition's indices and the
#: tie count, 8 bytes each per training point), and a chunk holds at least one row. 64 MiB
#: is a chunk of about 2,800 queries against 1,000 training points.
WORKING_MEMORY = 64 * 2**20

_BYTES_PER_ENTRY = 24


def _chunk_rows(n_samples_fit):
    """The number of query rows of a chunk, at least 1, within :data:`WORKING_MEMORY`."""
    return max(1, WORKING_MEMORY // (_BYTES_PER_ENTRY * n_samples_fit))


def _nearest(squared, k):
    """The ``k`` nearest columns of each row of ``squared``, by (distance, index).

    Parameters
    ----------
    squared : ndarray of shape (n_queries, n_samples_fit)
        Squared distances, non-negative.
    k : int
        Between 1 and ``n_samples_fit``.

    Returns
    -------
    squared_k : ndarray of shape (n_queries, k)
        The sorted squared distances of the neighbours.
    indices : ndarray of shape (n_queries, k)
        Their columns; equal distances in increasing column order.
    """
    n_queries, n_samples = squared.shape
    if k == n_samples:
        candidates = np.broadcast_to(np.arange(n_samples), squared.shape).copy()
    else:
        candidates = np.argpartition(squared, k - 1, axis=1)[:, :k]
    values = np.take_along_axis(squared, candidates, axis=1)
    kth = values.max(axis=1, keepdims=True)
    # Points tied with the k-th distance but left out by the partition: keep instead the
    # tied points of smallest index, in the rows where that changes the choice.
    straddled = (squared == kth).sum(axis=1) > (values == kth).sum(axis=1)
    if straddled.any():
        rows, kth_rows = squared[straddled], kth[straddled]
        below = rows < kth_rows
        tied = rows == kth_rows
        room = k - below.sum(axis=1, keepdims=True)
        keep = below | (tied & (np.cumsum(tied, axis=1) <= room))
        candidates[straddled] = np.nonzero(keep)[1].reshape(-1, k)
        values[straddled] = np.take_along_axis(rows, candidates[straddled], axis=1)
    order = np.lexsort((candidates, values), axis=1)  # by distance, then by index
    return (np.take_along_axis(values, order, axis=1),
            np.take_along_axis(candidates, order, axis=1))


def _kneighbors_brute(queries, points, k):
    """Distances and indices of the ``k`` nearest ``points`` of each query, by chunks."""
    point_norms = np.einsum("ij,ij->i", points, points)
    rows = _chunk_rows(points.shape[0])
    distances = np.empty((queries.shape[0], k))
    indices = np.empty((queries.shape[0], k), dtype=np.intp)
    for start in range(0, queries.shape[0], rows):
        chunk = queries[start:start + rows]
        squared = np.einsum("ij,ij->i", chunk, chunk)[:, None] + (-2.0 * (chunk @ points.T))
        squared += point_norms
        np.maximum(squared, 0.0, out=squared)  # rounding can make it slightly negative
        squared_k, indices[start:start + rows] = _nearest(squared, k)
        distances[start:start + rows] = np.sqrt(squared_k)
    return distances, indices


def _distance_weights(distances):
    """The weights ``1 / d`` of neighbours; a row with neighbours at distance 0 weights
    those by 1 and the others by 0 (scikit-learn's ``_get_weights``)."""
    with np.errstate(divide="ignore"):
        weights = 1.0 / distances
    infinite = np.isinf(weights)
    coincident = infinite.any(axis=1)
    weights[coincident] = infinite[coincident]
    return weights


def _check_n_neighbors(estimator, n_neighbors, n_samples_fit, *, query_is_train=False):
    """Refuse more neighbours than there are training points (other than the query's own
    point when the training points are the queries)."""
    available = n_samples_fit - 1 if query_is_train else n_samples_fit
    if n_neighbors > available:
        bound = "n_samples_fit - 1" if query_is_train else "n_samples_fit"
        other = " other" if query_is_train else ""
        raise ValueError(
            f"Expected n_neighbors <= {bound}, but n_neighbors = {n_neighbors} and "
            f"n_samples_fit = {n_samples_fit}: {type(estimator).__name__} is fitted on "
            f"{n_samples_fit} sample(s), so a point has at most {available}{other} "
            "neighbour(s)."
        )


class _NeighborsBase:
    """The k-NN estimators' parameters, ``fit``'s bookkeeping and :meth:`kneighbors`."""

    _parameter_constraints = {
        "n_neighbors": [Interval(Integral, 1, None, closed="left")],
        "weights": [Options(str, ("uniform", "distance"))],
    }

    def __init__(self, n_neighbors=5, *, weights="uniform"):
        self.n_neighbors = n_neighbors
        self.weights = weights

    def _fit_points(self, X):
        check_finite_squared_norm(X)  # ||b||^2 must not overflow, nor ||a||^2 below
        _check_n_neighbors(self, self.n_neighbors, X.shape[0])
        self._fit_X = X
        self.n_samples_fit_ = X.shape[0]

    def kneighbors(self, X=None, n_neighbors=None, return_distance=True):
        """Find the nearest training points of each query.

        Parameters
        ----------
        X : array-like of shape (n_queries, n_features), default=None
            The queries. None queries the training points, each excluding itself (its
            neighbours are the nearest *other* training points), as scikit-learn does.
        n_neighbors : int, default=None
            The number of neighbours; None is ``self.n_neighbors``.
        return_distance : bool, default=True
            Return the distances with the indices.

        Returns
        -------
        distances : ndarray of shape (n_queries, n_neighbors)
            Euclidean distances, increasing along each row; only if ``return_distance``.
        indices : ndarray of shape (n_queries, n_neighbors)
            Indices of the neighbours in the training set. Equally distant neighbours come
            in increasing index order, and at the ``n_neighbors``-th place the tied points
            of smallest index are kept (see :mod:`ftml.neighbors._base`).

        Raises
        ------
        NotFittedError
            If the estimator is not fitted.
        ValueError
            If ``X`` fails :func:`ftml.validation.validate_data` (not 2-D, another number of
            features than in ``fit``, NaN...) or its squared norm overflows float64 (see
            :func:`ftml.validation.check_finite_squared_norm`), if ``n_neighbors`` is below
            1 or above the number of training samples (minus one when ``X`` is None).
        TypeError
            If ``n_neighbors`` is not an integer.
        """
        check_is_fitted(self, ["n_samples_fit_"])
        if n_neighbors is None:
            n_neighbors = self.n_neighbors
        check_scalar(n_neighbors, "n_neighbors", Integral, min_val=1)
        query_is_train = X is None
        _check_n_neighbors(self, n_neighbors, self.n_samples_fit_,
                           query_is_train=query_is_train)
        if query_is_train:
            distances, indices = _kneighbors_brute(self._fit_X, self._fit_X, n_neighbors + 1)
            # Drop each point from its own list; if equally near points of smaller index
            # pushed it beyond the first n_neighbors + 1, drop the last one instead.
            is_self = indices == np.arange(self.n_samples_fit_)[:, None]
            is_self[~is_self.any(axis=1), -1] = True
            keep = ~is_self
            distances = distances[keep].reshape(-1, n_neighbors)
            indices = indices[keep].reshape(-1, n_neighbors)
        else:
            X = check_finite_squared_norm(validate_data(self, X, reset=False))
            distances, indices = _kneighbors_brute(X, self._fit_X, n_neighbors)
        return (distances, indices) if return_distance else indices

    def _neighbors_and_weights(self, X):
        """Indices of the ``n_neighbors`` nearest training points of each row of ``X``,
        and their weights (None for ``"uniform"``)."""
        distances, indices = self.kneighbors(X)
        if self.weights == "uniform":
            return indices, None
        return indices, _distance_weights(distances)
