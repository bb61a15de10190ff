"""What the pipeline benchmarks share: a temporary copy of the repository to run Snakemake
in, Snakemake's wall and CPU time there, and the same computation in this process.

Imported by ``benchmarks/pipeline_overhead.py`` and ``benchmarks/scaling.py`` (run as
scripts, their directory is on ``sys.path``); not a benchmark itself.
"""

import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import warnings
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import yaml
from threadpoolctl import threadpool_limits

from ftml.exceptions import ConvergenceWarning
from ftml.experiments.config import load_config
from ftml.experiments.data import build_dataset
from ftml.experiments.optimization import objective_for, reference_optimum

REPO = Path(__file__).resolve().parents[1]
SCHEMA = REPO / "workflow" / "schemas" / "config.schema.yaml"
# What a run needs besides its config: the workflow, the workflow profile it reads
# automatically, and the environment file its rules name. Nothing else of the checkout (its
# results/ and .snakemake/ above all) may leak into a measurement from scratch.
WORKFLOW_FILES = ("Snakefile", "workflow", "profiles", "environment.yml")


@contextmanager
def repository_copy(config):
    """A temporary copy of the workflow, with ``config`` as its ``config/config.yaml``.

    Parameters
    ----------
    config : path-like or dict
        A config file to copy, or a config to write as YAML.

    Yields
    ------
    pathlib.Path
        The copy's directory, deleted on exit.
    """
    with tempfile.TemporaryDirectory() as directory:
        workdir = Path(directory)
        for name in WORKFLOW_FILES:
            source = REPO / name
            (shutil.copytree if source.is_dir() else shutil.copy2)(source, workdir / name)
        (workdir / "config").mkdir()
        target = workdir / "config" / "config.yaml"
        if isinstance(config, dict):
            target.write_text(yaml.safe_dump(config, sort_keys=False))
        else:
            shutil.copy2(config, target)
        yield workdir


@dataclass
class SnakemakeRun:
    """What one Snakemake call took.

    Attributes
    ----------
    wall : float
        Wall-clock seconds, start to exit (or to the kill, on a timeout).
    cpu : float
        User and system CPU seconds of Snakemake and every process it waited for.
    output : str
        Its stdout and stderr.
    returncode : int or None
        None when the call was killed at its timeout.
    """

    wall: float
    cpu: float
    output: str
    returncode: int | None

    @property
    def timed_out(self):
        """Whether the call was killed at its timeout."""
        return self.returncode is None

    @property
    def jobs(self):
        """The number of jobs in its DAG, from the job table's ``total`` line (None if
        absent: a timeout, a failure, or nothing to do)."""
        match = re.search(r"^total\s+(\d+)\s*$", self.output, re.M)
        return int(match.group(1)) if match else None


def run_snakemake(workdir, arguments, timeout=None, check=True):
    """Run ``python -m snakemake <arguments>`` in ``workdir`` and time it.

    Parameters
    ----------
    workdir : path-like
        Where to run it (a :func:`repository_copy`).
    arguments : list of str
        Snakemake's arguments, e.g. ``["--cores", "2"]`` or ``["-n"]``.
    timeout : float, default=None
        Seconds after which Snakemake and its jobs are killed; None waits for ever.
    check : bool, default=True
        Raise :class:`subprocess.CalledProcessError` when Snakemake fails (a timeout is
        not a failure: it is returned, with ``returncode`` None).

    Returns
    -------
    SnakemakeRun
    """
    before = _children_cpu()
    start = time.perf_counter()
    # Its own session, so that a timeout kills the jobs Snakemake started along with it.
    process = subprocess.Popen(
        [sys.executable, "-m", "snakemake", *arguments], cwd=workdir, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
    )
    try:
        output, _ = process.communicate(timeout=timeout)
        returncode = process.returncode
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        output, _ = process.communicate()
        returncode = None
    wall = time.perf_counter() - start
    # Children count here once waited for: Snakemake waits for its jobs, this for Snakemake.
    # Jobs orphaned by a kill are not counted.
    cpu = _children_cpu() - before
    if check and returncode not in (0, None):
        raise subprocess.CalledProcessError(returncode, process.args, output)
    return SnakemakeRun(wall=wall, cpu=cpu, output=output, returncode=returncode)


def _children_cpu():
    """User and system CPU seconds of the finished child processes (and theirs)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def read_config(config):
    """The config as a dict: ``config`` itself, or the YAML file it names."""
    return config if isinstance(config, dict) else yaml.safe_load(Path(config).read_text())


def in_process_compute(config):
    """Build every dataset, optimum and training point of a config in this process.

    One BLAS thread, as every workflow job runs; no files are written. This is the work a
    full run cannot avoid, without the jobs, Snakemake, aggregation, figures or report.

    Parameters
    ----------
    config : path-like or dict
        A config file, or a config as read from YAML.

    Returns
    -------
    dict
        Seconds spent on ``"datasets"``, ``"optima"`` and ``"training"`` (their sum is
        :func:`compute_seconds`), and on building the jobs' specs, ``"job_specs"``.
    """
    config = load_config(read_config(config), SCHEMA)
    timings = {"datasets": 0.0, "optima": 0.0, "training": 0.0, "job_specs": 0.0}
    # The jobs' specs are built apart from the timed computation: the config finds a job by
    # scanning its points, and a scan per job would grow with the square of the grid and
    # pass for computation. Their time is returned under "job_specs", not in the three.
    start = time.perf_counter()
    dataset_jobs = {key: config.dataset_job(*key) for key in config.dataset_points()}
    optimum_jobs = {key: config.optimum_job(*key) for key in config.optimum_points()}
    training_jobs = [
        (experiment, point, config.training_job(experiment.name, point.id))
        for experiment in config.experiments.values()
        for point in experiment.points
    ]
    timings["job_specs"] = time.perf_counter() - start
    # The jobs write these warnings to their logs (budgets that stop SGD early are by design).
    with threadpool_limits(limits=1), warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        datasets = {}
        start = time.perf_counter()
        for key, job in dataset_jobs.items():
            datasets[key] = build_dataset(job)
        timings["datasets"] = time.perf_counter() - start
        start = time.perf_counter()
        optima = {}
        for (name, data_id), job in optimum_jobs.items():
            objective = objective_for(job, datasets[job["dataset"], data_id])
            optima[name, data_id] = reference_optimum(objective, compare_sklearn=True)
        timings["optima"] = time.perf_counter() - start
        start = time.perf_counter()
        for experiment, point, job in training_jobs:
            loaded = {(point.dataset, point.data_id): datasets[point.dataset, point.data_id]}
            point_optima = {point.data_id: optima.get((experiment.name, point.data_id))}
            experiment.protocol.run([job], loaded, point_optima)
        timings["training"] = time.perf_counter() - start
    return timings


def compute_seconds(timings):
    """The computation of :func:`in_process_compute`: datasets, optima and training."""
    return timings["datasets"] + timings["optima"] + timings["training"]
