"""GaussianMixture: EM against scikit-learn's from the same start, its monotonicity, its
densities against scipy's, the information criteria, and scikit-learn's estimator checks.

scikit-learn starts from the same state when it is given the weights and precisions that
ftml estimates from ``means_init`` (each sample assigned to its nearest initial mean): see
``_same_start``.
"""

import warnings

import numpy as np
import pytest
from scipy.stats import multivariate_normal
from sklearn.datasets import make_blobs
from sklearn.mixture import GaussianMixture as SklearnGaussianMixture

from ftml.base import clone
from ftml.exceptions import ConvergenceWarning, InvalidParameterError, NotFittedError
from ftml.mixture import GaussianMixture

COVARIANCE_TYPES = ["full", "diag"]
FITTED = ["weights_", "means_", "covariances_", "precisions_cholesky_"]


def _blobs(n_samples=600, n_features=3, centers=4, seed=0, cluster_std=1.0):
    X, labels = make_blobs(n_samples, n_features=n_features, centers=centers,
                           cluster_std=cluster_std, random_state=seed)
    return X, labels


def _means_init(X, n_components, seed):
    rng = np.random.default_rng(seed)
    return X[rng.choice(len(X), n_components, replace=False)]


def _same_start(X, means_init, covariance_type, reg_covar=1e-6):
    """scikit-learn's weights_init and precisions_init for ftml's start from means_init:
    the hard assignment to the nearest initial mean, and scikit-learn's own M-step
    estimates from it (weights divided by n_samples, covariances about the assignment's
    means), written out here independently of ftml."""
    n_samples, n_features = X.shape
    n_components = len(means_init)
    labels = np.argmin(((X[:, None, :] - means_init[None]) ** 2).sum(axis=2), axis=1)
    resp = np.eye(n_components)[labels]
    nk = resp.sum(axis=0) + 10 * np.finfo(float).eps
    means = resp.T @ X / nk[:, None]
    if covariance_type == "full":
        covariances = np.stack([
            (resp[:, k] * (X - means[k]).T) @ (X - means[k]) / nk[k]
            + reg_covar * np.eye(n_features) for k in range(n_components)])
        precisions = np.linalg.inv(covariances)
    else:
        covariances = resp.T @ (X * X) / nk[:, None] - means**2 + reg_covar
        precisions = 1 / covariances
    return {"weights_init": nk / n_samples, "means_init": means_init,
            "precisions_init": precisions}


def _assert_rel(actual, desired, rtol=1e-8):
    actual, desired = np.asarray(actual), np.asarray(desired)
    assert actual.shape == desired.shape
    scale = np.max(np.abs(desired))
    assert np.max(np.abs(actual - desired)) <= rtol * scale, (actual, desired)


def _fit_both(X, n_components, covariance_type, seed, **params):
    means_init = _means_init(X, n_components, seed)
    ours = GaussianMixture(n_components, covariance_type=covariance_type,
                           means_init=means_init, **params).fit(X)
    theirs = SklearnGaussianMixture(
        n_components, covariance_type=covariance_type, **params,
        **_same_start(X, means_init, covariance_type, params.get("reg_covar", 1e-6)),
    ).fit(X)
    return ours, theirs


