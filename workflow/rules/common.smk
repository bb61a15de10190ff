# Config validation and the input functions shared by the rules.

import json
from pathlib import Path

from snakemake.exceptions import WorkflowError

from ftml.experiments.config import ConfigError, load_config
from ftml.experiments.provenance import source_hash
from ftml.experiments.registry import ESTIMATORS

# Every check runs here, when the workflow is read: a bad config starts no job.
try:
    CONFIG = load_config(config, Path(workflow.basedir) / "workflow/schemas/config.schema.yaml")
except ConfigError as error:
    raise WorkflowError(str(error)) from None

EXPERIMENTS = list(CONFIG.experiments)
ENVIRONMENT = "../../environment.yml"


wildcard_constraints:
    experiment="[a-z][a-z0-9_]*",
    dataset="[a-z][a-z0-9_]*",
    data_id="[^/]+",
    point="[^/]+",


def experiment_json(wildcards):
    return CONFIG.experiments[wildcards.experiment].to_json()


def training_dataset(wildcards):
    experiment = CONFIG.experiments[wildcards.experiment]
    point = experiment.point(wildcards.point)
    return f"results/datasets/{experiment.spec['dataset']}/{point.data_id}.npz"


def training_code(wildcards):
    estimator = ESTIMATORS[CONFIG.experiments[wildcards.experiment].spec["estimator"]]
    return source_hash(["ftml.experiments.runner", estimator.__module__])


def experiment_runs(wildcards):
    experiment = CONFIG.experiments[wildcards.experiment]
    return [f"results/runs/{experiment.name}/{point.id}.csv" for point in experiment.points]


def experiment_datasets(wildcards):
    experiment = CONFIG.experiments[wildcards.experiment]
    files = {
        f"results/datasets/{experiment.spec['dataset']}/{point.data_id}.npz"
        for point in experiment.points
    }
    return sorted(files)
