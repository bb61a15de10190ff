"""Seeded generators of the course's models with their ground truth:
:class:`LinearGaussianModel` (y = x^T theta* + eps in fixed or random design, which scores an
estimate exactly) and :func:`make_linear_gaussian` and :func:`make_linear_regression` that
draw it; :func:`make_conditioned_regression` (a prescribed condition number) and
:func:`make_logistic_regression` (a logistic model); and :class:`ObservedData`, the same
``sample`` interface for data without a known ground truth.

Each ``make_*`` generator first checks its arguments with a ``check_*_params`` function of
the same parameters and defaults, which draws nothing: the config validator checks every
grid point's parameters with it, and draws a model only where a fit is tried.
"""

import math
import numbers
from dataclasses import dataclass

import numpy as np

from ftml.validation import check_array, check_random_state, check_scalar

__all__ = [
    "LinearGaussianModel",
    "ObservedData",
    "check_conditioned_regression_params",
    "check_linear_gaussian_params",
    "check_logistic_regression_params",
    "make_conditioned_regression",
    "make_linear_gaussian",
    "make_linear_regression",
    "make_logistic_regression",
]


_DESIGNS = ("fixed", "random")


@dataclass(frozen=True, eq=False, repr=False)
class LinearGaussianModel:
    """Ground truth of the linear-Gaussian model y = x^T theta* + eps, eps ~ N(0, sigma^2).

    The model knows everything an experiment needs to score an estimate exactly: the optimal
    predictor ``theta``, the noise level, the input covariance and, in fixed design, the
    inputs themselves.

    In **fixed design** the inputs x_1, ..., x_n (the rows of ``design``) are deterministic
    and only the noise is random. The risk of a predictor f is the expected squared error on
    new targets observed at the same inputs, R(f) = E[(1/n) sum_i (y_i' - f(x_i))^2], so the
    excess risk of x -> x^T coef + b is ||X (coef - theta*) + b||^2 / n, which is
    (coef - theta*)^T Sigma_hat (coef - theta*) when b = 0, with Sigma_hat = X^T X / n.

    In **random design** the pairs (x_i, y_i) are i.i.d. with x ~ N(0, Sigma), and the risk
    is R(f) = E[(y - f(x))^2] over a fresh pair, so the excess risk of x -> x^T coef + b is
    (coef - theta*)^T Sigma (coef - theta*) + b^2 (the cross term vanishes because x is
    centred).

    In both settings the Bayes predictor is x -> x^T theta* and the Bayes risk is sigma^2.

    Instances are immutable: the arrays are copied and made read-only at construction, and
    equality is identity (comparing arrays elementwise has no single truth value).

    Parameters
    ----------
    theta : array-like of shape (n_features,)
        The optimal parameter theta*.
    noise : float
        The standard deviation sigma >= 0 of the Gaussian noise.
    covariance : array-like of shape (n_features, n_features)
        The covariance Sigma of the inputs x ~ N(0, Sigma); symmetric positive definite. In
        fixed design it is the law the design was drawn from.
    n_samples : int
        The number of samples n that :meth:`sample` returns.
    design : array-like of shape (n_samples, n_features) or None, default=None
        The fixed inputs X in the fixed-design setting, or None for random design.

    Attributes
    ----------
    n_features : int
        The dimension d.
    fixed_design : bool
        True in the fixed-design setting.
    bayes_risk : float
        sigma^2, the risk of the Bayes predictor x -> x^T theta*.

    Raises
    ------
    ValueError
        If the shapes disagree, ``noise`` or ``n_samples`` is out of range, or
        ``covariance`` is not symmetric positive definite.

    See Also
    --------
    make_linear_gaussian : draws a model with a Toeplitz covariance and a random theta*.

    References
    ----------
    .. [1] Course notes, chapter "Linear least-squares regression", sections on the fixed
       and the random design settings.

    Examples
    --------
    >>> import numpy as np
    >>> model = LinearGaussianModel(theta=np.array([1.0, 0.0]), noise=0.5,
    ...                             covariance=np.eye(2), n_samples=3)
    >>> model.fixed_design, model.bayes_risk
    (False, 0.25)
    >>> model.excess_risk([0.0, 0.0], intercept=1.0)
    2.0
    """

    theta: np.ndarray
    noise: float
    covariance: np.ndarray
    n_samples: int
    design: np.ndarray | None = None

    def __post_init__(self):
        theta = check_array(self.theta, name="theta", ensure_2d=False, allow_1d=True)
        n_features = theta.shape[0]
        check_scalar(self.noise, "noise", numbers.Real, min_val=0.0)
        if not math.isfinite(self.noise):
            raise ValueError(f"noise must be finite, got {self.noise!r}.")
        check_scalar(self.n_samples, "n_samples", numbers.Integral, min_val=1)

        covariance = check_array(self.covariance, name="covariance")
        if covariance.shape != (n_features, n_features):
            raise ValueError(
                f"covariance must have shape (n_features, n_features) = "
                f"({n_features}, {n_features}) to match theta, got {covariance.shape}."
            )
        if not np.allclose(covariance, covariance.T, rtol=1e-12, atol=1e-12):
            raise ValueError("covariance must be symmetric.")
        # Sampling needs a Cholesky factor, so fail here rather than at the first sample().
        _cholesky(covariance)

        design = self.design
        if design is not None:
            design = check_array(design, name="design")
            if design.shape != (self.n_samples, n_features):
                raise ValueError(
                    f"design must have shape (n_samples, n_features) = "
                    f"({self.n_samples}, {n_features}), got {design.shape}."
                )
            design = _read_only(design)

        # The dataclass is frozen, so the normalised values go in through object.__setattr__.
        object.__setattr__(self, "theta", _read_only(theta))
        object.__setattr__(self, "noise", float(self.noise))
        object.__setattr__(self, "covariance", _read_only(covariance))
        object.__setattr__(self, "n_samples", int(self.n_samples))
        object.__setattr__(self, "design", design)

    def __repr__(self):
        setting = "fixed" if self.fixed_design else "random"
        return (
            f"{type(self).__name__}(n_samples={self.n_samples}, "
            f"n_features={self.n_features}, design={setting!r}, noise={self.noise!r})"
        )

    @property
    def n_features(self):
        """int : The dimension d of the inputs."""
        return self.theta.shape[0]

    @property
    def fixed_design(self):
        """bool : True when the inputs are the stored ``design``, False when they are drawn."""
        return self.design is not None

    @property
    def bayes_risk(self):
        """float : sigma^2, the risk of the Bayes predictor x -> x^T theta* in both settings."""
        return self.noise**2

    def sample(self, random_state=None):
        """Draw a data set (X, y) from the model.

        In fixed design X is (a copy of) the stored design and only the noise is fresh; in
        random design the rows of X are fresh draws from N(0, Sigma). The draws are made in a
        fixed order, X first (random design only, as ``standard_normal((n, d)) @ L.T`` with L
        the Cholesky factor of Sigma), then the noise (``noise * standard_normal(n)``), so a
        seed determines the sample.

        Parameters
        ----------
        random_state : None, int, numpy.random.SeedSequence or numpy.random.Generator, \
default=None
            The source of randomness; see :func:`ftml.validation.check_random_state`.

        Returns
        -------
        X : ndarray of shape (n_samples, n_features)
            The inputs, a new writable array.
        y : ndarray of shape (n_samples,)
            The targets X theta* + eps.

        Raises
        ------
        TypeError, ValueError
            If ``random_state`` is invalid.
        """
        rng = check_random_state(random_state)
        if self.fixed_design:
            X = self.design.copy()
        else:
            X = rng.standard_normal((self.n_samples, self.n_features)) @ _cholesky(
                self.covariance
            ).T
        y = X @ self.theta + self.noise * rng.standard_normal(self.n_samples)
        return X, y

    def excess_risk(self, coef, intercept=0.0):
        """Exact excess risk R(f) - R(f*) of the linear predictor f(x) = x^T coef + intercept.

        Fixed design: ||X (coef - theta*) + intercept||^2 / n on the stored design X.
        Random design: (coef - theta*)^T Sigma (coef - theta*) + intercept^2.

        Parameters
        ----------
        coef : array-like of shape (n_features,)
            The predictor's coefficients.
        intercept : float, default=0.0
            The predictor's intercept.

        Returns
        -------
        excess_risk : float
            A non-negative number; zero exactly at coef = theta*, intercept = 0.

        Raises
        ------
        ValueError
            If ``coef`` does not have shape (n_features,) or holds NaN or infinity, or if
            ``intercept`` is NaN.
        TypeError
            If ``intercept`` is not a real number.

        References
        ----------
        .. [1] Course notes, chapter "Linear least-squares regression": excess risk in
           fixed design, and in random design.
        """
        coef = check_array(coef, name="coef", ensure_2d=False, allow_1d=True)
        if coef.shape != (self.n_features,):
            raise ValueError(
                f"coef must have shape (n_features,) = ({self.n_features},), got {coef.shape}."
            )
        check_scalar(intercept, "intercept", numbers.Real)
        delta = coef - self.theta
        if self.fixed_design:
            residual = self.design @ delta + intercept
            return float(residual @ residual / self.n_samples)
        return float(delta @ self.covariance @ delta + intercept**2)


