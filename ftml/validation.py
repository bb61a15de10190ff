"""Input validation: small checkers that every estimator and metric composes.

Each checker raises ``ValueError`` (a bad value) or ``TypeError`` (a bad type) with a message
that names the argument and quotes the offending value, never ``assert``.
:func:`validate_data` is what an estimator's ``fit`` and ``predict`` call on their data;
hyperparameters are declared as constraints (:class:`Interval`, :class:`Options`,
:class:`HasMethods`, from :mod:`ftml._param_validation`) and checked by
:func:`validate_parameter_constraints`.
"""

import numbers
import sys
import warnings

import numpy as np

from ftml._param_validation import (
    HasMethods,
    Interval,
    Options,
    parameter_constraints,
    parameter_type,
    validate_parameter_constraints,
)
from ftml.exceptions import DataConversionWarning, NotFittedError, sklearn_compatible

__all__ = [
    "HasMethods",
    "Interval",
    "Options",
    "check_array",
    "check_binary_targets",
    "check_classification_targets",
    "check_X_y",
    "check_consistent_length",
    "check_finite_squared_norm",
    "check_is_fitted",
    "check_random_state",
    "check_scalar",
    "parameter_constraints",
    "parameter_type",
    "validate_data",
    "validate_parameter_constraints",
]


def check_array(
    array,
    *,
    name="X",
    ensure_2d=True,
    allow_1d=False,
    ensure_min_samples=1,
    ensure_min_features=1,
    ensure_finite=True,
):
    """Convert ``array`` to a float64 ndarray and check it.

    Parameters
    ----------
    array : array-like
        The input, a list, tuple or ndarray of numbers.
    name : str, default="X"
        The argument's name, quoted in error messages.
    ensure_2d : bool, default=True
        Require a 2-D array of shape ``(n_samples, n_features)``.
    allow_1d : bool, default=False
        With ``ensure_2d=False``, accept only 1-D input when True (as for targets).
    ensure_min_samples : int, default=1
        Smallest accepted number of rows.
    ensure_min_features : int, default=1
        Smallest accepted number of columns (2-D input only).
    ensure_finite : bool, default=True
        Reject NaN and infinite entries.

    Returns
    -------
    array : ndarray of float64
        A C-contiguous copy or view of the input.

    Raises
    ------
    ValueError
        If the input is complex, not numeric (strings that are no numbers), has the wrong
        number of dimensions, is too small, or holds NaN or infinite values. The wording
        of the messages for complex, empty and 1-D input is scikit-learn's, which its
        estimator checks look for.
    TypeError
        If the input is a scipy.sparse matrix or array, or an entry is of a type that is no
        number (a dict in an object array).

    Examples
    --------
    >>> check_array([[1, 2], [3, 4]]).dtype
    dtype('float64')
    >>> check_array([[1.0, float("nan")]])
    Traceback (most recent call last):
    ...
    ValueError: X contains NaN at position (0, 1).
    >>> check_array([1.0, 2.0])
    Traceback (most recent call last):
    ...
    ValueError: X must be 2-D of shape (n_samples, n_features), got 1-D array of shape \
(2,). Reshape your data with X.reshape(-1, 1) if it has a single feature, or \
X.reshape(1, -1) if it is a single sample.
    """
    if isinstance(array, (str, bytes)):
        raise ValueError(f"{name} must be an array of numbers, got the string {array!r}.")
    if _is_sparse(array):
        raise TypeError(
            f"Sparse data not supported: {name} is a scipy.sparse {type(array).__name__}, "
            f"but ftml needs a dense array; convert it with {name}.toarray()."
        )
    try:
        array = np.asarray(array)
    except ValueError as error:  # ragged nested sequences
        raise ValueError(f"{name} must be a rectangular array of numbers: {error}") from None
    if array.dtype.kind == "c":
        raise ValueError(
            f"Complex data not supported: {name} has complex dtype {array.dtype}; ftml's "
            "estimators need real numbers."
        )
    if array.dtype.kind not in "iuf":  # booleans, objects, strings
        try:
            array = array.astype(np.float64)
        except (TypeError, ValueError) as error:
            position, error = _first_non_number(array, error)
            kind = TypeError if isinstance(error, TypeError) else ValueError  # as float's
            raise kind(
                f"{name} must hold numbers, got dtype {array.dtype}: {error}{position}."
            ) from None
    array = np.ascontiguousarray(array, dtype=np.float64)

    if ensure_2d:
        if array.ndim != 2:
            hint = (" Reshape your data with X.reshape(-1, 1) if it has a single feature, "
                    "or X.reshape(1, -1) if it is a single sample." if array.ndim == 1 else "")
            raise ValueError(
                f"{name} must be 2-D of shape (n_samples, n_features), got {array.ndim}-D "
                f"array of shape {array.shape}.{hint}"
            )
    elif allow_1d and array.ndim != 1:
        raise ValueError(f"{name} must be 1-D of shape (n_samples,), got shape {array.shape}.")

    n_samples = array.shape[0] if array.ndim else 0
    if n_samples < ensure_min_samples:
        raise ValueError(
            f"{name} has {n_samples} sample(s) (shape={array.shape}) while a minimum of "
            f"{ensure_min_samples} is required."
        )
    if array.ndim == 2 and array.shape[1] < ensure_min_features:
        raise ValueError(
            f"{name} has {array.shape[1]} feature(s) (shape={array.shape}) while a minimum "
            f"of {ensure_min_features} is required."
        )
    if ensure_finite and not np.isfinite(array).all():
        bad = np.argwhere(~np.isfinite(array))[0]
        position = tuple(int(i) for i in bad) if array.ndim > 1 else int(bad[0])
        kind = "NaN" if np.isnan(array[tuple(bad)]) else "infinity"
        raise ValueError(f"{name} contains {kind} at position {position}.")
    return array


