"""ERM over the classifiers that threshold one feature on a fixed grid."""

from numbers import Integral, Real

import numpy as np

from ftml.base import BaseEstimator, ClassifierMixin
from ftml.validation import (
    Interval,
    check_classification_targets,
    check_is_fitted,
    validate_data,
)

__all__ = ["ThresholdClassifier"]


class ThresholdClassifier(ClassifierMixin, BaseEstimator):
    """Empirical risk minimisation over a finite class of threshold classifiers.

    The class F holds the classifiers x ↦ a if x_j < t else b, for t on a fixed grid of
    ``n_thresholds`` values evenly spaced on [low, high] and for every ordered pair of
    distinct classes (a, b): |F| = n_thresholds · K (K − 1) for K classes. ``fit`` returns
    the member with the fewest training errors. Because the grid does not depend on the
    data, F is a finite class fixed before the sample is drawn, which the finite-class
    bound R(f̂) ≤ min_F R + sqrt(2 (log(2/δ) + log |F|) / n) requires (a decision tree's
    stump, which cuts between sample points, is not).

    Parameters
    ----------
    n_thresholds : int, default=20
        The size of the grid of thresholds.
    low, high : float, default=0.0, 1.0
        The grid's end points, low < high.
    feature : int, default=0
        The index j of the feature thresholded.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
    thresholds_ : ndarray of shape (n_thresholds,)
        The grid.
    threshold_ : float
        The chosen t.
    below_, above_ : label
        The chosen a (predicted for x_j < t) and b.
    class_size_ : int
        |F|; 1 when the training labels hold a single class (F is then that constant).
    training_error_ : float
        The chosen classifier's error rate on the training sample.
    n_features_in_ : int

    Notes
    -----
    Ties between classifiers of equal training error go to the smallest threshold, then to
    the first pair (a, b) in the order of ``classes_``: the choice is a function of the
    sample alone.

    References
    ----------
    .. [1] nlehir/FTML, practical_sessions/tp_12_statistical_learning, "Bound on the
       estimation error" (a finite class, a bounded loss, Boole's and Hoeffding's
       inequalities).

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[0.1], [0.2], [0.6], [0.9]])
    >>> model = ThresholdClassifier(n_thresholds=11).fit(X, [0, 0, 1, 1])
    >>> round(model.threshold_, 12), model.class_size_, model.predict([[0.25], [0.7]])
    (0.3, 22, array([0, 1]))
    """

    _poor_score = True  # one threshold of one feature: far from every data set's best
    _parameter_constraints = {
        "n_thresholds": [Interval(Integral, 1, None, closed="left")],
        "low": [Real],
        "high": [Real],
        "feature": [Interval(Integral, 0, None, closed="left")],
    }

    def __init__(self, n_thresholds=20, *, low=0.0, high=1.0, feature=0):
        self.n_thresholds = n_thresholds
        self.low = low
        self.high = high
        self.feature = feature

    def fit(self, X, y):
        """Choose the member of the class with the fewest errors on ``(X, y)``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
            Class labels.

        Returns
        -------
        self : ThresholdClassifier

        Raises
        ------
        ValueError
            If a parameter is out of range (low >= high, a feature index beyond X's
            columns), or X or y is invalid.
        """
        self._validate_params()
        if not np.isfinite(self.low) or not np.isfinite(self.high) or not self.low < self.high:
            raise ValueError(f"low must be below high, both finite; got low={self.low!r}, "
                             f"high={self.high!r}.")
        X, y = validate_data(self, X, y, y_numeric=False)
        check_classification_targets(y)
        if self.feature >= X.shape[1]:
            raise ValueError(f"feature={self.feature} is not a column of X, which has "
                             f"{X.shape[1]} feature(s).")
        self.classes_, codes = np.unique(y, return_inverse=True)
        codes = codes.reshape(-1)
        self.thresholds_ = np.linspace(self.low, self.high, self.n_thresholds)
        n_classes = self.classes_.shape[0]
        if n_classes == 1:
            self.threshold_, self.below_, self.above_ = float(self.thresholds_[0]), *(
                self.classes_[[0, 0]])
            self.class_size_, self.training_error_ = 1, 0.0
            return self
        # Per threshold and class, the training points below it: the errors of (t, a, b)
        # are the points below t not of class a plus those above not of class b.
        below = X[:, self.feature][None, :] < self.thresholds_[:, None]
        counts = np.stack([below.astype(np.int64) @ (codes == c).astype(np.int64)
                           for c in range(n_classes)], axis=1)
        totals = np.bincount(codes, minlength=n_classes)
        n_below = counts.sum(axis=1)
        errors = ((n_below[:, None, None] - counts[:, :, None])
                  + (X.shape[0] - n_below)[:, None, None] - (totals - counts)[:, None, :])
        errors[:, np.arange(n_classes), np.arange(n_classes)] = X.shape[0] + 1  # a == b
        best = int(np.argmin(errors.reshape(-1)))  # the first minimum: the tie rule
        t, a, b = np.unravel_index(best, errors.shape)
        self.threshold_ = float(self.thresholds_[t])
        self.below_, self.above_ = self.classes_[a], self.classes_[b]
        self.class_size_ = self.n_thresholds * n_classes * (n_classes - 1)
        self.training_error_ = float(errors[t, a, b] / X.shape[0])
        return self

    def predict(self, X):
        """Predict ``below_`` where x_j < ``threshold_`` and ``above_`` elsewhere.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
        """
        check_is_fitted(self, ["threshold_"])
        X = validate_data(self, X, reset=False)
        return np.where(X[:, self.feature] < self.threshold_, self.below_, self.above_)
