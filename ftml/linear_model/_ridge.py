"""Ridge regression in the course's convention, through the singular value decomposition."""

import numbers

from ftml.linear_model._ols import _LinearModel
from ftml.validation import check_scalar

__all__ = ["Ridge"]


class Ridge(_LinearModel):
    """Ridge regression: minimise ``(1/n) ||X theta + b - y||^2 + alpha ||theta||^2``.

    .. warning::
       ``alpha`` follows the course's convention, in which the squared loss is *averaged*
       over the ``n`` training samples. scikit-learn's :class:`sklearn.linear_model.Ridge`
       minimises the *summed* loss ``||X theta + b - y||^2 + alpha_sk ||theta||^2``, so the
       two estimators coincide when ``alpha_sk = n_samples * alpha``. The same ``alpha``
       thus means a penalty that does not grow with the sample size here, and one that
       shrinks relative to the data term in scikit-learn.

    Setting the gradient to zero gives the normal equations
    ``(X^T X + n alpha I) theta = X^T y``, solved through the thin SVD ``X = U diag(s) V^T``
    as ``theta = V diag(s_i / (s_i^2 + n alpha)) U^T y``. This works for every shape, including
    ``n_features > n_samples``; singular values at or below numpy's ``lstsq`` cut-off count
    as zero, so ``alpha=0`` gives exactly the minimum-norm solution of :class:`OLS`.

    Parameters
    ----------
    alpha : float, default=1.0
        Non-negative penalty on ``||theta||^2``, relative to the *mean* squared loss.
    fit_intercept : bool, default=True
        Fit an intercept ``b``, which is not penalised, by centring ``X`` and ``y``
        (as scikit-learn does). If False, ``intercept_`` is 0.0.

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,)
        The ridge coefficients ``theta``.
    intercept_ : float
        ``mean(y) - mean(X, axis=0) @ coef_``, or 0.0 when ``fit_intercept=False``.
    n_features_in_ : int
        Number of features seen in ``fit``.

    See Also
    --------
    OLS : The unpenalised problem, ``alpha=0``.

    References
    ----------
    The course, chapter "Linear least-squares regression" (ridge least-squares regression).
    F. Bach, *Learning Theory from First Principles*, MIT Press, 2024, Chapter 3, whose
    ridge estimator ``(Phi^T Phi + n lambda I)^{-1} Phi^T y`` uses this convention.
    scikit-learn, ``sklearn.linear_model.Ridge`` (summed loss).

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[-1.0], [0.0], [1.0]])
    >>> model = Ridge(alpha=1 / 3).fit(X, [-2.0, 0.0, 2.0])
    >>> model.coef_  # (X^T X + n alpha I)^{-1} X^T y = 4 / (2 + 1)
    array([1.33333333])
    """

    def __init__(self, alpha=1.0, *, fit_intercept=True):
        self.alpha = alpha
        self.fit_intercept = fit_intercept

    def fit(self, X, y):
        """Fit the ridge coefficients.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            The design matrix.
        y : array-like of shape (n_samples,)
            The targets.

        Returns
        -------
        self : Ridge
            The fitted estimator.

        Raises
        ------
        TypeError
            If ``alpha`` is not a real number or ``fit_intercept`` not a bool.
        ValueError
            If ``alpha`` is negative or NaN; if ``X`` is not 2-D, ``y`` not 1-D, either is
            empty, non-numeric or not finite, or their lengths differ.
        """
        check_scalar(self.alpha, "alpha", numbers.Real, min_val=0.0)
        self._fit(X, y, alpha=float(self.alpha))
        return self
