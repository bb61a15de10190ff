"""The classification report: :func:`classification_report` tabulates the per-label precision,
recall, F1 score, specificity and support with their averages, and
:func:`format_classification_report` prints that table as scikit-learn's text report.
"""

import numbers
import warnings

import numpy as np

from ftml.exceptions import UndefinedMetricWarning
from ftml.metrics._classification import (
    _check_label_vectors,
    _nan_average,
    _one_vs_rest_counts,
    _ratio,
)
from ftml.validation import check_scalar

__all__ = ["classification_report", "format_classification_report"]


_REPORT_COLUMNS = ("precision", "recall", "f1-score", "specificity", "support")


def classification_report(y_true, y_pred, *, labels=None, digits=2, zero_division="warn"):
    """Per-label precision, recall, F1 score, specificity and support, with their averages.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels, numbers or strings.
    y_pred : array-like of shape (n_samples,)
        Predicted labels, of the same type as ``y_true``.
    labels : array-like, default=None
        The labels to report, in this order. By default, the sorted union of the labels in
        ``y_true`` and ``y_pred``.
    digits : int, default=2
        Digits shown by :func:`format_classification_report`; stored in
        ``report.attrs["digits"]``. The values in the table are not rounded.
    zero_division : {"warn", 0.0, 1.0, np.nan}, default="warn"
        The value of a 0/0 ratio, as in :func:`precision_score`.

    Returns
    -------
    report : pandas.DataFrame
        Columns ``precision``, ``recall``, ``f1-score``, ``specificity``, ``support``
        (int); index the labels as strings, then either ``"accuracy"`` (when the report
        covers every label of the data, as in scikit-learn) or ``"micro avg"``, then
        ``"macro avg"`` and ``"weighted avg"`` (weighted by support). The ``"accuracy"`` row
        holds the accuracy in ``f1-score`` and ``n_samples`` in ``support``; its other cells
        are NaN on purpose, the blanks of scikit-learn's text report. The numbers equal
        those of ``sklearn.metrics.classification_report(..., output_dict=True)``. Print it
        as scikit-learn's text report with :func:`format_classification_report`.

    Raises
    ------
    ValueError
        As :func:`precision_score`, or if ``digits`` is not a non-negative int.

    Warns
    -----
    UndefinedMetricWarning
        With ``zero_division="warn"``, once per metric with a 0/0 ratio.

    Examples
    --------
    >>> report = classification_report(["a", "b", "c", "a"], ["a", "c", "c", "a"],
    ...                                zero_division=0.0)
    >>> report.loc["c", "precision"]
    np.float64(0.5)
    >>> print(format_classification_report(report))
                  precision    recall  f1-score  specificity   support
    <BLANKLINE>
               a       1.00      1.00      1.00         1.00         2
               b       0.00      0.00      0.00         1.00         1
               c       0.50      1.00      0.67         0.67         1
    <BLANKLINE>
        accuracy                           0.75                      4
       macro avg       0.50      0.67      0.56         0.89         4
    weighted avg       0.62      0.75      0.67         0.92         4
    """
    import pandas as pd

    check_scalar(digits, "digits", numbers.Integral, min_val=0)
    y_true, y_pred, classes = _check_label_vectors(y_true, y_pred)
    labels_given = labels is not None
    counts = _one_vs_rest_counts(
        y_true, y_pred, labels=labels, pos_label=None, average=None
    )
    labels = counts["labels"]
    support = counts["true"]
    metrics = ("precision", "recall", "f1", "specificity")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", UndefinedMetricWarning)
        per_label = {
            metric: _ratio(counts, metric, zero_division=zero_division, average=None)
            for metric in metrics
        }
        micro_counts = {
            key: (value if key == "labels" else np.array([value.sum()]))
            for key, value in counts.items()
        }
        micro = {
            metric: _ratio(micro_counts, metric, zero_division=zero_division, average="micro")[0]
            for metric in metrics
        }
    reported = set()
    for warning in caught:  # re-warn each metric once, per-label message first
        metric = str(warning.message).split(" is ill-defined")[0]
        if metric not in reported:
            reported.add(metric)
            warnings.warn(warning.message, stacklevel=2)

    rows = {str(label): [per_label[m][i] for m in metrics] + [int(support[i])]
            for i, label in enumerate(labels.tolist())}
    total = int(support.sum())
    micro_is_accuracy = not labels_given or set(classes.tolist()) <= set(labels.tolist())
    if micro_is_accuracy:
        rows["accuracy"] = [np.nan, np.nan, micro["precision"], np.nan, total]
    else:
        rows["micro avg"] = [micro[m] for m in metrics] + [total]
    weights = support.astype(np.float64)
    rows["macro avg"] = [_nan_average(per_label[m]) for m in metrics] + [total]
    rows["weighted avg"] = [_nan_average(per_label[m], weights) for m in metrics] + [total]
    report = pd.DataFrame.from_dict(rows, orient="index", columns=list(_REPORT_COLUMNS))
    report["support"] = report["support"].astype(np.int64)
    report.attrs["digits"] = int(digits)
    return report


def format_classification_report(report, digits=None):
    """Format a :func:`classification_report` table as scikit-learn's text report.

    Parameters
    ----------
    report : pandas.DataFrame
        The table returned by :func:`classification_report`.
    digits : int, default=None
        Digits after the decimal point; by default ``report.attrs["digits"]`` (2 if unset).

    Returns
    -------
    text : str
        One line per row, aligned as ``sklearn.metrics.classification_report`` with a
        ``specificity`` column before ``support``; the ``"accuracy"`` row shows only the
        accuracy and the support.

    Raises
    ------
    ValueError
        If ``report`` lacks one of the report's columns, or ``digits`` is not a
        non-negative int.

    Examples
    --------
    >>> print(format_classification_report(classification_report([0, 1, 1], [0, 1, 0])))
                  precision    recall  f1-score  specificity   support
    <BLANKLINE>
               0       0.50      1.00      0.67         0.50         1
               1       1.00      0.50      0.67         1.00         2
    <BLANKLINE>
        accuracy                           0.67                      3
       macro avg       0.75      0.75      0.67         0.75         3
    weighted avg       0.83      0.67      0.67         0.83         3
    """
    missing = [column for column in _REPORT_COLUMNS if column not in report.columns]
    if missing:
        raise ValueError(
            f"report must have the columns {list(_REPORT_COLUMNS)!r}; missing {missing!r}."
        )
    if digits is None:
        digits = report.attrs.get("digits", 2)
    check_scalar(digits, "digits", numbers.Integral, min_val=0)
    averages = ("accuracy", "micro avg", "macro avg", "weighted avg")
    names = [str(name) for name in report.index]
    width = max(max(len(name) for name in names), len("weighted avg"), digits)
    widths = (9, 9, 9, 12, 9)
    lines = [f"{'':>{width}s} " + "".join(
        f" {column:>{w}}" for column, w in zip(_REPORT_COLUMNS, widths)), ""]
    blank_done = False
    for name, row in zip(names, report.itertuples(index=False)):
        if name in averages and not blank_done:
            lines.append("")
            blank_done = True
        cells = []
        for value, column, w in zip(row, _REPORT_COLUMNS, widths):
            if column == "support":
                cells.append(f" {int(value):>{w}}")
            elif name == "accuracy" and column != "f1-score":
                cells.append(f" {'':>{w}}")
            else:
                cells.append(f" {value:>{w}.{digits}f}")
        lines.append(f"{name:>{width}s} " + "".join(cells))
    return "\n".join(lines)
