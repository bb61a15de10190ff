"""The selection of the ``k`` nearest training points, compiled with numba.

The brute-force search (:func:`ftml.neighbors._base._kneighbors_brute`) multiplies a block
of queries by a block of training points with BLAS and hands the products to
:func:`push_block`, which turns each into a squared distance and keeps, per query, the
``k`` smallest seen so far in a binary max-heap; :func:`sort_heaps` then orders each heap.

Why compiled. With numpy, each chunk of squared distances costs about seven passes over
memory (the ``-2``, the two norms, the clip, ``np.argpartition``, the tie count); for
``k = 5`` of 20,000 training points those passes took six times as long as the matrix
product with 10 features, and longer than it with 100. Here each product is read once,
from a block small enough to stay in a core's cache between the product that writes it
and the loop that reads it, and most are rejected by a single comparison with the heap's
root: the search is 2 to 4 times faster (``benchmarks/neighbors_vs_sklearn.py``).

Same arithmetic. A squared distance is ``(||a||^2 + (-2 a.b)) + ||b||^2`` clipped at 0,
the numpy expression of :func:`ftml.neighbors._base._kneighbors_chunks` operation for
operation, and ``fastmath`` is off: given the same products, both give the same bits.

Tie rule (distance, index). The heap's root is its last entry by (squared distance,
index), and a point replaces it only if it comes before it in that order. Training points
arrive in increasing index order, so a new point displaces a training point only if it is
strictly nearer: among points tied at the ``k``-th place the ones of smallest index stay,
as in the numpy search. The heaps start full of placeholders ``(inf, n_samples_fit)``,
which any training point displaces, even one whose squared distance overflows to inf.

Without numba. ``NUMBA_AVAILABLE`` is False when numba cannot be imported; the search then
uses the numpy chunks of :func:`ftml.neighbors._base._kneighbors_chunks`, and the two
kernels here are not defined. That search also serves the problems too small to pay for
importing numba (:data:`ftml.neighbors._base.COMPILED_MIN_PAIRS`), which never import
this module.
"""

try:
    import numba
except ImportError:  # pragma: no cover - exercised only without numba (in a subprocess)
    numba = None

__all__ = ["NUMBA_AVAILABLE"]

NUMBA_AVAILABLE = numba is not None
"""Whether the compiled search is available; if False the numpy search is used."""


if NUMBA_AVAILABLE:

    @numba.njit(cache=True, inline="always")
    def _after(value, index, other_value, other_index):
        """Whether ``(value, index)`` comes after ``(other_value, other_index)``."""
        return value > other_value or (value == other_value and index > other_index)

    @numba.njit(cache=True)
    def _sift_down(values, indices, end, value, index):
        """Put ``(value, index)`` at the root of the max-heap ``values[:end]`` and move it
        down to its place."""
        position = 0
        while True:
            child = 2 * position + 1
            if child >= end:
                break
            if child + 1 < end and _after(values[child + 1], indices[child + 1],
                                          values[child], indices[child]):
                child += 1
            if not _after(values[child], indices[child], value, index):
                break
            values[position] = values[child]
            indices[position] = indices[child]
            position = child
        values[position] = value
        indices[position] = index

    @numba.njit(cache=True)
    def push_block(products, query_norms, point_norms, start, squared, indices):
        """Offer a block of training points to the heaps of a chunk of queries.

        Parameters
        ----------
        products : ndarray of shape (n_queries, n_columns)
            ``queries @ points[start:start + n_columns].T``.
        query_norms : ndarray of shape (n_queries,)
            The queries' squared norms.
        point_norms : ndarray of shape (n_samples_fit,)
            All training points' squared norms.
        start : int
            The index of the block's first training point; the blocks of the points before
            it have been pushed already, in index order.
        squared, indices : ndarray of shape (n_queries, k)
            Each row a max-heap of the ``k`` nearest points seen so far by (squared
            distance, index), updated in place. Before the first block, every entry is
            ``(inf, n_samples_fit)``, which comes after any training point.
        """
        n_queries, n_columns = products.shape
        k = squared.shape[1]
        norms = point_norms[start:start + n_columns]
        for i in range(n_queries):
            values, kept_indices, row = squared[i], indices[i], products[i]
            norm = query_norms[i]
            worst, worst_index = values[0], kept_indices[0]
            for j in range(n_columns):  # most points fail the first test
                value = (norm + (-2.0 * row[j])) + norms[j]
                if value <= worst:
                    # Clipped (rounding can make it slightly negative) only here, which
                    # the first test cannot change, as worst >= 0; an equal distance
                    # enters only in place of a larger index (the placeholders').
                    value = max(value, 0.0)
                    if _after(worst, worst_index, value, start + j):
                        _sift_down(values, kept_indices, k, value, start + j)
                        worst, worst_index = values[0], kept_indices[0]

    @numba.njit(cache=True)
    def sort_heaps(squared, indices):
        """Sort each row of the full max-heaps ``squared`` (with ``indices``) in place,
        in increasing (squared distance, index) order (heapsort)."""
        k = squared.shape[1]
        for i in range(squared.shape[0]):
            values, kept_indices = squared[i], indices[i]
            for end in range(k - 1, 0, -1):
                value, index = values[end], kept_indices[end]
                values[end], kept_indices[end] = values[0], kept_indices[0]
                _sift_down(values, kept_indices, end, value, index)
