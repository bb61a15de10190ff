"""Ridge regression in fixed design: its exact bias and variance at any alpha, the oracle
alpha minimising their sum, and the course's alpha with its guarantee (see the package
docstring)."""

import math
import numbers

import numpy as np

from ftml.theory._ols import _check_noise
from ftml.validation import check_array, check_scalar

__all__ = [
    "ridge_fixed_design_bias",
    "ridge_fixed_design_variance",
    "ridge_fixed_design_excess_risk",
    "ridge_oracle_alpha",
    "ridge_course_alpha",
    "ridge_course_bound",
]


def _check_alpha(alpha):
    """Return ``(alphas, is_scalar)`` with ``alphas`` a 1-D float array of alphas >= 0."""
    if isinstance(alpha, np.ndarray) and alpha.ndim == 0:
        alpha = alpha.item()
    if np.ndim(alpha) == 0:
        check_scalar(alpha, "alpha", numbers.Real, min_val=0.0)
        if not math.isfinite(alpha):
            raise ValueError(f"alpha must be finite, got {alpha!r}.")
        return np.array([float(alpha)]), True
    alphas = check_array(alpha, name="alpha", ensure_2d=False, allow_1d=True)
    if (alphas < 0).any():
        index = int(np.argmax(alphas < 0))
        value = float(alphas[index])
        raise ValueError(f"alpha must be >= 0, got alpha[{index}] == {value!r}.")
    return alphas, False


def _spectrum(X, theta=None):
    """Nonzero eigenvalues of Sigma_hat = X^T X / n and theta's coordinates in their basis.

    Uses the SVD of X rather than an eigendecomposition of X^T X, which would square the
    condition number. Singular values below numpy's ``matrix_rank`` tolerance count as
    zero: the directions they span carry neither bias nor variance (and at alpha = 0 they
    would otherwise add spurious 0/0 = 1 terms to the variance).
    """
    X = check_array(X, name="X")
    n_samples, n_features = X.shape
    if theta is not None:
        theta = check_array(theta, name="theta", ensure_2d=False, allow_1d=True)
        if theta.shape != (n_features,):
            raise ValueError(
                f"theta must have shape (n_features,) = ({n_features},) to match X, got "
                f"{theta.shape}."
            )
    _, singular, vt = np.linalg.svd(X, full_matrices=False)
    tolerance = singular.max(initial=0.0) * max(X.shape) * np.finfo(np.float64).eps
    keep = singular > tolerance
    eigenvalues = singular[keep] ** 2 / n_samples
    coordinates = None if theta is None else vt[keep] @ theta
    return n_samples, eigenvalues, coordinates


def _bias(eigenvalues, coordinates, alphas):
    # alpha^2 theta^T (S + aI)^-1 S (S + aI)^-1 theta = sum_j lam_j c_j^2 (a / (lam_j + a))^2,
    # written with a / (lam + a) so that alpha = 0 needs no special case (lam > 0 here).
    shrink = alphas[:, None] / (eigenvalues[None, :] + alphas[:, None])
    return (shrink**2 * (eigenvalues * coordinates**2)[None, :]).sum(axis=1)


def _variance(n_samples, eigenvalues, noise, alphas):
    # sigma^2 / n tr(S^2 (S + aI)^-2) = sigma^2 / n sum_j (lam_j / (lam_j + a))^2.
    kept = eigenvalues[None, :] / (eigenvalues[None, :] + alphas[:, None])
    return noise**2 / n_samples * (kept**2).sum(axis=1)


