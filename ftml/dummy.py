"""Baselines that ignore the features: "predict the mean", "a random guess".

:class:`DummyRegressor` predicts one constant (the training mean, median, a quantile or a
given value), :class:`DummyClassifier` a class drawn or chosen from the training labels'
frequencies alone. A model that does not beat them has learned nothing from ``X``; their
scores are the reference points of the course's first chapter. Both follow
scikit-learn's ``sklearn.dummy`` (same parameters, attributes and predictions), for a single
output.

References
----------
The course, chapter "Statistical learning foundations" (risks, the Bayes predictor and the
constant baselines). scikit-learn, ``sklearn/dummy.py``.
"""

from numbers import Integral, Real

import numpy as np

from ftml.base import BaseEstimator, ClassifierMixin, RegressorMixin
from ftml.validation import (
    Interval,
    Options,
    check_classification_targets,
    check_is_fitted,
    check_random_state,
    validate_data,
)

__all__ = ["DummyClassifier", "DummyRegressor"]


def _check_single_output(estimator, y):
    """Refuse a ``y`` of several columns, naming the problem; a column vector (one output)
    is left to :func:`ftml.validation.validate_data`, which ravels it with a warning."""
    try:
        shape = np.asarray(y).shape
    except ValueError:  # ragged: validate_data explains
        return
    if len(shape) == 2 and shape[1] != 1:
        name = type(estimator).__name__
        raise ValueError(
            f"{name} supports a single output: y must be 1-D of shape (n_samples,), got "
            f"shape {shape}, {shape[1]} outputs. Fit one {name} per column of y."
        )


class DummyRegressor(RegressorMixin, BaseEstimator):
    """Predict a constant learned from the targets alone, whatever the features.

    ``"mean"`` is the constant of least squared error on the training data, ``"median"``
    that of least absolute error, ``"quantile"`` that of least pinball loss at level
    ``quantile``; ``"constant"`` predicts a value given by the user. The R^2 score of
    ``"mean"`` on its training data is 0: the reference a regressor must beat.

    Parameters
    ----------
    strategy : {"mean", "median", "quantile", "constant"}, default="mean"
        What constant to predict.
    constant : float, default=None
        The prediction of ``strategy="constant"``, which requires it; ignored otherwise.
    quantile : float in [0, 1], default=None
        The level of ``strategy="quantile"``, which requires it; ignored otherwise.
        ``0.5`` is the median, ``0`` the minimum and ``1`` the maximum. Quantiles are
        interpolated linearly between order statistics (``numpy.percentile``'s default).

    Attributes
    ----------
    constant_ : ndarray of shape (1, 1)
        The prediction, of scikit-learn's shape ``(1, n_outputs)``.
    n_outputs_ : int
        The number of outputs, always 1: a ``y`` of several columns is refused.
    n_features_in_ : int
        Number of features seen in ``fit`` (checked by ``predict``, though not used).

    See Also
    --------
    DummyClassifier : The baselines of classification.

    Notes
    -----
    Unlike scikit-learn's, ``fit`` and ``predict`` validate ``X`` as every ftml estimator
    does: NaN, an infinity or the wrong number of features are refused although the
    prediction does not read them. ``sample_weight`` and multi-output ``y`` are not
    supported.

    References
    ----------
    The course, chapter "Statistical learning foundations" (the constant predictor of least
    squared risk is the mean). scikit-learn, ``sklearn.dummy.DummyRegressor``.

    Examples
    --------
    >>> import numpy as np
    >>> X, y = np.zeros((4, 1)), np.array([1.0, 2.0, 3.0, 10.0])
    >>> DummyRegressor().fit(X, y).predict(X[:2])
    array([4., 4.])
    >>> DummyRegressor(strategy="median").fit(X, y).constant_
    array([[2.5]])
    >>> DummyRegressor(strategy="quantile", quantile=0.25).fit(X, y).predict(X[:1])
    array([1.75])
    """

    _parameter_constraints = {
        "strategy": [Options(str, ("mean", "median", "quantile", "constant"))],
        "constant": [Interval(Real, None, None, closed="neither"), None],
        "quantile": [Interval(Real, 0, 1, closed="both"), None],
    }

    def __init__(self, *, strategy="mean", constant=None, quantile=None):
        self.strategy = strategy
        self.constant = constant
        self.quantile = quantile

    def fit(self, X, y):
        """Compute the constant from ``y``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            The training samples; validated, otherwise unused.
        y : array-like of shape (n_samples,)
            The targets; a column vector ``(n_samples, 1)`` is raveled, with a warning.

        Returns
        -------
        self : DummyRegressor
            The fitted estimator.

        Raises
        ------
        InvalidParameterError
            If ``strategy`` is unknown, ``quantile`` is not a float in [0, 1] or
            ``constant`` not a finite float (None is allowed for both); it is both a
            ValueError and a TypeError.
        ValueError
            If ``strategy="quantile"`` and ``quantile`` is None, or ``strategy="constant"``
            and ``constant`` is None; if ``y`` has several columns; if ``X`` or ``y`` is
            empty, non-numeric or not finite, or their lengths differ.
        """
        self._validate_params()
        _check_single_output(self, y)
        X, y = validate_data(self, X, y)
        if self.strategy == "mean":
            value = y.mean()
        elif self.strategy == "median":
            value = np.median(y)
        elif self.strategy == "quantile":
            if self.quantile is None:
                raise ValueError(
                    "DummyRegressor(strategy='quantile') needs the level of the quantile: "
                    "set quantile to a float in the range [0, 1], got quantile=None."
                )
            value = np.percentile(y, 100.0 * self.quantile)
        else:
            if self.constant is None:
                raise ValueError(
                    "DummyRegressor(strategy='constant') needs the value to predict: set "
                    "constant to a float, got constant=None."
                )
            value = self.constant
        self.constant_ = np.full((1, 1), value, dtype=np.float64)
        self.n_outputs_ = 1
        return self

    def predict(self, X):
        """Predict ``constant_`` for every sample.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            The samples; only their number is used.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)

        Raises
        ------
        NotFittedError
            If the estimator has not been fitted.
        ValueError
            If ``X`` is not a finite 2-D numeric array with ``n_features_in_`` columns.
        """
        check_is_fitted(self, ["constant_"])
        X = validate_data(self, X, reset=False)
        return np.full(X.shape[0], self.constant_[0, 0])

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.regressor_tags.poor_score = True  # ignoring X, it cannot fit the checks' data
        return tags