def _read_only(array):
    array = np.array(array, dtype=np.float64, copy=True)
    array.setflags(write=False)
    return array


def _cholesky(covariance):
    try:
        return np.linalg.cholesky(covariance)
    except np.linalg.LinAlgError:
        raise ValueError("covariance must be positive definite.") from None


def _toeplitz_covariance(n_features, correlation):
    # Sigma_ij = rho^|i-j| is the covariance of a stationary AR(1) sequence, positive
    # definite for 0 <= rho < 1; numpy's 0.0 ** 0 == 1 makes rho = 0 the identity.
    lags = np.abs(np.subtract.outer(np.arange(n_features), np.arange(n_features)))
    return float(correlation) ** lags.astype(np.float64)


def check_linear_gaussian_params(
    n_samples, n_features, *, design="fixed", noise=1.0, theta_norm=1.0, correlation=0.0
):
    """Check the arguments of :func:`make_linear_gaussian` without drawing the model.

    :func:`make_linear_gaussian` calls it first, so it raises what the generator raises for
    its arguments; what the generator checks after drawing (the Cholesky factor of the
    covariance, the model's fields) holds for any arguments it accepts, since the Toeplitz
    covariance of a correlation in [0, 1) is positive definite.

    Parameters
    ----------
    n_samples, n_features, design, noise, theta_norm, correlation
        As in :func:`make_linear_gaussian`, with the same defaults.

    Raises
    ------
    TypeError
        If a size is not an int or a level not a real number.
    ValueError
        If an argument is out of range or ``design`` is not "fixed" or "random"; the
        message names the argument.

    Examples
    --------
    >>> check_linear_gaussian_params(50, 3, noise=0.5)
    >>> check_linear_gaussian_params(50, 3, correlation=1.0)
    Traceback (most recent call last):
    ...
    ValueError: correlation == 1.0, must be < 1.0.
    """
    check_scalar(n_samples, "n_samples", numbers.Integral, min_val=1)
    check_scalar(n_features, "n_features", numbers.Integral, min_val=1)
    if not isinstance(design, str) or design not in _DESIGNS:
        raise ValueError(f"design must be one of {_DESIGNS}, got {design!r}.")
    for name, value in (("noise", noise), ("theta_norm", theta_norm)):
        check_scalar(value, name, numbers.Real, min_val=0.0)
        if not math.isfinite(value):
            raise ValueError(f"{name} must be finite, got {value!r}.")
    check_scalar(
        correlation, "correlation", numbers.Real, min_val=0.0, max_val=1.0,
        include_boundaries="left",
    )


