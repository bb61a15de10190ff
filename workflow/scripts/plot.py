"""Draw an experiment's figure (rule ``plot``)."""

import sys

sys.stderr = open(snakemake.log[0], "w")  # noqa: F821 (snakemake is injected)

import pandas as pd  # noqa: E402

from ftml.experiments.config import Experiment  # noqa: E402
from ftml.experiments.plots import experiment_figure, save_figure  # noqa: E402

experiment = Experiment.from_json(snakemake.params.experiment)  # noqa: F821
figure = experiment_figure(
    experiment, pd.read_csv(snakemake.input.summary), pd.read_csv(snakemake.input.theory)  # noqa: F821
)
save_figure(figure, snakemake.output.png, snakemake.output.svg)  # noqa: F821
