"""Gather an experiment's runs into its tables (rule ``tabulate``)."""

import sys

sys.stderr = open(snakemake.log[0], "w")  # noqa: F821 (snakemake is injected)

from threadpoolctl import threadpool_limits  # noqa: E402

from ftml.experiments.config import Experiment  # noqa: E402
from ftml.experiments.tables import tabulate, write_csv  # noqa: E402

with threadpool_limits(limits=snakemake.threads):  # noqa: F821
    experiment = Experiment.from_json(snakemake.params.experiment)  # noqa: F821
    tables = tabulate(experiment, snakemake.input.runs, snakemake.input.datasets)  # noqa: F821
    for table, path in zip(tables, (snakemake.output.long, snakemake.output.summary,  # noqa: F821
                                    snakemake.output.theory)):  # noqa: F821
        write_csv(table, path)