# --- Against scikit-learn ---------------------------------------------------------------


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
@pytest.mark.parametrize("seed", range(4))
def test_the_fit_equals_scikit_learn_s_from_the_same_start(covariance_type, seed):
    X, _ = _blobs(seed=seed, n_features=2 + seed, centers=3 + seed % 2)
    ours, theirs = _fit_both(X, 3 + seed % 2, covariance_type, seed, tol=1e-5,
                             max_iter=1000)
    assert ours.converged_ and theirs.converged_
    assert ours.n_iter_ == theirs.n_iter_
    for name in FITTED:
        _assert_rel(getattr(ours, name), getattr(theirs, name))
    _assert_rel(ours.lower_bound_, theirs.lower_bound_)
    _assert_rel(ours.log_likelihood_history_, theirs.lower_bounds_)
    _assert_rel(ours.score_samples(X), theirs.score_samples(X))
    _assert_rel(ours.predict_proba(X), theirs.predict_proba(X))
    np.testing.assert_array_equal(ours.predict(X), theirs.predict(X))


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_a_fixed_budget_equals_scikit_learn_s_iteration_by_iteration(covariance_type):
    """Overlapping clusters, tol=0: every one of the 30 iterations agrees."""
    X, _ = _blobs(n_samples=400, centers=3, cluster_std=3.0, seed=5)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # both reach max_iter
        ours, theirs = _fit_both(X, 3, covariance_type, 1, tol=0.0, max_iter=30)
    assert not ours.converged_ and ours.n_iter_ == theirs.n_iter_ == 30
    _assert_rel(ours.log_likelihood_history_, theirs.lower_bounds_)
    for name in FITTED:
        _assert_rel(getattr(ours, name), getattr(theirs, name))


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_bic_and_aic_equal_scikit_learn_s(covariance_type):
    X, _ = _blobs(seed=3)
    ours, theirs = _fit_both(X, 4, covariance_type, 0)
    X_test, _ = _blobs(n_samples=100, seed=11)
    for data in (X, X_test):
        _assert_rel(ours.bic(data), theirs.bic(data), rtol=1e-10)
        _assert_rel(ours.aic(data), theirs.aic(data), rtol=1e-10)
        _assert_rel(ours.score(data), theirs.score(data), rtol=1e-10)
    assert ours._n_parameters() == theirs._n_parameters()


# --- EM's monotonicity ------------------------------------------------------------------


def _random_problems():
    cases = []
    for seed in range(40):
        rng = np.random.default_rng(seed)
        covariance_type = COVARIANCE_TYPES[seed % 2]
        init_params = ["kmeans", "random", "random_from_data"][seed % 3]
        cases.append(pytest.param(seed, covariance_type, init_params, int(rng.integers(1, 6)),
                                  int(rng.integers(1, 6)),
                                  id=f"{seed}-{covariance_type}-{init_params}"))
    return cases


@pytest.mark.filterwarnings("ignore::ftml.exceptions.ConvergenceWarning")
@pytest.mark.parametrize("seed, covariance_type, init_params, n_components, n_features",
                         _random_problems())
def test_the_log_likelihood_never_decreases(seed, covariance_type, init_params,
                                            n_components, n_features):
    """On random mixtures (random scales, anisotropic, overlapping) with each
    initialisation, the mean log-likelihood increases at every EM iteration, up to 1e-12
    relative; the fitted parameters, one M-step further, score at least the last entry."""
    rng = np.random.default_rng(seed)
    n_samples = int(rng.integers(30, 300))
    centers = rng.normal(0, 3, (n_components, n_features))
    scales = rng.uniform(0.2, 3.0, (n_components, n_features, n_features))
    labels = rng.integers(n_components, size=n_samples)
    X = centers[labels] + np.einsum("nd,nde->ne", rng.standard_normal((n_samples, n_features)),
                                    scales[labels])
    model = GaussianMixture(n_components, covariance_type=covariance_type, tol=0.0,
                            max_iter=60, init_params=init_params, random_state=seed).fit(X)
    history = model.log_likelihood_history_
    assert len(history) == model.n_iter_ == 60
    assert model.lower_bound_ == history[-1]
    steps = np.diff(history)
    assert np.all(steps >= -1e-12 * np.abs(history[1:])), steps.min()
    assert model.score(X) >= history[-1] - 1e-12 * abs(history[-1])


# --- Densities and responsibilities -------------------------------------------------------


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_score_samples_is_the_log_of_scipy_s_mixture_density(covariance_type):
    X, _ = _blobs(seed=2)
    model = GaussianMixture(4, covariance_type=covariance_type, random_state=0).fit(X)
    X_test = np.random.default_rng(0).normal(0, 6, (50, X.shape[1]))
    covariances = (model.covariances_ if covariance_type == "full"
                   else [np.diag(c) for c in model.covariances_])
    densities = np.stack([multivariate_normal(mean, cov).pdf(X_test)
                          for mean, cov in zip(model.means_, covariances)], axis=1)
    mixture = densities @ model.weights_
    np.testing.assert_allclose(model.score_samples(X_test), np.log(mixture), rtol=1e-10)
    np.testing.assert_allclose(model.score(X_test), np.mean(np.log(mixture)), rtol=1e-10)
    proba = model.predict_proba(X_test)
    np.testing.assert_allclose(proba, densities * model.weights_ / mixture[:, None],
                               rtol=1e-8, atol=1e-300)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-12)
    np.testing.assert_array_equal(model.predict(X_test), np.argmax(proba, axis=1))


