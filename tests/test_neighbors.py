"""ftml.neighbors against scikit-learn's brute-force k-NN and a direct reference.

On data without ties, predictions, ``predict_proba`` and ``kneighbors`` equal scikit-learn's
(``algorithm="brute"``) to 1e-12. On integer grid points, where many training points are
equally distant, scikit-learn's heap-based search orders tied points (and chooses among
those tied at the k-th place) in no index order: there the distances still equal
scikit-learn's, the indices equal the direct reference of ftml's tie rule (sort each row of
the full distance matrix by (distance, index)), and the predictions equal scikit-learn's at
every query whose k-th neighbour is not tied with the (k+1)-th.
"""

import doctest
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from sklearn import neighbors as sk

import ftml.neighbors._base
import ftml.neighbors._classification
import ftml.neighbors._kernels
import ftml.neighbors._regression
from ftml.exceptions import InvalidParameterError
from ftml.neighbors import KNeighborsClassifier, KNeighborsRegressor

TOL = dict(rtol=1e-12, atol=1e-12)
KS = [1, 2, 5, 8]
WEIGHTS = ["uniform", "distance"]


def _reference(Q, X, k):
    """The k nearest points by (exact squared distance, index), from the full matrix."""
    squared = ((Q[:, None, :] - X[None, :, :]) ** 2).sum(axis=-1)
    index = np.broadcast_to(np.arange(X.shape[0]), squared.shape)
    order = np.lexsort((index, squared), axis=1)
    return np.sqrt(np.take_along_axis(squared, order, 1))[:, :k], order[:, :k], squared


def _float_data(seed=0, n=60, n_features=3, n_queries=25):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, n_features))
    Q = rng.standard_normal((n_queries, n_features))
    return X, Q, rng


def _grid_data(seed=0, n=80, n_features=2, n_queries=200):
    """Integer points of a small grid: many exact ties, and queries on training points."""
    rng = np.random.default_rng(seed)
    X = rng.integers(0, 4, (n, n_features)).astype(float)
    Q = rng.integers(-1, 5, (n_queries, n_features)).astype(float)
    return X, Q, rng


def _unambiguous(Q, X, k):
    """Queries whose k-th nearest point is strictly nearer than the (k+1)-th."""
    squared = np.sort(((Q[:, None, :] - X[None, :, :]) ** 2).sum(axis=-1), axis=1)
    return np.ones(Q.shape[0], bool) if k == X.shape[0] else squared[:, k - 1] < squared[:, k]


@pytest.fixture(params=["compiled", "numpy"])
def search(request, monkeypatch):
    """Run a test on the compiled search of ftml.neighbors._kernels, which the tests' small
    problems would not use by default, then on the numpy one."""
    if request.param == "compiled":
        assert ftml.neighbors._kernels.NUMBA_AVAILABLE
        monkeypatch.setattr(ftml.neighbors._base, "COMPILED_MIN_PAIRS", 0)
    else:
        monkeypatch.setattr(ftml.neighbors._kernels, "NUMBA_AVAILABLE", False)
    return request.param


# --- Against scikit-learn, without ties -------------------------------------------------


@pytest.mark.parametrize("weights", WEIGHTS)
@pytest.mark.parametrize("k", KS)
@pytest.mark.parametrize("n_outputs", [None, 3])
def test_regressor_equals_sklearn(k, weights, n_outputs, search):
    X, Q, rng = _float_data()
    y = rng.standard_normal(X.shape[0] if n_outputs is None else (X.shape[0], n_outputs))
    ours = KNeighborsRegressor(k, weights=weights).fit(X, y)
    theirs = sk.KNeighborsRegressor(n_neighbors=k, weights=weights, algorithm="brute").fit(X, y)
    assert ours.predict(Q).shape == theirs.predict(Q).shape
    np.testing.assert_allclose(ours.predict(Q), theirs.predict(Q), **TOL)
    for ours_out, theirs_out in zip(ours.kneighbors(Q), theirs.kneighbors(Q)):
        np.testing.assert_allclose(ours_out, theirs_out, **TOL)
    assert ours.n_samples_fit_ == theirs.n_samples_fit_ and ours.n_features_in_ == 3


