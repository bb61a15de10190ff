"""PolynomialRegression against scikit-learn, numpy and the theory of least squares.

On well-scaled data (x in [-1, 1] or standard normal), of one feature and degrees up to 6
or of two or three features and degrees up to 3, both bases give the predictions of
scikit-learn's ``make_pipeline(PolynomialFeatures(k), LinearRegression())``. Not on the
course's x in [-5, 35] beyond degree 4: there the monomial design's condition number
exceeds 1e6, and scikit-learn 1.9's LinearRegression cuts singular values below
``tol * s_max`` with its default ``tol=1e-6`` (its ``cond`` for scipy's ``lstsq``), so the
pipeline is no longer the least-squares fit; ftml's two bases, cut at numpy's
``max(n, d) * eps``, still agree with each other there.

For one feature, ``domain_`` has shape (1, 2): ``domain_[0]`` is numpy's ``domain``.

The course's setting is nlehir/FTML ``tp_01``: x uniform on [-5, 35], f*(x) = -3x - (x/2)^2
+ 500, Gaussian noise of standard deviation 10, 400 training points.
"""

import math
import pickle

import numpy as np
import pytest
import sklearn.base
import sklearn.linear_model
import sklearn.model_selection
import sklearn.pipeline
import sklearn.preprocessing
from numpy.polynomial import Legendre, Polynomial, chebyshev

from ftml.exceptions import InvalidParameterError, NotFittedError
from ftml.linear_model import OLS, PolynomialRegression
from ftml.preprocessing import PolynomialFeatures

BASES = ["legendre", "monomial"]
SIGMA = 10.0
TRUE_COEF = np.array([500.0, -3.0, -0.25])  # f*(x) = 500 - 3x - x^2 / 4


