"""How much of a full run is computation: Snakemake's wall time against the same arithmetic
in one process.

    python benchmarks/pipeline_overhead.py [--cores 2] [--config config/config.yaml]

Runs the workflow from scratch in a temporary copy of the repository with ``--cores N``,
then builds every dataset and trains every grid point of the same config in this process,
on one thread, and prints a table. The compute fraction is in-process compute time divided
by (wall time x cores): 1 would mean no overhead at all (job start-up, Snakemake's
scheduling, aggregation, figures and report).
"""

import argparse
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import yaml
from threadpoolctl import threadpool_limits

from ftml.experiments.config import load_config
from ftml.experiments.data import build_dataset
from ftml.experiments.optimization import objective_for, reference_optimum
from ftml.exceptions import ConvergenceWarning

REPO = Path(__file__).resolve().parents[1]


def snakemake_wall_time(config_path, cores):
    with tempfile.TemporaryDirectory() as directory:
        workdir = Path(directory)
        for name in ("Snakefile", "workflow", "profiles", "environment.yml"):
            source = REPO / name
            (shutil.copytree if source.is_dir() else shutil.copy2)(source, workdir / name)
        (workdir / "config").mkdir()
        shutil.copy2(config_path, workdir / "config" / "config.yaml")
        before = _children_cpu()
        start = time.perf_counter()
        process = subprocess.run(
            [sys.executable, "-m", "snakemake", "--cores", str(cores)],
            cwd=workdir, capture_output=True, text=True, check=True,
        )
        wall = time.perf_counter() - start
        cpu = _children_cpu() - before
    jobs = int(re.search(r"^total\s+(\d+)$", process.stdout + process.stderr, re.M).group(1))
    return wall, cpu, jobs


def _children_cpu():
    """User and system CPU seconds of the finished child processes (and theirs)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def in_process_compute(config_path):
    config = load_config(yaml.safe_load(Path(config_path).read_text()))
    timings = {"datasets": 0.0, "optima": 0.0, "training": 0.0}
    # The jobs write these warnings to their logs (budgets that stop SGD early are by design).
    with threadpool_limits(limits=1), warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        datasets = {}
        start = time.perf_counter()
        for dataset, data_id in config.dataset_points():
            datasets[dataset, data_id] = build_dataset(config.dataset_job(dataset, data_id))
        timings["datasets"] = time.perf_counter() - start
        start = time.perf_counter()
        optima = {}
        for name, data_id in config.optimum_points():
            job = config.optimum_job(name, data_id)
            objective = objective_for(job, datasets[job["dataset"], data_id])
            optima[name, data_id] = reference_optimum(objective, compare_sklearn=True)
        timings["optima"] = time.perf_counter() - start
        start = time.perf_counter()
        for experiment in config.experiments.values():
            for point in experiment.points:
                job = config.training_job(experiment.name, point.id)
                loaded = {(point.dataset, point.data_id): datasets[point.dataset, point.data_id]}
                point_optima = {point.data_id: optima.get((experiment.name, point.data_id))}
                experiment.protocol.run([job], loaded, point_optima)
        timings["training"] = time.perf_counter() - start
    return timings


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cores", type=int, default=2)
    parser.add_argument("--config", default=str(REPO / "config" / "config.yaml"))
    args = parser.parse_args()
    wall, cpu, jobs = snakemake_wall_time(args.config, args.cores)
    timings = in_process_compute(args.config)
    compute = sum(timings.values())
    print(f"config {args.config}, snakemake --cores {args.cores}")
    print(f"{'jobs':>28}: {jobs}")
    print(f"{'snakemake wall time':>28}: {wall:8.1f} s")
    print(f"{'CPU time of all processes':>28}: {cpu:8.1f} s ({cpu / (wall * args.cores):.2f} "
          "of wall x cores)")
    print(f"{'in-process datasets':>28}: {timings['datasets']:8.1f} s (1 thread)")
    print(f"{'in-process optima':>28}: {timings['optima']:8.1f} s (1 thread)")
    print(f"{'in-process training':>28}: {timings['training']:8.1f} s (1 thread)")
    print(f"{'compute / (wall x cores)':>28}: {compute / (wall * args.cores):8.2f}")
    print(f"{'overhead per job':>28}: {(wall * args.cores - compute) / jobs:8.2f} core-s")


if __name__ == "__main__":
    main()