def make_linear_gaussian(
    n_samples,
    n_features,
    *,
    design="fixed",
    noise=1.0,
    theta_norm=1.0,
    correlation=0.0,
    random_state=None,
):
    """Draw a linear-Gaussian model y = x^T theta* + eps with a Toeplitz input covariance.

    The inputs follow x ~ N(0, Sigma) with Sigma_ij = correlation^|i-j| (the identity when
    ``correlation`` is 0); theta* is uniform on the sphere of radius ``theta_norm``; the
    noise is eps ~ N(0, noise^2). See :class:`LinearGaussianModel` for the two settings.

    The draws come from ``check_random_state(random_state)`` in this order, so that a seed
    determines the model:

    1. ``g = standard_normal(n_features)``; theta* = theta_norm * g / ||g|| (g is drawn even
       when theta_norm is 0, so the design below does not depend on theta_norm);
    2. fixed design only: ``X = standard_normal((n_samples, n_features)) @ L.T`` with L the
       lower Cholesky factor of Sigma, so the rows of X are N(0, Sigma).

    Parameters
    ----------
    n_samples : int
        The number of samples n, at least 1.
    n_features : int
        The dimension d, at least 1.
    design : {"fixed", "random"}, default="fixed"
        "fixed" draws the inputs once and stores them in the model; "random" stores none and
        lets :meth:`LinearGaussianModel.sample` draw fresh inputs each time.
    noise : float, default=1.0
        The noise standard deviation sigma >= 0.
    theta_norm : float, default=1.0
        The Euclidean norm of theta*, at least 0.
    correlation : float, default=0.0
        The correlation rho between neighbouring features, in [0, 1).
    random_state : None, int, numpy.random.SeedSequence or numpy.random.Generator, \
default=None
        The source of randomness; see :func:`ftml.validation.check_random_state`.

    Returns
    -------
    model : LinearGaussianModel
        The ground truth, with ``design`` of shape (n_samples, n_features) in fixed design
        and None in random design.

    Raises
    ------
    TypeError
        If a size is not an int, a level not a real number, or ``random_state`` invalid.
    ValueError
        If an argument is out of range or ``design`` is not "fixed" or "random"; the
        message names the argument.

    References
    ----------
    .. [1] Course notes, chapter "Linear least-squares regression".

    Examples
    --------
    >>> model = make_linear_gaussian(50, 3, noise=0.5, theta_norm=2.0, random_state=0)
    >>> model
    LinearGaussianModel(n_samples=50, n_features=3, design='fixed', noise=0.5)
    >>> round(float(np.linalg.norm(model.theta)), 12)
    2.0
    >>> model.design.shape
    (50, 3)
    """
    check_linear_gaussian_params(n_samples, n_features, design=design, noise=noise,
                                 theta_norm=theta_norm, correlation=correlation)
    rng = check_random_state(random_state)
    covariance = _toeplitz_covariance(n_features, correlation)

    direction = rng.standard_normal(n_features)
    # ||g|| = 0 has probability zero but would divide by zero; any unit vector will do then.
    norm = np.linalg.norm(direction)
    direction = direction / norm if norm > 0 else np.eye(n_features)[0]
    theta = theta_norm * direction

    X = None
    if design == "fixed":
        X = rng.standard_normal((n_samples, n_features)) @ _cholesky(covariance).T
    return LinearGaussianModel(
        theta=theta, noise=noise, covariance=covariance, n_samples=n_samples, design=X
    )


