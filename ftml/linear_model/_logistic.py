"""Binary L2-regularised logistic regression, fitted by the solvers of :mod:`ftml.optim`."""

from numbers import Integral, Real

import numpy as np

from ftml.base import BaseEstimator, ClassifierMixin
from ftml.losses import LinearObjective
from ftml.optim import DETERMINISTIC_SOLVERS, STOCHASTIC_SOLVERS, minimize
from ftml.validation import (
    Interval,
    Options,
    check_binary_targets,
    check_is_fitted,
    validate_data,
)

__all__ = ["LogisticRegression"]

SOLVERS = DETERMINISTIC_SOLVERS + STOCHASTIC_SOLVERS


class LogisticRegression(ClassifierMixin, BaseEstimator):
    """Binary logistic regression with a ridge penalty, in the course's convention.

    With the labels mapped to ``y_i`` in {-1, +1} (``classes_[1]`` is +1), ``fit``
    minimises

    ``F(theta, b) = (1/n) sum_i log(1 + exp(-y_i (x_i^T theta + b))) + (alpha/2) ||theta||^2``

    over the coefficients ``theta`` and an unpenalised intercept ``b``. Multiplying by
    ``1 / alpha`` gives scikit-learn's objective ``(1/2) ||theta||^2 + C sum_i log(1 +
    exp(...))`` with ``C = 1 / (alpha n)``: the two estimators have the same minimiser when
    ``C = 1 / (alpha * n_samples)``, and ``alpha`` does not scale with the sample size.

    Parameters
    ----------
    alpha : float, default=1.0
        Non-negative penalty; note the factor 1/2 in ``(alpha/2) ||theta||^2``. With
        ``alpha = 0`` there is no minimiser on linearly separable data.
    solver : {"lbfgs", "gd", "nesterov", "sgd", "sag", "saga", "svrg"}, default="lbfgs"
        The optimiser of :mod:`ftml.optim` (see :func:`ftml.optim.minimize`).
    max_iter : int, default=1000
        Iterations of a deterministic solver; epochs of a stochastic one.
    tol : float, default=1e-8
        The solver's stopping tolerance on the gradient (see each solver).
    fit_intercept : bool, default=True
        Fit the unpenalised intercept ``b``; otherwise ``b = 0``.
    random_state : None, int or numpy.random.Generator, default=None
        Seed of the stochastic solvers; ignored by the deterministic ones.
    step : float, default=None
        Step size; None uses the solver's default (``1/L`` for ``"gd"`` and
        ``"nesterov"``). Ignored by ``"lbfgs"``.

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,)
        The coefficients ``theta``. (scikit-learn's binary ``coef_`` has shape
        ``(1, n_features)``; ftml's linear models use a flat array.)
    intercept_ : float
        The intercept ``b``, 0.0 when ``fit_intercept=False``.
    classes_ : ndarray of shape (2,)
        The two labels, sorted; ``classes_[1]`` is the positive class.
    n_iter_ : int
        Iterations (or epochs) run by the solver.
    n_features_in_ : int
        Number of features seen in ``fit``.

    See Also
    --------
    ftml.losses.LinearObjective : The objective, with ``loss="logistic"``.
    sklearn.linear_model.LogisticRegression : The same model with ``C = 1 / (alpha n)``.

    References
    ----------
    The course, chapter "Optimization for machine learning" (logistic regression as a smooth
    convex problem). F. Bach, *Learning Theory from First Principles*, MIT Press, 2024,
    Chapters 4 and 5.

    Examples
    --------
    >>> X = np.array([[-2.0], [-1.0], [1.0], [2.0]])
    >>> model = LogisticRegression(alpha=0.1).fit(X, ["ham", "ham", "spam", "spam"])
    >>> model.predict([[-3.0], [3.0]])
    array(['ham', 'spam'], dtype='<U4')
    >>> model.predict_proba([[0.0]]).round(6)
    array([[0.5, 0.5]])
    """

    _multi_class = False  # binary: wrap it in ftml.multiclass for more classes
    _parameter_constraints = {
        "alpha": [Interval(Real, 0, None, closed="left")],
        "solver": [Options(str, SOLVERS)],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "tol": [Interval(Real, 0, None, closed="both")],
        "fit_intercept": ["boolean"],
        "random_state": ["random_state"],
        "step": [Interval(Real, 0, None, closed="neither"), None],
    }

    def __init__(self, alpha=1.0, *, solver="lbfgs", max_iter=1000, tol=1e-8,
                 fit_intercept=True, random_state=None, step=None):
        self.alpha = alpha
        self.solver = solver
        self.max_iter = max_iter
        self.tol = tol
        self.fit_intercept = fit_intercept
        self.random_state = random_state
        self.step = step

    def fit(self, X, y):
        """Fit the coefficients and intercept.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            The design matrix.
        y : array-like of shape (n_samples,)
            Labels with exactly two distinct values, of any type numpy can sort.

        Returns
        -------
        self : LogisticRegression
            The fitted estimator.

        Raises
        ------
        InvalidParameterError
            If a hyperparameter violates ``_parameter_constraints`` (a wrong type or a value
            out of range); it is both a ValueError and a TypeError.
        ValueError
            If ``X`` is not a finite 2-D numeric array, ``y`` is None or not 1-D, their
            lengths differ, ``y`` holds NaN or continuous values (see
            :func:`ftml.validation.check_classification_targets`), or does not hold exactly
            two distinct values (see :func:`ftml.validation.check_binary_targets`); or if
            the squared norm of ``X`` overflows float64 (see
            :func:`ftml.validation.check_finite_squared_norm`).

        Warns
        -----
        ConvergenceWarning
            If the solver stops before its tolerance.
        """
        self._validate_params()
        X, y = validate_data(self, X, y, y_numeric=False)
        classes = check_binary_targets(y, self)
        signs = np.where(y == classes[1], 1.0, -1.0)
        objective = LinearObjective(X, signs, "logistic", float(self.alpha),
                                    fit_intercept=bool(self.fit_intercept))
        result = minimize(objective, self.solver, max_iter=self.max_iter, tol=self.tol,
                          step=self.step, random_state=self.random_state)
        n_features = X.shape[1]
        self.coef_ = result.coef[:n_features].copy()
        self.intercept_ = float(result.coef[n_features]) if self.fit_intercept else 0.0
        self.classes_ = classes
        self.n_iter_ = int(result.n_iter)
        return self

    def decision_function(self, X):
        """Signed score ``X @ coef_ + intercept_``, positive for ``classes_[1]``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        scores : ndarray of shape (n_samples,)

        Raises
        ------
        NotFittedError
            If the estimator has not been fitted.
        ValueError
            If ``X`` is not a finite 2-D numeric array with ``n_features_in_`` columns.
        """
        check_is_fitted(self, ["coef_", "intercept_", "classes_"])
        X = validate_data(self, X, reset=False)
        return X @ self.coef_ + self.intercept_

    def predict_proba(self, X):
        """Probabilities ``[1 - sigma(s), sigma(s)]`` of the two classes, ``s`` the score.

        Each column is computed as ``sigma(+-s) = exp(-logaddexp(0, -+s))``, accurate for
        large ``|s|``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        proba : ndarray of shape (n_samples, 2)
            Columns in the order of ``classes_``; each row sums to 1.
        """
        scores = self.decision_function(X)
        return np.column_stack([np.exp(-np.logaddexp(0.0, scores)),
                                np.exp(-np.logaddexp(0.0, -scores))])

    def predict(self, X):
        """Predict ``classes_[1]`` where the score is positive, ``classes_[0]`` elsewhere.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            Labels of the same type as in ``fit``.
        """
        positive = self.decision_function(X) > 0
        return self.classes_[positive.astype(int)]
