"""Tests for ftml.datasets: the linear-Gaussian generators and the data loaders."""

import dataclasses
import math
import re

import numpy as np
import pytest
from scipy.linalg import toeplitz

from ftml.datasets import (
    LinearGaussianModel,
    load_bundled,
    load_diabetes,
    load_file,
    make_linear_gaussian,
    make_linear_regression,
)


# --------------------------------------------------------------------------- generators


@pytest.mark.parametrize("design", ["fixed", "random"])
def test_same_seed_same_model_and_sample(design):
    first = make_linear_gaussian(30, 5, design=design, correlation=0.3, random_state=7)
    second = make_linear_gaussian(30, 5, design=design, correlation=0.3, random_state=7)
    np.testing.assert_array_equal(first.theta, second.theta)
    if design == "fixed":
        np.testing.assert_array_equal(first.design, second.design)
    for a, b in zip(first.sample(random_state=3), second.sample(random_state=3)):
        np.testing.assert_array_equal(a, b)

    other = make_linear_gaussian(30, 5, design=design, correlation=0.3, random_state=8)
    assert not np.array_equal(first.theta, other.theta)


def test_draw_order_is_the_documented_one():
    # The docstring promises: theta direction first, then the design through a Cholesky
    # factor; then sample() draws only the noise in fixed design.
    n_samples, n_features, correlation, theta_norm, noise = 12, 4, 0.5, 3.0, 0.7
    model = make_linear_gaussian(
        n_samples, n_features, noise=noise, theta_norm=theta_norm, correlation=correlation,
        random_state=123,
    )
    rng = np.random.default_rng(123)
    direction = rng.standard_normal(n_features)
    expected_theta = theta_norm * direction / np.linalg.norm(direction)
    covariance = toeplitz(correlation ** np.arange(n_features))
    expected_X = rng.standard_normal((n_samples, n_features)) @ np.linalg.cholesky(covariance).T
    np.testing.assert_allclose(model.theta, expected_theta, rtol=1e-14)
    np.testing.assert_allclose(model.design, expected_X, rtol=1e-14)

    noise_rng = np.random.default_rng(5)
    _, y = model.sample(random_state=5)
    expected_y = expected_X @ expected_theta + noise * noise_rng.standard_normal(n_samples)
    np.testing.assert_allclose(y, expected_y, rtol=1e-13)


@pytest.mark.parametrize("design", ["fixed", "random"])
def test_make_linear_regression_is_model_then_sample_from_one_generator(design):
    X, y, model = make_linear_regression(25, 3, design=design, noise=0.5, random_state=11)
    rng = np.random.default_rng(11)
    expected_model = make_linear_gaussian(25, 3, design=design, noise=0.5, random_state=rng)
    expected_X, expected_y = expected_model.sample(random_state=rng)
    np.testing.assert_array_equal(model.theta, expected_model.theta)
    np.testing.assert_array_equal(X, expected_X)
    np.testing.assert_array_equal(y, expected_y)
    assert X.shape == (25, 3) and y.shape == (25,)


def test_fixed_design_sample_keeps_the_design_and_redraws_the_noise():
    model = make_linear_gaussian(20, 3, design="fixed", random_state=0)
    X1, y1 = model.sample(random_state=1)
    X2, y2 = model.sample(random_state=2)
    np.testing.assert_array_equal(X1, model.design)
    np.testing.assert_array_equal(X2, model.design)
    assert not np.array_equal(y1, y2)
    # sample() hands out a copy: editing it must not move the model's design.
    X1[0, 0] += 100.0
    np.testing.assert_array_equal(X2, model.design)


def test_random_design_sample_redraws_the_design():
    model = make_linear_gaussian(20, 3, design="random", random_state=0)
    assert model.design is None and not model.fixed_design
    X1, _ = model.sample(random_state=1)
    X2, _ = model.sample(random_state=2)
    assert X1.shape == X2.shape == (20, 3)
    assert not np.array_equal(X1, X2)