def _risk_difference(eigenvalues, coordinates, noise_level, log_a, log_b):
    """R(a) - R(b) for the ridge risk, accurate even when a and b are nearly equal.

    The arguments are a = exp(log_a) and b = exp(log_b). With s = alpha / (lambda + alpha)
    and u = 1 - s, each eigen-direction contributes lambda c^2 s^2 + (sigma^2 / n) u^2, and
    s_a - s_b = lambda (a - b) / ((lambda + a) (lambda + b)), so the difference factors as
    sum_j (s_a - s_b) (lambda c^2 (s_a + s_b) - (sigma^2 / n) (u_a + u_b)),
    with no subtraction of nearly equal numbers except in the final sum.
    """
    a, b = math.exp(log_a), math.exp(log_b)
    # a - b = b (e^(log_a - log_b) - 1), computed without cancellation through expm1.
    difference = b * math.expm1(log_a - log_b)
    lam = eigenvalues
    shrink_step = lam * difference / ((lam + a) * (lam + b))
    shrink_sum = a / (lam + a) + b / (lam + b)
    keep_sum = lam / (lam + a) + lam / (lam + b)
    per_direction = lam * coordinates**2 * shrink_sum - noise_level * keep_sum
    return float(np.sum(shrink_step * per_direction))


def _as_output(values, is_scalar):
    return float(values[0]) if is_scalar else values


def ridge_fixed_design_bias(X, theta, alpha):
    """Squared bias of ridge regression in fixed design.

    For theta_hat = (Sigma_hat + alpha I)^{-1} X^T y / n with Sigma_hat = X^T X / n, the
    bias term of the expected excess risk E[||X (theta_hat - theta*)||^2 / n] is

        alpha^2 theta*^T (Sigma_hat + alpha I)^{-1} Sigma_hat (Sigma_hat + alpha I)^{-1} theta*
        = sum_j lambda_j c_j^2 alpha^2 / (lambda_j + alpha)^2,

    with lambda_j the eigenvalues of Sigma_hat and c_j the coordinates of theta* in its
    eigenbasis. It grows from 0 at alpha = 0 to theta*^T Sigma_hat theta* as alpha -> inf.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        The fixed design.
    theta : array-like of shape (n_features,)
        The true parameter theta*.
    alpha : float or array-like of shape (n_alphas,)
        The regularisation strength(s), each >= 0. An array is evaluated through a single
        decomposition of Sigma_hat.

    Returns
    -------
    bias : float or ndarray of shape (n_alphas,)
        A float for a scalar ``alpha``, an array otherwise.

    Raises
    ------
    ValueError
        If the shapes disagree, an input holds NaN or infinity, or an alpha is negative.
    TypeError
        If a scalar ``alpha`` is not a real number.

    References
    ----------
    .. [1] Course notes, chapter "Linear least-squares regression", ridge regression in
       fixed design (bias-variance decomposition).
    .. [2] D. Hsu, S. M. Kakade and T. Zhang, "Random design analysis of ridge
       regression", COLT, 2012.

    Examples
    --------
    >>> import numpy as np
    >>> X = 2.0 * np.eye(4)  # n = 4, Sigma_hat = I
    >>> ridge_fixed_design_bias(X, [1.0, 1.0, 0.0, 0.0], alpha=1.0)  # 2 * (1 / 2)^2
    0.5
    """
    alphas, is_scalar = _check_alpha(alpha)
    _, eigenvalues, coordinates = _spectrum(X, theta)
    return _as_output(_bias(eigenvalues, coordinates, alphas), is_scalar)


def ridge_fixed_design_variance(X, noise, alpha):
    """Variance of ridge regression in fixed design.

    For theta_hat = (Sigma_hat + alpha I)^{-1} X^T y / n with Sigma_hat = X^T X / n, the
    variance term of the expected excess risk E[||X (theta_hat - theta*)||^2 / n] is

        sigma^2 / n * tr(Sigma_hat^2 (Sigma_hat + alpha I)^{-2})
        = sigma^2 / n * sum_j lambda_j^2 / (lambda_j + alpha)^2,

    the noise level times the "degrees of freedom" divided by n. At alpha = 0 it equals the
    OLS value sigma^2 r / n, with r the rank of X (d for a full-rank design); it decreases
    to 0 as alpha -> inf.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        The fixed design.
    noise : float
        The noise standard deviation sigma >= 0.
    alpha : float or array-like of shape (n_alphas,)
        The regularisation strength(s), each >= 0.

    Returns
    -------
    variance : float or ndarray of shape (n_alphas,)
        A float for a scalar ``alpha``, an array otherwise.

    Raises
    ------
    ValueError
        If ``X`` holds NaN or infinity, or ``noise`` or an alpha is negative.
    TypeError
        If ``noise`` or a scalar ``alpha`` is not a real number.

    References
    ----------
    .. [1] Course notes, chapter "Linear least-squares regression", ridge regression in
       fixed design (bias-variance decomposition).
    .. [2] D. Hsu, S. M. Kakade and T. Zhang, "Random design analysis of ridge
       regression", COLT, 2012.

    Examples
    --------
    >>> import numpy as np
    >>> X = 2.0 * np.eye(4)  # n = 4, Sigma_hat = I
    >>> ridge_fixed_design_variance(X, noise=1.0, alpha=[0.0, 1.0])
    array([1.  , 0.25])
    """
    _check_noise(noise)
    alphas, is_scalar = _check_alpha(alpha)
    n_samples, eigenvalues, _ = _spectrum(X)
    return _as_output(_variance(n_samples, eigenvalues, noise, alphas), is_scalar)