def make_linear_regression(
    n_samples,
    n_features,
    *,
    design="fixed",
    noise=1.0,
    theta_norm=1.0,
    correlation=0.0,
    random_state=None,
):
    """Draw a linear-Gaussian model and one data set from it.

    Equivalent to ``model = make_linear_gaussian(..., random_state=rng)`` followed by
    ``model.sample(random_state=rng)`` with one generator ``rng``, so a seed determines both.

    Parameters
    ----------
    n_samples, n_features, design, noise, theta_norm, correlation
        As in :func:`make_linear_gaussian`.
    random_state : None, int, numpy.random.SeedSequence or numpy.random.Generator, \
default=None
        The source of randomness for both the model and the sample.

    Returns
    -------
    X : ndarray of shape (n_samples, n_features)
        The inputs.
    y : ndarray of shape (n_samples,)
        The targets.
    model : LinearGaussianModel
        The ground truth, for scoring estimates with :meth:`LinearGaussianModel.excess_risk`.

    Raises
    ------
    TypeError, ValueError
        As :func:`make_linear_gaussian`.

    References
    ----------
    .. [1] Course notes, chapter "Linear least-squares regression".

    Examples
    --------
    >>> X, y, model = make_linear_regression(20, 4, design="random", random_state=0)
    >>> X.shape, y.shape, model.fixed_design
    ((20, 4), (20,), False)
    """
    rng = check_random_state(random_state)
    model = make_linear_gaussian(
        n_samples, n_features, design=design, noise=noise, theta_norm=theta_norm,
        correlation=correlation, random_state=rng,
    )
    X, y = model.sample(random_state=rng)
    return X, y, model


