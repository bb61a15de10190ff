"""Draw an experiment's figure (rule ``plot``)."""

from ftml.experiments.jobs import job_logging

with job_logging(snakemake.log[0], snakemake.rule):  # noqa: F821 (snakemake is injected)
    from ftml.experiments.config import Experiment
    from ftml.experiments.integrity import ManifestReader
    from ftml.experiments.plots import experiment_figure, save_figure

    inputs, output = snakemake.input, snakemake.output  # noqa: F821
    experiment = Experiment.from_json(snakemake.params.experiment)  # noqa: F821
    read = ManifestReader([inputs.manifest]).read_csv
    figure = experiment_figure(experiment, read(inputs.summary), read(inputs.theory))
    save_figure(figure, output.png, output.svg)
