"""Tests for the classification side of the experiments: several datasets and estimators in
one experiment, stratified folds, training-size subsets, searches, out-of-fold predictions,
the per-class report and the checks that compare points (near_theory, monotone, ordered).

Configs go through load_config and jobs through Config.training_job, as in the workflow.
"""

import numpy as np
import pandas as pd
import pytest

from ftml.experiments.checks import verdicts
from ftml.experiments.config import ConfigError, load_config
from ftml.experiments.data import build_dataset
from ftml.experiments.protocols.cross_validation import cross_validate_point
from ftml.experiments.tables import (
    class_report_table,
    confusion_matrices,
    summary_table,
    theory_table,
    timing_table,
)


def _experiment(**changes):
    spec = {
        "chapter": "c",
        "title": "t",
        "description": "d",
        "dataset": ["iris", "wine"],
        "estimators": {
            "ovr": {"estimator": "OneVsRestLogisticRegression",
                    "params": {"estimator__alpha": 0.01}},
            "ovo": {"estimator": "OneVsOneLogisticRegression",
                    "params": {"estimator__alpha": 0.01}},
            "softmax": {"estimator": "SoftmaxRegression", "params": {"alpha": 0.01}},
        },
        "grid": {},
        "evaluation": {"protocol": "cross_validation", "replicates": 2, "folds": 3,
                       "stratify": True, "standardize": True},
        "metrics": ["accuracy_score", "n_models"],
        "per_class_report": True,
        "checks": [{"check": "near_theory", "metric": "n_models", "theory": "models_trained",
                    "tolerance": 0}],
        "figure": [{"metric": "accuracy_score", "x": "estimator", "hue": "dataset"}],
    }
    spec.update(changes)
    return spec


def _raw(**experiments):
    return {
        "seed": 5,
        "datasets": {
            "iris": {"bundled": "iris"},
            "wine": {"bundled": "wine"},
            "cancer": {"bundled": "breast_cancer"},
            "logit": {"generator": "logistic", "params": {"n_samples": 200, "n_features": 4}},
        },
        "experiments": experiments or {"schemes": _experiment()},
    }


def _problems(raw):
    with pytest.raises(ConfigError) as info:
        load_config(raw)
    return dict(info.value.problems)


@pytest.fixture(scope="module")
def schemes():
    return load_config(_raw())


def _run(config, name, point):
    point = config.experiments[name].point(point) if isinstance(point, str) else point
    dataset = build_dataset(config.dataset_job(point.dataset, point.data_id))
    return cross_validate_point(config.training_job(name, point.id), dataset), dataset


# --- config: datasets and estimators as columns ---------------------------------------------


def test_datasets_and_estimators_become_the_first_columns(schemes):
    experiment = schemes.experiments["schemes"]
    assert experiment.grid_names == ["dataset", "estimator"]
    assert [p.id for p in experiment.points][:3] == [
        "dataset~iris__estimator~ovr", "dataset~iris__estimator~ovo",
        "dataset~iris__estimator~softmax",
    ]
    assert len(experiment.points) == 6
    point = experiment.point("dataset~wine__estimator~ovo")
    assert (point.dataset, point.estimator) == ("wine", "OneVsOneLogisticRegression")
    assert point.estimator_params == {"estimator__alpha": 0.01}
    job = schemes.training_job("schemes", point.id)
    assert job["dataset"] == "wine" and job["estimator"] == "OneVsOneLogisticRegression"
    assert schemes.dataset_points() == [("iris", "data"), ("wine", "data")]


def test_an_unknown_nested_parameter_names_its_key():
    spec = _experiment()
    spec["estimators"]["ovr"]["params"] = {"estimator__alpah": 0.01}
    problems = _problems(_raw(schemes=spec))
    assert "unknown parameter of the estimator 'estimator__alpah'" in problems[
        "experiments.schemes.estimators.ovr.params.estimator__alpah"]


def test_estimator_and_estimators_are_exclusive():
    problems = _problems(_raw(schemes=_experiment(estimator="OLS")))
    assert "not both" in problems["experiments.schemes.estimator"]


def test_an_unknown_dataset_in_a_list_names_its_index():
    problems = _problems(_raw(schemes=_experiment(dataset=["iris", "irsi"])))
    assert "unknown dataset 'irsi'" in problems["experiments.schemes.dataset[1]"]


def test_a_dataset_theory_needs_real_data():
    spec = _experiment(dataset="logit", estimators=None, estimator="LogisticRegression",
                       grid={"alpha": [0.1]}, per_class_report=False,
                       figure=[{"metric": "accuracy_score", "x": "alpha"}])
    del spec["estimators"]
    problems = _problems(_raw(e=spec))
    assert "computed from a bundled or file dataset" in problems["experiments.e.checks[0].theory"]


