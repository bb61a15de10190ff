"""Data splitting, parameter grids, cross-validation and decision thresholds, with
scikit-learn's API.

Everything random draws from :func:`ftml.validation.check_random_state`, so an integer seed
reproduces the same splits (numpy ``Generator`` streams: they differ from scikit-learn's
``RandomState`` streams, while the unshuffled splits are exactly scikit-learn's).

References
----------
The course, chapter on model selection (hold-out validation and cross-validation).
T. Hastie, R. Tibshirani and J. Friedman, *The Elements of Statistical Learning*, 2nd ed.,
Springer, 2009, Section 7.10 (cross-validation).
"""

import math
import numbers
from collections.abc import Mapping, Sequence
from itertools import product

import numpy as np


from ftml.base import BaseEstimator, ClassifierMixin, clone
from ftml.metrics import accuracy_score, get_metric
from ftml.validation import (
    check_array,
    check_consistent_length,
    check_is_fitted,
    check_random_state,
    check_scalar,
    check_X_y,
)

__all__ = [
    "FixedThresholdClassifier",
    "GridSearchCV",
    "KFold",
    "ParameterGrid",
    "ShuffleSplit",
    "StratifiedKFold",
    "StratifiedShuffleSplit",
    "cross_validate",
    "learning_curve",
    "train_test_split",
    "train_val_test_split",
    "validation_curve",
]


def _num_samples(x, name):
    shape = getattr(x, "shape", None)
    if shape is not None:
        if len(shape) == 0:
            raise TypeError(f"{name} must be an array-like with samples, got a 0-d array {x!r}.")
        return int(shape[0])
    if isinstance(x, (str, bytes)):
        raise TypeError(f"{name} must be an array-like, got the string {x!r}.")
    try:
        return len(x)
    except TypeError:
        raise TypeError(
            f"{name} must be an array-like with a length, got {x!r} of type "
            f"{type(x).__name__}."
        ) from None


def _take(x, indices):
    """Rows ``indices`` of ``x``, keeping lists as lists and DataFrames as DataFrames."""
    if hasattr(x, "iloc"):
        return x.iloc[indices]
    if hasattr(x, "shape"):
        return x[indices]
    return [x[i] for i in indices]


