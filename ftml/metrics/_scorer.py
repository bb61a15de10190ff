"""The one table from metric names to metric functions, in the spirit of scikit-learn's
``sklearn/metrics/_scorer.py``: each entry of ``_SCORERS`` is a :class:`_Scorer` that holds a
metric ``(y_true, y_pred) -> float`` and the direction in which it improves, read from its
name (``*_score`` higher is better, ``*_error`` and ``*_loss`` lower is better). The names
lists (:data:`REGRESSION_METRICS`), :func:`get_metric` (a name to its metric) and
:func:`get_scorer` (a name to a larger-is-better score of a fitted estimator, as the
``scoring`` of :mod:`ftml.model_selection`) are all derived from it.
"""

from dataclasses import dataclass
from collections.abc import Callable

from ftml.metrics._classification import (
    accuracy_score,
    f1_score,
    precision_score,
    recall_score,
    specificity_score,
    zero_one_loss,
)
from ftml.metrics._cluster import adjusted_rand_score
from ftml.metrics._regression import mean_absolute_error, mean_squared_error, r2_score

__all__ = ["REGRESSION_METRICS", "SCORERS", "SCORING_NAMES", "get_metric", "get_scorer"]

# What a metric compares: real-valued targets, labels, binary labels with the positive
# label 1 (a 0/0 ratio, no predicted positive say, counts 0: scikit-learn's zero_division=0,
# which a threshold sweep reaches by design), or a clustering against the labels (whatever
# the clusters' names).
_KINDS = ("regression", "classification", "binary", "clustering")
_BINARY_KEYWORDS = {"zero_division": 0.0}


def _greater_is_better(name):
    """The direction a metric's name declares: True for ``*_score``, False for ``*_error``
    and ``*_loss``; any other name is refused, so that no metric's direction is implicit."""
    if name.endswith("_score"):
        return True
    if name.endswith(("_error", "_loss")):
        return False
    raise ValueError(
        f"The metric name {name!r} must end in _score (higher is better), _error or _loss "
        "(lower is better)."
    )


@dataclass(frozen=True)
class _Scorer:
    """A metric and its direction; called on a fitted estimator, a score larger-is-better.

    Parameters
    ----------
    metric : callable
        A function ``(y_true, y_pred) -> float`` whose ``__name__`` is the metric's name.
    kind : {"regression", "classification", "binary", "clustering"}
        What the metric compares: real-valued targets, labels, binary labels (positive
        label 1, a 0/0 ratio counting 0), or cluster labels against the classes.

    Attributes
    ----------
    name : str
        ``metric.__name__``, the name under which the table holds it.
    greater_is_better : bool
        Read from the name: True for ``*_score``, False for ``*_error`` and ``*_loss``.
    """

    metric: Callable
    kind: str

    def __post_init__(self):
        if self.kind not in _KINDS:
            raise ValueError(f"kind must be one of {_KINDS}, got {self.kind!r}.")
        _greater_is_better(self.name)  # the name must declare the direction

    @property
    def name(self):
        return self.metric.__name__

    @property
    def greater_is_better(self):
        return _greater_is_better(self.name)

    def score(self, y_true, y_pred):
        """The metric of predictions ``y_pred`` against ``y_true``, in its own direction."""
        if self.kind == "binary":
            return self.metric(y_true, y_pred, **_BINARY_KEYWORDS)
        return self.metric(y_true, y_pred)

    def __call__(self, estimator, X, y):
        """``metric(y, estimator.predict(X))``, negated for an ``*_error`` or ``*_loss``
        (scikit-learn's ``neg_mean_squared_error``)."""
        sign = 1.0 if self.greater_is_better else -1.0
        return sign * float(self.score(y, estimator.predict(X)))


