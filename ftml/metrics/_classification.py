"""Classification metrics on label vectors: :func:`accuracy_score` and :func:`zero_one_loss`,
then :func:`precision_score`, :func:`recall_score`, :func:`f1_score` and
:func:`specificity_score`, whose counts all come from one confusion matrix
(:func:`confusion_matrix`) and whose 0/0 ratios follow scikit-learn's ``zero_division`` rule.
"""

import numbers
import warnings

import numpy as np

from ftml.exceptions import UndefinedMetricWarning
from ftml.validation import check_consistent_length

__all__ = [
    "accuracy_score",
    "confusion_matrix",
    "f1_score",
    "precision_score",
    "recall_score",
    "specificity_score",
    "zero_one_loss",
]


def accuracy_score(y_true, y_pred):
    """Fraction of predictions equal to the true labels (higher is better).

    Labels may be of any type that numpy compares elementwise (numbers, strings).

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels.
    y_pred : array-like of shape (n_samples,)
        Predicted labels.

    Returns
    -------
    accuracy : float
        In [0, 1]; one minus the mean zero-one loss.

    Raises
    ------
    ValueError
        If an input is empty or not 1-D, or if their lengths differ.

    References
    ----------
    The course, chapter "Introduction to supervised learning" (the zero-one loss).

    Examples
    --------
    >>> accuracy_score(["spam", "ham", "ham"], ["spam", "spam", "ham"])
    0.6666666666666666
    """
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    for name, labels in (("y_true", y_true), ("y_pred", y_pred)):
        if labels.ndim != 1 or labels.shape[0] == 0:
            raise ValueError(
                f"{name} must be a non-empty 1-D array of labels, got shape {labels.shape}."
            )
    check_consistent_length(y_true=y_true, y_pred=y_pred)
    return float(np.mean(y_true == y_pred))


def zero_one_loss(y_true, y_pred):
    """Fraction of predictions that differ from the true labels (lower is better).

    The empirical risk of the zero-one loss, ``1 - accuracy_score(y_true, y_pred)``.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels.
    y_pred : array-like of shape (n_samples,)
        Predicted labels.

    Returns
    -------
    loss : float
        In [0, 1].

    Raises
    ------
    ValueError
        If an input is empty or not 1-D, or if their lengths differ.

    References
    ----------
    The course, chapter "Introduction to supervised learning" (the zero-one loss).
    scikit-learn, ``sklearn.metrics.zero_one_loss``.

    Examples
    --------
    >>> zero_one_loss([0, 1, 1, 0], [0, 1, 0, 0])
    0.25
    """
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    accuracy_score(y_true, y_pred)  # the same checks
    return float(np.mean(y_true != y_pred))


# Classification metrics beyond accuracy ------------------------------------------------------
#
# Every count comes from one confusion matrix over the classes present in ``y_true`` or
# ``y_pred``; the one-vs-rest counts of a label ``k`` are TP = C[k, k], predicted = column sum,
# true = row sum, TN = n_samples - true - predicted + TP. The 0/0 cases follow scikit-learn's
# ``zero_division`` rule.

_AVERAGES = ("binary", "micro", "macro", "weighted", None)


def _check_label_vectors(y_true, y_pred):
    """Validate two label vectors; return them as arrays and their sorted union of classes."""
    arrays = {}
    kinds = {}
    for name, values in (("y_true", y_true), ("y_pred", y_pred)):
        if isinstance(values, (str, bytes)):
            raise ValueError(f"{name} must be a 1-D array of labels, got the string {values!r}.")
        array = np.asarray(values)
        if array.ndim != 1 or array.shape[0] == 0:
            raise ValueError(
                f"{name} must be a non-empty 1-D array of labels, got shape {array.shape}."
            )
        kinds[name] = _label_kind(name, array)
        arrays[name] = array
    check_consistent_length(y_true=arrays["y_true"], y_pred=arrays["y_pred"])
    if kinds["y_true"] != kinds["y_pred"]:
        raise ValueError(
            f"y_true and y_pred must hold labels of the same type, got {kinds['y_true']} "
            f"labels in y_true (first {arrays['y_true'][0]!r}) and {kinds['y_pred']} labels "
            f"in y_pred (first {arrays['y_pred'][0]!r})."
        )
    y_true, y_pred = arrays["y_true"], arrays["y_pred"]
    if kinds["y_true"] == "string":
        y_true, y_pred = y_true.astype(str), y_pred.astype(str)
    classes = np.unique(np.concatenate([y_true, y_pred]))
    return y_true, y_pred, classes