class KFold:
    """K-fold cross-validation splitter.

    The samples are cut into ``n_splits`` consecutive folds (after a permutation if
    ``shuffle``); each fold is the test set once while the others form the training set.
    As in scikit-learn, the first ``n_samples % n_splits`` folds hold
    ``n_samples // n_splits + 1`` samples and the others ``n_samples // n_splits``; without
    shuffling the folds are exactly scikit-learn's.

    Parameters
    ----------
    n_splits : int, default=5
        Number of folds, at least 2 and at most ``n_samples``.
    shuffle : bool, default=False
        Permute the samples before cutting them into folds.
    random_state : None, int or numpy.random.Generator, default=None
        Source of the permutation when ``shuffle`` is True; an int makes every call to
        ``split`` return the same folds, a Generator advances at each call. Must be None
        when ``shuffle`` is False (as in scikit-learn, where it would have no effect).

    References
    ----------
    The course, chapter on model selection (cross-validation). scikit-learn,
    ``sklearn.model_selection.KFold``.

    Examples
    --------
    >>> for train, test in KFold(n_splits=3).split(range(5)):
    ...     print(train, test)
    [2 3 4] [0 1]
    [0 1 4] [2 3]
    [0 1 2 3] [4]
    """

    def __init__(self, n_splits=5, *, shuffle=False, random_state=None):
        self.n_splits = n_splits
        self.shuffle = shuffle
        self.random_state = random_state

    def __repr__(self):
        return (
            f"KFold(n_splits={self.n_splits!r}, shuffle={self.shuffle!r}, "
            f"random_state={self.random_state!r})"
        )

    def _check_params(self):
        check_scalar(self.n_splits, "n_splits", numbers.Integral, min_val=2)
        check_scalar(self.shuffle, "shuffle", (bool, np.bool_))
        if not self.shuffle and self.random_state is not None:
            raise ValueError(
                f"random_state={self.random_state!r} has no effect since shuffle is False; "
                "leave random_state=None or set shuffle=True."
            )

    def get_n_splits(self, X=None, y=None, groups=None):
        """Return the number of folds.

        Parameters
        ----------
        X, y, groups : object, default=None
            Ignored; present for compatibility with scikit-learn.

        Returns
        -------
        n_splits : int

        Raises
        ------
        TypeError
            If ``n_splits`` is not an int.
        ValueError
            If ``n_splits < 2``.
        """
        check_scalar(self.n_splits, "n_splits", numbers.Integral, min_val=2)
        return int(self.n_splits)

    def split(self, X, y=None, groups=None):
        """Yield the train and test indices of each fold.

        Parameters
        ----------
        X : array-like of shape (n_samples, ...)
            Only its length is used.
        y : array-like of shape (n_samples,), default=None
            Only checked for a consistent length.
        groups : object, default=None
            Ignored; present for compatibility with scikit-learn.

        Yields
        ------
        train : ndarray of shape (n_samples - n_test,), dtype intp
            Training indices, increasing.
        test : ndarray of shape (n_test,), dtype intp
            Test indices (increasing unless shuffled).

        Raises
        ------
        TypeError
            If ``n_splits`` is not an int, ``shuffle`` not a bool, or ``random_state`` of
            an unsupported type.
        ValueError
            If ``n_splits < 2`` or ``n_splits > n_samples``, or if ``random_state`` is set
            while ``shuffle`` is False.
        """
        self._check_params()
        n_samples = _num_samples(X, "X")
        if y is not None:
            check_consistent_length(X=range(n_samples), y=range(_num_samples(y, "y")))
        if self.n_splits > n_samples:
            raise ValueError(
                f"Cannot have n_splits={self.n_splits} greater than the number of samples "
                f"n_samples={n_samples}."
            )
        indices = np.arange(n_samples)
        if self.shuffle:
            indices = check_random_state(self.random_state).permutation(n_samples)
        fold_sizes = np.full(self.n_splits, n_samples // self.n_splits, dtype=np.intp)
        fold_sizes[: n_samples % self.n_splits] += 1
        stop = 0
        for fold_size in fold_sizes:
            start, stop = stop, stop + fold_size
            test = indices[start:stop]
            in_test = np.zeros(n_samples, dtype=bool)
            in_test[test] = True
            yield np.flatnonzero(~in_test), test


class StratifiedKFold(KFold):
    """K-fold cross-validation splitter that preserves the class proportions in every fold.

    scikit-learn's algorithm, so that without shuffling the folds are exactly
    scikit-learn's: the classes are numbered by order of first appearance in ``y``; the
    number of samples of each class in each test fold is read off a round robin over the
    labels sorted by that number (fold ``i`` receives the sorted labels ``i``,
    ``i + n_splits``, ...), so the counts of a class differ by at most one between folds;
    then each class's samples, in their order in ``y``, fill fold 0 first, then fold 1, and
    so on. With ``shuffle``, the fold assignment of each class is permuted by
    ``random_state`` (a numpy ``Generator``, so the shuffled folds differ from
    scikit-learn's while the per-fold class counts are the same).

    Parameters
    ----------
    n_splits : int, default=5
        Number of folds, at least 2; every class needs at least ``n_splits`` members.
    shuffle : bool, default=False
        Permute each class's fold assignment.
    random_state : None, int or numpy.random.Generator, default=None
        Source of the permutations when ``shuffle`` is True; an int makes every call to
        ``split`` return the same folds. Must be None when ``shuffle`` is False.

    Notes
    -----
    scikit-learn only warns when the smallest class has fewer than ``n_splits`` members
    (some test folds then miss that class); here it is a ``ValueError``, since a fold
    without a class cannot estimate the error on it.

    References
    ----------
    The course, chapter on model selection (cross-validation). scikit-learn,
    ``sklearn.model_selection.StratifiedKFold``.

    Examples
    --------
    >>> y = ["a", "a", "a", "a", "b", "b"]
    >>> for train, test in StratifiedKFold(n_splits=2).split(range(6), y):
    ...     print(train, test)
    [2 3 5] [0 1 4]
    [0 1 4] [2 3 5]
    """

    def __repr__(self):
        return (
            f"StratifiedKFold(n_splits={self.n_splits!r}, shuffle={self.shuffle!r}, "
            f"random_state={self.random_state!r})"
        )

    def split(self, X, y, groups=None):
        """Yield the train and test indices of each fold.

        Parameters
        ----------
        X : array-like of shape (n_samples, ...)
            Only its length is used.
        y : array-like of shape (n_samples,)
            The class labels, of any type numpy can sort.
        groups : object, default=None
            Ignored; present for compatibility with scikit-learn.

        Yields
        ------
        train : ndarray of shape (n_samples - n_test,), dtype intp
            Training indices, increasing.
        test : ndarray of shape (n_test,), dtype intp
            Test indices, increasing.

        Raises
        ------
        TypeError
            If ``n_splits`` is not an int, ``shuffle`` not a bool, or ``random_state`` of
            an unsupported type.
        ValueError
            If ``n_splits < 2``, ``random_state`` is set while ``shuffle`` is False, ``y``
            is None, not 1-D or of another length than ``X``, or a class has fewer than
            ``n_splits`` members.
        """
        self._check_params()
        n_samples = _num_samples(X, "X")
        if y is None:
            raise ValueError("StratifiedKFold.split needs the labels y, got y=None.")
        y = np.asarray(y)
        if y.ndim != 1:
            raise ValueError(f"y must be 1-D of shape (n_samples,), got shape {y.shape}.")
        check_consistent_length(X=range(n_samples), y=y)
        labels, first, inverse = np.unique(y, return_index=True, return_inverse=True)
        # Number the classes by first appearance in y, as scikit-learn does.
        _, by_appearance = np.unique(first, return_inverse=True)
        encoded = by_appearance.reshape(-1)[inverse.reshape(-1)]
        n_classes = labels.shape[0]
        counts = np.bincount(encoded, minlength=n_classes)
        smallest = int(np.argmin(counts))
        if counts[smallest] < self.n_splits:
            label = labels[np.flatnonzero(by_appearance == smallest)[0]].tolist()
            raise ValueError(
                f"n_splits={self.n_splits} is greater than the number of members of class "
                f"{label!r} ({counts[smallest]}); every class needs at least n_splits "
                "members."
            )
        ordered = np.sort(encoded)
        allocation = np.array([np.bincount(ordered[i::self.n_splits], minlength=n_classes)
                               for i in range(self.n_splits)])
        rng = check_random_state(self.random_state) if self.shuffle else None
        test_folds = np.empty(n_samples, dtype=np.intp)
        for k in range(n_classes):
            folds = np.repeat(np.arange(self.n_splits), allocation[:, k])
            if rng is not None:
                rng.shuffle(folds)
            test_folds[encoded == k] = folds
        for i in range(self.n_splits):
            yield np.flatnonzero(test_folds != i), np.flatnonzero(test_folds == i)


class ShuffleSplit:
    """Random permutation splitter: ``n_splits`` independent random train/test splits.

    Each split permutes the samples and holds out ``n_test`` of them; the others form the
    training set. Unlike :class:`KFold`, the test sets of different splits may overlap and
    a sample may never be held out. ``ShuffleSplit(1, test_size=0.25)`` is a single hold-out
    validation split, for instance as the ``cv`` of :class:`GridSearchCV`.

    The sizes are scikit-learn's: a fraction ``test_size`` holds out
    ``n_test = ceil(test_size * n_samples)`` samples and trains on the other
    ``n_samples - n_test``.

    Parameters
    ----------
    n_splits : int, default=10
        Number of splits, at least 1.
    test_size : float or int, default=0.1
        A fraction in (0, 1), rounded up to a count, or a count in [1, n_samples - 1].
    random_state : None, int, numpy.random.SeedSequence or numpy.random.Generator, \
default=None
        Source of the permutations (see :func:`ftml.validation.check_random_state`); an int
        or a SeedSequence makes every call to ``split`` return the same splits, a Generator
        advances at each call.

    Notes
    -----
    The permutations come from a numpy ``Generator``, so the splits differ from
    scikit-learn's for the same seed while their sizes are the same. scikit-learn yields
    indices in permuted order; here both arrays are sorted.

    References
    ----------
    The course, chapter on model selection (hold-out validation). scikit-learn,
    ``sklearn.model_selection.ShuffleSplit``.

    Examples
    --------
    >>> splitter = ShuffleSplit(n_splits=3, test_size=0.25, random_state=0)
    >>> [(len(train), len(test)) for train, test in splitter.split(range(10))]
    [(7, 3), (7, 3), (7, 3)]
    """

    def __init__(self, n_splits=10, *, test_size=0.1, random_state=None):
        self.n_splits = n_splits
        self.test_size = test_size
        self.random_state = random_state

    def __repr__(self):
        return (
            f"{type(self).__name__}(n_splits={self.n_splits!r}, "
            f"test_size={self.test_size!r}, random_state={self.random_state!r})"
        )

    def get_n_splits(self, X=None, y=None, groups=None):
        """Return the number of splits.

        Parameters
        ----------
        X, y, groups : object, default=None
            Ignored; present for compatibility with scikit-learn.

        Returns
        -------
        n_splits : int

        Raises
        ------
        TypeError
            If ``n_splits`` is not an int.
        ValueError
            If ``n_splits < 1``.
        """
        check_scalar(self.n_splits, "n_splits", numbers.Integral, min_val=1)
        return int(self.n_splits)

    def _sizes(self, n_samples):
        """Check the parameters; return ``(n_train, n_test)`` for ``n_samples`` samples."""
        self.get_n_splits()
        if isinstance(self.test_size, (bool, np.bool_)) or not isinstance(
            self.test_size, numbers.Real
        ):
            raise TypeError(
                "test_size must be a float in (0, 1) or an int in [1, n_samples - 1], got "
                f"{self.test_size!r} of type {type(self.test_size).__name__}."
            )
        if n_samples < 2:
            raise ValueError(
                f"{type(self).__name__} needs at least 2 samples, got n_samples={n_samples}."
            )
        n_test = _resolve_size(self.test_size, "test_size", n_samples)
        if n_test >= n_samples:
            raise ValueError(
                f"test_size={self.test_size!r} holds out {n_test} of n_samples={n_samples} "
                "samples and leaves the training set empty; use a smaller test_size."
            )
        return n_samples - n_test, n_test

    def split(self, X, y=None, groups=None):
        """Yield the train and test indices of each split.

        Parameters
        ----------
        X : array-like of shape (n_samples, ...)
            Only its length is used.
        y : array-like of shape (n_samples,), default=None
            Only checked for a consistent length.
        groups : object, default=None
            Ignored; present for compatibility with scikit-learn.

        Yields
        ------
        train : ndarray of shape (n_samples - n_test,), dtype intp
            Training indices, increasing.
        test : ndarray of shape (n_test,), dtype intp
            Test indices, increasing.

        Raises
        ------
        TypeError
            If ``n_splits`` is not an int, ``test_size`` neither a float nor an int, or
            ``random_state`` of an unsupported type.
        ValueError
            If ``n_splits < 1``, ``test_size`` is out of range or leaves the training set
            empty, ``y`` has another length than ``X``, or ``random_state`` is negative.
        """
        n_samples = _num_samples(X, "X")
        if y is not None:
            check_consistent_length(X=range(n_samples), y=range(_num_samples(y, "y")))
        _, n_test = self._sizes(n_samples)
        rng = check_random_state(self.random_state)
        for _ in range(self.n_splits):
            in_test = np.zeros(n_samples, dtype=bool)
            in_test[rng.permutation(n_samples)[:n_test]] = True
            yield np.flatnonzero(~in_test), np.flatnonzero(in_test)


def _proportional_counts(counts, n_draws, rng):
    """Split ``n_draws`` among classes of sizes ``counts`` as proportionally as possible.

    Class ``k`` receives ``floor(share_k)`` or ``ceil(share_k)`` members, with
    ``share_k = counts[k] * n_draws / sum(counts)``: the floors, plus one for the classes
    with the largest fractional parts (largest-remainder rounding, ties broken at random),
    so the counts sum to ``n_draws``. The shares are compared in exact integer arithmetic.
    """
    numerators = counts * n_draws
    total = int(counts.sum())
    allocation, remainders = np.divmod(numerators, total)
    missing = n_draws - int(allocation.sum())
    # Decreasing remainder; a random permutation breaks the ties (lexsort: last key first).
    order = np.lexsort((rng.permutation(counts.shape[0]), -remainders))
    allocation[order[:missing]] += 1
    return allocation


class StratifiedShuffleSplit(ShuffleSplit):
    """Random train/test splits that preserve the class proportions in the test set.

    Each split holds out ``n_test`` samples (sizes as in :class:`ShuffleSplit`), of which
    ``floor`` or ``ceil`` of ``n_test * n_k / n_samples`` from class ``k`` (``n_k`` its
    size): so every class's test count is within 1 of its proportional share, as in
    scikit-learn. Within each class the held-out members are drawn uniformly at random.
    ``StratifiedShuffleSplit(1, test_size=0.25)`` is a stratified hold-out validation split.

    Parameters
    ----------
    n_splits : int, default=10
        Number of splits, at least 1.
    test_size : float or int, default=0.1
        A fraction in (0, 1), rounded up to a count, or a count in [1, n_samples - 1]; the
        test and the training sets must each hold at least ``n_classes`` samples.
    random_state : None, int, numpy.random.SeedSequence or numpy.random.Generator, \
default=None
        Source of the draws; an int or a SeedSequence makes every call to ``split`` return
        the same splits, a Generator advances at each call.

    Notes
    -----
    scikit-learn rounds the training counts per class and gives the test set the rest; here
    the test counts are rounded directly (largest remainders, in exact integer arithmetic,
    ties broken at random). Both give each class ``floor`` or ``ceil`` of its share, so
    the per-class test counts of the two differ by at most one. As in scikit-learn, a class
    with a small share may be absent from some test sets.

    References
    ----------
    The course, chapter on model selection (hold-out validation). scikit-learn,
    ``sklearn.model_selection.StratifiedShuffleSplit``.

    Examples
    --------
    >>> y = np.array([0] * 8 + [1] * 4)
    >>> splitter = StratifiedShuffleSplit(n_splits=2, test_size=0.25, random_state=0)
    >>> [np.bincount(y[test]).tolist() for _, test in splitter.split(y, y)]
    [[2, 1], [2, 1]]
    """

    def split(self, X, y, groups=None):
        """Yield the train and test indices of each split.

        Parameters
        ----------
        X : array-like of shape (n_samples, ...)
            Only its length is used.
        y : array-like of shape (n_samples,)
            The class labels, of any type numpy can sort.
        groups : object, default=None
            Ignored; present for compatibility with scikit-learn.

        Yields
        ------
        train : ndarray of shape (n_samples - n_test,), dtype intp
            Training indices, increasing.
        test : ndarray of shape (n_test,), dtype intp
            Test indices, increasing.

        Raises
        ------
        TypeError
            If ``n_splits`` is not an int, ``test_size`` neither a float nor an int, or
            ``random_state`` of an unsupported type.
        ValueError
            If ``n_splits < 1``; ``test_size`` is out of range; ``y`` is None, not 1-D or
            of another length than ``X``; a class has a single member; or the test or
            training set would hold fewer samples than there are classes.
        """
        n_samples = _num_samples(X, "X")
        if y is None:
            raise ValueError("StratifiedShuffleSplit.split needs the labels y, got y=None.")
        y = np.asarray(y)
        if y.ndim != 1:
            raise ValueError(f"y must be 1-D of shape (n_samples,), got shape {y.shape}.")
        check_consistent_length(X=range(n_samples), y=y)
        n_train, n_test = self._sizes(n_samples)
        labels, encoded = np.unique(y, return_inverse=True)
        encoded = encoded.reshape(-1)
        counts = np.bincount(encoded)
        smallest = int(np.argmin(counts))
        if counts[smallest] < 2:
            raise ValueError(
                f"The class {labels[smallest].tolist()!r} has a single member; every class "
                "needs at least 2 members to appear in both the training and the test set."
            )
        for part, size in (("test", n_test), ("training", n_train)):
            if size < labels.shape[0]:
                raise ValueError(
                    f"test_size={self.test_size!r} gives a {part} set of {size} samples, "
                    f"fewer than the {labels.shape[0]} classes; every class needs a place "
                    f"in it."
                )
        members = [np.flatnonzero(encoded == k) for k in range(labels.shape[0])]
        rng = check_random_state(self.random_state)
        for _ in range(self.n_splits):
            in_test = np.zeros(n_samples, dtype=bool)
            for rows, size in zip(members, _proportional_counts(counts, n_test, rng)):
                in_test[rng.permutation(rows)[:size]] = True
            yield np.flatnonzero(~in_test), np.flatnonzero(in_test)


def _resolve_size(size, name, n_samples):
    """Number of samples described by a fraction in (0, 1) or a count in [1, n_samples)."""
    if isinstance(size, numbers.Integral) and not isinstance(size, (bool, np.bool_)):
        check_scalar(size, name, numbers.Integral, min_val=1, max_val=n_samples - 1)
        return int(size)
    check_scalar(size, name, numbers.Real, min_val=0.0, max_val=1.0, include_boundaries="neither")
    # The held-out part is rounded up, as scikit-learn does, so that it is never empty.
    return math.ceil(size * n_samples)


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


class ParameterGrid:
    """The cartesian product of lists of hyperparameter values.

    The order is scikit-learn's and reproducible: within a grid the keys are sorted and the
    last key varies fastest, each key's values in the given order; a list of grids is
    traversed grid after grid.

    Parameters
    ----------
    param_grid : dict of str to list, or list of such dicts
        Each key maps to a non-empty list (or tuple, or 1-D ndarray) of values. An empty
        dict yields a single empty point.

    Raises
    ------
    TypeError
        If ``param_grid`` is not a dict or a list of dicts, a key is not a str, or a value
        is not a list.
    ValueError
        If a value is an empty list or an array of more than one dimension.

    References
    ----------
    scikit-learn, ``sklearn.model_selection.ParameterGrid``.

    Examples
    --------
    >>> grid = ParameterGrid({"b": [True, False], "a": [1, 2]})
    >>> len(grid)
    4
    >>> list(grid)
    [{'a': 1, 'b': True}, {'a': 1, 'b': False}, {'a': 2, 'b': True}, {'a': 2, 'b': False}]
    >>> grid[1]
    {'a': 1, 'b': False}
    """

    def __init__(self, param_grid):
        if isinstance(param_grid, Mapping):
            param_grid = [param_grid]
        elif not isinstance(param_grid, Sequence) or isinstance(param_grid, str):
            raise TypeError(
                "param_grid must be a dict or a list of dicts, got "
                f"{param_grid!r} of type {type(param_grid).__name__}."
            )
        grids = []
        for grid in param_grid:
            if not isinstance(grid, Mapping):
                raise TypeError(
                    f"param_grid must be a dict or a list of dicts, got the element {grid!r} "
                    f"of type {type(grid).__name__}."
                )
            for key, values in grid.items():
                _check_grid_values(key, values)
            # Sorted once here so that iteration and indexing share one order.
            grids.append(sorted(grid.items()))
        self.param_grid = param_grid
        self._grids = grids

    def __iter__(self):
        for items in self._grids:
            keys = [key for key, _ in items]
            for values in product(*(values for _, values in items)):
                yield dict(zip(keys, values))

    def __len__(self):
        return sum(math.prod(len(values) for _, values in items) for items in self._grids)

    def __getitem__(self, index):
        if not isinstance(index, numbers.Integral) or isinstance(index, (bool, np.bool_)):
            raise TypeError(
                f"ParameterGrid indices must be integers, got {index!r} of type "
                f"{type(index).__name__}."
            )
        length = len(self)
        if not -length <= index < length:
            raise IndexError(f"ParameterGrid index {index} out of range for length {length}.")
        index = int(index) % length
        for items in self._grids:
            size = math.prod(len(values) for _, values in items)
            if index >= size:
                index -= size
                continue
            point = {}
            # Mixed-radix digits of the index, the last key being the fastest digit.
            for key, values in reversed(items):
                index, offset = divmod(index, len(values))
                point[key] = values[offset]
            return dict(sorted(point.items()))
        raise AssertionError("unreachable: index was checked against len(self)")

    def __repr__(self):
        return f"ParameterGrid({self.param_grid!r})"


def _check_grid_values(key, values):
    if not isinstance(key, str):
        raise TypeError(
            f"param_grid keys must be str, got {key!r} of type {type(key).__name__}."
        )
    if isinstance(values, np.ndarray):
        if values.ndim != 1:
            raise ValueError(
                f"param_grid[{key!r}] must be a 1-D list of values, got an array of shape "
                f"{values.shape}."
            )
    elif isinstance(values, (str, bytes)) or not isinstance(values, Sequence):
        raise TypeError(
            f"param_grid[{key!r}] must be a list of values, got {values!r} of type "
            f"{type(values).__name__}; wrap a single value in a list."
        )
    if len(values) == 0:
        raise ValueError(
            f"param_grid[{key!r}] must be a non-empty list of values, got {values!r}."
        )


def _check_cv(cv, classifier=False):
    """An int ``k`` gives ``StratifiedKFold(k)`` for a classifier, ``KFold(k)`` otherwise."""
    if isinstance(cv, numbers.Integral) and not isinstance(cv, (bool, np.bool_)):
        return StratifiedKFold(int(cv)) if classifier else KFold(int(cv))
    if hasattr(cv, "split") and hasattr(cv, "get_n_splits"):
        return cv
    raise TypeError(
        "cv must be an int (the number of folds) or a splitter with split and get_n_splits, "
        f"got {cv!r} of type {type(cv).__name__}."
    )


def cross_validate(estimator, X, y, *, cv=5, scoring=("mean_squared_error",),
                   return_train_score=False):
    """Evaluate an estimator by cross-validation.

    For each fold, a fresh clone of ``estimator`` is fitted on the training indices and each
    metric is computed on the test indices (and on the training indices if asked). There is
    no timing information, so the result is a deterministic function of its inputs.

    Parameters
    ----------
    estimator : estimator
        An object with ``get_params``, ``fit`` and ``predict``; it is cloned, not fitted.
    X : array-like of shape (n_samples, n_features)
        The design matrix.
    y : array-like of shape (n_samples,)
        The targets.
    cv : int or splitter, default=5
        An int ``k`` means ``KFold(k)`` without shuffling; otherwise an object with
        ``split(X, y)`` and ``get_n_splits()``, such as :class:`KFold` or a scikit-learn
        splitter.
    scoring : str or sequence of str, default=("mean_squared_error",)
        Names from :data:`ftml.metrics.REGRESSION_METRICS`, resolved by
        :func:`ftml.metrics.get_metric`. Values are the metrics themselves, not negated:
        ``*_error`` is lower-is-better, ``*_score`` higher-is-better.
    return_train_score : bool, default=False
        Also compute the metrics on the training folds.

    Returns
    -------
    scores : dict of str to ndarray of shape (n_splits,)
        ``test_<metric>`` for each metric, then ``train_<metric>`` if requested.

    Raises
    ------
    TypeError
        If ``cv`` is neither an int nor a splitter, ``scoring`` holds a non-string, or
        ``return_train_score`` is not a bool.
    ValueError
        If ``X`` or ``y`` is invalid, a metric name is unknown, or ``scoring`` is empty.

    References
    ----------
    The course, chapter on model selection (cross-validation). scikit-learn,
    ``sklearn.model_selection.cross_validate``.

    Examples
    --------
    >>> from ftml.linear_model import OLS
    >>> X = np.arange(12.0).reshape(6, 2)
    >>> y = X @ [1.0, -1.0] + 2.0
    >>> scores = cross_validate(OLS(), X, y, cv=3, scoring=["r2_score"])
    >>> sorted(scores)
    ['test_r2_score']
    >>> scores["test_r2_score"].round(6)
    array([1., 1., 1.])
    """
    X, y = check_X_y(X, y)
    cv = _check_cv(cv)
    check_scalar(return_train_score, "return_train_score", (bool, np.bool_))
    names = [scoring] if isinstance(scoring, str) else list(scoring)
    if not names:
        raise ValueError("scoring must name at least one metric, got an empty sequence.")
    metrics = {name: get_metric(name) for name in names}
    parts = ("test", "train") if return_train_score else ("test",)
    scores = {f"{part}_{name}": [] for part in parts for name in metrics}
    for train, test in cv.split(X, y):
        fitted = clone(estimator).fit(X[train], y[train])
        for part in parts:
            indices = test if part == "test" else train
            y_pred = fitted.predict(X[indices])
            for name, metric in metrics.items():
                scores[f"{part}_{name}"].append(metric(y[indices], y_pred))
    return {key: np.asarray(values, dtype=np.float64) for key, values in scores.items()}


# --- Model selection for classifiers and regressors: grid search and curves --------------

_ACCURACY_NAMES = ("accuracy", "accuracy_score")


def _is_classifier(estimator):
    return getattr(estimator, "_estimator_type", None) == "classifier"


def _get_scorer(scoring):
    """Return ``score(estimator, X, y)``, larger is better, for the metric ``scoring``.

    ``"accuracy"`` (or ``"accuracy_score"``) is :func:`ftml.metrics.accuracy_score`;
    other names are resolved by :func:`ftml.metrics.get_metric`, whose ``*_error`` and
    ``*_loss`` metrics are negated so that larger is better (scikit-learn's
    ``neg_mean_squared_error``). None means the estimator's own ``score`` method.
    """
    if scoring is None:
        return lambda estimator, X, y: float(estimator.score(X, y))
    if not isinstance(scoring, str):
        raise TypeError(
            f"scoring must be None or a metric name, got {scoring!r} of type "
            f"{type(scoring).__name__}."
        )
    if scoring in _ACCURACY_NAMES:
        metric = accuracy_score
    else:
        try:
            metric = get_metric(scoring)
        except ValueError:
            raise ValueError(
                f"scoring={scoring!r} is not a known metric; use 'accuracy' or one of "
                "ftml.metrics.REGRESSION_METRICS, or None for the estimator's score."
            ) from None
    sign = -1.0 if scoring.endswith(("_error", "_loss")) else 1.0
    return lambda estimator, X, y: sign * float(metric(y, estimator.predict(X)))


def _check_data(X, y):
    """``X`` as a float array; ``y`` as a 1-D array of any dtype (labels stay labels)."""
    X = check_array(X, name="X")
    y = np.asarray(y)
    if y.ndim != 1:
        raise ValueError(f"y must be 1-D of shape (n_samples,), got shape {y.shape}.")
    check_consistent_length(X=X, y=y)
    return X, y


def _fit_and_score(estimator, params, X, y, train, test, scorer):
    """Fit a clone with ``params`` on ``train``; return (train score, test score)."""
    model = clone(estimator).set_params(**params).fit(X[train], y[train])
    return scorer(model, X[train], y[train]), scorer(model, X[test], y[test])


class GridSearchCV(BaseEstimator):
    """Exhaustive search over a parameter grid, scored by cross-validation.

    Every point of ``ParameterGrid(param_grid)`` is set on a clone of ``estimator``, which is
    fitted on each training fold and scored on the matching test fold. The best point has
    the largest mean test score (the first in grid order among ties, as in scikit-learn);
    with ``refit`` a clone with these parameters is then fitted on all of ``X``.

    Parameters
    ----------
    estimator : estimator
        An object with ``get_params``, ``set_params``, ``fit`` and ``predict``.
    param_grid : dict of str to list, or list of such dicts
        The grid, see :class:`ParameterGrid`; nested parameters as ``<name>__<param>``.
    scoring : str or None, default="accuracy"
        ``"accuracy"`` (:func:`ftml.metrics.accuracy_score`), a name of
        :data:`ftml.metrics.REGRESSION_METRICS`, or None for ``estimator.score``. Scores are
        oriented so that larger is better: ``*_error`` metrics are negated (the reported
        score for ``"mean_squared_error"`` is minus the MSE).
    cv : int or splitter, default=5
        An int ``k`` means :class:`StratifiedKFold` ``(k)`` for a classifier (an estimator
        whose ``_estimator_type`` is ``"classifier"``) and :class:`KFold` ``(k)``
        otherwise, without shuffling; or an object with ``split(X, y)`` and
        ``get_n_splits()``.
    refit : bool, default=True
        Fit ``best_estimator_`` on the whole of ``X`` after the search.

    Attributes
    ----------
    cv_results_ : dict of str to ndarray
        ``params`` (object array of dicts), ``split<k>_test_score`` for each fold,
        ``mean_test_score``, ``std_test_score`` (population standard deviation over the
        folds) and ``rank_test_score`` (1 for the best; ties share the smallest rank), each
        of length ``n_candidates``.
    best_index_ : int
        Index of the best candidate in ``cv_results_``.
    best_params_ : dict
        Its parameters.
    best_score_ : float
        Its mean test score.
    best_estimator_ : estimator
        Refitted on all the data; only when ``refit``.
    n_splits_ : int
        Number of folds.

    Notes
    -----
    No timing is recorded, so ``cv_results_`` is a deterministic function of the inputs. An
    error raised by a fit propagates (scikit-learn's ``error_score="raise"``).

    References
    ----------
    The course, chapter on model selection (choosing hyperparameters by cross-validation).
    scikit-learn, ``sklearn.model_selection.GridSearchCV``.

    Examples
    --------
    >>> from ftml.linear_model import Ridge
    >>> X = np.arange(20.0).reshape(10, 2)
    >>> y = X @ [1.0, -2.0] + 1.0
    >>> search = GridSearchCV(Ridge(), {"alpha": [10.0, 1e-6]}, scoring="r2_score", cv=2)
    >>> search.fit(X, y).best_params_
    {'alpha': 1e-06}
    >>> search.cv_results_["rank_test_score"]
    array([2, 1], dtype=int32)
    """

    def __init__(self, estimator, param_grid, *, scoring="accuracy", cv=5, refit=True):
        self.estimator = estimator
        self.param_grid = param_grid
        self.scoring = scoring
        self.cv = cv
        self.refit = refit

    def fit(self, X, y):
        """Run the search, then refit the best candidate if ``refit``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)

        Returns
        -------
        self : GridSearchCV

        Raises
        ------
        TypeError
            If ``param_grid``, ``scoring``, ``cv`` or ``refit`` has the wrong type.
        ValueError
            If ``X`` or ``y`` is invalid, ``scoring`` is unknown, a grid value list is
            empty or a grid key is not a parameter of ``estimator``.
        """
        check_scalar(self.refit, "refit", (bool, np.bool_))
        candidates = list(ParameterGrid(self.param_grid))
        scorer = _get_scorer(self.scoring)
        X, y = _check_data(X, y)
        cv = _check_cv(self.cv, classifier=_is_classifier(self.estimator))
        folds = list(cv.split(X, y))
        scores = np.array([
            [_fit_and_score(self.estimator, params, X, y, train, test, scorer)[1]
             for train, test in folds]
            for params in candidates
        ])
        mean = scores.mean(axis=1)
        params = np.empty(len(candidates), dtype=object)
        params[:] = candidates
        results = {"params": params}
        for k in range(len(folds)):
            results[f"split{k}_test_score"] = scores[:, k]
        results["mean_test_score"] = mean
        results["std_test_score"] = scores.std(axis=1)
        results["rank_test_score"] = _min_rank(-mean)
        self.cv_results_ = results
        self.best_index_ = int(np.argmin(results["rank_test_score"]))
        self.best_params_ = candidates[self.best_index_]
        self.best_score_ = float(mean[self.best_index_])
        self.n_splits_ = len(folds)
        if self.refit:
            self.best_estimator_ = (
                clone(self.estimator).set_params(**self.best_params_).fit(X, y)
            )
        return self

    def _check_refitted(self):
        check_is_fitted(self, ["cv_results_"])
        if not hasattr(self, "best_estimator_"):
            raise AttributeError(
                "This GridSearchCV was fitted with refit=False: it has no best_estimator_ "
                "to predict with; refit it with refit=True."
            )

    def predict(self, X):
        """Predict with ``best_estimator_``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)

        Raises
        ------
        NotFittedError
            If ``fit`` has not been called.
        AttributeError
            If ``refit`` was False.
        """
        self._check_refitted()
        return self.best_estimator_.predict(X)

    def score(self, X, y):
        """Score of ``best_estimator_`` on ``(X, y)`` by ``scoring`` (larger is better).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)

        Returns
        -------
        score : float
            Negated for ``*_error`` metrics, as in ``cv_results_``.
        """
        self._check_refitted()
        return _get_scorer(self.scoring)(self.best_estimator_, X, y)


def validation_curve(estimator, X, y, *, param_name, param_range, cv=5, scoring="accuracy"):
    """Training and test scores by cross-validation for each value of one hyperparameter.

    Parameters
    ----------
    estimator : estimator
        Cloned for each value and fold, never fitted itself.
    X : array-like of shape (n_samples, n_features)
    y : array-like of shape (n_samples,)
    param_name : str
        The hyperparameter, nested ones as ``<name>__<param>``.
    param_range : list or 1-D ndarray
        Its values, non-empty.
    cv : int or splitter, default=5
        As in :class:`GridSearchCV` (an int gives :class:`StratifiedKFold` for a
        classifier, :class:`KFold` otherwise).
    scoring : str or None, default="accuracy"
        As in :class:`GridSearchCV`: larger is better, ``*_error`` metrics negated.

    Returns
    -------
    train_scores : ndarray of shape (n_values, n_splits)
        Scores on the training folds.
    test_scores : ndarray of shape (n_values, n_splits)
        Scores on the test folds.

    Raises
    ------
    TypeError
        If ``param_name`` is not a str, ``param_range`` not a list, or ``scoring``/``cv``
        of the wrong type.
    ValueError
        If ``param_range`` is empty, ``X`` or ``y`` invalid, or ``scoring`` unknown.

    References
    ----------
    The course, chapter on model selection (under- and overfitting as a function of the
    regularisation). scikit-learn, ``sklearn.model_selection.validation_curve``.

    Examples
    --------
    >>> from ftml.linear_model import Ridge
    >>> X = np.arange(20.0).reshape(10, 2)
    >>> train, test = validation_curve(Ridge(), X, X @ [1.0, -2.0], param_name="alpha",
    ...                                param_range=[1e-6, 1.0, 100.0], cv=2,
    ...                                scoring="r2_score")
    >>> train.shape, test.shape
    ((3, 2), (3, 2))
    """
    if not isinstance(param_name, str):
        raise TypeError(
            f"param_name must be a str, got {param_name!r} of type {type(param_name).__name__}."
        )
    _check_grid_values(param_name, param_range)
    scorer = _get_scorer(scoring)
    X, y = _check_data(X, y)
    folds = list(_check_cv(cv, classifier=_is_classifier(estimator)).split(X, y))
    scores = np.array([
        [_fit_and_score(estimator, {param_name: value}, X, y, train, test, scorer)
         for train, test in folds]
        for value in param_range
    ])
    return scores[..., 0], scores[..., 1]


def _train_sizes_abs(train_sizes, n_max):
    sizes = np.asarray(train_sizes)
    if sizes.ndim != 1 or sizes.shape[0] == 0:
        raise ValueError(
            f"train_sizes must be a non-empty 1-D list, got {train_sizes!r}."
        )
    if sizes.dtype.kind == "f":
        if sizes.min() <= 0.0 or sizes.max() > 1.0:
            raise ValueError(
                "train_sizes are fractions of the largest training set and must lie in "
                f"(0, 1], got {sizes.tolist()}."
            )
        sizes = np.clip((sizes * n_max).astype(np.intp), 1, n_max)
    elif sizes.dtype.kind in "iu":
        if sizes.min() < 1 or sizes.max() > n_max:
            raise ValueError(
                f"train_sizes are numbers of training samples and must lie in [1, {n_max}] "
                f"(the smallest training fold), got {sizes.tolist()}."
            )
    else:
        raise TypeError(
            f"train_sizes must hold fractions or integers, got {train_sizes!r} of dtype "
            f"{sizes.dtype}."
        )
    return np.unique(sizes.astype(np.intp))


def learning_curve(estimator, X, y, *, train_sizes=(0.1, 0.325, 0.55, 0.775, 1.0), cv=5,
                   scoring="accuracy", random_state=None):
    """Training and test scores by cross-validation as the training set grows.

    For each fold and each size ``m``, a clone of ``estimator`` is fitted on the first ``m``
    indices of the training fold (after a permutation of the fold if ``random_state`` is
    not None, so that the subsets are nested), scored on these ``m`` samples and on the
    test fold.

    Parameters
    ----------
    estimator : estimator
        Cloned for each size and fold, never fitted itself.
    X : array-like of shape (n_samples, n_features)
    y : array-like of shape (n_samples,)
    train_sizes : list of float or list of int, default=(0.1, 0.325, 0.55, 0.775, 1.0)
        Fractions in (0, 1] of the smallest training fold ``n_max``, rounded down (at least
        1), or counts in [1, n_max]; duplicates are removed and the sizes sorted.
    cv : int or splitter, default=5
        As in :class:`GridSearchCV`.
    scoring : str or None, default="accuracy"
        As in :class:`GridSearchCV`: larger is better, ``*_error`` metrics negated.
    random_state : None, int or numpy.random.Generator, default=None
        None takes each training fold in its order (scikit-learn's ``shuffle=False``); a
        seed permutes each training fold first (scikit-learn's ``shuffle=True``, with a
        numpy ``Generator`` stream). With ordered folds, small prefixes may hold a single
        class, which a classifier rejects.

    Returns
    -------
    train_sizes_abs : ndarray of shape (n_ticks,)
        The numbers of training samples used.
    train_scores : ndarray of shape (n_ticks, n_splits)
        Scores on the training subsets.
    test_scores : ndarray of shape (n_ticks, n_splits)
        Scores on the test folds.

    Raises
    ------
    TypeError
        If ``train_sizes`` is neither fractions nor integers, or ``scoring``/``cv`` of the
        wrong type.
    ValueError
        If a size is out of range, ``X`` or ``y`` invalid, or ``scoring`` unknown.

    Notes
    -----
    ``n_max`` is the size of the smallest training fold; scikit-learn uses the first fold's,
    which is the smallest for :class:`KFold`.

    References
    ----------
    The course, chapter on model selection (learning curves). scikit-learn,
    ``sklearn.model_selection.learning_curve``.

    Examples
    --------
    >>> from ftml.linear_model import Ridge
    >>> X = np.arange(40.0).reshape(20, 2)
    >>> sizes, train, test = learning_curve(Ridge(), X, X @ [1.0, -2.0], cv=2,
    ...                                     train_sizes=[0.5, 1.0], scoring="r2_score")
    >>> sizes, train.shape
    (array([ 5, 10]), (2, 2))
    """
    scorer = _get_scorer(scoring)
    X, y = _check_data(X, y)
    folds = list(_check_cv(cv, classifier=_is_classifier(estimator)).split(X, y))
    sizes = _train_sizes_abs(train_sizes, min(len(train) for train, _ in folds))
    rng = None if random_state is None else check_random_state(random_state)
    scores = np.empty((sizes.shape[0], len(folds), 2))
    for k, (train, test) in enumerate(folds):
        if rng is not None:
            train = rng.permutation(train)
        for t, size in enumerate(sizes):
            scores[t, k] = _fit_and_score(estimator, {}, X, y, train[:size], test, scorer)
    return sizes, scores[..., 0], scores[..., 1]


def _min_rank(values):
    """Ranks from 1, ties sharing their smallest rank (scipy's ``rankdata(method="min")``),
    in numpy: ftml's core does not import scipy, whose import costs every job a second."""
    values = np.asarray(values)
    order = np.argsort(values, kind="stable")
    ranks = np.empty(len(values), dtype=np.int32)
    sorted_values = values[order]
    # a new rank starts where the sorted value changes
    starts = np.r_[True, sorted_values[1:] != sorted_values[:-1]]
    positions = np.arange(1, len(values) + 1)
    ranks[order] = np.maximum.accumulate(np.where(starts, positions, 0))
    return ranks



# --- Decision threshold of a binary classifier -------------------------------------------

_RESPONSE_METHODS = ("predict_proba", "decision_function")


class FixedThresholdClassifier(ClassifierMixin, BaseEstimator):
    """Binary classifier that predicts the positive class when a score reaches a threshold.

    ``fit`` fits a clone of ``estimator``; ``predict`` returns ``classes_[1]`` (the positive
    class) where the estimator's score for it is at least ``threshold`` and ``classes_[0]``
    elsewhere. The score is ``predict_proba(X)[:, 1]`` or ``decision_function(X)``,
    following ``response_method``. Moving the threshold trades recall (the fraction of the
    positives predicted positive) against precision (the fraction of the predicted
    positives that are positive): with ``predict_proba``, ``threshold=0`` predicts every
    sample positive (recall 1, precision equal to the prevalence of the positive class),
    and a threshold above every score (such as 1.5) predicts none positive.

    Parameters
    ----------
    estimator : estimator
        A binary classifier with ``get_params``, ``fit`` and the method named by
        ``response_method``, whose score is larger for its ``classes_[1]`` (as
        :class:`ftml.linear_model.LogisticRegression`); it is cloned, never fitted itself.
    threshold : float, default=0.5
        A finite real, on the scale of the score: a probability for ``predict_proba``
        (0.5 reproduces the usual rule), a signed margin for ``decision_function`` (where
        the usual rule is 0). ``predict`` reads it at each call, so it can be changed with
        ``set_params`` after ``fit`` without refitting.
    response_method : {"predict_proba", "decision_function"}, default="predict_proba"
        The estimator's method giving the score.

    Attributes
    ----------
    estimator_ : estimator
        The fitted clone of ``estimator``.
    classes_ : ndarray of shape (2,)
        The two labels (the fitted estimator's ``classes_`` if it has them, else sorted);
        ``classes_[1]`` is the positive class.
    n_features_in_ : int
        Number of features seen in ``fit``.

    See Also
    --------
    sklearn.model_selection.FixedThresholdClassifier : The same wrapper, whose ``threshold``
        and ``response_method`` default to ``"auto"``.

    References
    ----------
    The course, chapter "Introduction to supervised learning" (classification losses,
    precision and recall). scikit-learn, ``sklearn.model_selection.FixedThresholdClassifier``.

    Examples
    --------
    >>> from ftml.linear_model import LogisticRegression
    >>> X = np.array([[-2.0], [-1.0], [-0.5], [0.5], [1.0], [2.0]])
    >>> y = [0, 0, 1, 0, 1, 1]
    >>> model = FixedThresholdClassifier(LogisticRegression(alpha=0.1), threshold=0.3)
    >>> model.fit(X, y).predict([[-2.0], [-0.5], [1.0]]).tolist()
    [0, 1, 1]
    >>> model.set_params(threshold=0.0).predict([[-2.0]]).tolist()  # everything positive
    [1]
    """

    _multi_class = False  # binary only

    def __init__(self, estimator, *, threshold=0.5, response_method="predict_proba"):
        self.estimator = estimator
        self.threshold = threshold
        self.response_method = response_method

    def _check_params(self):
        check_scalar(self.threshold, "threshold", numbers.Real)
        if not math.isfinite(self.threshold):
            raise ValueError(f"threshold must be a finite real, got {self.threshold!r}.")
        if not isinstance(self.response_method, str) or (
            self.response_method not in _RESPONSE_METHODS
        ):
            raise ValueError(
                f"response_method must be one of {', '.join(map(repr, _RESPONSE_METHODS))}, "
                f"got {self.response_method!r}."
            )

    def fit(self, X, y):
        """Fit a clone of ``estimator`` as ``estimator_``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
            Labels with exactly two distinct values, of any type numpy can sort.

        Returns
        -------
        self : FixedThresholdClassifier

        Raises
        ------
        TypeError
            If ``threshold`` is not a real, or ``estimator`` lacks ``fit``, ``get_params``
            or the method named by ``response_method``.
        ValueError
            If ``threshold`` is not finite, ``response_method`` is unknown, ``X`` is
            invalid, ``y`` is not 1-D, their lengths differ, or ``y`` does not hold exactly
            two distinct values.
        """
        self._check_params()
        if not (hasattr(self.estimator, "fit") and hasattr(self.estimator, "get_params")):
            raise TypeError(
                "estimator must be an ftml estimator with get_params and fit, got "
                f"{self.estimator!r} of type {type(self.estimator).__name__}."
            )
        if not hasattr(self.estimator, self.response_method):
            raise TypeError(
                f"response_method={self.response_method!r} but "
                f"{type(self.estimator).__name__} has no {self.response_method} method."
            )
        X = check_array(X, name="X")
        y = np.asarray(y)
        if y.ndim != 1:
            raise ValueError(f"y must be 1-D of shape (n_samples,), got shape {y.shape}.")
        check_consistent_length(X=X, y=y)
        classes = np.unique(y)
        if classes.shape[0] != 2:
            raise ValueError(
                "FixedThresholdClassifier is a binary classifier: y must hold exactly two "
                f"distinct values, got {classes.shape[0]}: {classes.tolist()[:10]}."
            )
        self.estimator_ = clone(self.estimator).fit(X, y)
        self.classes_ = np.asarray(getattr(self.estimator_, "classes_", classes))
        self.n_features_in_ = X.shape[1]
        return self

    def predict_proba(self, X):
        """The fitted estimator's ``predict_proba``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        proba : ndarray of shape (n_samples, 2)
            Columns in the order of ``classes_``.
        """
        check_is_fitted(self, ["estimator_", "classes_"])
        return self.estimator_.predict_proba(X)

    def decision_function(self, X):
        """The fitted estimator's ``decision_function``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        scores : ndarray of shape (n_samples,)
            Larger for ``classes_[1]``.
        """
        check_is_fitted(self, ["estimator_", "classes_"])
        return self.estimator_.decision_function(X)

    def predict(self, X):
        """Predict ``classes_[1]`` where the score is ``>= threshold``, else ``classes_[0]``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            Labels of the same type as in ``fit``.

        Raises
        ------
        NotFittedError
            If ``fit`` has not been called.
        TypeError, ValueError
            If ``threshold`` or ``response_method`` was set to an invalid value after
            ``fit``.
        """
        check_is_fitted(self, ["estimator_", "classes_"])
        self._check_params()
        scores = np.asarray(getattr(self.estimator_, self.response_method)(X))
        if self.response_method == "predict_proba":
            scores = scores[:, 1]
        scores = scores.reshape(-1)
        return self.classes_[(scores >= self.threshold).astype(np.intp)]
