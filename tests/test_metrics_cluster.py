"""ftml's clustering metrics against scikit-learn's, to 1e-12.

On random data of several sizes and label sets (integers, strings, singleton clusters, two
clusters, as many as ``n_samples - 1``), :func:`silhouette_score`,
:func:`calinski_harabasz_score` and :func:`adjusted_rand_score` equal scikit-learn's; the
edge cases raise or return what scikit-learn does; the silhouette's blocks of distances do
not change it.
"""

import numpy as np
import pytest
from sklearn import metrics as sk

import ftml.metrics._cluster
from ftml.metrics import adjusted_rand_score, calinski_harabasz_score, silhouette_score

TOL = dict(rel=1e-12, abs=1e-12)
SIZES = [(5, 1, 2), (30, 3, 2), (100, 4, 5), (400, 10, 12), (60, 2, 59)]


def _labelled(seed, n, n_features, n_labels, strings=False):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, n_features)) + rng.uniform(-3, 3, n_features)
    # Every label used at least once (one sample each first), then at random.
    labels = np.concatenate([np.arange(n_labels), rng.integers(n_labels, size=n - n_labels)])
    rng.shuffle(labels)
    X += labels[:, None] * 0.5  # some structure
    if strings:
        labels = np.array([f"cluster-{label}" for label in labels])
    return X, labels


@pytest.mark.parametrize("strings", [False, True])
@pytest.mark.parametrize("n, n_features, n_labels", SIZES)
@pytest.mark.parametrize("seed", range(3))
def test_silhouette_and_calinski_harabasz_equal_sklearn(seed, n, n_features, n_labels, strings):
    X, labels = _labelled(seed, n, n_features, n_labels, strings)
    assert silhouette_score(X, labels) == pytest.approx(sk.silhouette_score(X, labels), **TOL)
    assert calinski_harabasz_score(X, labels) == pytest.approx(
        sk.calinski_harabasz_score(X, labels), **TOL)


def test_singleton_clusters_and_duplicates_score_as_in_sklearn():
    X = np.array([[0.0], [0.0], [5.0], [7.0], [7.0], [20.0]])
    for labels in ([0, 0, 1, 2, 2, 3], [0, 1, 1, 2, 2, 2], ["a", "a", "b", "b", "c", "c"]):
        assert silhouette_score(X, labels) == pytest.approx(sk.silhouette_score(X, labels),
                                                            **TOL)
        assert calinski_harabasz_score(X, labels) == pytest.approx(
            sk.calinski_harabasz_score(X, labels), **TOL)
    identical = np.zeros((4, 2))
    assert silhouette_score(identical, [0, 0, 1, 1]) == sk.silhouette_score(identical,
                                                                            [0, 0, 1, 1])
    assert calinski_harabasz_score(identical, [0, 0, 1, 1]) == 1.0


def test_the_silhouette_s_blocks_do_not_change_it(monkeypatch):
    X, labels = _labelled(0, 300, 5, 7)
    whole = silhouette_score(X, labels)
    monkeypatch.setattr(ftml.metrics._cluster, "WORKING_MEMORY", 8 * 300 * 7)  # 7 rows
    assert silhouette_score(X, labels) == pytest.approx(whole, rel=1e-14)
    monkeypatch.setattr(ftml.metrics._cluster, "WORKING_MEMORY", 1)  # 1 row
    assert silhouette_score(X, labels) == pytest.approx(whole, rel=1e-14)


@pytest.mark.parametrize("score", [silhouette_score, calinski_harabasz_score])
def test_one_cluster_or_one_per_sample_is_refused_as_in_sklearn(score):
    X = np.arange(8.0).reshape(4, 2)
    with pytest.raises(ValueError, match=r"Number of labels is 1\. Valid values are 2 to "
                                         r"n_samples - 1 \(inclusive\)"):
        score(X, [3, 3, 3, 3])
    with pytest.raises(ValueError, match="Number of labels is 4"):
        score(X, ["a", "b", "c", "d"])
    with pytest.raises(ValueError, match="Inconsistent numbers of samples"):
        score(X, [0, 1, 0])
    with pytest.raises(ValueError, match="labels must be 1-D"):
        score(X, [[0, 1], [0, 1]])
    with pytest.raises(ValueError, match="X contains NaN"):
        score([[0.0], [np.nan], [1.0]], [0, 1, 1])


@pytest.mark.parametrize("n", [1, 2, 10, 100, 1000])
@pytest.mark.parametrize("seed", range(4))
def test_adjusted_rand_score_equals_sklearn(seed, n):
    rng = np.random.default_rng(seed)
    for n_true, n_pred in [(1, 1), (1, 3), (2, 2), (3, 7), (10, 4), (n, n)]:
        true = rng.integers(n_true, size=n)
        pred = rng.integers(n_pred, size=n)
        assert adjusted_rand_score(true, pred) == pytest.approx(
            sk.adjusted_rand_score(true, pred), **TOL)
        noisy = np.where(rng.random(n) < 0.2, pred, true)  # correlated
        assert adjusted_rand_score(true, noisy) == pytest.approx(
            sk.adjusted_rand_score(true, noisy), **TOL)
        strings = np.array([f"c{label}" for label in pred])
        assert adjusted_rand_score(true, strings) == pytest.approx(
            sk.adjusted_rand_score(true, pred), **TOL)


def test_identical_labelings_up_to_renaming_score_one():
    rng = np.random.default_rng(0)
    labels = rng.integers(5, size=200)
    names = np.array(["e", "d", "c", "b", "a"])[labels]
    assert adjusted_rand_score(labels, labels) == 1.0
    assert adjusted_rand_score(labels, names) == 1.0
    assert adjusted_rand_score(names, labels) == 1.0
    assert adjusted_rand_score([0, 0, 0], [1, 1, 1]) == 1.0  # one cluster each
    assert adjusted_rand_score([0, 1, 2], [5, 6, 7]) == 1.0  # singletons each
    assert adjusted_rand_score([], []) == sk.adjusted_rand_score([], []) == 1.0


def test_adjusted_rand_score_is_symmetric_and_exact_on_large_counts():
    rng = np.random.default_rng(1)
    true, pred = rng.integers(3, size=200_000), rng.integers(4, size=200_000)
    assert adjusted_rand_score(true, pred) == pytest.approx(
        adjusted_rand_score(pred, true), **TOL)
    assert adjusted_rand_score(true, pred) == pytest.approx(
        sk.adjusted_rand_score(true, pred), **TOL)


def test_adjusted_rand_score_refuses_bad_labelings():
    with pytest.raises(ValueError, match="Inconsistent numbers of samples"):
        adjusted_rand_score([0, 1], [0, 1, 1])
    with pytest.raises(ValueError, match="labels_true must be 1-D"):
        adjusted_rand_score([[0, 1]], [0, 1])
    with pytest.raises(TypeError, match="labels_pred must hold labels of one sortable type"):
        adjusted_rand_score([0, 1], np.array([0, "a"], dtype=object))
