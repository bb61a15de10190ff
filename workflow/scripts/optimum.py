"""Compute an optimisation experiment's optimum at one dataset point (rule ``optimum``)."""

import json

from ftml.experiments.jobs import job_logging

with job_logging(snakemake.log[0], snakemake.rule):  # noqa: F821 (snakemake is injected)
    from threadpoolctl import threadpool_limits

    from ftml.experiments.data import load_dataset
    from ftml.experiments.optimization import objective_for, reference_optimum, save_optimum

    with threadpool_limits(limits=snakemake.threads):  # noqa: F821
        job = json.loads(snakemake.params.job)  # noqa: F821
        objective = objective_for(job, load_dataset(snakemake.input.dataset))  # noqa: F821
        theta, constants = reference_optimum(objective, compare_sklearn=True)
        save_optimum(theta, constants, snakemake.output.optimum)  # noqa: F821