def ridge_fixed_design_excess_risk(X, theta, noise, alpha):
    """Expected excess risk of ridge regression in fixed design: bias + variance.

    E[||X (theta_hat - theta*)||^2 / n]
        = alpha^2 theta*^T (Sigma_hat + alpha I)^{-1} Sigma_hat (Sigma_hat + alpha I)^{-1}
          theta* + sigma^2 / n * tr(Sigma_hat^2 (Sigma_hat + alpha I)^{-2}),

    for theta_hat = (Sigma_hat + alpha I)^{-1} X^T y / n and Sigma_hat = X^T X / n; see
    :func:`ridge_fixed_design_bias` and :func:`ridge_fixed_design_variance`.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        The fixed design.
    theta : array-like of shape (n_features,)
        The true parameter theta*.
    noise : float
        The noise standard deviation sigma >= 0.
    alpha : float or array-like of shape (n_alphas,)
        The regularisation strength(s), each >= 0.

    Returns
    -------
    risk : float or ndarray of shape (n_alphas,)
        A float for a scalar ``alpha``, an array otherwise.

    Raises
    ------
    ValueError
        If the shapes disagree, an input holds NaN or infinity, or ``noise`` or an alpha
        is negative.
    TypeError
        If ``noise`` or a scalar ``alpha`` is not a real number.

    References
    ----------
    .. [1] Course notes, chapter "Linear least-squares regression", ridge regression in
       fixed design (bias-variance decomposition).
    .. [2] D. Hsu, S. M. Kakade and T. Zhang, "Random design analysis of ridge
       regression", COLT, 2012.

    Examples
    --------
    >>> import numpy as np
    >>> X = 2.0 * np.eye(4)  # n = 4, Sigma_hat = I
    >>> ridge_fixed_design_excess_risk(X, [1.0, 1.0, 0.0, 0.0], noise=1.0, alpha=1.0)
    0.75
    """
    _check_noise(noise)
    alphas, is_scalar = _check_alpha(alpha)
    n_samples, eigenvalues, coordinates = _spectrum(X, theta)
    risk = _bias(eigenvalues, coordinates, alphas) + _variance(
        n_samples, eigenvalues, noise, alphas
    )
    return _as_output(risk, is_scalar)


_GOLDEN = (math.sqrt(5.0) - 1.0) / 2.0
_SCAN_POINTS_PER_DECADE = 16
# Relative precision of the oracle alpha, as a width in log(alpha); 1e-7 leaves a margin
# below the promised 1e-6.
_LOG_TOLERANCE = 1e-7


