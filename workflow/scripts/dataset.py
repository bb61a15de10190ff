"""Build one dataset (rule ``dataset``)."""

import json

from ftml.experiments.jobs import job_logging

with job_logging(snakemake.log[0], snakemake.rule):  # noqa: F821 (snakemake is injected)
    from threadpoolctl import threadpool_limits

    from ftml.experiments.data import build_dataset, save_dataset

    with threadpool_limits(limits=snakemake.threads):  # noqa: F821
        job = json.loads(snakemake.params.job)  # noqa: F821
        save_dataset(build_dataset(job), snakemake.output.dataset)  # noqa: F821
