"""Least squares on the polynomials of several features, in the Legendre or the monomial
basis."""

from numbers import Integral

import numpy as np
from numpy.polynomial import legendre, polyutils

from ftml.base import BaseEstimator, RegressorMixin
from ftml.linear_model._ols import svd_least_squares
from ftml.preprocessing import PolynomialFeatures
from ftml.validation import Interval, Options, check_is_fitted, validate_data

__all__ = ["PolynomialRegression"]

#: The interval onto which the Legendre basis maps the training range, as numpy's
#: ``Legendre.fit`` (its ``window``): the Legendre polynomials are orthogonal on it.
WINDOW = (-1.0, 1.0)


def _affine_maps(domain):
    """``(offset, scale)``, each of shape ``(n_features,)``, of the affine maps from the rows
    of ``domain`` onto :data:`WINDOW`; a domain of a single point maps every ``x`` to the
    centre of the window, 0."""
    offset, scale = np.zeros(domain.shape[0]), np.zeros(domain.shape[0])
    for j, (low, high) in enumerate(domain):
        if high > low:
            offset[j], scale[j] = polyutils.mapparms((low, high), WINDOW)
    return offset, scale


def _design(X, basis, domain, monomials):
    """The basis functions at ``X``, one column per row of ``monomials.powers_``, column 0
    being the constant 1: shape ``(n_samples, n_output_features)``.

    ``monomials`` is the fitted :class:`ftml.preprocessing.PolynomialFeatures` whose
    ``powers_`` are the multi-indices; ``X`` is validated."""
    powers = monomials.powers_
    degree = int(powers.sum(axis=1).max())
    if basis == "legendre":
        offset, scale = _affine_maps(domain)
        # vander[:, j, k] = L_k(mapped x_j): the product of one column of it per feature
        # is the basis function of a multi-index.
        vander = legendre.legvander(offset + scale * X, degree)
        design = np.ones((X.shape[0], powers.shape[0]))
        for j in range(X.shape[1]):
            design *= vander[:, j, powers[:, j]]
        return design
    try:
        return monomials.transform(X)
    except ValueError as error:  # X is validated: the only error left is the overflow
        raise _overflow_error(X, degree) from error


def _overflow_error(X, degree):
    return ValueError(
        f"The powers of x up to degree {degree} overflow float64 (max |x| = "
        f"{np.abs(X).max():.3g} over the {X.shape[1]} feature(s)): rescale x, or use "
        "basis='legendre', which maps the training range of each feature onto [-1, 1]."
    )


