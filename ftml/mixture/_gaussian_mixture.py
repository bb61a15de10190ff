"""The Gaussian mixture model, fitted by expectation-maximisation (EM).

The EM loop, :func:`_em`, is a plain function beside the estimator: it takes the data and
an initial state, alternates the E-step (:func:`_e_step`) and the M-step
(:func:`_m_step`), and returns the parameters, the iteration count, the mean
log-likelihood of every iteration and whether the change of the latter fell below ``tol``.
Densities are evaluated from the Cholesky factors of the precision matrices, as
scikit-learn does: with ``Sigma_k = L_k L_k^T`` and ``U_k = L_k^{-T}`` (so that
``Sigma_k^{-1} = U_k U_k^T``),

    log N(x | mu_k, Sigma_k) = -(d log(2 pi) + ||(x - mu_k)^T U_k||^2) / 2 + log det U_k,

and the responsibilities are normalised in the log domain (the largest weighted log-density
of each sample is subtracted before exponentiating), so that no density underflows.
"""

import math
import warnings
from numbers import Integral, Real

import numpy as np

from ftml.base import BaseEstimator
from ftml.exceptions import ConvergenceWarning
from ftml.validation import (
    Interval,
    Options,
    check_array,
    check_finite_squared_norm,
    check_is_fitted,
    check_random_state,
    validate_data,
)

__all__ = ["GaussianMixture"]

COVARIANCE_TYPES = ("full", "diag")
INIT_PARAMS = ("kmeans", "random", "random_from_data")

#: Bytes of the working buffers of the E-step and of the full covariances' M-step: blocks
#: of rows are processed one at a time so that their intermediate products stay in a core's
#: L2 cache. On (50,000 x 10) data with 5 components (blocks of about 1,300 rows), the
#: E-step's densities took about 4.7 ms instead of 10.8 ms and the covariances 6.7 ms
#: instead of 10 ms with whole-array operations (one thread, a noisy machine).
BLOCK_BYTES = 512 * 2**10

#: Lloyd iterations of the ``init_params="kmeans"`` initialisation (fewer if the labels
#: stop changing): enough to separate well-separated clusters, EM refines the rest.
KMEANS_INIT_ITER = 10


# --- The model: densities, the E-step and the M-step ----------------------------------


