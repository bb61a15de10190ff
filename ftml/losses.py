"""Losses of a prediction ``z = x^T theta`` against a label ``y``, and the linear objective.

Every loss is written once, here. The scalar functions :func:`square_value`,
:func:`square_derivative`, :func:`logistic_value` and :func:`logistic_derivative` use only
numpy ufuncs, so they accept scalars and arrays alike and ``numba.njit`` compiles them
unchanged; the per-sample kernels of the stochastic solvers are built from them. The loss
classes wrap them with a name and a bound on the second derivative (``curvature``), and
:class:`LinearObjective` turns a loss into the regularised empirical risk that every solver
in :mod:`ftml.optim` minimises::

    F(theta) = (1/n) sum_i loss(x_i^T theta, y_i) + (alpha/2) ||theta_w||^2.

References
----------
The course, chapters "Linear least-squares regression" (square loss) and "Optimization for
machine learning" (logistic loss, smoothness and strong convexity of the empirical risk).
F. Bach, *Learning Theory from First Principles*, MIT Press, 2024, Chapters 4 and 5.
"""

import numbers

import numpy as np

from ftml.validation import check_finite_squared_norm, check_scalar, check_X_y

__all__ = [
    "AbsoluteLoss",
    "HingeLoss",
    "LOSSES",
    "LinearObjective",
    "LogisticLoss",
    "Loss",
    "SquareLoss",
    "ZeroOneLoss",
    "get_loss",
    "logistic_derivative",
    "logistic_second_derivative",
    "logistic_value",
    "square_derivative",
    "square_second_derivative",
    "square_value",
]


# --- Scalar functions: the single definition of each loss (numba-compilable) -------------


def square_value(z, y):
    """Square loss ``(z - y)^2 / 2``.

    Examples
    --------
    >>> square_value(3.0, 1.0)
    2.0
    """
    return 0.5 * (z - y) ** 2


def square_derivative(z, y):
    """Derivative of the square loss in ``z``: ``z - y``.

    Examples
    --------
    >>> square_derivative(3.0, 1.0)
    2.0
    """
    return z - y


def square_second_derivative(z, y):
    """Second derivative of the square loss in ``z``: 1 everywhere."""
    return np.ones_like(z - y)


def logistic_value(z, y):
    """Logistic loss ``log(1 + exp(-y z))``, computed as ``logaddexp(0, -y z)``.

    ``logaddexp`` neither overflows for large ``-y z`` (where the loss is ``-y z``) nor
    loses the small value ``exp(-y z)`` for large ``y z``.

    Examples
    --------
    >>> round(float(logistic_value(0.0, 1.0)), 12)  # log 2
    0.69314718056
    >>> float(logistic_value(-1000.0, 1.0))
    1000.0
    """
    return np.logaddexp(0.0, -y * z)


def logistic_derivative(z, y):
    """Derivative of the logistic loss in ``z``: ``-y / (1 + exp(y z)) = -y sigma(-y z)``.

    Computed as ``-y exp(-logaddexp(0, y z))``, which never overflows: for ``y z -> +inf``
    it tends to 0 without an overflow warning, for ``y z -> -inf`` to ``-y``.

    Examples
    --------
    >>> float(logistic_derivative(0.0, 1.0))
    -0.5
    >>> float(logistic_derivative(1000.0, 1.0)), float(logistic_derivative(-1000.0, 1.0))
    (-0.0, -1.0)
    """
    return -y * np.exp(-np.logaddexp(0.0, y * z))


def logistic_second_derivative(z, y):
    """Second derivative of the logistic loss in ``z``: ``sigma(y z) sigma(-y z)`` (``y^2 = 1``).

    Computed in log space so that neither factor is formed as ``1 - sigma``; at most 1/4.
    """
    t = y * z
    return np.exp(-np.logaddexp(0.0, t) - np.logaddexp(0.0, -t))


# --- Loss classes ------------------------------------------------------------------------


