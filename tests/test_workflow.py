"""The workflow end to end, on the smoke config, in throw-away copies of the repository.

These tests run Snakemake itself: a plain ``snakemake --cores N`` builds the report; tables
are byte-identical whatever ``--cores``; a run killed mid-training resumes; editing one
experiment (or one ftml module) reruns only what it affects; a bad config starts no job; and
a new experiment is a config edit.
"""

import html
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
import yaml

from ftml.experiments.catalog import catalog
from ftml.experiments.config import load_config

pytestmark = pytest.mark.workflow

REPO = Path(__file__).resolve().parents[1]
SMOKE_CONFIG = REPO / "tests" / "smoke" / "config.yaml"
WORKFLOW_FILES = ["Snakefile", "workflow", "config", "profiles", "environment.yml"]
VERDICT_COLUMNS = ["experiment", "claim", "predicted", "measured", "tolerance", "holds"]


def make_copy(destination, config=None, *, with_ftml=False):
    """Copy the workflow into ``destination``, with the smoke config (or ``config``) as its
    config/config.yaml; with ``with_ftml``, a private copy of the ftml package too."""
    destination.mkdir(parents=True, exist_ok=True)
    for name in WORKFLOW_FILES:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, destination / name)
        else:
            shutil.copy2(source, destination / name)
    if with_ftml:
        shutil.copytree(REPO / "ftml", destination / "ftml",
                        ignore=shutil.ignore_patterns("__pycache__"))
    text = SMOKE_CONFIG.read_text() if config is None else yaml.safe_dump(config, sort_keys=False)
    (destination / "config" / "config.yaml").write_text(text)
    return destination


def snakemake_env(workdir):
    env = dict(os.environ)
    if (workdir / "ftml").is_dir():  # the private copy shadows the installed package
        env["PYTHONPATH"] = os.pathsep.join([str(workdir), env.get("PYTHONPATH", "")])
    return env


def snakemake(workdir, *args, check=True):
    """Run ``snakemake *args`` in ``workdir`` and return the finished process."""
    process = subprocess.run(
        [sys.executable, "-m", "snakemake", *args],
        cwd=workdir,
        env=snakemake_env(workdir),
        capture_output=True,
        text=True,
        timeout=600,
    )
    if check and process.returncode != 0:
        pytest.fail(f"snakemake {' '.join(args)} failed:\n{process.stdout}\n{process.stderr}")
    return process


def planned_outputs(workdir, *args):
    """The output files a dry run would build."""
    process = snakemake(workdir, "--dry-run", *args)
    lines = re.findall(r"^\s+output: (.+)$", process.stdout, re.MULTILINE)
    return {path for line in lines for path in line.split(", ")}


def result_bytes(workdir, patterns=("results/tables/*.csv", "results/verdicts.csv")):
    files = sorted(path for pattern in patterns for path in workdir.glob(pattern))
    return {str(path.relative_to(workdir)): path.read_bytes() for path in files}


@pytest.fixture(scope="module")
def finished_run(tmp_path_factory):
    """The smoke workflow, run once with a plain ``snakemake --cores 2``."""
    workdir = make_copy(tmp_path_factory.mktemp("run"), with_ftml=True)
    snakemake(workdir, "--cores", "2")
    return workdir


