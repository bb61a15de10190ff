"""The workflow refuses what it cannot trust, on a small config of its own.

Fault injection: a run file cut mid-line, a user's data file edited, a table and a figure
deleted, a config key given twice, a user's own ``--configfile``, a job that cannot write;
and class names as targets, kept through the class report.
"""

import os
import random
import shutil

import pandas as pd
import pytest
import yaml

from test_workflow import make_copy, planned_outputs, snakemake

pytestmark = pytest.mark.workflow


def _pets(path, rows=90, seed=0):
    """A CSV whose target column holds class names: cat, dog, bird."""
    rng = random.Random(seed)
    lines = ["weight,height,animal"]
    for _ in range(rows):
        animal = rng.choice(["cat", "dog", "bird"])
        centre = {"cat": 4.0, "dog": 20.0, "bird": 0.5}[animal]
        lines.append(f"{centre + rng.gauss(0, 1):.4f},{centre / 2 + rng.gauss(0, 1):.4f},{animal}")
    path.write_text("\n".join(lines) + "\n")


def _config(data_file):
    return {
        "seed": 4,
        "datasets": {
            "gauss": {"generator": "linear_gaussian",
                      "params": {"design": "fixed", "n_features": 3, "noise": 1.0}},
            "pets": {"file": str(data_file)},
        },
        "experiments": {
            "ols": {
                "chapter": "c", "title": "OLS", "description": "d", "dataset": "gauss",
                "estimator": "OLS", "estimator_params": {"fit_intercept": False},
                "grid": {"n_samples": [20, 40, 80]},
                "evaluation": {"protocol": "monte_carlo", "replicates": 50},
                "points_per_job": 2,
                "metrics": ["excess_risk"],
                "checks": [{"check": "matches_theory", "metric": "excess_risk",
                            "theory": "ols_fixed_design_excess_risk"}],
                "figure": [{"metric": "excess_risk", "x": "n_samples",
                            "theory": ["ols_fixed_design_excess_risk"]}],
            },
            "pets": {
                "chapter": "c", "title": "Pets", "description": "d", "dataset": "pets",
                "estimator": "SoftmaxRegression", "estimator_params": {},
                "grid": {"alpha": [0.01, 1.0]},
                "evaluation": {"protocol": "cross_validation", "replicates": 1, "folds": 3,
                               "stratify": True, "standardize": True},
                "per_class_report": True,
                "metrics": ["accuracy_score"],
                "checks": [],
                "figure": [{"metric": "accuracy_score", "x": "alpha"}],
            },
        },
    }