def test_random_design_covariance_is_toeplitz():
    # Each entry of X^T X / n has standard error sqrt((1 + rho_ij^2) / n) <= 0.0032 for
    # n = 200_000; the tolerance 0.02 is more than 6 standard errors.
    correlation, n_features = 0.6, 4
    model = make_linear_gaussian(
        200_000, n_features, design="random", correlation=correlation, random_state=0
    )
    X, _ = model.sample(random_state=1)
    expected = toeplitz(correlation ** np.arange(n_features))
    np.testing.assert_array_equal(model.covariance, expected)
    np.testing.assert_allclose(X.T @ X / X.shape[0], expected, atol=0.02)


def test_zero_correlation_gives_identity_covariance():
    model = make_linear_gaussian(5, 3, random_state=0)
    np.testing.assert_array_equal(model.covariance, np.eye(3))


@pytest.mark.parametrize("theta_norm", [0.0, 0.3, 1.0, 25.0])
@pytest.mark.parametrize("n_features", [1, 2, 17])
def test_theta_lies_on_the_sphere(theta_norm, n_features):
    model = make_linear_gaussian(4, n_features, theta_norm=theta_norm, random_state=2)
    assert model.theta.shape == (n_features,)
    assert math.isclose(np.linalg.norm(model.theta), theta_norm, rel_tol=1e-12)


def test_model_properties():
    model = make_linear_gaussian(9, 4, design="fixed", noise=0.3, random_state=0)
    assert model.n_features == 4
    assert model.n_samples == 9
    assert model.fixed_design
    assert math.isclose(model.bayes_risk, 0.09, rel_tol=1e-15)
    assert repr(model) == (
        "LinearGaussianModel(n_samples=9, n_features=4, design='fixed', noise=0.3)"
    )


def test_model_is_immutable():
    model = make_linear_gaussian(9, 4, random_state=0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        model.noise = 2.0
    with pytest.raises(ValueError, match="read-only"):
        model.theta[0] = 1.0
    with pytest.raises(ValueError, match="read-only"):
        model.design[0, 0] = 1.0


def test_excess_risk_fixed_design_by_hand():
    X = np.array([[1.0, 0.0], [0.0, 2.0], [1.0, 1.0]])
    model = LinearGaussianModel(
        theta=np.array([1.0, -1.0]), noise=1.0, covariance=np.eye(2), n_samples=3, design=X
    )
    # coef - theta* = (1, 1), X (1, 1) + 0.5 = (1.5, 2.5, 2.5): (2.25 + 6.25 + 6.25) / 3.
    assert math.isclose(model.excess_risk([2.0, 0.0], intercept=0.5), 14.75 / 3, rel_tol=1e-15)
    assert model.excess_risk([1.0, -1.0]) == 0.0


def test_excess_risk_random_design_by_hand():
    covariance = np.array([[2.0, 0.5], [0.5, 1.0]])
    model = LinearGaussianModel(
        theta=np.array([1.0, -1.0]), noise=1.0, covariance=covariance, n_samples=3
    )
    # (1, 1) Sigma (1, 1)^T = 2 + 0.5 + 0.5 + 1 = 4, plus intercept^2 = 0.25.
    assert math.isclose(model.excess_risk([2.0, 0.0], intercept=0.5), 4.25, rel_tol=1e-15)
    assert model.excess_risk(model.theta) == 0.0


def test_excess_risk_matches_a_large_test_set_in_random_design():
    # Cross-check of the formula against its definition, E[(y - f(x))^2] - sigma^2, on
    # 400_000 fresh points; the Monte-Carlo standard error is about 0.003 here.
    model = make_linear_gaussian(400_000, 3, design="random", correlation=0.5, random_state=0)
    coef, intercept = model.theta + np.array([0.5, -0.2, 0.1]), 0.3
    X, y = model.sample(random_state=1)
    measured = np.mean((y - X @ coef - intercept) ** 2) - model.bayes_risk
    assert abs(measured - model.excess_risk(coef, intercept)) < 0.015


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"n_samples": 0}, ValueError, "n_samples"),
        ({"n_samples": 10.0}, TypeError, "n_samples"),
        ({"n_features": 0}, ValueError, "n_features"),
        ({"n_features": True}, TypeError, "n_features"),
        ({"design": "mixed"}, ValueError, "design"),
        ({"design": None}, ValueError, "design"),
        ({"noise": -0.1}, ValueError, "noise"),
        ({"noise": math.inf}, ValueError, "noise"),
        ({"noise": "1"}, TypeError, "noise"),
        ({"theta_norm": -1.0}, ValueError, "theta_norm"),
        ({"theta_norm": math.nan}, ValueError, "theta_norm"),
        ({"correlation": 1.0}, ValueError, "correlation"),
        ({"correlation": -0.1}, ValueError, "correlation"),
        ({"random_state": -1}, ValueError, "random_state"),
        ({"random_state": "seed"}, TypeError, "random_state"),
    ],
)
def test_make_linear_gaussian_rejects_bad_arguments(kwargs, error, match):
    arguments = {"n_samples": 10, "n_features": 3, "random_state": 0, **kwargs}
    with pytest.raises(error, match=match):
        make_linear_gaussian(**arguments)
    with pytest.raises(error, match=match):
        make_linear_regression(**arguments)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"covariance": np.eye(3)}, "covariance must have shape"),
        ({"covariance": np.array([[1.0, 0.5], [0.0, 1.0]])}, "covariance must be symmetric"),
        ({"covariance": np.array([[1.0, 2.0], [2.0, 1.0]])}, "positive definite"),
        ({"design": np.ones((4, 2))}, "design must have shape"),
        ({"noise": -1.0}, "noise"),
        ({"n_samples": 0}, "n_samples"),
        ({"theta": np.array([1.0, np.nan])}, "theta contains NaN"),
    ],
)
def test_model_rejects_inconsistent_fields(kwargs, match):
    fields = {"theta": np.ones(2), "noise": 1.0, "covariance": np.eye(2), "n_samples": 3,
              **kwargs}
    with pytest.raises(ValueError, match=match):
        LinearGaussianModel(**fields)


