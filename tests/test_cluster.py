"""ftml.cluster against scikit-learn's Lloyd k-means and a reference numpy Lloyd.

From the same initial centres, ``KMeans`` finds scikit-learn's ``KMeans(algorithm="lloyd",
n_init=1)`` centres, labels, number of iterations and inertia to 1e-10 relatively, and its
``inertia_history_`` equals scikit-learn's inertia after ``max_iter = 1, ..., T``. The
inertia never increases along a run; k-means++ seeds within Arthur and Vassilvitskii's
bound on well-separated blobs; scikit-learn's estimator checks pass.
"""

import subprocess
import sys
import textwrap
import warnings

import numpy as np
import pytest
from sklearn import cluster as sk

import ftml.cluster._kmeans
from ftml.cluster import KMeans, kmeans_plusplus
from ftml.exceptions import ConvergenceWarning, InvalidParameterError, NotFittedError

RTOL = 1e-10
ASSIGNMENTS = ["numpy", "compiled"]


@pytest.fixture(params=ASSIGNMENTS)
def assignment(request, monkeypatch):
    """Run a test with the numpy assignment and with the numba kernel, whatever the size."""
    if request.param == "compiled":
        pytest.importorskip("numba")
        monkeypatch.setattr(ftml.cluster._kmeans, "COMPILED_MIN_ENTRIES", 0)
    else:
        monkeypatch.setattr(ftml.cluster._kmeans, "COMPILED_MIN_ENTRIES", float("inf"))
    return request.param


def _blobs(seed, n=300, n_features=4, n_centres=5, spread=3.0):
    rng = np.random.default_rng(seed)
    centres = spread * rng.standard_normal((n_centres, n_features))
    truth = rng.integers(n_centres, size=n)
    return centres[truth] + rng.standard_normal((n, n_features)), truth, rng


def _sklearn(X, init, **params):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # its ConvergenceWarning on duplicates
        return sk.KMeans(init.shape[0], init=init, n_init=1, algorithm="lloyd",
                         **params).fit(X)


def _reference_lloyd(X, centres, n_iter):
    """The inertia after each of ``n_iter`` plain Lloyd iterations (no empty cluster)."""
    path = []
    for _ in range(n_iter):
        labels = ((X[:, None, :] - centres[None]) ** 2).sum(-1).argmin(1)
        centres = np.array([X[labels == k].mean(0) for k in range(len(centres))])
        path.append(((X[:, None, :] - centres[None]) ** 2).sum(-1).min(1).sum())
    return np.array(path)


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("n, n_features, n_clusters", [(200, 2, 3), (500, 6, 8), (2000, 20, 12)])
def test_fit_equals_sklearn_from_the_same_init(seed, n, n_features, n_clusters, assignment):
    X, _, rng = _blobs(seed, n, n_features, n_clusters, spread=1.0)
    X += 5.0  # not centred
    init = X[rng.choice(n, n_clusters, replace=False)]
    ours = KMeans(n_clusters, init=init).fit(X)
    theirs = _sklearn(X, init)
    assert ours.n_iter_ == theirs.n_iter_
    np.testing.assert_array_equal(ours.labels_, theirs.labels_)
    np.testing.assert_allclose(ours.cluster_centers_, theirs.cluster_centers_, rtol=RTOL,
                               atol=RTOL * np.abs(X).max())
    assert ours.inertia_ == pytest.approx(theirs.inertia_, rel=RTOL)
    assert ours.score(X) == pytest.approx(theirs.score(X), rel=RTOL)
    np.testing.assert_array_equal(ours.predict(X), theirs.predict(X))
    np.testing.assert_allclose(ours.transform(X), theirs.transform(X), rtol=RTOL, atol=1e-12)


