"""validate_data and check_classification_targets, alone and through the estimators."""

import re

import numpy as np
import pytest

from ftml.linear_model import OLS, LogisticRegression, Ridge
from ftml.preprocessing import StandardScaler
from ftml.validation import check_classification_targets, validate_data

X = np.arange(12.0).reshape(6, 2)
Y = np.array([0.5, 1.0, 2.0, 3.5, 4.0, 5.0])

# --- validate_data ----------------------------------------------------------------------


def test_validate_data_sets_n_features_in_on_reset_and_checks_it_otherwise():
    model = OLS()
    X_checked, y_checked = validate_data(model, X.tolist(), Y.tolist())
    assert X_checked.dtype == y_checked.dtype == np.float64
    np.testing.assert_array_equal(X_checked, X)
    assert model.n_features_in_ == 2
    np.testing.assert_array_equal(validate_data(model, X[:2], reset=False), X[:2])
    message = re.escape("X has 3 features, but OLS is expecting 2 features as input "
                        "(n_features_in_ = 2).")
    with pytest.raises(ValueError, match=message):
        validate_data(model, np.ones((2, 3)), reset=False)
    validate_data(model, np.ones((2, 3)))  # reset: a new fit
    assert model.n_features_in_ == 3


def test_validate_data_without_y_returns_X_alone():
    assert isinstance(validate_data(StandardScaler(), X), np.ndarray)


def test_a_missing_y_is_named_not_mistaken_for_nan():
    with pytest.raises(ValueError, match="^Ridge requires y to be passed, but the target y is "
                                         "None.$"):
        validate_data(Ridge(), X, None)


def test_a_failed_validation_leaves_n_features_in_alone():
    model = OLS()
    with pytest.raises(ValueError, match="y contains NaN"):
        validate_data(model, X, np.r_[Y[:-1], np.nan])
    with pytest.raises(ValueError, match="Inconsistent numbers of samples"):
        validate_data(model, X, Y[:-1])
    assert not hasattr(model, "n_features_in_")


def test_validate_data_keeps_labels_as_given_unless_numeric():
    labels = np.array(["a", "b", "a", "b", "a", "b"])
    _, y = validate_data(LogisticRegression(), X, labels, y_numeric=False)
    assert y.dtype == labels.dtype
    with pytest.raises(ValueError, match="y must hold numbers"):
        validate_data(Ridge(), X, labels)
    with pytest.raises(ValueError, match=re.escape("y must be 1-D of shape (n_samples,), got "
                                                   "shape (6, 1)")):
        validate_data(LogisticRegression(), X, labels[:, None], y_numeric=False)


def test_validate_data_passes_check_params_to_check_array():
    with pytest.raises(ValueError, match="at least 3 required"):
        validate_data(OLS(), X[:2], Y[:2], ensure_min_samples=3)
    with pytest.raises(ValueError, match="X contains infinity"):
        validate_data(OLS(), np.full((2, 2), np.inf))
    validate_data(OLS(), np.full((2, 2), np.inf), ensure_finite=False)


# --- check_classification_targets -------------------------------------------------------


@pytest.mark.parametrize("y", [[0, 1, 1], [0.0, 1.0, 1.0], [-3.0, 2.0, 1e20], [True, False],
                               ["ham", "spam"], np.array(["a", "b"], dtype=object),
                               np.array([1, 2.0], dtype=object), np.array([0, 1], np.uint8),
                               np.array([0.0, 1.0], np.float32), []])
def test_discrete_labels_are_accepted(y):
    assert check_classification_targets(y) is None


@pytest.mark.parametrize(
    "y, message",
    [
        ([0.0, 1.0, np.nan], "y contains NaN at position 2: a class label cannot be missing."),
        (np.array([np.nan, 1.0], np.float32), "y contains NaN at position 0"),
        ([0.0, np.inf], "y contains infinity at position 1: a class label must be finite."),
        (np.array(["a", None, "b"], dtype=object), "y contains None at position 1"),
        (np.array([1, float("nan")], dtype=object), "y contains NaN at position 1"),
        ([0.0, 0.5, 1.0], "Unknown label type: continuous. A classifier needs discrete class "
                          "labels, but y holds the non-integral value 0.5 at position 1; use a "
                          "regressor, or integer or string labels."),
        (np.array(["a", 2.5], dtype=object), "y mixes strings and numbers"),
        (np.array([3, 2.5], dtype=object), "the non-integral value 2.5 at position 1"),
        ([[0, 1], [1, 0]], "y must be 1-D of shape (n_samples,), got shape (2, 2)."),
        ([1j, 2j], "y must hold class labels, got complex dtype"),
    ],
)
def test_missing_infinite_continuous_or_mixed_labels_are_refused(y, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        check_classification_targets(y)


def test_logistic_regression_refuses_nan_labels_and_continuous_targets():
    rng = np.random.default_rng(0)
    X_ = rng.standard_normal((20, 3))
    labels = (X_[:, 0] > 0).astype(float)
    model = LogisticRegression()
    with pytest.raises(ValueError, match="y contains NaN at position 4"):
        model.fit(X_, np.where(np.arange(20) == 4, np.nan, labels))
    with pytest.raises(ValueError, match="Unknown label type: continuous"):
        model.fit(X_, X_[:, 1])  # a regression target
    with pytest.raises(ValueError, match="requires y to be passed, but the target y is None"):
        model.fit(X_, None)
    assert model.fit(X_, labels).classes_.tolist() == [0.0, 1.0]  # whole floats are labels