class Loss:
    """A loss ``ell(z, y)`` of a real prediction ``z`` against a label ``y``.

    Attributes
    ----------
    name : str
        The name accepted by :func:`get_loss`.
    curvature : float or None
        An upper bound on the second derivative ``d^2 ell / dz^2`` over all ``z`` and valid
        ``y``; None for losses that are not twice differentiable (evaluation-only losses).
    """

    name = None
    curvature = None

    def value(self, z, y):
        """Loss ``ell(z, y)``, elementwise over arrays."""
        raise NotImplementedError

    def derivative(self, z, y):
        """Derivative ``d ell / dz``, elementwise over arrays."""
        raise NotImplementedError(
            f"The {self.name!r} loss is for evaluation only and has no derivative; "
            "optimise the 'square' or 'logistic' loss."
        )

    def second_derivative(self, z, y):
        """Second derivative ``d^2 ell / dz^2``, elementwise over arrays."""
        raise NotImplementedError(
            f"The {self.name!r} loss is for evaluation only and has no second derivative; "
            "optimise the 'square' or 'logistic' loss."
        )

    @property
    def differentiable(self):
        """Whether the loss can be optimised (it has a derivative and a curvature bound)."""
        return self.curvature is not None

    def __repr__(self):
        return f"{type(self).__name__}()"

    def __eq__(self, other):
        return type(self) is type(other)

    def __hash__(self):
        return hash(type(self))


class SquareLoss(Loss):
    """Square loss ``(z - y)^2 / 2``, with derivative ``z - y`` and curvature 1.

    The factor 1/2 makes the derivative the residual. The mean of this loss is half the
    mean squared error, so ``(1/n) sum square + (alpha/2) ||theta||^2`` is half the course's
    ridge objective ``(1/n) ||X theta - y||^2 + alpha ||theta||^2`` and has the same minimiser.

    Examples
    --------
    >>> loss = SquareLoss()
    >>> loss.value(3.0, 1.0), loss.derivative(3.0, 1.0), loss.curvature
    (2.0, 2.0, 1.0)
    """

    name = "square"
    curvature = 1.0

    def value(self, z, y):
        """Loss ``(z - y)^2 / 2``, elementwise."""
        return square_value(z, y)

    def derivative(self, z, y):
        """Derivative ``z - y``, elementwise."""
        return square_derivative(z, y)

    def second_derivative(self, z, y):
        """Second derivative, 1 everywhere."""
        return square_second_derivative(z, y)


class LogisticLoss(Loss):
    """Logistic loss ``log(1 + exp(-y z))`` for labels ``y`` in {-1, +1}; curvature 1/4.

    Examples
    --------
    >>> loss = LogisticLoss()
    >>> float(loss.derivative(0.0, -1.0)), loss.curvature
    (0.5, 0.25)
    """

    name = "logistic"
    curvature = 0.25

    def value(self, z, y):
        """Loss ``log(1 + exp(-y z))``, elementwise, computed stably."""
        return logistic_value(z, y)

    def derivative(self, z, y):
        """Derivative ``-y / (1 + exp(y z))``, elementwise, computed stably."""
        return logistic_derivative(z, y)

    def second_derivative(self, z, y):
        """Second derivative ``sigma(y z) (1 - sigma(y z))``, elementwise."""
        return logistic_second_derivative(z, y)


class HingeLoss(Loss):
    """Hinge loss ``max(0, 1 - y z)`` (evaluation only), for labels in {-1, +1}.

    Examples
    --------
    >>> HingeLoss().value(np.array([-1.0, 0.5, 2.0]), 1.0)
    array([2. , 0.5, 0. ])
    """

    name = "hinge"

    def value(self, z, y):
        """Loss ``max(0, 1 - y z)``, elementwise."""
        return np.maximum(0.0, 1.0 - y * z)


class AbsoluteLoss(Loss):
    """Absolute loss ``|z - y|`` (evaluation only).

    Examples
    --------
    >>> AbsoluteLoss().value(np.array([0.0, 3.0]), 1.0)
    array([1., 2.])
    """

    name = "absolute"

    def value(self, z, y):
        """Loss ``|z - y|``, elementwise."""
        return np.abs(z - y)


class ZeroOneLoss(Loss):
    """Zero-one loss ``1[y z <= 0]`` (evaluation only), for labels in {-1, +1}.

    A zero prediction counts as an error.

    Examples
    --------
    >>> ZeroOneLoss().value(np.array([-1.0, 0.0, 2.0]), 1.0)
    array([1., 1., 0.])
    """

    name = "zero_one"

    def value(self, z, y):
        """Loss ``1[y z <= 0]`` as floats, elementwise."""
        return np.where(y * z <= 0, 1.0, 0.0)