def test_excess_risk_rejects_bad_coef_and_intercept():
    model = make_linear_gaussian(5, 3, random_state=0)
    with pytest.raises(ValueError, match=r"coef must have shape \(n_features,\) = \(3,\)"):
        model.excess_risk(np.ones(4))
    with pytest.raises(ValueError, match="coef"):
        model.excess_risk(np.ones((3, 1)))
    with pytest.raises(TypeError, match="intercept"):
        model.excess_risk(np.ones(3), intercept="0")


# --------------------------------------------------------------------------- loaders


def test_load_diabetes():
    X, y = load_diabetes()
    assert X.shape == (442, 10) and y.shape == (442,)
    assert X.dtype == y.dtype == np.float64
    X_named, y_named = load_bundled("diabetes")
    np.testing.assert_array_equal(X, X_named)
    np.testing.assert_array_equal(y, y_named)


def test_load_bundled_lists_known_names():
    with pytest.raises(
        ValueError,
        match=r"name must be one of \('diabetes', 'breast_cancer', 'iris', 'wine', 'digits'\), "
        r"got 'mnist'",
    ):
        load_bundled("mnist")


@pytest.mark.parametrize("name, shape, n_classes", [
    ("iris", (150, 4), 3), ("wine", (178, 13), 3), ("digits", (1797, 64), 10),
])
def test_bundled_classification_data_sets(name, shape, n_classes):
    X, y = load_bundled(name)
    assert X.shape == shape and X.dtype == np.float64
    assert np.array_equal(np.unique(y), np.arange(n_classes, dtype=float))


def test_load_breast_cancer_is_binary_with_unscaled_features():
    X, y = load_bundled("breast_cancer")
    assert X.shape == (569, 30) and set(np.unique(y)) == {0.0, 1.0}
    assert X.std(axis=0).max() / X.std(axis=0).min() > 1e3  # why the objective standardises


