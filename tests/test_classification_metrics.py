"""Classification metrics of ftml.metrics against scikit-learn on seeded random labels."""

import re
import warnings

import numpy as np
import pytest
import sklearn.exceptions
import sklearn.metrics

from ftml.exceptions import UndefinedMetricWarning
from ftml.metrics import (
    classification_report,
    confusion_matrix,
    f1_score,
    format_classification_report,
    precision_score,
    recall_score,
    specificity_score,
    zero_one_loss,
)

pytestmark = pytest.mark.filterwarnings(
    "ignore:A single label was found in 'y_true' and 'y_pred':UserWarning"
)

SCORES = {
    "precision": (precision_score, sklearn.metrics.precision_score),
    "recall": (recall_score, sklearn.metrics.recall_score),
    "f1": (f1_score, sklearn.metrics.f1_score),
}
ZERO_DIVISIONS = ("warn", 0.0, 1.0, np.nan)


def _random_case(seed):
    """A seeded (y_true, y_pred, alphabet) pair covering the edge cases in turn."""
    rng = np.random.default_rng(seed)
    n_classes = (2, 2, 3, 4)[seed % 4]
    alphabet = np.arange(n_classes) if seed % 2 else np.array(["ant", "bee", "cat", "dog"])[
        :n_classes
    ]
    n = int(rng.choice([1, 2, 5, 12, 30]))
    y_true = rng.choice(alphabet, size=n)
    y_pred = rng.choice(alphabet, size=n)
    edge = (seed // 4) % 5
    if edge == 1:  # the last class is never predicted
        y_pred[y_pred == alphabet[-1]] = alphabet[0]
    elif edge == 2:  # the last class is absent from y_true
        y_true[y_true == alphabet[-1]] = alphabet[0]
    elif edge == 3:  # all predictions equal
        y_pred[:] = alphabet[int(rng.integers(n_classes))]
    return y_true, y_pred, alphabet


def _call(function, *args, **kwargs):
    """Return the value and whether an UndefinedMetricWarning (ours or sklearn's) was raised."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        value = function(*args, **kwargs)
    undefined = (UndefinedMetricWarning, sklearn.exceptions.UndefinedMetricWarning)
    return value, any(issubclass(w.category, undefined) for w in caught)


def _assert_same(ours, theirs):
    np.testing.assert_allclose(np.asarray(ours, dtype=float), np.asarray(theirs, dtype=float),
                               rtol=1e-12, atol=1e-15, equal_nan=True)


def _averages(y_true, y_pred):
    averages = ["micro", "macro", "weighted", None]
    if np.unique(np.concatenate([y_true, y_pred])).shape[0] <= 2:
        averages.append("binary")
    return averages


def _pos_label(y_true, y_pred, alphabet, seed):
    present = np.unique(np.concatenate([y_true, y_pred]))
    return present[seed % present.shape[0]] if present.shape[0] == 2 else alphabet[1]


@pytest.mark.parametrize("seed", range(32))
@pytest.mark.parametrize("metric", sorted(SCORES))
def test_scores_match_sklearn(seed, metric):
    ours_fn, sklearn_fn = SCORES[metric]
    y_true, y_pred, alphabet = _random_case(seed)
    zero_divisions = ZERO_DIVISIONS if seed % 5 == 0 else ("warn",)
    for average in _averages(y_true, y_pred):
        for zero_division in zero_divisions:
            kwargs = {"average": average, "zero_division": zero_division}
            if average == "binary":
                kwargs["pos_label"] = _pos_label(y_true, y_pred, alphabet, seed)
            ours, warned = _call(ours_fn, y_true, y_pred, **kwargs)
            theirs, sklearn_warned = _call(sklearn_fn, y_true, y_pred, **kwargs)
            _assert_same(ours, theirs)
            assert warned == sklearn_warned, (metric, kwargs)
            assert isinstance(ours, float if average is not None else np.ndarray)


@pytest.mark.parametrize("seed", range(0, 80, 3))
@pytest.mark.parametrize("metric", sorted(SCORES))
def test_scores_with_restricted_labels_match_sklearn(seed, metric):
    ours_fn, sklearn_fn = SCORES[metric]
    y_true, y_pred, alphabet = _random_case(seed)
    rng = np.random.default_rng(seed)
    labels = rng.permutation(alphabet)[: max(1, alphabet.shape[0] - 1)]
    for average in ("micro", "macro", "weighted", None):
        ours, warned = _call(ours_fn, y_true, y_pred, labels=labels, average=average)
        theirs, sklearn_warned = _call(sklearn_fn, y_true, y_pred, labels=labels,
                                       average=average)
        _assert_same(ours, theirs)
        assert warned == sklearn_warned


def _reference_specificity(y_true, y_pred, labels, average, zero_division, matrix=None):
    """TN / (TN + FP) from scikit-learn's confusion matrix over all the classes.

    Returns the value and whether a 0/0 ratio occurred.
    """
    classes = np.unique(np.concatenate([y_true, y_pred]))
    if matrix is None:
        matrix = sklearn.metrics.confusion_matrix(y_true, y_pred, labels=classes)
    n = matrix.sum()
    tn, negatives, support = [], [], []
    for label in labels:
        hits = np.flatnonzero(classes == label)
        if hits.size == 0:  # a label that never occurs: every sample is a true negative
            tn.append(n), negatives.append(n), support.append(0)
            continue
        i = hits[0]
        tp = matrix[i, i]
        fp, fn = matrix[:, i].sum() - tp, matrix[i, :].sum() - tp
        tn.append(n - tp - fp - fn), negatives.append(n - tp - fn), support.append(tp + fn)
    tn, negatives, support = (np.array(a, dtype=float) for a in (tn, negatives, support))
    fill = 0.0 if zero_division == "warn" else zero_division
    if average == "micro":
        return (tn.sum() / negatives.sum() if negatives.sum() else fill), negatives.sum() == 0
    per_label = np.array([t / d if d else fill for t, d in zip(tn, negatives)])
    undefined = bool(np.any(negatives == 0))
    if average is None:
        return per_label, undefined
    keep = ~np.isnan(per_label)
    if not keep.any():
        return np.nan, undefined
    if average == "weighted" and support[keep].sum() > 0:
        return np.average(per_label[keep], weights=support[keep]), undefined
    return per_label[keep].mean(), undefined


@pytest.mark.parametrize("seed", range(60))
def test_specificity_matches_formula_on_sklearn_confusion_matrix(seed):
    y_true, y_pred, alphabet = _random_case(seed)
    classes = np.unique(np.concatenate([y_true, y_pred]))
    matrix = sklearn.metrics.confusion_matrix(y_true, y_pred, labels=classes)
    for average in _averages(y_true, y_pred):
        for zero_division in ZERO_DIVISIONS:
            kwargs = {"average": average, "zero_division": zero_division}
            labels = classes
            if average == "binary":
                kwargs["pos_label"] = _pos_label(y_true, y_pred, alphabet, seed)
                labels = [kwargs["pos_label"]]
            ours, warned = _call(specificity_score, y_true, y_pred, **kwargs)
            expected, undefined = _reference_specificity(y_true, y_pred, labels, average,
                                                         zero_division, matrix)
            _assert_same(ours, expected)
            assert warned == (undefined and zero_division == "warn")
    labels = alphabet[::-1]
    _assert_same(specificity_score(y_true, y_pred, labels=labels, average=None, zero_division=0.0),
                 _reference_specificity(y_true, y_pred, labels, None, 0.0)[0])


@pytest.mark.parametrize("seed", range(60))
def test_confusion_matrix_matches_sklearn(seed):
    y_true, y_pred, alphabet = _random_case(seed)
    ours = confusion_matrix(y_true, y_pred)
    np.testing.assert_array_equal(ours, sklearn.metrics.confusion_matrix(y_true, y_pred))
    assert ours.dtype == np.int64
    labels = np.random.default_rng(seed).permutation(alphabet)[: max(1, alphabet.shape[0] - 1)]
    if np.isin(labels, y_true).any():
        np.testing.assert_array_equal(
            confusion_matrix(y_true, y_pred, labels=labels),
            sklearn.metrics.confusion_matrix(y_true, y_pred, labels=labels),
        )


def test_confusion_matrix_rows_true_columns_predicted():
    matrix = confusion_matrix(["b", "b", "a"], ["a", "b", "a"], labels=["b", "a", "z"])
    np.testing.assert_array_equal(matrix, [[1, 1, 0], [0, 1, 0], [0, 0, 0]])


@pytest.mark.parametrize("seed", range(30))
def test_classification_report_matches_sklearn(seed):
    y_true, y_pred, alphabet = _random_case(seed)
    label_sets = [None, alphabet[::-1][: max(1, alphabet.shape[0] - 1)]]
    for labels in label_sets:
        zero_division = ZERO_DIVISIONS[seed % 4]
        report, _ = _call(classification_report, y_true, y_pred, labels=labels,
                          zero_division=zero_division)
        expected, _ = _call(sklearn.metrics.classification_report, y_true, y_pred,
                            labels=labels, zero_division=zero_division, output_dict=True)
        assert list(report.index) == list(expected)
        for name, row in expected.items():
            if name == "accuracy":
                _assert_same(report.loc[name, "f1-score"], row)
                assert report.loc[name, "support"] == len(y_true)
                continue
            for column in ("precision", "recall", "f1-score", "support"):
                _assert_same(report.loc[name, column], row[column])
        report_labels = labels if labels is not None else np.unique(
            np.concatenate([y_true, y_pred]))
        kwargs = {"labels": report_labels, "zero_division": zero_division}
        spec = _call(specificity_score, y_true, y_pred, average=None, **kwargs)[0]
        _assert_same(report["specificity"].iloc[: len(report_labels)], spec)
        _assert_same(report.loc["macro avg", "specificity"],
                     _call(specificity_score, y_true, y_pred, average="macro", **kwargs)[0])
        _assert_same(report.loc["weighted avg", "specificity"],
                     _call(specificity_score, y_true, y_pred, average="weighted", **kwargs)[0])
        assert report["support"].dtype == np.int64


@pytest.mark.parametrize("seed", range(0, 40, 3))
@pytest.mark.parametrize("digits", [2, 4])
def test_formatted_report_is_sklearns_text_plus_specificity(seed, digits):
    y_true, y_pred, _ = _random_case(seed)
    report = classification_report(y_true, y_pred, digits=digits, zero_division=0.0)
    text = format_classification_report(report)
    expected = sklearn.metrics.classification_report(y_true, y_pred, digits=digits,
                                                     zero_division=0.0)
    width = max(len("weighted avg"), *(len(str(name)) for name in report.index))
    start = width + 1 + 3 * 10  # name column, then three 10-character cells
    without_specificity = [line[:start] + line[start + 13:] for line in text.split("\n")]
    # scikit-learn prints the support as "5.0" (right-aligned) when some ratio was 0/0;
    # ftml always prints an int.
    expected_lines = [
        re.sub(r" +(\d+)\.0$", lambda m: f"{m.group(1):>{len(m.group(0))}}", line.rstrip())
        for line in expected.rstrip("\n").split("\n")
    ]
    assert [line.rstrip() for line in without_specificity] == expected_lines


# Warnings and the zero_division rule -------------------------------------------------------


def test_precision_with_no_predicted_positive_warns_and_is_zero():
    with pytest.warns(UndefinedMetricWarning, match=r"Precision is ill-defined.*predicted.*\[1\]"):
        assert precision_score([0, 1, 1], [0, 0, 0]) == 0.0
    with pytest.warns(sklearn.exceptions.UndefinedMetricWarning):
        assert sklearn.metrics.precision_score([0, 1, 1], [0, 0, 0]) == 0.0


def test_recall_with_a_class_absent_from_y_true_warns_naming_it():
    with pytest.warns(UndefinedMetricWarning, match=r"Recall is ill-defined.*true.*\['c'\]"):
        recall = recall_score(["a", "b", "a"], ["a", "c", "b"], average=None)
    _assert_same(recall, sklearn.metrics.recall_score(["a", "b", "a"], ["a", "c", "b"],
                                                      average=None, zero_division=0.0))


def test_f1_warns_only_for_a_label_neither_true_nor_predicted():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert f1_score([0, 1, 1], [0, 0, 0]) == 0.0  # defined: 2 TP / (2 TP + FP + FN) = 0
    with pytest.warns(UndefinedMetricWarning, match=r"F-score is ill-defined.*\[2\]"):
        f1 = f1_score([0, 1], [0, 1], labels=[0, 1, 2], average="macro")
    assert f1 == pytest.approx(2 / 3)


def test_specificity_when_every_sample_is_positive_warns():
    match = r"Specificity is ill-defined.*negative.*\[1\]"
    with pytest.warns(UndefinedMetricWarning, match=match):
        assert specificity_score([1, 1], [1, 0]) == 0.0


@pytest.mark.parametrize("zero_division", [0.0, 1.0])
def test_explicit_zero_division_is_silent_and_matches_sklearn(zero_division):
    y_true, y_pred = ["a", "a", "b"], ["a", "a", "a"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for name, (ours, theirs) in SCORES.items():
            for average in ("macro", "weighted", None):
                _assert_same(
                    ours(y_true, y_pred, labels=["a", "b", "c"], average=average,
                         zero_division=zero_division),
                    theirs(y_true, y_pred, labels=["a", "b", "c"], average=average,
                           zero_division=zero_division),
                )
        assert specificity_score([1, 1], [1, 0], zero_division=zero_division) == zero_division


def test_nan_zero_division_is_left_out_of_the_averages():
    y_true, y_pred = [0, 0, 1], [0, 0, 0]
    per_label = precision_score(y_true, y_pred, average=None, zero_division=np.nan)
    assert per_label[0] == pytest.approx(2 / 3) and np.isnan(per_label[1])
    assert precision_score(y_true, y_pred, average="macro", zero_division=np.nan) == \
        pytest.approx(2 / 3)
    assert np.isnan(precision_score([0, 1], [0, 0], zero_division=np.nan))


# Validation ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("y_true", "y_pred", "match"),
    [
        ([0, 1, 1], [0, 1], "Inconsistent numbers of samples: y_true has 3, y_pred has 2"),
        ([], [], "y_true must be a non-empty 1-D array"),
        ([[0, 1]], [[0, 1]], r"y_true must be a non-empty 1-D array.*\(1, 2\)"),
        ([0, 1], [[0], [1]], r"y_pred must be a non-empty 1-D array"),
        (["a", "b"], [0, 1], "same type"),
        ([0.0, np.nan], [0.0, 1.0], "y_true must hold discrete class labels"),
        ([0.0, 1.0], [0.5, 1.0], r"y_pred must hold discrete class labels.*0\.5"),
        (np.array(["a", 1], dtype=object), ["a", "b"], "y_true mixes string"),
        ("ab", ["a", "b"], "y_true must be a 1-D array of labels, got the string"),
    ],
)
def test_bad_label_vectors_raise_naming_them(y_true, y_pred, match):
    for function in (precision_score, specificity_score, confusion_matrix,
                     classification_report):
        with pytest.raises(ValueError, match=match):
            function(y_true, y_pred)


def test_unknown_pos_label_raises_naming_it():
    with pytest.raises(ValueError, match=r"pos_label='c' is not a valid label"):
        recall_score(["a", "b"], ["a", "a"], pos_label="c")
    with pytest.raises(ValueError, match=r"pos_label=1 is not a valid label"):
        precision_score(["a", "b"], ["a", "b"])
    with pytest.raises(ValueError, match="average='binary' needs at most two classes"):
        f1_score([0, 1, 2], [0, 1, 1])


def test_bad_parameters_raise_naming_them():
    with pytest.raises(ValueError, match="average must be one of.*'samples'"):
        precision_score([0, 1], [0, 1], average="samples")
    with pytest.raises(ValueError, match="zero_division must be.*'nope'"):
        recall_score([0, 1], [0, 1], zero_division="nope")
    with pytest.raises(ValueError, match="labels must not repeat"):
        f1_score([0, 1], [0, 1], labels=[0, 0], average="macro")
    with pytest.raises(ValueError, match="labels must be a non-empty"):
        confusion_matrix([0, 1], [0, 1], labels=[])
    with pytest.raises(ValueError, match="labels must hold at least one label of y_true"):
        confusion_matrix([0, 1], [0, 1], labels=[5])
    with pytest.raises(ValueError, match="digits == -1"):
        classification_report([0, 1], [0, 1], digits=-1)


def test_pos_label_ignored_outside_binary_warns():
    with pytest.warns(UserWarning, match="pos_label .set to 'a'. is ignored"):
        precision_score(["a", "b"], ["a", "b"], pos_label="a", average="macro")


def test_single_sample_and_single_class():
    assert precision_score(["x"], ["x"], pos_label="x") == 1.0
    with pytest.warns(UndefinedMetricWarning):
        assert precision_score([0, 0], [0, 0]) == sklearn.metrics.precision_score(
            [0, 0], [0, 0], zero_division=0.0)
    np.testing.assert_array_equal(confusion_matrix([3], [3]), [[1]])


EDGE_CASES = {
    "length one, int": ([1], [1]),
    "length one, wrong": ([0], [1]),
    "length one, string": (["cat"], ["dog"]),
    "class never predicted": ([0, 1, 2, 2, 1], [0, 1, 1, 1, 0]),
    "class absent from y_true": (["a", "b", "a", "b"], ["a", "c", "c", "b"]),
    "all predictions equal": ([0, 1, 2, 1, 0], [2, 2, 2, 2, 2]),
    "a single class everywhere": (["x", "x", "x"], ["x", "x", "x"]),
    "float labels": ([0.0, 1.0, 1.0], [1.0, 1.0, 0.0]),
    "bool labels": ([True, False, True], [True, True, True]),
}


@pytest.mark.parametrize("case", sorted(EDGE_CASES))
def test_edge_cases_match_sklearn(case):
    y_true, y_pred = EDGE_CASES[case]
    present = np.unique(np.concatenate([np.asarray(y_true), np.asarray(y_pred)]))
    label_sets = [None, present[:1], np.concatenate([present, present[:0]])[::-1]]
    for name, (ours_fn, sklearn_fn) in SCORES.items():
        for zero_division in ("warn", 1.0, np.nan):  # 0.0 gives the values of "warn"
            for average in _averages(np.asarray(y_true), np.asarray(y_pred)):
                restrict = average != "binary" and zero_division == "warn"
                for labels in label_sets if restrict else [None]:
                    kwargs = {"average": average, "zero_division": zero_division,
                              "labels": labels}
                    if average == "binary":
                        kwargs["pos_label"] = present[-1]
                    ours, warned = _call(ours_fn, y_true, y_pred, **kwargs)
                    theirs, sklearn_warned = _call(sklearn_fn, y_true, y_pred, **kwargs)
                    _assert_same(ours, theirs)
                    assert warned == sklearn_warned, (name, kwargs)
    np.testing.assert_array_equal(confusion_matrix(y_true, y_pred),
                                  sklearn.metrics.confusion_matrix(y_true, y_pred))
    report = _call(classification_report, y_true, y_pred)[0]
    expected = _call(sklearn.metrics.classification_report, y_true, y_pred,
                     output_dict=True)[0]
    assert list(report.index) == list(expected)
    for row_name, row in expected.items():
        if row_name != "accuracy":
            _assert_same(report.loc[row_name, ["precision", "recall", "f1-score", "support"]],
                         [row[c] for c in ("precision", "recall", "f1-score", "support")])


@pytest.mark.parametrize("seed", range(16))
def test_zero_one_loss_matches_sklearn_and_complements_accuracy(seed):
    from ftml.metrics import accuracy_score

    y_true, y_pred, _ = _random_case(seed)
    ours = zero_one_loss(y_true, y_pred)
    assert ours == pytest.approx(sklearn.metrics.zero_one_loss(y_true, y_pred), abs=1e-15)
    assert ours == pytest.approx(1.0 - accuracy_score(y_true, y_pred), abs=1e-15)


def test_zero_one_loss_rejects_bad_vectors():
    with pytest.raises(ValueError, match="y_true must be a non-empty 1-D array"):
        zero_one_loss([], [])
    with pytest.raises(ValueError, match="Inconsistent numbers of samples: y_true has 2"):
        zero_one_loss([0, 1], [0])