def _label_kind(name, array):
    """Return "string" or "number"; reject NaN, non-integer floats and mixed labels."""
    if array.dtype.kind in "US":
        return "string"
    if array.dtype.kind == "O":
        is_str = [isinstance(value, str) for value in array]
        if all(is_str):
            return "string"
        if any(is_str):
            raise ValueError(
                f"{name} mixes string and non-string labels, e.g. {array[is_str.index(True)]!r} "
                f"and {array[is_str.index(False)]!r}."
            )
        try:
            array = array.astype(np.float64)
        except (TypeError, ValueError):
            raise ValueError(
                f"{name} must hold numbers or strings, got {array[0]!r} of type "
                f"{type(array[0]).__name__}."
            ) from None
    if array.dtype.kind not in "biuf":
        raise ValueError(f"{name} must hold numbers or strings, got dtype {array.dtype}.")
    if array.dtype.kind == "f":
        bad = ~np.isfinite(array) | (array != np.round(array))
        if bad.any():
            raise ValueError(
                f"{name} must hold discrete class labels, got the value "
                f"{array[np.argmax(bad)]!r} at position {int(np.argmax(bad))}; "
                "classification metrics do not accept NaN, infinite or non-integer floats."
            )
    return "number"


def _check_labels(labels):
    labels = np.asarray(labels)
    if labels.ndim != 1 or labels.shape[0] == 0:
        raise ValueError(f"labels must be a non-empty 1-D array of labels, got {labels!r}.")
    if len(set(labels.tolist())) != labels.shape[0]:
        raise ValueError(f"labels must not repeat a label, got {labels.tolist()!r}.")
    return labels


def _full_confusion(y_true, y_pred, classes):
    """Confusion matrix over ``classes`` (sorted), rows true, columns predicted."""
    n_classes = classes.shape[0]
    true_index = np.searchsorted(classes, y_true)
    pred_index = np.searchsorted(classes, y_pred)
    counts = np.bincount(true_index * n_classes + pred_index, minlength=n_classes**2)
    return counts.reshape(n_classes, n_classes).astype(np.int64)


def _class_positions(classes, labels):
    """Index in ``classes`` of each label, or -1 for a label that never occurs."""
    position = {value: i for i, value in enumerate(classes.tolist())}
    return np.array([position.get(label, -1) for label in labels.tolist()], dtype=np.intp)


def _check_zero_division(zero_division):
    if isinstance(zero_division, str) and zero_division == "warn":
        return 0.0
    if (
        isinstance(zero_division, numbers.Real)
        and not isinstance(zero_division, bool)
        and (zero_division in (0, 1) or np.isnan(zero_division))
    ):
        return float(zero_division)
    raise ValueError(
        f'zero_division must be "warn", 0.0, 1.0 or np.nan, got {zero_division!r}.'
    )


