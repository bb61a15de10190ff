# Config validation and the input functions shared by the rules.

import functools
import json
import math
from pathlib import Path

from snakemake.exceptions import WorkflowError

from ftml.experiments.config import ConfigError, load_config
from ftml.experiments.config._yaml import duplicate_keys
from ftml.experiments.provenance import source_hash

# Every check runs here, when the workflow is read: a bad config starts no job. The shapes
# of real data sets, read once for the data-dependent limits, are cached by content beside
# Snakemake's own state.
# A key given twice in a config file would silently keep the last: refuse it first.
REPEATED = [
    (key, f"given twice in {path}, on lines {first} and {again}")
    for path in (workflow.overwrite_configfiles or workflow.configfiles)
    for key, first, again in duplicate_keys(path)
]
if REPEATED:
    raise WorkflowError(str(ConfigError(REPEATED)))
try:
    CONFIG = load_config(config, Path(workflow.basedir) / "workflow/schemas/config.schema.yaml",
                         cache_dir=Path(".snakemake") / "ftml")
except ConfigError as error:
    raise WorkflowError(str(error)) from None

EXPERIMENTS = list(CONFIG.experiments)
# Experiments whose training jobs also write held-out predictions and fit times (rule
# cross_validate); the others write their rows only (rule train).
PREDICTING = [name for name, experiment in CONFIG.experiments.items()
              if experiment.protocol.predicts_classes]
ROWS_ONLY = [name for name in EXPERIMENTS if name not in PREDICTING]
PER_CLASS = [name for name in PREDICTING
             if CONFIG.experiments[name].spec.get("per_class_report")]
ENVIRONMENT = "../../environment.yml"

# What a job of any rule needs, measured on config/config.yaml (README, "Running on a SLURM
# cluster"). Threads: 1 (every job runs with one BLAS thread). Memory: each job's work peaks
# at 255-313 MB in a fresh process even with the config loaded beside it (the evaluate jobs
# highest) and, in a cluster job, Snakemake's two processes add 192 MB each: about 700 MB,
# requested as 1000 MB (margin 1.4x). Runtime: the slowest job, validation_vs_cv's k-fold
# search, took 11.6 s (26 s on a loaded machine, 36 s before batching), and a cluster job
# adds up to 8 s of Snakemake start-up: 2 minutes, SLURM's unit, for every rule but
# training, whose request follows its estimated cost (training_runtime). New rules declare
# `threads: 1` and `resources: mem_mb=JOB_MEM_MB, runtime=JOB_RUNTIME`, with numbers of
# their own only where their measured figures exceed these.
#
# On a cluster (profiles/slurm), the rules that build data declare `group: "data"`:
# connected jobs of the group (a dataset file and the optima computed on it) share one
# cluster job, since each takes about a second and a cluster job costs several. Training
# jobs are sized by cost instead (config key job_seconds, which the SLURM profile raises),
# and request a runtime that follows their estimate (training_runtime). Rules that gather
# results declare `localrule: True` and run on the submitting host. A local run ignores
# all three.
JOB_MEM_MB = 1000
JOB_RUNTIME = 2  # minutes
# A training job's estimated seconds may be several times short (an estimator's cost
# factor is an average): its runtime request allows ten times the estimate beyond the base.
RUNTIME_MARGIN = 10


def training_runtime(wildcards):
    """The minutes a training job requests: the base, plus ten times its estimate."""
    batch = CONFIG.experiments[wildcards.experiment].batch(wildcards.batch)
    return JOB_RUNTIME + math.ceil(RUNTIME_MARGIN * batch.cost / 60)


def names_pattern(names):
    """A wildcard constraint matching exactly these experiment names (nothing if none)."""
    return "|".join(names) if names else "(?!)"


wildcard_constraints:
    experiment="[a-z][a-z0-9_]*",
    dataset="[a-z][a-z0-9_]*",
    data_file="[^/]+",
    batch="[^/]+",


def dataset_file(wildcards):
    """A file data set's file (nothing for a generator or a bundled data set)."""
    spec = CONFIG.datasets[wildcards.dataset]
    return [spec["file"]] if "file" in spec else []


def experiment_json(wildcards):
    return CONFIG.experiments[wildcards.experiment].to_json()


def training_inputs(wildcards):
    """The dataset files (and, for optimisation, the optima files) a batch's points read."""
    experiment = CONFIG.experiments[wildcards.experiment]
    points = experiment.batch(wildcards.batch).points
    files = unique(CONFIG.data_file_of(point.dataset, point.data_id) for point in points)
    inputs = {"datasets": [dataset_path(file.dataset, file.id) for file in files]}
    if experiment.protocol.needs_optimum:
        inputs["optima"] = [optimum_path(experiment.name, file.id) for file in files]
    return inputs


def dataset_path(dataset, file_id):
    """A dataset file, as rule dataset names it."""
    return rules.dataset.output.dataset.format(dataset=dataset, data_file=file_id)


def optimum_path(experiment_name, file_id):
    """An optima file, as rule optimum names it (one per dataset file of the experiment)."""
    return rules.optimum.output.optimum.format(experiment=experiment_name, data_file=file_id)


def training_code(wildcards):
    """The hash of the modules a batch's points run."""
    experiment = CONFIG.experiments[wildcards.experiment]
    modules = ["ftml.experiments.runner"]
    for point in experiment.batch(wildcards.batch).points:
        modules += experiment.protocol.code_modules(experiment, point)
    return modules_hash(tuple(sorted(set(modules))))


@functools.cache
def modules_hash(modules):
    """:func:`source_hash`, once per set of modules while the workflow is read (it walks
    and reads every module they import: about 20 ms, for each of a grid's jobs)."""
    return source_hash(modules)


def unique(items):
    """The items without repeats, in their first order."""
    return list(dict.fromkeys(items))


def batch_outputs(kind, name):
    """The ``kind`` output (runs, predictions, timings) of every batch of an experiment."""
    return [f"results/{kind}/{name}/{batch.id}.csv"
            for batch in CONFIG.experiments[name].batches]


def experiment_outputs(kind):
    """An input function giving :func:`batch_outputs` of the rule's experiment."""
    return lambda wildcards: batch_outputs(kind, wildcards.experiment)


def batch_manifests(name):
    """The manifest of every training job of an experiment: what each wrote."""
    return [f"results/manifests/runs/{name}/{batch.id}.json"
            for batch in CONFIG.experiments[name].batches]


def experiment_manifests(wildcards):
    """An input function giving :func:`batch_manifests` of the rule's experiment."""
    return batch_manifests(wildcards.experiment)


def experiment_truths(wildcards):
    """The files holding each point's ground truth (its dataset files, or its optima)."""
    experiment = CONFIG.experiments[wildcards.experiment]
    if experiment.protocol.needs_optimum:
        return [optimum_path(experiment.name, file.id)
                for file in CONFIG.optimum_files(experiment.name)]
    files = unique(CONFIG.data_file_of(dataset, data_id)
                   for dataset, data_id in experiment.data_points)
    return [dataset_path(file.dataset, file.id) for file in files]
