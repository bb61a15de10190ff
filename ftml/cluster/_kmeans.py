"""k-means clustering by Lloyd's algorithm, with k-means++ or random seeding.

Lloyd's algorithm alternates two steps that each decrease the inertia
``J(c, l) = sum_i ||x_i - c_{l_i}||^2``: assign each sample to its nearest centre (the
assignment, or E-step), then move each centre to the mean of its samples (the update, or
M-step). :func:`_lloyd` is the loop, beside the estimator; it follows scikit-learn's
``_kmeans_single_lloyd`` (``algorithm="lloyd"``) step for step, so that from the same
initial centres both find the same centres, labels, number of iterations and inertia:

- the data are centred (their mean subtracted, and from the initial centres) before the
  loop, for more accurate distances, and the mean is added back to the centres after;
- iteration ``t`` assigns the samples to the centres ``c^(t-1)``, then computes ``c^(t)``;
  it stops when the labels equal those of iteration ``t - 1`` ("strict convergence"), or
  when the squared centre shift ``sum_k ||c^(t)_k - c^(t-1)_k||^2`` is at most
  ``tol * mean_j Var(X_j)`` (the tolerance relative to the mean per-feature variance), or
  after ``max_iter`` iterations; unless strictly converged, the samples are assigned once
  more, to the final centres, so that ``labels_`` are the nearest centres of
  ``cluster_centers_``;
- an empty cluster (no sample assigned to it) is relocated, in the update, to the sample
  farthest from its own (current) centre: the ``m`` empty clusters, in increasing index,
  receive the ``m`` farthest samples in decreasing distance (ties by increasing sample
  index), each sample leaving its cluster's sum. scikit-learn's rule, except that it takes
  the ``m`` farthest samples in the order of ``np.argpartition``, which is not sorted when
  ``m > 1``. The relocated samples keep their labels until the next assignment.

Distances are computed by BLAS, ``||x||^2 - 2 x.c + ||c||^2``, for a block of samples at a
time (at most :data:`BLOCK_BYTES` of products), and the nearest centre of a sample is the
first among equal distances. Where numba is available and the problem is large enough
(:data:`COMPILED_MIN_ENTRIES`), the assignment and the centre sums are one compiled loop
(:mod:`ftml.cluster._kernels`), otherwise numpy; both give the same bits.

References
----------
S. P. Lloyd, "Least squares quantization in PCM", IEEE Transactions on Information Theory
28(2), 1982. D. Arthur and S. Vassilvitskii, "k-means++: the advantages of careful
seeding", SODA 2007. scikit-learn, ``sklearn/cluster/_kmeans.py``.
"""

import warnings
from numbers import Integral, Real

import numpy as np

from ftml.base import BaseEstimator, TransformerMixin
from ftml.exceptions import ConvergenceWarning
from ftml.validation import (
    Interval,
    Options,
    check_array,
    check_finite_squared_norm,
    check_is_fitted,
    check_random_state,
    check_scalar,
    validate_data,
)

__all__ = ["KMeans", "kmeans_plusplus"]

#: The largest block of products ``X_block @ centers.T`` computed at once, in bytes; the
#: block of samples is at least one row. Small enough to stay in a core's L2 cache between
#: the product that writes it and the loop that reads it.
BLOCK_BYTES = 256 * 2**10

#: The number of entries ``n_samples * n_clusters * n_features`` from which the assignment
#: is compiled, where numba is available. Below it an iteration in numpy takes a few
#: milliseconds, less than importing numba (half a second): small fits never import it.
COMPILED_MIN_ENTRIES = 2**22


def _squared_norms(X):
    return np.einsum("ij,ij->i", X, X)