def _first_non_number(array, error):
    """Where ``array`` first holds no number, and ``float``'s error for it ("could not
    convert string to float: 'a'", "float() argument must be a string or a real number,
    not 'dict'"); numpy's ``error`` if ``float`` accepts every entry."""
    for position, value in np.ndenumerate(array):
        value = value.item() if isinstance(value, np.generic) else value  # 'a', not np.str_
        try:
            float(value)
        except (TypeError, ValueError) as entry_error:
            shown = position if array.ndim > 1 else position[0] if array.ndim else None
            return ("" if shown is None else f" (at position {shown})"), entry_error
    return "", error


def _is_sparse(array):
    """Whether ``array`` is a scipy.sparse matrix or array; scipy is not imported for it (an
    input cannot be one unless scipy.sparse is loaded)."""
    sparse = sys.modules.get("scipy.sparse")
    return sparse is not None and sparse.issparse(array)


def check_consistent_length(**arrays):
    """Check that every named array has the same number of rows.

    Parameters
    ----------
    **arrays : array-like
        The arrays, keyed by the names used in the error message.

    Raises
    ------
    ValueError
        If two arrays differ in length.
    """
    lengths = {name: len(value) for name, value in arrays.items() if value is not None}
    if len(set(lengths.values())) > 1:
        described = ", ".join(f"{name} has {length}" for name, length in lengths.items())
        raise ValueError(f"Inconsistent numbers of samples: {described}.")


def check_X_y(X, y, *, y_numeric=True, ensure_min_samples=1):
    """Validate a design matrix and a target vector together.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        The design matrix.
    y : array-like of shape (n_samples,)
        The targets.
    y_numeric : bool, default=True
        Convert ``y`` to float64 and require it finite; otherwise keep the labels as given
        and only require them 1-D (as :func:`validate_data`).
    ensure_min_samples : int, default=1
        Smallest accepted number of samples.

    Returns
    -------
    X : ndarray of shape (n_samples, n_features)
    y : ndarray of shape (n_samples,)

    Raises
    ------
    ValueError
        If ``X`` fails :func:`check_array`, ``y`` is not 1-D (or, with ``y_numeric``, not
        finite and numeric), or their lengths differ.

    Warns
    -----
    DataConversionWarning
        If ``y`` is a column vector of shape ``(n_samples, 1)``, which is raveled.
    """
    X = check_array(X, name="X", ensure_min_samples=ensure_min_samples)
    y = _check_y(y, numeric=y_numeric, ensure_min_samples=ensure_min_samples)
    check_consistent_length(X=X, y=y)
    return X, y