@pytest.mark.parametrize("change, key, reason", [
    ({"grid": {"train_size": [0.5, 1.5]}}, "grid.train_size", "in (0, 1]"),
    ({"grid": {"standardize": [True, False]}}, "grid.standardize", "also set in evaluation"),
    ({"grid": {"search_cv": ["holdout"]}}, "grid.search_cv", "needs evaluation.search"),
    ({"metrics": ["accuracy_score", "optimism"]}, "metrics[1]", "set evaluation.search"),
    ({"metrics": ["accuracy_score", "train_accuracy"]}, "metrics[1]",
     "unknown cross_validation metric 'train_accuracy'"),
])
def test_evaluation_grid_and_metric_problems(change, key, reason):
    problems = _problems(_raw(schemes=_experiment(**change)))
    assert reason in problems[f"experiments.schemes.{key}"]


def test_per_class_report_is_for_cross_validation_only():
    spec = _experiment(evaluation={"protocol": "monte_carlo", "replicates": 2})
    assert "predicts classes" in _problems(_raw(schemes=spec))[
        "experiments.schemes.per_class_report"]


@pytest.mark.parametrize("check, key, reason", [
    ({"check": "ordered", "metric": "accuracy_score", "parameter": "estimator",
      "lower": "ovr", "higher": "svm"}, "higher", "'svm' is not a value of 'estimator'"),
    ({"check": "monotone", "metric": "accuracy_score", "parameter": "alpha",
      "direction": "increasing"}, "parameter", "'alpha' is not a grid parameter"),
    ({"check": "near_theory", "metric": "accuracy_score", "theory": "one"}, "tolerance",
     "near_theory needs 'tolerance'"),
    ({"check": "near_theory", "metric": "accuracy_score", "theory": "one", "tolerance": 0,
      "factor": 2}, "factor", "near_theory does not take 'factor'"),
])
def test_comparison_check_problems(check, key, reason):
    problems = _problems(_raw(schemes=_experiment(checks=[check])))
    assert reason in problems[f"experiments.schemes.checks[0].{key}"]


# --- runner ---------------------------------------------------------------------------------


def test_stratified_folds_keep_the_class_proportions_and_predict_each_sample_once(schemes):
    run, dataset = _run(schemes, "schemes", "dataset~wine__estimator~ovr")
    y = dataset.y
    predictions = pd.DataFrame(run.predictions, columns=run.prediction_header)
    assert len(predictions) == 2 * y.shape[0]
    for replicate, group in predictions.groupby("replicate"):
        assert sorted(group["index"]) == list(range(y.shape[0]))  # once, held out
        np.testing.assert_array_equal(group["y_true"], y[group["index"]])
        for _, fold in group.groupby("fold"):
            counts = np.bincount(fold["y_true"].astype(int), minlength=3)
            expected = np.bincount(y.astype(int)) / 3
            assert np.all(np.abs(counts - expected) <= 1)  # stratified
    header = run.header
    assert header == ["dataset", "estimator", "replicate", "fold", "accuracy_score", "n_models"]
    assert [row[header.index("n_models")] for row in run.rows] == [3.0] * 6
    assert len(run.timings) == 6 and all(row[-2] > 0 for row in run.timings)
    accuracy = np.mean([row[header.index("accuracy_score")] for row in run.rows])
    assert accuracy > 0.93


def test_the_rows_do_not_depend_on_timing(schemes):
    first, _ = _run(schemes, "schemes", "dataset~iris__estimator~softmax")
    second, _ = _run(schemes, "schemes", "dataset~iris__estimator~softmax")
    assert first.rows == second.rows and first.predictions == second.predictions


def test_models_trained_count_p_and_pairs(schemes):
    experiment = schemes.experiments["schemes"]
    models = {("iris", "data"): build_dataset({"spec": {"bundled": "iris"}}),
              ("wine", "data"): build_dataset({"spec": {"bundled": "wine"}})}
    theory = theory_table(experiment, models)
    assert theory["models_trained"].tolist() == [3.0, 3.0, 1.0] * 2


def _learning_config():
    spec = _experiment(
        dataset="cancer", estimator="LogisticRegression", estimator_params={"alpha": 0.01},
        grid={"train_size": [0.1, 0.5, 1.0]},
        metrics=["zero_one_loss", "train_zero_one_loss"], checks=[], per_class_report=False,
        figure=[{"metric": "zero_one_loss", "x": "train_size"}],
    )
    del spec["estimators"]
    return load_config(_raw(curve=spec))