def _block_rows(n_columns):
    """Rows of a block of ``n_columns`` float64 columns that fits in :data:`BLOCK_BYTES`."""
    return max(1, BLOCK_BYTES // (8 * n_columns))


def _estimate_gaussian_parameters(X, resp, reg_covar, covariance_type):
    """The M-step's estimates from the responsibilities ``resp``.

    Returns
    -------
    nk : ndarray of shape (n_components,)
        The responsibilities' sums, plus ``10 * eps`` so that an empty component divides
        by no zero (its mean is then 0 and its covariance ``reg_covar * I``), as in
        scikit-learn.
    means : ndarray of shape (n_components, n_features)
    covariances : ndarray of shape (n_components, n_features, n_features) or
        (n_components, n_features)
        The weighted covariances about ``means``, plus ``reg_covar`` on the diagonal.
    """
    n_features = X.shape[1]
    nk = resp.sum(axis=0) + 10 * np.finfo(resp.dtype).eps
    means = (resp.T @ X) / nk[:, np.newaxis]
    if covariance_type == "full":
        # Sums of r_ik (x_i - mu_k)(x_i - mu_k)^T over blocks of rows whose centred copies
        # stay in cache, rather than one pass over all the rows per component.
        n_components = len(nk)
        covariances = np.zeros((n_components, n_features, n_features))
        rows = _block_rows(n_features)
        diff = np.empty((min(rows, len(X)), n_features))
        weighted = np.empty_like(diff)
        for start in range(0, len(X), rows):
            block = X[start:start + rows]
            d, w = diff[: len(block)], weighted[: len(block)]
            for k in range(n_components):
                np.subtract(block, means[k], out=d)
                np.multiply(d, resp[start:start + rows, k, np.newaxis], out=w)
                covariances[k] += w.T @ d
        covariances /= nk[:, np.newaxis, np.newaxis]
        for k in range(n_components):
            covariances[k].flat[:: n_features + 1] += reg_covar
    else:  # scikit-learn's formula: E_k[x^2] - mu_k^2
        covariances = (resp.T @ (X * X)) / nk[:, np.newaxis] - means**2 + reg_covar
    return nk, means, covariances


def _singular_component_error(k, reg_covar):
    return ValueError(
        f"The covariance of component {k} is not positive definite even with "
        f"reg_covar={reg_covar} added to its diagonal: the component has collapsed onto "
        "fewer than n_features + 1 distinct points, or onto a subspace where a feature is "
        "(nearly) constant. Use a larger reg_covar (such as 1e-3 times the features' "
        "variance), fewer components, or rescale X."
    )


def _compute_precision_cholesky(covariances, covariance_type, reg_covar):
    """The factors ``U_k = L_k^{-T}`` of the precisions, ``Sigma_k = L_k L_k^T``.

    For ``"diag"`` they are the vectors ``1 / sqrt(Sigma_k)``.

    Raises
    ------
    ValueError
        If a covariance is not positive definite, naming the first such component and
        suggesting a larger ``reg_covar``.
    """
    # Imported here: scipy.linalg costs every pipeline job that imports the catalog 0.4 s.
    from scipy.linalg import solve_triangular

    if covariance_type == "diag":
        bad = np.flatnonzero(~np.all(covariances > 0, axis=1))
        if bad.size:
            raise _singular_component_error(int(bad[0]), reg_covar)
        return 1.0 / np.sqrt(covariances)
    n_components, n_features, _ = covariances.shape
    identity = np.eye(n_features)
    precisions_chol = np.empty_like(covariances)
    for k in range(n_components):
        try:
            cov_chol = np.linalg.cholesky(covariances[k])
        except np.linalg.LinAlgError:
            raise _singular_component_error(k, reg_covar) from None
        precisions_chol[k] = solve_triangular(cov_chol, identity, lower=True).T
    return precisions_chol


def _estimate_log_gaussian_prob(X, means, precisions_chol, covariance_type):
    """``log N(x_i | mu_k, Sigma_k)``, of shape (n_samples, n_components)."""
    n_samples, n_features = X.shape
    n_components = means.shape[0]
    if covariance_type == "full":
        log_det = np.log(
            precisions_chol.reshape(n_components, -1)[:, :: n_features + 1]).sum(axis=1)
        # (x - mu_k)^T U_k for every k by one product with [U_1 ... U_K], then the sums of
        # squares of each block of n_features columns by one more (with a 0/1 matrix).
        # Blocks of rows at a time, so that the n_components * n_features products of a
        # row stay in cache between the product, the square and the sums.
        stacked = precisions_chol.transpose(1, 0, 2).reshape(n_features, -1)
        shifts = np.einsum("kd,kde->ke", means, precisions_chol).reshape(-1)
        sums = np.repeat(np.eye(n_components), n_features, axis=0)
        mahalanobis = np.empty((n_samples, n_components))
        rows = _block_rows(n_components * n_features)
        buffer = np.empty((min(rows, n_samples), n_components * n_features))
        for start in range(0, n_samples, rows):
            block = X[start:start + rows]
            y = buffer[: len(block)]
            np.matmul(block, stacked, out=y)
            y -= shifts
            np.square(y, out=y)
            np.matmul(y, sums, out=mahalanobis[start:start + rows])
    else:
        log_det = np.log(precisions_chol).sum(axis=1)
        precisions = precisions_chol**2
        mahalanobis = (np.sum(means**2 * precisions, axis=1)
                       - 2.0 * (X @ (means * precisions).T)
                       + (X * X) @ precisions.T)
    return -0.5 * (n_features * math.log(2 * math.pi) + mahalanobis) + log_det


def _weighted_log_prob(X, weights, means, precisions_chol, covariance_type):
    """``log pi_k + log N(x_i | mu_k, Sigma_k)``."""
    return (_estimate_log_gaussian_prob(X, means, precisions_chol, covariance_type)
            + np.log(weights))


def _normalize_log(weighted_log_prob):
    """The log-likelihood of each sample and its responsibilities, in the log domain.

    Returns
    -------
    log_norm : ndarray of shape (n_samples,)
        ``log sum_k exp(a_ik)``, computed as ``m_i + log sum_k exp(a_ik - m_i)`` with
        ``m_i = max_k a_ik``.
    resp : ndarray of shape (n_samples, n_components)
        ``exp(a_ik - log_norm_i)``, from the same exponentials.
    """
    largest = weighted_log_prob.max(axis=1, keepdims=True)
    resp = np.exp(weighted_log_prob - largest)
    sums = resp.sum(axis=1, keepdims=True)
    resp /= sums
    return (largest + np.log(sums))[:, 0], resp


def _e_step(X, weights, means, precisions_chol, covariance_type):
    """The mean log-likelihood and the responsibilities of the current parameters."""
    log_norm, resp = _normalize_log(
        _weighted_log_prob(X, weights, means, precisions_chol, covariance_type))
    return float(np.mean(log_norm)), resp


def _m_step(X, resp, reg_covar, covariance_type):
    """The proportions, means, covariances and precision factors maximising the expected
    complete log-likelihood given ``resp``."""
    nk, means, covariances = _estimate_gaussian_parameters(X, resp, reg_covar,
                                                           covariance_type)
    weights = nk / nk.sum()
    precisions_chol = _compute_precision_cholesky(covariances, covariance_type, reg_covar)
    return weights, means, covariances, precisions_chol


def _em(X, params, *, covariance_type, reg_covar, tol, max_iter):
    """EM from the parameters ``params``, until the mean log-likelihood changes by less
    than ``tol`` or ``max_iter`` iterations.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    params : tuple
        ``(weights, means, covariances, precisions_chol)`` to start from.
    covariance_type : {"full", "diag"}
    reg_covar, tol : float
    max_iter : int

    Returns
    -------
    params : tuple
        ``(weights, means, covariances, precisions_chol)`` after the last M-step.
    n_iter : int
        The iterations run.
    history : list of float
        Entry ``t`` is the mean log-likelihood of the parameters after ``t`` M-steps (the
        initial ones for ``t = 0``), which the E-step of iteration ``t + 1`` computes;
        scikit-learn's ``lower_bounds_``. It never decreases (EM's monotonicity).
    converged : bool
        Whether the last change was below ``tol`` (the first change is infinite).
    """
    lower_bound = -np.inf
    history = []
    converged = False
    for n_iter in range(1, max_iter + 1):
        previous = lower_bound
        weights, means, _, precisions_chol = params
        lower_bound, resp = _e_step(X, weights, means, precisions_chol, covariance_type)
        params = _m_step(X, resp, reg_covar, covariance_type)
        history.append(lower_bound)
        if abs(lower_bound - previous) < tol:
            converged = True
            break
    return params, n_iter, history, converged


# --- Initialisation -------------------------------------------------------------------


def _nearest(X, centers):
    """The index of the nearest centre of each sample (the first, among equals)."""
    distances = (centers**2).sum(axis=1) - 2.0 * (X @ centers.T)
    return np.argmin(distances, axis=1)


def _kmeans_labels(X, n_clusters, rng, n_iter=KMEANS_INIT_ITER):
    """Labels from k-means++ seeding followed by at most ``n_iter`` Lloyd iterations.

    A private stand-in for a k-means estimator: the seeds are drawn with probabilities
    proportional to the squared distance to the nearest seed so far (Arthur and
    Vassilvitskii, 2007); a cluster that empties keeps its centre.
    """
    n_samples = X.shape[0]
    centers = np.empty((n_clusters, X.shape[1]))
    centers[0] = X[rng.integers(n_samples)]
    closest = ((X - centers[0]) ** 2).sum(axis=1)
    for j in range(1, n_clusters):
        total = closest.sum()
        p = closest / total if total > 0 else None  # all points on the seeds: uniform
        centers[j] = X[rng.choice(n_samples, p=p)]
        closest = np.minimum(closest, ((X - centers[j]) ** 2).sum(axis=1))
    labels = _nearest(X, centers)
    for _ in range(n_iter):
        counts = np.bincount(labels, minlength=n_clusters)
        sums = np.zeros_like(centers)
        np.add.at(sums, labels, X)
        filled = counts > 0
        centers[filled] = sums[filled] / counts[filled, np.newaxis]
        new_labels = _nearest(X, centers)
        if np.array_equal(new_labels, labels):
            break
        labels = new_labels
    return labels


def _initial_responsibilities(X, n_components, init_params, means_init, rng):
    """The responsibilities the initial weights and covariances are estimated from."""
    n_samples = X.shape[0]
    if means_init is not None:
        labels = _nearest(X, means_init)
    elif init_params == "kmeans":
        labels = _kmeans_labels(X, n_components, rng)
    elif init_params == "random":
        resp = rng.uniform(size=(n_samples, n_components))
        return resp / resp.sum(axis=1, keepdims=True)
    else:  # "random_from_data": one distinct sample per component
        resp = np.zeros((n_samples, n_components))
        resp[rng.choice(n_samples, size=n_components, replace=False),
             np.arange(n_components)] = 1.0
        return resp
    resp = np.zeros((n_samples, n_components))
    resp[np.arange(n_samples), labels] = 1.0
    return resp


# --- The estimator --------------------------------------------------------------------


class GaussianMixture(BaseEstimator):
    """A mixture of Gaussians fitted by expectation-maximisation.

    The density is ``p(x) = sum_k pi_k N(x | mu_k, Sigma_k)``. EM alternates the E-step,
    the responsibilities ``r_ik = pi_k N(x_i | mu_k, Sigma_k) / p(x_i)``, and the M-step,
    ``pi_k = n_k / n``, ``mu_k = sum_i r_ik x_i / n_k`` and ``Sigma_k = sum_i r_ik (x_i -
    mu_k)(x_i - mu_k)^T / n_k + reg_covar I`` with ``n_k = sum_i r_ik``; every iteration
    increases the mean log-likelihood ``(1/n) sum_i log p(x_i)``, and EM stops when it
    changes by less than ``tol`` (scikit-learn's rule). Densities are computed from the
    Cholesky factors of the precisions and the responsibilities in the log domain (see
    :mod:`ftml.mixture._gaussian_mixture`). Of ``n_init`` runs, the one of the largest
    final mean log-likelihood is kept.

    Initialisation: the initial weights and covariances are the M-step's estimates from
    initial responsibilities (the weights divided by ``n_samples``), as in scikit-learn.
    With ``means_init``, the responsibilities are the hard assignment of each sample to its
    nearest initial mean, the means are ``means_init`` and ``init_params`` is not used (so
    the fit draws nothing at random): scikit-learn instead draws the responsibilities by
    ``init_params`` and pairs their ``k``-th component's weight and covariance with the
    ``k``-th initial mean, and matches this estimator when given the same weights and
    precisions (``weights_init``, ``precisions_init``). Otherwise, ``"kmeans"`` assigns
    each sample to its cluster after k-means++ seeding and at most
    :data:`KMEANS_INIT_ITER` Lloyd iterations, computed here (not by a k-means estimator,
    so its clusters are not scikit-learn's ``KMeans``'s); ``"random"`` draws
    responsibilities uniformly and normalises them; ``"random_from_data"`` gives each
    component one distinct sample drawn at random.

    Parameters
    ----------
    n_components : int, default=1
        The number ``K`` of components; at most the number of samples.
    covariance_type : {"full", "diag"}, default="full"
        ``"full"``: each component has its own covariance matrix; ``"diag"``: its own
        diagonal covariance.
    tol : float, default=1e-3
        EM stops when the mean log-likelihood changes by less than ``tol``.
    reg_covar : float, default=1e-6
        Added to the diagonal of every covariance, keeping them positive definite.
    max_iter : int, default=100
        The largest number of EM iterations of a run.
    n_init : int, default=1
        The number of runs (initialisations); the best is kept.
    init_params : {"kmeans", "random", "random_from_data"}, default="kmeans"
        How the initial responsibilities are drawn when ``means_init`` is None.
    means_init : array-like of shape (n_components, n_features), default=None
        Initial means; see above.
    random_state : None, int, numpy.random.SeedSequence or numpy.random.Generator, \
default=None
        Seeds the initialisation (see :func:`ftml.validation.check_random_state`).

    Attributes
    ----------
    weights_ : ndarray of shape (n_components,)
        The mixing proportions ``pi_k``.
    means_ : ndarray of shape (n_components, n_features)
        The means ``mu_k``.
    covariances_ : ndarray of shape (n_components, n_features, n_features) or \
(n_components, n_features)
        The covariances ``Sigma_k`` (``"full"``) or their diagonals (``"diag"``).
    precisions_cholesky_ : ndarray of the shape of ``covariances_``
        The factors ``U_k`` with ``Sigma_k^{-1} = U_k U_k^T`` (upper triangular), or
        ``1 / sqrt(Sigma_k)`` (``"diag"``).
    converged_ : bool
        Whether the kept run reached ``tol`` before ``max_iter``.
    n_iter_ : int
        The EM iterations of the kept run.
    lower_bound_ : float
        The last mean log-likelihood of the kept run (``log_likelihood_history_[-1]``).
    log_likelihood_history_ : ndarray of shape (n_iter_,)
        The mean log-likelihood computed at every EM iteration of the kept run: entry
        ``t`` is that of the parameters after ``t`` M-steps, the E-step of iteration
        ``t + 1`` computing it (scikit-learn's ``lower_bounds_``); the fitted parameters
        are one M-step further, so their log-likelihood is at least the last entry.
    n_features_in_ : int
        Number of features seen in ``fit``.

    References
    ----------
    The course, chapter "Unsupervised learning" (mixture models, EM).
    A. P. Dempster, N. M. Laird and D. B. Rubin, "Maximum likelihood from incomplete data
    via the EM algorithm", *J. R. Stat. Soc. B* 39(1), 1977.
    C. M. Bishop, *Pattern Recognition and Machine Learning*, Springer, 2006, Section 9.2.
    D. Arthur and S. Vassilvitskii, "k-means++: the advantages of careful seeding", SODA
    2007. scikit-learn, ``sklearn.mixture.GaussianMixture``.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> X = np.vstack([rng.normal(-5, 1, (100, 2)), rng.normal(5, 1, (100, 2))])
    >>> model = GaussianMixture(2, means_init=[[-1.0, -1.0], [1.0, 1.0]]).fit(X)
    >>> np.round(model.means_).tolist(), model.weights_.round(2).tolist()
    ([[-5.0, -5.0], [5.0, 5.0]], [0.5, 0.5])
    >>> model.predict([[-4.0, -6.0], [6.0, 4.0]])
    array([0, 1])
    """

    _estimator_type = "density_estimator"

    _parameter_constraints = {
        "n_components": [Interval(Integral, 1, None, closed="left")],
        "covariance_type": [Options(str, COVARIANCE_TYPES)],
        "tol": [Interval(Real, 0, None, closed="left")],
        "reg_covar": [Interval(Real, 0, None, closed="left")],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "n_init": [Interval(Integral, 1, None, closed="left")],
        "init_params": [Options(str, INIT_PARAMS)],
        "means_init": ["array-like", None],
        "random_state": ["random_state"],
    }

    def __init__(self, n_components=1, *, covariance_type="full", tol=1e-3, reg_covar=1e-6,
                 max_iter=100, n_init=1, init_params="kmeans", means_init=None,
                 random_state=None):
        self.n_components = n_components
        self.covariance_type = covariance_type
        self.tol = tol
        self.reg_covar = reg_covar
        self.max_iter = max_iter
        self.n_init = n_init
        self.init_params = init_params
        self.means_init = means_init
        self.random_state = random_state

    def fit(self, X, y=None):
        """Fit the mixture by EM, keeping the best of ``n_init`` runs.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            The samples.
        y : None
            Ignored.

        Returns
        -------
        self : GaussianMixture
            The fitted estimator.

        Raises
        ------
        InvalidParameterError
            If a hyperparameter violates its constraint; it is both a ValueError and a
            TypeError.
        ValueError
            If ``X`` is empty, non-numeric or not finite, if its squared norm overflows
            float64, if ``n_components`` exceeds the number of samples, if ``means_init``
            is not finite or not of shape ``(n_components, n_features)``, or if a
            component's covariance is not positive definite even with ``reg_covar`` on its
            diagonal (the message names the component and suggests a larger
            ``reg_covar``).

        Warns
        -----
        ConvergenceWarning
            If the kept run reached ``max_iter`` before ``tol``.
        """
        self._validate_params()
        X = validate_data(self, X)
        check_finite_squared_norm(X)
        n_samples, n_features = X.shape
        if self.n_components > n_samples:
            raise ValueError(
                f"n_components={self.n_components} must be at most the number of samples, "
                f"n_samples={n_samples}."
            )
        means_init = None
        if self.means_init is not None:
            means_init = check_array(self.means_init, name="means_init")
            if means_init.shape != (self.n_components, n_features):
                raise ValueError(
                    f"means_init must be of shape (n_components, n_features) = "
                    f"({self.n_components}, {n_features}), got {means_init.shape}."
                )
        rng = check_random_state(self.random_state)
        best = None
        for _ in range(self.n_init):
            resp = _initial_responsibilities(X, self.n_components, self.init_params,
                                             means_init, rng)
            nk, means, covariances = _estimate_gaussian_parameters(
                X, resp, self.reg_covar, self.covariance_type)
            if means_init is not None:
                means = means_init.copy()
            precisions_chol = _compute_precision_cholesky(covariances, self.covariance_type,
                                                          self.reg_covar)
            run = _em(X, (nk / n_samples, means, covariances, precisions_chol),
                      covariance_type=self.covariance_type, reg_covar=self.reg_covar,
                      tol=self.tol, max_iter=self.max_iter)
            if best is None or run[2][-1] > best[2][-1]:
                best = run
        params, n_iter, history, converged = best
        if not converged:
            warnings.warn(
                f"GaussianMixture did not converge: the best of n_init={self.n_init} runs "
                f"reached max_iter={self.max_iter} before its mean log-likelihood changed "
                f"by less than tol={self.tol}. Increase max_iter or tol, try other "
                "initialisations, or check for degenerate data.",
                ConvergenceWarning, stacklevel=2,
            )
        (self.weights_, self.means_, self.covariances_,
         self.precisions_cholesky_) = params
        self.converged_ = converged
        self.n_iter_ = n_iter
        self.lower_bound_ = history[-1]
        self.log_likelihood_history_ = np.asarray(history)
        return self

    def _weighted_log_prob(self, X):
        check_is_fitted(self, "weights_")
        X = validate_data(self, X, reset=False)
        return _weighted_log_prob(X, self.weights_, self.means_, self.precisions_cholesky_,
                                  self.covariance_type)

    def score_samples(self, X):
        """Return the log-density of the mixture at each sample.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        log_density : ndarray of shape (n_samples,)
            ``log sum_k pi_k N(x_i | mu_k, Sigma_k)``.

        Raises
        ------
        NotFittedError
            If the estimator is not fitted.
        ValueError
            If ``X`` is not finite or has another number of features than in ``fit``.
        """
        return _normalize_log(self._weighted_log_prob(X))[0]

    def score(self, X, y=None):
        """Return the mean log-density of the samples (higher is better).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : None
            Ignored.

        Returns
        -------
        score : float
            ``mean(self.score_samples(X))``.
        """
        return float(np.mean(self.score_samples(X)))

    def predict_proba(self, X):
        """Return each component's responsibility for each sample.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        resp : ndarray of shape (n_samples, n_components)
            The posterior probabilities of the components; each row sums to 1.
        """
        return _normalize_log(self._weighted_log_prob(X))[1]

    def predict(self, X):
        """Return the component of largest responsibility for each sample.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        labels : ndarray of shape (n_samples,)
            Indices into the components.
        """
        return np.argmax(self._weighted_log_prob(X), axis=1)

    def _n_parameters(self):
        """The free parameters: ``K - 1`` weights, ``K d`` means and ``K d (d + 1) / 2``
        (``"full"``) or ``K d`` (``"diag"``) covariance entries."""
        n_components, n_features = self.means_.shape
        if self.covariance_type == "full":
            cov_params = n_components * n_features * (n_features + 1) // 2
        else:
            cov_params = n_components * n_features
        return cov_params + n_components * n_features + n_components - 1

    def bic(self, X):
        """Return the Bayesian information criterion on ``X`` (lower is better).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        bic : float
            ``-2 log L + p log n``, with ``L`` the likelihood of ``X``, ``p`` the number of
            free parameters and ``n`` the number of samples.

        References
        ----------
        G. Schwarz, "Estimating the dimension of a model", *Ann. Statist.* 6(2), 1978.
        """
        n_samples = np.shape(X)[0]
        return (-2 * self.score(X) * n_samples
                + self._n_parameters() * math.log(n_samples))

    def aic(self, X):
        """Return the Akaike information criterion on ``X`` (lower is better).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        aic : float
            ``-2 log L + 2 p``, with ``L`` the likelihood of ``X`` and ``p`` the number of
            free parameters.

        References
        ----------
        H. Akaike, "A new look at the statistical model identification", *IEEE Trans.
        Automat. Control* 19(6), 1974.
        """
        n_samples = np.shape(X)[0]
        return -2 * self.score(X) * n_samples + 2 * self._n_parameters()

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.estimator_type = "density_estimator"
        return tags