def _check_y(y, *, numeric, ensure_min_samples=1):
    """A 1-D target: float64 and finite if ``numeric``, otherwise labels as given; a column
    vector is raveled with a warning."""
    y = _ravel_column_vector(y)
    if numeric:
        return check_array(y, name="y", ensure_2d=False, allow_1d=True,
                           ensure_min_samples=ensure_min_samples)
    y = np.asarray(y)
    if y.ndim != 1:
        raise ValueError(f"y must be 1-D of shape (n_samples,), got shape {y.shape}.")
    return y


def _ravel_column_vector(y):
    """``y`` raveled if it has shape ``(n_samples, 1)``, with scikit-learn's warning (whose
    wording its estimator checks look for); any other ``y`` as given."""
    try:
        array = np.asarray(y)
    except ValueError:  # ragged nested sequences: the caller's checks explain
        return y
    if array.ndim != 2 or array.shape[1] != 1:
        return y
    warnings.warn(
        "A column-vector y was passed when a 1d array was expected. Please change the "
        "shape of y to (n_samples,), for example using ravel().",
        sklearn_compatible(DataConversionWarning),
        stacklevel=5,  # the caller of fit (or of check_X_y's caller)
    )
    return array.reshape(-1)


def validate_data(estimator, X, y="no_validation", *, reset=True, y_numeric=True,
                  **check_params):
    """Validate the data an estimator's method receives, and its number of features.

    ``fit`` calls it with ``reset=True``, which records ``n_features_in_``; ``predict`` and
    ``transform`` with ``reset=False``, which checks ``X`` against it.

    Parameters
    ----------
    estimator : BaseEstimator
        The estimator, named in the messages and given ``n_features_in_``.
    X : array-like of shape (n_samples, n_features)
        The samples, checked by :func:`check_array`.
    y : array-like of shape (n_samples,), None or "no_validation", default="no_validation"
        The targets. ``"no_validation"`` (an unsupervised ``fit``, or ``predict``) skips
        them; None is refused: an estimator that asks for y needs it.
    reset : bool, default=True
        Set ``n_features_in_`` to the number of columns of ``X`` (in ``fit``); otherwise
        check that ``X`` has that many, when the estimator has the attribute.
    y_numeric : bool, default=True
        Convert ``y`` to float64 and require it finite (regression targets); otherwise keep
        the labels as given, of any type, and only require them 1-D (a classifier then
        calls :func:`check_classification_targets`).
    **check_params
        Passed to :func:`check_array` for ``X`` (``ensure_min_samples`` applies to ``y``
        too).

    Returns
    -------
    X : ndarray of shape (n_samples, n_features)
        Alone when ``y`` is ``"no_validation"``.
    y : ndarray of shape (n_samples,)
        With ``X``, otherwise.

    Raises
    ------
    ValueError
        If ``y`` is None, if ``X`` or ``y`` fails its checks, if their lengths differ, or if
        (``reset=False``) ``X`` has another number of features than ``n_features_in_``.

    Warns
    -----
    DataConversionWarning
        If ``y`` is a column vector of shape ``(n_samples, 1)``, which is raveled (as
        scikit-learn does).

    Examples
    --------
    >>> from ftml.linear_model import OLS
    >>> model = OLS()
    >>> X, y = validate_data(model, [[1.0, 2.0], [3.0, 4.0]], [1.0, 2.0])
    >>> model.n_features_in_
    2
    >>> validate_data(model, [[1.0, 2.0, 3.0]], reset=False)
    Traceback (most recent call last):
    ...
    ValueError: X has 3 features, but OLS is expecting 2 features as input \
(n_features_in_ = 2).
    >>> validate_data(model, [[1.0, 2.0]], None)
    Traceback (most recent call last):
    ...
    ValueError: OLS requires y to be passed, but the target y is None.
    """
    if y is None:
        raise ValueError(
            f"{type(estimator).__name__} requires y to be passed, but the target y is None."
        )
    validate_y = not (isinstance(y, str) and y == "no_validation")
    X = check_array(X, name="X", **check_params)
    if not reset:
        _check_n_features(estimator, X)
    if validate_y:
        y = _check_y(y, numeric=y_numeric,
                     ensure_min_samples=check_params.get("ensure_min_samples", 1))
        check_consistent_length(X=X, y=y)
    if reset and X.ndim == 2:
        estimator.n_features_in_ = X.shape[1]  # once X and y are both valid
    return (X, y) if validate_y else X


