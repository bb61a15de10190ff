"""Confusion matrices from out-of-fold predictions (rule ``confusion``)."""

from ftml.experiments.jobs import job_logging

with job_logging(snakemake.log[0], snakemake.rule):  # noqa: F821 (snakemake is injected)
    from ftml.experiments.config import Experiment
    from ftml.experiments.integrity import ManifestReader
    from ftml.experiments.plots import confusion_figure, save_figure
    from ftml.experiments.tables import confusion_matrices

    inputs, output = snakemake.input, snakemake.output  # noqa: F821
    experiment = Experiment.from_json(snakemake.params.experiment)  # noqa: F821
    matrices = confusion_matrices(experiment, inputs.predictions,
                                  read=ManifestReader(inputs.manifests).read_csv)
    save_figure(confusion_figure(experiment, matrices), output.png, output.svg)
