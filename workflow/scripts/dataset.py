"""Build the data points of one dataset file (rule ``dataset``)."""

import json

from ftml.experiments.jobs import job_logging

with job_logging(snakemake.log[0], snakemake.rule):  # noqa: F821 (snakemake is injected)
    from threadpoolctl import threadpool_limits

    from ftml.experiments.data import build_dataset, save_datasets

    with threadpool_limits(limits=snakemake.threads):  # noqa: F821
        jobs = json.loads(snakemake.params.jobs)  # noqa: F821
        models = {job["data_id"]: build_dataset(job) for job in jobs}
        save_datasets(snakemake.wildcards.dataset, models, snakemake.output.dataset)  # noqa: F821
