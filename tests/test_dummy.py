"""ftml.dummy against scikit-learn's sklearn.dummy, and the laws of its random strategies.

The deterministic strategies give scikit-learn's attributes and predictions on the same
data. The random ones ("stratified", "uniform") draw with numpy's Generator where
scikit-learn uses the legacy RandomState, so the drawn labels differ for the same seed;
what is tested is their law: on many draws, each class's frequency is within five binomial
standard deviations of its probability (a false alarm has probability below 1e-5 per class
for a fixed seed, and the seeds are fixed), and a seed reproduces its draws.
"""

import numpy as np
import pytest
import sklearn.dummy

from ftml.dummy import DummyClassifier, DummyRegressor
from ftml.exceptions import InvalidParameterError

RTOL = 1e-12


def _regression_data(n_samples, seed=0):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((n_samples, 3)), rng.exponential(size=n_samples) * 10.0


def _labels(kind, seed=0, n_samples=50):
    """Unbalanced labels of three classes, as ints or strings."""
    rng = np.random.default_rng(seed)
    codes = rng.choice(3, size=n_samples, p=[0.5, 0.3, 0.2])
    labels = np.array(["ham", "spam", "eggs"])[codes] if kind == "str" else codes * 2 - 1
    return rng.standard_normal((n_samples, 2)), labels


# --- DummyRegressor ---------------------------------------------------------------------


@pytest.mark.parametrize("n_samples", [1, 2, 7, 40])
@pytest.mark.parametrize("params", [
    {"strategy": "mean"},
    {"strategy": "median"},
    *({"strategy": "quantile", "quantile": q} for q in (0.0, 0.1, 0.25, 0.5, 0.9, 1.0)),
    {"strategy": "constant", "constant": -2.5},
    {"strategy": "constant", "constant": 3},
], ids=repr)
def test_regressor_equals_sklearn(params, n_samples):
    X, y = _regression_data(n_samples)
    ours = DummyRegressor(**params).fit(X, y)
    theirs = sklearn.dummy.DummyRegressor(**params).fit(X, y)
    assert ours.constant_.shape == theirs.constant_.shape == (1, 1)
    assert ours.constant_.dtype == np.float64
    np.testing.assert_allclose(ours.constant_, theirs.constant_, rtol=RTOL)
    assert ours.n_outputs_ == theirs.n_outputs_ == 1 and ours.n_features_in_ == 3
    X_test = np.random.default_rng(1).standard_normal((5, 3))
    assert ours.predict(X_test).shape == (5,)
    np.testing.assert_allclose(ours.predict(X_test), theirs.predict(X_test), rtol=RTOL)


def test_regressor_constants_minimise_their_losses():
    """The mean minimises the squared error, the median the absolute error, the quantile
    at level q the pinball loss: the course's reason for each baseline."""
    X, y = _regression_data(41)
    grid = np.linspace(y.min(), y.max(), 2001)

    def best(loss):
        return grid[np.argmin([loss(y - c) for c in grid])]

    step = grid[1] - grid[0]
    mean = DummyRegressor().fit(X, y).constant_[0, 0]
    assert abs(mean - best(lambda r: np.mean(r ** 2))) <= step
    median = DummyRegressor(strategy="median").fit(X, y).constant_[0, 0]
    assert abs(median - best(lambda r: np.mean(np.abs(r)))) <= step
    q = 0.8
    quantile = DummyRegressor(strategy="quantile", quantile=q).fit(X, y).constant_[0, 0]
    assert abs(quantile - best(lambda r: np.mean(np.maximum(q * r, (q - 1) * r)))) <= 2 * step


def test_the_mean_baseline_scores_zero_r2_on_its_training_data():
    X, y = _regression_data(30)
    assert DummyRegressor().fit(X, y).score(X, y) == pytest.approx(0.0, abs=1e-15)
    assert DummyRegressor(strategy="median").fit(X, y).score(X, y) < 0.0


# --- DummyClassifier, deterministic strategies ------------------------------------------


