"""Multinomial logistic regression: :class:`SoftmaxObjective`, the regularised cross-entropy
risk of a linear model with its gradient and smoothness constant for the solvers of
:mod:`ftml.optim`, and :class:`SoftmaxRegression`, the estimator that minimises it.
"""

from numbers import Integral, Real

import numpy as np

from ftml.base import BaseEstimator, ClassifierMixin
from ftml.multiclass._base import _encode_classes
from ftml.optim.gd import gradient_descent
from ftml.validation import (
    Interval,
    Options,
    check_array,
    check_consistent_length,
    check_finite_squared_norm,
    check_is_fitted,
    check_scalar,
    validate_data,
)

__all__ = ["SoftmaxObjective", "SoftmaxRegression"]


def _log_softmax(scores):
    """Row-wise ``log softmax``, shifted by the row maximum so that ``exp`` never overflows."""
    shifted = scores - scores.max(axis=1, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))


class SoftmaxObjective:
    """Regularised multinomial logistic (cross-entropy) risk of a linear model.

    ``F(W, b) = (1/n) sum_i [-log softmax(W x_i + b)_{y_i}] + (alpha/2) ||W||_F^2``,

    with ``W`` of shape ``(n_classes, n_features)`` and an unpenalised intercept ``b`` of
    shape ``(n_classes,)``. The solvers see one flat vector ``theta = [W.ravel(), b]`` (``b``
    only if ``fit_intercept``). With ``P`` the matrix of softmax probabilities and ``Y``
    the one-hot labels, ``grad_W F = (P - Y)^T X / n + alpha W`` and ``grad_b F =
    mean_i (P - Y)_i``.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    y : array-like of shape (n_samples,)
        Class indices in ``{0, ..., n_classes - 1}``.
    n_classes : int
        Number of classes, at least 2.
    alpha : float, default=0.0
        Non-negative ridge penalty on ``W``.
    fit_intercept : bool, default=True
        Append the unpenalised intercept ``b`` to the parameters.

    Attributes
    ----------
    n_samples, n_features, n_classes, n_params : int
        ``n_params = n_classes * (n_features + fit_intercept)``.

    Notes
    -----
    **Smoothness.** Per sample, the Hessian of ``-log softmax(z)_y`` in ``z`` is
    ``H(p) = diag(p) - p p^T``, and ``v^T H(p) v = Var_p(v) <= (max v - min v)^2 / 4 <=
    (max_k v_k^2 + min_k v_k^2) / 2 <= ||v||^2 / 2``. The Hessian of ``F`` in ``theta`` is
    ``(1/n) sum_i H(p_i) (x) x~_i x~_i^T + alpha diag(mask)`` (``x~_i`` with a trailing 1 when
    fitting the intercept), hence at most ``0.5 lambda_max(X~^T X~ / n) + alpha`` (method
    :meth:`smoothness`), the bound used for gradient descent's step ``1/L``.

    The intercept direction ``b -> b + c 1`` leaves ``F`` unchanged, so the minimiser is not
    unique when ``fit_intercept``; the minimum value and the predictions are.

    Examples
    --------
    >>> objective = SoftmaxObjective([[1.0], [-1.0], [0.0]], [0, 1, 2], 3, alpha=1.0)
    >>> round(objective.value(np.zeros(objective.n_params)), 6)  # log 3
    1.098612
    >>> round(objective.smoothness(), 6)  # 0.5 * lambda_max([[2/3, 0], [0, 1]]) + 1
    1.5
    """

    def __init__(self, X, y, n_classes, alpha=0.0, *, fit_intercept=True):
        X = check_finite_squared_norm(check_array(X, name="X"))
        y = np.asarray(y)
        check_consistent_length(X=X, y=y)
        check_scalar(n_classes, "n_classes", Integral, min_val=2)
        check_scalar(alpha, "alpha", Real, min_val=0.0)
        check_scalar(fit_intercept, "fit_intercept", (bool, np.bool_))
        if y.ndim != 1 or y.dtype.kind not in "iu" or y.min() < 0 or y.max() >= n_classes:
            raise ValueError(
                f"y must be 1-D class indices in [0, {n_classes - 1}], got shape {y.shape} "
                f"and dtype {y.dtype}."
            )
        self.n_samples, self.n_features = X.shape
        self.n_classes = int(n_classes)
        self.alpha = float(alpha)
        self.fit_intercept = bool(fit_intercept)
        self.X_ = np.hstack([X, np.ones((self.n_samples, 1))]) if self.fit_intercept else X
        self.y_ = y
        self.Y_ = np.zeros((self.n_samples, self.n_classes))
        self.Y_[np.arange(self.n_samples), y] = 1.0
        self.n_params = self.n_classes * self.X_.shape[1]
        # Penalty mask on the (n_classes, n_features + fit_intercept) parameter matrix.
        self._mask = np.ones((self.n_classes, self.X_.shape[1]))
        if self.fit_intercept:
            self._mask[:, -1] = 0.0

    def __repr__(self):
        return (
            f"SoftmaxObjective(n_samples={self.n_samples}, n_classes={self.n_classes}, "
            f"n_params={self.n_params}, alpha={self.alpha!r}, "
            f"fit_intercept={self.fit_intercept})"
        )

    def unpack(self, theta):
        """Return ``(W, b)`` from the flat ``theta``; ``b`` is zeros without intercept.

        Parameters
        ----------
        theta : array-like of shape (n_params,)

        Returns
        -------
        W : ndarray of shape (n_classes, n_features)
        b : ndarray of shape (n_classes,)
        """
        matrix = self._matrix(theta)
        if self.fit_intercept:
            return matrix[:, :-1].copy(), matrix[:, -1].copy()
        return matrix.copy(), np.zeros(self.n_classes)

    def _matrix(self, theta):
        theta = np.asarray(theta, dtype=np.float64)
        if theta.shape != (self.n_params,):
            raise ValueError(
                f"theta must have shape ({self.n_params},), got shape {theta.shape}."
            )
        return theta.reshape(self.n_classes, self.X_.shape[1])

    def value(self, theta):
        """Objective ``F(theta)``.

        Parameters
        ----------
        theta : array-like of shape (n_params,)

        Returns
        -------
        value : float
        """
        return self.value_and_gradient(theta)[0]

    def gradient(self, theta):
        """Gradient of ``F`` at ``theta``, flattened like ``theta``.

        Parameters
        ----------
        theta : array-like of shape (n_params,)

        Returns
        -------
        gradient : ndarray of shape (n_params,)
        """
        return self.value_and_gradient(theta)[1]

    def value_and_gradient(self, theta):
        """``(F(theta), grad F(theta))`` from one product ``X~ @ Theta^T``.

        Parameters
        ----------
        theta : array-like of shape (n_params,)

        Returns
        -------
        value : float
        gradient : ndarray of shape (n_params,)
        """
        matrix = self._matrix(theta)
        penalised = self._mask * matrix
        log_proba = _log_softmax(self.X_ @ matrix.T)
        data = -np.sum(log_proba * self.Y_) / self.n_samples
        value = data + 0.5 * self.alpha * np.sum(penalised * matrix)
        residual = np.exp(log_proba) - self.Y_
        gradient = residual.T @ self.X_ / self.n_samples + self.alpha * penalised
        return float(value), gradient.ravel()

    def smoothness(self):
        """Lipschitz constant of the gradient, ``L = 0.5 lambda_max(X~^T X~ / n) + alpha``.

        ``X~`` is ``X`` with a trailing column of ones when fitting the intercept; see the
        Notes of the class for the proof.

        Returns
        -------
        L : float
        """
        gram = self.X_.T @ self.X_ / self.n_samples
        return 0.5 * float(np.linalg.eigvalsh(gram)[-1]) + self.alpha


