"""What the k-NN estimators share: the brute-force neighbour search and the weights.

The search computes squared Euclidean distances by BLAS, ``||a||^2 - 2 a.b + ||b||^2``
clipped at 0, for a block of queries against a block of training points at a time, so that
memory is bounded by :data:`WORKING_MEMORY` rather than by ``n_queries x n_samples_fit``.
With numba (:mod:`ftml.neighbors._kernels`) and at least :data:`COMPILED_MIN_PAIRS`
(query, training point) pairs, each query keeps its ``k`` nearest points seen so far in a
heap, blocks of at most :data:`BLOCK_BYTES` staying in cache; otherwise, in each row of a
chunk of queries against all training points ``np.argpartition`` finds the ``k`` nearest
candidates and a stable sort orders them. Both give the same neighbours.

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
as in scikit-learn. Integer-valued features of moderate size give exact distances. The
products ``a.b`` of BLAS may differ in the last bit with the shape of the block (so with
:data:`WORKING_MEMORY`, with the search, compiled or not, and so with the problem's size),
hence so may the distances.
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

#: Bytes that the distance computation of one block of queries may use. Without numba a
#: block is a chunk of query rows against all training points, and each row costs about
#: ``24 * n_samples_fit`` bytes (its distances, the partition's indices and the tie count,
#: 8 bytes each per training point): 64 MiB is a chunk of about 2,800 queries against 1,000
#: training points. With numba a block of products costs 8 bytes per (query, training
#: point) pair and is at most :data:`BLOCK_BYTES`. A block holds at least one pair.
WORKING_MEMORY = 64 * 2**20

#: The largest block of products of the compiled search, at most ``BLOCK_COLUMNS`` training
#: points wide: small enough to stay in a core's L2 cache (2 MiB on the benchmark's
#: machine) between the BLAS product that writes it and the selection that reads it, and
#: square, the shape of a given size for which BLAS copies the fewest operands into its
#: packed buffers. On 20,000 training points, blocks of 512 x 512 were the fastest measured
#: (256 x 1,024 and 1,024 x 256 within 20%, on a noisy machine); blocks of 139 x 20,000,
#: the numpy search's chunk, took 1.25 to 1.3 times as long.
BLOCK_BYTES = 2 * 2**20
BLOCK_COLUMNS = 512

#: The number of (query, training point) pairs from which the search is compiled, where
#: numba is available. Below it, the numpy search takes about 0.1 s or less (0.2 s with
#: 100 features), less than importing numba and loading its compiled kernels (0.6 s in a
#: new process, 1.6 s the first time, when they are compiled): small problems, such as a
#: workflow job's, then never import numba. Above it, the compiled search saves about
#: 5 ns a pair (see ``benchmarks/neighbors_vs_sklearn.py``).
COMPILED_MIN_PAIRS = 2**24

_BYTES_PER_ENTRY = 24


def _chunk_rows(n_samples_fit):
    """The number of query rows of a chunk of the numpy search, at least 1, within
    :data:`WORKING_MEMORY`."""
    return max(1, WORKING_MEMORY // (_BYTES_PER_ENTRY * n_samples_fit))


def _block_shape(n_samples_fit):
    """The rows (queries) and columns (training points) of a block of the compiled search,
    at least 1 each, within :data:`WORKING_MEMORY` and :data:`BLOCK_BYTES`."""
    budget = min(WORKING_MEMORY, BLOCK_BYTES) // 8
    columns = max(1, min(n_samples_fit, BLOCK_COLUMNS, budget))
    return max(1, budget // columns), columns


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
    """Distances and indices of the ``k`` nearest ``points`` of each query, by blocks.

    Parameters
    ----------
    queries : ndarray of shape (n_queries, n_features)
    points : ndarray of shape (n_samples_fit, n_features)
    k : int
        Between 1 and ``n_samples_fit``.

    Returns
    -------
    distances : ndarray of shape (n_queries, k)
        Increasing along each row.
    indices : ndarray of shape (n_queries, k)
        By (distance, index), see the module's tie rule.
    """
    if queries.shape[0] * points.shape[0] < COMPILED_MIN_PAIRS:
        return _kneighbors_chunks(queries, points, k)
    # Imported here, not with the estimators: numba takes half a second to import, which
    # building, validating or cloning an estimator need not pay.
    from ftml.neighbors import _kernels

    if _kernels.NUMBA_AVAILABLE:
        return _kneighbors_blocks(queries, points, k)
    return _kneighbors_chunks(queries, points, k)


def _kneighbors_blocks(queries, points, k):
    """:func:`_kneighbors_brute` by the compiled heaps of :mod:`ftml.neighbors._kernels`."""
    from ftml.neighbors import _kernels  # see _kneighbors_brute

    point_norms = np.einsum("ij,ij->i", points, points)
    query_norms = np.einsum("ij,ij->i", queries, queries)
    # Placeholders that any training point displaces: see the kernels' tie rule.
    squared = np.full((queries.shape[0], k), np.inf)
    indices = np.full((queries.shape[0], k), points.shape[0], dtype=np.intp)
    rows, columns = _block_shape(points.shape[0])
    # One buffer for every block, rather than a new array (and its page faults) per
    # product; a reshaped prefix of it is C-contiguous, the layout the kernel is compiled for.
    buffer = np.empty(min(rows, queries.shape[0]) * min(columns, points.shape[0]))
    for top in range(0, queries.shape[0], rows):
        chunk = queries[top:top + rows]
        for start in range(0, points.shape[0], columns):  # in index order: the tie rule
            block = points[start:start + columns]
            products = buffer[:chunk.shape[0] * block.shape[0]].reshape(chunk.shape[0], -1)
            np.matmul(chunk, block.T, out=products)
            _kernels.push_block(products, query_norms[top:top + rows], point_norms, start,
                                squared[top:top + rows], indices[top:top + rows])
    _kernels.sort_heaps(squared, indices)
    return np.sqrt(squared, out=squared), indices


def _kneighbors_chunks(queries, points, k):
    """:func:`_kneighbors_brute` by numpy, a chunk of query rows at a time."""
    point_norms = np.einsum("ij,ij->i", points, points)
    rows = _chunk_rows(points.shape[0])
    distances = np.empty((queries.shape[0], k))
    indices = np.empty((queries.shape[0], k), dtype=np.intp)
    for start in range(0, queries.shape[0], rows):
        chunk = queries[start:start + rows]
        # A squared distance beyond float64 is inf, silently, as in the compiled search.
        with np.errstate(over="ignore"):
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
