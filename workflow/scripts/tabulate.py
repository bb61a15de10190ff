"""Gather an experiment's runs into its tables (rule ``tabulate``)."""

import sys
from pathlib import Path

sys.stderr = open(snakemake.log[0], "w")  # noqa: F821 (snakemake is injected)

from threadpoolctl import threadpool_limits  # noqa: E402

from ftml.experiments.config import Experiment  # noqa: E402
from ftml.experiments.data import load_dataset  # noqa: E402
from ftml.experiments.tables import long_table, summary_table, theory_table, write_csv  # noqa: E402

with threadpool_limits(limits=snakemake.threads):  # noqa: F821
    experiment = Experiment.from_json(snakemake.params.experiment)  # noqa: F821
    long = long_table(snakemake.input.runs)  # noqa: F821
    # A dataset file is named by its data_id, which is how grid points refer to it.
    models = {Path(path).stem: load_dataset(path) for path in snakemake.input.datasets}  # noqa: F821
    write_csv(long, snakemake.output.long)  # noqa: F821
    write_csv(
        summary_table(long, experiment.grid_names, experiment.spec["metrics"]),
        snakemake.output.summary,  # noqa: F821
    )
    write_csv(theory_table(experiment, models), snakemake.output.theory)  # noqa: F821