@dataclass(frozen=True)
class ObservedData:
    """Data with no known ground truth: every "draw" is the data itself."""

    X: np.ndarray
    y: np.ndarray

    def sample(self, random_state=None):
        """Return copies of ``(X, y)``; ``random_state`` is ignored."""
        return self.X.copy(), self.y.copy()


def check_conditioned_regression_params(n_samples, n_features, *, condition_number=100.0,
                                        noise=1.0):
    """Check the arguments of :func:`make_conditioned_regression` without drawing anything.

    :func:`make_conditioned_regression` calls it first, so it raises what the generator
    raises for its arguments.

    Parameters
    ----------
    n_samples, n_features, condition_number, noise
        As in :func:`make_conditioned_regression`, with the same defaults.

    Raises
    ------
    TypeError, ValueError
        If an argument is out of range, naming it.

    Examples
    --------
    >>> check_conditioned_regression_params(10, 20)
    Traceback (most recent call last):
    ...
    ValueError: n_samples == 10, must be >= 20.
    """
    check_scalar(n_features, "n_features", numbers.Integral, min_val=2)
    check_scalar(n_samples, "n_samples", numbers.Integral, min_val=n_features)
    check_scalar(condition_number, "condition_number", numbers.Real, min_val=1.0)
    check_scalar(noise, "noise", numbers.Real, min_val=0.0)


def make_conditioned_regression(
    n_samples, n_features, *, condition_number=100.0, noise=1.0, random_state=None
):
    """Draw a least-squares problem whose Hessian X^T X / n has a prescribed condition number.

    The design is X = sqrt(n) U diag(s) V^T with U, V random orthonormal and s_j^2
    log-spaced from 1 down to 1 / condition_number, so that the eigenvalues of X^T X / n are
    exactly the s_j^2: L = 1 and mu = 1 / condition_number. Then y = X theta* + noise with
    theta* standard normal, so the optimum is not aligned with any eigenvector.

    Parameters
    ----------
    n_samples, n_features : int
        Sizes, with n_samples >= n_features >= 2.
    condition_number : float, default=100.0
        kappa = L / mu >= 1.
    noise : float, default=1.0
        Standard deviation of the noise, >= 0.
    random_state : None, int, numpy.random.SeedSequence or numpy.random.Generator
        Draws, in order: U, V, theta*, the noise.

    Returns
    -------
    X : ndarray of shape (n_samples, n_features)
    y : ndarray of shape (n_samples,)

    Examples
    --------
    >>> X, y = make_conditioned_regression(50, 5, condition_number=1000.0, random_state=0)
    >>> eigenvalues = np.linalg.eigvalsh(X.T @ X / 50)
    >>> round(float(eigenvalues[-1] / eigenvalues[0]), 6)
    1000.0
    """
    check_conditioned_regression_params(n_samples, n_features,
                                        condition_number=condition_number, noise=noise)
    rng = check_random_state(random_state)
    U = np.linalg.qr(rng.standard_normal((n_samples, n_features)))[0]
    V = np.linalg.qr(rng.standard_normal((n_features, n_features)))[0]
    spectrum = np.logspace(0.0, -np.log10(condition_number), n_features)
    X = np.sqrt(n_samples) * (U * np.sqrt(spectrum)) @ V.T
    theta = rng.standard_normal(n_features)
    y = X @ theta + noise * rng.standard_normal(n_samples)
    return X, y


def check_logistic_regression_params(n_samples, n_features, *, theta_norm=1.0,
                                     correlation=0.0, feature_scale=1.0):
    """Check the arguments of :func:`make_logistic_regression` without drawing anything.

    :func:`make_logistic_regression` calls it first, so it raises what the generator raises
    for its arguments.

    Parameters
    ----------
    n_samples, n_features, theta_norm, correlation, feature_scale
        As in :func:`make_logistic_regression`, with the same defaults.

    Raises
    ------
    TypeError, ValueError
        If an argument is out of range, naming it.

    Examples
    --------
    >>> check_logistic_regression_params(100, 3, feature_scale=0.5)
    Traceback (most recent call last):
    ...
    ValueError: feature_scale == 0.5, must be >= 1.0.
    """
    # The same sizes, norm and correlation as the linear-Gaussian model's.
    check_linear_gaussian_params(n_samples, n_features, theta_norm=theta_norm,
                                 correlation=correlation)
    check_scalar(feature_scale, "feature_scale", numbers.Real, min_val=1.0)
    if not math.isfinite(feature_scale):
        raise ValueError(f"feature_scale must be finite, got {feature_scale!r}.")


