"""Least squares on the polynomials of one feature, in the Legendre or the monomial basis."""

from numbers import Integral

import numpy as np
from numpy.polynomial import legendre, polynomial, polyutils

from ftml.base import BaseEstimator, RegressorMixin
from ftml.linear_model._ols import svd_least_squares
from ftml.validation import Interval, Options, check_is_fitted, validate_data

__all__ = ["PolynomialRegression"]

#: The interval onto which the Legendre basis maps the training range, as numpy's
#: ``Legendre.fit`` (its ``window``): the Legendre polynomials are orthogonal on it.
WINDOW = (-1.0, 1.0)


def _affine_map(domain):
    """``(offset, scale)`` of the affine map from ``domain`` onto :data:`WINDOW`; a domain
    of a single point maps every ``x`` to the centre of the window."""
    low, high = domain
    if high > low:
        return polyutils.mapparms((low, high), WINDOW)
    return 0.0, 0.0


def _design(x, degree, basis, domain):
    """The basis functions of degree 0 to ``degree`` at ``x``: shape ``(n, degree + 1)``,
    column 0 being the constant 1."""
    if basis == "legendre":
        offset, scale = _affine_map(domain)
        return legendre.legvander(offset + scale * x, degree)
    return polynomial.polyvander(x, degree)


