"""The unsupervised chapter's closed forms, metrics and config vocabulary.

The closed forms are checked against simulation (Lawley's eigenvalue bias, the share of
variance off a subspace), the metrics against what they claim to compute (identities to
rounding, scikit-learn's PCA), and the config against the values PCA's ``n_components``
takes (an int keeps that many components, a float a share of the variance).
"""

import copy
import math
import numbers

import numpy as np
import pytest
from sklearn.cluster import KMeans as SklearnKMeans

from ftml.cluster import KMeans
from ftml.datasets import make_norm_target, make_spiked_covariance
from ftml.decomposition import PCA
from ftml.experiments import unsupervised_metrics as metrics
from ftml.experiments.catalog.unsupervised import _SklearnKMeans
from ftml.experiments.config import ConfigError, load_config
from ftml.experiments.config._casting import cast_value
from ftml.theory import kmeans_plusplus_bound, sample_eigenvalue_bias

# --- closed forms -----------------------------------------------------------------------


def test_the_kmeans_plusplus_factor_is_8_log_k_plus_16():
    for k in (1, 2, 10, 100):
        assert kmeans_plusplus_bound(k) == pytest.approx(8 * (math.log(k) + 2), rel=1e-15)
    with pytest.raises(ValueError, match="at least 1"):
        kmeans_plusplus_bound(0)


def test_lawley_s_bias_of_one_spike_is_the_noise_term():
    eigenvalues = [5.0] + [1.0] * 9
    assert sample_eigenvalue_bias(eigenvalues, 101) == pytest.approx(9 * 5 / (100 * 4))
    with pytest.raises(ValueError, match="not simple"):
        sample_eigenvalue_bias(eigenvalues, 101, index=1)
    with pytest.raises(ValueError, match="n_samples"):
        sample_eigenvalue_bias(eigenvalues, 1)


def test_lawley_s_bias_matches_simulation():
    """The mean top eigenvalue of the sample covariance of 4,000 Gaussian samples of
    n = 200 in d = 20 (a spike of 4 over 1): bias and formula agree within 4 SE."""
    model = make_spiked_covariance(200, 20, 1, spike=3.0, noise=1.0)
    rng = np.random.default_rng(0)
    tops = [np.linalg.eigvalsh(np.cov(model.sample(rng)[0], rowvar=False))[-1]
            for _ in range(4000)]
    bias = np.mean(tops) - model.eigenvalues[0]
    standard_error = np.std(tops, ddof=1) / np.sqrt(len(tops))
    predicted = sample_eigenvalue_bias(model.eigenvalues, 200)
    assert predicted == pytest.approx(19 * 4 / (199 * 3))
    assert abs(bias - predicted) < 4 * standard_error, (bias, predicted, standard_error)


def test_the_input_noise_adds_its_variance_off_the_subspace():
    model = make_norm_target(100_000, 6, intrinsic_dimension=2, input_noise=0.05)
    X, _ = model.sample(np.random.default_rng(1))
    np.testing.assert_allclose(np.cov(X, rowvar=False), model.input_covariance, atol=3e-3)
    share = model.unexplained_variance_share(2)
    trace = np.trace(model.input_covariance)
    assert share == pytest.approx(4 * 0.05**2 / trace, rel=1e-10)
    assert metrics.variance_beyond_intrinsic(None, X, None, _Context(model)) == pytest.approx(
        share, rel=0.02)
    assert make_norm_target(10, 3).unexplained_variance_share(3) == 0.0


class _Context:
    def __init__(self, model):
        self.model = model


# --- metrics ------------------------------------------------------------------------------


def _gaussian(seed=0, n=300, d=8):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((n, d)) @ rng.standard_normal((d, d)) + 3.0


def test_the_pca_identities_hold_to_rounding_and_fail_on_a_wrong_model():
    X = _gaussian()
    pca = PCA(n_components=3).fit(X)
    assert metrics.explained_ratio_identity(pca, X) < 1e-14
    assert abs(metrics.retained_variance_identity(pca, X)) < 1e-14
    assert metrics.sklearn_component_gap(pca, X) < 1e-10
    # A negative control: the same model measured on other data is no longer exact.
    other = _gaussian(seed=1)
    assert metrics.explained_ratio_identity(pca, other) > 1e-3
    assert abs(metrics.retained_variance_identity(pca, other)) > 1e-3


def test_the_component_gap_counts_components_kept_differently():
    X = _gaussian()
    pca = PCA(n_components=0.9).fit(X)
    assert metrics.sklearn_component_gap(pca, X) < 1e-10
    pca.n_components_ += 1  # as if the share were read differently
    assert metrics.sklearn_component_gap(pca, X) == 1.0


def test_the_spectral_gap_finds_the_number_of_spikes():
    model = make_spiked_covariance(2000, 30, 3, spike=30.0)
    X, _ = model.sample(np.random.default_rng(2))
    pca = PCA(n_components=10).fit(X)
    assert metrics.spectral_gap_components(pca, X, None, None) == 3.0
    with pytest.raises(ValueError, match="at least 2 components"):
        metrics.spectral_gap_components(PCA(n_components=1).fit(X), X, None, None)


