"""Per-class report and confusion matrices from out-of-fold predictions (rule
``classes``)."""

from ftml.experiments.jobs import job_logging

with job_logging(snakemake.log[0], snakemake.rule):  # noqa: F821 (snakemake is injected)
    from ftml.experiments.config import Experiment
    from ftml.experiments.integrity import ManifestReader, write_manifest
    from ftml.experiments.plots import confusion_figure, save_figure
    from ftml.experiments.tables import class_report_table, confusion_matrices, write_csv

    inputs, output = snakemake.input, snakemake.output  # noqa: F821
    experiment = Experiment.from_json(snakemake.params.experiment)  # noqa: F821
    read = ManifestReader(inputs.manifests).read_csv
    table = class_report_table(experiment, inputs.predictions, read=read)
    write_csv(table, output.table)
    write_manifest([output.table], output.manifest)
    matrices = confusion_matrices(experiment, inputs.predictions, read=read)
    save_figure(confusion_figure(experiment, matrices), output.png, output.svg)