@pytest.mark.parametrize("seed", range(4))
def test_the_inertia_history_is_sklearn_s_inertia_after_each_iteration(seed, assignment):
    X, _, rng = _blobs(seed, 400, 5, 6, spread=1.0)
    init = X[rng.choice(len(X), 6, replace=False)]
    ours = KMeans(6, init=init, tol=0.0).fit(X)
    assert ours.inertia_history_.shape == (ours.n_iter_ + 1,)
    assert ours.inertia_history_[-1] == ours.inertia_
    initial = ((X[:, None, :] - init[None]) ** 2).sum(axis=2).min(axis=1).sum()
    assert ours.inertia_history_[0] == pytest.approx(initial, rel=RTOL)
    theirs = [_sklearn(X, init, max_iter=t, tol=0.0).inertia_
              for t in range(1, ours.n_iter_ + 1)]
    np.testing.assert_allclose(ours.inertia_history_[1:], theirs, rtol=RTOL)
    T = min(ours.n_iter_, 10)
    np.testing.assert_allclose(ours.inertia_history_[1:T + 1], _reference_lloyd(X, init, T),
                               rtol=RTOL)


def test_the_tolerance_is_relative_to_the_mean_variance_as_sklearn():
    X, _, rng = _blobs(0, 1000, 3, 4, spread=0.5)
    init = X[rng.choice(len(X), 10, replace=False)]
    for scale in (1e-3, 1.0, 1e3):
        for tol in (1e-1, 1e-2, 1e-4, 0.0):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ConvergenceWarning)
                ours = KMeans(10, init=scale * init, tol=tol, max_iter=50).fit(scale * X)
            theirs = _sklearn(scale * X, scale * init, tol=tol, max_iter=50)
            assert ours.n_iter_ == theirs.n_iter_, (scale, tol)
            assert ours.inertia_ == pytest.approx(theirs.inertia_, rel=RTOL)


def test_an_empty_cluster_moves_to_the_farthest_sample_as_in_sklearn(assignment):
    rng = np.random.default_rng(0)
    X = np.vstack([rng.standard_normal((50, 2)), [[30.0, 0.0]], rng.standard_normal((50, 2))])
    init = np.array([[0.0, 0.0], [0.1, 0.0], [100.0, 100.0]])  # the third gets no sample
    ours = KMeans(3, init=init).fit(X)
    theirs = _sklearn(X, init)
    assert ours.n_iter_ == theirs.n_iter_
    np.testing.assert_array_equal(ours.labels_, theirs.labels_)
    np.testing.assert_allclose(ours.cluster_centers_, theirs.cluster_centers_, rtol=RTOL)
    assert ours.inertia_ == pytest.approx(theirs.inertia_, rel=RTOL)
    assert ours.labels_[50] != ours.labels_[0]  # the outlier has its own cluster
    assert np.all(np.diff(ours.inertia_history_) <= 1e-12 * ours.inertia_history_[:-1])


def test_several_empty_clusters_take_the_farthest_samples_in_decreasing_distance():
    X = np.array([[0.0], [1.0], [2.0], [10.0], [20.0]])
    init = np.array([[5.0], [100.0], [200.0]])  # the last two are empty
    model = KMeans(3, init=init, max_iter=1, tol=0.0)
    with pytest.warns(ConvergenceWarning, match="max_iter=1"):
        model.fit(X)
    # Distances to the centre 5: 20 is farthest (to cluster 1), then 0 (to cluster 2).
    np.testing.assert_allclose(model.cluster_centers_, [[13.0 / 3], [20.0], [0.0]])


@pytest.mark.parametrize("seed", range(40))
def test_the_inertia_never_increases(seed, assignment):
    rng = np.random.default_rng(seed)
    n, n_features = rng.integers(20, 400), rng.integers(1, 8)
    n_clusters = int(rng.integers(2, min(n, 15)))
    X = rng.standard_normal((n, n_features)) * rng.uniform(0.1, 10, n_features)
    if seed % 3 == 0:
        X = np.round(X)  # duplicates, ties and empty clusters
    init = ["k-means++", "random"][seed % 2]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model = KMeans(n_clusters, init=init, tol=0.0, random_state=seed, n_init=2).fit(X)
    history = model.inertia_history_
    assert 1 <= model.n_iter_ <= 300 and history.shape == (model.n_iter_ + 1,)
    assert np.all(np.isfinite(history))
    assert np.all(np.diff(history) <= 1e-12 * history[:-1] + 1e-300)
    assert history[-1] == model.inertia_ == pytest.approx(-model.score(X), rel=1e-12)