def test_make_logistic_regression_draws_labels_from_the_logistic_model():
    from ftml.datasets import make_logistic_regression

    X, y, theta = make_logistic_regression(20000, 3, theta_norm=2.0, random_state=1)
    assert np.linalg.norm(theta) == pytest.approx(2.0)
    # E[1{y = 1} | x] = sigmoid(x^T theta): compare the mean label with the mean probability.
    probabilities = 1 / (1 + np.exp(-(X @ theta)))
    assert abs(np.mean(y == 1) - probabilities.mean()) < 4 * np.sqrt(0.25 / 20000)
    again = make_logistic_regression(20000, 3, theta_norm=2.0, random_state=1)
    np.testing.assert_array_equal(again[1], y)


@pytest.mark.parametrize("maker, checker", [
    ("make_linear_gaussian", "check_linear_gaussian_params"),
    ("make_logistic_regression", "check_logistic_regression_params"),
    ("make_conditioned_regression", "check_conditioned_regression_params"),
])
def test_a_generator_s_check_takes_its_parameters_and_defaults(maker, checker):
    import inspect

    from ftml import datasets

    made = dict(inspect.signature(getattr(datasets, maker)).parameters)
    del made["random_state"]
    assert inspect.signature(getattr(datasets, checker)).parameters == made


_BAD_ARGUMENTS = [
    ("make_linear_gaussian", {"n_samples": 0}), ("make_linear_gaussian", {"n_features": True}),
    ("make_linear_gaussian", {"design": "mixed"}), ("make_linear_gaussian", {"noise": "1"}),
    ("make_linear_gaussian", {"theta_norm": math.nan}),
    ("make_linear_gaussian", {"correlation": 1.0}),
    ("make_logistic_regression", {"feature_scale": 0.5}),
    ("make_logistic_regression", {"feature_scale": math.inf}),
    ("make_logistic_regression", {"theta_norm": -1.0}),
    ("make_conditioned_regression", {"n_features": 1}),
    ("make_conditioned_regression", {"n_samples": 2}),
    ("make_conditioned_regression", {"condition_number": 0.5}),
]


@pytest.mark.parametrize("maker, kwargs", _BAD_ARGUMENTS)
def test_a_generator_s_check_refuses_what_it_refuses_with_the_same_error(maker, kwargs):
    from ftml import datasets

    checker = getattr(datasets, maker.replace("make_", "check_") + "_params")
    arguments = {"n_samples": 10, "n_features": 3, **kwargs}
    with pytest.raises((TypeError, ValueError)) as made:
        getattr(datasets, maker)(**arguments, random_state=0)
    with pytest.raises(made.type, match=re.escape(str(made.value))):
        checker(**arguments)
    checker(n_samples=10, n_features=3)  # the valid neighbour


@pytest.fixture
def table():
    rng = np.random.default_rng(0)
    return np.round(rng.standard_normal((6, 4)), 6)


def _write_csv(path, header, data):
    lines = [",".join(header)] + [",".join(repr(float(v)) for v in row) for row in data]
    path.write_text("\n".join(lines) + "\n")


def test_load_csv_default_target_is_last_column(tmp_path, table):
    path = tmp_path / "data.csv"
    _write_csv(path, ["a", "b", "c", "target"], table)
    X, y = load_file(path)
    np.testing.assert_array_equal(X, table[:, :3])
    np.testing.assert_array_equal(y, table[:, 3])


def test_load_csv_named_target(tmp_path, table):
    path = tmp_path / "data.csv"
    _write_csv(path, ["a", "price", "c", "d"], table)
    X, y = load_file(str(path), target="price")
    np.testing.assert_array_equal(X, table[:, [0, 2, 3]])
    np.testing.assert_array_equal(y, table[:, 1])


def test_load_csv_tolerates_quotes_spaces_and_blank_lines(tmp_path):
    path = tmp_path / "data.CSV"
    path.write_text('"x 1", y\n1.0, 2.5\n\n"3", 4e1\n')
    X, y = load_file(path, target="y")
    np.testing.assert_array_equal(X, [[1.0], [3.0]])
    np.testing.assert_array_equal(y, [2.5, 40.0])