def test_training_subsets_are_nested_and_stratified(monkeypatch):
    from ftml.linear_model import LogisticRegression

    config = _learning_config()
    seen = {}
    original = LogisticRegression.fit

    def spy(self, X, y):
        seen.setdefault(len(y), []).append((X[:, 0].copy(), y.copy()))
        return original(self, X, y)

    monkeypatch.setattr(LogisticRegression, "fit", spy)
    rows = {}
    for point in config.experiments["curve"].points:
        run, dataset = _run(config, "curve", point)
        rows[point.params["train_size"]] = run.rows
    sizes = sorted(seen)
    # 569 rows in 3 folds: training folds of 379, 379 and 380 rows, subsampled to
    # ceil(0.1 n) and ceil(0.5 n)
    assert sizes == [38, 190, 379, 380]
    full = 379
    for size in sizes:
        X0, y = seen[size][0]
        assert abs(y.mean() - seen[full][0][1].mean()) < 0.02  # stratified subsets
    assert len(seen[38]) == 2 * 3  # one fit per (repeat, fold)
    # Nested: the first fold's smallest subset (standardised differently) comes from the
    # same rows as its larger ones: its labels are a sub-multiset.
    small, large = seen[min(sizes)][0][1], seen[full][0][1]
    assert np.sum(small == 1) <= np.sum(large == 1) and np.sum(small == 0) <= np.sum(large == 0)
    train_error = [row[-1] for row in rows[0.1]]
    assert min(train_error) >= 0 and max(train_error) < 0.2


def test_a_search_measures_its_optimism():
    spec = _experiment(
        dataset="cancer", estimator="LogisticRegression", estimator_params={},
        grid={"search_cv": ["holdout", "kfold"]},
        evaluation={"protocol": "cross_validation", "replicates": 1, "folds": 3,
                    "stratify": True, "standardize": True,
                    "search": {"parameter": "alpha", "values": [0.001, 0.1, 10.0]}},
        metrics=["accuracy_score", "selected_log10", "best_validation_score", "test_score",
                 "optimism"],
        checks=[], per_class_report=False,
        figure=[{"metric": "optimism", "x": "search_cv"}],
    )
    del spec["estimators"]
    config = load_config(_raw(search=spec))
    for point in config.experiments["search"].points:
        run, _ = _run(config, "search", point)
        for row in run.rows:
            values = dict(zip(run.header, row))
            assert values["selected_log10"] in (-3.0, -1.0, 1.0)
            assert values["test_score"] == values["accuracy_score"]
            assert values["optimism"] == pytest.approx(
                values["best_validation_score"] - values["test_score"])


# --- tables and checks ----------------------------------------------------------------------


def _write_predictions(tmp_path, experiment, rows_per_point, points_per_file=4):
    """Prediction files as training jobs write them: batches of consecutive points, each
    row led by its point's grid values."""
    names = [*experiment.grid_names, "replicate", "fold", "index", "y_true", "y_pred"]
    rows = [[*point.params.values(), *row]
            for point, point_rows in zip(experiment.points, rows_per_point)
            for row in point_rows]
    paths = []
    per_point = len(rows_per_point[0])
    for start in range(0, len(rows), points_per_file * per_point):
        path = tmp_path / f"p{len(paths)}.csv"
        pd.DataFrame(rows[start:start + points_per_file * per_point], columns=names).to_csv(
            path, index=False)
        paths.append(path)
    return paths


def test_class_report_pools_the_repeats_as_scikit_learn_would(tmp_path, schemes):
    from sklearn.metrics import classification_report, confusion_matrix

    experiment = schemes.experiments["schemes"]
    rng = np.random.default_rng(0)
    rows, pooled = [], []
    for point in experiment.points:
        y_true = rng.integers(0, 3, 40).astype(float)
        y_pred = np.where(rng.random(40) < 0.7, y_true, rng.integers(0, 3, 40))
        # every sample held out once per repeat, in one of the config's 3 folds
        rows.append([[r, i % 3, i, t, p] for r in range(2)
                     for i, (t, p) in enumerate(zip(y_true, y_pred))])
        pooled.append((np.tile(y_true, 2), np.tile(y_pred, 2)))
    paths = _write_predictions(tmp_path, experiment, rows)
    assert len(paths) == 2  # the points of one file are told apart by their grid values
    table = class_report_table(experiment, paths)
    first = table[(table["dataset"] == "iris") & (table["estimator"] == "ovr")]
    expected = classification_report(*pooled[0], output_dict=True, zero_division=0.0)
    for label in ("0", "1", "2"):
        row = first[first["class"] == label].iloc[0]
        assert row["precision"] == pytest.approx(expected[f"{label}.0"]["precision"])
        assert row["recall"] == pytest.approx(expected[f"{label}.0"]["recall"])
        assert row["support"] == expected[f"{label}.0"]["support"]
    assert first[first["class"] == "macro avg"]["f1-score"].iloc[0] == pytest.approx(
        expected["macro avg"]["f1-score"])
    params, labels, matrix = confusion_matrices(experiment, paths)[0]
    assert params == {"dataset": "iris", "estimator": "ovr"}
    assert labels.tolist() == [0, 1, 2]  # integral labels shown as integers
    np.testing.assert_array_equal(matrix, confusion_matrix(*pooled[0]))


