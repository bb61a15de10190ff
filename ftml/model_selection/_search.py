"""Hyperparameter search: :class:`ParameterGrid`, the cartesian product of lists of values, and
:class:`GridSearchCV`, which scores each of its points by cross-validation and refits the best.
"""

import copy
import math
import numbers
from collections.abc import Mapping, Sequence
from itertools import product

import numpy as np

from ftml.base import BaseEstimator, clone
from ftml.metrics._scorer import SCORING_NAMES, get_scorer
from ftml.model_selection._split import _check_cv
from ftml.model_selection._validation import _check_grid_values, _fit_and_score, _is_classifier
from ftml.validation import (
    HasMethods,
    Interval,
    Options,
    check_classification_targets,
    check_is_fitted,
    validate_data,
)

__all__ = ["GridSearchCV", "ParameterGrid"]


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
    param_grid : dict of str to list, or list (or tuple) of such dicts
        The grid, see :class:`ParameterGrid`; nested parameters as ``<name>__<param>``.
    scoring : str or None, default="accuracy"
        A name of :data:`ftml.metrics.SCORERS` (``"accuracy"`` for
        :func:`ftml.metrics.accuracy_score`), or None for ``estimator.score``. Scores are
        oriented so that larger is better: ``*_error`` metrics are negated (the reported
        score for ``"mean_squared_error"`` is minus the MSE).
    cv : int or splitter, default=5
        An int ``k >= 2`` means :class:`StratifiedKFold` ``(k)`` for a classifier (an
        estimator whose ``_estimator_type`` is ``"classifier"``) and :class:`KFold` ``(k)``
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
    classes_ : ndarray of shape (n_classes,)
        ``best_estimator_.classes_``; only for a classifier, when ``refit``.
    n_splits_ : int
        Number of folds.
    n_features_in_ : int
        Number of features seen in ``fit``.

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

    _parameter_constraints = {
        "estimator": [HasMethods(["fit", "predict", "get_params", "set_params"])],
        "param_grid": [dict, list, tuple],  # their contents are ParameterGrid's to check
        "scoring": [Options(str, SCORING_NAMES), None],
        "cv": [Interval(numbers.Integral, 2, None, closed="left"),
               HasMethods(["split", "get_n_splits"])],
        "refit": ["boolean"],
    }

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
        InvalidParameterError
            If a hyperparameter violates ``_parameter_constraints`` (an ``estimator``
            without ``fit``, ``predict``, ``get_params`` or ``set_params``, an unknown
            ``scoring``, ``cv`` neither an int of at least 2 nor a splitter, a non-bool
            ``refit``, ...); it is both a ValueError and a TypeError.
        TypeError
            If ``param_grid`` holds something else than dicts of str to lists.
        ValueError
            If ``X`` or ``y`` is invalid (with a classifier, ``y`` holds NaN or continuous
            values), an int ``cv`` exceeds the number of samples, a grid value list is empty
            or a grid key is not a parameter of ``estimator``.
        """
        self._validate_params()
        candidates = list(ParameterGrid(self.param_grid))
        scorer = get_scorer(self.scoring)
        classifier = _is_classifier(self.estimator)
        X, y = validate_data(self, X, y, y_numeric=False)  # labels stay labels
        if classifier:
            check_classification_targets(y)
        if isinstance(self.cv, numbers.Integral) and self.cv > X.shape[0]:
            # before the splitter, whose stratified version would blame the class counts
            raise ValueError(f"cv={self.cv} folds need at least {self.cv} samples, got "
                             f"n_samples={X.shape[0]}.")
        cv = _check_cv(self.cv, classifier=classifier)
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
        else:
            vars(self).pop("best_estimator_", None)  # an earlier fit's, now stale
        return self

    def __sklearn_tags__(self):
        # For scikit-learn's tooling a search is what its estimator is (as scikit-learn's
        # own GridSearchCV): a classifier, binary only or not, or a regressor.
        from sklearn.utils import get_tags

        tags = super().__sklearn_tags__()
        nested = get_tags(self.estimator)
        tags.estimator_type = nested.estimator_type
        tags.target_tags.required = True
        tags.classifier_tags = copy.deepcopy(nested.classifier_tags)
        tags.regressor_tags = copy.deepcopy(nested.regressor_tags)
        return tags

    @property
    def classes_(self):
        """``best_estimator_.classes_``: the classes of a classifier's refitted search.

        Raises
        ------
        AttributeError
            Before ``fit`` (a NotFittedError), without ``refit``, or when the estimator has
            no ``classes_`` (a regressor): ``hasattr(search, "classes_")`` is then False.
        """
        self._check_refitted()
        return self.best_estimator_.classes_

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
        ValueError
            If ``X`` is not a finite 2-D numeric array with ``n_features_in_`` columns.
        """
        self._check_refitted()
        return self.best_estimator_.predict(validate_data(self, X, reset=False))

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
        return get_scorer(self.scoring)(self.best_estimator_, X, y)


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
