"""Ordinary least squares: expected excess risk in fixed and random design, expected
empirical risk, and the unbiased noise estimate (see the package docstring)."""

import math
import numbers

import numpy as np

from ftml.validation import check_array, check_consistent_length, check_scalar

__all__ = [
    "ols_fixed_design_excess_risk",
    "ols_random_design_excess_risk",
    "ols_expected_empirical_risk",
    "noise_variance_estimate",
    "ols_fixed_design_parameter_error",
    "ols_fixed_design_optimism",
]


def _check_sizes(n_samples, n_features, noise):
    check_scalar(n_samples, "n_samples", numbers.Integral, min_val=1)
    check_scalar(n_features, "n_features", numbers.Integral, min_val=1)
    _check_noise(noise)


def _check_noise(noise):
    check_scalar(noise, "noise", numbers.Real, min_val=0.0)
    if not math.isfinite(noise):
        raise ValueError(f"noise must be finite, got {noise!r}.")


def ols_fixed_design_excess_risk(n_samples, n_features, noise):
    """Expected excess risk of OLS in fixed design: sigma^2 d / n.

    With a deterministic design X of rank d and targets y = X theta* + eps, the OLS estimate
    theta_hat = (X^T X)^{-1} X^T y has excess risk ||X (theta_hat - theta*)||^2 / n, whose
    expectation over the noise is exactly sigma^2 d / n, whatever X (the bias is zero and
    the variance is sigma^2 tr(H) / n with H the rank-d hat matrix).

    Parameters
    ----------
    n_samples : int
        The number of samples n.
    n_features : int
        The dimension d, at most n (the design must have full column rank).
    noise : float
        The noise standard deviation sigma >= 0.

    Returns
    -------
    risk : float
        sigma^2 d / n.

    Raises
    ------
    ValueError
        If n_features > n_samples, or a size or ``noise`` is out of range.
    TypeError
        If a size is not an int or ``noise`` not a real number.

    References
    ----------
    .. [1] Course notes, chapter "Linear least-squares regression", OLS in fixed design.

    Examples
    --------
    >>> ols_fixed_design_excess_risk(100, 10, noise=2.0)
    0.4
    """
    _check_sizes(n_samples, n_features, noise)
    if n_features > n_samples:
        raise ValueError(
            f"n_features == {n_features} must be <= n_samples == {n_samples}: OLS in fixed "
            "design needs a design of full column rank d."
        )
    return float(noise**2 * n_features / n_samples)


def ols_random_design_excess_risk(n_samples, n_features, noise):
    """Expected excess risk of OLS in random Gaussian design: sigma^2 d / (n - d - 1).

    With i.i.d. inputs x_i ~ N(0, Sigma) (any invertible Sigma), the excess risk
    (theta_hat - theta*)^T Sigma (theta_hat - theta*) has expectation
    sigma^2 E[tr(Sigma (X^T X)^{-1})] = sigma^2 d / (n - d - 1), the mean of an inverse
    Wishart matrix. It is larger than the fixed-design sigma^2 d / n and blows up as n
    approaches d + 1.

    Parameters
    ----------
    n_samples : int
        The number of samples n, more than d + 1.
    n_features : int
        The dimension d.
    noise : float
        The noise standard deviation sigma >= 0.

    Returns
    -------
    risk : float
        sigma^2 d / (n - d - 1).

    Raises
    ------
    ValueError
        If n_samples <= n_features + 1 (the expectation is infinite), or a size or
        ``noise`` is out of range.
    TypeError
        If a size is not an int or ``noise`` not a real number.

    References
    ----------
    .. [1] Course notes, chapter "Linear least-squares regression", OLS in random design
       with Gaussian inputs.

    Examples
    --------
    >>> ols_random_design_excess_risk(100, 9, noise=1.0)
    0.1
    """
    _check_sizes(n_samples, n_features, noise)
    if n_samples <= n_features + 1:
        raise ValueError(
            f"n_samples == {n_samples} must be > n_features + 1 == {n_features + 1}: the "
            "expected excess risk of OLS in Gaussian random design is infinite otherwise."
        )
    return float(noise**2 * n_features / (n_samples - n_features - 1))


def ols_expected_empirical_risk(n_samples, n_features, noise):
    """Expected empirical risk (training error) of OLS: (n - d) sigma^2 / n.

    The residual y - X theta_hat = (I - H) eps is the noise projected onto the
    (n - d)-dimensional orthogonal complement of the column space of X, so
    E[||y - X theta_hat||^2 / n] = (n - d) sigma^2 / n: below the Bayes risk sigma^2, by
    as much as the excess risk sigma^2 d / n (in fixed design; conditionally on X in random
    design).

    Parameters
    ----------
    n_samples : int
        The number of samples n.
    n_features : int
        The dimension d, at most n.
    noise : float
        The noise standard deviation sigma >= 0.

    Returns
    -------
    risk : float
        (n - d) sigma^2 / n.

    Raises
    ------
    ValueError
        If n_features > n_samples, or a size or ``noise`` is out of range.
    TypeError
        If a size is not an int or ``noise`` not a real number.

    References
    ----------
    .. [1] Course notes, chapter "Linear least-squares regression", OLS in fixed design.

    Examples
    --------
    >>> ols_expected_empirical_risk(100, 10, noise=1.0)
    0.9
    """
    _check_sizes(n_samples, n_features, noise)
    if n_features > n_samples:
        raise ValueError(
            f"n_features == {n_features} must be <= n_samples == {n_samples}: the formula "
            "assumes a design of full column rank d."
        )
    return float((n_samples - n_features) * noise**2 / n_samples)