def _check_n_features(estimator, X):
    expected = getattr(estimator, "n_features_in_", None)
    if expected is None or X.ndim != 2 or X.shape[1] == expected:
        return
    # scikit-learn's wording, which its estimator checks look for.
    raise ValueError(
        f"X has {X.shape[1]} features, but {type(estimator).__name__} is expecting "
        f"{expected} features as input (n_features_in_ = {expected})."
    )


def check_classification_targets(y):
    """Check that ``y`` holds class labels: discrete, present and finite.

    Labels may be of any type numpy can sort (ints, bools, strings). Floats are accepted
    when they are whole numbers (``0.0`` and ``1.0``), not when they look like a
    regression target.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        The labels.

    Raises
    ------
    ValueError
        If ``y`` is not 1-D, holds NaN, an infinity or None, holds a float that is not a
        whole number (a continuous target), or mixes strings and numbers. The message
        gives the first offending position and value.

    Examples
    --------
    >>> check_classification_targets(["ham", "spam", "ham"])
    >>> check_classification_targets([0.0, 1.0, float("nan")])
    Traceback (most recent call last):
    ...
    ValueError: y contains NaN at position 2: a class label cannot be missing.
    >>> check_classification_targets([0.0, 0.5, 1.0])
    Traceback (most recent call last):
    ...
    ValueError: Unknown label type: continuous. A classifier needs discrete class labels, \
but y holds the non-integral value 0.5 at position 1; use a regressor, or integer or \
string labels.
    """
    y = np.asarray(y)
    if y.ndim != 1:
        raise ValueError(f"y must be 1-D of shape (n_samples,), got shape {y.shape}.")
    if y.dtype.kind == "c":
        raise ValueError(f"y must hold class labels, got complex dtype {y.dtype}.")
    if y.dtype.kind not in "fO":
        return  # integers, booleans, strings
    if y.dtype.kind == "O":
        for position, label in enumerate(y):
            if label is None:
                raise ValueError(
                    f"y contains None at position {position}: a class label cannot be "
                    "missing."
                )
        positions = [i for i, label in enumerate(y) if _is_real_number(label)]
        if positions and any(isinstance(label, str) for label in y):
            raise ValueError(
                f"y mixes strings and numbers (y[{positions[0]}] = {y[positions[0]]!r}); "
                "class labels must all be of one type."
            )
        values = np.array([y[i] for i in positions], dtype=np.float64)
    else:
        positions, values = range(y.size), y
    checks = [
        (np.isnan(values), "y contains NaN at position {position}: a class label cannot be "
                           "missing."),
        (np.isinf(values), "y contains infinity at position {position}: a class label must "
                           "be finite."),
        (values != np.trunc(values),
         "Unknown label type: continuous. A classifier needs discrete class labels, but y "
         "holds the non-integral value {value!r} at position {position}; use a regressor, "
         "or integer or string labels."),
    ]
    for bad, message in checks:
        if bad.any():
            index = int(np.argmax(bad))
            raise ValueError(message.format(position=positions[index],
                                             value=float(values[index])))