_LOSSES = {
    cls.name: cls for cls in (SquareLoss, LogisticLoss, HingeLoss, AbsoluteLoss, ZeroOneLoss)
}
LOSSES = tuple(_LOSSES)
"""Names accepted by :func:`get_loss`."""


def get_loss(name):
    """Return a new instance of the loss called ``name``.

    Parameters
    ----------
    name : str or Loss
        One of :data:`LOSSES`; a :class:`Loss` instance is returned unchanged.

    Returns
    -------
    loss : Loss

    Raises
    ------
    TypeError
        If ``name`` is neither a string nor a :class:`Loss`.
    ValueError
        If ``name`` is not a known loss; the message lists the known names.

    Examples
    --------
    >>> get_loss("logistic")
    LogisticLoss()
    >>> get_loss("cubic")
    Traceback (most recent call last):
    ...
    ValueError: Unknown loss 'cubic'. Known losses are: square, logistic, hinge, absolute, zero_one.
    """
    if isinstance(name, Loss):
        return name
    if not isinstance(name, str):
        raise TypeError(
            f"loss must be a str or a Loss, got {name!r} of type {type(name).__name__}."
        )
    try:
        return _LOSSES[name]()
    except KeyError:
        raise ValueError(
            f"Unknown loss {name!r}. Known losses are: {', '.join(LOSSES)}."
        ) from None


# --- The objective every solver minimises ------------------------------------------------