def _one_vs_rest_counts(y_true, y_pred, *, labels, pos_label, average):
    """Per-label TP, predicted, true and negative counts, and the labels they belong to."""
    if average not in _AVERAGES:
        raise ValueError(
            f"average must be one of {', '.join(map(repr, _AVERAGES))}, got {average!r}."
        )
    y_true, y_pred, classes = _check_label_vectors(y_true, y_pred)
    if average == "binary":
        if classes.shape[0] > 2:
            raise ValueError(
                f"average='binary' needs at most two classes, but y_true and y_pred hold "
                f"{classes.shape[0]}: {classes.tolist()!r}. Choose average in "
                "'micro', 'macro', 'weighted' or None."
            )
        if pos_label not in classes.tolist() and classes.shape[0] == 2:
            raise ValueError(
                f"pos_label={pos_label!r} is not a valid label; it should be one of "
                f"{classes.tolist()!r}."
            )
        labels = np.array([pos_label])
    else:
        if pos_label not in (None, 1):
            warnings.warn(
                f"pos_label (set to {pos_label!r}) is ignored when average != 'binary' "
                f"(got {average!r}). Use labels=[pos_label] to score a single class.",
                UserWarning,
                stacklevel=4,  # the caller of precision_score and friends
            )
        labels = classes if labels is None else _check_labels(labels)
    confusion = _full_confusion(y_true, y_pred, classes)
    index = _class_positions(classes, labels)
    present = index >= 0
    tp = np.zeros(labels.shape[0], dtype=np.int64)
    pred = np.zeros_like(tp)
    true = np.zeros_like(tp)
    tp[present] = confusion[index[present], index[present]]
    pred[present] = confusion[:, index[present]].sum(axis=0)
    true[present] = confusion[index[present], :].sum(axis=1)
    negative = y_true.shape[0] - true
    return {"tp": tp, "pred": pred, "true": true, "negative": negative, "labels": labels}


def _divide(numerator, denominator, *, metric, modifier, labels, zero_division, average):
    """``numerator / denominator`` with 0/0 set to ``zero_division`` and, for "warn", warned."""
    value = _check_zero_division(zero_division)
    numerator = np.asarray(numerator, dtype=np.float64)
    denominator = np.asarray(denominator, dtype=np.float64)
    undefined = denominator == 0
    result = numerator / np.where(undefined, 1.0, denominator)
    result[undefined] = value
    if undefined.any() and isinstance(zero_division, str):
        if average == "micro":
            where = f"due to no {modifier} samples (micro average over labels {labels.tolist()!r})"
        else:
            where = f"in labels with no {modifier} samples: {labels[undefined].tolist()!r}"
        warnings.warn(
            f"{metric} is ill-defined and being set to 0.0 {where}. "
            "Use the `zero_division` parameter to control this behavior.",
            UndefinedMetricWarning,
            stacklevel=5,  # the caller of precision_score and friends
        )
    return result


def _nan_average(values, weights=None):
    """Average ignoring NaN (set by ``zero_division=np.nan``), as scikit-learn does."""
    keep = ~np.isnan(values)
    if not keep.any():
        return float("nan")
    if weights is None or np.sum(weights[keep]) == 0:
        return float(np.mean(values[keep]))
    return float(np.average(values[keep], weights=weights[keep]))


def _score(y_true, y_pred, *, labels, pos_label, average, zero_division, metric):
    _check_zero_division(zero_division)
    counts = _one_vs_rest_counts(
        y_true, y_pred, labels=labels, pos_label=pos_label, average=average
    )
    weights = counts["true"].astype(np.float64)
    if average == "micro":  # sum the one-vs-rest counts over the labels, then divide once
        counts = {
            key: (value if key == "labels" else np.array([value.sum()]))
            for key, value in counts.items()
        }
    scores = _ratio(counts, metric, zero_division=zero_division, average=average)
    if average is None:
        return scores
    return _nan_average(scores, weights if average == "weighted" else None)


def _ratio(counts, metric, *, zero_division, average):
    """The per-label (or micro-summed) value of ``metric`` from one-vs-rest counts."""
    tp, pred, true = counts["tp"], counts["pred"], counts["true"]
    numerator, denominator, name, modifier = {
        "precision": (tp, pred, "Precision", "predicted"),
        "recall": (tp, true, "Recall", "true"),
        "f1": (2 * tp, true + pred, "F-score", "true nor predicted"),
        "specificity": (
            counts["negative"] - (pred - tp), counts["negative"], "Specificity", "negative"
        ),
    }[metric]
    return _divide(
        numerator, denominator, metric=name, modifier=modifier, labels=counts["labels"],
        zero_division=zero_division, average=average,
    )


