"""Cross-validation of one estimator: :func:`cross_validate`, :func:`validation_curve` and
:func:`learning_curve`, with the steps :class:`~ftml.model_selection.GridSearchCV` shares
with them (fitting a clone on a fold and scoring it, checking a list of values of a
hyperparameter).
"""

from collections.abc import Sequence

import numpy as np

from ftml.base import clone
from ftml.metrics import get_metric
from ftml.metrics._scorer import get_scorer
from ftml.model_selection._split import _check_cv
from ftml.validation import check_random_state, check_scalar, check_X_y

__all__ = ["cross_validate", "learning_curve", "validation_curve"]


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


def _is_classifier(estimator):
    return getattr(estimator, "_estimator_type", None) == "classifier"


def _fit_and_score(estimator, params, X, y, train, test, scorer):
    """Fit a clone with ``params`` on ``train``; return (train score, test score)."""
    model = clone(estimator).set_params(**params).fit(X[train], y[train])
    return scorer(model, X[train], y[train]), scorer(model, X[test], y[test])


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
    scorer = get_scorer(scoring)
    X, y = check_X_y(X, y, y_numeric=False)  # labels stay labels
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
    scorer = get_scorer(scoring)
    X, y = check_X_y(X, y, y_numeric=False)  # labels stay labels
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
