"""Tests for ftml.experiments.runner: the rows of one training job.

Jobs are built as the workflow builds them: load_config, Config.training_job and
ftml.experiments.data.build_dataset (through save_datasets/load_datasets where it matters).
"""

import csv

import numpy as np
import pytest

from ftml.experiments.catalog import Metric, catalog
from ftml.experiments.config import load_config
from ftml.experiments.data import build_dataset, load_datasets, save_datasets
from ftml.experiments.protocols.cross_validation import cross_validate_point
from ftml.experiments.protocols.monte_carlo import run_point
from ftml.experiments.runner import run_batch, write_rows
from ftml.experiments.seeding import derive_seed

MC_METRICS = ["excess_risk", "empirical_risk", "noise_estimate", "cv_mean_squared_error"]


def config(tmp_path=None, *, alphas=(1e-10, 1e-9, 1.0), replicates=4, n_samples=40,
           points_per_job=1):
    raw = {
        "seed": 11,
        "datasets": {
            "gauss": {
                "generator": "linear_gaussian",
                "params": {"design": "fixed", "n_samples": n_samples, "n_features": 3},
            },
            "diabetes": {"bundled": "diabetes"},
        },
        "experiments": {
            "ridge": {
                "chapter": "c",
                "title": "t",
                "description": "d",
                "dataset": "gauss",
                "estimator": "Ridge",
                "estimator_params": {"fit_intercept": False},
                "grid": {"alpha": list(alphas)},
                "evaluation": {"protocol": "monte_carlo", "replicates": replicates, "folds": 3},
                "metrics": MC_METRICS,
                "figure": [{"metric": "excess_risk", "x": "alpha"}],
            },
            "cv": {
                "chapter": "c",
                "title": "t",
                "description": "d",
                "dataset": "diabetes",
                "estimator": "Ridge",
                "grid": {"alpha": [0.01, 1.0]},
                "evaluation": {"protocol": "cross_validation", "replicates": 2, "folds": 4},
                "metrics": ["mean_squared_error", "r2_score"],
                "figure": [{"metric": "mean_squared_error", "x": "alpha"}],
            },
        },
    }
    for experiment in raw["experiments"].values():
        experiment["points_per_job"] = points_per_job
    if tmp_path is not None:
        # A small file dataset with distinct targets, to see which sample lands in which fold.
        path = tmp_path / "toy.csv"
        rng = np.random.default_rng(0)
        lines = [f"{a},{b},{i}.0\n" for i, (a, b) in enumerate(rng.random((23, 2)).tolist())]
        path.write_text("a,b,y\n" + "".join(lines))
        raw["datasets"]["toy"] = {"file": str(path)}
        raw["experiments"]["cv"]["dataset"] = "toy"
    return load_config(raw)


def job_and_data(cfg, experiment, point_id):
    point = cfg.experiments[experiment].point(point_id)
    dataset = build_dataset(cfg.dataset_job(cfg.experiments[experiment].spec["dataset"],
                                            point.data_id))
    return cfg.training_job(experiment, point_id), dataset


# --- Monte Carlo ----------------------------------------------------------------------------


def test_monte_carlo_rows_follow_the_documented_header():
    job, dataset = job_and_data(config(), "ridge", "alpha~1.0")
    header, rows = run_point(job, dataset)
    assert header == ["alpha", "replicate", *MC_METRICS]
    assert len(rows) == 4
    assert [row[:2] for row in rows] == [[1.0, r] for r in range(4)]
    for row in rows:
        assert len(row) == len(header)
        values = row[2:]
        assert all(type(v) is float and np.isfinite(v) for v in values)
        excess, empirical, noise, cv = values
        assert excess > 0 and empirical > 0 and noise > 0 and cv > 0
        # n - d residual degrees of freedom: noise_estimate = n R_n / (n - d), no intercept.
        assert noise == pytest.approx(empirical * 40 / (40 - 3), rel=1e-12)
    # Independent replicates: the excess risks differ.
    assert len({row[2] for row in rows}) == 4


def test_monte_carlo_is_deterministic_and_survives_the_dataset_file(tmp_path):
    cfg = config()
    job, dataset = job_and_data(cfg, "ridge", "alpha~1.0")
    first = run_point(job, dataset)
    assert run_point(job, dataset) == first
    # As in the workflow: the dataset rule writes the model, the train rule reads it back.
    save_datasets(job["dataset"], {job["data_id"]: dataset}, tmp_path / "data.npz")
    name, models = load_datasets(tmp_path / "data.npz")
    assert name == job["dataset"] and list(models) == [job["data_id"]]
    assert run_point(job, models[job["data_id"]]) == first
    # A fresh load of the same config gives the same job and rows.
    assert run_point(*job_and_data(config(), "ridge", "alpha~1.0")) == first


