"""Preprocessing fitted on training data only, and the polynomial feature map."""

import itertools
from numbers import Integral

import numpy as np

from ftml.base import BaseEstimator, TransformerMixin
from ftml.validation import (
    Interval,
    check_finite_squared_norm,
    check_is_fitted,
    validate_data,
)

__all__ = ["PolynomialFeatures", "StandardScaler"]


class StandardScaler(TransformerMixin, BaseEstimator):
    """Centre each feature and scale it to unit variance, with statistics learned in ``fit``.

    Fit it on the training data only and apply the same transform to validation and test
    data: statistics computed on held-out data leak it into training.

    Parameters
    ----------
    with_mean : bool, default=True
        Subtract the training mean.
    with_std : bool, default=True
        Divide by the training standard deviation (a constant feature is left unscaled).

    Attributes
    ----------
    mean_ : ndarray of shape (n_features,)
    scale_ : ndarray of shape (n_features,)
    n_features_in_ : int

    Examples
    --------
    >>> scaler = StandardScaler().fit([[0.0, 10.0], [2.0, 30.0]])
    >>> scaler.transform([[1.0, 20.0]])
    array([[0., 0.]])
    """

    _parameter_constraints = {"with_mean": ["boolean"], "with_std": ["boolean"]}

    def __init__(self, *, with_mean=True, with_std=True):
        self.with_mean = with_mean
        self.with_std = with_std

    def fit(self, X, y=None):
        """Learn the mean and standard deviation of each feature of ``X``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            The training data.
        y : None
            Ignored; accepted for pipelines.

        Returns
        -------
        self : StandardScaler

        Raises
        ------
        InvalidParameterError
            If ``with_mean`` or ``with_std`` is not a bool.
        ValueError
            If ``X`` is not a finite, non-empty 2-D numeric array, or if, ``with_std``, its
            squared norm overflows float64 (the variances would be infinite; see
            :func:`ftml.validation.check_finite_squared_norm`).
        """
        self._validate_params()
        X = validate_data(self, X)
        if self.with_std:
            check_finite_squared_norm(X)
        self.mean_ = X.mean(axis=0) if self.with_mean else np.zeros(X.shape[1])
        scale = X.std(axis=0) if self.with_std else np.ones(X.shape[1])
        self.scale_ = np.where(scale > 0, scale, 1.0)
        return self

    def transform(self, X):
        """Standardise ``X`` with the statistics learned in ``fit``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        X_scaled : ndarray of shape (n_samples, n_features)

        Raises
        ------
        NotFittedError
            If the scaler has not been fitted.
        ValueError
            If ``X`` is not a finite 2-D numeric array with ``n_features_in_`` columns.
        """
        check_is_fitted(self, "mean_")
        X = validate_data(self, X, reset=False)
        return (X - self.mean_) / self.scale_


