"""PCA: scikit-learn's attributes and signs, the identities of the SVD, its checks, and
scikit-learn's estimator checks."""


import numpy as np
import pytest
import sklearn.decomposition

from ftml.base import clone
from ftml.decomposition import PCA, pca_svd
from ftml.exceptions import InvalidParameterError, NotFittedError

ATTRIBUTES = ["components_", "explained_variance_", "explained_variance_ratio_",
              "singular_values_", "mean_"]
SHAPES = [(60, 5), (200, 12), (9, 25), (30, 30), (40, 1)]


def _data(shape, seed=0):
    """Correlated features of distinct scales and a non-zero mean."""
    rng = np.random.default_rng(seed)
    n_samples, n_features = shape
    mixing = rng.standard_normal((n_features, n_features)) * np.geomspace(1, 0.1, n_features)
    return rng.standard_normal(shape) @ mixing + rng.uniform(-5, 5, n_features)


def _rank(shape):
    """The rank of the centred data of _data: the centring removes one dimension."""
    return min(shape[0] - 1, shape[1])


def _assert_relative(actual, expected, rtol=1e-10):
    """Entries equal to ``rtol`` relative to the array's largest entry (a near-zero entry
    of a component has no relative precision of its own)."""
    expected = np.asarray(expected)
    scale = np.max(np.abs(expected)) if expected.size else 1.0
    np.testing.assert_allclose(actual, expected, rtol=0, atol=rtol * scale)


def _n_components_cases():
    cases = []
    for shape in SHAPES:
        rank = _rank(shape)
        for n_components in (None, 1, rank, 0.5, 0.9, 0.99):
            for whiten in (False, True):
                cases.append((shape, n_components, whiten))
    return cases


@pytest.mark.parametrize("shape, n_components, whiten", _n_components_cases())
def test_every_attribute_equals_sklearn_s_signs_included(shape, n_components, whiten):
    X = _data(shape)
    X_test = _data((7, shape[1]), seed=1)
    ours = PCA(n_components, whiten=whiten).fit(X)
    theirs = sklearn.decomposition.PCA(n_components, whiten=whiten, svd_solver="full").fit(X)
    assert ours.n_components_ == theirs.n_components_
    assert ours.n_samples_ == theirs.n_samples_ == shape[0]
    assert ours.n_features_in_ == theirs.n_features_in_ == shape[1]
    k = min(ours.n_components_, _rank(shape))  # beyond the rank, the axes are arbitrary
    for name in ATTRIBUTES:
        ours_value, theirs_value = getattr(ours, name), getattr(theirs, name)
        assert ours_value.shape == theirs_value.shape, name
        if name == "components_":
            ours_value, theirs_value = ours_value[:k], theirs_value[:k]
        _assert_relative(ours_value, theirs_value)
    np.testing.assert_allclose(ours.noise_variance_, theirs.noise_variance_, rtol=1e-10,
                               atol=1e-10 * theirs.explained_variance_[0])
    if whiten and ours.n_components_ > k:
        return  # a whitened null direction is rounding noise divided by epsilon
    for data in (X, X_test):
        _assert_relative(ours.transform(data)[:, :k], theirs.transform(data)[:, :k])
    _assert_relative(ours.fit_transform(X)[:, :k], theirs.fit_transform(X)[:, :k])
    codes = theirs.transform(X_test)
    _assert_relative(ours.inverse_transform(codes), theirs.inverse_transform(codes))


@pytest.mark.parametrize("shape", [(60, 5), (200, 12), (30, 30)])
def test_the_log_likelihood_equals_sklearn_s(shape):
    X, X_test = _data(shape), _data((7, shape[1]), seed=1)
    for n_components in (1, 3, 0.9):
        ours = PCA(n_components).fit(X)
        theirs = sklearn.decomposition.PCA(n_components, svd_solver="full").fit(X)
        np.testing.assert_allclose(ours.score_samples(X_test), theirs.score_samples(X_test),
                                   rtol=1e-10)
        np.testing.assert_allclose(ours.score(X), theirs.score(X), rtol=1e-10)


def test_the_log_likelihood_does_not_depend_on_whitening():
    X = _data((60, 5))
    np.testing.assert_allclose(PCA(2, whiten=True).fit(X).score_samples(X),
                               PCA(2).fit(X).score_samples(X), rtol=1e-12)