def test_plain_snakemake_builds_the_report_and_every_claim_holds(finished_run):
    config = yaml.safe_load(SMOKE_CONFIG.read_text())
    batches = {name: experiment.batches
               for name, experiment in load_config(config).experiments.items()}
    report = (finished_run / "results" / "report.html").read_text()
    verdicts = pd.read_csv(finished_run / "results" / "verdicts.csv")
    assert list(verdicts.columns) == VERDICT_COLUMNS
    assert verdicts["holds"].all(), verdicts[~verdicts["holds"]].to_string()
    for name, experiment in config["experiments"].items():
        assert html.escape(experiment["title"]) in report  # "Lloyd's" is escaped
        long = pd.read_csv(finished_run / "results" / "tables" / f"{name}.csv")
        evaluation = experiment["evaluation"]
        n_points = len(experiment.get("solvers", [None]))
        columns = list(experiment["grid"])
        if "estimators" in experiment:
            n_points *= len(experiment["estimators"])
            columns.insert(0, "estimator")
        if isinstance(experiment["dataset"], list):
            n_points *= len(experiment["dataset"])
            columns.insert(0, "dataset")
        for values in experiment["grid"].values():
            n_points *= len(values)
        summary = pd.read_csv(finished_run / "results" / "tables" / f"{name}.summary.csv")
        assert {"mean", "std", "ci95_low", "ci95_high"} <= set(summary.columns)
        assert list(long.columns[: len(columns)]) == columns
        assert set(experiment["metrics"]) <= set(long.columns)
        if evaluation["protocol"] == "optimization":
            # one row per recorded iteration: at least the start and one step per run
            assert long.groupby(["solver", "replicate"]).size().min() >= 2
            assert len(summary) == len(long[long["replicate"] == 0]) * len(experiment["metrics"])
            assert not long["diverged"].any()
            continue
        if evaluation["protocol"] == "iterative":
            # one row per iteration of each run, from the start (0); the summary carries a
            # run that stopped to its point's longest, so every row averages every replicate
            runs = long.groupby([*columns, "replicate"])["iteration"]
            assert (runs.min() == 0).all() and (runs.size() == runs.max() + 1).all()
            assert runs.ngroups == n_points * evaluation["replicates"]
            longest = long.groupby(columns)["iteration"].max() + 1
            assert len(summary) == longest.sum() * len(experiment["metrics"])
            assert (summary["count"] == evaluation["replicates"]).all()
            continue
        per_point = evaluation["replicates"] * (
            evaluation["folds"] if evaluation["protocol"] == "cross_validation" else 1
        )
        assert len(long) == n_points * per_point
        assert len(summary) == n_points * len(experiment["metrics"])
        assert (summary["ci95_low"] <= summary["mean"]).all()
        for suffix in ("png", "svg"):
            assert (finished_run / "results" / "figures" / f"{name}.{suffix}").stat().st_size > 0
        runs = sorted((finished_run / "results" / "runs" / name).glob("*.csv"))
        assert len(runs) == len(batches[name])  # a file per job, as sized by cost
        if evaluation["protocol"] == "cross_validation":
            timings = sorted((finished_run / "results" / "timings" / name).glob("*.csv"))
            assert len(timings) == len(runs)
            assert sum(len(pd.read_csv(path)) for path in timings) == n_points * per_point
            assert all((pd.read_csv(path)["fit_seconds"] > 0).all() for path in timings)
            paths = sorted((finished_run / "results" / "predictions" / name).glob("*.csv"))
            assert len(paths) == len(runs)
            repeats = 0
            predicts = hasattr(catalog().estimators[experiment.get(
                "estimator") or next(iter(experiment["estimators"].values()))["estimator"]]
                .factory(), "predict")
            for path in paths if predicts else ():  # each sample held out once per repeat
                predictions = pd.read_csv(path)
                per_repeat = predictions.groupby([*columns, "replicate"])["index"]
                assert per_repeat.nunique().tolist() == per_repeat.size().tolist()
                repeats += len(per_repeat)
            # a transformer (PCA) predicts nothing: its prediction files hold no row
            assert repeats == (n_points * evaluation["replicates"] if predicts else 0)
            if not predicts:
                assert all(len(pd.read_csv(path)) == 0 for path in paths)
        if experiment.get("per_class_report"):
            classes = pd.read_csv(finished_run / "results" / "tables" / f"{name}.classes.csv")
            assert {"precision", "recall", "f1-score", "support"} <= set(classes.columns)
            assert (finished_run / "results" / "figures" / f"{name}.confusion.png").exists()
    # every figure is embedded: the page stands alone
    per_class = sum(bool(e.get("per_class_report")) for e in config["experiments"].values())
    assert report.count("data:image/png;base64,") == len(config["experiments"]) + per_class
    assert 'src="http' not in report and "src='http" not in report


def test_tables_are_byte_identical_whatever_the_cores_and_the_batches(finished_run, tmp_path):
    """One core instead of two, and every experiment batched otherwise: one point per job
    instead of the jobs sized by cost."""
    config = yaml.safe_load(SMOKE_CONFIG.read_text())
    for experiment in config["experiments"].values():
        experiment["points_per_job"] = 1
    workdir = make_copy(tmp_path / "one_core", config)
    snakemake(workdir, "--cores", "1")
    patterns = ("results/tables/*.csv", "results/verdicts.csv", "results/figures/*.svg")
    expected = result_bytes(finished_run, patterns)
    assert result_bytes(workdir, patterns) == expected
    assert len(expected) > 10
    assert any(name.endswith(".classes.csv") for name in expected)
    # The prediction files are cut differently; their rows are the same, byte for byte.
    assert prediction_rows(workdir) == prediction_rows(finished_run) != {}


