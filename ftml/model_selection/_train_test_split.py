"""Hold-out validation on arrays: :func:`train_test_split` and :func:`train_val_test_split`
cut ndarrays, lists or DataFrames row-wise into two or three parts, with the sizes of
:class:`~ftml.model_selection.ShuffleSplit` (a fraction rounded up to a count, or a count).
"""

import numpy as np

from ftml.model_selection._split import _num_samples, _resolve_size
from ftml.validation import check_consistent_length, check_random_state, check_scalar

__all__ = ["train_test_split", "train_val_test_split"]


def _take(x, indices):
    """Rows ``indices`` of ``x``, keeping lists as lists and DataFrames as DataFrames."""
    if hasattr(x, "iloc"):
        return x.iloc[indices]
    if hasattr(x, "shape"):
        return x[indices]
    return [x[i] for i in indices]


def _check_arrays(arrays):
    if not arrays:
        raise ValueError("At least one array is required.")
    n_samples = [_num_samples(array, f"arrays[{i}]") for i, array in enumerate(arrays)]
    check_consistent_length(**{f"arrays[{i}]": range(n) for i, n in enumerate(n_samples)})
    return n_samples[0]


def train_test_split(*arrays, test_size=0.25, random_state=None, shuffle=True):
    """Split arrays into a training part and a test part (hold-out validation).

    Parameters
    ----------
    *arrays : sequence of array-like of shape (n_samples, ...)
        Arrays with the same number of rows: ndarrays, lists or DataFrames, each returned as
        the same kind.
    test_size : float or int, default=0.25
        A fraction in (0, 1), rounded up to a count, or a count in [1, n_samples - 1].
    random_state : None, int or numpy.random.Generator, default=None
        Source of the permutation; ignored when ``shuffle`` is False.
    shuffle : bool, default=True
        Permute the samples first; otherwise the test part is the last rows.

    Returns
    -------
    splits : list of length 2 * len(arrays)
        ``[a_train, a_test, b_train, b_test, ...]``.

    Raises
    ------
    TypeError
        If ``test_size`` is neither a real nor an int, or ``shuffle`` not a bool.
    ValueError
        If no array is given, their lengths differ, or ``test_size`` would leave the
        training or the test part empty.

    References
    ----------
    The course, chapter on model selection (hold-out validation). scikit-learn,
    ``sklearn.model_selection.train_test_split``.

    Examples
    --------
    >>> X, y = np.arange(10).reshape(5, 2), [0, 1, 2, 3, 4]
    >>> X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=2, shuffle=False)
    >>> y_train, y_test
    ([0, 1, 2], [3, 4])
    """
    n_samples = _check_arrays(arrays)
    check_scalar(shuffle, "shuffle", (bool, np.bool_))
    n_test = _resolve_size(test_size, "test_size", n_samples)
    n_train = n_samples - n_test
    if n_train < 1:
        raise ValueError(
            f"test_size={test_size!r} leaves no training sample out of n_samples={n_samples}."
        )
    if shuffle:
        permutation = check_random_state(random_state).permutation(n_samples)
        train, test = permutation[n_test:], permutation[:n_test]
    else:
        train, test = np.arange(n_train), np.arange(n_train, n_samples)
    return [part for array in arrays for part in (_take(array, train), _take(array, test))]


def train_val_test_split(*arrays, val_size=0.2, test_size=0.2, random_state=None):
    """Split arrays into training, validation and test parts, after a random permutation.

    Parameters
    ----------
    *arrays : sequence of array-like of shape (n_samples, ...)
        Arrays with the same number of rows: ndarrays, lists or DataFrames, each returned as
        the same kind.
    val_size : float or int, default=0.2
        A fraction of ``n_samples`` in (0, 1), rounded up to a count, or a count.
    test_size : float or int, default=0.2
        A fraction of ``n_samples`` in (0, 1), rounded up to a count, or a count.
    random_state : None, int or numpy.random.Generator, default=None
        Source of the permutation.

    Returns
    -------
    splits : list of length 3 * len(arrays)
        ``[a_train, a_val, a_test, b_train, b_val, b_test, ...]``.

    Raises
    ------
    TypeError
        If a size is neither a real nor an int.
    ValueError
        If no array is given, their lengths differ, or the sizes leave any of the three
        parts empty.

    References
    ----------
    The course, chapter on model selection (training, validation and test sets).

    Examples
    --------
    >>> parts = train_val_test_split(list(range(10)), val_size=0.2, test_size=3,
    ...                              random_state=0)
    >>> [len(part) for part in parts]
    [5, 2, 3]
    >>> sorted(parts[0] + parts[1] + parts[2]) == list(range(10))
    True
    """
    n_samples = _check_arrays(arrays)
    n_val = _resolve_size(val_size, "val_size", n_samples)
    n_test = _resolve_size(test_size, "test_size", n_samples)
    n_train = n_samples - n_val - n_test
    if n_train < 1:
        raise ValueError(
            f"val_size={val_size!r} ({n_val} samples) and test_size={test_size!r} "
            f"({n_test} samples) leave no training sample out of n_samples={n_samples}."
        )
    permutation = check_random_state(random_state).permutation(n_samples)
    test, val, train = np.split(permutation, [n_test, n_test + n_val])
    return [
        part
        for array in arrays
        for part in (_take(array, train), _take(array, val), _take(array, test))
    ]
