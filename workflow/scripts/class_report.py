"""Per-class report from out-of-fold predictions (rule ``class_report``)."""

import sys

sys.stderr = open(snakemake.log[0], "w")  # noqa: F821 (snakemake is injected)

from ftml.experiments.config import Experiment  # noqa: E402
from ftml.experiments.tables import class_report_table, write_csv  # noqa: E402

experiment = Experiment.from_json(snakemake.params.experiment)  # noqa: F821
write_csv(class_report_table(experiment, snakemake.input.predictions), snakemake.output.table)  # noqa: F821
