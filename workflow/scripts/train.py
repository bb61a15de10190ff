"""Train one grid point on its Monte-Carlo replicates, or run one solver configuration
(rule ``train``); numpy only, no pandas."""

import json
import sys

sys.stderr = open(snakemake.log[0], "w")  # noqa: F821 (snakemake is injected)

from threadpoolctl import threadpool_limits  # noqa: E402

from ftml.experiments.data import load_dataset  # noqa: E402
from ftml.experiments.runner import run_optimization_point, run_point, write_rows  # noqa: E402

# One BLAS thread per job: results then do not depend on how many jobs run at once.
with threadpool_limits(limits=snakemake.threads):  # noqa: F821
    job = json.loads(snakemake.params.job)  # noqa: F821
    dataset = load_dataset(snakemake.input.dataset)  # noqa: F821
    if job["evaluation"]["protocol"] == "optimization":
        from ftml.experiments.optimization import load_optimum

        header, rows = run_optimization_point(job, dataset, *load_optimum(snakemake.input.optimum))  # noqa: F821
    else:
        header, rows = run_point(job, dataset)
    write_rows(snakemake.output.rows, header, rows)  # noqa: F821