class PolynomialRegression(RegressorMixin, BaseEstimator):
    """Least squares on the polynomials of total degree at most ``degree`` of the features.

    The model is ``f(x) = sum_alpha coef_[alpha] B_alpha(x)`` over the multi-indices
    ``alpha = (alpha_1, ..., alpha_d)`` of ``powers_``, those with ``|alpha| = alpha_1 + ...
    + alpha_d <= degree``, in the order of scikit-learn's ``PolynomialFeatures(degree)``
    (by increasing total degree, then lexicographically: for two features and degree 2,
    ``1, x_1, x_2, x_1^2, x_1 x_2, x_2^2``). The basis is

    - ``"legendre"``: ``B_alpha(x) = prod_j P_alpha_j(a_j x_j + b_j)``, a product of
      Legendre polynomials ``P_k`` after the affine map ``x_j -> a_j x_j + b_j`` that sends
      the training range ``domain_[j] = [min x_j, max x_j]`` of each feature onto
      ``[-1, 1]`` (as ``numpy.polynomial.Legendre.fit`` does for one feature); ``predict``
      applies the same maps, also outside the training ranges. A constant feature is
      mapped to 0, so that its factors are the constants ``P_k(0)``;
    - ``"monomial"``: ``B_alpha(x) = prod_j x_j^alpha_j``, the monomials of
      :class:`ftml.preprocessing.PolynomialFeatures` (the model of scikit-learn's
      ``make_pipeline(PolynomialFeatures(degree), LinearRegression())``).

    Both span the same space, the polynomials of total degree at most ``degree``, so in
    exact arithmetic they give the same predictions. In floating point they do not: on
    ``[-1, 1]`` the Legendre polynomials are orthogonal for the uniform measure, so for
    ``x`` spread over its range the design matrix stays well conditioned up to degree ~50
    with a few hundred samples; the powers of ``x`` become nearly collinear, and their
    condition number grows exponentially with the degree (and with ``max |x|``). On the
    course's ``x`` uniform in ``[-5, 35]`` with 400 samples, the monomial design's condition
    number is ~1e7 at degree 5 and ~1e15 at degree 10: from degree ~9 the rank cut-off below
    drops directions, and the training error, which must decrease with the degree (the
    spaces are nested), increases instead; the Legendre design's stays below 10 up to
    degree 39. For several features, see the Notes.

    The constant ``B_0 = 1`` is the bias: its coefficient ``coef_[0]`` is not penalised.
    It is fitted by centring, as in :class:`OLS`: the other columns of the design and ``y``
    are centred, the centred problem is solved by the SVD
    (:func:`ftml.linear_model._ols.svd_least_squares`, with numpy ``lstsq``'s cut-off
    ``max(n, p) * eps * s_max`` for the singular values treated as zero), and
    ``coef_[0]`` is recovered from the means. When there are more basis functions than
    samples, or the samples do not determine a polynomial (repeated ``x``, a constant
    feature, points on an algebraic curve), the problem has many solutions and this gives
    the one whose ``coef_[1:]`` has the smallest Euclidean norm: for one feature, a
    polynomial through the training data (if the ``x`` are distinct).

    Parameters
    ----------
    degree : int, default=1
        The largest total degree, at least 0; ``degree=0`` predicts the mean of ``y``.
    basis : {"legendre", "monomial"}, default="legendre"
        The basis in which the least-squares problem is set and ``coef_`` expressed.

    Attributes
    ----------
    coef_ : ndarray of shape (n_output_features,)
        The coefficients in the basis, one per row of ``powers_``, ``coef_[0]`` that of the
        constant; there is no separate ``intercept_``. For one feature,
        ``numpy.polynomial.Legendre(coef_, domain=domain_[0])`` (``"legendre"``) or
        ``numpy.polynomial.Polynomial(coef_)`` (``"monomial"``) is the fitted polynomial;
        ``.convert(kind=numpy.polynomial.Polynomial)`` gives the coefficients of the powers
        of ``x``.
    powers_ : ndarray of shape (n_output_features, n_features)
        The multi-indices: ``powers_[c, j]`` is the degree in feature ``j`` of basis
        function ``c``, as ``ftml.preprocessing.PolynomialFeatures(degree).powers_``.
        ``n_output_features = binomial(n_features + degree, degree)``.
    domain_ : ndarray of shape (n_features, 2)
        ``domain_[j] = [min x_j, max x_j]`` over the training samples. The Legendre basis
        maps it onto ``[-1, 1]``, or, if it is a single point, maps the feature to 0; if
        every feature is constant, the polynomial is the constant ``mean(y)``. The monomial
        basis does not use it.
    rank_ : int
        The numerical rank of the design matrix ``[B_alpha(x)]``: 1 plus that of its
        centred non-constant columns; at most ``min(n_samples, n_output_features)``.
    singular_values_ : ndarray of shape (min(n_samples, n_output_features - 1),)
        The singular values of the centred non-constant columns, decreasing: their ratio
        measures the conditioning of the basis.
    n_features_in_ : int
        Number of features seen in ``fit``.

    See Also
    --------
    OLS : Least squares on given features.
    ftml.preprocessing.PolynomialFeatures : The monomials of several features.

    Notes
    -----
    There are ``p = binomial(d + degree, degree)`` basis functions for ``d`` features,
    which grows as ``d^degree / degree!`` for a fixed degree and as ``degree^d / d!`` for a
    fixed ``d``; the design matrix has ``p`` columns, and its SVD costs
    ``O(n_samples p min(n_samples, p))``. Beyond ``p > n_samples`` the fit interpolates
    (when the samples allow it) and is the minimum-norm one.

    The products of Legendre polynomials are orthogonal for the uniform measure on the box
    ``[-1, 1]^d``, so for features spread over their box the design stays well conditioned:
    for two features uniform on their ranges and 2000 samples, its condition number is
    below 20 up to degree 12 (91 functions), where the monomials of ``x_1`` in
    ``[-5, 35]`` lose rank from degree 8. No basis makes dependent features well
    conditioned: for points near a curve of the box, the polynomials of the full space are
    nearly determined by their values on the curve, and the SVD cut-off drops the
    directions that the data do not see.

    References
    ----------
    The course, chapter "Linear least-squares regression" (polynomial regression, the
    overfitting of high degrees); its first practical session (nlehir/FTML, ``tp_01``).
    L. N. Trefethen, *Approximation Theory and Approximation Practice*, SIAM, 2013
    (Legendre and Chebyshev bases against monomials). numpy,
    ``numpy.polynomial.Legendre.fit``.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.linspace(-5.0, 35.0, 9).reshape(-1, 1)
    >>> y = 500.0 - 3.0 * x[:, 0] - (x[:, 0] / 2.0) ** 2
    >>> model = PolynomialRegression(degree=2).fit(x, y)
    >>> model.domain_, model.rank_
    (array([[-5., 35.]]), 3)
    >>> model.predict([[10.0], [50.0]]).round(9)  # the map holds outside [-5, 35] too
    array([ 445., -275.])
    >>> from numpy.polynomial import Legendre, Polynomial
    >>> fitted = Legendre(model.coef_, domain=model.domain_[0])
    >>> fitted.convert(kind=Polynomial).coef.round(9).tolist()
    [500.0, -3.0, -0.25]
    >>> PolynomialRegression(degree=2, basis="monomial").fit(x, y).coef_.round(9).tolist()
    [500.0, -3.0, -0.25]

    Two features, degree 2: six basis functions, and a quadratic recovered exactly.

    >>> rng = np.random.default_rng(0)
    >>> X = rng.uniform(-1.0, 3.0, (20, 2))
    >>> y = 1.0 + 2.0 * X[:, 0] - X[:, 0] * X[:, 1] + 0.5 * X[:, 1] ** 2
    >>> model = PolynomialRegression(degree=2).fit(X, y)
    >>> model.powers_.tolist()
    [[0, 0], [1, 0], [0, 1], [2, 0], [1, 1], [0, 2]]
    >>> model.domain_.shape, model.rank_
    ((2, 2), 6)
    >>> model.predict([[0.0, 0.0], [1.0, 2.0], [5.0, -4.0]]).round(9)
    array([ 1.,  3., 39.])
    >>> monomial = PolynomialRegression(degree=2, basis="monomial").fit(X, y)
    >>> np.allclose(monomial.coef_, [1.0, 2.0, 0.0, 0.0, -1.0, 0.5])  # in powers_' order
    True
    """

    _parameter_constraints = {
        "degree": [Interval(Integral, 0, None, closed="left")],
        "basis": [Options(str, ("legendre", "monomial"))],
    }

    def __init__(self, degree=1, *, basis="legendre"):
        self.degree = degree
        self.basis = basis

    def fit(self, X, y):
        """Fit the least-squares polynomial.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            The features ``x_1, ..., x_d``.
        y : array-like of shape (n_samples,)
            The targets.

        Returns
        -------
        self : PolynomialRegression
            The fitted estimator.

        Raises
        ------
        InvalidParameterError
            If ``degree`` is not an int of at least 0 or ``basis`` is unknown; it is both a
            ValueError and a TypeError.
        ValueError
            If ``X`` or ``y`` is empty, non-numeric or not finite, or their lengths differ;
            if, ``basis="monomial"``, a monomial of ``X`` overflows float64.
        """
        self._validate_params()
        X, y = validate_data(self, X, y)
        degree = self.degree
        monomials = PolynomialFeatures(degree).fit(X)
        n_basis = monomials.powers_.shape[0]
        domain = np.stack([X.min(axis=0), X.max(axis=0)], axis=1)
        if degree == 0 or np.all(domain[:, 0] == domain[:, 1]):
            # No basis function but the constant varies over the training X: the mean of y
            # is the fit, and coef_[1:] = 0 the solution of minimum norm.
            coef, rank = np.zeros(n_basis), 1
            coef[0] = y.mean()
            singular_values = np.zeros(min(X.shape[0], n_basis - 1))
        else:
            design = _design(X, self.basis, domain, monomials)[:, 1:]
            with np.errstate(over="ignore", invalid="ignore"):  # refused below, naming it
                design_offset, y_offset = design.mean(axis=0), y.mean()
                centred = design - design_offset
            if not np.isfinite(centred).all():
                raise _overflow_error(X, degree)
            # A column constant over the samples (of a constant feature, or L_2 at the two
            # ends of the window) is zero once centred, but the mean of equal floats need
            # not equal them: the rounding left would be a direction the SVD could keep.
            centred[:, (design == design[0]).all(axis=0)] = 0.0
            slopes, rank, singular_values = svd_least_squares(centred, y - y_offset)
            coef = np.concatenate([[y_offset - design_offset @ slopes], slopes])
            rank += 1
        self.coef_ = coef
        self.powers_ = monomials.powers_
        self.domain_ = domain
        self.rank_ = int(rank)
        self.singular_values_ = singular_values
        # What coef_ means, whatever set_params does later.
        self._basis, self._monomials = self.basis, monomials
        return self

    def predict(self, X):
        """Evaluate the fitted polynomial, applying the training maps to ``X``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            The features, inside the training ranges or not.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)

        Raises
        ------
        NotFittedError
            If the estimator has not been fitted.
        ValueError
            If ``X`` is not a finite 2-D numeric array of ``n_features_in_`` features; if,
            ``basis="monomial"``, a monomial of ``X`` overflows float64.
        """
        check_is_fitted(self, ["coef_", "domain_"])
        X = validate_data(self, X, reset=False)
        return _design(X, self._basis, self.domain_, self._monomials) @ self.coef_