def test_timing_table_summarises_each_point(tmp_path, schemes):
    experiment = schemes.experiments["schemes"]
    paths = []
    for index, point in enumerate(experiment.points):
        path = tmp_path / f"t{index}.csv"
        pd.DataFrame([[*point.params.values(), 0, f, 0.1 * (f + 1), 0.01] for f in range(3)],
                     columns=["dataset", "estimator", "replicate", "fold", "fit_seconds",
                              "predict_seconds"]).to_csv(path, index=False)
        paths.append(path)
    table = timing_table(experiment, paths)
    assert len(table) == 6
    assert table["median_fit_seconds"].tolist() == pytest.approx([0.2] * 6)
    assert table["total_fit_seconds"].tolist() == pytest.approx([0.6] * 6)


def _sweep(checks, values):
    """A one-parameter cross-validation experiment with hand-made fold values."""
    spec = _experiment(
        dataset="cancer", estimator="ThresholdedLogisticRegression", estimator_params={},
        grid={"threshold": [0.0, 0.5, 1.0]},
        metrics=["recall_score"], checks=checks, per_class_report=False,
        figure=[{"metric": "recall_score", "x": "threshold"}],
    )
    del spec["estimators"]
    experiment = load_config(_raw(sweep=spec)).experiments["sweep"]
    rows = [[point.params["threshold"], 0, fold, value]
            for point, point_values in zip(experiment.points, values)
            for fold, value in enumerate(point_values)]
    long = pd.DataFrame(rows, columns=["threshold", "replicate", "fold", "recall_score"])
    summary = summary_table(long, ["threshold"], ["recall_score"])
    return verdicts(experiment, long, summary, theory_table(experiment, {}))


def test_near_theory_exact_asks_every_row():
    check = {"check": "near_theory", "metric": "recall_score", "theory": "one", "tolerance": 0,
             "select": {"threshold": 0.0}}
    assert _sweep([check], [[1.0, 1.0, 1.0], [0.9] * 3, [0.0] * 3])["holds"].tolist() == [True]
    table = _sweep([check], [[1.0, 1.0, 0.99], [0.9] * 3, [0.0] * 3])
    assert table["holds"].tolist() == [False] and table["measured"].iloc[0] == 0.99


def test_near_theory_relative_tolerance():
    check = {"check": "near_theory", "metric": "recall_score", "theory": "one",
             "tolerance": 0.05}
    table = _sweep([check], [[0.97, 0.97, 0.97], [0.96] * 3, [0.9] * 3])
    assert table["holds"].tolist() == [True, True, False]


def test_monotone_reports_the_largest_step_against():
    check = {"check": "monotone", "metric": "recall_score", "parameter": "threshold",
             "direction": "decreasing"}
    assert _sweep([check], [[1.0] * 3, [0.8] * 3, [0.0] * 3])["holds"].tolist() == [True]
    table = _sweep([check], [[1.0] * 3, [0.8] * 3, [0.85] * 3])
    assert not table["holds"].iloc[0] and table["measured"].iloc[0] == pytest.approx(0.05)
    lenient = _sweep([{**check, "margin": 0.1}], [[1.0] * 3, [0.8] * 3, [0.85] * 3])
    assert lenient["holds"].tolist() == [True]


@pytest.mark.parametrize("statistic, values, holds", [
    ("mean", [[0.1, 0.2, 0.3], [0.5] * 3, [0.0] * 3], True),
    ("mean", [[0.6, 0.6, 0.6], [0.5] * 3, [0.0] * 3], False),
    ("std", [[0.5, 0.5, 0.5], [0.0, 0.5, 1.0], [0.0] * 3], True),
    ("std", [[0.0, 0.5, 1.0], [0.5] * 3, [0.0] * 3], False),
])
def test_ordered_compares_a_statistic_between_two_values(statistic, values, holds):
    check = {"check": "ordered", "metric": "recall_score", "parameter": "threshold",
             "lower": 0.0, "higher": 0.5, "statistic": statistic}
    assert _sweep([check], values)["holds"].tolist() == [holds]