_SCORE_PARAMETERS = """
    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels, numbers or strings.
    y_pred : array-like of shape (n_samples,)
        Predicted labels, of the same type as ``y_true``.
    labels : array-like, default=None
        The labels to score and average over when ``average != "binary"``, in this order;
        labels absent from the data are allowed. By default, the sorted union of the labels
        in ``y_true`` and ``y_pred``.
    pos_label : int, float, bool or str, default=1
        The positive class when ``average="binary"``; ignored (with a ``UserWarning`` unless
        it is 1 or None) otherwise. It must be one of the labels when the data holds two.
    average : {"binary", "micro", "macro", "weighted"} or None, default="binary"
        ``"binary"``: the score of ``pos_label`` (the data must hold at most two labels).
        ``"micro"``: the score of the counts summed over ``labels``. ``"macro"``: the
        unweighted mean of the per-label scores. ``"weighted"``: their mean weighted by each
        label's support (its count in ``y_true``). None: the per-label scores.
    zero_division : {"warn", 0.0, 1.0, np.nan}, default="warn"
        The value of a 0/0 ratio. ``"warn"`` gives 0.0 and an
        :class:`~ftml.exceptions.UndefinedMetricWarning` naming the metric and the labels;
        a number is used silently. NaN scores are left out of the averages, as in
        scikit-learn.

    Returns
    -------
    score : float or ndarray of shape (n_labels,)
        In [0, 1] (or NaN if asked for through ``zero_division``); an array when
        ``average=None``.

    Raises
    ------
    ValueError
        If ``y_true`` or ``y_pred`` is empty, not 1-D, holds NaN or non-integer floats, or
        if their lengths or label types differ; if ``average`` or ``zero_division`` is not an
        accepted value; if ``average="binary"`` with more than two labels or a ``pos_label``
        that is not one of them; if ``labels`` is empty or repeats a label.

    Warns
    -----
    UndefinedMetricWarning
        With ``zero_division="warn"``, when a ratio is 0/0."""


def precision_score(
    y_true, y_pred, *, labels=None, pos_label=1, average="binary", zero_division="warn"
):
    """Precision, ``TP / (TP + FP)``: the fraction of predicted positives that are right.
    {parameters}

    References
    ----------
    The course, chapter "Introduction to supervised learning" (classification metrics).
    scikit-learn, ``sklearn.metrics.precision_score``.

    Examples
    --------
    >>> precision_score([0, 1, 1, 0], [1, 1, 0, 0])
    0.5
    >>> precision_score(["a", "b", "c", "a"], ["a", "c", "c", "a"], average=None,
    ...                 zero_division=0.0)
    array([1. , 0. , 0.5])
    """
    return _score(
        y_true, y_pred, labels=labels, pos_label=pos_label, average=average,
        zero_division=zero_division, metric="precision",
    )


def recall_score(
    y_true, y_pred, *, labels=None, pos_label=1, average="binary", zero_division="warn"
):
    """Recall (sensitivity, true positive rate), ``TP / (TP + FN)``.
    {parameters}

    References
    ----------
    The course, chapter "Introduction to supervised learning" (classification metrics).
    scikit-learn, ``sklearn.metrics.recall_score``.

    Examples
    --------
    >>> recall_score([0, 1, 1, 0], [1, 1, 0, 0])
    0.5
    >>> recall_score(["a", "b", "c", "a"], ["a", "c", "c", "a"], average="macro")
    0.6666666666666666
    """
    return _score(
        y_true, y_pred, labels=labels, pos_label=pos_label, average=average,
        zero_division=zero_division, metric="recall",
    )


