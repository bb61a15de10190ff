"""Per-class report from out-of-fold predictions (rule ``class_report``)."""

from ftml.experiments.jobs import job_logging

with job_logging(snakemake.log[0], snakemake.rule):  # noqa: F821 (snakemake is injected)
    from ftml.experiments.config import Experiment
    from ftml.experiments.integrity import ManifestReader, write_manifest
    from ftml.experiments.tables import class_report_table, write_csv

    inputs, output = snakemake.input, snakemake.output  # noqa: F821
    experiment = Experiment.from_json(snakemake.params.experiment)  # noqa: F821
    table = class_report_table(experiment, inputs.predictions,
                               read=ManifestReader(inputs.manifests).read_csv)
    write_csv(table, output.table)
    write_manifest([output.table], output.manifest)
