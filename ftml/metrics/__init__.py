"""Regression and classification metrics and the course's sums of squares, in numpy.

Every function takes ``(y_true, y_pred)`` (or ``y_true`` alone), validates them and returns
a Python ``float`` (the classification scores return an array with ``average=None``, and
:func:`confusion_matrix` and :func:`classification_report` their tables). The
scikit-learn-named metrics carry their direction in their name: ``*_error`` is
lower-is-better, ``*_score`` is higher-is-better; the classification metrics follow
scikit-learn's signatures and its ``zero_division`` rule for 0/0 ratios. The sums of
squares are the quantities of the variance decomposition ``TSS = ESS + RSS``, which holds for
least squares with an intercept.

References
----------
The course, chapters "Linear least-squares regression" and "Introduction to supervised
learning". F. Bach, *Learning Theory from First
Principles*, MIT Press, 2024, Chapter 3.
"""

from ftml.metrics._classification import (
    accuracy_score,
    confusion_matrix,
    f1_score,
    precision_score,
    recall_score,
    specificity_score,
    zero_one_loss,
)
from ftml.metrics._classification_report import (
    classification_report,
    format_classification_report,
)
from ftml.metrics._cluster import (
    adjusted_rand_score,
    calinski_harabasz_score,
    silhouette_score,
)
from ftml.metrics._regression import (
    explained_sum_of_squares,
    mean_absolute_error,
    mean_squared_error,
    r2_score,
    residual_sum_of_squares,
    total_sum_of_squares,
)
from ftml.metrics._scorer import REGRESSION_METRICS, SCORERS, get_metric, get_scorer

__all__ = [
    "REGRESSION_METRICS",
    "SCORERS",
    "accuracy_score",
    "adjusted_rand_score",
    "calinski_harabasz_score",
    "classification_report",
    "confusion_matrix",
    "explained_sum_of_squares",
    "f1_score",
    "format_classification_report",
    "get_metric",
    "get_scorer",
    "mean_absolute_error",
    "mean_squared_error",
    "precision_score",
    "r2_score",
    "recall_score",
    "residual_sum_of_squares",
    "silhouette_score",
    "specificity_score",
    "total_sum_of_squares",
    "zero_one_loss",
]
