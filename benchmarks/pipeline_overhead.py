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

from _harness import REPO, compute_seconds, in_process_compute, repository_copy, run_snakemake


def snakemake_wall_time(config_path, cores):
    """Run the workflow from scratch on ``config_path`` in a temporary copy of the
    repository; return its wall seconds, CPU seconds of all its processes, and jobs."""
    with repository_copy(config_path) as workdir:
        run = run_snakemake(workdir, ["--cores", str(cores)])
    return run.wall, run.cpu, run.jobs


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cores", type=int, default=2)
    parser.add_argument("--config", default=str(REPO / "config" / "config.yaml"))
    args = parser.parse_args()
    wall, cpu, jobs = snakemake_wall_time(args.config, args.cores)
    timings = in_process_compute(args.config)
    compute = compute_seconds(timings)
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