def course_data(n_samples=400, seed=0):
    """nlehir/FTML tp_01: x ~ U[-5, 35], y = f*(x) + N(0, 10^2)."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(-5.0, 35.0, n_samples)
    return x.reshape(-1, 1), Polynomial(TRUE_COEF)(x) + SIGMA * rng.standard_normal(n_samples)


def well_scaled_data(kind, n_samples=60, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1.0, 1.0, n_samples) if kind == "uniform" else rng.standard_normal(
        n_samples)
    y = np.sin(3.0 * x) + 0.5 * x ** 3 + 0.1 * rng.standard_normal(n_samples)
    return x.reshape(-1, 1), y


def training_mse(model, X, y):
    return float(np.mean((model.predict(X) - y) ** 2))


# --- Against scikit-learn and numpy -----------------------------------------------------


@pytest.mark.parametrize("kind", ["uniform", "normal"])
@pytest.mark.parametrize("basis", BASES)
@pytest.mark.parametrize("degree", range(7))
def test_predictions_equal_sklearn_s_polynomial_pipeline(degree, basis, kind):
    X, y = well_scaled_data(kind)
    X_test = np.linspace(X.min() - 0.5, X.max() + 0.5, 50).reshape(-1, 1)  # and beyond
    ours = PolynomialRegression(degree, basis=basis).fit(X, y)
    theirs = sklearn.pipeline.make_pipeline(sklearn.preprocessing.PolynomialFeatures(degree),
                                            sklearn.linear_model.LinearRegression()).fit(X, y)
    np.testing.assert_allclose(ours.predict(X), theirs.predict(X), rtol=1e-8, atol=1e-12)
    np.testing.assert_allclose(ours.predict(X_test), theirs.predict(X_test), rtol=1e-8,
                               atol=1e-12)
    if basis == "monomial":  # the same coefficients: scikit-learn's bias column is zero
        linear = theirs[-1]
        np.testing.assert_allclose(ours.coef_[1:], linear.coef_[1:], rtol=1e-8, atol=1e-10)
        assert ours.coef_[0] == pytest.approx(linear.intercept_, rel=1e-8, abs=1e-10)
    assert ours.rank_ == degree + 1 and ours.coef_.shape == (degree + 1,)


@pytest.mark.parametrize("degree", [1, 2, 10, 25, 39])
def test_legendre_coefficients_and_domain_equal_numpy_s_legendre_fit(degree):
    X, y = course_data()
    ours = PolynomialRegression(degree).fit(X, y)
    theirs = Legendre.fit(X[:, 0], y, degree)
    np.testing.assert_array_equal(ours.domain_[0], theirs.domain)
    np.testing.assert_allclose(ours.coef_, theirs.coef, rtol=0,
                               atol=1e-12 * np.abs(theirs.coef).max())
    X_test = np.linspace(-10.0, 40.0, 101).reshape(-1, 1)  # beyond the training range too
    np.testing.assert_allclose(ours.predict(X_test), theirs(X_test[:, 0]), rtol=1e-10)
    fitted = Legendre(ours.coef_, domain=ours.domain_[0])  # what coef_ and domain_ mean
    np.testing.assert_allclose(fitted(X_test[:, 0]), ours.predict(X_test), rtol=1e-12)


def test_the_monomial_basis_equals_polynomial_features_and_ols():
    X, y = well_scaled_data("normal")
    ours = PolynomialRegression(5, basis="monomial").fit(X, y)
    features = PolynomialFeatures(5, include_bias=False).fit(X)
    ols = OLS().fit(features.transform(X), y)
    np.testing.assert_allclose(ours.coef_, np.r_[ols.intercept_, ols.coef_], rtol=1e-12)
    np.testing.assert_allclose(Polynomial(ours.coef_)(X[:, 0]), ours.predict(X), rtol=1e-12)


# --- The course's setting (nlehir/FTML tp_01) -------------------------------------------


def test_legendre_training_error_is_non_increasing_in_the_degree():
    """The spaces of degree <= k are nested, so the least-squares training error cannot
    increase with k: the Legendre basis keeps this to rounding up to degree 39."""
    X, y = course_data()
    errors = [training_mse(PolynomialRegression(degree).fit(X, y), X, y)
              for degree in range(40)]
    steps = np.diff(errors) / np.array(errors[:-1])
    assert steps.max() <= 1e-9, (int(np.argmax(steps)), steps.max())
    assert errors[2] < 0.2 * errors[1]  # the quadratic term matters: degree 2 leaves...
    assert 0.8 * SIGMA ** 2 < errors[2] < 1.2 * SIGMA ** 2  # ... about the noise...
    assert errors[39] > 0.8 * SIGMA ** 2  # ... which degree 39 << n does not fit away


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_degree_two_recovers_the_coefficients_of_f_star(seed):
    X, y = course_data(seed=seed)
    model = PolynomialRegression(2).fit(X, y)
    coef = Legendre(model.coef_, domain=model.domain_[0]).convert(kind=Polynomial).coef
    design = np.vander(X[:, 0], 3, increasing=True)
    standard_errors = SIGMA * np.sqrt(np.diag(np.linalg.inv(design.T @ design)))
    assert np.all(np.abs(coef - TRUE_COEF) <= 5 * standard_errors), (coef - TRUE_COEF) / \
        standard_errors
    monomial = PolynomialRegression(2, basis="monomial").fit(X, y)
    np.testing.assert_allclose(monomial.coef_, coef, rtol=1e-9)


def test_the_monomial_basis_is_ill_conditioned_as_documented():
    """On x in [-5, 35] the monomial design's condition number is ~1e7 at degree 5 and
    ~1e15 at degree 10, the Legendre design's below 10 up to degree 39; the monomial
    training error increases from degree ~9, which least squares on nested spaces cannot
    do."""
    X, y = course_data()

    def condition(model):
        return model.singular_values_[0] / model.singular_values_[-1]

    legendre = [PolynomialRegression(degree).fit(X, y) for degree in range(1, 40)]
    assert max(condition(model) for model in legendre) < 10
    assert all(model.rank_ == model.degree + 1 for model in legendre)
    monomial = {degree: PolynomialRegression(degree, basis="monomial").fit(X, y)
                for degree in range(1, 16)}
    assert 1e6 < condition(monomial[5]) < 1e8 and condition(monomial[10]) > 1e14
    assert monomial[15].rank_ < 16
    errors = [training_mse(monomial[degree], X, y) for degree in range(1, 16)]
    assert max(np.diff(errors[8:])) > 0.1 * errors[8]  # an increase, of more than 10%
    np.testing.assert_allclose(errors[:7], [training_mse(model, X, y) for model in legendre[:7]],
                               rtol=1e-6)  # where both are accurate, they agree


# --- Interpolation and the minimum-norm solution ----------------------------------------


@pytest.mark.parametrize("n_samples", [10, 40, 80])
def test_degree_at_least_n_minus_one_interpolates_the_training_data(n_samples):
    """At Chebyshev points (distinct, well spread) the interpolation problem is well
    conditioned, and the fit passes through the data to rounding; beyond n - 1 the
    minimum-norm solution still does."""
    x = 15.0 + 20.0 * chebyshev.chebpts1(n_samples)
    y = Polynomial(TRUE_COEF)(x) + SIGMA * np.random.default_rng(0).standard_normal(n_samples)
    X = x.reshape(-1, 1)
    for degree in (n_samples - 1, n_samples, 2 * n_samples, 200):
        model = PolynomialRegression(degree).fit(X, y)
        assert model.rank_ == n_samples
        np.testing.assert_allclose(model.predict(X), y, rtol=0, atol=1e-12 * np.abs(y).max())


@pytest.mark.parametrize("seed", range(5))
def test_random_points_are_interpolated_too(seed):
    X, y = course_data(n_samples=12, seed=seed)
    for degree in (11, 12, 30, 100):
        model = PolynomialRegression(degree).fit(X, y)
        np.testing.assert_allclose(model.predict(X), y, rtol=0, atol=1e-11 * np.abs(y).max())


@pytest.mark.parametrize("basis", BASES)
def test_more_coefficients_than_samples_give_the_minimum_norm_solution(basis):
    """Among the interpolating polynomials, coef_[1:] is the one of least norm: the
    pseudo-inverse of the centred design applied to the centred targets."""
    X, y = well_scaled_data("uniform", n_samples=8)
    degree = 12 if basis == "monomial" else 30
    model = PolynomialRegression(degree, basis=basis).fit(X, y)
    if basis == "legendre":
        offset, scale = np.polynomial.polyutils.mapparms(model.domain_[0], (-1.0, 1.0))
        design = np.polynomial.legendre.legvander(offset + scale * X[:, 0], degree)
    else:
        design = np.vander(X[:, 0], degree + 1, increasing=True)
    columns = design[:, 1:]
    centred = columns - columns.mean(axis=0)
    slopes = np.linalg.pinv(centred) @ (y - y.mean())
    np.testing.assert_allclose(model.coef_[1:], slopes, rtol=1e-8, atol=1e-10)
    assert model.coef_[0] == pytest.approx(y.mean() - columns.mean(axis=0) @ slopes)
    assert model.rank_ == 8 and model.singular_values_.shape == (8,)


# --- The map onto [-1, 1] ---------------------------------------------------------------


@pytest.mark.parametrize("degree", [2, 10, 39])
@pytest.mark.parametrize("scale, shift", [(1.0, 1e3), (1.0, -1e4), (-0.01, 7.0), (1e5, 0.0)])
def test_legendre_fit_is_affine_invariant(degree, scale, shift):
    """Fitted on x or on a x + c, it predicts the same at the same points."""
    X, y = course_data()
    X_test = np.linspace(-8.0, 38.0, 47).reshape(-1, 1)
    on_x = PolynomialRegression(degree).fit(X, y)
    on_moved = PolynomialRegression(degree).fit(scale * X + shift, y)
    np.testing.assert_allclose(on_moved.predict(scale * X + shift), on_x.predict(X),
                               rtol=1e-9)
    np.testing.assert_allclose(on_moved.predict(scale * X_test + shift), on_x.predict(X_test),
                               rtol=1e-9)
    np.testing.assert_allclose(np.sort(on_moved.domain_), np.sort(scale * on_x.domain_ + shift),
                               rtol=1e-15)


def test_predict_applies_the_training_map_outside_the_training_range():
    X, y = course_data()
    model = PolynomialRegression(2).fit(X, y)
    far = np.array([[-100.0], [0.0], [200.0]])
    coef = Legendre(model.coef_, domain=model.domain_[0]).convert(kind=Polynomial).coef
    np.testing.assert_allclose(model.predict(far), Polynomial(coef)(far[:, 0]), rtol=1e-10)
    refit = PolynomialRegression(2).fit(X[:200], y[:200])  # another range, another map
    assert not np.array_equal(refit.domain_, model.domain_)
    np.testing.assert_allclose(refit.predict(far), model.predict(far), rtol=0.1)


# --- Several features -------------------------------------------------------------------


def several_features_data(n_features, kind="uniform", n_samples=80, seed=0):
    """Well-scaled features (uniform on [-1, 1] or standard normal) and a smooth target that
    is no polynomial, plus noise."""
    rng = np.random.default_rng(seed)
    shape = (n_samples, n_features)
    X = rng.uniform(-1.0, 1.0, shape) if kind == "uniform" else rng.standard_normal(shape)
    y = np.sin(X @ np.linspace(1.0, 2.0, n_features)) + X[:, 0] ** 2 * X[:, -1]
    return X, y + 0.1 * rng.standard_normal(n_samples)


@pytest.mark.parametrize("kind", ["uniform", "normal"])
@pytest.mark.parametrize("basis", BASES)
@pytest.mark.parametrize("degree", range(4))
@pytest.mark.parametrize("n_features", [2, 3])
def test_several_features_equal_sklearn_s_polynomial_pipeline(n_features, degree, basis, kind):
    X, y = several_features_data(n_features, kind)
    X_test = several_features_data(n_features, kind, n_samples=50, seed=1)[0] * 1.5  # beyond
    ours = PolynomialRegression(degree, basis=basis).fit(X, y)
    theirs = sklearn.pipeline.make_pipeline(sklearn.preprocessing.PolynomialFeatures(degree),
                                            sklearn.linear_model.LinearRegression()).fit(X, y)
    np.testing.assert_allclose(ours.predict(X), theirs.predict(X), rtol=1e-8, atol=1e-12)
    np.testing.assert_allclose(ours.predict(X_test), theirs.predict(X_test), rtol=1e-8,
                               atol=1e-12)
    n_basis = theirs[0].n_output_features_
    np.testing.assert_array_equal(ours.powers_, theirs[0].powers_)  # the same column order
    if basis == "monomial":  # the same coefficients: scikit-learn's bias column is zero
        linear = theirs[-1]
        np.testing.assert_allclose(ours.coef_[1:], linear.coef_[1:], rtol=1e-8, atol=1e-10)
        assert ours.coef_[0] == pytest.approx(linear.intercept_, rel=1e-8, abs=1e-10)
    assert ours.rank_ == n_basis and ours.coef_.shape == (n_basis,)
    assert ours.domain_.shape == (n_features, 2) and ours.n_features_in_ == n_features


@pytest.mark.parametrize("degree", range(6))
def test_both_bases_agree_on_features_of_different_ranges(degree):
    """The same space in two bases: the same least-squares predictions, inside and outside
    the training box, where the monomial design is still well enough conditioned."""
    rng = np.random.default_rng(0)
    X = np.column_stack([rng.uniform(0.0, 3.0, 200), rng.uniform(-2.0, -1.0, 200)])
    y = np.exp(X[:, 0] / 3.0) * np.cos(X[:, 1]) + 0.05 * rng.standard_normal(200)
    X_test = np.column_stack([rng.uniform(-1.0, 4.0, 30), rng.uniform(-3.0, 0.0, 30)])
    legendre = PolynomialRegression(degree).fit(X, y)
    monomial = PolynomialRegression(degree, basis="monomial").fit(X, y)
    for points in (X, X_test):
        np.testing.assert_allclose(legendre.predict(points), monomial.predict(points),
                                   rtol=1e-8, atol=1e-10)
    np.testing.assert_array_equal(legendre.powers_, monomial.powers_)


def test_two_features_training_error_is_non_increasing_in_the_degree():
    """The spaces of total degree <= k are nested in k, for several features too."""
    rng = np.random.default_rng(0)
    X = np.column_stack([rng.uniform(-5.0, 35.0, 400), rng.standard_normal(400)])
    y = (Polynomial(TRUE_COEF)(X[:, 0]) * np.tanh(X[:, 1]) + 50.0 * np.sin(X[:, 0] / 4.0)
         + SIGMA * rng.standard_normal(400))
    errors = [training_mse(PolynomialRegression(degree).fit(X, y), X, y)
              for degree in range(13)]  # up to binomial(14, 2) = 91 functions << 400
    steps = np.diff(errors) / np.array(errors[:-1])
    assert steps.max() <= 1e-9, (int(np.argmax(steps)), steps.max())
    assert errors[-1] < 0.5 * errors[1]


def test_legendre_products_stay_well_conditioned_on_a_box():
    """Features spread over a box: the products of Legendre polynomials are orthogonal on
    [-1, 1]^2, so the design's condition number stays below 20 up to degree 12 (91
    functions), while the monomial design loses rank from degree 8."""
    rng = np.random.default_rng(0)
    X = np.column_stack([rng.uniform(-5.0, 35.0, 2000), rng.uniform(0.0, 1.0, 2000)])
    y = np.sin(X[:, 0] / 5.0) + X[:, 1] ** 2 + 0.1 * rng.standard_normal(2000)
    for degree in (2, 5, 8, 12):
        legendre = PolynomialRegression(degree).fit(X, y)
        values = legendre.singular_values_
        assert legendre.rank_ == legendre.powers_.shape[0] and values[0] / values[-1] < 20
    monomial = PolynomialRegression(8, basis="monomial").fit(X, y)
    assert monomial.rank_ < monomial.powers_.shape[0]


@pytest.mark.parametrize("degree", [2, 5])
@pytest.mark.parametrize("scale, shift", [
    ([1.0, 1.0, 1.0], [1e3, -1e4, 0.0]),
    ([-0.01, 1e5, 3.0], [7.0, 0.0, -2.0]),
    ([1e-3, -1.0, 1e4], [-10.0, 1e2, 1e6]),
])
def test_legendre_fit_is_invariant_to_moving_each_feature(degree, scale, shift):
    """Fitted on x or on a_j x_j + c_j, feature by feature, it predicts the same at the same
    points: each feature's range is mapped onto [-1, 1]. (Only the rounding of a_j x_j + c_j
    differs, of relative size |c_j / a_j| eps on the range of x_j: here at most 1e4 eps.)"""
    X, y = several_features_data(3, n_samples=200)
    X_test = several_features_data(3, n_samples=40, seed=1)[0] * 1.3
    scale, shift = np.array(scale), np.array(shift)
    on_x = PolynomialRegression(degree).fit(X, y)
    on_moved = PolynomialRegression(degree).fit(scale * X + shift, y)
    for points in (X, X_test):
        np.testing.assert_allclose(on_moved.predict(scale * points + shift),
                                   on_x.predict(points), rtol=1e-9, atol=1e-10)
    np.testing.assert_allclose(np.sort(on_moved.domain_, axis=1),
                               np.sort(scale[:, None] * on_x.domain_ + shift[:, None], axis=1),
                               rtol=1e-15)


@pytest.mark.parametrize("n_features", [1, 2, 3, 5])
@pytest.mark.parametrize("degree", [0, 1, 2, 4])
def test_the_number_of_basis_functions_is_d_plus_k_choose_k(n_features, degree):
    X, y = several_features_data(n_features, n_samples=5)
    model = PolynomialRegression(degree).fit(X, y)
    n_basis = math.comb(n_features + degree, degree)
    assert model.powers_.shape == (n_basis, n_features) and model.coef_.shape == (n_basis,)
    assert np.unique(model.powers_, axis=0).shape[0] == n_basis  # distinct multi-indices...
    assert model.powers_.min() >= 0 and model.powers_.sum(axis=1).max() == degree  # |a| <= k
    np.testing.assert_array_equal(model.powers_, PolynomialFeatures(degree).fit(X).powers_)
    assert model.singular_values_.shape == (min(5, n_basis - 1),)


@pytest.mark.parametrize("basis", BASES)
def test_a_duplicated_feature_gives_the_one_feature_fit(basis):
    """The polynomials of total degree <= k in (x, x) are those of degree <= k in x: the
    design is rank-deficient and the minimum-norm solution predicts as the one-feature
    fit."""
    X, y = well_scaled_data("uniform")
    X_test = np.linspace(-1.5, 1.5, 31).reshape(-1, 1)
    for degree in range(5):
        single = PolynomialRegression(degree, basis=basis).fit(X, y)
        double = PolynomialRegression(degree, basis=basis).fit(np.hstack([X, X]), y)
        assert double.rank_ == degree + 1
        np.testing.assert_allclose(double.predict(np.hstack([X_test, X_test])),
                                   single.predict(X_test), rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("basis, value", [
    ("legendre", 0.0), ("legendre", 3.7), ("legendre", -1e6),
    ("monomial", 0.0), ("monomial", 3.7),  # not -1e6: its powers would swamp the others'
])
def test_a_constant_feature_gives_the_fit_on_the_others(basis, value):
    """A constant feature adds no function to the space (the Legendre basis maps it to 0,
    its monomials are multiples of the others): the predictions are those of the fit on
    the other features; the Legendre basis gives them wherever the constant feature is at
    prediction time."""
    X, y = several_features_data(2)
    with_constant = np.insert(X, 1, value, axis=1)
    for degree in range(4):
        others = PolynomialRegression(degree, basis=basis).fit(X, y)
        model = PolynomialRegression(degree, basis=basis).fit(with_constant, y)
        assert model.rank_ == others.rank_
        np.testing.assert_array_equal(model.domain_[1], [value, value])
        np.testing.assert_allclose(model.predict(with_constant), others.predict(X), rtol=1e-9,
                                   atol=1e-12)
        if basis == "legendre":  # the map sends the constant feature to 0, anywhere
            np.testing.assert_allclose(model.predict(np.insert(X, 1, value + 5.0, axis=1)),
                                       others.predict(X), rtol=1e-9, atol=1e-12)


# --- Degenerate cases -------------------------------------------------------------------


@pytest.mark.parametrize("basis", BASES)
def test_degree_zero_and_constant_x_predict_the_mean(basis):
    X, y = course_data(n_samples=30)
    model = PolynomialRegression(0, basis=basis).fit(X, y)
    np.testing.assert_allclose(model.predict(X), np.full(30, y.mean()), rtol=1e-14)
    assert model.rank_ == 1 and model.coef_.shape == (1,) and model.singular_values_.size == 0
    for X_constant in (np.full((30, 1), 0.1), np.full((1, 1), 3.0)):
        y_constant = y[:X_constant.shape[0]]
        model = PolynomialRegression(5, basis=basis).fit(X_constant, y_constant)
        np.testing.assert_array_equal(model.coef_[1:], 0.0)
        np.testing.assert_allclose(model.predict([[0.1], [50.0]]), y_constant.mean(),
                                   rtol=1e-14)
        assert model.rank_ == 1 and model.domain_[0, 0] == model.domain_[0, 1]


def test_the_fitted_basis_is_kept_when_the_parameters_change_after_fit():
    X, y = course_data()
    model = PolynomialRegression(3).fit(X, y)
    expected = model.predict(X)
    model.set_params(basis="monomial", degree=7)  # takes effect at the next fit
    np.testing.assert_array_equal(model.predict(X), expected)


# --- Bad input --------------------------------------------------------------------------


@pytest.mark.parametrize("degree", [-1, 1.5, "2", True])
def test_degree_must_be_a_non_negative_int(degree):
    X, y = course_data(n_samples=10)
    with pytest.raises(InvalidParameterError, match=r"The 'degree' parameter of "
                                                    r"PolynomialRegression must be an int in "
                                                    r"the range \[0, inf\)"):
        PolynomialRegression(degree).fit(X, y)


def test_an_unknown_basis_is_refused_naming_the_known_ones():
    X, y = course_data(n_samples=10)
    with pytest.raises(InvalidParameterError, match=r"The 'basis' parameter of "
                                                    r"PolynomialRegression must be a str among "
                                                    r"\{'legendre', 'monomial'\}. Got "
                                                    r"'chebyshev' instead"):
        PolynomialRegression(basis="chebyshev").fit(X, y)


def test_powers_that_overflow_are_refused_naming_the_overflow():
    X, y = course_data(n_samples=10)
    with pytest.raises(ValueError, match=r"The powers of x up to degree 3 overflow float64 "
                                         r".*use basis='legendre'"):
        PolynomialRegression(3, basis="monomial").fit(X * 1e110, y)
    legendre = PolynomialRegression(3).fit(X * 1e110, y)  # maps the range onto [-1, 1]
    np.testing.assert_allclose(legendre.predict(X * 1e110),
                               PolynomialRegression(3).fit(X, y).predict(X), rtol=1e-9)


def test_predict_before_fit_raises_not_fitted():
    with pytest.raises(NotFittedError, match="This PolynomialRegression instance is not "
                                             "fitted yet"):
        PolynomialRegression().predict([[1.0]])


# --- scikit-learn's tooling -------------------------------------------------------------


def test_sklearn_grid_search_over_the_degree_finds_the_true_degree():
    """Cross-validated search over the degree recovers f*'s degree 2 (check_estimator, in
    tests/test_sklearn_compatibility.py, covers the rest of the contract)."""
    X, y = course_data()
    folds = sklearn.model_selection.KFold(5, shuffle=True, random_state=0)
    search = sklearn.model_selection.GridSearchCV(
        PolynomialRegression(), {"degree": list(range(8))}, cv=folds,
        scoring="neg_mean_squared_error").fit(X, y)
    assert search.best_params_ == {"degree": 2}
    scores = sklearn.model_selection.cross_val_score(PolynomialRegression(2), X, y, cv=folds)
    manual = [PolynomialRegression(2).fit(X[train], y[train]).score(X[test], y[test])
              for train, test in folds.split(X)]
    np.testing.assert_allclose(scores, manual, rtol=1e-12)


def test_clone_and_pickle_keep_parameters_and_predictions():
    X, y = course_data()
    model = PolynomialRegression(6, basis="monomial").fit(X, y)
    copy = sklearn.base.clone(model)
    assert copy.get_params() == {"degree": 6, "basis": "monomial"}
    assert not hasattr(copy, "coef_")
    restored = pickle.loads(pickle.dumps(model))
    np.testing.assert_array_equal(restored.predict(X), model.predict(X))
    assert repr(model) == "PolynomialRegression(basis='monomial', degree=6)"
