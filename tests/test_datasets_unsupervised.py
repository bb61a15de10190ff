"""The unsupervised chapter's laws: blobs with known centres, the spiked covariance model."""

import math

import numpy as np
import pytest

from ftml.datasets import make_blobs_model, make_spiked_covariance


def test_blobs_sample_around_their_centres_with_the_stated_spread():
    model = make_blobs_model(200_000, n_features=3, n_centers=4, cluster_std=0.5)
    X, labels = model.sample(np.random.default_rng(0))
    assert X.shape == (200_000, 3) and set(np.unique(labels)) == {0.0, 1.0, 2.0, 3.0}
    for k in range(4):
        inside = labels == k
        assert abs(inside.mean() - 0.25) < 0.005
        np.testing.assert_allclose(X[inside].mean(axis=0), model.centers[k], atol=0.01)
    residual = X - model.centers[labels.astype(int)]
    assert np.mean(np.sum(residual**2, axis=1)) == pytest.approx(
        model.within_cluster_variance, rel=0.01)


def test_blob_centres_do_not_depend_on_the_sample_size():
    small = make_blobs_model(10, 2, 5, structure_seed=3)
    large = make_blobs_model(10_000, 2, 5, structure_seed=3)
    np.testing.assert_array_equal(small.centers, large.centers)
    assert not np.array_equal(small.centers, make_blobs_model(10, 2, 5).centers)


@pytest.mark.parametrize("n_features, n_centers", [(1, 8), (2, 8), (10, 3), (3, 20)])
def test_blob_centres_are_at_least_the_separation_apart(n_features, n_centers):
    model = make_blobs_model(10, n_features, n_centers, separation=7.0)
    gaps = np.sqrt(((model.centers[:, None] - model.centers[None]) ** 2).sum(axis=2))
    assert model.centers.shape == (n_centers, n_features)
    assert np.min(gaps[~np.eye(n_centers, dtype=bool)]) >= 7.0


def test_spiked_covariance_eigenvalues_are_the_spikes_above_the_floor():
    model = make_spiked_covariance(5, n_features=6, n_spikes=2, spike=8.0, noise=0.5)
    np.testing.assert_allclose(np.linalg.eigvalsh(model.covariance)[::-1], model.eigenvalues,
                               rtol=1e-12)
    np.testing.assert_allclose(model.eigenvalues, [8.25, 4.25, 0.25, 0.25, 0.25, 0.25])


def test_spiked_covariance_samples_have_its_covariance():
    model = make_spiked_covariance(400_000, n_features=4, n_spikes=1, spike=5.0)
    X, _ = model.sample(np.random.default_rng(1))
    empirical = X.T @ X / X.shape[0]
    scale = np.sqrt(np.outer(np.diag(model.covariance), np.diag(model.covariance)))
    assert np.max(np.abs(empirical - model.covariance) / scale) < 5 * math.sqrt(2 / 400_000)


@pytest.mark.parametrize("call,message", [
    (lambda: make_blobs_model(0, 2, 2), "n_samples"),
    (lambda: make_blobs_model(5, 2, 2, cluster_std=-1.0), "cluster_std"),
    (lambda: make_spiked_covariance(5, 3, 4), "n_spikes"),
    (lambda: make_spiked_covariance(5, 3, 1, noise=0.0), "noise"),
])
def test_bad_parameters_are_refused(call, message):
    with pytest.raises(ValueError, match=message):
        call()
