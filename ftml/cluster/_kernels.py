"""The assignment step of Lloyd's algorithm fused with the centre sums, compiled with numba.

Lloyd's iteration (:func:`ftml.cluster._kmeans._lloyd`) multiplies a block of samples by
the centres with BLAS and hands the products to :func:`assign_block`, which, for each
sample, finds its nearest centre by ``||c||^2 + (-2 x.c)`` (``||x||^2`` is the same for
every centre), adds the sample to that centre's sum and count, and adds
``max(||x||^2 + min_c(...), 0)`` to the inertia. The block is read once, while it is in
cache; with numpy the same step costs an ``argmin`` pass, a gather and ``np.add.at``,
which is slow.

Same arithmetic. The numpy fallback (:func:`ftml.cluster._kmeans._assign_block_numpy`)
computes the same expression operation for operation, takes the first centre among equal
values (as ``np.argmin`` does, and scikit-learn's loop), and adds the samples to the sums
in increasing row order: both give the same labels and the same sums, to the bit, given the
same products; ``fastmath`` is off.

Without numba, ``NUMBA_AVAILABLE`` is False and :func:`assign_block` is not defined.
"""

try:
    import numba
except ImportError:  # pragma: no cover - exercised only without numba
    numba = None

__all__ = ["NUMBA_AVAILABLE"]

NUMBA_AVAILABLE = numba is not None
"""Whether the compiled assignment is available; if False the numpy one is used."""


if NUMBA_AVAILABLE:

    @numba.njit(cache=True)
    def assign_block(products, center_norms, x_norms, X, labels, sums, counts, update):
        """Assign a block of samples to their nearest centres; optionally add them up.

        Parameters
        ----------
        products : ndarray of shape (n_block, n_clusters)
            ``X @ centers.T``.
        center_norms : ndarray of shape (n_clusters,)
            The centres' squared norms.
        x_norms : ndarray of shape (n_block,)
            The samples' squared norms.
        X : ndarray of shape (n_block, n_features)
            The samples.
        labels : ndarray of shape (n_block,)
            Written: the index of each sample's nearest centre (the first among ties).
        sums : ndarray of shape (n_clusters, n_features)
            If ``update``, each sample is added to its centre's row, in row order.
        counts : ndarray of shape (n_clusters,)
            If ``update``, incremented by the number of samples assigned to each centre.
        update : bool
            Whether to update ``sums`` and ``counts``.

        Returns
        -------
        inertia : float
            The sum over the block of ``max(||x||^2 + ||c||^2 - 2 x.c, 0)`` at the nearest
            centre ``c``.
        """
        n_block, n_clusters = products.shape
        n_features = X.shape[1]
        total = 0.0
        for i in range(n_block):
            row = products[i]
            best = 0
            best_value = center_norms[0] + (-2.0 * row[0])
            for j in range(1, n_clusters):
                value = center_norms[j] + (-2.0 * row[j])
                if value < best_value:
                    best_value = value
                    best = j
            labels[i] = best
            total += max(x_norms[i] + best_value, 0.0)
            if update:
                counts[best] += 1
                target = sums[best]
                sample = X[i]
                for f in range(n_features):
                    target[f] += sample[f]
        return total