@pytest.fixture(scope="module")
def trusted_run(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("trust")
    data = workdir / "pets.csv"
    _pets(data)
    make_copy(workdir, _config(data), with_ftml=True)
    snakemake(workdir, "--cores", "2")
    return workdir


def _copy(run, destination):
    shutil.copytree(run, destination, symlinks=True)
    config = yaml.safe_load((destination / "config" / "config.yaml").read_text())
    config["datasets"]["pets"]["file"] = str(destination / "pets.csv")
    (destination / "config" / "config.yaml").write_text(yaml.safe_dump(config, sort_keys=False))
    snakemake(destination, "--cores", "1", "--touch")  # the copy's files are up to date
    return destination


def test_class_names_stay_names_in_the_class_report(trusted_run):
    classes = pd.read_csv(trusted_run / "results/tables/pets.classes.csv")
    assert {"bird", "cat", "dog"} <= set(classes["class"])
    predictions = pd.concat(pd.read_csv(path) for path in
                            (trusted_run / "results/predictions/pets").glob("*.csv"))
    assert set(predictions["y_true"]) == {"bird", "cat", "dog"}
    verdicts = pd.read_csv(trusted_run / "results/verdicts.csv")
    assert verdicts["holds"].all() and len(verdicts) == 3


def test_a_truncated_run_file_fails_its_reader_naming_the_file_and_the_fix(trusted_run,
                                                                          tmp_path):
    workdir = _copy(trusted_run, tmp_path / "w")
    before = (workdir / "results/verdicts.csv").read_bytes()
    run = workdir / "results/runs/ols/points-1-2.csv"
    text = run.read_text()
    run.write_text(text[: len(text) // 2 + 7])  # cut mid-line
    process = snakemake(workdir, "--cores", "2", check=False)
    assert process.returncode != 0
    output = process.stdout + process.stderr
    assert "results/runs/ols/points-1-2.csv is not the file its job wrote" in output
    assert "rm results/runs/ols/points-1-2.csv && snakemake --cores all" in output
    assert (workdir / "results/verdicts.csv").read_bytes() == before  # nothing shrank
    log = (workdir / "results/logs/evaluate/ols.log").read_text()
    assert log.startswith("evaluate failed: IncompleteResultError: ")
    # The advertised fix works: the job reruns and the tables come back.
    run.unlink()
    snakemake(workdir, "--cores", "2")
    assert (workdir / "results/verdicts.csv").read_bytes() == before


def test_a_run_missing_points_fails_even_with_a_consistent_manifest(trusted_run, tmp_path):
    from ftml.experiments.integrity import write_manifest

    workdir = _copy(trusted_run, tmp_path / "w")
    run = workdir / "results/runs/ols/points-1-2.csv"
    lines = run.read_text().splitlines(keepends=True)
    run.write_text("".join(lines[:40]))  # whole rows removed, and the manifest rewritten
    os.chdir(workdir)
    try:
        write_manifest(["results/runs/ols/points-1-2.csv"],
                       "results/manifests/runs/ols/points-1-2.json")
    finally:
        os.chdir(tmp_path)
    process = snakemake(workdir, "--cores", "2", check=False)
    assert process.returncode != 0
    assert "lacks" in process.stdout + process.stderr  # the points and runs it misses


def test_editing_the_data_file_reruns_exactly_what_reads_it(trusted_run, tmp_path):
    workdir = _copy(trusted_run, tmp_path / "w")
    assert planned_outputs(workdir) == set()
    _pets(workdir / "pets.csv", seed=1)
    planned = planned_outputs(workdir)
    assert "results/datasets/pets/data.npz" in planned
    assert "results/tables/pets.csv" in planned
    assert not any("/ols" in path or path.endswith("ols.csv") for path in planned)
    snakemake(workdir, "--cores", "2")
    assert planned_outputs(workdir) == set()


def test_a_deleted_table_or_figure_is_rebuilt_by_a_plain_run(trusted_run, tmp_path):
    workdir = _copy(trusted_run, tmp_path / "w")
    (workdir / "results/tables/ols.summary.csv").unlink()
    (workdir / "results/figures/pets.svg").unlink()
    (workdir / "results/figures/pets.confusion.svg").unlink()
    planned = planned_outputs(workdir)
    assert {"results/tables/ols.summary.csv", "results/figures/pets.svg",
            "results/figures/pets.confusion.svg"} <= planned
    snakemake(workdir, "--cores", "2")
    assert (workdir / "results/tables/ols.summary.csv").is_file()


def test_a_key_given_twice_is_refused_naming_it_and_its_lines(trusted_run, tmp_path):
    workdir = _copy(trusted_run, tmp_path / "w")
    path = workdir / "config/config.yaml"
    path.write_text(path.read_text() + "seed: 5\n")
    process = snakemake(workdir, "--cores", "2", "--dry-run", check=False)
    assert process.returncode != 0
    output = process.stdout + process.stderr
    assert "seed: given twice in config/config.yaml, on lines 1 and" in output
    assert "Traceback" not in output


def test_a_users_configfile_runs_its_experiments_alone(trusted_run, tmp_path):
    workdir = _copy(trusted_run, tmp_path / "w")
    mine = yaml.safe_load((workdir / "config/config.yaml").read_text())
    del mine["experiments"]["pets"]
    mine["experiments"]["ols_alone"] = mine["experiments"].pop("ols")
    (workdir / "mine.yaml").write_text(yaml.safe_dump(mine, sort_keys=False))
    planned = planned_outputs(workdir, "--configfile", "mine.yaml")
    assert "results/tables/ols_alone.csv" in planned
    assert not any("pets" in path for path in planned)
    assert "results/tables/ols.csv" not in planned


def test_a_job_that_cannot_write_says_what_and_where(trusted_run, tmp_path):
    """A write refused by the system (here: files limited to 16 kB, as a full disk would
    refuse them) fails the job with the reason and the path, in its log and in
    Snakemake's output."""
    import resource
    import subprocess
    import sys

    from test_workflow import snakemake_env

    workdir = _copy(trusted_run, tmp_path / "w")
    (workdir / "results/figures/ols.png").unlink()
    limit = 16 * 1024

    def small_files():
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    process = subprocess.run(
        [sys.executable, "-m", "snakemake", "--cores", "1", "results/figures/ols.png"],
        cwd=workdir, env=snakemake_env(workdir), capture_output=True, text=True,
        timeout=600, preexec_fn=small_files)
    assert process.returncode != 0
    first = (workdir / "results/logs/evaluate/ols.log").read_text().splitlines()[0]
    assert first == "evaluate failed: File too large: results/figures/ols.png"
    assert first in process.stdout + process.stderr