@pytest.mark.parametrize("kind", ["int", "str"])
@pytest.mark.parametrize("strategy", ["prior", "most_frequent", "uniform", "constant"])
def test_classifier_equals_sklearn(strategy, kind):
    X, y = _labels(kind)
    classes, counts = np.unique(y, return_counts=True)
    constant = classes[np.argmin(counts)].item() if strategy == "constant" else None
    ours = DummyClassifier(strategy=strategy, constant=constant).fit(X, y)
    theirs = sklearn.dummy.DummyClassifier(strategy=strategy, constant=constant).fit(X, y)
    np.testing.assert_array_equal(ours.classes_, theirs.classes_)
    np.testing.assert_allclose(ours.class_prior_, theirs.class_prior_, rtol=RTOL)
    assert ours.n_classes_ == theirs.n_classes_ == 3 and ours.n_outputs_ == theirs.n_outputs_
    X_test = np.zeros((6, 2))
    np.testing.assert_allclose(ours.predict_proba(X_test), theirs.predict_proba(X_test),
                               rtol=RTOL)
    with np.errstate(divide="ignore"):  # scikit-learn's log(0)
        np.testing.assert_allclose(ours.predict_log_proba(X_test),
                                   theirs.predict_log_proba(X_test), rtol=RTOL)
    if strategy != "uniform":  # uniform predictions are random, tested below
        np.testing.assert_array_equal(ours.predict(X_test), theirs.predict(X_test))
        assert ours.score(X, y) == pytest.approx(theirs.score(X, y))


def test_a_tie_for_the_most_frequent_class_goes_to_the_smallest_label():
    X, y = np.zeros((4, 1)), np.array([3, 1, 3, 1])
    for strategy in ("prior", "most_frequent"):
        ours = DummyClassifier(strategy=strategy).fit(X, y)
        theirs = sklearn.dummy.DummyClassifier(strategy=strategy).fit(X, y)
        np.testing.assert_array_equal(ours.predict(X), [1, 1, 1, 1])
        np.testing.assert_array_equal(ours.predict(X), theirs.predict(X))


def test_the_prior_baseline_scores_the_majority_frequency():
    X, y = _labels("str", n_samples=200)
    model = DummyClassifier().fit(X, y)
    assert model.score(X, y) == pytest.approx(model.class_prior_.max())
    assert model.predict(X[:1])[0] == model.classes_[np.argmax(model.class_prior_)]


def test_a_single_class_is_predicted_with_probability_one():
    X, y = np.zeros((5, 1)), np.full(5, "only")
    for strategy in ("prior", "most_frequent", "stratified", "uniform"):
        model = DummyClassifier(strategy=strategy, random_state=0).fit(X, y)
        np.testing.assert_array_equal(model.predict(X), y)
        np.testing.assert_array_equal(model.predict_proba(X), np.ones((5, 1)))


def test_constant_matches_labels_of_another_numeric_type():
    X = np.zeros((4, 1))
    model = DummyClassifier(strategy="constant", constant=1).fit(X, [0.0, 1.0, 1.0, 0.0])
    np.testing.assert_array_equal(model.predict(X), [1.0, 1.0, 1.0, 1.0])


# --- DummyClassifier, random strategies: the law, not scikit-learn's stream --------------


def _within_binomial_tolerance(labels, classes, probabilities, n_sigmas=5.0):
    n_draws = labels.shape[0]
    frequencies = np.array([np.mean(labels == label) for label in classes])
    tolerance = n_sigmas * np.sqrt(probabilities * (1 - probabilities) / n_draws)
    assert np.isin(labels, classes).all()
    assert np.all(np.abs(frequencies - probabilities) <= tolerance), (frequencies,
                                                                        probabilities)


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("kind", ["int", "str"])
def test_stratified_draws_from_the_class_prior(kind, seed):
    X, y = _labels(kind, seed=seed)
    model = DummyClassifier(strategy="stratified", random_state=seed).fit(X, y)
    X_test = np.zeros((20_000, 2))
    predictions = model.predict(X_test)
    _within_binomial_tolerance(predictions, model.classes_, model.class_prior_)
    proba = model.predict_proba(X_test)  # the one-hot encoding of the same draws
    assert set(np.unique(proba)) == {0.0, 1.0}
    np.testing.assert_array_equal(proba.sum(axis=1), 1.0)
    np.testing.assert_array_equal(model.classes_[proba.argmax(axis=1)], predictions)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_uniform_draws_each_class_with_probability_one_over_n_classes(seed):
    X, y = _labels("str", seed=seed)
    model = DummyClassifier(strategy="uniform", random_state=seed).fit(X, y)
    predictions = model.predict(np.zeros((20_000, 2)))
    _within_binomial_tolerance(predictions, model.classes_, np.full(3, 1 / 3))
    np.testing.assert_array_equal(model.predict_proba(np.zeros((2, 2))), np.full((2, 3), 1 / 3))


