"""Regression metrics and the course's sums of squares: :func:`residual_sum_of_squares`,
:func:`total_sum_of_squares` and :func:`explained_sum_of_squares` (the terms of
``TSS = ESS + RSS``), and scikit-learn's :func:`mean_squared_error`,
:func:`mean_absolute_error` and :func:`r2_score`, each a function of ``(y_true, y_pred)`` (or
``y_true``) returning a float.
"""

import warnings

import numpy as np

from ftml.validation import check_array, check_consistent_length

__all__ = [
    "explained_sum_of_squares",
    "mean_absolute_error",
    "mean_squared_error",
    "r2_score",
    "residual_sum_of_squares",
    "total_sum_of_squares",
]


def _check_target(y_true):
    return check_array(y_true, name="y_true", ensure_2d=False, allow_1d=True)


def _check_targets(y_true, y_pred):
    y_true = _check_target(y_true)
    y_pred = check_array(y_pred, name="y_pred", ensure_2d=False, allow_1d=True)
    check_consistent_length(y_true=y_true, y_pred=y_pred)
    return y_true, y_pred


def residual_sum_of_squares(y_true, y_pred):
    """Residual sum of squares, ``RSS = sum_i (y_i - yhat_i)^2``.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Observed targets.
    y_pred : array-like of shape (n_samples,)
        Predictions.

    Returns
    -------
    rss : float
        Non-negative; ``n_samples * mean_squared_error(y_true, y_pred)``.

    Raises
    ------
    ValueError
        If an input is empty, not 1-D, not numeric or not finite, or if their lengths differ.

    References
    ----------
    The course, chapter "Linear least-squares regression" (variance decomposition).

    Examples
    --------
    >>> residual_sum_of_squares([1.0, 2.0, 3.0], [1.0, 2.0, 5.0])
    4.0
    """
    y_true, y_pred = _check_targets(y_true, y_pred)
    return _residual_sum_of_squares(y_true, y_pred)


def _residual_sum_of_squares(y_true, y_pred):
    return float(np.sum((y_true - y_pred) ** 2))


def total_sum_of_squares(y_true):
    """Total sum of squares about the mean, ``TSS = sum_i (y_i - mean(y))^2``.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Observed targets.

    Returns
    -------
    tss : float
        Non-negative; exactly ``0.0`` when all entries of ``y_true`` are equal.

    Raises
    ------
    ValueError
        If ``y_true`` is empty, not 1-D, not numeric or not finite.

    Notes
    -----
    The mean of equal floats need not round back to their value (the mean of seven copies of
    0.1 is off by one ulp), which would turn a constant target into a TSS of about 1e-32 and
    :func:`r2_score` into a huge negative number. A constant target is therefore detected and
    given a TSS of exactly zero.

    References
    ----------
    The course, chapter "Linear least-squares regression" (variance decomposition).

    Examples
    --------
    >>> total_sum_of_squares([1.0, 2.0, 3.0])
    2.0
    """
    y_true = _check_target(y_true)
    return _total_sum_of_squares(y_true)


def _total_sum_of_squares(y_true):
    if np.all(y_true == y_true[0]):
        return 0.0
    return float(np.sum((y_true - y_true.mean()) ** 2))


def explained_sum_of_squares(y_true, y_pred):
    """Explained sum of squares, ``ESS = sum_i (yhat_i - mean(y))^2``.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Observed targets; only their mean enters.
    y_pred : array-like of shape (n_samples,)
        Predictions.

    Returns
    -------
    ess : float
        Non-negative. For least-squares predictions from a model with an intercept,
        ``TSS = ESS + RSS``; without an intercept the identity fails in general.

    Raises
    ------
    ValueError
        If an input is empty, not 1-D, not numeric or not finite, or if their lengths differ.

    References
    ----------
    The course, chapter "Linear least-squares regression" (variance decomposition).

    Examples
    --------
    >>> explained_sum_of_squares([1.0, 2.0, 3.0], [1.5, 2.0, 2.5])
    0.5
    """
    y_true, y_pred = _check_targets(y_true, y_pred)
    return float(np.sum((y_pred - y_true.mean()) ** 2))