def f1_score(
    y_true, y_pred, *, labels=None, pos_label=1, average="binary", zero_division="warn"
):
    """F1 score, the harmonic mean of precision and recall, ``2 TP / (2 TP + FP + FN)``.

    As in scikit-learn, it is computed from the counts, so it is 0/0 only for a label that is
    neither true nor predicted anywhere; it is 0.0 without warning when the label occurs but
    is never correctly predicted.
    {parameters}

    References
    ----------
    The course, chapter "Introduction to supervised learning" (classification metrics).
    scikit-learn, ``sklearn.metrics.f1_score``.

    Examples
    --------
    >>> f1_score([0, 1, 1, 1], [1, 1, 0, 1])
    0.6666666666666666
    >>> f1_score(["a", "b", "c", "a"], ["a", "c", "c", "a"], average="micro")
    0.75
    """
    return _score(
        y_true, y_pred, labels=labels, pos_label=pos_label, average=average,
        zero_division=zero_division, metric="f1",
    )


def specificity_score(
    y_true, y_pred, *, labels=None, pos_label=1, average="binary", zero_division="warn"
):
    """Specificity (true negative rate), ``TN / (TN + FP)``.

    The fraction of the negatives that are predicted negative; the recall of the negative
    class. For several classes each label is scored one-vs-rest: its negatives are all the
    samples whose true label is another one (counted over all samples, including those of
    labels left out of ``labels``), and ``TN + FP = n_samples - support``. It is 0/0 for a
    label that every sample carries. scikit-learn has no such function; the averages follow
    its conventions, so ``"weighted"`` weights by the support (the positives), and
    ``"micro"`` is ``sum TN / sum (TN + FP)`` over ``labels``.
    {parameters}

    References
    ----------
    The course, chapter "Introduction to supervised learning" (classification metrics).

    Examples
    --------
    >>> specificity_score([0, 0, 0, 1], [0, 1, 0, 1])
    0.6666666666666666
    >>> specificity_score(["a", "b", "c", "a"], ["a", "c", "c", "a"], average=None)
    array([1.        , 1.        , 0.66666667])
    """
    return _score(
        y_true, y_pred, labels=labels, pos_label=pos_label, average=average,
        zero_division=zero_division, metric="specificity",
    )


for _function in (precision_score, recall_score, f1_score, specificity_score):
    _function.__doc__ = _function.__doc__.replace("    {parameters}", _SCORE_PARAMETERS)
del _function


def confusion_matrix(y_true, y_pred, *, labels=None):
    """Confusion matrix: entry ``[i, j]`` counts samples of true label ``i`` predicted ``j``.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels, numbers or strings.
    y_pred : array-like of shape (n_samples,)
        Predicted labels, of the same type as ``y_true``.
    labels : array-like of shape (n_labels,), default=None
        The labels indexing the rows and columns, in this order; samples whose true or
        predicted label is not listed are left out. By default, the sorted union of the
        labels in ``y_true`` and ``y_pred`` (as ``np.unique``).

    Returns
    -------
    matrix : ndarray of int64, shape (n_labels, n_labels)
        Rows are true labels, columns predicted labels.

    Raises
    ------
    ValueError
        If ``y_true`` or ``y_pred`` is empty, not 1-D, holds NaN or non-integer floats, or
        if their lengths or label types differ; if ``labels`` is empty, repeats a label or
        holds no label of ``y_true``.

    References
    ----------
    scikit-learn, ``sklearn.metrics.confusion_matrix``.

    Examples
    --------
    >>> confusion_matrix(["cat", "dog", "dog", "cat"], ["cat", "dog", "cat", "cat"])
    array([[2, 0],
           [1, 1]])
    """
    y_true, y_pred, classes = _check_label_vectors(y_true, y_pred)
    confusion = _full_confusion(y_true, y_pred, classes)
    if labels is None:
        return confusion
    labels = _check_labels(labels)
    index = _class_positions(classes, labels)
    true_classes = set(np.unique(y_true).tolist())
    if not any(label in true_classes for label in labels.tolist()):
        raise ValueError(
            f"labels must hold at least one label of y_true, got {labels.tolist()!r} while "
            f"y_true holds {sorted(true_classes)!r}."
        )
    padded = np.zeros((classes.shape[0] + 1, classes.shape[0] + 1), dtype=np.int64)
    padded[:-1, :-1] = confusion  # index -1 (absent label) reads the zero row and column
    return padded[np.ix_(index, index)]
