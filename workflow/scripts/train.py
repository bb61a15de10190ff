"""Run one batch of grid points by its experiment's protocol (rules ``train`` and
``cross_validate``); numpy only, no pandas."""

import json

from ftml.experiments.jobs import job_logging

with job_logging(snakemake.log[0], snakemake.rule):  # noqa: F821 (snakemake is injected)
    from threadpoolctl import threadpool_limits

    from ftml.experiments.runner import run_batch, write_outputs

    # One BLAS thread per job: results then do not depend on how many jobs run at once.
    with threadpool_limits(limits=snakemake.threads):  # noqa: F821
        outputs = run_batch(
            json.loads(snakemake.params.jobs),  # noqa: F821
            snakemake.input.datasets,  # noqa: F821
            snakemake.input.get("optima", ()),  # noqa: F821
        )
        write_outputs(outputs, snakemake.output, snakemake.output.manifest)  # noqa: F821
