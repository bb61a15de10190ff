"""Decision threshold of a binary classifier: :class:`FixedThresholdClassifier` predicts the
positive class where a fitted classifier's probability or decision function reaches a given
threshold, which trades recall against precision.
"""

from numbers import Real

import numpy as np

from ftml.base import BaseEstimator, ClassifierMixin, clone
from ftml.validation import (
    HasMethods,
    Interval,
    Options,
    check_binary_targets,
    check_is_fitted,
    validate_data,
)

__all__ = ["FixedThresholdClassifier"]


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
    _parameter_constraints = {
        # A score for either response method; fit checks that it has the one asked for.
        "estimator": [HasMethods(["fit", "get_params", method]) for method in _RESPONSE_METHODS],
        "threshold": [Interval(Real, None, None, closed="neither")],  # finite
        "response_method": [Options(str, _RESPONSE_METHODS)],
    }

    def __init__(self, estimator, *, threshold=0.5, response_method="predict_proba"):
        self.estimator = estimator
        self.threshold = threshold
        self.response_method = response_method

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
        InvalidParameterError
            If a hyperparameter violates ``_parameter_constraints`` (``threshold`` not a
            finite real, ``response_method`` unknown, ``estimator`` without ``fit``,
            ``get_params`` and a score); it is both a ValueError and a TypeError.
        TypeError
            If ``estimator`` lacks the method named by ``response_method``.
        ValueError
            If ``X`` is invalid, ``y`` is None or not 1-D, their lengths differ, ``y`` holds
            NaN or continuous values (see
            :func:`ftml.validation.check_classification_targets`), or does not hold exactly
            two distinct values (see :func:`ftml.validation.check_binary_targets`).
        """
        self._validate_params()
        if not hasattr(self.estimator, self.response_method):
            raise TypeError(
                f"response_method={self.response_method!r} but "
                f"{type(self.estimator).__name__} has no {self.response_method} method."
            )
        X, y = validate_data(self, X, y, y_numeric=False)
        classes = check_binary_targets(y, self)
        self.estimator_ = clone(self.estimator).fit(X, y)
        self.classes_ = np.asarray(getattr(self.estimator_, "classes_", classes))
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
        return self.estimator_.predict_proba(validate_data(self, X, reset=False))

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
        return self.estimator_.decision_function(validate_data(self, X, reset=False))

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
        InvalidParameterError
            If ``threshold`` or ``response_method`` was set to an invalid value after
            ``fit``.
        ValueError
            If ``X`` is not a finite 2-D numeric array with ``n_features_in_`` columns.
        """
        check_is_fitted(self, ["estimator_", "classes_"])
        self._validate_params()  # threshold may have been set after fit
        X = validate_data(self, X, reset=False)
        scores = np.asarray(getattr(self.estimator_, self.response_method)(X))
        if self.response_method == "predict_proba":
            scores = scores[:, 1]
        scores = scores.reshape(-1)
        return self.classes_[(scores >= self.threshold).astype(np.intp)]
