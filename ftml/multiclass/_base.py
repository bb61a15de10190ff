"""Input checks shared by the multiclass estimators: the design ``X`` against the number of
features seen in ``fit``, and the labels ``y`` encoded against their sorted classes.
"""

import numpy as np

from ftml.validation import check_array, check_consistent_length


def _check_X(X, estimator):
    X = check_array(X, name="X")
    if X.shape[1] != estimator.n_features_in_:
        raise ValueError(
            f"X has {X.shape[1]} features, but {type(estimator).__name__} is expecting "
            f"{estimator.n_features_in_} features as input (n_features_in_ = "
            f"{estimator.n_features_in_})."
        )
    return X


def _check_classification_data(X, y, estimator):
    """Validate ``X`` and labels ``y``; return ``X``, ``y``, ``classes_``, encoded ``y``."""
    X = check_array(X, name="X")
    y = np.asarray(y)
    if y.ndim != 1:
        raise ValueError(f"y must be 1-D of shape (n_samples,), got shape {y.shape}.")
    check_consistent_length(X=X, y=y)
    classes, encoded = np.unique(y, return_inverse=True)
    if classes.shape[0] < 2:
        raise ValueError(
            f"{type(estimator).__name__} needs at least 2 classes in y, got 1 class: "
            f"{classes.tolist()}."
        )
    return X, y, classes, encoded.reshape(-1)
