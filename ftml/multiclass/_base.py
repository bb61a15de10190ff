"""The labels of a multiclass estimator, once :func:`ftml.validation.validate_data` has
checked them: class labels, at least two of them, encoded against their sorted classes.
"""

import numpy as np

from ftml.validation import check_classification_targets

__all__ = []


def _encode_classes(y, estimator):
    """Return ``classes_`` (the sorted labels) and ``y`` as indices into it.

    Raises
    ------
    ValueError
        If ``y`` holds NaN or continuous values (see
        :func:`ftml.validation.check_classification_targets`), or a single class; the
        latter message names ``estimator``.
    """
    check_classification_targets(y)
    classes, encoded = np.unique(y, return_inverse=True)
    if classes.shape[0] < 2:
        raise ValueError(
            f"{type(estimator).__name__} needs at least 2 classes in y, got 1 class: "
            f"{classes.tolist()}."
        )
    return classes, encoded.reshape(-1)