def ridge_oracle_alpha(X, theta, noise):
    """The alpha > 0 minimising the expected excess risk of ridge in fixed design.

    The "oracle" knows theta* and sigma, so this is the best any tuning rule could do. It
    minimises :func:`ridge_fixed_design_excess_risk` numerically:

    1. The derivative of the risk is 2 sum_j lambda_j^2 (c_j^2 alpha - sigma^2/n) /
       (lambda_j + alpha)^3, so the minimiser lies in a bracket computed from the spectrum:
       at least min_j sigma^2 / (n c_j^2) (below it every term decreases), and at most
       max_j sigma^2 / (n c_j^2) when every c_j is nonzero (a wider bound otherwise).
    2. A log-spaced scan of the bracket (16 points per decade) picks the best grid point,
       which guards against the risk having several local minima.
    3. Golden-section search in log(alpha) between the grid point's neighbours refines it to
       relative precision 1e-6; it compares risks through an exact factorisation of their
       difference, since subtracting two nearly equal risks would lose that precision.

    When Sigma_hat = I the minimiser is explicit: alpha* = sigma^2 d / (n ||theta*||^2).

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        The fixed design.
    theta : array-like of shape (n_features,)
        The true parameter theta*.
    noise : float
        The noise standard deviation sigma >= 0.

    Returns
    -------
    alpha : float
        The oracle alpha. Degenerate cases: 0.0 when ``noise`` is 0 (the risk then increases
        with alpha, so the infimum is at alpha -> 0) or when the risk does not depend on
        alpha; ``inf`` when noise > 0 and theta* is orthogonal to the row space of X (the
        risk is then pure variance and decreases with alpha).

    Raises
    ------
    ValueError
        If the shapes disagree, an input holds NaN or infinity, or ``noise`` is negative.
    TypeError
        If ``noise`` is not a real number.

    References
    ----------
    .. [1] Course notes, chapter "Linear least-squares regression", ridge regression in
       fixed design (bias-variance decomposition).
    .. [2] D. Hsu, S. M. Kakade and T. Zhang, "Random design analysis of ridge
       regression", COLT, 2012.

    Examples
    --------
    >>> import numpy as np
    >>> X = 2.0 * np.eye(4)  # n = 4, Sigma_hat = I
    >>> theta = np.array([1.0, 1.0, 0.0, 0.0])
    >>> round(ridge_oracle_alpha(X, theta, noise=1.0), 6)  # 1 * 4 / (4 * 2)
    0.5
    """
    _check_noise(noise)
    n_samples, eigenvalues, coordinates = _spectrum(X, theta)
    noise_level = noise**2 / n_samples
    squared = coordinates**2
    if noise_level == 0.0 or eigenvalues.size == 0:
        return 0.0
    if not (squared > 0).any():
        return math.inf

    # Below min_j sigma^2 / (n c_j^2) every term of the derivative is negative, above the
    # max every term is positive. Components of theta* far smaller than the largest would
    # push that max towards infinity; they are set apart as "weak" and bounded like pure
    # variance terms: for alpha >= max(2 upper, lambda_max, 16 (sigma^2 / n) W / S), with
    # S = sum_strong lambda^2 c^2 and W = sum_weak lambda^2, the strong terms' positive
    # derivative outweighs the weak terms' negative one, so the risk increases there.
    strong = squared >= 1e-12 * squared.max()
    thresholds = noise_level / squared[strong]
    lower, upper = thresholds.min(), thresholds.max()
    if not strong.all():
        strong_mass = (eigenvalues[strong] ** 2 * squared[strong]).sum()
        weak_mass = (eigenvalues[~strong] ** 2).sum()
        upper = max(
            2.0 * upper, eigenvalues.max(), 16.0 * noise_level * weak_mass / strong_mass
        )

    def risk(log_alpha):
        alphas = np.exp(np.atleast_1d(log_alpha))
        return _bias(eigenvalues, coordinates, alphas) + _variance(
            n_samples, eigenvalues, noise, alphas
        )

    log_lower, log_upper = math.log(lower), math.log(upper)
    if log_upper - log_lower <= _LOG_TOLERANCE:
        return float(math.exp((log_lower + log_upper) / 2.0))
    decades = (log_upper - log_lower) / math.log(10.0)
    n_grid = max(3, math.ceil(decades * _SCAN_POINTS_PER_DECADE) + 1)
    grid = np.linspace(log_lower, log_upper, n_grid)
    best = int(np.argmin(risk(grid)))
    left, right = grid[max(best - 1, 0)], grid[min(best + 1, n_grid - 1)]

    # Golden-section search keeps two interior points and drops the side of the worse one.
    # Near the minimum the two risks agree to ~12 digits, so subtracting them would leave
    # rounding noise of relative size ~1e-6 in alpha; _risk_difference computes the sign
    # of R(a) - R(b) from an exact factorisation instead.
    inner_left = right - _GOLDEN * (right - left)
    inner_right = left + _GOLDEN * (right - left)
    while right - left > _LOG_TOLERANCE:
        difference = _risk_difference(
            eigenvalues, coordinates, noise_level, inner_left, inner_right
        )
        if difference <= 0:
            right, inner_right = inner_right, inner_left
            inner_left = right - _GOLDEN * (right - left)
        else:
            left, inner_left = inner_left, inner_right
            inner_right = left + _GOLDEN * (right - left)
    return float(math.exp((left + right) / 2.0))