class PolynomialFeatures(TransformerMixin, BaseEstimator):
    """Map ``X`` to all its monomials of degree at most ``degree``, in scikit-learn's order.

    For features ``x_0, ..., x_(d-1)`` the output columns are the products
    ``x_i1 x_i2 ... x_ik`` over the multisets ``i1 <= i2 <= ... <= ik`` (the sets
    ``i1 < ... < ik`` if ``interaction_only``), by increasing degree ``k`` and, within a
    degree, in lexicographic order: for two features and degree 2, ``1, x0, x1, x0^2,
    x0 x1, x1^2``. There are ``binomial(d + degree, degree)`` of them (with the bias).
    Least squares on these features is polynomial regression; for one feature of high
    degree, :class:`ftml.linear_model.PolynomialRegression` with its Legendre basis is
    better conditioned.

    Parameters
    ----------
    degree : int, default=2
        The largest degree, at least 0.
    interaction_only : bool, default=False
        Keep only the products of distinct features (no ``x0^2``).
    include_bias : bool, default=True
        Include the monomial of degree 0, a column of ones.

    Attributes
    ----------
    powers_ : ndarray of shape (n_output_features_, n_features_in_)
        ``powers_[j, i]`` is the exponent of feature ``i`` in output column ``j``.
    n_output_features_ : int
        The number of output columns.
    n_features_in_ : int
        Number of features seen in ``fit``.

    See Also
    --------
    ftml.linear_model.PolynomialRegression : Least squares on the polynomials of one
        feature, in a well-conditioned basis.

    Notes
    -----
    ``degree`` is an int (scikit-learn also accepts a pair ``(min_degree, max_degree)``) and
    the output is dense and C-ordered. Each column is computed as scikit-learn computes it,
    the product of its first factor with the column of the remaining factors, so the values
    equal scikit-learn's. The output has ``n_output_features_`` columns of float64: memory
    grows as ``d^degree / degree!``.

    References
    ----------
    The course, chapter "Linear least-squares regression" (feature maps, polynomial
    regression). scikit-learn, ``sklearn.preprocessing.PolynomialFeatures``.

    Examples
    --------
    >>> import numpy as np
    >>> model = PolynomialFeatures(degree=2).fit([[2.0, 3.0]])
    >>> model.transform([[2.0, 3.0]])
    array([[1., 2., 3., 4., 6., 9.]])
    >>> model.get_feature_names_out()
    array(['1', 'x0', 'x1', 'x0^2', 'x0 x1', 'x1^2'], dtype=object)
    >>> PolynomialFeatures(degree=3, interaction_only=True, include_bias=False).fit(
    ...     np.zeros((1, 3))).get_feature_names_out(["a", "b", "c"]).tolist()
    ['a', 'b', 'c', 'a b', 'a c', 'b c', 'a b c']
    """

    _parameter_constraints = {
        "degree": [Interval(Integral, 0, None, closed="left")],
        "interaction_only": ["boolean"],
        "include_bias": ["boolean"],
    }

    def __init__(self, degree=2, *, interaction_only=False, include_bias=True):
        self.degree = degree
        self.interaction_only = interaction_only
        self.include_bias = include_bias

    def fit(self, X, y=None):
        """Compute the exponents of the output monomials for the features of ``X``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            The training data; only its number of features is used.
        y : None
            Ignored; accepted for pipelines.

        Returns
        -------
        self : PolynomialFeatures

        Raises
        ------
        InvalidParameterError
            If ``degree`` is not an int of at least 0, or ``interaction_only`` or
            ``include_bias`` is not a bool.
        ValueError
            If ``degree=0`` and ``include_bias=False`` (the output would have no column),
            or if ``X`` is not a finite, non-empty 2-D numeric array.
        """
        self._validate_params()
        X = validate_data(self, X)
        if self.degree == 0 and not self.include_bias:
            raise ValueError(
                "Setting degree to zero and include_bias to False would result in an empty "
                "output array: PolynomialFeatures needs degree >= 1 or include_bias=True."
            )
        n_features = X.shape[1]
        powers = [np.bincount(combination, minlength=n_features)
                  for combination in _combinations(n_features, self.degree,
                                                   self.interaction_only, self.include_bias)]
        self.powers_ = np.array(powers, dtype=np.intp).reshape(-1, n_features)
        self.n_output_features_ = self.powers_.shape[0]
        return self

    def transform(self, X):
        """Return the monomials of ``X``, one column per row of ``powers_``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        XP : ndarray of shape (n_samples, n_output_features_)

        Raises
        ------
        NotFittedError
            If the transformer has not been fitted.
        ValueError
            If ``X`` is not a finite 2-D numeric array with ``n_features_in_`` columns, or
            if a monomial overflows float64 (features of large magnitude raised to a high
            degree); rescale ``X`` first, for instance with :class:`StandardScaler`.
        """
        check_is_fitted(self, "powers_")
        X = validate_data(self, X, reset=False)
        combinations = [tuple(np.repeat(np.arange(X.shape[1]), row)) for row in self.powers_]
        column = {combination: j for j, combination in enumerate(combinations)}
        XP = np.empty((X.shape[0], len(combinations)))
        with np.errstate(over="ignore"):  # an overflow is refused below, naming it
            for j, combination in enumerate(combinations):
                if not combination:
                    XP[:, j] = 1.0
                elif len(combination) == 1:
                    XP[:, j] = X[:, combination[0]]
                else:  # the first factor times the column of the others, computed before
                    XP[:, j] = X[:, combination[0]] * XP[:, column[combination[1:]]]
        if not np.isfinite(XP).all():
            largest = float(np.abs(X).max())
            raise ValueError(
                f"PolynomialFeatures' output overflows float64: a monomial of degree at most "
                f"{self.degree} of X is infinite (X's largest absolute entry is "
                f"{largest:.3g}). Rescale X first, for instance with StandardScaler."
            )
        return XP

    def get_feature_names_out(self, input_features=None):
        """Name each output monomial, as scikit-learn does: ``"1"``, ``"x0"``, ``"x0^2"``,
        ``"x0 x1"``.

        Parameters
        ----------
        input_features : array-like of str, default=None
            The names of the input features; None is ``["x0", "x1", ...]``.

        Returns
        -------
        feature_names_out : ndarray of str objects of shape (n_output_features_,)

        Raises
        ------
        NotFittedError
            If the transformer has not been fitted.
        ValueError
            If ``input_features`` does not have ``n_features_in_`` names.
        """
        check_is_fitted(self, "powers_")
        if input_features is None:
            input_features = [f"x{i}" for i in range(self.n_features_in_)]
        input_features = np.asarray(input_features, dtype=object)
        if input_features.ndim != 1 or input_features.shape[0] != self.n_features_in_:
            raise ValueError(
                "input_features should have length equal to number of features "
                f"({self.n_features_in_}), got {np.size(input_features)}."
            )
        names = []
        for row in self.powers_:
            factors = [str(input_features[i]) if row[i] == 1 else f"{input_features[i]}^{row[i]}"
                       for i in np.flatnonzero(row)]
            names.append(" ".join(factors) if factors else "1")
        return np.asarray(names, dtype=object)


def _combinations(n_features, degree, interaction_only, include_bias):
    """The feature indices of each output monomial, by degree then lexicographically."""
    combine = (itertools.combinations if interaction_only
               else itertools.combinations_with_replacement)
    start = 0 if include_bias else 1
    return itertools.chain.from_iterable(combine(range(n_features), k)
                                         for k in range(start, degree + 1))