def test_load_npz(tmp_path, table):
    path = tmp_path / "data.npz"
    np.savez(path, X=table[:, :3], y=table[:, 3])
    X, y = load_file(path)
    np.testing.assert_array_equal(X, table[:, :3])
    np.testing.assert_array_equal(y, table[:, 3])


@pytest.mark.parametrize("target, column", [(None, 3), (0, 0), (2, 2), (-1, 3), (-4, 0)])
def test_load_npy(tmp_path, table, target, column):
    path = tmp_path / "data.npy"
    np.save(path, table)
    X, y = load_file(path, target=target)
    np.testing.assert_array_equal(X, np.delete(table, column, axis=1))
    np.testing.assert_array_equal(y, table[:, column])


def test_load_file_missing_file_names_the_path(tmp_path):
    path = tmp_path / "nowhere.csv"
    with pytest.raises(FileNotFoundError, match="nowhere.csv"):
        load_file(path)


def test_load_file_unknown_extension_lists_supported_ones(tmp_path):
    path = tmp_path / "data.xlsx"
    path.write_text("a,b\n1,2\n")
    with pytest.raises(ValueError, match=r"'\.xlsx'.*\('\.csv', '\.npz', '\.npy'\)"):
        load_file(path)


def test_load_file_rejects_a_non_path():
    with pytest.raises(TypeError, match="path must be"):
        load_file(3.5)


@pytest.mark.parametrize(
    "text, target, error, match",
    [
        ("a,b\n1,2\n3,oops\n", None, ValueError, r"column 'b' on line 3 holds 'oops'"),
        ("a,b\n1,\n", None, ValueError, r"column 'b' on line 2 holds ''"),
        ("1,2\n3,4\n", None, ValueError, "header row"),
        ("", None, ValueError, "empty"),
        ("a,b\n", None, ValueError, "no data rows"),
        ("a\n1\n", None, ValueError, "at least 2"),
        ("a,a\n1,2\n", None, ValueError, r"repeats the column name\(s\) \['a'\]"),
        ("a,b\n1,2,3\n", None, ValueError, "line 2 has 3 cells"),
        ("a,b\n1,2\n", "price", ValueError, r"target == 'price' is not a column"),
        ("a,b\n1,2\n", 0, TypeError, "target must be a column name"),
        ("a,b\n1,nan\n", None, ValueError, "y contains NaN"),
    ],
)
def test_load_csv_rejects_bad_files(tmp_path, text, target, error, match):
    path = tmp_path / "bad.csv"
    path.write_text(text)
    with pytest.raises(error, match=match):
        load_file(path, target=target)


def test_load_npz_rejects_bad_archives(tmp_path):
    path = tmp_path / "bad.npz"
    np.savez(path, X=np.ones((3, 2)), target=np.ones(3))
    with pytest.raises(ValueError, match=r"missing \['y'\]"):
        load_file(path)
    np.savez(path, X=np.ones((3, 2)), y=np.ones(4))
    with pytest.raises(ValueError, match="Inconsistent numbers of samples"):
        load_file(path)
    np.savez(path, X=np.ones((3, 2)), y=np.ones(3))
    with pytest.raises(ValueError, match="target must be None for a .npz file"):
        load_file(path, target="y")


@pytest.mark.parametrize(
    "array, target, error, match",
    [
        (np.ones(5), None, ValueError, "must be 2-D"),
        (np.ones((5, 1)), None, ValueError, "at least 2"),
        (np.ones((5, 3)), 3, ValueError, "target == 3 is out of range"),
        (np.ones((5, 3)), -4, ValueError, "target == -4 is out of range"),
        (np.ones((5, 3)), "c", TypeError, "target must be a column index"),
        (np.ones((5, 3)), True, TypeError, "target must be a column index"),
    ],
)
def test_load_npy_rejects_bad_arrays(tmp_path, array, target, error, match):
    path = tmp_path / "bad.npy"
    np.save(path, array)
    with pytest.raises(error, match=match):
        load_file(path, target=target)
