"""Check an experiment's claims against its tables (rule ``check``)."""

from ftml.experiments.jobs import job_logging

with job_logging(snakemake.log[0], snakemake.rule):  # noqa: F821 (snakemake is injected)
    from ftml.experiments.checks import complete_verdicts
    from ftml.experiments.config import Experiment
    from ftml.experiments.integrity import ManifestReader, write_manifest
    from ftml.experiments.tables import write_csv

    inputs, output = snakemake.input, snakemake.output  # noqa: F821
    experiment = Experiment.from_json(snakemake.params.experiment)  # noqa: F821
    read = ManifestReader([inputs.manifest]).read_csv
    tables = {name: read(getattr(inputs, name)) for name in ("long", "summary", "theory")}
    write_csv(complete_verdicts(experiment, **tables), output.verdicts)
    write_manifest([output.verdicts], output.manifest)