@pytest.mark.parametrize("weights", WEIGHTS)
@pytest.mark.parametrize("k", KS)
@pytest.mark.parametrize("n_classes", [2, 4])
def test_classifier_equals_sklearn(k, weights, n_classes, search):
    X, Q, rng = _float_data(seed=1)
    y = np.array(["ant", "bee", "cat", "dog"])[rng.integers(0, n_classes, X.shape[0])]
    ours = KNeighborsClassifier(k, weights=weights).fit(X, y)
    theirs = sk.KNeighborsClassifier(n_neighbors=k, weights=weights, algorithm="brute").fit(X, y)
    np.testing.assert_array_equal(ours.classes_, theirs.classes_)
    np.testing.assert_array_equal(ours.predict(Q), theirs.predict(Q))
    np.testing.assert_allclose(ours.predict_proba(Q), theirs.predict_proba(Q), **TOL)
    np.testing.assert_array_equal(ours.kneighbors(Q, return_distance=False),
                                  theirs.kneighbors(Q, return_distance=False))
    assert ours.score(Q, theirs.predict(Q)) == 1.0


@pytest.mark.parametrize("k", [1, 4])
def test_kneighbors_of_the_training_points_exclude_each_point_itself(k, search):
    X, _, rng = _float_data(seed=2)
    ours = KNeighborsRegressor(k).fit(X, rng.standard_normal(X.shape[0]))
    theirs = sk.NearestNeighbors(n_neighbors=k, algorithm="brute").fit(X)
    distances, indices = ours.kneighbors()
    expected_distances, expected_indices = theirs.kneighbors()
    np.testing.assert_array_equal(indices, expected_indices)
    np.testing.assert_allclose(distances, expected_distances, **TOL)
    assert not (indices == np.arange(X.shape[0])[:, None]).any()
    np.testing.assert_array_equal(ours.kneighbors(n_neighbors=k + 2)[1][:, :k], indices)


# --- Ties: integer grid points ----------------------------------------------------------


@pytest.mark.parametrize("weights", WEIGHTS)
@pytest.mark.parametrize("k", KS)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_ties_follow_the_index_rule_and_agree_with_sklearn(k, weights, seed, search):
    X, Q, rng = _grid_data(seed)
    y = rng.standard_normal((X.shape[0], 2))
    labels = rng.integers(0, 3, X.shape[0])
    distances, indices, _ = _reference(Q, X, k)
    regressor = KNeighborsRegressor(k, weights=weights).fit(X, y)
    classifier = KNeighborsClassifier(k, weights=weights).fit(X, labels)
    for model in (regressor, classifier):
        ours_distances, ours_indices = model.kneighbors(Q)
        np.testing.assert_array_equal(ours_indices, indices)
        np.testing.assert_array_equal(ours_distances, distances)  # exact on integers
    sk_distances, _ = sk.NearestNeighbors(n_neighbors=k, algorithm="brute").fit(X).kneighbors(Q)
    np.testing.assert_array_equal(ours_distances, sk_distances)

    # Where no tie straddles the k-th place, the neighbours are scikit-learn's.
    clear = _unambiguous(Q, X, k)
    assert min(clear.sum(), (~clear).sum()) >= 10 or k == 1  # both kinds are tested
    sk_regressor = sk.KNeighborsRegressor(n_neighbors=k, weights=weights,
                                          algorithm="brute").fit(X, y)
    np.testing.assert_allclose(regressor.predict(Q)[clear], sk_regressor.predict(Q)[clear],
                               **TOL)
    sk_classifier = sk.KNeighborsClassifier(n_neighbors=k, weights=weights,
                                            algorithm="brute").fit(X, labels)
    np.testing.assert_allclose(classifier.predict_proba(Q)[clear],
                               sk_classifier.predict_proba(Q)[clear], **TOL)
    np.testing.assert_array_equal(classifier.predict(Q)[clear],
                                  sk_classifier.predict(Q)[clear])

    # Everywhere, the predictions are those of the reference's neighbours.
    if weights == "uniform":
        np.testing.assert_allclose(regressor.predict(Q), y[indices].mean(axis=1), **TOL)