def test_the_seeding_ratio_is_at_least_one_at_the_end_and_never_rises():
    rng = np.random.default_rng(3)
    X = np.vstack([rng.standard_normal((100, 2)) + centre for centre in ([0, 0], [6, 0], [0, 6])])
    model = KMeans(3, tol=0.0, random_state=4).fit(X)
    ratios = metrics.inertia_over_best(model, X)
    assert ratios.shape == (model.n_iter_ + 1,)
    assert ratios[-1] >= 1.0 and np.all(np.diff(ratios) <= 1e-12)
    best = metrics.best_inertia_found(X, 3)
    assert best == pytest.approx(SklearnKMeans(3, n_init=10, random_state=0).fit(X).inertia_,
                                 rel=1e-6)


def test_a_clustering_score_of_one_cluster_is_refused():
    X = _gaussian()
    one = KMeans(1).fit(X)
    with pytest.raises(ValueError, match="at least 2 clusters"):
        metrics.silhouette(one, X)


def test_the_adapter_fits_scikit_learn_s_kmeans():
    X = _gaussian(n=500, d=3)
    ours = _SklearnKMeans(4, n_init=3, random_state=5).fit(X)
    theirs = SklearnKMeans(4, n_init=3, random_state=5, algorithm="lloyd").fit(X)
    np.testing.assert_array_equal(ours.labels_, theirs.labels_)
    assert ours.inertia_ == theirs.inertia_ and ours.n_iter_ == theirs.n_iter_
    np.testing.assert_array_equal(ours.predict(X), theirs.predict(X))
    with pytest.raises(ValueError, match="n_samples"):
        _SklearnKMeans(10).fit(X[:5])


# --- config -------------------------------------------------------------------------------


def test_an_int_or_float_parameter_keeps_its_written_type():
    assert cast_value(2, numbers.Real) == 2 and type(cast_value("2", numbers.Real)) is int
    assert type(cast_value(0.9, numbers.Real)) is float
    assert type(cast_value("1e-1", numbers.Real)) is float
    with pytest.raises(ValueError, match="expected a float"):
        cast_value("many", numbers.Real)


def _pca_config(grid, **experiment):
    spec = {"chapter": "c", "title": "t", "description": "d", "dataset": "iris",
            "estimator": "PCA", "grid": grid,
            "evaluation": {"protocol": "cross_validation", "replicates": 1, "folds": 3},
            "metrics": ["n_components_kept"], "checks": [],
            "figure": [{"metric": "n_components_kept", "x": "n_components"}]}
    spec.update(experiment)
    return {"seed": 1, "datasets": {"iris": {"bundled": "iris"}},
            "experiments": {"pca": spec}}


def test_pca_takes_a_number_of_components_or_a_share_of_the_variance():
    experiment = load_config(_pca_config({"n_components": [2, "3", 0.9]})).experiments["pca"]
    values = [point.estimator_params["n_components"] for point in experiment.points]
    assert values == [2, 3, 0.9] and [type(v) for v in values] == [int, int, float]
    with pytest.raises(ConfigError) as info:
        load_config(_pca_config({"n_components": [5]}))  # iris has 4 features
    assert any("n_components" in path for path, _ in info.value.problems)


def test_a_transformer_has_no_per_class_report():
    with pytest.raises(ConfigError) as info:
        load_config(_pca_config({"n_components": [2]}, per_class_report=True))
    assert ("experiments.pca.per_class_report",
            "PCA predicts nothing (a transformer): there are no out-of-fold predictions to "
            "report") in info.value.problems


def test_the_shipped_unsupervised_experiments_validate():
    import yaml

    raw = yaml.safe_load(open("config/config.yaml"))
    names = ["kmeans_lloyd", "kmeans_choose_k", "kmeans_digits", "pca_explained_variance",
             "pca_low_dimensional_support", "pca_digits", "gmm_em", "gmm_digits", "gmm_bic"]
    one = copy.deepcopy(raw)
    one["experiments"] = {name: raw["experiments"][name] for name in names}
    experiments = load_config(one).experiments
    assert {experiments[name].spec["chapter"] for name in names} == {"Unsupervised learning"}


def test_a_metric_s_own_module_reruns_the_jobs_that_measure_it():
    """The monte_carlo protocol does not import ftml.experiments.unsupervised_metrics: its
    source must still join the training jobs' hash, or editing a metric would leave stale
    tables."""
    from ftml.experiments.provenance import module_closure

    config = load_config(_pca_config({"n_components": [2]}, metrics=[
        "n_components_kept", "train_sklearn_component_gap"]))
    experiment = config.experiments["pca"]
    modules = experiment.protocol.code_modules(experiment, experiment.points[0])
    assert "ftml.experiments.unsupervised_metrics" in modules
    assert "ftml.experiments.unsupervised_metrics" not in module_closure(
        [experiment.protocol.__module__])