def test_the_log_likelihood_of_a_singular_model_is_refused():
    X = _data((9, 25))  # min(9, 25) components, all kept: no noise beyond them
    model = PCA().fit(X)
    assert model.noise_variance_ == 0.0
    with pytest.raises(ValueError, match="covariance is singular"):
        model.score_samples(X)
    assert np.isfinite(PCA(3).fit(X).score_samples(X)).all()  # noise_variance_ > 0


@pytest.mark.parametrize("shape", SHAPES)
def test_the_ratios_are_the_covariance_eigenvalues_over_its_trace(shape):
    X = _data(shape)
    model = PCA().fit(X)
    covariance = np.atleast_2d(np.cov(X, rowvar=False, ddof=1))
    eigenvalues = np.linalg.eigvalsh(covariance)[::-1][:model.n_components_]
    _assert_relative(model.explained_variance_, eigenvalues)
    _assert_relative(model.explained_variance_ratio_, eigenvalues / np.trace(covariance))
    _assert_relative(model.singular_values_**2 / (shape[0] - 1), model.explained_variance_)
    np.testing.assert_allclose(model.components_ @ model.components_.T,
                               np.eye(model.n_components_), atol=1e-12)


@pytest.mark.parametrize("shape", SHAPES)
def test_the_retained_ratio_is_one_minus_the_reconstruction_error(shape):
    X = _data(shape)
    total = ((X - X.mean(axis=0)) ** 2).sum()
    for n_components in range(1, min(shape) + 1):
        model = PCA(n_components).fit(X)
        error = ((X - model.inverse_transform(model.transform(X))) ** 2).sum()
        np.testing.assert_allclose(model.explained_variance_ratio_.sum(), 1 - error / total,
                                   rtol=0, atol=1e-12)
        # noise_variance_ is the mean of the discarded eigenvalues
        discarded = min(shape) - n_components
        expected = error / (shape[0] - 1) / discarded if discarded else 0.0
        np.testing.assert_allclose(model.noise_variance_, expected, rtol=1e-9, atol=1e-14)


@pytest.mark.parametrize("shape", [(60, 5), (200, 12), (9, 25)])
def test_whitened_output_has_the_identity_covariance(shape):
    X = _data(shape)
    k = min(4, _rank(shape))
    Z = PCA(k, whiten=True).fit_transform(X)
    np.testing.assert_allclose(np.cov(Z, rowvar=False, ddof=1), np.eye(k), atol=1e-10)
    np.testing.assert_allclose(Z.mean(axis=0), 0.0, atol=1e-12)
    model = PCA(k, whiten=True).fit(X)
    np.testing.assert_allclose(model.transform(X), Z, atol=1e-10)
    np.testing.assert_allclose(model.inverse_transform(Z), PCA(k).fit(X).inverse_transform(
        PCA(k).fit_transform(X)), atol=1e-10)


def test_the_float_rule_keeps_the_fewest_components_strictly_above_the_threshold():
    X = _data((200, 12))
    ratio = PCA().fit(X).explained_variance_ratio_
    cumulative = np.cumsum(ratio)
    for threshold in [0.05, 0.3, 0.5, 0.8, 0.95, 0.999, *cumulative[:-1]]:
        k = PCA(float(threshold)).fit(X).n_components_
        assert cumulative[k - 1] > threshold
        assert k == 1 or cumulative[k - 2] <= threshold
        assert k == sklearn.decomposition.PCA(float(threshold), svd_solver="full").fit(
            X).n_components_
    # A threshold equal to a cumulative ratio is not exceeded by it: one more component.
    exact = float(cumulative[2])
    assert PCA(exact).fit(X).n_components_ == 4


def test_the_sign_makes_each_component_s_largest_entry_positive():
    X = _data((60, 5))
    mean, U, s, Vt = pca_svd(X)
    largest = Vt[np.arange(5), np.argmax(np.abs(Vt), axis=1)]
    assert np.all(largest > 0)
    np.testing.assert_allclose(U * s @ Vt + mean, X, atol=1e-12)
    # Flipping the data's sign flips the scores, not the axes.
    np.testing.assert_allclose(PCA().fit(-X).components_, PCA().fit(X).components_,
                               atol=1e-12)