def prediction_rows(workdir):
    """Each experiment's prediction header and its sorted rows, whatever the files."""
    rows = {}
    for path in sorted(workdir.glob("results/predictions/*/*.csv")):
        header, *lines = path.read_bytes().splitlines()
        rows.setdefault((path.parent.name, header), []).extend(lines)
    return {key: sorted(lines) for key, lines in rows.items()}


# Resuming is per job, whatever the experiment: the kill tests run one experiment of each
# protocol (Monte Carlo, cross-validation with per-class outputs, optimisation), a third of
# the smoke config's jobs.
RESUMED_EXPERIMENTS = ("ols_excess_risk", "multiclass_schemes", "gd_rates")


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_a_run_killed_mid_training_resumes_to_the_same_tables(finished_run, tmp_path, sig):
    config = yaml.safe_load(SMOKE_CONFIG.read_text())
    config["experiments"] = {name: config["experiments"][name] for name in RESUMED_EXPERIMENTS}
    workdir = make_copy(tmp_path / "killed", config)
    process = subprocess.Popen(
        [sys.executable, "-m", "snakemake", "--cores", "2"],
        cwd=workdir,
        env=snakemake_env(workdir),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while not list(workdir.glob("results/runs/*/*.csv")):
        assert process.poll() is None, "snakemake ended before any training job finished"
        assert time.monotonic() < deadline, "no training job finished in 2 minutes"
        time.sleep(0.05)
    os.killpg(process.pid, sig)
    # On SIGTERM Snakemake waits for its running jobs, and a batch of grid points can take
    # tens of seconds on a loaded machine (one CI run exceeded 60 s here).
    process.wait(timeout=240)
    assert not (workdir / "results" / "report.html").exists(), "killed too late to test"
    if sig == signal.SIGKILL:
        # A hard kill leaves Snakemake's lock behind; the README says to unlock first.
        snakemake(workdir, "--unlock")
    snakemake(workdir, "--cores", "2")
    patterns = [f"results/{kind}/{name}{suffix}" for name in RESUMED_EXPERIMENTS
                for kind, suffix in (("tables", "*.csv"), ("verdicts", ".csv"),
                                     ("predictions", "/*.csv"))]
    resumed = result_bytes(workdir, patterns)
    assert resumed == result_bytes(finished_run, patterns)
    assert any("predictions" in name for name in resumed) and len(resumed) > 12


def test_editing_one_experiment_reruns_only_its_jobs(finished_run, tmp_path):
    config = yaml.safe_load(SMOKE_CONFIG.read_text())
    config["experiments"]["ols_random_design"]["evaluation"]["replicates"] = 301
    edited = tmp_path / "edited.yaml"
    edited.write_text(yaml.safe_dump(config, sort_keys=False))
    outputs = planned_outputs(finished_run, "--configfile", str(edited))
    runs = {path for path in outputs if path.startswith("results/runs/")}
    assert runs and all(path.startswith("results/runs/ols_random_design/") for path in runs)
    tables = {path for path in outputs if path.startswith("results/tables/")}
    assert tables and all("ols_random_design" in path for path in tables)
    assert "results/report.html" in outputs

    # A figure or a check is not a training job's business.
    config = yaml.safe_load(SMOKE_CONFIG.read_text())
    config["experiments"]["ols_excess_risk"]["figure"][0]["logy"] = False
    config["experiments"]["ols_excess_risk"]["checks"][0]["level"] = 0.05
    edited.write_text(yaml.safe_dump(config, sort_keys=False))
    outputs = planned_outputs(finished_run, "--configfile", str(edited))
    assert not any(path.startswith(("results/runs/", "results/datasets/")) for path in outputs)
    assert "results/figures/ols_excess_risk.png" in outputs


def test_editing_an_ftml_module_reruns_exactly_the_jobs_that_import_it(finished_run, tmp_path):
    workdir = tmp_path / "edited_ftml"
    shutil.copytree(finished_run, workdir)  # copy2 keeps the timestamps: nothing to redo
    assert planned_outputs(workdir) == set()
    # Ridge is built on OLS's module, not the other way round.
    with open(workdir / "ftml" / "linear_model" / "_ridge.py", "a") as handle:
        handle.write("\n# an edit\n")
    runs = {p for p in planned_outputs(workdir) if p.startswith("results/runs/")}
    config = yaml.safe_load(SMOKE_CONFIG.read_text())
    ridge_experiments = {
        name for name, experiment in config["experiments"].items()
        if experiment.get("estimator") == "Ridge"
    }
    assert {path.split("/")[2] for path in runs} == ridge_experiments

    with open(workdir / "ftml" / "experiments" / "plots.py", "a") as handle:
        handle.write("\n# an edit\n")
    with open(workdir / "ftml" / "linear_model" / "_ridge.py", "w") as handle:
        handle.write((REPO / "ftml" / "linear_model" / "_ridge.py").read_text())
    # The figures are drawn by the job that also tabulates and checks (one process per
    # experiment): it reruns, no training job does.
    outputs = planned_outputs(workdir)
    assert {path for path in outputs if "figures" in path} and not {
        path for path in outputs if path.startswith(("results/runs/", "results/datasets/"))
    }


def test_values_from_the_command_line_do_not_rerun_anything(finished_run):
    assert planned_outputs(finished_run, "--config", "seed=7") == set()


def test_a_bad_config_is_rejected_before_any_job_runs(tmp_path):
    config = yaml.safe_load(SMOKE_CONFIG.read_text())
    config["experiments"]["ols_excess_risk"]["estimator"] = "OLSS"
    config["experiments"]["ridge_bias_variance"]["grid"]["alpha"] = []
    workdir = make_copy(tmp_path / "bad", config)
    process = snakemake(workdir, "--cores", "2", check=False)
    assert process.returncode != 0
    message = process.stdout + process.stderr
    assert "experiments.ridge_bias_variance.grid.alpha" in message
    assert "should be non-empty" in message
    assert not (workdir / "results").exists()

    del config["experiments"]["ridge_bias_variance"]["grid"]["alpha"]
    config["experiments"]["ridge_bias_variance"]["grid"]["lambda"] = [0.1]
    workdir = make_copy(tmp_path / "bad_names", config)
    process = snakemake(workdir, "--cores", "2", check=False)
    message = process.stdout + process.stderr
    assert process.returncode != 0
    assert "experiments.ols_excess_risk.estimator: unknown estimator 'OLSS'" in message
    assert "experiments.ridge_bias_variance.grid.lambda" in message
    assert not (workdir / "results").exists()


def test_a_new_experiment_is_a_config_edit(finished_run, tmp_path):
    workdir = tmp_path / "extended"
    shutil.copytree(finished_run, workdir)
    config = yaml.safe_load(SMOKE_CONFIG.read_text())
    config["experiments"]["ridge_random_design"] = {
        "chapter": "Least squares",
        "title": "Ridge against OLS in random design",
        "description": "A new experiment written as configuration only.",
        "dataset": "gaussian_random_design",
        "estimator": "Ridge",
        "estimator_params": {"fit_intercept": False},
        "grid": {"n_samples": [30, 60], "n_features": [5], "alpha": [0.01, 1.0]},
        "evaluation": {"protocol": "monte_carlo", "replicates": 50},
        "metrics": ["excess_risk", "empirical_risk"],
        "figure": [{"metric": "excess_risk", "x": "n_samples", "hue": "alpha",
                    "theory": [], "logx": True}],
    }
    (workdir / "config" / "config.yaml").write_text(yaml.safe_dump(config, sort_keys=False))
    planned = planned_outputs(workdir)
    assert {p.split("/")[2] for p in planned if p.startswith("results/runs/")} == {
        "ridge_random_design"
    }
    snakemake(workdir, "--cores", "2")
    report = (workdir / "results" / "report.html").read_text()
    assert "Ridge against OLS in random design" in report
    long = pd.read_csv(workdir / "results" / "tables" / "ridge_random_design.csv")
    assert list(long.columns) == ["n_samples", "n_features", "alpha", "replicate",
                                  "excess_risk", "empirical_risk"]
    assert len(long) == 4 * 50


def test_lint_and_snakemake_report(finished_run):
    snakemake(finished_run, "--lint")
    snakemake(finished_run, "--report", "snakemake_report.html")
    assert (finished_run / "snakemake_report.html").stat().st_size > 0


def test_the_shipped_config_plans_its_jobs(tmp_path):
    workdir = make_copy(tmp_path / "full", yaml.safe_load((REPO / "config/config.yaml").read_text()))
    process = snakemake(workdir, "--dry-run")
    total = int(re.search(r"^total\s+(\d+)$", process.stdout, re.MULTILINE).group(1))
    assert 50 <= total <= 1000
