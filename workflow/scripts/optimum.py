"""Compute an optimisation experiment's optima at the data points of one file (rule
``optimum``)."""

import json

from ftml.experiments.jobs import job_logging

with job_logging(snakemake.log[0], snakemake.rule):  # noqa: F821 (snakemake is injected)
    from threadpoolctl import threadpool_limits

    from ftml.experiments.data import load_datasets
    from ftml.experiments.optimization import objective_for, reference_optimum, save_optima

    with threadpool_limits(limits=snakemake.threads):  # noqa: F821
        jobs = json.loads(snakemake.params.jobs)  # noqa: F821
        _, models = load_datasets(snakemake.input.dataset, [job["data_id"] for job in jobs])  # noqa: F821
        optima = {job["data_id"]: reference_optimum(objective_for(job, models[job["data_id"]]),
                                                    compare_sklearn=True)
                  for job in jobs}
        save_optima(optima, snakemake.output.optimum)  # noqa: F821
