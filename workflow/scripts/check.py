"""Check an experiment's claims against its tables (rule ``check``)."""

import sys

sys.stderr = open(snakemake.log[0], "w")  # noqa: F821 (snakemake is injected)

import pandas as pd  # noqa: E402

from ftml.experiments.checks import verdicts  # noqa: E402
from ftml.experiments.config import Experiment  # noqa: E402
from ftml.experiments.tables import write_csv  # noqa: E402

experiment = Experiment.from_json(snakemake.params.experiment)  # noqa: F821
tables = {name: pd.read_csv(getattr(snakemake.input, name)) for name in ("long", "summary", "theory")}  # noqa: F821
write_csv(verdicts(experiment, **tables), snakemake.output.verdicts)  # noqa: F821
