"""validate_data and check_classification_targets, alone and through the estimators."""

import pickle
import re
import warnings

import numpy as np
import pytest
import scipy.sparse
import sklearn.exceptions

from ftml.exceptions import DataConversionWarning, NotFittedError
from ftml.linear_model import OLS, LogisticRegression, Ridge
from ftml.preprocessing import StandardScaler
from ftml.validation import (
    check_array,
    check_binary_targets,
    check_classification_targets,
    check_finite_squared_norm,
    check_is_fitted,
    check_X_y,
    validate_data,
)

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
                                                   "shape (6, 2)")):
        validate_data(LogisticRegression(), X, np.column_stack([labels, labels]),
                      y_numeric=False)


@pytest.mark.parametrize("numeric, y", [(True, Y), (False, np.array(list("aabbab")))],
                         ids=["numeric", "labels"])
def test_a_column_vector_y_is_raveled_with_a_warning(numeric, y):
    """As scikit-learn: y of shape (n, 1) is accepted, raveled, and warned about, with a
    warning that scikit-learn's filters for its own DataConversionWarning match."""
    model = LogisticRegression()
    for column in (y[:, None], y[:, None].tolist()):
        with pytest.warns(DataConversionWarning, match="A column-vector y was passed when a "
                                                      "1d array was expected") as record:
            _, raveled = validate_data(model, X, column, y_numeric=numeric)
        np.testing.assert_array_equal(raveled, validate_data(model, X, y, y_numeric=numeric)[1])
        assert raveled.shape == (6,)
        assert issubclass(record[0].category, sklearn.exceptions.DataConversionWarning)
    with pytest.warns(DataConversionWarning):
        check_X_y(X, y[:, None], y_numeric=numeric)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        validate_data(model, X, y, y_numeric=numeric)  # a 1-D y: no warning


def test_validate_data_passes_check_params_to_check_array():
    with pytest.raises(ValueError, match=re.escape("X has 2 sample(s) (shape=(2, 2)) while "
                                                   "a minimum of 3 is required.")):
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


# --- check_array's messages -------------------------------------------------------------
# scikit-learn's estimator checks look for parts of these messages ("Complex data not
# supported", "0 feature(s) (shape=(12, 0)) while a minimum of 1 is required", "Reshape your
# data", "argument must be a string or a real number", "sparse").


@pytest.mark.parametrize("array, error, message", [
    (np.array([[1 + 2j, 0.0]]), ValueError,
     "Complex data not supported: X has complex dtype complex128; ftml's estimators need "
     "real numbers."),
    (np.empty((12, 0)), ValueError,
     "X has 0 feature(s) (shape=(12, 0)) while a minimum of 1 is required."),
    (np.empty((0, 3)), ValueError,
     "X has 0 sample(s) (shape=(0, 3)) while a minimum of 1 is required."),
    (np.ones(3), ValueError,
     "X must be 2-D of shape (n_samples, n_features), got 1-D array of shape (3,). Reshape "
     "your data with X.reshape(-1, 1) if it has a single feature, or X.reshape(1, -1) if it "
     "is a single sample."),
    (np.array([[1.0, {"foo": "bar"}]], dtype=object), TypeError,
     "X must hold numbers, got dtype object: float() argument must be a string or a real "
     "number, not 'dict' (at position (0, 1))."),
    ([["1.5", "b"]], ValueError,
     "X must hold numbers, got dtype <U3: could not convert string to float: 'b' (at "
     "position (0, 1))."),
    (scipy.sparse.csr_array(np.eye(3)), TypeError,
     "Sparse data not supported: X is a scipy.sparse csr_array, but ftml needs a dense "
     "array; convert it with X.toarray()."),
])
def test_check_array_refuses_with_scikit_learn_s_wording(array, error, message):
    with pytest.raises(error, match=f"^{re.escape(message)}$"):
        check_array(array)


def test_numbers_in_an_object_array_are_converted():
    array = check_array(np.array([[1, 2.5], [True, 4]], dtype=object))
    assert array.dtype == np.float64
    np.testing.assert_array_equal(array, [[1.0, 2.5], [1.0, 4.0]])


# --- check_finite_squared_norm ----------------------------------------------------------


def test_a_squared_norm_that_overflows_is_refused_naming_the_overflow():
    X_ = np.random.default_rng(0).standard_normal((40, 4))
    for scale in (1e300, 1e160):
        with pytest.raises(ValueError, match=r"^X's squared norm overflows float64: the sum "
                                             r"of its squared entries is about 1e\+\d+"):
            check_finite_squared_norm(X_ * scale)
    assert check_finite_squared_norm(X_ * 1e150) is not None  # 1e301: large, but a float
    # At the boundary: 4 entries of sqrt(max / 4) are fine, a fifth of them is not.
    edge = np.sqrt(np.finfo(np.float64).max / 4.5)
    check_finite_squared_norm(np.full((2, 2), edge))
    with pytest.raises(ValueError, match="squared norm overflows"):
        check_finite_squared_norm(np.full((2, 3), edge))
    assert check_finite_squared_norm(np.empty((0, 3))).shape == (0, 3)


# --- check_binary_targets ---------------------------------------------------------------


def test_check_binary_targets_returns_the_two_sorted_classes():
    assert check_binary_targets(np.array([1, -1, 1]), OLS()).tolist() == [-1, 1]
    with pytest.raises(ValueError, match=r"^Only binary classification is supported: OLS "
                                         r"needs exactly two classes in y, got 3 classes: "
                                         r"\[0, 1, 2\]\."):
        check_binary_targets(np.array([2, 0, 1]), OLS())
    with pytest.raises(ValueError, match=r"^OLS needs samples of two classes in y, got 1 "
                                         r"class: \['a'\]\.$"):
        check_binary_targets(np.array(["a", "a"]), OLS())
    with pytest.raises(ValueError, match="Unknown label type: continuous"):
        check_binary_targets(np.array([0.0, 0.5]), OLS())


# --- NotFittedError ---------------------------------------------------------------------


def test_not_fitted_error_is_also_scikit_learn_s_once_it_is_loaded():
    with pytest.raises(NotFittedError) as raised:
        check_is_fitted(OLS())
    error = raised.value
    assert isinstance(error, sklearn.exceptions.NotFittedError)  # sklearn is loaded here
    assert isinstance(error, ValueError) and isinstance(error, AttributeError)
    assert type(error).__name__ == "NotFittedError"
    assert type(error).__module__ == "ftml.exceptions"
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is NotFittedError and copy.args == error.args
