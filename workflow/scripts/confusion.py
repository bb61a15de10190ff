"""Confusion matrices from out-of-fold predictions (rule ``confusion``)."""

import sys

sys.stderr = open(snakemake.log[0], "w")  # noqa: F821 (snakemake is injected)

from ftml.experiments.config import Experiment  # noqa: E402
from ftml.experiments.plots import confusion_figure, save_figure  # noqa: E402
from ftml.experiments.tables import confusion_matrices  # noqa: E402

experiment = Experiment.from_json(snakemake.params.experiment)  # noqa: F821
figure = confusion_figure(experiment, confusion_matrices(experiment, snakemake.input.predictions))  # noqa: F821
save_figure(figure, snakemake.output.png, snakemake.output.svg)  # noqa: F821
