"""Ridge regression in the course's convention: SVD closed form or an iterative solver."""

from numbers import Integral, Real

from ftml.linear_model._ols import _LinearModel
from ftml.losses import LinearObjective
from ftml.optim import DETERMINISTIC_SOLVERS, STOCHASTIC_SOLVERS, minimize
from ftml.validation import Interval, Options, validate_data

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
        Non-negative penalty on ``||theta||^2``, relative to the *mean* squared loss;
        ``inf`` gives ``coef_ = 0`` with ``solver="svd"``.
    fit_intercept : bool, default=True
        Fit an intercept ``b``, which is not penalised: by centring ``X`` and ``y`` (as
        scikit-learn does) for ``solver="svd"``, as an unpenalised last parameter for the
        iterative solvers. If False, ``intercept_`` is 0.0.
    solver : {"svd", "gd", "nesterov", "lbfgs", "sgd", "sag", "saga", "svrg"}, \
default="svd"
        ``"svd"`` is the closed form. The others are the optimisers of :mod:`ftml.optim`
        (see :func:`ftml.optim.minimize`) applied to ``ftml.losses.LinearObjective(X, y,
        "square", alpha)``, ``(1/2n) ||X theta + b - y||^2 + (alpha/2) ||theta||^2``: half
        the objective above, hence the same minimiser for the same ``alpha``. From the
        starting point 0 they converge, when ``alpha = 0`` and the minimiser is not unique,
        to the minimiser closest to 0, which is the closed form's when
        ``fit_intercept=False``.
    max_iter : int, default=1000
        Iterations of a deterministic solver, epochs of a stochastic one; unused by
        ``"svd"``.
    tol : float, default=1e-8
        The iterative solver's stopping tolerance on the gradient; unused by ``"svd"``.
    random_state : None, int or numpy.random.Generator, default=None
        Seed of the stochastic solvers; unused by the others.

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,)
        The ridge coefficients ``theta``.
    intercept_ : float
        ``mean(y) - mean(X, axis=0) @ coef_``, or 0.0 when ``fit_intercept=False``.
    n_iter_ : int or None
        Iterations (or epochs) run by an iterative solver; None for ``"svd"``.
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

    _parameter_constraints = {
        "alpha": [Interval(Real, 0, None, closed="both")],  # inf: coef_ = 0 (with "svd")
        "fit_intercept": ["boolean"],
        "solver": [Options(str, ("svd",) + DETERMINISTIC_SOLVERS + STOCHASTIC_SOLVERS)],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "tol": [Interval(Real, 0, None, closed="both")],
        "random_state": ["random_state"],
    }

    def __init__(self, alpha=1.0, *, fit_intercept=True, solver="svd", max_iter=1000,
                 tol=1e-8, random_state=None):
        self.alpha = alpha
        self.fit_intercept = fit_intercept
        self.solver = solver
        self.max_iter = max_iter
        self.tol = tol
        self.random_state = random_state

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
        InvalidParameterError
            If a hyperparameter violates ``_parameter_constraints`` (``alpha`` negative or
            NaN, ``solver`` unknown, ``max_iter`` below 1, ``tol`` negative, a non-bool
            ``fit_intercept``, ...); it is both a ValueError and a TypeError.
        ValueError
            If ``X`` is not 2-D, ``y`` not 1-D (or None), either is empty, non-numeric or
            not finite, or their lengths differ; with an iterative solver, if the squared
            norm of ``X`` overflows float64 (see
            :func:`ftml.validation.check_finite_squared_norm`), which the SVD does not need.

        Warns
        -----
        ConvergenceWarning
            If an iterative solver stops before its tolerance.
        """
        self._validate_params()
        X, y = validate_data(self, X, y)
        if self.solver == "svd":
            self._fit_svd(X, y, alpha=float(self.alpha))
            self.n_iter_ = None
            return self
        objective = LinearObjective(X, y, "square", float(self.alpha),
                                    fit_intercept=bool(self.fit_intercept))
        result = minimize(objective, self.solver, max_iter=self.max_iter, tol=self.tol,
                          random_state=self.random_state)
        n_features = X.shape[1]
        self.coef_ = result.coef[:n_features].copy()
        self.intercept_ = float(result.coef[n_features]) if self.fit_intercept else 0.0
        self.n_iter_ = int(result.n_iter)
        return self
