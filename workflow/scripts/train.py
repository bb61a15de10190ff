"""Train one batch of grid points on their Monte-Carlo replicates, or run one batch of
solver configurations (rule ``train``); numpy only, no pandas."""

import json
import sys

sys.stderr = open(snakemake.log[0], "w")  # noqa: F821 (snakemake is injected)

from threadpoolctl import threadpool_limits  # noqa: E402

from ftml.experiments.runner import run_points, write_rows  # noqa: E402

# One BLAS thread per job: results then do not depend on how many jobs run at once.
with threadpool_limits(limits=snakemake.threads):  # noqa: F821
    header, rows = run_points(
        json.loads(snakemake.params.jobs),  # noqa: F821
        snakemake.input.datasets,  # noqa: F821
        snakemake.input.get("optima", ()),  # noqa: F821
    )
    write_rows(snakemake.output.rows, header, rows)  # noqa: F821