def test_monte_carlo_replicate_is_the_documented_draw():
    """Replicate r fits on model.sample(derive_seed(seed, "sample", dataset, params, r))."""
    cfg = config(alphas=(1e-12,))
    job, model = job_and_data(cfg, "ridge", "alpha~1e-12")
    _, rows = run_point(job, model)
    for replicate, row in enumerate(rows):
        X, y = model.sample(derive_seed(11, "sample", "gauss", job["data_params"], replicate))
        theta = np.linalg.lstsq(X, y, rcond=None)[0]  # ridge at alpha -> 0 is OLS
        assert row[2] == pytest.approx(model.excess_risk(theta), rel=1e-8)


def test_common_random_numbers_across_hyperparameters():
    cfg = config()
    _, tiny = run_point(*job_and_data(cfg, "ridge", "alpha~1e-10"))
    _, tinier = run_point(*job_and_data(cfg, "ridge", "alpha~1e-09"))
    _, large = run_point(*job_and_data(cfg, "ridge", "alpha~1.0"))
    tiny, tinier, large = (np.array([row[2:] for row in rows]) for rows in (tiny, tinier, large))
    # Both tiny alphas are OLS on the same samples: every metric agrees replicate by
    # replicate, although it varies a lot between replicates.
    np.testing.assert_allclose(tiny, tinier, rtol=1e-6)
    assert tiny[:, 0].std() > 0.1 * tiny[:, 0].mean()
    # Same folds too: the cross-validated error agrees as closely.
    np.testing.assert_allclose(tiny[:, 3], tinier[:, 3], rtol=1e-6)
    # Ridge shrinks: on the same samples, its training error is at least OLS's.
    assert np.all(large[:, 1] >= tiny[:, 1])


@pytest.mark.parametrize("fit_intercept", [False, True])
def test_noise_estimate_is_unbiased_with_and_without_intercept(fit_intercept):
    """E[||y - y_hat||^2] = (n - p) sigma^2 for OLS with p fitted parameters (d, or d + 1
    with an intercept). With n = 10, d = 3, dividing by n - d when an intercept is fitted
    would be 14% low. 1000 replicates: accepted within 4 standard errors of sigma^2 = 1."""
    raw = {
        "seed": 5,
        "datasets": {"g": {"generator": "linear_gaussian",
                           "params": {"design": "fixed", "n_samples": 10, "n_features": 3}}},
        "experiments": {"ols": {
            "chapter": "c", "title": "t", "description": "d", "dataset": "g",
            "estimator": "OLS", "estimator_params": {"fit_intercept": fit_intercept},
            "grid": {"noise": [1.0]},
            "evaluation": {"protocol": "monte_carlo", "replicates": 1000},
            "metrics": ["noise_estimate"],
            "figure": [{"metric": "noise_estimate", "x": "noise"}],
        }},
    }
    cfg = load_config(raw)
    _, rows = run_point(*job_and_data(cfg, "ols", "noise~1.0"))
    estimates = np.array([row[2] for row in rows])
    sem = estimates.std(ddof=1) / np.sqrt(estimates.size)
    assert abs(estimates.mean() - 1.0) <= 4 * sem, (estimates.mean(), sem)


def test_a_non_finite_metric_raises_naming_it(monkeypatch):
    monkeypatch.setitem(catalog().metrics, "empirical_risk", Metric(
        "empirical_risk", "truth", lambda estimator, X, y, context: float("nan")))
    job, dataset = job_and_data(config(), "ridge", "alpha~1.0")
    with pytest.raises(FloatingPointError,
                       match=r"ridge: metric empirical_risk is nan at \{'alpha': 1\.0\}, "
                             r"replicate 0$"):
        run_point(job, dataset)


# --- cross-validation -----------------------------------------------------------------------


def cv_rows(job, dataset):
    run = cross_validate_point(job, dataset)
    return run.header, run.rows


