"""Reductions of multiclass to binary classification: :class:`OneVsRestClassifier` trains one
binary classifier per class and :class:`OneVsOneClassifier` one per pair of classes, around
any binary ftml classifier with ``decision_function`` or ``predict_proba``.
"""

import numpy as np

from ftml.base import BaseEstimator, ClassifierMixin, clone
from ftml.multiclass._base import _encode_classes
from ftml.validation import HasMethods, check_is_fitted, validate_data

__all__ = ["OneVsOneClassifier", "OneVsRestClassifier"]


def _confidence(estimator, X):
    """Score of a fitted binary estimator, larger for its positive class (label 1)."""
    if hasattr(estimator, "decision_function"):
        return np.asarray(estimator.decision_function(X), dtype=np.float64).reshape(-1)
    if hasattr(estimator, "predict_proba"):
        return np.asarray(estimator.predict_proba(X), dtype=np.float64)[:, 1]
    raise TypeError(
        f"estimator must have decision_function or predict_proba, got "
        f"{type(estimator).__name__}."
    )


def _binary_classifier(*methods):
    """The constraints on a reduction's ``estimator``, of which it must satisfy one: a
    binary classifier that can be cloned and fitted, with ``methods`` and a score
    (``decision_function`` or ``predict_proba``, read by :func:`_confidence`)."""
    return [HasMethods(["fit", "get_params", *methods, score])
            for score in ("decision_function", "predict_proba")]


class OneVsRestClassifier(ClassifierMixin, BaseEstimator):
    """One-vs-rest (one-vs-all) reduction of multiclass to binary classification.

    For each class ``k`` a clone of ``estimator`` learns ``y == classes_[k]`` (label 1)
    against the rest (label 0). ``predict`` returns the class whose model gives the largest
    score (``decision_function``, or else the probability of label 1), ties going to the
    smallest class index. With two classes a single model is trained, on ``y ==
    classes_[1]``, as in scikit-learn.

    Parameters
    ----------
    estimator : estimator
        A binary classifier with ``get_params``, ``fit`` and ``decision_function`` or
        ``predict_proba``; it is cloned, never fitted itself.

    Attributes
    ----------
    estimators_ : list of estimators
        The fitted binary models: ``n_classes`` of them, or one with two classes.
    n_estimators_ : int
        ``len(estimators_)``.
    classes_ : ndarray of shape (n_classes,)
        The sorted labels.
    n_features_in_ : int
        Number of features seen in ``fit``.

    See Also
    --------
    OneVsOneClassifier, SoftmaxRegression
    sklearn.multiclass.OneVsRestClassifier : The same reduction.

    References
    ----------
    C. M. Bishop, *Pattern Recognition and Machine Learning*, 2006, Section 4.1.2.

    Examples
    --------
    >>> from ftml.linear_model import LogisticRegression
    >>> X = np.array([[0.0, 0.0], [0.2, 0.1], [4.0, 0.0], [4.1, 0.3], [0.0, 4.0], [0.2, 4.1]])
    >>> y = ["a", "a", "b", "b", "c", "c"]
    >>> model = OneVsRestClassifier(LogisticRegression(alpha=0.01)).fit(X, y)
    >>> model.n_estimators_, model.predict([[4.0, 0.1], [0.1, 3.9]]).tolist()
    (3, ['b', 'c'])
    """

    _parameter_constraints = {"estimator": _binary_classifier()}

    def __init__(self, estimator):
        self.estimator = estimator

    def fit(self, X, y):
        """Fit one binary model per class.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
            Labels of any type numpy can sort, at least two distinct values.

        Returns
        -------
        self : OneVsRestClassifier

        Raises
        ------
        InvalidParameterError
            If ``estimator`` is not a binary classifier with ``fit``, ``get_params`` and a
            score (``decision_function`` or ``predict_proba``); it is both a ValueError and
            a TypeError.
        ValueError
            If ``X`` is invalid, ``y`` is None or not 1-D, their lengths differ, ``y`` holds
            NaN or continuous values (see
            :func:`ftml.validation.check_classification_targets`), or a single class.
        """
        self._validate_params()
        X, y = validate_data(self, X, y, y_numeric=False)
        classes, encoded = _encode_classes(y, self)  # class labels, at least two
        positives = [1] if classes.shape[0] == 2 else range(classes.shape[0])
        self.estimators_ = [
            clone(self.estimator).fit(X, (encoded == k).astype(np.int64)) for k in positives
        ]
        self.n_estimators_ = len(self.estimators_)
        self.classes_ = classes
        return self

    def decision_function(self, X):
        """Score of each class's binary model.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        scores : ndarray of shape (n_samples, n_classes), or (n_samples,) with two classes
            Column ``k`` is the score of ``classes_[k]`` against the rest; with two classes,
            the single model's score, positive for ``classes_[1]`` (as scikit-learn).
        """
        check_is_fitted(self, ["estimators_", "classes_"])
        X = validate_data(self, X, reset=False)
        scores = np.column_stack([_confidence(model, X) for model in self.estimators_])
        return scores[:, 0] if self.classes_.shape[0] == 2 else scores

    def predict(self, X):
        """Predict the class of largest score (ties: the smallest class index).

        With two classes, ``classes_[1]`` where the single model's label-1 prediction is
        made (``decision_function > 0``, or probability above 1/2).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            Labels of the same type as in ``fit``.
        """
        scores = self.decision_function(X)
        if self.classes_.shape[0] == 2:
            model = self.estimators_[0]
            threshold = 0.0 if hasattr(model, "decision_function") else 0.5
            return self.classes_[(scores > threshold).astype(int)]
        return self.classes_[np.argmax(scores, axis=1)]


