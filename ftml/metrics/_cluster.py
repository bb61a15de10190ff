"""Clustering metrics: :func:`silhouette_score` and :func:`calinski_harabasz_score`, of a
clustering of ``X`` (no ground truth), and :func:`adjusted_rand_score`, of a clustering
against reference labels. Each returns a float and equals scikit-learn's function of the
same name, computed the same way (its expanded Euclidean distances for the silhouette,
its exact integer pair counts for the Rand index), so that both agree to rounding.

Labels may be of any type numpy can sort (ints, strings); only which samples share a label
counts, not the label's value.
"""

import numpy as np

from ftml.validation import check_array, check_consistent_length

__all__ = ["adjusted_rand_score", "calinski_harabasz_score", "silhouette_score"]

#: Bytes of the block of pairwise distances :func:`silhouette_score` holds at once; its
#: memory is bounded by this, not by ``n_samples^2``. A block is at least one row.
WORKING_MEMORY = 64 * 2**20


def _encode(labels, name):
    """``labels`` as a 1-D array and its codes ``0, ..., n_labels - 1`` (sorted labels)."""
    labels = np.asarray(labels)
    if labels.ndim != 1:
        raise ValueError(f"{name} must be 1-D of shape (n_samples,), got shape {labels.shape}.")
    try:
        classes, codes = np.unique(labels, return_inverse=True)
    except TypeError as error:  # labels that do not compare, such as strings and numbers
        raise TypeError(f"{name} must hold labels of one sortable type: {error}") from None
    return codes.reshape(-1), classes.size


def _check_X_labels(X, labels):
    X = check_array(X, name="X")
    codes, n_labels = _encode(labels, "labels")
    check_consistent_length(X=X, labels=codes)
    n_samples = X.shape[0]
    if not 1 < n_labels < n_samples:
        # scikit-learn's wording (check_number_of_labels).
        raise ValueError(
            f"Number of labels is {n_labels}. Valid values are 2 to n_samples - 1 "
            f"(inclusive), and n_samples is {n_samples}."
        )
    return X, codes, n_labels


