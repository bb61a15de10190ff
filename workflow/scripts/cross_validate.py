"""Cross-validate one batch of grid points (rule ``cross_validate``); numpy only, no
pandas."""

import json
import sys

sys.stderr = open(snakemake.log[0], "w")  # noqa: F821 (snakemake is injected)

from threadpoolctl import threadpool_limits  # noqa: E402

from ftml.experiments.runner import cross_validate_points, write_rows  # noqa: E402

# One BLAS thread per job: results then do not depend on how many jobs run at once.
with threadpool_limits(limits=snakemake.threads):  # noqa: F821
    run = cross_validate_points(json.loads(snakemake.params.jobs), snakemake.input.datasets)  # noqa: F821
    write_rows(snakemake.output.predictions, run.prediction_header, run.predictions)  # noqa: F821
    write_rows(snakemake.output.timings, run.timing_header, run.timings)  # noqa: F821
    # The rows last: their presence says the job finished.
    write_rows(snakemake.output.rows, run.header, run.rows)  # noqa: F821