class OneVsOneClassifier(ClassifierMixin, BaseEstimator):
    """One-vs-one reduction: a binary model for each pair of classes, then a vote.

    For each pair ``i < j`` of class indices a clone of ``estimator`` learns ``classes_[j]``
    (label 1) against ``classes_[i]`` (label 0) on the samples of these two classes only.
    ``predict`` is scikit-learn's rule: each model votes for the class it predicts; the
    class with the most votes wins; ties are broken by the sum of the pairwise confidences
    (model ``(i, j)`` adds its score to class ``j`` and subtracts it from class ``i``),
    squashed by ``s -> s / (3 (|s| + 1))`` into (-1/3, 1/3) so that it never overrides a
    whole vote; remaining ties go to the smallest class index.

    Parameters
    ----------
    estimator : estimator
        A binary classifier with ``get_params``, ``fit``, ``predict`` (its vote) and
        ``decision_function`` or ``predict_proba``; it is cloned, never fitted itself.

    Attributes
    ----------
    estimators_ : list of estimators
        The ``n_classes (n_classes - 1) / 2`` fitted binary models, in the order of
        ``pairs_``.
    pairs_ : list of tuple of int
        The class-index pairs ``(i, j)``, ``i < j``, in lexicographic order.
    n_estimators_ : int
        ``len(estimators_)``.
    classes_ : ndarray of shape (n_classes,)
        The sorted labels.
    n_features_in_ : int
        Number of features seen in ``fit``.

    See Also
    --------
    OneVsRestClassifier, SoftmaxRegression
    sklearn.multiclass.OneVsOneClassifier : The same reduction and decision rule.

    References
    ----------
    C. M. Bishop, *Pattern Recognition and Machine Learning*, 2006, Section 4.1.2.

    Examples
    --------
    >>> from ftml.linear_model import LogisticRegression
    >>> X = np.array([[0.0, 0.0], [0.2, 0.1], [4.0, 0.0], [4.1, 0.3], [0.0, 4.0], [0.2, 4.1]])
    >>> model = OneVsOneClassifier(LogisticRegression(alpha=0.01)).fit(X, [0, 0, 1, 1, 2, 2])
    >>> model.pairs_, model.predict([[4.0, 0.1], [0.1, 3.9]]).tolist()
    ([(0, 1), (0, 2), (1, 2)], [1, 2])
    """

    _parameter_constraints = {"estimator": _binary_classifier("predict")}

    def __init__(self, estimator):
        self.estimator = estimator

    def fit(self, X, y):
        """Fit one binary model per pair of classes.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
            Labels of any type numpy can sort, at least two distinct values.

        Returns
        -------
        self : OneVsOneClassifier

        Raises
        ------
        InvalidParameterError
            If ``estimator`` is not a binary classifier with ``fit``, ``get_params``,
            ``predict`` and a score (``decision_function`` or ``predict_proba``); it is both
            a ValueError and a TypeError.
        ValueError
            If ``X`` is invalid, ``y`` is None or not 1-D, their lengths differ, ``y`` holds
            NaN or continuous values (see
            :func:`ftml.validation.check_classification_targets`), or a single class.
        """
        self._validate_params()
        X, y = validate_data(self, X, y, y_numeric=False)
        classes, encoded = _encode_classes(y, self)  # class labels, at least two
        n_classes = classes.shape[0]
        self.pairs_ = [(i, j) for i in range(n_classes) for j in range(i + 1, n_classes)]
        self.estimators_ = []
        for i, j in self.pairs_:
            rows = (encoded == i) | (encoded == j)
            labels = (encoded[rows] == j).astype(np.int64)
            self.estimators_.append(clone(self.estimator).fit(X[rows], labels))
        self.n_estimators_ = len(self.estimators_)
        self.classes_ = classes
        return self

    def decision_function(self, X):
        """Votes plus squashed confidences, the quantity whose argmax is predicted.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        scores : ndarray of shape (n_samples, n_classes), or (n_samples,) with two classes
            ``votes + s / (3 (|s| + 1))`` with ``s`` the summed pairwise confidences; the
            integer part is the number of votes. With two classes, the score of
            ``classes_[1]`` (as scikit-learn).
        """
        check_is_fitted(self, ["estimators_", "classes_", "pairs_"])
        X = validate_data(self, X, reset=False)
        n_classes = self.classes_.shape[0]
        votes = np.zeros((X.shape[0], n_classes))
        confidences = np.zeros((X.shape[0], n_classes))
        for (i, j), model in zip(self.pairs_, self.estimators_):
            winner_j = np.asarray(model.predict(X)) == 1
            confidence = _confidence(model, X)
            votes[:, j] += winner_j
            votes[:, i] += ~winner_j
            confidences[:, j] += confidence
            confidences[:, i] -= confidence
        scores = votes + confidences / (3.0 * (np.abs(confidences) + 1.0))
        return scores[:, 1] if n_classes == 2 else scores

    def predict(self, X):
        """Predict by majority vote (ties: summed confidences, then smallest class index).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            Labels of the same type as in ``fit``.
        """
        scores = self.decision_function(X)
        if self.classes_.shape[0] == 2:
            # One model: the class it predicts (score = vote + squashed confidence > 0.5).
            return self.classes_[(scores > 0.5).astype(int)]
        return self.classes_[np.argmax(scores, axis=1)]