class DummyClassifier(ClassifierMixin, BaseEstimator):
    """Predict a class chosen or drawn from the training labels' frequencies alone.

    With ``class_prior_`` the frequencies of the classes in ``y``:

    - ``"prior"`` predicts the most frequent class, and ``predict_proba`` returns
      ``class_prior_``;
    - ``"most_frequent"`` predicts the most frequent class, with probability 1;
    - ``"stratified"`` draws each prediction independently from ``class_prior_``
      (``predict_proba`` is the one-hot encoding of the draws);
    - ``"uniform"`` draws each prediction uniformly among the classes ("a random guess"),
      and ``predict_proba`` returns ``1 / n_classes`` for each;
    - ``"constant"`` predicts ``constant``, which must be one of the training labels.

    A tie for the most frequent class goes to the smallest label (the first of
    ``classes_``), as scikit-learn's argmax.

    Parameters
    ----------
    strategy : {"prior", "most_frequent", "stratified", "uniform", "constant"}, \
default="prior"
        How to predict.
    random_state : None, int, numpy SeedSequence or numpy Generator, default=None
        The randomness of ``"stratified"`` and ``"uniform"``, see
        :func:`ftml.validation.check_random_state`. Each call of ``predict`` or
        ``predict_proba`` builds its generator from it: with an int, every call draws the
        same sequence (so ``predict`` is ``classes_[argmax(predict_proba)]``), with a
        Generator successive calls continue its stream. Unused by the other strategies.
    constant : int or str, default=None
        The label that ``strategy="constant"`` predicts, which requires it; ignored
        otherwise.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        The sorted class labels.
    class_prior_ : ndarray of shape (n_classes,)
        The frequency of each class of ``classes_`` in the training labels.
    n_classes_ : int
        The number of classes.
    n_outputs_ : int
        The number of outputs, always 1: a ``y`` of several columns is refused.
    n_features_in_ : int
        Number of features seen in ``fit`` (checked by the predicting methods, though not
        used).

    See Also
    --------
    DummyRegressor : The baselines of regression.

    Notes
    -----
    The random strategies draw from the same laws as scikit-learn's but with numpy's
    ``Generator`` (ftml's :func:`~ftml.validation.check_random_state`) where scikit-learn
    uses the legacy ``RandomState``: for the same seed the drawn labels differ from
    scikit-learn's, their distribution does not. As every ftml estimator, and unlike
    scikit-learn's, ``fit`` and the predicting methods validate ``X``. ``sample_weight``,
    multi-output ``y`` and sparse targets are not supported.

    References
    ----------
    The course, chapter "Statistical learning foundations" (the Bayes classifier, and the
    error of a classifier that ignores the features). scikit-learn,
    ``sklearn.dummy.DummyClassifier``.

    Examples
    --------
    >>> import numpy as np
    >>> X, y = np.zeros((4, 1)), np.array(["ham", "spam", "spam", "spam"])
    >>> model = DummyClassifier().fit(X, y)
    >>> model.classes_, model.class_prior_
    (array(['ham', 'spam'], dtype='<U4'), array([0.25, 0.75]))
    >>> model.predict(X[:2]), model.predict_proba(X[:1])
    (array(['spam', 'spam'], dtype='<U4'), array([[0.25, 0.75]]))
    >>> DummyClassifier(strategy="constant", constant="ham").fit(X, y).predict(X[:1])
    array(['ham'], dtype='<U4')
    """

    _parameter_constraints = {
        "strategy": [Options(str, ("prior", "most_frequent", "stratified", "uniform",
                                   "constant"))],
        "random_state": ["random_state"],
        "constant": [Interval(Integral, None, None, closed="neither"), str, None],
    }

    def __init__(self, *, strategy="prior", random_state=None, constant=None):
        self.strategy = strategy
        self.random_state = random_state
        self.constant = constant

    def fit(self, X, y):
        """Learn the classes and their frequencies from ``y``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            The training samples; validated, otherwise unused.
        y : array-like of shape (n_samples,)
            The class labels, of any type numpy can sort; a column vector is raveled, with
            a warning.

        Returns
        -------
        self : DummyClassifier
            The fitted estimator.

        Raises
        ------
        InvalidParameterError
            If ``strategy`` is unknown, ``random_state`` is not one of the accepted values
            or ``constant`` is not an int, a str or None; it is both a ValueError and a
            TypeError.
        ValueError
            If ``strategy="constant"`` and ``constant`` is None or is not among the
            training labels (scikit-learn's wording); if ``y`` has several columns or holds
            no class labels (see :func:`ftml.validation.check_classification_targets`); if
            ``X`` is empty, non-numeric or not finite, or the lengths differ.
        """
        self._validate_params()
        _check_single_output(self, y)
        X, y = validate_data(self, X, y, y_numeric=False)
        check_classification_targets(y)
        classes, counts = np.unique(y, return_counts=True)
        if self.strategy == "constant":
            if self.constant is None:
                raise ValueError(
                    "DummyClassifier(strategy='constant') needs the label to predict: set "
                    "constant to one of the training labels, got constant=None."
                )
            matches = [index for index, label in enumerate(classes) if label == self.constant]
            if not matches:
                raise ValueError(
                    "The constant target value must be present in the training data. You "
                    f"provided constant={self.constant!r}. Possible values are: "
                    f"{classes.tolist()}."
                )
            self._constant_index = matches[0]
        self._strategy = self.strategy  # what the fitted state means, whatever set_params
        self.classes_ = classes
        self.class_prior_ = counts / y.shape[0]
        self.n_classes_ = int(classes.shape[0])
        self.n_outputs_ = 1
        return self

    def _predicted_codes(self, n_samples):
        """The index in ``classes_`` of each prediction: drawn for the random strategies."""
        if self._strategy in ("prior", "most_frequent"):
            return np.full(n_samples, np.argmax(self.class_prior_))
        if self._strategy == "constant":
            return np.full(n_samples, self._constant_index)
        rng = check_random_state(self.random_state)
        if self._strategy == "stratified":
            return rng.choice(self.n_classes_, size=n_samples, p=self.class_prior_)
        return rng.integers(self.n_classes_, size=n_samples)  # "uniform"

    def predict_proba(self, X):
        """Return the probability of each class for each sample.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            The samples; only their number is used.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Columns in the order of ``classes_``: ``class_prior_`` (``"prior"``),
            ``1 / n_classes`` (``"uniform"``), or the one-hot encoding of the prediction
            (``"most_frequent"``, ``"constant"``, and the draws of ``"stratified"``).

        Raises
        ------
        NotFittedError
            If the estimator has not been fitted.
        ValueError
            If ``X`` is not a finite 2-D numeric array with ``n_features_in_`` columns.
        """
        check_is_fitted(self, ["classes_", "class_prior_"])
        X = validate_data(self, X, reset=False)
        n_samples = X.shape[0]
        if self._strategy == "prior":
            return np.tile(self.class_prior_, (n_samples, 1))
        if self._strategy == "uniform":
            return np.full((n_samples, self.n_classes_), 1.0 / self.n_classes_)
        proba = np.zeros((n_samples, self.n_classes_))
        proba[np.arange(n_samples), self._predicted_codes(n_samples)] = 1.0
        return proba

    def predict_log_proba(self, X):
        """Return the logarithm of :meth:`predict_proba`: ``-inf`` where it is 0.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)

        Raises
        ------
        NotFittedError, ValueError
            As :meth:`predict_proba`.
        """
        with np.errstate(divide="ignore"):
            return np.log(self.predict_proba(X))

    def predict(self, X):
        """Predict a class for each sample, according to ``strategy``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            The samples; only their number is used.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            Labels from ``classes_``.

        Raises
        ------
        NotFittedError
            If the estimator has not been fitted.
        ValueError
            If ``X`` is not a finite 2-D numeric array with ``n_features_in_`` columns.
        """
        check_is_fitted(self, ["classes_", "class_prior_"])
        X = validate_data(self, X, reset=False)
        return self.classes_[self._predicted_codes(X.shape[0])]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.poor_score = True  # ignoring X, it cannot fit the checks' data
        return tags