def mean_squared_error(y_true, y_pred):
    """Mean squared error, ``RSS / n_samples`` (lower is better).

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Observed targets.
    y_pred : array-like of shape (n_samples,)
        Predictions.

    Returns
    -------
    mse : float
        Non-negative.

    Raises
    ------
    ValueError
        If an input is empty, not 1-D, not numeric or not finite, or if their lengths differ.

    References
    ----------
    The course, chapter "Linear least-squares regression" (empirical risk of the square loss).

    Examples
    --------
    >>> mean_squared_error([3.0, -0.5, 2.0, 7.0], [2.5, 0.0, 2.0, 8.0])
    0.375
    """
    y_true, y_pred = _check_targets(y_true, y_pred)
    return _residual_sum_of_squares(y_true, y_pred) / y_true.shape[0]


def mean_absolute_error(y_true, y_pred):
    """Mean absolute error, ``mean_i |y_i - yhat_i|`` (lower is better).

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Observed targets.
    y_pred : array-like of shape (n_samples,)
        Predictions.

    Returns
    -------
    mae : float
        Non-negative.

    Raises
    ------
    ValueError
        If an input is empty, not 1-D, not numeric or not finite, or if their lengths differ.

    Examples
    --------
    >>> mean_absolute_error([3.0, -0.5, 2.0, 7.0], [2.5, 0.0, 2.0, 8.0])
    0.5
    """
    y_true, y_pred = _check_targets(y_true, y_pred)
    return float(np.mean(np.abs(y_true - y_pred)))


def r2_score(y_true, y_pred):
    """Coefficient of determination, ``R^2 = 1 - RSS / TSS`` (higher is better).

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Observed targets.
    y_pred : array-like of shape (n_samples,)
        Predictions.

    Returns
    -------
    r2 : float
        At most 1; 0 for the constant prediction ``mean(y_true)``; unbounded below.
        Following scikit-learn, when ``TSS == 0`` (constant ``y_true``) the ratio is
        undefined and the score is ``1.0`` for a perfect prediction and ``0.0`` otherwise.
        With fewer than two samples the score is ``nan``, with a warning, as in
        scikit-learn.

    Raises
    ------
    ValueError
        If an input is empty, not 1-D, not numeric or not finite, or if their lengths differ.

    Warns
    -----
    UserWarning
        If ``n_samples < 2``.

    Notes
    -----
    For constant ``y_true`` whose mean is not exactly representable, scikit-learn's TSS is a
    rounding residue and its score a huge negative number; here TSS is exactly 0 (see
    :func:`total_sum_of_squares`) and the score ``0.0``.

    References
    ----------
    The course, chapter "Linear least-squares regression" (variance decomposition).
    scikit-learn, ``sklearn.metrics.r2_score`` (``force_finite=True``).

    Examples
    --------
    >>> r2_score([3.0, -0.5, 2.0, 7.0], [2.5, 0.0, 2.0, 8.0])
    0.9486081370449679
    >>> r2_score([2.0, 2.0, 2.0], [2.0, 2.0, 2.0])
    1.0
    >>> r2_score([2.0, 2.0, 2.0], [2.0, 2.0, 2.5])
    0.0
    """
    y_true, y_pred = _check_targets(y_true, y_pred)
    if y_true.shape[0] < 2:
        warnings.warn(
            f"r2_score is not well-defined with fewer than two samples "
            f"(got {y_true.shape[0]}); returning nan.",
            UserWarning,
            stacklevel=2,
        )
        return float("nan")
    rss = _residual_sum_of_squares(y_true, y_pred)
    tss = _total_sum_of_squares(y_true)
    if tss == 0.0:
        return 1.0 if rss == 0.0 else 0.0
    return 1.0 - rss / tss