def _course_constants(X, theta, noise):
    """sqrt(tr Sigma_hat), ||theta*|| and n, checked."""
    X = check_array(X, name="X")
    theta = check_array(theta, name="theta", ensure_2d=False, allow_1d=True)
    _check_noise(noise)
    if theta.shape[0] != X.shape[1]:
        raise ValueError(f"theta has {theta.shape[0]} coordinates and X {X.shape[1]} columns.")
    norm = float(np.linalg.norm(theta))
    if norm == 0:
        raise ValueError("the course's alpha divides by ||theta*||, which is 0 here.")
    trace = float(np.sum(X**2) / X.shape[0])
    return math.sqrt(trace), norm, X.shape[0]


def ridge_course_alpha(X, theta, noise):
    """The course's ridge parameter, alpha = sigma sqrt(tr Sigma_hat) / (||theta*|| sqrt(n)).

    It balances the two upper bounds bias(alpha) <= alpha ||theta*||^2 / 2 and
    variance(alpha) <= sigma^2 tr(Sigma_hat) / (2 alpha n), which follow from
    alpha^2 s / (s + alpha)^2 <= alpha / 4 and s^2 / (s + alpha)^2 <= s / (4 alpha) for
    each eigenvalue s of Sigma_hat = X^T X / n. Unlike :func:`ridge_oracle_alpha` it needs
    no spectrum, only the trace, and its guarantee (:func:`ridge_course_bound`) does not
    depend on the dimension: it holds for d much larger than n.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        The fixed design.
    theta : array-like of shape (n_features,)
        The true parameter theta*, not 0.
    noise : float
        The noise standard deviation sigma >= 0.

    Returns
    -------
    alpha : float

    References
    ----------
    .. [1] Course notes, chapter "Linear least-squares regression", ridge regression in fixed
       design, the choice of lambda; F. Bach, *Learning Theory from First Principles*, MIT
       Press, 2024, Section 3.6.

    Examples
    --------
    >>> import numpy as np
    >>> ridge_course_alpha(np.eye(4) * 2.0, np.array([1.0, 0, 0, 0]), noise=0.5)
    0.5
    """
    root_trace, norm, n_samples = _course_constants(X, theta, noise)
    return noise * root_trace / (norm * math.sqrt(n_samples))


def ridge_course_bound(X, theta, noise):
    """The course's guarantee at :func:`ridge_course_alpha`: the expected excess risk of
    ridge is at most sigma sqrt(tr Sigma_hat) ||theta*|| / sqrt(n).

    The sum of the two bounds of :func:`ridge_course_alpha` at that alpha. The sharper
    inequalities with 1/4 in place of 1/2 show the bound is at least twice the exact risk
    there: a guarantee of order 1 / sqrt(n) whatever the dimension, not a prediction.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    theta : array-like of shape (n_features,)
    noise : float

    Returns
    -------
    bound : float

    Examples
    --------
    >>> import numpy as np
    >>> ridge_course_bound(np.eye(4) * 2.0, np.array([1.0, 0, 0, 0]), noise=0.5)
    0.5
    """
    root_trace, norm, n_samples = _course_constants(X, theta, noise)
    return noise * root_trace * norm / math.sqrt(n_samples)
