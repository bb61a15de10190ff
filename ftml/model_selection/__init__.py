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

from ftml.model_selection._classification_threshold import FixedThresholdClassifier
from ftml.model_selection._search import GridSearchCV, ParameterGrid
from ftml.model_selection._split import (
    KFold,
    ShuffleSplit,
    StratifiedKFold,
    StratifiedShuffleSplit,
)
from ftml.model_selection._train_test_split import train_test_split, train_val_test_split
from ftml.model_selection._validation import cross_validate, learning_curve, validation_curve

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