@pytest.mark.parametrize("strategy", ["stratified", "uniform"])
def test_random_strategies_are_reproducible_from_their_seed(strategy):
    X, y = _labels("int")
    X_test = np.zeros((500, 2))

    def draws(random_state):
        return DummyClassifier(strategy=strategy, random_state=random_state).fit(
            X, y).predict(X_test)

    np.testing.assert_array_equal(draws(7), draws(7))
    model = DummyClassifier(strategy=strategy, random_state=7).fit(X, y)
    np.testing.assert_array_equal(model.predict(X_test), model.predict(X_test))  # an int
    assert not np.array_equal(draws(7), draws(8))
    generator = np.random.default_rng(7)
    streaming = DummyClassifier(strategy=strategy, random_state=generator).fit(X, y)
    first, second = streaming.predict(X_test), streaming.predict(X_test)
    assert not np.array_equal(first, second)  # a Generator continues its stream
    np.testing.assert_array_equal(first, draws(7))  # ... from the seed's first draws


def test_random_predictions_are_no_better_than_their_law():
    """A random guess on balanced classes is right about 1 time in n_classes."""
    rng = np.random.default_rng(3)
    X, y = rng.standard_normal((20_000, 2)), rng.integers(0, 4, 20_000)
    accuracy = DummyClassifier(strategy="uniform", random_state=0).fit(X, y).score(X, y)
    assert abs(accuracy - 0.25) <= 5 * np.sqrt(0.25 * 0.75 / 20_000)


# --- Bad parameters and data ------------------------------------------------------------


@pytest.mark.parametrize("Estimator, strategy", [(DummyRegressor, "mode"),
                                                 (DummyClassifier, "mean")])
def test_an_unknown_strategy_is_refused_naming_it(Estimator, strategy):
    X, y = _labels("int")
    with pytest.raises(InvalidParameterError, match=rf"The 'strategy' parameter of "
                                                    rf"{Estimator.__name__} must be a str "
                                                    rf"among .* Got '{strategy}' instead"):
        Estimator(strategy=strategy).fit(X, y)


@pytest.mark.parametrize("quantile", [-0.1, 1.5, float("nan")])
def test_a_quantile_outside_0_1_is_refused(quantile):
    X, y = _regression_data(10)
    with pytest.raises(InvalidParameterError, match=r"The 'quantile' parameter of "
                                                    r"DummyRegressor must be a float in the "
                                                    r"range \[0.0, 1.0\] or None"):
        DummyRegressor(strategy="quantile", quantile=quantile).fit(X, y)


def test_the_quantile_strategy_needs_a_quantile():
    X, y = _regression_data(10)
    with pytest.raises(ValueError, match=r"DummyRegressor\(strategy='quantile'\) needs the "
                                         r"level of the quantile: set quantile"):
        DummyRegressor(strategy="quantile").fit(X, y)


@pytest.mark.parametrize("Estimator", [DummyRegressor, DummyClassifier])
def test_the_constant_strategy_needs_a_constant(Estimator):
    X, y = _labels("int")
    with pytest.raises(ValueError, match=rf"{Estimator.__name__}\(strategy='constant'\) "
                                         r"needs the .* to predict: set constant"):
        Estimator(strategy="constant").fit(X, y)


def test_a_constant_label_absent_from_the_training_data_is_refused():
    X, y = _labels("str")
    with pytest.raises(ValueError, match=r"The constant target value must be present in the "
                                         r"training data. You provided constant='bacon'. "
                                         r"Possible values are: \['eggs', 'ham', 'spam'\]"):
        DummyClassifier(strategy="constant", constant="bacon").fit(X, y)


@pytest.mark.parametrize("Estimator, constant", [(DummyRegressor, "1"),
                                                 (DummyRegressor, float("inf")),
                                                 (DummyClassifier, 1.5)])
def test_a_constant_of_the_wrong_type_is_refused(Estimator, constant):
    X, y = _labels("int")
    with pytest.raises(InvalidParameterError, match=f"The 'constant' parameter of "
                                                    f"{Estimator.__name__} must be"):
        Estimator(strategy="constant", constant=constant).fit(X, y)


@pytest.mark.parametrize("Estimator", [DummyRegressor, DummyClassifier])
def test_several_outputs_are_refused_naming_the_problem(Estimator):
    X, y = _labels("int")
    Y = np.column_stack([y, y, y])
    with pytest.raises(ValueError, match=rf"{Estimator.__name__} supports a single output: y "
                                         r"must be 1-D of shape \(n_samples,\), got shape "
                                         r"\(50, 3\), 3 outputs"):
        Estimator().fit(X, Y)


def test_the_fitted_strategy_is_kept_when_the_parameter_changes_after_fit():
    X, y = _labels("int")
    model = DummyClassifier(strategy="most_frequent").fit(X, y)
    expected = model.predict(X)
    model.set_params(strategy="constant")  # takes effect at the next fit, as in sklearn
    np.testing.assert_array_equal(model.predict(X), expected)