class LinearObjective:
    """Regularised empirical risk of a linear predictor.

    ``F(theta) = (1/n) sum_i loss(x_i^T theta, y_i) + (alpha/2) ||theta_w||^2``,

    where ``theta_w`` is ``theta`` without its intercept. With ``fit_intercept=True``,
    ``theta`` has ``n_features + 1`` entries, the last being an *unpenalised* intercept: a
    column of ones is appended to ``X`` (the augmented matrix is ``X_``) and the penalty is
    weighted by ``penalty_mask_`` (ones, then a final zero). Each term ``f_i(theta) =
    loss(x_i^T theta, y_i) + (alpha/2) ||theta_w||^2`` has gradient
    ``d_i x_i + alpha * penalty_mask_ * theta`` with ``d_i`` from :meth:`sample_derivatives`.

    For the square loss (``(z - y)^2 / 2``), ``F`` is half the course's ridge objective
    ``(1/n) ||X theta - y||^2 + alpha ||theta||^2``: the same ``alpha`` gives the same
    minimiser as :class:`ftml.linear_model.Ridge`. For the logistic loss, ``F`` is
    scikit-learn's ``LogisticRegression`` objective divided by ``C n`` with
    ``C = 1 / (alpha n)``.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        The design matrix.
    y : array-like of shape (n_samples,)
        The targets; in {-1, +1} for the logistic loss.
    loss : str or Loss
        ``"square"`` or ``"logistic"`` (or an instance); evaluation-only losses are rejected.
    alpha : float, default=0.0
        Non-negative ridge penalty; note the factor 1/2 in ``(alpha/2) ||theta_w||^2``.
    fit_intercept : bool, default=False
        Append an unpenalised intercept as the last parameter.

    Attributes
    ----------
    X_ : ndarray of shape (n_samples, n_params)
        ``X``, with a final column of ones if ``fit_intercept``.
    y, y_ : ndarray of shape (n_samples,)
        The validated targets (two names for the same array).
    penalty_mask_ : ndarray of shape (n_params,)
        1.0 for penalised parameters, 0.0 for the intercept.
    loss : Loss
    alpha : float
    fit_intercept : bool
    n_samples : int
    n_params : int
        ``n_features + fit_intercept``.

    Raises
    ------
    TypeError
        If ``alpha`` is not a real number, ``fit_intercept`` not a bool, or ``loss`` neither
        a string nor a :class:`Loss`.
    ValueError
        If ``X`` or ``y`` fail :func:`ftml.validation.check_X_y`; if the squared norm of
        ``X`` overflows float64 (:func:`ftml.validation.check_finite_squared_norm`: the
        smoothness constant and the step sizes would be infinite or zero); if ``alpha`` is
        negative; if ``loss`` is unknown or evaluation-only; for the logistic loss, if
        ``y`` holds a value other than -1 and +1.

    References
    ----------
    The course, chapter "Optimization for machine learning" (smoothness and strong convexity
    of the empirical risk). F. Bach, *Learning Theory from First Principles*, Chapter 5.

    Examples
    --------
    >>> X = np.array([[1.0, 0.0], [0.0, 2.0]])
    >>> objective = LinearObjective(X, [1.0, 2.0], "square", alpha=0.5)
    >>> objective.value(np.zeros(2)), objective.gradient(np.zeros(2))
    (1.25, array([-0.5, -2. ]))
    >>> objective.smoothness(), objective.strong_convexity()
    (2.5, 1.0)
    """

    def __init__(self, X, y, loss, alpha=0.0, *, fit_intercept=False):
        X, y = check_X_y(X, y)
        check_finite_squared_norm(X)
        check_scalar(alpha, "alpha", numbers.Real, min_val=0.0)
        check_scalar(fit_intercept, "fit_intercept", (bool, np.bool_))
        loss = get_loss(loss)
        if not loss.differentiable:
            raise ValueError(
                f"loss {loss.name!r} is for evaluation only and cannot be optimised; "
                "use 'square' or 'logistic'."
            )
        if loss.name == "logistic":
            bad = ~np.isin(y, (-1.0, 1.0))
            if bad.any():
                raise ValueError(
                    "For the logistic loss y must hold only -1 and +1, got the value "
                    f"{float(y[bad][0])!r} at position {int(np.flatnonzero(bad)[0])} "
                    f"(distinct values {np.unique(y)[:5].tolist()})."
                )
        self.loss = loss
        self.alpha = float(alpha)
        self.fit_intercept = bool(fit_intercept)
        self.n_samples, n_features = X.shape
        if self.fit_intercept:
            X = np.hstack([X, np.ones((self.n_samples, 1))])
        self.X_ = np.ascontiguousarray(X)
        self.y = self.y_ = y
        self.n_params = self.X_.shape[1]
        self.penalty_mask_ = np.ones(self.n_params)
        if self.fit_intercept:
            self.penalty_mask_[-1] = 0.0
        self._eigenvalues = None

    def __repr__(self):
        return (
            f"LinearObjective(n_samples={self.n_samples}, n_params={self.n_params}, "
            f"loss={self.loss.name!r}, alpha={self.alpha!r}, "
            f"fit_intercept={self.fit_intercept})"
        )

    def _check_theta(self, theta):
        theta = np.asarray(theta, dtype=np.float64)
        if theta.shape != (self.n_params,):
            raise ValueError(
                f"theta must have shape ({self.n_params},), got shape {theta.shape}."
            )
        return theta

    def value(self, theta):
        """Objective ``F(theta)``.

        Parameters
        ----------
        theta : array-like of shape (n_params,)

        Returns
        -------
        value : float
        """
        theta = self._check_theta(theta)
        data = np.mean(self.loss.value(self.X_ @ theta, self.y_))
        return float(data + 0.5 * self.alpha * np.sum(self.penalty_mask_ * theta**2))

    def sample_derivatives(self, theta):
        """Loss derivatives ``d_i = ell'(x_i^T theta, y_i)``, one per sample.

        Parameters
        ----------
        theta : array-like of shape (n_params,)

        Returns
        -------
        derivatives : ndarray of shape (n_samples,)
            ``grad f_i(theta) = d_i x_i + alpha * penalty_mask_ * theta``.
        """
        theta = self._check_theta(theta)
        return self.loss.derivative(self.X_ @ theta, self.y_)

    def gradient(self, theta):
        """Gradient ``(1/n) X_^T d + alpha * penalty_mask_ * theta``.

        Parameters
        ----------
        theta : array-like of shape (n_params,)

        Returns
        -------
        gradient : ndarray of shape (n_params,)
        """
        theta = self._check_theta(theta)
        d = self.loss.derivative(self.X_ @ theta, self.y_)
        return self.X_.T @ d / self.n_samples + self.alpha * self.penalty_mask_ * theta

    def value_and_gradient(self, theta):
        """``(F(theta), grad F(theta))`` sharing one product ``X_ @ theta``.

        Parameters
        ----------
        theta : array-like of shape (n_params,)

        Returns
        -------
        value : float
        gradient : ndarray of shape (n_params,)
        """
        theta = self._check_theta(theta)
        z = self.X_ @ theta
        penalised = self.penalty_mask_ * theta
        value = np.mean(self.loss.value(z, self.y_)) + 0.5 * self.alpha * penalised @ theta
        d = self.loss.derivative(z, self.y_)
        return float(value), self.X_.T @ d / self.n_samples + self.alpha * penalised

    def hessian_vector_product(self, theta, vector):
        """Product of the Hessian at ``theta`` with ``vector``, without forming the Hessian.

        Parameters
        ----------
        theta : array-like of shape (n_params,)
        vector : array-like of shape (n_params,)

        Returns
        -------
        product : ndarray of shape (n_params,)
            ``(1/n) X_^T (ell'' * (X_ vector)) + alpha * penalty_mask_ * vector``.
        """
        theta = self._check_theta(theta)
        vector = self._check_theta(vector)
        weights = self.loss.second_derivative(self.X_ @ theta, self.y_)
        return (
            self.X_.T @ (weights * (self.X_ @ vector)) / self.n_samples
            + self.alpha * self.penalty_mask_ * vector
        )

    def hessian(self, theta):
        """Hessian ``(1/n) X_^T diag(ell''(x_i^T theta, y_i)) X_ + alpha diag(penalty_mask_)``.

        Exact for the square and logistic losses.

        Parameters
        ----------
        theta : array-like of shape (n_params,)

        Returns
        -------
        hessian : ndarray of shape (n_params, n_params)
        """
        theta = self._check_theta(theta)
        weights = self.loss.second_derivative(self.X_ @ theta, self.y_)
        hessian = (self.X_.T * weights) @ self.X_ / self.n_samples
        hessian[np.diag_indices_from(hessian)] += self.alpha * self.penalty_mask_
        return hessian

    def _bound_eigenvalues(self):
        # Eigenvalues (ascending) of the Hessian upper bound
        # M = curvature * X_^T X_ / n + alpha * diag(penalty_mask_); computed once.
        if self._eigenvalues is None:
            bound = self.loss.curvature * (self.X_.T @ self.X_) / self.n_samples
            bound[np.diag_indices_from(bound)] += self.alpha * self.penalty_mask_
            self._eigenvalues = np.linalg.eigvalsh(bound)
        return self._eigenvalues

    def smoothness(self):
        """Smoothness constant ``L``: a Lipschitz constant of the gradient.

        ``L = lambda_max(curvature * X_^T X_ / n + alpha * diag(penalty_mask_))``, which
        bounds every Hessian. Without an intercept it equals
        ``curvature * lambda_max(X^T X / n) + alpha``; with one it is at most that. For the
        square loss it is the exact largest Hessian eigenvalue.

        Returns
        -------
        L : float
        """
        return float(self._bound_eigenvalues()[-1])

    def sample_smoothness(self):
        """Smoothness constants ``L_i = curvature * ||x_i||^2 + alpha`` of each ``f_i``.

        ``x_i`` is the augmented row (it includes the intercept's 1).

        Returns
        -------
        L_i : ndarray of shape (n_samples,)
        """
        return self.loss.curvature * np.einsum("ij,ij->i", self.X_, self.X_) + self.alpha

    def strong_convexity(self):
        """Strong-convexity constant ``mu``: a lower bound on every Hessian eigenvalue.

        For the square loss the Hessian is constant and ``mu`` is its smallest eigenvalue,
        ``lambda_min(X_^T X_ / n + alpha * diag(penalty_mask_))`` (``curvature`` is 1); it is
        0 when that matrix is singular, for instance ``alpha = 0`` and ``n_features >=
        n_samples``. For the logistic loss, whose curvature vanishes far from the data, the
        only global lower bound is the penalty's: ``alpha`` without an intercept, 0 with one
        (the intercept is unpenalised).

        Returns
        -------
        mu : float
            Non-negative; eigenvalues below ``n_params * eps * L`` count as 0.
        """
        if self.loss.name == "square":
            eigenvalues = self._bound_eigenvalues()
            mu = float(eigenvalues[0])
            cut_off = self.n_params * np.finfo(np.float64).eps * float(eigenvalues[-1])
            return mu if mu > cut_off else 0.0
        return float(self.alpha * self.penalty_mask_.min())

    def condition_number(self):
        """``kappa = L / mu``, infinite when ``mu = 0``.

        Returns
        -------
        kappa : float
        """
        mu = self.strong_convexity()
        return self.smoothness() / mu if mu > 0 else float("inf")