def test_far_points_get_finite_log_densities_and_responsibilities():
    """Densities that underflow to 0 are handled in the log domain."""
    X, _ = _blobs(seed=0)
    model = GaussianMixture(4, random_state=0).fit(X)
    far = np.full((2, X.shape[1]), 1e3)
    assert np.all(np.isfinite(model.score_samples(far)))
    np.testing.assert_allclose(model.predict_proba(far).sum(axis=1), 1.0)


# --- Initialisations and model selection ------------------------------------------------


@pytest.mark.parametrize("init_params", ["kmeans", "random", "random_from_data"])
def test_each_initialisation_finds_well_separated_components(init_params):
    centers = np.array([[-10.0, 0.0], [0.0, 10.0], [10.0, 0.0]])
    X, labels = make_blobs(600, centers=centers, random_state=0)
    # "random" starts every component near the overall mean, where the log-likelihood is
    # flat: a small tol keeps EM going until the components separate.
    model = GaussianMixture(3, init_params=init_params, n_init=5, tol=1e-8, max_iter=1000,
                            random_state=0).fit(X)
    order = np.argsort(model.means_[:, 0] + 0.1 * model.means_[:, 1])
    np.testing.assert_allclose(model.means_[order], centers, atol=0.2)
    np.testing.assert_allclose(model.weights_[order], 1 / 3, atol=0.03)
    assert model.converged_


def test_n_init_keeps_the_run_of_the_largest_log_likelihood():
    """The runs of n_init share one generator, so the first is a single fit's."""
    X, _ = _blobs(centers=6, cluster_std=1.5, seed=4)
    best = GaussianMixture(6, init_params="random_from_data", n_init=8,
                           random_state=np.random.default_rng(7)).fit(X)
    first = GaussianMixture(6, init_params="random_from_data",
                            random_state=np.random.default_rng(7)).fit(X)
    assert best.lower_bound_ >= first.lower_bound_


@pytest.mark.parametrize("true_k, covariance_type", [(1, "full"), (2, "full"), (3, "diag"),
                                                     (4, "full"), (5, "diag")])
def test_bic_is_smallest_at_the_true_number_of_components(true_k, covariance_type):
    rng = np.random.default_rng(true_k)
    centers = rng.uniform(-30, 30, (true_k, 2))
    X, _ = make_blobs(150 * true_k, centers=centers, random_state=true_k)
    bics = [GaussianMixture(k, covariance_type=covariance_type, n_init=3,
                            random_state=0).fit(X).bic(X) for k in range(1, 8)]
    assert int(np.argmin(bics)) + 1 == true_k, bics


def test_the_same_random_state_gives_the_same_fit_and_means_init_draws_nothing():
    X, _ = _blobs(seed=1)
    first = GaussianMixture(4, init_params="random", random_state=3).fit(X)
    second = GaussianMixture(4, init_params="random", random_state=3).fit(X)
    for name in FITTED:
        np.testing.assert_array_equal(getattr(first, name), getattr(second, name))
    means_init = _means_init(X, 4, 0)
    a = GaussianMixture(4, means_init=means_init, random_state=1).fit(X)
    b = GaussianMixture(4, means_init=means_init, random_state=2,
                        init_params="random").fit(X)
    np.testing.assert_array_equal(a.means_, b.means_)


