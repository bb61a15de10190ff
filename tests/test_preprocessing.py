"""StandardScaler: the statistics of the training data, its checks and its transformer API.
PolynomialFeatures: scikit-learn's monomials, in its column order, with its names."""

from math import comb

import numpy as np
import pytest
import sklearn.preprocessing

from ftml.exceptions import InvalidParameterError
from ftml.preprocessing import PolynomialFeatures, StandardScaler

X = np.random.default_rng(0).normal(loc=[0.0, 5.0, -3.0], scale=[1.0, 10.0, 0.1],
                                    size=(30, 3))


def test_fit_transform_is_fit_then_transform():
    np.testing.assert_array_equal(StandardScaler().fit_transform(X),
                                  StandardScaler().fit(X).transform(X))
    np.testing.assert_array_equal(StandardScaler().fit_transform(X, np.zeros(30)),
                                  StandardScaler().fit(X).transform(X))  # y is ignored


@pytest.mark.parametrize("value", ["no", "False", 0, None])
def test_with_mean_and_with_std_must_be_bools(value):
    for name in ("with_mean", "with_std"):
        scaler = StandardScaler(**{name: value})  # __init__ only stores
        with pytest.raises(InvalidParameterError, match=f"The '{name}' parameter of "
                                                        "StandardScaler must be a bool"):
            scaler.fit(X)


def test_a_variance_that_overflows_is_refused_not_an_infinite_scale():
    with pytest.raises(ValueError, match="X's squared norm overflows float64"):
        StandardScaler().fit(X * 1e300)
    scaler = StandardScaler().fit(X * 1e150)  # large, but its variances are floats
    assert np.all(np.isfinite(scaler.scale_))
    np.testing.assert_allclose(scaler.transform(X * 1e150), StandardScaler().fit_transform(X))
    centred = StandardScaler(with_std=False).fit(X * 1e300)  # no variance: no overflow
    np.testing.assert_allclose(centred.mean_, X.mean(axis=0) * 1e300)


# --- PolynomialFeatures -----------------------------------------------------------------


# Degree 0 without the bias has no output column: see test_degree_zero_without_bias_is_refused.
POLYNOMIAL_CASES = [(degree, n_features, interaction_only, include_bias)
                    for degree in range(5) for n_features in range(1, 6)
                    for interaction_only in (False, True) for include_bias in (True, False)
                    if degree > 0 or include_bias]


@pytest.mark.parametrize("degree, n_features, interaction_only, include_bias", POLYNOMIAL_CASES)
def test_polynomial_features_equal_sklearn(degree, n_features, interaction_only, include_bias):
    rng = np.random.default_rng(degree * 10 + n_features)
    X = rng.uniform(-2.0, 2.0, (25, n_features))
    X_test = rng.uniform(-3.0, 3.0, (7, n_features))
    params = dict(degree=degree, interaction_only=interaction_only, include_bias=include_bias)
    ours = PolynomialFeatures(**params).fit(X)
    theirs = sklearn.preprocessing.PolynomialFeatures(**params).fit(X)
    np.testing.assert_array_equal(ours.powers_, theirs.powers_)
    assert ours.n_output_features_ == theirs.n_output_features_
    assert ours.n_features_in_ == theirs.n_features_in_ == n_features
    np.testing.assert_array_equal(ours.get_feature_names_out(), theirs.get_feature_names_out())
    names = [f"f{i}" for i in range(n_features)]
    np.testing.assert_array_equal(ours.get_feature_names_out(names),
                                  theirs.get_feature_names_out(names))
    for data in (X, X_test):
        np.testing.assert_allclose(ours.transform(data), theirs.transform(data), rtol=1e-12,
                                   atol=0)
    np.testing.assert_allclose(ours.fit_transform(X), theirs.fit_transform(X), rtol=1e-12)


@pytest.mark.parametrize("n_features, degree", [(1, 4), (3, 2), (5, 3)])
def test_the_columns_are_the_monomials_of_the_powers(n_features, degree):
    X = np.random.default_rng(0).standard_normal((10, n_features))
    model = PolynomialFeatures(degree).fit(X)
    expected = np.prod(X[:, None, :] ** model.powers_[None, :, :], axis=2)
    np.testing.assert_allclose(model.transform(X), expected, rtol=1e-13)
    assert model.n_output_features_ == comb(n_features + degree, degree)
    assert model.powers_.sum(axis=1).max() == degree
    degrees = model.powers_.sum(axis=1)
    assert np.all(np.diff(degrees) >= 0)  # by increasing degree
    only = PolynomialFeatures(degree, interaction_only=True, include_bias=False).fit(X)
    assert only.powers_.max() == 1
    assert only.n_output_features_ == sum(comb(n_features, k) for k in range(1, degree + 1))


def test_polynomial_feature_names():
    model = PolynomialFeatures(3).fit(np.zeros((1, 2)))
    assert model.get_feature_names_out(["a", "b"]).tolist() == [
        "1", "a", "b", "a^2", "a b", "b^2", "a^3", "a^2 b", "a b^2", "b^3"]
    names = model.get_feature_names_out()
    assert names.dtype == object and names[4] == "x0 x1"
    with pytest.raises(ValueError, match=r"input_features should have length equal to number "
                                         r"of features \(2\), got 3"):
        model.get_feature_names_out(["a", "b", "c"])


def test_degree_zero_without_bias_is_refused():
    with pytest.raises(ValueError, match="Setting degree to zero and include_bias to False "
                                         "would result in an empty output array"):
        PolynomialFeatures(0, include_bias=False).fit(X)
    np.testing.assert_array_equal(PolynomialFeatures(0).fit_transform(X), np.ones((30, 1)))


@pytest.mark.parametrize("degree", [-1, 2.0, "2", None])
def test_the_degree_must_be_a_non_negative_int(degree):
    with pytest.raises(InvalidParameterError, match=r"The 'degree' parameter of "
                                                    r"PolynomialFeatures must be an int in the "
                                                    r"range \[0, inf\)"):
        PolynomialFeatures(degree).fit(X)


def test_monomials_that_overflow_are_refused_naming_the_overflow():
    model = PolynomialFeatures(3).fit(X * 1e150)  # the fit reads only the shape
    with pytest.raises(ValueError, match="PolynomialFeatures' output overflows float64: a "
                                         "monomial of degree at most 3 of X is infinite"):
        model.transform(X * 1e150)
    np.testing.assert_allclose(PolynomialFeatures(2).fit_transform(X * 1e150)[:, 1:4],
                               X * 1e150)  # squares of 1e151 are finite


def test_polynomial_features_reject_the_wrong_number_of_features():
    model = PolynomialFeatures(2).fit(X)
    with pytest.raises(ValueError, match="X has 2 features, but PolynomialFeatures is "
                                         "expecting 3 features as input"):
        model.transform(X[:, :2])