def test_cross_validation_rows_per_replicate_and_fold():
    cfg = config()
    job, dataset = job_and_data(cfg, "cv", "alpha~0.01")
    header, rows = cv_rows(job, dataset)
    assert header == ["alpha", "replicate", "fold", "mean_squared_error", "r2_score"]
    assert [row[:3] for row in rows] == [[0.01, r, f] for r in range(2) for f in range(4)]
    assert all(np.isfinite(row[3]) and row[3] > 0 and row[4] < 1 for row in rows)
    assert cv_rows(job, dataset) == (header, rows)
    # The repeats reshuffle the folds: their errors differ.
    assert [row[3] for row in rows[:4]] != [row[3] for row in rows[4:]]


def test_cross_validation_folds_partition_the_data(tmp_path, monkeypatch):
    seen = []

    def recording_metric(y_true, y_pred):
        seen.append(np.array(y_true))
        return 1.0

    monkeypatch.setitem(catalog().metrics, "r2_score",
                        Metric("r2_score", "prediction", recording_metric))
    cfg = config(tmp_path)
    job, dataset = job_and_data(cfg, "cv", "alpha~0.01")
    y = dataset.sample()[1]
    assert sorted(y) == list(map(float, range(23)))  # distinct targets name the samples
    _, rows = cv_rows(job, dataset)
    assert len(rows) == 2 * 4 and len(seen) == 2 * 4
    for replicate in range(2):
        folds = seen[4 * replicate : 4 * replicate + 4]
        together = np.concatenate(folds)
        np.testing.assert_array_equal(np.sort(together), np.sort(y))  # disjoint, covering
        assert sorted(len(fold) for fold in folds) == [5, 6, 6, 6]
    assert [sorted(f) for f in seen[:4]] != [sorted(f) for f in seen[4:]]  # reshuffled


def test_cross_validation_sees_the_same_folds_at_every_alpha(tmp_path, monkeypatch):
    seen = []

    def recording_metric(y_true, y_pred):
        seen.append(tuple(y_true))
        return 1.0

    monkeypatch.setitem(catalog().metrics, "r2_score",
                        Metric("r2_score", "prediction", recording_metric))
    cfg = config(tmp_path)
    cv_rows(*job_and_data(cfg, "cv", "alpha~0.01"))
    first, seen[:] = list(seen), []
    cv_rows(*job_and_data(cfg, "cv", "alpha~1.0"))
    assert seen == first


def test_a_non_finite_cross_validation_metric_names_the_fold(monkeypatch):
    monkeypatch.setitem(catalog().metrics, "r2_score", Metric(
        "r2_score", "prediction", lambda y_true, y_pred: float("-inf")))
    job, dataset = job_and_data(config(), "cv", "alpha~1.0")
    with pytest.raises(FloatingPointError,
                       match=r"cv: metric r2_score is -inf at \{'alpha': 1\.0\}, "
                             r"replicate 0, fold 0$"):
        cv_rows(job, dataset)


# --- write_rows -----------------------------------------------------------------------------


def test_write_rows_keeps_every_digit(tmp_path):
    values = [1 / 3, 0.1 + 0.2, 1e-300, 123456789.12345679, -2.5e17, np.nextafter(1.0, 2.0)]
    header = ["alpha", "replicate", "risk"]
    rows = [[0.1, r, float(v)] for r, v in enumerate(values)]
    path = tmp_path / "runs" / "e" / "alpha~0.1.csv"  # parents are created
    write_rows(path, header, rows)
    with open(path, newline="") as handle:
        table = list(csv.reader(handle))
    assert table[0] == header
    assert len(table) == 1 + len(values)
    for row, written in zip(rows, table[1:]):
        assert float(written[0]) == row[0]
        assert int(written[1]) == row[1]
        assert float(written[2]) == row[2]  # exactly: repr round-trips
    assert path.read_bytes().count(b"\r") == 0
    assert [p.name for p in path.parent.iterdir()] == ["alpha~0.1.csv"]  # no temporary left


def test_write_rows_of_a_real_job_reads_back_equal(tmp_path):
    header, rows = run_point(*job_and_data(config(), "ridge", "alpha~1.0"))
    write_rows(tmp_path / "rows.csv", header, rows)
    with open(tmp_path / "rows.csv", newline="") as handle:
        table = list(csv.reader(handle))
    back = [[float(row[0]), int(row[1]), *map(float, row[2:])] for row in table[1:]]
    assert table[0] == header and back == rows