def test_fitted_shapes_and_history():
    X, _ = _blobs(n_features=3)
    for covariance_type, shape in (("full", (4, 3, 3)), ("diag", (4, 3))):
        model = GaussianMixture(4, covariance_type=covariance_type, random_state=0).fit(X)
        assert model.covariances_.shape == model.precisions_cholesky_.shape == shape
        assert model.weights_.shape == (4,) and model.means_.shape == (4, 3)
        np.testing.assert_allclose(model.weights_.sum(), 1.0)
        assert model.log_likelihood_history_.shape == (model.n_iter_,)
        if covariance_type == "full":  # U_k U_k^T is the inverse of Sigma_k
            for cov, chol in zip(model.covariances_, model.precisions_cholesky_):
                np.testing.assert_allclose(chol @ chol.T @ cov, np.eye(3), atol=1e-10)
                np.testing.assert_array_equal(chol, np.triu(chol))


# --- Bad inputs -------------------------------------------------------------------------


def test_more_components_than_samples_is_refused():
    X = np.random.default_rng(0).standard_normal((5, 2))
    with pytest.raises(ValueError, match=r"n_components=6 must be at most the number of "
                                         r"samples, n_samples=5"):
        GaussianMixture(6).fit(X)


def test_an_unknown_covariance_type_is_refused_by_fit():
    X = np.random.default_rng(0).standard_normal((20, 2))
    model = GaussianMixture(covariance_type="spherical")  # __init__ only stores it
    with pytest.raises(InvalidParameterError, match=r"The 'covariance_type' parameter of "
                                                    r"GaussianMixture must be a str among "
                                                    r"\{'full', 'diag'\}\. Got 'spherical'"):
        model.fit(X)


def test_means_init_of_the_wrong_shape_is_refused():
    X = np.random.default_rng(0).standard_normal((20, 2))
    with pytest.raises(ValueError, match=r"means_init must be of shape \(n_components, "
                                         r"n_features\) = \(2, 2\), got \(2, 3\)"):
        GaussianMixture(2, means_init=np.zeros((2, 3))).fit(X)
    with pytest.raises(ValueError, match="means_init contains NaN"):
        GaussianMixture(1, means_init=[[np.nan, 0.0]]).fit(X)


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_a_singular_component_names_itself_and_reg_covar(covariance_type):
    """Component 1 sits on 20 copies of the origin: without regularisation its covariance
    is exactly 0; the default reg_covar fits it. (A component collapsed onto a point other
    than the origin gets a covariance of rounding errors, which may be positive, as in
    scikit-learn.)"""
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(10.0, 1.0, (50, 2)), np.zeros((20, 2))])
    means_init = [[10.0, 10.0], [0.0, 0.0]]
    model = GaussianMixture(2, covariance_type=covariance_type, means_init=means_init,
                            reg_covar=0.0)
    with pytest.raises(ValueError, match=r"The covariance of component 1 is not positive "
                                         r"definite even with reg_covar=0.0 .* Use a larger "
                                         r"reg_covar"):
        model.fit(X)
    fitted = model.set_params(reg_covar=1e-6).fit(X)
    np.testing.assert_array_equal(fitted.means_[1], [0.0, 0.0])
    assert np.isfinite(fitted.score(X))


def test_a_constant_feature_is_singular_without_reg_covar():
    X = np.column_stack([np.random.default_rng(0).standard_normal(30), np.zeros(30)])
    with pytest.raises(ValueError, match="component 0"):
        GaussianMixture(reg_covar=0.0).fit(X)


def test_max_iter_reached_warns():
    X, _ = _blobs(cluster_std=3.0)
    with pytest.warns(ConvergenceWarning, match=r"reached max_iter=2 .* tol=0.0"):
        model = GaussianMixture(4, max_iter=2, tol=0.0, random_state=0).fit(X)
    assert not model.converged_ and model.n_iter_ == 2


def test_methods_before_fit_raise_and_n_features_is_checked():
    X, _ = _blobs(n_features=3)
    for method in ("predict", "predict_proba", "score_samples", "score", "bic", "aic"):
        with pytest.raises(NotFittedError):
            getattr(GaussianMixture(), method)(X)
    model = GaussianMixture(2, random_state=0).fit(X)
    with pytest.raises(ValueError, match="X has 2 features, but GaussianMixture is "
                                         "expecting 3 features"):
        model.predict(X[:, :2])
    assert clone(model).get_params() == model.get_params()


# scikit-learn's estimator checks run on it with every ftml estimator: it is in
# ESTIMATORS of tests/test_common.py, which tests/test_sklearn_compatibility.py checks.
