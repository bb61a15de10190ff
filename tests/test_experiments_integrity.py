"""A reader refuses a result file that differs from what its job wrote, or lacks what its
config promises; a failing job says in one line what failed and where."""

import errno

import pandas as pd
import pytest

from ftml.experiments.config import load_config
from ftml.experiments.integrity import (
    IncompleteResultError,
    ManifestReader,
    read_verified_csv,
    require_complete,
    write_manifest,
)
from ftml.experiments.jobs import job_logging


@pytest.fixture
def written(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "rows.csv"
    path.write_text("alpha,replicate,value\n0.1,0,1.5\n0.1,1,2.5\n1.0,0,3.5\n1.0,1,4.5\n")
    write_manifest([path], tmp_path / "manifest.json")
    return path, tmp_path / "manifest.json"


def test_an_untouched_file_reads_as_written(written):
    path, manifest = written
    assert read_verified_csv(path, manifest).shape == (4, 3)
    assert ManifestReader([manifest]).read_csv(path)["value"].tolist() == [1.5, 2.5, 3.5, 4.5]


@pytest.mark.parametrize("damage", [
    lambda text: text[: len(text) // 2],          # cut mid-line
    lambda text: text.rsplit("\n", 2)[0] + "\n",  # a whole row gone
    lambda text: text.replace("3.5", "3.6"),      # a value edited
    lambda text: "",                              # emptied
])
def test_a_damaged_file_is_refused_naming_it_and_the_fix(written, damage):
    path, manifest = written
    path.write_text(damage(path.read_text()))
    with pytest.raises(IncompleteResultError) as info:
        ManifestReader([manifest]).read_csv(path)
    message = str(info.value)
    assert f"{path} is not the file its job wrote" in message
    assert "where the job wrote 4" in message
    assert f"rm {path} && snakemake --cores all" in message


def test_a_file_no_manifest_lists_is_refused(written, tmp_path):
    _, manifest = written
    other = tmp_path / "other.csv"
    other.write_text("a\n1\n")
    with pytest.raises(IncompleteResultError, match="is in no manifest"):
        ManifestReader([manifest]).read_csv(other)
    (tmp_path / "broken.json").write_text("{")
    with pytest.raises(IncompleteResultError, match="cannot be read"):
        ManifestReader([tmp_path / "broken.json"])


def _experiment(protocol="monte_carlo", **evaluation):
    spec = {"protocol": protocol, "replicates": 2, **evaluation}
    raw = {
        "seed": 1,
        "datasets": {"g": {"generator": "linear_gaussian",
                           "params": {"n_samples": 20, "n_features": 2}},
                     "iris": {"bundled": "iris"}},
        "experiments": {"e": {
            "chapter": "c", "title": "t", "description": "d",
            "dataset": "g" if protocol == "monte_carlo" else "iris",
            "estimator": "Ridge" if protocol == "monte_carlo" else "SoftmaxRegression",
            "grid": {"alpha": [0.1, 1.0]}, "evaluation": spec,
            "metrics": ["excess_risk" if protocol == "monte_carlo" else "accuracy_score"],
            "checks": [],
            "figure": [{"metric": "excess_risk" if protocol == "monte_carlo"
                        else "accuracy_score", "x": "alpha"}],
        }},
    }
    return load_config(raw).experiments["e"]


def test_a_complete_monte_carlo_table_passes_and_each_gap_is_named():
    experiment = _experiment()
    long = pd.DataFrame({"alpha": [0.1, 0.1, 1.0, 1.0], "replicate": [0, 1, 0, 1],
                         "excess_risk": [1.0] * 4})
    require_complete(experiment, long, "rows.csv")
    problems = experiment.protocol.missing_rows(experiment, long.iloc[:3])
    assert problems == ["point alpha~1.0 lacks 1 of its 2 runs ((1,)...)"]
    assert experiment.protocol.missing_rows(experiment, long.iloc[:2]) == [
        "point alpha~1.0 has no rows"]
    repeated = pd.concat([long, long.iloc[:1]])
    assert experiment.protocol.missing_rows(experiment, repeated) == [
        "point alpha~0.1 repeats the run(s) [(0,)]"]
    stray = pd.concat([long, pd.DataFrame({"alpha": [5.0], "replicate": [0],
                                           "excess_risk": [1.0]})])
    assert experiment.protocol.missing_rows(experiment, stray) == [
        "rows of {'alpha': 5.0}, which is no grid point"]
    with pytest.raises(IncompleteResultError, match=r"e: the rows of rows.csv are not all "
                       r"that the config promises: point alpha~1.0 has no rows\. Delete"):
        require_complete(experiment, long.iloc[:2], "rows.csv")


def test_cross_validation_needs_every_fold_of_every_repeat():
    experiment = _experiment("cross_validation", folds=3)
    rows = [[alpha, r, f, 0.9] for alpha in (0.1, 1.0) for r in range(2) for f in range(3)]
    long = pd.DataFrame(rows, columns=["alpha", "replicate", "fold", "accuracy_score"])
    require_complete(experiment, long, "rows.csv")
    assert experiment.protocol.missing_rows(experiment, long.drop(index=4)) == [
        "point alpha~0.1 lacks 1 of its 6 runs ((1, 1)...)"]


def test_a_failing_job_says_what_and_where_in_its_log_and_on_the_console(tmp_path, capsys):
    log = tmp_path / "job.log"
    with pytest.raises(OSError):
        with job_logging(log, "tabulate"):
            raise OSError(errno.ENOSPC, "No space left on device", "results/tables/x.csv")
    first = log.read_text().splitlines()[0]
    assert first == "tabulate failed: No space left on device: results/tables/x.csv"
    assert first in capsys.readouterr().err


def test_a_job_whose_log_cannot_be_written_still_says_why(tmp_path, capsys):
    log = tmp_path / "missing-directory" / "job.log"
    with pytest.raises(ValueError):
        with job_logging(log, "plot"):
            raise ValueError("bad panel")
    err = capsys.readouterr().err
    assert "plot: cannot write its log: No such file or directory" in err
    assert "plot failed: ValueError: bad panel" in err


def _predictions(tmp_path, rows):
    path = tmp_path / "predictions.csv"
    pd.DataFrame(rows, columns=["alpha", "replicate", "fold", "index", "y_true", "y_pred"]
                 ).to_csv(path, index=False)
    return path


def _complete_predictions():
    # 2 repeats x 3 folds over 6 samples, each held out once per repeat
    return [[alpha, r, f, i, i % 3, i % 3] for alpha in (0.1, 1.0) for r in range(2)
            for f in range(3) for i in (2 * f, 2 * f + 1)]


def test_out_of_fold_predictions_must_cover_every_fold_and_sample(tmp_path):
    from ftml.experiments.tables import confusion_matrices

    experiment = _experiment("cross_validation", folds=3)
    rows = _complete_predictions()
    assert len(confusion_matrices(experiment, [_predictions(tmp_path, rows)])) == 2
    missing_fold = [row for row in rows if not (row[0] == 1.0 and row[1] == 1 and row[2] == 2)]
    with pytest.raises(IncompleteResultError, match="point alpha~1.0 holds 5 of its 6 "
                                                    r"\(replicate, fold\) runs"):
        confusion_matrices(experiment, [_predictions(tmp_path, missing_fold)])
    missing_sample = [row for row in rows if not (row[0] == 0.1 and row[1] == 1 and row[3] == 5)]
    with pytest.raises(IncompleteResultError, match="does not predict each sample once"):
        confusion_matrices(experiment, [_predictions(tmp_path, missing_sample)])