def check_binary_targets(y, estimator):
    """Return the two classes of ``y``, for a binary classifier.

    Parameters
    ----------
    y : ndarray of shape (n_samples,)
        The labels, checked by :func:`check_classification_targets`.
    estimator : object
        The binary classifier, named in the messages.

    Returns
    -------
    classes : ndarray of shape (2,)
        The two labels, sorted; ``classes[1]`` is the positive class.

    Raises
    ------
    ValueError
        If ``y`` holds no class labels (see :func:`check_classification_targets`), a single
        class, or more than two ("Only binary classification is supported", scikit-learn's
        wording, which its estimator checks look for).

    Examples
    --------
    >>> from ftml.linear_model import LogisticRegression
    >>> check_binary_targets(np.array(["spam", "ham", "spam"]), LogisticRegression())
    array(['ham', 'spam'], dtype='<U4')
    >>> check_binary_targets(np.array([0, 1, 2]), LogisticRegression())
    Traceback (most recent call last):
    ...
    ValueError: Only binary classification is supported: LogisticRegression needs exactly \
two classes in y, got 3 classes: [0, 1, 2]. For more classes use ftml.multiclass \
(OneVsRestClassifier, OneVsOneClassifier or SoftmaxRegression).
    """
    check_classification_targets(y)
    classes = np.unique(y)
    name = type(estimator).__name__
    if classes.shape[0] < 2:
        raise ValueError(
            f"{name} needs samples of two classes in y, got {classes.shape[0]} class: "
            f"{classes.tolist()}."
        )
    if classes.shape[0] > 2:
        raise ValueError(
            f"Only binary classification is supported: {name} needs exactly two classes in "
            f"y, got {classes.shape[0]} classes: {classes.tolist()[:10]}. For more classes "
            "use ftml.multiclass (OneVsRestClassifier, OneVsOneClassifier or "
            "SoftmaxRegression)."
        )
    return classes


def _is_real_number(value):
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))


def check_is_fitted(estimator, attributes=None):
    """Raise :class:`NotFittedError` unless ``estimator`` has been fitted.

    Parameters
    ----------
    estimator : object
        The estimator to check.
    attributes : str or sequence of str, default=None
        Fitted attributes that must exist. By default, any public attribute whose name ends
        with an underscore counts.

    Raises
    ------
    NotFittedError
        If the attributes are missing; once scikit-learn is loaded, the error is also an
        instance of scikit-learn's ``NotFittedError`` (see
        :func:`ftml.exceptions.sklearn_compatible`).
    """
    if attributes is None:
        fitted = any(
            name.endswith("_") and not name.startswith("__") for name in vars(estimator)
        )
    else:
        if isinstance(attributes, str):
            attributes = [attributes]
        fitted = all(hasattr(estimator, name) for name in attributes)
    if not fitted:
        raise sklearn_compatible(NotFittedError)(
            f"This {type(estimator).__name__} instance is not fitted yet. "
            "Call 'fit' with appropriate arguments before using this estimator."
        )


_FLOAT_MAX = float(np.finfo(np.float64).max)


def check_finite_squared_norm(X, *, name="X"):
    """Check that the squared norm of ``X``, the sum of its squared entries, is finite.

    Every entry of ``X^T X``, each feature's variance, and the smoothness constants and
    step sizes of :mod:`ftml.optim` computed from them are at most ``||X||_F^2``; when it
    overflows they are infinite and a fit fails obscurely (an eigenvalue solver that does
    not converge, a step size of 0, a model left at 0). Finite ``X`` of a normal scale
    costs one pass to find its largest entry.

    Parameters
    ----------
    X : ndarray
        Finite values, as returned by :func:`check_array`.
    name : str, default="X"
        The argument's name, quoted in the error message.

    Returns
    -------
    X : ndarray
        The input, unchanged.

    Raises
    ------
    ValueError
        If ``||X||_F^2`` exceeds the largest float64, about 1.8e308; the message gives its
        order of magnitude and a factor to divide ``X`` by.

    Examples
    --------
    >>> check_finite_squared_norm(np.array([[1.0, 2.0], [3.0, 4.0]])).shape
    (2, 2)
    >>> check_finite_squared_norm(np.array([[1e300, 2.0], [3.0, 4.0]]))
    Traceback (most recent call last):
    ...
    ValueError: X's squared norm overflows float64: the sum of its squared entries is about \
1e+600, above the largest float64 (1.8e+308), so X^T X, the features' variances and the \
smoothness constants computed from them are infinite. Rescale X, for instance divide it \
by its largest absolute entry, 1e+300.
    """
    if X.size == 0:
        return X
    largest = max(float(X.max()), -float(X.min()))
    # ||X||^2 <= size * largest^2: no overflow below this bound, the usual case.
    if largest <= np.sqrt(_FLOAT_MAX / X.size):
        return X
    scaled = (X / largest).ravel()
    ratio = float(scaled @ scaled)  # ||X||^2 / largest^2, in [1, X.size]
    if largest <= np.sqrt(_FLOAT_MAX / ratio):
        return X
    magnitude = 2 * np.log10(largest) + np.log10(ratio)
    raise ValueError(
        f"{name}'s squared norm overflows float64: the sum of its squared entries is about "
        f"1e+{magnitude:.0f}, above the largest float64 ({_FLOAT_MAX:.2g}), so {name}^T "
        f"{name}, the features' variances and the smoothness constants computed from them "
        f"are infinite. Rescale {name}, for instance divide it by its largest absolute "
        f"entry, {largest:.3g}."
    )


