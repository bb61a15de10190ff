"""Input validation: small checkers that every estimator and metric composes.

Each checker raises ``ValueError`` (a bad value) or ``TypeError`` (a bad type) with a message
that names the argument and quotes the offending value, never ``assert``.
:func:`validate_data` is what an estimator's ``fit`` and ``predict`` call on their data;
hyperparameters are declared as constraints (:class:`Interval`, :class:`Options`,
:class:`HasMethods`, from :mod:`ftml._param_validation`) and checked by
:func:`validate_parameter_constraints`.
"""

import numbers

import numpy as np

from ftml._param_validation import (
    HasMethods,
    Interval,
    Options,
    parameter_constraints,
    parameter_type,
    validate_parameter_constraints,
)
from ftml.exceptions import NotFittedError

__all__ = [
    "HasMethods",
    "Interval",
    "Options",
    "check_array",
    "check_classification_targets",
    "check_X_y",
    "check_consistent_length",
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
        If the input is not numeric, has the wrong number of dimensions, is too small, or
        holds NaN or infinite values.

    Examples
    --------
    >>> check_array([[1, 2], [3, 4]]).dtype
    dtype('float64')
    >>> check_array([[1.0, float("nan")]])
    Traceback (most recent call last):
    ...
    ValueError: X contains NaN at position (0, 1).
    """
    original = array
    if isinstance(array, (str, bytes)):
        raise ValueError(f"{name} must be an array of numbers, got the string {array!r}.")
    try:
        array = np.asarray(array)
    except ValueError as error:  # ragged nested sequences
        raise ValueError(f"{name} must be a rectangular array of numbers: {error}") from None
    if array.dtype.kind in "bO" or array.dtype.kind not in "iufc":
        try:
            array = array.astype(np.float64)
        except (TypeError, ValueError):
            raise ValueError(
                f"{name} must hold numbers, got dtype {array.dtype} "
                f"(first value {_first_value(original)!r})."
            ) from None
    if array.dtype.kind == "c":
        raise ValueError(f"{name} must be real, got complex dtype {array.dtype}.")
    array = np.ascontiguousarray(array, dtype=np.float64)

    if ensure_2d:
        if array.ndim != 2:
            hint = " Reshape 1-D data with X.reshape(-1, 1)." if array.ndim == 1 else ""
            raise ValueError(
                f"{name} must be 2-D of shape (n_samples, n_features), got {array.ndim}-D "
                f"array of shape {array.shape}.{hint}"
            )
    elif allow_1d and array.ndim != 1:
        raise ValueError(f"{name} must be 1-D of shape (n_samples,), got shape {array.shape}.")

    n_samples = array.shape[0] if array.ndim else 0
    if n_samples < ensure_min_samples:
        raise ValueError(
            f"{name} has {n_samples} sample(s) (shape {array.shape}); "
            f"at least {ensure_min_samples} required."
        )
    if array.ndim == 2 and array.shape[1] < ensure_min_features:
        raise ValueError(
            f"{name} has {array.shape[1]} feature(s) (shape {array.shape}); "
            f"at least {ensure_min_features} required."
        )
    if ensure_finite and not np.isfinite(array).all():
        bad = np.argwhere(~np.isfinite(array))[0]
        position = tuple(int(i) for i in bad) if array.ndim > 1 else int(bad[0])
        kind = "NaN" if np.isnan(array[tuple(bad)]) else "infinity"
        raise ValueError(f"{name} contains {kind} at position {position}.")
    return array


def _first_value(values):
    flat = np.asarray(values, dtype=object).ravel()
    return flat[0] if flat.size else None


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
    """
    X = check_array(X, name="X", ensure_min_samples=ensure_min_samples)
    y = _check_y(y, numeric=y_numeric, ensure_min_samples=ensure_min_samples)
    check_consistent_length(X=X, y=y)
    return X, y


def _check_y(y, *, numeric, ensure_min_samples=1):
    """A 1-D target: float64 and finite if ``numeric``, otherwise labels as given."""
    if numeric:
        return check_array(y, name="y", ensure_2d=False, allow_1d=True,
                           ensure_min_samples=ensure_min_samples)
    y = np.asarray(y)
    if y.ndim != 1:
        raise ValueError(f"y must be 1-D of shape (n_samples,), got shape {y.shape}.")
    return y


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
        If the attributes are missing.
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
        raise NotFittedError(
            f"This {type(estimator).__name__} instance is not fitted yet. "
            "Call 'fit' with appropriate arguments before using this estimator."
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