def test_a_vote_tie_goes_to_the_smallest_label():
    X = np.array([[0.0], [2.0], [4.0], [6.0]])
    for labels, expected in [([3, 1, 2, 0], [1, 1]), (["b", "a", "c", "d"], ["a", "a"])]:
        model = KNeighborsClassifier(2).fit(X, labels)
        # the queries at 1.0 (neighbours 0 and 1) and at 0.5 (same neighbours)
        np.testing.assert_array_equal(model.predict([[1.0], [0.5]]), expected)
        np.testing.assert_allclose(model.predict_proba([[1.0]]).max(), 0.5)


def test_queries_on_training_points_get_those_points_only_with_distance_weights():
    X = np.array([[0.0, 0.0], [0.0, 0.0], [1.0, 0.0], [0.0, 2.0]])
    y = np.array([1.0, 3.0, 10.0, 20.0])
    model = KNeighborsRegressor(3, weights="distance").fit(X, y)
    np.testing.assert_array_equal(model.predict([[0.0, 0.0], [1.0, 0.0]]), [2.0, 10.0])
    classifier = KNeighborsClassifier(3, weights="distance").fit(X, [0, 1, 1, 0])
    np.testing.assert_array_equal(classifier.predict_proba([[0.0, 0.0]]), [[0.5, 0.5]])
    theirs = sk.KNeighborsRegressor(n_neighbors=3, weights="distance", algorithm="brute")
    np.testing.assert_array_equal(theirs.fit(X, y).predict([[0.0, 0.0], [1.0, 0.0]]),
                                  [2.0, 10.0])


def test_the_training_points_exclude_themselves_among_duplicates(search):
    X = np.zeros((4, 1))  # four equal points: each one's neighbours are the three others
    model = KNeighborsRegressor(2).fit(X, np.arange(4.0))
    distances, indices = model.kneighbors()
    np.testing.assert_array_equal(indices, [[1, 2], [0, 2], [0, 1], [0, 1]])
    np.testing.assert_array_equal(distances, np.zeros((4, 2)))
    np.testing.assert_array_equal(model.kneighbors(n_neighbors=3)[1],
                                  [[1, 2, 3], [0, 2, 3], [0, 1, 3], [0, 1, 2]])


def test_integer_features_are_accepted():
    X, Q, rng = _grid_data(seed=3)
    y = rng.standard_normal(X.shape[0])
    as_float = KNeighborsRegressor(4).fit(X, y).predict(Q)
    np.testing.assert_array_equal(KNeighborsRegressor(4).fit(X.astype(int), y)
                                  .predict(Q.astype(int)), as_float)


# --- Chunks and blocks; the compiled search against the numpy one ------------------------