_SCORERS = {
    scorer.name: scorer
    for scorer in (
        _Scorer(mean_squared_error, "regression"),
        _Scorer(mean_absolute_error, "regression"),
        _Scorer(r2_score, "regression"),
        _Scorer(accuracy_score, "classification"),
        _Scorer(zero_one_loss, "classification"),
        _Scorer(precision_score, "binary"),
        _Scorer(recall_score, "binary"),
        _Scorer(f1_score, "binary"),
        _Scorer(specificity_score, "binary"),
        _Scorer(adjusted_rand_score, "clustering"),
    )
}
SCORERS = _SCORERS
"""Every metric by name: what cross-validation measures on a held-out fold, and what
``scoring`` may name."""

# Other names that ``scoring`` accepts for an entry of the table.
_ALIASES = {"accuracy": "accuracy_score"}

SCORING_NAMES = tuple(_ALIASES) + tuple(_SCORERS)
"""The names :func:`get_scorer` accepts (the table's and their aliases), for the
``scoring`` parameter's constraint."""

REGRESSION_METRICS = tuple(
    name for name, scorer in _SCORERS.items() if scorer.kind == "regression"
)
"""Names accepted by :func:`get_metric`; each is a function ``(y_true, y_pred) -> float``."""


def get_metric(name):
    """Return the metric function called ``name``.

    Parameters
    ----------
    name : str
        One of :data:`REGRESSION_METRICS`. The suffix gives the direction: ``*_error`` is
        lower-is-better, ``*_score`` higher-is-better.

    Returns
    -------
    metric : callable
        A function ``(y_true, y_pred) -> float``.

    Raises
    ------
    TypeError
        If ``name`` is not a string.
    ValueError
        If ``name`` is not a known metric; the message lists the known names.

    Examples
    --------
    >>> get_metric("r2_score") is r2_score
    True
    """
    if not isinstance(name, str):
        raise TypeError(f"metric name must be a str, got {name!r} of type {type(name).__name__}.")
    if name not in REGRESSION_METRICS:
        raise ValueError(
            f"Unknown metric {name!r}. Known metrics are: {', '.join(REGRESSION_METRICS)}."
        )
    return _SCORERS[name].metric


def get_scorer(scoring):
    """Return ``score(estimator, X, y)``, larger is better, for the metric ``scoring``.

    Parameters
    ----------
    scoring : str or None
        A name of :data:`SCORERS` (``"accuracy"`` stands for ``"accuracy_score"``): the
        regression metrics of :data:`REGRESSION_METRICS`, ``accuracy_score``,
        ``zero_one_loss``, and the binary ``precision_score``, ``recall_score``,
        ``f1_score``, ``specificity_score`` (positive label 1). ``*_error`` and ``*_loss``
        metrics are negated so that larger is better (scikit-learn's
        ``neg_mean_squared_error``). None means the estimator's own ``score`` method.

    Returns
    -------
    scorer : callable
        A function ``(estimator, X, y) -> float`` of a fitted estimator.

    Raises
    ------
    TypeError
        If ``scoring`` is neither None nor a string.
    ValueError
        If ``scoring`` is not a known metric.

    Examples
    --------
    >>> from ftml.linear_model import OLS
    >>> X, y = [[0.0], [1.0], [2.0]], [1.0, 2.0, 4.0]
    >>> scorer = get_scorer("mean_squared_error")
    >>> scorer.greater_is_better
    False
    >>> round(scorer(OLS().fit(X, y), X, y), 6)
    -0.055556
    """
    if scoring is None:
        return lambda estimator, X, y: float(estimator.score(X, y))
    if not isinstance(scoring, str):
        raise TypeError(
            f"scoring must be None or a metric name, got {scoring!r} of type "
            f"{type(scoring).__name__}."
        )
    try:
        return _SCORERS[_ALIASES.get(scoring, scoring)]
    except KeyError:
        raise ValueError(
            f"scoring={scoring!r} is not a known metric; use one of "
            f"{', '.join(_SCORERS)} ('accuracy' for accuracy_score), or None for the "
            "estimator's score."
        ) from None