class PolynomialRegression(RegressorMixin, BaseEstimator):
    """Least squares on the polynomials of degree at most ``degree`` of one feature.

    The model is ``f(x) = sum_k coef_[k] B_k(x)`` for ``k = 0, ..., degree``, where the
    basis is

    - ``"legendre"``: ``B_k(x) = P_k(a x + b)``, the Legendre polynomial ``P_k`` after the
      affine map ``x -> a x + b`` that sends the training range ``domain_ = [min x, max x]``
      onto ``[-1, 1]`` (as ``numpy.polynomial.Legendre.fit`` does); ``predict`` applies
      the same map, also outside the training range;
    - ``"monomial"``: ``B_k(x) = x^k``, the plain powers (the model of scikit-learn's
      ``make_pipeline(PolynomialFeatures(degree), LinearRegression())``).

    Both span the same space, so in exact arithmetic they give the same predictions. In
    floating point they do not: on ``[-1, 1]`` the Legendre polynomials are orthogonal for
    the uniform measure, so for ``x`` spread over its range the design matrix stays well
    conditioned up to degree ~50 with a few hundred samples; the powers of ``x`` become
    nearly collinear, and their condition number grows exponentially with the degree (and
    with ``max |x|``). On the course's ``x`` uniform in ``[-5, 35]`` with 400 samples, the
    monomial design's condition number is ~1e7 at degree 5 and ~1e15 at degree 10: from
    degree ~9 the rank cut-off below drops directions, and the training error, which must
    decrease with the degree (the spaces are nested), increases instead; the Legendre
    design's stays below 10 up to degree 39.

    The constant ``B_0 = 1`` is the bias: its coefficient ``coef_[0]`` is not penalised.
    It is fitted by centring, as in :class:`OLS`: the other columns of the design and ``y``
    are centred, the centred problem is solved by the SVD
    (:func:`ftml.linear_model._ols.svd_least_squares`, with numpy ``lstsq``'s cut-off
    ``max(n, d) * eps * s_max`` for the singular values treated as zero), and
    ``coef_[0]`` is recovered from the means. When ``degree + 1 > n_samples``, or for
    repeated ``x``, the problem has many solutions and this gives the one whose
    ``coef_[1:]`` has the smallest Euclidean norm: a polynomial through the training data
    (if the ``x`` are distinct).

    Parameters
    ----------
    degree : int, default=1
        The largest degree, at least 0; ``degree=0`` predicts the mean of ``y``.
    basis : {"legendre", "monomial"}, default="legendre"
        The basis in which the least-squares problem is set and ``coef_`` expressed.

    Attributes
    ----------
    coef_ : ndarray of shape (degree + 1,)
        The coefficients in the basis, ``coef_[0]`` that of the constant; there is no
        separate ``intercept_``. ``numpy.polynomial.Legendre(coef_, domain=domain_)``
        (``"legendre"``) or ``numpy.polynomial.Polynomial(coef_)`` (``"monomial"``) is the
        fitted polynomial; ``.convert(kind=numpy.polynomial.Polynomial)`` gives the
        coefficients of the powers of ``x``.
    domain_ : ndarray of shape (2,)
        ``[min x, max x]`` over the training samples. The Legendre basis maps it onto
        ``[-1, 1]``; if it is a single point, the polynomial is the constant ``mean(y)``.
        The monomial basis does not use it.
    rank_ : int
        The numerical rank of the design matrix ``[B_0(x), ..., B_degree(x)]``: 1 plus that
        of its centred non-constant columns; at most ``min(n_samples, degree + 1)``, and at
        most the number of distinct ``x``.
    singular_values_ : ndarray of shape (min(n_samples, degree),)
        The singular values of the centred non-constant columns, decreasing: their ratio
        measures the conditioning of the basis.
    n_features_in_ : int
        Number of features seen in ``fit``, always 1.

    See Also
    --------
    OLS : Least squares on given features.
    ftml.preprocessing.PolynomialFeatures : The monomials of several features.

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
    (array([-5., 35.]), 3)
    >>> model.predict([[10.0], [50.0]]).round(9)  # the map holds outside [-5, 35] too
    array([ 445., -275.])
    >>> from numpy.polynomial import Legendre, Polynomial
    >>> fitted = Legendre(model.coef_, domain=model.domain_)
    >>> fitted.convert(kind=Polynomial).coef.round(9).tolist()
    [500.0, -3.0, -0.25]
    >>> PolynomialRegression(degree=2, basis="monomial").fit(x, y).coef_.round(9).tolist()
    [500.0, -3.0, -0.25]
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
        X : array-like of shape (n_samples, 1)
            The feature ``x``.
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
            If ``X`` has more than one feature; if ``X`` or ``y`` is empty, non-numeric or
            not finite, or their lengths differ; if, ``basis="monomial"``, a power of ``x``
            overflows float64.
        """
        self._validate_params()
        X, y = validate_data(self, X, y)
        if X.shape[1] != 1:
            raise ValueError(
                "PolynomialRegression fits a polynomial of one feature: X must have shape "
                f"(n_samples, 1), got {X.shape[1]} features (shape {X.shape}). For several "
                "features use ftml.preprocessing.PolynomialFeatures followed by OLS."
            )
        x = X[:, 0]
        domain = np.array([x.min(), x.max()])
        degree = self.degree
        if degree == 0 or domain[0] == domain[1]:
            # No basis function but the constant varies over the training x: the mean of y
            # is the fit, and coef_[1:] = 0 the solution of minimum norm.
            coef, rank = np.zeros(degree + 1), 1
            coef[0] = y.mean()
            singular_values = np.zeros(min(x.shape[0], degree))
        else:
            with np.errstate(over="ignore", invalid="ignore"):  # refused below, naming it
                design = _design(x, degree, self.basis, domain)[:, 1:]
                design_offset, y_offset = design.mean(axis=0), y.mean()
                centred = design - design_offset
            if not np.isfinite(centred).all():
                raise ValueError(
                    f"The powers of x up to degree {degree} overflow float64 (max |x| = "
                    f"{np.abs(x).max():.3g}): rescale x, or use basis='legendre', which maps "
                    "the training range onto [-1, 1]."
                )
            slopes, rank, singular_values = svd_least_squares(centred, y - y_offset)
            coef = np.concatenate([[y_offset - design_offset @ slopes], slopes])
            rank += 1
        self.coef_ = coef
        self.domain_ = domain
        self.rank_ = int(rank)
        self.singular_values_ = singular_values
        self._basis = self.basis  # what coef_ means, whatever set_params does later
        return self

    def predict(self, X):
        """Evaluate the fitted polynomial, applying the training map to ``x``.

        Parameters
        ----------
        X : array-like of shape (n_samples, 1)
            The feature ``x``, inside the training range or not.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)

        Raises
        ------
        NotFittedError
            If the estimator has not been fitted.
        ValueError
            If ``X`` is not a finite 2-D numeric array of one feature.
        """
        check_is_fitted(self, ["coef_", "domain_"])
        X = validate_data(self, X, reset=False)
        return _design(X[:, 0], self.coef_.shape[0] - 1, self._basis, self.domain_) @ self.coef_
