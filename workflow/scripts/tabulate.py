"""Gather an experiment's runs into its tables (rule ``tabulate``)."""

from ftml.experiments.jobs import job_logging

with job_logging(snakemake.log[0], snakemake.rule):  # noqa: F821 (snakemake is injected)
    from threadpoolctl import threadpool_limits

    from ftml.experiments.config import Experiment
    from ftml.experiments.integrity import ManifestReader, write_manifest
    from ftml.experiments.tables import tabulate, write_csv

    inputs, output = snakemake.input, snakemake.output  # noqa: F821
    with threadpool_limits(limits=snakemake.threads):  # noqa: F821
        experiment = Experiment.from_json(snakemake.params.experiment)  # noqa: F821
        tables = tabulate(experiment, inputs.runs, inputs.datasets,
                          read=ManifestReader(inputs.manifests).read_csv)
        paths = (output.long, output.summary, output.theory)
        for table, path in zip(tables, paths):
            write_csv(table, path)
        write_manifest(paths, output.manifest)