@pytest.mark.parametrize("data", [_float_data, _grid_data])
def test_chunking_does_not_change_the_results(data, search, monkeypatch):
    """The neighbours are the same; the distances of float data to rounding (BLAS rounds
    a product of a few rows differently from one of many), those of integers exactly."""
    X, Q, rng = data(seed=4)
    y = rng.integers(0, 3, X.shape[0])
    fitted = [KNeighborsRegressor(5, weights="distance").fit(X, y.astype(float)),
              KNeighborsClassifier(6, weights="distance").fit(X, y)]
    whole = [(model.kneighbors(Q), model.kneighbors(), model.predict(Q)) for model in fitted]
    assert ftml.neighbors._base._chunk_rows(X.shape[0]) >= Q.shape[0]
    rows, columns = ftml.neighbors._base._block_shape(X.shape[0])
    assert rows >= Q.shape[0] and columns == X.shape[0]
    # One pair per block; seven rows per numpy chunk (a single block of 21 x n compiled);
    # blocks of 7 rows x 16 training points.
    width = ftml.neighbors._base.BLOCK_COLUMNS
    for budget, columns in [(1, width), (24 * X.shape[0] * 7, width), (8 * 16 * 7, 16)]:
        monkeypatch.setattr(ftml.neighbors._base, "WORKING_MEMORY", budget)
        monkeypatch.setattr(ftml.neighbors._base, "BLOCK_COLUMNS", columns)
        for model, expected in zip(fitted, whole):
            result = (model.kneighbors(Q), model.kneighbors(), model.predict(Q))
            for got, want in zip(_flat(result), _flat(expected)):
                if data is _grid_data or got.dtype.kind == "i":
                    np.testing.assert_array_equal(got, want)
                else:
                    np.testing.assert_allclose(got, want, **TOL)


def _flat(result):
    (d, i), (d0, i0), prediction = result
    return [d, i, d0, i0, prediction]


@pytest.mark.parametrize("data", [_float_data, _grid_data])
def test_the_compiled_search_finds_the_neighbours_of_the_numpy_search(data, monkeypatch):
    """The same indices, ties included, for every k up to all the training points; the
    same distances to rounding (exactly on integers)."""
    monkeypatch.setattr(ftml.neighbors._base, "COMPILED_MIN_PAIRS", 0)
    X, Q, rng = data(seed=5)
    model = KNeighborsRegressor().fit(X, rng.standard_normal(X.shape[0]))
    n = X.shape[0]
    ks = [1, 2, 5, 8, n - 1, n]
    compiled = [(model.kneighbors(Q, k), model.kneighbors(n_neighbors=min(k, n - 1)))
                for k in ks]
    monkeypatch.setattr(ftml.neighbors._kernels, "NUMBA_AVAILABLE", False)
    for k, (query, train) in zip(ks, compiled):
        for got, want in zip((*query, *train),
                             (*model.kneighbors(Q, k),
                              *model.kneighbors(n_neighbors=min(k, n - 1)))):
            if data is _grid_data or got.dtype.kind == "i":
                np.testing.assert_array_equal(got, want)
            else:
                np.testing.assert_allclose(got, want, **TOL)


def test_distances_that_overflow_are_infinite_and_ordered_by_index(search):
    """A squared distance beyond float64 is inf: such points still count as neighbours, in
    index order, behind the finite ones (the compiled heaps start with placeholders at
    inf, which must give way to them)."""
    X = np.array([[-9e153], [5.0], [-9e153]])  # ||X||^2 = 1.6e308, finite
    Q = np.array([[1.3e154]])  # -2 a.b = 2.3e308 overflows
    model = KNeighborsRegressor(3).fit(X, [1.0, 2.0, 4.0])
    distances, indices = model.kneighbors(Q)
    np.testing.assert_array_equal(indices, [[1, 0, 2]])
    assert np.isfinite(distances[0, 0]) and np.isinf(distances[0, 1:]).all()
    np.testing.assert_array_equal(model.kneighbors(Q, 2)[1], [[1, 0]])
    np.testing.assert_array_equal(model.predict(Q), [7.0 / 3.0])


def test_small_problems_do_not_import_numba():
    """numba is imported by the first search of at least COMPILED_MIN_PAIRS pairs only:
    building an estimator or a small search, as a workflow job's, need not pay its half
    second; the first larger one does."""
    code = textwrap.dedent("""
        import sys
        import numpy as np
        from ftml.neighbors import KNeighborsRegressor, _base
        X = np.arange(4096.0)[:, None]
        model = KNeighborsRegressor(3).fit(X, X[:, 0])
        queries = -(-_base.COMPILED_MIN_PAIRS // 4096)  # the fewest that are compiled
        model.predict(np.repeat(X, 2, axis=0)[:queries - 1])
        print("numba" in sys.modules)
        model.predict(np.repeat(X, 2, axis=0)[:queries])
        print("numba" in sys.modules)
    """)
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True).stdout.split()
    assert output == ["False", "True"]