def test_a_constant_feature_gives_a_direction_of_zero_variance():
    X = _data((50, 4))
    X[:, 2] = 3.0
    model = PCA().fit(X)
    theirs = sklearn.decomposition.PCA(svd_solver="full").fit(X)
    assert model.explained_variance_[-1] < 1e-25 * model.explained_variance_[0]
    np.testing.assert_allclose(np.abs(model.components_[-1]), [0, 0, 1, 0], atol=1e-12)
    _assert_relative(model.components_[:3], theirs.components_[:3])
    _assert_relative(model.explained_variance_ratio_, theirs.explained_variance_ratio_)
    assert np.all(np.abs(model.components_[:3, 2]) < 1e-12)


@pytest.mark.parametrize("X, n_samples", [(np.full((5, 3), 2.0), 5),
                                          (np.array([[1.0, 2.0, 3.0]]), 1)])
def test_data_without_variance_are_refused_naming_the_shape(X, n_samples):
    label = "sample" if n_samples == 1 else "samples"
    message = (f"all 3 feature\\(s\\) of X are constant over its {n_samples} {label}, so the "
               "total variance is 0 and explained_variance_ratio_ is undefined")
    with pytest.raises(ValueError, match=message):
        PCA().fit(X)


@pytest.mark.parametrize("shape, n_components", [((10, 3), 4), ((3, 10), 4), ((5, 5), 6)])
def test_more_components_than_min_n_samples_n_features_are_refused(shape, n_components):
    message = (rf"n_components={n_components} must be at most min\(n_samples, n_features\)="
               rf"{min(shape)}: X has {shape[0]} sample\(s\) and {shape[1]} feature\(s\)")
    with pytest.raises(ValueError, match=message):
        PCA(n_components).fit(_data(shape))
    PCA(min(shape)).fit(_data(shape))  # the largest allowed


@pytest.mark.parametrize("value", [0, -1, 1.0, 0.0, 1.5, True, "mle", "2", np.nan])
def test_n_components_must_be_none_a_positive_int_or_a_float_in_0_1(value):
    model = PCA(n_components=value)  # __init__ only stores
    with pytest.raises(InvalidParameterError, match="The 'n_components' parameter of PCA must "
                                                    "be an int in the range \\[1, inf\\), a "
                                                    "float in the range \\(0.0, 1.0\\) or None"):
        model.fit(_data((10, 3)))
    assert not [key for key in vars(model) if key.endswith("_")]


@pytest.mark.parametrize("value", [1, "yes", None])
def test_whiten_must_be_a_bool(value):
    with pytest.raises(InvalidParameterError, match="The 'whiten' parameter of PCA must be a "
                                                    "bool"):
        PCA(whiten=value).fit(_data((10, 3)))


def test_bad_data_and_unfitted_models_are_refused():
    X = _data((20, 4))
    for method in ("transform", "inverse_transform", "score_samples", "score"):
        with pytest.raises(NotFittedError):
            getattr(PCA(), method)(X)
    with pytest.raises(ValueError, match="NaN"):
        PCA().fit(np.where(X > 1, np.nan, X))
    with pytest.raises(ValueError, match="2-D"):
        PCA().fit(X[:, 0])
    model = PCA(2).fit(X)
    with pytest.raises(ValueError, match="features"):
        model.transform(X[:, :3])
    with pytest.raises(ValueError, match="X has 4 columns, but PCA has 2 components"):
        model.inverse_transform(X)
    with pytest.raises(ValueError, match="X's squared norm overflows float64"):
        PCA().fit(X * 1e300)
    offset = PCA().fit(X * 1e150 + 1e155)  # ||X||^2 overflows, not the centred ||X - mean||^2
    _assert_relative(offset.explained_variance_ratio_, PCA().fit(X).explained_variance_ratio_,
                     rtol=1e-6)


def test_fit_returns_self_clone_and_repr():
    model = PCA(0.9, whiten=True)
    assert model.fit(_data((20, 4))) is model
    assert repr(model) == "PCA(n_components=0.9, whiten=True)"
    copy = clone(model)
    assert copy.get_params() == model.get_params()
    assert not hasattr(copy, "components_")


# scikit-learn's estimator checks run on it with every ftml estimator: it is in
# ESTIMATORS of tests/test_common.py, which tests/test_sklearn_compatibility.py checks.
