"""Validate a config and expand each experiment's grid into jobs.

Validation runs in two passes, both before any job starts. The JSON Schema
(``workflow/schemas/config.schema.yaml``) checks the structure: known keys, types, non-empty
grids, names (:mod:`._schema`). Then each experiment's checker (:mod:`._checker`), driven by
its protocol, checks what a schema cannot against the catalog's declarations. All problems
are reported at once, each with its key path.

- :mod:`._model`: the validated objects (:class:`Config`, :class:`Experiment`,
  :class:`GridPoint`, :class:`Batch`, :class:`DataFile`) and the jobs they describe;
- :mod:`._batching`: how points are cut into jobs and datasets into files, by cost;
- :mod:`._casting`: values cast to their parameters' types; point names;
- :mod:`._datasets`, :mod:`._checker`: the checks.
"""

import copy
import dataclasses
from pathlib import Path

from ftml.experiments.config._batching import TARGET_JOB_SECONDS, data_files, training_cuts
from ftml.experiments.config._casting import cast_value
from ftml.experiments.config._checker import ExperimentChecker
from ftml.experiments.config._datasets import check_dataset
from ftml.experiments.config._model import (
    Batch,
    Config,
    ConfigError,
    DataFile,
    Experiment,
    GridPoint,
)
from ftml.experiments.config._schema import integers_as_int, schema_problems

__all__ = ["Batch", "ConfigError", "Config", "DataFile", "Experiment", "GridPoint", "cast_value",
           "load_config", "SCHEMA_PATH"]

SCHEMA_PATH = Path(__file__).resolve().parents[3] / "workflow" / "schemas" / "config.schema.yaml"


def load_config(raw, schema_path=SCHEMA_PATH, *, cache_dir=None):
    """Validate ``raw`` and return a :class:`Config`.

    Parameters
    ----------
    raw : dict
        The config as read from YAML (and updated by ``--config``); it is not modified.
    schema_path : path-like, default=SCHEMA_PATH
        The JSON Schema of the structure.
    cache_dir : path-like, default=None
        Where the shapes of bundled and file data sets, read once to check data-dependent
        limits, are kept between calls (keyed by content); None keeps them in memory.

    Returns
    -------
    Config

    Raises
    ------
    ConfigError
        Listing every problem found, each with its key path.
    """
    raw = copy.deepcopy(dict(raw))
    problems = schema_problems(raw, schema_path)
    if problems:
        raise ConfigError(problems)
    integers_as_int(raw)
    from threadpoolctl import threadpool_limits

    problems = []
    # Parameters are stored cast to their types, so that "1", 1 and 1.0 name the same job.
    datasets = {
        name: check_dataset(name, spec, problems, cache_dir)
        for name, spec in raw["datasets"].items()
    }
    experiments = {}
    # The checks fit small problems, on which BLAS threads cost more than they save.
    with threadpool_limits(limits=1):
        for name, spec in raw["experiments"].items():
            checker = ExperimentChecker(name, spec, datasets, raw["seed"], problems, cache_dir)
            checker.limits.update(raw.get("limits", {}))
            points = checker.run()
            if points is not None:
                experiments[name] = Experiment(name=name, spec=spec, points=tuple(points))
    if problems:
        raise ConfigError(problems)
    for name, experiment in experiments.items():
        cuts, costs = training_cuts(experiment, datasets, cache_dir,
                                    raw.get("job_seconds", TARGET_JOB_SECONDS))
        experiments[name] = dataclasses.replace(experiment, cuts=cuts, costs=costs)
    return Config(seed=raw["seed"], datasets=datasets, experiments=experiments,
                  data_files=data_files(experiments, datasets, cache_dir))