def test_the_numpy_search_runs_without_numba():
    """With numba unimportable, a search large enough to be compiled falls back on numpy
    and finds the same neighbours."""
    script = textwrap.dedent("""
        import sys
        sys.modules["numba"] = None  # makes "import numba" raise ImportError
        import numpy as np
        from ftml.neighbors import KNeighborsRegressor, _base, _kernels
        assert not _kernels.NUMBA_AVAILABLE
        _base.COMPILED_MIN_PAIRS = 0  # a search that would be compiled
        rng = np.random.default_rng(6)  # the data of _grid_data(seed=6)
        X = rng.integers(0, 4, (80, 2)).astype(float)
        Q = rng.integers(-1, 5, (200, 2)).astype(float)
        distances, indices = KNeighborsRegressor(5).fit(X, np.zeros(80)).kneighbors(Q)
        print(distances.tolist(), indices.tolist(), sep="\\n")
    """)
    output = subprocess.run([sys.executable, "-W", "ignore", "-c", script],
                            capture_output=True, text=True, check=True).stdout
    X, Q, _ = _grid_data(seed=6)
    distances, indices = KNeighborsRegressor(5).fit(X, np.zeros(80)).kneighbors(Q)
    assert output.splitlines() == [str(distances.tolist()), str(indices.tolist())]


# --- Errors -----------------------------------------------------------------------------


@pytest.mark.parametrize("cls", [KNeighborsRegressor, KNeighborsClassifier])
def test_errors_name_the_problem(cls):
    X, Q, rng = _float_data(n=6)
    y = rng.integers(0, 2, X.shape[0])
    with pytest.raises(InvalidParameterError, match="The 'n_neighbors' parameter of "
                                                    f"{cls.__name__} must be an int in the "
                                                    r"range \[1, inf\). Got 0 instead"):
        cls(0).fit(X, y)
    with pytest.raises(InvalidParameterError, match="The 'weights' parameter"):
        cls(weights="gaussian").fit(X, y)
    with pytest.raises(ValueError, match="n_neighbors = 7 and n_samples_fit = 6"):
        cls(7).fit(X, y)
    model = cls(6).fit(X, y)
    model.set_params(n_neighbors=7)  # after fit: refused where it is used
    with pytest.raises(ValueError, match="n_neighbors = 7 and n_samples_fit = 6"):
        model.predict(Q)
    model.set_params(n_neighbors=2)
    with pytest.raises(ValueError, match=r"n_neighbors <= n_samples_fit - 1, but "
                                         "n_neighbors = 6 and n_samples_fit = 6"):
        model.kneighbors(n_neighbors=6)
    with pytest.raises(ValueError, match="n_neighbors == 0, must be >= 1"):
        model.kneighbors(Q, n_neighbors=0)
    with pytest.raises(TypeError, match="n_neighbors must be of type Integral, got 2.0"):
        model.kneighbors(Q, n_neighbors=2.0)
    with pytest.raises(ValueError, match=f"X has 2 features, but {cls.__name__} is "
                                         "expecting 3 features as input"):
        model.predict(Q[:, :2])
    with pytest.raises(ValueError, match="X has 2 features"):
        model.kneighbors(Q[:, :2])


def test_multi_output_targets_must_match_the_samples():
    X, _, rng = _float_data(n=6)
    with pytest.raises(ValueError, match="Inconsistent numbers of samples: X has 6, y has 5"):
        KNeighborsRegressor(2).fit(X, rng.standard_normal((5, 2)))


# --- The Examples -----------------------------------------------------------------------


@pytest.mark.parametrize("module", [ftml.neighbors._regression,
                                    ftml.neighbors._classification])
def test_the_examples_run(module):
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0