class SoftmaxRegression(ClassifierMixin, BaseEstimator):
    """Multinomial logistic regression with a ridge penalty.

    ``fit`` minimises

    ``F(W, b) = (1/n) sum_i [-log softmax(W x_i + b)_{y_i}] + (alpha/2) ||W||_F^2``

    (:class:`SoftmaxObjective`), with an unpenalised intercept ``b``. Multiplying by
    ``1 / alpha`` gives scikit-learn's multinomial objective ``(1/2) ||W||_F^2 + C sum_i
    (...)``: the two have the same minimum point (up to the flat intercept direction
    ``b + c 1``) when ``C = 1 / (alpha * n_samples)``.

    Parameters
    ----------
    alpha : float, default=1.0
        Non-negative penalty; note the factor 1/2. With ``alpha = 0`` there is no minimiser
        on linearly separable data.
    solver : {"lbfgs", "gd"}, default="lbfgs"
        :func:`ftml.optim.lbfgs.lbfgs`, or :func:`ftml.optim.gd.gradient_descent` with the
        constant step ``1/L``, ``L = 0.5 lambda_max(X~^T X~ / n) + alpha``
        (:meth:`SoftmaxObjective.smoothness`).
    max_iter : int, default=1000
        Maximum number of iterations.
    tol : float, default=1e-8
        The solver's stopping tolerance: the gradient's largest entry for ``"lbfgs"``, its
        Euclidean norm for ``"gd"``.
    fit_intercept : bool, default=True
        Fit the intercept ``b``; otherwise ``b = 0``.

    Attributes
    ----------
    coef_ : ndarray of shape (n_classes, n_features)
        The weights ``W``.
    intercept_ : ndarray of shape (n_classes,)
        The intercepts ``b``, zeros when ``fit_intercept=False``.
    classes_ : ndarray of shape (n_classes,)
        The sorted labels.
    n_iter_ : int
        Iterations run by the solver.
    n_features_in_ : int
        Number of features seen in ``fit``.

    See Also
    --------
    OneVsRestClassifier, OneVsOneClassifier
    sklearn.linear_model.LogisticRegression : Multinomial with ``C = 1 / (alpha n)``.

    References
    ----------
    C. M. Bishop, *Pattern Recognition and Machine Learning*, 2006, Section 4.3.4. F. Bach,
    *Learning Theory from First Principles*, 2024, Section 13.1.

    Examples
    --------
    >>> X = np.array([[0.0, 0.0], [0.2, 0.1], [4.0, 0.0], [4.1, 0.3], [0.0, 4.0], [0.2, 4.1]])
    >>> model = SoftmaxRegression(alpha=0.01).fit(X, ["a", "a", "b", "b", "c", "c"])
    >>> model.predict([[4.0, 0.1], [0.1, 3.9]]).tolist()
    ['b', 'c']
    >>> model.predict_proba([[0.0, 0.0]]).sum(axis=1)
    array([1.])
    """

    _parameter_constraints = {
        "alpha": [Interval(Real, 0, None, closed="left")],
        "solver": [Options(str, ("lbfgs", "gd"))],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "tol": [Interval(Real, 0, None, closed="both")],
        "fit_intercept": ["boolean"],
    }

    def __init__(self, alpha=1.0, *, solver="lbfgs", max_iter=1000, tol=1e-8,
                 fit_intercept=True):
        self.alpha = alpha
        self.solver = solver
        self.max_iter = max_iter
        self.tol = tol
        self.fit_intercept = fit_intercept

    def fit(self, X, y):
        """Fit the weights and intercepts.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
            Labels of any type numpy can sort, at least two distinct values.

        Returns
        -------
        self : SoftmaxRegression

        Raises
        ------
        InvalidParameterError
            If a hyperparameter violates ``_parameter_constraints`` (a wrong type or a value
            out of range); it is both a ValueError and a TypeError.
        ValueError
            If ``X`` is invalid, ``y`` is None or not 1-D, their lengths differ, ``y`` holds
            NaN or continuous values (see
            :func:`ftml.validation.check_classification_targets`), or a single class; or
            if the squared norm of ``X`` overflows float64 (see
            :func:`ftml.validation.check_finite_squared_norm`).

        Warns
        -----
        ConvergenceWarning
            If the solver stops before its tolerance.
        """
        self._validate_params()
        X, y = validate_data(self, X, y, y_numeric=False)
        classes, encoded = _encode_classes(y, self)  # class labels, at least two
        objective = SoftmaxObjective(X, encoded, classes.shape[0], float(self.alpha),
                                     fit_intercept=bool(self.fit_intercept))
        if self.solver == "lbfgs":
            # Imported here: scipy.optimize costs ~0.7 s to import, paid by every reading of
            # the workflow that builds a softmax model to check its parameters.
            from ftml.optim.lbfgs import lbfgs

            result = lbfgs(objective, max_iter=self.max_iter, tol=self.tol)
        else:
            result = gradient_descent(objective, step=1.0 / objective.smoothness(),
                                      max_iter=self.max_iter, tol=self.tol)
        self.coef_, self.intercept_ = objective.unpack(result.coef)
        self.classes_ = classes
        self.n_iter_ = int(result.n_iter)
        return self

    def _scores(self, X):
        """The class scores ``X @ coef_.T + intercept_``, of shape (n_samples, n_classes)."""
        check_is_fitted(self, ["coef_", "intercept_", "classes_"])
        X = validate_data(self, X, reset=False)
        return X @ self.coef_.T + self.intercept_

    def decision_function(self, X):
        """Class scores ``X @ coef_.T + intercept_``; with two classes, their difference.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        scores : ndarray of shape (n_samples, n_classes), or (n_samples,) with two classes
            With two classes, the score of ``classes_[1]`` minus that of ``classes_[0]``,
            the log-odds ``log(p_1 / p_0)``: positive where ``classes_[1]`` is predicted,
            as scikit-learn's binary classifiers.

        Raises
        ------
        NotFittedError
            If the estimator has not been fitted.
        ValueError
            If ``X`` is not a finite 2-D array with ``n_features_in_`` columns.
        """
        scores = self._scores(X)
        return scores[:, 1] - scores[:, 0] if self.classes_.shape[0] == 2 else scores

    def predict_proba(self, X):
        """Softmax of the scores, computed after subtracting each row's maximum.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Columns in the order of ``classes_``; each row sums to 1.
        """
        return np.exp(_log_softmax(self._scores(X)))

    def predict(self, X):
        """Predict the class of largest score (ties: the smallest class index).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
        """
        scores = self._scores(X)  # first: it raises NotFittedError before fit
        return self.classes_[np.argmax(scores, axis=1)]
