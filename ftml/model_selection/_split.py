"""Cross-validation splitters (:class:`KFold`, :class:`StratifiedKFold`, :class:`ShuffleSplit`,
:class:`StratifiedShuffleSplit`) and the checks the rest of :mod:`ftml.model_selection`
shares with them: the number of samples of an array-like, a test size given as a fraction or
a count, and a ``cv`` argument turned into a splitter.
"""

import math
import numbers

import numpy as np

from ftml.validation import check_consistent_length, check_random_state, check_scalar

__all__ = ["KFold", "ShuffleSplit", "StratifiedKFold", "StratifiedShuffleSplit"]


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