def make_logistic_regression(
    n_samples, n_features, *, theta_norm=1.0, correlation=0.0, feature_scale=1.0,
    random_state=None,
):
    """Draw a binary classification sample from a logistic model.

    x_i ~ N(0, Sigma) with Sigma Toeplitz (Sigma_ij = correlation^|i-j|), theta* uniform on
    the sphere of radius ``theta_norm``, and P(y_i = 1 | x_i) = 1 / (1 + exp(-x_i^T theta*)),
    labels in {-1, +1}. A larger ``theta_norm`` separates the classes better.

    With ``feature_scale = S > 1``, the design is then badly scaled: after the labels are
    drawn, column ``j`` (from 0) of ``X`` is multiplied by ``s_j = S ** (j / (d - 1))``,
    scales log-spaced from 1 to ``S`` (``d = n_features``; ``s_0 = 1`` when ``d = 1``). This
    is a change of units, not of the problem: the labels are those of the unscaled design,
    the returned ``theta`` is ``theta* / s`` so that ``P(y = 1 | x) = sigmoid(x^T theta)``
    still holds for the returned ``X``, and the Bayes classifier ``sign(x^T theta)`` makes
    the same predictions. Only the conditioning changes: the features' variances span a
    factor ``S^2``, which slows down gradient methods until the features are standardised.

    Parameters
    ----------
    n_samples, n_features : int
        Sizes, at least 1.
    theta_norm : float, default=1.0
        ||theta*|| (before the scaling), non-negative.
    correlation : float, default=0.0
        In [0, 1).
    feature_scale : float, default=1.0
        The largest column scale ``S``, finite and at least 1. The default leaves the
        design as drawn, bit for bit.
    random_state : None, int, numpy.random.SeedSequence or numpy.random.Generator
        Draws, in order: theta*'s direction, the inputs, the uniforms deciding the labels.
        The scaling draws nothing, so the same seed gives the same unscaled sample for
        every ``feature_scale``.

    Returns
    -------
    X : ndarray of shape (n_samples, n_features)
        The (scaled) design.
    y : ndarray of shape (n_samples,)
        -1.0 or +1.0.
    theta : ndarray of shape (n_features,)
        The logistic model's parameter for the returned ``X``: ``theta*`` divided by the
        column scales (``theta*`` itself when ``feature_scale=1``).

    Raises
    ------
    TypeError, ValueError
        If an argument is out of range, naming it.

    Examples
    --------
    >>> X, y, theta = make_logistic_regression(100, 3, random_state=0)
    >>> X.shape, sorted(set(y.tolist()))
    ((100, 3), [-1.0, 1.0])
    >>> X_bad, y_bad, _ = make_logistic_regression(100, 3, feature_scale=100.0,
    ...                                            random_state=0)
    >>> np.allclose(X_bad, X * [1.0, 10.0, 100.0]), np.array_equal(y_bad, y)
    (True, True)
    """
    check_logistic_regression_params(n_samples, n_features, theta_norm=theta_norm,
                                     correlation=correlation, feature_scale=feature_scale)
    rng = check_random_state(random_state)
    direction = rng.standard_normal(n_features)
    theta = theta_norm * direction / np.linalg.norm(direction)
    covariance = _toeplitz_covariance(n_features, correlation)
    X = rng.standard_normal((n_samples, n_features)) @ _cholesky(covariance).T
    probabilities = 1.0 / (1.0 + np.exp(-(X @ theta)))
    y = np.where(rng.uniform(size=n_samples) < probabilities, 1.0, -1.0)
    if feature_scale != 1.0:
        exponents = np.arange(n_features) / max(n_features - 1, 1)
        scales = float(feature_scale) ** exponents
        X = X * scales
        theta = theta / scales
    return X, y, theta