def check_random_state(seed):
    """Turn ``seed`` into a :class:`numpy.random.Generator`.

    Parameters
    ----------
    seed : None, int, numpy.random.SeedSequence or numpy.random.Generator
        None draws fresh OS entropy (not reproducible); an int or a SeedSequence seeds a new
        PCG64 generator; a Generator is returned as is. The parameter constraint
        ``"random_state"`` accepts the same values (a legacy ``RandomState`` is refused).

    Returns
    -------
    numpy.random.Generator

    Raises
    ------
    TypeError
        If ``seed`` is none of the accepted types.
    ValueError
        If ``seed`` is a negative integer.
    """
    if seed is None or isinstance(seed, np.random.SeedSequence):
        return np.random.default_rng(seed)
    if isinstance(seed, np.random.Generator):
        return seed
    if isinstance(seed, numbers.Integral) and not isinstance(seed, bool):
        if seed < 0:
            raise ValueError(f"random_state must be a non-negative integer, got {seed}.")
        return np.random.default_rng(int(seed))
    raise TypeError(
        "random_state must be None, a non-negative int, a numpy SeedSequence or a numpy "
        f"Generator, got {seed!r} of type {type(seed).__name__}."
    )


def check_scalar(
    x, name, target_type, *, min_val=None, max_val=None, include_boundaries="both"
):
    """Check the type and range of a scalar hyperparameter.

    Parameters
    ----------
    x : object
        The value to check.
    name : str
        The hyperparameter's name, quoted in error messages.
    target_type : type or tuple of types
        Accepted types, for instance ``numbers.Real`` or ``numbers.Integral``. Booleans are
        rejected unless ``bool`` is named explicitly.
    min_val, max_val : float, default=None
        Bounds of the accepted interval; None means unbounded.
    include_boundaries : {"both", "left", "right", "neither"}, default="both"
        Which bounds are part of the interval.

    Returns
    -------
    x : object
        The value, unchanged.

    Raises
    ------
    TypeError
        If ``x`` is not of ``target_type``.
    ValueError
        If ``x`` is NaN or outside the interval.

    Examples
    --------
    >>> import numbers
    >>> check_scalar(-1.0, "alpha", numbers.Real, min_val=0.0)
    Traceback (most recent call last):
    ...
    ValueError: alpha == -1.0, must be >= 0.0.
    """
    types = target_type if isinstance(target_type, tuple) else (target_type,)
    if isinstance(x, bool) and bool not in types:
        raise TypeError(f"{name} must be of type {_type_names(types)}, got the bool {x!r}.")
    if not isinstance(x, types):
        raise TypeError(
            f"{name} must be of type {_type_names(types)}, got {x!r} of type "
            f"{type(x).__name__}."
        )
    if include_boundaries not in ("both", "left", "right", "neither"):
        raise ValueError(
            "include_boundaries must be 'both', 'left', 'right' or 'neither', got "
            f"{include_boundaries!r}."
        )
    if isinstance(x, numbers.Real) and np.isnan(x):
        raise ValueError(f"{name} must be a number, got NaN.")
    closed_left = include_boundaries in ("both", "left")
    closed_right = include_boundaries in ("both", "right")
    if min_val is not None and (x < min_val or (x == min_val and not closed_left)):
        raise ValueError(f"{name} == {x!r}, must be {'>=' if closed_left else '>'} {min_val}.")
    if max_val is not None and (x > max_val or (x == max_val and not closed_right)):
        raise ValueError(f"{name} == {x!r}, must be {'<=' if closed_right else '<'} {max_val}.")
    return x


def _type_names(types):
    return " or ".join(t.__name__ for t in types)