def noise_variance_estimate(y, y_pred, n_features):
    """Unbiased estimate of sigma^2 from OLS residuals: ||y - y_pred||^2 / (n - d).

    Since E[||y - X theta_hat||^2] = (n - d) sigma^2 for OLS on a design of rank d, dividing
    the residual sum of squares by n - d rather than n removes the bias.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        The observed targets.
    y_pred : array-like of shape (n_samples,)
        The OLS fitted values X theta_hat.
    n_features : int
        The number d of fitted parameters (count the intercept, if any), less than n.

    Returns
    -------
    sigma2_hat : float
        ||y - y_pred||^2 / (n - d).

    Raises
    ------
    ValueError
        If ``y`` and ``y_pred`` are not 1-D of equal length, hold NaN or infinity, or if
        n_features >= n_samples.
    TypeError
        If ``n_features`` is not an int.

    References
    ----------
    .. [1] Course notes, chapter "Linear least-squares regression", estimating the noise
       variance.

    Examples
    --------
    >>> noise_variance_estimate([1.0, 2.0, 3.0, 4.0], [1.5, 1.5, 3.5, 3.5], n_features=2)
    0.5
    """
    y = check_array(y, name="y", ensure_2d=False, allow_1d=True)
    y_pred = check_array(y_pred, name="y_pred", ensure_2d=False, allow_1d=True)
    check_consistent_length(y=y, y_pred=y_pred)
    check_scalar(n_features, "n_features", numbers.Integral, min_val=1)
    n_samples = y.shape[0]
    if n_features >= n_samples:
        raise ValueError(
            f"n_features == {n_features} must be < n_samples == {n_samples}: the residuals "
            "of an OLS fit have n - d degrees of freedom."
        )
    residual = y - y_pred
    return float(residual @ residual / (n_samples - n_features))


def ols_fixed_design_parameter_error(design, noise):
    """Expected squared error of the OLS parameter in fixed design: sigma^2 tr((X^T X)^{-1}).

    OLS is unbiased, E[theta_hat] = theta*, and its covariance is sigma^2 (X^T X)^{-1}; the
    expected squared distance E||theta_hat - theta*||^2 is the trace of that covariance.
    Unlike the excess risk sigma^2 d / n, it depends on the design: a badly conditioned X
    estimates theta* poorly even where it predicts well.

    Parameters
    ----------
    design : array-like of shape (n_samples, n_features)
        The fixed design X, of full column rank.
    noise : float
        The noise standard deviation sigma >= 0.

    Returns
    -------
    error : float
        sigma^2 tr((X^T X)^{-1}).

    Raises
    ------
    ValueError
        If the design is not of full column rank, or ``noise`` is out of range.

    References
    ----------
    .. [1] Course notes, chapter "Linear least-squares regression", OLS in fixed design:
       the estimator's mean and covariance.

    Examples
    --------
    >>> import numpy as np
    >>> ols_fixed_design_parameter_error(np.array([[1.0, 0.0], [0.0, 2.0]]), noise=1.0)
    1.25
    """
    X = check_array(design, name="design")
    _check_noise(noise)
    # The singular values give tr((X^T X)^{-1}) = sum 1 / s_i^2 without forming X^T X,
    # whose condition number is the square of X's.
    singular = np.linalg.svd(X, compute_uv=False)
    if singular.shape[0] < X.shape[1] or singular[-1] <= singular[0] * X.shape[0] * np.finfo(
            float).eps:
        raise ValueError("the design must have full column rank for OLS to be unbiased")
    return float(noise**2 * np.sum(1.0 / singular**2))


def ols_fixed_design_optimism(n_samples, n_features, noise):
    """Expected gap between the test and the training risk of OLS in fixed design:
    2 sigma^2 d / n.

    At the training inputs, with new noise, the expected risk of OLS is sigma^2 (1 + d / n)
    (the noise plus the excess risk sigma^2 d / n), and its expected empirical risk is
    sigma^2 (1 - d / n): the training error is optimistic by 2 sigma^2 d / n.

    Parameters
    ----------
    n_samples, n_features : int
        n and d <= n.
    noise : float
        The noise standard deviation sigma >= 0.

    Returns
    -------
    gap : float

    References
    ----------
    .. [1] Course notes, chapter "Linear least-squares regression", OLS in fixed design.

    Examples
    --------
    >>> ols_fixed_design_optimism(100, 10, noise=1.0)
    0.2
    """
    # The checks of the excess risk's closed form (d <= n, the ranges) apply here too.
    ols_fixed_design_excess_risk(n_samples, n_features, noise)
    return float(2 * noise**2 * n_features / n_samples)