@pytest.mark.parametrize("max_iter", [1, 2, 5])
def test_n_iter_is_at_most_max_iter(max_iter):
    X, _, _ = _blobs(1, 500, 3, 8, spread=0.3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model = KMeans(8, max_iter=max_iter, tol=0.0, random_state=0).fit(X)
    assert 1 <= model.n_iter_ <= max_iter
    assert model.inertia_history_.shape == (model.n_iter_ + 1,)


def test_stopping_at_max_iter_warns():
    X, _, _ = _blobs(1, 500, 3, 8, spread=0.3)
    with pytest.warns(ConvergenceWarning, match="max_iter=1 "):
        KMeans(8, max_iter=1, tol=0.0, random_state=0).fit(X)


@pytest.mark.parametrize("n_local_trials", [1, None])
def test_kmeans_plusplus_is_within_its_bound_on_separated_blobs(n_local_trials):
    """Arthur and Vassilvitskii: E[seeding inertia] <= 8 (ln K + 2) OPT for D^2 sampling
    (``n_local_trials=1``); the greedy variant does at least as well in practice. OPT is
    estimated by the best Lloyd run over the seeds (an upper bound, so the test is
    conservative)."""
    X, _, _ = _blobs(0, 600, 2, 8, spread=20.0)
    K = 8
    x = X - X.mean(axis=0)
    seeded, best = [], np.inf
    for seed in range(60):
        centres, indices = kmeans_plusplus(X, K, n_local_trials=n_local_trials,
                                           random_state=seed)
        np.testing.assert_array_equal(centres, X[indices])
        assert len(set(indices.tolist())) == K
        seeded.append(((x[:, None] - (centres - X.mean(0))[None]) ** 2).sum(-1).min(1).sum())
        best = min(best, KMeans(K, init=centres).fit(X).inertia_)
    assert np.mean(seeded) <= 8 * (np.log(K) + 2) * best
    if n_local_trials is None:
        assert np.mean(seeded) <= 2 * best  # far better on separated blobs


def test_seeds_reproduce_and_n_init_keeps_the_best_run():
    X, _, _ = _blobs(3, 300, 2, 6, spread=2.0)
    first = KMeans(6, random_state=7).fit(X)
    again = KMeans(6, random_state=7).fit(X)
    np.testing.assert_array_equal(first.cluster_centers_, again.cluster_centers_)
    rng = np.random.default_rng(11)
    runs = [KMeans(6, init="random", random_state=rng).fit(X).inertia_ for _ in range(5)]
    best = KMeans(6, init="random", n_init=5, random_state=np.random.default_rng(11)).fit(X)
    assert best.inertia_ == min(runs)


def test_an_explicit_init_runs_once_whatever_n_init():
    X, _, rng = _blobs(2, 100, 2, 3)
    init = X[:3]
    np.testing.assert_array_equal(KMeans(3, init=init, n_init=5).fit(X).labels_,
                                  KMeans(3, init=init).fit(X).labels_)


def test_random_init_draws_distinct_samples():
    X = np.arange(10.0).reshape(-1, 1)
    model = KMeans(10, init="random", random_state=0).fit(X)
    np.testing.assert_allclose(np.sort(model.cluster_centers_.ravel()), X.ravel())
    assert model.inertia_ == 0.0


def test_duplicate_points_warn_of_fewer_distinct_clusters():
    X = np.zeros((5, 2))
    with pytest.warns(ConvergenceWarning, match="distinct clusters"):
        model = KMeans(3, random_state=0).fit(X)
    assert model.inertia_ == 0.0


def test_integer_and_list_input_are_accepted():
    X = [[0, 0], [0, 1], [10, 0], [10, 1]]
    model = KMeans(2, random_state=0).fit(X)
    assert sorted(model.cluster_centers_[:, 0].tolist()) == [0.0, 10.0]
    assert model.fit_predict(X).tolist() == model.labels_.tolist()


def test_too_many_clusters_are_refused_naming_both_numbers():
    with pytest.raises(ValueError, match=r"n_samples=3 should be >= n_clusters=4"):
        KMeans(4).fit(np.zeros((3, 2)))
    with pytest.raises(ValueError, match=r"n_samples=3 should be >= n_clusters=4"):
        kmeans_plusplus(np.zeros((3, 2)), 4)


@pytest.mark.parametrize("params, match", [
    (dict(n_clusters=0), "n_clusters"),
    (dict(n_clusters=2.0), "n_clusters"),
    (dict(init="kmeans++"), "init"),
    (dict(init=3), "init"),
    (dict(n_init=0), "n_init"),
    (dict(max_iter=0), "max_iter"),
    (dict(tol=-1.0), "tol"),
    (dict(tol=float("nan")), "tol"),
    (dict(random_state=-1), "random_state"),
])
def test_bad_hyperparameters_are_refused_in_fit(params, match):
    model = KMeans(**{"n_clusters": 2, **params})  # __init__ checks nothing
    with pytest.raises(InvalidParameterError, match=match):
        model.fit(np.zeros((4, 2)))


def test_bad_inputs_name_the_problem():
    X = np.arange(12.0).reshape(6, 2)
    with pytest.raises(ValueError, match=r"shape of the initial centers \(2, 2\).*\(3, 2\)"):
        KMeans(3, init=X[:2]).fit(X)
    with pytest.raises(ValueError, match=r"shape of the initial centers \(3, 3\)"):
        KMeans(3, init=np.zeros((3, 3))).fit(X)
    with pytest.raises(ValueError, match="init contains NaN"):
        KMeans(2, init=[[0.0, np.nan], [1.0, 1.0]]).fit(X)
    with pytest.raises(ValueError, match="X contains NaN"):
        KMeans(2).fit(np.where(X > 5, np.nan, X))
    with pytest.raises(ValueError, match="2-D"):
        KMeans(2).fit(np.arange(5.0))
    with pytest.raises(ValueError, match="overflows"):
        KMeans(2).fit(np.full((4, 2), 1e200))
    with pytest.raises(NotFittedError):
        KMeans(2).predict(X)
    model = KMeans(2, random_state=0).fit(X)
    with pytest.raises(ValueError, match="X has 3 features, but KMeans is expecting 2"):
        model.transform(np.zeros((2, 3)))


def test_blocks_do_not_change_the_results(monkeypatch, assignment):
    X, _, rng = _blobs(5, 700, 3, 7)
    init = X[rng.choice(700, 7, replace=False)]
    whole = KMeans(7, init=init).fit(X)
    monkeypatch.setattr(ftml.cluster._kmeans, "BLOCK_BYTES", 8 * 7 * 13)  # 13 rows
    blocked = KMeans(7, init=init).fit(X)
    np.testing.assert_array_equal(whole.labels_, blocked.labels_)
    np.testing.assert_allclose(whole.cluster_centers_, blocked.cluster_centers_, rtol=1e-14)
    assert whole.n_iter_ == blocked.n_iter_


def test_the_compiled_assignment_gives_the_numpy_one_s_bits(monkeypatch):
    pytest.importorskip("numba")
    X, _, rng = _blobs(6, 3000, 10, 9, spread=0.5)
    init = X[rng.choice(3000, 9, replace=False)]
    runs = {}
    for threshold in (0, float("inf")):
        monkeypatch.setattr(ftml.cluster._kmeans, "COMPILED_MIN_ENTRIES", threshold)
        runs[threshold] = KMeans(9, init=init, tol=0.0).fit(X)
    numba_run, numpy_run = runs[0], runs[float("inf")]
    np.testing.assert_array_equal(numba_run.labels_, numpy_run.labels_)
    np.testing.assert_array_equal(numba_run.cluster_centers_, numpy_run.cluster_centers_)
    np.testing.assert_allclose(numba_run.inertia_history_, numpy_run.inertia_history_,
                               rtol=1e-13)


def test_small_fits_do_not_import_numba():
    code = textwrap.dedent("""
        import sys
        import numpy as np
        from ftml.cluster import KMeans
        X = np.random.default_rng(0).standard_normal((500, 5))
        KMeans(4, random_state=0).fit(X).predict(X)
        print("numba" in sys.modules)
    """)
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True).stdout.strip()
    assert output == "False"


def test_sklearn_reads_a_clusterer_and_transformer_from_the_tags():
    from sklearn.base import is_clusterer
    from sklearn.utils import get_tags

    tags = get_tags(KMeans())
    assert is_clusterer(KMeans()) and tags.transformer_tags is not None
    assert tags.target_tags.required is False


# scikit-learn's estimator checks run on it with every ftml estimator: it is in
# ESTIMATORS of tests/test_common.py, which tests/test_sklearn_compatibility.py checks.