def test_cross_validation_standardises_with_training_fold_statistics_only(monkeypatch):
    """Each fold's scaler sees its training rows only: the validation rows stay unseen."""
    from ftml.experiments.config import load_config
    from ftml.experiments.data import build_dataset
    from ftml.preprocessing import StandardScaler

    config = load_config({
        "seed": 3,
        "datasets": {"cancer": {"bundled": "breast_cancer"}},
        "experiments": {"cancer": {
            "chapter": "Classification", "title": "t", "description": "d",
            "dataset": "cancer", "estimator": "LogisticRegression",
            "estimator_params": {"alpha": 0.01},
            "grid": {"fit_intercept": [True]},
            "evaluation": {"protocol": "cross_validation", "replicates": 1, "folds": 3,
                           "standardize": True},
            "metrics": ["accuracy_score"],
            "figure": [{"metric": "accuracy_score", "x": "fit_intercept"}],
        }},
    })
    experiment = config.experiments["cancer"]
    point = experiment.points[0]
    dataset = build_dataset(config.dataset_job("cancer", point.data_id))
    fitted_on = []
    original_fit = StandardScaler.fit

    def spy(self, X, y=None):
        fitted_on.append(len(X))
        return original_fit(self, X, y)

    monkeypatch.setattr(StandardScaler, "fit", spy)
    header, rows = cv_rows(config.training_job("cancer", point.id), dataset)
    assert fitted_on == [379, 379, 380]  # 569 rows in 3 folds: the training parts only
    accuracies = [row[header.index("accuracy_score")] for row in rows]
    assert min(accuracies) > 0.93  # breast cancer is easy once standardised


def test_a_training_job_imports_no_heavy_library():
    """A job pays its imports hundreds of times per run: the runner stays numpy-only."""
    import subprocess
    import sys

    code = (
        "import sys, ftml.experiments.runner, ftml.experiments.data\n"
        "heavy = {'scipy', 'pandas', 'matplotlib', 'numba', 'sklearn'}\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & heavy))"
    )
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True).stdout.strip()
    assert output == "[]"


# --- batches of points ----------------------------------------------------------------------


def _dataset_files(cfg, experiment, tmp_path):
    """Save the experiment's dataset files where the workflow would, and map each point to
    the file that holds its data."""
    paths = {}
    for file in cfg.dataset_files():
        path = tmp_path / "datasets" / file.dataset / f"{file.id}.npz"
        models = {data_id: build_dataset(cfg.dataset_job(file.dataset, data_id))
                  for data_id in file.data_ids}
        save_datasets(file.dataset, models, path)
        for data_id in file.data_ids:
            paths[file.dataset, data_id] = path
    return {point.id: paths[point.dataset, point.data_id]
            for point in cfg.experiments[experiment].points}


def _model(path, point):
    return load_datasets(path, [point.data_id])[1][point.data_id]


def test_a_monte_carlo_batch_writes_its_points_rows_one_after_the_other(tmp_path):
    single, batched = config(), config(points_per_job=2)
    paths = _dataset_files(single, "ridge", tmp_path)
    expected = []
    for point in single.experiments["ridge"].points:
        header, rows = run_point(single.training_job("ridge", point.id),
                                 _model(paths[point.id], point))
        expected += rows
    batches = batched.experiments["ridge"].batches
    assert [len(batch.points) for batch in batches] == [2, 1]
    got = []
    for batch in batches:
        batch_header, rows = run_batch(batched.training_jobs("ridge", batch.id),
                                       sorted({paths[point.id] for point in batch.points}))["rows"]
        assert batch_header == header
        got += rows
    assert got == expected


def test_a_cross_validation_batch_keeps_each_point_s_predictions_apart(tmp_path):
    single, batched = config(tmp_path), config(tmp_path, points_per_job=2)
    paths = _dataset_files(single, "cv", tmp_path)
    (batch,) = batched.experiments["cv"].batches
    outputs = run_batch(batched.training_jobs("cv", batch.id),
                        sorted({paths[point.id] for point in batch.points}))
    assert list(outputs) == ["predictions", "timings", "rows"]  # the rows written last
    rows, predictions = [], []
    for point in single.experiments["cv"].points:
        part = cross_validate_point(single.training_job("cv", point.id),
                                    _model(paths[point.id], point))
        rows += part.rows
        predictions += part.predictions
    assert outputs["rows"][1] == rows and outputs["predictions"][1] == predictions
    assert outputs["predictions"][0][:2] == ["alpha", "replicate"]  # led by the grid values
    # every sample predicted once per repeat, for each point
    assert len(predictions) == 2 * 2 * 23
    assert {row[0] for row in predictions} == {0.01, 1.0}
    assert len(outputs["timings"][1]) == len(rows)