def _block_rows(n_samples, n_clusters):
    """The number of samples of a block, at least 1, whose products fit in BLOCK_BYTES."""
    return max(1, min(n_samples, BLOCK_BYTES // (8 * n_clusters)))


def _use_compiled(n_samples, n_clusters, n_features):
    if n_samples * n_clusters * n_features < COMPILED_MIN_ENTRIES:
        return False
    # Imported here: numba takes half a second to import, which small fits need not pay.
    from ftml.cluster import _kernels

    return _kernels.NUMBA_AVAILABLE


def _assign_block_numpy(products, center_norms, x_norms, X, labels, sums, counts, update):
    """:func:`ftml.cluster._kernels.assign_block` in numpy (see there)."""
    values = center_norms + (-2.0 * products)
    labels[:] = np.argmin(values, axis=1)
    nearest = values[np.arange(values.shape[0]), labels]
    if update:
        np.add.at(sums, labels, X)  # in row order, as the compiled loop
        counts += np.bincount(labels, minlength=counts.shape[0])
    return float(np.maximum(x_norms + nearest, 0.0).sum())


def _assign(X, x_norms, centers, labels, sums=None, counts=None, *, compiled):
    """Assign every sample to its nearest centre, by blocks of samples.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    x_norms : ndarray of shape (n_samples,)
        The squared norms of the rows of ``X``.
    centers : ndarray of shape (n_clusters, n_features)
    labels : ndarray of shape (n_samples,) of intp
        Written: the nearest centre of each sample.
    sums, counts : ndarray of shape (n_clusters, n_features) and (n_clusters,), optional
        Zeros, written with the sums and numbers of the samples assigned to each centre;
        None skips them.
    compiled : bool
        Use the numba kernel.

    Returns
    -------
    inertia : float
        The inertia of ``centers``, ``sum_i min_k ||x_i - c_k||^2``, from the expanded
        distances (each clipped at 0).
    """
    n_samples = X.shape[0]
    n_clusters = centers.shape[0]
    update = sums is not None
    if not update:
        sums = np.zeros((1, 1))
        counts = np.zeros(1, dtype=np.intp)
    if compiled:
        from ftml.cluster._kernels import assign_block
    else:
        assign_block = _assign_block_numpy
    center_norms = _squared_norms(centers)
    rows = _block_rows(n_samples, n_clusters)
    buffer = np.empty(rows * n_clusters)
    centers_t = centers.T
    total = 0.0
    for start in range(0, n_samples, rows):
        block = X[start:start + rows]
        products = buffer[:block.shape[0] * n_clusters].reshape(block.shape[0], n_clusters)
        np.matmul(block, centers_t, out=products)
        total += assign_block(products, center_norms, x_norms[start:start + rows], block,
                              labels[start:start + rows], sums, counts, update)
    return total


def _inertia(X, centers, labels):
    """``sum_i ||x_i - c_{l_i}||^2`` from the differences, by blocks of samples."""
    rows = max(1, BLOCK_BYTES // (8 * X.shape[1]))
    total = 0.0
    for start in range(0, X.shape[0], rows):
        difference = X[start:start + rows] - centers[labels[start:start + rows]]
        total += float(np.einsum("ij,ij->", difference, difference))
    return total


def _update_centers(X, centers, labels, sums, counts):
    """The means of the clusters, from their sums and counts, empty clusters relocated
    (see the module's docstring); ``sums`` and ``counts`` are overwritten."""
    empty = np.flatnonzero(counts == 0)
    if empty.size:
        distances = np.empty(X.shape[0])
        rows = max(1, BLOCK_BYTES // (8 * X.shape[1]))
        for start in range(0, X.shape[0], rows):
            difference = X[start:start + rows] - centers[labels[start:start + rows]]
            distances[start:start + rows] = np.einsum("ij,ij->i", difference, difference)
        farthest = np.argsort(-distances, kind="stable")[:empty.size]
        for cluster, sample in zip(empty, farthest):
            old = labels[sample]
            sums[old] -= X[sample]
            counts[old] -= 1
            sums[cluster] = X[sample]
            counts[cluster] = 1
    filled = counts > 0
    sums[filled] /= counts[filled, None]
    return sums


def _lloyd(X, x_norms, centers, *, max_iter, tol, compiled):
    """One run of Lloyd's algorithm from ``centers`` (see the module's docstring).

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        The samples (centred by the caller).
    x_norms : ndarray of shape (n_samples,)
        Their squared norms.
    centers : ndarray of shape (n_clusters, n_features)
        The initial centres; not modified.
    max_iter : int
        The largest number of iterations, at least 1.
    tol : float
        The absolute tolerance on the squared centre shift.
    compiled : bool
        Use the numba kernel for the assignment.

    Returns
    -------
    labels : ndarray of shape (n_samples,)
    inertia : float
        Of the final centres and labels, from the differences.
    centers : ndarray of shape (n_clusters, n_features)
    n_iter : int
    history : ndarray of shape (n_iter + 1,)
        The inertia of the initial centres, then of the centres after each iteration:
        entries before the last from the next assignment's expanded distances, the last is
        ``inertia``.
    converged : bool
        Whether the run stopped before ``max_iter`` or its last iteration met the tolerance.
    """
    n_samples, n_features = X.shape
    n_clusters = centers.shape[0]
    centers = centers.copy()
    labels = np.full(n_samples, -1, dtype=np.intp)
    labels_old = labels.copy()
    history = []
    strict = converged = False
    for iteration in range(max_iter):
        sums = np.zeros((n_clusters, n_features))
        counts = np.zeros(n_clusters, dtype=np.intp)
        # The inertia of the centres of the previous iteration (the initial ones first).
        history.append(_assign(X, x_norms, centers, labels, sums, counts, compiled=compiled))
        new_centers = _update_centers(X, centers, labels, sums, counts)
        shift = float(((new_centers - centers) ** 2).sum())
        centers = new_centers
        if np.array_equal(labels, labels_old):
            strict = converged = True
            break
        if shift <= tol:
            converged = True
            break
        labels_old[:] = labels
    if not strict:
        _assign(X, x_norms, centers, labels, compiled=compiled)
    inertia = _inertia(X, centers, labels)
    history.append(inertia)
    return labels, inertia, centers, iteration + 1, np.array(history), converged


def _squared_distances(A, B, a_norms, b_norms):
    """``||a||^2 - 2 a.b + ||b||^2`` clipped at 0, of shape (len(A), len(B))."""
    squared = -2.0 * (A @ B.T)
    squared += a_norms[:, None]
    squared += b_norms[None, :]
    return np.maximum(squared, 0.0, out=squared)


def _kmeans_plusplus(X, n_clusters, x_norms, rng, n_local_trials=None):
    """k-means++ seeding of centred ``X`` (see :func:`kmeans_plusplus`)."""
    n_samples, n_features = X.shape
    if n_local_trials is None:
        n_local_trials = 2 + int(np.log(n_clusters))
    centers = np.empty((n_clusters, n_features))
    indices = np.empty(n_clusters, dtype=np.intp)
    first = int(rng.integers(n_samples))
    centers[0], indices[0] = X[first], first
    closest = _squared_distances(X[first:first + 1], X, x_norms[first:first + 1], x_norms)[0]
    potential = closest.sum()
    for c in range(1, n_clusters):
        # D^2 sampling: each candidate is drawn with probability proportional to its
        # squared distance to the nearest centre chosen so far.
        thresholds = rng.uniform(size=n_local_trials) * potential
        candidates = np.searchsorted(np.cumsum(closest), thresholds)
        np.clip(candidates, None, n_samples - 1, out=candidates)
        distances = _squared_distances(X[candidates], X, x_norms[candidates], x_norms)
        np.minimum(closest, distances, out=distances)
        potentials = distances.sum(axis=1)
        best = int(np.argmin(potentials))  # the greedy choice among the trials
        potential, closest = potentials[best], distances[best]
        centers[c], indices[c] = X[candidates[best]], candidates[best]
    return centers, indices


def kmeans_plusplus(X, n_clusters, *, n_local_trials=None, random_state=None):
    """Choose initial centres by k-means++ (D^2 sampling), greedily.

    The first centre is a sample drawn uniformly; each next one is drawn among the samples
    with probability proportional to ``D(x)^2``, the squared distance from ``x`` to its
    nearest centre chosen so far. With ``n_local_trials > 1`` (scikit-learn's greedy
    variant), that many candidates are drawn and the one that most reduces the inertia
    ``sum_x D(x)^2`` is kept; ``n_local_trials=1`` is Arthur and Vassilvitskii's algorithm,
    whose expected inertia is at most ``8 (ln k + 2)`` times the optimal one.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        The samples.
    n_clusters : int
        The number of centres, between 1 and ``n_samples``.
    n_local_trials : int, default=None
        Candidates drawn per centre; None is ``2 + int(ln(n_clusters))``, as scikit-learn.
    random_state : None, int, numpy.random.SeedSequence or numpy.random.Generator
        The seed of the draws. The draws are numpy Generator's, not scikit-learn's
        ``RandomState``, so the same seed picks other centres than scikit-learn.

    Returns
    -------
    centers : ndarray of shape (n_clusters, n_features)
        The chosen samples.
    indices : ndarray of shape (n_clusters,)
        Their rows in ``X``.

    Raises
    ------
    ValueError
        If ``X`` fails :func:`ftml.validation.check_array`, or ``n_clusters`` exceeds the
        number of samples (the message gives both) or is below 1, or ``n_local_trials`` is
        below 1.

    References
    ----------
    D. Arthur and S. Vassilvitskii, "k-means++: the advantages of careful seeding", SODA
    2007, Theorem 3.1. scikit-learn, ``sklearn.cluster.kmeans_plusplus``.

    Examples
    --------
    >>> X = [[0.0, 0.0], [0.1, 0.0], [10.0, 10.0], [10.0, 10.1]]
    >>> centers, indices = kmeans_plusplus(X, 2, random_state=0)
    >>> sorted(int(i) // 2 for i in indices)  # one centre in each pair
    [0, 1]
    """
    X = check_finite_squared_norm(check_array(X))
    check_scalar(n_clusters, "n_clusters", Integral, min_val=1)
    if n_local_trials is not None:
        check_scalar(n_local_trials, "n_local_trials", Integral, min_val=1)
    _check_n_clusters(n_clusters, X.shape[0])
    rng = check_random_state(random_state)
    mean = X.mean(axis=0)
    centred = X - mean
    centers, indices = _kmeans_plusplus(centred, n_clusters, _squared_norms(centred), rng,
                                        n_local_trials)
    return X[indices].copy(), indices


def _check_n_clusters(n_clusters, n_samples):
    if n_samples < n_clusters:
        raise ValueError(
            f"n_samples={n_samples} should be >= n_clusters={n_clusters}: k-means needs at "
            f"least as many samples as clusters, but X has {n_samples} sample(s) and "
            f"n_clusters is {n_clusters}."
        )


class KMeans(TransformerMixin, BaseEstimator):
    """k-means clustering by Lloyd's algorithm.

    Minimises the inertia ``sum_i min_k ||x_i - c_k||^2`` over ``n_clusters`` centres by
    alternating the assignment of each sample to its nearest centre and the move of each
    centre to the mean of its samples (see :mod:`ftml.cluster._kmeans`, which follows
    scikit-learn's ``KMeans(algorithm="lloyd")`` step for step). Each step decreases the
    inertia, so the algorithm stops at a local minimum; ``n_init`` runs from different
    seeds keep the best.

    Parameters
    ----------
    n_clusters : int, default=8
        The number of clusters; at most the number of samples.
    init : {"k-means++", "random"} or array-like of shape (n_clusters, n_features), \
default="k-means++"
        The initial centres: ``"k-means++"`` by greedy D^2 sampling
        (:func:`kmeans_plusplus`, ``2 + int(ln(n_clusters))`` local trials as
        scikit-learn), ``"random"`` ``n_clusters`` distinct samples drawn uniformly, or
        the given centres (then a single run, whatever ``n_init``).
    n_init : int, default=1
        The number of runs from different seeds; the run of smallest inertia is kept (the
        first among equal ones).
    max_iter : int, default=300
        The largest number of iterations of a run.
    tol : float, default=1e-4
        Convergence tolerance on the squared centre shift of an iteration, relative to the
        mean per-feature variance of ``X`` (``tol * mean(X.var(axis=0))``, as
        scikit-learn). A run also stops when the labels stop changing.
    random_state : None, int, numpy.random.SeedSequence or numpy.random.Generator, \
default=None
        Seeds the initialisations. numpy's Generator draws, so the same seed gives other
        centres than scikit-learn's.

    Attributes
    ----------
    cluster_centers_ : ndarray of shape (n_clusters, n_features)
        The centres of the kept run.
    labels_ : ndarray of shape (n_samples,)
        The nearest centre of each training sample.
    inertia_ : float
        ``sum_i ||x_i - c_{l_i}||^2`` over the training samples.
    n_iter_ : int
        The number of iterations of the kept run, between 1 and ``max_iter``.
    inertia_history_ : ndarray of shape (n_iter_ + 1,)
        The inertia of the kept run's initial centres (entry 0, the seeding's quality),
        then of its centres after each iteration (entry ``t``); non-increasing up to
        rounding, and its last entry is ``inertia_``. Entries before the last are
        computed from the expanded distances ``||x||^2 - 2 x.c + ||c||^2`` of the next
        assignment (free, but with an absolute error of order
        ``1e-16 sum_i ||x_i - mean||^2``), the last from the differences.
    n_features_in_ : int
        Number of features seen in ``fit``.

    Warns
    -----
    ConvergenceWarning
        If the kept run stopped at ``max_iter`` before converging, or found fewer distinct
        clusters than ``n_clusters`` (duplicate samples).

    References
    ----------
    The course, chapter on unsupervised learning (clustering). S. P. Lloyd, "Least squares
    quantization in PCM", IEEE Trans. Inf. Theory 28(2), 1982. D. Arthur and
    S. Vassilvitskii, "k-means++: the advantages of careful seeding", SODA 2007.
    scikit-learn, ``sklearn.cluster.KMeans``.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[0.0, 0.0], [0.0, 1.0], [10.0, 0.0], [10.0, 1.0]])
    >>> model = KMeans(n_clusters=2, init=[[1.0, 0.0], [9.0, 0.0]]).fit(X)
    >>> model.cluster_centers_
    array([[ 0. ,  0.5],
           [10. ,  0.5]])
    >>> model.labels_, model.inertia_, model.n_iter_
    (array([0, 0, 1, 1]), 1.0, 2)
    >>> model.predict([[1.0, 1.0]]), model.score(X)
    (array([0]), -1.0)
    """

    _estimator_type = "clusterer"

    _parameter_constraints = {
        "n_clusters": [Interval(Integral, 1, None, closed="left")],
        "init": [Options(str, ("k-means++", "random")), "array-like"],
        "n_init": [Interval(Integral, 1, None, closed="left")],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "tol": [Interval(Real, 0, None, closed="left")],
        "random_state": ["random_state"],
    }

    def __init__(self, n_clusters=8, *, init="k-means++", n_init=1, max_iter=300, tol=1e-4,
                 random_state=None):
        self.n_clusters = n_clusters
        self.init = init
        self.n_init = n_init
        self.max_iter = max_iter
        self.tol = tol
        self.random_state = random_state

    def fit(self, X, y=None):
        """Cluster ``X``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            The samples.
        y : None
            Ignored.

        Returns
        -------
        self : KMeans
            The fitted estimator.

        Raises
        ------
        InvalidParameterError
            If a hyperparameter is out of its range; it is both a ValueError and a
            TypeError.
        ValueError
            If ``X`` is empty, non-numeric or not finite, or its squared norm overflows
            float64, if ``n_clusters`` exceeds the number of samples (the message gives
            both), or if an ``init`` array is not finite or not of shape
            ``(n_clusters, n_features)``.
        """
        self._validate_params()
        X = check_finite_squared_norm(validate_data(self, X))
        n_samples, n_features = X.shape
        _check_n_clusters(self.n_clusters, n_samples)
        init = self.init
        explicit = not isinstance(init, str)
        if explicit:
            init = check_array(init, name="init")
            if init.shape != (self.n_clusters, n_features):
                raise ValueError(
                    f"The shape of the initial centers {init.shape} does not match "
                    f"(n_clusters, n_features) = ({self.n_clusters}, {n_features})."
                )
        tol = float(np.mean(np.var(X, axis=0))) * self.tol if self.tol else 0.0
        # Centred, for more accurate distances (as scikit-learn); the mean is added back.
        mean = X.mean(axis=0)
        X = X - mean
        x_norms = _squared_norms(X)
        compiled = _use_compiled(n_samples, self.n_clusters, n_features)
        rng = check_random_state(self.random_state)
        best = None
        for _ in range(1 if explicit else self.n_init):
            if explicit:
                centers = init - mean
            elif self.init == "k-means++":
                centers, _ = _kmeans_plusplus(X, self.n_clusters, x_norms, rng)
            else:
                centers = X[rng.permutation(n_samples)[:self.n_clusters]]
            run = _lloyd(X, x_norms, centers, max_iter=self.max_iter, tol=tol,
                         compiled=compiled)
            if best is None or run[1] < best[1]:
                best = run
        labels, inertia, centers, n_iter, history, converged = best
        self.cluster_centers_ = centers + mean
        self.labels_ = labels
        self.inertia_ = inertia
        self.n_iter_ = n_iter
        self.inertia_history_ = history
        if not converged:
            warnings.warn(
                f"KMeans stopped at max_iter={self.max_iter} iterations before the centre "
                f"shift fell below tol={self.tol} (relative) or the labels stopped "
                "changing; increase max_iter.",
                ConvergenceWarning, stacklevel=2,
            )
        distinct = np.unique(labels).size
        if distinct < self.n_clusters:
            warnings.warn(
                f"Number of distinct clusters ({distinct}) found smaller than n_clusters "
                f"({self.n_clusters}). Possibly due to duplicate points in X.",
                ConvergenceWarning, stacklevel=2,
            )
        return self

    def _check_X(self, X):
        check_is_fitted(self, ["cluster_centers_"])
        return check_finite_squared_norm(validate_data(self, X, reset=False))

    def _labels(self, X):
        labels = np.empty(X.shape[0], dtype=np.intp)
        n_clusters, n_features = self.cluster_centers_.shape
        _assign(X, _squared_norms(X), self.cluster_centers_, labels,
                compiled=_use_compiled(X.shape[0], n_clusters, n_features))
        return labels

    def predict(self, X):
        """Return the nearest centre of each sample.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        labels : ndarray of shape (n_samples,)
            Indices into ``cluster_centers_``; the first among equally near centres.

        Raises
        ------
        NotFittedError
            If the estimator is not fitted.
        ValueError
            If ``X`` has another number of features than in ``fit`` or is not finite.
        """
        return self._labels(self._check_X(X))

    def fit_predict(self, X, y=None):
        """Cluster ``X`` and return ``labels_``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : None
            Ignored.

        Returns
        -------
        labels : ndarray of shape (n_samples,)
        """
        return self.fit(X).labels_

    def transform(self, X):
        """Return the Euclidean distance of each sample to each centre.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        distances : ndarray of shape (n_samples, n_clusters)
            ``sqrt(max(||x||^2 - 2 x.c + ||c||^2, 0))``, scikit-learn's expression.

        Raises
        ------
        NotFittedError
            If the estimator is not fitted.
        ValueError
            If ``X`` has another number of features than in ``fit`` or is not finite.
        """
        X = self._check_X(X)
        centers = self.cluster_centers_
        return np.sqrt(_squared_distances(X, centers, _squared_norms(X),
                                          _squared_norms(centers)))

    def score(self, X, y=None):
        """Return minus the inertia of ``X`` at its nearest centres.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : None
            Ignored.

        Returns
        -------
        score : float
            ``-sum_i min_k ||x_i - c_k||^2``: higher is better.

        Raises
        ------
        NotFittedError
            If the estimator is not fitted.
        ValueError
            If ``X`` has another number of features than in ``fit`` or is not finite.
        """
        X = self._check_X(X)
        return -_inertia(X, self.cluster_centers_, self._labels(X))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.estimator_type = "clusterer"
        return tags