def silhouette_score(X, labels):
    """Mean silhouette coefficient of a clustering, with Euclidean distances.

    For a sample ``i`` of cluster ``A``, ``a(i)`` is its mean distance to the other samples
    of ``A``, ``b(i)`` the smallest over the other clusters ``B`` of its mean distance to
    the samples of ``B``, and ``s(i) = (b(i) - a(i)) / max(a(i), b(i))``, 0 for a sample
    alone in its cluster (and where ``a(i) = b(i) = 0``). The score is the mean of ``s(i)``,
    in [-1, 1], higher is better.

    The distances ``sqrt(max(||x||^2 - 2 x.y + ||y||^2, 0))`` (0 from a sample to itself)
    are computed by blocks of rows against all samples, at most :data:`WORKING_MEMORY`
    bytes at a time, as scikit-learn's ``pairwise_distances_chunked``.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        The samples.
    labels : array-like of shape (n_samples,)
        The cluster of each sample, of any sortable type.

    Returns
    -------
    score : float

    Raises
    ------
    ValueError
        If ``X`` fails :func:`ftml.validation.check_array`, if the lengths differ, or if
        the number of distinct labels is not between 2 and ``n_samples - 1``.

    References
    ----------
    P. J. Rousseeuw, "Silhouettes: a graphical aid to the interpretation and validation of
    cluster analysis", Journal of Computational and Applied Mathematics 20, 1987.
    scikit-learn, ``sklearn.metrics.silhouette_score``.

    Examples
    --------
    >>> X = [[0.0], [1.0], [10.0], [11.0]]
    >>> round(silhouette_score(X, ["a", "a", "b", "b"]), 4)
    0.8997
    """
    X, codes, n_labels = _check_X_labels(X, labels)
    n_samples = X.shape[0]
    counts = np.bincount(codes, minlength=n_labels)
    membership = np.zeros((n_samples, n_labels))
    membership[np.arange(n_samples), codes] = 1.0
    norms = np.einsum("ij,ij->i", X, X)
    rows = max(1, WORKING_MEMORY // (8 * n_samples))
    intra = np.empty(n_samples)
    inter = np.empty(n_samples)
    for start in range(0, n_samples, rows):
        stop = min(start + rows, n_samples)
        distances = -2.0 * (X[start:stop] @ X.T)
        distances += norms[start:stop, None]
        distances += norms[None, :]
        np.maximum(distances, 0.0, out=distances)
        distances[np.arange(stop - start), np.arange(start, stop)] = 0.0
        np.sqrt(distances, out=distances)
        sums = distances @ membership  # (rows, n_labels): distance to each cluster
        own = codes[start:stop]
        local = np.arange(stop - start)
        intra[start:stop] = sums[local, own]
        sums[local, own] = np.inf
        sums /= counts
        inter[start:stop] = sums.min(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        intra /= counts[codes] - 1
        silhouettes = (inter - intra) / np.maximum(intra, inter)
    return float(np.mean(np.nan_to_num(silhouettes)))


def calinski_harabasz_score(X, labels):
    """Calinski-Harabasz score: the ratio of between- to within-cluster dispersion.

    ``(B / (k - 1)) / (W / (n - k))`` for ``k`` clusters of ``n`` samples, where
    ``B = sum_k n_k ||m_k - m||^2`` (cluster means ``m_k``, overall mean ``m``) and
    ``W = sum_k sum_{i in k} ||x_i - m_k||^2``; 1.0 when ``W = 0``, as scikit-learn.
    Higher is better.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        The samples.
    labels : array-like of shape (n_samples,)
        The cluster of each sample, of any sortable type.

    Returns
    -------
    score : float

    Raises
    ------
    ValueError
        If ``X`` fails :func:`ftml.validation.check_array`, if the lengths differ, or if
        the number of distinct labels is not between 2 and ``n_samples - 1``.

    References
    ----------
    T. Calinski and J. Harabasz, "A dendrite method for cluster analysis", Communications
    in Statistics 3(1), 1974. scikit-learn, ``sklearn.metrics.calinski_harabasz_score``.

    Examples
    --------
    >>> calinski_harabasz_score([[0.0], [1.0], [10.0], [11.0]], [0, 0, 1, 1])
    200.0
    """
    X, codes, n_labels = _check_X_labels(X, labels)
    n_samples = X.shape[0]
    mean = np.mean(X, axis=0)
    between = within = 0.0
    for k in range(n_labels):
        cluster = X[codes == k]
        cluster_mean = np.mean(cluster, axis=0)
        between += len(cluster) * np.sum((cluster_mean - mean) ** 2)
        within += np.sum((cluster - cluster_mean) ** 2)
    if within == 0.0:
        return 1.0
    return float(between * (n_samples - n_labels) / (within * (n_labels - 1.0)))


def adjusted_rand_score(labels_true, labels_pred):
    """Rand index adjusted for chance, between two clusterings of the same samples.

    The Rand index counts the pairs of samples on which the clusterings agree (together in
    both, or apart in both); the adjusted index is ``(RI - E[RI]) / (max RI - E[RI])``
    under a random permutation model: 1.0 for identical clusterings up to a renaming of
    the labels (and whenever neither puts a pair apart that the other keeps together),
    about 0 for independent ones, and possibly negative. Symmetric. The pair counts are
    exact integers.

    Parameters
    ----------
    labels_true : array-like of shape (n_samples,)
        The reference clustering, of any sortable type.
    labels_pred : array-like of shape (n_samples,)
        The clustering to evaluate.

    Returns
    -------
    score : float
        At most 1.0.

    Raises
    ------
    ValueError
        If a labelling is not 1-D, or their lengths differ.

    References
    ----------
    L. Hubert and P. Arabie, "Comparing partitions", Journal of Classification 2(1), 1985.
    scikit-learn, ``sklearn.metrics.adjusted_rand_score``.

    Examples
    --------
    >>> adjusted_rand_score([0, 0, 1, 1], ["b", "b", "a", "a"])
    1.0
    >>> adjusted_rand_score([0, 0, 1, 1], [0, 1, 0, 1])
    -0.5
    """
    true_codes, n_true = _encode(labels_true, "labels_true")
    pred_codes, n_pred = _encode(labels_pred, "labels_pred")
    check_consistent_length(labels_true=true_codes, labels_pred=pred_codes)
    n_samples = true_codes.shape[0]
    contingency = np.bincount(true_codes * n_pred + pred_codes,
                              minlength=n_true * n_pred).reshape(n_true, n_pred)
    contingency = contingency.astype(np.int64)
    row_sums = contingency.sum(axis=1)
    column_sums = contingency.sum(axis=0)
    sum_squares = int((contingency ** 2).sum())
    # The pair confusion matrix (ordered pairs), scikit-learn's pair_confusion_matrix.
    together_both = sum_squares - n_samples
    together_pred_only = int((contingency @ column_sums).sum()) - sum_squares
    together_true_only = int((contingency.T @ row_sums).sum()) - sum_squares
    apart_both = n_samples ** 2 - together_pred_only - together_true_only - sum_squares
    if together_pred_only == 0 and together_true_only == 0:
        return 1.0
    tp, fp, fn, tn = together_both, together_pred_only, together_true_only, apart_both
    return float(2.0 * (tp * tn - fn * fp) / ((tp + fn) * (fn + tn) + (tp + fp) * (fp + tn)))
